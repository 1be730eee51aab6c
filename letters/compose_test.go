package letters

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

func mustLaws(t testing.TB) *jurisdictions.Set {
	t.Helper()
	s, err := jurisdictions.Load(jurisdictions.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sampleRequest(r *jurisdictions.Regime) Request {
	return Request{
		Date:      time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Regime:    r,
		Requester: Party{Name: "Zoë Łukasiewicz", Email: "zoe@example.org", Address: []string{"Müllerstraße 12", "10115 Berlin"}},
		Accounts:  []Account{{Key: "username", Value: "zoe_l"}, {Key: "order-number", Value: "8123456789"}},
		Recipient: Party{Name: "AliExpress.com", Email: "dataprotection.ae@aliexpress.com", Address: []string{"8 Shenton Way", "Singapore 068811"}},
		Service:   "AliExpress",
		CompanyID: "aliexpress",
	}
}

// wantAll reports each text of want that the letter's text lacks.
func wantAll(t *testing.T, name, text string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the letter lacks %q:\n%s", name, w, text)
		}
	}
}

// logLetter shows l's text with go test -v: a sample of each matrix for
// a reader of the language to look at.
func logLetter(t *testing.T, name string, l *Letter) {
	t.Helper()
	if !testing.Verbose() {
		return
	}
	var b strings.Builder
	if err := WriteText(&b, l); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s:\n%s", name, b.String())
}

// followedUp is the request a follow-up letter is about, as the language
// tests give it: sent on 2 December 2026 to AliExpress's privacy address,
// with status. Each test adds its period, reminders and note.
func followedUp(of, status string) *Original {
	return &Original{Reference: "ERASE-20261202-ABCDEF", Kind: of,
		Contact: "dataprotection.ae@aliexpress.com", MessageID: "x.1@example.org",
		Sent: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Status: status}
}

// respondent is the company a complaint in the language tests is about.
func respondent() *Party {
	return &Party{Name: "Alibaba.com Singapore E-Commerce Private Limited", Address: []string{"8 Shenton Way", "Singapore 068811"}}
}

// concessions are words that invite a company to stall or refuse: what a
// law lacks, what the company may charge or ask for. `erase laws show`
// tells the requester; the letter does not tell the company.
var concessions = []string{
	"no right to erasure as such", "no stand-alone right", "civil action",
	"you may charge", "may you charge", "you may ask me to confirm", "you may ask me to use it",
	"covers only data", "time limit then runs",
}

// TestEveryRegimeComposes renders the erasure letter for every embedded
// regime, directly and through a parent group, and checks that nothing is
// left unfilled and that the regime's own provisions reach the letter.
func TestEveryRegimeComposes(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, r := range laws.All() {
		for _, group := range []string{"", "Alibaba Group"} {
			req := sampleRequest(r)
			req.GroupName = group
			l, err := Compose(req, tmpls)
			if err != nil {
				t.Errorf("%s: %v", r.ID, err)
				continue
			}
			var b bytes.Buffer
			if err := WriteText(&b, l); err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(b.String()), " ")
			for _, want := range []string{r.Requests["erasure"].Provision, "zoe_l", "Zoë Łukasiewicz", l.Reference, "AliExpress"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: letter lacks %q", r.ID, want)
				}
			}
			grounds := r.Requests["erasure"].Grounds
			if !InForce(r, req.Date) {
				grounds = r.Requests["erasure"].BeforeInForce.Grounds
			}
			for _, g := range grounds {
				if !strings.Contains(text, g.Provision) {
					t.Errorf("%s: letter lacks ground %q", r.ID, g.Provision)
				}
			}
			if group != "" && !strings.Contains(text, "You are named as Alibaba Group's privacy contact, and I am writing to you about my AliExpress account") {
				t.Errorf("%s: group letter does not say it goes to the group", r.ID)
			}
			if l.Due == nil && l.Requested == nil {
				t.Errorf("%s: neither a due date nor a requested date", r.ID)
			}
			for _, bad := range []string{"<no value>", "{{", "  ", " .", " ,", "()", "a individual", "a consumer under the the"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s: letter contains %q", r.ID, bad)
				}
			}
			for _, concession := range concessions {
				if strings.Contains(strings.ToLower(text), concession) {
					t.Errorf("%s: the letter concedes %q: that belongs in the law's notes", r.ID, concession)
				}
			}
		}
	}
}

