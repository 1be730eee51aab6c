package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/erase-cli/erase/internal/badinput"
)

// noChunking makes the client use DATA even where the server offers
// CHUNKING; tests set it to cover the DATA path, since the test server
// always offers CHUNKING.
var noChunking bool

// TLSMode is how the SMTP connection is encrypted.
type TLSMode string

const (
	// TLSStartTLS: plain connect, then STARTTLS, which must be offered
	// (port 587). The default.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit: TLS from the first byte (port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone: no encryption, only when named. AUTH is then allowed only
	// to a loopback address (net.IP.IsLoopback: 127.0.0.0/8 and ::1).
	TLSNone TLSMode = "none"
)

// SMTPConfig is where and how to deliver. The password is the caller's to
// find (environment, file, helper command); String and GoString never
// show it and no error carries it.
type SMTPConfig struct {
	Host     string
	Port     int // 0: 587 for starttls and none, 465 for tls
	User     string
	Password string
	TLS      TLSMode // "" means starttls
	// CAFile is a PEM file of CA certificates to trust instead of the
	// system's. Certificates are always verified.
	CAFile string
	// Timeout for connecting and for each command; 0 means 30s.
	Timeout time.Duration
	// HeloName is the name sent in EHLO; empty means "localhost", so the
	// machine's host name is not disclosed.
	HeloName string
}

// String describes the configuration without the password.
func (c SMTPConfig) String() string {
	pw := ""
	if c.Password != "" {
		pw = " password=<redacted>"
	}
	return fmt.Sprintf("smtp://%s@%s:%d tls=%s%s", c.User, c.Host, c.port(), c.mode(), pw)
}

// GoString is String, so %#v does not show the password either.
func (c SMTPConfig) GoString() string { return "mail.SMTPConfig{" + c.String() + "}" }

func (c SMTPConfig) mode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c SMTPConfig) port() int {
	if c.Port != 0 {
		return c.Port
	}
	if c.mode() == TLSImplicit {
		return 465
	}
	return 587
}

func (c SMTPConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 30 * time.Second
}

func (c SMTPConfig) helo() string {
	if c.HeloName != "" {
		return c.HeloName
	}
	return "localhost"
}

var heloRE = regexp.MustCompile(`^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$`)

// Validate checks the configuration without connecting. Its errors are
// bad input (exit 2) naming the setting.
func (c SMTPConfig) Validate() error {
	if c.Host == "" {
		return badinput.Errorf("smtp host is not set").Hint("set smtp.host in the config file")
	}
	if strings.ContainsAny(c.Host, " \t\r\n/@") {
		return badinput.Errorf("smtp host %q is not a host name or address", c.Host)
	}
	if c.Port < 0 || c.Port > 65535 {
		return badinput.Errorf("smtp port %d: want 1 to 65535", c.Port)
	}
	switch c.mode() {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return badinput.Errorf("smtp tls mode %q: want starttls, tls or none", c.TLS)
	}
	if c.HeloName != "" && !heloRE.MatchString(c.HeloName) {
		return badinput.Errorf("smtp helo name %q: want a host name or an address literal", c.HeloName)
	}
	if strings.ContainsAny(c.User, "\r\n") {
		return badinput.Errorf("smtp user contains a line break")
	}
	if c.User != "" && c.mode() == TLSNone {
		if ip := net.ParseIP(c.Host); ip != nil && !ip.IsLoopback() {
			return fmt.Errorf("smtp tls mode none with a user, to %s: %w", c.Host, ErrInsecureAuth)
		}
	}
	if c.CAFile != "" {
		if _, err := c.rootCAs(); err != nil {
			return err
		}
	}
	return nil
}

func (c SMTPConfig) rootCAs() (*x509.CertPool, error) {
	if c.CAFile == "" {
		return nil, nil // the system's
	}
	pemBytes, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, badinput.Errorf("smtp ca file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, badinput.Errorf("smtp ca file %s holds no PEM certificate", c.CAFile)
	}
	return pool, nil
}

