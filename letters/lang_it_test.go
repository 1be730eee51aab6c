package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// itRegimes are the regimes templates/it/laws/ has words for.
func itRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "it/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no it/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "it/laws/"), ".yaml"))
	}
	return ids
}

// itEnglishWords are words no Italian letter says: a sentence the Italian
// words lack would show one.
var itEnglishWords = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|of|under|and|to|by|Dear|Yours|Reference|Subject)\b`)

// itArticleDate is a date after a bare article or articled preposition:
// Italian elides before 8 and 11 ("l'8 gennaio"), so the letters write
// "in data" and "entro il giorno" instead.
var itArticleDate = regexp.MustCompile(`\b(il|del|al|dal|nel|dall'|dell'|l') ?[0-9]{1,2}º? (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b`)

// itBad are leftovers and slips no Italian letter may contain.
var itBad = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "a Alibaba", "ad Alibaba", "dell' ", "titolare dell'account"}

func itCheckText(t *testing.T, name, text string, lw *templates.LawWords) {
	t.Helper()
	stripped := text
	for _, s := range []string{lw.Name, lw.ShortName, "Message-ID", "Alibaba.com Singapore E-Commerce Private Limited", "Shenton Way", "Alibaba Group"} {
		stripped = strings.ReplaceAll(stripped, s, "")
	}
	if marked := itEnglishWords.ReplaceAllStringFunc(stripped, func(w string) string { return "«" + w + "»" }); strings.Contains(marked, "«") {
		t.Errorf("%s: English in the Italian letter: %s", name, marked)
	}
	if m := itArticleDate.FindString(text); m != "" {
		t.Errorf("%s: a date after an article (%q): %s", name, m, text)
	}
	for _, bad := range itBad {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q: %s", name, bad, text)
		}
	}
}

// TestItalianLetters writes every kind each regime with Italian words
// grants, in Italian, directly and through a group, with every detail
// given, and checks that it is Italian from the salutation to the close:
// the Italian provisions, no English sentence, the Italian date.
func TestItalianLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range itRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("it/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("it", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for _, kind := range r.Kinds() {
			for _, situation := range []bool{false, true} {
				for _, group := range []string{"", "Alibaba Group"} {
					req := sampleRequest(r)
					req.Kind, req.Language, req.GroupName = kind, "it", group
					req.Details = map[string][]string{"correction": {"Il mio indirizzo postale è Via Roma 1, 20121 Milano."}}
					if situation {
						req.Details["situation"] = []string{"Ho chiuso il mio account e ricevo ancora messaggi."}
					}
					if k, err := tmpls.Kind(kind); err == nil {
						for name := range req.Details {
							if _, ok := k.Details[name]; !ok {
								delete(req.Details, name)
							}
						}
					}
					name := id + " " + kind
					if group != "" {
						name += " (group)"
					}
					l, err := Compose(req, tmpls)
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					text := letterText(t, l) + " " + l.Subject
					if l.Opening != "Gentili Signore e Signori," || l.Closing != "Distinti saluti" {
						t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
					}
					rw := lw.Requests[kind]
					want := []string{"27 novembre 2026", "Riferimento: ", "Oggetto: ", "ai sensi dell'" + rw.Provision,
						"zoe_l", "Nome utente: zoe_l", "Numero d'ordine: 8123456789", "Indirizzo postale: Müllerstraße 12, 10115 Berlin",
						"entro il giorno ", "Distinti saluti"}
					if kind == "rectification" {
						want = append(want, "Il mio indirizzo postale è Via Roma 1, 20121 Milano.")
					}
					if kind == "objection" && situation {
						want = append(want, "La mia situazione particolare è la seguente: Ho chiuso il mio account", "per motivi connessi alla mia situazione particolare")
					}
					if group != "" {
						want = append(want, "Il Vostro recapito risulta indicato come contatto per la protezione dei dati di Alibaba Group")
					}
					if lw.Authority != "" {
						want = append(want, "presso "+lw.Authority+".")
					}
					wantAll(t, name, text, want)
					if kind == "objection" && !situation && strings.Contains(text, "situazione particolare") {
						t.Errorf("%s: the objection on grounds of the person's situation without one:\n%s", name, text)
					}
					itCheckText(t, name, text, lw)
					if kind == "erasure" && group == "" && !situation {
						logLetter(t, name, l)
					}
				}
			}
		}
	}
}

// TestItalianLawWords: the provisions a letter writes after "ai sensi
// dell'" are single articles ("articolo 17, paragrafo 1, del GDPR"), the
// periods read after "termine di", the grounds are list items without a
// full stop, and the terms are those of the Italian text of the law.
func TestItalianLawWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range itRegimes(t) {
		lw, err := tmpls.LawWords("it", id)
		if err != nil {
			t.Fatal(err)
		}
		if lw.AuthorityProvision != "" && !strings.HasPrefix(lw.AuthorityProvision, "articolo ") {
			t.Errorf("%s authority_provision %q does not read after \"ai sensi dell'\"", id, lw.AuthorityProvision)
		}
		for kind, rw := range lw.Requests {
			if !strings.HasPrefix(rw.Provision, "articolo ") {
				t.Errorf("%s %s.provision %q does not read after \"ai sensi dell'\"", id, kind, rw.Provision)
			}
			if rw.Deadline != nil && !strings.HasPrefix(rw.Deadline.Provision, "articolo ") {
				t.Errorf("%s %s.deadline.provision %q does not read after \"ai sensi dell'\"", id, kind, rw.Deadline.Provision)
			}
			for pname, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested, "extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p != nil && !regexp.MustCompile(`^(un|due|tre|[0-9]+) `).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read after \"termine di\"", id, kind, pname, p.Words)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") || g.Letter != strings.ToLower(g.Letter[:1])+g.Letter[1:] {
					t.Errorf("%s %s.grounds[%d]: a list item starts in lower case and ends without a full stop: %q", id, kind, i, g.Letter)
				}
			}
		}
	}
	gdpr, err := tmpls.LawWords("it", "gdpr")
	if err != nil {
		t.Fatal(err)
	}
	if gdpr.Terms.Organisation != "titolare del trattamento" || gdpr.Terms.Person != "interessato" || gdpr.Terms.Data != "dati personali" {
		t.Errorf("GDPR terms %+v: want those of the Italian text of Regulation (EU) 2016/679", gdpr.Terms)
	}
	if g := gdpr.Requests["erasure"].Grounds[0].Provision; g != "articolo 17, paragrafo 1, lettera a), del GDPR" {
		t.Errorf("GDPR citation %q: want \"articolo 17, paragrafo 1, lettera a), del GDPR\"", g)
	}
}

