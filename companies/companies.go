// Package companies is the directory of privacy contacts: one YAML record
// per company with its legal name, privacy e-mail and postal address, the
// record of its group's privacy contact, the details it needs to identify a
// requester, its self-service deletion link and checklist, sources and the
// date of the dataset snapshot its facts come from.
//
// Records are embedded and overridable from a directory; a new company is
// a new file here, never Go code.
package companies

import (
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/internal/nearest"
)

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the records built into the binary.
func Embedded() fs.FS { return embedded }

// Contact is where requests go.
type Contact struct {
	Name    string   `yaml:"name" json:"name"`
	Email   string   `yaml:"email,omitempty" json:"email,omitempty"`
	Address []string `yaml:"address,omitempty" json:"address,omitempty"`
	// AddressStatus is how the address is known, in the statuses the
	// regimes use: "" (read in the record's sources), or inferred or
	// unconfirmed, which `erase companies show` warns about.
	AddressStatus string `yaml:"address_status,omitempty" json:"address_status,omitempty"`
	Webform       string `yaml:"webform,omitempty" json:"webform,omitempty"`
	Phone         string `yaml:"phone,omitempty" json:"phone,omitempty"`
	Fax           string `yaml:"fax,omitempty" json:"fax,omitempty"`
}

// Address statuses a contact may carry.
var addressStatuses = []string{"", "settled", "secondary", "inferred", "unconfirmed"}

// AddressCertain reports whether the address was read in a source rather
// than inferred or left unconfirmed.
func (c Contact) AddressCertain() bool {
	return c.AddressStatus == "" || c.AddressStatus == "settled" || c.AddressStatus == "secondary"
}

// SelfService is the company's own way to delete an account.
type SelfService struct {
	URL string `yaml:"url" json:"url"`
	// Difficulty is JustDeleteMe's rating: easy, medium, hard, limited or
	// impossible; "" where the record's own steps say how.
	Difficulty string `yaml:"difficulty,omitempty" json:"difficulty,omitempty"`
	// Email is where the company takes deletion requests by e-mail, when
	// that is its self-service way.
	Email   string   `yaml:"email,omitempty" json:"email,omitempty"`
	Domains []string `yaml:"domains,omitempty" json:"domains,omitempty"`
	Steps   []string `yaml:"steps,omitempty" json:"steps,omitempty"`
	Source  string   `yaml:"source" json:"source"`
}

// Difficulties JustDeleteMe rates deletion with.
var difficulties = []string{"", "easy", "medium", "hard", "limited", "impossible"}

// NoLetterNeeded reports whether the account can be deleted by the person
// without a letter: a self-service way rated easy or medium.
func (s *SelfService) NoLetterNeeded() bool {
	return s != nil && (s.Difficulty == "easy" || s.Difficulty == "medium")
}

// AccountField is an account detail a company requires to find the
// person: --account KEY=VALUE, with Label in the company's words.
type AccountField struct {
	Key   string `yaml:"key" json:"key"`
	Label string `yaml:"label" json:"label"`
	// Long is true where the company asks for a text (a description)
	// rather than one value.
	Long bool `yaml:"long,omitempty" json:"long,omitempty"`
}

// Source is where a record's facts were read.
type Source struct {
	URL  string `yaml:"url" json:"url"`
	What string `yaml:"what" json:"what"`
}

