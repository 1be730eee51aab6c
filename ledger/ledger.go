// Package ledger is erase's local record of the requests it delivered and
// their legal deadlines: one readable YAML file per request,
// Dir/REFERENCE.yaml, created 0600 in a 0700 directory and always written
// whole (temporary file, fsync, rename or link).
//
//	l := &ledger.Ledger{Dir: filepath.Join(dataDir, "requests")}
//	err := l.Add(ledger.Record{Reference: ref, Company: "aliexpress",
//		Contact: "privacy@…", Regime: "gdpr", Kind: "erasure",
//		Sent: sentAt, MessageID: id, Due: due})
//	errs := l.AddAll(recs)                 // a batch, one sync; nil: all added
//	recs, err := l.List(now)               // overdue first, then due soonest
//	rec, err := l.Mark(ref, ledger.StatusExtended, now, &newDue)
//	open, err := l.OpenFor("aliexpress", "erasure")
//	err = ledger.WriteICS(w, recs, now)     // a calendar of the deadlines
//
// A record's stored status is its last mark: sent (on Add), answered,
// completed, partial, refused, extended or complained. Overdue is never
// stored: it is derived from the due date (or, where the law sets none,
// the reply date the letter asked for) and the clock the caller passes
// (StatusAt). sent and extended are open; the others are closed. A
// follow-up (a reminder, a complaint: About set) is never open itself.
//
// Concurrency: Add and AddAll create the file with a hard link, so of
// several processes adding the same reference exactly one succeeds and
// none sees a partial file; Mark takes an exclusive lock on Dir/.lock
// (flock; LockFileEx on Windows) around its read-modify-write, so marks
// from several processes are never lost.
package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
)

// Status of a request.
type Status string

// Statuses. Overdue is derived, never stored or marked.
const (
	StatusSent      Status = "sent"
	StatusAnswered  Status = "answered"
	StatusCompleted Status = "completed"
	StatusRefused   Status = "refused"
	StatusExtended  Status = "extended"
	// StatusPartial: the company answered only part of the request.
	StatusPartial Status = "partial"
	// StatusComplained: the person complained to the authority about it.
	StatusComplained Status = "complained"
	StatusOverdue    Status = "overdue"
)

// Marks are the statuses a person records with erase status mark.
var Marks = []Status{StatusAnswered, StatusCompleted, StatusPartial, StatusRefused, StatusExtended, StatusComplained}

var (
	// ErrExists: a record with that reference is already in the ledger.
	ErrExists = errors.New("already in the ledger")
	// ErrNotFound: no record with that reference.
	ErrNotFound = errors.New("no such request in the ledger")
)

// Mark is one entry of a record's history.
type Mark struct {
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
	// Due is the new due date of an extension; zero otherwise.
	Due time.Time `json:"-"`
	// Note is what the person wrote with the mark ("they asked for my
	// passport"); empty for none.
	Note string `json:"note,omitempty"`
}

// Record is one delivered request.
type Record struct {
	Reference string `json:"reference"`
	Company   string `json:"company,omitempty"` // directory id; empty for an ad-hoc recipient
	Contact   string `json:"contact"`           // the e-mail address it went to
	Regime    string `json:"regime,omitempty"`  // jurisdiction id: gdpr, ccpa, ...
	Kind      string `json:"kind"`              // erasure, access, objection, reminder, complaint
	// About is the reference of the request a follow-up (a reminder, a
	// complaint) is about; empty for a request.
	About     string    `json:"about,omitempty"`
	Sent      time.Time `json:"sent"`
	MessageID string    `json:"message_id,omitempty"`
	// Due is the date the reply is due, computed by the caller (a date:
	// only its year, month and day count); zero when the law sets none.
	Due time.Time `json:"-"`
	// Requested is the reply date the letter asked for where the law
	// sets none (or, for a follow-up, the date it asked for); zero
	// otherwise. It is not a legal deadline.
	Requested time.Time `json:"-"`
	// ConfirmBy is the date by which the law wants receipt confirmed
	// (CCPA: 10 business days); zero where it has no such rule.
	ConfirmBy time.Time `json:"-"`
	// Status is the last mark; see StatusAt for the one to show.
	Status  Status `json:"status"`
	History []Mark `json:"history"`
}

// StatusAt is the status to show at now: overdue when the request is
// open and its reply date has passed (the day itself is not overdue).
func (r Record) StatusAt(now time.Time) Status {
	if d := r.ReplyBy(); r.Open() && !d.IsZero() && dateOf(now).After(dateOf(d)) {
		return StatusOverdue
	}
	return r.Status
}

