package pdffont

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestEmbedShippedCuts: text in English, and text in the Latin scripts of
// Europe, embed the built-in faces' shipped cuts and cut nothing, and give
// the same bytes as when the same cuts are made at run time; Greek text is
// cut at run time, once per face.
func TestEmbedShippedCuts(t *testing.T) {
	dr, db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cuts := func() int { return len(dr.subsets) + len(db.subsets) }
	for _, c := range []struct {
		name, text string
		cuts       int
	}{
		{"english", "Request for erasure of personal data under Article 17 GDPR — “Zoë” Café, 12 €", 0},
		{"latin", "Zoë Łukasiewicz, Żółwia 12 m. 4, Strada Știrbei Vodă 44, 010102 București, Żabka Şişli Shop", 0},
		{"greek", "Ζωή Data Services Α.Ε., Λεωφόρος Κηφισίας 44, 151 25 Μαρούσι", 2},
	} {
		ResetCaches(true)
		shipped := embedDoc(t, c.text, dr, db)
		if got := cuts(); got != c.cuts {
			t.Errorf("%s: %d cuts made at run time, want %d", c.name, got, c.cuts)
		}
		// Without the shipped cuts, the same cuts are made now.
		ResetCaches(true)
		dr.fixed, db.fixed = nil, nil
		now := embedDoc(t, c.text, dr, db)
		ResetCaches(true)
		if !bytes.Equal(shipped, now) {
			t.Errorf("%s: the shipped cuts give other bytes than cutting now: %s", c.name, regenerateCuts)
		}
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationStrict
		if err := api.Validate(bytes.NewReader(shipped), conf); err != nil {
			t.Errorf("%s: pdfcpu validation: %v", c.name, err)
		}
	}
}

// embedDoc writes text in a one-page PDF once in each face, each face
// embedded for the characters it draws, as the renderer embeds them.
func embedDoc(t testing.TB, text string, faces ...*Face) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	date := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	pdf.AddPage()
	used := []rune(text)
	slices.Sort(used)
	used = slices.Compact(used)
	for i, f := range faces {
		e, err := f.Embed(pdf, i, true, used)
		if err != nil {
			t.Fatal(err)
		}
		x := 20.0
		for _, r := range text {
			page, code := e.Code(r)
			pdf.SetFont(e.Family(page), "", 10)
			pdf.Text(x, 20+10*float64(i), string([]byte{code}))
			x += float64(f.Width(r)) * 10 / 1000 * 25.4 / 72
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
