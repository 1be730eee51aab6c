package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// turkishRegimes are the regimes templates/tr/laws/ has words for.
func turkishRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "tr/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no tr/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "tr/laws/"), ".yaml"))
	}
	return ids
}

// englishInTurkish are words no Turkish letter says outside a name (of a
// company, a street, an e-mail header): a sentence the Turkish words lack
// would show one.
var englishInTurkish = regexp.MustCompile(`(?i)\b(the|you|your|please|request|my|which|with|of|under|and|to|for|this|data|article|law|personal|complaint|reminder)\b`)

// turkishFlaws are what a letter put together from pieces shows where a
// piece is missing or doubled.
var turkishFlaws = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "()", " ;"}

func checkTurkish(t *testing.T, name, text string, lw *templates.LawWords) {
	t.Helper()
	stripped := text
	for _, s := range []string{lw.Name, lw.Authority, "Message-ID"} {
		stripped = strings.ReplaceAll(stripped, s, "")
	}
	if m := englishInTurkish.FindAllString(stripped, -1); len(m) > 0 {
		t.Errorf("%s: English in the Turkish letter (%v):\n%s", name, m, text)
	}
	for _, bad := range turkishFlaws {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q:\n%s", name, bad, text)
		}
	}
}

// TestTurkishLetters writes every kind each regime with Turkish words
// grants, in Turkish, directly and through a group, with every detail
// given, and checks that it is Turkish from the salutation to the close:
// "Sayın Yetkili,", the Turkish provisions ("KVKK m. 11/1-e"), the Turkish
// date, "Saygılarımla,", no English sentence.
func TestTurkishLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range turkishRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("tr/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("tr", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if id == "kvkk" && strings.Join(kinds, " ") != "access erasure objection rectification" {
			t.Errorf("kvkk grants %v: write the Turkish letters of the new kinds", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "tr", group
				req.Details = map[string][]string{
					"correction": {"Posta adresim Atatürk Caddesi No. 5, 34000 İstanbul olarak düzeltilmelidir."},
					"situation":  {"Hesabımı kapattım."},
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
				if l.Opening != "Sayın Yetkili," || l.Closing != "Saygılarımla," {
					t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
				}
				if !strings.Contains(text, "27 Kasım 2026") {
					t.Errorf("%s: no Turkish date", name)
				}
				rw := lw.Requests[kind]
				want := []string{rw.Provision, "(" + rw.Provision + ")", lw.Name + " (" + lw.ShortName + ") uyarınca " + lw.Terms.Person + " sıfatıyla",
					"Konu: ", "Referans: ", "zoe_l", "Kullanıcı adı: zoe_l", "Sipariş numarası: 8123456789",
					"Posta adresi: Müllerstraße 12, 10115 Berlin", "Adı soyadı: Zoë Łukasiewicz",
					"Veri Sorumlusuna Başvuru Usul ve Esasları Hakkında Tebliğ", "KVKK m. 13/2", "tarihine kadar",
					"KVKK m. 14 uyarınca Kişisel Verileri Koruma Kuruluna şikâyette bulunma hakkımı saklı tutarım."}
				for _, g := range rw.Grounds {
					want = append(want, g.Letter+" ("+g.Provision+")")
				}
				if rw.Deadline != nil {
					want = append(want, "27 Aralık 2026 tarihine kadar", rw.Deadline.Words+" içinde")
				}
				switch kind {
				case "erasure":
					want = append(want, "Kişisel verilerimin silinmesi talebi", "KVKK m. 11/1-f")
				case "rectification":
					want = append(want, "Kişisel verilerimin düzeltilmesi talebi", "- Posta adresim Atatürk Caddesi", "KVKK m. 11/1-f")
				case "access":
					want = append(want, "Kişisel verilerime ilişkin bilgi talebi", "KVKK m. 13/3")
				case "objection":
					want = append(want, "itiraz", "itirazım "+rw.Provision+" kapsamındadır", "Hesabımı kapattım.", "KVKK m. 13/3")
				}
				if group != "" {
					want = append(want, "Alibaba Group bünyesinde kişisel verilerin korunmasına ilişkin başvurular için iletişim noktası olarak tarafınız gösterildiğinden, AliExpress hesabım hakkında size başvuruyorum.", "Bu başvuruyu, Alibaba Group bünyesinde")
				}
				wantAll(t, name, text, want)
				checkTurkish(t, name, text, lw)
				if kind == "erasure" && group == "" {
					logLetter(t, name, l)
				}
			}
		}
	}
}

