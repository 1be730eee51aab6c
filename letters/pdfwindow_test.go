package letters

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/templates"
)

// windowText is what page 1 prints inside the envelope window, below the
// return-address zone, line by line, with the sizes it is printed at.
func windowText(d *pdfDoc, g *geometry) (lines []string, sizes []float64) {
	k := 72 / 25.4
	type ln struct {
		y    float64
		runs []pdfRun
	}
	var ls []*ln
	for _, r := range d.runs {
		x, base := r.x/k, (d.height[0]-r.y)/k
		if r.page != 1 || x >= g.winX+g.winW || base < g.winY+g.returnZone || base > g.winY+g.winH {
			continue
		}
		var l *ln
		for _, c := range ls {
			if math.Abs(c.y-r.y) < 0.5 {
				l = c
			}
		}
		if l == nil {
			l = &ln{y: r.y}
			ls = append(ls, l)
		}
		l.runs = append(l.runs, r)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].y > ls[j].y })
	for _, l := range ls {
		sort.SliceStable(l.runs, func(i, j int) bool { return l.runs[i].x < l.runs[j].x })
		var sb strings.Builder
		for _, r := range l.runs {
			sb.WriteString(r.text)
			sizes = append(sizes, r.size)
		}
		lines = append(lines, sb.String())
	}
	return lines, sizes
}

