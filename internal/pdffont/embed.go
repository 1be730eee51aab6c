package pdffont

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// An Encoding is a face's characters in one document: each has a one-byte
// code on a code page, and each page is a font family registered with
// fpdf, a separate simple font over the one embedded subset.
type Encoding struct {
	code map[rune]uint16 // page<<8 | code
	fam  []string        // fpdf family per page
}

// Code is r's code page and its code there; r is one of the runes the
// encoding was made for.
func (e *Encoding) Code(r rune) (page int, code byte) {
	c := e.code[r]
	return int(c >> 8), byte(c)
}

// Family is the fpdf font family to set for text on a code page.
func (e *Encoding) Family(page int) string { return e.fam[page] }

// Embed registers the face with pdf to draw used (sorted runes it has),
// under font families "f<id>p0", "f<id>p1", ..., and gives each of those
// characters a one-byte code; id tells the faces in pdf apart. A primary face (one that comes first in the
// renderer's chain of faces) embeds a subset that also holds the WinAnsi
// characters, so that documents share it; a fallback face, one of used
// only.
//
// Page 0 is WinAnsiEncoding, its unused upper codes given by /Differences
// to the other characters (glyph names uniXXXX, which viewers map through
// the font's Unicode cmap); further pages, needed only past about a
// hundred such characters, use codes 32-255 the same way. Every page
// shares one embedded subset of the face.
func (f *Face) Embed(pdf *fpdf.Fpdf, id int, primary bool, used []rune) (*Encoding, error) {
	e := &Encoding{code: make(map[rune]uint16, len(used))}
	free := freeCodes{next: 0x7F}
	var extra []rune // the characters outside WinAnsi
	for _, r := range used {
		if c, ok := winAnsiCode[r]; ok {
			e.code[r] = uint16(c)
			free.taken[c] = true
		} else {
			extra = append(extra, r)
		}
	}
	cut := extra
	if !primary {
		cut = used
	}
	sub, err := f.subset(primary, cut)
	if err != nil {
		return nil, err
	}
	pages := []*codePage{{cw: f.winAnsiCw, next: -1}}
	for _, r := range extra {
		p, c := free.take()
		if p == len(pages) {
			pages = append(pages, &codePage{next: -1})
		}
		pages[p].add(c, r, f.Width(r))
		e.code[r] = uint16(p<<8 | c)
	}
	for p, pg := range pages {
		fam := "f" + strconv.Itoa(id) + "p" + strconv.Itoa(p)
		pdf.AddFontFromBytes(fam, "", f.definition(sub, pg, id), sub.z)
		e.fam = append(e.fam, fam)
	}
	return e, nil
}

// codePage is one code page of an encoding: its codes' widths and its
// /Differences from WinAnsiEncoding.
type codePage struct {
	cw   [256]int
	diff []byte
	next int // code expected next in diff, to merge runs
}

// freeCodes hands out the codes no character has yet: on page 0 the
// upper ones, from 0x7F, that no WinAnsi character in the document takes;
// then 32-255 on each further page.
type freeCodes struct {
	taken      [256]bool // on page 0
	page, next int
}

func (fc *freeCodes) take() (page, code int) {
	for fc.page == 0 && fc.next <= 0xFF && fc.taken[fc.next] {
		fc.next++
	}
	if fc.next > 0xFF {
		fc.page, fc.next = fc.page+1, 32
	}
	fc.next++
	return fc.page, fc.next - 1
}

// add gives code c on the page to r, of width w.
func (pg *codePage) add(c int, r rune, w int) {
	pg.cw[c] = w
	if c != pg.next {
		pg.diff = strconv.AppendInt(pg.diff, int64(c), 10)
		pg.diff = append(pg.diff, ' ')
	}
	pg.diff = append(pg.diff, '/', 'u', 'n', 'i')
	pg.diff = append(pg.diff, strings.ToUpper(fmt.Sprintf("%04x", r))...)
	pg.diff = append(pg.diff, ' ')
	pg.next = c + 1
}

// definition is the font definition fpdf reads (the JSON of its
// fontDefType) for one code page of the face id, embedding sub.
func (f *Face) definition(sub *subsetEntry, pg *codePage, id int) []byte {
	d := f.d
	var js bytes.Buffer
	js.WriteString(`{"Tp":"TrueType","Name":"`)
	js.WriteString(sub.tag + "+" + f.ps)
	fmt.Fprintf(&js, `","Desc":{"Ascent":%d,"Descent":%d,"CapHeight":%d,"Flags":%d,"FontBBox":{"Xmin":%d,"Ymin":%d,"Xmax":%d,"Ymax":%d},"ItalicAngle":%d,"StemV":%d,"MissingWidth":%d},"Up":%d,"Ut":%d,"Cw":[`,
		d.ascent, d.descent, d.capHeight, d.flags, d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3], d.italicAngle, d.stemV, d.missingWidth, d.up, d.ut)
	for c, w := range pg.cw {
		if c > 0 {
			js.WriteByte(',')
		}
		js.WriteString(strconv.Itoa(w))
	}
	fmt.Fprintf(&js, `],"Enc":"cp1252","Diff":"%s","File":"f%d.z","OriginalSize":%d}`, strings.TrimSpace(string(pg.diff)), id, sub.rawLen)
	return js.Bytes()
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
