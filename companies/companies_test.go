package companies

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/erase-cli/erase/internal/badinput"
)

func TestEmbeddedRecords(t *testing.T) {
	d, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ali, err := d.Get("aliexpress")
	if err != nil {
		t.Fatal(err)
	}
	if ali.Parent != "alibaba" {
		t.Errorf("aliexpress parent = %q", ali.Parent)
	}
	if ali.SelfService == nil || !strings.HasPrefix(ali.SelfService.URL, "https://privacy.aliexpress.com/") {
		t.Errorf("aliexpress self-service link missing")
	}
	var want = []string{"open order", "refunds and returns", "wallet", "Download"}
	for _, w := range want {
		if !strings.Contains(strings.Join(ali.Checklist, "\n"), w) {
			t.Errorf("aliexpress checklist lacks %q", w)
		}
	}
	group, parent, err := d.Recipient(ali, ContactGroup)
	if err != nil || parent == nil || group.Email != "dataprotection@service.alibaba.com" {
		t.Errorf("group contact = %+v, %v, %v", group, parent, err)
	}
	own, _, _ := d.Recipient(ali, ContactPrivacy)
	if own.Email != "dataprotection.ae@aliexpress.com" {
		t.Errorf("privacy contact = %+v", own)
	}
	if _, _, err := d.Recipient(parent, ContactGroup); err == nil {
		t.Error("alibaba has no parent, want an error")
	}
	for _, c := range d.All() {
		if ali.LegalName != c.LegalName {
			t.Errorf("%s: both records name the same legal entity, got %q", c.ID, c.LegalName)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	good := "id: x\nname: X\nlegal_name: X Ltd\ncategories: [commerce]\nlanguage: en\nprivacy:\n  name: X Ltd\n  email: p@x.example\nrequires: [name, email]\nsources:\n  - url: https://x.example\n    what: test\nchecked: 2026-01-01\n"
	cases := map[string]string{
		"unknown key":     good + "fax: 123\n",
		"bad date":        strings.Replace(good, "2026-01-01", "soon", 1),
		"bad requirement": strings.Replace(good, "[name, email]", "[name, shoe-size]", 1),
		"no sources":      strings.Replace(good, "sources:\n  - url: https://x.example\n    what: test\n", "sources: []\n", 1),
		"missing parent":  good + "parent: nosuch\n",
		"bad email":       strings.Replace(good, "p@x.example", "p at x", 1),
	}
	if _, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(good)}}); err != nil {
		t.Fatalf("good record refused: %v", err)
	}
	for name, data := range cases {
		if _, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(data)}}); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.HasPrefix(err.Error(), "x.yaml") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}

func TestOverrideReplacesRecord(t *testing.T) {
	override := fstest.MapFS{"alibaba.yaml": {Data: []byte("id: alibaba\nname: Alibaba Group\nlegal_name: Other Ltd\ncategories: [commerce]\nlanguage: en\nprivacy:\n  name: Other Ltd\n  email: new@alibaba.example\nrequires: [name]\nsources:\n  - url: https://x.example\n    what: test\nchecked: 2026-11-01\n")}}
	d, err := Load(Embedded(), override)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := d.Get("alibaba")
	if c.Privacy.Email != "new@alibaba.example" {
		t.Errorf("override not applied: %+v", c.Privacy)
	}
}

func TestGetUnknownSuggests(t *testing.T) {
	d, _ := Load(Embedded())
	_, err := d.Get("express")
	b, ok := badinput.As(err)
	if !ok || len(b.Hints) == 0 || !strings.Contains(b.Hints[0], "aliexpress") {
		t.Errorf("got %v", err)
	}
}
