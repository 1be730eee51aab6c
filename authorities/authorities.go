// Package authorities is the directory of supervisory authorities: one YAML
// record per authority with its names, the place and the regimes it is
// competent for, what kinds of controller it supervises, its address and
// contacts, how it takes complaints (web form, e-mail or post, in which
// languages, and whether it takes complaints at all or only reports), and
// the source and status of each fact.
//
// Records are embedded and overridable from a directory; a new authority is
// a new file here, never Go code. For picks the authorities a person can
// complain to about a company, from where they live.
package authorities

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/internal/nearest"
	"github.com/erase-cli/erase/jurisdictions"
)

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the records built into the binary.
func Embedded() fs.FS { return embedded }

// Status is how well a fact is established, as in the regimes: only settled
// and secondary facts may be stated as certain.
type Status = jurisdictions.Status

// Fact is a statement with its provision, status and source.
type Fact = jurisdictions.Fact

// Coverage is where an authority is competent for people who live there:
// ISO 3166-1 countries and ISO 3166-2 subdivisions (DE-BY, US-CA). A
// subdivision is more specific than a country.
type Coverage struct {
	Countries []string `yaml:"countries,omitempty" json:"countries,omitempty"`
	Regions   []string `yaml:"regions,omitempty" json:"regions,omitempty"`
}

// Kinds of controller an authority supervises.
const (
	// Companies: private bodies in general.
	Companies = "companies"
	// PublicBodies: public bodies of the authority's country or region.
	PublicBodies = "public-bodies"
	// FederalPublicBodies: a federation's own public bodies (the BfDI).
	FederalPublicBodies = "federal-public-bodies"
	// Telecoms and Postal: companies for their telecommunications or
	// postal services only (the BfDI).
	Telecoms = "telecoms"
	Postal   = "postal"
	// Church: a church's bodies, under the church's own rules (Art. 91 GDPR).
	Church = "church"
	// Broadcasting: public broadcasters.
	Broadcasting = "broadcasting"
)

var supervisable = []string{Companies, PublicBodies, FederalPublicBodies, Telecoms, Postal, Church, Broadcasting}

// companySectors are the kinds that cover some companies: an authority
// supervising one of them can take a complaint about a company.
var companySectors = []string{Companies, Telecoms, Postal}

// Complaint kinds.
const (
	// KindComplaint: the person has a right to complain and the authority
	// deals with the complaint (Art. 77 GDPR and its peers).
	KindComplaint = "complaint"
	// KindReport: the authority takes reports that may lead it to act of
	// its own motion, but the person is owed no decision (the FDPIC's
	// "Anzeige", Art. 49 FADP).
	KindReport = "report"
)

// Channels a complaint can be sent through.
const (
	ChannelWebform = "webform"
	ChannelEmail   = "email"
	ChannelPost    = "post"
	ChannelPhone   = "phone"
	// ChannelWeb: the authority's website says how; erase has not
	// confirmed a form or an address for complaints.
	ChannelWeb = "web"
)

var channels = []string{ChannelWebform, ChannelEmail, ChannelPost, ChannelPhone, ChannelWeb}

// Complaint is how the authority takes complaints.
type Complaint struct {
	// Kind is complaint or report.
	Kind string `yaml:"kind" json:"kind"`
	// Channel is the way erase uses: the one the authority asks for, where
	// its sources say so (the status says how well that is known).
	Channel string `yaml:"channel" json:"channel"`
	// Webform is the URL of the complaint form.
	Webform string `yaml:"webform,omitempty" json:"webform,omitempty"`
	// Email is where complaints go by e-mail, where it differs from the
	// authority's own e-mail.
	Email string `yaml:"email,omitempty" json:"email,omitempty"`
	// Languages are the languages a complaint may be written in (ISO
	// 639-1), the first preferred.
	Languages []string `yaml:"languages" json:"languages"`
	Fact      `yaml:",inline"`
}

