package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

func newOutbox(t testing.TB) *Outbox {
	return &Outbox{Dir: filepath.Join(t.TempDir(), "data", "outbox")}
}

func item(t testing.TB, ref string) Item {
	m := letter(ref)
	m.Attachment = pdfBytes(t, 4<<10)
	extra, _ := json.Marshal(map[string]string{"company": "aliexpress", "kind": "erasure"})
	return Item{Msg: render(t, m), Meta: Meta{Reference: ref, Subject: m.Subject, Extra: extra}}
}

// recorder is an OnSent that counts per reference.
type recorder struct {
	mu   sync.Mutex
	seen map[string]int
	fail bool
}

func (r *recorder) onSent(e Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return errors.New("ledger is read-only")
	}
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	r.seen[e.Reference]++
	if e.State != StateSent || e.SentAt.IsZero() || string(e.Extra) == "" {
		return fmt.Errorf("entry handed to OnSent: %+v", e)
	}
	return nil
}

func (r *recorder) count(ref string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[ref]
}

func listIDs(t testing.TB, o *Outbox) []string {
	t.Helper()
	es, err := o.List()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		ids = append(ids, e.ID+":"+string(e.State))
	}
	return ids
}

func TestDeliverRecordsAndEmpties(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &recorder{}
	it := item(t, "ERASE-1")
	rep, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, []Item{it}, Options{OnSent: rec.onSent})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sent) != 1 || rec.count("ERASE-1") != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("report %+v, recorded %d, delivered %d", rep, rec.count("ERASE-1"), len(srv.Messages()))
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox still holds %v", ids)
	}
	assertEmpty(t, o)
}

// assertEmpty fails for any file left in the outbox but its admission
// lock: every state folder and tmp/ must be empty.
func assertEmpty(t testing.TB, o *Outbox) {
	t.Helper()
	filepath.WalkDir(o.Dir, func(path string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && path != filepath.Join(o.Dir, ".lock") {
			t.Errorf("left over: %s", path)
		}
		return nil
	})
}

// TestTemporaryThenRetry: a 4xx keeps the complete message in the outbox;
// Retry delivers it exactly once, the same bytes.
func TestTemporaryThenRetry(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &recorder{}
	s := &SMTPSender{Config: cfg}
	it := item(t, "ERASE-2")
	srv.FailNext(1, smtptest.StageRcpt, 451, "4.3.0 greylisted, try again later")
	rep, err := o.Deliver(context.Background(), s, []Item{it}, Options{OnSent: rec.onSent})
	var te *TempError
	if !errors.As(err, &te) || te.Code != 451 || !IsTemporary(err) {
		t.Fatalf("err = %v", err)
	}
	if len(rep.Waiting) != 1 || len(srv.Messages()) != 0 || rec.count("ERASE-2") != 0 {
		t.Fatalf("report %+v", rep)
	}
	e, err := o.Get("ERASE-2")
	if err != nil || e.State != StatePending || e.Attempts != 1 || !strings.Contains(e.LastError, "451") {
		t.Fatalf("entry %+v, %v", e, err)
	}
	if des, _ := os.ReadDir(filepath.Join(o.Dir, "tmp")); len(des) != 0 {
		t.Errorf("left in tmp/ after rewriting the entry: %d files", len(des))
	}
	stored, err := o.Message("ERASE-2")
	if err != nil || !bytes.Equal(stored.Data, it.Msg.Data) || strings.Join(stored.To, ",") != strings.Join(it.Msg.To, ",") {
		t.Fatalf("stored message differs: %v", err)
	}
	if runtime.GOOS != "windows" {
		for _, name := range []string{o.path(StatePending, "ERASE-2")} {
			fi, err := os.Stat(name)
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %v %v", name, fi.Mode(), err)
			}
		}
		if fi, _ := os.Stat(o.Dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("outbox dir mode %v", fi.Mode())
		}
	}

	rep, err = o.Retry(context.Background(), s, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent) != 1 {
		t.Fatalf("retry: %+v %v", rep, err)
	}
	rep, err = o.Retry(context.Background(), s, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent)+len(rep.Waiting) != 0 {
		t.Fatalf("second retry: %+v %v", rep, err)
	}
	got := srv.Messages()
	if len(got) != 1 || !bytes.Equal(got[0].Data, it.Msg.Data) || rec.count("ERASE-2") != 1 {
		t.Fatalf("%d delivered, recorded %d times", len(got), rec.count("ERASE-2"))
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox still holds %v", ids)
	}
}

