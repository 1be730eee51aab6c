package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

// KindErasure is the default kind of letter; the others are data
// (templates/kinds.yaml, the regimes' requests, the templates).
const KindErasure = jurisdictions.KindErasure

// Request is everything a letter is composed from.
type Request struct {
	Kind string
	// Language is the letter's language, as asked for (--lang): a letter
	// erase cannot write in it is an error. Where it is empty, the letter
	// is in the first of Prefer (the company's, the requester's, the
	// law's language) that erase has every word of the letter in, else
	// in English.
	Language  string
	Prefer    []string
	Date      time.Time
	Reference string // optional; derived from the inputs when empty
	Regime    *jurisdictions.Regime
	Requester Party
	Accounts  []Account
	// AccountLabels are the recipient's own labels for account keys
	// ("kundennummer": "Kundennummer"), used where the letter's language
	// has no word for a key.
	AccountLabels map[string]string
	// Details are what the requester writes themselves, by detail name
	// (templates/kinds.yaml): the corrections of a rectification.
	Details map[string][]string
	// Recipient is the addressee: the company's privacy contact, its
	// group's, or an ad-hoc recipient.
	Recipient Party
	// Service is the service the letter is about (AliExpress).
	Service string
	// CompanyID is the directory id, used in the reference ("" if ad hoc).
	CompanyID string
	// GroupName names the group when the letter goes to the group's
	// privacy contact ("Alibaba Group"); "" otherwise.
	GroupName string
	// Original is the request a follow-up letter (a reminder, a
	// complaint: a kind with follows) is about; nil for a request.
	Original *Original
	// Respondent is the company a complaint is about, when the letter
	// goes to an authority.
	Respondent *Party
}

// Original is the earlier request a follow-up letter is about, as the
// ledger recorded it.
type Original struct {
	Reference, Kind string
	// Contact is the e-mail address it went to; MessageID its Message-ID.
	Contact, MessageID string
	Sent               time.Time
	// Due is the date the answer was due (the extended date where the
	// company extended the period); zero where the law sets none, and
	// Requested is then the date the letter asked for, which is no legal
	// period.
	Due, Requested time.Time
	Extended       bool
	// Status is the ledger's last mark: sent, extended, answered,
	// partial, refused; Note what the person wrote with it.
	Status, Note string
	// Reminders are the days reminders about it were sent.
	Reminders []time.Time
}

// Data is what a template sees. Every field is a plain, checked string
// or list; empty strings mean "the law has no such rule" and the template
// leaves the sentence out.
type Data struct {
	Kind, Reference, Date string
	// Opening and Closing are the salutation and close of the letter's
	// language, as letters under its law write them.
	Opening, Closing   string
	Service, Recipient string
	Group              bool
	Requester          struct{ Name, Email, Address string }
	// Accounts are the labelled details that identify the requester
	// besides name and e-mail: the date of birth first, where the letter
	// gives it, then the account identifiers in the order given.
	Accounts []struct{ Label, Value string }
	// Details are what the requester wrote, by detail name; a detail not
	// given is an empty list.
	Details map[string][]string
	Law     LawData
	// Original is the earlier request of a follow-up letter, its dates
	// written out; Respondent the company a complaint is about.
	Original   OriginalData
	Respondent struct{ Name, Email, Address string }
	// ReplyDays is the reply period a follow-up asks for (Requested is
	// its date).
	ReplyDays int

	Due, DueWords, DueProvision string
	// DueScope is the part of the request the legal period covers, where
	// it covers only a part; the letter asks for the rest by the same date.
	DueScope string
	// DueHolidays is whose public holidays may move Due further ("where
	// you are"); "" where erase knows every day that moves it.
	DueHolidays string
	// Extension says the law lets the company extend the period if it
	// says so, with its reasons, within it (GDPR Art. 12(3); CCPA and the
	// state laws: 45 more days with notice within the first 45).
	Extension bool
	// Requested is the reply date the letter asks for where the law sets
	// no period; Timing is the law's own standard, where the data states
	// one with enough certainty ("" otherwise: the letter only asks).
	Requested, RequestedWords, Timing string
	ConfirmBy, ConfirmWords           string
	ConfirmProvision                  string
	Authority, AuthorityProvision     string
}

