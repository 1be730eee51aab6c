// Package dispatch takes composed letters to the company and into the
// ledger, between the letters, mail and ledger packages: it turns a letter
// into its e-mail, decides whether a batch may be queued (one open request
// of a kind to a company at a time), and turns a delivered outbox entry
// into its ledger record with the law's due date.
//
//	m := dispatch.Message(l, pdf, dispatch.MessageOptions{From: "", CcSelf: true, Now: now})
//	meta := dispatch.Meta(req, l)                       // what the outbox keeps for the record
//	known, err := dispatch.Requests(led, queued, now) // the outbox first, then the ledger
//	dups := dispatch.Duplicates(known, reqs, ls, approved)
//	err = dispatch.Admit(known, reqs, ls, approved, force) // *Duplicate or *AlreadySent
//	opt.OnSentAll = dispatch.Recorder(led, laws)        // ledger.AddAll, due dates by each law
//
// It knows nothing of flags or exit codes: its errors are typed, and the
// command turns them into words and statuses.
package dispatch

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
)

// MessageOptions say how a letter goes as an e-mail.
type MessageOptions struct {
	// From sends from this address instead of the requester's own, which
	// stays the Reply-To.
	From string
	// CcSelf sends the requester a copy.
	CcSelf bool
	// Fixed derives the Date from the letter's date and the Message-ID
	// and MIME boundary from its reference, so the same inputs give the
	// same bytes (erase letter --format eml with a fixed --date).
	Fixed bool
	// Now is the Date of a message that is not Fixed.
	Now time.Time
	// Original is the message a follow-up is about, as it was sent (the
	// archived copy of the request): a reminder carries it attached, as
	// message/rfc822, in place of its own PDF.
	Original []byte
}

// Message is the e-mail of letter l: its text as the body and, when pdf
// is not nil, the PDF attached, named after the reference.
func Message(l *letters.Letter, pdf []byte, opt MessageOptions) mail.Message {
	var body bytes.Buffer
	letters.WriteBody(&body, l)
	m := Headers(l, opt)
	m.Text = body.String()
	switch {
	case opt.Original != nil:
		m.Attachment = opt.Original
		m.AttachmentName = letters.FileSafe(l.About) + ".eml"
		m.AttachmentType = "message/rfc822"
	case pdf != nil:
		m.Attachment = pdf
		m.AttachmentName = letters.FileSafe(l.Reference) + ".pdf"
	}
	return m
}

// Headers is the e-mail of letter l without its body or attachment, for
// checking a batch before anything is rendered.
func Headers(l *letters.Letter, opt MessageOptions) mail.Message {
	me := mail.Address{Name: l.Sender.Name, Email: l.Sender.Email}
	m := mail.Message{
		From:    me,
		To:      mail.Address{Name: l.Recipient.Name, Email: l.Recipient.Email},
		ReplyTo: me,
		Subject: l.Subject,
		// A reminder is a reply in the request's thread.
		InReplyTo: l.InReplyTo,
	}
	if opt.From != "" {
		m.From = mail.Address{Name: l.Sender.Name, Email: opt.From}
	}
	if opt.CcSelf {
		m.Cc = []mail.Address{me}
	}
	if opt.Fixed {
		seed := sha256.Sum256([]byte("erase message " + l.Reference + " " + m.From.Email))
		m.Date = l.Date
		m.MessageID, _ = mail.NewMessageID(m.From.Email, bytes.NewReader(seed[:]))
		m.Boundary = fmt.Sprintf("erase-%x", seed[16:28])
	} else {
		m.Date = opt.Now
	}
	return m
}

// Extra is what the outbox keeps with a message for its ledger record.
type Extra struct {
	Company string `json:"company,omitempty"` // directory id; empty for an ad-hoc recipient
	Contact string `json:"contact"`
	Regime  string `json:"regime"`
	Kind    string `json:"kind"`
	// About is the reference a follow-up is about; Requested the reply
	// date the letter asks for where the law sets none (YYYY-MM-DD).
	About     string `json:"about,omitempty"`
	Requested string `json:"requested,omitempty"`
}

// Meta is what the outbox keeps with the e-mail of letter l, composed
// from req.
func Meta(req letters.Request, l *letters.Letter) mail.Meta {
	x := Extra{Company: req.CompanyID, Contact: l.Recipient.Email, Regime: l.Law.ID, Kind: l.Kind}
	if req.Original != nil {
		x.About = req.Original.Reference
	}
	if l.Requested != nil {
		x.Requested = l.Requested.Format(time.DateOnly)
	}
	data, _ := json.Marshal(x)
	return mail.Meta{Reference: l.Reference, Subject: l.Subject, Extra: data}
}