// TestRetryOneConnection: everything waiting goes over one connection,
// each exactly once.
func TestRetryOneConnection(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &recorder{}
	s := &SMTPSender{Config: cfg}
	var items []Item
	for i := range 6 {
		items = append(items, item(t, fmt.Sprintf("ERASE-%d", i)))
	}
	srv.FailNext(6, smtptest.StageData, 452, "4.3.1 insufficient system storage")
	var progress []int
	rep, err := o.Deliver(context.Background(), s, items, Options{OnSent: rec.onSent,
		Progress: func(i int, e Entry, err error) {
			progress = append(progress, i)
			if e.ID != items[i].Meta.Reference || !IsTemporary(err) {
				t.Errorf("progress %d: %s %v", i, e.ID, err)
			}
		}})
	if !IsTemporary(err) || len(rep.Waiting) != 6 || len(progress) != 6 {
		t.Fatalf("deliver: %v %+v %v", err, rep, progress)
	}
	before := srv.Connections()
	rep, err = o.Retry(context.Background(), s, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent) != 6 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if c := srv.Connections() - before; c != 1 {
		t.Errorf("retry used %d connections", c)
	}
	got := srv.Messages()
	if len(got) != 6 {
		t.Fatalf("%d delivered", len(got))
	}
	seen := map[string]bool{}
	for _, m := range got {
		p := parse(t, m.Data)
		id := p.msg.Header.Get("Message-ID")
		if seen[id] {
			t.Errorf("%s delivered twice", id)
		}
		seen[id] = true
	}
	for _, it := range items {
		if rec.count(it.Meta.Reference) != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, rec.count(it.Meta.Reference))
		}
	}
}