// OriginalData is the earlier request as a follow-up letter states it.
type OriginalData struct {
	Reference, Kind, KindName, Contact, MessageID string
	Sent, Due, Requested                          string
	Extended, Overdue                             bool
	Status, Note                                  string
	Reminders                                     []string
}

// LawData is the regime as a letter states it, in the letter's language:
// only facts whose status is settled or secondary reach it.
type LawData struct {
	ID, Family, ShortName, Name, Citation, Provision string
	Person, Organisation, Data, Scope                string
	// Right is false where the law grants no such right as such and the
	// letter relies on what it does give.
	Right                              bool
	Grounds                            []templates.Cited
	Recipients, Verification, Free     string
	Refusal, Representative, Procedure string
	// Pending is set before the law's provisions are in force: the
	// paragraph said instead of "I make this request under ...".
	Pending string
}

// Compose checks the request and renders the letter's texts from the
// template set. It never returns a letter with an empty required field or
// a leftover placeholder.
func Compose(req Request, tmpls *templates.Set) (*Letter, error) {
	if req.Kind == "" {
		req.Kind = KindErasure
	}
	if err := checkRequest(&req); err != nil {
		return nil, err
	}
	if req.Language == "" {
		req.Language = PickLanguage(req, tmpls)
	}
	r := req.Regime
	kind, err := tmpls.Kind(req.Kind)
	if err != nil {
		return nil, err
	}
	lawKind, err := lawKindOf(req, kind)
	if err != nil {
		return nil, err
	}
	rt, err := r.Right(lawKind)
	if err != nil {
		return nil, err
	}
	if err := checkProcedure(req, rt); err != nil {
		return nil, err
	}
	if err := CheckDetails(req, kind); err != nil {
		return nil, err
	}
	words, err := tmpls.Words(req.Language)
	if err != nil {
		return nil, err
	}
	law := english(r, rt)
	if req.Language != "en" {
		if law, err = translate(law, req.Language, r.ID, lawKind, tmpls); err != nil {
			return nil, err
		}
	}
	l := &Letter{
		Kind:      req.Kind,
		Language:  req.Language,
		Date:      civilDate(req.Date),
		Law:       LawRef{ID: r.ID, Name: r.Name, Citation: rt.Provision},
		Sender:    req.Requester,
		Recipient: req.Recipient,
		Service:   req.Service,
		Accounts:  req.Accounts,
		Paper:     r.Paper,
		Reference: req.Reference,
		Words:     words.For(r.Paper),
	}
	if l.Reference == "" {
		l.Reference = Reference(req)
	}
	due := rt.DueFrom(l.Date)
	if kind.Follows {
		// A follow-up has no legal period of its own: it asks for a reply
		// within its kind's days.
		due = jurisdictions.Due{}
		if kind.ReplyDays > 0 {
			t := l.Date.AddDate(0, 0, kind.ReplyDays)
			due.Requested = &t
		}
	}
	l.Due, l.Requested, l.DueReason = due.Date, due.Requested, due.Reason
	if l.Due != nil {
		l.DueRule = rt.Deadline.Words + " (" + rt.Deadline.Provision + ")"
		l.DueScope = certainLetter(rt.DueScope)
		if due.NextWorkingDay {
			l.DueHolidays = due.HolidaysWhere
		}
	}
	if !InForce(r, l.Date) {
		from, _ := time.Parse(time.DateOnly, r.InForce.Date)
		l.InForceFrom = &from
	}
	if !kind.Follows {
		l.ConfirmBy = rt.ConfirmBy(l.Date)
	} else {
		l.About = req.Original.Reference
		if kind.To == templates.ToCompany {
			l.InReplyTo = strings.Trim(req.Original.MessageID, "<>")
		}
	}

	t, err := tmpls.Find(req.Language, req.Kind, r.Family)
	if err != nil {
		return nil, badinput.Errorf("%v", err).
			Hint("a template LANG/KIND-FAMILY.tmpl (or LANG/KIND.tmpl) in the templates directory of your config directory adds one")
	}
	if l.Sender.Birthdate != "" && strings.TrimSpace(l.Words.Labels.Birthdate) == "" {
		return nil, fmt.Errorf("%s/words.yaml has no labels.birthdate: a letter that gives the date of birth needs the word for it", req.Language)
	}
	data := templateData(l, req, law, kind)
	if len(data.Law.Grounds) == 0 && len(law.Grounds) > 0 && data.Law.Pending == "" {
		n := law.needs[0]
		return nil, &DetailError{Detail: n, Missing: true, Help: kind.Details[n].Help,
			Msg: fmt.Sprintf("%s letter under %s needs the detail %q", WithArticle(kind.ID), r.ShortName, n)}
	}
	if err := checkData(data); err != nil {
		return nil, err
	}
	parts := map[string]*string{"subject": &l.Subject, "opening": &l.Opening, "closing": &l.Closing}
	for name, dst := range parts {
		s, err := execute(t, name, data)
		if err != nil {
			return nil, err
		}
		*dst = strings.Join(strings.Fields(s), " ")
	}
	body, err := execute(t, "body", data)
	if err != nil {
		return nil, err
	}
	l.Body = parseBlocks(body)
	return l, l.check()
}

