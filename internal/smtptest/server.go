// Package smtptest runs a real SMTP server in the test process, for tests
// of erase's mail delivery: github.com/emersion/go-smtp on a loopback
// address, with STARTTLS (or implicit TLS) under a certificate signed by a
// throw-away CA it generates, AUTH PLAIN and LOGIN with one configured
// user, and faults on demand: the next N transactions can be answered with
// a given 4xx or 5xx reply at MAIL, RCPT or DATA, or have the connection
// dropped there.
//
//	srv, err := smtptest.Start(smtptest.Options{User: "u", Password: "p"})
//	defer srv.Close()
//	srv.WriteCA(filepath.Join(dir, "ca.pem")) // trust it: SMTPConfig.CAFile
//	srv.FailNext(1, smtptest.StageRcpt, 451, "4.3.0 try again later")
//	... send to srv.Host(), srv.Port() ...
//	msgs := srv.Messages()
//
// Received messages are kept in arrival order with their envelope, raw
// bytes (as received, dot-unstuffed), the authenticated user, the TLS state
// and the number of the TCP connection they came over. A Server is safe for
// concurrent use.
package smtptest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server. The zero value is a STARTTLS server on
// 127.0.0.1 that accepts mail without AUTH.
type Options struct {
	// Addr is the listen address; default "127.0.0.1:0". Use
	// "127.0.0.2:0" to test loopback addresses other than 127.0.0.1.
	Addr string
	// User and Password: when User is set, AUTH is offered and required
	// before MAIL.
	User, Password string
	// Mechanisms offered for AUTH: "PLAIN", "LOGIN"; default PLAIN only.
	Mechanisms []string
	// NoSTARTTLS: do not offer STARTTLS. AUTH is then offered in clear.
	NoSTARTTLS bool
	// ImplicitTLS: TLS from the first byte, as on port 465.
	ImplicitTLS bool
	// Domain is the name in the greeting; default "mx.smtptest.invalid".
	Domain string
	// MaxMessageBytes, when positive, is announced in SIZE and enforced.
	MaxMessageBytes int64
	// ReadTimeout for the server side of a connection; default 10s.
	ReadTimeout time.Duration
	// Log receives go-smtp's error log; default: discarded.
	Log io.Writer
}

// Stage is the point of a transaction where a fault strikes.
type Stage string

// The stages of a mail transaction.
const (
	StageMail Stage = "MAIL"
	StageRcpt Stage = "RCPT"
	StageData Stage = "DATA"
)

// Received is one accepted message.
type Received struct {
	From     string
	To       []string
	Data     []byte
	AuthUser string // empty when the session did not authenticate
	TLS      bool
	Helo     string
	Conn     int // 1-based number of the TCP connection it came over
	At       time.Time
}

// Server is a running test SMTP server.
type Server struct {
	opts Options
	srv  *smtp.Server
	ln   net.Listener
	ca   *authority
	done chan struct{}
	// closing is closed when Close starts, releasing stalled sessions.
	closing chan struct{}
	closed  sync.Once

	mu        sync.Mutex
	msgs      []Received
	faults    []fault
	conns     int
	authFails int
	authOK    int
	stalled   int
	// cond is signalled whenever a message arrives.
	cond *sync.Cond
}

type fault struct {
	stage    Stage
	code     int
	enhanced smtp.EnhancedCode
	text     string
	drop     bool
	stall    bool
}

