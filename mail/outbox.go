package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
)

// State is where an outbox entry stands: the folder it is in.
type State string

const (
	// StatePending (new/): queued, not delivered: waiting to be sent, or
	// being sent right now by the erase process that holds its lock.
	StatePending State = "pending"
	// StateSent (sent/): the server accepted it, but it is not yet
	// recorded; a retry records it without sending it again.
	StateSent State = "sent"
	// StateFailed (failed/): refused for good, kept with the server's
	// reply until a corrected letter replaces it or the user drops it.
	StateFailed State = "failed"
)

var stateDirs = []struct {
	state State
	dir   string
}{{StatePending, "new"}, {StateSent, "sent"}, {StateFailed, "failed"}}

func stateDir(s State) string {
	for _, d := range stateDirs {
		if d.state == s {
			return d.dir
		}
	}
	panic("mail: unknown outbox state " + string(s))
}

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

// Entry is one message in the outbox.
type Entry struct {
	ID          string          `json:"id"`
	State       State           `json:"-"` // the folder it is in
	Reference   string          `json:"reference,omitempty"`
	Subject     string          `json:"subject,omitempty"`
	From        string          `json:"from"`
	To          []string        `json:"to"`
	MessageID   string          `json:"message_id"`
	Created     time.Time       `json:"created"`
	Attempts    int             `json:"attempts,omitempty"`
	LastAttempt time.Time       `json:"last_attempt,omitzero"`
	LastError   string          `json:"last_error,omitempty"`
	SentAt      time.Time       `json:"-"` // state sent: when the server accepted it
	Extra       json.RawMessage `json:"extra,omitempty"`
	// Batch names the queueing of which the entry was part (the spool's
	// owner): an entry of a batch not yet committed is never sent.
	Batch string `json:"batch,omitempty"`
	// Damaged: List found a file of this id that does not read as an
	// entry (LastError says why); it can only be removed.
	Damaged bool `json:"-"`
}

