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
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/erase-cli/erase/internal/atomicfile"
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
// Directories are 0700, files 0600; every entry file is written whole (a
// temporary file in Dir, synced, then renamed; a new entry by link, so two
// processes cannot both create one). The entry file is the commit point:
// it is linked into place only once it and its .eml are synced, and an
// .eml without one is debris of a crash and is ignored. A batch is made
// durable together: Deliver writes every message and entry of the batch,
// syncs them with one syncfs(2) on Linux (elsewhere file by file, several
// at once), links the entries, then syncs Dir once, before it sends the
// first message. DeliverStream does so for each chunk, before it sends
// the chunk's first message.
//
// Delivery is at least once. An entry is claimed with an advisory lock
// (flock; LockFileEx on Windows) before it is sent, so two erase
// processes never send the same entry at once, and the kernel drops the
// lock if the process dies. After the server's 250 the message is
// settled in a group with those delivered while the previous group was
// being settled (at most settleMax; a slow or paced sender makes groups of
// one), while the next messages go: OnSent (or OnSentAll) records the
// group's delivered messages, then their entries are removed; an entry
// whose OnSent failed is marked sent (the next Retry records it without
// sending again); refused messages get their state and the server's
// reply, the group's entry files rewritten with one sync. A crash before a
// group is recorded leaves its entries pending, and the next retry sends
// them again: the same bytes with the same Message-ID, which receiving
// systems can recognise as one message. The other order (mark, then send)
// would lose a letter on a crash, and for a legal request a duplicate is
// harmless where a lost one lets the deadline never start. A crash after
// the record and before the removal (or a power cut that undoes the
// removal) re-runs OnSent, which must therefore be idempotent (ledger.Add
// refusing a duplicate reference can count as done).
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

// Options are the callbacks of Deliver and Retry. They are called one at
// a time, in order, and all have returned when Deliver or Retry returns;
// a group's OnSentAll (or OnSent) and Progress may run on another
// goroutine while the next messages are being sent.
type Options struct {
	// OnSent runs once a message is delivered, before its entry is
	// removed; if it fails the entry stays, state sent, and the next
	// Retry calls it again (without sending). It must be idempotent: a
	// crash can make it run twice for one message.
	OnSent func(Entry) error
	// OnSentAll, when set, is used instead of OnSent: it records a group
	// of delivered messages at once (e.g. ledger.AddAll, one sync for the
	// group), and returns nil when all were recorded, else one error per
	// entry (nil: recorded). Everything said of OnSent holds for each
	// entry.
	OnSentAll func([]Entry) []error
	// Progress is called once per message, in order, with its entry and
	// its outcome (nil: delivered and recorded). A message that needs no
	// recording (no OnSent) is reported as soon as it went; others when
	// their group is settled.
	Progress func(i int, e Entry, err error)
}

func (opt Options) records() bool { return opt.OnSent != nil || opt.OnSentAll != nil }

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

// ValidID reports whether s can be a reference and outbox id: 1 to 128
// letters, digits, '.', '_' or '-', not starting with '.', '_' or '-'.
func ValidID(s string) bool { return atomicfile.SafeName(s, 128, "._-") }

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
		ok, err := atomicfile.TryLock(f)
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
		atomicfile.Unlock(f)
		f.Close()
	}
	return nil, false, nil
}

func (c *claim) release() {
	if c == nil {
		return
	}
	atomicfile.Unlock(c.f)
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
	cs, es, errs := o.putAll([]Item{{Msg: r, Meta: meta}})
	cs[0].release()
	return es[0], errs[0]
}

