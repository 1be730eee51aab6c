package pdffont

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"codeberg.org/go-fonts/dejavu/dejavusans"
)

// TestBuiltin: the built-in faces read as fpdf's parser reads them: the
// names, font descriptors and widths the renderer's PDFs were made with.
func TestBuiltin(t *testing.T) {
	dr, db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f        *Face
		name, ps string
		d        faceDesc
	}{
		{dr, "DejaVu Sans", "DejaVuSans", faceDesc{ascent: 928, descent: -235, capHeight: 928, flags: 32, bbox: [4]int{-1020, -462, 1793, 1232}, stemV: 87, missingWidth: 600, up: -63, ut: 44}},
		{db, "DejaVu Sans Bold", "DejaVuSans-Bold", faceDesc{ascent: 928, descent: -235, capHeight: 928, flags: 262176, bbox: [4]int{-1069, -415, 1975, 1174}, stemV: 165, missingWidth: 600, up: -63, ut: 44}},
	} {
		f := c.f
		if f.Name() != c.name || f.ps != c.ps || f.d != c.d || !f.builtin {
			t.Errorf("%s %s %+v builtin %v, want %s %s %+v", f.Name(), f.ps, f.d, f.builtin, c.name, c.ps, c.d)
		}
	}
	for _, c := range []struct {
		r     rune
		has   bool
		width int
	}{{'A', true, 684}, {'ż', true, 525}, {'Ж', true, 1077}, {'张', false, 600}, {0x1F600, false, 600}, {-1, false, 600}} {
		if dr.Has(c.r) != c.has || dr.Width(c.r) != c.width {
			t.Errorf("%U: has %v width %d, want %v %d", c.r, dr.Has(c.r), dr.Width(c.r), c.has, c.width)
		}
	}
}

// TestParseRefuses: a file that is not a TrueType font fpdf can embed is
// refused, saying why, without printing anything or panicking.
func TestParseRefuses(t *testing.T) {
	ttf := dejavusans.TTF
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "is not a TrueType font (only 0 bytes)"},
		{"garbage", []byte("this is not a font at all"), "is not a TrueType font"},
		{"otf", withBytes(ttf, 0, "OTTO"), "is an OpenType font with PostScript (CFF) outlines; only fonts with TrueType outlines can be embedded"},
		{"ttc", withBytes(ttf, 0, "ttcf"), "is a font collection (.ttc), not a single TrueType font"},
		{"woff", withBytes(ttf, 0, "wOFF"), "is a web font (WOFF), not a TrueType font"},
		{"truncated", ttf[:len(ttf)/3], "is not a valid TrueType font: "},
		{"no name", withBytes(ttf, tableEntry(t, ttf, "name"), "nome"), `is not a usable TrueType font: it has no "name" table`},
		{"licence", withU16(ttf, tableOffset(t, ttf, "OS/2")+8, 0x0002), "is a font whose licence does not allow embedding it in a document (fsType 0x0002)"},
		{"name format", withU16(ttf, tableOffset(t, ttf, "name"), 1), `is not a usable TrueType font: its "name" table has format 1`},
		{"metrics format", withU16(ttf, tableOffset(t, ttf, "hhea")+32, 1), "is not a valid TrueType font: unknown horizontal metrics format"},
		{"units per em", withU16(ttf, tableOffset(t, ttf, "head")+18, 8), "is not a valid TrueType font: units per em is 8"},
		{"gpos", withU16(ttf, gposFeatureCount(t, ttf), 1), "is not a valid TrueType font: sfnt: runtime error: index out of range"},
		{"loca", withU16(ttf, tableOffset(t, ttf, "loca")+4*100, 0xFFFF) /* long offsets */, `is not a valid TrueType font: glyph 100 lies outside the "glyf" table`},
	} {
		f, err := Parse(c.b)
		if err == nil || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.name, err, c.msg)
		}
		if f != nil {
			t.Errorf("%s: a face and an error", c.name)
		}
	}
	f, err := Parse(ttf)
	if err != nil || f.builtin || f.Name() != "DejaVu Sans" {
		t.Fatalf("%v, %v", f, err)
	}
}

func withBytes(b []byte, at int, s string) []byte {
	b = bytes.Clone(b)
	copy(b[at:], s)
	return b
}

func withU16(b []byte, at int, v uint16) []byte {
	b = bytes.Clone(b)
	binary.BigEndian.PutUint16(b[at:], v)
	return b
}

// tableEntry is the offset of the named table's entry in the table
// directory of b.
func tableEntry(t *testing.T, b []byte, name string) int {
	t.Helper()
	for i := range int(binary.BigEndian.Uint16(b[4:])) {
		if e := 12 + 16*i; string(b[e:e+4]) == name {
			return e
		}
	}
	t.Fatalf("no %q table", name)
	return 0
}

// tableOffset is the offset of the named table in b.
func tableOffset(t *testing.T, b []byte, name string) int {
	return int(binary.BigEndian.Uint32(b[tableEntry(t, b, name)+8:]))
}

// gposFeatureCount is the offset of the feature count in the GPOS table
// of b. Set to 1 in DejaVu Sans, it makes x/image's sfnt.Parse panic.
func gposFeatureCount(t *testing.T, b []byte) int {
	gpos := tableOffset(t, b, "GPOS")
	return gpos + int(binary.BigEndian.Uint16(b[gpos+6:]))
}
