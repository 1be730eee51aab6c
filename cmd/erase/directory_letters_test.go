package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/erase-cli/erase/companies"
)

// TestDirectoryLetters writes a PDF letter to a sample of the bundled
// directory's records of every kind: reached by e-mail, by a web form
// only, by post only, and requiring a birth date or account details of
// their own. Every sampled record must give a letter that composes and
// fits its envelope window, written from abroad (the recipient's country
// line stays) and from Germany.
func TestDirectoryLetters(t *testing.T) {
	idx, err := companies.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	records, err := idx.Records()
	if err != nil {
		t.Fatal(err)
	}
	const perKind = 25
	kinds := map[string][]*companies.Company{}
	for _, c := range records {
		if !c.Writable() {
			continue
		}
		var kind string
		switch {
		case c.Privacy.Email == "" && len(c.Privacy.Address) == 0:
			kind = "web form only"
		case c.Privacy.Email == "":
			kind = "post only"
		case len(c.RequiredAccounts) > 0 || slices.Contains(c.Requires, "birthdate"):
			kind = "required details"
		case c.Medium == "webform":
			kind = "asks for its web form"
		default:
			kind = "e-mail"
		}
		// Spread the sample over the directory, not its first ids.
		if len(kinds[kind]) < perKind && len(c.ID)%3 == 0 {
			kinds[kind] = append(kinds[kind], c)
		}
	}
	for _, want := range []string{"e-mail", "post only", "required details", "asks for its web form"} {
		if len(kinds[want]) == 0 {
			t.Errorf("no record of the kind %q in the sample", want)
		}
	}
	var ids []string
	accounts := map[string]bool{}
	for _, cs := range kinds {
		for _, c := range cs {
			ids = append(ids, c.ID)
			for _, a := range c.RequiredAccounts {
				accounts[a.Key] = true
			}
		}
	}
	list := filepath.Join(t.TempDir(), "companies.txt")
	if err := os.WriteFile(list, []byte(strings.Join(ids, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, from := range []struct {
		name    string
		address []string
	}{
		{"from abroad", []string{"1 Example Street", "London EC1A 1AA", "United Kingdom"}},
		{"from Germany", []string{"Musterstraße 1", "80331 München", "Deutschland"}},
	} {
		t.Run(from.name, func(t *testing.T) {
			outputEnv(t)
			args := []string{"letter", "--law", "gdpr", "--companies", list, "--name", "Jane Doe", "--email", "jane@example.com",
				"--birthdate", "1990-05-01", "--phone", "+44 20 7946 0000", "--date", "2026-11-27", "--format", "pdf", "-o", t.TempDir() + "/"}
			for _, a := range from.address {
				args = append(args, "--address", a)
			}
			for k := range accounts {
				args = append(args, "--account", k+"=X-1234")
			}
			code, _, stderr := run(t, args...)
			if code != 0 {
				t.Fatalf("exit %d for %d companies:\n%s", code, len(ids), stderr)
			}
			if n := strings.Count(stderr, "erase: wrote "); n != len(ids) {
				t.Errorf("%d letters written, want %d", n, len(ids))
			}
		})
	}
	t.Logf("%d records: %d e-mail, %d post only, %d web form only, %d asking for their form, %d with details of their own",
		len(ids), len(kinds["e-mail"]), len(kinds["post only"]), len(kinds["web form only"]), len(kinds["asks for its web form"]), len(kinds["required details"]))
}