func extraOf(en mail.Entry) (Extra, error) {
	var x Extra
	if err := json.Unmarshal(en.Extra, &x); err != nil {
		return Extra{}, fmt.Errorf("outbox entry %s: %w", en.ID, err)
	}
	return x, nil
}

// Record is the ledger record of a delivered outbox entry, due by its
// law's rule from the day it was sent. A regime the data no longer has is
// an error: the record would lose its due date.
func Record(en mail.Entry, laws *jurisdictions.Set) (ledger.Record, error) {
	x, err := extraOf(en)
	if err != nil {
		return ledger.Record{}, err
	}
	rec := ledger.Record{
		Reference: en.Reference, Company: x.Company, Contact: x.Contact, Regime: x.Regime,
		Kind: x.Kind, About: x.About, Sent: en.SentAt, MessageID: en.MessageID, Status: ledger.StatusSent,
	}
	if x.Requested != "" {
		if t, err := time.Parse(time.DateOnly, x.Requested); err == nil {
			rec.Requested = t
		}
	}
	if rec.Company == "" {
		rec.Company = x.Contact
	}
	if x.Regime != "" && x.About == "" {
		r, err := laws.Get(x.Regime)
		if err != nil {
			return ledger.Record{}, fmt.Errorf("outbox entry %s: %w", en.ID, err)
		}
		kind := x.Kind
		if kind == "" {
			kind = jurisdictions.KindErasure // entries of erase 0.1 name no kind
		}
		rt, err := r.Right(kind)
		if err != nil {
			return ledger.Record{}, fmt.Errorf("outbox entry %s: %w", en.ID, err)
		}
		setDates(&rec, rt)
	}
	return rec, nil
}

// setDates puts the dates the law gives a request sent at rec.Sent into
// rec: the due date, else the reply date the letter asks for, and the
// date for confirming receipt.
func setDates(rec *ledger.Record, rt *jurisdictions.Right) {
	due := rt.DueFrom(rec.Sent)
	if due.Date != nil {
		rec.Due = *due.Date
	}
	if due.Requested != nil {
		rec.Requested = *due.Requested
	}
	if c := rt.ConfirmBy(rec.Sent); c != nil {
		rec.ConfirmBy = *c
	}
}

// Recorder records delivered entries in led, a group with one sync
// (ledger.AddAll), for mail.Options.OnSentAll. A record already there
// counts as done: a retry after a crash may record an entry twice.
func Recorder(led *ledger.Ledger, laws *jurisdictions.Set) func([]mail.Entry) []error {
	return func(ens []mail.Entry) []error {
		errs := make([]error, len(ens))
		var (
			recs []ledger.Record
			at   []int
		)
		for i, en := range ens {
			rec, err := Record(en, laws)
			if err != nil {
				errs[i] = err
				continue
			}
			recs, at = append(recs, rec), append(at, i)
		}
		for k, err := range led.AddAll(recs) {
			if !errors.Is(err, ledger.ErrExists) {
				errs[at[k]] = err
			}
		}
		// A complaint on its way to the authority closes the request it
		// is about for the company: it is with the authority now.
		for k, rec := range recs {
			if errs[at[k]] == nil {
				MarkComplained(led, rec)
			}
		}
		return errs
	}
}

// MarkComplained marks the request a complaint record is about as
// complained, at the complaint's time; other records are left alone. A
// request already closed keeps its mark.
func MarkComplained(led *ledger.Ledger, rec ledger.Record) {
	if rec.Kind != "complaint" || rec.About == "" {
		return
	}
	orig, err := led.Get(rec.About)
	if err != nil || !(orig.Open() || orig.Status == ledger.StatusRefused || orig.Status == ledger.StatusPartial) {
		return
	}
	led.MarkNote(rec.About, ledger.StatusComplained, rec.Sent, nil, "complaint "+rec.Reference)
}

// Key is what makes two requests the same request: the company (its
// directory id, or the contact address of an ad-hoc recipient), the kind,
// and for a follow-up the request it is about.
type Key struct{ Company, Kind, About string }

// KeyOf is the key of a request.
func KeyOf(req letters.Request) Key {
	c := req.CompanyID
	if c == "" {
		c = req.Recipient.Email
	}
	k := Key{Company: c, Kind: req.Kind}
	if req.Original != nil {
		k.About = req.Original.Reference
	}
	return k
}

// Open is a request still open: recorded in the ledger and not answered,
// or waiting in the outbox.
type Open struct {
	Reference string
	Since     time.Time // sent, or queued
	Queued    bool      // in the outbox, not yet recorded
}

