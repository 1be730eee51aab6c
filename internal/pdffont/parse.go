package pdffont

import (
	"encoding/binary"
	"fmt"
	"math"
	"regexp"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Reading a face. x/image's sfnt parser checks the font's structure and
// gives its names, number of glyphs, units per em, bounds, ascent,
// descent, cap height and post table. The rest is read by hand, where
// sfnt does not read it, or not the way fpdf does, or too slowly for the
// way to a process's first letter:
//
//   - the file's kind (checkKind), to say what a file that is not a
//     TrueType font is;
//   - what fpdf's parser and subsetter read more loosely than sfnt checks
//     it (checkFpdf), where fpdf would print a message (fmt.Printf) or
//     index out of range;
//   - OS/2's weight, embedding licence and typographic ascent and
//     descent (readOS2), and head's checksum, which sfnt does not expose;
//   - the cmap (cmap4) and the advances (advances), each into a table of
//     the whole face at once.

// readFace checks that b is a TrueType font that fpdf can embed and
// subset without printing to stdout or panicking, and reads what the
// renderer needs from it.
func readFace(b []byte) (*Face, error) {
	if err := checkKind(b); err != nil {
		return nil, err
	}
	sf, err := parseSFNT(b)
	if err != nil {
		return nil, fontErrorf("is not a valid TrueType font: %v", err)
	}
	t, err := readTables(b)
	if err != nil {
		return nil, err
	}
	if err := t.checkFpdf(sf); err != nil {
		return nil, err
	}
	os2, err := t.readOS2()
	if err != nil {
		return nil, err
	}
	gid, err := t.cmap4(sf.NumGlyphs())
	if err != nil {
		return nil, err
	}
	adv := t.advances(sf.NumGlyphs(), int(sf.UnitsPerEm()))
	var buf sfnt.Buffer
	f := &Face{
		ttf: b, gid: gid, adv: adv,
		d:       describe(sf, &buf, os2, adv[0]),
		sum:     uint32(t.u32(t.tables["head"].off + 8)),
		subsets: map[string]*subsetEntry{},
	}
	f.name, f.ps = names(sf, &buf)
	for c := 32; c < 256; c++ {
		if r := winAnsi[c]; r != 0 && f.Has(r) {
			f.winAnsiCw[c] = f.Width(r)
		}
	}
	return f, nil
}

// checkKind tells a TrueType font from the files that are not one, in
// words a user understands; sfnt.Parse would reject them all alike, and
// would accept the fonts with PostScript outlines fpdf cannot embed.
func checkKind(b []byte) error {
	if len(b) < 12 {
		return fontErrorf("is not a TrueType font (only %d bytes)", len(b))
	}
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "true":
		return nil
	case "OTTO":
		return fontErrorf("is an OpenType font with PostScript (CFF) outlines; only fonts with TrueType outlines can be embedded")
	case "ttcf":
		return fontErrorf("is a font collection (.ttc), not a single TrueType font")
	case "wOFF", "wOF2":
		return fontErrorf("is a web font (WOFF), not a TrueType font")
	}
	return fontErrorf("is not a TrueType font")
}

// parseSFNT is sfnt.Parse, with a panic turned into an error: x/image
// v0.48.0 indexes out of range on some malformed GPOS tables (a feature
// index equal to the number of features).
func parseSFNT(b []byte) (sf *sfnt.Font, err error) {
	defer func() {
		if p := recover(); p != nil {
			sf, err = nil, fmt.Errorf("sfnt: %v", p)
		}
	}()
	return sfnt.Parse(b)
}

type ttTable struct{ off, n int }

// ttFile is a font file sfnt.Parse has accepted, and its tables by name;
// every table lies inside the file.
type ttFile struct {
	b      []byte
	tables map[string]ttTable
}

func (t *ttFile) u16(o int) int { return int(binary.BigEndian.Uint16(t.b[o:])) }
func (t *ttFile) i16(o int) int { return int(int16(binary.BigEndian.Uint16(t.b[o:]))) }
func (t *ttFile) u32(o int) int { return int(binary.BigEndian.Uint32(t.b[o:])) }

