package letters

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/bits"
	"strings"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	xdraw "golang.org/x/image/draw"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/pdffont"
)

// PDFOptions are the renderer's fonts, signature and paper.
type PDFOptions struct {
	// Regular and Bold are TrueType fonts (.ttf). nil means DejaVu Sans and
	// DejaVu Sans Bold, which are built in. A given font comes first and
	// DejaVu fills in the characters it lacks, so a CJK font without Latin
	// letters still works. Bold nil with Regular given draws bold text with
	// Regular, emboldened.
	Regular, Bold []byte
	// Signature is an optional PNG image of the requester's signature.
	Signature []byte
	// Paper is "a4" or "letter"; "" takes the letter's own.
	Paper string
}

// PDFRenderer renders letters as PDF. Fonts and the signature are parsed
// once, in NewPDFRenderer; Render is safe for concurrent use.
type PDFRenderer struct {
	regular, bold chain
	faces         []*pdffont.Face        // distinct faces, in a fixed order
	primary       map[*pdffont.Face]bool // faces that come first in a chain
	paper         string
	sig           *signature
}

// chain is the faces tried, in order, for one style.
type chain []chainFace

type chainFace struct {
	f    *pdffont.Face
	fake bool // emboldened regular face standing in for bold
}

// names lists the chain's fonts for messages: "the font DejaVu Sans".
func (c chain) names() string {
	var ns []string
	for _, cf := range c {
		ns = append(ns, cf.f.Name())
	}
	if len(ns) == 1 {
		return "the font " + ns[0]
	}
	return "the fonts " + strings.Join(ns, " or ")
}

// pick returns the face that draws r: the first in the chain that has it,
// except that a space stays in the face of the character before it.
func (c chain) pick(r rune, prev int) int {
	if r == ' ' && prev >= 0 && c[prev].f.Has(r) {
		return prev
	}
	for i, cf := range c {
		if cf.f.Has(r) {
			return i
		}
	}
	return -1
}

// signature is the signature image, flattened onto white and re-encoded
// as an 8-bit PNG without alpha, which fpdf embeds without recompressing.
type signature struct {
	png  []byte
	w, h int
}

// NewPDFRenderer parses and checks the fonts and the signature once.
// A font that is not a usable TrueType file, or a signature that is not a
// PNG, is bad input; nothing is ever printed.
func NewPDFRenderer(o PDFOptions) (*PDFRenderer, error) {
	dr, db, err := pdffont.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in font: %w", err)
	}
	r := &PDFRenderer{primary: map[*pdffont.Face]bool{}}
	var ur, ub *pdffont.Face
	if o.Regular != nil {
		if ur, err = pdffont.Parse(o.Regular); err != nil {
			return nil, fontBadInput("--font", err)
		}
	}
	if o.Bold != nil {
		if ub, err = pdffont.Parse(o.Bold); err != nil {
			return nil, fontBadInput("--font-bold", err)
		}
	}
	if ur != nil {
		r.regular = append(r.regular, chainFace{f: ur})
	}
	r.regular = append(r.regular, chainFace{f: dr})
	switch {
	case ub != nil:
		r.bold = append(r.bold, chainFace{f: ub})
	case ur != nil:
		r.bold = append(r.bold, chainFace{f: ur, fake: true})
	}
	r.bold = append(r.bold, chainFace{f: db})
	r.primary[r.regular[0].f] = true
	r.primary[r.bold[0].f] = true
	for _, c := range []chain{r.regular, r.bold} {
		for _, cf := range c {
			if !containsFace(r.faces, cf.f) {
				r.faces = append(r.faces, cf.f)
			}
		}
	}
	switch o.Paper {
	case "", "a4", "letter":
		r.paper = o.Paper
	default:
		return nil, badinput.Errorf("unknown paper %q: use a4 or letter", o.Paper)
	}
	if o.Signature != nil {
		if r.sig, err = loadSignature(o.Signature); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func containsFace(fs []*pdffont.Face, f *pdffont.Face) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func fontBadInput(flag string, err error) error {
	return badinput.Errorf("the %s file %v", flag, err).
		Hint("pass a TrueType font (.ttf) with TrueType outlines, such as one under /usr/share/fonts/truetype")
}

// maxSignaturePixels bounds the decoded signature image; maxSignatureWidth
// is the width it is scaled down to (about 500 dpi at 60 mm).
const (
	maxSignaturePixels = 40_000_000
	maxSignatureWidth  = 1200
)

func loadSignature(b []byte) (*signature, error) {
	bad := func(why string) error {
		return badinput.Errorf("the --signature file %s", why).Hint("pass a PNG image of your signature, dark ink on a white or transparent background")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, bad("is not a PNG image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxSignaturePixels {
		return nil, bad(fmt.Sprintf("is too large (%d x %d pixels)", cfg.Width, cfg.Height))
	}
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, bad("is not a valid PNG image: " + err.Error())
	}
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if w > maxSignatureWidth {
		h = max(1, h*maxSignatureWidth/w)
		w = maxSignatureWidth
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, xdraw.Over, nil)
	var out image.Image = dst
	gray := true
	for i := 0; i < len(dst.Pix) && gray; i += 4 {
		gray = dst.Pix[i] == dst.Pix[i+1] && dst.Pix[i] == dst.Pix[i+2]
	}
	if gray {
		g := image.NewGray(dst.Bounds())
		for i := range g.Pix {
			g.Pix[i] = dst.Pix[4*i]
		}
		out = g
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("re-encoding the signature: %w", err)
	}
	return &signature{png: buf.Bytes(), w: w, h: h}, nil
}

// field is one piece of text the letter prints, named for messages.
type field struct {
	name string
	text string
	bold bool
}

// printed lists every text the PDF prints, in reading order, with the style
// it is printed in. CheckGlyphs checks exactly these; the layout prints
// exactly these plus its own labels (ASCII and the bullet, which DejaVu has).
// PrintedTexts are the texts a PDF of l prints, in order: what a font
// must have every character of.
func (l *Letter) PrintedTexts() []string {
	fs := printed(l)
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.text
	}
	return out
}