// Company is one record.
type Company struct {
	ID string `yaml:"id" json:"id"`
	// Name is what the record is: "AliExpress", or "Alibaba.com Singapore
	// E-Commerce Private Limited, Alibaba Group's privacy contact".
	Name string `yaml:"name" json:"name"`
	// Service is the service a letter written to this record names
	// ("Alibaba.com"); Name where empty.
	Service string `yaml:"service,omitempty" json:"service,omitempty"`
	// Group is the group whose privacy contact this record is ("Alibaba
	// Group"), for letters sent to it with --contact group.
	Group        string   `yaml:"group,omitempty" json:"group,omitempty"`
	LegalName    string   `yaml:"legal_name" json:"legal_name"`
	Registration string   `yaml:"registration,omitempty" json:"registration,omitempty"`
	Aliases      []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Categories   []string `yaml:"categories" json:"categories"`
	// GroupContact is the id of the record of the privacy contact of the
	// group the company belongs to (--contact group). It claims no parent
	// company: for AliExpress it is the same legal entity.
	GroupContact string `yaml:"group_contact,omitempty" json:"group_contact,omitempty"`
	// OldParent is group_contact's old name, still read in override files.
	OldParent string  `yaml:"parent,omitempty" json:"-"`
	Web       string  `yaml:"web,omitempty" json:"web,omitempty"`
	Language  string  `yaml:"language,omitempty" json:"language,omitempty"`
	Privacy   Contact `yaml:"privacy" json:"privacy"`
	// Runs are the services and companies this controller is
	// responsible for ("BahnCard", "DB Navigator").
	Runs []string `yaml:"runs,omitempty" json:"runs,omitempty"`
	// Countries the record is for (ISO 3166-1 alpha-2, upper case); empty
	// is every country.
	Countries []string `yaml:"countries,omitempty" json:"countries,omitempty"`
	// Medium is how the company suggests requests reach it: email,
	// letter, fax or webform; "" for email where there is an address.
	Medium   string   `yaml:"medium,omitempty" json:"medium,omitempty"`
	Requires []string `yaml:"requires" json:"requires"`
	// RequiredAccounts are account details the company requires besides
	// the requires fields (a customer number).
	RequiredAccounts []AccountField `yaml:"required_accounts,omitempty" json:"required_accounts,omitempty"`
	// NeedsIDDocument is true where the company is known to ask for a
	// copy of an identity document.
	NeedsIDDocument bool         `yaml:"needs_id_document,omitempty" json:"needs_id_document,omitempty"`
	Identifiers     []string     `yaml:"identifiers,omitempty" json:"identifiers,omitempty"`
	SelfService     *SelfService `yaml:"self_service,omitempty" json:"self_service,omitempty"`
	Checklist       []string     `yaml:"checklist,omitempty" json:"checklist,omitempty"`
	Notes           []string     `yaml:"notes,omitempty" json:"notes,omitempty"`
	Sources         []Source     `yaml:"sources" json:"sources"`
	// Quality is how the dataset the record comes from rates it: verified
	// (by the company or from its own documents), tested (a request got an
	// answer) or scraped; "" for a record checked by hand for erase.
	Quality string `yaml:"quality,omitempty" json:"quality,omitempty"`
	// Snapshot is the date of the dataset snapshot the record's facts were
	// taken from (YYYY-MM-DD). Nobody checked the live contact that day.
	Snapshot string `yaml:"snapshot" json:"snapshot"`
	// OldChecked is snapshot's old name, still read in override files.
	OldChecked string `yaml:"checked,omitempty" json:"-"`
}

// ServiceName is the service a letter written to this record names.
func (c *Company) ServiceName() string {
	if c.Service != "" {
		return c.Service
	}
	return c.Name
}

// GroupName is the group a letter to this record, as a group's privacy
// contact, names ("Alibaba Group").
func (c *Company) GroupName() string {
	if c.Group != "" {
		return c.Group
	}
	return c.Name
}

// Requester fields a company may require.
var requirable = []string{"name", "email", "address", "phone", "account", "birthdate"}

// Media a company may suggest.
var media = []string{"", "email", "letter", "fax", "webform"}

// Qualities a dataset may give a record.
var qualities = []string{"", "verified", "tested", "scraped"}

// Writable reports whether a letter can be addressed to the company: it
// has a privacy contact, not only a self-service link.
func (c *Company) Writable() bool {
	return c.Privacy.Email != "" || len(c.Privacy.Address) > 0 || c.Privacy.Webform != ""
}

