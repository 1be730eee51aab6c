package pdffont

import (
	"encoding/binary"
	"math"
	"regexp"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/charmap"
)

type ttTable struct{ off, n int }

// parseFace checks that b is a TrueType font that fpdf can embed and
// subset without printing to stdout or panicking, and reads what the
// renderer needs from it. Every check mirrors a place where fpdf's parser
// would print a message (fmt.Printf) or index out of range; x/image's
// sfnt parser checks the rest of the font.
func parseFace(b []byte) (*Face, error) { return readFace(b, true) }

// readFace is parseFace; only deep runs the sfnt parser, which a built-in
// face skips: it is known to pass (TestBuiltinFacesRead), and parsing it
// would cost every process a few hundred microseconds.
func readFace(b []byte, deep bool) (*Face, error) {
	if len(b) < 12 {
		return nil, fontErrorf("is not a TrueType font (only %d bytes)", len(b))
	}
	switch tag := string(b[:4]); tag {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return nil, fontErrorf("is an OpenType font with PostScript (CFF) outlines; only fonts with TrueType outlines can be embedded")
	case "ttcf":
		return nil, fontErrorf("is a font collection (.ttc), not a single TrueType font")
	case "wOFF", "wOF2":
		return nil, fontErrorf("is a web font (WOFF), not a TrueType font")
	default:
		return nil, fontErrorf("is not a TrueType font")
	}
	if deep {
		if _, err := sfnt.Parse(b); err != nil {
			return nil, fontErrorf("is not a valid TrueType font: %v", err)
		}
	}
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(b[o:])) }
	i16 := func(o int) int { return int(int16(binary.BigEndian.Uint16(b[o:]))) }
	u32 := func(o int) int { return int(binary.BigEndian.Uint32(b[o:])) }

	n := u16(4)
	if 12+16*n > len(b) {
		return nil, fontErrorf("is not a valid TrueType font: truncated table directory")
	}
	tables := map[string]ttTable{}
	for i := 0; i < n; i++ {
		e := 12 + 16*i
		off, size := u32(e+8), u32(e+12)
		if off < 0 || size < 0 || off > len(b) || size > len(b)-off {
			return nil, fontErrorf("is not a valid TrueType font: table %q lies outside the file", b[e:e+4])
		}
		tables[string(b[e:e+4])] = ttTable{off, size}
	}
	need := map[string]int{"cmap": 4, "glyf": 0, "head": 54, "hhea": 36, "hmtx": 4, "loca": 2, "maxp": 6, "name": 6, "post": 16}
	for _, name := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"} {
		t, ok := tables[name]
		if !ok {
			return nil, fontErrorf("is not a usable TrueType font: it has no %q table", name)
		}
		if t.n < need[name] {
			return nil, fontErrorf("is not a valid TrueType font: its %q table is too short", name)
		}
	}
	head, hhea, maxp := tables["head"].off, tables["hhea"].off, tables["maxp"].off
	upem := u16(head + 18)
	if upem < 16 || upem > 16384 {
		return nil, fontErrorf("is not a valid TrueType font: units per em is %d", upem)
	}
	locaFormat := u16(head + 50)
	if locaFormat > 1 || u16(head+52) != 0 {
		return nil, fontErrorf("is not a valid TrueType font: unknown glyph data format")
	}
	if u16(hhea+32) != 0 {
		return nil, fontErrorf("is not a valid TrueType font: unknown horizontal metrics format")
	}
	numHMetrics := u16(hhea + 34)
	numGlyphs := u16(maxp + 4)
	if numHMetrics == 0 || numGlyphs == 0 || numHMetrics > numGlyphs {
		return nil, fontErrorf("is not a valid TrueType font: %d glyphs, %d metrics", numGlyphs, numHMetrics)
	}
	if tables["hmtx"].n < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return nil, fontErrorf("is not a valid TrueType font: its \"hmtx\" table is too short")
	}
	// loca: every glyph must lie inside glyf.
	loca, glyf := tables["loca"], tables["glyf"]
	entry := 2
	if locaFormat == 1 {
		entry = 4
	}
	if loca.n < entry*(numGlyphs+1) {
		return nil, fontErrorf("is not a valid TrueType font: its \"loca\" table is too short")
	}
	prev := 0
	for g := 0; g <= numGlyphs; g++ {
		var p int
		if locaFormat == 0 {
			p = 2 * u16(loca.off+2*g)
		} else {
			p = u32(loca.off + 4*g)
		}
		if p < prev || p > glyf.n {
			return nil, fontErrorf("is not a valid TrueType font: glyph %d lies outside the \"glyf\" table", g)
		}
		prev = p
	}
	// name: fpdf reads format 0 only and wants even-sized Windows names.
	nm := tables["name"]
	if u16(nm.off) != 0 {
		return nil, fontErrorf("is not a usable TrueType font: its \"name\" table has format %d", u16(nm.off))
	}
	count := u16(nm.off + 2)
	if nm.n < 6+12*count {
		return nil, fontErrorf("is not a valid TrueType font: its \"name\" table is too short")
	}
	strOff := nm.off + u16(nm.off+4)
	for i := 0; i < count; i++ {
		r := nm.off + 6 + 12*i
		plat, enc, lang, id, size, off := u16(r), u16(r+2), u16(r+4), u16(r+6), u16(r+8), u16(r+10)
		if strOff+off+size > len(b) {
			return nil, fontErrorf("is not a valid TrueType font: a name lies outside the file")
		}
		if plat == 3 && enc == 1 && lang == 0x409 && size%2 != 0 && (id <= 4 || id == 6) {
			return nil, fontErrorf("is not a valid TrueType font: a Windows name has an odd length")
		}
	}
	d := faceDesc{}
	scale := 1000.0 / float64(upem)
	sc := func(v int) int { return int(float64(v) * scale) }
	d.bbox = [4]int{sc(i16(head + 36)), sc(i16(head + 38)), sc(i16(head + 40)), sc(i16(head + 42))}
	d.ascent, d.descent = sc(i16(hhea+4)), sc(i16(hhea+6))
	weight := 500
	if os2, ok := tables["OS/2"]; ok {
		if os2.n < 72 {
			return nil, fontErrorf("is not a valid TrueType font: its \"OS/2\" table is too short")
		}
		version := u16(os2.off)
		weight = u16(os2.off + 4)
		fsType := u16(os2.off + 8)
		if fsType == 0x0002 || fsType&0x0300 != 0 {
			return nil, fontErrorf("is a font whose licence does not allow embedding it in a document (fsType %#04x)", fsType)
		}
		if d.ascent == 0 {
			d.ascent = sc(i16(os2.off + 68))
		}
		if d.descent == 0 {
			d.descent = sc(i16(os2.off + 70))
		}
		if version > 1 {
			if os2.n < 90 {
				return nil, fontErrorf("is not a valid TrueType font: its \"OS/2\" table is too short")
			}
			d.capHeight = sc(i16(os2.off + 88))
		} else {
			d.capHeight = d.ascent
		}
	} else {
		if d.ascent == 0 {
			d.ascent = d.bbox[3]
		}
		if d.descent == 0 {
			d.descent = d.bbox[1]
		}
		d.capHeight = d.ascent
	}
	d.stemV = 50 + int(math.Pow(float64(weight)/65.0, 2))
	post := tables["post"].off
	d.italicAngle = i16(post + 4)
	d.up = int(math.Round(float64(i16(post+8)) * scale))
	d.ut = int(math.Round(float64(i16(post+10)) * scale))
	d.flags = 32 // nonsymbolic: codes map through glyph names and the (3,1) cmap
	if d.italicAngle != 0 {
		d.flags |= 64
	}
	if weight >= 600 {
		d.flags |= 262144
	}
	if u32(post+12) != 0 {
		d.flags |= 1
	}

	// hmtx: advances per glyph, rounded as fpdf rounds them.
	hm := tables["hmtx"].off
	adv := make([]uint16, numGlyphs)
	last := 0
	for g := 0; g < numGlyphs; g++ {
		if g < numHMetrics {
			last = u16(hm + 4*g)
		}
		a := last
		if a >= 1<<15 {
			a = 0
		}
		adv[g] = uint16(math.Round(scale * float64(a)))
	}
	d.missingWidth = int(adv[0])

	gid, err := parseCmap4(b, tables["cmap"], numGlyphs)
	if err != nil {
		return nil, err
	}
	f := &Face{ttf: b, gid: gid, adv: adv, d: d, sum: uint32(u32(head + 8)), subsets: map[string]*subsetEntry{}}
	f.name = ttName(b, nm, sfnt.NameIDFull)
	if f.name == "" {
		f.name = ttName(b, nm, sfnt.NameIDFamily)
	}
	if f.name == "" {
		f.name = "given"
	}
	ps := ttName(b, nm, sfnt.NameIDPostScript)
	f.ps = psNameRE.ReplaceAllString(ps, "")
	if f.ps == "" {
		f.ps = psNameRE.ReplaceAllString(f.name, "")
	}
	if f.ps == "" {
		f.ps = "Font"
	}
	if len(f.ps) > 63-7 {
		f.ps = f.ps[:63-7]
	}
	for c := 32; c < 256; c++ {
		if r := winAnsi[c]; r != 0 && f.Has(r) {
			f.winAnsiCw[c] = f.Width(r)
		}
	}
	return f, nil
}

