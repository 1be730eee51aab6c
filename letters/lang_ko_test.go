package letters

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/erase-cli/erase/templates"
)

// koreanRegimes are the regimes templates/ko/laws/ has words for.
func koreanRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "ko/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no ko/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "ko/laws/"), ".yaml"))
	}
	return ids
}

// koreanNames are the names a Korean letter carries in Latin letters: of
// people, companies, streets and e-mail headers. Everything else is Korean.
var koreanNames = []string{
	"Alibaba.com Singapore E-Commerce Private Limited", "8 Shenton Way", "Singapore 068811",
	"dataprotection.ae@aliexpress.com", "AliExpress.com", "AliExpress", "Alibaba Group",
	"Zoë Łukasiewicz", "zoe@example.org", "zoe_l", "Müllerstraße 12", "10115 Berlin",
	"Message-ID", "x.1@example.org", "ERASE-20261202-ABCDEF",
}

// latin finds a word in Latin letters.
var latin = regexp.MustCompile(`[A-Za-zÀ-ɏ]+`)

// koreanFlaws are what a letter put together from pieces shows where a
// piece is missing or doubled; Korean also puts no space before the
// parenthesis of a citation ("…합니다(「개인정보 보호법」 제37조).").
var koreanFlaws = []string{"<no value>", "  ", " ,", " .", "..", ",,", "( ", " )", ". .", "()", " ;", " (", ").(", "..", "。"}

func checkKorean(t *testing.T, name, text string, l *Letter) {
	t.Helper()
	stripped := strings.ReplaceAll(text, l.Reference, "")
	for _, s := range koreanNames {
		stripped = strings.ReplaceAll(stripped, s, "")
	}
	if m := latin.FindAllString(stripped, -1); len(m) > 0 {
		t.Errorf("%s: Latin words in the Korean letter (%v):\n%s", name, m, text)
	}
	for _, bad := range koreanFlaws {
		if strings.Contains(text, bad) {
			t.Errorf("%s: the letter contains %q:\n%s", name, bad, text)
		}
	}
	// The plain text wraps at spaces within TextWidth runes: Korean puts
	// spaces between words, so no line but a single long word is longer.
	var b strings.Builder
	if err := WriteText(&b, l); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if utf8.RuneCountInString(line) > TextWidth && strings.Contains(strings.TrimSpace(line), " ") {
			t.Errorf("%s: a line of %d runes: %q", name, utf8.RuneCountInString(line), line)
		}
	}
}

// TestKoreanLetters writes every kind each regime with Korean words grants,
// in Korean, directly and through a group, with every detail given, and
// checks that it is Korean from the salutation to the close: "개인정보
// 보호책임자 귀하", the provisions as Korean statutes write them
// ("「개인정보 보호법」 제36조제1항"), the Korean date, "감사합니다.".
func TestKoreanLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range koreanRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("ko/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("ko", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if id == "pipa" && strings.Join(kinds, " ") != "access erasure objection rectification" {
			t.Errorf("pipa grants %v: write the Korean letters of the new kinds", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "ko", group
				req.Details = map[string][]string{
					"correction": {"제 우편 주소는 서울특별시 종로구 세종대로 1로 고쳐야 합니다."},
					"situation":  {"저는 계정을 더 이상 사용하지 않습니다."},
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
				if l.Opening != "개인정보 보호책임자 귀하" || l.Closing != "감사합니다." {
					t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
				}
				if !strings.Contains(text, "2026년 11월 27일") {
					t.Errorf("%s: no Korean date", name)
				}
				rw := lw.Requests[kind]
				want := []string{"(" + rw.Provision + ") – AliExpress 계정, 참조번호 " + l.Reference,
					"이 요구는 " + rw.Provision + "에 따른 것입니다.", "제목: ", "참조번호: ",
					"제 AliExpress 계정은 다음 정보로 확인하실 수 있습니다.", "- 성명: Zoë Łukasiewicz",
					"- 전자우편 주소: zoe@example.org", "- 아이디: zoe_l", "- 주문번호: 8123456789",
					"- 우편 주소: Müllerstraße 12, 10115 Berlin",
					"기한 내에 완전한 회신을 받지 못하면 개인정보 보호위원회에 개인정보 침해 신고를 하는 것을 검토하겠습니다."}
				for _, g := range rw.Grounds {
					if kind == "access" {
						want = append(want, "- "+g.Letter+"("+g.Provision+")")
					} else {
						want = append(want, "- "+g.Letter+"("+g.Provision+").")
					}
				}
				if rw.Deadline != nil {
					// 27 November + 10 days is Monday 7 December.
					want = append(want, "늦어도 2026년 12월 7일(그날이 대한민국의 공휴일이면 그다음 영업일)까지",
						"("+rw.Deadline.Words+" 이내, "+rw.Deadline.Provision+").")
				} else {
					want = append(want, "이 요구에 10일 이내에, 즉 늦어도 2026년 12월 7일까지 회신하여 주시기 바랍니다.")
				}
				if rw.Procedure != nil {
					want = append(want, rw.Procedure.Letter)
				}
				if rw.Refusal != nil {
					want = append(want, rw.Refusal.Letter)
				}
				switch kind {
				case "erasure":
					want = append(want, "개인정보 삭제 요구(「개인정보 보호법」 제36조제1항)", "모든 개인정보를 삭제하고 제 AliExpress 계정을 해지하여 주실 것을 요구합니다.",
						"이 요구를 이행한 사실을 지체 없이", "「개인정보 보호법 시행령」 제43조제3항", "같은 법 제35조에 따른 제 개인정보의 열람 요구를 겸하며")
				case "rectification":
					want = append(want, "개인정보 정정 요구(「개인정보 보호법」 제36조제1항)", "- 제 우편 주소는 서울특별시 종로구 세종대로 1로 고쳐야 합니다.",
						"「개인정보 보호법」 제36조제2항")
				case "access":
					want = append(want, "개인정보 열람 요구(「개인정보 보호법」 제35조제1항)", "귀사가 처리하는 제 개인정보에 대한 열람을 요구합니다.",
						"그 사본의 발급", "같은 법 시행령 제41조제2항", "같은 영 제42조제1항")
				case "objection":
					want = append(want, "개인정보 처리정지 요구 및 동의 철회(「개인정보 보호법」 제37조제1항)", "「개인정보 보호법 시행령」 제44조제2항",
						"제 특별한 사정은 다음과 같습니다. 저는 계정을 더 이상 사용하지 않습니다.")
				}
				if group != "" {
					want = append(want, "귀하께서 Alibaba Group의 개인정보 보호 연락처로 안내되어 있어 제 AliExpress 계정에 관하여 연락드립니다. 이 요구를 이 계정과 관련하여 제 개인정보를 처리하는 Alibaba Group의 모든 회사에 대하여 처리하여 주시거나, AliExpress 서비스를 담당하는 회사에")
				}
				wantAll(t, name, text, want)
				checkKorean(t, name, text, l)
				if group == "" {
					logLetter(t, name, l)
				}
			}
		}
	}
}

// TestKoreanWords: the words a Korean letter states outside its templates:
// the date ("2026년 12월 1일"), the labels, the names of the kinds a
// follow-up letter refers to, and the shape of the law's sentences.
func TestKoreanWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("ko")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "2026년 12월 1일"},
		{time.Date(2027, 2, 14, 0, 0, 0, 0, time.UTC), "2027년 2월 14일"},
	} {
		if got := w.FormatDate(c.t); got != c.want {
			t.Errorf("date: %q, want %q", got, c.want)
		}
	}
	if got := w.Page(1, 2); got != "2쪽 중 1쪽" {
		t.Errorf("page: %q", got)
	}
	if w.Labels.Reference != "참조번호" || w.Labels.Subject != "제목" || w.Labels.To != "수신" {
		t.Errorf("labels: %+v", w.Labels)
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("ko/words.yaml: no name for the kind %q", k.ID)
		}
	}
	for id, want := range map[string]string{"erasure": "개인정보 삭제 요구", "access": "개인정보 열람 요구",
		"rectification": "개인정보 정정 요구", "objection": "개인정보 처리정지 요구 및 동의 철회",
		"reminder": "회신 촉구", "complaint": "개인정보 침해 신고"} {
		if w.Kinds[id] != want {
			t.Errorf("ko/words.yaml: kinds.%s = %q, want %q", id, w.Kinds[id], want)
		}
	}
	for key, want := range map[string]string{"username": "아이디", "order-number": "주문번호", "phone": "휴대전화 번호", "some-thing": "Some Thing"} {
		if got := w.AccountLabel(key); got != want {
			t.Errorf("account label %s: %q, want %q", key, got, want)
		}
	}
	// The Act's own terms and the statutes' way of citing.
	cite := regexp.MustCompile(`^「개인정보 보호법( 시행령)?」 제[0-9]+조(제[0-9]+항)?`)
	for _, id := range koreanRegimes(t) {
		lw, err := tmpls.LawWords("ko", id)
		if err != nil {
			t.Fatal(err)
		}
		if id == "pipa" && (lw.Terms.Person != "정보주체" || lw.Terms.Organisation != "개인정보처리자" || lw.Terms.Data != "개인정보" || lw.Name != "「개인정보 보호법」") {
			t.Errorf("pipa: terms %+v, name %q", lw.Terms, lw.Name)
		}
		for kind, rw := range lw.Requests {
			if !cite.MatchString(rw.Provision) {
				t.Errorf("%s %s.provision %q is not cited as a Korean statute", id, kind, rw.Provision)
			}
			// Period words sit before "이내".
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p == nil {
					continue
				}
				if !regexp.MustCompile(`(^|부터 )[0-9]+일$`).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read before \"이내\"", id, kind, name, p.Words)
				}
				if p.Provision != "" && !cite.MatchString(p.Provision) {
					t.Errorf("%s %s.%s.provision %q is not cited as a Korean statute", id, kind, name, p.Provision)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.HasSuffix(g.Letter, ".") {
					t.Errorf("%s %s.grounds[%d]: a list item ends without a full stop (the template adds it after the citation): %q", id, kind, i, g.Letter)
				}
				if !cite.MatchString(g.Provision) {
					t.Errorf("%s %s.grounds[%d].provision %q is not cited as a Korean statute", id, kind, i, g.Provision)
				}
			}
			for name, c := range map[string]*templates.Cited{"procedure": rw.Procedure, "refusal": rw.Refusal} {
				if c != nil && !strings.HasSuffix(c.Letter, "다.") && !strings.HasSuffix(c.Letter, ").") {
					t.Errorf("%s %s.%s: not a whole Korean sentence: %q", id, kind, name, c.Letter)
				}
			}
		}
	}
}

