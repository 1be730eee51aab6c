package letters

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/templates"
)

// japaneseRegimes are the regimes templates/ja/laws/ has words for.
func japaneseRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "ja/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no ja/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "ja/laws/"), ".yaml"))
	}
	return ids
}

// latinInJapanese finds a Latin word: once the names, addresses, e-mail
// addresses and references are taken out, a Japanese letter has none, so
// one is an English sentence the Japanese words lack.
var latinInJapanese = regexp.MustCompile(`[A-Za-z]{2,}`)

// japaneseFlaws are what a letter put together from pieces shows where a
// piece is missing or doubled. Japanese puts no space between words: an
// ASCII space or ASCII punctuation in the text (names taken out) is a line
// break of a template that reached the letter, or an English pattern.
var japaneseFlaws = []string{"<no value>", " ", ",", "(", ")", ":", "。。", "、。", "。、", "、、", "（）", "（。", "「」", "\u3000"}

// japaneseNames are the values a letter carries as they are.
func japaneseNames(l *Letter, req Request) []string {
	names := []string{"Message-ID", "<x.1@example.org>", "x.1@example.org", req.Service, req.GroupName, l.Reference,
		req.Requester.Name, req.Requester.Email, strings.Join(req.Requester.Address, ", "), req.Recipient.Name, req.Recipient.Email}
	names = append(names, req.Requester.Address...)
	names = append(names, req.Recipient.Address...)
	for _, a := range req.Accounts {
		names = append(names, a.Value)
	}
	if o := req.Original; o != nil {
		names = append(names, o.Reference, o.Contact)
	}
	if p := req.Respondent; p != nil {
		names = append(names, p.Name, strings.Join(p.Address, ", "))
	}
	for _, vs := range req.Details {
		names = append(names, vs...)
	}
	// Longest first, so a name inside another goes with it.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

// checkJapanese checks the subject and every paragraph and item of the
// body: Japanese throughout, no space, no English word.
func checkJapanese(t *testing.T, name string, l *Letter, req Request) {
	t.Helper()
	parts := []string{l.Subject}
	for _, b := range l.Body {
		parts = append(parts, b.Text)
		parts = append(parts, b.Items...)
	}
	names := japaneseNames(l, req)
	for _, p := range parts {
		if p == "" {
			continue
		}
		stripped := p
		for _, n := range names {
			if n != "" {
				stripped = strings.ReplaceAll(stripped, n, "")
			}
		}
		if m := latinInJapanese.FindAllString(stripped, -1); len(m) > 0 {
			t.Errorf("%s: English in the Japanese letter (%v): %s", name, m, p)
		}
		for _, bad := range japaneseFlaws {
			if strings.Contains(stripped, bad) {
				t.Errorf("%s: the letter contains %q: %s", name, bad, p)
			}
		}
	}
}

// TestJapaneseLetters writes every kind each regime with Japanese words
// grants, in Japanese, directly and through a group, with every detail
// given, and checks that it is Japanese from the salutation to the close:
// 「拝啓」, the Act by its name, the Japanese date, 「敬具」, no English
// sentence, no space between words.
func TestJapaneseLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range japaneseRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("ja/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("ja", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		sort.Strings(kinds)
		if id == "appi" && strings.Join(kinds, " ") != "access erasure objection rectification" {
			t.Errorf("appi grants %v: write the Japanese letters of the new kinds", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "ja", group
				req.Details = map[string][]string{
					"correction": {"登録されている私の住所は誤りであり、正しくは東京都千代田区霞が関一丁目1番1号です。"},
					"situation":  {"私は既にアカウントを利用しておりません。"},
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
				text := composedText(t, l) + " " + l.Subject
				if l.Opening != "拝啓" || l.Closing != "敬具" {
					t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
				}
				if len(l.Body) == 0 || l.Body[0].Text != "時下ますますご清栄のこととお慶び申し上げます。" {
					t.Errorf("%s: the body does not open with the greeting after 拝啓: %+v", name, l.Body)
				}
				if !strings.Contains(text, "2026年11月27日") {
					t.Errorf("%s: no Japanese date", name)
				}
				rw := lw.Requests[kind]
				want := []string{rw.Provision + "に基づく", "件名：", "整理番号：", "整理番号：" + l.Reference + "）",
					"さて、私は、", lw.Name + "（以下「" + lw.ShortName + "」といいます。）に基づき、" + lw.Terms.Person + "として行うものです。",
					"私のAliExpressアカウントは、以下の情報によりご確認いただけます。",
					"氏名：Zoë Łukasiewicz", "メールアドレス：zoe@example.org", "ユーザー名：zoe_l", "注文番号：8123456789",
					"住所：Müllerstraße 12, 10115 Berlin",
					"期限までに完全なご回答をいただけない場合には、個人情報保護委員会への苦情の申出を検討いたします。"}
				for _, g := range rw.Grounds {
					want = append(want, g.Letter+"（"+g.Provision+"）。")
				}
				if rw.Requested != nil {
					want = append(want, rw.Requested.Words+"以内、すなわち")
				}
				switch kind {
				case "erasure":
					want = append(want, "個人情報保護法に基づく個人情報の消去の請求（AliExpressアカウント",
						"私に関する個人情報をすべて消去し、私のAliExpressアカウントを閉鎖するよう請求いたします。",
						"本請求の趣旨及び根拠は、次のとおりです。", "利用の停止及び消去を求めること",
						"30日以内、すなわち2026年12月27日までに、書面によりご連絡くださいますようお願い申し上げます。")
				case "access":
					want = append(want, "個人情報保護法に基づく個人情報の開示の請求（", "具体的には、次の事項を請求いたします。",
						"取り扱っている場合には、私が識別される保有個人データを開示するよう請求いたします。",
						"14日以内、すなわち2026年12月11日までにご回答くださいますようお願い申し上げます。")
				case "rectification":
					want = append(want, "個人情報保護法に基づく個人情報の訂正等の請求（", "訂正を求める内容は、次のとおりです。",
						"- 登録されている私の住所は誤りであり", "訂正、追加又は削除")
				case "objection":
					want = append(want, "個人情報保護法に基づく個人情報の利用停止の請求（", "利用の停止を求めること",
						"私の個別の事情は、次のとおりです。私は既にアカウントを利用しておりません。")
				}
				if group != "" {
					want = append(want, "Alibaba Groupの個人情報の取扱いに関するお問合せ窓口として貴社のご連絡先が示されておりますので、私のAliExpressアカウントについて貴社にご連絡申し上げます。本請求につきましては、Alibaba Groupに属する会社のうち")
				}
				wantAll(t, name, text, want)
				// The Act's article numbers were not confirmed: the letter cites it by name.
				if regexp.MustCompile(`第[0-9０-９一二三四五六七八九十]+条`).MatchString(text) {
					t.Errorf("%s: the letter cites an article the data does not confirm:\n%s", name, text)
				}
				checkJapanese(t, name, l, req)
				if kind == "erasure" && group == "" {
					logLetter(t, name, l)
				}
			}
		}
	}
}

// TestJapaneseWords: the words a Japanese letter states outside its
// templates: the date, the labels, the names of the kinds a follow-up
// letter refers to, and the law's words where the templates put them.
func TestJapaneseWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("ja")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d    time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "2026年12月1日"},
		{time.Date(2027, 2, 14, 0, 0, 0, 0, time.UTC), "2027年2月14日"},
		{time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), "2027年1月31日"},
	} {
		if got := w.FormatDate(c.d); got != c.want {
			t.Errorf("date: %q, want %q", got, c.want)
		}
		if onLetter := w.For("letter"); onLetter.FormatDate(c.d) != c.want {
			got := onLetter.FormatDate(c.d)
			t.Errorf("date on letter paper: %q, want %q", got, c.want)
		}
	}
	if got := w.Page(1, 2); got != "1/2ページ" {
		t.Errorf("page: %q", got)
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("ja/words.yaml: no name for the kind %q", k.ID)
		}
	}
	for id, want := range map[string]string{"erasure": "個人情報の消去の請求", "access": "個人情報の開示の請求",
		"rectification": "個人情報の訂正等の請求", "objection": "個人情報の利用停止の請求", "reminder": "督促", "complaint": "苦情の申出"} {
		if w.Kinds[id] != want {
			t.Errorf("ja/words.yaml: kinds.%s = %q, want %q", id, w.Kinds[id], want)
		}
	}
	for key, want := range map[string]string{"username": "ユーザー名", "order-number": "注文番号", "passport-number": "旅券番号", "email": "アカウントに登録されたメールアドレス"} {
		if got := w.AccountLabel(key); got != want {
			t.Errorf("account label %s: %q, want %q", key, got, want)
		}
	}
	// Period words sit before 「以内」; grounds are items that end in 「こと」,
	// without the full stop the template adds; no word has a space.
	for _, id := range japaneseRegimes(t) {
		lw, err := tmpls.LawWords("ja", id)
		if err != nil {
			t.Fatal(err)
		}
		for kind, rw := range lw.Requests {
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p != nil && !regexp.MustCompile(`[0-9]+(日|か月|営業日)$`).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read before 「以内」", id, kind, name, p.Words)
				}
			}
			for i, g := range rw.Grounds {
				if !strings.HasSuffix(g.Letter, "こと") {
					t.Errorf("%s %s.grounds[%d]: an item ends in 「こと」, without a full stop: %q", id, kind, i, g.Letter)
				}
				if strings.ContainsAny(g.Letter+g.Provision, " \u3000") {
					t.Errorf("%s %s.grounds[%d]: a space in Japanese: %q", id, kind, i, g.Letter)
				}
			}
		}
	}
}