func (c SMTPConfig) tlsConfig() (*tls.Config, error) {
	pool, err := c.rootCAs()
	if err != nil {
		return nil, err
	}
	// Never InsecureSkipVerify: the certificate must chain to the pool
	// (or the system's roots) and name the host.
	return &tls.Config{ServerName: c.Host, RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// dialFunc dials TCP; tests replace it to present another remote address.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Limits on an SMTP server's replies. go-mail's smtp package reads them
// with net/textproto, which has no limit: a greeting that never ends, sent
// before STARTTLS by anyone on the path, would make erase read until
// memory runs out. Mail servers limit what clients send in the same way.
const (
	// maxReplyLine is the longest reply line, CRLF included. RFC 5321
	// 4.5.3.1.5 says 512 octets; some servers send longer EHLO lines.
	maxReplyLine = 2048
	// maxReplyLines is the most lines of one reply; an EHLO reply, the
	// longest, has one line per extension: a dozen or two.
	maxReplyLines = 128
	// maxTLSStart bounds what the server sends, encrypted, from the start
	// of TLS until go-mail has read its first reply over TLS (the greeting
	// on port 465, the EHLO reply after STARTTLS). go-mail reads that reply
	// before erase can check its lines; this leaves room for a certificate
	// chain (crypto/tls takes up to 256 KiB) and a reply at the limits.
	maxTLSStart = 1 << 20
)

// replyLimiter reads a server's replies and fails once a line or a reply
// goes over the limits. It reads a reply as net/textproto does: a first
// line "250-…" starts a reply that goes on, whatever the lines between,
// until a line "250 …" with the same code. It passes on whole lines only,
// so that a line cut short by the limit is not read as a whole one
// (bufio.Reader.ReadLine would).
type replyLimiter struct {
	r     io.Reader
	buf   []byte // checked octets: buf[:ready] whole lines, then part of one
	ready int
	head  [4]byte // the first octets of the current line
	n     int     // octets of the current line so far
	code  [3]byte // the code of the multi-line reply being read
	lines int     // its lines so far; 0 between replies
	// last: stop at the end of the current reply (the reply to STARTTLS);
	// ended: it did, and dropped what came after.
	last, ended bool
	err         error // over a limit: every Read from now on fails
	rerr        error // from r, for the next Read
}

func (l *replyLimiter) Read(p []byte) (int, error) {
	for l.ready == 0 {
		switch {
		case l.err != nil:
			return 0, l.err
		case l.ended:
			return 0, io.EOF
		}
		if l.rerr != nil {
			err := l.rerr
			l.rerr = nil
			return 0, err
		}
		l.fill()
	}
	n := copy(p, l.buf[:l.ready])
	l.buf = l.buf[:copy(l.buf, l.buf[n:])]
	l.ready -= n
	return n, nil
}

// fill reads once from r and checks what it read. An error from r (EOF,
// a timeout) passes on the part of a line read so far, then the error,
// as without l.
func (l *replyLimiter) fill() {
	if l.buf == nil {
		l.buf = make([]byte, 0, 2*maxReplyLine) // room beyond an unfinished line
	}
	from := len(l.buf)
	n, err := l.r.Read(l.buf[from:cap(l.buf)])
	l.buf = l.buf[:from+n]
	l.check(from)
	if err != nil && l.err == nil && !l.ended {
		l.ready, l.rerr = len(l.buf), err
	}
}

// check follows buf[from:], updating ready, and sets err at a limit.
func (l *replyLimiter) check(from int) {
	for i := from; i < len(l.buf); i++ {
		c := l.buf[i]
		if l.n < len(l.head) {
			l.head[l.n] = c
		}
		l.n++
		if l.n > maxReplyLine {
			l.err = &replyTooLongError{fmt.Sprintf("a line over %d octets", maxReplyLine)}
			return
		}
		if c != '\n' {
			continue
		}
		l.ready = i + 1
		if l.endLine() {
			if l.last {
				l.ended, l.buf = true, l.buf[:i+1]
				return
			}
		} else if l.lines >= maxReplyLines {
			l.err = &replyTooLongError{fmt.Sprintf("over %d lines", maxReplyLines)}
			return
		}
	}
}

// endLine takes in the line that just ended and reports whether it was
// the last of its reply.
func (l *replyLimiter) endLine() bool {
	h, long := l.head, l.n > len(l.head) // long: h holds 4 octets of this line
	l.n = 0
	if l.lines == 0 {
		if !long || h[3] != '-' {
			return true // one line (or an error that ends the reply)
		}
		l.code, l.lines = [3]byte(h[:3]), 1
		return false
	}
	l.lines++
	c := l.code
	validCode := '1' <= c[0] && c[0] <= '9' && '0' <= c[1] && c[1] <= '9' && '0' <= c[2] && c[2] <= '9'
	if long && h[3] == ' ' && [3]byte(h[:3]) == c && validCode {
		l.lines = 0
		return true
	}
	return false
}

// limitConn is the connection to the server, below TLS if any, with the
// reply limits. Once TLS starts it must not parse: what it reads then is
// the handshake and records, not lines.
type limitConn struct {
	net.Conn
	replies replyLimiter // in clear
	tls     bool         // TLS has started
	octets  int          // read since, until overTLS; -1 after
}

func newLimitConn(c net.Conn) *limitConn {
	lc := &limitConn{Conn: c}
	lc.replies.r = c
	return lc
}

func (c *limitConn) Read(p []byte) (int, error) {
	if !c.tls {
		if !c.replies.ended || c.replies.ready > 0 {
			return c.replies.Read(p)
		}
		c.tls = true // the reply to STARTTLS has been read
	}
	n, err := c.Conn.Read(p)
	if c.octets >= 0 {
		if c.octets += n; c.octets > maxTLSStart {
			return 0, &replyTooLongError{fmt.Sprintf("over %d octets", maxTLSStart)}
		}
	}
	return n, err
}

// startTLS says that TLS starts after the end of the next reply (the
// reply to STARTTLS); anything the server sends after it in clear is
// dropped.
func (c *limitConn) startTLS() { c.replies.last = true }

// overTLS moves the limits above TLS, once go-mail has read its first
// reply over it: client's reader checks every reply from now on, and c
// passes the records through.
func (c *limitConn) overTLS(client *gosmtp.Client) {
	client.Text.R = bufio.NewReader(&replyLimiter{r: client.Text.R})
	c.octets = -1
}

// session is one SMTP connection, after EHLO, STARTTLS and AUTH, driven
// with go-mail's smtp package. erase does not use go-mail's Client for the
// session: its SendError keeps the server's reply text to itself and
// merges TLS, AUTH and network failures into strings, while erase must
// tell 4xx from 5xx from a dropped connection for every message.
type session struct {
	cfg    SMTPConfig
	conn   net.Conn
	c      *gosmtp.Client
	broken bool // the connection can no longer be used
	stop   func() bool
}

func dial(ctx context.Context, cfg SMTPConfig, dialer dialFunc) (*session, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tlsCfg, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	timeout := cfg.timeout()
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.port()))
	if dialer == nil {
		d := &net.Dialer{Timeout: timeout}
		dialer = d.DialContext
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dialer(dctx, "tcp", addr)
	if err != nil {
		return nil, &TempError{Stage: StageConnect, Err: ctxErr(ctx, err)}
	}
	s := &session{cfg: cfg, conn: conn}
	// Cancelling ctx closes the connection, which ends any command.
	s.stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
	if err := s.open(ctx, tlsCfg); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *session) open(ctx context.Context, tlsCfg *tls.Config) error {
	cfg := s.cfg
	timeout := cfg.timeout()
	_ = s.conn.SetDeadline(time.Now().Add(timeout))
	// Every reply is read within limits: lc checks them below TLS, then
	// counts the octets until go-mail has read its first reply over TLS,
	// after which overTLS checks them above TLS.
	lc := newLimitConn(s.conn)
	var conn net.Conn = lc
	if cfg.mode() == TLSImplicit {
		lc.tls = true
		tc := tls.Client(lc, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return s.tlsErr(ctx, err)
		}
		conn = tc
	}
	c, err := gosmtp.NewClient(conn, cfg.Host)
	if err != nil {
		return s.classify(ctx, StageGreeting, err)
	}
	s.c = c
	if cfg.mode() == TLSImplicit {
		lc.overTLS(c)
	}
	if err := c.Hello(cfg.helo()); err != nil {
		return s.classify(ctx, StageEHLO, err)
	}
	if cfg.mode() == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("%s:%d: %w; nothing was sent", cfg.Host, cfg.port(), ErrNoSTARTTLS)
		}
		lc.startTLS()
		if err := c.StartTLS(tlsCfg); err != nil {
			var tpe *textproto.Error
			if errors.As(err, &tpe) {
				return s.classify(ctx, StageSTARTTLS, err)
			}
			return s.tlsErr(ctx, err)
		}
		lc.overTLS(c)
	}
	if cfg.User == "" {
		return nil
	}
	_, isTLS := c.TLSConnectionState()
	if !isTLS {
		// Ours, not go-mail's isLocalhost (which knows only 127.0.0.1, ::1
		// and "localhost"): the address actually connected to must be a
		// loopback address.
		if !isLoopbackAddr(s.conn.RemoteAddr()) {
			return fmt.Errorf("%w (%s)", ErrInsecureAuth, s.conn.RemoteAddr())
		}
	}
	return s.auth(ctx, !isTLS)
}

