package companies

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
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
	if ali.GroupContact != "alibaba" {
		t.Errorf("aliexpress group_contact = %q", ali.GroupContact)
	}
	// The alibaba record is the same Singapore entity, Alibaba Group's
	// privacy contact, not a parent company; AliExpress's address is inferred.
	alibaba, _ := d.Get("alibaba")
	if alibaba.Registration != ali.Registration || alibaba.Name != "Alibaba.com Singapore E-Commerce Private Limited, Alibaba Group's privacy contact" {
		t.Errorf("alibaba record = %q (%s)", alibaba.Name, alibaba.Registration)
	}
	if alibaba.GroupName() != "Alibaba Group" || alibaba.ServiceName() != "Alibaba.com" {
		t.Errorf("alibaba group %q, service %q", alibaba.GroupName(), alibaba.ServiceName())
	}
	if ali.Privacy.AddressCertain() {
		t.Errorf("the AliExpress postal address is inferred, got status %q", ali.Privacy.AddressStatus)
	}
	for _, c := range d.All() {
		if c.Snapshot != "2026-07-21" || c.OldChecked != "" {
			t.Errorf("%s: snapshot %q (checked %q): the embedded records use snapshot", c.ID, c.Snapshot, c.OldChecked)
		}
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
		t.Error("alibaba has no group contact, want an error")
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
		"unknown key":       good + "fax: 123\n",
		"bad date":          strings.Replace(good, "2026-01-01", "soon", 1),
		"bad requirement":   strings.Replace(good, "[name, email]", "[name, shoe-size]", 1),
		"no sources":        strings.Replace(good, "sources:\n  - url: https://x.example\n    what: test\n", "sources: []\n", 1),
		"missing parent":    good + "parent: nosuch\n",
		"missing group":     good + "group_contact: nosuch\n",
		"old and new date":  good + "snapshot: 2026-01-01\n",
		"both group keys":   good + "group_contact: x\nparent: x\n",
		"address status":    strings.Replace(good, "  email: p@x.example\n", "  email: p@x.example\n  address: [a]\n  address_status: guessed\n", 1),
		"status no address": strings.Replace(good, "  email: p@x.example\n", "  email: p@x.example\n  address_status: inferred\n", 1),
		"bad email":         strings.Replace(good, "p@x.example", "p at x", 1),
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
	// An override written for an older erase still says checked: and parent:.
	if c.Snapshot != "2026-11-01" {
		t.Errorf("the old checked: key is not read as snapshot: %q", c.Snapshot)
	}
	old := fstest.MapFS{"shop.yaml": {Data: []byte("id: shop\nname: Shop\nlegal_name: Shop Ltd\ncategories: [commerce]\nlanguage: en\nprivacy:\n  name: Shop Ltd\n  email: p@shop.example\nrequires: [name]\nparent: alibaba\nsources:\n  - url: https://shop.example\n    what: test\nchecked: 2026-11-01\n")}}
	d, err = Load(Embedded(), old)
	if err != nil {
		t.Fatal(err)
	}
	shop, _ := d.Get("shop")
	if shop.GroupContact != "alibaba" || shop.Snapshot != "2026-11-01" {
		t.Errorf("old keys not read: group_contact %q, snapshot %q", shop.GroupContact, shop.Snapshot)
	}
}

func TestGetUnknownSuggests(t *testing.T) {
	d, _ := Load(Embedded())
	for typed, near := range map[string]string{"express": "aliexpress", "aliexprss": "aliexpress", "alibab": "alibaba", "zzzz": ""} {
		_, err := d.Get(typed)
		var u *UnknownError
		if !errors.As(err, &u) || u.ID != typed || u.Near != near {
			t.Errorf("Get(%q): %v, want an UnknownError near %q", typed, err, near)
		}
	}
}