// Domains returns the company's web host (without www.) and the domains
// of its self-service entry, each once.
func (c *Company) Domains() []string {
	var out []string
	if h := hostOf(c.Web); h != "" {
		out = append(out, h)
	}
	if c.SelfService != nil {
		for _, d := range c.SelfService.Domains {
			if d = strings.ToLower(d); !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// hostOf is the host of a web address, lower case, without "www.".
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// The patterns are compiled when a record is first checked, not when erase
// starts: a command that never reads a YAML record (erase laws list) does
// not pay for them.
var (
	idPattern      = lazyRegexp(`^[a-z0-9][a-z0-9.-]*$`)
	langPattern    = lazyRegexp(`^[a-z]{2,3}(-[A-Z]{2})?$`)
	countryPattern = lazyRegexp(`^[A-Z]{2}$`)
	keyPattern     = lazyRegexp(`^[a-z0-9][a-z0-9-]{0,39}$`)
)

func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Keys returns the company's id and aliases.
func (c *Company) Keys() []string { return append([]string{c.ID}, c.Aliases...) }

func (c *Company) validate() error {
	// Override files written for an older erase use the old key names.
	if c.OldChecked != "" {
		if c.Snapshot != "" {
			return fmt.Errorf("checked and snapshot: give only snapshot, the dataset snapshot date (checked is its old name)")
		}
		c.Snapshot, c.OldChecked = c.OldChecked, ""
	}
	if c.OldParent != "" {
		if c.GroupContact != "" {
			return fmt.Errorf("parent and group_contact: give only group_contact (parent is its old name)")
		}
		c.GroupContact, c.OldParent = c.OldParent, ""
	}
	switch {
	case !idPattern().MatchString(c.ID):
		return fmt.Errorf("id: %q must be lower case letters, digits, dots and dashes", c.ID)
	case c.Name == "":
		return fmt.Errorf("name is required")
	case c.Writable() && c.LegalName == "":
		return fmt.Errorf("legal_name is required")
	case c.Writable() && c.Privacy.Name == "":
		return fmt.Errorf("privacy.name is required")
	case !c.Writable() && c.SelfService == nil:
		return fmt.Errorf("privacy: an email, an address or a webform is required (or self_service, for a company that takes no letters)")
	case len(c.Sources) == 0:
		return fmt.Errorf("sources: at least one is required")
	case c.Language != "" && !langPattern().MatchString(c.Language):
		return fmt.Errorf("language: %q is not a language code such as en, de or pt-BR", c.Language)
	}
	lines := map[string][]string{"name": {c.Name}, "legal_name": {c.LegalName}, "service": {c.Service}, "group": {c.Group},
		"privacy.name": {c.Privacy.Name}, "aliases": c.Aliases, "runs": c.Runs}
	for _, field := range []string{"name", "legal_name", "service", "group", "privacy.name", "aliases", "runs"} {
		for _, t := range lines[field] {
			if strings.ContainsAny(t, "\t\r\n") {
				return fmt.Errorf("%s: %q has a line break or a tab: give one line of plain text", field, t)
			}
		}
	}
	if _, err := time.Parse("2006-01-02", c.Snapshot); err != nil {
		return fmt.Errorf("snapshot: %q is not a date (YYYY-MM-DD): the date of the dataset snapshot the facts come from", c.Snapshot)
	}
	if !slices.Contains(addressStatuses, c.Privacy.AddressStatus) {
		return fmt.Errorf("privacy.address_status: %q is not one of settled, secondary, inferred, unconfirmed", c.Privacy.AddressStatus)
	}
	if c.Privacy.AddressStatus != "" && len(c.Privacy.Address) == 0 {
		return fmt.Errorf("privacy.address_status: there is no address")
	}
	if err := checkEmail("privacy.email", c.Privacy.Email); err != nil {
		return err
	}
	for _, u := range []struct{ field, url string }{{"web", c.Web}, {"privacy.webform", c.Privacy.Webform}} {
		if err := checkURL(u.field, u.url); err != nil {
			return err
		}
	}
	for _, r := range c.Requires {
		if !slices.Contains(requirable, r) {
			return fmt.Errorf("requires: %q is not one of %s", r, strings.Join(requirable, ", "))
		}
	}
	for _, a := range c.RequiredAccounts {
		if !keyPattern().MatchString(a.Key) || a.Label == "" {
			return fmt.Errorf("required_accounts: %q needs a key of lower case letters, digits and dashes, and a label", a.Key)
		}
	}
	for _, k := range c.Countries {
		if !countryPattern().MatchString(k) {
			return fmt.Errorf("countries: %q is not an ISO 3166-1 code such as DE", k)
		}
	}
	switch {
	case !slices.Contains(media, c.Medium):
		return fmt.Errorf("medium: %q is not one of email, letter, fax, webform", c.Medium)
	case c.Medium == "webform" && c.Privacy.Webform == "":
		return fmt.Errorf("medium: webform, but privacy.webform is empty")
	case !slices.Contains(qualities, c.Quality):
		return fmt.Errorf("quality: %q is not one of verified, tested, scraped", c.Quality)
	}
	for _, s := range c.Sources {
		if s.URL == "" || s.What == "" {
			return fmt.Errorf("sources: each needs url and what")
		}
	}
	if s := c.SelfService; s != nil {
		switch {
		case s.URL == "" || s.Source == "":
			return fmt.Errorf("self_service: url and source are required")
		case !slices.Contains(difficulties, s.Difficulty):
			return fmt.Errorf("self_service.difficulty: %q is not one of easy, medium, hard, limited, impossible", s.Difficulty)
		}
		if err := checkURL("self_service.url", s.URL); err != nil {
			return err
		}
		if err := checkEmail("self_service.email", s.Email); err != nil {
			return err
		}
	}
	return nil
}

func checkEmail(field, v string) error {
	if v == "" {
		return nil
	}
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(v, " \t\r\n<>,;") {
		return fmt.Errorf("%s: %q is not an e-mail address", field, v)
	}
	return nil
}

func checkURL(field, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(v, " \t\r\n") {
		return fmt.Errorf("%s: %q is not a web address (https://...)", field, v)
	}
	return nil
}

// Directory is the set of records erase knows: a bundled or imported index
// of the dataset's records, decoded one by one as they are used, and the
// YAML records (the hand-checked ones and a user's overrides), which
// replace index records with the same id.
type Directory struct {
	index *Index
	own   map[string]*Company // YAML records by id
	keys  map[string]*Company // YAML records by id and alias
	ids   []string            // every id, sorted; built on first use

	mu    sync.Mutex
	exact map[string][]string // lower-case id, alias or domain -> ids
}

// Load reads every *.yaml of each fsys in order but packs.yaml (the
// company packs: LoadPacks); later records replace earlier ones with the
// same id. It holds no index: Open adds one.
func Load(fsyss ...fs.FS) (*Directory, error) { return Open(nil, fsyss...) }

// Open is the directory of the index idx (nil for none) and the YAML
// records of fsyss, which take precedence over it.
func Open(idx *Index, fsyss ...fs.FS) (*Directory, error) {
	all, byID, err := datafile.Load("company", (*Company).validate, withoutPacks(fsyss)...)
	if err != nil {
		return nil, err
	}
	d := &Directory{index: idx, own: map[string]*Company{}, keys: byID}
	for _, c := range all {
		d.own[c.ID] = c
	}
	for _, c := range all {
		if c.GroupContact != "" && !d.has(c.GroupContact) {
			return nil, fmt.Errorf("%s.yaml: group_contact %q is not in the directory", c.ID, c.GroupContact)
		}
	}
	return d, nil
}

func (d *Directory) has(id string) bool {
	if _, ok := d.own[id]; ok {
		return true
	}
	if d.index == nil {
		return false
	}
	_, ok := d.index.find(id)
	return ok
}

// IDs returns the record ids, sorted.
func (d *Directory) IDs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		var ids []string
		if d.index != nil {
			ids = make([]string, 0, d.index.Len()+len(d.own))
			for en := range d.index.entries() {
				if _, ok := d.own[en.id]; !ok {
					ids = append(ids, en.id)
				}
			}
		}
		for id := range d.own {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		d.ids = ids
	}
	return d.ids
}

// Len is the number of records.
func (d *Directory) Len() int { return len(d.IDs()) }

// All returns every record, sorted by id. With an index it decodes every
// record: use Entries to list, Get for one.
func (d *Directory) All() []*Company {
	ids := d.IDs()
	out := make([]*Company, 0, len(ids))
	for _, id := range ids {
		if c, err := d.byID(id); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// byID returns the record with exactly this id. An index record is
// decoded afresh each time (a few microseconds) and not kept: a batch to
// thousands of companies holds only those it is working on.
func (d *Directory) byID(id string) (*Company, error) {
	if c, ok := d.own[id]; ok {
		return c, nil
	}
	if d.index == nil {
		return nil, &UnknownError{ID: id}
	}
	en, ok := d.index.find(id)
	if !ok {
		return nil, &UnknownError{ID: id}
	}
	return d.index.record(&en)
}

// UnknownError: no record has this id or alias. Near is the id the typo
// (or part of a name) most likely meant, or ""; Nearby is it and up to
// two more about as near, best first.
type UnknownError struct {
	ID, Near string
	Nearby   []string
}

func (e *UnknownError) Error() string { return fmt.Sprintf("%q is not in the directory", e.ID) }

// Get returns the record with this id, alias or web domain, or an
// *UnknownError naming the closest ids, as Find ranks them.
func (d *Directory) Get(id string) (*Company, error) {
	key := strings.ToLower(strings.TrimSpace(id))
	if c, ok := d.keys[key]; ok {
		return c, nil
	}
	if c, err := d.byID(key); err == nil {
		return c, nil
	} else if !isUnknown(err) {
		return nil, err
	}
	if ids := d.exactKeys()[key]; len(ids) == 1 {
		return d.byID(ids[0])
	}
	if o := obsolete(key); o != nil {
		e := &ObsoleteError{Record: o}
		if o.Current != "" {
			e.Current, _ = d.byID(o.Current)
		}
		return nil, e
	}
	e := &UnknownError{ID: id, Nearby: d.nearIDs(id)}
	if len(e.Nearby) == 0 {
		// A typo in the first letter, which Find does not forgive.
		if n := nearest.Word(key, d.IDs()); n != "" {
			e.Nearby = []string{n}
		}
	}
	if len(e.Nearby) > 0 {
		e.Near = e.Nearby[0]
	}
	return nil, e
}

func isUnknown(err error) bool {
	_, ok := err.(*UnknownError)
	return ok
}

// exactKeys maps each index record's aliases and domains to its ids.
func (d *Directory) exactKeys() map[string][]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.exact == nil {
		d.exact = map[string][]string{}
		if d.index != nil {
			for en := range d.index.entries() {
				for _, k := range en.exact() {
					d.exact[k] = append(d.exact[k], en.id)
				}
			}
		}
	}
	return d.exact
}

// Entry is what a listing shows of a record, read from the index without
// decoding the record.
type Entry struct {
	ID, Name, Email string
	Categories      []string
	Countries       []string
	// Writable is false for a company that takes no letters in the
	// directory, only a self-service link.
	Writable bool
	// Keys are the texts search matches: names, aliases, runs, domains.
	Keys []string
}

// Entries returns an entry for every record, sorted by id.
func (d *Directory) Entries() []Entry {
	var out []Entry
	if d.index != nil {
		out = make([]Entry, 0, d.index.Len()+len(d.own))
		for en := range d.index.entries() {
			if _, ok := d.own[en.id]; !ok {
				out = append(out, en.public())
			}
		}
	}
	for _, c := range d.own {
		out = append(out, entryOf(c))
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func entryOf(c *Company) Entry {
	return Entry{ID: c.ID, Name: c.Name, Email: c.Privacy.Email, Categories: c.Categories,
		Countries: c.Countries, Writable: c.Writable(), Keys: searchKeys(c)}
}

// searchKeys are the texts a search for c matches.
func searchKeys(c *Company) []string {
	keys := []string{c.Name}
	add := func(k string) {
		if k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	add(c.LegalName)
	add(c.Service)
	add(c.Privacy.Name)
	for _, k := range c.Aliases {
		add(k)
	}
	for _, k := range c.Runs {
		add(k)
	}
	for _, k := range c.Domains() {
		add(k)
	}
	return keys
}

// Search returns the records matching text, best first, as Find ranks
// them, decoded.
func (d *Directory) Search(text string) []*Company {
	var out []*Company
	for _, h := range d.Find(text, SearchOptions{}) {
		if c, err := d.byID(h.ID); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// Filter returns the records in a category ("" for all).
func (d *Directory) Filter(category string) []*Company {
	var out []*Company
	for _, en := range d.Entries() {
		if category == "" || slices.Contains(en.Categories, category) {
			if c, err := d.byID(en.ID); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// Contacts a letter can be addressed to.
const (
	ContactPrivacy = "privacy"
	ContactGroup   = "group"
)

// Recipient returns the contact a letter about c goes to: its own privacy
// contact, or with ContactGroup its group's. It also returns the group
// contact's record, nil for the privacy contact.
func (d *Directory) Recipient(c *Company, contact string) (Contact, *Company, error) {
	switch contact {
	case "", ContactPrivacy:
		return c.Privacy, nil, nil
	case ContactGroup:
		if c.GroupContact == "" {
			return Contact{}, nil, &ContactError{Contact: contact, Company: c.ServiceName(), NoGroup: true}
		}
		p, err := d.byID(c.GroupContact)
		if err != nil {
			return Contact{}, nil, err
		}
		return p.Privacy, p, nil
	default:
		return Contact{}, nil, &ContactError{Contact: contact}
	}
}

// ContactError is a contact Recipient cannot give: not privacy or group,
// or a group contact the company's record does not have (NoGroup).
type ContactError struct {
	Contact, Company string
	NoGroup          bool
}

func (e *ContactError) Error() string {
	if e.NoGroup {
		return fmt.Sprintf("%s has no group privacy contact in the directory", e.Company)
	}
	return fmt.Sprintf("%q is not privacy or group", e.Contact)
}