// TestKoreanFollowUps writes, for every regime with Korean words, a
// reminder and a complaint about a request of every kind it grants, in
// each state the ledger marks, and checks that they are Korean throughout
// and state the original request: its Korean name, reference and dates.
func TestKoreanFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("ko")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range koreanRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("ko", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "ko"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "귀사는 제 여권 사본을 요구하였습니다."
						if kind == "complaint" {
							what = "이 회사는 제 여권 사본을 요구하였습니다."
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended = due, extended
						rw := lw.Requests[of]
						if rw.Deadline == nil { // access: the law sets no period, the letter asked for one
							req.Original.Due, req.Original.Requested = time.Time{}, due
						}
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = Party{Name: "개인정보 보호위원회", Address: []string{"서울특별시 종로구 세종대로 209", "정부서울청사"}}
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
						opening := "개인정보 보호책임자 귀하"
						if kind == "complaint" {
							opening = "담당자 귀하"
						}
						if l.Opening != opening || l.Closing != "감사합니다." {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := w.Kinds[of]
						want := []string{"2026년 12월 2일 자 요구(" + kindName + "), AliExpress 계정, 참조번호 ERASE-20261202-ABCDEF",
							"저는 2026년 12월 2일에 " + rw.Provision + "에 따른 요구(" + kindName + ", 참조번호 ERASE-20261202-ABCDEF)를", what}
						if kind == "reminder" {
							want = append(want, "회신 촉구 – 2026년 12월 2일 자 요구", "(전자우편의 Message-ID: <x.1@example.org>).",
								"이에 더 이상 지체하지 마시고 늦어도 2027년 2월 3일까지 제 요구에 빠짐없이 회신하여 주실 것을 요구합니다.",
								"- 아이디: zoe_l", "그때까지 완전한 회신을 받지 못하면 개인정보 보호위원회에 개인정보 침해 신고를 하겠습니다.")
							if rw.Deadline != nil {
								want = append(want, rw.Deadline.Provision+"에 따른 회신 기한("+rw.Deadline.Words+" 이내)은", "2026년 12월 14일에 만료되었습니다.")
								if extended {
									want = append(want, "은 귀사가 연장한 기한으로 보더라도 2026년 12월 14일에 만료되었습니다.")
								}
							} else {
								want = append(want, "저는 2026년 12월 14일까지 회신하여 주실 것을 요청하였습니다.")
							}
							if rw.Refusal != nil {
								want = append(want, rw.Refusal.Letter)
							}
							if extended {
								want = append(want, "귀하께서 Alibaba Group의 개인정보 보호 연락처로 안내되어 있어", "앞선 제 요구를 이 계정과 관련하여")
							}
						} else {
							want = append(want, "Alibaba.com Singapore E-Commerce Private Limited에 대한 개인정보 침해 신고 –",
								"Alibaba.com Singapore E-Commerce Private Limited(8 Shenton Way, Singapore 068811)에 대하여 개인정보 침해 사실을 신고합니다.",
								"「개인정보 보호법」에서 정한 바에 따라 처리하지 않았습니다.", "저는 2027년 1월 8일에 이 회사에 회신을 촉구하였습니다.",
								"dataprotection.ae@aliexpress.com 주소로 전자우편을 통하여 이 회사에 보냈습니다(Message-ID: <x.1@example.org>).",
								"이 사안을 검토하여 주시고", "신고 처리의 진행 상황과 결과를 저에게 알려 주시기 바랍니다.", "- 성명: Zoë Łukasiewicz",
								"같은 참조번호(ERASE-20261202-ABCDEF)가 적혀 있습니다.")
							if status == "sent" {
								if rw.Deadline != nil {
									want = append(want, "2026년 12월 14일에 만료되었으나, 저는 아무런 회신을 받지 못하였습니다.")
									if extended {
										want = append(want, "은 이 회사가 연장한 기한으로 보더라도")
									}
								} else {
									want = append(want, "저는 이 회사에 2026년 12월 14일까지 회신하여 줄 것을 요청하였으나, 아무런 회신을 받지 못하였습니다.")
								}
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "그러나 귀사는 제 요구를 거절하였습니다.")
							} else {
								want = append(want, "이 회사는 제 요구를 거절하였습니다.")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "그러나 귀사의 회신은 제 요구 전부를 다루지 않았습니다.")
							} else {
								want = append(want, "이 회사는 제 요구의 일부에 대하여만 회신하였습니다.")
							}
						default:
							if kind == "reminder" {
								want = append(want, "지금까지 귀사로부터 회신을 받지 못하였습니다.")
							}
						}
						wantAll(t, name, text, want)
						// A complaint goes to the authority: "귀사" there would be the authority.
						if kind == "complaint" && strings.Contains(text, "귀사") {
							t.Errorf("%s: the complaint speaks to the company:\n%s", name, text)
						}
						checkKorean(t, name, text, l)
						if of == "erasure" && status == "sent" && !extended {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestKoreanReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period recalls the date it asked for, or a reasonable time,
// never as a legal period.
func TestKoreanReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	pipa, err := laws.Get("pipa")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		due, requested time.Time
		want           string
	}{
		{time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), time.Time{}, "귀사는 늦어도 2026년 12월 14일까지 회신하여야 합니다(요구를 받은 날부터 10일 이내, 「개인정보 보호법 시행령」 제44조제2항). 지금까지"},
		{time.Time{}, time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC), "저는 2026년 12월 16일까지 회신하여 주실 것을 요청하였습니다. 지금까지"},
		{time.Time{}, time.Time{}, "저는 적절한 기간 안에 회신하여 주실 것을 요청하였습니다. 지금까지"},
	} {
		req := sampleRequest(pipa)
		req.Kind, req.Language = "reminder", "ko"
		req.Date = time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Requested: c.requested, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := letterText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "2026년 12월 2일 자 요구(개인정보 처리정지 요구 및 동의 철회)",
			"「개인정보 보호법」 제37조제1항에 따른 요구(개인정보 처리정지 요구 및 동의 철회, 참조번호 ERASE-20261202-ABCDEF)를 귀사에 보냈습니다."} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v, requested %v: the reminder lacks %q:\n%s", c.due, c.requested, want, text)
			}
		}
		checkKorean(t, "reminder", text, l)
	}
}
