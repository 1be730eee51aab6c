package letters

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"

	"codeberg.org/go-fonts/dejavu/dejavusans"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/pdffont"
)

// go test ./letters -run TestPDFDump -args -pdf.dump=/tmp/pdf writes the
// sample letters there, to look at them.
var pdfDump = flag.String("pdf.dump", "", "directory to write sample PDFs into")

// pdfTestLetter is a letter with names in three scripts. long gives it a
// body that runs to two pages.
func pdfTestLetter(paper string, long bool) *Letter {
	date := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	due := date.AddDate(0, 1, 0)
	l := &Letter{
		Reference: "ERASE-20261127-K3F9QX",
		Kind:      "erasure",
		Language:  "en",
		Date:      date,
		Due:       &due,
		DueRule:   "one month of receipt (Article 12(3) GDPR)",
		Law:       LawRef{ID: "gdpr", Name: "General Data Protection Regulation", Citation: "Article 17 GDPR"},
		Sender: Party{
			Name:    "Zoë Łukasiewicz",
			Email:   "zoe.lukasiewicz@example.org",
			Address: []string{"Żółwia 12 m. 4", "02-485 Warszawa", "Poland"},
			Phone:   "+48 22 123 45 67",
		},
		Recipient: Party{
			Name:    "Ζωή Data Services Α.Ε. — Privacy Office",
			Email:   "privacy@zoe-data.example",
			Address: []string{"Attn: Data Protection Officer", "Λεωφόρος Κηφισίας 44", "151 25 Μαρούσι", "Greece"},
		},
		Service:  "Зоя Shop",
		Accounts: []Account{{Key: "username", Value: "zoya_1987"}, {Key: "customer-number", Value: "CN-0042-7781"}},
		Paper:    paper,
		Subject:  "Request for erasure of personal data under Article 17 GDPR: Зоя Shop account, ref. ERASE-20261127-K3F9QX",
		Opening:  "Dear Sir or Madam,",
		Closing:  "Yours faithfully,",
	}
	l.Body = []Block{
		{Text: "I ask you to erase all personal data you hold about me, without undue delay, and to delete my Зоя Shop account. I make this request under Article 17 GDPR."},
		{Text: "Please find my Зоя Shop account with these details:", Items: []string{
			"Name: Zoë Łukasiewicz",
			"E-mail address: zoe.lukasiewicz@example.org",
			"Username: zoya_1987",
			"Customer number: CN-0042-7781",
			"Postal address: Żółwia 12 m. 4, 02-485 Warszawa, Poland",
		}},
		{Text: "I rely on each of the following grounds:", Items: []string{
			"The personal data are no longer necessary in relation to the purposes for which they were collected or otherwise processed (Article 17(1)(a) GDPR).",
			"I withdraw my consent, and there is no other legal ground for the processing (Article 17(1)(b) GDPR).",
			"I object to the processing under Article 21(1) GDPR and there are no overriding legitimate grounds, or I object under Article 21(2) GDPR (Article 17(1)(c) GDPR).",
		}},
		{Text: "Please confirm to me in writing that you have carried out this request, without undue delay and at the latest by 27 December 2026 (one month of receipt, Article 12(3) GDPR)."},
	}
	if long {
		l.Body = append(l.Body[:3],
			Block{Text: "This request covers all personal data about me in every system you control, including backups, the records of your processors, and any profiles, scores or inferences derived from my data. If a legal obligation requires you to keep some of it, please tell me which data, on which legal basis and for how long, restrict it to that purpose, and erase the rest."},
			Block{Text: "Where you have made my personal data public, or disclosed them to other recipients, please take reasonable steps to inform the controllers that process them that I have asked for the erasure of any links to, or copies or replications of, those data (Article 17(2) and Article 19 GDPR), and tell me who those recipients are."},
			Block{Text: "You may not charge a fee for dealing with this request (Article 12(5) GDPR). If you have reasonable doubts about my identity, please tell me promptly which additional information you need; please do not ask for more than is necessary to confirm that I am the holder of the account described above."},
			Block{Text: "Please also confirm that you have stopped sending me marketing messages of any kind, that you have removed me from any lists used for that purpose, and that you will not re-acquire my data from third parties. Ζωή, Зоя and Zoë are the spellings of my first name you may find in your records."},
			l.Body[3],
			Block{Text: "If I do not receive a complete answer in time, I will consider a complaint to the President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych Osobowych, Article 77 GDPR)."},
		)
	}
	return l
}

