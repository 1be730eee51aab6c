package mail

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/erase-cli/erase/internal/smtptest"
)

// chunked returns a next function for DeliverStream that hands out items
// size at a time, and counts its calls.
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

// TestDeliverStream: a batch in chunks goes over one connection, each
// message recorded once, Progress once per message in order across
// chunks, and the outbox ends empty.
func TestDeliverStream(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	const n = 50
	items := streamItems(t, "ERASE-S", n)
	var progress []string
	calls := 0
	rep, err := o.DeliverStream(context.Background(), &SMTPSender{Config: cfg}, chunked(items, 7, &calls), Options{
		OnSentAll: rec.onSentAll,
		Progress: func(i int, e Entry, err error) {
			progress = append(progress, fmt.Sprintf("%d:%s:%v", i, e.ID, err))
		}})
	if err != nil || len(rep.Sent) != n {
		t.Fatalf("%v, %d sent", err, len(rep.Sent))
	}
	if calls != n/7+2 {
		t.Errorf("next called %d times", calls)
	}
	got := srv.Messages()
	if len(got) != n || srv.Connections() != 1 {
		t.Fatalf("%d delivered over %d connections", len(got), srv.Connections())
	}
	for i, m := range got {
		if !strings.Contains(string(m.Data), items[i].Meta.Reference) {
			t.Errorf("message %d out of order", i)
		}
	}
	for i, it := range items {
		if c := rec.count(it.Meta.Reference); c != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, c)
		}
		if want := fmt.Sprintf("%d:%s:<nil>", i, it.Meta.Reference); i >= len(progress) || progress[i] != want {
			t.Fatalf("progress %v", progress)
		}
	}
	if des, _ := os.ReadDir(o.Dir); len(des) != 0 {
		t.Errorf("%d files left in the outbox", len(des))
	}
}

// TestDeliverStreamDurableFirst: every message is complete in the outbox
// before it is sent, and the messages of a chunk are sent in one Send
// call.
func TestDeliverStreamDurableFirst(t *testing.T) {
	o := newOutbox(t)
	items := streamItems(t, "ERASE-SD", 20)
	var mu sync.Mutex
	sent, sends := 0, 0
	s := senderFunc(func(ctx context.Context, msgs []*Rendered, each func(int, error)) error {
		mu.Lock()
		defer mu.Unlock()
		sends++
		for i, m := range msgs {
			ref := items[sent+i].Meta.Reference
			stored, err := o.Message(ref)
			if err != nil || string(stored.Data) != string(m.Data) {
				t.Errorf("before sending: %s: %v", ref, err)
			}
		}
		sent += len(msgs)
		for i := range msgs {
			each(i, nil)
		}
		return nil
	})
	calls := 0
	rep, err := o.DeliverStream(context.Background(), s, chunked(items, 6, &calls), Options{OnSentAll: (&batchRecorder{}).onSentAll})
	if err != nil || len(rep.Sent) != len(items) || sends != 4 {
		t.Fatalf("%v, %d sent in %d calls", err, len(rep.Sent), sends)
	}
}

// TestDeliverStreamMixed: refusals in different chunks end as in
// Deliver: the temporary one pending, the permanent one failed.
func TestDeliverStreamMixed(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-SM", 9)
	srv.PassNext(2)
	srv.FailNext(1, smtptest.StageRcpt, 451, "4.3.0 greylisted") // SM02, first chunk
	srv.PassNext(3)
	srv.FailNext(1, smtptest.StageData, 554, "5.7.1 rejected") // SM06, third chunk
	calls := 0
	rep, err := o.DeliverStream(context.Background(), &SMTPSender{Config: cfg}, chunked(items, 3, &calls), Options{OnSentAll: rec.onSentAll})
	if err == nil || !IsTemporary(err) {
		t.Fatalf("error %v", err)
	}
	if len(rep.Sent) != 7 || len(rep.Waiting) != 1 || len(rep.Failed) != 1 {
		t.Fatalf("report %+v", rep)
	}
	want := []string{"ERASE-SM02:pending", "ERASE-SM06:failed"}
	if got := listIDs(t, o); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	if srv.Connections() != 1 {
		t.Errorf("%d connections", srv.Connections())
	}
}

// TestDeliverStreamAuthFailure: a refused login leaves nothing in the
// outbox, records nothing, and reports every message of every chunk
// unsent, in order; later chunks are not even put.
func TestDeliverStreamAuthFailure(t *testing.T) {
	srv, cfg := authServer(t)
	cfg.Password = "nope"
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-SA", 10)
	var progress []int
	calls := 0
	rep, err := o.DeliverStream(context.Background(), &SMTPSender{Config: cfg}, chunked(items, 4, &calls), Options{
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
	if des, _ := os.ReadDir(o.Dir); len(des) != 0 {
		t.Errorf("%d files left in the outbox", len(des))
	}
}

// TestDeliverStreamNextFails: when the next chunk cannot be made, the
// chunks before are delivered and recorded, and the error is returned.
func TestDeliverStreamNextFails(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	items := streamItems(t, "ERASE-SN", 4)
	bad := errors.New("cannot render")
	calls := 0
	next := func() ([]Item, error) {
		calls++
		switch calls {
		case 1:
			return items[:2], nil
		case 2:
			return items[2:], nil
		}
		return nil, bad
	}
	rep, err := o.DeliverStream(context.Background(), &SMTPSender{Config: cfg}, next, Options{OnSentAll: rec.onSentAll})
	if !errors.Is(err, bad) || len(rep.Sent) != 4 || len(srv.Messages()) != 4 {
		t.Fatalf("%v %+v", err, rep)
	}
	if des, _ := os.ReadDir(o.Dir); len(des) != 0 {
		t.Errorf("%d files left in the outbox", len(des))
	}
}

// TestDeliverStreamDuplicateAcrossChunks: a reference may be only once in
// the whole batch, even in different chunks.
func TestDeliverStreamDuplicateAcrossChunks(t *testing.T) {
	_, cfg := authServer(t)
	o := newOutbox(t)
	items := []Item{item(t, "ERASE-DUP1"), item(t, "ERASE-DUP2"), item(t, "ERASE-DUP1")}
	calls := 0
	var errs []error
	rep, err := o.DeliverStream(context.Background(), &SMTPSender{Config: cfg}, chunked(items, 2, &calls), Options{
		OnSentAll: (&batchRecorder{}).onSentAll,
		Progress:  func(i int, e Entry, err error) { errs = append(errs, err) },
	})
	if !errors.Is(err, ErrAlreadyQueued) || len(rep.Sent) != 2 || len(errs) != 3 || !errors.Is(errs[2], ErrAlreadyQueued) {
		t.Fatalf("%v %+v %v", err, rep, errs)
	}
}
