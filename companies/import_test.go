package companies

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// datasetDir is the Datenanfragen dataset beside the repository (../shared,
// as CI lays it out), or "" where it is absent.
func datasetDir() string {
	dir := filepath.Join("..", "..", "shared", "datasets", "datenanfragen")
	if _, err := os.Stat(filepath.Join(dir, "companies", "deutsche-bahn.json")); err != nil {
		return ""
	}
	return dir
}

// synthetic is a small checkout in the dataset's format, for where the
// dataset is absent: the two records the tests change, and a third.
var synthetic = map[string]string{
	"deutsche-bahn": `{"slug": "deutsche-bahn", "relevant-countries": ["all"], "categories": ["travel"],
		"name": "DB Vertrieb GmbH", "runs": ["BahnCard"], "address": "Europa-Allee 78-84\n60486 Frankfurt\nGermany",
		"email": "p.d-datenschutz@deutschebahn.com", "web": "https://www.bahn.de", "sources": ["https://www.bahn.de/datenschutz"],
		"required-elements": [{"desc": "Name", "type": "name"}, {"desc": "Adresse", "type": "address"}],
		"suggested-transport-medium": "email", "quality": "verified"}`,
	"adition": `{"slug": "adition", "relevant-countries": ["all"], "categories": ["ads"], "name": "ADITION technologies AG",
		"address": "Oststraße 55\n40211 Düsseldorf\nDeutschland", "email": "info@adition.com", "web": "https://www.adition.com/",
		"sources": ["https://www.adition.com/en/privacy/"], "quality": "verified"}`,
	"a1-austria": `{"slug": "a1-austria", "relevant-countries": ["at"], "categories": ["telecommunication"], "name": "A1 Telekom Austria AG",
		"address": "Lassallestraße 9\n1020 Wien\nÖsterreich", "phone": "+43 50 6640", "web": "https://www.a1.net",
		"sources": ["https://www.a1.net/impressum"], "needs-id-document": true, "suggested-transport-medium": "letter", "quality": "verified"}`,
}

