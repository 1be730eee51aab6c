package templates

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestEmbeddedTemplatesParse checks every embedded letter template defines
// the blocks a letter needs.
func TestEmbeddedTemplatesParse(t *testing.T) {
	s := New(nil, Embedded())
	names, _ := fs.Glob(Embedded(), "*/*.tmpl")
	if len(names) == 0 {
		t.Fatal("no templates embedded")
	}
	for _, n := range names {
		lang, file, _ := strings.Cut(strings.TrimSuffix(n, ".tmpl"), "/")
		if file == "common" {
			continue
		}
		kind, family, _ := strings.Cut(file, "-")
		if _, err := s.Find(lang, kind, family); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func TestOverrideAndFallback(t *testing.T) {
	user := fstest.MapFS{
		"en/erasure-gdpr.tmpl": {Data: []byte(`{{define "subject"}}mine{{end}}{{define "opening"}}Hi,{{end}}{{define "body"}}b{{end}}{{define "closing"}}Bye,{{end}}`)},
		"de/erasure.tmpl":      {Data: []byte(`{{define "subject"}}Löschung{{end}}{{define "opening"}}Hallo,{{end}}{{define "body"}}b{{end}}{{define "closing"}}Gruß,{{end}}`)},
		"fr/erasure.tmpl":      {Data: []byte(`{{define "subject"}}x{{end}}`)},
	}
	s := New(nil, Embedded(), user)
	tm, err := s.Find("en", "erasure", "gdpr")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tm.ExecuteTemplate(&b, "subject", nil)
	if b.String() != "mine" {
		t.Errorf("override not used: %q", b.String())
	}
	if _, err := s.Find("de", "erasure", "us-state"); err != nil {
		t.Errorf("fallback to de/erasure.tmpl: %v", err)
	}
	if _, err := s.Find("fr", "erasure", "gdpr"); err == nil || !strings.Contains(err.Error(), `no "opening" block`) {
		t.Errorf("incomplete template accepted: %v", err)
	}
	var nf *NotFoundError
	if _, err := s.Find("xx", "erasure", "gdpr"); !errors.As(err, &nf) || !strings.Contains(err.Error(), "en/erasure") {
		t.Errorf("missing language: %v", err)
	}
}

// TestDayOne: a language that writes the first of the month as an ordinal
// says so in its words.
func TestDayOne(t *testing.T) {
	w := Words{Date: "{day} {month} {year}", DayOne: "1er", Months: []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}}
	if got := w.FormatDate(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); got != "1er décembre 2026" {
		t.Errorf("day one: %q", got)
	}
	if got := w.FormatDate(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)); got != "2 décembre 2026" {
		t.Errorf("day two: %q", got)
	}
}