// Known is what the outbox and the ledger hold, for deciding on a batch.
type Known struct {
	Open map[Key][]Open           // the open requests of each key
	Sent map[string]ledger.Record // every ledger record, by reference
}

// Requests reads what is known: the outbox's waiting and
// delivered-unrecorded entries (queued), then the ledger, read in that
// order so that a request moving from the one to the other is seen in at
// least one.
func Requests(led *ledger.Ledger, queued []mail.Entry, now time.Time) (Known, error) {
	open := map[Key][]Open{}
	for _, en := range queued {
		if en.State == mail.StateFailed {
			continue
		}
		x, err := extraOf(en)
		if err != nil {
			continue
		}
		c := x.Company
		if c == "" {
			c = x.Contact
		}
		k := Key{c, x.Kind, x.About}
		open[k] = append(open[k], Open{Reference: en.Reference, Since: en.Created, Queued: true})
	}
	recs, err := led.List(now)
	if err != nil {
		return Known{}, err
	}
	sent := make(map[string]ledger.Record, len(recs))
	for _, r := range recs {
		sent[r.Reference] = r
		if r.Open() {
			k := Key{r.Company, r.Kind, r.About}
			open[k] = append(open[k], Open{Reference: r.Reference, Since: r.Sent})
		}
	}
	return Known{Open: open, Sent: sent}, nil
}

// Duplicate is a letter that would repeat an open request.
type Duplicate struct {
	Request letters.Request
	Letter  *letters.Letter
	Open    Open
}

func (d *Duplicate) Error() string {
	how := "sent"
	if d.Open.Queued {
		how = "queued"
	}
	return fmt.Sprintf("%s request to %s (%s, %s %s) is still open", letters.WithArticle(d.Request.Kind), d.Request.Service,
		d.Open.Reference, how, d.Open.Since.Local().Format(time.DateOnly))
}

// Duplicates lists the letters of a batch (ls, composed from reqs) that
// repeat an open request, other than those whose open request's reference
// is in approved. The very same letter (same reference) is not a
// duplicate here: the outbox and Admit refuse it on their own terms.
func Duplicates(known Known, reqs []letters.Request, ls []*letters.Letter, approved map[string]bool) []Duplicate {
	var out []Duplicate
	for i, req := range reqs {
		for _, prev := range known.Open[KeyOf(req)] {
			if prev.Reference != ls[i].Reference && !approved[prev.Reference] {
				out = append(out, Duplicate{Request: req, Letter: ls[i], Open: prev})
			}
		}
	}
	return out
}

// AlreadySent is a letter whose reference the ledger holds: the same
// letter, sent before.
type AlreadySent struct{ Record ledger.Record }

func (a *AlreadySent) Error() string {
	return fmt.Sprintf("%s was sent already, on %s, to %s", a.Record.Reference, a.Record.Sent.Local().Format(time.DateOnly), a.Record.Contact)
}

// Admit decides, as the outbox admits a batch, whether it may be queued:
// no letter may be one the ledger holds (*AlreadySent), and, unless
// force, none may repeat an open request (*Duplicate) but those approved.
// known must be read after the outbox's lock was taken.
func Admit(known Known, reqs []letters.Request, ls []*letters.Letter, approved map[string]bool, force bool) error {
	for _, l := range ls {
		if rec, ok := known.Sent[l.Reference]; ok {
			return &AlreadySent{Record: rec}
		}
	}
	if force {
		return nil
	}
	if dups := Duplicates(known, reqs, ls, approved); len(dups) > 0 {
		return &dups[0]
	}
	return nil
}

// Posted is the ledger record of a letter the person sends themselves (by
// post, or from their own mail program) on the letter's date: due by its
// law's rule from that date, which assumes it arrives that day.
func Posted(req letters.Request, l *letters.Letter) (ledger.Record, error) {
	rec := ledger.Record{
		Reference: l.Reference, Company: req.CompanyID, Contact: l.Recipient.Email, Regime: l.Law.ID,
		Kind: l.Kind, About: l.About, Sent: l.Date, Status: ledger.StatusSent,
	}
	if rec.Contact == "" {
		rec.Contact = strings.Join(l.Recipient.Address, ", ")
	}
	if rec.Company == "" {
		rec.Company = rec.Contact
	}
	if l.About != "" {
		if l.Requested != nil {
			rec.Requested = *l.Requested
		}
		return rec, nil
	}
	rt, err := req.Regime.Right(l.Kind)
	if err != nil {
		return ledger.Record{}, err
	}
	setDates(&rec, rt)
	return rec, nil
}
