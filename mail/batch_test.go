package mail

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/erase-cli/erase/internal/smtptest"
)

// batchRecorder is an OnSentAll that counts per reference and can refuse
// some references.
type batchRecorder struct {
	mu     sync.Mutex
	seen   map[string]int
	groups []int
	refuse map[string]bool
}

func (r *batchRecorder) onSentAll(es []Entry) []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	r.groups = append(r.groups, len(es))
	var errs []error
	for i, e := range es {
		if e.State != StateSent || e.SentAt.IsZero() {
			panic(fmt.Sprintf("entry handed to OnSentAll: %+v", e))
		}
		if r.refuse[e.Reference] {
			if errs == nil {
				errs = make([]error, len(es))
			}
			errs[i] = errors.New("ledger is read-only")
			continue
		}
		r.seen[e.Reference]++
	}
	return errs
}

func (r *batchRecorder) count(ref string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[ref]
}

// TestDeliverBatch: a batch goes over one connection; each delivered
// message is recorded once, in groups; Progress comes once per message,
// in order; the outbox ends empty.
func TestDeliverBatch(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{}
	const n = 60
	var items []Item
	for i := range n {
		items = append(items, item(t, fmt.Sprintf("ERASE-B%02d", i)))
	}
	var progress []string
	rep, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, items, Options{
		OnSentAll: rec.onSentAll,
		Progress: func(i int, e Entry, err error) {
			progress = append(progress, fmt.Sprintf("%d:%s:%v", i, e.ID, err))
		}})
	if err != nil || len(rep.Sent) != n {
		t.Fatalf("%v, %d sent", err, len(rep.Sent))
	}
	if got := srv.Messages(); len(got) != n || got[0].Conn != got[n-1].Conn {
		t.Fatalf("%d delivered", len(got))
	}
	for i, it := range items {
		if c := rec.count(it.Meta.Reference); c != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, c)
		}
		if want := fmt.Sprintf("%d:%s:<nil>", i, it.Meta.Reference); i >= len(progress) || progress[i] != want {
			t.Fatalf("progress %d: %v", i, progress)
		}
		if rep.Sent[i].ID != it.Meta.Reference {
			t.Errorf("report: sent[%d] is %s", i, rep.Sent[i].ID)
		}
	}
	if len(progress) != n {
		t.Errorf("%d progress calls", len(progress))
	}
	total := 0
	for _, g := range rec.groups {
		total += g
	}
	if total != n {
		t.Errorf("groups %v", rec.groups)
	}
	assertEmpty(t, o)
}

// TestDeliverBatchMixed: in one batch, refusals (temporary and permanent)
// and a failed record each end where they should, and a retry sends only
// what waits and records what was not.
func TestDeliverBatchMixed(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	rec := &batchRecorder{refuse: map[string]bool{"ERASE-M3": true}}
	s := &SMTPSender{Config: cfg}
	var items []Item
	for i := range 6 {
		items = append(items, item(t, fmt.Sprintf("ERASE-M%d", i)))
	}
	srv.PassNext(1)
	srv.FailNext(1, smtptest.StageRcpt, 451, "4.3.0 greylisted") // M1
	srv.FailNext(1, smtptest.StageData, 554, "5.7.1 rejected")   // M2
	rep, err := o.Deliver(context.Background(), s, items, Options{OnSentAll: rec.onSentAll})
	if err == nil {
		t.Fatal("no error")
	}
	if len(rep.Sent) != 3 || len(rep.Waiting) != 1 || len(rep.Failed) != 1 || len(rep.Unrecorded) != 1 {
		t.Fatalf("report %+v", rep)
	}
	want := []string{"ERASE-M1:pending", "ERASE-M2:failed", "ERASE-M3:sent"}
	if got := listIDs(t, o); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	if e, _ := o.Get("ERASE-M1"); e.Attempts != 1 || !strings.Contains(e.LastError, "451") {
		t.Errorf("waiting entry %+v", e)
	}
	if e, _ := o.Get("ERASE-M2"); !strings.Contains(e.LastError, "554") {
		t.Errorf("failed entry %+v", e)
	}
	if e, _ := o.Get("ERASE-M3"); e.SentAt.IsZero() || e.State != StateSent {
		t.Errorf("unrecorded entry %+v", e)
	}

	rec.refuse = nil
	before := len(srv.Messages())
	rep, err = o.Retry(context.Background(), s, Options{OnSentAll: rec.onSentAll})
	if err != nil || len(rep.Sent) != 2 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if got := srv.Messages(); len(got)-before != 1 || !strings.Contains(string(got[len(got)-1].Data), "ERASE-M1") {
		t.Fatalf("retry sent %d messages", len(got)-before)
	}
	for i, want := range []int{1, 1, 0, 1, 1, 1} {
		if c := rec.count(fmt.Sprintf("ERASE-M%d", i)); c != want {
			t.Errorf("ERASE-M%d recorded %d times, want %d", i, c, want)
		}
	}
	if got := listIDs(t, o); strings.Join(got, " ") != "ERASE-M2:failed" {
		t.Errorf("outbox %v", got)
	}
}

