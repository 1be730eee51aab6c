package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// dutchRegimes are the regimes templates/nl/laws/ has words for.
func dutchRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "nl/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no nl/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "nl/laws/"), ".yaml"))
	}
	return ids
}

// englishInDutch are English words no Dutch letter says outside a name.
// Unlike englishWords it leaves out "of", which is Dutch ("or").
var englishInDutch = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|under|and|for|shall|must|dear|sincerely|faithfully|erasure|complaint|article|reminder)\b`)

// dutchCitation is how the Dutch letters cite the AVG: "artikel 17, lid 1,
// onder a), AVG", "artikel 21, leden 2 en 3, AVG", "artikel 12, lid 5, en
// artikel 15, lid 3, AVG".
var dutchCitation = regexp.MustCompile(`^artikel [0-9]+(, (lid [0-9]+|leden [0-9]+ en [0-9]+)(, onder [a-h]\)( en [a-h]\))?)?,)?( en artikel [0-9]+(, lid [0-9]+,)?)? AVG$`)

func dutchBody(text string, lw *templates.LawWords) string {
	for _, s := range []string{lw.Name, lw.ShortName, "Alibaba.com Singapore E-Commerce Private Limited", "Shenton Way", "Message-ID"} {
		text = strings.ReplaceAll(text, s, "")
	}
	return englishInDutch.ReplaceAllStringFunc(text, func(w string) string { return "«" + w + "»" })
}

var badSpacing = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", ",.", ";."}

// TestDutchLetters writes every kind each regime with Dutch words grants,
// in Dutch, directly and through a group, with every detail given, and
// checks that it is Dutch from the salutation to the close: the Dutch
// salutation, close and date, the AVG's own provisions, no English sentence.
func TestDutchLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range dutchRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("nl/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("nl", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if id == "gdpr" && strings.Join(kinds, " ") != "access erasure objection rectification" {
			t.Errorf("gdpr grants %v; the Dutch words cover access, erasure, objection and rectification", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "nl", group
				req.Requester.Address = []string{"Keizersgracht 1", "1015 CJ Amsterdam"}
				req.Details = map[string][]string{
					"correction": {"Mijn postadres is Keizersgracht 1, 1015 CJ Amsterdam."},
					"situation":  {"Ik heb mijn account opgezegd."},
				}
				k, err := tmpls.Kind(kind)
				if err != nil {
					t.Fatal(err)
				}
				for name := range req.Details {
					if _, ok := k.Details[name]; !ok {
						delete(req.Details, name)
					}
				}
				l, err := Compose(req, tmpls)
				if err != nil {
					t.Errorf("%s %s: %v", id, kind, err)
					continue
				}
				text := letterText(t, l) + " " + l.Subject
				if l.Opening != "Geachte heer, mevrouw," || l.Closing != "Met vriendelijke groet," {
					t.Errorf("%s %s: opening %q, closing %q", id, kind, l.Opening, l.Closing)
				}
				rw := lw.Requests[kind]
				want := []string{"27 november 2026", "28 december 2026", rw.Provision, "zoe_l", "Gebruikersnaam", "Bestelnummer", "Postadres: Keizersgracht 1, 1015 CJ Amsterdam",
					"Kenmerk: " + l.Reference, "Betreft: ", "termijn van een maand na ontvangst op grond van artikel 12, lid 3, AVG",
					"als u de termijn verlengt", "op grond van artikel 77, lid 1, AVG een klacht in te dienen bij een toezichthoudende autoriteit"}
				switch kind {
				case "erasure":
					want = append(want, "Verzoek om wissing van mijn persoonsgegevens op grond van artikel 17, lid 1, AVG", "zonder onredelijke vertraging",
						"Ik beroep mij op elk van de volgende gronden:", "Dit verzoek doe ik op grond van", "(artikel 17, lid 1, onder a), AVG)")
				case "access":
					want = append(want, "Verzoek om inzage", "uitsluitsel", "Ik verzoek u mij het volgende te verstrekken:", "de verwerkingsdoeleinden (artikel 15, lid 1, onder a), AVG)")
				case "rectification":
					want = append(want, "Verzoek om rectificatie", "- Mijn postadres is Keizersgracht 1, 1015 CJ Amsterdam.")
				case "objection":
					want = append(want, "Bezwaar tegen de verwerking", "Dit bezwaar maak ik op grond van artikel 21 AVG.",
						"Mijn specifieke situatie is als volgt: Ik heb mijn account opgezegd.", "(artikel 18, lid 1, onder d), AVG)")
				}
				if group != "" {
					want = append(want, "U staat vermeld als contactpunt voor gegevensbescherming van Alibaba Group")
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s %s: the letter lacks %q:\n%s", id, kind, w, text)
					}
				}
				if body := dutchBody(text, lw); strings.Contains(body, "«") {
					t.Errorf("%s %s: English in the Dutch letter: %s", id, kind, body)
				}
				for _, bad := range append(badSpacing, "verzoek u dit verzoek", "vraag u dit verzoek u") {
					if strings.Contains(text, bad) {
						t.Errorf("%s %s: the letter contains %q: %s", id, kind, bad, text)
					}
				}
				if testing.Verbose() && kind == "erasure" && group == "" {
					var b strings.Builder
					if err := WriteText(&b, l); err != nil {
						t.Fatal(err)
					}
					t.Logf("%s %s:\n%s", id, kind, b.String())
				}
			}
		}
	}
}

// TestDutchLawWords: every provision is cited as the Dutch text of the
// AVG cites (artikel, lid, onder), every list item starts small and has no
// full stop, and the periods read after "termijn van".
func TestDutchLawWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	lw, err := tmpls.LawWords("nl", "gdpr")
	if err != nil {
		t.Fatal(err)
	}
	if lw.ShortName != "AVG" || lw.Terms.Organisation != "verwerkingsverantwoordelijke" || lw.Terms.Data != "persoonsgegevens" || lw.Terms.Person != "betrokkene" {
		t.Errorf("the AVG's own terms: %q, %+v", lw.ShortName, lw.Terms)
	}
	if !dutchCitation.MatchString(lw.AuthorityProvision) {
		t.Errorf("authority_provision %q", lw.AuthorityProvision)
	}
	period := regexp.MustCompile(`^(een|nog eens twee) (maand|maanden)( na ontvangst)?$`)
	for kind, rw := range lw.Requests {
		cites := []string{rw.Provision}
		for i, g := range rw.Grounds {
			cites = append(cites, g.Provision)
			if g.Letter == "" || strings.HasSuffix(g.Letter, ".") || g.Letter[:1] != strings.ToLower(g.Letter[:1]) {
				t.Errorf("%s.grounds[%d]: a list item starts small and ends without a full stop: %q", kind, i, g.Letter)
			}
		}
		for name, c := range map[string]*templates.Cited{"recipients": rw.Recipients, "verification": rw.Verification, "free": rw.Free,
			"refusal": rw.Refusal, "representative": rw.Representative} {
			if c == nil {
				continue
			}
			cites = append(cites, c.Provision)
			if !strings.HasSuffix(c.Letter, ".") || !strings.Contains(c.Letter, "(artikel ") {
				t.Errorf("%s.%s: a sentence that cites its provision: %q", kind, name, c.Letter)
			}
		}
		for _, p := range []*templates.PeriodWords{rw.Deadline, rw.Extension} {
			if p == nil {
				continue
			}
			cites = append(cites, p.Provision)
			if !period.MatchString(p.Words) {
				t.Errorf("%s: period %q does not read after \"termijn van\"", kind, p.Words)
			}
		}
		for _, c := range cites {
			if !dutchCitation.MatchString(c) {
				t.Errorf("%s: %q is not cited as the AVG is in Dutch", kind, c)
			}
		}
	}
}

// TestDutchFollowUps writes a reminder and a complaint about every kind
// the AVG grants, in each state the ledger marks, and checks that they are
// Dutch throughout and state the original request: its Dutch name,
// reference and dates.
func TestDutchFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	r, err := laws.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	lw, err := tmpls.LawWords("nl", "gdpr")
	if err != nil {
		t.Fatal(err)
	}
	words, err := tmpls.Words("nl")
	if err != nil {
		t.Fatal(err)
	}
	for kind, name := range map[string]string{"erasure": "verzoek om wissing", "access": "verzoek om inzage", "rectification": "verzoek om rectificatie",
		"objection": "bezwaar", "opt-out": "verzoek om opt-out", "reminder": "herinnering", "complaint": "klacht"} {
		if words.Kinds[kind] != name {
			t.Errorf("kinds.%s = %q, want %q", kind, words.Kinds[kind], name)
		}
	}
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, kind := range []string{"reminder", "complaint"} {
		for _, of := range r.Kinds() {
			for _, status := range []string{"sent", "refused", "partial"} {
				for _, extended := range []bool{false, true} {
					req := sampleRequest(r)
					req.Kind, req.Language = kind, "nl"
					req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
					what := "U vroeg om een kopie van mijn paspoort."
					if kind == "complaint" {
						what = "De onderneming vroeg om een kopie van mijn paspoort."
					}
					req.Details = map[string][]string{"what": {what}}
					req.Original = followedUp(of, status)
					req.Original.Due, req.Original.Extended, req.Original.Reminders = due, extended, []time.Time{reminded}
					if kind == "complaint" {
						req.Recipient = Party{Name: "Autoriteit Persoonsgegevens", Address: []string{"Postbus 93374", "2509 AJ Den Haag"}}
						req.Respondent = respondent()
					} else if extended {
						req.GroupName = "Alibaba Group"
					}
					label := kind + " of " + of + " (" + status + ")"
					l, err := Compose(req, tmpls)
					if err != nil {
						t.Errorf("%s: %v", label, err)
						continue
					}
					text := letterText(t, l) + " " + l.Subject
					if l.Opening != "Geachte heer, mevrouw," || l.Closing != "Met vriendelijke groet," {
						t.Errorf("%s: opening %q, closing %q", label, l.Opening, l.Closing)
					}
					kindName := words.Kinds[of]
					soort := "verzoek"
					if of == "objection" {
						soort = "bezwaar"
					}
					want := []string{"mijn " + kindName + " van 2 december 2026", "ERASE-20261202-ABCDEF", "mijn " + kindName + " op grond van " + lw.Requests[of].Provision, what}
					if kind == "reminder" {
						want = append(want, "Herinnering aan mijn "+kindName+" van 2 december 2026 – account bij AliExpress",
							"is op 4 januari 2027 verstreken (een maand na ontvangst, artikel 12, lid 3, AVG).",
							"Op 8 januari 2027 heb ik u al aan mijn "+soort+" herinnerd.",
							"Ik vraag u daarom mijn "+soort+" alsnog zonder verdere vertraging volledig af te handelen, en wel uiterlijk op 3 februari 2027.",
							"(e-mail met Message-ID <x.1@example.org>)", "zoe_l", lw.Requests[of].Refusal.Letter,
							"zal ik op grond van artikel 77, lid 1, AVG een klacht indienen bij "+lw.Authority+".")
						if extended {
							want = append(want, "zoals u die had verlengd", "U staat vermeld als contactpunt voor gegevensbescherming van Alibaba Group",
								"Ik vraag u mijn "+soort+" te behandelen voor iedere onderneming van Alibaba Group")
						}
					} else {
						want = append(want, "Klacht over Alibaba.com Singapore E-Commerce Private Limited betreffende mijn "+kindName+" van 2 december 2026",
							"Hierbij dien ik op grond van artikel 77, lid 1, AVG een klacht in over Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811.",
							"niet behandeld zoals de AVG voorschrijft", "Mijn contactgegevens:", "per e-mail aan dataprotection.ae@aliexpress.com",
							"Op 8 januari 2027 heb ik de onderneming aan mijn "+soort+" herinnerd.",
							"Ik verzoek u mijn klacht te onderzoeken", "in kennis te stellen van de voortgang en het resultaat van mijn klacht",
							"Desgewenst stuur ik u mijn "+soort+" en de correspondentie daarover toe")
						if status == "sent" {
							want = append(want, "is op 4 januari 2027 verstreken (een maand na ontvangst, artikel 12, lid 3, AVG), zonder dat ik een antwoord heb ontvangen.")
							if extended {
								want = append(want, "zoals zij die had verlengd")
							}
						}
					}
					switch status {
					case "refused":
						if kind == "reminder" {
							want = append(want, "U hebt mijn "+soort+" afgewezen.")
						} else {
							want = append(want, "heeft mijn "+soort+" afgewezen.")
						}
					case "partial":
						if kind == "reminder" {
							want = append(want, "Uw antwoord behandelt mijn "+soort+" echter slechts gedeeltelijk.")
						} else {
							want = append(want, "heeft mijn "+soort+" slechts gedeeltelijk beantwoord.")
						}
					default:
						if kind == "reminder" {
							want = append(want, "Ik heb tot op heden geen antwoord ontvangen.")
						}
					}
					wantAll(t, label, text, want)
					if body := dutchBody(text, lw); strings.Contains(body, "«") {
						t.Errorf("%s: English in the Dutch letter: %s", label, body)
					}
					for _, bad := range append(badSpacing, "dit verzoek te behandelen voor iedere") {
						if strings.Contains(text, bad) {
							t.Errorf("%s: the letter contains %q: %s", label, bad, text)
						}
					}
					if of == "erasure" && status == "sent" && !extended {
						logLetter(t, label, l)
					}
				}
			}
		}
	}
}

// TestDutchReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the requester asked for a timely answer.
func TestDutchReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	gdpr, err := laws.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		due  time.Time
		want string
	}{
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "U dient uiterlijk op 4 januari 2027 te antwoorden (een maand na ontvangst, artikel 12, lid 3, AVG). Ik heb tot op heden geen antwoord ontvangen."},
		{time.Time{}, "Ik had u gevraagd tijdig te antwoorden. Ik heb tot op heden geen antwoord ontvangen."},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "nl"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Due: c.due, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l)
		for _, want := range []string{c.want, "mijn bezwaar van 2 december 2026", "mijn bezwaar alsnog", "uiterlijk op 3 januari 2027"} {
			if !strings.Contains(text+" "+l.Subject, want) {
				t.Errorf("due %v: the reminder lacks %q:\n%s", c.due, want, text)
			}
		}
	}
}
