package mail

import (
	"context"
	"fmt"
	"testing"
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

// BenchmarkSend1000 sends 1,000 messages over one connection (STARTTLS
// and AUTH once) to the loopback server. Allocations include the
// server's, which runs in the same process.
func BenchmarkSend1000(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
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

// BenchmarkDeliver1000 is BenchmarkSend1000 through the outbox: each
// message is written (fsync) before sending, marked, and removed.
func BenchmarkDeliver1000(b *testing.B) {
	srv, cfg := authServer(b)
	msgs := benchMessages(b, 1000)
	s := &SMTPSender{Config: cfg}
	b.ReportAllocs()
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