var psNameRE = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// ttName reads a name from the name table nm, which readFace checked, as
// x/image's sfnt.Font.Name does: the first record with that ID in
// Macintosh Roman or Windows UCS-2; "" if there is none or it is invalid.
func ttName(b []byte, nm ttTable, id sfnt.NameID) string {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(b[o:])) }
	count := u16(nm.off + 2)
	strOff := nm.off + u16(nm.off+4)
	for i := 0; i < count; i++ {
		r := nm.off + 6 + 12*i
		if u16(r+6) != int(id) {
			continue
		}
		plat, enc := u16(r), u16(r+2)
		mac, win := plat == 1 && enc == 0, plat == 3 && enc == 1
		if !mac && !win {
			continue
		}
		p := b[strOff+u16(r+10):][:u16(r+8)]
		if mac {
			for _, c := range p {
				if c >= 0x80 {
					s, _ := charmap.Macintosh.NewDecoder().Bytes(p)
					return string(s)
				}
			}
			return string(p)
		}
		if len(p)%2 != 0 {
			return ""
		}
		rs := make([]rune, len(p)/2)
		for j := range rs {
			rs[j] = rune(binary.BigEndian.Uint16(p[2*j:]))
		}
		return string(rs)
	}
	return ""
}

// parseCmap4 reads the Unicode cmap the way fpdf's subsetter does: the
// first (3,1) or (0,*) subtable in format 4. Reading the same subtable
// keeps the glyph check and the embedded subset in agreement.
func parseCmap4(b []byte, cm ttTable, numGlyphs int) ([]uint16, error) {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(b[o:])) }
	end := cm.off + cm.n
	n := u16(cm.off + 2)
	if cm.n < 4+8*n {
		return nil, fontErrorf("is not a valid TrueType font: its \"cmap\" table is too short")
	}
	sub := -1
	for i := 0; i < n; i++ {
		r := cm.off + 4 + 8*i
		plat, enc := u16(r), u16(r+2)
		off := int(binary.BigEndian.Uint32(b[r+4:]))
		if (plat == 3 && enc == 1) || plat == 0 {
			p := cm.off + off
			if off < 0 || p+2 > end {
				return nil, fontErrorf("is not a valid TrueType font: a \"cmap\" subtable lies outside the table")
			}
			if u16(p) == 4 {
				sub = p
				break
			}
		}
	}
	if sub < 0 {
		return nil, fontErrorf("is not a usable TrueType font: it has no Unicode character map (format 4)")
	}
	if sub+14 > end {
		return nil, fontErrorf("is not a valid TrueType font: its character map is truncated")
	}
	length := u16(sub + 2)
	segs := u16(sub+6) / 2
	if sub+length > len(b) || sub+16+8*segs > len(b) || 16+8*segs > length {
		return nil, fontErrorf("is not a valid TrueType font: its character map is truncated")
	}
	rim := sub + length
	ends, starts, deltas, ranges := sub+14, sub+16+2*segs, sub+16+4*segs, sub+16+6*segs
	gid := make([]uint16, 0x10000)
	for s := 0; s < segs; s++ {
		e, st := u16(ends+2*s), u16(starts+2*s)
		delta := int(int16(u16(deltas + 2*s)))
		ro := u16(ranges + 2*s)
		for c := st; c <= e && c <= 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				p := ranges + 2*s + ro + 2*(c-st)
				if p+2 > rim || p+2 > len(b) {
					g = 0
				} else if g = u16(p); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g >= numGlyphs {
				g = 0
			}
			gid[c] = uint16(g)
		}
	}
	return gid, nil
}