// fpdfTables are the tables fpdf reads, each with the least length it
// reads of it. sfnt requires most of them, but not glyf or name.
var fpdfTables = []struct {
	name string
	min  int
}{{"cmap", 4}, {"glyf", 0}, {"head", 54}, {"hhea", 36}, {"hmtx", 4}, {"loca", 2}, {"maxp", 6}, {"name", 6}, {"post", 16}}

// readTables reads the table directory of b, which sfnt.Parse has
// checked, and checks that every table fpdf reads is there.
func readTables(b []byte) (*ttFile, error) {
	t := &ttFile{b: b, tables: map[string]ttTable{}}
	for i := range t.u16(4) {
		e := 12 + 16*i
		t.tables[string(b[e:e+4])] = ttTable{t.u32(e + 8), t.u32(e + 12)}
	}
	for _, need := range fpdfTables {
		tb, ok := t.tables[need.name]
		if !ok {
			return nil, fontErrorf("is not a usable TrueType font: it has no %q table", need.name)
		}
		if tb.n < need.min {
			return nil, fontErrorf("is not a valid TrueType font: its %q table is too short", need.name)
		}
	}
	return t, nil
}

// checkFpdf checks what fpdf reads more loosely than sfnt does.
func (t *ttFile) checkFpdf(sf *sfnt.Font) error {
	head, hhea := t.tables["head"].off, t.tables["hhea"].off
	if upem := int(sf.UnitsPerEm()); upem < 16 || upem > 16384 {
		return fontErrorf("is not a valid TrueType font: units per em is %d", upem)
	}
	locaFormat := t.u16(head + 50)
	if locaFormat > 1 || t.u16(head+52) != 0 {
		return fontErrorf("is not a valid TrueType font: unknown glyph data format")
	}
	if t.u16(hhea+32) != 0 {
		return fontErrorf("is not a valid TrueType font: unknown horizontal metrics format")
	}
	// sfnt also takes an hmtx without the left side bearings of the
	// glyphs past the last full metric.
	numGlyphs, numHMetrics := sf.NumGlyphs(), t.u16(hhea+34)
	if t.tables["hmtx"].n < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return fontErrorf("is not a valid TrueType font: its \"hmtx\" table is too short")
	}
	if err := t.checkLoca(locaFormat, numGlyphs); err != nil {
		return err
	}
	return t.checkNames()
}

// checkLoca checks that every glyph lies inside glyf: sfnt finds out only
// when it loads the glyph.
func (t *ttFile) checkLoca(format, numGlyphs int) error {
	loca, glyf := t.tables["loca"].off, t.tables["glyf"].n
	prev := 0
	for g := 0; g <= numGlyphs; g++ {
		var p int
		if format == 0 {
			p = 2 * t.u16(loca+2*g)
		} else {
			p = t.u32(loca + 4*g)
		}
		if p < prev || p > glyf {
			return fontErrorf("is not a valid TrueType font: glyph %d lies outside the \"glyf\" table", g)
		}
		prev = p
	}
	return nil
}

// checkNames checks the name table as fpdf reads it, which sfnt does not
// parse until asked for a name: format 0 only, every string inside the
// file, and even-sized Windows names.
func (t *ttFile) checkNames() error {
	nm := t.tables["name"]
	if format := t.u16(nm.off); format != 0 {
		return fontErrorf("is not a usable TrueType font: its \"name\" table has format %d", format)
	}
	count := t.u16(nm.off + 2)
	if nm.n < 6+12*count {
		return fontErrorf("is not a valid TrueType font: its \"name\" table is too short")
	}
	strOff := nm.off + t.u16(nm.off+4)
	for i := range count {
		r := nm.off + 6 + 12*i
		plat, enc, lang, id, size, off := t.u16(r), t.u16(r+2), t.u16(r+4), t.u16(r+6), t.u16(r+8), t.u16(r+10)
		if strOff+off+size > len(t.b) {
			return fontErrorf("is not a valid TrueType font: a name lies outside the file")
		}
		if plat == 3 && enc == 1 && lang == 0x409 && size%2 != 0 && (id <= 4 || id == 6) {
			return fontErrorf("is not a valid TrueType font: a Windows name has an odd length")
		}
	}
	return nil
}

// os2 is what the font descriptor needs of the OS/2 table, which sfnt
// does not expose but for the cap height.
type os2 struct {
	present           bool
	version, weight   int
	typoAsc, typoDesc int // in font units
}

