package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

func send1(t *testing.T, s Sender, r *Rendered) error {
	t.Helper()
	calls := 0
	err := s.Send(context.Background(), []*Rendered{r}, func(i int, err error) { calls++ })
	if calls != 1 {
		t.Errorf("callback called %d times, want 1", calls)
	}
	return err
}

// TestSendFieldByField sends the letter over STARTTLS with AUTH and takes
// the received message apart.
func TestSendFieldByField(t *testing.T) {
	srv, cfg := authServer(t)
	const ref = "ERASE-20261127-K3F9QX"
	m := letter(ref)
	m.MessageID = "" // random, at the sender's domain
	m.From = Address{Name: "Jane Doe", Email: "jane@mail.example.org"}
	m.Attachment = pdfBytes(t, 36<<10)
	r := render(t, m)
	if err := send1(t, &SMTPSender{Config: cfg}, r); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages received", len(got))
	}
	rc := got[0]
	if !rc.TLS || rc.AuthUser != testUser {
		t.Errorf("TLS=%v auth=%q", rc.TLS, rc.AuthUser)
	}
	if rc.Helo != "localhost" {
		t.Errorf("EHLO %q: the host name must not leak", rc.Helo)
	}
	if rc.From != "jane@mail.example.org" || strings.Join(rc.To, ",") != "privacy@aliexpress.example,jane@example.org" {
		t.Errorf("envelope %s -> %v", rc.From, rc.To)
	}
	if !bytes.Equal(rc.Data, r.Data) {
		t.Error("received bytes differ from the rendered ones")
	}
	p := parse(t, rc.Data)
	h := p.msg.Header
	want := map[string]string{
		"From":     `"Jane Doe" <jane@mail.example.org>`,
		"To":       `"AliExpress Privacy" <privacy@aliexpress.example>`,
		"Cc":       `"Jane Doe" <jane@example.org>`,
		"Reply-To": `"Jane Doe" <jane@example.org>`,
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	if s, _ := newDecoder().DecodeHeader(h.Get("Subject")); s != m.Subject || !strings.Contains(s, ref) {
		t.Errorf("Subject = %q", s)
	}
	for _, k := range []string{"User-Agent", "X-Mailer", "Bcc", "X-Originating-IP"} {
		if _, ok := h[k]; ok {
			t.Errorf("header %s present", k)
		}
	}
	id := h.Get("Message-ID")
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@mail.example.org>") || id != "<"+r.MessageID+">" {
		t.Errorf("Message-ID %q (rendered %q)", id, r.MessageID)
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date %v %v", d, err)
	}
	if p.text != strings.ReplaceAll(m.Text, "\n", "\r\n") {
		t.Errorf("text body %q", p.text)
	}
	if !bytes.Equal(p.attachment, m.Attachment) || p.attName != "letter.pdf" || p.attType != "application/pdf" {
		t.Errorf("attachment %q %q, %d bytes, identical=%v", p.attName, p.attType, len(p.attachment), bytes.Equal(p.attachment, m.Attachment))
	}
}

func TestSendImplicitTLSAndLOGIN(t *testing.T) {
	srv, cfg := startServer(t, smtptest.Options{ImplicitTLS: true, User: testUser, Password: testPass, Mechanisms: []string{"LOGIN"}})
	if cfg.TLS != TLSImplicit {
		t.Fatal(cfg.TLS)
	}
	if err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1"))); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || !got[0].TLS || got[0].AuthUser != testUser {
		t.Fatalf("received %+v", got)
	}
}

func TestSendWithoutAuth(t *testing.T) {
	srv, cfg := startServer(t, smtptest.Options{})
	if err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1"))); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || !got[0].TLS || got[0].AuthUser != "" {
		t.Fatalf("received %+v", got)
	}
}