// ReplyBy is the date the answer is wanted by: the legal due date, else
// the date the letter asked for; zero where there is neither.
func (r Record) ReplyBy() time.Time {
	if !r.Due.IsZero() {
		return r.Due
	}
	return r.Requested
}

// Open reports whether the request still waits for an answer (sent or
// extended; overdue ones are open too). A follow-up is never open: it is
// the request it is about that waits.
func (r Record) Open() bool {
	return r.About == "" && (r.Status == StatusSent || r.Status == StatusExtended)
}

// MarshalJSON writes the record with its due date as YYYY-MM-DD (or
// null), for `erase status --json`.
func (r Record) MarshalJSON() ([]byte, error) { return r.marshal("") }

// JSONAt is the record's JSON with "state", its status at now as erase
// status shows it (overdue where an open request's due date has passed).
func (r Record) JSONAt(now time.Time) ([]byte, error) { return r.marshal(r.StatusAt(now)) }

func (r Record) marshal(state Status) ([]byte, error) {
	type plain Record
	type mark struct {
		Mark
		Due *string `json:"due,omitempty"`
	}
	out := struct {
		plain
		State     Status  `json:"state,omitempty"`
		Due       *string `json:"due"`
		Requested *string `json:"requested,omitempty"`
		ConfirmBy *string `json:"confirm_by,omitempty"`
		History   []mark  `json:"history"`
	}{plain: plain(r), State: state, Due: datePtr(r.Due), Requested: datePtr(r.Requested), ConfirmBy: datePtr(r.ConfirmBy)}
	for _, m := range r.History {
		out.History = append(out.History, mark{Mark: m, Due: datePtr(m.Due)})
	}
	return json.Marshal(out)
}

func datePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// dateOf is the calendar date of t in its own location, as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Ledger is a directory of records.
type Ledger struct {
	Dir string
}

// validRef: a reference is a file name in the ledger directory.
func validRef(ref string) bool { return atomicfile.SafeName(ref, 128, "._-") }

func checkRef(ref string) error {
	if !validRef(ref) {
		return badinput.Errorf("reference %q: want 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit", ref)
	}
	return nil
}

func (l *Ledger) path(ref string) string { return filepath.Join(l.Dir, ref+".yaml") }

// Add records a delivered request. Status and History may be left empty:
// they start as sent, at Sent. A record with the same reference is
// ErrExists (nothing is overwritten).
func (l *Ledger) Add(r Record) error {
	data, err := prepare(r)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if err := atomicfile.Create(l.path(r.Reference), data); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("request %s: %w", r.Reference, ErrExists)
		}
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// AddAll records several delivered requests, each as Add does, with one
// sync for them all: every record is written to a temporary file, the lot
// is synced (one syncfs(2) on Linux, else each file, several at once),
// then each is linked under its name and the directory synced once, so
// that a record never appears before it is durable. It returns nil when
// every record was added, else one error per record: nil (added), one
// wrapping ErrExists (a record with that reference was there already,
// or comes twice in recs), or why it was not added.
func (l *Ledger) AddAll(recs []Record) []error {
	errs := make([]error, len(recs))
	failed := false
	fail := func(i int, err error) { errs[i], failed = err, true }
	if len(recs) == 0 {
		return nil
	}
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		for i := range recs {
			fail(i, fmt.Errorf("ledger: %w", err))
		}
		return errs
	}
	tmps := make([]string, len(recs))
	var synced []string
	for i, r := range recs {
		data, err := prepare(r)
		if err != nil {
			fail(i, err)
			continue
		}
		tmp, err := atomicfile.WriteTemp(l.Dir, "."+r.Reference+".yaml.*.tmp", data, false)
		if err != nil {
			fail(i, fmt.Errorf("ledger: %w", err))
			continue
		}
		tmps[i] = tmp
		synced = append(synced, tmp)
	}
	defer func() {
		for _, tmp := range tmps {
			if tmp != "" {
				os.Remove(tmp)
			}
		}
	}()
	if err := atomicfile.SyncFiles(l.Dir, synced); err != nil {
		for i, tmp := range tmps {
			if tmp != "" {
				fail(i, fmt.Errorf("ledger: %w", err))
			}
		}
		return errs
	}
	linked := false
	for i, tmp := range tmps {
		if tmp == "" {
			continue
		}
		switch err := os.Link(tmp, l.path(recs[i].Reference)); {
		case errors.Is(err, os.ErrExist):
			fail(i, fmt.Errorf("request %s: %w", recs[i].Reference, ErrExists))
		case err != nil:
			fail(i, fmt.Errorf("ledger: %w", err))
		default:
			linked = true
		}
	}
	if linked {
		atomicfile.SyncDir(l.Dir)
	}
	if !failed {
		return nil
	}
	return errs
}

