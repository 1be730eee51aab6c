// Package pdffont is the TrueType faces of the PDF renderer: it parses and
// checks a face, measures its runes, cuts and caches subsets of it, and
// gives fpdf a ready font definition to embed it by.
//
// fpdf's own UTF-8 font path re-parses the whole TTF for every document and
// JSON-encodes a 65,536-entry width table to name it: about 10 ms per letter
// for two DejaVu faces. So a face is embedded through fpdf's other path,
// AddFontFromBytes with a ready font definition and an already compressed
// font file: a subset of the face cut once (by fpdf's own subsetter) and
// cached, or for the built-in faces mostly shipped ready-cut (fontcuts.go),
// and simple 8-bit encodings built per document (WinAnsi plus /Differences
// for the other characters, see Face.Embed).
package pdffont

import (
	"fmt"
	"sync"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
)

// A Face is one TrueType font, parsed and checked once and then shared,
// read-only, by every document rendered with it. Its methods are safe for
// concurrent use.
type Face struct {
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
	// on first use. Both are set once, in Builtin.
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

// Has reports whether the face has a glyph for r. Only runes of the Basic
// Multilingual Plane (up to U+FFFF) can have one.
func (f *Face) Has(r rune) bool { return uint32(r) < 0x10000 && f.gid[r] != 0 }

// Width is the advance of r in 1/1000 em: for a rune the face lacks, that
// of its missing glyph.
func (f *Face) Width(r rune) int {
	if uint32(r) >= 0x10000 {
		return int(f.adv[0])
	}
	return int(f.adv[f.gid[r]])
}

// Name is the face's full name, for messages: "DejaVu Sans Bold".
func (f *Face) Name() string { return f.name }

// Parse checks that b is a TrueType font that fpdf can embed and subset
// without printing to stdout or panicking, reads what the renderer needs
// from it, and cuts its first subset now, so that a font fpdf cannot
// subset fails here and not in the middle of a batch. The error, for a font
// that cannot be used, says why in words that follow "the file":
// "is not a TrueType font (only 3 bytes)".
func Parse(b []byte) (*Face, error) {
	f, err := readFace(b)
	if err != nil {
		return nil, err
	}
	if _, err := f.subset(true, nil); err != nil {
		return nil, fontErrorf("is not a usable TrueType font: %v", err)
	}
	return f, nil
}

var builtinFaces = sync.OnceValues(func() ([2]*Face, error) {
	r, b, err := readBuiltinFaces()
	return [2]*Face{r, b}, err
})

// Builtin returns DejaVu Sans and DejaVu Sans Bold, read once per process
// and shared by every renderer.
func Builtin() (regular, bold *Face, err error) {
	fs, err := builtinFaces()
	return fs[0], fs[1], err
}

// readBuiltinFaces reads DejaVu Sans and DejaVu Sans Bold, both at once:
// this is on the way to a process's first letter.
func readBuiltinFaces() (regular, bold *Face, err error) {
	var boldErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		bold, boldErr = readFace(dejavusansbold.TTF)
	}()
	regular, err = readFace(dejavusans.TTF)
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

// fontError is why a font file cannot be used.
type fontError struct{ msg string }

func (e *fontError) Error() string { return e.msg }

func fontErrorf(format string, args ...any) error {
	return &fontError{msg: fmt.Sprintf(format, args...)}
}
