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
	"regexp"
	"slices"
	"sort"
	"strings"
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
	URL    string   `yaml:"url" json:"url"`
	Steps  []string `yaml:"steps,omitempty" json:"steps,omitempty"`
	Source string   `yaml:"source" json:"source"`
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
	OldParent   string       `yaml:"parent,omitempty" json:"-"`
	Web         string       `yaml:"web,omitempty" json:"web,omitempty"`
	Language    string       `yaml:"language" json:"language"`
	Privacy     Contact      `yaml:"privacy" json:"privacy"`
	Requires    []string     `yaml:"requires" json:"requires"`
	Identifiers []string     `yaml:"identifiers,omitempty" json:"identifiers,omitempty"`
	SelfService *SelfService `yaml:"self_service,omitempty" json:"self_service,omitempty"`
	Checklist   []string     `yaml:"checklist,omitempty" json:"checklist,omitempty"`
	Notes       []string     `yaml:"notes,omitempty" json:"notes,omitempty"`
	Sources     []Source     `yaml:"sources" json:"sources"`
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
var requirable = []string{"name", "email", "address", "phone", "account"}

// Directory is a loaded, validated set of records.
type Directory struct {
	byID map[string]*Company
	all  []*Company
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// Load reads every *.yaml of each fsys in order; later records replace
// earlier ones with the same id.
func Load(fsyss ...fs.FS) (*Directory, error) {
	all, byID, err := datafile.Load("company", (*Company).validate, fsyss...)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if c.GroupContact != "" && byID[c.GroupContact] == nil {
			return nil, fmt.Errorf("%s.yaml: group_contact %q is not in the directory", c.ID, c.GroupContact)
		}
	}
	return &Directory{all: all, byID: byID}, nil
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
	case !idPattern.MatchString(c.ID):
		return fmt.Errorf("id: %q must be lower case letters, digits, dots and dashes", c.ID)
	case c.Name == "" || c.LegalName == "":
		return fmt.Errorf("name and legal_name are required")
	case c.Privacy.Name == "":
		return fmt.Errorf("privacy.name is required")
	case c.Privacy.Email == "" && len(c.Privacy.Address) == 0:
		return fmt.Errorf("privacy: an email or an address is required")
	case len(c.Sources) == 0:
		return fmt.Errorf("sources: at least one is required")
	case c.Language == "":
		return fmt.Errorf("language is required")
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
	if c.Privacy.Email != "" && (!strings.Contains(c.Privacy.Email, "@") || strings.ContainsAny(c.Privacy.Email, " \r\n<>")) {
		return fmt.Errorf("privacy.email: %q is not an e-mail address", c.Privacy.Email)
	}
	for _, r := range c.Requires {
		if !slices.Contains(requirable, r) {
			return fmt.Errorf("requires: %q is not one of %s", r, strings.Join(requirable, ", "))
		}
	}
	for _, s := range c.Sources {
		if s.URL == "" || s.What == "" {
			return fmt.Errorf("sources: each needs url and what")
		}
	}
	if c.SelfService != nil && (c.SelfService.URL == "" || c.SelfService.Source == "") {
		return fmt.Errorf("self_service: url and source are required")
	}
	return nil
}

// All returns every record, sorted by id.
func (d *Directory) All() []*Company { return d.all }

// IDs returns the record ids, sorted.
func (d *Directory) IDs() []string {
	ids := make([]string, len(d.all))
	for i, c := range d.all {
		ids[i] = c.ID
	}
	return ids
}

// UnknownError: no record has this id or alias. Near is the id the typo
// (or part of a name) most likely meant, or "".
type UnknownError struct{ ID, Near string }

func (e *UnknownError) Error() string { return fmt.Sprintf("%q is not in the directory", e.ID) }

// Get returns the record with this id or alias, or an *UnknownError.
func (d *Directory) Get(id string) (*Company, error) {
	if c, ok := d.byID[strings.ToLower(strings.TrimSpace(id))]; ok {
		return c, nil
	}
	e := &UnknownError{ID: id}
	if near := d.Search(id); len(near) > 0 {
		e.Near = near[0].ID
	} else {
		keys := make([]string, 0, len(d.byID))
		for k := range d.byID {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if c, ok := d.byID[nearest.Word(id, keys)]; ok {
			e.Near = c.ID
		}
	}
	return nil, e
}

// Search returns the records whose id, alias, name or legal name contains
// text, case-insensitively.
func (d *Directory) Search(text string) []*Company {
	q := strings.ToLower(strings.TrimSpace(text))
	var out []*Company
	for _, c := range d.all {
		hay := strings.ToLower(strings.Join(append([]string{c.ID, c.Name, c.Service, c.LegalName, c.Web}, c.Aliases...), "\n"))
		if q != "" && strings.Contains(hay, q) {
			out = append(out, c)
		}
	}
	return out
}

// Filter returns the records in a category ("" for all).
func (d *Directory) Filter(category string) []*Company {
	if category == "" {
		return d.all
	}
	var out []*Company
	for _, c := range d.all {
		if slices.Contains(c.Categories, category) {
			out = append(out, c)
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
		p := d.byID[c.GroupContact]
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
