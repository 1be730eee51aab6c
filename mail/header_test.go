package mail

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/badinput"
)

// headerSection is the message up to the blank line that ends its header.
func headerSection(data []byte) []byte {
	if i := bytes.Index(data, []byte("\r\n\r\n")); i >= 0 {
		return data[:i+2]
	}
	return data
}

// overlongLine returns the first line of data over RFC 5322's 998 octets
// (CRLF not counted), or -1 and "".
func overlongLine(data []byte) (int, string) {
	for i, l := range bytes.Split(data, []byte("\r\n")) {
		if len(l) > 998 {
			return i + 1, string(l[:min(len(l), 60)]) + "…"
		}
	}
	return -1, ""
}

// fieldLines returns the lines of the header field name (its first line
// and continuation lines) in a header section.
func fieldLines(header []byte, name string) []string {
	var lines []string
	in := false
	for _, l := range strings.Split(string(header), "\r\n") {
		if l == "" || l[0] != ' ' && l[0] != '\t' {
			in = strings.HasPrefix(strings.ToLower(l), strings.ToLower(name)+":")
		}
		if in {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestLongFieldsRefused: a field longer than any real letter needs, or not
// UTF-8, is bad input that names the field and the limit, without the
// value's raw bytes.
func TestLongFieldsRefused(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	email := func(n int) string { return long(n-len("@example.org")) + "@example.org" }
	cases := []struct {
		field string // in the message
		want  string // also in the message: the limit
		set   func(m *Message)
	}{
		{"from name", "256", func(m *Message) { m.From.Name = long(257) }},
		{"to name", "256", func(m *Message) { m.To.Name = long(2000) }},
		{"cc[0] name", "256", func(m *Message) { m.Cc[0].Name = strings.Repeat("Zoë ", 2500) }},
		{"reply-to name", "256", func(m *Message) { m.ReplyTo.Name = strings.Repeat("é", 257) }},
		{"from e-mail", "254", func(m *Message) { m.From.Email = email(255) }},
		{"to e-mail", "254", func(m *Message) { m.To.Email = email(10000) }},
		{"cc[0] e-mail", "254", func(m *Message) { m.Cc[0].Email = email(255) }},
		{"reply-to e-mail", "254", func(m *Message) { m.ReplyTo.Email = email(255) }},
		{"subject", "998", func(m *Message) { m.Subject = "Erasure " + long(991) }},
		{"subject", "998", func(m *Message) { m.Subject = strings.Repeat("ü", 999) }},
		{"attachment name", "128", func(m *Message) { m.AttachmentName = long(125) + ".pdf" }},
		{"attachment name", "128", func(m *Message) { m.AttachmentName = strings.Repeat("ü", 63) + ".pdf" }},
		{"attachment type", "127", func(m *Message) { m.AttachmentType = "application/" + long(116) }},

		{"from name", "UTF-8", func(m *Message) { m.From.Name = "Jane \xff Doe" }},
		{"to name", "UTF-8", func(m *Message) { m.To.Name = "Privacy\xc3" }},
		{"cc[0] name", "UTF-8", func(m *Message) { m.Cc[0].Name = "\xed\xa0\x80" }},  // a surrogate
		{"reply-to name", "UTF-8", func(m *Message) { m.ReplyTo.Name = "\xc0\xaf" }}, // overlong "/"
		{"to e-mail", "UTF-8", func(m *Message) { m.To.Email = "priv\xffacy@example.org" }},
		{"subject", "UTF-8", func(m *Message) { m.Subject = "Erasure \xfe R1" }},
		{"attachment name", "UTF-8", func(m *Message) { m.AttachmentName = "letter\x80.pdf" }},
		{"the message text", "UTF-8", func(m *Message) { m.Text = "Dear \xff,\n" }},
	}
	for _, tc := range cases {
		m := letter("R1")
		m.Attachment = []byte("%PDF")
		tc.set(&m)
		for _, step := range []string{"Render", "Build", "Check"} {
			var err error
			switch step {
			case "Render":
				_, err = Render(m)
			case "Build":
				_, err = Build(m)
			case "Check":
				err = m.Check()
			}
			if _, ok := badinput.As(err); !ok {
				t.Errorf("%s %s: %s gave %v, want bad input", tc.field, tc.want, step, err)
				continue
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.field+" ") || !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %q, want it to name %q and %q", step, msg, tc.field, tc.want)
			}
			if !utf8.ValidString(msg) || len(msg) > 200 {
				t.Errorf("%s: the error copies the value: %q", step, msg)
			}
		}
	}
}

// TestLongFieldsRendered: values at the limits make header lines of at
// most 998 octets (78 where there is room to fold), and read back as
// written.
func TestLongFieldsRendered(t *testing.T) {
	at := func(unit string, n int) string { return strings.Repeat(unit, n/utf8.RuneCountInString(unit)) }
	names := map[string]string{
		"ascii word":  at("x", 256),
		"ascii words": at("Data Protection Officer ", 240),
		"quotes":      at(`"\`, 256),
		"commas":      at("a, b <c@d> ", 253),
		"non-ascii":   at("é", 256),
		"emoji":       at("🔒", 256),
		"mixed":       at("Zoë Ø 張 ", 256),
		"encoded":     at("=?UTF-8?Q?x?= ", 252),
	}
	subjects := map[string]string{
		"one word":  at("x", 998),
		"words":     at("Request for erasure ", 980) + " - R1",
		"non-ascii": at("é", 998),
		"cjk":       at("消除请求", 992) + " R1",
		"encoded":   at("=?UTF-8?B?eA==?= ", 986) + " R1",
		"long word": "Request for erasure " + at("x", 900) + " R1",
	}
	longEmail := at("a", 64) + "@" + at("b", 63) + "." + at("c", 63) + "." + at("d", 53) + ".example" // 254
	if len(longEmail) != 254 {
		t.Fatalf("long e-mail is %d", len(longEmail))
	}
	for nk, name := range names {
		for sk, subj := range subjects {
			m := letter("R1")
			m.From.Name, m.To.Name, m.Cc[0].Name, m.ReplyTo.Name = name, name, name, name
			m.Cc = append(m.Cc, Address{Name: name, Email: longEmail}, Address{Name: name, Email: "x@example.org"})
			m.To.Email = longEmail
			m.Subject = subj
			m.Attachment = []byte("%PDF")
			m.AttachmentName = at("ü", 62) + ".pdf"
			m.AttachmentType = "application/" + at("p", 115)
			label := fmt.Sprintf("name %s, subject %s", nk, sk)
			r, err := Render(m)
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			if n, l := overlongLine(r.Data); n > 0 {
				t.Errorf("%s: line %d is over 998 octets: %q", label, n, l)
			}
			// Where go-mail folds, at spaces between words, lines are
			// short: a long line holds one word.
			for _, l := range strings.Split(string(headerSection(r.Data)), "\r\n") {
				if len(l) > 78 && strings.Contains(strings.TrimSpace(l), " ") {
					t.Errorf("%s: header line of %d octets with room to fold: %.80q", label, len(l), l)
				}
			}
			// The subject always folds: a long word is encoded.
			for _, l := range fieldLines(headerSection(r.Data), "Subject") {
				if len(l) > 78 {
					t.Errorf("%s: subject line of %d octets: %.80q", label, len(l), l)
				}
			}
			p := parse(t, r.Data)
			h := p.msg.Header
			got, err := newDecoder().DecodeHeader(h.Get("Subject"))
			if err != nil || got != subj {
				t.Errorf("%s: subject reads back as %.60q (%v)", label, got, err)
			}
			for key, want := range map[string][]string{
				"From": {m.From.Email}, "To": {longEmail}, "Reply-To": {m.ReplyTo.Email},
				"Cc": {m.Cc[0].Email, longEmail, "x@example.org"},
			} {
				list, err := h.AddressList(key)
				if err != nil || len(list) != len(want) {
					t.Errorf("%s: %s = %v (%v)", label, key, list, err)
					continue
				}
				for i, a := range list {
					if a.Address != want[i] || a.Name != name {
						t.Errorf("%s: %s[%d] reads back as %.60q <%s>", label, key, i, a.Name, a.Address)
					}
				}
			}
			if got, err := newDecoder().DecodeHeader(p.attName); err != nil || got != m.AttachmentName {
				t.Errorf("%s: attachment name reads back as %q (%v)", label, got, err)
			}
		}
	}
}

// TestFieldLimitsExact: the limits are inclusive, in the units the errors
// name.
func TestFieldLimitsExact(t *testing.T) {
	m := letter("R1")
	m.To.Name = strings.Repeat("é", maxNameChars)
	m.Subject = strings.Repeat("é", maxSubjectChars)
	m.To.Email = strings.Repeat("a", maxEmailOctets-len("@example.org")) + "@example.org"
	m.Attachment = []byte("%PDF")
	m.AttachmentName = strings.Repeat("a", maxAttachmentName-4) + ".pdf"
	m.AttachmentType = "application/" + strings.Repeat("a", maxAttachmentType-len("application/"))
	if _, err := Render(m); err != nil {
		t.Fatal(err)
	}
	for name, set := range map[string]func(m *Message){
		"name":    func(m *Message) { m.To.Name += "é" },
		"subject": func(m *Message) { m.Subject += "é" },
		"e-mail":  func(m *Message) { m.To.Email = "a" + m.To.Email },
		"file":    func(m *Message) { m.AttachmentName = "a" + m.AttachmentName },
		"type":    func(m *Message) { m.AttachmentType += "a" },
	} {
		m := m
		set(&m)
		if _, err := Render(m); err == nil {
			t.Errorf("%s one over the limit: rendered", name)
		} else if _, ok := badinput.As(err); !ok {
			t.Errorf("%s one over the limit: %v is not bad input", name, err)
		}
	}
}
