package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

// peer is the server side of one connection to a misbehaving server.
type peer struct {
	t   *testing.T
	c   net.Conn
	r   *bufio.Reader
	tls *tls.Config
}

// say writes s to the client.
func (p *peer) say(s string) {
	if _, err := p.c.Write([]byte(s)); err != nil {
		p.t.Errorf("server: %v", err)
	}
}

// hear reads one command line and checks that it starts with verb.
func (p *peer) hear(verb string) {
	line, err := p.r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, verb) {
		p.t.Errorf("server: heard %q (%v), want %s", line, err, verb)
	}
}

// startTLS turns the connection into the server side of TLS.
func (p *peer) startTLS() {
	tc := tls.Server(p.c, p.tls)
	if err := tc.Handshake(); err != nil {
		p.t.Errorf("server: handshake: %v", err)
	}
	p.c, p.r = tc, bufio.NewReader(tc)
}

// floodCap is how much a flood sends at most: enough to show that erase
// stops reading early, not so much that a test of an unbounded client
// takes the machine down.
const floodCap = 64 << 20

// flood sends s over and over until the client hangs up (or floodCap).
func (p *peer) flood(s string) {
	b := bytes.Repeat([]byte(s), (32<<10)/len(s)+1)
	for sent := 0; sent < floodCap; sent += len(b) {
		if _, err := p.c.Write(b); err != nil {
			return
		}
	}
	// Hold the connection open until the client (or the test) closes it:
	// the client must not wait for the end.
	_, _ = io.Copy(io.Discard, p.c)
}

// hostile serves one connection with script and returns a config for it;
// mode is the TLS mode (the server's certificate is trusted).
func hostile(t *testing.T, mode TLSMode, script func(p *peer)) SMTPConfig {
	t.Helper()
	srvTLS, caPEM, err := smtptest.NewTLS()
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	conns := make(chan net.Conn, 1)
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		conns <- c
		p := &peer{t: t, c: c, r: bufio.NewReader(c), tls: srvTLS}
		if mode == TLSImplicit {
			p.startTLS()
		}
		script(p)
	}()
	t.Cleanup(func() {
		ln.Close()
		select {
		case c := <-conns:
			c.Close()
		default:
		}
		<-done
	})
	return SMTPConfig{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, TLS: mode, CAFile: ca, Timeout: 3 * time.Second}
}

// ehlo answers the greeting and EHLO as a well-behaved server, offering
// STARTTLS in clear.
func ehlo(p *peer, starttls bool) {
	p.say("220 mx.example.test ESMTP\r\n")
	p.hear("EHLO")
	if starttls {
		p.say("250-mx.example.test\r\n250 STARTTLS\r\n")
	} else {
		p.say("250-mx.example.test\r\n250 8BITMIME\r\n")
	}
}

func starttls(p *peer) {
	ehlo(p, true)
	p.hear("STARTTLS")
	p.say("220 go ahead\r\n")
	p.startTLS()
	p.hear("EHLO")
}

var (
	tooManyLines = "the server's reply was too long: over " + strconv.Itoa(maxReplyLines) + " lines"
	lineTooLong  = "the server's reply was too long: a line over " + strconv.Itoa(maxReplyLine) + " octets"
	tlsTooLong   = "the server's reply was too long: over " + strconv.Itoa(maxTLSStart) + " octets"
)