func TestComposeRefusesBadInput(t *testing.T) {
	laws := mustLaws(t)
	gdpr, _ := laws.Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	cases := map[string]func(*Request){
		"newline in name":        func(r *Request) { r.Requester.Name = "Jane\nBcc: x@example.com" },
		"no name":                func(r *Request) { r.Requester.Name = "" },
		"bad email":              func(r *Request) { r.Requester.Email = "jane at example.com" },
		"placeholder in account": func(r *Request) { r.Accounts = []Account{{Key: "username", Value: "{{.X}}"}} },
		"control in address":     func(r *Request) { r.Requester.Address = []string{"a\x1bb"} },
		"no recipient address":   func(r *Request) { r.Recipient.Email, r.Recipient.Address = "", nil },
		"no service":             func(r *Request) { r.Service = "" },
	}
	for name, mutate := range cases {
		req := sampleRequest(gdpr)
		mutate(&req)
		_, err := Compose(req, tmpls)
		if _, ok := badinput.As(err); !ok {
			t.Errorf("%s: got %v, want a bad-input error", name, err)
		}
	}
}

// TestNoPeriodAsTheDataHasIt: where the law sets no period, the letter
// states the law's own standard only where the data holds one with enough
// certainty, never a blanket "no fixed period", and otherwise only asks.
func TestNoPeriodAsTheDataHasIt(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	want := map[string]string{"popia": "as soon as reasonably practicable", "au-privacy": "within a reasonable period"}
	for _, r := range laws.All() {
		if r.Requests["erasure"].Deadline.Settled() {
			continue
		}
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		text := letterText(t, l)
		if strings.Contains(text, "no fixed period") {
			t.Errorf("%s: the letter states that the law sets no fixed period", r.ID)
		}
		if !r.Requests["erasure"].Deadline.Status.Certain() && strings.Contains(text, r.Requests["erasure"].Deadline.Reason) {
			t.Errorf("%s: the letter states an %s reason as fact", r.ID, r.Requests["erasure"].Deadline.Status)
		}
		if !strings.Contains(text, "I ask you to confirm to me in writing that you have carried out this request within "+r.Requests["erasure"].Deadline.Requested.Words) {
			t.Errorf("%s: the letter does not ask for a reply within %s", r.ID, r.Requests["erasure"].Deadline.Requested.Words)
		}
		if w, ok := want[r.ID]; ok && !strings.Contains(text, w) {
			t.Errorf("%s: the letter drops the law's own standard %q", r.ID, w)
		}
	}
}

// TestDueScope: where the law's period covers only part of the request
// (PIPEDA s. 8(3): requests under clause 4.9; Québec s. 32 by s. 28.1), the
// letter says so and asks for the rest by the same date, as a request.
func TestDueScope(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for id, want := range map[string]string{
		"pipeda":   "You must respond to the part of this request made under clause 4.9 of Schedule 1",
		"qc-law25": "You must respond to the part of this request made under section 28.1",
	} {
		r, _ := laws.Get(id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		text := letterText(t, l)
		if !strings.Contains(text, want) {
			t.Errorf("%s: the letter does not limit the legal period to its part: %q", id, want)
		}
		if strings.Contains(text, "carried out this request, without undue delay and at the latest by") {
			t.Errorf("%s: the letter states the period as the deadline for the whole request", id)
		}
		if !strings.Contains(text, "by the same date that you have carried out the whole of this request") {
			t.Errorf("%s: the letter does not ask for the rest by the same date", id)
		}
		if j := ToJSON(l); j.DueScope == "" {
			t.Errorf("%s: the JSON does not say which part the due date covers", id)
		}
	}
}

// TestExtension: "at the latest by DATE" also allows the lawful extension,
// with notice and reasons within the period, only where the law has one.
func TestExtension(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	const allow = "or, if you extend the period, tell me so and why within it"
	for _, r := range laws.All() {
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		text := letterText(t, l)
		has := r.Requests["erasure"].Extension != nil && r.Requests["erasure"].Deadline.Settled()
		if has && !strings.Contains(text, allow) {
			t.Errorf("%s: the law allows an extension but the letter gives a flat date", r.ID)
		}
		if !has && strings.Contains(text, "extend") {
			t.Errorf("%s: the letter offers an extension the law's data does not give", r.ID)
		}
	}
	for _, id := range []string{"gdpr", "uk-gdpr", "ccpa", "vcdpa", "ucpa", "pipeda"} {
		if r, _ := laws.Get(id); r.Requests["erasure"].Extension == nil {
			t.Errorf("%s: no extension in the data", id)
		}
	}
}

// TestGDPRFamilyLetters: the GDPR and UK GDPR letters name Art. 12(4)
// (reasons and remedies if the controller does not act), ask for the
// Art. 17(2)/19 steps, and ask a controller outside the territory for its
// Art. 27 representative.
func TestGDPRFamilyLetters(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for id, suffix := range map[string]string{"gdpr": " GDPR", "uk-gdpr": " UK GDPR"} {
		r, _ := laws.Get(id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		text := letterText(t, l)
		for _, want := range []string{"(Article 12(4)" + suffix + ")", "judicial remedy", "(Article 19" + suffix + ")", "(Article 17(2)" + suffix + ")", "under Article 27" + suffix} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the letter lacks %q", id, want)
			}
		}
	}
}