func execute(t *template.Template, name string, data *Data) (string, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return b.String(), nil
}

func templateData(l *Letter, req Request, law *lawText, kind *templates.Kind) *Data {
	r := req.Regime
	d := &Data{
		Kind: l.Kind, Reference: l.Reference, Date: l.FormatDate(l.Date),
		Opening: l.Words.Opening, Closing: l.Words.Closing,
		Service: l.Service, Recipient: req.GroupName, Group: req.GroupName != "",
		Details: map[string][]string{},
	}
	for name := range kind.Details {
		d.Details[name] = req.Details[name] // nil where not given: the template tests it
	}
	d.Requester.Name = l.Sender.Name
	d.Requester.Email = l.Sender.Email
	d.Requester.Address = strings.Join(l.Sender.Address, ", ")
	if b := l.Sender.Birthdate; b != "" {
		t, _ := time.Parse(time.DateOnly, b) // CheckParty parsed it
		d.Accounts = append(d.Accounts, struct{ Label, Value string }{l.Words.Labels.Birthdate, l.FormatDate(t)})
	}
	for _, a := range l.Accounts {
		d.Accounts = append(d.Accounts, struct{ Label, Value string }{accountLabel(&l.Words, a.Key, req.AccountLabels), a.Value})
	}
	text := func(c *templates.Cited) string {
		if c == nil {
			return ""
		}
		return c.Letter
	}
	w := law.RightWords
	d.Law = LawData{
		ID: r.ID, Family: r.Family, ShortName: law.ShortName, Name: law.Name, Citation: law.Citation,
		Provision: w.Provision, Person: law.Person, Organisation: law.Organisation,
		Data: law.Data, Scope: w.Scope,
		Right:      law.AsSuch,
		Recipients: text(w.Recipients), Verification: text(w.Verification),
		Free: text(w.Free), Refusal: text(w.Refusal),
		Representative: text(w.Representative), Procedure: text(w.Procedure),
	}
	for i, g := range w.Grounds {
		if n := law.needs[i]; n != "" && len(req.Details[n]) == 0 {
			continue // a ground resting on a detail the requester did not give
		}
		d.Law.Grounds = append(d.Law.Grounds, g)
	}
	if kind.Follows {
		followUp(d, l, req, law, kind)
	} else if l.Due != nil && w.Deadline != nil {
		d.Due = l.FormatDate(*l.Due)
		d.DueWords, d.DueProvision = w.Deadline.Words, w.Deadline.Provision
		d.DueScope = text(w.DueScope)
		if l.DueHolidays != "" {
			d.DueHolidays = w.Deadline.HolidaysWhere
		}
		d.Extension = w.Extension != nil
	} else if l.Requested != nil && w.Requested != nil {
		d.Requested = l.FormatDate(*l.Requested)
		d.RequestedWords = w.Requested.Words
		d.Timing = text(w.Timing)
	}
	if l.ConfirmBy != nil && w.Confirmation != nil {
		d.ConfirmBy = l.FormatDate(*l.ConfirmBy)
		d.ConfirmWords, d.ConfirmProvision = w.Confirmation.Words, w.Confirmation.Provision
	}
	d.Authority, d.AuthorityProvision = law.Authority, law.AuthorityProvision
	if !InForce(r, l.Date) && w.BeforeInForce != nil {
		// Nothing is owed yet: the letter asks, says no one must, and
		// offers no complaint.
		d.Law.Pending, d.Law.Grounds = w.BeforeInForce.Letter, w.BeforeInForce.Grounds
		d.Law.Refusal, d.Law.Representative, d.Timing = "", "", ""
		d.DueScope, d.DueHolidays, d.Extension = "", "", false
		d.Authority, d.AuthorityProvision = "", ""
		if d.Due != "" {
			d.Requested, d.RequestedWords = d.Due, d.DueWords
			d.Due, d.DueWords, d.DueProvision = "", "", ""
		}
	}
	return d
}

