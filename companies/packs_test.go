package companies

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestShippedPacks: packs.yaml decodes strictly, every pack validates, and
// every company it lists is a letter recipient of the bundled directory.
func TestShippedPacks(t *testing.T) {
	ps, err := LoadPacks(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	d := bundledDirectory(t)
	if notes, err := ps.Check(d); err != nil || len(notes) > 0 {
		t.Fatal(err)
	}
	// 4 international, 2 Austrian and 8 German packs; a slug two files
	// share is named with the country first.
	if len(ps.All()) != 14 {
		t.Errorf("%d packs, want 14: %v", len(ps.All()), ps.IDs())
	}
	for _, id := range []string{"social-media", "de-address-brokers", "at-address-brokers", "all-finance", "de-finance", "commerce"} {
		if _, err := ps.Get(id); err != nil {
			t.Errorf("Get(%q): %v", id, err)
		}
	}
	p, _ := ps.Get("de-address-brokers")
	if p.Type != PackAddAll || p.Country != "DE" || p.Title != "Address brokers (Germany)" || !slices.Contains(p.Companies, "schober") {
		t.Errorf("de-address-brokers = %+v", p)
	}
	if p, _ := ps.Get("social-media"); p.Country != PackAll || p.Type != PackChoose {
		t.Errorf("social-media = %+v", p)
	}
	// The directory does not take packs.yaml for a company record.
	if _, err := d.Get("packs"); err == nil {
		t.Error("packs.yaml was read as a company record")
	}
}

func TestPacksOverlay(t *testing.T) {
	user := fstest.MapFS{PacksFile: {Data: []byte(`packs:
  - id: de-address-brokers
    title: My address brokers
    type: add-all
    country: DE
    companies: [schober]
  - id: mine
    title: Mine
    type: choose
    country: all
    companies: [aliexpress, alibaba]
`)}}
	ps, err := LoadPacks(Embedded(), user)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ps.Get("de-address-brokers")
	if p.Title != "My address brokers" || len(p.Companies) != 1 {
		t.Errorf("the user's pack does not replace the built-in one: %+v", p)
	}
	ids := ps.IDs()
	if len(ids) != 15 || ids[len(ids)-1] != "mine" || slices.Index(ids, "de-address-brokers") != slices.Index(mustIDs(t), "de-address-brokers") {
		t.Errorf("ids after the overlay: %v", ids)
	}
	// The user's own records load alongside, and the company loader skips
	// the packs file in the same directory.
	if _, err := Load(Embedded(), user); err != nil {
		t.Errorf("a packs.yaml in the override directory breaks the company loader: %v", err)
	}
}

func mustIDs(t *testing.T) []string {
	ps, err := LoadPacks(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return ps.IDs()
}

func TestPacksReject(t *testing.T) {
	good := "packs:\n  - id: p\n    title: P\n    type: choose\n    country: DE\n    companies: [aliexpress]\n"
	cases := map[string]string{
		"unknown key":  good + "    web: https://x.example\n",
		"bad type":     strings.Replace(good, "choose", "some", 1),
		"bad country":  strings.Replace(good, "country: DE", "country: de", 1),
		"no title":     strings.Replace(good, "title: P", "title: ''", 1),
		"no companies": strings.Replace(good, "[aliexpress]", "[]", 1),
		"twice listed": strings.Replace(good, "[aliexpress]", "[aliexpress, aliexpress]", 1),
		"bad id":       strings.Replace(good, "id: p", "id: P Q", 1),
		"pack twice":   good + strings.TrimPrefix(good, "packs:\n"),
		"bad source":   good + "    source: nowhere\n",
		"not a list":   "packs: p\n",
	}
	if _, err := LoadPacks(fstest.MapFS{PacksFile: {Data: []byte(good)}}); err != nil {
		t.Fatalf("good pack refused: %v", err)
	}
	for name, data := range cases {
		if _, err := LoadPacks(fstest.MapFS{PacksFile: {Data: []byte(data)}}); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.HasPrefix(err.Error(), PacksFile+": ") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
}

func TestPacksCheck(t *testing.T) {
	d, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for data, want := range map[string]string{
		"[aliexpress, alibab]": `packs.yaml: pack "p" lists "alibab", which is not in the directory (did you mean alibaba?)`,
		"[aliexpress, nosuch]": `packs.yaml: pack "p" lists "nosuch", which is not in the directory`,
	} {
		ps, err := LoadPacks(fstest.MapFS{PacksFile: {Data: []byte("packs:\n  - id: p\n    title: P\n    type: add-all\n    country: all\n    companies: " + data + "\n")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Check(d); err == nil || err.Error() != want {
			t.Errorf("Check(%s) = %v, want %s", data, err, want)
		}
	}
	self := fstest.MapFS{"selfonly.yaml": {Data: []byte("id: selfonly\nname: Self\ncategories: []\nrequires: []\nself_service:\n  url: https://self.example/delete\n  source: https://self.example\nsources:\n  - url: https://self.example\n    what: test\nsnapshot: 2026-01-01\n")}}
	d, err = Load(Embedded(), self)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := LoadPacks(fstest.MapFS{PacksFile: {Data: []byte("packs:\n  - id: p\n    title: P\n    type: add-all\n    country: all\n    companies: [selfonly]\n")}})
	if _, err := ps.Check(d); err == nil || !strings.Contains(err.Error(), "takes no letters") {
		t.Errorf("a self-service-only record in a pack: %v", err)
	}
}

func TestGetUnknownPack(t *testing.T) {
	ps, err := LoadPacks(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for typed, near := range map[string][]string{
		"de-adress-brokers": {"de-address-brokers"},
		"socialmedia":       {"social-media"},
		"address-brokers":   {"at-address-brokers", "de-address-brokers"},
		"finance":           {"all-finance", "de-finance"},
		"zzzz":              nil,
		"":                  nil,
	} {
		_, err := ps.Get(typed)
		var u *UnknownPackError
		if !errors.As(err, &u) || u.ID != typed || !slices.Equal(u.Near, near) {
			t.Errorf("Get(%q): %v (near %v), want an UnknownPackError near %v", typed, err, u, near)
		}
	}
	if p, err := ps.Get(" De-Address-Brokers "); err != nil || p.ID != "de-address-brokers" {
		t.Errorf("Get ignores neither case nor spaces: %v", err)
	}
}

// TestBuiltinPacksWithoutCompanies: a directory without some companies of
// the built-in packs (one imported from a newer dataset that dropped them)
// leaves them out of those packs, with a note each, rather than failing.
func TestBuiltinPacksWithoutCompanies(t *testing.T) {
	ps, err := LoadPacks(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(Embedded()) // the hand-checked records alone
	if err != nil {
		t.Fatal(err)
	}
	notes, err := ps.Check(d)
	if err != nil || len(notes) == 0 {
		t.Fatalf("notes %d, err %v", len(notes), err)
	}
	for _, p := range ps.All() {
		for _, id := range p.Companies {
			if id != "aliexpress" && id != "alibaba" {
				t.Errorf("pack %s still lists %s", p.ID, id)
			}
		}
	}
	if !strings.Contains(notes[0], "no longer has as a letter recipient: it is left out") {
		t.Errorf("note %q", notes[0])
	}
}