// TestObjectionGrounds: Art. 21(1) needs grounds relating to the person's
// situation and puts the burden on the controller; Art. 21(2) (direct
// marketing) needs none. The letter keeps them apart.
func TestObjectionGrounds(t *testing.T) {
	laws := mustLaws(t)
	for _, id := range []string{"gdpr", "uk-gdpr"} {
		r, _ := laws.Get(id)
		var general, marketing *jurisdictions.Ground
		for i, g := range r.Requests["erasure"].Grounds {
			if strings.Contains(g.Letter, "21(1)") && strings.Contains(g.Letter, "21(2)") || strings.Contains(g.Letter, "21(1) and (2)") {
				t.Errorf("%s: grounds[%d] joins Art. 21(1) and 21(2): %q", id, i, g.Letter)
			}
			switch {
			case strings.Contains(g.Provision, "21(1)"):
				general = &r.Requests["erasure"].Grounds[i]
			case strings.Contains(g.Provision, "21(2)"):
				marketing = &r.Requests["erasure"].Grounds[i]
			}
		}
		if general == nil || !strings.Contains(general.Letter, "particular situation") || !strings.Contains(general.Letter, "compelling legitimate grounds") {
			t.Errorf("%s: no Art. 21(1) ground with the person's situation and the controller's burden: %+v", id, general)
		}
		if marketing == nil || !strings.Contains(marketing.Letter, "direct marketing") || !strings.Contains(marketing.Letter, "needs no reasons") {
			t.Errorf("%s: no Art. 21(2) direct-marketing ground that needs no reasons: %+v", id, marketing)
		}
	}
}

// TestUSScopeAndTerm: a US letter asks to delete what the statute covers,
// in the statute's term: the CCPA's "personal information ... collected
// from the consumer", Utah's "personal data ... the consumer provided".
func TestUSScopeAndTerm(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for _, tt := range []struct{ id, want, not string }{
		{"ccpa", "I request that you delete the personal information about me that you have collected from me", "personal data"},
		{"ucpa", "I request that you delete the personal data that I provided to you", "personal information"},
		{"vcdpa", "I request that you delete the personal data provided by me or obtained about me", "personal information"},
	} {
		r, _ := laws.Get(tt.id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		text := letterText(t, l) + " " + l.Subject
		if !strings.Contains(text, tt.want) {
			t.Errorf("%s: the letter does not ask to %q", tt.id, tt.want)
		}
		if strings.Contains(text, tt.not) {
			t.Errorf("%s: the letter says %q, which is not the statute's term", tt.id, tt.not)
		}
	}
}

// TestApplicationFormalities: KVKK's Communiqué asks for an address (the
// profile's field, required) and identity details (the letter asks what
// more is needed); POPIA's prescribed manner is Form 2; PIPA's Art. 36
// presupposes access under Art. 35, which the letter also requests.
func TestApplicationFormalities(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for id, want := range map[string]string{
		"kvkk":  "if you need my identity or passport number",
		"popia": "Form 2 of the Regulations under POPIA",
		"pipa":  "this letter is also my request under Article 35",
	} {
		r, _ := laws.Get(id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if !strings.Contains(letterText(t, l), want) {
			t.Errorf("%s: the letter lacks %q", id, want)
		}
	}
	kvkk, _ := laws.Get("kvkk")
	req := sampleRequest(kvkk)
	req.Requester.Address = nil
	_, err := Compose(req, tmpls)
	if b, ok := badinput.As(err); !ok || !strings.Contains(b.Msg, "pass --address") {
		t.Errorf("a KVKK letter without an address: got %v, want bad input naming --address", err)
	}
}

// TestNotYetInForce: before India's DPDP Act ss. 3-17 are in force, a
// letter neither says the Data Fiduciary must act nor offers a complaint
// to the Board; from the in-force date it does both.
func TestNotYetInForce(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	dpdp, _ := laws.Get("dpdp")
	if dpdp.InForce == nil {
		t.Fatal("dpdp has no in-force date")
	}
	for _, tt := range []struct {
		date    time.Time
		inForce bool
	}{
		{time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 5, 14, 0, 0, 0, 0, time.UTC), true},
	} {
		req := sampleRequest(dpdp)
		req.Date = tt.date
		l, err := Compose(req, tmpls)
		if err != nil {
			t.Fatalf("%s: %v", tt.date.Format(time.DateOnly), err)
		}
		text := letterText(t, l) + " " + l.Subject
		says := strings.Contains(text, " must ") || strings.Contains(text, "Data Protection Board")
		if says != tt.inForce {
			t.Errorf("%s: the letter says the company must act or offers the Board = %v, want %v:\n%s", tt.date.Format(time.DateOnly), says, tt.inForce, text)
		}
		if j := ToJSON(l); (j.InForceFrom == nil) != tt.inForce {
			t.Errorf("%s: JSON law_in_force_from = %v", tt.date.Format(time.DateOnly), j.InForceFrom)
		}
	}
	for _, r := range laws.All() {
		if r.InForce == nil && !InForce(r, time.Time{}) {
			t.Errorf("%s: a regime without an in-force date is not in force", r.ID)
		}
	}
}

// letterText is the letter as plain text, on one line.
func letterText(t *testing.T, l *Letter) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, l); err != nil {
		t.Fatal(err)
	}
	return unwrap(b.String())
}

