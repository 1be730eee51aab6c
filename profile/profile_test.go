package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/letters"
)

func TestDecode(t *testing.T) {
	p, err := Decode("me.yaml", []byte("name: Zoë\nemail: zoe@example.org\naddress: |\n  Müllerstraße 12\n  10115 Berlin\ncountry: NO\naccounts:\n  username: zoe\n  order: 123\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Country != "NO" {
		t.Errorf("country = %q (the Norway problem)", p.Country)
	}
	if len(p.Address) != 2 || p.Address[1] != "10115 Berlin" {
		t.Errorf("address = %q", p.Address)
	}
	if len(p.Accounts) != 2 || p.Accounts[0].Key != "username" || p.Accounts[1].Value != "123" {
		t.Errorf("accounts = %+v (order must be kept)", p.Accounts)
	}
	j, err := Decode("me.json", []byte(`{"name": "Zoë", "email": "zoe@example.org", "address": ["a", "b"]}`))
	if err != nil || j.Address[1] != "b" {
		t.Errorf("json: %+v %v", j, err)
	}
}

func TestDecodeErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"name: x\nemail: x@example.org\ncountyr: DE\n": `me.yaml:3: unknown key "countyr"`,
		"name: x\nemail: nope\n":                       `me.yaml: email "nope" is not an e-mail address`,
		"name: \"a\\nb\"\n":                            "me.yaml: name contains a control character",
		"accounts: [a, b]\n":                           "me.yaml:1: accounts must be a mapping",
		"accounts:\n  \"bad key!\": x\n":               `me.yaml: account key "bad key!"`,
		"birthdate: 1990-02-30\n":                      `me.yaml: birthdate "1990-02-30" is not a date`,
		"birthdate: 01.05.1990\n":                      `me.yaml: birthdate "01.05.1990" is not a date`,
		"birthdate: 1890-05-01\n":                      `me.yaml: birthdate "1890-05-01" is before 1900`,
	}
	for data, want := range cases {
		_, err := Decode("me.yaml", []byte(data))
		if _, ok := badinput.As(err); !ok || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v, want prefix %q", data, err, want)
		}
	}
}

// TestBirthdate: a date of birth is read as written, unquoted in YAML or
// in JSON, kept by Merge and a save, and left out of the letter's sender.
func TestBirthdate(t *testing.T) {
	for name, data := range map[string]string{"me.yaml": "name: Zoë\nbirthdate: 1990-05-01\n", "me.json": `{"birthdate": "1990-05-01"}`} {
		p, err := Decode(name, []byte(data))
		if err != nil || p.Birthdate != "1990-05-01" {
			t.Errorf("%s: %+v %v", name, p, err)
		}
	}
	flags := &Profile{}
	flags.Merge(&Profile{Birthdate: "1990-05-01"})
	if flags.Birthdate != "1990-05-01" {
		t.Errorf("merged = %+v", flags)
	}
	if flags.Party().Birthdate != "" {
		t.Error("Party gives the date of birth to every letter")
	}
	dir := filepath.Join(t.TempDir(), "erase")
	if err := flags.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSaved(dir)
	if err != nil || back.Birthdate != "1990-05-01" {
		t.Errorf("round trip = %+v %v", back, err)
	}
	today := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	if _, err := ParseBirthdate("--birthdate", "2026-11-27", today); err == nil || !strings.Contains(err.Error(), "not in the past") {
		t.Errorf("today: %v", err)
	}
	if b, err := ParseBirthdate("--birthdate", "2026-11-26", today); err != nil || b.Day() != 26 {
		t.Errorf("yesterday: %v %v", b, err)
	}
}

func TestMerge(t *testing.T) {
	flags := &Profile{Name: "Flag Name", Accounts: Accounts{{Key: "username", Value: "flag"}}}
	file := &Profile{Name: "File Name", Email: "file@example.org", Accounts: Accounts{{Key: "username", Value: "file"}, {Key: "order", Value: "1"}}}
	flags.Merge(file)
	if flags.Name != "Flag Name" || flags.Email != "file@example.org" {
		t.Errorf("merged = %+v", flags)
	}
	if len(flags.Accounts) != 2 || flags.Accounts[0] != (letters.Account{Key: "order", Value: "1"}) || flags.Accounts[1].Value != "flag" {
		t.Errorf("accounts = %+v", flags.Accounts)
	}
}

func TestSaveIsPrivateAndRoundTrips(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "erase")
	p := &Profile{Name: "Jane Doe", Email: "jane@example.com", Address: Lines{"1 Main St"}, Accounts: Accounts{{Key: "username", Value: "007"}}}
	if err := p.Save(dir); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(Path(dir))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("profile mode %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(dir)
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", dst.Mode().Perm())
	}
	back, err := LoadSaved(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Name != p.Name || back.Accounts[0].Value != "007" || back.Address[0] != "1 Main St" {
		t.Errorf("round trip = %+v", back)
	}
	if none, err := LoadSaved(t.TempDir()); none != nil || err != nil {
		t.Errorf("missing profile = %v, %v", none, err)
	}
}
