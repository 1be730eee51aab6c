package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/erase-cli/erase/templates"
)

// germanRegimes are the regimes templates/de/laws/ has words for.
func germanRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "de/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no de/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "de/laws/"), ".yaml"))
	}
	return ids
}

// englishWords are words no German letter says outside a name of a law or
// an authority: a sentence the German words lack would show one.
var englishWords = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|of|under)\b`)

// TestGermanLetters writes every kind each regime with German words grants,
// in German, directly and through a group, with every detail given, and
// checks that it is German from the salutation to the close: the German
// provisions, no English sentence, the German date.
func TestGermanLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range germanRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("de/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("de", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for _, kind := range r.Kinds() {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "de", group
				req.Details = map[string][]string{
					"correction": {"Meine Postanschrift lautet Müllerstraße 12, 10115 Berlin."},
					"situation":  {"Ich habe das Konto geschlossen."},
				}
				if k, err := tmpls.Kind(kind); err == nil {
					for name := range req.Details {
						if _, ok := k.Details[name]; !ok {
							delete(req.Details, name)
						}
					}
				}
				l, err := Compose(req, tmpls)
				if err != nil {
					t.Errorf("%s %s: %v", id, kind, err)
					continue
				}
				text := letterText(t, l) + " " + l.Subject
				if l.Opening != "Sehr geehrte Damen und Herren," || l.Closing != "Mit freundlichen Grüßen" {
					t.Errorf("%s %s: opening %q, closing %q", id, kind, l.Opening, l.Closing)
				}
				if !strings.Contains(text, "27. November 2026") {
					t.Errorf("%s %s: no German date", id, kind)
				}
				rw := lw.Requests[kind]
				for _, want := range []string{rw.Provision, "zoe_l", "Benutzername", "Postanschrift"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s %s: the letter lacks %q", id, kind, want)
					}
				}
				if group != "" && !strings.Contains(text, "Sie sind als Datenschutzkontakt von Alibaba Group angegeben") {
					t.Errorf("%s %s: the group letter does not say it goes to the group", id, kind)
				}
				body := englishWords.ReplaceAllStringFunc(stripNames(text, lw), func(w string) string { return "«" + w + "»" })
				if strings.Contains(body, "«") {
					t.Errorf("%s %s: English in the German letter: %s", id, kind, body)
				}
				for _, bad := range []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )"} {
					if strings.Contains(text, bad) {
						t.Errorf("%s %s: the letter contains %q: %s", id, kind, bad, text)
					}
				}
			}
		}
	}
}

// stripNames removes what a German letter writes in English: the names of
// laws, authorities and the terms a US law's words keep in English.
func stripNames(text string, lw *templates.LawWords) string {
	for _, s := range []string{lw.Name, lw.ShortName, lw.Authority, lw.AuthorityProvision,
		"service providers und contractors", "Data Protection Act 2018", "Information Commissioner"} {
		if s != "" {
			text = strings.ReplaceAll(text, s, "")
		}
	}
	return text
}

// TestGermanPeriods: the period words sit after "Frist von" and "binnen",
// so they are datives ("einem Monat", "45 Kalendertagen", "30 Tagen").
func TestGermanPeriods(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	dative := regexp.MustCompile(`^(einem|zwei|einmalig|[0-9]+) .*(Monat|Monaten|Tagen|Kalendertagen|Geschäftstagen)\b`)
	for _, id := range germanRegimes(t) {
		lw, err := tmpls.LawWords("de", id)
		if err != nil {
			t.Fatal(err)
		}
		for kind, rw := range lw.Requests {
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p != nil && !dative.MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read after \"Frist von\"", id, kind, name, p.Words)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") {
					t.Errorf("%s %s.grounds[%d]: a list item ends without a full stop: %q", id, kind, i, g.Letter)
				}
			}
		}
	}
}