// From dates the authority's competence, where it is still to come.
type From struct {
	Date string `yaml:"date" json:"date"`
	Fact `yaml:",inline"`
}

// PGP is the key for e-mail to the authority.
type PGP struct {
	Fingerprint string `yaml:"fingerprint" json:"fingerprint"`
	URL         string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Source is where a record's facts were read.
type Source struct {
	URL  string `yaml:"url" json:"url"`
	What string `yaml:"what" json:"what"`
}

// Dataset says which public dataset record the facts come from.
type Dataset struct {
	// Name is the dataset ("datenanfragen").
	Name string `yaml:"name" json:"name"`
	// Record is the record's id in the dataset (its slug).
	Record string `yaml:"record" json:"record"`
	// Commit is the dataset commit the facts were taken from.
	Commit string `yaml:"commit" json:"commit"`
	// Snapshot is that commit's date (YYYY-MM-DD). Nobody checked the
	// authority's own pages that day.
	Snapshot string `yaml:"snapshot" json:"snapshot"`
	License  string `yaml:"license" json:"license"`
}

// Authority is one record.
type Authority struct {
	ID      string   `yaml:"id" json:"id"`
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Name is the authority's name in its own language; NameEN in English
	// where known.
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en,omitempty" json:"name_en,omitempty"`
	// Country is where the authority sits (ISO 3166-1).
	Country string   `yaml:"country" json:"country"`
	Covers  Coverage `yaml:"covers" json:"covers"`
	// Regimes are the ids of the regimes it enforces (jurisdictions/).
	Regimes []string `yaml:"regimes" json:"regimes"`
	// Supervises are the kinds of controller it is competent for.
	Supervises []string `yaml:"supervises" json:"supervises"`
	// Order ranks authorities competent for the same place: lower first
	// (the CPPA, 0, before the California Attorney General, 1).
	Order     int       `yaml:"order,omitempty" json:"order,omitempty"`
	Address   []string  `yaml:"address,omitempty" json:"address,omitempty"`
	Email     string    `yaml:"email,omitempty" json:"email,omitempty"`
	Phone     string    `yaml:"phone,omitempty" json:"phone,omitempty"`
	Fax       string    `yaml:"fax,omitempty" json:"fax,omitempty"`
	Web       string    `yaml:"web,omitempty" json:"web,omitempty"`
	PGP       *PGP      `yaml:"pgp,omitempty" json:"pgp,omitempty"`
	Complaint Complaint `yaml:"complaint" json:"complaint"`
	From      *From     `yaml:"competent_from,omitempty" json:"competent_from,omitempty"`
	Notes     []Fact    `yaml:"notes,omitempty" json:"notes,omitempty"`
	// Status is how well the record's identity and contact details are
	// established as a whole.
	Status  Status   `yaml:"status" json:"status"`
	Sources []Source `yaml:"sources" json:"sources"`
	Dataset *Dataset `yaml:"dataset,omitempty" json:"dataset,omitempty"`
}

// Keys returns the authority's id and aliases.
func (a *Authority) Keys() []string { return append([]string{a.ID}, a.Aliases...) }

// Competent reports whether the authority is competent on day t: false
// before its competent_from date.
func (a *Authority) Competent(t time.Time) bool {
	if a.From == nil {
		return true
	}
	from, err := time.Parse(time.DateOnly, a.From.Date)
	return err != nil || !t.Before(from)
}

// ComplaintEmail is where the authority takes complaints by e-mail: its
// complaint address, else its general one.
func (a *Authority) ComplaintEmail() string {
	if a.Complaint.Email != "" {
		return a.Complaint.Email
	}
	return a.Email
}

// TakesCompanies reports whether the authority supervises some companies.
func (a *Authority) TakesCompanies() bool {
	for _, s := range a.Supervises {
		if slices.Contains(companySectors, s) {
			return true
		}
	}
	return false
}

// Directory is a loaded, validated set of records.
type Directory struct {
	byID map[string]*Authority
	all  []*Authority
}

// Load reads every *.yaml of each fsys in order; later records replace
// earlier ones with the same id.
func Load(fsyss ...fs.FS) (*Directory, error) {
	all, byID, err := datafile.Load("authority", (*Authority).validate, fsyss...)
	if err != nil {
		return nil, err
	}
	return &Directory{all: all, byID: byID}, nil
}

// All returns every record, sorted by id.
func (d *Directory) All() []*Authority { return d.all }

// IDs returns the record ids, sorted.
func (d *Directory) IDs() []string {
	ids := make([]string, len(d.all))
	for i, a := range d.all {
		ids[i] = a.ID
	}
	return ids
}

// UnknownError: no record has this id or alias. Near is the id the typo
// most likely meant, or "".
type UnknownError struct{ ID, Near string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("%q is not an authority in the directory", e.ID)
}

// Get returns the record with this id or alias, or an *UnknownError.
func (d *Directory) Get(id string) (*Authority, error) {
	if a, ok := d.byID[strings.ToLower(strings.TrimSpace(id))]; ok {
		return a, nil
	}
	keys := make([]string, 0, len(d.byID))
	for k := range d.byID {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e := &UnknownError{ID: id}
	if a, ok := d.byID[nearest.Word(id, keys)]; ok {
		e.Near = a.ID
	}
	return nil, e
}

// NoneError: the directory has no authority that takes complaints about
// companies under the regime from a person living at Country/Region.
// NeedRegion is set where the country's authorities are per subdivision and
// no region was given (Germany's states, the US states).
type NoneError struct {
	Regime, Country, Region string
	NeedRegion              bool
	// Regions lists the regions the country's authorities cover, where
	// they are per region and Region is empty or none of them (DE-ZZ).
	Regions []string
}

func (e *NoneError) Error() string {
	place := e.Country
	if e.Region != "" {
		place = e.Region
	}
	if e.NeedRegion {
		return fmt.Sprintf("the %s authorities of %s are per region: give the region (ISO 3166-2) to pick one", e.Regime, e.Country)
	}
	if len(e.Regions) > 0 && e.Region != "" {
		return fmt.Sprintf("no %s authority covers %s: the regions of %s with one are %s", e.Regime, e.Region, e.Country, strings.Join(e.Regions, ", "))
	}
	return fmt.Sprintf("no authority in the directory takes %s complaints from a person living in %s", e.Regime, place)
}

// For returns the authorities a person living in country (ISO 3166-1) and
// region (ISO 3166-2, "BY" or "DE-BY"; may be empty) can complain to about
// a company under the regime, most specific first: an authority of the
// region before one of the whole country, and among equals a general
// supervisor of companies before a sectoral one (the Bavarian BayLDA before
// the federal BfDI, which supervises companies only for telecoms and postal
// services), then by Order (the CPPA before the California Attorney
// General). Authorities of public bodies, churches and broadcasters only
// are left out: erase's letters go to companies. It returns a *NoneError
// when there is none.
func (d *Directory) For(regime, country, region string) ([]*Authority, error) {
	cc, sub := placeCodes(country, region)
	type ranked struct {
		a     *Authority
		level int
	}
	var found []ranked
	regional := false
	for _, a := range d.all {
		if !slices.Contains(a.Regimes, regime) || !a.TakesCompanies() {
			continue
		}
		for _, r := range a.Covers.Regions {
			if strings.HasPrefix(r, cc+"-") {
				regional = true
			}
		}
		level := 0
		switch {
		case sub != "" && slices.Contains(a.Covers.Regions, sub):
		case slices.Contains(a.Covers.Countries, cc):
			level = 2
		default:
			continue
		}
		if !slices.Contains(a.Supervises, Companies) {
			level++
		}
		found = append(found, ranked{a, level})
	}
	if regional && (sub == "" || !slices.ContainsFunc(found, func(f ranked) bool { return f.level <= 1 })) {
		// The country's authorities are per region: without a region, or
		// with one none of them covers (a typo, DE-ZZ, is not the federal
		// authority's business), say which regions there are.
		var regions []string
		for _, a := range d.all {
			if slices.Contains(a.Regimes, regime) && a.TakesCompanies() {
				for _, r := range a.Covers.Regions {
					if strings.HasPrefix(r, cc+"-") && !slices.Contains(regions, r) {
						regions = append(regions, r)
					}
				}
			}
		}
		sort.Strings(regions)
		return nil, &NoneError{Regime: regime, Country: cc, Region: sub, NeedRegion: sub == "", Regions: regions}
	}
	if len(found) == 0 {
		return nil, &NoneError{Regime: regime, Country: cc, Region: sub}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].level != found[j].level {
			return found[i].level < found[j].level
		}
		return found[i].a.Order < found[j].a.Order
	})
	out := make([]*Authority, len(found))
	for i, f := range found {
		out[i] = f.a
	}
	return out, nil
}

