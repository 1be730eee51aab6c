package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// spanishRegimes are the regimes templates/es/laws/ has words for.
func spanishRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "es/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no es/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "es/laws/"), ".yaml"))
	}
	return ids
}

// englishInSpanish are English words no Spanish letter says outside a
// name; "Message-ID" is the header's own name and stays.
var englishInSpanish = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|of|under|and|to|for|this|data|erasure|access|objection|complaint|reminder)\b`)

// spanishBad is what a Spanish letter must not contain: leftovers, doubled
// punctuation, and the German or English citation styles.
var spanishBad = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "Art. ", "Abs.", "lit. ", "GDPR", "DSGVO", "del del", "al el", "de el "}

func checkSpanish(t *testing.T, name, text string, lw *templates.LawWords) {
	t.Helper()
	stripped := text
	for _, s := range []string{"Message-ID", "Alibaba.com Singapore E-Commerce Private Limited", "Singapore", "Shenton Way", "Alibaba Group", "AliExpress", lw.ShortName} {
		stripped = strings.ReplaceAll(stripped, s, "")
	}
	if marked := englishInSpanish.ReplaceAllStringFunc(stripped, func(w string) string { return "«" + w + "»" }); strings.Contains(marked, "«") {
		t.Errorf("%s: English in the Spanish letter: %s", name, marked)
	}
	for _, bad := range spanishBad {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q: %s", name, bad, text)
		}
	}
}

// TestSpanishLetters writes every kind each regime with Spanish words
// grants, in Spanish, directly and through a group, with every detail
// given, and checks that it is Spanish from the salutation to the close:
// the Spanish provisions, the Spanish date, no English sentence.
func TestSpanishLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range spanishRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("es/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("es", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if id == "gdpr" && strings.Join(kinds, ",") != "access,erasure,objection,rectification" {
			t.Errorf("gdpr grants %v: the Spanish words and this test cover access, erasure, objection and rectification", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				for _, situation := range []bool{true, false} {
					if !situation && kind != "objection" {
						continue
					}
					req := sampleRequest(r)
					req.Kind, req.Language, req.GroupName = kind, "es", group
					req.Details = map[string][]string{
						"correction": {"Mi dirección postal es Calle Mayor 1, 28013 Madrid."},
						"situation":  {"He cerrado la cuenta y sigo recibiendo publicidad."},
					}
					if !situation {
						delete(req.Details, "situation")
					}
					if k, err := tmpls.Kind(kind); err == nil {
						for name := range req.Details {
							if _, ok := k.Details[name]; !ok {
								delete(req.Details, name)
							}
						}
					}
					name := id + " " + kind
					l, err := Compose(req, tmpls)
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					text := letterText(t, l) + " " + l.Subject
					if l.Opening != "Muy señores míos:" || l.Closing != "Atentamente," {
						t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
					}
					if !strings.Contains(text, "27 de noviembre de 2026") {
						t.Errorf("%s: no Spanish date", name)
					}
					rw := lw.Requests[kind]
					want := []string{"al amparo del " + rw.Provision, "zoe_l", "Nombre de usuario", "Número de pedido", "Dirección postal: Müllerstraße 12, 10115 Berlin"}
					if rw.Deadline != nil {
						want = append(want, "plazo de "+rw.Deadline.Words+" establecido en el "+rw.Deadline.Provision)
					}
					if lw.Authority != "" {
						want = append(want, "una reclamación ante "+lw.Authority+".")
					}
					switch kind {
					case "erasure":
						want = append(want, "Solicitud de supresión de mis datos", "Formulo la presente solicitud", "Les ruego que me confirmen por escrito")
					case "access":
						want = append(want, "Solicitud de acceso a mis datos", "Les ruego que me faciliten:")
					case "rectification":
						want = append(want, "Solicitud de rectificación de mis datos", "Mi dirección postal es Calle Mayor 1, 28013 Madrid.")
					case "objection":
						want = append(want, "Oposición al tratamiento de mis datos", "Formulo la presente oposición", "respondan a esta oposición")
						if situation {
							want = append(want, "Mi situación particular es la siguiente: He cerrado la cuenta")
						}
					}
					if id == "gdpr" {
						want = append(want, "artículo 12, apartado 4, del RGPD", "a título gratuito", "dudas razonables")
					}
					if group != "" {
						want = append(want, "Ustedes figuran como contacto de protección de datos de Alibaba Group")
					}
					wantAll(t, name, text, want)
					if kind == "objection" && !situation && strings.Contains(text, "situación particular, que expongo") {
						t.Errorf("%s: the objection on grounds of a situation the requester did not give:\n%s", name, text)
					}
					checkSpanish(t, name, text, lw)
					if kind == "erasure" && group == "" {
						logLetter(t, name, l)
					}
				}
			}
		}
	}
}

// TestSpanishWords: the date, the salutation and the kind names follow
// the Spanish business letter, and every period reads after "plazo de".
func TestSpanishWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("es")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.FormatDate(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); got != "1 de diciembre de 2026" {
		t.Errorf("date %q, want 1 de diciembre de 2026", got)
	}
	for kind, want := range map[string]string{"erasure": "solicitud de supresión", "access": "solicitud de acceso",
		"rectification": "solicitud de rectificación", "objection": "oposición al tratamiento", "complaint": "reclamación"} {
		if w.Kinds[kind] != want {
			t.Errorf("kinds.%s = %q, want %q", kind, w.Kinds[kind], want)
		}
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("es/words.yaml names no kind %q", k.ID)
		}
	}
	period := regexp.MustCompile(`^(un|una|dos|otros|[0-9]+) .*(mes|meses|días|días naturales|días hábiles)\b`)
	cite := regexp.MustCompile(`^artículos? [0-9]+`)
	for _, id := range spanishRegimes(t) {
		lw, err := tmpls.LawWords("es", id)
		if err != nil {
			t.Fatal(err)
		}
		if lw.AuthorityProvision != "" && !cite.MatchString(lw.AuthorityProvision) {
			t.Errorf("%s authority_provision %q does not read after \"al amparo del\"", id, lw.AuthorityProvision)
		}
		for kind, rw := range lw.Requests {
			if !strings.HasPrefix(rw.Provision, "artículo ") {
				t.Errorf("%s %s.provision %q: want one article, after \"al amparo del\"", id, kind, rw.Provision)
			}
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p == nil {
					continue
				}
				if !period.MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read after \"plazo de\"", id, kind, name, p.Words)
				}
				if p.Provision != "" && name != "extension" && !strings.HasPrefix(p.Provision, "artículo ") {
					t.Errorf("%s %s.%s.provision %q: want one article, after \"establecido en el\"", id, kind, name, p.Provision)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") || g.Letter[:1] != strings.ToLower(g.Letter[:1]) {
					t.Errorf("%s %s.grounds[%d]: a list item starts in lower case and ends without a full stop: %q", id, kind, i, g.Letter)
				}
				if !cite.MatchString(g.Provision) {
					t.Errorf("%s %s.grounds[%d].provision %q: not cited as the Regulation's Spanish text does", id, kind, i, g.Provision)
				}
			}
		}
	}
}

// TestSpanishFollowUps writes, for every regime with Spanish words, a
// reminder and a complaint about every kind it grants in each state the
// ledger marks, and checks that they are Spanish throughout and state the
// original request: its Spanish name, reference and dates.
func TestSpanishFollowUps(t *testing.T) {
	aepd := Party{Name: "Agencia Española de Protección de Datos", Email: "dpd@aepd.es", Address: []string{"C/ Jorge Juan, 6", "28001 Madrid"}}
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	words, err := tmpls.Words("es")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range spanishRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("es", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "es"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Me pidieron una copia de mi pasaporte."
						if kind == "complaint" {
							what = "La empresa me pidió una copia de mi pasaporte."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended = due, extended
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = aepd
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
						if l.Opening != "Muy señores míos:" || l.Closing != "Atentamente," {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := words.Kinds[of]
						word := "solicitud"
						if of == "objection" {
							word = "oposición"
						}
						want := []string{"mi " + kindName + " de fecha 2 de diciembre de 2026", "ERASE-20261202-ABCDEF",
							"al amparo del " + lw.Requests[of].Provision, what, "Message-ID <x.1@example.org>"}
						if kind == "reminder" {
							want = append(want, "Recordatorio: mi "+kindName, "El 2 de diciembre de 2026 les remití mi "+kindName,
								"venció el 4 de enero de 2027", "les requiero para que atiendan íntegramente mi "+word,
								"a más tardar, el 3 de febrero de 2027", "zoe_l")
							if d := lw.Requests[of].Deadline; d != nil {
								want = append(want, "El plazo de "+d.Words+" establecido en el "+d.Provision)
							}
							if extended {
								want = append(want, ", que ustedes prorrogaron,", "Ustedes figuran como contacto de protección de datos de Alibaba Group", "Les ruego que tramiten mi "+word)
							}
							if lw.Authority != "" {
								want = append(want, "presentaré, al amparo del "+lw.AuthorityProvision+", una reclamación ante "+lw.Authority+".")
							}
						} else {
							want = append(want, "Reclamación contra Alibaba.com Singapore E-Commerce Private Limited",
								"formulo reclamación contra Alibaba.com Singapore E-Commerce Private Limited, con domicilio en 8 Shenton Way, Singapore 068811",
								"El 8 de enero de 2027 recordé a la empresa mi "+word,
								"por correo electrónico, a la dirección dataprotection.ae@aliexpress.com,",
								"sobre el curso y el resultado de mi reclamación", "Solicito a esa autoridad")
							if status == "sent" {
								want = append(want, "venció el 4 de enero de 2027 sin que yo haya recibido respuesta")
								if extended {
									want = append(want, ", que la empresa prorrogó,")
								}
							}
							if r.Family == "gdpr" {
								want = append(want, "La presento al amparo del "+lw.AuthorityProvision+".", "examine mi reclamación")
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "Ustedes han denegado mi "+word+".")
							} else {
								want = append(want, "denegó mi "+word+".")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "Sin embargo, su respuesta no atiende mi "+word+" en su totalidad.")
							} else {
								want = append(want, "solo atendió mi "+word+" en parte.")
							}
						case "sent":
							if kind == "reminder" {
								want = append(want, "Hasta la fecha no he recibido respuesta.")
							}
						}
						wantAll(t, name, text, want)
						checkSpanish(t, name, text, lw)
						if strings.Contains(text, "esta oposición") && of != "objection" || strings.Contains(text, "mi solicitud") && of == "objection" {
							t.Errorf("%s: the letter calls the original by the wrong word:\n%s", name, text)
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

// TestSpanishReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period says the requester asked for a prompt answer.
func TestSpanishReminderPeriods(t *testing.T) {
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
		{time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "Su respuesta debe producirse a más tardar el 4 de enero de 2027 (plazo de un mes a partir de la recepción de la solicitud establecido en el artículo 12, apartado 3, del RGPD)."},
		{time.Time{}, "Les pedí que me respondieran a la mayor brevedad. Hasta la fecha no he recibido respuesta."},
	} {
		req := sampleRequest(gdpr)
		req.Kind, req.Language = "reminder", "es"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Due: c.due, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l)
		for _, want := range []string{c.want, "mi oposición al tratamiento de fecha 2 de diciembre de 2026", "atiendan íntegramente mi oposición"} {
			if !strings.Contains(text+" "+l.Subject, want) {
				t.Errorf("due %v: the reminder lacks %q:\n%s", c.due, want, text)
			}
		}
	}
}