func isLoopbackAddr(a net.Addr) bool {
	if a == nil {
		return false
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		host = a.String()
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// auth picks PLAIN, else LOGIN, among the mechanisms the server offers.
func (s *session) auth(ctx context.Context, clear bool) error {
	cfg := s.cfg
	ok, mechs := s.c.Extension("AUTH")
	if !ok {
		return &AuthError{User: cfg.User, Text: "the server does not offer AUTH"}
	}
	offered := map[string]bool{}
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		offered[m] = true
	}
	var a gosmtp.Auth
	switch {
	case offered["PLAIN"]:
		a = gosmtp.PlainAuth("", cfg.User, cfg.Password, cfg.Host, clear)
	case offered["LOGIN"]:
		a = gosmtp.LoginAuth(cfg.User, cfg.Password, cfg.Host, clear)
	default:
		return &AuthError{User: cfg.User, Text: fmt.Sprintf("the server offers no mechanism erase supports (offers %s; erase knows PLAIN and LOGIN)", mechs)}
	}
	err := s.c.Auth(a)
	if err == nil {
		return nil
	}
	// go-mail's Auth quits the connection after a failure.
	s.broken = true
	if te := s.replyTooLong(StageAuth, err); te != nil {
		return te
	}
	var tpe *textproto.Error
	if errors.As(err, &tpe) {
		code, enh, text := splitReply(tpe)
		if code/100 == 4 {
			return &TempError{Stage: StageAuth, Code: code, Enhanced: enh, Text: text}
		}
		return &AuthError{User: cfg.User, Code: code, Enhanced: enh, Text: text}
	}
	if isNetErr(err) || ctx.Err() != nil {
		return &TempError{Stage: StageAuth, Err: ctxErr(ctx, err)}
	}
	return &AuthError{User: cfg.User, Text: err.Error()}
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed)
}