func newTestRenderer(t testing.TB, o PDFOptions) *PDFRenderer {
	t.Helper()
	r, err := NewPDFRenderer(o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func renderPDF(t testing.TB, r *PDFRenderer, l *Letter) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b, l); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPDFDump(t *testing.T) {
	if *pdfDump == "" {
		t.Skip("pass -args -pdf.dump=DIR to write sample PDFs")
	}
	if err := os.MkdirAll(*pdfDump, 0o755); err != nil {
		t.Fatal(err)
	}
	r := newTestRenderer(t, PDFOptions{})
	for _, paper := range []string{"a4", "letter"} {
		for _, long := range []bool{false, true} {
			name := paper + "-short.pdf"
			if long {
				name = paper + "-long.pdf"
			}
			b := renderPDF(t, r, pdfTestLetter(paper, long))
			if err := os.WriteFile(filepath.Join(*pdfDump, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes", name, len(b))
		}
		l := pdfCrowdedLetter(paper)
		if err := os.WriteFile(filepath.Join(*pdfDump, paper+"-crowded.pdf"), renderPDF(t, r, l), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pdfCrowdedLetter has a recipient of seven lines, one more than the
// window takes (two of them are joined), and a long sender block.
func pdfCrowdedLetter(paper string) *Letter {
	l := pdfTestLetter(paper, false)
	l.Recipient.Address = []string{"Attn: Data Protection Officer", "Legal Department, 4th floor", "Λεωφόρος Κηφισίας 44", "PO Box 1234", "151 25 Μαρούσι", "Greece"}
	l.Sender.Name = "Zoë Aleksandra Łukasiewicz-Wiśniewska"
	l.Sender.Address = []string{"c/o Kancelaria Prawna Nowak i Wspólnicy sp.k.", "ul. Żółwia 12 m. 4", "02-485 Warszawa", "Poland"}
	return l
}

func init() {
	// pdfcpu would otherwise write a config file under the user's config dir.
	api.DisableConfigDir()
}

// validatePDF runs pdfcpu's strict validation on b.
func validatePDF(t testing.TB, b []byte) {
	t.Helper()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(b), conf); err != nil {
		t.Fatalf("pdfcpu validation: %v", err)
	}
}

// pdfRun is one string drawn by Tj: its page, baseline origin in points
// (PDF coordinates, origin bottom left), size and decoded text.
type pdfRun struct {
	page       int
	x, y, size float64
	text       string
}

// pdfDoc is what the test reads back from a PDF.
type pdfDoc struct {
	pages  int
	height []float64 // page heights in points
	width  []float64
	runs   []pdfRun
	info   map[string]string
	images int
}

// readPDF parses b with pdfcpu and extracts the text of every page with a
// small decoder of its own: simple fonts through WinAnsiEncoding and
// /Differences (glyph names uniXXXX), composite Identity-H fonts through
// their /ToUnicode CMap. It fails the test on anything it cannot decode,
// so the PDF must say what every code means.
func readPDF(t testing.TB, b []byte) *pdfDoc {
	t.Helper()
	conf := model.NewDefaultConfiguration()
	ctx, err := api.ReadContext(bytes.NewReader(b), conf)
	if err != nil {
		t.Fatalf("reading the PDF: %v", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		t.Fatal(err)
	}
	d := &pdfDoc{pages: ctx.PageCount, info: map[string]string{}}
	if ctx.Info != nil {
		info, err := ctx.DereferenceDict(*ctx.Info)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range info {
			s, err := ctx.DereferenceStringOrHexLiteral(v, model.V10, nil)
			if err != nil {
				t.Fatalf("info %s: %v", k, err)
			}
			d.info[k] = s
		}
	}
	for p := 1; p <= d.pages; p++ {
		pd, _, inh, err := ctx.PageDict(p, false)
		if err != nil {
			t.Fatal(err)
		}
		mb := inh.MediaBox
		if mb == nil {
			t.Fatalf("page %d has no media box", p)
		}
		d.width = append(d.width, mb.Width())
		d.height = append(d.height, mb.Height())
		res := inh.Resources
		if o, ok := pd.Find("Resources"); ok {
			if res, err = ctx.DereferenceDict(o); err != nil {
				t.Fatal(err)
			}
		}
		fonts := map[string]func([]byte) string{}
		if o, ok := res.Find("Font"); ok {
			fd, err := ctx.DereferenceDict(o)
			if err != nil {
				t.Fatal(err)
			}
			for name, ref := range fd {
				fonts[name] = fontDecoder(t, ctx, ref)
			}
		}
		if o, ok := res.Find("XObject"); ok {
			xd, err := ctx.DereferenceDict(o)
			if err != nil {
				t.Fatal(err)
			}
			d.images += len(xd)
		}
		rd, err := pdfcpu.ExtractPageContent(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rd)
		if err != nil {
			t.Fatal(err)
		}
		d.runs = append(d.runs, contentRuns(t, p, content, fonts)...)
	}
	return d
}

func fontDecoder(t testing.TB, ctx *model.Context, ref types.Object) func([]byte) string {
	t.Helper()
	fd, err := ctx.DereferenceDict(ref)
	if err != nil {
		t.Fatal(err)
	}
	switch st := *fd.NameEntry("Subtype"); st {
	case "TrueType", "Type1":
		var table [256]rune
		for c := range 256 {
			table[c] = charmap.Windows1252.DecodeByte(byte(c))
		}
		enc, _ := fd.Find("Encoding")
		enc, _ = ctx.Dereference(enc)
		switch e := enc.(type) {
		case types.Name:
			if e != "WinAnsiEncoding" {
				t.Fatalf("unexpected encoding %s", e)
			}
		case types.Dict:
			if base := e.NameEntry("BaseEncoding"); base == nil || *base != "WinAnsiEncoding" {
				t.Fatalf("unexpected base encoding in %v", e)
			}
			code := -1
			for _, o := range e.ArrayEntry("Differences") {
				switch v := o.(type) {
				case types.Integer:
					code = int(v)
				case types.Name:
					if !strings.HasPrefix(string(v), "uni") || len(v) != 7 {
						t.Fatalf("glyph name %q is not uniXXXX", v)
					}
					u, err := strconv.ParseUint(string(v[3:]), 16, 16)
					if err != nil || code < 0 || code > 255 {
						t.Fatalf("bad Differences entry %v at code %d", v, code)
					}
					table[code] = rune(u)
					code++
				}
			}
		default:
			t.Fatalf("font without a usable encoding: %v", fd)
		}
		return func(b []byte) string {
			var sb strings.Builder
			for _, c := range b {
				sb.WriteRune(table[c])
			}
			return sb.String()
		}
	case "Type0":
		if e := fd.NameEntry("Encoding"); e == nil || *e != "Identity-H" {
			t.Fatalf("Type0 font without Identity-H")
		}
		o, ok := fd.Find("ToUnicode")
		if !ok {
			t.Fatalf("Type0 font without ToUnicode")
		}
		sd, _, err := ctx.DereferenceStreamDict(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.Decode(); err != nil {
			t.Fatal(err)
		}
		m := parseToUnicode(t, string(sd.Content))
		return func(b []byte) string {
			var sb strings.Builder
			for i := 0; i+1 < len(b); i += 2 {
				sb.WriteString(m(int(b[i])<<8 | int(b[i+1])))
			}
			return sb.String()
		}
	default:
		t.Fatalf("unexpected font subtype %s", st)
	}
	return nil
}

// parseToUnicode reads bfchar and bfrange sections of a ToUnicode CMap.
func parseToUnicode(t testing.TB, s string) func(int) string {
	t.Helper()
	type rng struct{ lo, hi, dst int }
	var ranges []rng
	chars := map[int]string{}
	hex := func(tok string) int {
		v, err := strconv.ParseUint(strings.Trim(tok, "<>"), 16, 32)
		if err != nil {
			t.Fatalf("ToUnicode: bad hex %q", tok)
		}
		return int(v)
	}
	f := strings.Fields(s)
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case "beginbfrange":
			for i++; f[i] != "endbfrange"; i += 3 {
				ranges = append(ranges, rng{hex(f[i]), hex(f[i+1]), hex(f[i+2])})
			}
		case "beginbfchar":
			for i++; f[i] != "endbfchar"; i += 2 {
				chars[hex(f[i])] = string(rune(hex(f[i+1])))
			}
		}
	}
	return func(c int) string {
		if s, ok := chars[c]; ok {
			return s
		}
		for _, r := range ranges {
			if c >= r.lo && c <= r.hi {
				return string(rune(r.dst + c - r.lo))
			}
		}
		t.Fatalf("ToUnicode has no entry for code %04X", c)
		return ""
	}
}

// contentRuns interprets the text operators of a content stream.
func contentRuns(t testing.TB, page int, content []byte, fonts map[string]func([]byte) string) []pdfRun {
	t.Helper()
	var runs []pdfRun
	var stack []any
	var font func([]byte) string
	var size, x, y float64
	num := func(i int) float64 {
		f, ok := stack[len(stack)-i].(float64)
		if !ok {
			t.Fatalf("expected a number operand, got %v", stack[len(stack)-i])
		}
		return f
	}
	show := func(b []byte) {
		if font == nil {
			t.Fatalf("text shown without a font")
		}
		runs = append(runs, pdfRun{page: page, x: x, y: y, size: size, text: font(b)})
	}
	lx := newPDFLexer(content)
	for {
		tok, ok := lx.next(t)
		if !ok {
			break
		}
		op, isOp := tok.(pdfOp)
		if !isOp {
			stack = append(stack, tok)
			continue
		}
		switch op {
		case "BT":
			x, y = 0, 0
		case "Tf":
			name := string(stack[len(stack)-2].(types.Name))
			if font = fonts[name]; font == nil {
				t.Fatalf("unknown font %s", name)
			}
			size = num(1)
		case "Td":
			x, y = x+num(2), y+num(1)
		case "Tj":
			show(stack[len(stack)-1].([]byte))
		case "TJ":
			var b []byte
			for _, e := range stack[len(stack)-1].([]any) {
				if s, ok := e.([]byte); ok {
					b = append(b, s...)
				}
			}
			show(b)
		case "Tm", "'", "\"", "T*", "TD":
			t.Fatalf("operator %s not expected from the renderer", op)
		}
		stack = stack[:0]
	}
	return runs
}

type pdfOp string

type pdfLexer struct {
	b []byte
	i int
}

func newPDFLexer(b []byte) *pdfLexer { return &pdfLexer{b: b} }

func (l *pdfLexer) next(t testing.TB) (any, bool) {
	b := l.b
	for l.i < len(b) {
		c := b[l.i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			l.i++
		case c == '%':
			for l.i < len(b) && b[l.i] != '\n' && b[l.i] != '\r' {
				l.i++
			}
		default:
			return l.token(t), true
		}
	}
	return nil, false
}

func (l *pdfLexer) token(t testing.TB) any {
	b := l.b
	c := b[l.i]
	switch {
	case c == '(':
		var out []byte
		depth := 0
		for l.i++; ; l.i++ {
			if l.i >= len(b) {
				t.Fatal("unterminated string")
			}
			c := b[l.i]
			switch c {
			case '\\':
				l.i++
				e := b[l.i]
				switch e {
				case 'n':
					out = append(out, '\n')
				case 'r':
					out = append(out, '\r')
				case 't':
					out = append(out, '\t')
				case 'b':
					out = append(out, '\b')
				case 'f':
					out = append(out, '\f')
				case '\r', '\n':
				default:
					if e >= '0' && e <= '7' {
						v := 0
						for k := 0; k < 3 && l.i < len(b) && b[l.i] >= '0' && b[l.i] <= '7'; k++ {
							v = v*8 + int(b[l.i]-'0')
							l.i++
						}
						l.i--
						out = append(out, byte(v))
					} else {
						out = append(out, e)
					}
				}
			case '(':
				depth++
				out = append(out, c)
			case ')':
				if depth == 0 {
					l.i++
					return out
				}
				depth--
				out = append(out, c)
			default:
				out = append(out, c)
			}
		}
	case c == '<' && l.i+1 < len(b) && b[l.i+1] == '<':
		l.i += 2
		return pdfOp("<<")
	case c == '>' && l.i+1 < len(b) && b[l.i+1] == '>':
		l.i += 2
		return pdfOp(">>")
	case c == '<':
		j := bytes.IndexByte(b[l.i:], '>')
		h := strings.Join(strings.Fields(string(b[l.i+1:l.i+j])), "")
		l.i += j + 1
		if len(h)%2 == 1 {
			h += "0"
		}
		out := make([]byte, len(h)/2)
		for k := range out {
			v, err := strconv.ParseUint(h[2*k:2*k+2], 16, 8)
			if err != nil {
				t.Fatalf("bad hex string %q", h)
			}
			out[k] = byte(v)
		}
		return out
	case c == '[':
		l.i++
		var arr []any
		for {
			tok, ok := l.next(t)
			if !ok {
				t.Fatal("unterminated array")
			}
			if tok == pdfOp("]") {
				return arr
			}
			arr = append(arr, tok)
		}
	case c == ']':
		l.i++
		return pdfOp("]")
	case c == '/':
		j := l.i + 1
		for j < len(b) && !isPDFDelim(b[j]) {
			j++
		}
		n := types.Name(b[l.i+1 : j])
		l.i = j
		return n
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		j := l.i + 1
		for j < len(b) && (b[j] == '.' || (b[j] >= '0' && b[j] <= '9')) {
			j++
		}
		f, err := strconv.ParseFloat(string(b[l.i:j]), 64)
		if err != nil {
			t.Fatalf("bad number %q", b[l.i:j])
		}
		l.i = j
		return f
	default:
		j := l.i + 1
		for j < len(b) && !isPDFDelim(b[j]) {
			j++
		}
		op := pdfOp(b[l.i:j])
		l.i = j
		return op
	}
}

func isPDFDelim(c byte) bool {
	return strings.IndexByte(" \t\r\n\f\x00()<>[]{}/%", c) >= 0
}

// lines returns each page's text lines, top to bottom, runs on one
// baseline joined left to right.
func (d *pdfDoc) lines(page int) []string {
	type line struct {
		y    float64
		runs []pdfRun
	}
	var ls []*line
	for _, r := range d.runs {
		if r.page != page {
			continue
		}
		var l *line
		for _, c := range ls {
			if math.Abs(c.y-r.y) < 0.5 {
				l = c
			}
		}
		if l == nil {
			l = &line{y: r.y}
			ls = append(ls, l)
		}
		l.runs = append(l.runs, r)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].y > ls[j].y })
	var out []string
	for _, l := range ls {
		sort.SliceStable(l.runs, func(i, j int) bool { return l.runs[i].x < l.runs[j].x })
		var sb strings.Builder
		for _, r := range l.runs {
			sb.WriteString(r.text)
		}
		out = append(out, sb.String())
	}
	return out
}

// bodyLines is allLines without the page numbers: the first page's footer
// and the later pages' running headers.
func (d *pdfDoc) bodyLines(l *Letter) []string {
	var out []string
	w := l.words()
	for p := 1; p <= d.pages; p++ {
		for _, s := range d.lines(p) {
			if d.pages > 1 && (s == w.Page(1, d.pages) || strings.HasSuffix(s, w.Labels.Label(w.Labels.Reference)+l.Reference+w.Page(p, d.pages))) {
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// hasReference finds "Reference: X" in one run of lines, or the label and
// the value one under the other when the column is narrow.
func (d *pdfDoc) hasReference(ref string) bool {
	for _, r := range d.runs {
		if r.text == "Reference: "+ref {
			return true
		}
		if r.text != "Reference:" {
			continue
		}
		for _, v := range d.runs {
			if v.page == r.page && v.text == ref && math.Abs(v.x-r.x) < 0.1 && v.y < r.y && r.y-v.y < 15 {
				return true
			}
		}
	}
	return false
}

func (d *pdfDoc) allLines() []string {
	var all []string
	for p := 1; p <= d.pages; p++ {
		all = append(all, d.lines(p)...)
	}
	return all
}

func lineOf(d *pdfDoc, r pdfRun) string {
	for _, l := range d.linesAt(r.page, r.y) {
		return l
	}
	return ""
}

func (d *pdfDoc) linesAt(page int, y float64) []string {
	var runs []pdfRun
	for _, r := range d.runs {
		if r.page == page && math.Abs(r.y-y) < 0.5 {
			runs = append(runs, r)
		}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].x < runs[j].x })
	var sb strings.Builder
	for _, r := range runs {
		sb.WriteString(r.text)
	}
	return []string{sb.String()}
}

// hasParagraph reports whether s appears in lines, possibly wrapped over
// several consecutive lines (joined with a space, or nothing after a
// hyphen).
func hasParagraph(lines []string, s string) bool {
	for i := range lines {
		acc := lines[i]
		for j := i + 1; ; j++ {
			if acc == s {
				return true
			}
			if !strings.HasPrefix(s, acc) || j >= len(lines) {
				break
			}
			if strings.HasSuffix(acc, "-") && strings.HasPrefix(s, acc+lines[j]) {
				acc += lines[j]
			} else {
				acc += " " + lines[j]
			}
		}
	}
	return false
}

func TestPDFValidAndText(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	for _, paper := range []string{"a4", "letter"} {
		for _, long := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/long=%v", paper, long), func(t *testing.T) {
				l := pdfTestLetter(paper, long)
				b := renderPDF(t, r, l)
				validatePDF(t, b)
				d := readPDF(t, b)
				wantPages := 1
				if long {
					wantPages = 2
				}
				if d.pages != wantPages {
					t.Fatalf("%d pages, want %d", d.pages, wantPages)
				}
				wantW, wantH := 595.28, 841.89
				if paper == "letter" {
					wantW, wantH = 612, 792
				}
				if math.Abs(d.width[0]-wantW) > 0.5 || math.Abs(d.height[0]-wantH) > 0.5 {
					t.Errorf("page is %.2f x %.2f pt, want %.2f x %.2f", d.width[0], d.height[0], wantW, wantH)
				}
				lines := d.bodyLines(l)
				for _, want := range []string{
					"Zoë Łukasiewicz", "Żółwia 12 m. 4", "02-485 Warszawa", "zoe.lukasiewicz@example.org", "+48 22 123 45 67",
					"Ζωή Data Services Α.Ε. — Privacy Office", "Λεωφόρος Κηφισίας 44", "151 25 Μαρούσι", "GREECE", "To: privacy@zoe-data.example",
					l.FormatDate(l.Date), "Dear Sir or Madam,", "Yours faithfully,",
					"•Name: Zoë Łukasiewicz", "•Username: zoya_1987",
				} {
					if !contains(lines, want) {
						t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
					}
				}
				if !d.hasReference(l.Reference) {
					t.Errorf("no reference in\n%s", strings.Join(lines, "\n"))
				}
				if !hasParagraph(lines, l.Subject) {
					t.Errorf("subject %q not found in\n%s", l.Subject, strings.Join(lines, "\n"))
				}
				for _, b := range l.Body {
					if b.Text != "" && !hasParagraph(lines, b.Text) {
						t.Errorf("paragraph %q not found", b.Text)
					}
				}
				if paper == "a4" && !contains(lines, "Zoë Łukasiewicz · Żółwia 12 m. 4 · 02-485 Warszawa · Poland") {
					t.Errorf("no return address line")
				}
				// Page 1 of a longer letter ends with its number; every
				// later page starts with the running header.
				for p := 1; p <= d.pages; p++ {
					pl := d.lines(p)
					if !long {
						if strings.Contains(strings.Join(pl, "\n"), "Page 1") {
							t.Errorf("a one-page letter has a page number")
						}
						continue
					}
					if p == 1 {
						if foot := pl[len(pl)-1]; foot != "Page 1 of 2" {
							t.Errorf("page 1 ends with %q, want the footer %q", foot, "Page 1 of 2")
						}
						continue
					}
					want := fmt.Sprintf("Zoë Łukasiewicz · Reference: %sPage %d of %d", l.Reference, p, d.pages)
					if pl[0] != want {
						t.Errorf("page %d starts with %q, want the running header %q", p, pl[0], want)
					}
				}
				// The signature comes last, on the last page.
				last := d.lines(d.pages)
				if last[len(last)-1] != "Zoë Łukasiewicz" {
					t.Errorf("last line %q, want the signature", last[len(last)-1])
				}
				for k, want := range map[string]string{
					"Title": l.Subject, "Author": "Zoë Łukasiewicz", "Creator": "erase", "Producer": "erase",
					"CreationDate": "D:20261127000000", "ModDate": "D:20261127000000",
				} {
					if got := d.info[k]; !strings.HasPrefix(got, want) {
						t.Errorf("info %s = %q, want %q", k, got, want)
					}
				}
			})
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// TestPDFWindow checks that the recipient's lines fall inside the envelope
// window, and on A4 the return line inside its zone.
func TestPDFWindow(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	cases := map[string]*Letter{}
	for _, paper := range []string{"a4", "letter"} {
		cases[paper] = pdfTestLetter(paper, false)
		cases[paper+"-crowded"] = pdfCrowdedLetter(paper)
	}
	for name, l := range cases {
		t.Run(name, func(t *testing.T) {
			b := renderPDF(t, r, l)
			d := readPDF(t, b)
			g := geometryFor(l.Paper)
			k := 72 / 25.4
			ph := d.height[0]
			doc := &doc{r: r, l: l, g: g}
			var lines []string
			lines = append(lines, l.Recipient.Name)
			lines = append(lines, l.Recipient.Address...)
			checked := 0
			for _, run := range d.runs {
				if run.page != 1 {
					continue
				}
				line := lineOf(d, run)
				if !startsAny(line, lines) || run.x/k >= g.colX-1 {
					continue
				}
				checked++
				x := run.x / k
				base := (ph - run.y) / k
				em := run.size * ptToMM
				top, bottom := base-0.93*em, base+0.24*em
				right := x + doc.width(run.text, run.size, false)
				if x < g.winX+2 || right > g.winX+g.winW-2 || top < g.winY+g.returnZone || bottom > g.winY+g.winH {
					t.Errorf("%q at x %.1f–%.1f, y %.1f–%.1f mm: outside the window %.1f–%.1f, %.1f–%.1f",
						run.text, x, right, top, bottom, g.winX, g.winX+g.winW, g.winY+g.returnZone, g.winY+g.winH)
				}
			}
			if checked < 3 {
				t.Fatalf("found only %d recipient runs", checked)
			}
			if g.returnZone > 0 {
				found := false
				for _, run := range d.runs {
					if run.page != 1 || !strings.HasPrefix(lineOf(d, run), l.Sender.Name+" · ") {
						continue
					}
					found = true
					x, base := run.x/k, (ph-run.y)/k
					right := x + doc.width(run.text, run.size, false)
					if x < g.winX || right > g.winX+g.winW || base < g.winY || base > g.winY+g.returnZone {
						t.Errorf("return line %q at %.1f–%.1f, %.1f mm: outside the return zone", run.text, x, right, base)
					}
				}
				if !found {
					t.Errorf("no return line")
				}
			}
		})
	}
}

func startsAny(line string, ls []string) bool {
	for _, l := range ls {
		if l != "" && (strings.HasPrefix(l, line) || strings.HasPrefix(line, l)) && len(line) > 0 {
			return true
		}
	}
	return false
}

func TestPDFDeterministic(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	a4 := pdfTestLetter("a4", true)
	first := renderPDF(t, r, a4)
	if second := renderPDF(t, r, a4); !bytes.Equal(first, second) {
		t.Fatal("two renders of one letter differ")
	}
	// A fresh renderer, after other letters filled the subset cache.
	renderPDF(t, r, pdfTestLetter("letter", false))
	r2 := newTestRenderer(t, PDFOptions{})
	if third := renderPDF(t, r2, a4); !bytes.Equal(first, third) {
		t.Fatal("a second renderer gives other bytes")
	}
	// Cold caches: the subsets are cut again, from the whole face and from
	// its European cut; the bytes must not change.
	pdffont.ResetCaches(true)
	if cold := renderPDF(t, r2, a4); !bytes.Equal(first, cold) {
		t.Fatal("a render with cold font caches gives other bytes")
	}
	// Byte-identical to the golden file, across processes and machines.
	golden := filepath.Join("testdata", "pdf", "a4-long.pdf")
	if os.Getenv("ERASE_UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, first, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (ERASE_UPDATE_GOLDEN=1 go test ./letters -run TestPDFDeterministic writes it)", err)
	}
	if !bytes.Equal(first, want) {
		t.Fatalf("render differs from %s (%d vs %d bytes); if the change is intended, rerun with ERASE_UPDATE_GOLDEN=1", golden, len(first), len(want))
	}
}

func TestPDFCheckGlyphs(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	cases := []struct {
		edit func(l *Letter)
		msg  string
	}{
		{func(l *Letter) { l.Sender.Name = "张伟" }, `character "张" (U+5F20) in the requester's name is not in the font DejaVu Sans Bold`},
		{func(l *Letter) { l.Recipient.Name = "王芳 Ltd" }, `character "王" (U+738B) in the recipient's name is not in the font DejaVu Sans`},
		{func(l *Letter) { l.Recipient.Address[1] = "北京市 1" }, `character "北" (U+5317) in the recipient's address is not in the font DejaVu Sans`},
		{func(l *Letter) {
			l.Accounts[0].Value = "伟_1987"
			l.Body[1].Items[2] = "Username: 伟_1987"
		}, `character "伟" (U+4F1F) in the account value (Username) is not in the font DejaVu Sans`},
		{func(l *Letter) { l.Subject += " 张" }, `character "张" (U+5F20) in the subject is not in the font DejaVu Sans Bold`},
		{func(l *Letter) { l.Body[0].Text += " 张" }, `character "张" (U+5F20) in the body of the letter is not in the font DejaVu Sans`},
		{func(l *Letter) { l.Subject += " 😀" }, `character "😀" (U+1F600) in the subject cannot be printed: the PDF renderer handles characters up to U+FFFF only`},
		{func(l *Letter) { l.Body[0].Text += "\a" }, `control character U+0007 in the body of the letter cannot be printed`},
	}
	for _, c := range cases {
		l := pdfTestLetter("a4", false)
		c.edit(l)
		err := r.CheckGlyphs(l)
		bi, ok := badinput.As(err)
		if !ok {
			t.Errorf("want bad input %q, got %v", c.msg, err)
			continue
		}
		if bi.Msg != c.msg {
			t.Errorf("got  %q\nwant %q", bi.Msg, c.msg)
		}
		if strings.Contains(c.msg, "is not in the font") && (len(bi.Hints) != 1 || bi.Hints[0] != "pass --font FILE.ttf (and --font-bold FILE.ttf) with a font that has it") {
			t.Errorf("hints %q", bi.Hints)
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, l); err == nil || buf.Len() != 0 {
			t.Errorf("Render wrote %d bytes and returned %v", buf.Len(), err)
		}
	}
	if err := r.CheckGlyphs(pdfTestLetter("a4", true)); err != nil {
		t.Fatal(err)
	}
}

// captureStdout runs fn and returns what it wrote to os.Stdout.
func captureStdout(t *testing.T, fn func()) string {
	t.Helper()
	old := os.Stdout
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = pw
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(pr)
		done <- string(b)
	}()
	defer func() {
		os.Stdout = old
	}()
	fn()
	pw.Close()
	os.Stdout = old
	return <-done
}

func TestPDFBadFont(t *testing.T) {
	truncated := dejavusans.TTF[:len(dejavusans.TTF)/3]
	otf := append([]byte("OTTO"), dejavusans.TTF[4:]...)
	ttc := append([]byte("ttcf"), dejavusans.TTF[4:]...)
	noCmap := bytes.Clone(dejavusans.TTF)
	if i := bytes.Index(noCmap[:12+16*30], []byte("cmap")); i > 0 {
		copy(noCmap[i:], "xmap")
	}
	cases := map[string]struct {
		opts PDFOptions
		msg  string
	}{
		"garbage":   {PDFOptions{Regular: []byte("this is not a font at all")}, "the --font file is not a TrueType font"},
		"empty":     {PDFOptions{Regular: []byte{}}, "the --font file is not a TrueType font (only 0 bytes)"},
		"truncated": {PDFOptions{Bold: truncated}, "the --font-bold file is not a valid TrueType font"},
		"otf":       {PDFOptions{Regular: otf}, "the --font file is an OpenType font with PostScript (CFF) outlines"},
		"ttc":       {PDFOptions{Regular: ttc}, "the --font file is a font collection (.ttc)"},
		"no cmap":   {PDFOptions{Regular: noCmap}, "the --font file is not a"},
		"paper":     {PDFOptions{Paper: "a5"}, `unknown paper "a5": use a4 or letter`},
		"signature": {PDFOptions{Signature: []byte("GIF89a")}, "the --signature file is not a PNG image"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var err error
			out := captureStdout(t, func() { _, err = NewPDFRenderer(c.opts) })
			if out != "" {
				t.Errorf("printed %q on stdout", out)
			}
			bi, ok := badinput.As(err)
			if !ok {
				t.Fatalf("want bad input, got %v", err)
			}
			if !strings.HasPrefix(bi.Msg, c.msg) {
				t.Errorf("message %q, want prefix %q", bi.Msg, c.msg)
			}
		})
	}
}

// TestPDFCorruptFonts flips bytes all over a real font: every result must
// be an error or a valid PDF, with nothing on stdout and no panic.
func TestPDFCorruptFonts(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 10
	}
	rng := rand.New(rand.NewPCG(1, 2))
	l := pdfTestLetter("a4", false)
	okCount := 0
	for i := 0; i < n; i++ {
		b := bytes.Clone(dejavusans.TTF)
		// Corrupt the table directory and the first bytes of tables,
		// where the structure lives.
		for k := 0; k < 1+rng.IntN(4); k++ {
			var pos int
			if rng.IntN(2) == 0 {
				pos = rng.IntN(12 + 16*22)
			} else {
				e := 12 + 16*rng.IntN(20)
				off := int(b[e+8])<<24 | int(b[e+9])<<16 | int(b[e+10])<<8 | int(b[e+11])
				pos = min(len(b)-1, off+rng.IntN(64))
			}
			b[pos] = byte(rng.IntN(256))
		}
		var rerr error
		var out bytes.Buffer
		printed := captureStdout(t, func() {
			defer func() {
				if p := recover(); p != nil {
					rerr = fmt.Errorf("panic: %v", p)
				}
			}()
			r, err := NewPDFRenderer(PDFOptions{Regular: b})
			if err != nil {
				if _, ok := badinput.As(err); !ok {
					rerr = fmt.Errorf("not bad input: %w", err)
				}
				return
			}
			if err := r.Render(&out, l); err != nil {
				if _, ok := badinput.As(err); !ok {
					rerr = fmt.Errorf("render: %w", err)
				}
				return
			}
			okCount++
		})
		if printed != "" {
			t.Errorf("case %d printed %q", i, printed)
		}
		if rerr != nil && strings.HasPrefix(rerr.Error(), "panic") {
			t.Errorf("case %d: %v", i, rerr)
		}
		if out.Len() > 0 {
			validatePDF(t, out.Bytes())
		}
	}
	t.Logf("%d of %d corrupted fonts still rendered", okCount, n)
}

const droidPath = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

// TestPDFCJKFont uses a CJK font if the machine has one (Debian:
// fonts-droid-fallback). Droid Sans Fallback has no Latin letters, so
// DejaVu fills those in.
func TestPDFCJKFont(t *testing.T) {
	ttf, err := os.ReadFile(droidPath)
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	r := newTestRenderer(t, PDFOptions{Regular: ttf})
	for _, paper := range []string{"a4", "letter"} {
		l := pdfTestLetter(paper, true)
		l.Sender.Name = "张伟 (Zoë Łukasiewicz)"
		l.Recipient.Name = "阿里巴巴集团 Privacy Office"
		l.Recipient.Address = []string{"中国浙江省杭州市余杭区文一西路969号", "311121 China"}
		l.Subject = "删除个人数据的请求 — Request for erasure: 淘宝 account"
		l.Body[0].Text = "我要求删除贵公司持有的关于我的所有个人数据。" + l.Body[0].Text
		if err := r.CheckGlyphs(l); err != nil {
			t.Fatal(err)
		}
		b := renderPDF(t, r, l)
		validatePDF(t, b)
		d := readPDF(t, b)
		lines := d.bodyLines(l)
		if !d.hasReference(l.Reference) {
			t.Errorf("%s: no reference", paper)
		}
		for _, want := range []string{"张伟 (Zoë Łukasiewicz)", "阿里巴巴集团 Privacy Office", "中国浙江省杭州市余杭区文一西路969号"} {
			if !contains(lines, want) {
				t.Errorf("%s: no line %q in\n%s", paper, want, strings.Join(lines, "\n"))
			}
		}
		if !hasParagraph(lines, l.Subject) {
			t.Errorf("%s: subject not found in\n%s", paper, strings.Join(lines, "\n"))
		}
		text := strings.Join(lines, "")
		if !strings.Contains(text, "我要求删除贵公司持有的关于我的所有个人数据。") {
			t.Errorf("%s: CJK paragraph lost", paper)
		}
		if *pdfDump != "" {
			os.WriteFile(filepath.Join(*pdfDump, paper+"-cjk.pdf"), b, 0o644)
		}
	}
	// Without the CJK font the same names are refused.
	l := pdfTestLetter("a4", false)
	l.Sender.Name = "张伟"
	if err := newTestRenderer(t, PDFOptions{}).CheckGlyphs(l); err == nil {
		t.Fatal("DejaVu alone accepted 张伟")
	}
	// A glyph neither font has names both.
	l = pdfTestLetter("a4", false)
	l.Recipient.Name = "한 Ltd"
	err = r.CheckGlyphs(l)
	if bi, ok := badinput.As(err); !ok || bi.Msg != `character "한" (U+D55C) in the recipient's name is not in the fonts Droid Sans Fallback or DejaVu Sans` {
		t.Errorf("got %v", err)
	}
}

// TestPDFManyCharacters prints more distinct non-WinAnsi characters than
// one 8-bit code page holds, so the face spills over several.
func TestPDFManyCharacters(t *testing.T) {
	var sb strings.Builder
	n := 0
	for _, rg := range [][2]rune{{0x0391, 0x03A9}, {0x03B1, 0x03C9}, {0x0410, 0x044F}, {0x0100, 0x017F}, {0x10D0, 0x10F0}} {
		for c := rg[0]; c <= rg[1]; c++ {
			if c == 0x03A2 {
				continue
			}
			sb.WriteRune(c)
			n++
			if n%40 == 0 {
				sb.WriteByte(' ')
			}
		}
	}
	para := sb.String()
	l := pdfTestLetter("a4", false)
	l.Body = append(l.Body, Block{Text: para})
	r := newTestRenderer(t, PDFOptions{})
	b := renderPDF(t, r, l)
	validatePDF(t, b)
	d := readPDF(t, b)
	if !hasParagraph(d.allLines(), para) {
		t.Fatalf("%d characters did not come back:\n%s", n, strings.Join(d.allLines(), "\n"))
	}
}

func testSignaturePNG(t testing.TB) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 20; x < 280; x++ {
		y := 50 + int(30*math.Sin(float64(x)/25))
		for dy := -2; dy <= 2; dy++ {
			img.Set(x, y+dy, color.NRGBA{10, 30, 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPDFSignatureAndPaper(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{Signature: testSignaturePNG(t), Paper: "letter"})
	l := pdfTestLetter("a4", false)
	b := renderPDF(t, r, l)
	validatePDF(t, b)
	d := readPDF(t, b)
	if d.images != 1 {
		t.Errorf("%d images, want the signature", d.images)
	}
	if math.Abs(d.height[0]-792) > 0.5 {
		t.Errorf("Paper: letter gave a page %.1f pt high", d.height[0])
	}
	if !contains(d.allLines(), "November 27, 2026") && !contains(d.allLines(), "27 November 2026") {
		t.Errorf("no date")
	}
	if *pdfDump != "" {
		os.WriteFile(filepath.Join(*pdfDump, "signature.pdf"), b, 0o644)
	}
}

// TestPDFBoldFromRegular: a given regular font without a bold one draws
// bold text with it, emboldened, and the text still reads back.
func TestPDFBoldFromRegular(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{Regular: dejavusans.TTF})
	l := pdfTestLetter("a4", false)
	b := renderPDF(t, r, l)
	validatePDF(t, b)
	d := readPDF(t, b)
	if !hasParagraph(d.allLines(), l.Subject) {
		t.Fatal("subject lost")
	}
	if !bytes.Contains(b, []byte("2 Tr")) {
		t.Error("no emboldened text")
	}
}

// TestPDFParallel renders different letters from 4 goroutines with one
// renderer; run it with -race. Each result must equal the serial render.
func TestPDFParallel(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{Signature: testSignaturePNG(t)})
	var ls []*Letter
	for i, extra := range []rune("ĳŐŦǄȘɐʃˇ") {
		l := pdfTestLetter([]string{"a4", "letter"}[i%2], i%3 == 0)
		l.Recipient.Name += " " + string(extra) // a subset of its own
		ls = append(ls, l)
	}
	want := make([][]byte, len(ls))
	for i, l := range ls {
		want[i] = renderPDF(t, r, l)
	}
	// Cold caches, so that the goroutines cut subsets concurrently too.
	pdffont.ResetCaches(true)
	r2 := newTestRenderer(t, PDFOptions{Signature: testSignaturePNG(t)})
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(ls))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range ls {
				i := (k + g*3) % len(ls)
				var buf bytes.Buffer
				if err := r2.Render(&buf, ls[i]); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(buf.Bytes(), want[i]) {
					errs <- errors.New("parallel render differs from serial render of letter " + strconv.Itoa(i))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