// TestPDFWindowAddress: the recipient's name and postal address fill the
// window at the body's size, in at most six lines (DIN 5008's address
// zone), lines above the town joined where there are more; the e-mail
// address is beside the window, in the reference block, not in it.
func TestPDFWindowAddress(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	cases := []struct {
		name string
		l    *Letter
		want []string
	}{
		{"a4", pdfTestLetter("a4", false), []string{"Ζωή Data Services Α.Ε. — Privacy Office", "Attn: Data Protection Officer", "Λεωφόρος Κηφισίας 44", "151 25 Μαρούσι", "GREECE"}},
		{"letter", pdfTestLetter("letter", false), []string{"Ζωή Data Services Α.Ε. — Privacy Office", "Attn: Data Protection Officer", "Λεωφόρος Κηφισίας 44", "151 25 Μαρούσι", "GREECE"}},
		// Seven lines: the topmost pair that fits on one line is joined.
		{"a4-crowded", pdfCrowdedLetter("a4"), []string{"Ζωή Data Services Α.Ε. — Privacy Office", "Attn: Data Protection Officer", "Legal Department, 4th floor", "Λεωφόρος Κηφισίας 44, PO Box 1234", "151 25 Μαρούσι", "GREECE"}},
		{"letter-crowded", pdfCrowdedLetter("letter"), []string{"Ζωή Data Services Α.Ε. — Privacy Office", "Attn: Data Protection Officer, Legal Department, 4th floor", "Λεωφόρος Κηφισίας 44", "PO Box 1234", "151 25 Μαρούσι", "GREECE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := geometryFor(c.l.Paper)
			d := readPDF(t, renderPDF(t, r, c.l))
			lines, sizes := windowText(d, g)
			if strings.Join(lines, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("the window prints\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(c.want, "\n"))
			}
			if len(lines) > windowLines {
				t.Errorf("%d lines in the window, DIN 5008 gives it %d", len(lines), windowLines)
			}
			for _, s := range sizes {
				if s != addrSize {
					t.Errorf("window text at %.1f pt, want the body's %.0f pt", s, addrSize)
				}
			}
			if !contains(d.lines(1), "To: "+c.l.Recipient.Email) {
				t.Errorf("no %q beside the window in\n%s", "To: "+c.l.Recipient.Email, strings.Join(d.lines(1), "\n"))
			}
		})
	}
}

// TestPDFWindowSmallerType: an address the window cannot take at the
// body's size even with lines joined is set in smaller type, no smaller
// than 8 pt, every line of it there.
func TestPDFWindowSmallerType(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	l := pdfTestLetter("a4", false)
	l.Recipient.Address = []string{
		"Attn: The Data Protection Officer of the Group",
		"Legal and Compliance Department, 4th floor",
		"Building C of the Northern Business Park",
		"Wheelhouse Road and Industrial Estate",
		"Brereton, Rugeley WS15 1LH",
		"United Kingdom",
	}
	lines, sizes := windowText(readPDF(t, renderPDF(t, r, l)), geometryFor("a4"))
	text := strings.Join(lines, "\n")
	for _, want := range []string{"Wheelhouse Road", "Brereton, Rugeley WS15 1LH", "UNITED KINGDOM"} {
		if !strings.Contains(text, want) {
			t.Errorf("the window lacks %q:\n%s", want, text)
		}
	}
	for _, sz := range sizes {
		if sz >= addrSize || sz < 8 {
			t.Errorf("window type %.1f pt, want smaller than %.0f and at least 8", sz, addrSize)
		}
	}
}

// TestPDFWindowTooLong: an address the window cannot take even in 8-point
// type is bad input naming the recipient, and nothing is written.
func TestPDFWindowTooLong(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	l := pdfTestLetter("a4", false)
	l.Recipient.Address = []string{
		"Attn: The Data Protection Officer of the Group and all its subsidiaries",
		"Legal and Compliance Department, 4th floor, east wing, room 4.117",
		"Building C of the Northern Business Park and Science Campus",
		"Wheelhouse Road and Industrial Estate, Gate 5 (deliveries only)",
		"Brereton, Rugeley WS15 1LH",
		"Staffordshire, England",
		"United Kingdom",
	}
	var b bytes.Buffer
	err := r.Render(&b, l)
	bi, ok := badinput.As(err)
	if !ok {
		t.Fatalf("want bad input, got %v", err)
	}
	want := "the recipient's postal address (Ζωή Data Services Α.Ε. — Privacy Office, for Зоя Shop) takes"
	if !strings.HasPrefix(bi.Msg, want) || !strings.HasSuffix(bi.Msg, "lines in the envelope window, which holds 8 even in 8-point type") {
		t.Errorf("got  %q\nwant %q...", bi.Msg, want)
	}
	if len(bi.Hints) != 1 || !strings.Contains(bi.Hints[0], "--to-address") {
		t.Errorf("hints %q", bi.Hints)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes", b.Len())
	}
}

// TestPDFCountryLine: the country line of an international address is in
// capitals (UPU); a domestic letter, whose sender's address ends in the
// same country line, has none; a sender without one gets capitals.
func TestPDFCountryLine(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	singapore := []string{"8 Shenton Way", "#45-01 Axa Tower", "Singapore 068811", "Republic of Singapore"}
	cases := []struct {
		name   string
		sender []string
		to     []string
		last   string
	}{
		{"international", []string{"Żółwia 12 m. 4", "02-485 Warszawa", "Poland"}, singapore, "REPUBLIC OF SINGAPORE"},
		{"no sender country", []string{"Żółwia 12 m. 4", "02-485 Warszawa"}, singapore, "REPUBLIC OF SINGAPORE"},
		{"no sender address", nil, []string{"Elgendorfer Straße 57", "56410 Montabaur", "Österreich"}, "ÖSTERREICH"},
		{"domestic", []string{"Musterstraße 1", "10115 Berlin", "Deutschland"}, []string{"Elgendorfer Straße 57", "56410 Montabaur", "deutschland"}, "56410 Montabaur"},
		{"no country line", []string{"Musterstraße 1", "10115 Berlin"}, []string{"1 Hacker Way", "Menlo Park, CA 94025"}, "Menlo Park, CA 94025"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := pdfTestLetter("a4", false)
			l.Sender.Address, l.Recipient.Address, l.Recipient.Email = c.sender, c.to, ""
			lines, _ := windowText(readPDF(t, renderPDF(t, r, l)), geometryFor("a4"))
			if got := lines[len(lines)-1]; got != c.last {
				t.Errorf("the window's last line is %q, want %q (all: %q)", got, c.last, lines)
			}
			want := 1 + len(c.to) // the name, then the address
			if c.name == "domestic" {
				want-- // no country line
			}
			if len(lines) != want {
				t.Errorf("%d window lines %q, want %d", len(lines), lines, want)
			}
		})
	}
}

