package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// plRegimes are the regimes templates/pl/laws/ has words for.
func plRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "pl/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no pl/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "pl/laws/"), ".yaml"))
	}
	return ids
}

// plWord is a word; Go's \b knows only ASCII letters, and Polish has "ł".
var plWord = regexp.MustCompile(`\p{L}+`)

// plEnglishWords are words no Polish letter says: a sentence the Polish
// words lack would show one. ("to", "on", "a" and "i" are Polish words.)
var plEnglishWords = regexp.MustCompile(`(?i)^(the|you|your|please|request|my|which|with|of|under|and|by|from|personal|account|dear|yours|sincerely|reference|subject)$`)

// plPastFirstPerson is a verb in the first person of the past tense or the
// conditional ("wysłałem", "otrzymałam", "chciałbym"), or an adjective of
// the writer: Polish marks the writer's sex there, and erase does not know
// it, so the letters never use them.
var plPastFirstPerson = regexp.MustCompile(`(?i)^(\p{L}+(łem|łam|łbym|łabym)|zmuszony|zmuszona|zainteresowany|zainteresowana|posiadaczem|posiadaczką)$`)

// plBad are leftovers and slips no Polish letter may contain.
var plBad = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "r. r.", "1º", "1er"}

func plCheckText(t *testing.T, name, text string, lw *templates.LawWords) {
	t.Helper()
	stripped := text
	for _, s := range []string{lw.Name, lw.ShortName, "Message-ID", "Alibaba.com Singapore E-Commerce Private Limited", "Shenton Way", "Alibaba Group"} {
		stripped = strings.ReplaceAll(stripped, s, "")
	}
	for _, w := range plWord.FindAllString(stripped, -1) {
		if plEnglishWords.MatchString(w) {
			t.Errorf("%s: English in the Polish letter (%q): %s", name, w, text)
		}
		if plPastFirstPerson.MatchString(w) {
			t.Errorf("%s: a word that marks the writer's sex (%q): %s", name, w, text)
		}
	}
	for _, bad := range plBad {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q: %s", name, bad, text)
		}
	}
}

// TestPolishLetters writes every kind each regime with Polish words
// grants, in Polish, directly and through a group, with and without every
// detail, and checks that it is Polish from the salutation to the close:
// the Polish provisions, no English sentence, the Polish date, no word
// that would need the writer's sex.
func TestPolishLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range plRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("pl/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("pl", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for _, kind := range r.Kinds() {
			for _, situation := range []bool{false, true} {
				for _, group := range []string{"", "Alibaba Group"} {
					req := sampleRequest(r)
					req.Kind, req.Language, req.GroupName = kind, "pl", group
					req.Details = map[string][]string{"correction": {"Mój adres pocztowy to ul. Długa 1, 00-001 Warszawa."}}
					if situation {
						req.Details["situation"] = []string{"Zamknięto moje konto, a nadal otrzymuję wiadomości reklamowe."}
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
					if l.Opening != "Szanowni Państwo," || l.Closing != "Z poważaniem" {
						t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
					}
					rw := lw.Requests[kind]
					want := []string{"27 listopada 2026", "Znak sprawy: ", "Dotyczy: ", "na podstawie " + rw.Provision,
						"Nazwa użytkownika: zoe_l", "Numer zamówienia: 8123456789", "Adres pocztowy: Müllerstraße 12, 10115 Berlin",
						"konto w serwisie AliExpress", "tj. do dnia ", "Z poważaniem"}
					if kind == "objection" {
						want = append(want, "Podstawą sprzeciwu jest "+rw.Provision+".", "na niniejszy sprzeciw")
					} else {
						want = append(want, "Podstawą żądania jest "+rw.Provision+".")
					}
					if kind == "rectification" {
						want = append(want, "Mój adres pocztowy to ul. Długa 1, 00-001 Warszawa.")
					}
					if kind == "objection" && situation {
						want = append(want, "Moja szczególna sytuacja przedstawia się następująco: Zamknięto moje konto", "z przyczyn związanych z moją szczególną sytuacją")
					}
					if group != "" {
						want = append(want, "Państwa adres wskazano jako punkt kontaktowy w sprawach ochrony danych osobowych dla Alibaba Group")
						if kind == "objection" {
							want = append(want, "Proszę o rozpatrzenie niniejszego sprzeciwu")
						} else {
							want = append(want, "Proszę o rozpatrzenie niniejszego żądania")
						}
					}
					if lw.Authority != "" {
						want = append(want, "do "+lw.Authority+".")
					}
					wantAll(t, name, text, want)
					if kind == "objection" && !situation && strings.Contains(text, "szczególną sytuacją") {
						t.Errorf("%s: the objection on grounds of the person's situation without one:\n%s", name, text)
					}
					plCheckText(t, name, text, lw)
					if kind == "erasure" && group == "" && !situation {
						logLetter(t, name, l)
					}
				}
			}
		}
	}
}

