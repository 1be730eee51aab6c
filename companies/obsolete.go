package companies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	_ "embed"

	"github.com/erase-cli/erase/internal/datafile"
)

// Obsolete is a record the Datenanfragen data retired (its
// obsolete-records, CC0): the company is gone, merged into another or
// acquired, the record was a duplicate, or the GDPR does not apply to it.
// A letter to its id is refused with the reason and, where there is one,
// the record that took its place.
type Obsolete struct {
	ID      string   `yaml:"id" json:"id"`
	Name    string   `yaml:"name" json:"name"`
	Reason  string   `yaml:"reason" json:"reason"`
	Current string   `yaml:"current,omitempty" json:"current,omitempty"` // Datenanfragen's redirect-to
	Sources []string `yaml:"sources" json:"sources"`
}

// Reasons a record is obsolete, in Datenanfragen's words, and in erase's.
var obsoleteReasons = map[string]string{
	"company-acquired":    "the company was acquired",
	"company-defunct":     "the company no longer exists",
	"company-merged":      "the company merged into another",
	"duplicate":           "it was a duplicate of another record",
	"gdpr-not-applicable": "the GDPR does not apply to the company",
	"out-of-scope":        "it is not a company people write to about their data",
}

// Why says in words why the record was retired.
func (o *Obsolete) Why() string { return obsoleteReasons[o.Reason] }

// obsoleteFile is companies/obsolete/obsolete.yaml.
type obsoleteFile struct {
	Records []*Obsolete `yaml:"records"`
}

//go:embed obsolete/obsolete.yaml
var obsoleteYAML []byte

var bundledObsolete = sync.OnceValues(func() (map[string]*Obsolete, error) {
	var f obsoleteFile
	if err := datafile.DecodeStrict(obsoleteYAML, &f); err != nil {
		return nil, fmt.Errorf("obsolete/obsolete.yaml: %w", err)
	}
	out := map[string]*Obsolete{}
	for _, o := range f.Records {
		if err := o.validate(); err != nil {
			return nil, fmt.Errorf("obsolete/obsolete.yaml: %s: %w", o.ID, err)
		}
		out[o.ID] = o
	}
	return out, nil
})

func (o *Obsolete) validate() error {
	switch {
	case !idPattern().MatchString(o.ID) || o.Name == "":
		return fmt.Errorf("id and name are required")
	case obsoleteReasons[o.Reason] == "":
		return fmt.Errorf("reason: %q is not one of Datenanfragen's", o.Reason)
	case len(o.Sources) == 0:
		return fmt.Errorf("sources: at least one is required")
	}
	return nil
}

// ObsoleteError: the id is a record the dataset retired. Current is the
// record that took its place, where the directory has it.
type ObsoleteError struct {
	Record  *Obsolete
	Current *Company
}

func (e *ObsoleteError) Error() string {
	return fmt.Sprintf("%s (%s) is no longer in the directory: %s", e.Record.Name, e.Record.ID, e.Record.Why())
}

// obsolete returns the retired record with this id, if any; a retired id
// a current record now has again is not obsolete.
func obsolete(id string) *Obsolete {
	all, err := bundledObsolete()
	if err != nil {
		return nil
	}
	return all[id]
}

// ObsoleteFromDatenanfragen reads the obsolete-records/*.json of a
// checkout of the Datenanfragen data.
func ObsoleteFromDatenanfragen(fsys fs.FS) ([]*Obsolete, error) {
	names, err := fs.Glob(fsys, "obsolete-records/*.json")
	if err != nil {
		return nil, err
	}
	var out []*Obsolete
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var r struct {
			Slug       string   `json:"slug"`
			Name       string   `json:"name"`
			Reason     string   `json:"reason"`
			RedirectTo string   `json:"redirect-to"`
			Sources    []string `json:"sources"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		o := &Obsolete{ID: r.Slug, Name: strings.TrimSpace(r.Name), Reason: r.Reason, Current: r.RedirectTo, Sources: r.Sources}
		if want := strings.TrimSuffix(path.Base(name), ".json"); o.ID != want {
			return nil, fmt.Errorf("%s: slug %q does not match the file name", name, o.ID)
		}
		if err := o.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return slices.Clip(out), nil
}
