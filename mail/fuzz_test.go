package mail

import (
	"bytes"
	"maps"
	netmail "net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
)

// FuzzRender builds messages from arbitrary names, addresses, subject,
// text and attachment name. Either the input is bad input, or the message
// has no line over 998 octets, exactly the header fields erase writes
// (none added by a value), exactly the recipients it was given, in the
// envelope and in the To and Cc headers, and the subject and names as
// written.
//
//	go test -run '^$' -fuzz '^FuzzRender$' -fuzztime 30s ./mail/  (make fuzz)
func FuzzRender(f *testing.F) {
	long := strings.Repeat("x", maxNameChars)
	seeds := []struct {
		fromName, fromEmail, toName, toEmail, ccName, ccEmail, replyTo, subject, text, attName string
	}{
		{"Jane Doe", "jane@example.org", "AliExpress Privacy", "privacy@aliexpress.example", "Jane Doe", "jane@example.org", "jane@example.org",
			"Request for erasure (Art. 17 GDPR) - R1", "Dear Sir or Madam,\n\nplease erase my data.\n", "letter.pdf"},
		{"Jane\r\nBcc: evil@attacker.example", "jane@example.org", "x", "privacy@example.org", "", "", "",
			"Erasure\r\nBcc: evil@attacker.example", "text", ""},
		{"=?UTF-8?Q?x=0D=0ABcc:_evil@attacker.example?=", "jane@example.org", "=?", "privacy@example.org", "?=", "cc@example.org", "",
			"=?UTF-8?B?QmNjOiBldmls?= R1", "=?UTF-8?Q?x?=", "=?x?=.pdf"},
		{`Evil" <evil@attacker.example>, "x`, "jane@example.org", `a, evil@attacker.example`, "privacy@example.org",
			`x <evil@attacker.example>; y`, "cc@example.org", "reply@example.org", `"quoted" subject, with, commas`, "a\r\n.\r\nb", `letter "q".pdf`},
		{long, "jane@example.org", strings.Repeat("é", 256), "privacy@example.org", strings.Repeat("a b ", 64), "cc@example.org", "",
			long + " " + strings.Repeat("ü", 400), long, strings.Repeat("ü", 62) + ".pdf"},
		{"Zoë Ø 張 🔒", "zoë@exämple.org", "Ünïcödé", "privacy@example.org", "\u202eevil", "cc@example.org", "",
			"Löschung – 消除请求 R1", "Grüße\n", "brief.pdf"},
		{"", "a@b", "", "c@d", "", "", "", " ", "", ""},
		{"\xff", "jane@example.org", "\xc3", "privacy@example.org", "", "", "", "\xfe", "\xff", "\x80.pdf"},
		{"(comment) x", "jane@example.org", "x", "privacy@[192.0.2.1]", "", "\"quoted local\"@example.org", "", "R1", "", ""},
		{"x", "jane@example.org", strings.Repeat("x", 2000), "privacy@example.org", "", "", "", strings.Repeat("R", 2000), "", ""},
	}
	for _, s := range seeds {
		f.Add(s.fromName, s.fromEmail, s.toName, s.toEmail, s.ccName, s.ccEmail, s.replyTo, s.subject, s.text, s.attName)
	}
	f.Fuzz(func(t *testing.T, fromName, fromEmail, toName, toEmail, ccName, ccEmail, replyTo, subject, text, attName string) {
		m := Message{
			From:      Address{Name: fromName, Email: fromEmail},
			To:        Address{Name: toName, Email: toEmail},
			ReplyTo:   Address{Email: replyTo},
			Subject:   subject,
			Text:      text,
			Date:      time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
			MessageID: "fuzz@example.org",
			Boundary:  "erase-fuzz",
		}
		if ccName != "" || ccEmail != "" {
			m.Cc = []Address{{Name: ccName, Email: ccEmail}}
		}
		if attName != "" {
			m.Attachment, m.AttachmentName = []byte("%PDF"), attName
		}
		r, err := Render(m)
		if err != nil {
			if _, ok := badinput.As(err); !ok {
				t.Fatalf("error %v is not bad input", err)
			}
			return
		}
		if n, l := overlongLine(r.Data); n > 0 {
			t.Fatalf("line %d is over 998 octets: %q", n, l)
		}

		want := []string{m.To.Email}
		for _, a := range m.Cc {
			want = append(want, a.Email)
		}
		if r.From != m.From.Email || !slices.Equal(r.To, want) {
			t.Fatalf("envelope %s -> %q, want %s -> %q", r.From, r.To, m.From.Email, want)
		}

		msg, err := netmail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatalf("the message does not parse: %v\n%s", err, headerSection(r.Data))
		}
		fields := []string{"Date", "Mime-Version", "Message-Id", "Subject", "From", "To", "Content-Type"}
		if len(m.Attachment) == 0 {
			fields = append(fields, "Content-Transfer-Encoding")
		}
		if len(m.Cc) > 0 {
			fields = append(fields, "Cc")
		}
		if m.ReplyTo.Email != "" {
			fields = append(fields, "Reply-To")
		}
		slices.Sort(fields)
		if got := slices.Sorted(maps.Keys(msg.Header)); !slices.Equal(got, fields) {
			t.Fatalf("header fields %q, want %q\n%s", got, fields, headerSection(r.Data))
		}
		for k, v := range msg.Header {
			if len(v) != 1 {
				t.Fatalf("%d %s fields", len(v), k)
			}
		}
		// The subject and the recipients read back as written (up to
		// white space, which net/textproto trims and folds).
		if got, err := newDecoder().DecodeHeader(msg.Header.Get("Subject")); err != nil || words(got) != words(m.Subject) {
			t.Fatalf("subject %q reads back as %q (%v)", m.Subject, got, err)
		}
		for key, want := range map[string][]Address{"To": {m.To}, "Cc": m.Cc} {
			if len(want) == 0 {
				continue
			}
			list, err := msg.Header.AddressList(key)
			if err != nil {
				t.Fatalf("%s: %v\n%s", key, err, headerSection(r.Data))
			}
			got := make([]Address, len(list))
			for i, a := range list {
				got[i] = Address{Name: words(a.Name), Email: a.Address}
			}
			want = slices.Clone(want)
			for i := range want {
				want[i].Name = words(want[i].Name)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s reads back as %q, want %q", key, got, want)
			}
		}
	})
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }
