package letters

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"sync"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/charmap"
)

// A face is one TrueType font, parsed and checked once and then shared,
// read-only, by every document rendered with it.
//
// fpdf's own UTF-8 font path re-parses the whole TTF for every document and
// JSON-encodes a 65,536-entry width table to name it: about 10 ms per letter
// for two DejaVu faces. So a face is embedded through fpdf's other path,
// AddFontFromBytes with a ready font definition and an already compressed
// font file: a subset of the face cut once (by fpdf's own subsetter) and
// cached, or for the built-in faces mostly shipped ready-cut (fontcuts.go),
// and simple 8-bit encodings built per document (WinAnsi plus
// /Differences for the other characters, see encodeFace).
type face struct {
	name string // full name for messages: "DejaVu Sans Bold"
	ps   string // PostScript name for /BaseFont: "DejaVuSans-Bold"
	ttf  []byte

	gid []uint16 // rune (BMP) → glyph index; 0 = no glyph
	adv []uint16 // glyph index → advance width in 1/1000 em
	d   faceDesc

	// winAnsiCw are the widths of the WinAnsi codes 0-255, for code page 0.
	winAnsiCw [256]int

	// builtin marks the built-in faces, whose subsets follow the policy
	// of builtinKey; fixed holds their cuts shipped in fontcuts/, loaded
	// on first use. Both are set once, in defaultFaces.
	builtin bool
	fixed   map[string]*subsetEntry
	sum     uint32 // the head table's checkSumAdjustment: with len(ttf), tells the file

	mu      sync.Mutex
	subsets map[string]*subsetEntry
	order   []string // insertion order, for eviction

	misses     int // cuts so far, under mu
	europeOnce sync.Once
	europeTTF  []byte
	europeErr  error
}

// faceDesc is the font descriptor fpdf writes, in 1/1000 em.
type faceDesc struct {
	ascent, descent, capHeight, flags int
	bbox                              [4]int
	italicAngle, stemV, missingWidth  int
	up, ut                            int
}

// subsetEntry is one cut of a face: the font program holding a set of
// glyphs, zlib-compressed, ready to embed.
type subsetEntry struct {
	once   sync.Once
	z      []byte
	rawLen int
	tag    string
	err    error
	file   string // a shipped cut: its file in fontCutFS, read by once
}

// maxSubsets bounds each face's cache of cut fonts. A batch of letters
// from one requester needs one or a few; the bound only caps memory.
const maxSubsets = 64

var (
	defaultFacesOnce sync.Once
	defaultRegular   *face
	defaultBold      *face
	defaultFacesErr  error
)

// defaultFaces returns DejaVu Sans and DejaVu Sans Bold, parsed once per
// process and shared by every renderer.
func defaultFaces() (*face, *face, error) {
	defaultFacesOnce.Do(func() {
		defaultRegular, defaultBold, defaultFacesErr = readBuiltinFaces()
	})
	return defaultRegular, defaultBold, defaultFacesErr
}

// readBuiltinFaces reads DejaVu Sans and DejaVu Sans Bold, both at once:
// this is on the way to a process's first letter.
func readBuiltinFaces() (regular, bold *face, err error) {
	var boldErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		bold, boldErr = readFace(dejavusansbold.TTF, false)
	}()
	regular, err = readFace(dejavusans.TTF, false)
	<-done
	if err == nil {
		err = boldErr
	}
	if err != nil {
		return nil, nil, err
	}
	regular.seedBuiltinCuts()
	bold.seedBuiltinCuts()
	return regular, bold, nil
}

func (f *face) has(r rune) bool { return r >= 0 && r < 0x10000 && f.gid[r] != 0 }

// width is the advance of r in 1/1000 em; the caller checks has(r).
func (f *face) width(r rune) int { return int(f.adv[f.gid[r]]) }

// fontError is why a font file cannot be used.
type fontError struct{ msg string }

func (e *fontError) Error() string { return e.msg }

func fontErrorf(format string, args ...any) error {
	return &fontError{msg: fmt.Sprintf(format, args...)}
}

type ttTable struct{ off, n int }

// parseFace checks that b is a TrueType font that fpdf can embed and
// subset without printing to stdout or panicking, and reads what the
// renderer needs from it. Every check mirrors a place where fpdf's parser
// would print a message (fmt.Printf) or index out of range; x/image's
// sfnt parser checks the rest of the font.
func parseFace(b []byte) (*face, error) { return readFace(b, true) }

// readFace is parseFace; only deep runs the sfnt parser, which a built-in
// face skips: it is known to pass (TestBuiltinFacesRead), and parsing it
// would cost every process a few hundred microseconds.
func readFace(b []byte, deep bool) (*face, error) {
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
	f := &face{ttf: b, gid: gid, adv: adv, d: d, sum: uint32(u32(head + 8)), subsets: map[string]*subsetEntry{}}
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
		if r := winAnsi[c]; r != 0 && f.has(r) {
			f.winAnsiCw[c] = f.width(r)
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

// subset returns the face's font program holding at least base (the
// WinAnsi characters, if withBase) and used (sorted runes the face has),
// compressed, shipped with the binary, from the cache or cut now. A
// built-in face takes one of its shipped cuts whenever that holds every
// character (builtinKey). Otherwise, below U+3000 the cut takes whole
// groups of 16 code points, so that letters in one script share a cut: a
// batch of Greek letters needs a handful of cuts, not one per recipient.
// The cut depends only on its rune set, so a cache hit or miss, or a
// shipped cut rather than one cut now, never changes a document's bytes.
func (f *face) subset(withBase bool, used []rune) (*subsetEntry, error) {
	k, set := "", []rune(nil)
	if withBase && f.builtin {
		k, set = builtinKey(f, used)
	}
	if e := f.fixed[k]; e != nil {
		e.once.Do(func() {
			if e.z, e.err = fontCutFS.ReadFile(e.file); e.err != nil {
				e.err = fmt.Errorf("reading the built-in cut of the font %s: %w", f.name, e.err)
			}
		})
		return e, e.err
	}
	if k == "" {
		k, set = f.groupKey(withBase, used)
	}
	f.mu.Lock()
	e, ok := f.subsets[k]
	if !ok {
		e = &subsetEntry{}
		f.subsets[k] = e
		f.order = append(f.order, k)
		if len(f.order) > maxSubsets {
			delete(f.subsets, f.order[0])
			f.order = f.order[1:]
		}
	}
	f.mu.Unlock()
	e.once.Do(func() { e.z, e.rawLen, e.tag, e.err = f.cut(withBase, set) })
	return e, e.err
}

// groupKey is the cache key and the extra runes of the cut that holds
// used in whole groups of 16 code points (above U+3000, one by one).
func (f *face) groupKey(withBase bool, used []rune) (string, []rune) {
	var set []rune
	for i := 0; i < len(used); i++ {
		r := used[i]
		if r >= 0x3000 {
			set = append(set, r)
			continue
		}
		lo := r &^ 15
		if len(set) > 0 && set[len(set)-1] >= lo {
			continue
		}
		for g := lo; g <= lo|15; g++ {
			if f.has(g) {
				set = append(set, g)
			}
		}
	}
	if withBase {
		return "W" + string(set), set
	}
	return "-" + string(set), set
}

// inEurope is the range of the face's "European" cut: Latin, IPA, Greek,
// Cyrillic, Latin Extended Additional, Greek Extended, punctuation,
// currency, letterlike symbols, number forms and arrows.
func inEurope(r rune) bool { return r < 0x0530 || (r >= 0x1E00 && r < 0x2200) }

// europe returns the face cut to its European characters, once the face
// has had a few cache misses; nil before that. Cutting a small subset from
// it takes half the time of cutting it from the whole face, and gives the
// same bytes (TestPDFCutFromEurope); a single letter does not wait for it.
func (f *face) europe() ([]byte, error) {
	f.mu.Lock()
	f.misses++
	ready := f.misses > 2
	f.mu.Unlock()
	if !ready {
		return nil, nil
	}
	f.europeOnce.Do(func() {
		var set []rune
		for r := rune(0); r < 0x2200; r++ {
			if inEurope(r) && f.has(r) {
				set = append(set, r)
			}
		}
		f.europeTTF, f.europeErr = cutFont(f.ttf, set)
	})
	return f.europeTTF, f.europeErr
}

// cutSet is the runes of a cut: the WinAnsi characters the face has, if
// withBase, and extra.
func (f *face) cutSet(withBase bool, extra []rune) []rune {
	var set []rune
	if withBase {
		for c := 32; c < 256; c++ {
			if r := winAnsi[c]; r != 0 && f.has(r) {
				set = append(set, r)
			}
		}
	}
	return append(set, extra...)
}

func (f *face) cut(withBase bool, extra []rune) (z []byte, rawLen int, tag string, err error) {
	set := f.cutSet(withBase, extra)
	src := f.ttf
	european := true
	for _, r := range set {
		european = european && inEurope(r)
	}
	if european {
		eu, err := f.europe()
		if err != nil {
			return nil, 0, "", err
		}
		if eu != nil {
			src = eu
		}
	}
	raw, err := cutFont(src, set)
	if err != nil {
		return nil, 0, "", fmt.Errorf("cutting a subset of the font %s: %w", f.name, err)
	}
	z, tag = packCut(raw)
	return z, len(raw), tag, nil
}

// packCut compresses a cut font program for embedding and names it: the
// six-letter subset tag of its /BaseFont, from a hash of its bytes.
func packCut(raw []byte) (z []byte, tag string) {
	var zb bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&zb, zlib.BestCompression)
	zw.Write(raw)
	zw.Close()
	sum := sha256.Sum256(raw)
	t := make([]byte, 6)
	for i := range t {
		t[i] = 'A' + sum[i]%26
	}
	return zb.Bytes(), string(t)
}

// cutFont runs fpdf's subsetter, turning a panic on a malformed font into
// an error.
func cutFont(ttf []byte, set []rune) (raw []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			raw, err = nil, fmt.Errorf("%v", p)
		}
	}()
	raw = fpdf.UTF8CutFont(ttf, string(set))
	if len(raw) == 0 {
		return nil, fmt.Errorf("empty subset")
	}
	return raw, nil
}

// winAnsi maps the WinAnsiEncoding codes to Unicode; 0 = undefined.
var winAnsi = func() (t [256]rune) {
	for c := 32; c < 127; c++ {
		t[c] = rune(c)
	}
	for c := 0xA0; c < 256; c++ {
		t[c] = rune(c)
	}
	copy(t[0x80:], []rune{0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178})
	return t
}()

// winAnsiCode is the inverse of winAnsi: rune → code, 0 if none.
var winAnsiCode = func() map[rune]byte {
	m := make(map[rune]byte, 224)
	for c := 32; c < 256; c++ {
		if r := winAnsi[c]; r != 0 {
			m[r] = byte(c)
		}
	}
	return m
}()