// readOS2 reads the OS/2 table, if there is one, and refuses a font whose
// licence (fsType) does not allow embedding it, as fpdf does.
func (t *ttFile) readOS2() (os2, error) {
	tb, ok := t.tables["OS/2"]
	if !ok {
		return os2{weight: 500}, nil
	}
	// sfnt takes a table of 68 bytes; fpdf reads 72.
	if tb.n < 72 {
		return os2{}, fontErrorf("is not a valid TrueType font: its \"OS/2\" table is too short")
	}
	if fsType := t.u16(tb.off + 8); fsType == 0x0002 || fsType&0x0300 != 0 {
		return os2{}, fontErrorf("is a font whose licence does not allow embedding it in a document (fsType %#04x)", fsType)
	}
	version := t.u16(tb.off)
	return os2{
		present: true, version: version, weight: t.u16(tb.off + 4),
		typoAsc: t.i16(tb.off + 68), typoDesc: t.i16(tb.off + 70),
	}, nil
}

// describe makes the font descriptor fpdf writes, from what sfnt reads
// and from OS/2, the way fpdf's own parser makes it.
func describe(sf *sfnt.Font, buf *sfnt.Buffer, o os2, missingWidth uint16) faceDesc {
	upem := sf.UnitsPerEm()
	ppem := fixed.Int26_6(upem) // so that sfnt answers in font units
	scale := 1000.0 / float64(upem)
	sc := func(v fixed.Int26_6) int { return int(float64(v) * scale) }
	// Bounds and Metrics cannot fail: they only scale what Parse read.
	bounds, _ := sf.Bounds(buf, ppem, font.HintingNone)
	m, _ := sf.Metrics(buf, ppem, font.HintingNone)
	// sfnt's Y axis points down.
	d := faceDesc{
		bbox:         [4]int{sc(bounds.Min.X), sc(-bounds.Max.Y), sc(bounds.Max.X), sc(-bounds.Min.Y)},
		ascent:       sc(m.Ascent),
		descent:      sc(-m.Descent),
		missingWidth: int(missingWidth),
		stemV:        50 + int(math.Pow(float64(o.weight)/65.0, 2)),
		flags:        32, // nonsymbolic: codes map through glyph names and the (3,1) cmap
	}
	if d.ascent == 0 {
		d.ascent = d.bbox[3]
		if o.present {
			d.ascent = sc(fixed.Int26_6(o.typoAsc))
		}
	}
	if d.descent == 0 {
		d.descent = d.bbox[1]
		if o.present {
			d.descent = sc(fixed.Int26_6(o.typoDesc))
		}
	}
	// sfnt makes up a cap height from the glyph H for an OS/2 table older
	// than version 2, which has none; fpdf takes the ascent.
	d.capHeight = d.ascent
	if o.version > 1 {
		d.capHeight = sc(m.CapHeight)
	}
	if post := sf.PostTable(); post != nil {
		d.italicAngle = int(math.Floor(post.ItalicAngle)) // fpdf reads the high 16 bits: rounded down
		d.up = int(math.Round(float64(post.UnderlinePosition) * scale))
		d.ut = int(math.Round(float64(post.UnderlineThickness) * scale))
		if post.IsFixedPitch {
			d.flags |= 1
		}
	}
	if d.italicAngle != 0 {
		d.flags |= 64
	}
	if o.weight >= 600 {
		d.flags |= 262144
	}
	return d
}

// advances are the advance widths of every glyph in 1/1000 em, rounded as
// fpdf rounds them; like fpdf, an advance of 32768 units or more counts as
// none. sfnt.Font.GlyphAdvance gives the same numbers a glyph at a time,
// at three times the cost (80 µs against 25 µs for the 6,253 glyphs of
// DejaVu Sans), which every process would pay before its first letter.
func (t *ttFile) advances(numGlyphs, upem int) []uint16 {
	hm := t.tables["hmtx"].off
	numHMetrics := t.u16(t.tables["hhea"].off + 34)
	scale := 1000.0 / float64(upem)
	adv := make([]uint16, numGlyphs)
	a := 0
	for g := range adv {
		if g < numHMetrics {
			if a = t.u16(hm + 4*g); a >= 1<<15 {
				a = 0
			}
		}
		adv[g] = uint16(math.Round(scale * float64(a)))
	}
	return adv
}