// TestItalianFollowUps writes, for every regime with Italian words, a
// reminder and a complaint about a request of every kind the regime grants
// in each state the ledger marks, and checks that they are Italian
// throughout and state the original request: its Italian name, reference
// and dates.
func TestItalianFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	garante := Party{Name: "Garante per la protezione dei dati personali", Email: "protocollo@gpdp.it", Address: []string{"Piazza Venezia 11", "00187 Roma"}}
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	words, err := tmpls.Words("it")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range itRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("it", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "it"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Mi avete chiesto una copia del passaporto."
						if kind == "complaint" {
							what = "La società mi ha chiesto una copia del passaporto."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended, req.Original.Reminders = due, extended, []time.Time{reminded}
						if kind == "complaint" {
							req.Recipient = garante
							req.Respondent = respondent()
						} else if extended {
							req.GroupName = "Alibaba Group"
						}
						name := id + " " + kind + " of " + of + " (" + status + ")"
						l, err := Compose(req, tmpls)
						if err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						text := letterText(t, l) + " " + l.Subject
						if l.Opening != "Gentili Signore e Signori," || l.Closing != "Distinti saluti" {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := words.Kinds[of]
						atto := "richiesta"
						if of == "objection" {
							atto = "opposizione"
						}
						want := []string{"la mia " + kindName + " inviata in data 2 dicembre 2026", "ERASE-20261202-ABCDEF",
							"ai sensi dell'" + lw.Requests[of].Provision, what}
						if kind == "reminder" {
							want = append(want, "Sollecito relativo alla mia "+kindName+" inviata in data 2 dicembre 2026",
								"In data 2 dicembre 2026 Vi ho trasmesso la mia "+kindName,
								"è scaduto il giorno 4 gennaio 2027", "Vi ho già sollecitato in data 8 gennaio 2027",
								"Vi invito pertanto a rispondere in modo completo alla mia "+atto, "entro il giorno 3 febbraio 2027",
								"Message-ID <x.1@example.org>", "zoe_l")
							if extended {
								want = append(want, "da Voi prorogato", "Il Vostro recapito risulta indicato come contatto per la protezione dei dati di Alibaba Group")
							}
							if lw.Authority != "" {
								want = append(want, "proporrò reclamo ai sensi dell'"+lw.AuthorityProvision+" presso "+lw.Authority+".")
							}
						} else {
							want = append(want, "Reclamo nei confronti della società Alibaba.com Singapore E-Commerce Private Limited",
								"Con la presente propongo reclamo nei confronti della società Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811",
								"via e-mail all'indirizzo dataprotection.ae@aliexpress.com",
								"In data 8 gennaio 2027 ho sollecitato la società in merito alla mia "+atto,
								"Dati del reclamante:", "codesta Autorità", "dello stato e dell'esito del reclamo")
							if status == "sent" {
								want = append(want, "è scaduto il giorno 4 gennaio 2027 senza che io abbia ricevuto alcuna risposta")
								if extended {
									want = append(want, "da essa prorogato")
								}
							}
							if r.Family == "gdpr" {
								want = append(want, "Il reclamo è proposto ai sensi dell'"+lw.AuthorityProvision+".", "esaminare il mio reclamo")
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "Avete respinto la mia "+atto+".")
							} else {
								want = append(want, "la società ha respinto la mia "+atto+".")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "La Vostra risposta, tuttavia, non riguarda la mia "+atto+" nella sua interezza.")
							} else {
								want = append(want, "la società ha risposto solo in parte alla mia "+atto+".")
							}
						case "sent":
							if kind == "reminder" {
								want = append(want, "Finora non ho ricevuto alcuna risposta.")
							}
						}
						wantAll(t, name, text, want)
						itCheckText(t, name, text, lw)
						if of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestItalianReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the requester asked for a prompt answer, or
// names the date the letter asked for as such, never as a legal period.
func TestItalianReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	gdpr, err := laws.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		due, requested time.Time
		want           string
	}{
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), time.Time{}, "La Vostra risposta è dovuta entro il giorno 4 gennaio 2027 (termine di un mese dal ricevimento, articolo 12, paragrafo 3, del GDPR)."},
		{time.Time{}, time.Time{}, "Vi avevo chiesto una risposta sollecita. Finora non ho ricevuto alcuna risposta."},
		{time.Time{}, time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), "Vi avevo chiesto di rispondere entro il giorno 11 dicembre 2026. Finora"},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "it"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Requested: c.requested, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "la mia opposizione inviata in data 2 dicembre 2026", "alla mia opposizione senza ulteriore ritardo"} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v, requested %v: the reminder lacks %q:\n%s", c.due, c.requested, want, text)
			}
		}
	}
}