// TestJapaneseFollowUps writes, for every regime with Japanese words, a
// reminder and a complaint about a request of every kind it grants, in
// each state the ledger marks, and checks that they are Japanese
// throughout and state the original request: its Japanese name, reference
// and dates.
func TestJapaneseFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("ja")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range japaneseRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("ja", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, extended := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "ja"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "貴社は、私の旅券の写しの提出を求められました。"
						if kind == "complaint" {
							what = "同社は、私の旅券の写しの提出を求めました。"
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Due, req.Original.Extended, req.Original.Note = due, extended, "全部保存"
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = Party{Name: "個人情報保護委員会", Address: []string{"〒100-0013 東京都千代田区霞が関3-2-1", "霞が関コモンゲート西館32階"}}
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
						text := composedText(t, l) + " " + l.Subject
						if l.Opening != "拝啓" || l.Closing != "敬具" {
							t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
						}
						kindName := w.Kinds[of]
						rw := lw.Requests[of]
						want := []string{"2026年12月2日付けの" + kindName, "整理番号：ERASE-20261202-ABCDEF）", what,
							rw.Provision + "に基づく" + kindName + "を"}
						if kind == "reminder" {
							want = append(want, "2026年12月2日付けの"+kindName+"に対するご回答の督促（AliExpressアカウント、整理番号：ERASE-20261202-ABCDEF）",
								"さて、私は、2026年12月2日付けで、", "を、整理番号ERASE-20261202-ABCDEFを付して貴社にお送りいたしました（電子メールのMessage-ID：<x.1@example.org>）。",
								"は、2027年1月1日をもって経過しております。",
								"つきましては、私の請求に対し、これ以上遅滞することなく、遅くとも2027年2月3日までに、その全部についてご回答くださいますようお願い申し上げます。",
								"ユーザー名：zoe_l",
								"同日までに完全なご回答をいただけない場合には、個人情報保護委員会に苦情の申出を行う所存です。")
							if rw.Refusal != nil {
								want = append(want, rw.Refusal.Letter)
							}
							if extended {
								want = append(want, "貴社が延長された後のご回答の期限は、", "Alibaba Groupの個人情報の取扱いに関するお問合せ窓口として", "私の請求につきましては、Alibaba Groupに属する会社のうち")
							}
						} else {
							want = append(want, "Alibaba.com Singapore E-Commerce Private Limitedに関する苦情の申出：2026年12月2日付けの"+kindName+"について",
								"さて、私は、Alibaba.com Singapore E-Commerce Private Limited（所在地：8 Shenton Way, Singapore 068811。以下「同社」といいます。）について、苦情の申出をいたします。",
								"同社は、私のAliExpressアカウントに関する私の"+kindName+"に対し、"+lw.Name+"（以下「"+lw.ShortName+"」といいます。）の定めるところに従った対応をしておりません。",
								"申出人の情報は、次のとおりです。", "氏名：Zoë Łukasiewicz", "住所：Müllerstraße 12, 10115 Berlin",
								"請求の内容：私は、2026年12月2日、", "dataprotection.ae@aliexpress.com宛ての電子メールにより、整理番号ERASE-20261202-ABCDEFを付して同社に送付いたしました（Message-ID：<x.1@example.org>）。",
								"2027年1月8日には、同社に対し督促を行いました。",
								"つきましては、貴委員会におかれましては、本件についてご調査いただき、同社が個人情報保護法の定めるところに従って私の請求に対応するよう必要な措置を講じていただくとともに、本申出の処理の経過及び結果をお知らせくださいますようお願い申し上げます。",
								"これらにはいずれも整理番号ERASE-20261202-ABCDEFが付されております。")
							if status == "sent" {
								want = append(want, "をもって経過しましたが、現在まで同社から回答を受けておりません。")
								if extended {
									want = append(want, "その後の経過：同社が延長した後の回答の期限は、2027年1月1日をもって経過しました")
								} else {
									want = append(want, "その後の経過：同社の回答の期限は、2027年1月1日をもって経過しました")
								}
							}
						}
						switch status {
						case "refused":
							if kind == "reminder" {
								want = append(want, "しかしながら、貴社からは、私の請求に応じられない旨のご回答をいただいております。")
							} else {
								want = append(want, "その後の経過：同社は、私の請求を拒否しました（全部保存）。")
							}
						case "partial":
							if kind == "reminder" {
								want = append(want, "しかしながら、いただいたご回答は、私の請求の全部に対応するものではございません。")
							} else {
								want = append(want, "その後の経過：同社は、私の請求の一部についてのみ回答しました（全部保存）。")
							}
						default:
							if kind == "reminder" {
								want = append(want, "しかしながら、現在までご回答をいただいておりません。")
							}
						}
						wantAll(t, name, text, want)
						// A complaint goes to the authority: it never speaks to the company.
						if kind == "complaint" && strings.Contains(text, "貴社") {
							t.Errorf("%s: the complaint speaks to the company:\n%s", name, text)
						}
						checkJapanese(t, name, l, req)
						if of == "erasure" && (status == "sent" && !extended || kind == "reminder" && status == "partial" && extended) {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestJapaneseReminderPeriods: a reminder before the period ends (erase
// letter --force) says when the answer is due; one about a request whose
// law sets no period recalls the date it asked for, or a reasonable time,
// never as a legal period.
func TestJapaneseReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	appi, err := laws.Get("appi")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		due, requested time.Time
		want           string
	}{
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, "ご回答の期限は、2027年1月1日となっております。しかしながら、"},
		{time.Time{}, time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC), "私は、2026年12月16日までにご回答くださるようお願いしておりました。しかしながら、"},
		{time.Time{}, time.Time{}, "私は、相当の期間内にご回答くださるようお願いしておりました。しかしながら、"},
	} {
		req := sampleRequest(appi)
		req.Kind, req.Language = "reminder", "ja"
		req.Date = time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Requested: c.requested, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := composedText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "2026年12月2日付けの個人情報の利用停止の請求に対するご回答の督促", "個人情報保護法に基づく個人情報の利用停止の請求を、整理番号ERASE-20261202-ABCDEFを付して"} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v, requested %v: the reminder lacks %q:\n%s", c.due, c.requested, want, text)
			}
		}
		if strings.Contains(text, "期間の末日") {
			t.Errorf("due %v, requested %v: the reminder states a legal period the law's data does not settle:\n%s", c.due, c.requested, text)
		}
		checkJapanese(t, "reminder", l, req)
	}
}
