package mail

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
)

func TestRenderDeterministic(t *testing.T) {
	m := letter("ERASE-20261127-K3F9QX")
	m.Attachment = pdfBytes(t, 36<<10)
	a := render(t, m)
	b := render(t, m)
	if !bytes.Equal(a.Data, b.Data) {
		t.Fatal("two renders of the same message differ")
	}
	var eml bytes.Buffer
	if err := WriteEML(&eml, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(eml.Bytes(), a.Data) {
		t.Fatal("WriteEML differs from Render")
	}
	if a.From != "jane@example.org" || strings.Join(a.To, ",") != "privacy@aliexpress.example,jane@example.org" {
		t.Errorf("envelope = %s -> %v", a.From, a.To)
	}
	if a.MessageID != "erase-20261127-k3f9qx@example.org" {
		t.Errorf("MessageID = %q", a.MessageID)
	}
	head := string(a.Data[:bytes.Index(a.Data, []byte("\r\n\r\n"))])
	for _, h := range []string{"User-Agent:", "X-Mailer:"} {
		if strings.Contains(strings.ToLower(head), strings.ToLower(h)) {
			t.Errorf("header %s present:\n%s", h, head)
		}
	}
	for _, want := range []string{
		"Date: Fri, 27 Nov 2026 09:30:00 +0000\r\n",
		"Message-ID: <erase-20261127-k3f9qx@example.org>\r\n",
		"boundary=erase-erase-20261127-k3f9qx",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("head lacks %q:\n%s", want, head)
		}
	}
	// Every line ends in CRLF and none is longer than 998 octets.
	for i, line := range bytes.Split(a.Data, []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF", i)
		}
		if len(line) > 998 {
			t.Fatalf("line %d is %d octets", i, len(line))
		}
	}
}

func TestRenderDefaults(t *testing.T) {
	m := letter("R1")
	m.Date, m.MessageID, m.Boundary = time.Time{}, "", ""
	m.Attachment = []byte("%PDF-1.7 x")
	r := render(t, m)
	if !strings.HasSuffix(r.MessageID, "@example.org") || len(r.MessageID) < 30 {
		t.Errorf("default MessageID = %q", r.MessageID)
	}
	p := parse(t, r.Data)
	if got := p.msg.Header.Get("Message-ID"); got != "<"+r.MessageID+">" {
		t.Errorf("header Message-ID %q, envelope %q", got, r.MessageID)
	}
	d, err := p.msg.Header.Date()
	if err != nil || time.Since(d) > time.Minute {
		t.Errorf("default Date = %v, %v", d, err)
	}
	if p.attName != "letter.pdf" || p.attType != "application/pdf" {
		t.Errorf("attachment %q %q", p.attName, p.attType)
	}
	// Without an attachment: a single text/plain body.
	m.Attachment = nil
	p = parse(t, render(t, m).Data)
	if ct := p.msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
	if p.text != strings.ReplaceAll(m.Text, "\n", "\r\n") {
		t.Errorf("text = %q", p.text)
	}
}

