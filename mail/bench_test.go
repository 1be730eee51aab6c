package mail

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/erase-cli/erase/ledger"
)

// benchMessages renders n letters, each with a ~36 KB attachment (the size
// of the real letter PDF).
func benchMessages(b *testing.B, n int) []*Rendered {
	pdf := pdfBytes(b, 36<<10)
	msgs := make([]*Rendered, n)
	for i := range msgs {
		m := letter(fmt.Sprintf("ERASE-20261127-%06d", i))
		m.Attachment = pdf
		msgs[i] = render(b, m)
	}
	return msgs
}

func reportPerMessage(b *testing.B, n int) {
	el := b.Elapsed()
	b.ReportMetric(float64(el.Milliseconds())/float64(b.N), "ms/1000msgs")
	b.ReportMetric(float64(el.Microseconds())/1000/float64(b.N*n), "ms/msg")
}

// peakHeap samples the Go heap in use (objects, live or not yet swept,
// plus unused heap spans) every millisecond, without stopping the world,
// until report: peak-heap-MB, the test server's copies of the messages
// included.
func peakHeap(b *testing.B) (report func()) {
	runtime.GC()
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64()+samples[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
}

// BenchmarkSend1000 sends 1,000 messages over one connection (STARTTLS
// and AUTH once) to the loopback server. Allocations include the
// server's, which runs in the same process.
func BenchmarkSend1000(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
	defer peakHeap(b)()
	b.ResetTimer()
	for range b.N {
		if err := s.Send(context.Background(), msgs, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n := len(srv.Messages()); n != len(msgs) {
			b.Fatalf("%d delivered", n)
		}
		srv.Reset()
		b.StartTimer()
	}
	reportPerMessage(b, len(msgs))
}

// BenchmarkSend1000NewConnection sends the same 1,000 messages with a new
// connection (TCP, STARTTLS, AUTH) for each.
func BenchmarkSend1000NewConnection(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, m := range msgs {
			if err := s.Send(context.Background(), []*Rendered{m}, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if n := len(srv.Messages()); n != len(msgs) {
			b.Fatalf("%d delivered", n)
		}
		srv.Reset()
		b.StartTimer()
	}
	reportPerMessage(b, len(msgs))
}

// BenchmarkDeliver1000 is BenchmarkSend1000 through the outbox: the
// batch is written and synced before sending; delivered messages are
// recorded (OnSent does nothing here) and removed, in groups.
func BenchmarkDeliver1000(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
	defer peakHeap(b)()
	b.ResetTimer()
	for i := range b.N {
		o := &Outbox{Dir: b.TempDir()}
		items := make([]Item, len(msgs))
		for j, m := range msgs {
			items[j] = Item{Msg: m, Meta: Meta{Reference: fmt.Sprintf("R%d-%d", i, j)}}
		}
		rep, err := o.Deliver(context.Background(), s, items, Options{OnSent: func(Entry) error { return nil }})
		if err != nil || len(rep.Sent) != len(msgs) {
			b.Fatalf("%v, %d sent", err, len(rep.Sent))
		}
		b.StopTimer()
		srv.Reset()
		b.StartTimer()
	}
	reportPerMessage(b, len(msgs))
}

// BenchmarkDeliver1000Ledger is BenchmarkDeliver1000 recording each
// delivered message in a ledger, as erase send does (ledger.AddAll, one
// sync per group).
func BenchmarkDeliver1000Ledger(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
	defer peakHeap(b)()
	b.ResetTimer()
	for i := range b.N {
		dir := b.TempDir()
		o := &Outbox{Dir: filepath.Join(dir, "outbox")}
		led := &ledger.Ledger{Dir: filepath.Join(dir, "requests")}
		items := make([]Item, len(msgs))
		for j, m := range msgs {
			items[j] = Item{Msg: m, Meta: Meta{Reference: fmt.Sprintf("R%d-%d", i, j)}}
		}
		rep, err := o.Deliver(context.Background(), s, items, Options{OnSentAll: addAll(led)})
		if err != nil || len(rep.Sent) != len(msgs) {
			b.Fatalf("%v, %d sent", err, len(rep.Sent))
		}
		b.StopTimer()
		srv.Reset()
		b.StartTimer()
	}
	reportPerMessage(b, len(msgs))
}

// addAll records entries in led, as erase send does.
func addAll(led *ledger.Ledger) func([]Entry) []error {
	return func(es []Entry) []error {
		recs := make([]ledger.Record, len(es))
		for i, e := range es {
			recs[i] = ledger.Record{Reference: e.Reference, Contact: e.To[0], Kind: "erasure", Sent: e.SentAt, MessageID: e.MessageID}
		}
		errs := led.AddAll(recs)
		for i, err := range errs {
			if errors.Is(err, ledger.ErrExists) {
				errs[i] = nil
			}
		}
		return errs
	}
}