func printed(l *Letter) []field {
	var fs []field
	add := func(name, text string, bold bool) {
		if text != "" {
			fs = append(fs, field{name, text, bold})
		}
	}
	add("the requester's name", l.Sender.Name, true)
	add("the requester's name", l.Sender.Name, false)
	for _, a := range l.Sender.Address {
		add("the requester's address", a, false)
	}
	add("the requester's e-mail address", l.Sender.Email, false)
	add("the requester's phone number", l.Sender.Phone, false)
	add("the recipient's name", l.Recipient.Name, false)
	for _, a := range windowAddress(l) {
		add("the recipient's address", a, false)
	}
	add("the recipient's e-mail address", l.Recipient.Email, false)
	add("the date", l.FormatDate(l.Date), false)
	add("the reference", l.Reference, false)
	add("the subject", l.Subject, true)
	add("the opening", l.Opening, false)
	for _, b := range l.Body {
		add("the body of the letter", b.Text, false)
		for _, it := range b.Items {
			add("the body of the letter", it, false)
		}
	}
	add("the closing", l.Closing, false)
	add("the signature", l.Signature(), false)
	return fs
}

// sources are the fields that reach the subject and body through the
// templates; a character missing there is blamed on the field it came from.
func sources(l *Letter) []field {
	fs := []field{
		{name: "the requester's name", text: l.Sender.Name},
		{name: "the requester's address", text: strings.Join(l.Sender.Address, "\n")},
		{name: "the requester's e-mail address", text: l.Sender.Email},
		{name: "the recipient's name", text: l.Recipient.Name},
		{name: "the service name", text: l.Service},
	}
	for _, a := range l.Accounts {
		fs = append(fs, field{name: "the account value (" + l.words().AccountLabel(a.Key) + ")", text: a.Value})
	}
	return append(fs, field{name: "the law's name", text: l.Law.Name}, field{name: "the law's citation", text: l.Law.Citation})
}

// CheckGlyphs reports, as bad input, the first character the letter would
// print that no font in use has, naming the field it is in.
func (r *PDFRenderer) CheckGlyphs(l *Letter) error {
	for _, f := range printed(l) {
		c := r.regular
		if f.bold {
			c = r.bold
		}
		for _, ch := range f.text {
			switch {
			case ch == '\n' || ch == '\t' || ch == '\r':
				continue
			case ch > 0xFFFF:
				return badinput.Errorf("character %q (%U) in %s cannot be printed: the PDF renderer handles characters up to U+FFFF only", string(ch), ch, r.blame(l, f, ch)).
					Hint("write it without that character")
			case unicode.IsControl(ch):
				return badinput.Errorf("control character %U in %s cannot be printed", ch, r.blame(l, f, ch))
			case c.pick(ch, -1) < 0:
				return badinput.Errorf("character %q (%U) in %s is not in %s", string(ch), ch, r.blame(l, f, ch), c.names()).
					Hint("pass --font FILE.ttf (and --font-bold FILE.ttf) with a font that has it")
			}
		}
	}
	return nil
}

func (r *PDFRenderer) blame(l *Letter, f field, ch rune) string {
	switch f.name {
	case "the subject", "the opening", "the body of the letter", "the closing":
		for _, s := range sources(l) {
			if strings.ContainsRune(s.text, ch) {
				return s.name
			}
		}
	}
	return f.name
}