// TestPDFRunningHeader: every page after the first starts with the
// sender's name, the reference and the page number, in the letter's
// language, above the text area; the first page carries only its number,
// at the foot.
func TestPDFRunningHeader(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	de, err := templates.New(nil, templates.Embedded()).Words("de")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "de"} {
		for _, paper := range []string{"a4", "letter"} {
			t.Run(lang+"/"+paper, func(t *testing.T) {
				l := pdfTestLetter(paper, true)
				// A third page: the first body paragraphs again.
				l.Body = append(l.Body, l.Body[3:7]...)
				l.Body = append(l.Body, l.Body[3:7]...)
				ref, page := "Reference: ", "Page %d of %d"
				if lang == "de" {
					l.Words = de.For(paper)
					ref, page = "Zeichen: ", "Seite %d von %d"
				}
				g := geometryFor(paper)
				d := readPDF(t, renderPDF(t, r, l))
				if d.pages != 3 {
					t.Fatalf("%d pages, want 3", d.pages)
				}
				if first := d.lines(1); first[len(first)-1] != fmt.Sprintf(page, 1, 3) {
					t.Errorf("page 1 ends with %q", first[len(first)-1])
				}
				for p := 2; p <= d.pages; p++ {
					want := "Zoë Łukasiewicz · " + ref + l.Reference + fmt.Sprintf(page, p, 3)
					pl := d.lines(p)
					if pl[0] != want {
						t.Errorf("page %d starts with %q, want %q", p, pl[0], want)
					}
					if strings.Contains(strings.Join(pl[1:], "\n"), fmt.Sprintf(page, p, 3)) {
						t.Errorf("page %d prints its number outside the header", p)
					}
					for _, run := range d.runs {
						if run.page == p && lineOf(d, run) == want {
							if top := (d.height[p-1] - run.y) / (72 / 25.4); top >= g.top {
								t.Errorf("page %d: header at %.1f mm, inside the text area (from %.1f mm)", p, top, g.top)
							}
						}
					}
				}
			})
		}
	}
}

// TestPDFNoReturnAddress: without a postal address the sender gets no
// return line (a name alone returns nothing), and the letter still has the
// sender's name and e-mail address at the top.
func TestPDFNoReturnAddress(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	l := pdfTestLetter("a4", false)
	l.Sender.Address = nil
	b := renderPDF(t, r, l)
	validatePDF(t, b)
	d := readPDF(t, b)
	g := geometryFor("a4")
	k := 72 / 25.4
	for _, run := range d.runs {
		base := (d.height[0] - run.y) / k
		if run.page == 1 && run.x/k < g.winX+g.winW && base >= g.winY && base < g.winY+g.returnZone {
			t.Errorf("%q in the return-address zone", run.text)
		}
	}
	lines := d.lines(1)
	if lines[0] != "Zoë Łukasiewicz" || lines[1] != "zoe.lukasiewicz@example.org" {
		t.Errorf("the sender block is %q", lines[:2])
	}
}

// TestPDFDirectoryWindows: the window takes the address of nearly every
// record of the directory, written to from Germany; the hand-checked
// records fit from anywhere.
func TestPDFDirectoryWindows(t *testing.T) {
	idx, err := companies.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := companies.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	r := newTestRenderer(t, PDFOptions{})
	checked, failed := 0, 0
	for _, c := range dir.All() {
		if !c.Writable() || len(c.Privacy.Address) == 0 {
			continue
		}
		for _, sender := range [][]string{{"Musterstraße 1", "10115 Berlin", "Deutschland"}, nil} {
			l := pdfTestLetter("a4", false)
			l.Sender.Address = sender
			l.Recipient = Party{Name: c.Privacy.Name, Email: c.Privacy.Email, Address: c.Privacy.Address}
			l.Service = c.ServiceName()
			d := &doc{r: r, l: l, g: geometryFor("a4")}
			d.newPage()
			_, err := d.recipientBlock()
			if c.Quality == "" && err != nil { // hand-checked
				t.Errorf("%s: %v", c.ID, err)
			}
			if sender != nil {
				checked++
				if err != nil {
					failed++
					t.Logf("%s: %v", c.ID, err)
				}
			}
		}
	}
	if checked < 1000 || failed > 3 {
		t.Errorf("%d of %d addresses do not fit the window", failed, checked)
	}
}

// TestPDFColumnEmail: an e-mail address too wide for the right-hand column
// (US Letter's is 51 mm) breaks before its domain, not inside a word.
func TestPDFColumnEmail(t *testing.T) {
	r := newTestRenderer(t, PDFOptions{})
	l := pdfTestLetter("letter", false)
	l.Recipient.Email = "dataprotection.ae@aliexpress.com"
	d := readPDF(t, renderPDF(t, r, l))
	var lines []string // the column's, top to bottom
	for _, run := range d.runs {
		if run.page == 1 && run.x/(72/25.4) >= geometryFor("letter").colX-0.5 {
			lines = append(lines, run.text)
		}
	}
	for i, s := range lines {
		if s == "To:" {
			if i+2 >= len(lines) || lines[i+1] != "dataprotection.ae" || lines[i+2] != "@aliexpress.com" {
				t.Errorf("the e-mail address after %q is %q", s, lines[i+1:min(i+3, len(lines))])
			}
			return
		}
	}
	t.Errorf("no To: line in\n%s", strings.Join(lines, "\n"))
}
