package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
)

// State is where an outbox entry stands.
type State string

const (
	// StatePending: not delivered yet: waiting for a retry after a
	// temporary refusal, or being sent right now.
	StatePending State = "pending"
	// StateSent: the server accepted it, but OnSent (the ledger record)
	// has not completed; a retry records it without sending again.
	StateSent State = "sent"
	// StateFailed: permanently refused; kept with the reason until the
	// user removes or requeues it.
	StateFailed State = "failed"
)

// Meta is what the caller stores with a message.
type Meta struct {
	// Reference of the letter. It names the entry: the outbox holds at
	// most one entry per reference. Empty: a random id.
	Reference string
	Subject   string
	// Extra is the caller's own data, handed back in Entry.Extra (e.g.
	// what the ledger record needs: company, regime, kind).
	Extra json.RawMessage
}

// Entry is one message in the outbox. Its bytes are in Dir/File.
type Entry struct {
	ID          string          `json:"id"`
	State       State           `json:"state"`
	Reference   string          `json:"reference,omitempty"`
	Subject     string          `json:"subject,omitempty"`
	From        string          `json:"from"`
	To          []string        `json:"to"`
	MessageID   string          `json:"message_id"`
	File        string          `json:"file"`
	Created     time.Time       `json:"created"`
	Attempts    int             `json:"attempts"`
	LastAttempt time.Time       `json:"last_attempt,omitzero"`
	LastError   string          `json:"last_error,omitempty"`
	SentAt      time.Time       `json:"sent_at,omitzero"`
	Extra       json.RawMessage `json:"extra,omitempty"`
}

// Outbox is a directory of messages not yet delivered, or refused:
//
//	Dir/ID.json          the entry (state, envelope, attempts, meta)
//	Dir/ID.RANDOM.eml    the exact message bytes, written once
//	Dir/ID.lock          lock file: who is working on the entry
//
// Directories are 0700, files 0600; every file is written whole (a
// temporary file in Dir, fsync, rename; a new entry by link, so two
// processes cannot both create one). The entry file is the commit point:
// an .eml without one is debris of a crash and is ignored.
//
// Delivery is at least once. An entry is claimed with an advisory lock
// (flock; LockFileEx on Windows) before it is sent, so two erase
// processes never send the same entry at once, and the kernel drops the
// lock if the process dies. After the server's 250 the entry is marked
// sent, then OnSent runs (the ledger record), then the entry is removed.
// A crash between the 250 and the mark leaves it pending, and the next
// retry sends it again: the same bytes with the same Message-ID, which
// receiving systems can recognise as one message. The other order (mark,
// then send) would lose a letter on a crash, and for a legal request a
// duplicate is harmless where a lost one lets the deadline never start.
// A crash after the mark re-runs only OnSent, which must therefore be
// idempotent (ledger.Add refusing a duplicate reference can count as done).
type Outbox struct {
	Dir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Item is one message to deliver.
type Item struct {
	Msg  *Rendered
	Meta Meta
}

// Options are the callbacks of Deliver and Retry.
type Options struct {
	// OnSent runs once a message is delivered, before its entry is
	// removed; if it fails the entry stays, state sent, and the next
	// Retry calls it again (without sending).
	OnSent func(Entry) error
	// Progress is called once per message, in order, with its entry and
	// its outcome (nil: delivered and recorded).
	Progress func(i int, e Entry, err error)
}

// Report says what became of each message.
type Report struct {
	Sent       []Entry // delivered and recorded
	Unrecorded []Entry // delivered, but OnSent failed: state sent
	Waiting    []Entry // temporarily refused: pending, retry later (exit 75)
	Failed     []Entry // permanently refused: state failed, with the reason
	// Unsent were not delivered for a reason that is neither temporary
	// nor about the message (authentication, TLS, configuration, a
	// missing sendmail): Deliver removes them (fix and send again), Retry
	// leaves them pending.
	Unsent []Entry
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidID reports whether s can be a reference and outbox id: 1 to 128
// letters, digits, '.', '_' or '-', not starting with '.', '_' or '-'.
func ValidID(s string) bool { return idRE.MatchString(s) }

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Outbox) entryPath(id string) string { return filepath.Join(o.Dir, id+".json") }
func (o *Outbox) lockPath(id string) string  { return filepath.Join(o.Dir, id+".lock") }

// claim is a held entry lock.
type claim struct {
	f    *os.File
	path string
}

// claim locks the entry id; ok is false when another process holds it.
func (o *Outbox) claim(id string) (*claim, bool, error) {
	path := o.lockPath(id)
	for range 8 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("outbox: %w", err)
		}
		ok, err := lockFile(f)
		if err != nil || !ok {
			f.Close()
			if err != nil {
				return nil, false, fmt.Errorf("outbox: lock %s: %w", id, err)
			}
			return nil, false, nil
		}
		// The lock file may have been removed (with its entry) and made
		// anew between our open and our lock: then ours locks nothing.
		fi, err1 := f.Stat()
		pi, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(fi, pi) {
			return &claim{f: f, path: path}, true, nil
		}
		unlockFile(f)
		f.Close()
	}
	return nil, false, nil
}