// prepare checks r, fills in its defaults and encodes it.
func prepare(r Record) ([]byte, error) {
	if err := checkRef(r.Reference); err != nil {
		return nil, err
	}
	if strings.TrimSpace(r.Contact) == "" || strings.TrimSpace(r.Kind) == "" || r.Sent.IsZero() {
		return nil, fmt.Errorf("ledger: record %s lacks contact, kind or sent time", r.Reference)
	}
	if r.Status == "" {
		r.Status = StatusSent
	}
	if !storable(r.Status) {
		return nil, badinput.Errorf("status %q: want sent, answered, completed, partial, refused, extended or complained", r.Status)
	}
	if len(r.History) == 0 {
		r.History = []Mark{{Status: StatusSent, At: r.Sent}}
	}
	return encode(r)
}

func storable(s Status) bool {
	switch s {
	case StatusSent, StatusAnswered, StatusCompleted, StatusRefused, StatusExtended, StatusPartial, StatusComplained:
		return true
	}
	return false
}

// Get returns the record with reference ref.
func (l *Ledger) Get(ref string) (Record, error) {
	if err := checkRef(ref); err != nil {
		return Record{}, err
	}
	return l.read(l.path(ref))
}

func (l *Ledger) read(path string) (Record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, fmt.Errorf("request %s: %w", strings.TrimSuffix(filepath.Base(path), ".yaml"), ErrNotFound)
	}
	if err != nil {
		return Record{}, fmt.Errorf("ledger: %w", err)
	}
	r, err := decode(data)
	if err != nil {
		return Record{}, fmt.Errorf("ledger: %s: %w", path, err)
	}
	if r.Reference+".yaml" != filepath.Base(path) {
		return Record{}, fmt.Errorf("ledger: %s holds reference %q", path, r.Reference)
	}
	return r, nil
}

// List returns every record, sorted as Sort does at now. A missing
// directory is an empty ledger; a file that does not parse is an error
// naming it.
func (l *Ledger) List(now time.Time) ([]Record, error) {
	des, err := os.ReadDir(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	var out []Record
	for _, de := range des {
		ref, ok := strings.CutSuffix(de.Name(), ".yaml")
		if !ok || !validRef(ref) || !de.Type().IsRegular() {
			continue
		}
		r, err := l.read(filepath.Join(l.Dir, de.Name()))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	Sort(out, now)
	return out, nil
}

// Sort orders records for display at now: overdue first (longest overdue
// first), then open ones by due date (soonest first), then open ones
// without a due date, then closed ones, most recently sent first. Ties go
// by sent time, then reference.
func Sort(rs []Record, now time.Time) {
	rank := func(r Record) int {
		switch {
		case r.StatusAt(now) == StatusOverdue:
			return 0
		case r.Open() && !r.ReplyBy().IsZero():
			return 1
		case r.Open():
			return 2
		}
		return 3
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		ra, rb := rank(a), rank(b)
		if ra != rb {
			return ra < rb
		}
		if ra < 2 && !dateOf(a.ReplyBy()).Equal(dateOf(b.ReplyBy())) {
			return a.ReplyBy().Before(b.ReplyBy())
		}
		if !a.Sent.Equal(b.Sent) {
			if ra == 3 {
				return a.Sent.After(b.Sent)
			}
			return a.Sent.Before(b.Sent)
		}
		return a.Reference < b.Reference
	})
}

// Mark adds a mark to the record ref: answered, completed, partial,
// refused, complained, or extended with newDue (the new due date,
// computed by the caller), at time at. It returns the updated record.
func (l *Ledger) Mark(ref string, status Status, at time.Time, newDue *time.Time) (Record, error) {
	return l.MarkNote(ref, status, at, newDue, "")
}

// MarkNote is Mark with the person's note.
func (l *Ledger) MarkNote(ref string, status Status, at time.Time, newDue *time.Time, note string) (Record, error) {
	if err := checkRef(ref); err != nil {
		return Record{}, err
	}
	switch status {
	case StatusAnswered, StatusCompleted, StatusRefused, StatusPartial, StatusComplained:
		if newDue != nil {
			return Record{}, badinput.Errorf("a new due date goes with extended, not %s", status)
		}
	case StatusExtended:
		if newDue == nil || newDue.IsZero() {
			return Record{}, badinput.Errorf("extended needs the new due date")
		}
	case StatusOverdue:
		return Record{}, badinput.Errorf("overdue is not a mark: erase derives it from the due date")
	default:
		return Record{}, badinput.Errorf("status %q: want answered, completed, partial, refused, extended or complained", status)
	}
	if at.IsZero() {
		return Record{}, fmt.Errorf("ledger: mark %s without a time", ref)
	}
	unlock, err := l.lock()
	if err != nil {
		return Record{}, err
	}
	defer unlock()
	r, err := l.read(l.path(ref))
	if err != nil {
		return Record{}, err
	}
	m := Mark{Status: status, At: at, Note: note}
	if newDue != nil {
		m.Due = dateOf(*newDue)
		r.Due = m.Due
	}
	r.Status = status
	r.History = append(r.History, m)
	data, err := encode(r)
	if err != nil {
		return Record{}, err
	}
	if err := atomicfile.Write(l.path(ref), data); err != nil {
		return Record{}, fmt.Errorf("ledger: %w", err)
	}
	return r, nil
}

func (l *Ledger) lock() (func(), error) {
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(l.Dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if err := atomicfile.Lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("ledger: lock: %w", err)
	}
	return func() { atomicfile.Unlock(f); f.Close() }, nil
}

// OpenFor returns the open requests of kind to company (by directory
// id), most recently sent first: before sending a new one, erase can say
// that one is already waiting.
func (l *Ledger) OpenFor(company, kind string) ([]Record, error) {
	all, err := l.List(time.Time{})
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range all {
		if r.Open() && strings.EqualFold(r.Company, company) && strings.EqualFold(r.Kind, kind) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sent.After(out[j].Sent) })
	return out, nil
}

