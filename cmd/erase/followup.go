package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/followup"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/requests"
	"github.com/erase-cli/erase/templates"
)

// planFollowUp plans the one letter of --kind reminder|complaint
// --request REF: its law, company and contact are the request's, from the
// ledger; a complaint goes to the authority competent where the requester
// lives, or --authority.
func (e *env) planFollowUp(p *plan) error {
	o := p.opts
	kind, err := e.templateSet().Kind(o.kind)
	if err != nil {
		return kindError(err, o.kind)
	}
	switch {
	case !kind.Follows:
		return badinput.Errorf("--request goes with a letter about an earlier request: --kind reminder or --kind complaint, not %s", o.kind)
	case o.request == "":
		return badinput.Errorf("--kind %s needs --request REF: the request it is about", o.kind).Hint("erase status lists your requests")
	case o.authority != "" && kind.To != templates.ToAuthority:
		return badinput.Errorf("--authority goes with --kind complaint, not %s", o.kind)
	case o.law != "":
		return badinput.Errorf("--law: a %s is under the law of the request it is about; leave out --law", o.kind)
	case len(o.companies) > 0 || o.companiesFile != "" || len(o.packs) > 0 || o.toName != "" || o.toEmail != "" || len(o.toAddress) > 0:
		return badinput.Errorf("a %s goes to %s; leave out --company, --pack and --to-*", o.kind,
			map[string]string{templates.ToCompany: "the contact the request went to", templates.ToAuthority: "the authority"}[kind.To])
	}
	led, err := e.ledger()
	if err != nil {
		return err
	}
	rec, err := led.Get(o.request)
	if errors.Is(err, ledger.ErrNotFound) {
		return badinput.Errorf("--request %s: no such request in the ledger", o.request).Hint("erase status lists the references")
	}
	if _, bad := badinput.As(err); bad {
		return badinput.Errorf("--request %v", err).Hint("erase status lists the references")
	}
	if err != nil {
		return err
	}
	all, err := led.List(e.now())
	if err != nil {
		return err
	}
	laws, err := e.lawSet()
	if err != nil {
		return err
	}
	if p.regime, err = laws.Get(rec.Regime); err != nil {
		return fmt.Errorf("request %s: %w", rec.Reference, err)
	}
	if !o.force {
		check := followup.CheckReminder
		if kind.To == templates.ToAuthority {
			check = followup.CheckComplaint
		}
		if err := check(rec, all, p.date); err != nil {
			return badinput.Errorf("%v", err).Hint("--force writes it anyway")
		}
	}
	if p.details, err = requests.Details(o.details); err == nil {
		err = letters.CheckDetails(letters.Request{Kind: kind.ID, Details: p.details}, kind)
	}
	if err != nil {
		return kindError(err, o.kind)
	}
	if err := e.ensureRequester(p.who, nil); err != nil {
		return err
	}
	req := letters.Request{
		Kind: kind.ID, Language: o.lang, Date: p.date, Reference: o.reference, Regime: p.regime,
		Requester: p.who.Party(), Accounts: p.who.Accounts, Details: p.details,
		Original: followup.Original(rec, all),
	}
	var company *companies.Company
	if rec.Company != "" && rec.Company != rec.Contact {
		dir, err := e.companyDir()
		if err != nil {
			return err
		}
		if company, err = dir.Get(rec.Company); err != nil {
			return unknownCompany(err, "")
		}
		req.Service, req.CompanyID = company.ServiceName(), company.ID
	} else {
		req.Service = rec.Contact
	}
	switch kind.To {
	case templates.ToCompany:
		req.Recipient = letters.Party{Name: req.Service, Email: rec.Contact}
		if company != nil {
			c := company.Privacy
			if c.Email != rec.Contact && company.GroupContact != "" { // it went to the group's contact
				dir, _ := e.companyDir()
				if g, _ := dir.Get(company.GroupContact); g != nil {
					c = g.Privacy
					req.GroupName = g.GroupName()
				}
			}
			req.Recipient = letters.Party{Name: c.Name, Email: rec.Contact, Address: c.Address}
		}
		req.Prefer = []string{langOf(company), p.who.Language, p.regime.Language}
	case templates.ToAuthority:
		a, err := e.pickAuthority(o, p, rec)
		if err != nil {
			return err
		}
		req.Recipient = letters.Party{Name: a.Name, Email: a.ComplaintEmail(), Address: a.Address}
		if req.Recipient.Email == "" && len(req.Recipient.Address) == 0 {
			req.Recipient.Address = []string{a.Web}
		}
		req.Respondent = &letters.Party{Name: req.Service, Email: rec.Contact}
		if company != nil {
			if company.LegalName != "" {
				req.Respondent.Name = company.LegalName
			}
			addr := company.Privacy.Address
			if len(addr) > 0 && strings.EqualFold(addr[0], "c/o "+req.Respondent.Name) {
				addr = addr[1:] // the company's own name, care of itself
			}
			req.Respondent.Address = addr
		}
		req.Prefer = append(append([]string{}, a.Complaint.Languages...), p.who.Language)
		p.authority = a
	}
	if o.lang != "" {
		if err := letters.CheckLanguage(o.lang, req, e.templateSet()); err != nil {
			return kindError(err, o.kind)
		}
	}
	p.requests = []letters.Request{req}
	return nil
}

func langOf(c *companies.Company) string {
	if c == nil {
		return ""
	}
	return c.Language
}

// pickAuthority is --authority, else the first authority competent under
// the request's law for where the requester lives (--country and
// --region, else the profile's).
func (e *env) pickAuthority(o *letterOptions, p *plan, rec ledger.Record) (*authorities.Authority, error) {
	dir, err := e.authorityDir()
	if err != nil {
		return nil, err
	}
	if o.authority != "" {
		a, err := dir.Get(o.authority)
		var u *authorities.UnknownError
		if errors.As(err, &u) {
			return nil, wordUnknown("--authority", u, u.Near, "erase authorities list shows every authority")
		}
		return a, err
	}
	country, region := o.country, o.region
	if country == "" && region == "" {
		country, region = p.who.Country, p.who.Region
	} else if country == "" && !strings.Contains(region, "-") {
		country = p.who.Country // --region BE: a region of the profile's country
	}
	if country == "" && region == "" {
		return nil, badinput.Errorf("a complaint goes to the authority where you live: pass --country (and --region), or --authority ID").
			Hint("erase authorities list --law %s --country CODE shows the ones competent for you", rec.Regime)
	}
	found, err := dir.For(rec.Regime, country, region)
	if err != nil {
		return nil, noAuthority(err)
	}
	for _, a := range found {
		if a.Competent(p.date) {
			return a, nil
		}
	}
	return nil, badinput.Errorf("no authority takes %s complaints from %s yet on %s", rec.Regime, strings.ToUpper(country+" "+region), p.date.Format("2006-01-02"))
}