// Start listens and serves in the background until Close.
func Start(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Domain == "" {
		opts.Domain = "mx.smtptest.invalid"
	}
	if len(opts.Mechanisms) == 0 {
		opts.Mechanisms = []string{sasl.Plain}
	}
	for _, m := range opts.Mechanisms {
		if m != sasl.Plain && m != sasl.Login {
			return nil, fmt.Errorf("smtptest: unsupported AUTH mechanism %q", m)
		}
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 10 * time.Second
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtptest: address %q: %w", opts.Addr, err)
	}
	ca, err := newAuthority(host)
	if err != nil {
		return nil, err
	}
	raw, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("smtptest: %w", err)
	}
	s := &Server{opts: opts, ca: ca, done: make(chan struct{}), closing: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	var ln net.Listener = &countingListener{Listener: raw, s: s}
	tlsConfig := ca.serverConfig()
	if opts.ImplicitTLS {
		ln = tls.NewListener(ln, tlsConfig)
	}
	s.ln = ln

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = opts.Domain
	srv.ReadTimeout = opts.ReadTimeout
	srv.WriteTimeout = opts.ReadTimeout
	srv.MaxMessageBytes = opts.MaxMessageBytes
	srv.EnableSMTPUTF8 = true
	if !opts.NoSTARTTLS && !opts.ImplicitTLS {
		srv.TLSConfig = tlsConfig
	}
	// Without STARTTLS the only way to test AUTH is in clear.
	srv.AllowInsecureAuth = opts.NoSTARTTLS
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	srv.ErrorLog = writerLogger{logw}
	s.srv = srv
	go func() {
		defer close(s.done)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Addr is the listen address, host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host is the listen IP address as text.
func (s *Server) Host() string {
	h, _, _ := net.SplitHostPort(s.Addr())
	return h
}

// Port is the listen port.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr())
	n, _ := strconv.Atoi(p)
	return n
}

// CAPEM is the PEM certificate of the CA that signed the server's
// certificate.
func (s *Server) CAPEM() []byte { return append([]byte(nil), s.ca.pem...) }

// WriteCA writes CAPEM to path (0600).
func (s *Server) WriteCA(path string) error { return os.WriteFile(path, s.ca.pem, 0o600) }

// Close stops the server, closing every connection, and waits for it.
func (s *Server) Close() error {
	var err error
	s.closed.Do(func() {
		close(s.closing)
		err = s.srv.Close()
		// A Close that runs before the serving goroutine has started finds
		// no listener to close in the server: close it here too, or Serve
		// would then wait on it for good (a test that uses no connection
		// hung in its cleanup this way, under load).
		s.ln.Close()
		<-s.done
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	return err
}

// Messages returns a copy of the messages received so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		m.Data = append([]byte(nil), m.Data...)
		out[i] = m
	}
	return out
}

// WaitMessages waits until at least n messages have arrived or the timeout
// passes, and returns Messages.
func (s *Server) WaitMessages(n int, timeout time.Duration) []Received {
	deadline := time.Now().Add(timeout)
	t := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer t.Stop()
	s.mu.Lock()
	for len(s.msgs) < n && time.Now().Before(deadline) {
		select {
		case <-s.done:
			s.mu.Unlock()
			return s.Messages()
		default:
		}
		s.cond.Wait()
	}
	s.mu.Unlock()
	return s.Messages()
}

// Reset forgets the received messages and pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = nil
	s.faults = nil
}

// Connections is the number of TCP connections accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// AuthAttempts reports how many AUTH exchanges succeeded and failed.
func (s *Server) AuthAttempts() (ok, failed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authOK, s.authFails
}

