package dispatch

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
)

func laws(t *testing.T) *jurisdictions.Set {
	t.Helper()
	s, err := jurisdictions.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func letter(ref string) *letters.Letter {
	return &letters.Letter{
		Reference: ref, Kind: "erasure", Subject: "Request for erasure, ref. " + ref,
		Date:      time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Sender:    letters.Party{Name: "Jane Doe", Email: "jane@example.com"},
		Recipient: letters.Party{Name: "Shop Privacy", Email: "privacy@shop.example"},
	}
}

// TestHeadersFixed: with Fixed, the Date is the letter's and the
// Message-ID derives from the reference and the sender: the same inputs
// give the same message, two references two Message-IDs.
func TestHeadersFixed(t *testing.T) {
	opt := MessageOptions{Fixed: true, CcSelf: true}
	a, b := Headers(letter("REF-1"), opt), Headers(letter("REF-1"), opt)
	c := Headers(letter("REF-2"), opt)
	if a.MessageID == "" || a.MessageID != b.MessageID || a.Boundary != b.Boundary || a.MessageID == c.MessageID {
		t.Fatalf("Message-IDs %q %q %q", a.MessageID, b.MessageID, c.MessageID)
	}
	if !strings.HasSuffix(a.MessageID, "@example.com") || !a.Date.Equal(letter("REF-1").Date) || len(a.Cc) != 1 {
		t.Errorf("%+v", a)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d := Headers(letter("REF-1"), MessageOptions{From: "relay@example.net", Now: now})
	if d.From.Email != "relay@example.net" || d.ReplyTo.Email != "jane@example.com" || !d.Date.Equal(now) || d.MessageID != "" {
		t.Errorf("not fixed: %+v", d)
	}
}

func entry(t *testing.T, ref string, x Extra, sent time.Time) mail.Entry {
	t.Helper()
	raw, _ := json.Marshal(x)
	return mail.Entry{ID: ref, Reference: ref, State: mail.StateSent, To: []string{x.Contact}, MessageID: ref + "@example.com",
		SentAt: sent, Created: sent, Extra: raw}
}

// TestRecord: the record carries the due date by the law's rule from the
// day it was sent; a regime the data does not have is an error, not a
// record without a due date.
func TestRecord(t *testing.T) {
	sent := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	rec, err := Record(entry(t, "REF-1", Extra{Company: "aliexpress", Contact: "privacy@shop.example", Regime: "gdpr", Kind: "erasure"}, sent), laws(t))
	if err != nil || rec.Due.IsZero() || !rec.Due.After(sent) || rec.Company != "aliexpress" || rec.Status != ledger.StatusSent {
		t.Fatalf("%+v %v", rec, err)
	}
	rec, err = Record(entry(t, "REF-2", Extra{Contact: "privacy@shop.example", Regime: "gdpr", Kind: "erasure"}, sent), laws(t))
	if err != nil || rec.Company != "privacy@shop.example" {
		t.Errorf("ad hoc: %+v %v", rec, err)
	}
	if _, err := Record(entry(t, "REF-3", Extra{Contact: "x@shop.example", Regime: "no-such-law", Kind: "erasure"}, sent), laws(t)); err == nil {
		t.Error("a record for an unknown regime was made without its due date")
	}
}

// TestDuplicatesAndAdmit: a letter repeating an open request (queued or
// recorded) is a Duplicate unless approved; the same reference is not
// (the outbox refuses it); one the ledger holds is AlreadySent, even with
// force.
func TestDuplicatesAndAdmit(t *testing.T) {
	led := &ledger.Ledger{Dir: filepath.Join(t.TempDir(), "requests")}
	sent := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := led.Add(ledger.Record{Reference: "OLD-1", Company: "aliexpress", Contact: "a@x.example", Regime: "gdpr", Kind: "erasure", Sent: sent}); err != nil {
		t.Fatal(err)
	}
	queued := []mail.Entry{entry(t, "Q-1", Extra{Contact: "privacy@shop.example", Regime: "gdpr", Kind: "erasure"}, sent)}
	known, err := Requests(led, queued, sent)
	if err != nil {
		t.Fatal(err)
	}
	reqs := []letters.Request{
		{Kind: "erasure", CompanyID: "aliexpress", Service: "AliExpress"},
		{Kind: "erasure", Recipient: letters.Party{Email: "privacy@shop.example"}, Service: "Shop"},
		{Kind: "erasure", CompanyID: "other"},
	}
	ls := []*letters.Letter{letter("NEW-1"), letter("NEW-2"), letter("NEW-3")}
	dups := Duplicates(known, reqs, ls, nil)
	if len(dups) != 2 || dups[0].Open.Reference != "OLD-1" || dups[0].Open.Queued || dups[1].Open.Reference != "Q-1" || !dups[1].Open.Queued {
		t.Fatalf("duplicates %+v", dups)
	}
	if !strings.Contains(dups[1].Error(), "(Q-1, queued 2026-11-20) is still open") {
		t.Errorf("%v", &dups[1])
	}
	if d := Duplicates(known, reqs, ls, map[string]bool{"OLD-1": true, "Q-1": true}); len(d) != 0 {
		t.Errorf("approved: %+v", d)
	}
	var dup *Duplicate
	if err := Admit(known, reqs, ls, nil, false); !errors.As(err, &dup) {
		t.Errorf("Admit: %v", err)
	}
	if err := Admit(known, reqs, ls, nil, true); err != nil {
		t.Errorf("Admit with force: %v", err)
	}
	var again *AlreadySent
	if err := Admit(known, reqs[:1], []*letters.Letter{letter("OLD-1")}, nil, true); !errors.As(err, &again) {
		t.Errorf("the same letter again, with force: %v", err)
	}
}
