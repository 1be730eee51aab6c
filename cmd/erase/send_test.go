package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

// sendEnv starts a real SMTP server and points erase at it.
func sendEnv(t *testing.T, opts smtptest.Options) *smtptest.Server {
	t.Helper()
	opts.User, opts.Password = "jane@example.com", "s3cret"
	s, err := smtptest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := s.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ERASE_CONFIG_DIR", filepath.Join(dir, "config"))
	t.Setenv("ERASE_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ERASE_SMTP_HOST", s.Host())
	t.Setenv("ERASE_SMTP_PORT", strconv.Itoa(s.Port()))
	t.Setenv("ERASE_SMTP_USER", "jane@example.com")
	t.Setenv("ERASE_SMTP_PASSWORD", "s3cret")
	t.Setenv("ERASE_SMTP_CA", ca)
	return s
}

func run(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// janeArgs date the letter today: erase send sends nothing dated another day.
var janeArgs = []string{"--name", "Jane Doe", "--email", "jane@example.com", "--account", "username=jdoe88", "--date", time.Now().Format(time.DateOnly)}

// TestSendFieldByField sends the AliExpress letter and checks what the
// server received, header by header, with the PDF identical to erase letter -o.
func TestSendFieldByField(t *testing.T) {
	s := sendEnv(t, smtptest.Options{})
	code, _, stderr := run(t, append([]string{"send", "--yes", "--law", "gdpr", "--company", "aliexpress", "--cc-self"}, janeArgs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.AuthUser != "jane@example.com" {
		t.Errorf("TLS %v, auth user %q", got.TLS, got.AuthUser)
	}
	if got.From != "jane@example.com" || strings.Join(got.To, ",") != "dataprotection.ae@aliexpress.com,jane@example.com" {
		t.Errorf("envelope %s -> %v", got.From, got.To)
	}
	m, err := netmail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Header
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(h.Get("Subject"))
	checks := map[string]string{
		"From":     `"Jane Doe" <jane@example.com>`,
		"To":       `"AliExpress.com" <dataprotection.ae@aliexpress.com>`,
		"Cc":       `"Jane Doe" <jane@example.com>`,
		"Reply-To": `"Jane Doe" <jane@example.com>`,
	}
	for k, want := range checks {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if !strings.Contains(subject, "ref. ERASE-"+time.Now().Format("20060102")+"-") {
		t.Errorf("subject %q lacks the reference", subject)
	}
	for _, k := range []string{"User-Agent", "X-Mailer", "Bcc"} {
		if h.Get(k) != "" {
			t.Errorf("header %s present: %q", k, h.Get(k))
		}
	}
	if id := h.Get("Message-ID"); !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-ID %q not at the sender's domain", id)
	}
	_, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	var text string
	var pdf []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(p) // multipart decodes quoted-printable itself
		ct := p.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			text = string(data)
		case strings.HasPrefix(ct, "application/pdf"):
			pdf = decodeBase64(t, data)
		}
	}
	if !strings.Contains(text, "Dear Sir or Madam,") || !strings.Contains(text, "Username: jdoe88") {
		t.Errorf("body:\n%s", text)
	}
	out := filepath.Join(t.TempDir(), "letter.pdf")
	if code, _, stderr := run(t, append([]string{"letter", "--law", "gdpr", "--company", "aliexpress", "-o", out}, janeArgs...)...); code != 0 {
		t.Fatal(stderr)
	}
	want, _ := os.ReadFile(out)
	if len(pdf) == 0 || !bytes.Equal(pdf, want) {
		t.Errorf("attached PDF (%d bytes) differs from erase letter -o (%d bytes)", len(pdf), len(want))
	}
}

func decodeBase64(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	dec := newBase64Decoder(bytes.NewReader(data))
	if _, err := io.Copy(&b, dec); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSendExitCodes asserts the exact statuses of delivery outcomes.
func TestSendExitCodes(t *testing.T) {
	s := sendEnv(t, smtptest.Options{})
	send := func(company string, extra ...string) (int, string) {
		code, _, stderr := run(t, append(append([]string{"send", "--yes", "--law", "gdpr", "--company", company}, janeArgs...), extra...)...)
		return code, stderr
	}
	s.FailNext(1, smtptest.StageData, 452, "4.3.1 mailbox full for now")
	if code, stderr := send("aliexpress"); code != exitTempFail || !strings.Contains(stderr, "452") {
		t.Fatalf("4xx: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "send", "--retry"); code != 0 || len(s.Messages()) != 1 {
		t.Fatalf("retry: exit %d, %d messages, %s", code, len(s.Messages()), stderr)
	}
	s.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 unknown user")
	if code, stderr := send("alibaba"); code != exitFailed || !strings.Contains(stderr, "550") {
		t.Fatalf("5xx: exit %d, %s", code, stderr)
	}
	t.Setenv("ERASE_SMTP_PASSWORD", "wrong")
	if code, stderr := send("alibaba", "--force"); code != exitFailed || !strings.Contains(stderr, "535") || strings.Contains(stderr, "wrong") {
		t.Fatalf("auth: exit %d, %s", code, stderr)
	}
	if n := len(s.Messages()); n != 1 {
		t.Fatalf("%d messages after refusals", n)
	}
	t.Setenv("ERASE_SMTP_PASSWORD", "s3cret")
	if code, stderr := send("aliexpress"); code != exitBadInput || !strings.Contains(stderr, "was sent already") {
		t.Fatalf("duplicate: exit %d, %s", code, stderr)
	}
}

// TestSendRefusesInsecureServers: no STARTTLS, or a certificate from an
// unknown CA, and nothing is sent or queued.
func TestSendRefusesInsecureServers(t *testing.T) {
	s := sendEnv(t, smtptest.Options{NoSTARTTLS: true})
	code, _, stderr := run(t, append([]string{"send", "--yes", "--law", "gdpr", "--company", "aliexpress"}, janeArgs...)...)
	if code != exitFailed || !strings.Contains(stderr, "STARTTLS") || !strings.Contains(stderr, "erase: hint: use --smtp-tls tls") {
		t.Fatalf("no STARTTLS: exit %d, %s", code, stderr)
	}
	s2 := sendEnv(t, smtptest.Options{})
	t.Setenv("ERASE_SMTP_CA", "")
	code, _, stderr = run(t, append([]string{"send", "--yes", "--law", "gdpr", "--company", "aliexpress"}, janeArgs...)...)
	if code != exitFailed || !strings.Contains(strings.ToLower(stderr), "certificate") || !strings.Contains(stderr, "erase: hint: check --smtp-host; for a server with a private CA, pass --smtp-ca FILE") {
		t.Fatalf("unknown CA: exit %d, %s", code, stderr)
	}
	if len(s.Messages())+len(s2.Messages()) != 0 {
		t.Fatal("a message went through")
	}
	ob, _ := newEnv(nil, io.Discard, io.Discard).outbox()
	if entries, _ := ob.List(); len(entries) != 0 {
		t.Fatalf("outbox holds %d entries after a refusal that is not temporary", len(entries))
	}
}

func newBase64Decoder(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, r)
}

// TestConcurrentSendsShareOneLedger runs eight erase send at once, as
// xargs -P8 would, into one data directory: every letter is delivered once
// and recorded once.
func TestConcurrentSendsShareOneLedger(t *testing.T) {
	s := sendEnv(t, smtptest.Options{})
	const n = 8
	codes := make(chan string, n)
	for i := 0; i < n; i++ {
		go func() {
			code, _, stderr := run(t, append([]string{"send", "--yes", "--law", "gdpr", "--to-name", "Shop " + strconv.Itoa(i),
				"--to-email", "privacy" + strconv.Itoa(i) + "@shop.example"}, janeArgs...)...)
			codes <- strconv.Itoa(code) + " " + stderr
		}()
	}
	for i := 0; i < n; i++ {
		if got := <-codes; !strings.HasPrefix(got, "0 ") {
			t.Errorf("a send failed: %s", got)
		}
	}
	if got := len(s.Messages()); got != n {
		t.Errorf("%d messages delivered, want %d", got, n)
	}
	led, _ := newEnv(nil, io.Discard, io.Discard).ledger()
	recs, err := led.List(time.Now())
	if err != nil || len(recs) != n {
		t.Fatalf("%d records, err %v", len(recs), err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.Reference] {
			t.Errorf("reference %s recorded twice", r.Reference)
		}
		seen[r.Reference] = true
		if r.Due.IsZero() || r.MessageID == "" {
			t.Errorf("incomplete record %+v", r)
		}
	}
}

// TestDryRunOnTerminal: on a terminal --dry-run shows what a person
// checks (the header fields, the letter, the attachment's name and size)
// and no base64; --format eml, or a pipe, gives the whole message.
func TestDryRunOnTerminal(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	args := append([]string{"send", "--law", "gdpr", "--company", "aliexpress", "--dry-run"}, janeArgs...)
	runTTY := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		e := newEnv(strings.NewReader(""), &out, &errb)
		e.stdoutTTY = true
		return e.run(args), out.String()
	}
	code, out := runTTY(args...)
	if code != 0 || !strings.Contains(out, "To:         \"AliExpress.com\" <dataprotection.ae@aliexpress.com>") ||
		!strings.Contains(out, "Dear Sir or Madam,") || !regexp.MustCompile(`Attached: ERASE-\d{8}-\w+\.pdf \(application/pdf, \d+ KB\)`).MatchString(out) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "Content-Transfer-Encoding") || strings.Count(out, "\n") > 150 {
		t.Errorf("the summary shows MIME or base64 (%d lines)", strings.Count(out, "\n"))
	}
	code, out = runTTY(append(args, "--format", "eml")...)
	if code != 0 || !strings.Contains(out, "Content-Transfer-Encoding: base64") {
		t.Errorf("--format eml: exit %d, %d bytes", code, len(out))
	}
	if code, stdout, _ := run(t, args...); code != 0 || !strings.Contains(stdout, "Content-Type: application/pdf") {
		t.Errorf("in a pipe: exit %d, not the whole message", code)
	}
	if code, _, stderr := run(t, append(args[:len(args)-len(janeArgs)-1], "--format", "pdf")...); code != exitBadInput || !strings.Contains(stderr, "takes no --format") {
		t.Errorf("--format pdf: exit %d, %s", code, stderr)
	}
}
