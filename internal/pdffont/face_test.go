package pdffont

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"golang.org/x/image/font/sfnt"
)

// TestBuiltinFacesRead: the built-in faces, read without x/image's sfnt
// parser as Builtin reads them, pass it and read the same.
func TestBuiltinFacesRead(t *testing.T) {
	dr, db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ttf []byte
		f   *Face
	}{{dejavusans.TTF, dr}, {dejavusansbold.TTF, db}} {
		checked, err := parseFace(c.ttf)
		if err != nil {
			t.Fatal(err)
		}
		f := c.f
		if f.name != checked.name || f.ps != checked.ps || f.d != checked.d || f.sum != checked.sum ||
			f.winAnsiCw != checked.winAnsiCw || !slices.Equal(f.gid, checked.gid) || !slices.Equal(f.adv, checked.adv) {
			t.Errorf("%s: read without the sfnt parser, it differs from parseFace's", checked.name)
		}
		if !f.builtin || checked.builtin {
			t.Errorf("%s: builtin %v, parsed %v", f.name, f.builtin, checked.builtin)
		}
	}
	if dr.name != "DejaVu Sans" || db.name != "DejaVu Sans Bold" || dr.ps != "DejaVuSans" || db.ps != "DejaVuSans-Bold" {
		t.Errorf("names %q %q, %q %q", dr.name, dr.ps, db.name, db.ps)
	}
}

// TestFontNames: ttName reads the names x/image's sfnt reads, for every
// TrueType font at hand.
func TestFontNames(t *testing.T) {
	fonts := map[string][]byte{"DejaVuSans": dejavusans.TTF, "DejaVuSans-Bold": dejavusansbold.TTF}
	paths, _ := filepath.Glob("/usr/share/fonts/truetype/*/*.ttf")
	if len(paths) > 20 {
		paths = paths[:20]
	}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			fonts[p] = b
		}
	}
	for name, b := range fonts {
		if _, err := parseFace(b); err != nil {
			continue
		}
		sf, err := sfnt.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		tables := map[string]ttTable{}
		n := int(b[4])<<8 | int(b[5])
		for i := 0; i < n; i++ {
			e := b[12+16*i:]
			tables[string(e[:4])] = ttTable{int(e[8])<<24 | int(e[9])<<16 | int(e[10])<<8 | int(e[11]), int(e[12])<<24 | int(e[13])<<16 | int(e[14])<<8 | int(e[15])}
		}
		for _, id := range []sfnt.NameID{sfnt.NameIDFamily, sfnt.NameIDFull, sfnt.NameIDPostScript, sfnt.NameIDCopyright, sfnt.NameIDVersion} {
			want, _ := sf.Name(nil, id)
			if got := ttName(b, tables["name"], id); got != want {
				t.Errorf("%s: name %d is %q, sfnt reads %q", name, id, got, want)
			}
		}
	}
}
