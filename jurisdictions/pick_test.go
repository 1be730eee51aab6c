package jurisdictions

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/badinput"
)

func loadEmbedded(t *testing.T) *Set {
	t.Helper()
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The EU 27 and the EEA states Iceland, Liechtenstein and Norway.
var gdprCountries = []string{
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
	"LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
}

// Every US state with a comprehensive privacy law in erase's data.
var usStateRegimes = map[string]string{
	"CA": "ccpa",
	"VA": "vcdpa",
	"CO": "cpa",
	"CT": "ctdpa",
	"UT": "ucpa",
	"TX": "tdpsa",
	"OR": "ocpa",
	"FL": "fdbr",
	"MT": "mtcdpa",
	"NE": "ndpa",
	"DE": "dpdpa",
	"NH": "nhpa",
	"NJ": "njdpa",
	"TN": "tipa",
	"MN": "mncdpa",
	"MD": "modpa",
	"IN": "incdpa",
	"KY": "kcdpa",
	"RI": "ridtppa",
	"IA": "iacdpa",
}

func TestPickEUAndEEA(t *testing.T) {
	s := loadEmbedded(t)
	for _, cc := range gdprCountries {
		for _, typed := range []string{cc, strings.ToLower(cc), " " + cc + " "} {
			r, err := s.Pick(typed, "")
			if err != nil {
				t.Errorf("Pick(%q) = %v", typed, err)
				continue
			}
			if r.ID != "gdpr" {
				t.Errorf("Pick(%q) = %s, want gdpr", typed, r.ID)
			}
		}
	}
}

// Parts of EU member states that ISO 3166-1 codes on their own, where the
// Treaties apply: the outermost regions of TFEU Art. 355(1) and Åland
// (Art. 355(4)).
var gdprTerritories = []string{"AX", "GF", "GP", "MQ", "RE", "YT", "MF"}

// Territories of EU or EEA states that ISO 3166-1 codes on their own and
// where the GDPR does not apply: the overseas countries and territories of
// TFEU Annex II (Art. 355(2)), the Faroe Islands (Art. 355(5)(a)), Svalbard
// and Jan Mayen (outside the EEA Agreement for Svalbard) and Bouvet Island.
var notGDPRTerritories = []string{"NC", "PF", "BL", "PM", "WF", "TF", "GL", "FO", "AW", "CW", "SX", "BQ", "SJ", "BV"}

func TestPickEUTerritories(t *testing.T) {
	s := loadEmbedded(t)
	for _, cc := range gdprTerritories {
		r, err := s.Pick(cc, "")
		if err != nil {
			t.Errorf("Pick(%q) = %v, want gdpr", cc, err)
			continue
		}
		if r.ID != "gdpr" {
			t.Errorf("Pick(%q) = %s, want gdpr", cc, r.ID)
		}
	}
	for _, cc := range notGDPRTerritories {
		if r, err := s.Pick(cc, ""); err == nil {
			t.Errorf("Pick(%q) = %s, want no law: the GDPR does not apply there", cc, r.ID)
		}
	}
}

func TestPickUSStates(t *testing.T) {
	s := loadEmbedded(t)
	for state, want := range usStateRegimes {
		for _, c := range []struct{ country, region string }{
			{"US", state},
			{"US", "US-" + state},
			{"", "US-" + state},
			{"us", strings.ToLower(state)},
		} {
			r, err := s.Pick(c.country, c.region)
			if err != nil {
				t.Errorf("Pick(%q, %q) = %v", c.country, c.region, err)
				continue
			}
			if r.ID != want {
				t.Errorf("Pick(%q, %q) = %s, want %s", c.country, c.region, r.ID, want)
			}
		}
	}
}

func TestPick(t *testing.T) {
	s := loadEmbedded(t)
	tests := []struct {
		country, region, want string
	}{
		{"GB", "", "uk-gdpr"},
		{"CH", "", "fadp"},
		{"CA", "", "pipeda"},
		{"CA", "ON", "pipeda"},
		{"CA", "CA-BC", "pipeda"},
		{"CA", "QC", "qc-law25"},
		{"CA", "CA-QC", "qc-law25"},
		{"", "CA-QC", "qc-law25"},
		{"ca", "qc", "qc-law25"},
		{"BR", "", "lgpd"},
		{"CN", "", "pipl"},
		{"SG", "", "sg-pdpa"},
		{"IN", "", "dpdp"},
		{"JP", "", "appi"},
		{"KR", "", "pipa"},
		{"AU", "", "au-privacy"},
		{"TR", "", "kvkk"},
		{"ZA", "", "popia"},
	}
	for _, tt := range tests {
		r, err := s.Pick(tt.country, tt.region)
		if err != nil {
			t.Errorf("Pick(%q, %q) = %v", tt.country, tt.region, err)
			continue
		}
		if r.ID != tt.want {
			t.Errorf("Pick(%q, %q) = %s, want %s", tt.country, tt.region, r.ID, tt.want)
		}
	}
}

func TestPickErrors(t *testing.T) {
	s := loadEmbedded(t)
	tests := []struct {
		name, country, region, want string
	}{
		{"US without region", "US", "", "needs --region"},
		{"state without a law", "US", "US-NY", "New York (US-NY) has no privacy law"},
		{"state without a law, short form", "US", "AK", "Alaska (US-AK) has no privacy law"},
		{"territory without a law", "", "US-PR", "Puerto Rico (US-PR) has no privacy law"},
		{"not a state", "US", "ZZ", "is not a state of"},
		{"unknown country", "XX", "", "not an ISO 3166 country code"},
		{"country without a law", "AR", "", "Argentina (AR) has no privacy law"},
		{"region of another country", "DE", "US-CA", "is not in --country DE"},
		{"Canadian region under the US", "US", "CA-QC", "is not in --country US"},
		{"region without country", "", "QC", "needs --country"},
		{"nothing", "", "", "no country given"},
		// A region is refused wherever erase knows no regions, instead of
		// being ignored.
		{"region of a country without regions", "DE", "BY", `--region "BY" is not a region erase knows: it takes --region only for Canada (CA) and the United States of America (US)`},
		{"full region of a country without regions", "", "DE-BY", `--region "DE-BY" is not a region erase knows`},
		{"region of an EU territory", "FR", "GF", `--region "GF" is not a region erase knows`},
		// The PIPL does not apply in Hong Kong or Macao; Taiwan has a code
		// of its own.
		{"Hong Kong under China", "CN", "HK", `--region "HK": PIPL does not apply in Hong Kong`},
		{"Hong Kong, full form", "", "CN-HK", `--region "CN-HK": PIPL does not apply in Hong Kong`},
		{"Macao under China", "cn", "mo", `--region "MO": PIPL does not apply in Macao`},
		{"Taiwan under China", "CN", "TW", `--region "TW": Taiwan has a country code of its own in ISO 3166-1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Pick(tt.country, tt.region)
			if err == nil {
				t.Fatalf("Pick(%q, %q) = %s, want an error", tt.country, tt.region, r.ID)
			}
			if _, ok := badinput.As(err); !ok {
				t.Fatalf("Pick(%q, %q) error %v is not bad input (exit 2)", tt.country, tt.region, err)
			}
			bad := asFlags(t, err)
			if !strings.Contains(bad.Msg, tt.want) {
				t.Errorf("Pick(%q, %q) = %q, want it to contain %q", tt.country, tt.region, bad.Msg, tt.want)
			}
		})
	}
}

// The hints name what to type instead.
func TestPickErrorHints(t *testing.T) {
	s := loadEmbedded(t)
	tests := []struct {
		name, country, region string
		hints                 []string
	}{
		{"region of a country without regions", "DE", "BY", []string{"drop --region: erase picks the law for Germany (DE) from --country alone"}},
		{"Hong Kong", "CN", "HK", []string{
			"Annex III",
			"Hong Kong has its own ISO 3166-1 code: pass --country HK instead of --country CN --region HK",
		}},
		{"Macao", "CN", "MO", []string{"pass --country MO instead of --country CN --region MO"}},
		{"Taiwan", "CN", "TW", []string{"pass --country TW instead of --country CN --region TW"}},
		// A state law protects residents of its own state only: never
		// suggest one to a resident of another state.
		{"state without a law", "US", "NY", []string{
			"the US state laws in erase's data protect residents of their own state only, so none of them covers residents of New York",
			"if the company is established in the EU, the GDPR covers its processing wherever you live (Article 3(1) GDPR): pass --law gdpr",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Pick(tt.country, tt.region)
			if _, ok := badinput.As(err); !ok {
				t.Fatalf("Pick(%q, %q) = %v, want bad input", tt.country, tt.region, err)
			}
			all := strings.Join(asFlags(t, err).Hints, "\n")
			if tt.region == "NY" && strings.Contains(all, "ccpa") {
				t.Errorf("Pick(%q, %q) suggests the CCPA, which protects California residents only:\n%s", tt.country, tt.region, all)
			}
			for _, want := range tt.hints {
				if !strings.Contains(all, want) {
					t.Errorf("Pick(%q, %q) hints:\n%s\nwant one containing %q", tt.country, tt.region, all, want)
				}
			}
		})
	}
}

func TestGetByIDAndAlias(t *testing.T) {
	s := loadEmbedded(t)
	for _, r := range s.All() {
		for _, key := range append([]string{r.ID}, r.Aliases...) {
			for _, typed := range []string{key, strings.ToUpper(key), " " + key} {
				got, err := s.Get(typed)
				if err != nil {
					t.Errorf("Get(%q) = %v", typed, err)
					continue
				}
				if got != r {
					t.Errorf("Get(%q) = %s, want %s", typed, got.ID, r.ID)
				}
			}
		}
	}
	_, err := s.Get("no-such-law")
	var u *UnknownError
	if !errors.As(err, &u) || u.ID != "no-such-law" || u.Near != "" {
		t.Errorf("Get of an unknown id: %v, want an UnknownError", err)
	}
	// A typo names the regime it most likely meant; an alias names its id.
	for typed, near := range map[string]string{"gpdr": "gdpr", "uk-gpdr": "uk-gdpr", "dsvgo": "gdpr", "ccap": "ccpa"} {
		if _, err := s.Get(typed); !errors.As(err, &u) || u.Near != near {
			t.Errorf("Get(%q): %v, near %q, want %q", typed, err, u.Near, near)
		}
	}
}

// Every regime the brief names is present under its id.
func TestRegimeIDs(t *testing.T) {
	s := loadEmbedded(t)
	want := []string{
		"gdpr", "uk-gdpr", "fadp", "lgpd", "pipeda", "qc-law25", "pipl", "sg-pdpa", "dpdp",
		"appi", "pipa", "au-privacy", "kvkk", "popia",
	}
	for _, id := range usStateRegimes {
		want = append(want, id)
	}
	for _, id := range want {
		if _, err := s.Get(id); err != nil {
			t.Errorf("Get(%q) = %v", id, err)
		}
	}
	if got := len(s.All()); got != len(want) {
		t.Errorf("%d regimes, want %d: %v", got, len(want), s.IDs())
	}
}

func TestEveryRegimeDeadline(t *testing.T) {
	s := loadEmbedded(t)
	for _, received := range []time.Time{
		time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC),
		time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC),
	} {
		start := received.Truncate(24 * time.Hour)
		for _, r := range s.All() {
			d := r.Requests["erasure"].DueFrom(received)
			if r.Requests["erasure"].Deadline.Settled() {
				if d.Date == nil || d.Requested != nil {
					t.Errorf("%s: law sets a period, got Date %v Requested %v", r.ID, d.Date, d.Requested)
					continue
				}
				if !d.Date.After(start) {
					t.Errorf("%s: due %s is not after receipt %s", r.ID, d.Date, start)
				}
				if ext, ok := r.Requests["erasure"].Extended(received); ok && !ext.After(*d.Date) {
					t.Errorf("%s: extended %s is not after due %s", r.ID, ext, d.Date)
				}
			} else {
				if d.Date != nil || d.Requested == nil || d.Reason == "" {
					t.Errorf("%s: law sets no period, got Date %v Requested %v Reason %q", r.ID, d.Date, d.Requested, d.Reason)
					continue
				}
				if !d.Requested.After(start) {
					t.Errorf("%s: requested %s is not after receipt %s", r.ID, d.Requested, start)
				}
				if _, ok := r.Requests["erasure"].Extended(received); ok {
					t.Errorf("%s: an extension of a period the law does not set", r.ID)
				}
			}
			if c := r.Requests["erasure"].ConfirmBy(received); c != nil && !c.After(start) {
				t.Errorf("%s: confirmation %s is not after receipt %s", r.ID, c, start)
			}
		}
	}
}

func TestRegimeConsistency(t *testing.T) {
	s := loadEmbedded(t)
	for _, r := range s.All() {
		us, canada := false, false
		for _, p := range append(append([]string{}, r.Covers.Countries...), r.Covers.Regions...) {
			us = us || p == "US" || strings.HasPrefix(p, "US-")
			canada = canada || p == "CA" || strings.HasPrefix(p, "CA-")
		}
		switch {
		case r.Family == "us-state":
			if !us || len(r.Covers.Countries) > 0 {
				t.Errorf("%s: a us-state regime must cover US states only: %+v", r.ID, r.Covers)
			}
			if r.Paper != "letter" {
				t.Errorf("%s: us-state regime on %s paper, want letter", r.ID, r.Paper)
			}
			if r.Terms.Person != "consumer" {
				t.Errorf("%s: us-state regime calls the person %q, want consumer", r.ID, r.Terms.Person)
			}
			alias := "us-" + strings.ToLower(strings.TrimPrefix(r.Covers.Regions[0], "US-"))
			if got, err := s.Get(alias); err == nil && got != r {
				t.Errorf("%s: alias %s belongs to %s", r.ID, alias, got.ID)
			}
		case us:
			t.Errorf("%s: covers the US but is family %s", r.ID, r.Family)
		case canada:
			if r.Paper != "letter" {
				t.Errorf("%s: Canadian regime on %s paper, want letter", r.ID, r.Paper)
			}
		default:
			if r.Paper != "a4" {
				t.Errorf("%s: %s paper, want a4", r.ID, r.Paper)
			}
		}
		if r.Family == "gdpr" && r.Terms.Person != "data subject" {
			t.Errorf("%s: gdpr family calls the person %q", r.ID, r.Terms.Person)
		}
		if r.Authority == nil || r.Authority.Name == "" {
			t.Errorf("%s: no authority to complain to", r.ID)
		}
		if !r.Requests["erasure"].AsSuch() && r.Requests["erasure"].Explanation == "" {
			t.Errorf("%s: no erasure right and no explanation", r.ID)
		}
	}
	for _, id := range []string{"pipeda", "sg-pdpa", "au-privacy"} {
		if r, _ := s.Get(id); r != nil && r.Requests["erasure"].AsSuch() {
			t.Errorf("%s: the law grants no erasure right as such", id)
		}
	}
}

// The letter puts each ground after "I rely on the following:" as a bullet
// and appends " (<provision>)"; the recipients, verification and free texts
// are paragraphs.
func TestLetterTextsCompose(t *testing.T) {
	s := loadEmbedded(t)
	for _, r := range s.All() {
		for i, g := range r.Requests["erasure"].Grounds {
			first, _ := utf8.DecodeRuneInString(g.Letter)
			if unicode.IsUpper(first) && !strings.HasPrefix(g.Letter, "I ") {
				t.Errorf("%s: grounds[%d] starts with a capital: %q", r.ID, i, g.Letter)
			}
			if strings.HasSuffix(g.Letter, ".") || strings.HasSuffix(g.Letter, ";") {
				t.Errorf("%s: grounds[%d] ends with punctuation: %q", r.ID, i, g.Letter)
			}
		}
		for name, g := range map[string]*Ground{"recipients": r.Requests["erasure"].Recipients, "verification": r.Requests["erasure"].Verification, "free": r.Requests["erasure"].Free, "timing": r.Requests["erasure"].Timing,
			"refusal": r.Requests["erasure"].Refusal, "representative": r.Requests["erasure"].Representative, "procedure": procedureGround(r)} {
			if g == nil {
				continue
			}
			first, _ := utf8.DecodeRuneInString(g.Letter)
			if !unicode.IsUpper(first) || !strings.HasSuffix(g.Letter, ".") {
				t.Errorf("%s: %s is not a paragraph of sentences: %q", r.ID, name, g.Letter)
			}
		}
		if g := r.Requests["erasure"].DueScope; g != nil {
			first, _ := utf8.DecodeRuneInString(g.Letter)
			if unicode.IsUpper(first) || strings.ContainsAny(g.Letter[len(g.Letter)-1:], ".,;") {
				t.Errorf("%s: due_scope is not a phrase to follow \"You must respond to\": %q", r.ID, g.Letter)
			}
		}
		if r.Requests["erasure"].Deadline.Requested != nil && !r.Requests["erasure"].Deadline.Requested.Status.Certain() && strings.Contains(r.Requests["erasure"].Deadline.Requested.Words, "receipt") {
			// "of receipt" reads as a legal period; a request says only how long.
			t.Errorf("%s: requested period words %q read like a legal period", r.ID, r.Requests["erasure"].Deadline.Requested.Words)
		}
	}
}

func TestPlaces(t *testing.T) {
	s := loadEmbedded(t)
	p := s.Places()
	if got := len(p.Countries); got != 249 {
		t.Errorf("%d countries, want the 249 ISO 3166-1 alpha-2 codes", got)
	}
	for code, name := range p.Countries {
		if len(code) != 2 || strings.ToUpper(code) != code || name == "" {
			t.Errorf("country %q: %q", code, name)
		}
	}
	for cc, want := range map[string]int{"US": 57, "CA": 13} {
		sub, ok := p.Subdivisions[cc]
		if !ok {
			t.Errorf("no subdivisions for %s", cc)
			continue
		}
		if len(sub.Codes) != want || sub.Word == "" {
			t.Errorf("%s: %d subdivisions (word %q), want %d", cc, len(sub.Codes), sub.Word, want)
		}
		for code := range sub.Codes {
			if !strings.HasPrefix(code, cc+"-") {
				t.Errorf("%s: subdivision %s", cc, code)
			}
		}
	}
}

func procedureGround(r *Regime) *Ground {
	if r.Requests["erasure"].Procedure == nil {
		return nil
	}
	return &r.Requests["erasure"].Procedure.Ground
}

// asFlags words a Pick error as erase letter does, for its flags.
func asFlags(t *testing.T, err error) *badinput.Error {
	t.Helper()
	var pe *PlaceError
	if !errors.As(err, &pe) {
		t.Fatalf("%v is not a *PlaceError", err)
	}
	msg, hints := pe.Words(map[string]string{"country": "--country", "region": "--region", "law": "--law"})
	return &badinput.Error{Msg: msg, Hints: hints}
}
