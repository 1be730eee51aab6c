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

// chineseRegimes are the regimes templates/zh/laws/ has words for.
func chineseRegimes(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(templates.Embedded(), "zh/laws/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no zh/laws/*.yaml embedded: %v", err)
	}
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(n, "zh/laws/"), ".yaml"))
	}
	return ids
}

// latinInChinese finds Latin letters: a Chinese letter has none outside
// names, addresses, references and e-mail headers, which checkChinese
// takes out first; an English sentence the Chinese words lack would show.
var latinInChinese = regexp.MustCompile(`[A-Za-z]+`)

// Chinese writes no space between words or sentences and uses full-width
// punctuation next to Chinese characters; a space or an ASCII mark there
// is a template that was written as if for a European language.
var (
	spaceInChinese = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}] |` +
		` [\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]`)
	asciiPunctInChinese = regexp.MustCompile(`\p{Han}[,.;:!?()]|[,;:!?(]\p{Han}`)
)

// chineseFlaws are what a letter put together from pieces shows where a
// piece is missing or doubled.
var chineseFlaws = []string{"<no value>", "（）", "，，", "。。", "，。", "。，", "：：", "；。", "《》", "的的"}

// chineseParts are the parts of a letter its templates write: the subject,
// the salutation, every paragraph and list item, the close. (The labels
// "编号：" and "事由：" of the text form: labels.colon in zh/words.yaml.)
func chineseParts(l *Letter) []string {
	parts := []string{l.Subject, l.Opening, l.Closing}
	for _, b := range l.Body {
		if b.Text != "" {
			parts = append(parts, b.Text)
		}
		parts = append(parts, b.Items...)
	}
	return parts
}

func checkChinese(t *testing.T, name string, l *Letter, names ...string) {
	t.Helper()
	names = append(names, "Message-ID", "ERASE-20261202-ABCDEF", l.Reference, "AliExpress", "Alibaba Group",
		"Alibaba.com Singapore E-Commerce Private Limited", "8 Shenton Way, Singapore 068811",
		"Zoë Łukasiewicz", "zoe@example.org", "Müllerstraße 12, 10115 Berlin", "zoe_l",
		"dataprotection.ae@aliexpress.com", "x.1@example.org", "ID")
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, part := range chineseParts(l) {
		stripped := part
		for _, s := range names {
			stripped = strings.ReplaceAll(stripped, s, "")
		}
		if m := latinInChinese.FindAllString(stripped, -1); len(m) > 0 {
			t.Errorf("%s: Latin words in the Chinese letter (%v): %q", name, m, part)
		}
		if m := spaceInChinese.FindAllString(part, -1); len(m) > 0 {
			t.Errorf("%s: a space next to Chinese text (%q): %q", name, m, part)
		}
		if m := asciiPunctInChinese.FindAllString(part, -1); len(m) > 0 {
			t.Errorf("%s: ASCII punctuation next to Chinese text (%q): %q", name, m, part)
		}
		for _, bad := range chineseFlaws {
			if strings.Contains(part, bad) {
				t.Errorf("%s: the letter contains %q: %q", name, bad, part)
			}
		}
	}
}

// TestChineseLetters writes every kind each regime with Chinese words
// grants, in Chinese, directly and through a group, with every detail
// given, and checks that it is Chinese from the salutation to the close:
// "尊敬的个人信息保护负责人：", the law's full name once with its short
// name, the provisions as the law numbers them ("《个人信息保护法》第四十七条"),
// the date "2026年11月27日", "顺颂商祺", no English sentence.
func TestChineseLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, id := range chineseRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Errorf("zh/laws/%s.yaml: no such regime: %v", id, err)
			continue
		}
		lw, err := tmpls.LawWords("zh", id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		kinds := r.Kinds()
		if id == "pipl" && strings.Join(kinds, " ") != "access erasure objection rectification" {
			t.Errorf("pipl grants %v: write the Chinese letters of the new kinds", kinds)
		}
		for _, kind := range kinds {
			for _, group := range []string{"", "Alibaba Group"} {
				req := sampleRequest(r)
				req.Kind, req.Language, req.GroupName = kind, "zh", group
				req.Details = map[string][]string{
					"correction": {"本人的通信地址应更正为上海市黄浦区中山东一路1号。"},
					"situation":  {"本人已注销该账户。"},
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
				if l.Opening != "尊敬的个人信息保护负责人：" || l.Closing != "顺颂商祺" {
					t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
				}
				if !strings.Contains(text, "2026年11月27日") {
					t.Errorf("%s: no Chinese date", name)
				}
				rw := lw.Requests[kind]
				want := []string{"（" + rw.Provision + "）——AliExpress账户，编号：" + l.Reference,
					"本请求系依据" + lw.Name + "（以下简称" + lw.ShortName + "）提出，具体依据为" + rw.Provision + "。",
					"事由：", "编号：", "请根据以下信息查找本人的AliExpress账户：", "- 姓名：Zoë Łukasiewicz",
					"- 电子邮箱：zoe@example.org", "- 用户名：zoe_l", "- 订单号：8123456789",
					"- 通信地址：Müllerstraße 12, 10115 Berlin",
					"如未能按期收到完整答复，本人将考虑向国家网信部门或者其他履行个人信息保护职责的部门投诉。"}
				for _, g := range rw.Grounds {
					want = append(want, "- "+g.Letter+"（"+g.Provision+"）")
				}
				if rw.Requested != nil {
					want = append(want, "在"+rw.Requested.Words+"内，即不晚于")
				}
				switch kind {
				case "erasure":
					want = append(want, "关于删除本人个人信息的请求", "本人请求贵公司删除所持有的本人全部个人信息，并注销本人的AliExpress账户。",
						"在30日内，即不晚于2026年12月27日，以书面形式确认已执行本请求。", "第四十七条第一款第一项")
				case "access":
					want = append(want, "关于查阅、复制本人个人信息的请求", "请允许本人查阅、复制贵公司所处理的本人个人信息。",
						"在15日内，即不晚于2026年12月12日，答复本请求。")
				case "rectification":
					want = append(want, "关于更正、补充本人个人信息的请求", "- 本人的通信地址应更正为上海市黄浦区中山东一路1号。", "第四十六条第二款")
				case "objection":
					want = append(want, "关于限制、拒绝处理本人个人信息的请求", "本人的具体情况如下：本人已注销该账户。")
				}
				if group != "" {
					want = append(want, "贵公司被列为Alibaba Group的个人信息保护联系人，因此本人就AliExpress账户致函贵公司。",
						"请贵公司就Alibaba Group旗下与该账户相关、处理本人个人信息的每一家公司处理本请求，")
				}
				wantAll(t, name, text, want)
				// The law's full name once; after it, the short name.
				if n := strings.Count(text, lw.Name); n != 1 {
					t.Errorf("%s: the law's full name %d times, want once", name, n)
				}
				checkChinese(t, name, l)
				if kind == "erasure" && group == "" {
					logLetter(t, name, l)
				}
			}
		}
	}
}

// TestChineseWords: the words a Chinese letter states outside its
// templates: the date, the labels, the names of the kinds a follow-up
// letter refers to.
func TestChineseWords(t *testing.T) {
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d    time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "2026年12月1日"},
		{time.Date(2027, 2, 14, 0, 0, 0, 0, time.UTC), "2027年2月14日"},
	} {
		if got := w.FormatDate(c.d); got != c.want {
			t.Errorf("date: %q, want %q", got, c.want)
		}
	}
	if got := w.Page(1, 2); got != "第1页，共2页" {
		t.Errorf("page: %q", got)
	}
	// "此致敬礼" on one line is wrong: the closing is one line.
	if w.Closing != "顺颂商祺" || w.Opening != "尊敬的个人信息保护负责人：" {
		t.Errorf("opening %q, closing %q", w.Opening, w.Closing)
	}
	kinds, err := tmpls.Kinds()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if w.Kinds[k.ID] == "" {
			t.Errorf("zh/words.yaml: no name for the kind %q", k.ID)
		}
	}
	for id, want := range map[string]string{"erasure": "删除个人信息的请求", "access": "查阅、复制个人信息的请求",
		"rectification": "更正、补充个人信息的请求", "objection": "限制、拒绝处理个人信息的请求", "reminder": "催告函", "complaint": "投诉"} {
		if w.Kinds[id] != want {
			t.Errorf("zh/words.yaml: kinds.%s = %q, want %q", id, w.Kinds[id], want)
		}
	}
	for key, want := range map[string]string{"username": "用户名", "user-id": "用户ID", "order-number": "订单号", "passport-number": "护照号码"} {
		if got := w.AccountLabel(key); got != want {
			t.Errorf("account label %s: %q, want %q", key, got, want)
		}
	}
	// Periods sit between "在" and "内"; list items end without a mark;
	// provisions cite the law by its Chinese numbering.
	article := regexp.MustCompile(`^《[^》]+》第[一二三四五六七八九十百]+条(第[一二三四五六七八九十]+款)?(第[一二三四五六七八九十]+项)?(、第[一二三四五六七八九十百]+条)*$`)
	for _, id := range chineseRegimes(t) {
		lw, err := tmpls.LawWords("zh", id)
		if err != nil {
			t.Fatal(err)
		}
		for kind, rw := range lw.Requests {
			if !article.MatchString(rw.Provision) {
				t.Errorf("%s %s: provision %q", id, kind, rw.Provision)
			}
			for name, p := range map[string]*templates.PeriodWords{"deadline": rw.Deadline, "requested": rw.Requested,
				"extension": rw.Extension, "confirmation": rw.Confirmation} {
				if p != nil && !regexp.MustCompile(`^[0-9]+(日|个工作日|个月)$`).MatchString(p.Words) {
					t.Errorf("%s %s.%s: %q does not read between \"在\" and \"内\"", id, kind, name, p.Words)
				}
			}
			for i, g := range rw.Grounds {
				if g.Letter == "" || strings.ContainsAny(g.Letter[len(g.Letter)-3:], "。；，") {
					t.Errorf("%s %s.grounds[%d]: a list item ends without a mark: %q", id, kind, i, g.Letter)
				}
				if !article.MatchString(g.Provision) {
					t.Errorf("%s %s.grounds[%d]: provision %q", id, kind, i, g.Provision)
				}
			}
		}
	}
}

// TestChineseFollowUps writes, for every regime with Chinese words, a
// reminder and a complaint about a request of every kind it grants, in
// each state the ledger marks, and checks that they are Chinese
// throughout and state the original request: its Chinese name, reference
// and dates. The PIPL sets no period: the ledger has the date the request
// asked for, which the letters recall as asked, never as a legal period.
func TestChineseFollowUps(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	w, err := tmpls.Words("zh")
	if err != nil {
		t.Fatal(err)
	}
	requested := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	reminded := time.Date(2027, 1, 8, 0, 0, 0, 0, time.UTC)
	for _, id := range chineseRegimes(t) {
		r, err := laws.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := tmpls.LawWords("zh", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"reminder", "complaint"} {
			for _, of := range r.Kinds() {
				for _, status := range []string{"sent", "refused", "partial"} {
					for _, group := range []bool{false, true} {
						req := sampleRequest(r)
						req.Kind, req.Language = kind, "zh"
						req.Date = time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)
						what := "贵公司要求本人提供护照复印件。"
						if kind == "complaint" {
							what = "该公司要求本人提供护照复印件。"
						}
						req.Details = map[string][]string{"what": {what}}
						req.Original = followedUp(of, status)
						req.Original.Requested = requested
						if kind == "complaint" {
							req.Original.Reminders = []time.Time{reminded}
							req.Recipient = Party{Name: "国家互联网信息办公室", Address: []string{"北京市西城区车公庄大街11号"}}
							req.Respondent = respondent()
							if status == "refused" {
								req.Original.Note = "该公司称须保留全部信息十年"
							}
						} else if group {
							req.GroupName = "Alibaba Group"
						}
						name := id + " " + kind + " of " + of + " (" + status + ")"
						if group {
							name += " group"
						}
						l, err := Compose(req, tmpls)
						if err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						text := composedText(t, l) + " " + l.Subject
						kindName := w.Kinds[of]
						rw := lw.Requests[of]
						want := []string{"本人于2026年12月2日提出的" + kindName, "ERASE-20261202-ABCDEF", what}
						if kind == "reminder" {
							if l.Opening != "尊敬的个人信息保护负责人：" || l.Closing != "顺颂商祺" {
								t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
							}
							want = append(want, "催告函：本人于2026年12月2日提出的"+kindName+"——AliExpress账户，编号：ERASE-20261202-ABCDEF",
								"本人已于2026年12月2日依据"+rw.Provision+"向贵公司提出"+kindName+"，编号为ERASE-20261202-ABCDEF（电子邮件Message-ID：<x.1@example.org>）。",
								"本人曾请贵公司不晚于2027年1月1日作出答复，但", "本人请贵公司不再拖延，最迟于2027年2月3日完整答复本人的请求。",
								"- 用户名：zoe_l", "如届时仍未收到完整答复，本人将向国家网信部门或者其他履行个人信息保护职责的部门投诉。")
							if group {
								want = append(want, "贵公司被列为Alibaba Group的个人信息保护联系人", "每一家公司处理本人的上述请求，")
							}
							switch status {
							case "refused":
								want = append(want, "作出答复，但贵公司已拒绝本人的请求。")
							case "partial":
								want = append(want, "作出答复，但贵公司的答复并未涵盖本人请求的全部内容。")
							default:
								want = append(want, "作出答复，但本人至今未收到贵公司的答复。")
							}
						} else {
							if l.Opening != "您好：" || l.Closing != "特此投诉。" {
								t.Errorf("%s: opening %q, closing %q", name, l.Opening, l.Closing)
							}
							want = append(want, "关于Alibaba.com Singapore E-Commerce Private Limited的投诉：本人于2026年12月2日提出的"+kindName+"（AliExpress账户，编号：ERASE-20261202-ABCDEF）",
								"本人现对Alibaba.com Singapore E-Commerce Private Limited（地址：8 Shenton Way, Singapore 068811）提出投诉。",
								"该公司未按照"+lw.Name+"（以下简称"+lw.ShortName+"）的要求处理本人就AliExpress账户提出的"+kindName+"。",
								"- 姓名：Zoë Łukasiewicz", "本人于2026年12月2日依据"+rw.Provision+"，通过电子邮件（发送至dataprotection.ae@aliexpress.com）向Alibaba.com Singapore E-Commerce Private Limited提出"+kindName+"，编号为ERASE-20261202-ABCDEF（Message-ID：<x.1@example.org>）。",
								"本人已于2027年1月8日提醒该公司。", "恳请贵部门调查处理本人的投诉，督促Alibaba.com Singapore E-Commerce Private Limited依法处理本人的请求，并将投诉的处理进展和结果告知本人。",
								"其中均载有编号ERASE-20261202-ABCDEF。")
							switch status {
							case "refused":
								want = append(want, "后续情况：Alibaba.com Singapore E-Commerce Private Limited拒绝了本人的请求（该公司称须保留全部信息十年）。")
							case "partial":
								want = append(want, "后续情况：Alibaba.com Singapore E-Commerce Private Limited仅答复了本人请求的部分内容。")
							default:
								want = append(want, "后续情况：本人曾请该公司不晚于2027年1月1日作出答复，但未收到任何答复。")
							}
							// A complaint goes to the authority, not to the company.
							if strings.Contains(text, "贵公司") {
								t.Errorf("%s: the complaint speaks to the company:\n%s", name, text)
							}
						}
						wantAll(t, name, text, want)
						// No legal period where the law sets none.
						if strings.Contains(text, "届满") {
							t.Errorf("%s: a period the law does not set has ended:\n%s", name, text)
						}
						checkChinese(t, name, l)
						if of == "erasure" && status == "sent" && !group {
							logLetter(t, name, l)
						}
					}
				}
			}
		}
	}
}

// TestChineseReminderPeriods: a reminder about a request whose period
// the ledger has (a law with one, or before it ends: erase letter
// --force) states it; one with no date at all asks for a reasonable time.
func TestChineseReminderPeriods(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	pipl, err := laws.Get("pipl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		date, due time.Time
		extended  bool
		want      string
	}{
		{time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), false, "贵公司应当最迟于2027年1月1日作出答复，但本人至今未收到贵公司的答复。"},
		{time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true, "贵公司的答复期限经贵公司延长后已于2027年1月1日届满，但本人至今未收到贵公司的答复。"},
		{time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), time.Time{}, false, "本人曾请贵公司在合理期限内作出答复，但本人至今未收到贵公司的答复。"},
	} {
		req := sampleRequest(pipl)
		req.Kind, req.Language, req.Date = "reminder", "zh", c.date
		req.Original = &Original{Reference: "ERASE-20261202-ABCDEF", Kind: "objection", Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
			Due: c.due, Extended: c.extended, Status: "sent"}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		text := composedText(t, l) + " " + l.Subject
		for _, want := range []string{c.want, "本人于2026年12月2日提出的限制、拒绝处理个人信息的请求",
			"依据《个人信息保护法》第四十四条向贵公司提出限制、拒绝处理个人信息的请求"} {
			if !strings.Contains(text, want) {
				t.Errorf("due %v: the reminder lacks %q:\n%s", c.due, want, text)
			}
		}
		checkChinese(t, "reminder", l)
	}
}

// TestChineseTextWrap: the plain-text form wraps at spaces, which Chinese
// does not write, so a Chinese paragraph stays one line however long (or
// breaks only at the spaces of a Latin name in it). Whatever the wrapping,
// every paragraph and item reaches the text whole: only line breaks in
// place of spaces, never a lost or added character.
func TestChineseTextWrap(t *testing.T) {
	pipl, err := mustLaws(t).Get("pipl")
	if err != nil {
		t.Fatal(err)
	}
	tmpls := templates.New(nil, templates.Embedded())
	for _, kind := range pipl.Kinds() {
		req := sampleRequest(pipl)
		req.Kind, req.Language, req.GroupName = kind, "zh", "Alibaba Group"
		if kind == "rectification" {
			req.Details = map[string][]string{"correction": {"本人的通信地址应更正为上海市黄浦区中山东一路1号。"}}
		}
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := WriteText(&b, l); err != nil {
			t.Fatal(err)
		}
		squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
		text := squeeze(b.String())
		for _, part := range chineseParts(l) {
			if !strings.Contains(text, squeeze(part)) {
				t.Errorf("%s: %q did not reach the text whole:\n%s", kind, part, b.String())
			}
		}
	}
}
