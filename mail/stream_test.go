package mail

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// chunked returns a next function for Queue that hands out items size at
// a time, and counts its calls.
func chunked(items []Item, size int, calls *int) func() ([]Item, error) {
	lo := 0
	return func() ([]Item, error) {
		*calls++
		if lo >= len(items) {
			return nil, nil
		}
		hi := min(lo+size, len(items))
		c := items[lo:hi]
		lo = hi
		return c, nil
	}
}

func streamItems(t *testing.T, prefix string, n int) []Item {
	var items []Item
	for i := range n {
		items = append(items, item(t, fmt.Sprintf("%s%02d", prefix, i)))
	}
	return items
}

// TestQueueInChunksThenSend: a batch queued in chunks is all in new/
// before anything is sent, then goes over one connection, each message
// recorded once, Progress once per message in order; the outbox ends
// empty.
func TestQueueInChunksThenSend(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-S", 20)
	calls := 0
	q, err := o.Queue(chunked(items, 7, &calls), nil)
	if err != nil || len(q.Entries) != 20 || calls != 4 {
		t.Fatalf("queue: %v, %d entries, %d calls", err, len(q.Entries), calls)
	}
	if es, _ := o.list(StatePending); len(es) != 20 || len(srv.Messages()) != 0 {
		t.Fatalf("%d waiting, %d sent before Send", len(es), len(srv.Messages()))
	}
	var progress []int
	rep, err := o.Send(context.Background(), &SMTPSender{Config: cfg}, q.Entries, Options{
		OnSentAll: rec.onSentAll,
		Progress: func(i int, e Entry, err error) {
			if err != nil || e.Reference != items[i].Meta.Reference {
				t.Errorf("progress %d: %s %v", i, e.Reference, err)
			}
			progress = append(progress, i)
		}})
	if err != nil || len(rep.Sent) != 20 || len(srv.Messages()) != 20 || srv.Connections() != 1 {
		t.Fatalf("%v: %d sent, %d delivered, %d connections", err, len(rep.Sent), len(srv.Messages()), srv.Connections())
	}
	if len(progress) != 20 || progress[19] != 19 {
		t.Errorf("progress %v", progress)
	}
	for _, it := range items {
		if rec.count(it.Meta.Reference) != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, rec.count(it.Meta.Reference))
		}
	}
	assertEmpty(t, o)
}

// TestQueueAllOrNothing: when the next chunk cannot be made, or admit
// refuses, or a reference comes twice, nothing is queued and no file is
// left.
func TestQueueAllOrNothing(t *testing.T) {
	o := newOutbox(t)
	items := streamItems(t, "ERASE-SN", 4)
	bad := errors.New("cannot render")
	calls := 0
	next := func() ([]Item, error) {
		calls++
		if calls == 1 {
			return items[:2], nil
		}
		return nil, bad
	}
	if _, err := o.Queue(next, nil); !errors.Is(err, bad) {
		t.Fatalf("next failed: %v", err)
	}
	assertEmpty(t, o)

	refuse := errors.New("a duplicate request")
	var seen int
	_, err := o.Queue(chunked(items, 3, new(int)), func(queued []Entry) error { seen = len(queued); return refuse })
	if !errors.Is(err, refuse) {
		t.Fatalf("admit refused: %v", err)
	}
	assertEmpty(t, o)

	dup := []Item{item(t, "ERASE-DUP1"), item(t, "ERASE-DUP2"), item(t, "ERASE-DUP1")}
	if _, err := o.Queue(chunked(dup, 2, new(int)), nil); err == nil {
		t.Fatal("a reference twice in a batch was queued")
	}
	assertEmpty(t, o)

	// admit sees what waits.
	if _, err := o.Queue(chunked(items[:2], 2, new(int)), nil); err != nil {
		t.Fatal(err)
	}
	_, err = o.Queue(chunked(items[2:], 2, new(int)), func(queued []Entry) error { seen = len(queued); return nil })
	if err != nil || seen != 2 {
		t.Fatalf("admit saw %d entries: %v", seen, err)
	}
	if _, err := o.Queue(chunked(items[:1], 1, new(int)), nil); !errors.Is(err, ErrAlreadyQueued) {
		t.Fatalf("a waiting reference queued again: %v", err)
	}
}

// TestQueueConcurrentAdmit: admissions are one at a time, so of several
// processes queueing the same request, each admit sees what the ones
// before queued, and exactly one gets through.
func TestQueueConcurrentAdmit(t *testing.T) {
	o := newOutbox(t)
	items := streamItems(t, "ERASE-C", 5)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := o.Queue(chunked(items, 2, new(int)), func(queued []Entry) error {
				if len(queued) > 0 {
					return errors.New("still open")
				}
				return nil
			})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if es, _ := o.List(); ok != 1 || len(es) != 5 {
		t.Fatalf("%d admitted, %d queued", ok, len(es))
	}
}

