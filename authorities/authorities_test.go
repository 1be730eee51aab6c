package authorities

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
)

func load(t *testing.T) *Directory {
	t.Helper()
	d, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func regimes(t *testing.T) *jurisdictions.Set {
	t.Helper()
	s, err := jurisdictions.Load(jurisdictions.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEmbeddedRecordsValidate(t *testing.T) {
	d := load(t)
	if n := len(d.All()); n != 89 {
		t.Errorf("%d records, want 89 (57 from the dataset, 32 others)", n)
	}
	fromDataset := 0
	for _, a := range d.All() {
		if a.Dataset != nil {
			fromDataset++
			if !strings.HasPrefix(a.Sources[0].URL, "https://github.com/datenanfragen/data/tree/master/supervisory-authorities") {
				t.Errorf("%s: the first source must cite the Datenanfragen folder", a.ID)
			}
		}
	}
	if fromDataset != 57 {
		t.Errorf("%d records from the dataset, want 57", fromDataset)
	}
}

func TestRegimesExist(t *testing.T) {
	d, s := load(t), regimes(t)
	for _, a := range d.All() {
		for _, r := range a.Regimes {
			if _, err := s.Get(r); err != nil {
				t.Errorf("%s: regime %q: %v", a.ID, r, err)
			}
		}
	}
}

// TestEveryRegimeHasAnAuthority: each regime that names an authority, for
// each place it covers, has an authority in the directory.
func TestEveryRegimeHasAnAuthority(t *testing.T) {
	d, s := load(t), regimes(t)
	for _, r := range s.All() {
		if r.Authority == nil {
			continue
		}
		for _, cc := range r.Covers.Countries {
			// Germany's authorities are per state: TestGermany checks each.
			var ne *NoneError
			if _, err := d.For(r.ID, cc, ""); err != nil && !(errors.As(err, &ne) && ne.NeedRegion) {
				t.Errorf("%s: %s: %v", r.ID, cc, err)
			}
		}
		for _, sub := range r.Covers.Regions {
			if _, err := d.For(r.ID, "", sub); err != nil {
				t.Errorf("%s: %s: %v", r.ID, sub, err)
			}
		}
	}
}

var germanStates = []string{"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}

func TestGermany(t *testing.T) {
	d := load(t)
	if len(germanStates) != 16 {
		t.Fatal("16 states")
	}
	for _, st := range germanStates {
		got, err := d.For("gdpr", "DE", st)
		if err != nil {
			t.Errorf("DE-%s: %v", st, err)
			continue
		}
		if len(got) != 2 || got[0].ID != "de-"+strings.ToLower(st) || got[1].ID != "de-bfdi" {
			t.Errorf("DE-%s: got %v, want the state authority, then the BfDI", st, ids(got))
		}
	}
	var ne *NoneError
	if _, err := d.For("gdpr", "DE", ""); !errors.As(err, &ne) || !ne.NeedRegion {
		t.Errorf("DE without a region: %v, want a NoneError asking for the region", err)
	}
	// Church and broadcasting authorities and the BayLfD supervise no companies.
	for _, id := range []string{"de-ekd", "de-kath-by", "de-rundfunk", "de-dw", "de-by-public"} {
		a, err := d.Get(id)
		if err != nil || a.TakesCompanies() {
			t.Errorf("%s: %v, takes companies %v", id, err, a != nil && a.TakesCompanies())
		}
	}
}

func ids(as []*Authority) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// TestForCoverage: for every authority that takes complaints about
// companies, each regime and place it covers returns it.
func TestForCoverage(t *testing.T) {
	d := load(t)
	type query struct{ regime, country, region string }
	var cases []query
	want := map[query]string{}
	for _, a := range d.All() {
		if !a.TakesCompanies() {
			continue
		}
		for _, r := range a.Regimes {
			for _, cc := range a.Covers.Countries {
				q := query{r, cc, ""}
				if cc == "DE" {
					q.region = "DE-BY"
				}
				cases = append(cases, q)
				want[q] += a.ID + " "
			}
			for _, sub := range a.Covers.Regions {
				q := query{r, a.Country, sub}
				cases = append(cases, q)
				want[q] += a.ID + " "
			}
		}
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%s/%s/%s", q.regime, q.country, q.region), func(t *testing.T) {
			got, err := d.For(q.regime, q.country, q.region)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range strings.Fields(want[q]) {
				if !slices.Contains(ids(got), id) {
					t.Errorf("got %v, want %s among them", ids(got), id)
				}
			}
		})
	}
}

func TestForOrder(t *testing.T) {
	d := load(t)
	for _, c := range []struct {
		regime, country, region string
		want                    []string
	}{
		{"ccpa", "US", "CA", []string{"us-ca-cppa", "us-ca-ag"}},
		{"ccpa", "", "US-CA", []string{"us-ca-cppa", "us-ca-ag"}},
		{"tdpsa", "us", "us-tx", []string{"us-tx-ag"}},
		{"gdpr", "FR", "", []string{"fr-cnil"}},
		{"gdpr", "RE", "", []string{"fr-cnil"}},
		{"gdpr", "AX", "", []string{"fi-tietosuoja"}},
		{"uk-gdpr", "GB", "", []string{"gb-ico"}},
		{"fadp", "CH", "", []string{"ch-fdpic"}},
		{"pipeda", "CA", "CA-QC", []string{"ca-opc"}},
		{"qc-law25", "CA", "QC", []string{"ca-qc-cai"}},
		{"dpdp", "IN", "", []string{"in-dpbi"}},
	} {
		got, err := d.For(c.regime, c.country, c.region)
		if err != nil || !slices.Equal(ids(got), c.want) {
			t.Errorf("For(%q, %q, %q) = %v, %v; want %v", c.regime, c.country, c.region, ids(got), err, c.want)
		}
	}
	var ne *NoneError
	for _, c := range [][3]string{{"gdpr", "GB", ""}, {"ccpa", "US", "US-NY"}, {"nosuch", "FR", ""}} {
		if _, err := d.For(c[0], c[1], c[2]); !errors.As(err, &ne) || ne.NeedRegion {
			t.Errorf("For%v: %v, want a NoneError", c, err)
		}
	}
	if _, err := d.For("ccpa", "US", ""); !errors.As(err, &ne) || !ne.NeedRegion {
		t.Errorf("US without a region: %v, want NeedRegion", err)
	}
}

func TestEveryGDPRCountryHasOne(t *testing.T) {
	d, s := load(t), regimes(t)
	gdpr, err := s.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	for _, cc := range gdpr.Covers.Countries {
		found := false
		for _, a := range d.All() {
			if slices.Contains(a.Regimes, "gdpr") && a.TakesCompanies() && slices.Contains(a.Covers.Countries, cc) {
				found = true
			}
			for _, r := range a.Covers.Regions {
				if slices.Contains(a.Regimes, "gdpr") && strings.HasPrefix(r, cc+"-") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no GDPR authority", cc)
		}
	}
}

func TestFactsAsTheyAre(t *testing.T) {
	d := load(t)
	get := func(id string) *Authority {
		a, err := d.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if k := get("fdpic").Complaint.Kind; k != KindReport {
		t.Errorf("the FDPIC takes reports, not complaints: kind %q", k)
	}
	dpbi := get("in-dpbi")
	if dpbi.From == nil || dpbi.From.Date != "2027-05-14" {
		t.Fatalf("the DPBI is competent from 14 May 2027: %+v", dpbi.From)
	}
	if dpbi.Competent(mustDate(t, "2027-05-13")) || !dpbi.Competent(mustDate(t, "2027-05-14")) {
		t.Error("Competent around 14 May 2027")
	}
	if !get("bfdi").TakesCompanies() || slices.Contains(get("bfdi").Supervises, Companies) {
		t.Error("the BfDI takes companies for telecoms and postal services only")
	}
	if get("de-by").Dataset.Record != "debaylda" {
		t.Error("the BayLDA's dataset record")
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestGetUnknownSuggests(t *testing.T) {
	d := load(t)
	for typed, near := range map[string]string{"cnill": "fr-cnil", "baylad": "de-by", "de-bfid": "de-bfdi", "zzzzzz": ""} {
		_, err := d.Get(typed)
		var u *UnknownError
		if !errors.As(err, &u) || u.ID != typed || u.Near != near {
			t.Errorf("Get(%q): %v, want an UnknownError near %q", typed, err, near)
		}
	}
}

const good = `id: x
name: X
country: FR
covers:
  countries: [FR]
regimes: [gdpr]
supervises: [companies]
email: c@x.example
complaint:
  kind: complaint
  channel: email
  languages: [fr]
  status: secondary
  source: test
status: secondary
sources:
  - url: https://x.example
    what: test
`

func TestLoadRejects(t *testing.T) {
	if _, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(good)}}); err != nil {
		t.Fatalf("good record refused: %v", err)
	}
	cases := map[string]struct{ data, key string }{
		"unknown key":       {good + "fax2: 1\n", `unknown key "fax2"`},
		"bad country":       {strings.Replace(good, "country: FR", "country: fr", 1), "country:"},
		"bad region":        {strings.Replace(good, "countries: [FR]", "regions: [DE-BY]", 1), "covers.regions:"},
		"no regimes":        {strings.Replace(good, "regimes: [gdpr]", "regimes: []", 1), "regimes:"},
		"supervises":        {strings.Replace(good, "[companies]", "[shops]", 1), "supervises:"},
		"kind":              {strings.Replace(good, "kind: complaint", "kind: plea", 1), "complaint.kind:"},
		"channel":           {strings.Replace(good, "channel: email", "channel: fax", 1), "complaint.channel:"},
		"channel no detail": {strings.Replace(good, "channel: email", "channel: webform", 1), "complaint.channel:"},
		"language":          {strings.Replace(good, "[fr]", "[French]", 1), "complaint.languages:"},
		"status":            {strings.Replace(good, "status: secondary\nsources", "status: sure\nsources", 1), "status:"},
		"no sources":        {strings.Replace(good, "sources:\n  - url: https://x.example\n    what: test\n", "sources: []\n", 1), "sources:"},
		"bad email":         {strings.Replace(good, "c@x.example", "c at x", 1), "email:"},
		"bad date":          {good + "competent_from:\n  date: soon\n  text: t\n  status: secondary\n  source: s\n", "competent_from.date:"},
		"bad commit":        {good + "dataset:\n  name: d\n  record: r\n  commit: abc\n  snapshot: 2026-07-21\n  license: CC0-1.0\n", "dataset.commit:"},
		"note status":       {good + "notes:\n  - text: t\n    source: s\n", "notes[0].status:"},
	}
	for name, c := range cases {
		_, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(c.data)}})
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "x.yaml") || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s: error %q does not name the file and %s", name, err, c.key)
		}
	}
}

func TestOverrideReplacesRecord(t *testing.T) {
	over := strings.Replace(strings.Replace(good, "id: x", "id: fr-cnil", 1), "c@x.example", "new@cnil.example", 1)
	d, err := Load(Embedded(), fstest.MapFS{"fr-cnil.yaml": {Data: []byte(over)}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.Get("fr-cnil")
	if err != nil || a.Email != "new@cnil.example" {
		t.Errorf("override not applied: %v %+v", err, a)
	}
}