// Render writes l as a PDF. It checks the glyphs first; on error nothing is
// written.
func (r *PDFRenderer) Render(w io.Writer, l *Letter) error {
	if err := r.CheckGlyphs(l); err != nil {
		return err
	}
	d := &doc{r: r, l: l, g: geometryFor(r.paperOf(l))}
	if err := d.layout(); err != nil {
		return err
	}
	return d.emit(w)
}

func (r *PDFRenderer) paperOf(l *Letter) string {
	if r.paper != "" {
		return r.paper
	}
	return l.Paper
}

// geometry is a paper's layout, in millimetres from the top-left corner.
type geometry struct {
	size         string // fpdf page size
	w, h         float64
	ml, mr       float64 // text margins
	top, bottom  float64 // text area of the second and later pages
	colX, colW   float64 // right-hand column: sender, date, reference
	colY         float64
	winX, winY   float64 // envelope window
	winW, winH   float64
	returnZone   float64 // height of the return-address zone at the window's top (DIN 5008)
	addrX, addrW float64 // recipient address inside the window
	addrPad      float64 // vertical clearance inside the window
	bodyTop      float64 // earliest top of the subject
	folds        []float64
	punch        float64
	footerY      float64 // footer baseline
}

func geometryFor(paper string) *geometry {
	if paper == "letter" {
		// US Letter, 1 in margins; the recipient in the window of a #10
		// envelope (4.5 x 1.125 in, 0.875 in from the left, 2 in from the
		// top once the sheet is folded in three).
		return &geometry{
			size: "Letter", w: 215.9, h: 279.4,
			ml: 25.4, mr: 25.4, top: 25.4, bottom: 279.4 - 25.4,
			colX: 139.7, colW: 50.8, colY: 19,
			winX: 22.2, winY: 50.8, winW: 114.3, winH: 28.6,
			addrX: 25.4, addrW: 107.9, addrPad: 1.5,
			bodyTop: 92,
			folds:   []float64{279.4 / 3, 2 * 279.4 / 3},
			footerY: 279.4 - 12.7,
		}
	}
	// A4, DIN 5008 form B: address field 85 x 45 mm at 20 mm from the left
	// and 45 mm from the top, with a 17.7 mm zone for the return address;
	// text from 25 mm to 20 mm from the right; fold marks at 105 and 210 mm.
	return &geometry{
		size: "A4", w: 210, h: 297,
		ml: 25, mr: 20, top: 20, bottom: 297 - 25,
		colX: 125, colW: 65, colY: 20,
		winX: 20, winY: 45, winW: 85, winH: 45, returnZone: 17.7,
		addrX: 25, addrW: 75, addrPad: 0,
		bodyTop: 98.46,
		folds:   []float64{105, 210},
		punch:   148.5,
		footerY: 297 - 10,
	}
}

// Type sizes (pt) and line pitches (mm).
const (
	bodySize     = 10.0
	bodyLead     = 4.8
	subjectSize  = 10.5
	subjectLead  = 5.2
	colSize      = 8.5
	colLead      = 3.8
	colNameSize  = 10.0
	colNameLead  = 4.6
	addrSize     = 10.0
	addrLead     = addrSize * ptToMM * 1.2
	returnSize   = 7.0
	footerSize   = 8.0
	headerSize   = 8.0
	sigBoxHeight = 16.0
	sigBoxWidth  = 60.0
	ptToMM       = 25.4 / 72
	bulletIndent = 5.0
)

// op is one drawing operation on a page.
type op struct {
	kind       opKind
	x, y       float64 // text: baseline start; line: start; image: top-left
	x2, y2     float64 // line end; image width and height
	size       float64 // text size in pt
	bold, gray bool
	text       string
}

type opKind uint8

const (
	opText opKind = iota
	opLine
	opImage
)

// doc is one letter being laid out and written.
type doc struct {
	r     *PDFRenderer
	l     *Letter
	g     *geometry
	pages [][]op
	y     float64 // top of the next line box on the current page
	// asize and alead are the type size and leading of the window's
	// address: addrSize and addrLead, unless the address needs smaller
	// type to fit (recipientBlock).
	asize, alead float64
}

func (d *doc) chain(bold bool) chain {
	if bold {
		return d.r.bold
	}
	return d.r.regular
}

// width is the advance of s in mm at size pt, with each character in the
// face that will draw it.
func (d *doc) width(s string, size float64, bold bool) float64 {
	c := d.chain(bold)
	units, prev := 0, -1
	for _, ch := range s {
		i := c.pick(ch, prev)
		if i < 0 {
			units += c[0].f.Width(ch)
			continue
		}
		units += c[i].f.Width(ch)
		prev = i
	}
	return float64(units) * size / 1000 * ptToMM
}

