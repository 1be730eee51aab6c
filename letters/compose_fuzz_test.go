package letters

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

// fuzzMax bounds each fuzzed field: a letter's fields are short, and
// long ones only slow the search down (for the PDF, a lot).
const fuzzMax = 200

func fuzzTooLong(ss ...string) bool {
	for _, s := range ss {
		if len(s) > fuzzMax {
			return true
		}
	}
	return false
}

// fuzzLaws loads the regimes and templates once per process, not once per
// input.
var fuzzLaws = sync.OnceValues(func() ([]*jurisdictions.Regime, *templates.Set) {
	s, err := jurisdictions.Load(jurisdictions.Embedded())
	if err != nil {
		panic(err)
	}
	return s.All(), templates.New(nil, templates.Embedded())
})

// FuzzCompose composes a letter from fuzzed requester, account and company
// fields under any regime: it never panics, and either refuses the input
// or gives a letter whose text is whole (no "<no value>" or "{{" that the
// input did not carry), names
// the requester, and is valid UTF-8 when the input is; and no field that
// reaches the letter may carry a control character or a placeholder (a
// newline in a company name would add paragraphs to the body).
func FuzzCompose(f *testing.F) {
	add := func(name, email, address, phone, key, value, service, recipient, group string, law uint8) {
		f.Add(name, email, address, phone, key, value, service, recipient, group, law)
	}
	add("Zoë Łukasiewicz", "zoe@example.org", "Müllerstraße 12", "", "username", "zoe_l", "AliExpress", "AliExpress.com", "", 0)
	add("Jane Doe", "jane@example.com", "", "+1 555 0100", "order-number", "8123456789", "AliExpress", "Alibaba.com", "Alibaba Group", 3)
	add("张伟", "zhang@example.cn", "北京市", "", "user-id", "42", "淘宝", "阿里巴巴", "", 7)
	add("{{.Secret}}", "jane@example.com", "", "", "username", "x", "Shop", "Shop Ltd", "", 1)
	add("Jane", "jane@example.com", "", "", "{{.X}}", "x", "{{.Service}}", "Shop", "<no value>", 2)
	add("Jane\nBcc: x@example.com", "jane@example.com", "", "", "", "", "Shop", "Shop Ltd", "", 0)
	add("Jane", "not an address", "a\x1bb", "", "username", "a\x00b", "", "", "", 5)
	add("  ", "a@b.c", "", "", "-", "", "()", "x", "", 255)
	f.Fuzz(func(t *testing.T, name, email, address, phone, key, value, service, recipient, group string, law uint8) {
		if fuzzTooLong(name, email, address, phone, key, value, service, recipient, group) {
			return
		}
		laws, tmpls := fuzzLaws()
		req := Request{
			Date:      time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Regime:    laws[int(law)%len(laws)],
			Requester: Party{Name: name, Email: email, Phone: phone},
			Recipient: Party{Name: recipient, Email: "privacy@shop.example"},
			Service:   service,
			CompanyID: "shop",
			GroupName: group,
		}
		if address != "" {
			req.Requester.Address = []string{address}
		}
		if key != "" || value != "" {
			req.Accounts = []Account{{Key: key, Value: value}}
		}
		l, err := Compose(req, tmpls)
		if err != nil {
			return
		}
		for _, s := range []string{name, address, phone, key, value, service, recipient, group} {
			if err := CheckText("field", s); err != nil {
				t.Fatalf("composed a letter from a field that fails CheckText: %v: %q", err, s)
			}
		}
		var b bytes.Buffer
		if err := WriteText(&b, l); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		for _, bad := range []string{"<no value>", "{{"} {
			typed := false
			for _, s := range []string{name, email, address, phone, key, value, service, recipient, group} {
				typed = typed || strings.Contains(s, bad)
			}
			if strings.Contains(text, bad) && !typed {
				t.Fatalf("the letter contains %q that no input has:\n%s", bad, text)
			}
		}
		if !strings.Contains(text, name) {
			t.Fatalf("the letter does not name the requester %q:\n%s", name, text)
		}
		valid := true
		for _, s := range []string{name, email, address, phone, key, value, service, recipient, group} {
			valid = valid && utf8.ValidString(s)
		}
		if valid && !utf8.ValidString(text) {
			t.Fatalf("valid UTF-8 in, invalid out:\n%q", text)
		}
	})
}