func (c *claim) release() {
	if c == nil {
		return
	}
	unlockFile(c.f)
	c.f.Close()
}

// releaseRemoving removes the lock file, then releases it.
func (c *claim) releaseRemoving() {
	if c == nil {
		return
	}
	_ = os.Remove(c.path)
	c.release()
}

// Put adds a pending message. An entry with the same reference already
// there, in any state, is ErrAlreadyQueued.
func (o *Outbox) Put(r *Rendered, meta Meta) (Entry, error) {
	c, e, err := o.put(r, meta)
	c.release()
	return e, err
}

func (o *Outbox) put(r *Rendered, meta Meta) (*claim, Entry, error) {
	if r == nil || len(r.Data) == 0 || r.From == "" || len(r.To) == 0 {
		return nil, Entry{}, errors.New("outbox: empty message")
	}
	id := meta.Reference
	if id == "" {
		id = o.now().UTC().Format("20060102T150405Z") + "-" + randomHex(6)
	} else if !ValidID(id) {
		return nil, Entry{}, badinput.Errorf("reference %q: want letters, digits, '.', '_' or '-' (at most 128)", id)
	}
	if err := ensureDir(o.Dir); err != nil {
		return nil, Entry{}, err
	}
	c, ok, err := o.claim(id)
	if err != nil {
		return nil, Entry{}, err
	}
	if !ok {
		return nil, Entry{}, fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
	}
	if old, err := o.read(id); err == nil {
		c.release()
		return nil, Entry{}, fmt.Errorf("reference %s (%s since %s): %w", id, old.State,
			old.Created.Format(time.DateOnly), ErrAlreadyQueued)
	} else if !errors.Is(err, ErrNotFound) {
		c.release()
		return nil, Entry{}, err
	}
	e := Entry{
		ID: id, State: StatePending, Reference: meta.Reference, Subject: meta.Subject,
		From: r.From, To: append([]string(nil), r.To...), MessageID: r.MessageID,
		File: id + "." + randomHex(4) + ".eml", Created: o.now().UTC(), Extra: meta.Extra,
	}
	// Not durable yet: the link of the entry file below syncs the directory
	// for both.
	if err := writeFileAtomic(filepath.Join(o.Dir, e.File), r.Data, false); err != nil {
		c.release()
		return nil, Entry{}, fmt.Errorf("outbox: %w", err)
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		c.release()
		return nil, Entry{}, err
	}
	if err := createFileAtomic(o.entryPath(id), append(data, '\n')); err != nil {
		os.Remove(filepath.Join(o.Dir, e.File))
		c.release()
		if errors.Is(err, os.ErrExist) {
			return nil, Entry{}, fmt.Errorf("reference %s: %w", id, ErrAlreadyQueued)
		}
		return nil, Entry{}, fmt.Errorf("outbox: %w", err)
	}
	return c, e, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (o *Outbox) read(id string) (Entry, error) {
	data, err := os.ReadFile(o.entryPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, fmt.Errorf("outbox entry %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("outbox: %w", err)
	}
	var e Entry
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Entry{}, fmt.Errorf("outbox entry %s: %w", o.entryPath(id), err)
	}
	return e, nil
}

func (o *Outbox) write(e Entry) error {
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	// An update lost to a power cut brings back the previous state, which
	// errs on the side of sending again; the file itself is never torn.
	if err := writeFileAtomic(o.entryPath(e.ID), append(data, '\n'), false); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Get returns the entry id.
func (o *Outbox) Get(id string) (Entry, error) {
	if !ValidID(id) {
		return Entry{}, fmt.Errorf("outbox entry %q: %w", id, ErrNotFound)
	}
	return o.read(id)
}

// Message returns the stored message of entry id: the same envelope and
// bytes as when it was put.
func (o *Outbox) Message(id string) (*Rendered, error) {
	e, err := o.Get(id)
	if err != nil {
		return nil, err
	}
	return o.message(e)
}

func (o *Outbox) message(e Entry) (*Rendered, error) {
	if e.File == "" || e.File != filepath.Base(e.File) || !strings.HasPrefix(e.File, e.ID+".") {
		return nil, fmt.Errorf("outbox entry %s: bad file name %q", e.ID, e.File)
	}
	data, err := os.ReadFile(filepath.Join(o.Dir, e.File))
	if err != nil {
		return nil, fmt.Errorf("outbox entry %s: %w", e.ID, err)
	}
	return &Rendered{From: e.From, To: append([]string(nil), e.To...), MessageID: e.MessageID, Data: data}, nil
}

// List returns every entry, oldest first. A missing directory is an
// empty outbox.
func (o *Outbox) List() ([]Entry, error) {
	des, err := os.ReadDir(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || !ValidID(id) || !de.Type().IsRegular() {
			continue
		}
		e, err := o.read(id)
		if errors.Is(err, ErrNotFound) {
			continue // removed meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// update runs f on entry id under its lock and writes the result.
func (o *Outbox) update(id string, f func(*Entry) error) error {
	if !ValidID(id) {
		return fmt.Errorf("outbox entry %q: %w", id, ErrNotFound)
	}
	c, ok, err := o.claim(id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
	}
	e, err := o.read(id)
	if errors.Is(err, ErrNotFound) {
		c.releaseRemoving()
		return err
	}
	defer c.release()
	if err != nil {
		return err
	}
	if err := f(&e); err != nil {
		return err
	}
	return o.write(e)
}

// MarkFailed marks entry id failed with reason: it is not retried.
func (o *Outbox) MarkFailed(id, reason string) error {
	return o.update(id, func(e *Entry) error {
		e.State, e.LastError = StateFailed, reason
		return nil
	})
}

// Requeue makes a failed entry pending again, for the next Retry.
func (o *Outbox) Requeue(id string) error {
	return o.update(id, func(e *Entry) error {
		if e.State != StateFailed {
			return badinput.Errorf("outbox entry %s is %s, not failed", id, e.State)
		}
		e.State = StatePending
		return nil
	})
}

// Remove deletes entry id and its message.
func (o *Outbox) Remove(id string) error {
	if !ValidID(id) {
		return fmt.Errorf("outbox entry %q: %w", id, ErrNotFound)
	}
	c, ok, err := o.claim(id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
	}
	e, err := o.read(id)
	if errors.Is(err, ErrNotFound) {
		c.releaseRemoving()
		return err
	}
	if err != nil {
		c.release()
		return err
	}
	return o.remove(c, e)
}

// remove deletes a claimed entry: the entry file first (the commit
// point), then the message, then the lock file.
func (o *Outbox) remove(c *claim, e Entry) error {
	defer c.releaseRemoving()
	// Not synced: if a power cut undoes the removal, the entry comes back
	// as it was last written (sent: OnSent runs again; pending: sent again).
	if err := os.Remove(o.entryPath(e.ID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("outbox: %w", err)
	}
	if e.File != "" && e.File == filepath.Base(e.File) {
		_ = os.Remove(filepath.Join(o.Dir, e.File))
	}
	return nil
}

// Deliver puts each item in the outbox (so nothing is lost, even if the
// process dies mid-send), sends them all with s (over one connection for
// SMTPSender), then settles each: delivered ones are marked sent, OnSent
// runs, the entry goes; temporary refusals stay pending; permanent
// refusals stay, marked failed with the server's reply; other failures
// (authentication, TLS, configuration) remove the entry, nothing having
// been sent. It returns nil when every item was delivered and recorded,
// else the first error, in item order.
func (o *Outbox) Deliver(ctx context.Context, s Sender, items []Item, opt Options) (Report, error) {
	var (
		rep     Report
		claims  []*claim
		entries []Entry
		msgs    []*Rendered
		index   []int // item index of each queued message
	)
	results := make([]error, len(items))
	settled := make([]Entry, len(items))
	known := make([]bool, len(items))
	next := 0
	// Progress goes in item order, as soon as each outcome is known.
	flush := func() {
		for next < len(items) && known[next] {
			if opt.Progress != nil {
				opt.Progress(next, settled[next], results[next])
			}
			next++
		}
	}
	inBatch := map[string]bool{}
	for i, it := range items {
		ref := it.Meta.Reference
		if ref != "" && inBatch[ref] {
			results[i], known[i] = fmt.Errorf("reference %s is twice in this batch: %w", ref, ErrAlreadyQueued), true
			settled[i] = Entry{ID: ref, Reference: ref}
			continue
		}
		inBatch[ref] = true
		c, e, err := o.put(it.Msg, it.Meta)
		if err != nil {
			results[i], known[i] = err, true
			settled[i] = Entry{ID: it.Meta.Reference, Reference: it.Meta.Reference}
			continue
		}
		claims, entries, msgs, index = append(claims, c), append(entries, e), append(msgs, it.Msg), append(index, i)
	}
	flush()
	o.send(ctx, s, claims, entries, msgs, false, opt, &rep, func(k int, e Entry, err error) {
		i := index[k]
		results[i], settled[i], known[i] = err, e, true
		flush()
	})
	for i := range known { // a Sender that never reported a message
		if !known[i] {
			results[i], known[i] = &TempError{Err: errors.New("the sender did not report on it; it waits in the outbox")}, true
		}
	}
	flush()
	return rep, firstErr(results)
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Retry sends every pending entry over one connection (one Send call),
// each exactly once per Retry, and records the entries a crash left in
// state sent. Entries another process is working on are skipped; failed
// entries wait for Requeue. It returns nil when there was nothing to do
// or everything went, else the first error.
func (o *Outbox) Retry(ctx context.Context, s Sender, opt Options) (Report, error) {
	var rep Report
	list, err := o.List()
	if err != nil {
		return rep, err
	}
	var (
		errs    []error
		claims  []*claim
		entries []Entry
		msgs    []*Rendered
	)
	for _, e := range list {
		if e.State == StateFailed {
			continue
		}
		c, ok, err := o.claim(e.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue // another process is on it
		}
		e, err := o.read(e.ID) // again, under the lock
		if errors.Is(err, ErrNotFound) {
			c.releaseRemoving() // done by another process meanwhile
			continue
		}
		if err != nil {
			c.release()
			errs = append(errs, err)
			continue
		}
		switch e.State {
		case StateSent:
			err := o.record(c, e, opt, &rep)
			errs = append(errs, err)
			continue
		case StatePending:
		default:
			c.release()
			continue
		}
		m, err := o.message(e)
		if err != nil {
			c.release()
			errs = append(errs, err)
			continue
		}
		claims, entries, msgs = append(claims, c), append(entries, e), append(msgs, m)
	}
	o.send(ctx, s, claims, entries, msgs, true, opt, &rep, func(k int, e Entry, err error) {
		errs = append(errs, err)
		if opt.Progress != nil {
			opt.Progress(k, e, err)
		}
	})
	return rep, firstErr(errs)
}

// send delivers claimed entries in one Send call and settles each as its
// result comes in; every claim is released.
func (o *Outbox) send(ctx context.Context, s Sender, claims []*claim, entries []Entry, msgs []*Rendered,
	retry bool, opt Options, rep *Report, done func(k int, e Entry, err error)) {
	if len(msgs) == 0 {
		return
	}
	settled := make([]bool, len(msgs))
	defer func() { // a Sender that skipped a message: it stays pending
		for k, ok := range settled {
			if !ok {
				claims[k].release()
			}
		}
	}()
	_ = s.Send(ctx, msgs, func(k int, sendErr error) {
		if k < 0 || k >= len(msgs) || settled[k] {
			return
		}
		settled[k] = true
		e, c := entries[k], claims[k]
		e.Attempts++
		e.LastAttempt = o.now().UTC()
		var err error
		switch {
		case sendErr == nil:
			e.State, e.SentAt, e.LastError = StateSent, e.LastAttempt, ""
			// If this write fails the entry stays pending and a retry
			// would send it again; go on to record it all the same.
			werr := o.write(e)
			err = o.record(c, e, opt, rep)
			if err == nil && werr != nil {
				err = fmt.Errorf("%s was delivered but its outbox entry could not be updated: %w", e.ID, werr)
			}
		case IsTemporary(sendErr):
			e.LastError = sendErr.Error()
			if werr := o.write(e); werr != nil {
				sendErr = errors.Join(sendErr, werr)
			}
			rep.Waiting = append(rep.Waiting, e)
			c.release()
			err = sendErr
		case messageRefused(sendErr):
			e.State, e.LastError = StateFailed, sendErr.Error()
			if werr := o.write(e); werr != nil {
				sendErr = errors.Join(sendErr, werr)
			}
			rep.Failed = append(rep.Failed, e)
			c.release()
			err = sendErr
		default:
			e.LastError = sendErr.Error()
			if retry {
				if werr := o.write(e); werr != nil {
					sendErr = errors.Join(sendErr, werr)
				}
				c.release()
			} else {
				_ = o.remove(c, e)
			}
			rep.Unsent = append(rep.Unsent, e)
			err = sendErr
		}
		done(k, e, err)
	})
}

// record runs OnSent for a delivered, claimed entry, then removes it.
func (o *Outbox) record(c *claim, e Entry, opt Options, rep *Report) error {
	if opt.OnSent != nil {
		if err := opt.OnSent(e); err != nil {
			rep.Unrecorded = append(rep.Unrecorded, e)
			c.release()
			return fmt.Errorf("%s was delivered but not recorded: %w", e.ID, err)
		}
	}
	rep.Sent = append(rep.Sent, e)
	if err := o.remove(c, e); err != nil {
		return fmt.Errorf("%s was delivered and recorded but stays in the outbox: %w", e.ID, err)
	}
	return nil
}