// wrap breaks s into lines no wider than maxW mm: at spaces, before CJK
// characters, after a hyphen inside a word, and inside a word only when a
// word alone is too wide. '\n' is a forced break.
func (d *doc) wrap(s string, size float64, bold bool, maxW float64) []string {
	s = wsReplacer.Replace(s)
	c := d.chain(bold)
	scale := size / 1000 * ptToMM
	var lines []string
	for _, hard := range strings.Split(s, "\n") {
		rs := []rune(hard)
		n := len(rs)
		i := 0
		for {
			for i < n && rs[i] == ' ' {
				i++
			}
			if i >= n {
				break
			}
			j, w, brk, prev := i, 0.0, -1, -1
			for j < n {
				ch := rs[j]
				if ch == ' ' {
					// Keep "§ 1798.130" together, and French "compte ;"
					// and "suivantes :": no line starts with that mark.
					if (j == 0 || rs[j-1] != '§') && !(j+1 < n && strings.ContainsRune(";:!?»", rs[j+1]) && (j+2 >= n || rs[j+2] == ' ')) {
						brk = j
					}
				} else if j > i && (breaksAnywhere(ch) || breaksAnywhere(rs[j-1])) && !strings.ContainsRune("。、，．！？：；」』）】》〉〕・ー", ch) &&
					!strings.ContainsRune("「『（【《〈〔", rs[j-1]) {
					brk = j
				} else if j > i+1 && rs[j-1] == '-' && isWordRune(rs[j-2]) && isWordRune(ch) {
					brk = j
				}
				k := c.pick(ch, prev)
				cw := 0.0
				if k >= 0 {
					cw = float64(c[k].f.Width(ch)) * scale
					prev = k
				}
				if w+cw > maxW && j > i && ch != ' ' {
					break
				}
				w += cw
				j++
			}
			if j >= n {
				lines = append(lines, strings.TrimRight(string(rs[i:]), " "))
				break
			}
			if brk > i {
				lines = append(lines, strings.TrimRight(string(rs[i:brk]), " "))
				i = brk
			} else {
				lines = append(lines, string(rs[i:j]))
				i = j
			}
		}
	}
	return lines
}

var wsReplacer = strings.NewReplacer("\t", " ", "\r", "")