// Outbox is a spool directory with one folder per state, as Maildir has,
// so that where a letter stands is where its file is:
//
//	Dir/tmp/OWNER.*    being written by a running erase, which holds
//	                   tmp/OWNER.lock; with no live holder, debris of a
//	                   crash, removed (and counted) by Recover
//	Dir/tmp/OWNER.batch the ids of a batch being renamed into new/; its
//	                   removal commits the batch (see Queue)
//	Dir/new/ID         queued, durable, not delivered (StatePending)
//	Dir/sent/ID        delivered at the file's mtime, not yet recorded
//	                   (StateSent)
//	Dir/failed/ID      refused for good, with the reply (StateFailed)
//	Dir/.lock          held while a batch is admitted (Queue)
//
// An entry file is one line of JSON (Entry) and then the exact message
// bytes. It is written whole in tmp/ and synced before it is linked or
// renamed into a state folder, so a state folder never holds a partial
// file; every change of state is one rename(2) of that file. Directories
// are 0700, files 0600.
//
// A letter goes: Queue writes every message of the batch to tmp/, syncs
// them all at once, then, under Dir/.lock, checks the batch against what
// the outbox holds (admit) and renames each into new/, committing the
// batch as one (tmp/OWNER.batch): the whole batch or none of it. Send
// then takes the entries one at a time: it locks the file in new/ (flock;
// LockFileEx on Windows; the kernel drops the lock when the process
// dies), sends it, and on the server's 250 renames it to sent/, still
// locked, so that a concurrent Retry leaves it to the live process that
// delivered it; every so often (a full group, before a pause, at the end)
// the entries in sent/ are recorded together (OnSentAll: one sync) and
// removed. A temporary refusal leaves the entry in new/ with the reply; a
// permanent one moves it to failed/.
//
// So a crash at any moment leaves each queued letter in new/ (Retry
// sends it), in sent/ (Retry records it without sending), recorded and
// gone, or in failed/. The one window where a letter can go twice is a
// crash between the server's 250 and the rename to sent/ (or a power cut
// that undoes that rename): Retry sends the very same bytes again, with
// the same Message-ID, so the recipient's system can tell it is one
// message. The other order (mark, then send) would lose the letter
// instead, and for a legal request a duplicate is harmless where a lost
// one lets the deadline never start. OnSent and OnSentAll may therefore
// see an entry twice and must be idempotent (ledger.AddAll refusing a
// reference it has counts as done).
type Outbox struct {
	Dir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Item is one message to queue.
type Item struct {
	Msg  *Rendered
	Meta Meta
}

// Options are the callbacks of Send, Deliver and Retry, called one at a
// time, in order, on the caller's goroutine.
type Options struct {
	// OnSent records a delivered message, before its entry is removed;
	// if it fails the entry stays in sent/ and the next Retry calls it
	// again (without sending). It must be idempotent.
	OnSent func(Entry) error
	// OnSentAll, when set, is used instead of OnSent: it records a group
	// of delivered messages at once (e.g. ledger.AddAll, one sync for the
	// group), and returns nil when all were recorded, else one error per
	// entry (nil: recorded).
	OnSentAll func([]Entry) []error
	// Progress is called once per message, in order, with its entry and
	// its outcome (nil: delivered and recorded).
	Progress func(i int, e Entry, err error)
	// Every, when positive, paces the messages: at most one per Every,
	// evenly spaced (the first goes at once). Delivered messages are
	// recorded before each pause.
	Every time.Duration
}

// Report says what became of each message.
type Report struct {
	Sent       []Entry // delivered and recorded
	Unrecorded []Entry // delivered, but not recorded: in sent/
	Waiting    []Entry // not delivered, still in new/: retry later (exit 75)
	Failed     []Entry // permanently refused: in failed/, with the reason
	// Unsent were not delivered for a reason that is neither temporary
	// nor about the message (authentication, TLS, configuration, a
	// missing sendmail). Deliver and a Send with Options from Queue
	// remove them (nothing was sent: fix and send again); Retry leaves
	// them in new/.
	Unsent []Entry
	// Elsewhere were taken by another erase process (a concurrent
	// retry) before this one came to them.
	Elsewhere []Entry
	// Recorded are the entries of Sent that Retry found in sent/:
	// delivered before a crash, recorded now without sending again.
	Recorded []Entry
	// Cleared is how many files of interrupted runs Retry removed first
	// (Recover).
	Cleared int
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

func (o *Outbox) path(s State, id string) string { return filepath.Join(o.Dir, stateDir(s), id) }
func (o *Outbox) tmpDir() string                 { return filepath.Join(o.Dir, "tmp") }

// ensureDirs makes Dir and its state folders, 0700.
func (o *Outbox) ensureDirs() error {
	for _, d := range []string{"tmp", "new", "sent", "failed"} {
		if err := os.MkdirAll(filepath.Join(o.Dir, d), 0o700); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// encodeEntry is an entry file: the entry as one line of JSON, then the
// message.
func encodeEntry(e Entry, msg []byte) ([]byte, error) {
	head, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(head)+1+len(msg))
	out = append(append(append(out, head...), '\n'), msg...)
	return out, nil
}

func decodeHead(path string, line []byte) (Entry, error) {
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Entry{}, fmt.Errorf("outbox: %s: %w", path, err)
	}
	if e.ID != filepath.Base(path) {
		return Entry{}, fmt.Errorf("outbox: %s holds entry %q", path, e.ID)
	}
	return e, nil
}

// maxHead bounds the JSON line of an entry file.
const maxHead = 1 << 20

// readHead reads the entry (not the message) of the file at path, in
// state s.
func (o *Outbox) readHead(s State, path string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, maxHead)).ReadBytes('\n')
	if err != nil {
		return Entry{}, fmt.Errorf("outbox: %s: no entry line: %w", path, err)
	}
	e, err := decodeHead(path, line)
	if err != nil {
		return Entry{}, err
	}
	e.State = s
	if s == StateSent {
		if fi, err := f.Stat(); err == nil {
			e.SentAt = fi.ModTime().UTC()
		}
	}
	return e, nil
}

// readFile reads a whole entry file from f: the entry and the message.
func readFile(path string, f *os.File) (Entry, *Rendered, error) {
	data, err := io.ReadAll(f)
	if err != nil {
		return Entry{}, nil, fmt.Errorf("outbox: %s: %w", path, err)
	}
	head, msg, ok := bytes.Cut(data, []byte{'\n'})
	if !ok || len(msg) == 0 {
		return Entry{}, nil, fmt.Errorf("outbox: %s: not an entry file", path)
	}
	e, err := decodeHead(path, head)
	if err != nil {
		return Entry{}, nil, err
	}
	return e, &Rendered{From: e.From, To: append([]string(nil), e.To...), MessageID: e.MessageID, Data: msg}, nil
}

// spool is this process's place in tmp/: it holds tmp/OWNER.lock, and
// names every file it writes there OWNER.*, so Recover can tell its files
// from the debris of a dead process.
type spool struct {
	dir, owner string
	lock       *os.File
}

func (o *Outbox) openSpool() (*spool, error) {
	if err := o.ensureDirs(); err != nil {
		return nil, err
	}
	dir := o.tmpDir()
	for range 8 {
		owner := randomHex(8)
		path := filepath.Join(dir, owner+".lock")
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		ok, err := atomicfile.TryLock(f)
		if err == nil && ok && samePath(f, path) {
			return &spool{dir: dir, owner: owner, lock: f}, nil
		}
		// Recover took it for debris between our create and our lock.
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("outbox: lock: %w", err)
		}
	}
	return nil, errors.New("outbox: cannot make a lock in tmp/")
}

