// Package requests decides which letters a run of erase writes: one
// letters.Request per company, or one to a recipient outside the
// directory, under the chosen law, of the chosen kind, each in the
// language it can be written in.
//
// It knows nothing of flags or terminals: the command checks its flags,
// fills in what the requester lacks (Missing says what), calls Make, and
// words the typed errors for the flags they came from. Make also says how
// each letter reaches its company (Route: e-mail, post or a web form) and
// which companies are known to ask for an identity document.
package requests

import (
	"fmt"
	"slices"
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
	// GiveBirthdate gives the requester's date of birth to an ad-hoc
	// recipient (To); a company in the directory gets it only where its
	// record requires it.
	GiveBirthdate bool
}

// A Plan is the letters to compose, with what the requester should check.
type Plan struct {
	Requests []letters.Request
	// Routes say how each of Requests reaches its recipient, index by index.
	Routes []Route
	// Uncertain are the recipients whose postal address the directory
	// only infers: a letter to post should be checked first.
	Uncertain []Uncertain
	// IDDocuments are the companies known to ask for a copy of an
	// identity document, each once.
	IDDocuments []IDDocument
}

// Channel is how a letter reaches its recipient.
type Channel string

// The channels: e-mail; post, for a recipient without an e-mail address;
// a web form, for a company whose only channel, or the one it asks
// requests to come by, is one.
const (
	ByEmail   Channel = "email"
	ByPost    Channel = "post"
	ByWebform Channel = "webform"
)

// Route is how one letter reaches its recipient.
type Route struct {
	Channel Channel
	// Webform is the form to paste the letter into (ByWebform), or the
	// form a company without an e-mail address also takes requests by
	// (ByPost); "" otherwise.
	Webform string
	// Company is the directory record the letter is about where it has a
	// checklist of things to do first; nil otherwise (a batch of thousands
	// then holds no records once planned).
	Company *companies.Company
}

// route is how a letter to contact reaches it: by the web form where it
// is the only channel or the one the record asks for (medium webform),
// else by e-mail where there is an address, else by post.
func route(contact companies.Contact, medium string) Route {
	switch {
	case contact.Webform != "" && (medium == "webform" || contact.Email == "" && len(contact.Address) == 0):
		return Route{Channel: ByWebform, Webform: contact.Webform}
	case contact.Email != "":
		return Route{Channel: ByEmail}
	}
	return Route{Channel: ByPost, Webform: contact.Webform}
}

// IDDocument is a company known to ask for a copy of an identity
// document, with what the letter's law says about checking identity.
type IDDocument struct {
	Company *companies.Company
	// Verification is the law's rule on checking identity for the kind
	// of request; nil where the regime states none with certainty.
	Verification *jurisdictions.Ground
}

// String is the note for the requester: no copy of an ID without
// reasonable doubts, and the provision that governs identity checks.
func (d IDDocument) String() string {
	s := fmt.Sprintf("%s is known to ask for a copy of an identity document: do not send one unless it has reasonable doubts about who you are", d.Company.Name)
	if v := d.Verification; v != nil {
		s += fmt.Sprintf(" (%s governs what it may ask to confirm your identity)", v.Provision)
	}
	return s
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
		if in.GiveBirthdate {
			req.Requester.Birthdate = in.Requester.Birthdate
		}
		p.Requests = append(p.Requests, req)
		p.Routes = append(p.Routes, route(companies.Contact{Email: in.To.Email, Address: in.To.Address}, ""))
		return p, nil
	}
	verification := verificationOf(in.Regime, in.Kind)
	p.Requests = make([]letters.Request, 0, len(in.Companies))
	p.Routes = make([]Route, 0, len(in.Companies))
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
		medium := c.Medium
		if group != nil {
			req.GroupName = group.GroupName()
			medium = group.Medium
		}
		rt := route(contact, medium)
		if len(c.Checklist) > 0 {
			rt.Company = c
		}
		if rt.Channel == ByWebform {
			req.Recipient.Webform = rt.Webform
		}
		if slices.Contains(c.Requires, "birthdate") {
			req.Requester.Birthdate = in.Requester.Birthdate
		}
		for _, a := range c.RequiredAccounts {
			if req.AccountLabels == nil {
				req.AccountLabels = map[string]string{}
			}
			req.AccountLabels[a.Key] = a.Label
		}
		req.Prefer = []string{c.Language, in.Requester.Language, in.Regime.Language}
		p.Requests = append(p.Requests, req)
		p.Routes = append(p.Routes, rt)
		if c.NeedsIDDocument && !slices.ContainsFunc(p.IDDocuments, func(d IDDocument) bool { return d.Company.ID == c.ID }) {
			p.IDDocuments = append(p.IDDocuments, IDDocument{Company: c, Verification: verification})
		}
	}
	return p, nil
}

// verificationOf is what the regime says, with certainty, about checking
// identity for a kind of request; nil where it says nothing.
func verificationOf(r *jurisdictions.Regime, kind string) *jurisdictions.Ground {
	rt, err := r.Right(kind)
	if err != nil || rt.Verification == nil || !rt.Verification.Status.Certain() {
		return nil
	}
	return rt.Verification
}

// Need is a requester field the letters need and the requester lacks:
// name and e-mail for every letter, and what a company requires (Company
// names it; nil for name and e-mail).
type Need struct {
	Field string // name, email, address, phone, account, birthdate
	// Account is the account detail a company requires in its own words
	// (a customer number), for Field account; nil where any account
	// identifier will do.
	Account *companies.AccountField
	Company *companies.Company
}

// Met reports whether who now has what n asks for.
func (n Need) Met(who *profile.Profile) bool {
	if n.Account != nil {
		return who.HasAccount(n.Account.Key)
	}
	return Has(who, n.Field)
}

// Missing lists what who lacks for letters to cs, in order, each field
// and each account key once.
func Missing(who *profile.Profile, cs []*companies.Company) []Need {
	var out []Need
	seen := map[string]bool{}
	add := func(n Need) {
		key := n.Field
		if n.Account != nil {
			key += ":" + strings.ToLower(n.Account.Key)
		}
		if !seen[key] && !n.Met(who) {
			seen[key] = true
			out = append(out, n)
		}
	}
	add(Need{Field: "name"})
	add(Need{Field: "email"})
	for _, c := range cs {
		for _, f := range c.Requires {
			add(Need{Field: f, Company: c})
		}
		for i := range c.RequiredAccounts {
			add(Need{Field: "account", Account: &c.RequiredAccounts[i], Company: c})
		}
	}
	return out
}

// Has reports whether who has the field (name, email, address, phone,
// account, birthdate).
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
	case "birthdate":
		return who.Birthdate != ""
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