func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// breaksAnywhere is a character a line may break before or after: Chinese
// and Japanese, which put no spaces between words. Korean puts spaces
// between words and breaks there, though its characters are as wide; CJK
// punctuation goes with the character it follows or precedes.
func breaksAnywhere(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// baseline is where text of size pt sits in a line box of height lead
// whose top is top: the glyphs' ascent and descent centred in the box.
func baseline(top, lead, size float64) float64 {
	em := size * ptToMM
	return top + (lead-1.164*em)/2 + 0.928*em
}

func (d *doc) page() *[]op { return &d.pages[len(d.pages)-1] }

func (d *doc) newPage() {
	d.pages = append(d.pages, nil)
	d.y = d.g.top
}

func (d *doc) text(x, top, lead, size float64, bold bool, s string) {
	*d.page() = append(*d.page(), op{kind: opText, x: x, y: baseline(top, lead, size), size: size, bold: bold, text: s})
}

// lines places wrapped lines at x, breaking pages as needed. It keeps the
// first two and the last two lines of a paragraph together (no orphans or
// widows) and, with keepNext, leaves room after the last line for that
// much of what follows. first, if set, draws a bullet with the first line.
func (d *doc) lines(ls []string, x, lead, size float64, bold bool, keepNext float64, first func(top float64)) {
	n := len(ls)
	for i, s := range ls {
		need := lead
		switch {
		case n == 1:
			need = lead + keepNext
		case i == 0 && n == 2:
			need = 2*lead + keepNext
		case i == 0:
			need = 2 * lead
		case i == n-2:
			need = 2*lead + keepNext
		case i == n-1:
			need = lead + keepNext
		}
		if d.y+need > d.g.bottom && d.y > d.g.top {
			d.newPage()
		}
		if i == 0 && first != nil {
			first(d.y)
		}
		d.text(x, d.y, lead, size, bold, s)
		d.y += lead
	}
}

func (d *doc) layout() error {
	g, l := d.g, d.l
	d.newPage()
	pg := d.page()
	for _, y := range g.folds {
		*pg = append(*pg, op{kind: opLine, x: 4, y: y, x2: 9, y2: y, gray: true})
	}
	if g.punch > 0 {
		*pg = append(*pg, op{kind: opLine, x: 4, y: g.punch, x2: 11, y2: g.punch, gray: true})
	}

	// Right-hand column: the sender, then date and reference.
	y := g.colY
	for _, s := range d.wrap(l.Sender.Name, colNameSize, true, g.colW) {
		d.text(g.colX, y, colNameLead, colNameSize, true, s)
		y += colNameLead
	}
	var contact []string
	contact = append(contact, l.Sender.Address...)
	if l.Sender.Email != "" {
		contact = append(contact, l.Sender.Email)
	}
	if l.Sender.Phone != "" {
		contact = append(contact, l.Sender.Phone)
	}
	for _, c := range contact {
		for _, s := range d.colWrap(c) {
			d.text(g.colX, y, colLead, colSize, false, s)
			y += colLead
		}
	}
	// The recipient in the window.
	addrTop, err := d.address()
	if err != nil {
		return err
	}

	// Date, reference and the recipient's e-mail address beside the
	// window: an e-mail address is no part of a postal address.
	y = max(y+5, addrTop)
	w := l.words()
	info := [][2]string{{"", l.FormatDate(l.Date)}, {w.Labels.Label(w.Labels.Reference), l.Reference}}
	if l.Recipient.Email != "" {
		info = append(info, [2]string{w.Labels.Label(w.Labels.To), l.Recipient.Email})
	}
	for _, c := range info {
		ls := []string{c[0] + c[1]}
		if d.width(ls[0], colSize, false) > g.colW {
			ls = append([]string{strings.TrimSpace(c[0])}, d.colWrap(c[1])...)
		}
		for _, s := range ls {
			d.text(g.colX, y, colLead, colSize, false, s)
			y += colLead
		}
	}

	d.y = max(g.bodyTop, y+6, d.y+6)
	textW := g.w - g.ml - g.mr
	for _, s := range d.wrap(l.Subject, subjectSize, true, textW) {
		d.text(g.ml, d.y, subjectLead, subjectSize, true, s)
		d.y += subjectLead
	}
	d.y += bodyLead * 1.5
	d.lines(d.wrap(l.Opening, bodySize, false, textW), g.ml, bodyLead, bodySize, false, bodyLead*3, nil)
	d.y += bodyLead * 0.6
	for _, b := range l.Body {
		if b.Text != "" {
			keep := 0.0
			if len(b.Items) > 0 {
				keep = bodyLead * 2.3
			}
			d.lines(d.wrap(b.Text, bodySize, false, textW), g.ml, bodyLead, bodySize, false, keep, nil)
			if len(b.Items) > 0 {
				d.y += bodyLead * 0.3
			}
		}
		for i, it := range b.Items {
			if i > 0 {
				d.y += bodyLead * 0.25
			}
			bullet := func(top float64) { d.text(g.ml+1, top, bodyLead, bodySize, false, "•") }
			d.lines(d.wrap(it, bodySize, false, textW-bulletIndent), g.ml+bulletIndent, bodyLead, bodySize, false, 0, bullet)
		}
		d.y += bodyLead * 0.6
	}

	// Closing, room to sign, and the name: kept together.
	d.y += bodyLead * 0.4
	closing := d.wrap(l.Closing, bodySize, false, textW)
	name := d.wrap(l.Signature(), bodySize, false, textW)
	need := float64(len(closing)+len(name))*bodyLead + sigBoxHeight + 2
	if d.y+need > g.bottom {
		d.newPage()
	}
	for _, s := range closing {
		d.text(g.ml, d.y, bodyLead, bodySize, false, s)
		d.y += bodyLead
	}
	d.y += 1
	if sig := d.r.sig; sig != nil {
		w := sigBoxWidth
		h := w * float64(sig.h) / float64(sig.w)
		if h > sigBoxHeight {
			h = sigBoxHeight
			w = h * float64(sig.w) / float64(sig.h)
		}
		*d.page() = append(*d.page(), op{kind: opImage, x: g.ml, y: d.y + sigBoxHeight - h, x2: w, y2: h})
	}
	d.y += sigBoxHeight + 1
	for _, s := range name {
		d.text(g.ml, d.y, bodyLead, bodySize, false, s)
		d.y += bodyLead
	}

	d.pageMarks()
	return nil
}

// colWrap breaks s into lines of the right-hand column; an e-mail address
// too wide for it breaks before its domain, not inside a word.
func (d *doc) colWrap(s string) []string {
	if at := strings.LastIndexByte(s, '@'); at > 0 && !strings.Contains(s, " ") && d.width(s, colSize, false) > d.g.colW {
		s = s[:at] + "\n" + s[at:]
	}
	return d.wrap(s, colSize, false, d.g.colW)
}

// pageMarks numbers the pages of a letter that runs over one: "Page 1 of
// 2" at the foot of the first, and on every later page a running header
// (DIN 5008's Folgeseite) with the sender's name, the reference and the
// page, over a thin rule, above the text area.
func (d *doc) pageMarks() {
	g, l := d.g, d.l
	n := len(d.pages)
	if n < 2 {
		return
	}
	w := l.words()
	num := func(p int) (string, float64) {
		s := w.Page(p, n)
		return s, g.w - g.mr - d.width(s, headerSize, false)
	}
	s, x := num(1)
	d.pages[0] = append(d.pages[0], op{kind: opText, x: x, y: g.footerY, size: footerSize, gray: true, text: s})
	ref := w.Labels.Label(w.Labels.Reference) + l.Reference
	for i := 1; i < n; i++ {
		s, x := num(i + 1)
		left := l.Sender.Name + " · " + ref
		if room := x - 5 - g.ml; d.width(left, headerSize, false) > room {
			// A name too long for the line gives way to the reference.
			name := []rune(l.Sender.Name)
			for len(name) > 0 && d.width(string(name)+"… · "+ref, headerSize, false) > room {
				name = name[:len(name)-1]
			}
			left = strings.TrimSpace(string(name)) + "… · " + ref
		}
		base := g.top - 8
		d.pages[i] = append(d.pages[i],
			op{kind: opText, x: g.ml, y: base, size: headerSize, gray: true, text: left},
			op{kind: opText, x: x, y: base, size: headerSize, gray: true, text: s},
			op{kind: opLine, x: g.ml, y: base + 2, x2: g.w - g.mr, y2: base + 2, gray: true})
	}
}

// windowLines is the most lines the envelope window takes, the
// recipient's name included, at the body's type size: DIN 5008 gives the
// address zone of form B six lines (27.3 mm), and the #10 window holds as
// many.
const windowLines = 6

// address places the return line (A4) and the recipient in the window. It
// returns the top of the first line.
func (d *doc) address() (float64, error) {
	g := d.g
	ls, err := d.recipientBlock()
	if err != nil {
		return 0, err
	}
	if g.returnZone > 0 && len(d.l.Sender.Address) > 0 {
		d.returnLine()
	}
	top := g.winY + g.returnZone + g.addrPad
	room := g.winY + g.winH - g.addrPad - top
	y := top
	if g.returnZone == 0 {
		// Centre a short block in the #10 window.
		y += max(0, (room-float64(len(ls))*d.alead)/2)
	}
	first := y
	pg := d.page()
	for _, s := range ls {
		*pg = append(*pg, op{kind: opText, x: g.addrX, y: baseline(y, d.alead, d.asize), size: d.asize, text: s})
		y += d.alead
	}
	d.y = y
	return first, nil
}

// recipientBlock is what the window prints: the recipient's name, then the
// postal address (windowAddress), at the body's size and in at most
// windowLines lines. An address that takes more has some of its lines
// joined with a comma, chosen as the post reads an address, from the
// bottom up: the country line stays alone; of the ways of joining that fit
// (joinings), the best leaves the town line apart, makes no joined line
// that wraps, joins fewest lines and, among equals, the topmost ones (a
// c/o, a department, a building: "The Studios, Lea Hall Enterprise
// Park"). Only an address that fits no way at the body's size is set in
// smaller type, down to the 8 pt DIN 5008 allows, with as many lines as
// the window's height then holds; one that fits none is bad input naming
// the recipient: erase never drops a line of an address.
func (d *doc) recipientBlock() ([]string, error) {
	l, g := d.l, d.g
	addr := windowAddress(l)
	var ls []string
	for _, size := range []float64{addrSize, 9, 8} {
		d.asize, d.alead = size, addrLead
		room := windowLines
		if size != addrSize {
			d.alead = size * ptToMM * 1.1
			room = int(windowLines * addrLead / d.alead)
		}
		wrapped := func(s string) []string { return d.wrap(s, size, false, g.addrW) }
		name := wrapped(l.Recipient.Name)
		ls = append([]string(nil), name...)
		for _, a := range addr {
			ls = append(ls, wrapped(a)...)
		}
		if len(ls) <= room {
			return ls, nil
		}
		if best := d.joinings(addr, room-len(name)); best != nil {
			return append(name, best...), nil
		}
	}
	who := l.Recipient.Name
	if l.Service != "" && l.Service != who {
		who += ", for " + l.Service
	}
	room := int(windowLines * addrLead / d.alead) // at 8 pt
	return nil, badinput.Errorf("the recipient's postal address (%s) takes %d lines in the envelope window, which holds %d even in 8-point type",
		who, len(ls), room).
		Hint("write it in fewer, shorter lines: --to-name, --to-email and --to-address, or a company record of your own in the config directory's companies/ (erase help files)")
}

// maxJoinLines bounds the address lines joinings tries every way of
// joining (2^(n-1) of them); an address of more lines never fits.
const maxJoinLines = 12

// joinings returns the best way to print addr in at most room lines with
// neighbouring lines joined (see recipientBlock), wrapped, or nil if
// there is none.
func (d *doc) joinings(addr []string, room int) []string {
	country := 0
	if countryLine(addr) {
		country = 1
	}
	n := len(addr) - country // lines that may be joined to the next
	if n < 2 || n > maxJoinLines {
		return nil
	}
	type score struct{ town, wraps, joins, pos int }
	less := func(a, b score) bool {
		if a.town != b.town {
			return a.town < b.town
		}
		if a.wraps != b.wraps {
			return a.wraps < b.wraps
		}
		if a.joins != b.joins {
			return a.joins < b.joins
		}
		return a.pos < b.pos
	}
	var best []string
	var bestScore score
	// Bit i of mask joins line i to line i+1.
	for mask := 1; mask < 1<<(n-1); mask++ {
		var sc score
		var out []string
		group := addr[0]
		flush := func() {
			w := d.wrap(group, d.asize, false, d.g.addrW)
			if strings.Contains(group, ", ") && len(w) > 1 {
				sc.wraps++
			}
			out = append(out, w...)
		}
		for i := 0; i+1 < n; i++ {
			if mask&(1<<i) == 0 {
				flush()
				group = addr[i+1]
				continue
			}
			sc.joins++
			sc.pos += i
			if i == n-2 {
				sc.town = 1
			}
			group += ", " + addr[i+1]
		}
		flush()
		for _, a := range addr[n:] {
			out = append(out, d.wrap(a, d.asize, false, d.g.addrW)...)
		}
		if len(out) <= room && (best == nil || less(sc, bestScore)) {
			best, bestScore = out, sc
		}
	}
	return best
}

// windowAddress is the recipient's postal address as the window prints
// it. Its country line (countryLine) is in capitals, as the UPU asks of
// international mail; where the sender's address ends in the same line,
// the letter is domestic and, as DIN 5008 and the post ask, the window
// leaves the country out. A sender who writes "Germany" to a record that
// says "Deutschland" gets "DEUTSCHLAND", which does no harm: erase does not
// guess that two names are one country.
func windowAddress(l *Letter) []string {
	a := append([]string(nil), l.Recipient.Address...)
	if !countryLine(a) {
		return a
	}
	last := strings.TrimSpace(a[len(a)-1])
	if s := l.Sender.Address; countryLine(s) && strings.EqualFold(strings.TrimSpace(s[len(s)-1]), last) {
		return a[:len(a)-1]
	}
	a[len(a)-1] = strings.ToUpper(last)
	return a
}

// countryLine reports whether an address ends in a country line: it has
// two lines or more and the last has no digit (a postcode goes on the town
// line, and no country's name has one).
func countryLine(a []string) bool {
	if len(a) < 2 || strings.TrimSpace(a[len(a)-1]) == "" {
		return false
	}
	return strings.IndexFunc(a[len(a)-1], unicode.IsDigit) < 0
}

// returnLine writes the sender's address in one small line at the bottom of
// the window's return-address zone, with fewer address lines if it is long.
// A sender without a postal address gets none: a name alone returns
// nothing (erase letter warns of it).
func (d *doc) returnLine() {
	g, l := d.g, d.l
	// All address lines, then the last three, two, one: the street, town
	// and country matter most for a return address.
	a := l.Sender.Address
	cands := [][]string{a}
	for k := min(3, len(a)-1); k >= 0; k-- {
		cands = append(cands, a[len(a)-k:])
	}
	s, size := "", 6.0
search:
	for _, c := range cands {
		s = strings.Join(append([]string{l.Sender.Name}, c...), " · ")
		for _, sz := range []float64{returnSize, 6.5, 6} {
			if d.width(s, sz, false) <= g.addrW {
				size = sz
				break search
			}
		}
	}
	y := g.winY + g.returnZone - 2.2
	*d.page() = append(*d.page(), op{kind: opText, x: g.addrX, y: y, size: size, text: s},
		op{kind: opLine, x: g.addrX, y: y + 0.9, x2: g.addrX + min(g.addrW, d.width(s, size, false)), y2: y + 0.9, gray: true})
}

// run is a stretch of a text op drawn in one face.
type run struct {
	fi   int // index in PDFRenderer.faces
	fake bool
	text []rune
}

// runeSet is a set of BMP runes.
type runeSet []uint64

func (s *runeSet) add(r rune) {
	if *s == nil {
		*s = make(runeSet, 0x10000/64)
	}
	(*s)[r>>6] |= 1 << (r & 63)
}

// runes lists the set in ascending order.
func (s runeSet) runes() []rune {
	var rs []rune
	for i, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			rs = append(rs, rune(i*64+b))
			w &^= 1 << b
		}
	}
	return rs
}