// TestPolishDate: the first of the month is "1 grudnia 2026", the month
// in the genitive, with no ordinal.
func TestPolishDate(t *testing.T) {
	w, err := templates.New(nil, templates.Embedded()).Words("pl")
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[time.Time]string{
		time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC): "1 grudnia 2026",
		time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC):  "4 stycznia 2027",
		time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC): "30 września 2027",
	} {
		if got := w.FormatDate(day); got != want {
			t.Errorf("%v: %q, want %q", day, got, want)
		}
	}
	for kind, name := range map[string]string{"erasure": "żądanie usunięcia danych osobowych", "access": "żądanie dostępu do danych osobowych",
		"rectification": "żądanie sprostowania danych osobowych", "objection": "sprzeciw wobec przetwarzania danych osobowych",
		"reminder": "ponaglenie", "complaint": "skarga"} {
		if w.Kinds[kind] != name {
			t.Errorf("kinds.%s %q, want %q", kind, w.Kinds[kind], name)
		}
	}
}

// TestPolishLawWords: the provisions read after "na podstawie" as the
// Polish text cites them ("art. 17 ust. 1 lit. a) RODO"), the periods read
// after "w terminie" (genitive), the grounds are list items without a
// full stop, and the terms are those of the Polish text of the law.
func TestPolishLawWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	article := regexp.MustCompile(`^art\. [0-9]+( ust\. [0-9]+)?( lit\. [a-h]\)( i [a-h]\))?)?( i (art\. [0-9]+( ust\. [0-9]+)?|[0-9]+)( lit\. [a-h]\))?)* RODO$`)
	for _, id := range plRegimes(t) {
		lw, err := tmpls.LawWords("pl", id)
		if err != nil {
			t.Fatal(err)
		}
		if lw.AuthorityProvision != "" && !article.MatchString(lw.AuthorityProvision) {
			t.Errorf("%s authority_provision %q is not cited as the Polish text cites", id, lw.AuthorityProvision)
		}
		if lw.Authority != "" && !strings.HasPrefix(lw.Authority, "organu ") {
			t.Errorf("%s authority %q does not read after \"skargi do\"", id, lw.Authority)
		}
		for kind, rw := range lw.Requests {
			if !article.MatchString(rw.Provision) {
				t.Errorf("%s %s.provision %q is not cited as the Polish text cites", id, kind, rw.Provision)
			}
			for i, g := range rw.Grounds {
				if !article.MatchString(g.Provision) {
					t.Errorf("%s %s.grounds[%d].provision %q is not cited as the Polish text cites", id, kind, i, g.Provision)
				}
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") || g.Letter != strings.ToLower(g.Letter[:1])+g.Letter[1:] {
					t.Errorf("%s %s.grounds[%d]: a list item starts in lower case and ends without a full stop: %q", id, kind, i, g.Letter)
				}
			}
			for pname, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested, "confirmation": rw.Confirmation} {
				if p != nil && !regexp.MustCompile(`^(miesiąca|dwóch|trzech|[0-9]+) `).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read after \"w terminie\"", id, kind, pname, p.Words)
				}
			}
			for cname, c := range map[string]*templates.Cited{"recipients": rw.Recipients, "verification": rw.Verification, "free": rw.Free, "refusal": rw.Refusal, "representative": rw.Representative} {
				if c != nil && (!strings.HasSuffix(c.Letter, ".") || !strings.Contains(c.Letter, " "+lw.ShortName+")") || strings.ToUpper(c.Letter[:1]) != c.Letter[:1]) {
					t.Errorf("%s %s.%s: a sentence starts with a capital, cites its provision and ends with a full stop: %q", id, kind, cname, c.Letter)
				}
			}
		}
	}
	gdpr, err := tmpls.LawWords("pl", "gdpr")
	if err != nil {
		t.Fatal(err)
	}
	if gdpr.Terms.Organisation != "administrator" || gdpr.Terms.Person != "osoba, której dane dotyczą" || gdpr.Terms.Data != "dane osobowe" {
		t.Errorf("GDPR terms %+v: want those of the Polish text of Regulation (EU) 2016/679", gdpr.Terms)
	}
	if gdpr.ShortName != "RODO" || gdpr.Name != "ogólne rozporządzenie o ochronie danych" {
		t.Errorf("GDPR names %q, %q", gdpr.ShortName, gdpr.Name)
	}
	if g := gdpr.Requests["erasure"].Grounds[0].Provision; g != "art. 17 ust. 1 lit. a) RODO" {
		t.Errorf("GDPR citation %q: want \"art. 17 ust. 1 lit. a) RODO\"", g)
	}
}

