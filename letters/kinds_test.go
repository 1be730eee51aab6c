package letters

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

// detailsFor gives a kind the details it needs, and the optional ones, so
// every ground of every kind reaches the letter.
func detailsFor(t *testing.T, k *templates.Kind) map[string][]string {
	t.Helper()
	d := map[string][]string{}
	for name := range k.Details {
		d[name] = []string{"my " + name + " in my own words"}
	}
	return d
}

// TestEveryRegimeEveryKind composes, for every regime, every kind it
// grants, in every language erase has its words in, and checks the kinds
// it does not grant are refused, naming what it does grant.
func TestEveryRegimeEveryKind(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	composed := map[string]int{}
	for _, r := range laws.All() {
		for _, k := range kinds {
			if k.Follows {
				composed["follow-up"] += followUps(t, tmpls, r, k)
				continue
			}
			req := sampleRequest(r)
			req.Kind, req.Details = k.ID, detailsFor(t, k)
			rt, granted := r.Requests[k.ID]
			if !granted {
				_, err := Compose(req, tmpls)
				var ng *jurisdictions.NotGrantedError
				if !errors.As(err, &ng) || !strings.Contains(err.Error(), strings.Join(r.Kinds(), ", ")) {
					t.Errorf("%s %s: got %v, want a NotGrantedError naming %v", r.ID, k.ID, err, r.Kinds())
				}
				continue
			}
			for _, lang := range tmpls.Languages() {
				if lang != "en" && CheckLanguage(lang, req, tmpls) != nil {
					continue // no words for this law in lang: TestLanguagesComplete says which
				}
				req.Language = lang
				l, err := Compose(req, tmpls)
				if err != nil {
					t.Errorf("%s %s %s: %v", r.ID, k.ID, lang, err)
					continue
				}
				composed[lang]++
				text := letterText(t, l)
				if lang == "en" && !strings.Contains(text, rt.Provision) {
					t.Errorf("%s %s: the letter does not cite %q", r.ID, k.ID, rt.Provision)
				}
				if k.ID == "rectification" && !strings.Contains(text, "my correction in my own words") {
					t.Errorf("%s rectification: the correction is not in the letter", r.ID)
				}
				for _, c := range concessions {
					if strings.Contains(strings.ToLower(text), c) {
						t.Errorf("%s %s %s: the letter concedes %q", r.ID, k.ID, lang, c)
					}
				}
			}
		}
	}
	if composed["en"] < len(laws.All()) {
		t.Errorf("composed %d English letters, want at least one per regime", composed["en"])
	}
	t.Logf("letters composed per language: %v", composed)
}

// followUps composes a follow-up kind about a request of every kind the
// regime grants, overdue, refused and answered in part.
func followUps(t *testing.T, tmpls *templates.Set, r *jurisdictions.Regime, k *templates.Kind) int {
	t.Helper()
	n := 0
	for _, of := range r.Kinds() {
		for _, status := range []string{"sent", "refused", "partial"} {
			req := sampleRequest(r)
			req.Kind, req.Details = k.ID, detailsFor(t, k)
			req.Date = time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
			req.Original = &Original{Reference: "ERASE-20261127-ABCDEF", Kind: of, Contact: "dataprotection.ae@aliexpress.com",
				MessageID: "x.1@example.org", Sent: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
				Due: time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC), Status: status,
				Reminders: []time.Time{time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)}}
			if k.To == templates.ToAuthority {
				req.Respondent = &Party{Name: "Alibaba.com Singapore E-Commerce Private Limited", Address: []string{"8 Shenton Way", "Singapore 068811"}}
			}
			l, err := Compose(req, tmpls)
			if err != nil {
				t.Errorf("%s %s of a %s request (%s): %v", r.ID, k.ID, of, status, err)
				continue
			}
			text := letterText(t, l)
			for _, want := range []string{"ERASE-20261127-ABCDEF", "27 November 2026", "my what in my own words"} {
				if r.Paper == "letter" && want == "27 November 2026" {
					want = "November 27, 2026"
				}
				if _, takes := k.Details["what"]; !takes && strings.HasPrefix(want, "my ") {
					continue
				}
				if !strings.Contains(text, want) {
					t.Errorf("%s %s of a %s request: no %q in\n%s", r.ID, k.ID, of, want, text)
				}
			}
			n++
		}
	}
	return n
}