// accountLabel is the letter's language's word for an account key, else
// the recipient's own label for it, else the key written as words.
func accountLabel(w *templates.Words, key string, own map[string]string) string {
	if _, ok := w.Accounts[strings.ToLower(key)]; !ok && own[key] != "" {
		return own[key]
	}
	return w.AccountLabel(key)
}

// lawKindOf is the kind whose law a letter states: its own, or for a
// follow-up the original request's.
func lawKindOf(req Request, kind *templates.Kind) (string, error) {
	if !kind.Follows {
		if req.Original != nil {
			return "", badinput.Errorf("%s letter is a request of its own, not about an earlier one: leave out --request", WithArticle(kind.ID))
		}
		return kind.ID, nil
	}
	if req.Original == nil {
		return "", badinput.Errorf("%s letter is about an earlier request: pass --request REF", WithArticle(kind.ID)).
			Hint("erase status lists the references of your requests")
	}
	if req.Original.Kind == "" {
		return KindErasure, nil
	}
	return req.Original.Kind, nil
}

// followUp fills what a reminder or a complaint says of the original
// request: its dates, its law's period, what happened since.
func followUp(d *Data, l *Letter, req Request, law *lawText, kind *templates.Kind) {
	o := req.Original
	okind := o.Kind
	if okind == "" {
		okind = KindErasure
	}
	d.Original = OriginalData{
		Reference: o.Reference, Kind: okind, KindName: l.Words.Kinds[okind], Contact: o.Contact, MessageID: o.MessageID,
		Sent: l.FormatDate(o.Sent), Extended: o.Extended, Status: o.Status, Note: o.Note,
	}
	if by := o.Due; !by.IsZero() || !o.Requested.IsZero() {
		if by.IsZero() {
			by = o.Requested
		}
		d.Original.Overdue = civilDate(l.Date).After(civilDate(by))
	}
	if !o.Requested.IsZero() {
		d.Original.Requested = l.FormatDate(o.Requested)
	}
	if d.Original.KindName == "" {
		d.Original.KindName = okind
	}
	if !o.Due.IsZero() {
		d.Original.Due = l.FormatDate(o.Due)
		if w := law.Deadline; w != nil {
			d.DueWords, d.DueProvision = w.Words, w.Provision
		}
	}
	for _, t := range o.Reminders {
		d.Original.Reminders = append(d.Original.Reminders, l.FormatDate(t))
	}
	if p := req.Respondent; p != nil {
		d.Respondent.Name, d.Respondent.Email = p.Name, p.Email
		d.Respondent.Address = strings.Join(p.Address, ", ")
	}
	d.ReplyDays = kind.ReplyDays
	if l.Requested != nil {
		d.Requested = l.FormatDate(*l.Requested)
	}
}

// PickLanguage returns the first of req.Prefer in which erase can write
// the letter, else English.
func PickLanguage(req Request, tmpls *templates.Set) string {
	for _, lang := range req.Prefer {
		if lang != "" && lang != "en" && CheckLanguage(lang, req, tmpls) == nil {
			return lang
		}
		if lang == "en" {
			break
		}
	}
	return "en"
}

// CheckLanguage reports whether erase has every word of the letter req
// asks for in lang: the language's words, a template for the kind, and,
// but for English, the law's sentences (a *MissingWordsError if not).
func CheckLanguage(lang string, req Request, tmpls *templates.Set) error {
	if _, err := tmpls.Words(lang); err != nil {
		return err
	}
	kind := req.Kind
	if kind == "" {
		kind = KindErasure
	}
	r := req.Regime
	if _, err := tmpls.Find(lang, kind, r.Family); err != nil {
		return err
	}
	k, err := tmpls.Kind(kind)
	if err != nil {
		return err
	}
	if k.Follows && req.Original != nil && req.Original.Kind != "" {
		kind = req.Original.Kind
	} else if k.Follows {
		kind = KindErasure
	}
	rt, err := r.Right(kind)
	if err != nil {
		return err
	}
	if lang == "en" {
		return nil
	}
	_, err = translate(english(r, rt), lang, r.ID, kind, tmpls)
	return err
}

