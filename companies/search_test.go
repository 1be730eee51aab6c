package companies

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func bundledDirectory(t testing.TB) *Directory {
	t.Helper()
	x, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(x, Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func hitIDs(hits []Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// TestFindRanks: what a person types, over the real directory, and the
// records that must come first.
func TestFindRanks(t *testing.T) {
	d := bundledDirectory(t)
	for _, tt := range []struct {
		text string
		top  []string // the first hits, in order
		not  []string // ids that must not be among the first ten
	}{
		// Ids, in any case and spacing.
		{"deutsche-bahn", []string{"deutsche-bahn"}, nil},
		{"Deutsche Bahn", []string{"deutsche-bahn", "deutsche-bahn-ag"}, nil},
		{"DEUTSCHE  BAHN", []string{"deutsche-bahn"}, nil},
		// Typos.
		{"aliexprss", []string{"aliexpress"}, nil},
		{"deutche bahn", []string{"deutsche-bahn", "deutsche-bahn-ag"}, nil},
		{"facebok", []string{"facebook"}, nil},
		{"spotfy", []string{"spotify"}, nil},
		{"googel", []string{"google"}, nil},
		// A run, a domain, an alias, a web address.
		{"BahnCard", []string{"deutsche-bahn"}, nil},
		{"db navigator", []string{"deutsche-bahn"}, nil},
		{"bahn.de", []string{"deutsche-bahn"}, nil},
		{"aliexpress.com", []string{"aliexpress"}, nil},
		{"https://www.spotify.com/de/account/", []string{"spotify"}, nil},
		// Prefixes as one types.
		{"deutsche b", []string{"deutsche-bahn"}, nil},
		{"alibab", []string{"alibaba", "aliexpress"}, nil},
		// A word of a name, not its start.
		{"bahn ag", []string{"deutsche-bahn-ag"}, nil},
		// Part of an id: the service itself before those that merely
		// contain the word.
		{"express", []string{"expressvpn"}, nil},
		// Accents and ß either way.
		{"Müllerschule", []string{"deutsche-muellerschule-bs"}, nil},
		{"mullerschule", []string{"deutsche-muellerschule-bs"}, nil},
		// Four letters with a typo match whole keys, not every prefix.
		{"zzzz", nil, []string{"zazzle"}},
	} {
		hits := d.Find(tt.text, SearchOptions{Limit: 10})
		ids := hitIDs(hits)
		if len(ids) < len(tt.top) || !slices.Equal(ids[:len(tt.top)], tt.top) {
			t.Errorf("Find(%q) = %v, want %v first", tt.text, ids, tt.top)
		}
		for _, id := range tt.not {
			if slices.Contains(ids, id) {
				t.Errorf("Find(%q) = %v: %s should not match", tt.text, ids, id)
			}
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Errorf("Find(%q): %s (%d) after %s (%d)", tt.text, hits[i].ID, hits[i].Score, hits[i-1].ID, hits[i-1].Score)
			}
		}
	}
}

func TestFindTiers(t *testing.T) {
	d := bundledDirectory(t)
	score := func(text string) int {
		hits := d.Find(text, SearchOptions{Limit: 1})
		if len(hits) == 0 || hits[0].ID != "deutsche-bahn" {
			t.Fatalf("Find(%q) = %v, want deutsche-bahn first", text, hitIDs(hits))
		}
		return hits[0].Score
	}
	// Exact id > exact run > id prefix > id word prefix > typo.
	tiers := []string{"deutsche-bahn", "bahncard", "deutsche-bah", "bahn", "deutche bahn"}
	for i := 1; i < len(tiers); i++ {
		if a, b := score(tiers[i-1]), score(tiers[i]); a <= b {
			t.Errorf("%q scores %d, %q %d: want the first higher", tiers[i-1], a, tiers[i], b)
		}
	}
	// "amazn" is an Amazon record, every one of them before anything else.
	hits := d.Find("amazn", SearchOptions{Limit: 3})
	for _, h := range hits {
		if !strings.HasPrefix(h.ID, "amazon-") {
			t.Errorf("Find(amazn) = %v, want amazon records first", hitIDs(hits))
		}
	}
}

func TestFindOptions(t *testing.T) {
	d := bundledDirectory(t)
	// A record for France, or for every country; not Amazon's German one.
	ids := hitIDs(d.Find("amazon", SearchOptions{Country: "fr"}))
	if !slices.Contains(ids, "amazon-fr") || !slices.Contains(ids, "amazon-aws") || slices.Contains(ids, "amazon-de") {
		t.Errorf("amazon in FR = %v", ids)
	}
	ids = hitIDs(d.Find("amazon", SearchOptions{Category: "telecommunication"}))
	if len(ids) == 0 || ids[0] != "amazon-aws" || slices.Contains(ids, "amazon-fr") {
		t.Errorf("amazon in telecommunication = %v", ids)
	}
	if n := len(d.Find("deutsche", SearchOptions{Limit: 4})); n != 4 {
		t.Errorf("Limit 4: %d hits", n)
	}
	if hits := d.Find("  ", SearchOptions{}); hits != nil {
		t.Errorf("an empty search found %v", hitIDs(hits))
	}
	// The hit carries what a listing shows.
	h := d.Find("bahn.de", SearchOptions{Limit: 1})[0]
	if h.Name != "DB Vertrieb GmbH" || h.Email != "p.d-datenschutz@deutschebahn.com" || !h.Writable || !slices.Contains(h.Categories, "travel") {
		t.Errorf("hit = %+v", h)
	}
}

// TestFindPrefersLetters: at equal score a record that takes letters
// comes before a self-service link, whatever their ids.
func TestFindPrefersLetters(t *testing.T) {
	rec := func(id, privacy string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("id: " + id + "\nname: Example Shop\nlegal_name: Example Shop Ltd\ncategories: [commerce]\n" + privacy +
			"sources:\n  - url: https://shop.example\n    what: test\nsnapshot: 2026-01-01\n")}
	}
	d, err := Load(fstest.MapFS{
		"a-shop.yaml": rec("a-shop", "self_service:\n  url: https://shop.example/delete\n  source: test\n"),
		"b-shop.yaml": rec("b-shop", "privacy:\n  name: Example Shop Ltd\n  email: privacy@shop.example\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	hits := d.Find("example shop", SearchOptions{})
	if ids := hitIDs(hits); !slices.Equal(ids, []string{"b-shop", "a-shop"}) || hits[0].Score != hits[1].Score {
		t.Errorf("Find = %v (%+v), want the letter recipient first at the same score", ids, hits)
	}
}

func TestGetSuggestsRanked(t *testing.T) {
	d := bundledDirectory(t)
	for typed, want := range map[string][]string{
		"aliexprss":     {"aliexpress"},
		"deutche-bahn":  {"deutsche-bahn"},
		"amazon":        {"amazon-de", "amazon-es", "amazon-fr"},
		"deutsche bahn": {"deutsche-bahn"},
		"qqqqqqqqqq":    nil,
	} {
		_, err := d.Get(typed)
		var u *UnknownError
		if !errors.As(err, &u) {
			t.Fatalf("Get(%q): %v, want an UnknownError", typed, err)
		}
		near := ""
		if len(want) > 0 {
			near = want[0]
		}
		if !slices.Equal(u.Nearby, want) || u.Near != near {
			t.Errorf("Get(%q) suggests %q (near %q), want %q", typed, u.Nearby, u.Near, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Deutsche Bahn AG": "deutschebahnag", "deutsche-bahn": "deutschebahn", "Straße": "strasse",
		"Müller & Söhne": "mullersohne", "Ørsted": "orsted", "ﬁnance": "finance", "bahn.de": "bahnde",
		"Łódź": "lodz", "Яндекс": "яндекс", "": "",
	} {
		got, _, _ := fold(nil, in)
		if string(got) != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	// Word starts: after a gap, at a capital after a small letter, where
	// digits and letters meet.
	_, starts, _ := fold(nil, "AliExpress 1Password")
	if want := uint64(1<<0 | 1<<3 | 1<<10 | 1<<11); starts != want {
		t.Errorf("word starts %b, want %b", starts, want)
	}
}

func TestTypoDistance(t *testing.T) {
	for _, tt := range []struct {
		q, s          string
		limit         int
		whole, prefix int
	}{
		{"aliexprss", "aliexpress", 2, 1, 1},
		{"amazn", "amazonaws", 1, 2, 1},
		{"facebok", "facebook", 1, 1, 1},
		{"fcaebook", "facebook", 2, 1, 1}, // a swap
		{"xacebook", "facebook", 2, 3, 3}, // the first letter: not forgiven
		{"deutchebahn", "deutschebahnag", 2, 3, 1},
		{"spotfy", "shopify", 1, 2, 2},
	} {
		w, p := typoDistance([]byte(tt.q), []byte(tt.s), tt.limit)
		if w != tt.whole || p != tt.prefix {
			t.Errorf("typoDistance(%q, %q, %d) = %d, %d, want %d, %d", tt.q, tt.s, tt.limit, w, p, tt.whole, tt.prefix)
		}
	}
}

// BenchmarkSearch is one search as erase companies search runs it: a typo,
// over every key of the bundled directory.
func BenchmarkSearch(b *testing.B) {
	d := bundledDirectory(b)
	for b.Loop() {
		if hits := d.Find("deutche bahn", SearchOptions{Limit: 20}); len(hits) == 0 || hits[0].ID != "deutsche-bahn" {
			b.Fatalf("hits %v", hitIDs(hits))
		}
	}
}