// TestSendAuthFailure: a refused login sends nothing, records nothing,
// reports every message unsent in order, and leaves the outbox empty.
func TestSendAuthFailure(t *testing.T) {
	srv, cfg := authServer(t)
	cfg.Password = "nope"
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-SA", 10)
	var progress []int
	rep, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, items, Options{
		OnSentAll: rec.onSentAll,
		Progress: func(i int, e Entry, err error) {
			var ae *AuthError
			if !errors.As(err, &ae) || e.Reference != items[i].Meta.Reference {
				t.Errorf("progress %d: %+v %v", i, e, err)
			}
			progress = append(progress, i)
		}})
	var ae *AuthError
	if !errors.As(err, &ae) || IsTemporary(err) || len(rep.Unsent) != 10 {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if len(progress) != 10 || progress[9] != 9 {
		t.Errorf("progress %v", progress)
	}
	if len(rec.groups) != 0 || len(srv.Messages()) != 0 || srv.Connections() != 1 {
		t.Error("recorded, delivered, or connected again")
	}
	assertEmpty(t, o)
}

// TestQueueFullDisk: a write, the sync or a link that fails (no space
// left, an I/O error) at any step of queueing leaves nothing queued and
// no file behind.
func TestQueueFullDisk(t *testing.T) {
	for _, step := range []string{"write", "sync", "link"} {
		t.Run(step, func(t *testing.T) {
			o := newOutbox(t)
			items := streamItems(t, "ERASE-F", 6)
			n := 0
			faultHook = func(s string) error {
				if s == step {
					if n++; n == 3 || s == "sync" {
						return syscall.ENOSPC
					}
				}
				return nil
			}
			defer func() { faultHook = nil }()
			_, err := o.Queue(chunked(items, 4, new(int)), nil)
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("err = %v", err)
			}
			assertEmpty(t, o)
		})
	}
}

// TestOutboxReadOnly: an outbox that cannot be written queues nothing and
// says why.
func TestOutboxReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	o := newOutbox(t)
	if err := o.ensureDirs(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(o.Dir, "tmp"), 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(filepath.Join(o.Dir, "tmp"), 0o700)
	_, err := o.Queue(chunked(streamItems(t, "ERASE-RO", 2), 2, new(int)), nil)
	if !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v", err)
	}
}

// TestSendOutOfFiles: when the outbox cannot be read midway (no file
// descriptors left), the letters sent so far are recorded, the rest wait
// in new/, and Retry sends them: each once.
func TestSendOutOfFiles(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-FD", 6)
	q, err := o.Queue(chunked(items, 6, new(int)), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	faultHook = func(step string) error {
		if step == "claim" {
			if n++; n == 3 {
				return syscall.EMFILE
			}
		}
		return nil
	}
	rep, err := o.Send(context.Background(), &SMTPSender{Config: cfg}, q.Entries, Options{OnSentAll: rec.onSentAll})
	faultHook = nil
	if !errors.Is(err, syscall.EMFILE) || len(rep.Sent) != 2 || len(rep.Waiting) != 4 || len(rep.Unsent) != 0 {
		t.Fatalf("%v: %d sent, %d waiting, %d unsent", err, len(rep.Sent), len(rep.Waiting), len(rep.Unsent))
	}
	if es, _ := o.list(StatePending); len(es) != 4 {
		t.Fatalf("%d waiting in new/", len(es))
	}
	rep, err = o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{OnSentAll: rec.onSentAll})
	if err != nil || len(rep.Sent) != 4 || len(srv.Messages()) != 6 {
		t.Fatalf("retry: %v, %d sent, %d delivered", err, len(rep.Sent), len(srv.Messages()))
	}
	for _, it := range items {
		if rec.count(it.Meta.Reference) != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, rec.count(it.Meta.Reference))
		}
	}
	assertEmpty(t, o)
}

// TestRetryLeavesUncommittedBatch: while a live process is still
// committing its batch (all in new/, its list not yet removed), a retry
// sends none of it; once committed, it goes.
func TestRetryLeavesUncommittedBatch(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	var during Report
	var duringErr error
	faultHook = func(step string) error {
		if step == "commit" {
			during, duringErr = o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{})
		}
		return nil
	}
	q, err := o.Queue(chunked(streamItems(t, "ERASE-U", 3), 3, new(int)), nil)
	faultHook = nil
	if err != nil || duringErr != nil || len(during.Sent)+len(during.Waiting) != 0 || len(srv.Messages()) != 0 {
		t.Fatalf("a retry during the commit: %v %v %+v, %d sent", err, duringErr, during, len(srv.Messages()))
	}
	rep, err := o.Send(context.Background(), &SMTPSender{Config: cfg}, q.Entries, Options{})
	if err != nil || len(rep.Sent) != 3 || len(srv.Messages()) != 3 {
		t.Fatalf("after the commit: %v, %d sent", err, len(srv.Messages()))
	}
	assertEmpty(t, o)
}
