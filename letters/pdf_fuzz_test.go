package letters

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/erase-cli/erase/internal/badinput"
)

// fuzzPDF is one renderer for the whole run: fonts are parsed once.
var fuzzPDF = sync.OnceValues(func() (*PDFRenderer, error) { return NewPDFRenderer(PDFOptions{}) })

// FuzzPDF renders a letter whose printed fields (and language) are
// fuzzed: it never panics, and either fails with bad input having written
// nothing, or writes a whole PDF (%PDF- ... %%EOF) that pdfcpu validates.
func FuzzPDF(f *testing.F) {
	f.Add("Zoë Łukasiewicz", "Żółwia 12 m. 4", "Ζωή Data Services Α.Ε.", "Λεωφόρος Κηφισίας 44", "Зоя Shop", "I ask you to erase all personal data you hold about me.", "Username: zoya_1987", "Yours faithfully,", "en", false)
	f.Add("张伟", "北京市", "阿里巴巴", "", "淘宝", "请删除", "", "此致", "zh-Hans-CN", true)
	f.Add("", "", "", "", "", "", "", "", "", false)
	f.Add("a\nb", "\t", "\r", "\x00", "\u2028", "\U0001F600", "\xff\xfe", "((x)) \\ ) (", "e(n", true)
	f.Add(strings.Repeat("W", fuzzMax), strings.Repeat("Wide ", 40), strings.Repeat("x", fuzzMax), "", strings.Repeat("ř", 100), strings.Repeat("Lorem ipsum ", 16), strings.Repeat("- ", 100), "", "de", false)
	f.Fuzz(func(t *testing.T, name, address, recipient, recipientAddress, subject, text, item, closing, lang string, letterPaper bool) {
		if fuzzTooLong(name, address, recipient, recipientAddress, subject, text, item, closing, lang) {
			return
		}
		r, err := fuzzPDF()
		if err != nil {
			t.Fatal(err)
		}
		l := pdfTestLetter("a4", false)
		if letterPaper {
			l.Paper = "letter"
		}
		l.Sender.Name, l.Sender.Address = name, []string{address}
		l.Recipient.Name, l.Recipient.Address = recipient, []string{recipientAddress}
		l.Subject, l.Closing, l.Language = subject, closing, lang
		l.Body = append(l.Body, Block{Text: text, Items: []string{item}})
		var b bytes.Buffer
		if err := r.Render(&b, l); err != nil {
			if _, ok := badinput.As(err); !ok {
				t.Fatalf("not a bad-input error: %v", err)
			}
			if b.Len() != 0 {
				t.Fatalf("failed with %v after writing %d bytes", err, b.Len())
			}
			return
		}
		out := bytes.TrimRight(b.Bytes(), "\r\n")
		if !bytes.HasPrefix(out, []byte("%PDF-")) || !bytes.HasSuffix(out, []byte("%%EOF")) {
			t.Fatalf("not a whole PDF: %d bytes, %q ... %q", b.Len(), out[:min(len(out), 16)], out[max(0, len(out)-16):])
		}
		validatePDF(t, b.Bytes())
	})
}
