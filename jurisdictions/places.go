package jurisdictions

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/internal/nearest"
)

//go:embed places/places.yaml
var placesYAML []byte

// Places holds ISO 3166-1 country names and, for federal countries whose
// privacy laws differ by subdivision, their ISO 3166-2 subdivisions.
type Places struct {
	Countries map[string]string `yaml:"countries"`
	// OwnCodes maps a subdivision code a person may type (CN-HK) to the
	// ISO 3166-1 code the same place has of its own (HK).
	OwnCodes     map[string]OwnCode     `yaml:"own_codes"`
	Subdivisions map[string]Subdivision `yaml:"subdivisions"`
}

// OwnCode is the ISO 3166-1 code of a place that may also be typed as a
// subdivision, and the name a hint calls it by.
type OwnCode struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
}

// Subdivision lists one country's subdivisions.
type Subdivision struct {
	// Word names the kind of subdivision: "state", "province or territory".
	Word  string            `yaml:"word"`
	Codes map[string]string `yaml:"codes"`
}

func loadPlaces() (*Places, error) {
	var p Places
	if err := datafile.DecodeStrict(placesYAML, &p); err != nil {
		return nil, fmt.Errorf("places/places.yaml: %w", err)
	}
	for sub, own := range p.OwnCodes {
		if _, ok := p.Countries[own.Code]; !ok || own.Name == "" {
			return nil, fmt.Errorf("places/places.yaml: own_codes: %s: needs the code of a country and a name", sub)
		}
	}
	return &p, nil
}

// CountryName returns the English short name of an ISO 3166-1 code.
func (p *Places) CountryName(cc string) string {
	if n, ok := p.Countries[cc]; ok {
		return n
	}
	return cc
}

// SubdivisionName returns the name of an ISO 3166-2 code such as US-CA.
func (p *Places) SubdivisionName(code string) string {
	cc, _, _ := strings.Cut(code, "-")
	if n, ok := p.Subdivisions[cc].Codes[code]; ok {
		return n
	}
	return code
}

func (p *Places) hasSubdivisions(cc string) bool {
	_, ok := p.Subdivisions[cc]
	return ok
}

func (p *Places) subdivisionWord(cc string) string {
	if w := p.Subdivisions[cc].Word; w != "" {
		return w
	}
	return "region"
}

// normalise checks a country and region as a user typed them and returns
// the upper-case country code and the full subdivision code ("" if none).
// A region may be given alone in its full form (US-CA). Whether erase knows
// the region is checkRegion's question.
func (p *Places) normalise(country, region string) (cc, sub string, err error) {
	cc = strings.ToUpper(strings.TrimSpace(country))
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" {
		short := region
		if prefix, rest, ok := strings.Cut(region, "-"); ok {
			if cc == "" {
				cc = prefix
			} else if prefix != cc {
				return "", "", placeErrorf("{region} %q is not in {country} %s", region, cc).
					hint("pass {region} %s-%s, or just %s", cc, rest, rest)
			}
			short = rest
		}
		if cc == "" {
			return "", "", placeErrorf("{region} %q needs {country}, or the full ISO 3166-2 form such as US-%s", region, region)
		}
		sub = cc + "-" + short
	}
	if cc == "" {
		return "", "", placeErrorf("no country given: pass {law}, or {country} with an ISO 3166-1 code").
			hint("erase letter {law} gdpr ..., or {country} DE").
			hint("or save your country in your profile: erase profile init")
	}
	if _, ok := p.Countries[cc]; !ok {
		return "", "", placeErrorf("{country} %q is not an ISO 3166 country code", country).
			hint("use the two-letter code, e.g. DE, FR, GB, US, BR")
	}
	return cc, sub, nil
}

// checkRegion refuses a subdivision erase does not know: one that is not
// in its country's list, one of a country for which erase knows no
// subdivisions (their laws do not differ by region in its data), and one
// that ISO 3166-1 codes as a country of its own. typed is the --region value
// as the user gave it.
func (p *Places) checkRegion(cc, sub, typed string) error {
	typed = strings.ToUpper(strings.TrimSpace(typed))
	if own, ok := p.OwnCodes[sub]; ok {
		return placeErrorf("{region} %q: %s has a country code of its own in ISO 3166-1, %s", typed, own.Name, own.Code).
			hint("pass {country} %s instead of {country} %s {region} %s", own.Code, cc, strings.TrimPrefix(sub, cc+"-"))
	}
	if !p.hasSubdivisions(cc) {
		return placeErrorf("{region} %q is not a region erase knows: it takes {region} only for %s", typed, p.regionCountries()).
			hint("drop {region}: erase picks the law for %s (%s) from {country} alone", p.CountryName(cc), cc)
	}
	if _, ok := p.Subdivisions[cc].Codes[sub]; !ok {
		return placeErrorf("{region} %q is not a %s of %s", strings.TrimPrefix(typed, cc+"-"), p.subdivisionWord(cc), p.CountryName(cc)).
			hint("use the ISO 3166-2 code, e.g. %s", firstCode(p.Subdivisions[cc].Codes))
	}
	return nil
}

// regionCountries names the countries whose subdivisions erase knows:
// "Canada (CA) and the United States (US)".
func (p *Places) regionCountries() string {
	ccs := slices.Sorted(maps.Keys(p.Subdivisions))
	names := make([]string, len(ccs))
	for i, cc := range ccs {
		name := p.CountryName(cc)
		if strings.HasPrefix(name, "United States") {
			name = "the " + name
		}
		names[i] = name + " (" + cc + ")"
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func firstCode(codes map[string]string) string {
	best := ""
	for c := range codes {
		if best == "" || c < best {
			best = c
		}
	}
	return best
}

// CountryCode returns the ISO 3166-1 code of a country typed as its code
// ("de") or its English short name ("Germany"), case-insensitively, and
// whether erase knows it. For anything else it returns the code of the
// nearest name, for a "did you mean", and false.
func (p *Places) CountryCode(typed string) (string, bool) {
	t := strings.TrimSpace(typed)
	if cc := strings.ToUpper(t); len(cc) == 2 {
		if _, ok := p.Countries[cc]; ok {
			return cc, true
		}
	}
	names := make([]string, 0, len(p.Countries))
	byName := map[string]string{}
	for cc, name := range p.Countries {
		l := strings.ToLower(name)
		byName[l] = cc
		names = append(names, l)
	}
	if cc, ok := byName[strings.ToLower(t)]; ok {
		return cc, true
	}
	sort.Strings(names)
	return byName[nearest.Word(strings.ToLower(t), names)], false
}