// TestTurkishWords: the words a Turkish letter states outside its
// templates: the date, the labels, the names of the kinds a follow-up
// letter refers to.
func TestTurkishWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("tr")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.FormatDate(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); got != "1 Aralık 2026" {
		t.Errorf("date: %q, want 1 Aralık 2026", got)
	}
	if got := w.FormatDate(time.Date(2027, 2, 14, 0, 0, 0, 0, time.UTC)); got != "14 Şubat 2027" {
		t.Errorf("date: %q, want 14 Şubat 2027", got)
	}
	if got := w.Page(1, 2); got != "Sayfa 1/2" {
		t.Errorf("page: %q", got)
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("tr/words.yaml: no name for the kind %q", k.ID)
		}
	}
	for id, want := range map[string]string{"erasure": "kişisel verilerimin silinmesi talebi", "access": "kişisel verilerime ilişkin bilgi talebi",
		"rectification": "kişisel verilerimin düzeltilmesi talebi", "objection": "kişisel verilerimin işlenmesine itiraz", "reminder": "hatırlatma", "complaint": "şikâyet"} {
		if w.Kinds[id] != want {
			t.Errorf("tr/words.yaml: kinds.%s = %q, want %q", id, w.Kinds[id], want)
		}
	}
	for key, want := range map[string]string{"username": "Kullanıcı adı", "tr-identity-number": "T.C. kimlik numarası", "passport-number": "Pasaport numarası"} {
		if got := w.AccountLabel(key); got != want {
			t.Errorf("account label %s: %q, want %q", key, got, want)
		}
	}
	// Period words sit before "içinde", list items after a colon.
	for _, id := range turkishRegimes(t) {
		lw, err := tmpls.LawWords("tr", id)
		if err != nil {
			t.Fatal(err)
		}
		for kind, rw := range lw.Requests {
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p != nil && !regexp.MustCompile(`\b([0-9]+|otuz|bir) (gün|ay|iş günü)$`).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read before \"içinde\"", id, kind, name, p.Words)
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

// TestTurkishFollowUps writes, for every regime with Turkish words, a
// reminder and a complaint about a request of every kind it grants, in
// each state the ledger marks, and checks that they are Turkish throughout
// and state the original request: its Turkish name, reference and dates.
func TestTurkishFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("tr")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range turkishRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("tr", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "tr"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "Pasaportumun bir kopyasını istediniz."
						if kind == "complaint" {
							what = "Şirket pasaportumun bir kopyasını istedi."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended = due, extended
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = Party{Name: "Kişisel Verileri Koruma Kurumu", Address: []string{"Nasuh Akar Mahallesi 1407. Sokak No: 4", "06520 Çankaya/Ankara"}}
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
						text := letterText(t, l) + " " + l.Subject
						if l.Opening != "Sayın Yetkili," || l.Closing != "Saygılarımla," {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := w.Kinds[of]
						rw := lw.Requests[of]
						want := []string{"2 Aralık 2026 tarihli başvurum (" + kindName + ")", "ERASE-20261202-ABCDEF",
							"2 Aralık 2026 tarihinde " + rw.Provision + " uyarınca yaptığım başvuruyu", what}
						if kind == "reminder" {
							want = append(want, "Hatırlatma – 2 Aralık 2026 tarihli başvurum ("+kindName+"), AliExpress hesabım",
								"Message-ID değeri: <x.1@example.org>", "1 Ocak 2027 tarihinde sona ermiştir",
								"KVKK m. 13/2 uyarınca "+rw.Deadline.Words+" olan cevap süresi",
								"Bu nedenle başvurumu daha fazla gecikmeksizin ve en geç 3 Şubat 2027 tarihine kadar", "Kullanıcı adı: zoe_l",
								"KVKK m. 14 uyarınca Kişisel Verileri Koruma Kuruluna şikâyette bulunacağım.")
							if rw.Refusal != nil {
								want = append(want, rw.Refusal.Letter)
							}
							if extended {
								want = append(want, ", tarafınızca uzatılmış hâliyle,", "Alibaba Group bünyesinde kişisel verilerin korunmasına ilişkin başvurular için iletişim noktası olarak tarafınız gösterildiğinden, AliExpress hesabım hakkında size başvuruyorum.", "Başvurumu, Alibaba Group bünyesinde")
							}
						} else {
							want = append(want, "Alibaba.com Singapore E-Commerce Private Limited hakkında şikâyet",
								"Alibaba.com Singapore E-Commerce Private Limited (8 Shenton Way, Singapore 068811) unvanlı şirket hakkında şikâyette bulunuyorum.",
								"Bu şikâyeti KVKK m. 14 uyarınca yapıyorum.", "8 Ocak 2027 tarihinde başvurumu şirkete hatırlattım.",
								"dataprotection.ae@aliexpress.com adresine e-posta yoluyla şirkete ilettim", "Message-ID: <x.1@example.org>",
								"Şikâyetimi incelemenizi", "şikâyetimin durumu ile sonucu hakkında beni bilgilendirmenizi arz ederim.",
								"6698 sayılı Kişisel Verilerin Korunması Kanunu (KVKK) hükümlerinin gerektirdiği şekilde")
							if status == "sent" {
								want = append(want, "1 Ocak 2027 tarihinde sona ermiş olup bugüne kadar herhangi bir cevap almadım.")
								if extended {
									want = append(want, ", şirketçe uzatılmış hâliyle,")
								}
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "Başvurumu reddetmiş bulunuyorsunuz.")
							} else {
								want = append(want, "Şirket başvurumu reddetmiştir.")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "Ancak verdiğiniz cevap başvurumu tam olarak karşılamamaktadır.")
							} else {
								want = append(want, "Şirket başvurumu yalnızca kısmen cevaplandırmıştır.")
							}
						default:
							if kind == "reminder" {
								want = append(want, "Bugüne kadar tarafınızdan herhangi bir cevap almadım.")
							}
						}
						wantAll(t, name, text, want)
						// A complaint goes to the authority: "tarafınıza" there is the authority, not the company.
						if kind == "complaint" && strings.Contains(text, "tarafınıza ulaş") {
							t.Errorf("%s: the complaint speaks to the company:\n%s", name, text)
						}
						checkTurkish(t, name, text, lw)
						if of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestTurkishReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period recalls the date it asked for, or a reasonable time,
// never as a legal period.
func TestTurkishReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	kvkk, err := laws.Get("kvkk")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		due, requested time.Time
		want           string
	}{
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, "Cevabınızı en geç 1 Ocak 2027 tarihine kadar vermeniz gerekmektedir (KVKK m. 13/2 uyarınca başvurunun alındığı tarihten itibaren 30 gün içinde)."},
		{time.Time{}, time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC), "Başvuruma 16 Aralık 2026 tarihine kadar cevap vermenizi rica etmiştim. Bugüne kadar"},
		{time.Time{}, time.Time{}, "Başvuruma makul bir süre içinde cevap vermenizi rica etmiştim. Bugüne kadar"},
	} {
		req := sampleRequest(kvkk)
		req.Kind, req.Language = "reminder", "tr"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Requested: c.requested, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "2 Aralık 2026 tarihli başvurum (kişisel verilerimin işlenmesine itiraz)", "KVKK m. 11/1-g uyarınca yaptığım başvuruyu (kişisel verilerimin işlenmesine itiraz)"} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v, requested %v: the reminder lacks %q:\n%s", c.due, c.requested, want, text)
			}
		}
	}
}