var psNameRE = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// names are the face's full name, for messages, and its PostScript name
// for /BaseFont, cleaned up and short enough for a subset tag before it.
func names(sf *sfnt.Font, buf *sfnt.Buffer) (name, ps string) {
	name = firstName(sf, buf, sfnt.NameIDFull, sfnt.NameIDFamily)
	if name == "" {
		name = "given"
	}
	ps = psNameRE.ReplaceAllString(firstName(sf, buf, sfnt.NameIDPostScript), "")
	if ps == "" {
		ps = psNameRE.ReplaceAllString(name, "")
	}
	if ps == "" {
		ps = "Font"
	}
	return name, ps[:min(len(ps), 63-7)]
}

// firstName is the first of the names ids that the font has; "" if none.
func firstName(sf *sfnt.Font, buf *sfnt.Buffer, ids ...sfnt.NameID) string {
	for _, id := range ids {
		if s, err := sf.Name(buf, id); err == nil && s != "" {
			return s
		}
	}
	return ""
}

// cmap4 reads the Unicode cmap the way fpdf's subsetter does: the first
// (3,1) or (0,*) subtable in format 4, with each glyph index of a segment
// read through its idRangeOffset shifted by the segment's idDelta. Reading
// the same subtable the same way keeps the glyph check and the embedded
// subset in agreement. sfnt.Font.GlyphIndex reads another way: it takes
// the widest subtable (a format 12, if there is one) and does not add the
// idDelta to an indexed glyph. It is also slower, by a rune at a time:
// filling the table of 65,536 runes with it takes about 1.1 ms per face,
// on the way to every process's first letter.
func (t *ttFile) cmap4(numGlyphs int) ([]uint16, error) {
	sub, err := t.findCmap4()
	if err != nil {
		return nil, err
	}
	length := t.u16(sub + 2)
	segs := t.u16(sub+6) / 2
	if sub+length > len(t.b) || sub+16+8*segs > len(t.b) || 16+8*segs > length {
		return nil, fontErrorf("is not a valid TrueType font: its character map is truncated")
	}
	gid := make([]uint16, 0x10000)
	rim := sub + length
	ends, starts, deltas, ranges := sub+14, sub+16+2*segs, sub+16+4*segs, sub+16+6*segs
	for s := range segs {
		e, st := t.u16(ends+2*s), t.u16(starts+2*s)
		delta := t.i16(deltas + 2*s)
		ro := t.u16(ranges + 2*s)
		for c := st; c <= e && c <= 0xFFFF; c++ {
			g := (c + delta) & 0xFFFF
			if ro != 0 {
				g = t.cmap4Indexed(ranges+2*s+ro+2*(c-st), rim, delta)
			}
			if g >= numGlyphs {
				g = 0
			}
			gid[c] = uint16(g)
		}
	}
	return gid, nil
}

// cmap4Indexed is the glyph index at p in a format 4 subtable ending at
// rim, shifted by delta; 0 past the subtable's end.
func (t *ttFile) cmap4Indexed(p, rim, delta int) int {
	if p+2 > rim || p+2 > len(t.b) {
		return 0
	}
	if g := t.u16(p); g != 0 {
		return (g + delta) & 0xFFFF
	}
	return 0
}

// findCmap4 returns the offset of the subtable cmap4 reads.
func (t *ttFile) findCmap4() (int, error) {
	cm := t.tables["cmap"]
	end := cm.off + cm.n
	n := t.u16(cm.off + 2)
	if cm.n < 4+8*n {
		return 0, fontErrorf("is not a valid TrueType font: its \"cmap\" table is too short")
	}
	for i := range n {
		r := cm.off + 4 + 8*i
		if plat, enc := t.u16(r), t.u16(r+2); !(plat == 3 && enc == 1) && plat != 0 {
			continue
		}
		off := t.u32(r + 4)
		p := cm.off + off
		if p+2 > end {
			return 0, fontErrorf("is not a valid TrueType font: a \"cmap\" subtable lies outside the table")
		}
		if t.u16(p) != 4 {
			continue
		}
		if p+14 > end {
			return 0, fontErrorf("is not a valid TrueType font: its character map is truncated")
		}
		return p, nil
	}
	return 0, fontErrorf("is not a usable TrueType font: it has no Unicode character map (format 4)")
}
