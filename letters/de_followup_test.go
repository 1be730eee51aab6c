package letters

import (
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// TestGermanFollowUps writes, for every regime with German words, a
// reminder and a complaint about an erasure and an access request in each
// state the ledger marks, and checks that they are German throughout and
// state the original request: its German name, reference and dates.
func TestGermanFollowUps(t *testing.T) {
	authorities := map[string]Party{
		"gdpr":    {Name: "Berliner Beauftragte für Datenschutz und Informationsfreiheit", Email: "mailbox@datenschutz-berlin.de", Address: []string{"Alt-Moabit 59–61", "10555 Berlin"}},
		"uk-gdpr": {Name: "Information Commissioner's Office", Email: "casework@ico.org.uk", Address: []string{"Wycliffe House, Water Lane", "Wilmslow SK9 5AF"}},
		"fadp":    {Name: "Eidgenössischer Datenschutz- und Öffentlichkeitsbeauftragter", Email: "info@edoeb.admin.ch", Address: []string{"Feldeggweg 1", "3003 Bern"}},
		"ccpa":    {Name: "California Privacy Protection Agency", Email: "complaints@cppa.ca.gov", Address: []string{"400 R Street, Suite 350", "Sacramento, CA 95811"}},
	}
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range []string{"gdpr", "uk-gdpr", "fadp", "ccpa"} {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("de", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range []string{"erasure", "access"} {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "de"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Sie verlangten eine Kopie meines Reisepasses."
						if kind == "complaint" {
							what = "Das Unternehmen verlangte eine Kopie meines Reisepasses."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended = due, extended
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = authorities[id]
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
						if l.Opening != "Sehr geehrte Damen und Herren," || l.Closing != "Mit freundlichen Grüßen" {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := map[string]string{"erasure": "Antrag auf Löschung", "access": "Antrag auf Auskunft"}[of]
						want := []string{kindName, "ERASE-20261202-ABCDEF", "2. Dezember 2026", lw.Requests[of].Provision, what}
						if kind == "reminder" {
							want = append(want, "Erinnerung an meinen "+kindName+" vom 2. Dezember 2026", "am 4. Januar 2027 abgelaufen", "Ich fordere Sie daher auf",
								"spätestens bis zum 3. Februar 2027", "Message-ID <x.1@example.org>", "zoe_l")
							if extended {
								want = append(want, "die Sie verlängert hatten", "Sie sind als Datenschutzkontakt von Alibaba Group angegeben")
							}
							if lw.Authority != "" {
								want = append(want, ", und zwar bei "+lw.Authority+".")
							}
						} else {
							want = append(want, "Am 8. Januar 2027 habe ich das Unternehmen an meinen Antrag erinnert",
								"Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811",
								"per E-Mail an dataprotection.ae@aliexpress.com", "über den Stand und das Ergebnis")
							if status == "sent" {
								want = append(want, "am 4. Januar 2027 abgelaufen; eine Antwort habe ich nicht erhalten")
								if extended {
									want = append(want, "die das Unternehmen verlängert hatte")
								}
							}
							if r.Family == "gdpr" {
								want = append(want, "Ich erhebe diese Beschwerde gemäß "+lw.AuthorityProvision+".", "meine Beschwerde zu prüfen")
							} else {
								want = append(want, "nachzugehen")
							}
						}
						switch status {
						case "refused":
							want = append(want, "meinen Antrag abgelehnt")
						case "partial":
							if kind == "reminder" {
								want = append(want, "Ihre Antwort erfasst meinen Antrag jedoch nicht vollständig")
							} else {
								want = append(want, "hat meinen Antrag nur teilweise beantwortet")
							}
						}
						wantAll(t, name, text, want)
						// The FDPIC takes reports (Anzeigen), not complaints.
						if id == "fadp" {
							if strings.Contains(text, "Beschwerde") || !strings.Contains(text, "Anzeige") {
								t.Errorf("%s: a letter about the FDPIC speaks of a Beschwerde, not an Anzeige:\n%s", name, text)
							}
						} else if strings.Contains(text, "Anzeige") {
							t.Errorf("%s: Anzeige outside the FADP:\n%s", name, text)
						}
						body := englishWords.ReplaceAllStringFunc(stripNames(text, lw), func(w string) string { return "«" + w + "»" })
						if strings.Contains(body, "«") {
							t.Errorf("%s: English in the German letter: %s", name, body)
						}
						for _, bad := range []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "diesen Antrag für jedes"} {
							if strings.Contains(text, bad) {
								t.Errorf("%s: the letter contains %q: %s", name, bad, text)
							}
						}
						if id == "gdpr" && of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestGermanReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the requester asked for a timely answer.
func TestGermanReminderPeriods(t *testing.T) {
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
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "Ihre Antwort ist bis zum 4. Januar 2027 fällig (Frist von einem Monat ab Eingang gemäß Art. 12 Abs. 3 DSGVO)."},
		{time.Time{}, "Ich hatte Sie um eine zeitnahe Antwort gebeten. Eine Antwort habe ich bislang nicht erhalten."},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "de"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Due: c.due, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l)
		for _, want := range []string{c.want, "meinen Widerspruch vom 2. Dezember 2026", "meinen Widerspruch nunmehr"} {
			if !strings.Contains(text+" "+l.Subject, want) {
				t.Errorf("due %v: the reminder lacks %q:\n%s", c.due, want, text)
			}
		}
	}
}
