// Package datafile reads the YAML files erase is made of (regimes,
// companies, profiles, config) the one way: strictly, so an unknown key is
// an error naming the line; one record per file, named after its id; later
// directories replacing records of earlier ones, which is how a user's
// override directory works; and an index by id and alias.
package datafile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// DecodeStrict decodes one YAML (or JSON) document into v, refusing
// unknown keys. Its errors start with "line N:" where yaml reports a line.
func DecodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return cleanError(err)
	}
	return nil
}

var yamlPrefix = regexp.MustCompile(`^yaml: (unmarshal errors:\n\s*)?`)
var yamlField = regexp.MustCompile(`field (\S+) not found in type .*$`)

var yamlType = regexp.MustCompile("^(line \\d+: )?cannot unmarshal !!(\\w+) (`[^`]*` )?into (.+)$")

// wanted names a Go type as what a YAML file must hold there.
func wanted(goType string) string {
	switch t := strings.TrimSpace(goType); {
	case strings.HasPrefix(t, "struct"), strings.HasPrefix(t, "map["):
		return "a mapping (key: value lines)"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string" || strings.HasSuffix(t, ".Status"):
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "float") || strings.HasPrefix(t, "uint"):
		return "a number"
	}
	return "another kind of value"
}

// cleanError turns yaml's "yaml: unmarshal errors:\n  line 4: field x not
// found in type pkg.T" into "line 4: unknown key \"x\"".
func cleanError(err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = yamlPrefix.ReplaceAllString(msg, "")
	msg = yamlField.ReplaceAllString(msg, `unknown key "$1"`)
	if m := yamlType.FindStringSubmatch(msg); m != nil {
		// "cannot unmarshal !!seq into struct { Host string ... }": say it
		// in the file's terms, not Go's.
		got := map[string]string{"seq": "a list", "map": "a mapping (key: value lines)", "str": "text", "int": "a number",
			"float": "a number", "bool": "true or false", "null": "nothing"}[m[2]]
		if got == "" {
			got = m[2]
		}
		msg = m[1] + got + " where " + wanted(m[4]) + " is wanted"
	}
	return errors.New(strings.TrimSpace(msg))
}

// decodeRecord decodes and checks one file's record.
func decodeRecord[T any, P interface {
	*T
	Keyed
}](name string, data []byte, validate func(P) error) (P, error) {
	rec := P(new(T))
	if err := DecodeStrict(data, rec); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	id := rec.Keys()[0]
	if want := strings.TrimSuffix(path.Base(name), ".yaml"); id != want {
		return nil, fmt.Errorf("%s: id %q does not match the file name (want %q)", name, id, want)
	}
	if err := validate(rec); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rec, nil
}

// Keyed is a record with an id and aliases: Keys()[0] is the id, which
// must match the file name.
type Keyed interface{ Keys() []string }

// Load reads every *.yaml of each fsys in order into records of type T,
// checks each with validate, and returns them sorted by id with an index
// by id and alias. kind names the records in errors ("regime", "company").
func Load[T any, P interface {
	*T
	Keyed
}](kind string, validate func(P) error, fsyss ...fs.FS) ([]P, map[string]P, error) {
	type file struct {
		name string
		data []byte
		rec  P
		err  error
	}
	var files []*file
	for _, fsys := range fsyss {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return nil, nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, nil, err
			}
			files = append(files, &file{name: name, data: data})
		}
	}
	// Decoding is the slow part (a user's directory of a thousand records
	// takes a tenth of a second), so it runs on every core.
	work := make(chan *file)
	var wg sync.WaitGroup
	for w := 0; w < min(len(files), runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				f.rec, f.err = decodeRecord(f.name, f.data, validate)
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	byID := map[string]P{}
	for _, f := range files {
		if f.err != nil {
			return nil, nil, f.err
		}
		byID[f.rec.Keys()[0]] = f.rec
	}
	all := make([]P, 0, len(byID))
	for _, rec := range byID {
		all = append(all, rec)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Keys()[0] < all[j].Keys()[0] })
	index := map[string]P{}
	for _, rec := range all {
		for _, key := range rec.Keys() {
			if other, dup := index[key]; dup {
				return nil, nil, fmt.Errorf("%s id or alias %q is used by both %s and %s", kind, key, other.Keys()[0], rec.Keys()[0])
			}
			index[key] = rec
		}
	}
	return all, index, nil
}