// write writes data to a new file of the spool, synced when sync.
func (sp *spool) write(data []byte, sync bool) (string, error) {
	if err := faultAt("write"); err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	name, err := atomicfile.WriteTemp(sp.dir, sp.owner+".*", data, sync)
	if err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	return name, nil
}

// close removes the spool's lock; its files are all renamed, linked or
// removed by then.
func (sp *spool) close() {
	if sp == nil {
		return
	}
	os.Remove(sp.lock.Name())
	atomicfile.Unlock(sp.lock)
	sp.lock.Close()
}

// samePath reports whether the open file f is still the file at path.
func samePath(f *os.File, path string) bool {
	fi, err1 := f.Stat()
	pi, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(fi, pi)
}

// Recover removes what interrupted erase processes left in tmp/ (files
// of a batch they had not yet queued, half-written updates) and entries
// superseded by a newer one of the same id, moves the entries of the
// first outbox layout into their folders (migrateV1), and returns how
// many files it removed. Files of a live process are left alone. Queue
// and Retry do it themselves (Queued.Cleared, Report.Cleared); it is safe
// at any time.
func (o *Outbox) Recover() (int, error) {
	migrated, err := o.migrateV1()
	if err != nil {
		return migrated, err
	}
	n, err := o.recoverTmp()
	return migrated + n, err
}