// TestDeliverBatchDurableFirst: every message of a batch is in the outbox,
// complete, before the first one is sent.
func TestDeliverBatchDurableFirst(t *testing.T) {
	o := newOutbox(t)
	var items []Item
	for i := range 20 {
		items = append(items, item(t, fmt.Sprintf("ERASE-D%02d", i)))
	}
	s := senderFunc(func(ctx context.Context, msgs []*Rendered, each func(int, error)) error {
		for i := range msgs {
			m, err := o.Message(items[i].Meta.Reference)
			if err != nil || string(m.Data) != string(items[i].Msg.Data) {
				t.Errorf("before sending: %s: %v", items[i].Meta.Reference, err)
			}
		}
		matches, _ := filepath.Glob(filepath.Join(o.Dir, "*.tmp"))
		if len(matches) != 0 {
			t.Errorf("temporary files before sending: %v", matches)
		}
		for i := range msgs {
			each(i, nil)
		}
		return nil
	})
	rep, err := o.Deliver(context.Background(), s, items, Options{OnSentAll: (&batchRecorder{}).onSentAll})
	if err != nil || len(rep.Sent) != len(items) {
		t.Fatalf("%v %+v", err, rep)
	}
}

// TestOnSentAllBadResults: an OnSentAll that answers for the wrong number
// of entries records nothing: every entry stays, marked sent.
func TestOnSentAllBadResults(t *testing.T) {
	o := newOutbox(t)
	items := []Item{item(t, "ERASE-X1"), item(t, "ERASE-X2")}
	s := senderFunc(func(ctx context.Context, msgs []*Rendered, each func(int, error)) error {
		for i := range msgs {
			each(i, nil)
		}
		return nil
	})
	rep, err := o.Deliver(context.Background(), s, items, Options{OnSentAll: func(es []Entry) []error {
		return []error{nil}
	}})
	if err == nil || len(rep.Unrecorded) != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
	if got := listIDs(t, o); strings.Join(got, " ") != "ERASE-X1:sent ERASE-X2:sent" {
		t.Errorf("outbox %v", got)
	}
}

type senderFunc func(ctx context.Context, msgs []*Rendered, each func(int, error)) error

func (f senderFunc) Send(ctx context.Context, msgs []*Rendered, each func(int, error)) error {
	return f(ctx, msgs, each)
}

// TestRetryRecordsAndSends: a retry records the entries left delivered
// but unrecorded, without sending them, while it sends those waiting.
func TestRetryRecordsAndSends(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	s := &SMTPSender{Config: cfg}
	var items []Item
	refuse := map[string]bool{}
	for i := range 8 {
		items = append(items, item(t, fmt.Sprintf("ERASE-R%d", i)))
		if i < 5 {
			refuse[items[i].Meta.Reference] = true
		}
	}
	srv.PassNext(5)
	srv.FailNext(3, smtptest.StageMail, 451, "4.3.2 try later")
	rec := &batchRecorder{refuse: refuse}
	rep, _ := o.Deliver(context.Background(), s, items, Options{OnSentAll: rec.onSentAll})
	if len(rep.Unrecorded) != 5 || len(rep.Waiting) != 3 {
		t.Fatalf("deliver: %+v", rep)
	}
	rec.refuse = nil
	var progress []int
	rep, err := o.Retry(context.Background(), s, Options{OnSentAll: rec.onSentAll,
		Progress: func(i int, e Entry, err error) { progress = append(progress, i) }})
	if err != nil || len(rep.Sent) != 8 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	if n := len(srv.Messages()); n != 8 {
		t.Errorf("%d delivered in all, want 8", n)
	}
	for _, it := range items {
		if c := rec.count(it.Meta.Reference); c != 1 {
			t.Errorf("%s recorded %d times", it.Meta.Reference, c)
		}
	}
	if fmt.Sprint(progress) != "[0 1 2 3 4 5 6 7]" { // 5 recorded, then 3 sent
		t.Errorf("progress %v", progress)
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox %v", ids)
	}
}