func (s *session) tlsErr(ctx context.Context, err error) error {
	if te := s.replyTooLong(StageSTARTTLS, err); te != nil {
		return te
	}
	var ne net.Error
	if ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
		return &TempError{Stage: StageSTARTTLS, Err: ctxErr(ctx, err)}
	}
	s.broken = true
	return &TLSError{Host: s.cfg.Host, Err: err}
}

// classify turns an error from a command into a TempError (4xx, or no
// reply at all) or a PermError (5xx).
func (s *session) classify(ctx context.Context, stage string, err error) error {
	if te := s.replyTooLong(stage, err); te != nil {
		return te
	}
	var tpe *textproto.Error
	if errors.As(err, &tpe) {
		code, enh, text := splitReply(tpe)
		if code == 421 {
			s.broken = true // the server is closing the connection
		}
		if code/100 == 4 {
			return &TempError{Stage: stage, Code: code, Enhanced: enh, Text: text}
		}
		return &PermError{Stage: stage, Code: code, Enhanced: enh, Text: text}
	}
	// No reply: the connection is gone, timed out or was cancelled.
	s.broken = true
	return &TempError{Stage: stage, Err: ctxErr(ctx, err)}
}

// replyTooLong is the TempError for a reply over the limits, wherever
// go-mail wrapped it (a failed EHLO, for one, wraps HELO's failure too),
// or nil for any other error. The connection is then out of step.
func (s *session) replyTooLong(stage string, err error) *TempError {
	var tl *replyTooLongError
	if !errors.As(err, &tl) {
		return nil
	}
	s.broken = true
	return &TempError{Stage: stage, Err: tl}
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

var enhancedCodeRE = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)