func TestWrongPassword(t *testing.T) {
	srv, cfg := authServer(t)
	cfg.Password = "wrong-password-123"
	err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1")))
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Code != 535 || ae.Enhanced != "5.7.8" || IsTemporary(err) {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(err.Error(), cfg.Password) {
		t.Error("the error shows the password")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
	if err := Check(context.Background(), cfg); !errors.As(err, &ae) {
		t.Errorf("Check = %v", err)
	}
}

func TestCheck(t *testing.T) {
	srv, cfg := authServer(t)
	if err := Check(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if ok, _ := srv.AuthAttempts(); ok != 1 || len(srv.Messages()) != 0 {
		t.Errorf("auth ok=%d, %d messages", ok, len(srv.Messages()))
	}
}

func TestNoSTARTTLSRefused(t *testing.T) {
	srv, cfg := startServer(t, smtptest.Options{NoSTARTTLS: true, User: testUser, Password: testPass})
	cfg.TLS = "" // the default: starttls
	err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1")))
	if !errors.Is(err, ErrNoSTARTTLS) || IsTemporary(err) {
		t.Fatalf("err = %v", err)
	}
	if ok, failed := srv.AuthAttempts(); ok+failed != 0 {
		t.Error("the password was sent")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestUnknownCARefused(t *testing.T) {
	srv, cfg := authServer(t)
	other, err := smtptest.Start(smtptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherCA := t.TempDir() + "/other.pem"
	if err := other.WriteCA(otherCA); err != nil {
		t.Fatal(err)
	}
	for name, ca := range map[string]string{"system roots": "", "another CA": otherCA} {
		c := cfg
		c.CAFile = ca
		err := send1(t, &SMTPSender{Config: c}, render(t, letter("R1")))
		var te *TLSError
		var ua x509.UnknownAuthorityError
		if !errors.As(err, &te) || !errors.As(err, &ua) || IsTemporary(err) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if ok, failed := srv.AuthAttempts(); ok+failed != 0 {
		t.Error("the password was sent")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestHostnameMismatchRefused(t *testing.T) {
	_, cfg := authServer(t)
	// The certificate names localhost and loopback addresses; reach the
	// same server under a name it does not carry.
	cfg.Host = "localhost.localdomain.invalid"
	s := &SMTPSender{Config: cfg, dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		var d net.Dialer
		return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}}
	err := send1(t, s, render(t, letter("R1")))
	var te *TLSError
	var he x509.HostnameError
	if !errors.As(err, &te) || !errors.As(err, &he) {
		t.Fatalf("err = %v", err)
	}
}

// TestNoneAuthLoopback: tls none with AUTH to 127.0.0.2 works: our rule
// is net.IP.IsLoopback, not go-mail's isLocalhost (127.0.0.1, ::1 and
// "localhost" only), which would refuse it.
func TestNoneAuthLoopback(t *testing.T) {
	srv, err := smtptest.Start(smtptest.Options{Addr: "127.0.0.2:0", NoSTARTTLS: true, User: testUser, Password: testPass})
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	defer srv.Close()
	cfg := SMTPConfig{Host: "127.0.0.2", Port: srv.Port(), TLS: TLSNone, User: testUser, Password: testPass, Timeout: 5 * time.Second}
	if err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1"))); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].TLS || got[0].AuthUser != testUser {
		t.Fatalf("received %+v", got)
	}
}

// TestNoneAuthNotLoopbackRefused: tls none with AUTH is refused unless
// the address connected to is a loopback address, before the password
// goes out.
func TestNoneAuthNotLoopbackRefused(t *testing.T) {
	srv, cfg := startServer(t, smtptest.Options{NoSTARTTLS: true, User: testUser, Password: testPass})

	// 1. A literal address: refused before connecting.
	c := cfg
	c.Host = "192.0.2.1"
	s := &SMTPSender{Config: c, dial: func(context.Context, string, string) (net.Conn, error) {
		t.Error("dialed")
		return nil, errors.New("no")
	}}
	if err := send1(t, s, render(t, letter("R1"))); !errors.Is(err, ErrInsecureAuth) || IsTemporary(err) {
		t.Errorf("literal 192.0.2.1: %v", err)
	}

	// 2. A name that leads to an address that is not loopback: refused
	// after connecting, before AUTH.
	c = cfg
	c.Host = "smtp.example.test"
	s = &SMTPSender{Config: c, dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return fakeRemote("192.0.2.1:"+port)(ctx, network, net.JoinHostPort(cfg.Host, port))
	}}
	if err := send1(t, s, render(t, letter("R1"))); !errors.Is(err, ErrInsecureAuth) {
		t.Errorf("name to 192.0.2.1: %v", err)
	}
	if ok, failed := srv.AuthAttempts(); ok+failed != 0 {
		t.Errorf("AUTH was attempted (%d ok, %d failed)", ok, failed)
	}

	// 3. A real interface address, if the machine has one.
	if ip := smtptest.NonLoopbackIPv4(); ip != "" {
		srv2, err := smtptest.Start(smtptest.Options{Addr: ip + ":0", NoSTARTTLS: true, User: testUser, Password: testPass})
		if err == nil {
			defer srv2.Close()
			c := SMTPConfig{Host: ip, Port: srv2.Port(), TLS: TLSNone, User: testUser, Password: testPass, Timeout: 5 * time.Second}
			if err := send1(t, &SMTPSender{Config: c}, render(t, letter("R1"))); !errors.Is(err, ErrInsecureAuth) {
				t.Errorf("%s: %v", ip, err)
			}
			if ok, failed := srv2.AuthAttempts(); ok+failed != 0 {
				t.Errorf("AUTH was attempted at %s", ip)
			}
			// Without a user, tls none is allowed anywhere (a relay that
			// takes mail by address) -- but this server wants AUTH.
			c.User, c.Password = "", ""
			var pe *PermError
			if err := send1(t, &SMTPSender{Config: c}, render(t, letter("R1"))); !errors.As(err, &pe) || pe.Code != 502 {
				t.Errorf("%s without user: %v", ip, err)
			}
		}
	}

	// 4. Without a user, none is fine to a non-loopback address.
	srv3, cfg3 := startServer(t, smtptest.Options{NoSTARTTLS: true})
	c = cfg3
	c.Host = "relay.example.test"
	s = &SMTPSender{Config: c, dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return fakeRemote("192.0.2.1:"+port)(ctx, network, net.JoinHostPort(cfg3.Host, port))
	}}
	if err := send1(t, s, render(t, letter("R1"))); err != nil {
		t.Errorf("none without AUTH: %v", err)
	}
	if len(srv3.Messages()) != 1 {
		t.Error("not delivered")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestTemporaryAndPermanentReplies(t *testing.T) {
	srv, cfg := authServer(t)
	cases := []struct {
		stage smtptest.Stage
		code  int
		text  string
		temp  bool
	}{
		{smtptest.StageMail, 451, "4.3.0 mail server busy", true},
		{smtptest.StageRcpt, 450, "4.2.1 mailbox full", true},
		{smtptest.StageData, 452, "4.3.1 out of storage", true},
		{smtptest.StageMail, 553, "5.7.1 sender not allowed", false},
		{smtptest.StageRcpt, 550, "5.1.1 no such user", false},
		{smtptest.StageData, 554, "5.6.0 content rejected", false},
	}
	for _, c := range cases {
		srv.FailNext(1, c.stage, c.code, c.text)
		err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1")))
		wantEnh, wantText, _ := strings.Cut(c.text, " ")
		if c.temp {
			var te *TempError
			if !errors.As(err, &te) || te.Code != c.code || te.Enhanced != wantEnh || te.Text != wantText ||
				te.Stage != string(c.stage) || !IsTemporary(err) {
				t.Errorf("%s %d: %#v", c.stage, c.code, err)
			}
		} else {
			var pe *PermError
			if !errors.As(err, &pe) || pe.Code != c.code || pe.Enhanced != wantEnh || pe.Text != wantText ||
				pe.Stage != string(c.stage) || !pe.MessageRefused() || IsTemporary(err) {
				t.Errorf("%s %d: %#v", c.stage, c.code, err)
			}
			if !strings.Contains(err.Error(), c.text) {
				t.Errorf("error %q lacks the server's reply", err)
			}
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

// TestBatchOneConnection: many messages, one connection, one callback
// per message in order; a refusal of one does not stop the others.
func TestBatchOneConnection(t *testing.T) {
	srv, cfg := authServer(t)
	var msgs []*Rendered
	for i := range 5 {
		msgs = append(msgs, render(t, letter("R"+string(rune('A'+i)))))
	}
	var order []int
	err := (&SMTPSender{Config: cfg}).Send(context.Background(), msgs, func(i int, err error) {
		order = append(order, i)
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 5 || order[0] != 0 || order[4] != 4 {
		t.Fatalf("callback order %v", order)
	}
	got := srv.Messages()
	if len(got) != 5 || srv.Connections() != 1 {
		t.Fatalf("%d messages over %d connections", len(got), srv.Connections())
	}
	for i := range got {
		if !bytes.Equal(got[i].Data, msgs[i].Data) || got[i].Conn != 1 {
			t.Errorf("message %d differs or came over connection %d", i, got[i].Conn)
		}
	}

	// A 550 on the second of three: the first and third still go.
	srv.Reset()
	c0 := srv.Connections()
	s := &SMTPSender{Config: cfg}
	ctx := context.Background()
	results := make([]error, 3)
	srv.PassNext(1)
	srv.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 no such user")
	err = s.Send(ctx, msgs[:3], func(i int, err error) { results[i] = err })
	var pe *PermError
	if !errors.As(err, &pe) || results[0] != nil || !errors.As(results[1], &pe) || results[2] != nil {
		t.Fatalf("err %v, results %v", err, results)
	}
	if n := len(srv.Messages()); n != 2 || srv.Connections() != c0+1 {
		t.Fatalf("%d delivered over %d connections", n, srv.Connections()-c0)
	}
}

// TestDropMidBatch: the connection drops during the DATA of the second of
// three messages: the first is delivered, the second and third get
// temporary errors, and the connection is not reused.
func TestDropMidBatch(t *testing.T) {
	srv, cfg := authServer(t)
	var msgs []*Rendered
	for _, ref := range []string{"R1", "R2", "R3"} {
		m := letter(ref)
		m.Attachment = pdfBytes(t, 8<<10)
		msgs = append(msgs, render(t, m))
	}
	srv.PassNext(1)
	srv.DropNext(1, smtptest.StageData)
	results := make([]error, 3)
	err := (&SMTPSender{Config: cfg}).Send(context.Background(), msgs, func(i int, err error) { results[i] = err })
	if !IsTemporary(err) || results[0] != nil || !IsTemporary(results[1]) || !IsTemporary(results[2]) {
		t.Fatalf("err %v, results %v", err, results)
	}
	if got := srv.Messages(); len(got) != 1 || !bytes.Equal(got[0].Data, msgs[0].Data) {
		t.Fatalf("%d delivered", len(got))
	}
}

func TestServer421ClosesSession(t *testing.T) {
	srv, cfg := authServer(t)
	srv.FailNext(1, smtptest.StageMail, 421, "4.7.0 too many errors, closing")
	msgs := []*Rendered{render(t, letter("R1")), render(t, letter("R2"))}
	results := make([]error, 2)
	_ = (&SMTPSender{Config: cfg}).Send(context.Background(), msgs, func(i int, err error) { results[i] = err })
	var te *TempError
	if !errors.As(results[0], &te) || te.Code != 421 || !IsTemporary(results[1]) {
		t.Fatalf("results %v", results)
	}
}

func TestRateLimit(t *testing.T) {
	srv, cfg := authServer(t)
	msgs := []*Rendered{render(t, letter("R1")), render(t, letter("R2")), render(t, letter("R3"))}
	var mu sync.Mutex
	var at []time.Time
	start := time.Now()
	err := (&SMTPSender{Config: cfg, PerMinute: 1200}).Send(context.Background(), msgs, func(i int, err error) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	// 1200 per minute: 50 ms apart; three messages take at least 100 ms.
	if el := time.Since(start); el < 100*time.Millisecond {
		t.Errorf("3 messages at 1200/min took %v", el)
	}
	// The third message may not start before 100 ms have passed; the
	// callbacks' spacing says nothing (a slow first delivery, under load,
	// reports late and close to the second).
	if len(at) != 3 || at[2].Sub(start) < 100*time.Millisecond {
		t.Errorf("callbacks at %v, started %v", at, start)
	}
	if len(srv.Messages()) != 3 {
		t.Error("not all delivered")
	}
}

func TestCancelledContext(t *testing.T) {
	srv, cfg := authServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := (&SMTPSender{Config: cfg}).Send(ctx, []*Rendered{render(t, letter("R1"))}, nil)
	if !IsTemporary(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// Cancelled while pacing.
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	results := make([]error, 2)
	err = (&SMTPSender{Config: cfg, PerMinute: 1}).Send(ctx, []*Rendered{render(t, letter("R1")), render(t, letter("R2"))},
		func(i int, err error) { results[i] = err })
	if !IsTemporary(err) {
		t.Errorf("Send returned %v, want the temporary error of the unsent message", err)
	}
	if results[0] != nil || !IsTemporary(results[1]) || !errors.Is(results[1], context.DeadlineExceeded) {
		t.Fatalf("results %v", results)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d delivered", n)
	}
}

func TestConnectionRefusedIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := SMTPConfig{Host: "127.0.0.1", Port: port, Timeout: time.Second}
	err = send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1")))
	var te *TempError
	if !errors.As(err, &te) || te.Stage != StageConnect {
		t.Fatalf("err = %v", err)
	}
}

func TestImplicitTLSToPlainServer(t *testing.T) {
	_, cfg := startServer(t, smtptest.Options{NoSTARTTLS: true})
	cfg.TLS = TLSImplicit
	err := send1(t, &SMTPSender{Config: cfg}, render(t, letter("R1")))
	var te *TLSError
	var rh tls.RecordHeaderError
	if !errors.As(err, &te) || !errors.As(err, &rh) {
		t.Fatalf("err = %v", err)
	}
}
