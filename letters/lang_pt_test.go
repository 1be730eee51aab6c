package letters

import (
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// portuguese are the Portuguese languages erase writes in: the salutation,
// the close and the regime each has words for.
var portuguese = []struct {
	lang, regime, opening, closing string
	kinds                          map[string]string // the kind names follow-ups use
	authority                      Party
}{
	{"pt-BR", "lgpd", "Prezados Senhores,", "Atenciosamente,",
		map[string]string{"erasure": "requerimento de eliminação", "access": "requerimento de acesso", "objection": "oposição"},
		Party{Name: "Autoridade Nacional de Proteção de Dados", Email: "peticao@anpd.gov.br", Address: []string{"SCN Quadra 6, Conjunto A", "Brasília – DF"}}},
	{"pt", "gdpr", "Exmos. Senhores,", "Com os melhores cumprimentos,",
		map[string]string{"erasure": "pedido de apagamento", "access": "pedido de acesso", "objection": "oposição"},
		Party{Name: "Comissão Nacional de Proteção de Dados", Email: "geral@cnpd.pt", Address: []string{"Av. D. Carlos I, 134, 1.º", "1200-651 Lisboa"}}},
}

// TestPortugueseLetters writes every kind each regime with Portuguese
// words grants, directly and through a group, with every detail given, and
// checks that it is Portuguese from the salutation to the close.
func TestPortugueseLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, p := range portuguese {
		r, err := laws.Get(p.regime)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords(p.lang, p.regime)
		if err != nil {
			t.Fatalf("%s %s: %v", p.lang, p.regime, err)
		}
		for _, kind := range r.Kinds() {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, p.lang, group
				req.Details = map[string][]string{}
				if kind == "rectification" {
					req.Details["correction"] = []string{"O meu endereço é Rua Nova, 1, 1000-001 Lisboa."}
				}
				if kind == "objection" {
					req.Details["situation"] = []string{"Encerrei a conta."}
				}
				name := p.lang + " " + p.regime + " " + kind
				l, err := Compose(req, tmpls)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				text := letterText(t, l) + " " + l.Subject
				if l.Opening != p.opening || l.Closing != p.closing {
					t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
				}
				if !strings.Contains(text, "27 de novembro de 2026") {
					t.Errorf("%s: no Portuguese date", name)
				}
				for _, want := range []string{lw.Requests[kind].Provision, "zoe_l", "Müllerstraße 12"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s: the letter lacks %q", name, want)
					}
				}
				if group != "" && !strings.Contains(text, "contacto de proteção de dados de Alibaba Group") &&
					!strings.Contains(text, "contato de proteção de dados de Alibaba Group") {
					t.Errorf("%s: the group letter does not say it goes to the group", name)
				}
				checkPortuguese(t, name, text, lw)
			}
		}
	}
}

// TestPortugueseFollowUps writes a reminder and a complaint about an
// erasure, an access request and an objection in each state the ledger
// marks, and checks that they state the original request in Portuguese.
func TestPortugueseFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	due := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, p := range portuguese {
		r, err := laws.Get(p.regime)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords(p.lang, p.regime)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range []string{"erasure", "access", "objection"} {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, p.lang
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Exigiram uma cópia do meu passaporte."
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						if r.Family == "gdpr" {
							req.Original.Due, req.Original.Extended = due, extended
						} else {
							req.Original.Requested = time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC)
						}
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = p.authority
							req.Respondent = respondent()
						} else if extended {
							req.GroupName = "Alibaba Group"
						}
						name := p.lang + " " + p.regime + " " + kind + " of " + of + " (" + status + ")"
						l, err := Compose(req, tmpls)
						if err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						text := letterText(t, l) + " " + l.Subject
						if l.Opening != p.opening || l.Closing != p.closing {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						want := []string{p.kinds[of], "ERASE-20261202-ABCDEF", "2 de dezembro de 2026", lw.Requests[of].Provision, what}
						if kind == "reminder" {
							want = append(want, "Message-ID <x.1@example.org>", "zoe_l", "3 de fevereiro de 2027")
						} else {
							want = append(want, "Alibaba.com Singapore E-Commerce Private Limited, 8 Shenton Way, Singapore 068811",
								"dataprotection.ae@aliexpress.com", "8 de janeiro de 2027")
						}
						if status == "sent" && r.Family == "gdpr" {
							want = append(want, "4 de janeiro de 2027")
						}
						if status == "sent" && r.Family != "gdpr" {
							want = append(want, "17 de dezembro de 2026")
						}
						wantAll(t, name, text, want)
						// A objection is feminine, a request masculine.
						if of == "objection" && (strings.Contains(text, "o meu oposição") || strings.Contains(text, "ao meu oposição")) {
							t.Errorf("%s: an objection in the masculine:\n%s", name, text)
						}
						checkPortuguese(t, name, text, lw)
						if of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestPortugueseDates: Portugal writes "1 de dezembro de 2026". Brazil
// writes the first of the month as an ordinal, "1º de dezembro de 2026",
// which the {day} pattern cannot say: the Brazilian words write
// "1 de dezembro" until the date pattern can (see pt-BR/words.yaml).
func TestPortugueseDates(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	for lang, want := range map[string]string{"pt": "1 de dezembro de 2026", "pt-BR": "15 de dezembro de 2026"} {
		w, err := tmpls.Words(lang)
		if err != nil {
			t.Fatal(err)
		}
		day := 1
		if lang == "pt-BR" {
			day = 15
		}
		if got := w.FormatDate(time.Date(2026, 12, day, 0, 0, 0, 0, time.UTC)); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		for _, k := range []string{"erasure", "access", "rectification", "objection", "reminder", "complaint"} {
			if w.Kinds[k] == "" {
				t.Errorf("%s: no name for the kind %s", lang, k)
			}
		}
	}
}

func checkPortuguese(t *testing.T, name, text string, lw *templates.LawWords) {
	t.Helper()
	body := englishWords.ReplaceAllStringFunc(stripNames(text, lw), func(w string) string { return "«" + w + "»" })
	if strings.Contains(body, "«") {
		t.Errorf("%s: English in the Portuguese letter: %s", name, body)
	}
	for _, bad := range []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", ",.", "Article", "GDPR"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q: %s", name, bad, text)
		}
	}
}