func splitReply(e *textproto.Error) (code int, enhanced, text string) {
	text = e.Msg
	// Multi-line replies: drop the repeated enhanced code on each line.
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if m := enhancedCodeRE.FindString(l); m != "" {
			if enhanced == "" {
				enhanced = m
			}
			lines[i] = strings.TrimSpace(l[len(m):])
		}
	}
	return e.Code, enhanced, strings.Join(lines, "\n")
}

// send runs one mail transaction. On a refusal at MAIL or RCPT the
// transaction is reset so the next message can go over the same
// connection.
func (s *session) send(ctx context.Context, r *Rendered) error {
	if s.broken {
		return &TempError{Stage: StageMail, Err: errors.New("connection lost before this message")}
	}
	_ = s.c.UpdateDeadline(s.cfg.timeout())
	if err := s.c.Mail("<" + r.From + ">"); err != nil {
		return s.reset(s.classify(ctx, StageMail, err))
	}
	for _, to := range r.To {
		if err := s.c.Rcpt("<" + to + ">"); err != nil {
			return s.reset(s.classify(ctx, StageRcpt, err))
		}
	}
	// BDAT (RFC 3030 CHUNKING) sends the bytes as they are, with no dot
	// stuffing on either side, which halves the cost of a large batch.
	if ok, _ := s.c.Extension("CHUNKING"); ok && !noChunking {
		_ = s.c.UpdateDeadline(s.cfg.timeout() + time.Duration(len(r.Data)/(64<<10))*time.Second)
		t := s.c.Text
		fmt.Fprintf(t.W, "BDAT %d LAST\r\n", len(r.Data))
		t.W.Write(r.Data)
		if err := t.W.Flush(); err != nil {
			s.broken = true
			return &TempError{Stage: StageData, Err: ctxErr(ctx, err)}
		}
		if _, _, err := t.ReadResponse(250); err != nil {
			return s.classify(ctx, StageData, err)
		}
		return nil
	}
	w, err := s.c.Data()
	if err != nil {
		return s.reset(s.classify(ctx, StageData, err))
	}
	// Large messages: give the write its own time budget on top.
	_ = s.c.UpdateDeadline(s.cfg.timeout() + time.Duration(len(r.Data)/(64<<10))*time.Second)
	if err := writeData(s.c.Text.W, w, r.Data); err != nil {
		s.broken = true
		return &TempError{Stage: StageData, Err: ctxErr(ctx, err)}
	}
	// Close ends the data with CRLF.CRLF and reads the final reply: only a
	// 250 here means delivered.
	if err := w.Close(); err != nil {
		return s.classify(ctx, StageData, err)
	}
	return nil
}

func (s *session) reset(err error) error {
	if s.broken {
		return err
	}
	_ = s.c.UpdateDeadline(s.cfg.timeout())
	if rerr := s.c.Reset(); rerr != nil {
		s.broken = true
	}
	return err
}

// close quits politely when the connection is still usable.
func (s *session) close() {
	if s.c != nil && !s.broken {
		_ = s.c.UpdateDeadline(5 * time.Second)
		_ = s.c.Quit()
	}
	if s.stop != nil {
		s.stop()
	}
	_ = s.conn.Close()
}

// Check connects, says EHLO, starts TLS, authenticates and quits, without
// sending anything: `erase send --check`.
func Check(ctx context.Context, cfg SMTPConfig) error {
	return check(ctx, cfg, nil)
}

func check(ctx context.Context, cfg SMTPConfig, dialer dialFunc) error {
	s, err := dial(ctx, cfg, dialer)
	if err != nil {
		return err
	}
	_ = s.c.UpdateDeadline(cfg.timeout())
	qerr := s.c.Quit()
	s.broken = true // already quit
	s.close()
	if qerr != nil {
		var tpe *textproto.Error
		if errors.As(qerr, &tpe) {
			return nil // a refusal to say goodbye is no failure
		}
		return &TempError{Stage: StageQuit, Err: qerr}
	}
	return nil
}