// TestDetails: a rectification without its correction, and a detail the
// kind does not take, are refused before anything is composed.
func TestDetails(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	rect, err := tmpls.Kind("rectification")
	if err != nil {
		t.Fatal(err)
	}
	var de *DetailError
	if err := CheckDetails(Request{}, rect); !errors.As(err, &de) || !de.Missing || de.Detail != "correction" {
		t.Errorf("no correction: %v", err)
	}
	if err := CheckDetails(Request{Details: map[string][]string{"correction": {"x"}, "mood": {"y"}}}, rect); !errors.As(err, &de) || de.Detail != "mood" {
		t.Errorf("unknown detail: %v", err)
	}
	if err := CheckDetails(Request{Details: map[string][]string{"correction": {"a\nb"}}}, rect); err == nil {
		t.Error("a correction with a newline is accepted")
	}
}

// TestSituationGround: the objection that rests on the person's situation
// reaches the letter only with the situation.
func TestSituationGround(t *testing.T) {
	r := &jurisdictions.Regime{ID: "x", ShortName: "X", Name: "X Act", Family: "other", Paper: "a4",
		Citation: jurisdictions.Fact{Provision: "X Act", Status: "settled", Source: "s"}}
	r.Terms.Person, r.Terms.Organisation, r.Terms.Data = "person", "company", "personal data"
	r.Requests = map[string]*jurisdictions.Right{
		"erasure": {Fact: jurisdictions.Fact{Provision: "s. 1", Status: "settled", Source: "s"}},
		"objection": {Fact: jurisdictions.Fact{Provision: "s. 2", Status: "settled", Source: "s"},
			Grounds: []jurisdictions.Ground{
				{Provision: "s. 2(1)", Letter: "on grounds of my situation", Needs: "situation", Status: "settled", Source: "s"},
				{Provision: "s. 2(2)", Letter: "to direct marketing", Status: "settled", Source: "s"},
			},
			Deadline: jurisdictions.Deadline{Period: jurisdictions.Period{Unit: "calendar_days", Amount: 30, Words: "30 days", Fact: jurisdictions.Fact{Provision: "s. 3", Status: "settled", Source: "s"}}}},
	}
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(r)
	req.Kind = "objection"
	l, err := Compose(req, tmpls)
	if err != nil {
		t.Fatal(err)
	}
	if text := letterText(t, l); strings.Contains(text, "my situation") || !strings.Contains(text, "to direct marketing") {
		t.Errorf("without a situation:\n%s", text)
	}
	req.Details = map[string][]string{"situation": {"I was stalked through my profile."}}
	l, err = Compose(req, tmpls)
	if err != nil {
		t.Fatal(err)
	}
	if text := letterText(t, l); !strings.Contains(text, "on grounds of my situation (s. 2(1))") || !strings.Contains(text, "I was stalked through my profile.") {
		t.Errorf("with a situation:\n%s", text)
	}
}

