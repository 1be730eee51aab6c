package mail

import (
	"context"
	"time"
)

// Sender delivers rendered messages.
//
// Send delivers msgs in order and calls each(i, err) exactly once per
// message, in order, as soon as its fate is known: err nil means the
// server (or program) accepted it. When the connection cannot be set up,
// or is lost midway, every message not yet delivered gets the error
// (temporary when the connection was lost). Send returns nil when every
// message was delivered, else the first error. each may be nil.
type Sender interface {
	Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error
}

// SMTPSender sends over one SMTP connection per Send call: one EHLO,
// STARTTLS and AUTH for the whole batch, one transaction per message.
type SMTPSender struct {
	Config SMTPConfig
	// PerMinute, when positive, paces the messages: at most that many
	// per minute, evenly spaced (the first goes at once).
	PerMinute int

	dial dialFunc // tests only
}

// Send implements Sender.
func (s *SMTPSender) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
	var first error
	report := func(i int, err error) {
		if err != nil && first == nil {
			first = err
		}
		if each != nil {
			each(i, err)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	sess, err := dial(ctx, s.Config, s.dial)
	if err != nil {
		for i := range msgs {
			report(i, err)
		}
		return first
	}
	defer sess.close()
	p := newPacer(s.PerMinute)
	for i, m := range msgs {
		if err := p.wait(ctx); err != nil {
			terr := &TempError{Stage: StageMail, Err: err}
			for j := i; j < len(msgs); j++ {
				report(j, terr)
			}
			return first
		}
		report(i, sess.send(ctx, m))
	}
	return first
}

// pacer spaces events evenly: the n-th may start at start + n*interval.
type pacer struct {
	interval time.Duration
	next     time.Time
}

func newPacer(perMinute int) *pacer {
	if perMinute <= 0 {
		return &pacer{}
	}
	return &pacer{interval: time.Minute / time.Duration(perMinute)}
}

func (p *pacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.interval == 0 {
		return nil
	}
	now := time.Now()
	if p.next.IsZero() || !p.next.After(now) {
		p.next = now.Add(p.interval)
		return nil
	}
	t := time.NewTimer(p.next.Sub(now))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	p.next = p.next.Add(p.interval)
	return nil
}
