package jurisdictions

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/datafile"
)

//go:embed places/places.yaml
var placesYAML []byte

// Places holds ISO 3166-1 country names and, for federal countries whose
// privacy laws differ by subdivision, their ISO 3166-2 subdivisions.
type Places struct {
	Countries    map[string]string      `yaml:"countries"`
	Subdivisions map[string]Subdivision `yaml:"subdivisions"`
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
// A region may be given alone in its full form (US-CA).
func (p *Places) normalise(country, region string) (cc, sub string, err error) {
	cc = strings.ToUpper(strings.TrimSpace(country))
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" {
		if prefix, rest, ok := strings.Cut(region, "-"); ok {
			if cc == "" {
				cc = prefix
			} else if prefix != cc {
				return "", "", badinput.Errorf("--region %q is not in --country %s", region, cc).
					Hint("pass --region %s-%s, or just %s", cc, rest, rest)
			}
			region = rest
		}
		if cc == "" {
			return "", "", badinput.Errorf("--region %q needs --country, or the full ISO 3166-2 form such as US-%s", region, region)
		}
		sub = cc + "-" + region
	}
	if cc == "" {
		return "", "", badinput.Errorf("no country given: pass --law, or --country with an ISO 3166-1 code").
			Hint("erase letter --law gdpr ..., or --country DE").
			Hint("or save your country in your profile: erase profile init")
	}
	if _, ok := p.Countries[cc]; !ok {
		return "", "", badinput.Errorf("--country %q is not an ISO 3166 country code", country).
			Hint("use the two-letter code, e.g. DE, FR, GB, US, BR")
	}
	if sub != "" && p.hasSubdivisions(cc) {
		if _, ok := p.Subdivisions[cc].Codes[sub]; !ok {
			return "", "", badinput.Errorf("--region %q is not a %s of %s", region, p.subdivisionWord(cc), p.CountryName(cc)).
				Hint("use the ISO 3166-2 code, e.g. %s", firstCode(p.Subdivisions[cc].Codes))
		}
	}
	return cc, sub, nil
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