// InForce reports whether the provisions a letter under r relies on are
// in force on day; a regime without an in-force date always is.
func InForce(r *jurisdictions.Regime, day time.Time) bool {
	if r.InForce == nil {
		return true
	}
	from, err := time.Parse(time.DateOnly, r.InForce.Date)
	if err != nil { // validate refuses it; a bad date keeps the letter's words careful
		return false
	}
	return !civilDate(day).Before(from)
}

func certainLetter(g *jurisdictions.Ground) string {
	if g == nil || !g.Status.Certain() {
		return ""
	}
	return g.Letter
}

// parseBlocks splits a rendered body into paragraphs and lists: blocks are
// separated by blank lines; lines starting with "- " are list items, and a
// paragraph's lines are joined with single spaces.
func parseBlocks(s string) []Block {
	var blocks []Block
	for _, chunk := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		var para []string
		var items []string
		for _, line := range strings.Split(chunk, "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "":
			case strings.HasPrefix(line, "- "):
				items = append(items, strings.TrimSpace(line[2:]))
			case len(items) > 0:
				items[len(items)-1] += " " + line
			default:
				para = append(para, line)
			}
		}
		if text := strings.Join(strings.Fields(strings.Join(para, " ")), " "); text != "" {
			blocks = append(blocks, Block{Text: text})
		}
		if len(items) > 0 {
			if len(blocks) > 0 && blocks[len(blocks)-1].Items == nil && len(para) > 0 {
				blocks[len(blocks)-1].Items = items
			} else {
				blocks = append(blocks, Block{Items: items})
			}
		}
	}
	return blocks
}

// Reference derives a stable reference from the inputs, so a fixed --date
// gives the same reference every time, while two companies or two people
// get different ones: ERASE-20261127-K3F9QX.
func Reference(req Request) string {
	h := sha256.New()
	for _, s := range []string{req.Kind, req.Regime.ID, req.CompanyID, req.Recipient.Email, req.Requester.Email, req.Requester.Name, req.Service} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if req.Original != nil { // two reminders of one day, about two requests
		h.Write([]byte(req.Original.Reference))
	}
	sum := base32.StdEncoding.EncodeToString(h.Sum(nil))
	return "ERASE-" + req.Date.Format("20060102") + "-" + sum[:6]
}

func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checkRequest refuses input that must not reach a letter.
func checkRequest(req *Request) error {
	if req.Regime == nil {
		return badinput.Errorf("no law chosen: pass --law or --country")
	}
	if req.Date.IsZero() {
		return badinput.Errorf("no date given")
	}
	if req.Service == "" {
		return badinput.Errorf("no company given: pass --company ID, or --to-name with --to-email or --to-address").
			Hint("erase companies list shows the directory")
	}
	if err := CheckParty("requester", req.Requester, true); err != nil {
		return err
	}
	if err := CheckParty("recipient", req.Recipient, false); err != nil {
		return err
	}
	if req.Recipient.Email == "" && len(req.Recipient.Address) == 0 && req.Recipient.Webform == "" {
		return badinput.Errorf("the recipient has neither an e-mail nor a postal address").
			Hint("pass --to-email or --to-address")
	}
	// The company's and its group's names come from the directory (or a
	// user's override record), not from a flag; they reach the body as
	// they are, where a newline would start a paragraph or a list item.
	for _, f := range [][2]string{{"the company name", req.Service}, {"the group name", req.GroupName}} {
		if err := CheckText(f[0], f[1]); err != nil {
			if b, ok := badinput.As(err); ok {
				b.Hint("fix the name in the company's record (companies/ID.yaml in your config directory overrides the directory's)")
			}
			return err
		}
	}
	if o := req.Original; o != nil {
		// The ledger is a file a person may edit: what it says reaches the
		// letter only as plain text.
		for _, f := range [][2]string{{"reference", o.Reference}, {"contact", o.Contact}, {"message id", o.MessageID}, {"note", o.Note}} {
			if err := CheckText("the request's "+f[0]+" in the ledger", f[1]); err != nil {
				return err
			}
		}
	}
	for _, a := range req.Accounts {
		if err := CheckText("--account key", a.Key); err != nil {
			return err
		}
		if err := CheckText("--account "+a.Key, a.Value); err != nil {
			return err
		}
	}
	return nil
}