// unwrap joins a wrapped text's lines and words with single spaces, but
// for a line the wrapping broke inside a CJK run (a full line ending and
// the next starting with CJK), which it joins with none, as the text was.
func unwrap(s string) string {
	var out strings.Builder
	prevFull, prevLast := false, rune(0)
	for _, line := range strings.Split(s, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			prevFull = false
			continue
		}
		first, _ := utf8.DecodeRuneInString(words[0])
		if out.Len() > 0 {
			punct := (isCJKPunct(prevLast) || isCJKPunct(first)) && !strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
			if !(prevFull && (breaksAnywhere(prevLast) || breaksAnywhere(first) || punct) && words[0] != "-") {
				out.WriteByte(' ')
			}
		}
		out.WriteString(strings.Join(words, " "))
		prevFull = columns(line) >= TextWidth-4
		prevLast, _ = utf8.DecodeLastRuneInString(line)
	}
	return out.String()
}

// TestComposeKeepsRequesterText: what the requester typed reaches the
// letter as typed, even text that looks like a template's leftovers; only
// the data the templates read is checked.
func TestComposeKeepsRequesterText(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(gdpr)
	req.Accounts = []Account{{Key: "username", Value: "jdoe()"}, {Key: "nickname", Value: "<no value>"}}
	l, err := Compose(req, tmpls)
	if err != nil {
		t.Fatalf("refused the requester's own text: %v", err)
	}
	var b bytes.Buffer
	WriteText(&b, l)
	for _, want := range []string{"Username: jdoe()", "Nickname: <no value>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("letter lacks %q", want)
		}
	}
}

// TestComposeRefusesIncompleteData: a law whose data lacks what the
// template states is refused before the template runs, naming the key.
func TestComposeRefusesIncompleteData(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	broken := *gdpr
	rt := *gdpr.Requests["erasure"]
	rt.Grounds = append([]jurisdictions.Ground(nil), rt.Grounds...)
	rt.Grounds[1].Letter = ""
	broken.Requests = map[string]*jurisdictions.Right{"erasure": &rt}
	_, err := Compose(sampleRequest(&broken), tmpls)
	if err == nil || !strings.Contains(err.Error(), "grounds[1].letter") {
		t.Fatalf("got %v, want an error naming grounds[1].letter", err)
	}
	if _, ok := badinput.As(err); ok {
		t.Errorf("incomplete law data is not the user's bad input: %v", err)
	}
}

func TestReferenceIsStable(t *testing.T) {
	gdpr, _ := mustLaws(t).Get("gdpr")
	a, b := sampleRequest(gdpr), sampleRequest(gdpr)
	if Reference(a) != Reference(b) {
		t.Fatal("same inputs, different references")
	}
	b.CompanyID = "alibaba"
	if Reference(a) == Reference(b) {
		t.Fatal("two companies share a reference")
	}
	if !strings.HasPrefix(Reference(a), "ERASE-20261127-") {
		t.Fatalf("reference %q does not carry the date", Reference(a))
	}
}