// placeCodes upper-cases a country and region and gives the region in its
// full ISO 3166-2 form; a full region alone gives the country.
func placeCodes(country, region string) (cc, sub string) {
	cc = strings.ToUpper(strings.TrimSpace(country))
	sub = strings.ToUpper(strings.TrimSpace(region))
	if sub == "" {
		return cc, ""
	}
	if prefix, _, ok := strings.Cut(sub, "-"); ok {
		if cc == "" {
			cc = prefix
		}
		return cc, sub
	}
	return cc, cc + "-" + sub
}

var (
	idPattern      = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	regionPattern  = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
	langPattern    = regexp.MustCompile(`^[a-z]{2}$`)
	commitPattern  = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// validate checks one record; its errors name the key.
func (a *Authority) validate() error {
	var errs []string
	bad := func(key, format string, args ...any) {
		errs = append(errs, key+": "+fmt.Sprintf(format, args...))
	}
	if !idPattern.MatchString(a.ID) {
		bad("id", "%q must be lower case letters, digits and dashes", a.ID)
	}
	for _, al := range a.Aliases {
		if !idPattern.MatchString(al) {
			bad("aliases", "%q must be lower case letters, digits and dashes", al)
		}
	}
	if a.Name == "" {
		bad("name", "is required: the authority's name in its own language")
	}
	if !countryPattern.MatchString(a.Country) {
		bad("country", "%q is not an ISO 3166-1 alpha-2 code (upper case)", a.Country)
	}
	if len(a.Covers.Countries)+len(a.Covers.Regions) == 0 {
		bad("covers", "names no country or region")
	}
	for _, c := range a.Covers.Countries {
		if !countryPattern.MatchString(c) {
			bad("covers.countries", "%q is not an ISO 3166-1 alpha-2 code (upper case)", c)
		}
	}
	for _, r := range a.Covers.Regions {
		if !regionPattern.MatchString(r) {
			bad("covers.regions", "%q is not an ISO 3166-2 code such as DE-BY", r)
		} else if !strings.HasPrefix(r, a.Country+"-") {
			bad("covers.regions", "%q is not in the authority's country %s", r, a.Country)
		}
	}
	if len(a.Regimes) == 0 {
		bad("regimes", "at least one regime id is required")
	}
	for _, r := range a.Regimes {
		if !idPattern.MatchString(r) {
			bad("regimes", "%q is not a regime id", r)
		}
	}
	if len(a.Supervises) == 0 {
		bad("supervises", "is required: one or more of %s", strings.Join(supervisable, ", "))
	}
	for _, s := range a.Supervises {
		if !slices.Contains(supervisable, s) {
			bad("supervises", "%q is not one of %s", s, strings.Join(supervisable, ", "))
		}
	}
	if a.Order < 0 {
		bad("order", "must not be negative")
	}
	checkEmail(bad, "email", a.Email)
	checkURL(bad, "web", a.Web)
	if a.PGP != nil {
		if a.PGP.Fingerprint == "" {
			bad("pgp.fingerprint", "is required")
		}
		checkURL(bad, "pgp.url", a.PGP.URL)
	}
	a.validateComplaint(bad)
	if f := a.From; f != nil {
		if _, err := time.Parse(time.DateOnly, f.Date); err != nil {
			bad("competent_from.date", "%q is not a date (YYYY-MM-DD)", f.Date)
		}
		checkFact(bad, "competent_from", f.Fact)
		if f.Text == "" {
			bad("competent_from.text", "is required: say what the authority cannot do before then")
		}
	}
	for i, n := range a.Notes {
		key := fmt.Sprintf("notes[%d]", i)
		checkFact(bad, key, n)
		if n.Text == "" {
			bad(key+".text", "is required")
		}
	}
	checkStatus(bad, "status", a.Status)
	if len(a.Sources) == 0 {
		bad("sources", "at least one is required")
	}
	for i, s := range a.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if s.URL == "" || s.What == "" {
			bad(key, "url and what are required")
		}
		checkURL(bad, key+".url", s.URL)
	}
	if ds := a.Dataset; ds != nil {
		if ds.Name == "" || ds.Record == "" || ds.License == "" {
			bad("dataset", "name, record and license are required")
		}
		if !commitPattern.MatchString(ds.Commit) {
			bad("dataset.commit", "%q is not a 40-digit commit hash", ds.Commit)
		}
		if _, err := time.Parse(time.DateOnly, ds.Snapshot); err != nil {
			bad("dataset.snapshot", "%q is not a date (YYYY-MM-DD)", ds.Snapshot)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (a *Authority) validateComplaint(bad func(key, format string, args ...any)) {
	c := a.Complaint
	if c.Kind != KindComplaint && c.Kind != KindReport {
		bad("complaint.kind", "%q is not complaint or report", c.Kind)
	}
	if !slices.Contains(channels, c.Channel) {
		bad("complaint.channel", "%q is not one of %s", c.Channel, strings.Join(channels, ", "))
	}
	have := map[string]bool{
		ChannelWebform: c.Webform != "",
		ChannelEmail:   c.Email != "" || a.Email != "",
		ChannelPost:    len(a.Address) > 0,
		ChannelPhone:   a.Phone != "",
		ChannelWeb:     a.Web != "",
	}
	what := map[string]string{ChannelWebform: "complaint.webform", ChannelEmail: "email or complaint.email",
		ChannelPost: "address", ChannelPhone: "phone", ChannelWeb: "web"}
	if slices.Contains(channels, c.Channel) && !have[c.Channel] {
		bad("complaint.channel", "is %s, but the record has no %s", c.Channel, what[c.Channel])
	}
	checkURL(bad, "complaint.webform", c.Webform)
	checkEmail(bad, "complaint.email", c.Email)
	if len(c.Languages) == 0 {
		bad("complaint.languages", "at least one ISO 639-1 code is required")
	}
	for _, l := range c.Languages {
		if !langPattern.MatchString(l) {
			bad("complaint.languages", "%q is not an ISO 639-1 code (lower case)", l)
		}
	}
	checkFact(bad, "complaint", c.Fact)
}

func checkFact(bad func(key, format string, args ...any), key string, f Fact) {
	checkStatus(bad, key+".status", f.Status)
	if f.Source == "" {
		bad(key+".source", "is required")
	}
}

func checkStatus(bad func(key, format string, args ...any), key string, s Status) {
	switch s {
	case jurisdictions.Settled, jurisdictions.Secondary, jurisdictions.Inferred, jurisdictions.Unconfirmed:
	case "":
		bad(key, "is required")
	default:
		bad(key, "%q is not settled, secondary, inferred or unconfirmed", s)
	}
}

func checkURL(bad func(key, format string, args ...any), key, u string) {
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		bad(key, "%q is not an http(s) URL", u)
	}
}

func checkEmail(bad func(key, format string, args ...any), key, e string) {
	if e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " \r\n<>")) {
		bad(key, "%q is not an e-mail address", e)
	}
}