// putAll adds each item as a pending entry, claimed, and makes them all
// durable together: every message file and entry file is written, the lot
// is synced (atomicfile.SyncFiles), then each entry file is linked into
// place (the commit point) and the directory is synced once. For each item it returns
// the claim and the entry, or the error (and a nil claim).
func (o *Outbox) putAll(items []Item) ([]*claim, []Entry, []error) {
	claims := make([]*claim, len(items))
	entries := make([]Entry, len(items))
	errs := make([]error, len(items))
	if err := ensureDir(o.Dir); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return claims, entries, errs
	}
	var (
		staged []int    // items written, to be synced and linked
		tmps   []string // their entry files, still temporary
		synced []string // what atomicfile.SyncFiles syncs
	)
	fail := func(i int, c *claim, e Entry, err error) {
		if e.File != "" {
			os.Remove(filepath.Join(o.Dir, e.File))
		}
		c.release()
		claims[i], errs[i] = nil, err
	}
	for i, it := range items {
		c, e, err := o.stage(it.Msg, it.Meta)
		if err != nil {
			errs[i] = err
			continue
		}
		data, err := json.MarshalIndent(e, "", "  ")
		if err != nil {
			fail(i, c, e, err)
			continue
		}
		tmp, err := atomicfile.WriteTemp(o.Dir, "."+e.ID+".json.*.tmp", append(data, '\n'), false)
		if err != nil {
			fail(i, c, e, fmt.Errorf("outbox: %w", err))
			continue
		}
		claims[i], entries[i] = c, e
		staged, tmps = append(staged, i), append(tmps, tmp)
		synced = append(synced, filepath.Join(o.Dir, e.File), tmp)
	}
	if len(staged) == 0 {
		return claims, entries, errs
	}
	if err := atomicfile.SyncFiles(o.Dir, synced); err != nil {
		for k, i := range staged {
			os.Remove(tmps[k])
			fail(i, claims[i], entries[i], fmt.Errorf("outbox: %w", err))
		}
		return claims, entries, errs
	}
	linked := false
	for k, i := range staged {
		e := entries[i]
		err := os.Link(tmps[k], o.entryPath(e.ID))
		os.Remove(tmps[k])
		switch {
		case errors.Is(err, os.ErrExist):
			fail(i, claims[i], e, fmt.Errorf("reference %s: %w", e.ID, ErrAlreadyQueued))
		case err != nil:
			fail(i, claims[i], e, fmt.Errorf("outbox: %w", err))
		default:
			linked = true
		}
	}
	if linked {
		atomicfile.SyncDir(o.Dir)
	}
	return claims, entries, errs
}