// checkProcedure refuses a request that lacks a field the law's procedure
// for this kind requires (KVKK's Communiqué: the postal address).
func checkProcedure(req Request, rt *jurisdictions.Right) error {
	p := rt.Procedure
	if p == nil {
		return nil
	}
	for _, f := range p.Requires {
		if (f == "address" && len(req.Requester.Address) == 0) || (f == "phone" && req.Requester.Phone == "") {
			field := map[string]string{"address": "postal address", "phone": "phone number"}[f]
			return badinput.Errorf("a %s request must give your %s (%s): pass --%s", req.Regime.ShortName, field, p.Provision, f).
				Hint("or save it in your profile: erase profile init")
		}
	}
	return nil
}

// CheckDetails refuses a detail the kind does not take, a required one
// missing, and text that must not reach a letter.
func CheckDetails(req Request, kind *templates.Kind) error {
	for name, vs := range req.Details {
		if _, ok := kind.Details[name]; !ok {
			have := make([]string, 0, len(kind.Details))
			for n := range kind.Details {
				have = append(have, n)
			}
			sort.Strings(have)
			if len(have) == 0 {
				return &DetailError{Detail: name, Msg: fmt.Sprintf("%s letter takes no details", WithArticle(kind.ID))}
			}
			return &DetailError{Detail: name, Msg: fmt.Sprintf("%s letter takes no detail %q (it takes: %s)", WithArticle(kind.ID), name, strings.Join(have, ", "))}
		}
		for _, v := range vs {
			if err := CheckText("--detail "+name, v); err != nil {
				return err
			}
			if strings.TrimSpace(v) == "" {
				return &DetailError{Detail: name, Msg: fmt.Sprintf("the detail %q is empty", name)}
			}
		}
	}
	names := make([]string, 0, len(kind.Details))
	for n := range kind.Details {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if kind.Details[n].Required && len(req.Details[n]) == 0 {
			return &DetailError{Detail: n, Missing: true, Help: kind.Details[n].Help,
				Msg: fmt.Sprintf("%s letter needs the detail %q", WithArticle(kind.ID), n)}
		}
	}
	return nil
}

// WithArticle puts "a" or "an" before a kind: "an erasure", "a rectification".
func WithArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// DetailError is a detail of the request that is wrong or missing; the
// command turns it into the flag that gives it.
type DetailError struct {
	Detail, Msg string
	Missing     bool
	// Help says what the detail is, from kinds.yaml.
	Help string
}

func (e *DetailError) Error() string { return e.Msg }

// CheckParty checks a party's fields; the requester needs a name and an
// e-mail address.
func CheckParty(who string, p Party, requester bool) error {
	flag := func(f string) string {
		if requester {
			return "--" + f
		}
		return "--to-" + f
	}
	if p.Name == "" {
		return badinput.Errorf("the %s's name is missing: pass %s", who, flag("name"))
	}
	if err := CheckText(flag("name"), p.Name); err != nil {
		return err
	}
	if requester && p.Email == "" {
		return badinput.Errorf("the %s's e-mail address is missing: pass %s", who, flag("email"))
	}
	if p.Email != "" {
		if err := CheckEmail(flag("email"), p.Email); err != nil {
			return err
		}
	}
	for _, line := range p.Address {
		if err := CheckText(flag("address"), line); err != nil {
			return err
		}
	}
	if p.Webform != "" && requester {
		return fmt.Errorf("the %s has a web form: only a recipient has one", who)
	}
	if p.Birthdate != "" {
		if !requester {
			return fmt.Errorf("the %s has a date of birth: only the requester's is given", who)
		}
		if _, err := time.Parse(time.DateOnly, p.Birthdate); err != nil {
			return badinput.Errorf("your date of birth %q is not a date: write it as YYYY-MM-DD", p.Birthdate).Hint("e.g. --birthdate 1990-05-01")
		}
	}
	return CheckText(flag("phone"), p.Phone)
}

