package companies

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestIndexCurrent: index.bin is what go generate makes of the YAML
// records and the JustDeleteMe entries, so an edit to either without
// remaking it fails here.
func TestIndexCurrent(t *testing.T) {
	data, err := BuildIndex(os.DirFS("datenanfragen"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != bundledIndex {
		t.Fatal("index.bin is stale: run go generate ./companies (or make generate)")
	}
}

// TestShippedRecords: every Datenanfragen record is carried over, decodes
// strictly from its YAML file and validates (BuildIndex loads them so), and
// the index holds each of them and every JustDeleteMe entry.
func TestShippedRecords(t *testing.T) {
	x, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	records, err := x.Records()
	if err != nil {
		t.Fatal(err)
	}
	var writable, selfOnly, joined int
	for _, c := range records {
		if err := c.validate(); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		switch {
		case c.Writable() && c.SelfService != nil:
			joined++
			writable++
		case c.Writable():
			writable++
		default:
			selfOnly++
		}
	}
	sites, _ := BundledSites()
	// 3,069 Datenanfragen records (the 3,070th file, mdm-de, is not JSON).
	if writable != 3069 || selfOnly+joined < len(sites.Sites)*9/10 {
		t.Errorf("%d letter recipients (%d with a self-service link), %d self-service only, of %d sites", writable, joined, selfOnly, len(sites.Sites))
	}
	t.Logf("%d records: %d take letters (%d of them with a JustDeleteMe link), %d self-service only", len(records), writable, joined, selfOnly)
}

func TestDirectoryWithIndex(t *testing.T) {
	d := bundledDirectory(t)
	x, _ := Bundled()
	// The hand-checked record replaces the dataset's.
	ali, err := d.Get("aliexpress")
	if err != nil || ali.Privacy.AddressStatus != "inferred" || ali.Quality != "" {
		t.Fatalf("aliexpress = %+v, %v: want the hand-checked record", ali, err)
	}
	db, err := d.Get("deutsche-bahn")
	if err != nil {
		t.Fatal(err)
	}
	if db.Privacy.Email != "p.d-datenschutz@deutschebahn.com" || !slices.Contains(db.Runs, "BahnCard") ||
		!slices.Equal(db.Requires, []string{"name", "address"}) || db.Quality != "verified" || db.Medium != "email" {
		t.Errorf("deutsche-bahn = %+v", db)
	}
	if db.SelfService == nil || !strings.Contains(db.SelfService.Source, "JustDeleteMe") {
		t.Errorf("deutsche-bahn has no JustDeleteMe link: %+v", db.SelfService)
	}
	// By web domain as well as by id.
	if c, err := d.Get("bahn.de"); err != nil || c.ID != "deutsche-bahn" {
		t.Errorf("Get(bahn.de) = %v, %v", c, err)
	}
	// A JustDeleteMe entry no record has: a link, not a letter recipient.
	rf, err := d.Get("123rf")
	if err != nil || rf.Writable() || rf.SelfService == nil || rf.SelfService.Difficulty != "hard" {
		t.Errorf("123rf = %+v, %v", rf, err)
	}
	if n := d.Len(); n != x.Len() {
		t.Errorf("Len = %d, want the index's %d (the hand-checked records replace two)", n, x.Len())
	}
	// Required elements: an account field in the company's words.
	found := false
	for _, c := range d.All() {
		for _, a := range c.RequiredAccounts {
			if a.Label == "Kundennummer" && a.Key == "kundennummer" {
				found = true
			}
		}
	}
	if !found {
		t.Error("no record requires a Kundennummer")
	}
}

func TestParseIndexRefuses(t *testing.T) {
	for name, data := range map[string]string{
		"not an index": "hello\n",
		"bad count":    indexMagic + "2026-01-01 x\n\n",
		"short line":   indexMagic + "2026-01-01 1\na\tb\n\n",
		"outside":      indexMagic + "2026-01-01 1\na\tA\t\tw\t\t\t\t0\t99\n\n{}",
		"order":        indexMagic + "2026-01-01 2\nb\tB\t\tw\t\t\t\t0\t2\na\tA\t\tw\t\t\t\t0\t2\n\n{}",
		"no blank":     indexMagic + "2026-01-01 1\na\tA\t\tw\t\t\t\t0\t2\n{}",
	} {
		if _, err := ParseIndex(data); err == nil || !strings.HasPrefix(err.Error(), "company index: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Kundennummer": "kundennummer", "Zoho ID": "zoho-id", "Müller & Söhne": "muller-sohne",
		"Straße": "strasse", "/e/": "e", "Numéro d'appel": "numero-d-appel", "": ""} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBundledIndexValid: a run reads only the bundled index's shape (see
// Bundled), so every line of it is checked here.
func TestBundledIndexValid(t *testing.T) {
	x, err := ParseIndex(bundledIndex)
	if err != nil {
		t.Fatal(err)
	}
	lazy, _ := Bundled()
	var ids []string
	for en := range lazy.entries() {
		ids = append(ids, en.id)
	}
	if len(ids) != x.Len() || lazy.Len() != x.Len() {
		t.Fatalf("%d lines walked, %d parsed, Len %d", len(ids), x.Len(), lazy.Len())
	}
	// Bisecting the header finds every id, the first and the last too,
	// and nothing between them.
	for _, id := range ids {
		if en, ok := lazy.find(id); !ok || en.id != id {
			t.Fatalf("find(%q) = %q, %v", id, en.id, ok)
		}
		for _, miss := range []string{id + "0", id[:len(id)-1] + "-"} {
			if !slices.Contains(ids, miss) {
				if en, ok := lazy.find(miss); ok {
					t.Fatalf("find(%q) = %q", miss, en.id)
				}
			}
		}
	}
	for _, miss := range []string{"", "0", "~"} {
		if _, ok := lazy.find(miss); ok {
			t.Errorf("find(%q) found a record", miss)
		}
	}
	var prefixed []string
	for en := range lazy.withPrefix("deutsche-ba") {
		prefixed = append(prefixed, en.id)
	}
	if !slices.Equal(prefixed, []string{"deutsche-bahn", "deutsche-bahn-ag", "deutsche-bank-ag", "deutsche-bank-privat-geschaeftskunden"}) {
		t.Errorf("withPrefix(deutsche-ba) = %v", prefixed)
	}
}

// TestObsoleteRecords: an id the dataset retired is refused with the
// reason and the record that took its place; every such record exists.
func TestObsoleteRecords(t *testing.T) {
	d := bundledDirectory(t)
	all, err := bundledObsolete()
	if err != nil || len(all) < 100 {
		t.Fatalf("%d obsolete records, %v", len(all), err)
	}
	for id, o := range all {
		if o.Current != "" && !d.has(o.Current) {
			t.Errorf("%s: its current record %s is not in the directory", id, o.Current)
		}
	}
	_, err = d.Get("aachen-muenchener")
	var ob *ObsoleteError
	if !errors.As(err, &ob) || ob.Record.Reason != "company-merged" || ob.Current == nil || ob.Current.ID != "generali" {
		t.Fatalf("Get(aachen-muenchener) = %v", err)
	}
	if got := ob.Error(); got != "AachenMünchener (aachen-muenchener) is no longer in the directory: the company merged into another" {
		t.Errorf("error %q", got)
	}
	if _, err := d.Get("4info"); !errors.As(err, &ob) || ob.Current != nil {
		t.Errorf("Get(4info) = %v", err)
	}
}