// stage claims a new entry for r and writes its message file, not synced
// and not yet named by any entry file.
func (o *Outbox) stage(r *Rendered, meta Meta) (*claim, Entry, error) {
	if r == nil || len(r.Data) == 0 || r.From == "" || len(r.To) == 0 {
		return nil, Entry{}, errors.New("outbox: empty message")
	}
	id := meta.Reference
	if id == "" {
		id = o.now().UTC().Format("20060102T150405Z") + "-" + randomHex(6)
	} else if !ValidID(id) {
		return nil, Entry{}, badinput.Errorf("reference %q: want letters, digits, '.', '_' or '-' (at most 128)", id)
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
		Created: o.now().UTC(), Extra: meta.Extra,
	}
	for try := 0; ; try++ {
		e.File = id + "." + randomHex(4) + ".eml"
		err = writeNew(filepath.Join(o.Dir, e.File), r.Data)
		if !errors.Is(err, os.ErrExist) || try == 3 {
			break
		}
	}
	if err != nil {
		c.release()
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

// writeAll rewrites the entry files of es, claimed, with one sync for
// all: each is written to a temporary file, the lot synced, then each
// renamed into place. As with write, a power cut may bring back the
// previous version, never a torn one. It returns one error per entry.
func (o *Outbox) writeAll(es []Entry) []error {
	errs := make([]error, len(es))
	tmps := make([]string, len(es))
	var synced []string
	for i, e := range es {
		data, err := json.MarshalIndent(e, "", "  ")
		if err == nil {
			tmps[i], err = atomicfile.WriteTemp(o.Dir, "."+e.ID+".json.*.tmp", append(data, '\n'), false)
		}
		if err != nil {
			errs[i] = fmt.Errorf("outbox: %w", err)
			continue
		}
		synced = append(synced, tmps[i])
	}
	if err := atomicfile.SyncFiles(o.Dir, synced); err != nil {
		for i, tmp := range tmps {
			if tmp != "" {
				os.Remove(tmp)
				errs[i] = fmt.Errorf("outbox: %w", err)
			}
		}
		return errs
	}
	for i, tmp := range tmps {
		if tmp == "" {
			continue
		}
		if err := os.Rename(tmp, o.entryPath(es[i].ID)); err != nil {
			os.Remove(tmp)
			errs[i] = fmt.Errorf("outbox: %w", err)
		}
	}
	return errs
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

// claimExisting locks entry id and reads it. The caller releases the
// claim; a missing entry is ErrNotFound with nothing left locked.
func (o *Outbox) claimExisting(id string) (*claim, Entry, error) {
	if !ValidID(id) {
		return nil, Entry{}, fmt.Errorf("outbox entry %q: %w", id, ErrNotFound)
	}
	c, ok, err := o.claim(id)
	if err != nil {
		return nil, Entry{}, err
	}
	if !ok {
		return nil, Entry{}, fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
	}
	e, err := o.read(id)
	if errors.Is(err, ErrNotFound) {
		c.releaseRemoving()
		return nil, Entry{}, err
	}
	if err != nil {
		c.release()
		return nil, Entry{}, err
	}
	return c, e, nil
}

// update runs f on entry id under its lock and writes the result.
func (o *Outbox) update(id string, f func(*Entry) error) error {
	c, e, err := o.claimExisting(id)
	if err != nil {
		return err
	}
	defer c.release()
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
	c, e, err := o.claimExisting(id)
	if err != nil {
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
// process dies mid-send), all made durable with one sync before the first
// is sent, sends them all with s (over one connection for SMTPSender),
// then settles them (see Outbox): delivered ones are recorded with OnSent
// and their entries go; temporary refusals stay pending; permanent
// refusals stay, marked failed with the server's reply; other failures
// (authentication, TLS, configuration) remove the entry, nothing having
// been sent. It returns nil when every item was delivered and recorded,
// else the first error, in item order. It is DeliverStream with one
// chunk.
func (o *Outbox) Deliver(ctx context.Context, s Sender, items []Item, opt Options) (Report, error) {
	done := false
	return o.DeliverStream(ctx, s, func() ([]Item, error) {
		if done {
			return nil, nil
		}
		done = true
		return items, nil
	}, opt)
}

// DeliverStream is Deliver for a batch that comes in chunks, so that a
// large batch need not be held in memory: next returns the next chunk,
// and an empty one (or an error) ends the batch. Each chunk is put in the
// outbox with one sync, then sent (over one connection for the whole
// batch when s is a SessionSender) while next makes the following chunk
// and puts it; a message's bytes are dropped once it is sent. Every
// message is durably in the outbox before it is sent. Items are numbered
// across chunks for Progress, in order; a reference may be only once in
// the whole batch; delivered messages are recorded in groups that may
// span chunks. When the connection cannot be set up for a reason that is
// neither temporary nor about a message (authentication, TLS), the
// messages of later chunks are not put in the outbox: they are reported
// unsent with that error, as Deliver would. When next fails, the chunks
// before are delivered and settled, and the error is returned. next is
// called on a goroutine of its own, one call at a time, up to two chunks
// ahead of the one being sent; it must return when the batch ends, even
// if ctx is cancelled (the chunks then wait in the outbox).
func (o *Outbox) DeliverStream(ctx context.Context, s Sender, next func() ([]Item, error), opt Options) (Report, error) {
	var (
		rep Report
		mu  sync.Mutex // the outcomes below, and every callback
		// Per item, across chunks.
		results []error
		settled []Entry
		known   []bool
		shown   int // items whose Progress has been called
	)
	// Progress goes in item order, as soon as each outcome is known.
	flush := func() {
		for shown < len(known) && known[shown] {
			if opt.Progress != nil {
				opt.Progress(shown, settled[shown], results[shown])
			}
			shown++
		}
	}
	set := func(i int, e Entry, err error) {
		mu.Lock()
		defer mu.Unlock()
		results[i], settled[i], known[i] = err, e, true
		flush()
	}
	// The callbacks run one at a time, also with the goroutine that puts.
	sopt := opt
	if opt.OnSent != nil {
		sopt.OnSent = func(e Entry) error {
			mu.Lock()
			defer mu.Unlock()
			return opt.OnSent(e)
		}
	}
	if opt.OnSentAll != nil {
		sopt.OnSentAll = func(es []Entry) []error {
			mu.Lock()
			defer mu.Unlock()
			return opt.OnSentAll(es)
		}
	}
	st := o.newSettler(false, sopt, &rep)
	sess := openSession(s)

	type chunk struct {
		claims  []*claim
		entries []Entry
		msgs    []*Rendered
		index   []int // item number of each message
	}
	var (
		nextErr error
		failed  error // set by the sending goroutine: nothing more can go
		failMu  sync.Mutex
	)
	// Three stages, each a chunk ahead of the next: next makes a chunk,
	// the putter puts it in the outbox, the sender (this goroutine) sends.
	made := make(chan []Item, 1)
	go func() {
		defer close(made)
		for {
			items, err := next()
			if err != nil {
				nextErr = err
				return
			}
			if len(items) == 0 {
				return
			}
			made <- items
		}
	}()
	chunks := make(chan chunk, 1)
	go func() {
		defer close(chunks)
		inBatch := map[string]bool{}
		for items := range made {
			mu.Lock()
			base := len(results)
			results = append(results, make([]error, len(items))...)
			settled = append(settled, make([]Entry, len(items))...)
			known = append(known, make([]bool, len(items))...)
			mu.Unlock()
			failMu.Lock()
			ferr := failed
			failMu.Unlock()
			if ferr != nil {
				for k, it := range items {
					i := base + k
					e := Entry{ID: it.Meta.Reference, State: StatePending, Reference: it.Meta.Reference, Subject: it.Meta.Subject,
						Extra: it.Meta.Extra, LastError: ferr.Error()}
					if it.Msg != nil {
						e.From, e.To, e.MessageID = it.Msg.From, append([]string(nil), it.Msg.To...), it.Msg.MessageID
					}
					st.add(outcome{e: e, kind: unsent, err: ferr, done: func(e Entry, err error) { set(i, e, err) }})
				}
				continue
			}
			var (
				put      []Item
				putIndex []int
			)
			for k, it := range items {
				ref := it.Meta.Reference
				if ref != "" && inBatch[ref] {
					set(base+k, Entry{ID: ref, Reference: ref}, fmt.Errorf("reference %s is twice in this batch: %w", ref, ErrAlreadyQueued))
					continue
				}
				inBatch[ref] = true
				put, putIndex = append(put, it), append(putIndex, base+k)
			}
			cs, es, errs := o.putAll(put)
			var c chunk
			for k, i := range putIndex {
				if errs[k] != nil {
					ref := put[k].Meta.Reference
					set(i, Entry{ID: ref, Reference: ref}, errs[k])
					continue
				}
				c.claims, c.entries, c.msgs, c.index = append(c.claims, cs[k]), append(c.entries, es[k]), append(c.msgs, put[k].Msg), append(c.index, i)
			}
			if len(c.msgs) > 0 {
				chunks <- c
			}
		}
	}()
	for c := range chunks {
		// The settler keeps done until the outcome is settled: it must
		// not hold the chunk's messages.
		index := c.index
		o.sendChunk(ctx, sess, st, c.claims, c.entries, c.msgs, func(k int, e Entry, err error) {
			set(index[k], e, err)
		})
		if err := sessionFailed(sess); err != nil {
			failMu.Lock()
			failed = err
			failMu.Unlock()
		}
	}
	_ = sess.Close()
	st.close()
	mu.Lock()
	for i := range known { // a Sender that never reported a message
		if !known[i] {
			results[i], known[i] = &TempError{Err: errors.New("the sender did not report on it; it waits in the outbox")}, true
		}
	}
	flush()
	mu.Unlock()
	if nextErr != nil {
		return rep, nextErr
	}
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
		record  []outcome // delivered before a crash or a failed OnSent
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
			record = append(record, outcome{c: c, e: e, kind: delivered, marked: true, done: func(_ Entry, err error) {
				errs = append(errs, err)
			}})
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
	// From here on errs grows only in the settler's callbacks, one at a time.
	st := o.newSettler(true, opt, &rep)
	for _, out := range record {
		st.add(out)
	}
	o.send(ctx, s, st, claims, entries, msgs, func(k int, e Entry, err error) {
		errs = append(errs, err)
		if opt.Progress != nil {
			opt.Progress(k, e, err)
		}
	})
	return rep, firstErr(errs)
}

// send delivers claimed entries in one Send call and hands each outcome
// to st as it comes in; when it returns, every outcome is settled and
// every claim released.
func (o *Outbox) send(ctx context.Context, s Sender, st *settler, claims []*claim, entries []Entry, msgs []*Rendered,
	done func(k int, e Entry, err error)) {
	sess := openSession(s)
	o.sendChunk(ctx, sess, st, claims, entries, msgs, done)
	_ = sess.Close()
	st.close()
}

// sendChunk delivers claimed entries in one Send call of sess and hands
// each outcome to st as it comes in. The claim of a message the Sender
// did not report on is released: it stays pending.
func (o *Outbox) sendChunk(ctx context.Context, sess Session, st *settler, claims []*claim, entries []Entry, msgs []*Rendered,
	done func(k int, e Entry, err error)) {
	if len(msgs) == 0 {
		return
	}
	reported := make([]bool, len(msgs))
	defer func() {
		for k, ok := range reported { // a Sender that skipped a message: it stays pending
			if !ok {
				claims[k].release()
			}
		}
	}()
	_ = sess.Send(ctx, msgs, func(k int, sendErr error) {
		if k < 0 || k >= len(msgs) || reported[k] {
			return
		}
		reported[k] = true
		e := entries[k]
		e.Attempts++
		e.LastAttempt = o.now().UTC()
		out := outcome{c: claims[k], e: e, err: sendErr, done: func(e Entry, err error) { done(k, e, err) }}
		switch {
		case sendErr == nil:
			out.kind = delivered
			out.e.State, out.e.SentAt, out.e.LastError = StateSent, e.LastAttempt, ""
		case IsTemporary(sendErr):
			out.kind = waiting
			out.e.LastError = sendErr.Error()
		case messageRefused(sendErr):
			out.kind = refused
			out.e.State, out.e.LastError = StateFailed, sendErr.Error()
		default:
			out.kind = unsent
			out.e.LastError = sendErr.Error()
		}
		st.add(out)
	})
}

// settleMax is the most outcomes settled as one group.
var settleMax = 256

type outcomeKind int

const (
	delivered outcomeKind = iota // accepted by the server (or found in state sent)
	waiting                      // temporarily refused: stays pending
	refused                      // permanently refused: marked failed
	unsent                       // not sent (authentication, TLS, ...)
)

// outcome is one message's fate, waiting to be settled.
type outcome struct {
	c    *claim
	e    Entry // as updated by the attempt
	kind outcomeKind
	// marked: delivered, and its entry file already says so (found in
	// state sent by Retry).
	marked bool
	err    error // the Sender's
	done   func(e Entry, err error)
}

// settler settles outcomes in the order they come, in groups, so that the
// syncs of the records and of the entry files are shared by a group. Its
// goroutine settles, while the sender goes on, whatever came in while it
// settled the previous group (group commit): a fast sender makes large
// groups, a slow or paced one groups of one. An outcome that needs no
// sync (delivered with nothing to record, or unsent in Deliver) is
// settled at once by add when nothing waits before it, so that its
// Progress comes before the next message goes. The callbacks (OnSent,
// OnSentAll, done) run one at a time, in order.
type settler struct {
	o     *Outbox
	opt   Options
	rep   *Report
	retry bool // Retry keeps an unsent entry; Deliver removes it

	mu      sync.Mutex
	wake    *sync.Cond
	queue   []outcome
	busy    bool // a group is being settled
	closing bool
	done    sync.WaitGroup
}

func (o *Outbox) newSettler(retry bool, opt Options, rep *Report) *settler {
	st := &settler{o: o, opt: opt, rep: rep, retry: retry}
	st.wake = sync.NewCond(&st.mu)
	st.done.Add(1)
	go st.run()
	return st
}

// add takes an outcome.
func (st *settler) add(out outcome) {
	quick := (out.kind == delivered && !st.opt.records()) || (out.kind == unsent && !st.retry)
	st.mu.Lock()
	if quick && len(st.queue) == 0 && !st.busy {
		st.busy = true
		st.mu.Unlock()
		st.settle([]outcome{out}, make([]error, 1), make([]error, 1))
		st.mu.Lock()
		st.busy = false
		st.wake.Broadcast()
		st.mu.Unlock()
		return
	}
	st.queue = append(st.queue, out)
	st.wake.Broadcast()
	st.mu.Unlock()
}

// run settles the queue, a group at a time, until close.
func (st *settler) run() {
	defer st.done.Done()
	st.mu.Lock()
	for {
		for (len(st.queue) == 0 || st.busy) && !(st.closing && len(st.queue) == 0) {
			st.wake.Wait()
		}
		if len(st.queue) == 0 { // closing, all settled
			st.mu.Unlock()
			return
		}
		n := min(len(st.queue), settleMax)
		q := st.queue[:n:n]
		st.queue = st.queue[n:]
		st.busy = true
		st.mu.Unlock()
		st.flush(q)
		st.mu.Lock()
		st.busy = false
		st.wake.Broadcast()
	}
}

// close settles what is left and stops the goroutine.
func (st *settler) close() {
	st.mu.Lock()
	st.closing = true
	st.wake.Broadcast()
	st.mu.Unlock()
	st.done.Wait()
}

// flush settles a group: it records the delivered ones (OnSentAll, or
// OnSent for each), rewrites the entry files that change (one sync for
// all), then removes the entries delivered and recorded.
func (st *settler) flush(q []outcome) {
	recErrs := st.record(q)
	var (
		rewrite []Entry
		at      []int
	)
	for i, out := range q {
		switch out.kind {
		case delivered:
			if recErrs[i] == nil || out.marked {
				continue // recorded (the entry goes), or already marked sent
			}
		case unsent:
			if !st.retry {
				continue
			}
		}
		rewrite, at = append(rewrite, q[i].e), append(at, i)
	}
	writeErrs := make([]error, len(q))
	for k, err := range st.o.writeAll(rewrite) {
		writeErrs[at[k]] = err
	}
	st.settle(q, recErrs, writeErrs)
}

// record runs OnSentAll or OnSent for the delivered outcomes of q and
// returns one error per outcome.
func (st *settler) record(q []outcome) []error {
	errs := make([]error, len(q))
	var (
		es []Entry
		at []int
	)
	for i, out := range q {
		if out.kind == delivered {
			es, at = append(es, out.e), append(at, i)
		}
	}
	switch {
	case len(es) == 0:
	case st.opt.OnSentAll != nil:
		res := st.opt.OnSentAll(es)
		if res != nil && len(res) != len(es) {
			bad := fmt.Errorf("OnSentAll returned %d results for %d entries", len(res), len(es))
			res = make([]error, len(es))
			for k := range res {
				res[k] = bad
			}
		}
		for k, err := range res {
			errs[at[k]] = err
		}
	case st.opt.OnSent != nil:
		for k, e := range es {
			errs[at[k]] = st.opt.OnSent(e)
		}
	}
	return errs
}

// settle reports each outcome of q, in order, removes or releases its
// entry, and calls its done.
func (st *settler) settle(q []outcome, recErrs, writeErrs []error) {
	rep := st.rep
	for i, out := range q {
		e, c, err := out.e, out.c, out.err
		werr := writeErrs[i]
		switch out.kind {
		case delivered:
			if rerr := recErrs[i]; rerr != nil {
				rep.Unrecorded = append(rep.Unrecorded, e)
				c.release()
				err = fmt.Errorf("%s was delivered but not recorded: %w", e.ID, rerr)
				if werr != nil {
					// Still pending on disk: a retry would send it again.
					err = fmt.Errorf("%w; its outbox entry could not be marked sent either: %w", err, werr)
				}
				break
			}
			rep.Sent = append(rep.Sent, e)
			err = nil
			if rmErr := st.o.remove(c, e); rmErr != nil {
				err = fmt.Errorf("%s was delivered and recorded but stays in the outbox: %w", e.ID, rmErr)
			}
		case waiting:
			rep.Waiting = append(rep.Waiting, e)
			c.release()
		case refused:
			rep.Failed = append(rep.Failed, e)
			c.release()
		case unsent:
			switch {
			case c == nil: // never put in the outbox (DeliverStream)
			case st.retry:
				c.release()
			default:
				_ = st.o.remove(c, e)
			}
			rep.Unsent = append(rep.Unsent, e)
		}
		if werr != nil && out.kind != delivered {
			err = errors.Join(err, werr)
		}
		out.done(e, err)
	}
}