// TestConcurrentRetries: two retries at once never send an entry twice.
func TestConcurrentRetries(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	for i := range 10 {
		if _, err := o.Put(item(t, fmt.Sprintf("ERASE-%d", i)).Msg, Meta{Reference: fmt.Sprintf("ERASE-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var sent atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{})
			if err != nil {
				t.Error(err)
			}
			sent.Add(int64(len(rep.Sent)))
		}()
	}
	wg.Wait()
	if n := len(srv.Messages()); n != 10 || sent.Load() != 10 {
		t.Fatalf("delivered %d, reported %d, want 10", n, sent.Load())
	}
	assertEmpty(t, o)
}

func TestPermanentRefusalMarksFailed(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	s := &SMTPSender{Config: cfg}
	srv.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 <privacy@aliexpress.example>: no such user")
	rep, err := o.Deliver(context.Background(), s, []Item{item(t, "ERASE-3")}, Options{})
	var pe *PermError
	if !errors.As(err, &pe) || pe.Code != 550 || pe.Enhanced != "5.1.1" || !strings.Contains(pe.Text, "no such user") {
		t.Fatalf("err = %#v", err)
	}
	if IsTemporary(err) || len(rep.Failed) != 1 {
		t.Fatalf("report %+v", rep)
	}
	e, err := o.Get("ERASE-3")
	if err != nil || e.State != StateFailed || !strings.Contains(e.LastError, "550 5.1.1") {
		t.Fatalf("entry %+v %v", e, err)
	}
	// Retry leaves it alone...
	if rep, err := o.Retry(context.Background(), s, Options{}); err != nil || len(rep.Sent) != 0 {
		t.Fatalf("retry: %+v %v", rep, err)
	}
	// ...until requeued.
	if err := o.Requeue("ERASE-3"); err != nil {
		t.Fatal(err)
	}
	if rep, err := o.Retry(context.Background(), s, Options{}); err != nil || len(rep.Sent) != 1 {
		t.Fatalf("retry after requeue: %+v %v", rep, err)
	}
	if len(srv.Messages()) != 1 {
		t.Error("not delivered")
	}
}

// TestAuthFailureRecordsNothing: a wrong password is a clear error;
// nothing is delivered, recorded, or left queued.
func TestAuthFailureRecordsNothing(t *testing.T) {
	srv, cfg := authServer(t)
	cfg.Password = "nope"
	o := newOutbox(t)
	rec := &recorder{}
	rep, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, []Item{item(t, "ERASE-4")}, Options{OnSent: rec.onSent})
	var ae *AuthError
	if !errors.As(err, &ae) || IsTemporary(err) || len(rep.Unsent) != 1 {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if rec.count("ERASE-4") != 0 || len(srv.Messages()) != 0 {
		t.Error("recorded or delivered")
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox holds %v", ids)
	}
	// Queued earlier and retried with a wrong password: stays pending.
	if _, err := o.Put(item(t, "ERASE-5").Msg, Meta{Reference: "ERASE-5"}); err != nil {
		t.Fatal(err)
	}
	rep, err = o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{OnSent: rec.onSent})
	if !errors.As(err, &ae) || len(rep.Unsent) != 1 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if e, err := o.Get("ERASE-5"); err != nil || e.State != StatePending {
		t.Fatalf("entry %+v %v", e, err)
	}
}

// TestDropDuringDataKeepsMessage: the server vanishes mid-DATA; the
// complete message waits in the outbox and a retry delivers it once.
func TestDropDuringDataKeepsMessage(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &recorder{}
	s := &SMTPSender{Config: cfg}
	it := item(t, "ERASE-6")
	srv.DropNext(1, smtptest.StageData)
	_, err := o.Deliver(context.Background(), s, []Item{it}, Options{OnSent: rec.onSent})
	if !IsTemporary(err) {
		t.Fatalf("err = %v", err)
	}
	if m, err := o.Message("ERASE-6"); err != nil || !bytes.Equal(m.Data, it.Msg.Data) {
		t.Fatalf("outbox lost the message: %v", err)
	}
	if _, err := o.Retry(context.Background(), s, Options{OnSent: rec.onSent}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || !bytes.Equal(got[0].Data, it.Msg.Data) || rec.count("ERASE-6") != 1 {
		t.Fatalf("%d delivered", len(got))
	}
}

// TestCrashBeforeSend: a process that died after Put (before or during
// sending) left a pending entry, with no lock held: Retry sends it.
func TestCrashBeforeSend(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	if _, err := o.Put(item(t, "ERASE-7").Msg, Meta{Reference: "ERASE-7"}); err != nil {
		t.Fatal(err)
	}
	// Debris of a process killed while it wrote a batch to tmp/ (no
	// lock held), and the files of a live one (its lock held).
	if err := os.WriteFile(filepath.Join(o.Dir, "tmp", "0123abcd.555"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	live, err := o.openSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer live.close()
	liveFile, err := live.write([]byte("in progress"), false)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{})
	if err != nil || len(rep.Sent) != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "tmp", "0123abcd.555")); err == nil {
		t.Error("the debris of a dead process is still in tmp/")
	}
	if _, err := os.Stat(liveFile); err != nil {
		t.Errorf("the file of a live process was removed: %v", err)
	}
}

// TestOnSentFailure: delivered but the record failed: the entry stays
// "sent", and the next retry records it without sending again.
func TestOnSentFailure(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &recorder{fail: true}
	s := &SMTPSender{Config: cfg}
	rep, err := o.Deliver(context.Background(), s, []Item{item(t, "ERASE-10")}, Options{OnSent: rec.onSent})
	if err == nil || IsTemporary(err) || len(rep.Unrecorded) != 1 {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if e, _ := o.Get("ERASE-10"); e.State != StateSent || e.SentAt.IsZero() {
		t.Fatalf("entry %+v", e)
	}
	rec.fail = false
	rep, err = o.Retry(context.Background(), s, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent) != 1 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if len(srv.Messages()) != 1 || rec.count("ERASE-10") != 1 {
		t.Fatalf("delivered %d, recorded %d", len(srv.Messages()), rec.count("ERASE-10"))
	}
}

func TestPutRefusesDuplicates(t *testing.T) {
	o := newOutbox(t)
	it := item(t, "ERASE-11")
	var wg sync.WaitGroup
	var ok, dup, busy atomic.Int64
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := o.Put(it.Msg, it.Meta)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrAlreadyQueued):
				dup.Add(1)
			case errors.Is(err, ErrBusy):
				busy.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || dup.Load()+busy.Load() != 7 {
		t.Fatalf("ok %d dup %d busy %d", ok.Load(), dup.Load(), busy.Load())
	}
	if _, err := o.Put(it.Msg, Meta{Reference: "bad/ref"}); err == nil {
		t.Error("a reference with a slash was accepted")
	}
	e, err := o.Put(it.Msg, Meta{})
	if err != nil || !ValidID(e.ID) {
		t.Fatalf("no reference: %+v %v", e, err)
	}
	if ids := listIDs(t, o); len(ids) != 2 {
		t.Errorf("entries %v", ids)
	}
	if err := o.Remove("ERASE-11"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Get("ERASE-11"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Remove: %v", err)
	}
	if err := o.Requeue(e.ID); err == nil {
		t.Error("Requeue of a waiting entry was accepted")
	}
}

func TestListEmpty(t *testing.T) {
	o := &Outbox{Dir: filepath.Join(t.TempDir(), "missing")}
	if es, err := o.List(); err != nil || len(es) != 0 {
		t.Fatalf("%v %v", es, err)
	}
	if rep, err := o.Retry(context.Background(), &SendmailSender{Path: "/nonexistent"}, Options{}); err != nil || len(rep.Sent) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestOutboxClock(t *testing.T) {
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	o := newOutbox(t)
	o.Now = func() time.Time { return at }
	e, err := o.Put(item(t, "ERASE-12").Msg, Meta{Reference: "ERASE-12"})
	if err != nil || !e.Created.Equal(at) {
		t.Fatalf("%+v %v", e, err)
	}
}

// TestDeliverProgress: Progress comes once per message, in order; with
// groups of one, right after the message went.
func TestDeliverProgress(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	defer func(n int) { groupMax = n }(groupMax)
	groupMax = 1
	items := []Item{item(t, "P1"), item(t, "P2"), item(t, "P3")}
	var seen []string
	rep, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, items, Options{
		Progress: func(i int, e Entry, err error) {
			seen = append(seen, fmt.Sprintf("%d:%s:%d:%v", i, e.ID, len(srv.Messages()), err == nil))
		}})
	if err != nil || len(rep.Sent) != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	want := "0:P1:1:true 1:P2:2:true 2:P3:3:true"
	if got := strings.Join(seen, " "); got != want {
		t.Errorf("progress\n got %s\nwant %s", got, want)
	}
	// A reference twice in one batch: nothing is queued.
	_, err = o.Deliver(context.Background(), &SMTPSender{Config: cfg}, []Item{item(t, "P4"), item(t, "P4")}, Options{})
	if err == nil || len(srv.Messages()) != 3 {
		t.Fatalf("duplicate in a batch: %v, %d delivered", err, len(srv.Messages()))
	}
	assertEmpty(t, o)
}

// TestMigrateV1: an outbox of erase 0.1 (flat ID.json and ID.RANDOM.eml
// files) left by an upgrade: the waiting letter is sent once, the
// delivered-unrecorded one recorded without sending, the refused one kept,
// and the debris removed.
func TestMigrateV1(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	sentAt := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	write := func(id, state string, extra string) []byte {
		it := item(t, id)
		file := id + ".1a2b3c4d.eml"
		if err := os.WriteFile(filepath.Join(o.Dir, file), it.Msg.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		e := fmt.Sprintf(`{"id":%q,"state":%q,"reference":%q,"from":%q,"to":["privacy@aliexpress.example"],"message_id":"m-%s@example.org","file":%q,"created":"2026-11-30T08:00:00Z","attempts":1%s,"extra":{"company":"aliexpress","kind":"erasure"}}`,
			id, state, id, it.Msg.From, id, file, extra)
		if err := os.WriteFile(filepath.Join(o.Dir, id+".json"), []byte(e), 0o600); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(o.Dir, id+".lock"), nil, 0o600)
		return it.Msg.Data
	}
	waiting := write("V1-WAIT", "pending", `,"last_error":"451 later"`)
	write("V1-SENT", "sent", `,"sent_at":"2026-11-30T09:00:00Z"`)
	write("V1-FAIL", "failed", `,"last_error":"550 no such user"`)
	os.WriteFile(filepath.Join(o.Dir, "V1-GONE.99.eml"), []byte("debris"), 0o600)
	os.WriteFile(filepath.Join(o.Dir, ".V1-WAIT.json.123.tmp"), []byte("{"), 0o600)

	rec := &recorder{}
	rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent) != 2 || len(rep.Recorded) != 1 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if !rep.Recorded[0].SentAt.Equal(sentAt) {
		t.Errorf("the delivered letter's time: %v, want %v", rep.Recorded[0].SentAt, sentAt)
	}
	got := srv.Messages()
	if len(got) != 1 || !bytes.Equal(got[0].Data, waiting) || rec.count("V1-WAIT") != 1 || rec.count("V1-SENT") != 1 {
		t.Fatalf("%d delivered, recorded %d and %d", len(got), rec.count("V1-WAIT"), rec.count("V1-SENT"))
	}
	if ids := listIDs(t, o); strings.Join(ids, " ") != "V1-FAIL:failed" {
		t.Errorf("outbox %v", ids)
	}
	if e, _ := o.Get("V1-FAIL"); !strings.Contains(e.LastError, "550") {
		t.Errorf("refused entry %+v", e)
	}
	des, _ := os.ReadDir(o.Dir)
	for _, de := range des {
		if !de.IsDir() && de.Name() != ".lock" {
			t.Errorf("left in the old layout: %s", de.Name())
		}
	}
}

// TestRemoveDamaged: an entry file that does not parse (a damaged disk)
// can still be removed, and a retry then has nothing to send.
func TestRemoveDamaged(t *testing.T) {
	o := newOutbox(t)
	if err := o.ensureDirs(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.path(StatePending, "ERASE-BAD"), []byte("{not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Get("ERASE-BAD"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a damaged entry: %v", err)
	}
	if err := o.Remove("ERASE-BAD"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Get("ERASE-BAD"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Remove: %v", err)
	}
	if err := o.Remove("ERASE-BAD"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Remove again: %v", err)
	}
}
