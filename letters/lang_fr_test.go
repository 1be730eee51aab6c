package letters

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/erase-cli/erase/templates"
)

// frenchRegimes are the regimes templates/fr/laws/ has words for.
var frenchRegimes = []string{"gdpr"}

// frenchEnglishWords are English words no French letter says: a sentence
// the French words lack would show one. None of them is also French.
var frenchEnglishWords = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|of|under|and|to|for|by|this|that|from|within|days|erasure|complaint|reminder|controller|data)\b`)

// frenchBad are what a French letter never contains: leftovers of a
// template, doubled or misplaced spaces and punctuation, and French
// punctuation glued to the word before it (« : » and « ; » take a space).
var frenchBad = regexp.MustCompile(`<no value>|  | ,| \.|\.\.|,,|\( | \)|\pL[;:]|\?|!`)

// frenchBody is the letter as its templates wrote it: subject, salutation,
// body and close, without the labels the Go code writes around them.
func frenchBody(l *Letter) string {
	parts := []string{l.Subject, l.Opening}
	for _, b := range l.Body {
		parts = append(parts, b.Text)
		parts = append(parts, b.Items...)
	}
	parts = append(parts, l.Closing)
	return strings.Join(parts, "\n")
}

func checkFrench(t *testing.T, name string, l *Letter) string {
	t.Helper()
	if l.Opening != "Madame, Monsieur," {
		t.Errorf("%s: opening %q", name, l.Opening)
	}
	if l.Closing != "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées." {
		t.Errorf("%s: closing %q", name, l.Closing)
	}
	body := frenchBody(l)
	if m := frenchEnglishWords.FindAllString(body, -1); len(m) > 0 {
		t.Errorf("%s: English in the French letter %v:\n%s", name, m, body)
	}
	for _, line := range strings.Split(body, "\n") {
		if m := frenchBad.FindString(line); m != "" {
			t.Errorf("%s: the letter contains %q: %s", name, m, line)
		}
	}
	for _, b := range l.Body {
		if r, _ := utf8.DecodeRuneInString(b.Text); b.Text != "" && !unicode.IsUpper(r) {
			t.Errorf("%s: a paragraph starts with a small letter: %q", name, b.Text)
		}
	}
	return body
}

// TestFrenchLetters writes every kind each regime with French words grants,
// in French, directly and through a group, with every detail given and
// without, and checks it is French from the salutation to the close.
func TestFrenchLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range frenchRegimes {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("fr", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if len(kinds) != 4 {
			t.Errorf("%s grants %v: this test expects access, erasure, objection, rectification", id, kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				for _, withDetails := range []bool{true, false} {
					req := sampleRequest(r)
					req.Kind, req.Language, req.GroupName = kind, "fr", group
					req.Details = map[string][]string{
						"correction": {"Mon adresse postale est 12, rue de la Paix, 75002 Paris."},
						"situation":  {"J'ai clôturé mon compte et je ne souhaite plus être sollicitée."},
					}
					k, err := tmpls.Kind(kind)
					if err != nil {
						t.Fatal(err)
					}
					for name := range req.Details {
						if _, ok := k.Details[name]; !ok || (!withDetails && !k.Details[name].Required) {
							delete(req.Details, name)
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
					body := checkFrench(t, name, l)
					text := letterText(t, l)
					want := []string{lw.Requests[kind].Provision, "zoe_l", "Nom d'utilisateur : zoe_l", "Numéro de commande : 8123456789",
						"Adresse postale : Müllerstraße 12, 10115 Berlin", "27 novembre 2026",
						"au plus tard le 28 décembre 2026 (soit un mois à compter de la réception",
						"conformément à l'article 12, paragraphe 3, du RGPD), ou, si ce jour est férié au lieu de votre établissement, le premier jour ouvrable suivant ; si vous deviez prolonger ce délai",
						"je me réserve le droit d'introduire une réclamation, en vertu de l'article 77, paragraphe 1, du RGPD, auprès d'une autorité de contrôle",
						"(article 12, paragraphe 6, du RGPD)", "(article 12, paragraphe 4, du RGPD)", "article 27 du RGPD"}
					if group != "" {
						want = append(want, "Vos coordonnées sont indiquées comme contact pour la protection des données d'Alibaba Group",
							"pour chaque société d'Alibaba Group qui traite", "à la société responsable d'AliExpress et")
					}
					switch kind {
					case "erasure":
						want = append(want, "Demande d'effacement de mes données en vertu de l'article 17, paragraphe 1, du RGPD – compte AliExpress, réf. ",
							"Je me fonde sur chacun des motifs suivants :", "(article 17, paragraphe 1, point a), du RGPD)", "Je vous prie de me confirmer par écrit", "sous-traitants")
					case "access":
						want = append(want, "Demande d'accès à mes données en vertu de l'article 15 du RGPD", "Je vous prie de me communiquer :",
							"sous une forme électronique d'usage courant", "(article 15, paragraphe 1, point h), du RGPD)")
					case "rectification":
						want = append(want, "Demande de rectification de mes données en vertu de l'article 16 du RGPD", "- Mon adresse postale est 12, rue de la Paix, 75002 Paris.",
							"(article 5, paragraphe 1, point d), du RGPD)")
					case "objection":
						want = append(want, "Opposition au traitement de mes données en vertu de l'article 21 du RGPD", "Cette opposition est fondée sur l'article 21 du RGPD.",
							"à des fins de prospection", "(article 21, paragraphes 2 et 3, du RGPD)")
						if withDetails {
							want = append(want, "Ma situation particulière est la suivante : J'ai clôturé mon compte", "(article 18, paragraphe 1, point d), du RGPD)")
						} else if strings.Contains(text, "situation particulière") {
							t.Errorf("%s: an objection without a situation speaks of one:\n%s", name, text)
						}
						if strings.Contains(body, "présente demande") {
							t.Errorf("%s: an objection calls itself a demande:\n%s", name, body)
						}
					}
					wantAll(t, name, text, want)
				}
			}
		}
	}
}

// TestFrenchWords: the French words name every kind, the periods read
// after « soit », the provisions a sentence cites read after « en vertu
// de », and the grounds are list items.
func TestFrenchWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("fr")
	if err != nil {
		t.Fatal(err)
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("fr/words.yaml names no kind %q", k.ID)
		}
	}
	if got := w.FormatDate(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)); got != "27 novembre 2026" {
		t.Errorf("date: %q", got)
	}
	period := regexp.MustCompile(`^(un|deux|trois|[0-9]+) (mois|jours)\b`)
	for _, id := range frenchRegimes {
		lw, err := tmpls.LawWords("fr", id)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]string{"authority_provision": lw.AuthorityProvision} {
			if !strings.HasPrefix(p, "l'article ") {
				t.Errorf("%s %s: %q does not read after « en vertu de »", id, name, p)
			}
		}
		if !strings.HasPrefix(lw.Authority, "auprès ") {
			t.Errorf("%s authority: %q does not carry its « auprès de »", id, lw.Authority)
		}
		for kind, rw := range lw.Requests {
			provisions := map[string]string{"provision": rw.Provision}
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p == nil {
					continue
				}
				if !period.MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read after « soit »", id, kind, name, p.Words)
				}
				if p.Provision != "" {
					provisions[name+".provision"] = p.Provision
				}
			}
			for name, p := range provisions {
				if !strings.HasPrefix(p, "l'article ") {
					t.Errorf("%s %s.%s: %q does not read after « en vertu de »", id, kind, name, p)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") || strings.ToLower(g.Letter[:1]) != g.Letter[:1] {
					t.Errorf("%s %s.grounds[%d]: not a list item (small letter, no full stop): %q", id, kind, i, g.Letter)
				}
				if !strings.HasPrefix(g.Provision, "article ") {
					t.Errorf("%s %s.grounds[%d]: provision %q is not written as « article ... » in parentheses", id, kind, i, g.Provision)
				}
			}
		}
	}
}

// TestFrenchFollowUps writes a reminder and a complaint about each kind of
// request in each state the ledger marks, and checks they are French
// throughout and state the original request: its French name, with « ma »
// or « mon », its reference and its dates.
func TestFrenchFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	authority := Party{Name: "Autorité de protection des données", Email: "contact@apd-gba.be", Address: []string{"Rue de la Presse 35", "1000 Bruxelles"}}
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range frenchRegimes {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("fr", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range []string{"erasure", "access", "rectification", "objection"} {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "fr"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Vous m'avez demandé une copie de mon passeport."
						if kind == "complaint" {
							what = "La société m'a demandé une copie de mon passeport."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended = due, extended
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = authority
							req.Respondent = respondent()
						} else if extended {
							req.GroupName = "Alibaba Group"
						}
						name := id + " " + kind + " of " + of + " (" + status + ")"
						if extended {
							name += " extended"
						}
						l, err := Compose(req, tmpls)
						if err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						checkFrench(t, name, l)
						text := letterText(t, l)
						ma := map[string]string{"erasure": "ma demande d'effacement", "access": "ma demande d'accès",
							"rectification": "ma demande de rectification", "objection": "mon opposition"}[of]
						mot := "ma demande"
						if of == "objection" {
							mot = "mon opposition"
						}
						want := []string{ma + " du 2 décembre 2026", "ERASE-20261202-ABCDEF", "fondée sur " + lw.Requests[of].Provision, what}
						if kind == "reminder" {
							want = append(want, "Relance : "+ma+" du 2 décembre 2026 – compte AliExpress, réf. ERASE-20261202-ABCDEF",
								"Le 2 décembre 2026, je vous ai adressé "+ma+", fondée sur",
								"(courriel portant le Message-ID <x.1@example.org>)",
								"a expiré le 4 janvier 2027.",
								"Je vous demande donc de répondre sans plus tarder et de manière complète à "+mot+", au plus tard le 3 février 2027.",
								"Si je ne reçois pas de réponse complète d'ici là, j'introduirai une réclamation, en vertu de l'article 77, paragraphe 1, du RGPD, auprès d'une autorité de contrôle",
								"zoe_l")
							if extended {
								want = append(want, "Le délai de réponse prévu à l'article 12, paragraphe 3, du RGPD, que vous aviez prolongé, a expiré",
									"Vos coordonnées sont indiquées comme contact pour la protection des données d'Alibaba Group",
									"Je vous prie de traiter "+mot+" pour chaque société")
							} else {
								want = append(want, "Le délai de réponse prévu à l'article 12, paragraphe 3, du RGPD (un mois à compter de la réception")
							}
							switch status {
							case "refused":
								want = append(want, "Vous avez rejeté "+mot+".")
							case "partial":
								want = append(want, "Votre réponse ne couvre toutefois pas l'intégralité de "+mot+".")
							default:
								want = append(want, "Je n'ai reçu à ce jour aucune réponse de votre part.")
							}
						} else {
							want = append(want, "Réclamation à l'encontre d'Alibaba.com Singapore E-Commerce Private Limited concernant "+ma,
								"Par la présente, j'introduis, en vertu de l'article 77, paragraphe 1, du RGPD, une réclamation à l'encontre d'Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811, qui n'a pas traité "+ma+" relative à mon compte AliExpress comme l'exige le RGPD.",
								"par courriel à l'adresse dataprotection.ae@aliexpress.com", "(Message-ID <x.1@example.org>)",
								"J'ai adressé une relance à la société le 8 janvier 2027.",
								"Je vous prie d'examiner ma réclamation", "de faire en sorte qu'Alibaba.com Singapore E-Commerce Private Limited traite "+mot, "de l'état d'avancement et de l'issue de ma réclamation",
								"Je tiens à votre disposition "+mot)
							switch status {
							case "refused":
								want = append(want, "a rejeté "+mot+".")
							case "partial":
								want = append(want, "n'a répondu qu'en partie à "+mot+".")
							default:
								want = append(want, "a expiré le 4 janvier 2027 sans que j'aie reçu de réponse.")
								if extended {
									want = append(want, "que la société avait prolongé,")
								}
							}
						}
						wantAll(t, name, text, want)
						if testing.Verbose() && of == "erasure" && status == "sent" && !extended {
							t.Logf("%s:\n%s", name, text)
						}
					}
				}
			}
		}
	}
}

// TestFrenchElision: « de » and « que » elide before a name that starts
// with a vowel, accented or not, and only then.
func TestFrenchElision(t *testing.T) {
	gdpr, err := mustLaws(t).Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	tmpls := templates.New(nil, templates.Embedded())
	for _, c := range []struct{ service, group, want string }{
		{"Zalando", "Zalando SE", "pour la protection des données de Zalando SE ; je m'adresse à vous au sujet de mon compte Zalando. Je vous prie de traiter la présente demande pour chaque société de Zalando SE qui traite des données me concernant en lien avec ce compte, ou de la transmettre sans tarder à la société responsable de Zalando et"},
		{"Équipe", "Holding", "pour la protection des données de Holding ; je m'adresse à vous au sujet de mon compte Équipe. Je vous prie de traiter la présente demande pour chaque société de Holding qui traite des données me concernant en lien avec ce compte, ou de la transmettre sans tarder à la société responsable d'Équipe et"},
	} {
		req := sampleRequest(gdpr)
		req.Language, req.Service, req.GroupName = "fr", c.service, c.group
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		if text := letterText(t, l); !strings.Contains(text, c.want) {
			t.Errorf("%s: the letter lacks %q:\n%s", c.service, c.want, text)
		}
	}
}

// TestFrenchReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the requester asked for an answer in good time.
func TestFrenchReminderPeriods(t *testing.T) {
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
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "Votre réponse est attendue au plus tard le 4 janvier 2027 (soit un mois à compter de la réception de l'opposition, conformément à l'article 12, paragraphe 3, du RGPD)."},
		{time.Time{}, "Je vous avais demandé de me répondre dans un délai raisonnable. Je n'ai reçu à ce jour aucune réponse de votre part."},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "fr"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Due: c.due, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		checkFrench(t, "reminder", l)
		text := letterText(t, l)
		for _, want := range []string{c.want, "Relance : mon opposition du 2 décembre 2026", "de manière complète à mon opposition"} {
			if !strings.Contains(text+" "+l.Subject, want) {
				t.Errorf("due %v: the reminder lacks %q:\n%s", c.due, want, text)
			}
		}
	}
}