// emit splits the text into runs per face, builds each face's encodings,
// and writes the document with fpdf.
func (d *doc) emit(w io.Writer) error {
	r, l, g := d.r, d.l, d.g
	runs := make([][][]run, len(d.pages)) // page, op → runs
	used := make([]runeSet, len(r.faces))
	fidx := map[*pdffont.Face]int{}
	for i, f := range r.faces {
		fidx[f] = i
	}
	for p, ops := range d.pages {
		runs[p] = make([][]run, len(ops))
		for o, op := range ops {
			if op.kind != opText {
				continue
			}
			c := d.chain(op.bold)
			cur, prev := -1, -1
			var rs []run
			for _, ch := range op.text {
				k := c.pick(ch, prev)
				if k < 0 {
					k = len(c) - 1
				}
				if k != cur {
					rs = append(rs, run{fi: fidx[c[k].f], fake: c[k].fake})
					cur = k
				}
				prev = k
				last := &rs[len(rs)-1]
				last.text = append(last.text, ch)
				used[last.fi].add(ch)
			}
			runs[p][o] = rs
		}
	}

	pdf := fpdf.New("P", "mm", g.size, "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(g.ml, g.top, g.mr)
	pdf.SetCompression(false)
	t := l.Date.UTC()
	pdf.SetCreationDate(t)
	pdf.SetModificationDate(t)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(infoText(l.Subject), true)
	pdf.SetAuthor(infoText(l.Sender.Name), true)
	pdf.SetCreator("erase", false)
	pdf.SetProducer("erase", false)
	if langTag(l.Language) {
		pdf.SetLang(l.Language)
	}
	encs := make([]*pdffont.Encoding, len(r.faces))
	for i, f := range r.faces {
		if used[i] == nil {
			continue
		}
		e, err := f.Embed(pdf, i, r.primary[f], used[i].runes())
		if err != nil {
			return err
		}
		encs[i] = e
	}
	if r.sig != nil {
		pdf.RegisterImageOptionsReader("signature", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(r.sig.png))
	}

	curFam, curSize := "", 0.0
	buf := make([]byte, 0, 256)
	for p, ops := range d.pages {
		pdf.AddPage()
		for o, op := range ops {
			switch op.kind {
			case opLine:
				if op.gray {
					pdf.SetDrawColor(150, 150, 150)
				} else {
					pdf.SetDrawColor(0, 0, 0)
				}
				pdf.SetLineWidth(0.2)
				pdf.Line(op.x, op.y, op.x2, op.y2)
			case opImage:
				pdf.ImageOptions("signature", op.x, op.y, op.x2, op.y2, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			case opText:
				if op.gray {
					pdf.SetTextColor(90, 90, 90)
				}
				x := op.x
				scale := op.size / 1000 * ptToMM
				for _, rn := range runs[p][o] {
					f, e := r.faces[rn.fi], encs[rn.fi]
					for start := 0; start < len(rn.text); {
						page, _ := e.Code(rn.text[start])
						buf = buf[:0]
						units := 0
						end := start
						for ; end < len(rn.text); end++ {
							p, c := e.Code(rn.text[end])
							if p != page {
								break
							}
							buf = append(buf, c)
							units += f.Width(rn.text[end])
						}
						if fam := e.Family(page); fam != curFam || op.size != curSize {
							pdf.SetFont(fam, "", op.size)
							curFam, curSize = fam, op.size
						}
						if rn.fake {
							pdf.SetDrawColor(0, 0, 0)
							pdf.SetLineWidth(op.size * ptToMM * 0.035)
							pdf.SetTextRenderingMode(2)
						}
						pdf.Text(x, op.y, string(buf))
						if rn.fake {
							pdf.SetTextRenderingMode(0)
						}
						x += float64(units) * scale
						start = end
					}
				}
				if op.gray {
					pdf.SetTextColor(0, 0, 0)
				}
			}
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("writing the PDF: %w", err)
	}
	return nil
}

// infoText makes s safe for fpdf's conversion of the document
// information to UTF-16, which reads past the end of a truncated UTF-8
// sequence and panics: invalid bytes become U+FFFD, as they print on the
// page. (CheckGlyphs has refused characters past U+FFFF, which fpdf would
// garble.)
func infoText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// langTag reports whether s can be the document's /Lang, which fpdf writes
// unescaped between parentheses: a language tag (en, pt-BR, zh-Hans-CN) of
// ASCII letters, digits and hyphens. Anything else is left out.
func langTag(s string) bool {
	if s == "" || len(s) > 35 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
