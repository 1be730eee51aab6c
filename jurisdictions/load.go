package jurisdictions

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/internal/nearest"
)

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the regimes built into the binary.
func Embedded() fs.FS { return embedded }

// Set is a loaded, validated collection of regimes.
type Set struct {
	byID   map[string]*Regime // ids and aliases
	all    []*Regime          // sorted by id
	places *Places
}

// Load reads every *.yaml file of each fsys in order; a regime in a later
// file system replaces one with the same id in an earlier one, which is how
// a user's override directory works.
func Load(fsyss ...fs.FS) (*Set, error) {
	places, err := loadPlaces()
	if err != nil {
		return nil, err
	}
	all, _, err := datafile.Load("regime", func(r *Regime) error { return r.validate(places) }, fsyss...)
	if err != nil {
		return nil, err
	}
	return newSet(all, places)
}

// newSet indexes regimes by id and alias and checks that no two claim the
// same id, alias or place.
func newSet(regimes []*Regime, places *Places) (*Set, error) {
	s := &Set{all: slices.Clone(regimes), byID: map[string]*Regime{}, places: places}
	slices.SortFunc(s.all, func(a, b *Regime) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range s.all {
		for _, key := range r.Keys() {
			if other, dup := s.byID[key]; dup {
				return nil, fmt.Errorf("regime id or alias %q is used by both %s and %s", key, other.ID, r.ID)
			}
			s.byID[key] = r
		}
	}
	return s, s.checkCoverage()
}

// Keys returns the regime's id and aliases.
func (r *Regime) Keys() []string { return append([]string{r.ID}, r.Aliases...) }

// All returns every regime, sorted by id.
func (s *Set) All() []*Regime { return s.all }

// Places returns the country and subdivision names known to the set.
func (s *Set) Places() *Places { return s.places }

// UnknownError: no regime has this id or alias. Near is the id the
// typo most likely meant, or "".
type UnknownError struct{ ID, Near string }

func (e *UnknownError) Error() string { return fmt.Sprintf("%q is not a known regime", e.ID) }

// Get returns the regime with this id or alias, or an *UnknownError.
func (s *Set) Get(id string) (*Regime, error) {
	if r, ok := s.byID[strings.ToLower(strings.TrimSpace(id))]; ok {
		return r, nil
	}
	keys := make([]string, 0, len(s.byID))
	for k := range s.byID {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	near := nearest.Word(id, keys)
	if r, ok := s.byID[near]; ok {
		near = r.ID
	}
	return nil, &UnknownError{ID: id, Near: near}
}

// IDs returns the regime ids, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, len(s.all))
	for i, r := range s.all {
		ids[i] = r.ID
	}
	return ids
}

// Pick returns the regime that protects a person living in country (ISO
// 3166-1 alpha-2) and, optionally, region (ISO 3166-2: "CA" or "US-CA").
func (s *Set) Pick(country, region string) (*Regime, error) {
	cc, sub, err := s.places.normalise(country, region)
	if err != nil {
		return nil, err
	}
	if sub != "" {
		if err := s.excluded(cc, sub, region); err != nil {
			return nil, err
		}
		if err := s.places.checkRegion(cc, sub, region); err != nil {
			return nil, err
		}
		for _, r := range s.all {
			if slices.Contains(r.Covers.Regions, sub) {
				return r, nil
			}
		}
	}
	for _, r := range s.all {
		if slices.Contains(r.Covers.Countries, cc) {
			return r, nil
		}
	}
	if s.places.hasSubdivisions(cc) {
		if sub == "" {
			return nil, placeErrorf("{country} %s needs {region}: its privacy laws are made by each %s", cc, s.places.subdivisionWord(cc)).
				hint("pass {region} with the ISO 3166-2 code, e.g. {region} %s", s.exampleRegion(cc))
		}
		// Each state law protects residents of its own state only (the
		// CCPA's "consumer" is a California resident), so none of them is
		// a basis for a resident of another state.
		word := s.places.subdivisionWord(cc)
		name := s.places.SubdivisionName(sub)
		return nil, noLaw(placeErrorf("%s (%s) has no privacy law with a right to deletion in erase's data", name, sub).
			hint("the %s %s laws in erase's data protect residents of their own %s only, so none of them covers residents of %s", cc, word, word, name).
			hint("if the company is established in the EU, the GDPR covers its processing wherever you live (Article 3(1) GDPR): pass {law} gdpr").
			hint("erase laws list shows every regime"))
	}
	return nil, noLaw(placeErrorf("%s (%s) has no privacy law in erase's data", s.places.CountryName(cc), cc).
		hint("pass {law} with a regime that applies to the company, e.g. {law} gdpr for a company in the EU").
		hint("erase laws list shows every regime"))
}

// PlaceError is Pick's error for a country or region it cannot place, or
// (NoLaw) a place erase knows where no regime in its data protects the
// person. It is bad input. Msg and Hints name the inputs as {country},
// {region} and {law}: Words puts the caller's names for them (its flags)
// in their place.
type PlaceError struct {
	Msg   string
	Hints []string
	NoLaw bool
}

func placeErrorf(format string, args ...any) *PlaceError {
	return &PlaceError{Msg: fmt.Sprintf(format, args...)}
}

func (e *PlaceError) hint(format string, args ...any) *PlaceError {
	e.Hints = append(e.Hints, fmt.Sprintf(format, args...))
	return e
}

func noLaw(e *PlaceError) *PlaceError { e.NoLaw = true; return e }

func (e *PlaceError) Error() string {
	msg, _ := e.Words(map[string]string{"country": "country", "region": "region", "law": "law"})
	return msg
}

// Unwrap makes a PlaceError bad input (exit 2) wherever it is not worded
// for flags first: the plain field names, with the hints.
func (e *PlaceError) Unwrap() error {
	msg, hints := e.Words(map[string]string{"country": "country", "region": "region", "law": "law"})
	b := badinput.Errorf("%s", msg)
	for _, h := range hints {
		b.Hint("%s", h)
	}
	return b
}

// Words returns the message and hints with names[x] for each {x}.
func (e *PlaceError) Words(names map[string]string) (msg string, hints []string) {
	var pairs []string
	for k, v := range names {
		pairs = append(pairs, "{"+k+"}", v)
	}
	r := strings.NewReplacer(pairs...)
	for _, h := range e.Hints {
		hints = append(hints, r.Replace(h))
	}
	return r.Replace(e.Msg), hints
}

// excluded refuses a subdivision where the regime of its country does not
// apply, saying why and what to pass instead.
func (s *Set) excluded(cc, sub, typed string) error {
	for _, r := range s.all {
		for _, x := range r.Covers.Excludes {
			if x.Region != sub {
				continue
			}
			name := s.places.SubdivisionName(sub)
			own, hasOwn := s.places.OwnCodes[sub]
			if hasOwn {
				name = own.Name
			}
			err := placeErrorf("{region} %q: %s does not apply in %s", strings.ToUpper(strings.TrimSpace(typed)), r.ShortName, name).
				hint("%s (%s)", x.Text, x.Provision)
			if hasOwn {
				err.hint("%s has its own ISO 3166-1 code: pass {country} %s instead of {country} %s {region} %s", name, own.Code, cc, strings.TrimPrefix(sub, cc+"-"))
				if !s.covers(own.Code) {
					err.hint("erase's data has no law for %s yet; erase laws list shows every regime", name)
				}
			}
			return err
		}
	}
	return nil
}

// covers reports whether some regime covers the country cc.
func (s *Set) covers(cc string) bool {
	for _, r := range s.all {
		if slices.Contains(r.Covers.Countries, cc) {
			return true
		}
	}
	return false
}

func (s *Set) exampleRegion(cc string) string {
	for _, r := range s.all {
		for _, sub := range r.Covers.Regions {
			if strings.HasPrefix(sub, cc+"-") {
				return sub
			}
		}
	}
	return cc + "-XX"
}

// checkCoverage makes sure no two regimes claim the same place.
func (s *Set) checkCoverage() error {
	seen := map[string]string{}
	for _, r := range s.all {
		for _, p := range append(slices.Clone(r.Covers.Countries), r.Covers.Regions...) {
			if other, dup := seen[p]; dup {
				return fmt.Errorf("%s is covered by both %s and %s", p, other, r.ID)
			}
			seen[p] = r.ID
		}
	}
	return nil
}
