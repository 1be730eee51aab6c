package letters

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/erase-cli/erase/internal/pdffont"
)

// BenchmarkPDFOne renders the one-page sample letter (Polish, Greek and
// Cyrillic names) with the built-in DejaVu fonts.
func BenchmarkPDFOne(b *testing.B) {
	r := newTestRenderer(b, PDFOptions{})
	l := pdfTestLetter("a4", false)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.Render(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

// BenchmarkPDFColdOne is what one `erase letter -o x.pdf` pays: a new
// renderer, the first subset cuts, one letter.
func BenchmarkPDFColdOne(b *testing.B) {
	l := pdfTestLetter("a4", false)
	var buf bytes.Buffer
	for b.Loop() {
		pdffont.ResetCaches(true)
		buf.Reset()
		r := newTestRenderer(b, PDFOptions{})
		if err := r.Render(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFMiss is one letter whose characters miss the subset cache
// (as when a recipient in a batch brings letters no earlier one had): both
// faces are cut again, from their European cuts.
func BenchmarkPDFMiss(b *testing.B) {
	r := newTestRenderer(b, PDFOptions{})
	l := pdfTestLetter("a4", false)
	var buf bytes.Buffer
	for b.Loop() {
		pdffont.ResetCaches(false)
		buf.Reset()
		if err := r.Render(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFBatch1000 renders 1,000 one-page letters over GOMAXPROCS
// workers into io.Discard; one op is the whole batch.
func BenchmarkPDFBatch1000(b *testing.B) {
	r := newTestRenderer(b, PDFOptions{})
	letters := make([]*Letter, 1000)
	for i := range letters {
		l := pdfTestLetter("a4", false)
		l.Recipient.Name = l.Recipient.Name + " " + strings.Repeat("x", i%7)
		letters[i] = l
	}
	b.ReportAllocs()
	for b.Loop() {
		renderBatch(b, len(letters), func(i int, buf *bytes.Buffer) error { return r.Render(buf, letters[i]) })
	}
}

// BenchmarkPDFCoreFont is the floor: the same letter, ASCII only, laid out
// with fpdf's own MultiCell in the core font Helvetica (nothing embedded),
// 1,000 at a time like BenchmarkPDFBatch1000; page content uncompressed,
// as the renderer writes it.
func BenchmarkPDFCoreFont(b *testing.B) {
	l := asciiLetter(pdfTestLetter("a4", false))
	b.ReportAllocs()
	for b.Loop() {
		renderBatch(b, 1000, func(i int, buf *bytes.Buffer) error { return coreFontLetter(buf, l, false) })
	}
}

// BenchmarkPDFCoreFontCompressed is the same with fpdf's default page
// compression, which allocates a zlib writer (about 1 MB) per page.
func BenchmarkPDFCoreFontCompressed(b *testing.B) {
	l := asciiLetter(pdfTestLetter("a4", false))
	b.ReportAllocs()
	for b.Loop() {
		renderBatch(b, 1000, func(i int, buf *bytes.Buffer) error { return coreFontLetter(buf, l, true) })
	}
}

// BenchmarkPDFCoreFontOne is one core-font letter, to compare with
// BenchmarkPDFOne.
func BenchmarkPDFCoreFontOne(b *testing.B) {
	l := asciiLetter(pdfTestLetter("a4", false))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := coreFontLetter(&buf, l, false); err != nil {
			b.Fatal(err)
		}
	}
}

func renderBatch(b *testing.B, n int, render func(i int, buf *bytes.Buffer) error) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range jobs {
				buf.Reset()
				if err := render(i, &buf); err != nil {
					once.Do(func() { first = err })
				}
				io.Copy(io.Discard, &buf)
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		b.Fatal(first)
	}
}

func asciiLetter(l *Letter) *Letter {
	c := *l
	ascii := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r < 0x80 {
				return r
			}
			return 'x'
		}, s)
	}
	c.Sender.Name, c.Recipient.Name, c.Subject = ascii(c.Sender.Name), ascii(c.Recipient.Name), ascii(c.Subject)
	c.Sender.Address = nil
	for _, a := range l.Sender.Address {
		c.Sender.Address = append(c.Sender.Address, ascii(a))
	}
	c.Recipient.Address = nil
	for _, a := range l.Recipient.Address {
		c.Recipient.Address = append(c.Recipient.Address, ascii(a))
	}
	c.Body = nil
	for _, bl := range l.Body {
		nb := Block{Text: ascii(bl.Text)}
		for _, it := range bl.Items {
			nb.Items = append(nb.Items, ascii(it))
		}
		c.Body = append(c.Body, nb)
	}
	return &c
}

// coreFontLetter lays the letter out the simple way, in Helvetica.
func coreFontLetter(w io.Writer, l *Letter, compress bool) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(compress)
	t := l.Date.UTC()
	pdf.SetCreationDate(t)
	pdf.SetModificationDate(t)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(l.Subject, true)
	pdf.SetAuthor(l.Sender.Name, true)
	pdf.SetMargins(25, 20, 20)
	pdf.SetAutoPageBreak(true, 25)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetXY(125, 20)
	pdf.Cell(65, 4.6, l.Sender.Name)
	pdf.SetFont("Helvetica", "", 8.5)
	y := 24.6
	for _, a := range append(append([]string{}, l.Sender.Address...), l.Sender.Email, l.Sender.Phone) {
		pdf.SetXY(125, y)
		pdf.Cell(65, 3.8, a)
		y += 3.8
	}
	pdf.SetXY(125, 62.7)
	pdf.Cell(65, 3.8, l.FormatDate(l.Date))
	pdf.SetXY(125, 66.5)
	pdf.Cell(65, 3.8, "Reference: "+l.Reference)
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetXY(25, 62.7)
	for _, a := range append([]string{l.Recipient.Name}, l.Recipient.Address...) {
		pdf.Cell(75, 4.23, a)
		pdf.Ln(4.23)
	}
	pdf.SetXY(25, 98.46)
	pdf.SetFont("Helvetica", "B", 10.5)
	pdf.MultiCell(165, 5.2, l.Subject, "", "L", false)
	pdf.Ln(7)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(165, 4.8, l.Opening, "", "L", false)
	for _, bl := range l.Body {
		pdf.Ln(2.9)
		if bl.Text != "" {
			pdf.MultiCell(165, 4.8, bl.Text, "", "L", false)
		}
		for _, it := range bl.Items {
			pdf.SetX(26)
			pdf.Cell(4, 4.8, "-")
			pdf.MultiCell(160, 4.8, it, "", "L", false)
		}
	}
	pdf.Ln(4.8)
	pdf.MultiCell(165, 4.8, l.Closing, "", "L", false)
	pdf.Ln(17)
	pdf.MultiCell(165, 4.8, l.Signature(), "", "L", false)
	return pdf.Output(w)
}

// latinTestLetter is the sample letter with Latin names only: Polish,
// Romanian and Turkish letters, all in the built-in faces' Latin cut.
func latinTestLetter(paper string) *Letter {
	l := pdfTestLetter(paper, false)
	l.Recipient.Name = "Zoë Data Services S.R.L. — Privacy Office"
	l.Recipient.Address = []string{"Attn: Data Protection Officer", "Strada Știrbei Vodă 44", "010102 București", "Romania"}
	l.Service = "Żabka Şişli Shop"
	l.Subject = "Request for erasure of personal data under Article 17 GDPR: Żabka Şişli Shop account, ref. ERASE-20261127-K3F9QX"
	l.Body[0].Text = "I ask you to erase all personal data you hold about me, without undue delay, and to delete my Żabka Şişli Shop account. I make this request under Article 17 GDPR."
	l.Body[1].Text = "Please find my Żabka Şişli Shop account with these details:"
	return l
}

// BenchmarkPDFColdOneEnglish is BenchmarkPDFColdOne for a letter in
// English (ASCII only), like the README's: its cuts are shipped.
func BenchmarkPDFColdOneEnglish(b *testing.B) {
	benchmarkPDFColdOne(b, asciiLetter(pdfTestLetter("a4", false)))
}

// BenchmarkPDFColdOneLatin is BenchmarkPDFColdOne for a letter with
// Polish, Romanian and Turkish names: its cuts are shipped.
func BenchmarkPDFColdOneLatin(b *testing.B) {
	benchmarkPDFColdOne(b, latinTestLetter("a4"))
}

func benchmarkPDFColdOne(b *testing.B, l *Letter) {
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		pdffont.ResetCaches(true)
		buf.Reset()
		r := newTestRenderer(b, PDFOptions{})
		if err := r.Render(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
}