func TestNewMessageID(t *testing.T) {
	a, err := NewMessageID("Jane@Example.ORG", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewMessageID("jane@example.org", nil)
	if a == b {
		t.Error("two random Message-IDs are equal")
	}
	if !strings.HasSuffix(a, "@example.org") || !validMessageID(a) {
		t.Errorf("id = %q", a)
	}
	fixed := bytes.Repeat([]byte{7}, 16)
	c, _ := NewMessageID("x@example.org", bytes.NewReader(fixed))
	d, _ := NewMessageID("y@example.org", bytes.NewReader(fixed))
	if c != d {
		t.Errorf("same randomness, different ids: %q %q", c, d)
	}
	for in, want := range map[string]string{
		"a@bücher.example":     "@xn--bcher-kva.example",
		"a@münchen.de":         "@xn--mnchen-3ya.de",
		"a@例え.テスト":             "@xn--r8jz45g.xn--zckzah",
		"a@[192.0.2.1]":        "@192.0.2.1",
		"a@sub.Example.COM.":   "@sub.example.com",
		"\"a b\"@example.org":  "@example.org",
		"a@xn--bcher-kva.test": "@xn--bcher-kva.test",
	} {
		id, err := NewMessageID(in, nil)
		if err != nil || !strings.HasSuffix(id, want) || !validMessageID(id) {
			t.Errorf("NewMessageID(%q) = %q, %v; want suffix %q", in, id, err, want)
		}
	}
	for _, bad := range []string{"", "nodomain", "a@", "a@bad domain"} {
		if id, err := NewMessageID(bad, nil); err == nil {
			t.Errorf("NewMessageID(%q) = %q, want error", bad, id)
		}
	}
}

// injection is a value trying to add a header or a recipient.
var injections = []string{
	"x\r\nBcc: evil@attacker.example",
	"x\nBcc: evil@attacker.example",
	"x\rBcc: evil@attacker.example",
	"x\r\n\r\nbody takeover",
	"x\u2028Bcc: evil@attacker.example",
	"x\x00y",
	"x\tBcc: evil@attacker.example",
}

// TestInjectionRejected: a control character in any header field is bad
// input naming the field; nothing is rendered.
func TestInjectionRejected(t *testing.T) {
	fields := map[string]func(m *Message, v string){
		"from name":       func(m *Message, v string) { m.From.Name = v },
		"from e-mail":     func(m *Message, v string) { m.From.Email = "jane@example.org" + v },
		"to name":         func(m *Message, v string) { m.To.Name = v },
		"to e-mail":       func(m *Message, v string) { m.To.Email = "privacy@aliexpress.example" + v },
		"cc[0] name":      func(m *Message, v string) { m.Cc[0].Name = v },
		"cc[0] e-mail":    func(m *Message, v string) { m.Cc[0].Email = v + "jane@example.org" },
		"reply-to name":   func(m *Message, v string) { m.ReplyTo.Name = v },
		"reply-to e-mail": func(m *Message, v string) { m.ReplyTo.Email = "jane@example.org" + v },
		"subject":         func(m *Message, v string) { m.Subject = "Erasure " + v },
		"attachment name": func(m *Message, v string) { m.AttachmentName = "letter" + v + ".pdf" },
		"message id":      func(m *Message, v string) { m.MessageID = "id" + v + "@example.org" },
		"mime boundary":   func(m *Message, v string) { m.Boundary = "b" + v },
	}
	for field, set := range fields {
		for _, v := range injections {
			m := letter("R1")
			m.Attachment = []byte("%PDF")
			set(&m, v)
			_, err := Render(m)
			if err == nil {
				t.Errorf("%s = %q: rendered, want an error", field, v)
				continue
			}
			if _, ok := badinput.As(err); !ok {
				t.Errorf("%s = %q: error %v is not bad input", field, v, err)
			}
			if _, err := Build(m); err == nil {
				t.Errorf("%s = %q: Build accepted it", field, v)
			}
		}
	}
}

// TestInjectionEncoded: text that looks like headers or address lists but
// has no line break is quoted or encoded: still one header, the same
// recipients.
func TestInjectionEncoded(t *testing.T) {
	names := []string{
		`Evil" <evil@attacker.example>, "x`,
		`a, evil@attacker.example`,
		`Bcc: evil@attacker.example`,
		`=?UTF-8?Q?x=0D=0ABcc:_evil@attacker.example?=`,
		`x <evil@attacker.example>; y`,
		`Zoë "the" Ø\ `,
		`(comment) evil@attacker.example`,
	}
	for _, n := range names {
		m := letter("R1")
		m.Attachment = []byte("%PDF")
		m.From.Name, m.To.Name, m.Cc[0].Name, m.ReplyTo.Name = n, n, n, n
		m.Subject = "Erasure R1 " + n
		m.AttachmentName = `letter "` + strings.ReplaceAll(n, `\`, "") + `".pdf`
		r := render(t, m)
		if strings.Join(r.To, ",") != "privacy@aliexpress.example,jane@example.org" || r.From != "jane@example.org" {
			t.Errorf("name %q: envelope %s -> %v", n, r.From, r.To)
		}
		p := parse(t, r.Data)
		h := p.msg.Header
		for _, bad := range []string{"Bcc", "X-Injected"} {
			if _, ok := h[bad]; ok {
				t.Errorf("name %q: header %s appeared", n, bad)
			}
		}
		for key, want := range map[string]string{"From": "jane@example.org", "To": "privacy@aliexpress.example", "Cc": "jane@example.org", "Reply-To": "jane@example.org"} {
			if len(h[key]) != 1 {
				t.Errorf("name %q: %d %s headers", n, len(h[key]), key)
				continue
			}
			list, err := h.AddressList(key)
			if err != nil || len(list) != 1 || list[0].Address != want {
				t.Errorf("name %q: %s = %v (%v), want one address %s", n, key, list, err, want)
				continue
			}
			if list[0].Name != n {
				t.Errorf("name %q: %s name round-trips as %q", n, key, list[0].Name)
			}
		}
		subj, err := newDecoder().DecodeHeader(h.Get("Subject"))
		if err != nil || subj != m.Subject {
			t.Errorf("subject %q round-trips as %q (%v)", m.Subject, subj, err)
		}
		if len(p.attachment) == 0 || strings.ContainsAny(p.attName, "\r\n\"") {
			t.Errorf("attachment name %q", p.attName)
		}
	}
}

func TestBadFields(t *testing.T) {
	cases := map[string]func(m *Message){
		"no from":          func(m *Message) { m.From = Address{} },
		"no to":            func(m *Message) { m.To.Email = "" },
		"display in email": func(m *Message) { m.To.Email = "Privacy <privacy@aliexpress.example>" },
		"two addresses":    func(m *Message) { m.To.Email = "a@example.org, b@example.org" },
		"no domain":        func(m *Message) { m.Cc[0].Email = "jane@" },
		"no at":            func(m *Message) { m.Cc[0].Email = "jane" },
		"reply name only":  func(m *Message) { m.ReplyTo = Address{Name: "x"} },
		"empty subject":    func(m *Message) { m.Subject = "  " },
		"path in name":     func(m *Message) { m.AttachmentName = "../letter.pdf" },
		"bad type":         func(m *Message) { m.AttachmentType = "pdf" },
		"id brackets":      func(m *Message) { m.MessageID = "<a@b>" },
		"id no domain":     func(m *Message) { m.MessageID = "abc" },
		"long boundary":    func(m *Message) { m.Boundary = strings.Repeat("b", 71) },
		"boundary in text": func(m *Message) { m.Text = "--" + m.Boundary + "\n" },
		"text not utf-8":   func(m *Message) { m.Text = "\xff" },
	}
	for name, mutate := range cases {
		m := letter("R1")
		m.Attachment = []byte("%PDF")
		mutate(&m)
		if _, err := Render(m); err == nil {
			t.Errorf("%s: rendered", name)
		} else if _, ok := badinput.As(err); !ok {
			t.Errorf("%s: %v is not bad input", name, err)
		}
	}
}

func TestConfigNeverShowsPassword(t *testing.T) {
	c := SMTPConfig{Host: "smtp.example.org", User: "jane", Password: "s3cret-pw"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, c); strings.Contains(s, "s3cret-pw") {
			t.Errorf("%s shows the password: %s", f, s)
		}
		if s := fmt.Sprintf(f, &c); strings.Contains(s, "s3cret-pw") {
			t.Errorf("%s of a pointer shows the password: %s", f, s)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := SMTPConfig{Host: "smtp.example.org"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.port() != 587 || (SMTPConfig{TLS: TLSImplicit}).port() != 465 {
		t.Error("default ports")
	}
	bad := []SMTPConfig{
		{},
		{Host: "smtp.example.org", TLS: "ssl"},
		{Host: "smtp.example.org", Port: 70000},
		{Host: "smtp example.org"},
		{Host: "smtp.example.org", CAFile: "/nonexistent/ca.pem"},
		{Host: "smtp.example.org", HeloName: "a b"},
	}
	for _, c := range bad {
		err := c.Validate()
		if _, isBad := badinput.As(err); !isBad {
			t.Errorf("%v: Validate = %v, want bad input", c, err)
		}
	}
	insecure := SMTPConfig{Host: "192.0.2.1", TLS: TLSNone, User: "u", Password: "p"}
	if err := insecure.Validate(); !errors.Is(err, ErrInsecureAuth) {
		t.Errorf("none + AUTH to 192.0.2.1: %v", err)
	}
	for _, h := range []string{"127.0.0.1", "127.0.0.2", "::1", "localhost"} {
		c := SMTPConfig{Host: h, TLS: TLSNone, User: "u"}
		if err := c.Validate(); err != nil {
			t.Errorf("none + AUTH to %s: %v", h, err)
		}
	}
}