// recoverTmp is Recover's work in tmp/ and failed/; it takes no lock, so
// Queue can run it again under the outbox's lock, just before it checks
// the batch against new/, for a batch a process left half queued
// meanwhile.
func (o *Outbox) recoverTmp() (int, error) {
	removed := 0
	des, err := os.ReadDir(o.tmpDir())
	if errors.Is(err, fs.ErrNotExist) {
		return removed, nil
	}
	if err != nil {
		return removed, fmt.Errorf("outbox: %w", err)
	}
	owners := map[string][]string{}
	for _, de := range des {
		name := de.Name()
		owner, _, _ := strings.Cut(name, ".")
		owners[owner] = append(owners[owner], name)
	}
	for owner, names := range owners {
		lockPath := filepath.Join(o.tmpDir(), owner+".lock")
		f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
		if err == nil {
			ok, lerr := atomicfile.TryLock(f)
			if lerr != nil || !ok {
				f.Close()
				continue // a live process
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("outbox: %w", err)
		}
		for _, name := range names {
			if name == owner+".batch" {
				removed += o.rollBack(owner, filepath.Join(o.tmpDir(), name))
			}
		}
		for _, name := range names {
			if name == owner+".lock" || name == owner+".batch" {
				continue
			}
			if os.Remove(filepath.Join(o.tmpDir(), name)) == nil {
				removed++
			}
		}
		os.Remove(filepath.Join(o.tmpDir(), owner+".batch")) // last: until it goes, the roll-back can be redone
		if f != nil {
			os.Remove(lockPath)
			atomicfile.Unlock(f)
			f.Close()
		}
	}
	// A refused entry whose id was queued again (Queue links the new one,
	// then removes the old): the new one stands.
	failed, _ := os.ReadDir(filepath.Join(o.Dir, "failed"))
	for _, de := range failed {
		id := de.Name()
		if !ValidID(id) {
			continue
		}
		newer := o.exists(StateSent, id)
		if e, err := o.readHead(StatePending, o.path(StatePending, id)); err == nil && !o.uncommitted(e) {
			newer = true // not while the batch that replaces it may still be rolled back
		}
		if newer {
			if os.Remove(o.path(StateFailed, id)) == nil {
				removed++
			}
		}
	}
	return removed, nil
}

func (o *Outbox) exists(s State, id string) bool {
	_, err := os.Lstat(o.path(s, id))
	return err == nil
}

// Queued is what Queue did.
type Queued struct {
	Entries  []Entry // in new/, in the order given
	Replaced []Entry // refused entries of the same id that they replace
	Cleared  int     // files of interrupted runs removed first (Recover)
}

// Queue adds a batch to the outbox, all of it or none: next gives the
// items a chunk at a time (an empty chunk ends the batch), and each
// message is written to tmp/ as it comes, so the caller can drop its
// bytes; then all are synced together; then, under Dir/.lock, admit (when
// set) sees the entries already waiting or delivered-but-unrecorded and
// may refuse the batch, and every item is renamed into new/, which is
// synced once, and the batch committed (tmp/OWNER.batch removed). An id
// already in new/ or sent/ is ErrAlreadyQueued; one in failed/ is
// replaced. On any error (from next, admit, a full disk, a read-only
// directory) nothing is queued and the written files are gone; if the
// process dies before the commit, Recover takes the batch out again.
func (o *Outbox) Queue(next func() ([]Item, error), admit func(queued []Entry) error) (Queued, error) {
	var q Queued
	// Recover in two parts: the old layout now (it takes the lock), the
	// debris of dead processes under the lock, just before the checks.
	migrated, err := o.migrateV1()
	if err != nil {
		return q, err
	}
	sp, err := o.openSpool()
	if err != nil {
		return q, err
	}
	defer sp.close()
	var tmps []string
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	seen := map[string]bool{}
	for {
		items, err := next()
		if err != nil {
			return q, err
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			e, err := o.newEntry(it)
			if err != nil {
				return q, err
			}
			if seen[e.ID] {
				return q, badinput.Errorf("reference %s is twice in this batch", e.ID)
			}
			seen[e.ID] = true
			e.Batch = sp.owner
			data, err := encodeEntry(e, it.Msg.Data)
			if err != nil {
				return q, err
			}
			tmp, err := sp.write(data, false)
			if err != nil {
				return q, err
			}
			tmps = append(tmps, tmp)
			e.State = StatePending
			q.Entries = append(q.Entries, e)
		}
	}
	if len(q.Entries) == 0 {
		return q, nil
	}
	if err := faultAt("sync"); err != nil {
		return q, err
	}
	if err := atomicfile.SyncFiles(sp.dir, tmps); err != nil {
		return Queued{}, fmt.Errorf("outbox: %w", err)
	}

	unlock, err := o.lock()
	if err != nil {
		return Queued{}, err
	}
	defer unlock()
	cleared, err := o.recoverTmp()
	if err != nil {
		return Queued{}, err
	}
	q.Cleared = migrated + cleared
	for _, e := range q.Entries {
		for _, s := range []State{StatePending, StateSent} {
			if o.exists(s, e.ID) {
				return Queued{}, fmt.Errorf("reference %s (%s): %w", e.ID, s, ErrAlreadyQueued)
			}
		}
		if old, err := o.readHead(StateFailed, o.path(StateFailed, e.ID)); err == nil {
			q.Replaced = append(q.Replaced, old)
		}
	}
	if admit != nil {
		open, err := o.list(StatePending, StateSent)
		if err != nil {
			return Queued{}, err
		}
		if err := admit(open); err != nil {
			return Queued{}, err
		}
	}
	// The batch goes into new/ whole or not at all, even if the process
	// dies midway: tmp/OWNER.batch lists its ids while they are renamed
	// into new/, and its removal is the commit point. A crash before it
	// leaves the list, and Recover takes the batch out of new/ again; a
	// retry never sends a letter of a batch whose list is still there.
	// Renamed, not linked: no file of these ids is in new/ or sent/ (just
	// checked, under the lock that every change of new/ but a send takes).
	ids := make([]string, len(q.Entries))
	for k, e := range q.Entries {
		ids[k] = e.ID
	}
	list := filepath.Join(sp.dir, sp.owner+".batch")
	if err := writeSynced(list, []byte(strings.Join(ids, "\n")+"\n")); err != nil {
		return Queued{}, fmt.Errorf("outbox: %w", err)
	}
	atomicfile.SyncDir(sp.dir)
	undo := func(k int) {
		for _, done := range q.Entries[:k] {
			os.Remove(o.path(StatePending, done.ID))
		}
		atomicfile.SyncDir(filepath.Join(o.Dir, "new"))
		os.Remove(list)
	}
	for k, e := range q.Entries {
		err := faultAt("link")
		if err == nil {
			err = os.Rename(tmps[k], o.path(StatePending, e.ID))
		}
		if err != nil {
			undo(k)
			return Queued{}, fmt.Errorf("outbox: %w", err)
		}
	}
	atomicfile.SyncDir(filepath.Join(o.Dir, "new"))
	if err := faultAt("commit"); err != nil {
		undo(len(q.Entries))
		return Queued{}, err
	}
	if err := os.Remove(list); err != nil {
		undo(len(q.Entries))
		return Queued{}, fmt.Errorf("outbox: %w", err)
	}
	atomicfile.SyncDir(sp.dir) // committed: durably, before anything is sent
	for _, old := range q.Replaced {
		os.Remove(o.path(StateFailed, old.ID))
	}
	return q, nil
}

// writeSynced creates path with data, synced.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// uncommitted reports whether e belongs to a batch still being queued,
// or whose queueing died midway (its list is still in tmp/).
func (o *Outbox) uncommitted(e Entry) bool {
	if e.Batch == "" {
		return false
	}
	_, err := os.Lstat(filepath.Join(o.tmpDir(), e.Batch+".batch"))
	return err == nil
}

// rollBack takes the entries of an uncommitted batch out of new/: the
// process that queued them died before the batch was committed, and
// nothing of it was sent. It returns how many it removed.
func (o *Outbox) rollBack(owner, list string) int {
	data, err := os.ReadFile(list)
	if err != nil {
		return 0
	}
	n := 0
	for _, id := range strings.Fields(string(data)) {
		if !ValidID(id) {
			continue
		}
		path := o.path(StatePending, id)
		if e, err := o.readHead(StatePending, path); err == nil && e.Batch == owner {
			if os.Remove(path) == nil {
				n++
			}
		}
	}
	atomicfile.SyncDir(filepath.Join(o.Dir, "new"))
	return n
}

func (o *Outbox) newEntry(it Item) (Entry, error) {
	r, meta := it.Msg, it.Meta
	if r == nil || len(r.Data) == 0 || r.From == "" || len(r.To) == 0 {
		return Entry{}, errors.New("outbox: empty message")
	}
	id := meta.Reference
	if id == "" {
		id = o.now().UTC().Format("20060102T150405Z") + "-" + randomHex(6)
	} else if !ValidID(id) {
		return Entry{}, badinput.Errorf("reference %q: want letters, digits, '.', '_' or '-' (at most 128)", id)
	}
	return Entry{
		ID: id, Reference: meta.Reference, Subject: meta.Subject,
		From: r.From, To: append([]string(nil), r.To...), MessageID: r.MessageID,
		Created: o.now().UTC(), Extra: meta.Extra,
	}, nil
}

// lock takes Dir/.lock, which serialises admissions.
func (o *Outbox) lock() (func(), error) {
	f, err := os.OpenFile(filepath.Join(o.Dir, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if err := atomicfile.Lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("outbox: lock: %w", err)
	}
	return func() { atomicfile.Unlock(f); f.Close() }, nil
}

// Put queues one message: Queue with one item and no admit.
func (o *Outbox) Put(r *Rendered, meta Meta) (Entry, error) {
	q, err := o.Queue(once([]Item{{Msg: r, Meta: meta}}), nil)
	if err != nil {
		return Entry{}, err
	}
	return q.Entries[0], nil
}

func once(items []Item) func() ([]Item, error) {
	done := false
	return func() ([]Item, error) {
		if done {
			return nil, nil
		}
		done = true
		return items, nil
	}
}

// Get returns entry id, in whichever state it is.
func (o *Outbox) Get(id string) (Entry, error) {
	if ValidID(id) {
		for _, d := range stateDirs {
			e, err := o.readHead(d.state, o.path(d.state, id))
			if err == nil {
				return e, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return Entry{}, err
			}
		}
	}
	return Entry{}, fmt.Errorf("outbox entry %q: %w", id, ErrNotFound)
}

// Message returns the stored message of entry id: the same envelope and
// bytes as when it was queued.
func (o *Outbox) Message(id string) (*Rendered, error) {
	e, err := o.Get(id)
	if err != nil {
		return nil, err
	}
	path := o.path(e.State, id)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("outbox entry %s: %w", id, err)
	}
	defer f.Close()
	_, m, err := readFile(path, f)
	return m, err
}

// Keep links delivered entry id (in sent/, before it is recorded) to
// path, so that its message outlives the entry: a reminder attaches the
// request as it was sent. A link writes no data; where linking fails (path
// on another file system) Keep copies the file. KeptMessage reads it back.
func (o *Outbox) Keep(id, path string) error {
	src := o.path(StateSent, id)
	if err := os.Link(src, path); err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("outbox entry %s: %w", id, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// KeptMessage reads a message Keep kept (named for its reference, not
// its entry id).
func KeptMessage(path string) (*Rendered, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, msg, ok := bytes.Cut(data, []byte{'\n'})
	var e Entry
	if !ok || len(msg) == 0 || json.Unmarshal(head, &e) != nil {
		return nil, fmt.Errorf("outbox: %s: not a kept message", path)
	}
	return &Rendered{From: e.From, To: e.To, MessageID: e.MessageID, Data: msg}, nil
}

// List returns every entry, oldest first. A missing directory is an
// empty outbox.
func (o *Outbox) List() ([]Entry, error) {
	return o.list(StatePending, StateSent, StateFailed)
}

func (o *Outbox) list(states ...State) ([]Entry, error) {
	var out []Entry
	for _, s := range states {
		dir := filepath.Join(o.Dir, stateDir(s))
		des, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		for _, de := range des {
			if !ValidID(de.Name()) || !de.Type().IsRegular() {
				continue
			}
			e, err := o.readHead(s, filepath.Join(dir, de.Name()))
			if errors.Is(err, fs.ErrNotExist) {
				continue // moved on meanwhile
			}
			if err != nil {
				// One damaged file must not hide the others.
				e = Entry{ID: de.Name(), Reference: de.Name(), State: s, Damaged: true, LastError: err.Error()}
			}
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Remove drops entry id and its message, in whichever state it is; one
// in new/ that another process is sending is ErrBusy. An entry file that
// cannot be read (a damaged disk) is dropped too, from new/ or failed/.
func (o *Outbox) Remove(id string) error {
	e, err := o.Get(id)
	if err != nil && !errors.Is(err, ErrNotFound) && ValidID(id) {
		for _, s := range []State{StatePending, StateFailed} {
			if o.exists(s, id) {
				e, err = Entry{ID: id, State: s}, nil
				break
			}
		}
	}
	if err != nil {
		return err
	}
	if e.State == StatePending {
		c, err := o.claim(id)
		if err != nil {
			return err
		}
		defer c.release()
	}
	if err := os.Remove(o.path(e.State, id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Requeue moves a refused entry back to new/, for the next Retry.
func (o *Outbox) Requeue(id string) error {
	e, err := o.Get(id)
	if err != nil {
		return err
	}
	if e.State != StateFailed {
		return badinput.Errorf("outbox entry %s is %s, not failed", id, e.State)
	}
	unlock, err := o.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if err := os.Link(o.path(StateFailed, id), o.path(StatePending, id)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return os.Remove(o.path(StateFailed, id))
}

// claim is a locked entry file in new/.
type claim struct {
	f    *os.File
	path string
}

func (c *claim) release() {
	if c != nil {
		atomicfile.Unlock(c.f)
		c.f.Close()
	}
}

// errGone: the entry is no longer in new/ (another process sent it).
var errGone = errors.New("no longer waiting in the outbox")

// claim locks entry id in new/: ErrBusy when another process holds it,
// errGone when it is not there.
func (o *Outbox) claim(id string) (*claim, error) { return o.claimIn(StatePending, id) }

// claimIn locks entry id in the folder of state s.
func (o *Outbox) claimIn(s State, id string) (*claim, error) {
	path := o.path(s, id)
	for range 8 {
		if err := faultAt("claim"); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("outbox entry %s: %w", id, errGone)
		}
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		ok, err := atomicfile.TryLock(f)
		if err != nil || !ok {
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("outbox: lock %s: %w", id, err)
			}
			return nil, fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
		}
		// Renamed or replaced between our open and our lock: try again.
		if samePath(f, path) {
			return &claim{f: f, path: path}, nil
		}
		atomicfile.Unlock(f)
		f.Close()
	}
	return nil, fmt.Errorf("outbox entry %s: %w", id, ErrBusy)
}

// Deliver queues items (Queue, no admit) and sends them (Send); when the
// batch cannot be queued, nothing is sent and the error says why.
func (o *Outbox) Deliver(ctx context.Context, s Sender, items []Item, opt Options) (Report, error) {
	q, err := o.Queue(once(items), nil)
	if err != nil {
		return Report{}, err
	}
	return o.Send(ctx, s, q.Entries, opt)
}

// Retry records what a crash left in sent/ and sends everything waiting
// in new/, oldest first, over one connection, each once; entries another
// process is sending are left to it. It returns nil when there was
// nothing to do or everything went, else the first error.
func (o *Outbox) Retry(ctx context.Context, s Sender, opt Options) (Report, error) {
	cleared, err := o.Recover()
	if err != nil {
		return Report{}, err
	}
	d := o.newDelivery(ctx, s, opt, true)
	d.rep.Cleared = cleared
	sent, err := o.list(StateSent)
	if err != nil {
		return Report{}, err
	}
	d.found = map[string]bool{}
	for _, e := range sent {
		// Locked by the process that delivered it until it is recorded:
		// busy means that process is alive and records it.
		c, err := o.claimIn(StateSent, e.ID)
		if err != nil {
			continue
		}
		d.found[e.ID] = true
		d.add(e, c)
	}
	listed, err := o.list(StatePending)
	if err != nil {
		return Report{}, err
	}
	var waiting []Entry
	for _, e := range listed {
		if !o.uncommitted(e) { // a batch another process is still queueing
			waiting = append(waiting, e)
		}
	}
	return d.run(waiting)
}

// Send delivers entries that Queue returned, in order, one at a time over
// one session of s, and settles each as it goes (see Outbox). When ctx is
// cancelled (Ctrl-C), the message in flight finishes and is settled, and
// the rest wait in new/ (ErrInterrupted, temporary). When the connection cannot be set
// up for a reason that is not temporary (authentication, TLS), the
// entries not yet sent are removed from the outbox (Report.Unsent):
// nothing of them went, and the same command, fixed, queues them again.
func (o *Outbox) Send(ctx context.Context, s Sender, entries []Entry, opt Options) (Report, error) {
	return o.newDelivery(ctx, s, opt, false).run(entries)
}

// groupMax is the most delivered messages recorded as one group, and
// groupWait the longest a delivered message waits for its group to be
// recorded, so that a slow server still shows progress.
var (
	groupMax  = 256
	groupWait = 500 * time.Millisecond
)

// delivery is one run of Send or Retry.
type delivery struct {
	o     *Outbox
	ctx   context.Context
	s     Sender
	opt   Options
	retry bool // Retry keeps unsent entries in new/

	rep    Report
	first  error
	group  []Entry         // in sent/, not yet recorded
	claims []*claim        // their locks
	since  time.Time       // when the group's first was delivered
	n      int             // outcomes reported so far: the next Progress number
	found  map[string]bool // Retry: the entries found in sent/
	sp     *spool          // for rewriting an entry with its last reply
}

func (o *Outbox) newDelivery(ctx context.Context, s Sender, opt Options, retry bool) *delivery {
	return &delivery{o: o, ctx: ctx, s: s, opt: opt, retry: retry}
}

func (d *delivery) fail(err error) {
	if err != nil && d.first == nil {
		d.first = err
	}
}

// run sends entries, one at a time.
func (d *delivery) run(entries []Entry) (Report, error) {
	defer func() { d.sp.close() }() // opened on the first rewrite, if any
	sess := openSession(d.s)
	// A message in flight finishes when ctx is cancelled: the session
	// gets a context that is not, and the loop checks ctx between
	// messages. The session's own timeouts bound how long that takes.
	wire := context.WithoutCancel(d.ctx)
	p := &pacer{interval: d.opt.Every}
	var stop error // why the remaining entries are not sent
	for _, e := range entries {
		if stop == nil && d.ctx.Err() != nil {
			stop = ErrInterrupted
		}
		if stop == nil {
			if p.blocks() {
				d.flush() // record what went before the pause
			}
			if err := p.wait(d.ctx); err != nil {
				stop = ErrInterrupted
			}
		}
		if stop != nil {
			d.notSent(e, stop)
			continue
		}
		if len(d.group) > 0 && time.Since(d.since) >= groupWait {
			d.flush()
		}
		c, err := d.o.claim(e.ID)
		if errors.Is(err, errGone) || errors.Is(err, ErrBusy) {
			d.flush()
			d.rep.Elsewhere = append(d.rep.Elsewhere, e)
			d.progress(e, fmt.Errorf("%s: %w", e.ID, ErrBusy))
			continue
		}
		if err != nil {
			// The outbox cannot be read (no file descriptors left, an
			// I/O error): this letter and the rest wait in new/.
			stop = fmt.Errorf("%w; it and the letters after it wait in the outbox", err)
			d.notSent(e, stop)
			continue
		}
		stored, m, err := readFile(c.path, c.f)
		if err != nil {
			c.release()
			d.flush()
			d.fail(err)
			d.rep.Waiting = append(d.rep.Waiting, e)
			d.progress(e, err)
			continue
		}
		e = stored
		e.State = StatePending
		var sendErr error
		_ = sess.Send(wire, []*Rendered{m}, func(_ int, err error) { sendErr = err })
		e.Attempts++
		e.LastAttempt = d.o.now().UTC()
		switch {
		case sendErr == nil:
			if err := d.markSent(c, &e); err != nil {
				// Delivered, but the outbox cannot say so: record it
				// now, and send nothing more into an outbox that
				// cannot keep its state.
				d.add(e, c)
				d.flush()
				stop = fmt.Errorf("the outbox cannot be written (%w); the letters after %s were not sent", err, e.ID)
				d.fail(stop)
				continue
			}
			d.add(e, c)
		case IsTemporary(sendErr):
			e.LastError = sendErr.Error()
			d.rewrite(StatePending, e, m)
			c.release()
			d.flush()
			d.fail(sendErr)
			d.rep.Waiting = append(d.rep.Waiting, e)
			d.progress(e, sendErr)
			if sessionLost(sess) {
				stop = sendErr
			}
		case messageRefused(sendErr):
			e.LastError = sendErr.Error()
			d.refuse(c, e, m)
			d.flush()
			d.fail(sendErr)
			e.State = StateFailed
			d.rep.Failed = append(d.rep.Failed, e)
			d.progress(e, sendErr)
		default: // authentication, TLS, configuration: nothing more goes
			c.release()
			d.flush()
			stop = sendErr
			d.notSent(e, stop)
		}
	}
	_ = sess.Close()
	d.flush()
	return d.rep, d.first
}

// notSent settles an entry the run did not send because of stop.
func (d *delivery) notSent(e Entry, stop error) {
	d.flush()
	d.fail(stop)
	if IsTemporary(stop) || !connectionFailure(stop) {
		d.rep.Waiting = append(d.rep.Waiting, e)
		d.progress(e, stop)
		return
	}
	if !d.retry {
		if c, err := d.o.claim(e.ID); err == nil {
			os.Remove(c.path)
			c.release()
		}
	}
	d.rep.Unsent = append(d.rep.Unsent, e)
	d.progress(e, stop)
}

// connectionFailure reports whether err is why a session could not be set
// up and will not be until the user changes something: authentication,
// TLS, the configuration, a missing sendmail.
func connectionFailure(err error) bool {
	var (
		ae *AuthError
		te *TLSError
		se *SendmailError
		be *badinput.Error
	)
	return errors.As(err, &ae) || errors.As(err, &te) || errors.As(err, &se) || errors.As(err, &be) ||
		errors.Is(err, ErrNoSTARTTLS) || errors.Is(err, ErrInsecureAuth)
}

// markSent moves a claimed entry to sent/, its mtime the delivery time;
// it stays locked until it is recorded.
func (d *delivery) markSent(c *claim, e *Entry) error {
	e.State, e.SentAt, e.LastError = StateSent, e.LastAttempt, ""
	// The time first: a file in sent/ always carries its delivery time.
	if err := os.Chtimes(c.path, e.SentAt, e.SentAt); err != nil {
		return err
	}
	if err := faultAt("rename"); err != nil {
		return err
	}
	sent := d.o.path(StateSent, e.ID)
	if err := os.Rename(c.path, sent); err != nil {
		return err
	}
	c.path = sent
	return nil
}

// refuse moves a claimed entry to failed/ and writes the reply into it.
func (d *delivery) refuse(c *claim, e Entry, m *Rendered) {
	defer c.release()
	failed := d.o.path(StateFailed, e.ID)
	if err := os.Rename(c.path, failed); err != nil {
		d.fail(fmt.Errorf("outbox: %w", err))
		return
	}
	d.rewrite(StateFailed, e, m)
}

// rewrite replaces the entry file of e in state s with e's new fields
// (its last reply), written whole and synced first. Best effort: the
// entry stays as it was when it fails.
func (d *delivery) rewrite(s State, e Entry, m *Rendered) {
	if d.sp == nil {
		sp, err := d.o.openSpool()
		if err != nil {
			return
		}
		d.sp = sp
	}
	data, err := encodeEntry(e, m.Data)
	if err != nil {
		return
	}
	tmp, err := d.sp.write(data, true)
	if err != nil {
		return
	}
	if err := os.Rename(tmp, d.o.path(s, e.ID)); err != nil {
		os.Remove(tmp)
	}
}

// add adds a delivered entry, locked (by c, at c.path: normally in
// sent/), to the group to record.
func (d *delivery) add(e Entry, c *claim) {
	if len(d.group) == 0 {
		d.since = time.Now()
	}
	d.group = append(d.group, e)
	d.claims = append(d.claims, c)
	if len(d.group) >= groupMax {
		d.flush()
	}
}

// flush records the group of delivered entries (OnSentAll, or OnSent for
// each), removes those recorded from sent/, and reports each.
func (d *delivery) flush() {
	if len(d.group) == 0 {
		return
	}
	group, claims := d.group, d.claims
	d.group, d.claims = nil, nil
	defer func() {
		for _, c := range claims {
			c.release()
		}
	}()
	errs := d.record(group)
	for k, e := range group {
		if err := errs[k]; err != nil {
			err = fmt.Errorf("%s was delivered but not recorded: %w", e.ID, err)
			d.fail(err)
			d.rep.Unrecorded = append(d.rep.Unrecorded, e)
			d.progress(e, err)
			continue
		}
		var err error
		if rmErr := os.Remove(claims[k].path); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
			err = fmt.Errorf("%s was delivered and recorded but stays in the outbox: %w", e.ID, rmErr)
			d.fail(err)
		}
		d.rep.Sent = append(d.rep.Sent, e)
		if d.found[e.ID] {
			d.rep.Recorded = append(d.rep.Recorded, e)
		}
		d.progress(e, err)
	}
}

func (d *delivery) record(es []Entry) []error {
	errs := make([]error, len(es))
	switch {
	case d.opt.OnSentAll != nil:
		res := d.opt.OnSentAll(es)
		if res != nil && len(res) != len(es) {
			bad := fmt.Errorf("OnSentAll returned %d results for %d entries", len(res), len(es))
			res = make([]error, len(es))
			for k := range res {
				res[k] = bad
			}
		}
		copy(errs, res)
	case d.opt.OnSent != nil:
		for k, e := range es {
			errs[k] = d.opt.OnSent(e)
		}
	}
	return errs
}

func (d *delivery) progress(e Entry, err error) {
	if d.opt.Progress != nil {
		d.opt.Progress(d.n, e, err)
	}
	d.n++
}

// faultAt is a test hook: it injects a failure (a full disk, an I/O
// error) at a named step of the outbox. Nil outside tests.
var faultHook func(step string) error

func faultAt(step string) error {
	if faultHook != nil {
		return faultHook(step)
	}
	return nil
}