func TestParseBlocks(t *testing.T) {
	got := parseBlocks("First line\ncontinues.\n\nList intro:\n- one\n  more\n- two\n\n\n\n- lone item\n")
	want := []Block{
		{Text: "First line continues."},
		{Text: "List intro:", Items: []string{"one more", "two"}},
		{Items: []string{"lone item"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d blocks: %+v", len(got), got)
	}
	for i := range want {
		if got[i].Text != want[i].Text || strings.Join(got[i].Items, "|") != strings.Join(want[i].Items, "|") {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestWrap(t *testing.T) {
	lines := wrap("Zoë Łukasiewicz asks you to erase everything about her without undue delay", 20, "")
	for _, l := range lines {
		if n := len([]rune(l)); n > 20 {
			t.Errorf("line %q has %d runes", l, n)
		}
	}
	if strings.Join(lines, " ") != "Zoë Łukasiewicz asks you to erase everything about her without undue delay" {
		t.Errorf("wrap lost words: %q", lines)
	}
}

func BenchmarkComposeText(b *testing.B) {
	gdpr, _ := mustLaws(b).Get("gdpr")
	tmpls := templates.New(nil, templates.Embedded())
	req := sampleRequest(gdpr)
	b.ReportAllocs()
	for b.Loop() {
		l, err := Compose(req, tmpls)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteText(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDueHolidays: where the law moves a last day on a public holiday to
// the next working day and erase cannot know every holiday, the letter
// says the date may move, and says whose holidays count; where the law
// counts plain days (Virginia), it does not.
func TestDueHolidays(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	for id, want := range map[string]string{
		"gdpr":   "or the next working day if that day is a public holiday where you are (",
		"ccpa":   "or the next working day if that day is a public holiday in California (",
		"vcdpa":  "",
		"pipeda": "or the next working day if that day is a public holiday",
	} {
		r, _ := laws.Get(id)
		l, err := Compose(sampleRequest(r), tmpls)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		text := strings.Join(strings.Fields(letterText(t, l)), " ")
		if want == "" {
			if strings.Contains(text, "next working day") || ToJSON(l).DueHolidays != "" {
				t.Errorf("%s: a plain-days deadline says it may move", id)
			}
			continue
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s: the letter lacks %q", id, want)
		}
		if ToJSON(l).DueHolidays == "" {
			t.Errorf("%s: the JSON does not say the date may move", id)
		}
	}
}

// TestWrapScripts: French punctuation stays with its word, and Chinese,
// without spaces, breaks between characters in two-column units.
func TestWrapScripts(t *testing.T) {
	fr := wrap("vous ne pouvez poursuivre le traitement que si vous démontrez ; cette opposition", 62, "")
	for _, l := range fr {
		if strings.HasPrefix(l, ";") {
			t.Errorf("a line starts with ';': %q", fr)
		}
	}
	zh := wrap("根据《个人信息保护法》第四十七条，我要求贵公司删除我的全部个人信息，并注销我在全球速卖通的账户。", 20, "")
	for _, l := range zh {
		if columns(l) > 20 {
			t.Errorf("line %q is %d columns", l, columns(l))
		}
		if strings.HasPrefix(l, "，") || strings.HasPrefix(l, "。") {
			t.Errorf("a line starts with a comma or full stop: %q", zh)
		}
	}
	if len(zh) < 3 {
		t.Errorf("Chinese not wrapped: %q", zh)
	}
	if got := strings.Join(zh, ""); got != "根据《个人信息保护法》第四十七条，我要求贵公司删除我的全部个人信息，并注销我在全球速卖通的账户。" {
		t.Errorf("wrapping changed the text: %q", got)
	}
}

func isCJKPunct(r rune) bool { return isCJK(r) && !unicode.Is(unicode.Hangul, r) }

// composedText is a letter's text for checks in Chinese and Japanese: the text output for the
// labels and the address block, then the body as composed, since the text
// wrapping breaks Chinese lines between characters where nothing shows
// where a line was broken.
func composedText(t *testing.T, l *Letter) string {
	t.Helper()
	var b strings.Builder
	w := l.words()
	b.WriteString(l.Sender.Name + " " + l.FormatDate(l.Date) + " " + w.Labels.Label(w.Labels.Reference) + l.Reference + " " + w.Labels.Label(w.Labels.Subject) + l.Subject)
	b.WriteString(" " + l.Opening)
	for _, blk := range l.Body {
		if blk.Text != "" {
			b.WriteString(" " + blk.Text)
		}
		for _, it := range blk.Items {
			b.WriteString(" - " + it)
		}
	}
	b.WriteString(" " + l.Closing)
	return b.String()
}