// TestPolishFollowUps writes, for every regime with Polish words, a
// reminder and a complaint about a request of every kind the regime grants
// in each state the ledger marks, and checks that they are Polish
// throughout, state the original request (its Polish name, reference and
// dates) and agree with its gender: "moje żądanie … zostało przesłane",
// "mój sprzeciw … został przesłany".
func TestPolishFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	puodo := Party{Name: "Prezes Urzędu Ochrony Danych Osobowych", Email: "kancelaria@uodo.gov.pl", Address: []string{"ul. Stawki 2", "00-193 Warszawa"}}
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	words, err := tmpls.Words("pl")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range plRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("pl", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "pl"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Zażądali Państwo kopii mojego paszportu."
						if kind == "complaint" {
							what = "Spółka zażądała kopii mojego paszportu."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended, req.Original.Reminders = due, extended, []time.Time{reminded}
						if kind == "complaint" {
							req.Recipient = puodo
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
						if l.Opening != "Szanowni Państwo," || l.Closing != "Z poważaniem" {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := words.Kinds[of]
						moje, zostalo, mojego, pismo := "moje", "zostało przesłane", "mojego żądania", "moje żądanie"
						if of == "objection" {
							moje, zostalo, mojego, pismo = "mój", "został przesłany", "mojego sprzeciwu", "mój sprzeciw"
						}
						want := []string{"z dnia 2 grudnia 2026 (" + kindName + ")", "ERASE-20261202-ABCDEF",
							moje + " " + kindName + " na podstawie " + lw.Requests[of].Provision, what}
						if kind == "reminder" {
							want = append(want, "Ponaglenie w sprawie pisma z dnia 2 grudnia 2026 ("+kindName+") – konto w serwisie AliExpress, znak sprawy ERASE-20261202-ABCDEF",
								"W dniu 2 grudnia 2026 "+zostalo+" Państwu "+moje+" "+kindName,
								"termin ten upłynął w dniu 4 stycznia 2027", "Ponaglenie w tej sprawie zostało do Państwa wysłane już w dniu 8 stycznia 2027.",
								"Wzywam zatem Państwa do niezwłocznego udzielenia pełnej odpowiedzi na "+pismo+", najpóźniej do dnia 3 lutego 2027.",
								"wiadomość e-mail o identyfikatorze Message-ID <x.1@example.org>", "zoe_l")
							if extended {
								want = append(want, "przedłużonym następnie przez Państwa", "Państwa adres wskazano jako punkt kontaktowy w sprawach ochrony danych osobowych dla Alibaba Group",
									"Proszę o rozpatrzenie "+mojego+" przez każdą spółkę")
							}
							if lw.Authority != "" {
								want = append(want, "W razie nieotrzymania pełnej odpowiedzi w tym terminie wniosę skargę na podstawie "+lw.AuthorityProvision+" do "+lw.Authority+".")
							}
						} else {
							want = append(want, "Skarga na spółkę Alibaba.com Singapore E-Commerce Private Limited w sprawie pisma z dnia 2 grudnia 2026 ("+kindName+") – konto w serwisie AliExpress",
								"Niniejszym wnoszę skargę na spółkę Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811.",
								"Spółka nie rozpatrzyła "+mojego+" dotyczącego konta w serwisie AliExpress",
								"w dniu 2 grudnia 2026 "+zostalo+" spółce Alibaba.com Singapore E-Commerce Private Limited "+moje+" "+kindName,
								"drogą elektroniczną na adres dataprotection.ae@aliexpress.com",
								"Ponaglenie w tej sprawie zostało wysłane do spółki w dniu 8 stycznia 2027.",
								"Moje dane:", "rozpatrzyła "+pismo+" zgodnie z wymogami prawa", "o informowanie mnie o postępach i wyniku rozpatrywania skargi",
								"Na Państwa prośbę przekażę kopię "+mojego)
							if status == "sent" {
								want = append(want, "termin ten upłynął w dniu 4 stycznia 2027, a spółka nie udzieliła mi odpowiedzi.")
								if extended {
									want = append(want, "przedłużonym następnie przez spółkę")
								}
							}
							if r.Family == "gdpr" {
								want = append(want, "Skargę wnoszę na podstawie "+lw.AuthorityProvision+".", "Wnoszę o rozpatrzenie mojej skargi")
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "Odmówili Państwo uwzględnienia "+mojego+".")
							} else {
								want = append(want, "spółka odmówiła uwzględnienia "+mojego+".")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "Państwa odpowiedź nie obejmuje jednak "+mojego+" w całości.")
							} else {
								want = append(want, "spółka udzieliła odpowiedzi na "+pismo+" jedynie w części.")
							}
						case "sent":
							if kind == "reminder" {
								want = append(want, "Do dnia dzisiejszego nie udzielili mi Państwo odpowiedzi.")
							}
						}
						wantAll(t, name, text, want)
						plCheckText(t, name, text, lw)
						if of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestPolishReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the letter asked for a prompt answer, or names
// the date it asked for as such, never as a legal period.
func TestPolishReminderPeriods(t *testing.T) {
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
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), time.Time{}, "Odpowiedzi należy udzielić do dnia 4 stycznia 2027 (w terminie miesiąca od otrzymania sprzeciwu, art. 12 ust. 3 RODO)."},
		{time.Time{}, time.Time{}, "Pismo to zawierało prośbę o niezwłoczną odpowiedź. Do dnia dzisiejszego"},
		{time.Time{}, time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), "Pismo to zawierało prośbę o odpowiedź do dnia 11 grudnia 2026. Do dnia"},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "pl"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Requested: c.requested, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "Ponaglenie w sprawie pisma z dnia 2 grudnia 2026 (sprzeciw wobec przetwarzania danych osobowych)", "na mój sprzeciw, najpóźniej"} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v, requested %v: the reminder lacks %q:\n%s", c.due, c.requested, want, text)
			}
		}
	}
}
