// Package requests decides which letters a run of erase writes: one
// letters.Request per company, or one to a recipient outside the
// directory, under the chosen law, of the chosen kind, each in the
// language it can be written in.
//
// It knows nothing of flags or terminals: the command checks its flags,
// fills in what the requester lacks (Missing says what), calls Make, and
// words the typed errors for the flags they came from.
package requests

import (
	"fmt"
	"strings"
	"time"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/profile"
	"github.com/erase-cli/erase/templates"
)

// Input is what a person asked for, already checked field by field.
type Input struct {
	Regime    *jurisdictions.Regime
	Requester *profile.Profile
	Date      time.Time
	Kind      string
	// Language is the language asked for; "" chooses one per letter: the
	// company's, else the requester's, else the law's, where erase has
	// every word of the letter in it, else English.
	Language string
	// Details are the requester's own words, by detail name.
	Details   map[string][]string
	Reference string
	// Contact is companies.ContactPrivacy or companies.ContactGroup.
	Contact   string
	Companies []*companies.Company
	// To is a recipient outside the directory, instead of Companies.
	To *letters.Party
}

// A Plan is the letters to compose, with what the requester should check.
type Plan struct {
	Requests []letters.Request
	// Uncertain are the recipients whose postal address the directory
	// only infers: a letter to post should be checked first.
	Uncertain []Uncertain
}

// Uncertain is a recipient whose postal address is not read in a source.
type Uncertain struct {
	Company string // the directory id
	Contact companies.Contact
}

func (u Uncertain) String() string {
	return fmt.Sprintf("the postal address of %s is %s, not read in a source: check it before you post the letter (erase companies show %s)",
		u.Contact.Name, u.Contact.AddressStatus, u.Company)
}

// Make plans the letters of in. The companies come from dir; an unknown
// contact, or a group contact a company lacks, is a *companies.ContactError.
func Make(in Input, dir *companies.Directory) (*Plan, error) {
	base := letters.Request{
		Kind: in.Kind, Language: in.Language, Date: in.Date, Reference: in.Reference,
		Regime: in.Regime, Accounts: in.Requester.Accounts, Details: in.Details,
		Requester: in.Requester.Party(),
	}
	p := &Plan{}
	if in.To != nil {
		req := base
		req.Recipient, req.Service = *in.To, in.To.Name
		req.Prefer = []string{in.Requester.Language, in.Regime.Language}
		p.Requests = append(p.Requests, req)
		return p, nil
	}
	for _, c := range in.Companies {
		contact, group, err := dir.Recipient(c, in.Contact)
		if err != nil {
			return nil, err
		}
		req := base
		req.Recipient = letters.Party{Name: contact.Name, Email: contact.Email, Address: contact.Address}
		if len(contact.Address) > 0 && !contact.AddressCertain() {
			p.Uncertain = append(p.Uncertain, Uncertain{Company: c.ID, Contact: contact})
		}
		req.Service, req.CompanyID = c.ServiceName(), c.ID
		if group != nil {
			req.GroupName = group.GroupName()
		}
		req.Prefer = []string{c.Language, in.Requester.Language, in.Regime.Language}
		p.Requests = append(p.Requests, req)
	}
	return p, nil
}

// Need is a requester field the letters need and the requester lacks:
// name and e-mail for every letter, and what a company requires (Company
// names it; nil for name and e-mail).
type Need struct {
	Field   string // name, email, address, phone, account
	Company *companies.Company
}

// Missing lists what who lacks for letters to cs, in order, each field once.
func Missing(who *profile.Profile, cs []*companies.Company) []Need {
	var out []Need
	seen := map[string]bool{}
	add := func(field string, c *companies.Company) {
		if !seen[field] && !Has(who, field) {
			seen[field] = true
			out = append(out, Need{Field: field, Company: c})
		}
	}
	add("name", nil)
	add("email", nil)
	for _, c := range cs {
		for _, f := range c.Requires {
			add(f, c)
		}
	}
	return out
}

// Has reports whether who has the field (name, email, address, phone,
// account).
func Has(who *profile.Profile, field string) bool {
	switch field {
	case "name":
		return who.Name != ""
	case "email":
		return who.Email != ""
	case "address":
		return len(who.Address) > 0
	case "phone":
		return who.Phone != ""
	case "account":
		return len(who.Accounts) > 0
	}
	return true
}

// Details parses NAME=TEXT pairs into details, refusing one that is not
// such a pair (a *DetailSyntaxError).
func Details(pairs []string) (map[string][]string, error) {
	details := map[string][]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, &DetailSyntaxError{Pair: kv}
		}
		details[k] = append(details[k], v)
	}
	return details, nil
}

// DetailSyntaxError is a detail that is not NAME=TEXT.
type DetailSyntaxError struct{ Pair string }

func (e *DetailSyntaxError) Error() string { return fmt.Sprintf("%q is not NAME=TEXT", e.Pair) }

// CheckKind refuses a kind erase does not know (*templates.UnknownKindError)
// or the law does not grant (*jurisdictions.NotGrantedError), and details
// the kind does not take or lacks (*letters.DetailError), before anything
// is composed.
func CheckKind(set *templates.Set, r *jurisdictions.Regime, kind string, details map[string][]string) error {
	k, err := set.Kind(kind)
	if err != nil {
		return err
	}
	if _, err := r.Right(k.ID); err != nil {
		return err
	}
	return letters.CheckDetails(letters.Request{Kind: k.ID, Details: details}, k)
}
