package companies

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/internal/nearest"
)

// PacksFile is the file of company packs: packs.yaml among the embedded
// records, and in a user's override directory, where its packs replace
// the built-in ones of the same id or add to them. The company loader
// leaves it out: it is not a company record.
const PacksFile = "packs.yaml"

// Pack types.
const (
	// PackAddAll is a pack whose every company holds data on most people
	// where the pack is for: a letter goes to each.
	PackAddAll = "add-all"
	// PackChoose is a list to choose from: the person picks the companies
	// they deal with.
	PackChoose = "choose"
)

// PackAll is the country of a pack that is for everyone.
const PackAll = "all"

// Pack is a set of companies people write to together: the address
// brokers of a country, its credit agencies, the big social networks.
type Pack struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Type is add-all or choose.
	Type string `yaml:"type" json:"type"`
	// Country is where the pack is for (ISO 3166-1 alpha-2, upper case),
	// or all.
	Country string `yaml:"country" json:"country"`
	// Companies are the ids of the pack's records in the directory.
	Companies []string `yaml:"companies" json:"companies"`
	// Source is where the pack was read, if it comes from a dataset.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// builtin is true for a pack of the embedded packs.yaml.
	builtin bool
}

// packFile is the shape of packs.yaml.
type packFile struct {
	Packs []*Pack `yaml:"packs"`
}

var packIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func (p *Pack) validate() error {
	switch {
	case !packIDPattern.MatchString(p.ID):
		return fmt.Errorf("id: %q must be lower case letters, digits and dashes", p.ID)
	case strings.TrimSpace(p.Title) == "" || strings.ContainsAny(p.Title, "\t\r\n"):
		return fmt.Errorf("title: one line of text is required")
	case p.Type != PackAddAll && p.Type != PackChoose:
		return fmt.Errorf("type: %q is not add-all or choose", p.Type)
	case p.Country != PackAll && !countryPattern().MatchString(p.Country):
		return fmt.Errorf("country: %q is not all or an ISO 3166-1 code such as DE", p.Country)
	case len(p.Companies) == 0:
		return fmt.Errorf("companies: at least one is required")
	}
	for i, id := range p.Companies {
		if !idPattern().MatchString(id) {
			return fmt.Errorf("companies: %q is not a company id", id)
		}
		if slices.Contains(p.Companies[:i], id) {
			return fmt.Errorf("companies: %s is listed twice", id)
		}
	}
	return checkURL("source", p.Source)
}

// Packs are the company packs erase knows, in the order of their files.
type Packs struct {
	list []*Pack
}

// LoadPacks reads packs.yaml of each fsys in order, strictly; an fsys
// without one is skipped. A pack replaces an earlier one with the same id
// in its place; a new id is added at the end.
func LoadPacks(fsyss ...fs.FS) (*Packs, error) {
	ps := &Packs{}
	for _, fsys := range fsyss {
		data, err := fs.ReadFile(fsys, PacksFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var f packFile
		if err := datafile.DecodeStrict(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", PacksFile, err)
		}
		seen := map[string]bool{}
		for i, p := range f.Packs {
			if p == nil {
				return nil, fmt.Errorf("%s: pack %d is empty", PacksFile, i+1)
			}
			if err := p.validate(); err != nil {
				return nil, fmt.Errorf("%s: pack %q: %w", PacksFile, p.ID, err)
			}
			if seen[p.ID] {
				return nil, fmt.Errorf("%s: pack %q is given twice", PacksFile, p.ID)
			}
			seen[p.ID] = true
			p.builtin = fsys == fs.FS(embedded)
			if j := ps.index(p.ID); j >= 0 {
				ps.list[j] = p
			} else {
				ps.list = append(ps.list, p)
			}
		}
	}
	return ps, nil
}

func (ps *Packs) index(id string) int {
	return slices.IndexFunc(ps.list, func(p *Pack) bool { return p.ID == id })
}

// All returns the packs in order.
func (ps *Packs) All() []*Pack { return ps.list }

// IDs returns the pack ids in order.
func (ps *Packs) IDs() []string {
	ids := make([]string, len(ps.list))
	for i, p := range ps.list {
		ids[i] = p.ID
	}
	return ids
}

// Get returns the pack with this id, or an *UnknownPackError naming the
// ids the person most likely meant.
func (ps *Packs) Get(id string) (*Pack, error) {
	key := strings.ToLower(strings.TrimSpace(id))
	if i := ps.index(key); i >= 0 {
		return ps.list[i], nil
	}
	e := &UnknownPackError{ID: id}
	if n := nearest.Word(key, ps.IDs()); n != "" {
		e.Near = []string{n}
	} else if key != "" {
		// A slug two countries share is named with the country first:
		// address-brokers is at-address-brokers or de-address-brokers.
		for _, p := range ps.list {
			if strings.HasSuffix(p.ID, "-"+key) {
				e.Near = append(e.Near, p.ID)
			}
		}
	}
	return nil, e
}

// UnknownPackError: no pack has this id. Near are the ids the person most
// likely meant: the nearest spelling, or the packs of several countries
// that share the name; empty when none is close.
type UnknownPackError struct {
	ID   string
	Near []string
}

func (e *UnknownPackError) Error() string { return fmt.Sprintf("%q is not a company pack", e.ID) }

// Check reports a pack that lists a company d does not have (by id, not
// alias: a pack names records exactly), or one that takes no letters. A
// built-in pack instead goes on without such a company, with a note: an
// imported directory may have dropped it. A user's pack is an error.
func (ps *Packs) Check(d *Directory) (notes []string, err error) {
	for _, p := range ps.list {
		var keep []string
		for _, id := range p.Companies {
			known, writable := d.takesLetters(id)
			var bad error
			switch {
			case !known:
				bad = fmt.Errorf("%s: pack %q lists %q, which is not in the directory", PacksFile, p.ID, id)
				if n := nearest.Word(id, d.IDs()); n != "" {
					bad = fmt.Errorf("%w (did you mean %s?)", bad, n)
				}
			case !writable:
				bad = fmt.Errorf("%s: pack %q lists %q, which takes no letters (the directory has only its self-service link)", PacksFile, p.ID, id)
			}
			switch {
			case bad == nil:
				keep = append(keep, id)
			case p.builtin:
				// A directory imported from a newer dataset may have
				// dropped a company a built-in pack lists: the pack
				// goes on without it.
				notes = append(notes, fmt.Sprintf("the pack %s lists %s, which the directory no longer has as a letter recipient: it is left out", p.ID, id))
			default:
				return nil, bad
			}
		}
		if len(keep) != len(p.Companies) {
			q := *p
			q.Companies = keep
			*p = q
		}
	}
	return notes, nil
}

// takesLetters reports whether d has a record with exactly this id, and
// whether it is a letter recipient, without decoding it.
func (d *Directory) takesLetters(id string) (known, writable bool) {
	if c, ok := d.own[id]; ok {
		return true, c.Writable()
	}
	if d.index == nil {
		return false, false
	}
	if en, ok := d.index.find(id); ok {
		return true, en.public().Writable
	}
	return false, false
}

// recordsOnly hides packs.yaml from the company loader.
type recordsOnly struct{ fs.FS }

func (f recordsOnly) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(f.FS, name)
	if name == "." {
		es = slices.DeleteFunc(es, func(e fs.DirEntry) bool { return e.Name() == PacksFile })
	}
	return es, err
}

func withoutPacks(fsyss []fs.FS) []fs.FS {
	out := make([]fs.FS, len(fsyss))
	for i, f := range fsyss {
		out[i] = recordsOnly{f}
	}
	return out
}