// The file format: plain YAML, dates as YYYY-MM-DD, times as RFC 3339 in
// UTC.
type fileRecord struct {
	Reference string     `yaml:"reference"`
	Company   string     `yaml:"company,omitempty"`
	Contact   string     `yaml:"contact"`
	Regime    string     `yaml:"regime,omitempty"`
	Kind      string     `yaml:"kind"`
	About     string     `yaml:"about,omitempty"`
	Sent      string     `yaml:"sent"`
	MessageID string     `yaml:"message_id,omitempty"`
	Due       string     `yaml:"due,omitempty"`
	Requested string     `yaml:"requested,omitempty"`
	ConfirmBy string     `yaml:"confirm_by,omitempty"`
	Status    Status     `yaml:"status"`
	History   []fileMark `yaml:"history"`
}

type fileMark struct {
	Status Status `yaml:"status"`
	At     string `yaml:"at"`
	Due    string `yaml:"due,omitempty"`
	Note   string `yaml:"note,omitempty"`
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func encode(r Record) ([]byte, error) {
	f := fileRecord{
		Reference: r.Reference, Company: r.Company, Contact: r.Contact, Regime: r.Regime, Kind: r.Kind, About: r.About,
		Sent: fmtTime(r.Sent), MessageID: r.MessageID, Due: fmtDate(r.Due), Status: r.Status,
		Requested: fmtDate(r.Requested), ConfirmBy: fmtDate(r.ConfirmBy),
	}
	for _, m := range r.History {
		f.History = append(f.History, fileMark{Status: m.Status, At: fmtTime(m.At), Due: fmtDate(m.Due), Note: m.Note})
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decode(data []byte) (Record, error) {
	var f fileRecord
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return Record{}, err
	}
	r := Record{
		Reference: f.Reference, Company: f.Company, Contact: f.Contact, Regime: f.Regime, Kind: f.Kind, About: f.About,
		MessageID: f.MessageID, Status: f.Status,
	}
	var err error
	if r.Sent, err = time.Parse(time.RFC3339, f.Sent); err != nil {
		return Record{}, fmt.Errorf("sent: %w", err)
	}
	for _, d := range []struct {
		name, v string
		t       *time.Time
	}{{"due", f.Due, &r.Due}, {"requested", f.Requested, &r.Requested}, {"confirm_by", f.ConfirmBy, &r.ConfirmBy}} {
		if d.v != "" {
			if *d.t, err = time.Parse(time.DateOnly, d.v); err != nil {
				return Record{}, fmt.Errorf("%s: %w", d.name, err)
			}
		}
	}
	if !storable(r.Status) {
		return Record{}, fmt.Errorf("status %q", r.Status)
	}
	for i, fm := range f.History {
		m := Mark{Status: fm.Status, Note: fm.Note}
		if m.At, err = time.Parse(time.RFC3339, fm.At); err != nil {
			return Record{}, fmt.Errorf("history[%d].at: %w", i, err)
		}
		if fm.Due != "" {
			if m.Due, err = time.Parse(time.DateOnly, fm.Due); err != nil {
				return Record{}, fmt.Errorf("history[%d].due: %w", i, err)
			}
		}
		r.History = append(r.History, m)
	}
	return r, nil
}