var enhancedRE = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3}) `)

// FailNext makes each of the next n transactions (counted from MAIL)
// answer code and text at stage. A text starting with an enhanced status
// code ("4.3.0 try later") uses it; otherwise X.0.0 is sent.
func (s *Server) FailNext(n int, stage Stage, code int, text string) {
	f := fault{stage: stage, code: code, text: text}
	if m := enhancedRE.FindStringSubmatch(text); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		f.enhanced = smtp.EnhancedCode{a, b, c}
		f.text = text[len(m[0]):]
	}
	s.addFaults(n, f)
}

// DropNext makes each of the next n transactions lose its connection at
// stage: at MAIL or RCPT the connection closes instead of a reply; at
// DATA it closes after part of the message has been read, before the
// final reply.
func (s *Server) DropNext(n int, stage Stage) {
	s.addFaults(n, fault{stage: stage, drop: true})
}

// StallNext makes each of the next n transactions hang at stage until the
// server is closed: at DATA, after the whole message has been read and
// before the reply, so the client cannot know whether it was accepted.
// Such messages are not stored. Stalled counts them.
func (s *Server) StallNext(n int, stage Stage) {
	s.addFaults(n, fault{stage: stage, stall: true})
}

// Stalled is the number of transactions hanging because of StallNext.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}

// PassNext lets the next n transactions through untouched, so that the
// faults queued after it strike later ones.
func (s *Server) PassNext(n int) {
	s.addFaults(n, fault{})
}

func (s *Server) addFaults(n int, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

func (s *Server) nextFault() *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return nil
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return &f
}

// countingListener numbers accepted connections.
type countingListener struct {
	net.Listener
	s *Server
}

type numberedConn struct {
	net.Conn
	n int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.mu.Lock()
	l.s.conns++
	n := l.s.conns
	l.s.mu.Unlock()
	return &numberedConn{Conn: c, n: n}, nil
}

func connNumber(c net.Conn) int {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if nc, ok := c.(*numberedConn); ok {
		return nc.n
	}
	return 0
}

type writerLogger struct{ w io.Writer }

func (l writerLogger) Printf(format string, v ...any) { fmt.Fprintf(l.w, format+"\n", v...) }
func (l writerLogger) Println(v ...any)               { fmt.Fprintln(l.w, v...) }

// session is one SMTP session (go-smtp starts a new one after STARTTLS).
type session struct {
	s        *Server
	c        *smtp.Conn
	authUser string
	from     string
	to       []string
	fault    *fault
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, c: c}, nil
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.User == "" {
		return nil
	}
	return ss.s.opts.Mechanisms
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.s.opts.User == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	offered := false
	for _, m := range ss.s.opts.Mechanisms {
		offered = offered || m == mech
	}
	if !offered {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	check := func(user, pass string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if user != ss.s.opts.User || pass != ss.s.opts.Password {
			ss.s.authFails++
			return smtp.ErrAuthFailed
		}
		ss.s.authOK++
		ss.authUser = user
		return nil
	}
	if mech == sasl.Login {
		return &loginServer{check: check}, nil
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if identity != "" && identity != user {
			return smtp.ErrAuthFailed
		}
		return check(user, pass)
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.authUser == "" {
		return smtp.ErrAuthRequired
	}
	ss.from, ss.to = from, nil
	ss.fault = ss.s.nextFault()
	return ss.strike(StageMail)
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.strike(StageRcpt); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if f := ss.fault; f != nil && f.stage == StageData && f.drop {
		// Read part of the message, then vanish before the final reply.
		_, _ = io.CopyN(io.Discard, r, 512)
		_ = ss.c.Conn().Close()
		return errors.New("smtptest: connection dropped during DATA")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.strike(StageData); err != nil {
		return err
	}
	_, isTLS := ss.c.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, Received{
		From: ss.from, To: append([]string(nil), ss.to...), Data: data,
		AuthUser: ss.authUser, TLS: isTLS, Helo: ss.c.Hostname(),
		Conn: connNumber(ss.c.Conn()), At: time.Now(),
	})
	ss.s.cond.Broadcast()
	ss.s.mu.Unlock()
	return nil
}

// strike applies the transaction's fault if it is due at stage.
func (ss *session) strike(stage Stage) error {
	f := ss.fault
	if f == nil || f.stage != stage {
		return nil
	}
	if f.stall {
		ss.s.mu.Lock()
		ss.s.stalled++
		ss.s.mu.Unlock()
		<-ss.s.closing
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "shutting down"}
	}
	if f.drop {
		_ = ss.c.Conn().Close()
		return errors.New("smtptest: connection dropped")
	}
	// Once answered, the fault is spent for this transaction; a RCPT fault
	// strikes every recipient of it.
	if stage != StageRcpt {
		ss.fault = nil
	}
	return &smtp.SMTPError{Code: f.code, EnhancedCode: f.enhanced, Message: f.text}
}

func (ss *session) Reset() {
	ss.from, ss.to, ss.fault = "", nil, nil
}

func (ss *session) Logout() error { return nil }

// loginServer is the server side of the LOGIN mechanism, which go-sasl
// only implements as a client.
type loginServer struct {
	check    func(user, pass string) error
	step     int
	username string
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if len(response) > 0 { // initial response carries the user name
			l.username = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.username = string(response)
		l.step++
		return []byte("Password:"), false, nil
	case 2:
		l.step++
		return nil, true, l.check(l.username, string(response))
	}
	return nil, false, errors.New("smtptest: unexpected LOGIN response")
}

// NonLoopbackIPv4 returns an IPv4 address of a local interface that is not
// a loopback address, or "" when the machine has none; for tests that need
// a server on an address net.IP.IsLoopback rejects.
func NonLoopbackIPv4() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		return ipn.IP.String()
	}
	return ""
}