// TestHostileReplies: a server (or anyone on the path before TLS) that
// sends a reply without end gets a temporary error naming the limit, at
// once, and erase reads no more than a little over the limit.
func TestHostileReplies(t *testing.T) {
	cases := []struct {
		name   string
		mode   TLSMode
		script func(p *peer)
		stage  string
		text   string
	}{
		{"greeting continued", TLSNone, func(p *peer) { p.flood("220-hello\r\n") }, StageGreeting, tooManyLines},
		{"greeting one line", TLSNone, func(p *peer) { p.say("220 "); p.flood("hello ") }, StageGreeting, lineTooLong},
		{"greeting bad code", TLSNone, func(p *peer) { p.say("22x-hello\r\n"); p.flood("22x hello\r\n") }, StageGreeting, tooManyLines},
		{"greeting before STARTTLS", TLSStartTLS, func(p *peer) { p.flood("220-hello\r\n") }, StageGreeting, tooManyLines},
		{"EHLO continued", TLSNone, func(p *peer) {
			p.say("220 mx\r\n")
			p.hear("EHLO")
			p.flood("250-SIZE\r\n")
		}, StageEHLO, tooManyLines},
		{"EHLO other lines", TLSNone, func(p *peer) {
			// net/textproto reads on after a line with another code
			// or none: so must the limit.
			p.say("220 mx\r\n")
			p.hear("EHLO")
			p.say("250-mx\r\n")
			p.flood("251 not the end\r\n\r\n")
		}, StageEHLO, tooManyLines},
		{"EHLO one line", TLSNone, func(p *peer) {
			p.say("220 mx\r\n")
			p.hear("EHLO")
			p.say("250-mx\r\n250 ")
			p.flood("AUTH PLAIN ")
		}, StageEHLO, lineTooLong},
		{"STARTTLS reply", TLSStartTLS, func(p *peer) {
			ehlo(p, true)
			p.hear("STARTTLS")
			p.flood("220-go ahead\r\n")
		}, StageSTARTTLS, tooManyLines},
		{"EHLO after STARTTLS", TLSStartTLS, func(p *peer) {
			starttls(p)
			p.flood("250-SIZE\r\n")
		}, StageSTARTTLS, tlsTooLong},
		{"MAIL after STARTTLS", TLSStartTLS, func(p *peer) {
			starttls(p)
			p.say("250-mx\r\n250 8BITMIME\r\n")
			p.hear("MAIL")
			p.flood("250-ok\r\n")
		}, StageMail, tooManyLines},
		{"AUTH after STARTTLS", TLSStartTLS, func(p *peer) {
			starttls(p)
			p.say("250-mx\r\n250 AUTH PLAIN\r\n")
			p.hear("AUTH")
			p.flood("235-ok\r\n")
		}, StageAuth, tooManyLines},
		{"greeting over TLS", TLSImplicit, func(p *peer) { p.flood("220-hello\r\n") }, StageGreeting, tlsTooLong},
		{"EHLO over TLS", TLSImplicit, func(p *peer) {
			p.say("220 mx\r\n")
			p.hear("EHLO")
			p.say("250 ")
			p.flood("x")
		}, StageEHLO, lineTooLong},
		{"MAIL in clear", TLSNone, func(p *peer) {
			ehlo(p, false)
			p.hear("MAIL")
			p.say("250 ok\r\n")
			p.hear("RCPT")
			p.flood("250-ok\r\n")
		}, StageRcpt, tooManyLines},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := hostile(t, tc.mode, tc.script)
			if tc.stage == StageAuth {
				cfg.User, cfg.Password = testUser, testPass
			}
			msg := render(t, letter("R1"))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			err := (&SMTPSender{Config: cfg}).Send(context.Background(), []*Rendered{msg}, nil)
			took := time.Since(start)
			runtime.ReadMemStats(&after)

			var te *TempError
			if !errors.As(err, &te) || te.Stage != tc.stage {
				t.Fatalf("err = %v, want a temporary error at %s", err, tc.stage)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %q, want it to say %q", err, tc.text)
			}
			if !IsTemporary(err) {
				t.Errorf("%v is not temporary", err)
			}
			if took > time.Second {
				t.Errorf("took %v", took)
			}
			// The server side allocates little (it writes one buffer over
			// and over); what the client read is bounded by the limits.
			if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
				t.Errorf("allocated %d MiB", n>>20)
			}
		})
	}
}

// TestReplyLimitsAllowLongReplies: a reply at the limits is read in full.
func TestReplyLimitsAllowLongReplies(t *testing.T) {
	long := "250 " + strings.Repeat("x", maxReplyLine-6) + "\r\n"
	cfg := hostile(t, TLSNone, func(p *peer) {
		p.say("220-" + strings.Repeat("g", maxReplyLine-6) + "\r\n")
		p.say(strings.Repeat("220-hello\r\n", maxReplyLines-2) + "220 hello\r\n")
		p.hear("EHLO")
		p.say(strings.Repeat("250-SIZE\r\n", maxReplyLines-1) + "250 8BITMIME\r\n")
		p.hear("MAIL")
		p.say(long)
		p.hear("RCPT")
		p.say(long)
		p.hear("RCPT")
		p.say(long)
		p.hear("DATA")
		p.say("354 go on\r\n")
		for {
			line, err := p.r.ReadString('\n')
			if err != nil || line == ".\r\n" {
				break
			}
		}
		p.say("250 queued\r\n")
		p.hear("QUIT")
		p.say("221 bye\r\n")
	})
	if err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1"))); err != nil {
		t.Fatal(err)
	}
}

// TestLimitConnStopsAtTLS: after the reply to STARTTLS the connection
// passes the server's octets through unparsed (TLS records have no lines),
// and drops what came in clear after that reply.
func TestLimitConnStopsAtTLS(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	handshake := bytes.Repeat([]byte{0x16, 0x03, 0x03, 'x'}, 2*maxReplyLine) // no LF
	go func() {
		defer server.Close()
		server.Write([]byte("250 STARTTLS\r\n"))
		server.Write([]byte("220 go ahead\r\n250 injected in clear\r\n"))
		server.Write(handshake)
	}()
	lc := newLimitConn(client)
	r := bufio.NewReader(lc)
	for _, want := range []string{"250 STARTTLS\r\n", "220 go ahead\r\n"} {
		if want == "220 go ahead\r\n" {
			lc.startTLS()
		}
		if line, err := r.ReadString('\n'); line != want || err != nil {
			t.Fatalf("read %q (%v), want %q", line, err, want)
		}
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, handshake) {
		t.Fatalf("after STARTTLS read %d octets (%v), starting %q; want the %d of the handshake", len(got), err, got[:min(len(got), 40)], len(handshake))
	}
}
