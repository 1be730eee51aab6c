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

// Session is a delivery kept open across several Send calls, for a
// batch that comes in chunks: one SMTP connection (one EHLO, STARTTLS and
// AUTH) for all of them. Send is as Sender.Send for each chunk; Close
// ends it (QUIT). A Session is used by one goroutine at a time.
type Session interface {
	Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error
	Close() error
}

// SessionSender is a Sender that can keep its connection open across
// Send calls. The outbox's send loop uses it, one message per call; for
// any other Sender each message is one Send call.
type SessionSender interface {
	Sender
	Session() Session
}

// openSession is s's Session, or one Send call per chunk.
func openSession(s Sender) Session {
	if ss, ok := s.(SessionSender); ok {
		return ss.Session()
	}
	return senderSession{s}
}

type senderSession struct{ s Sender }

func (t senderSession) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
	return t.s.Send(ctx, msgs, each)
}

func (senderSession) Close() error { return nil }

// sessionLost reports whether s can deliver nothing more: its
// connection could not be set up or is gone.
func sessionLost(s Session) bool {
	t, ok := s.(*SMTPSession)
	return ok && (t.err != nil || t.sess == nil || t.sess.broken)
}

// Send implements Sender: one connection for msgs.
func (s *SMTPSender) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
	t := s.Session()
	defer t.Close()
	return t.Send(ctx, msgs, each)
}

// Session implements SessionSender.
func (s *SMTPSender) Session() Session {
	return &SMTPSession{s: s, p: newPacer(s.PerMinute)}
}

// SMTPSession is one SMTP connection, opened by the first Send that has a
// message, used by every later Send, closed by Close. When it cannot be
// set up, that Send and every later one report the error for each of
// their messages; when it is lost, every later message gets a temporary
// error. PerMinute paces the messages across all Send calls.
type SMTPSession struct {
	s      *SMTPSender
	p      *pacer
	sess   *session
	dialed bool
	err    error // why the connection could not be set up
}

// Send implements Session.
func (t *SMTPSession) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
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
	if !t.dialed {
		t.dialed = true
		t.sess, t.err = dial(ctx, t.s.Config, t.s.dial)
	}
	if t.err != nil {
		for i := range msgs {
			report(i, t.err)
		}
		return first
	}
	for i, m := range msgs {
		if err := t.p.wait(ctx); err != nil {
			terr := &TempError{Stage: StageMail, Err: err}
			for j := i; j < len(msgs); j++ {
				report(j, terr)
			}
			return first
		}
		report(i, t.sess.send(ctx, m))
	}
	return first
}

// Close implements Session: QUIT, when the connection is still usable.
func (t *SMTPSession) Close() error {
	if t.sess != nil {
		t.sess.close()
		t.sess = nil
	}
	return nil
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

// blocks reports whether wait would wait.
func (p *pacer) blocks() bool {
	return p.interval > 0 && !p.next.IsZero() && p.next.After(time.Now())
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
