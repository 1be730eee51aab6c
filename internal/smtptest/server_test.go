package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

func tlsConfig(t *testing.T, s *Server) *tls.Config {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CAPEM()) {
		t.Fatal("CAPEM holds no certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: s.Host()}
}

func dialAuth(t *testing.T, s *Server, mech sasl.Client) *smtp.Client {
	t.Helper()
	c, err := smtp.DialStartTLS(s.Addr(), tlsConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if mech != nil {
		if err := c.Auth(mech); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestDeliverAndInspect(t *testing.T) {
	s, err := Start(Options{User: "u", Password: "p", Mechanisms: []string{"PLAIN", "LOGIN"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := dialAuth(t, s, sasl.NewPlainClient("", "u", "p"))
	body := "Subject: hi\r\n\r\n.leading dot\r\nbye\r\n"
	if err := c.SendMail("a@example.org", []string{"b@example.org", "c@example.org"}, strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if m.From != "a@example.org" || strings.Join(m.To, ",") != "b@example.org,c@example.org" ||
		string(m.Data) != body || m.AuthUser != "u" || !m.TLS || m.Conn != 1 || m.Helo == "" {
		t.Errorf("%+v", m)
	}
	if s.Connections() != 1 {
		t.Errorf("%d connections", s.Connections())
	}
	if ok, failed := s.AuthAttempts(); ok != 1 || failed != 0 {
		t.Errorf("auth %d/%d", ok, failed)
	}
}

func TestAuthRequiredAndRefused(t *testing.T) {
	s, err := Start(Options{User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := dialAuth(t, s, nil)
	var se *smtp.SMTPError
	if err := c.Mail("a@example.org", nil); !errors.As(err, &se) || se.Code != 502 {
		t.Errorf("MAIL without AUTH: %v", err)
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "wrong")); !errors.As(err, &se) || se.Code != 535 {
		t.Errorf("wrong password: %v", err)
	}
	if _, failed := s.AuthAttempts(); failed != 1 {
		t.Errorf("failed = %d", failed)
	}
	c.Close()
	// LOGIN is offered only when asked for.
	c = dialAuth(t, s, nil)
	if c.SupportsAuth("LOGIN") || !c.SupportsAuth("PLAIN") {
		t.Error("mechanisms")
	}
	c.Close()
}

func TestFaults(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := dialAuth(t, s, nil)
	defer c.Close()
	send := func() error {
		return c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader("Subject: x\r\n\r\nx\r\n"))
	}
	s.PassNext(1)
	s.FailNext(1, StageRcpt, 451, "4.3.0 later")
	s.FailNext(1, StageData, 554, "nope")
	if err := send(); err != nil {
		t.Fatalf("first: %v", err)
	}
	var se *smtp.SMTPError
	if err := send(); !errors.As(err, &se) || se.Code != 451 || se.EnhancedCode != (smtp.EnhancedCode{4, 3, 0}) || se.Message != "later" {
		t.Errorf("second: %#v", err)
	}
	_ = c.Reset()
	if err := send(); !errors.As(err, &se) || se.Code != 554 || se.EnhancedCode != (smtp.EnhancedCode{5, 0, 0}) {
		t.Errorf("third: %#v", err)
	}
	if err := send(); err != nil {
		t.Errorf("fourth: %v", err)
	}
	if n := len(s.Messages()); n != 2 {
		t.Errorf("%d messages", n)
	}
	s.DropNext(1, StageData)
	if err := send(); err == nil {
		t.Error("dropped connection: no error")
	}
	s.Reset()
	if len(s.Messages()) != 0 {
		t.Error("Reset kept messages")
	}
}

func TestNoSTARTTLSAndImplicitTLS(t *testing.T) {
	plain, err := Start(Options{NoSTARTTLS: true, User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	c, err := smtp.Dial(plain.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Hello("localhost"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS offered")
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "p")); err != nil {
		t.Errorf("AUTH in clear: %v", err)
	}
	c.Close()

	implicit, err := Start(Options{ImplicitTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	defer implicit.Close()
	c, err = smtp.DialTLS(implicit.Addr(), tlsConfig(t, implicit))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader("x\r\n")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if m := implicit.Messages(); len(m) != 1 || !m[0].TLS {
		t.Errorf("%+v", m)
	}
}

func TestConcurrentAndClose(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := smtp.DialStartTLS(s.Addr(), tlsConfig(t, s))
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			for range 5 {
				if err := c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader("x\r\n")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	if got := s.WaitMessages(40, 5*time.Second); len(got) != 40 {
		t.Errorf("%d messages", len(got))
	}
	wg.Wait()
	if s.Connections() != 8 {
		t.Errorf("%d connections", s.Connections())
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := smtp.Dial(s.Addr()); err == nil {
		t.Error("still listening after Close")
	}
}

// TestCloseAtOnce: a server closed right after it starts, before its
// goroutine serves, still closes (it once hung a test's cleanup).
func TestCloseAtOnce(t *testing.T) {
	for i := 0; i < 200; i++ {
		s, err := Start(Options{})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { s.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Close did not return")
		}
	}
}