// checkout is a copy, in memory, of the Datenanfragen companies/: the
// real dataset where it is beside the repository, else the synthetic one.
// (In memory: writing 3,000 files costs seconds on some disks.)
func checkout(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	if src := datasetDir(); src != "" {
		names, err := filepath.Glob(filepath.Join(src, "companies", "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			fsys["companies/"+filepath.Base(name)] = &fstest.MapFile{Data: data}
		}
		return fsys
	}
	t.Log("no dataset beside the repository: a synthetic checkout")
	for slug, js := range synthetic {
		fsys["companies/"+slug+".json"] = &fstest.MapFile{Data: []byte(js)}
	}
	return fsys
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportReportsChanges: an import of a copy of the dataset with one
// e-mail changed, one record deleted, one added and one broken reports
// exactly those, against an import of the copy as it was; and the dataset
// erase ships, imported as of its snapshot, gives the very index built in.
func TestImportReportsChanges(t *testing.T) {
	t.Parallel()
	fsys := checkout(t)
	before, err := Import(fsys, "2026-07-21")
	if err != nil {
		t.Fatal(err)
	}
	if datasetDir() != "" && string(before.Index) != bundledIndex {
		t.Error("importing the shipped dataset does not give index.bin")
	}
	db := fsys["companies/deutsche-bahn.json"]
	if db == nil || !strings.Contains(string(db.Data), "p.d-datenschutz@deutschebahn.com") {
		t.Fatal("the checkout lacks deutsche-bahn.json with its e-mail address")
	}
	db.Data = []byte(strings.Replace(string(db.Data), "p.d-datenschutz@deutschebahn.com", "datenschutz@bahn.example", 1))
	if fsys["companies/adition.json"] == nil {
		t.Fatal("the checkout lacks adition.json")
	}
	delete(fsys, "companies/adition.json")
	fsys["companies/erase-test-co.json"] = &fstest.MapFile{Data: []byte(`{"slug": "erase-test-co", "relevant-countries": ["de"],
		"categories": ["commerce"], "name": "Erase Test Co GmbH", "address": "Teststr. 1\n10115 Berlin\nGermany",
		"email": "privacy@erase-test.example", "web": "https://erase-test.example", "sources": ["https://erase-test.example/privacy"],
		"quality": "verified"}`)}
	fsys["companies/broken.json"] = &fstest.MapFile{Data: []byte(`{"slug": "not-broken", "name": "Broken"}`)}

	after, err := Import(fsys, "2026-09-01")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compare(before.Records, after.Records)
	if err != nil {
		t.Fatal(err)
	}
	want := Diff{
		Added:     []Change{{ID: "erase-test-co", Name: "Erase Test Co GmbH"}},
		Changed:   []Change{{ID: "deutsche-bahn", Name: "DB Vertrieb GmbH", Fields: []string{"email"}}},
		Dropped:   []Change{{ID: "adition", Name: "ADITION technologies AG"}},
		Unchanged: len(before.Records) - 2,
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("diff = %+v\nwant %+v", d, want)
	}
	if len(after.Skipped) != 1 || after.Skipped[0].File != "companies/broken.json" || !strings.Contains(after.Skipped[0].Reason, "file name") {
		t.Errorf("skipped = %+v, want broken.json for its slug", after.Skipped)
	}
	if after.Dataset != before.Dataset || len(after.Records) != len(before.Records) {
		t.Errorf("%d records (%d from the dataset), before %d (%d)", len(after.Records), after.Dataset, len(before.Records), before.Dataset)
	}
	x, err := ParseIndex(string(after.Index))
	if err != nil {
		t.Fatal(err)
	}
	d2, err := Open(x, Embedded())
	if err != nil {
		t.Fatal(err)
	}
	c, err := d2.Get("deutsche-bahn")
	if err != nil || c.Privacy.Email != "datenschutz@bahn.example" || c.Snapshot != "2026-09-01" || x.Snapshot != "2026-09-01" {
		t.Fatalf("the imported index has deutsche-bahn = %+v, %v (snapshot %s)", c, err, x.Snapshot)
	}
}

func TestImportRefusesEmpty(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "companies"), 0o755)
	writeFile(t, filepath.Join(dir, "companies", "x.json"), `{"slug": "y"}`)
	if _, err := Import(os.DirFS(dir), "2026-07-21"); err == nil || !strings.Contains(err.Error(), "none of the 1 records") {
		t.Fatalf("err = %v, want none could be read", err)
	}
	if _, err := Import(os.DirFS(t.TempDir()), "2026-07-21"); err == nil {
		t.Fatal("a directory without companies/ imported")
	}
}

// TestCompareFields names each changed field once, the privacy contact's
// by their own names, and takes neither the snapshot nor null for []
// as a change.
func TestCompareFields(t *testing.T) {
	old := &Company{ID: "x", Name: "X", Snapshot: "2026-07-21", Categories: nil,
		Privacy: Contact{Name: "X", Email: "a@x.example", Address: []string{"1 Main St"}}}
	same := *old
	same.Snapshot, same.Categories = "2026-09-01", []string{}
	moved := *old
	moved.Privacy = Contact{Name: "X Ltd", Email: "b@x.example", Address: []string{"2 Main St"}}
	moved.Runs = []string{"X App"}
	d, err := Compare([]*Company{old}, []*Company{&same})
	if err != nil || d.Unchanged != 1 || len(d.Changed) != 0 {
		t.Fatalf("snapshot and [] only: %+v, %v", d, err)
	}
	d, err = Compare([]*Company{old}, []*Company{&moved})
	if err != nil || len(d.Changed) != 1 {
		t.Fatalf("%+v, %v", d, err)
	}
	if got, want := d.Changed[0].Fields, []string{"contact name", "email", "address", "runs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
}
