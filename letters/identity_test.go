package letters

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

// regimeIn is a regime erase can write letters under in lang: the first
// with the language's law words, or the GDPR for English.
func regimeIn(t *testing.T, laws *jurisdictions.Set, lang string) *jurisdictions.Regime {
	t.Helper()
	id := "gdpr"
	if lang != "en" {
		names, _ := fs.Glob(templates.Embedded(), lang+"/laws/*.yaml")
		if len(names) == 0 {
			t.Fatalf("%s: no law words", lang)
		}
		id = strings.TrimSuffix(strings.TrimPrefix(names[0], lang+"/laws/"), ".yaml")
	}
	r, err := laws.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBirthdateInEveryLanguage: a letter that gives the date of birth
// states it, labelled and written as the language writes dates, among the
// details that identify the requester, in every language erase has words
// for; one that gives none says nothing of it.
func TestBirthdateInEveryLanguage(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	langs := tmpls.Languages()
	if len(langs) < 2 {
		t.Fatalf("languages: %v", langs)
	}
	born := time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, lang := range langs {
		words, err := tmpls.Words(lang)
		if err != nil {
			t.Fatal(err)
		}
		label := words.Labels.Birthdate
		if strings.TrimSpace(label) == "" {
			t.Errorf("%s/words.yaml: labels.birthdate is missing", lang)
			continue
		}
		r := regimeIn(t, laws, lang)
		req := sampleRequest(r)
		req.Language = lang
		kind := KindErasure
		if _, err := r.Right(kind); err != nil {
			kind = r.Kinds()[0]
		}
		req.Kind = kind
		req.Requester.Birthdate = "1990-05-01"
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Errorf("%s under %s: %v", lang, r.ID, err)
			continue
		}
		w := l.Words
		date := w.FormatDate(born)
		// The list that names the requester is the identifying details.
		var item string
		for _, b := range l.Body {
			if !strings.Contains(strings.Join(b.Items, "\n"), req.Requester.Name) {
				continue
			}
			for _, it := range b.Items {
				if strings.HasPrefix(it, label) && strings.HasSuffix(it, date) {
					item = it
				}
			}
		}
		if item == "" {
			t.Errorf("%s: the identifying details lack %q: %q", lang, label+" "+date, l.Body)
		}
		if ToJSON(l).Requester.Birthdate != "1990-05-01" {
			t.Errorf("%s: the JSON requester lacks the date of birth", lang)
		}
		req.Requester.Birthdate = ""
		l, err = Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		if text := letterText(t, l); strings.Contains(text, label) || strings.Contains(text, date) {
			t.Errorf("%s: a letter without a date of birth mentions one", lang)
		}
	}
}

// TestBirthdateWordMissing: a words file without the label refuses a
// letter that gives the date of birth, rather than printing it unlabelled,
// and still writes one that gives none.
func TestBirthdateWordMissing(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	en, err := fs.ReadFile(templates.Embedded(), "en/words.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(en), "\n") {
		if !strings.Contains(line, "birthdate:") {
			kept = append(kept, line)
		}
	}
	user := fstest.MapFS{"en/words.yaml": {Data: []byte(strings.Join(kept, "\n"))}}
	tmpls := templates.New(nil, templates.Embedded(), user)
	req := sampleRequest(gdpr)
	req.Language = "en"
	req.Requester.Birthdate = "1990-05-01"
	if _, err := Compose(req, tmpls); err == nil || !strings.Contains(err.Error(), "labels.birthdate") {
		t.Errorf("no label: %v", err)
	}
	req.Requester.Birthdate = ""
	if _, err := Compose(req, tmpls); err != nil {
		t.Errorf("a letter without a date of birth: %v", err)
	}
}

func TestBirthdateChecked(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(gdpr)
	req.Requester.Birthdate = "1990-02-30"
	if _, err := Compose(req, tmpls); err == nil || !strings.Contains(err.Error(), "is not a date") {
		t.Errorf("30 February: %v", err)
	}
	req = sampleRequest(gdpr)
	req.Recipient.Birthdate = "1990-01-01"
	if _, err := Compose(req, tmpls); err == nil {
		t.Error("a recipient's date of birth accepted")
	}
}

// TestAccountLabels: an account key the letter's language has no word
// for is labelled as the company labels it; a key it has a word for keeps
// the language's word.
func TestAccountLabels(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(gdpr)
	req.Language = "en"
	req.Accounts = []Account{{Key: "e-mail-adresse", Value: "zoe@example.org"}, {Key: "username", Value: "zoe_l"}, {Key: "tchibocard", Value: "42"}}
	req.AccountLabels = map[string]string{"e-mail-adresse": "E-Mail-Adresse", "username": "Nutzername"}
	l, err := Compose(req, tmpls)
	if err != nil {
		t.Fatal(err)
	}
	text := letterText(t, l)
	for _, want := range []string{"- E-Mail-Adresse: zoe@example.org", "- Username: zoe_l", "- Tchibocard: 42"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
}

// TestWebformRecipient: a recipient reached only through a web form takes
// a letter (its text is pasted into the form); one with no way at all
// does not.
func TestWebformRecipient(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(gdpr)
	req.Recipient = Party{Name: "Form Co", Webform: "https://form.example/privacy"}
	l, err := Compose(req, tmpls)
	if err != nil {
		t.Fatal(err)
	}
	if ToJSON(l).Recipient.Webform != "https://form.example/privacy" {
		t.Error("the JSON recipient lacks the web form")
	}
	req.Recipient.Webform = ""
	if _, err := Compose(req, tmpls); err == nil {
		t.Error("a recipient with no e-mail, address or web form accepted")
	}
}