// TestLanguageFromFiles adds a language for one regime from files only
// (words, a template, the law's sentences) and checks the letter uses
// them, the date style and closing included; a sentence the translation
// lacks is refused, naming it.
func TestLanguageFromFiles(t *testing.T) {
	gdpr, err := mustLaws(t).Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	rt := gdpr.Requests["erasure"]
	var grounds strings.Builder
	for i := range rt.Grounds {
		grounds.WriteString("    - {provision: \"art. " + string(rune('a'+i)) + "\", letter: \"motif " + string(rune('a'+i)) + "\"}\n")
	}
	law := "name: Règlement général\nshort_name: RGPD\ncitation: Règlement (UE) 2016/679\nterms: {person: personne concernée, organisation: responsable, data: données personnelles}\n" +
		"authority: une autorité de contrôle\nauthority_provision: art. 77 RGPD\nrequests:\n  erasure:\n    provision: art. 17 RGPD\n    grounds:\n" + grounds.String() +
		"    recipients: {letter: destinataires}\n    verification: {letter: identité}\n    free: {letter: gratuit}\n    refusal: {letter: refus}\n    representative: {letter: représentant}\n" +
		"    deadline: {words: un mois, provision: art. 12, holidays_where: chez vous}\n    extension: {words: deux mois}\n"
	user := fstest.MapFS{
		"fr/words.yaml": {Data: []byte("name: French\ndate: \"{day} {month} {year}\"\nmonths: [janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre]\n" +
			"opening: Madame, Monsieur,\nclosing: Veuillez agréer mes salutations distinguées.\nlabels: {reference: Référence, subject: Objet, to: À, page: \"Page {page} sur {pages}\"}\n")},
		"fr/erasure.tmpl": {Data: []byte(`{{define "subject"}}Effacement ({{.Law.Provision}}){{end}}{{define "opening"}}{{.Opening}}{{end}}{{define "closing"}}{{.Closing}}{{end}}` +
			`{{define "body"}}Je demande l'effacement, le {{.Date}}, au plus tard le {{.Due}}.{{range .Law.Grounds}}
- {{.Letter}}{{end}}{{end}}`)},
		"fr/laws/gdpr.yaml": {Data: []byte(law)},
	}
	tmpls := templates.New(nil, templates.Embedded(), user)
	req := sampleRequest(gdpr)
	req.Language = "fr"
	l, err := Compose(req, tmpls)
	if err != nil {
		t.Fatal(err)
	}
	text := letterText(t, l)
	for _, want := range []string{"27 novembre 2026", "au plus tard le 28 décembre 2026", "Effacement (art. 17 RGPD)", "- motif a", "Veuillez agréer", "Référence: "} {
		if !strings.Contains(text, want) {
			t.Errorf("the French letter lacks %q:\n%s", want, text)
		}
	}
	user["fr/laws/gdpr.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(law, "    refusal: {letter: refus}\n", "", 1))}
	_, err = Compose(req, templates.New(nil, templates.Embedded(), user))
	var mw *MissingWordsError
	if !errors.As(err, &mw) || !strings.Contains(err.Error(), "requests.erasure.refusal") {
		t.Errorf("a translation without the refusal: %v", err)
	}
	// Without --lang, a language without the law's words is passed over.
	req.Language, req.Prefer = "", []string{"xx", "fr"}
	if got := PickLanguage(req, tmpls); got != "fr" {
		t.Errorf("PickLanguage = %q, want fr", got)
	}
}

// TestDateStyleFollowsTheLaw: the law's place decides the date style and
// the closing, not the paper a letter is printed on.
func TestDateStyleFollowsTheLaw(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for id, want := range map[string][2]string{
		"gdpr": {"27 November 2026", "Yours faithfully,"},
		"ccpa": {"November 27, 2026", "Sincerely,"},
	} {
		r, _ := laws.Get(id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatal(err)
		}
		l.Paper = map[string]string{"a4": "letter", "letter": "a4"}[l.Paper] // as --paper does
		if got := l.FormatDate(l.Date); got != want[0] || l.Closing != want[1] {
			t.Errorf("%s on other paper: date %q closing %q, want %q %q", id, got, l.Closing, want[0], want[1])
		}
	}
}

// TestLanguagesComplete: every LANG/laws/ID.yaml shipped has every
// sentence of every kind its regime grants, and the language has a
// letter template for each of those kinds and for the follow-ups. A
// language missing a key fails here, not only when someone asks for it.
func TestLanguagesComplete(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	names, err := fs.Glob(templates.Embedded(), "*/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no law words shipped: %v", err)
	}
	for _, name := range names {
		lang, file, _ := strings.Cut(name, "/laws/")
		r, err := laws.Get(strings.TrimSuffix(file, ".yaml"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, kind := range append(r.Kinds(), "reminder", "complaint") {
			req := Request{Kind: kind, Regime: r}
			if kind == "reminder" || kind == "complaint" {
				req.Original = &Original{Kind: KindErasure}
			}
			if err := CheckLanguage(lang, req, tmpls); err != nil {
				t.Errorf("%s, %s: %v", name, kind, err)
			}
		}
	}
}
