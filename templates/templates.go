// Package templates holds the letter texts: one Go text/template file per
// kind, language and family of law, embedded in the binary and overridable
// from a directory of the same shape (LANG/KIND-FAMILY.tmpl, falling back to
// LANG/KIND.tmpl). Each file defines the blocks "subject", "opening", "body"
// and "closing"; LANG/common.tmpl holds blocks the files share.
//
// A new language or kind of letter is a new file here, never Go code.
package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"text/template"
)

//go:embed kinds.yaml */*.tmpl */*.yaml */laws/*.yaml
var embedded embed.FS

// Embedded returns the templates built into the binary.
func Embedded() fs.FS { return embedded }

// Families are the families of law a template may be written for
// (KIND-FAMILY.tmpl); jurisdictions validates a regime's family against
// the same list.
var Families = []string{"gdpr", "us-state", "other"}

// Blocks every letter template must define.
var Blocks = []string{"subject", "opening", "body", "closing"}

// Set finds and caches templates, looking in the override first.
type Set struct {
	layers []fs.FS // searched last to first
	funcs  template.FuncMap

	mu    sync.Mutex
	cache map[string]*template.Template
	files map[string]decodedFile
	kinds []*Kind
}

// New returns a set that searches the file systems last to first: pass the
// embedded templates, then a user's override directory.
func New(funcs template.FuncMap, layers ...fs.FS) *Set {
	return &Set{layers: layers, funcs: funcs, cache: map[string]*template.Template{}, files: map[string]decodedFile{}}
}

// Find returns the template for a kind of letter in a language, preferring
// the variant written for the regime's family.
func (s *Set) Find(lang, kind, family string) (*template.Template, error) {
	key := lang + "/" + kind + "-" + family
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.cache[key]; ok {
		return t, nil
	}
	var name string
	var src []byte
	for _, candidate := range []string{lang + "/" + kind + "-" + family + ".tmpl", lang + "/" + kind + ".tmpl"} {
		if data, err := s.read(candidate); err == nil {
			name, src = candidate, data
			break
		}
	}
	if src == nil {
		return nil, &NotFoundError{Lang: lang, Kind: kind, Have: s.available()}
	}
	t := template.New(name).Funcs(s.funcs).Option("missingkey=error")
	if common, err := s.read(lang + "/common.tmpl"); err == nil {
		if _, err := t.New(lang + "/common.tmpl").Parse(string(common)); err != nil {
			return nil, err
		}
	}
	if _, err := t.Parse(string(src)); err != nil {
		return nil, err
	}
	for _, b := range Blocks {
		if t.Lookup(b) == nil {
			return nil, fmt.Errorf("%s: defines no %q block", name, b)
		}
	}
	s.cache[key] = t
	return t, nil
}

func (s *Set) read(name string) ([]byte, error) {
	for i := len(s.layers) - 1; i >= 0; i-- {
		data, err := fs.ReadFile(s.layers[i], name)
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fs.ErrNotExist
}

// available lists "lang/kind" pairs that have a template.
func (s *Set) available() []string {
	seen := map[string]bool{}
	for _, l := range s.layers {
		names, _ := fs.Glob(l, "*/*.tmpl")
		for _, n := range names {
			base := strings.TrimSuffix(n, ".tmpl")
			if strings.HasSuffix(base, "/common") {
				continue
			}
			for _, family := range Families {
				base = strings.TrimSuffix(base, "-"+family)
			}
			seen[base] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NotFoundError says no template exists for a language and kind.
type NotFoundError struct {
	Lang, Kind string
	Have       []string
}

func (e *NotFoundError) Error() string {
	if e.Kind == "" {
		return fmt.Sprintf("no words for language %q (have: %s)", e.Lang, strings.Join(e.Have, ", "))
	}
	return fmt.Sprintf("no %s letter in language %q (have: %s)", e.Kind, e.Lang, strings.Join(e.Have, ", "))
}