// MaxFieldLength is the most characters one field of a letter may have
// (a name, an address line, an account value): far beyond any real one,
// and within what an e-mail header can carry (mail's limit for a display
// name is the same).
const MaxFieldLength = 256

// CheckText refuses text that is not UTF-8 or is longer than
// MaxFieldLength, control characters (newlines included), and text that
// looks like a template placeholder: each would corrupt a letter or a
// mail header.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return badinput.Errorf("%s is not valid UTF-8: write it as UTF-8 text", field).
			Hint("a file in another encoding converts with iconv -f LATIN1 -t UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxFieldLength {
		return badinput.Errorf("%s is %d characters long: want at most %d", field, n, MaxFieldLength)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return badinput.Errorf("%s contains a control character (%U): use one line of plain text", field, r)
		}
	}
	if strings.Contains(s, "{{") || strings.Contains(s, "}}") {
		return badinput.Errorf("%s contains \"{{\" or \"}}\", which a letter must not carry", field)
	}
	return nil
}

// CheckEmail accepts a bare address such as jane@example.com.
func CheckEmail(field, s string) error {
	if err := CheckText(field, s); err != nil {
		return err
	}
	if !validEmail(s) {
		return badinput.Errorf("%s %q is not an e-mail address", field, s).Hint("write it as name@example.com")
	}
	return nil
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(s, " <>(),;:\"[]\\") || strings.Count(s, "@") != 1 {
		return false
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	return true
}

// checkData is the gate before the templates run: every value a template
// states must be there. It checks the data, not the rendered text, so what
// a requester typed ("jdoe()", even "<no value>") reaches the letter as is;
// a key the template names but Data lacks is an error of its own, since the
// templates run with missingkey=error.
func checkData(d *Data) error {
	var empty []string
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			empty = append(empty, name)
		}
	}
	need("kind", d.Kind)
	need("reference", d.Reference)
	need("date", d.Date)
	need("service", d.Service)
	need("requester name", d.Requester.Name)
	need("requester e-mail", d.Requester.Email)
	if d.Group {
		need("group name", d.Recipient)
	}
	for i, a := range d.Accounts {
		need(fmt.Sprintf("account %d label", i+1), a.Label)
		need(fmt.Sprintf("account %d value", i+1), a.Value)
	}
	law := d.Law
	need("law id", law.ID)
	need("law name", law.Name)
	need("law short name", law.ShortName)
	need("law provision", law.Provision)
	need("law terms.person", law.Person)
	need("law terms.organisation", law.Organisation)
	if len(law.Grounds) == 0 {
		empty = append(empty, "law grounds")
	}
	for i, g := range law.Grounds {
		need(fmt.Sprintf("law grounds[%d].letter", i), g.Letter)
		need(fmt.Sprintf("law grounds[%d].provision", i), g.Provision)
	}
	switch {
	case d.Original.Reference != "": // a follow-up: the original's period, if any, is stated as past
	case d.Due != "":
		need("deadline words", d.DueWords)
		need("deadline provision", d.DueProvision)
	case d.Requested != "":
		need("requested period words", d.RequestedWords)
	default:
		empty = append(empty, "reply date (neither a due date nor a requested one)")
	}
	if d.ConfirmBy != "" {
		need("confirmation words", d.ConfirmWords)
		need("confirmation provision", d.ConfirmProvision)
	}
	if len(empty) > 0 {
		return fmt.Errorf("the %s letter under %s lacks its %s: the law's data or the request is incomplete", d.Kind, law.ID, strings.Join(empty, ", "))
	}
	return nil
}

// check is the last gate: no required part of the letter came out empty.
func (l *Letter) check() error {
	fields := map[string]string{"subject": l.Subject, "opening": l.Opening, "closing": l.Closing, "reference": l.Reference}
	for name, v := range fields {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("the %s of the letter came out empty: the template for %s/%s is incomplete", name, l.Language, l.Kind)
		}
	}
	if len(l.Body) == 0 {
		return fmt.Errorf("the body of the letter came out empty")
	}
	return nil
}
