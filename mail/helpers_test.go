package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

const (
	testUser = "jane@example.org"
	testPass = "correct horse battery staple"
)

// startServer starts a test SMTP server and returns it with a config that
// trusts its CA.
func startServer(t testing.TB, opts smtptest.Options) (*smtptest.Server, SMTPConfig) {
	t.Helper()
	srv, err := smtptest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := srv.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	mode := TLSStartTLS
	if opts.NoSTARTTLS {
		mode = TLSNone
	}
	if opts.ImplicitTLS {
		mode = TLSImplicit
	}
	return srv, SMTPConfig{
		Host: srv.Host(), Port: srv.Port(), User: opts.User, Password: opts.Password,
		TLS: mode, CAFile: ca, Timeout: 5 * time.Second,
	}
}

func authServer(t testing.TB) (*smtptest.Server, SMTPConfig) {
	return startServer(t, smtptest.Options{User: testUser, Password: testPass})
}

// pdfBytes is a stand-in for the letter PDF: ~36 KB of random bytes.
func pdfBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	copy(b, "%PDF-1.7\n")
	return b
}

func letter(ref string) Message {
	return Message{
		From:      Address{Name: "Jane Doe", Email: "jane@example.org"},
		To:        Address{Name: "AliExpress Privacy", Email: "privacy@aliexpress.example"},
		Cc:        []Address{{Name: "Jane Doe", Email: "jane@example.org"}},
		ReplyTo:   Address{Name: "Jane Doe", Email: "jane@example.org"},
		Subject:   "Request for erasure of personal data (Art. 17 GDPR) - " + ref,
		Text:      "Dear Sir or Madam,\n\nI ask you to erase my personal data.\n.\nReference: " + ref + "\n\nYours faithfully,\nJane Doe\n",
		Date:      time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
		MessageID: strings.ToLower(ref) + "@example.org",
		Boundary:  "erase-" + strings.ToLower(ref),
	}
}

func render(t testing.TB, m Message) *Rendered {
	t.Helper()
	r, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// parsed is a received message taken apart.
type parsed struct {
	msg        *netmail.Message
	text       string
	attachment []byte
	attName    string
	attType    string
}

func parse(t testing.TB, raw []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	p := parsed{msg: msg}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	readPart := func(h interface{ Get(string) string }, r io.Reader) []byte {
		var body io.Reader = r
		switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
		case "base64":
			body = base64Reader(r)
		case "quoted-printable":
			body = qpReader(r)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		return b
	}
	if !strings.HasPrefix(mt, "multipart/") {
		p.text = string(readPart(msg.Header, msg.Body))
		return p
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		body := readPart(part.Header, part)
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if strings.HasPrefix(ct, "text/plain") && part.FileName() == "" {
			p.text = string(body)
		} else {
			p.attachment, p.attType = body, ct
			p.attName = part.FileName()
			if p.attName == "" {
				p.attName = cp["name"]
			}
		}
	}
	return p
}

// fakeRemote dials the real address but reports another remote address,
// to test the loopback rule on the address actually connected to.
func fakeRemote(remote string) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &remoteConn{Conn: c, remote: remote}, nil
	}
}

type remoteConn struct {
	net.Conn
	remote string
}

type strAddr string

func (a strAddr) Network() string { return "tcp" }
func (a strAddr) String() string  { return string(a) }

func (c *remoteConn) RemoteAddr() net.Addr { return strAddr(c.remote) }

func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
func qpReader(r io.Reader) io.Reader     { return quotedprintable.NewReader(r) }

func newDecoder() *mime.WordDecoder { return new(mime.WordDecoder) }
