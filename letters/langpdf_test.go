package letters

import (
	"bytes"
	"testing"

	"github.com/erase-cli/erase/templates"
)

// TestLanguagesPrint renders, for every language, a letter of every kind
// of a regime it has words for to PDF with the built-in fonts: every
// character a letter in it says must be there. Chinese, Japanese and
// Korean need a CJK font the built-in fonts do not carry; for them the
// test says so and skips (erase letter looks for one on the machine).
func TestLanguagesPrint(t *testing.T) {
	laws := mustLaws(t)
	tmpls := templates.New(nil, templates.Embedded())
	r, err := NewPDFRenderer(PDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cjk := map[string]bool{"zh": true, "ja": true, "ko": true}
	for _, lang := range tmpls.Languages() {
		t.Run(lang, func(t *testing.T) {
			if cjk[lang] {
				t.Skipf("%s needs a CJK TrueType font, which DejaVu Sans is not; erase letter finds one on the machine or takes --font", lang)
			}
			n := 0
			for _, reg := range laws.All() {
				for _, kind := range reg.Kinds() {
					req := sampleRequest(reg)
					req.Kind, req.Language = kind, lang
					req.Details = map[string][]string{"correction": {"x"}}
					if kind != "rectification" {
						req.Details = nil
					}
					if CheckLanguage(lang, req, tmpls) != nil {
						continue
					}
					l, err := Compose(req, tmpls)
					if err != nil {
						t.Errorf("%s %s: %v", reg.ID, kind, err)
						continue
					}
					if err := r.CheckGlyphs(l); err != nil {
						t.Errorf("%s %s: %v", reg.ID, kind, err)
					}
					var b bytes.Buffer
					if err := r.Render(&b, l); err != nil || b.Len() == 0 {
						t.Errorf("%s %s: render: %v", reg.ID, kind, err)
					}
					n++
				}
			}
			if n == 0 {
				t.Errorf("no letter in %s", lang)
			}
		})
	}
}
