package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/pdffont"
	"github.com/erase-cli/erase/letters"
)

// A letter with characters the built-in fonts (DejaVu Sans) lack — a
// Chinese, Japanese or Korean letter, most often — is printed with a
// TrueType font found on the machine, where neither --font nor --font-bold
// is given:
//
//   - fontconfig's fc-list, asked for the fonts with every missing
//     character (":charset=4e2a 4e2d-4e2e"), where it is installed;
//     otherwise a walk of the usual font directories, .ttf files only,
//     within a time and a file budget;
//   - each candidate is checked cheaply (sfnt reads only its table
//     directory, names and cmap) for every missing character; the best is
//     then parsed by internal/pdffont, as a --font is, and the letter
//     checked with it (CheckGlyphs: Has for every printed character);
//   - the found font comes first and DejaVu fills in the rest, as with
//     --font; a bold face of the same family, if found, draws bold text,
//     and the regular face, emboldened, otherwise.
//
// Nothing of this runs for a letter the built-in fonts can print: the
// search starts only where the built-in engine's CheckGlyphs fails.

// fontPlaces is where the search looks; tests replace it.
type fontPlaces struct {
	fcList   string                                    // fontconfig's fc-list, looked up in PATH; "" = never
	dirs     func(getenv func(string) string) []string // walked where fc-list is missing
	budget   time.Duration                             // for the walk and the checks of candidates
	maxFiles int                                       // font files opened at most
}

var fontSearch = fontPlaces{fcList: "fc-list", dirs: fontDirs, budget: 300 * time.Millisecond, maxFiles: 400}

// fcListTimeout bounds fc-list, which may have to build its cache first.
const fcListTimeout = 5 * time.Second

// fontDirs are the usual font directories of Linux and the BSDs, macOS
// and Windows.
func fontDirs(getenv func(string) string) []string {
	ds := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		ds = append(ds, filepath.Join(h, ".local", "share", "fonts"), filepath.Join(h, ".fonts"), filepath.Join(h, "Library", "Fonts"))
	}
	ds = append(ds, "/Library/Fonts", "/System/Library/Fonts")
	if w := getenv("WINDIR"); w != "" {
		ds = append(ds, filepath.Join(w, "Fonts"))
	}
	if l := getenv("LOCALAPPDATA"); l != "" {
		ds = append(ds, filepath.Join(l, "Microsoft", "Windows", "Fonts"))
	}
	return ds
}

// withFontSearch wraps the PDF engine so that a letter its fonts cannot
// print is printed with a font found on the machine. With --font or
// --font-bold the user chose the fonts: no search.
func (e *env) withFontSearch(o *letterOptions, base pdfEngine) pdfEngine {
	if o.font != "" || o.fontBold != "" {
		return base
	}
	return &searchingPDF{e: e, o: o, base: base}
}

// searchingPDF is the built-in engine, plus the engines with the fonts
// found for the letters it could not print.
type searchingPDF struct {
	e    *env
	o    *letterOptions
	base pdfEngine

	mu    sync.Mutex
	found []pdfEngine
}

func (s *searchingPDF) CheckGlyphs(l *letters.Letter) error {
	err := s.base.CheckGlyphs(l)
	if err == nil {
		return nil
	}
	_, err = s.engineFor(l, err)
	return err
}

func (s *searchingPDF) Render(w io.Writer, l *letters.Letter) error {
	err := s.base.Render(w, l)
	if err == nil {
		return nil
	}
	// Render checks the glyphs before it writes anything: only where that
	// failed is another engine tried.
	cerr := s.base.CheckGlyphs(l)
	if cerr == nil {
		return err
	}
	eng, err := s.engineFor(l, cerr)
	if err != nil {
		return err
	}
	return eng.Render(w, l)
}

// engineFor returns an engine with a found font that prints l: one found
// before, or one found now. baseErr is the built-in engine's complaint.
func (s *searchingPDF) engineFor(l *letters.Letter, baseErr error) (pdfEngine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, eng := range s.found {
		if eng.CheckGlyphs(l) == nil {
			return eng, nil
		}
	}
	need, err := missingRunes(l)
	if err != nil {
		return nil, err
	}
	if len(need) == 0 { // a control character, or one past U+FFFF: no font helps
		return nil, baseErr
	}
	res := fontSearch.find(need, s.e.getenv)
	for _, c := range res.choices {
		o := *s.o
		o.font, o.fontBold = c.regular.path, ""
		if c.bold != nil {
			o.fontBold = c.bold.path
		}
		eng, err := s.e.newPDF(&o)
		if err != nil || eng.CheckGlyphs(l) != nil {
			continue
		}
		s.found = append(s.found, eng)
		fmt.Fprintf(s.e.stderr, "erase: note: DejaVu Sans lacks %s; the PDF uses %s\n", describeRunes(need), c.describe())
		return eng, nil
	}
	return nil, notFoundError(baseErr, need, res)
}

// missingRunes are the characters l prints (Letter.PrintedTexts) that
// DejaVu Sans or DejaVu Sans Bold lacks, in order of
// appearance, leaving out those no font can help with (controls, runes
// past U+FFFF), which CheckGlyphs reports on its own.
func missingRunes(l *letters.Letter) ([]rune, error) {
	dr, db, err := pdffont.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in font: %w", err)
	}
	seen := map[rune]bool{}
	var need []rune
	for _, t := range l.PrintedTexts() {
		for _, r := range t {
			if seen[r] || r > 0xFFFF || unicode.IsControl(r) || (dr.Has(r) && db.Has(r)) {
				continue
			}
			seen[r] = true
			need = append(need, r)
		}
	}
	return need, nil
}

// describeRunes names the first character and counts the others:
// "个 (U+4E2A)", "个 (U+4E2A) and 57 other characters"; a character that
// does not print (private use) by its code point alone.
func describeRunes(rs []rune) string {
	s := fmt.Sprintf("%U", rs[0])
	if unicode.IsPrint(rs[0]) {
		s = fmt.Sprintf("%s (%U)", string(rs[0]), rs[0])
	}
	switch n := len(rs) - 1; n {
	case 0:
		return s
	case 1:
		return s + " and 1 other character"
	default:
		return fmt.Sprintf("%s and %d other characters", s, n)
	}
}

// notFoundError is the built-in engine's complaint, still bad input, with
// hints on what to do.
func notFoundError(baseErr error, need []rune, res searchResult) error {
	msg := baseErr.Error()
	if be, ok := badinput.As(baseErr); ok {
		msg = be.Msg
	}
	err := badinput.Errorf("%s", msg)
	if len(need) == 1 {
		err.Hint("no TrueType font on this machine has %s", describeRunes(need))
	} else {
		err.Hint("no TrueType font on this machine has all %d characters DejaVu Sans lacks (%s)", len(need), describeRunes(need))
	}
	if len(res.unusable) > 0 {
		err.Hint("fc-list found only OpenType/CFF fonts or font collections with them, which erase cannot embed (Noto Sans CJK is one): %s", strings.Join(res.unusable[:min(3, len(res.unusable))], ", "))
	}
	return err.Hint("install a TrueType font with these characters, e.g. fonts-droid-fallback (Debian, Ubuntu), google-droid-sans-fonts (Fedora), then run again, or pass --font FILE").
		Hint("or write the letter as text or e-mail (--format text|eml), which need no font, or in English (--lang en)")
}

// fontFile is a TrueType font file with every character searched for.
type fontFile struct {
	path           string
	full, family   string // "Go Bold", "Go"
	bold, regular  bool   // its style, from its subfamily name
	italic, narrow bool
}

// choice is a regular face to try, and the bold face of its family, if any.
type choice struct{ regular, bold *fontFile }

func (c choice) describe() string {
	s := c.regular.full + ", " + c.regular.path
	if c.bold != nil {
		s += ", and " + c.bold.full + ", " + c.bold.path + ", for bold"
	}
	return s
}

type searchResult struct {
	choices  []choice // best first
	unusable []string // fc-list's fonts with the characters that erase cannot embed
}

// maxChoices bounds the fonts parsed in full: each is parsed and cut once.
const maxChoices = 3

func (p fontPlaces) find(need []rune, getenv func(string) string) searchResult {
	deadline := time.Now().Add(p.budget)
	paths, unusable, ok := p.fcListPaths(need)
	if !ok {
		paths = p.walk(getenv, deadline)
	}
	var found []*fontFile
	for i, path := range paths {
		if i >= p.maxFiles || time.Now().After(deadline) {
			break
		}
		if f := checkFontFile(path, need); f != nil {
			found = append(found, f)
		}
	}
	res := searchResult{choices: choose(found)}
	if len(found) == 0 {
		res.unusable = unusable
	}
	return res
}

// fcListPaths asks fontconfig for the fonts with every rune of need. ok is
// false where fc-list is missing or fails: then the directories are walked.
// paths are the .ttf files, unusable the others (.otf, .ttc).
func (p fontPlaces) fcListPaths(need []rune) (paths, unusable []string, ok bool) {
	if p.fcList == "" {
		return nil, nil, false
	}
	bin, err := exec.LookPath(p.fcList)
	if err != nil {
		return nil, nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), fcListTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--format", `%{file}\n`, ":charset="+charsetArg(need))
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return nil, nil, false
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		path := strings.TrimSpace(line)
		if path == "" || seen[path] {
			continue
		}
		seen[path] = true
		if strings.EqualFold(filepath.Ext(path), ".ttf") {
			paths = append(paths, path)
		} else {
			unusable = append(unusable, path)
		}
	}
	slices.Sort(paths) // fc-list's order is its cache's
	slices.Sort(unusable)
	return paths, unusable, true
}

// charsetArg is fontconfig's charset syntax: hexadecimal code points and
// ranges, separated by spaces ("4e2a 4e2d-4e2e").
func charsetArg(rs []rune) string {
	rs = slices.Clone(rs)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j+1 < len(rs) && rs[j+1] == rs[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if j == i {
			fmt.Fprintf(&b, "%x", rs[i])
		} else {
			fmt.Fprintf(&b, "%x-%x", rs[i], rs[j])
		}
		i = j + 1
	}
	return b.String()
}

// walk lists the .ttf files under the font directories, likely CJK and
// pan-Unicode fonts first, until the deadline.
func (p fontPlaces) walk(getenv func(string) string, deadline time.Time) []string {
	var paths []string
	for _, dir := range p.dirs(getenv) {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			switch {
			case time.Now().After(deadline) || len(paths) >= 20*p.maxFiles:
				return fs.SkipAll
			case err != nil:
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
			case !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".ttf"):
				paths = append(paths, path)
			}
			return nil
		})
	}
	slices.SortStableFunc(paths, func(a, b string) int { return likelyRank(a) - likelyRank(b) })
	return paths
}

// likelyNames are parts of the file names of TrueType fonts with many
// characters: CJK fonts, pan-Unicode ones.
var likelyNames = []string{"droidsansfallback", "fallback", "cjk", "wqy", "unifont", "arialuni", "arial unicode",
	"gothic", "mincho", "ming", "song", "hei", "kai", "nanum", "malgun", "gulim", "batang", "dotum", "ipa",
	"takao", "ukai", "uming", "simsun", "simhei", "msyh", "meiryo", "yugoth", "hiragino", "pingfang", "han"}

func likelyRank(path string) int {
	name := strings.ToLower(filepath.Base(path))
	for i, n := range likelyNames {
		if strings.Contains(name, n) {
			return i
		}
	}
	return len(likelyNames)
}

// checkFontFile reads just enough of a file to tell whether it is a
// TrueType font with every rune of need, and its names; nil if not.
func checkFontFile(path string, need []rune) *fontFile {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var magic [4]byte
	if _, err := fh.ReadAt(magic[:], 0); err != nil {
		return nil
	}
	if m := string(magic[:]); m != "\x00\x01\x00\x00" && m != "true" { // OTTO is CFF, ttcf a collection
		return nil
	}
	sf, err := sfnt.ParseReaderAt(fh)
	if err != nil {
		return nil
	}
	var buf sfnt.Buffer
	for _, r := range need {
		if g, err := sf.GlyphIndex(&buf, r); err != nil || g == 0 {
			return nil
		}
	}
	name := func(ids ...sfnt.NameID) string {
		for _, id := range ids {
			if s, err := sf.Name(&buf, id); err == nil && s != "" {
				return s
			}
		}
		return ""
	}
	f := &fontFile{path: path, full: name(sfnt.NameIDFull), family: name(sfnt.NameIDTypographicFamily, sfnt.NameIDFamily)}
	if f.full == "" {
		f.full = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	style := strings.ToLower(name(sfnt.NameIDTypographicSubfamily, sfnt.NameIDSubfamily) + " " + f.full)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(style, w) {
				return true
			}
		}
		return false
	}
	f.italic = has("italic", "oblique")
	f.narrow = has("mono", "condensed", "narrow")
	f.bold = has("bold") && !has("semibold", "demibold", "extrabold", "ultrabold")
	f.regular = !has("bold", "italic", "oblique", "light", "thin", "black", "heavy", "medium")
	return f
}

// choose ranks the fonts found: upright regular faces first, then the
// others, monospaced and condensed ones last; each with a bold face of its
// family where there is one. A bold face whose regular face is found is
// not a choice of its own.
func choose(found []*fontFile) []choice {
	rank := func(f *fontFile) int {
		r := 0
		if f.italic {
			r += 4
		}
		if !f.regular {
			r += 2
		}
		if f.narrow {
			r++
		}
		return r
	}
	cands := slices.Clone(found)
	slices.SortStableFunc(cands, func(a, b *fontFile) int { return rank(a) - rank(b) })
	var cs []choice
	for _, f := range cands {
		if len(cs) == maxChoices {
			break
		}
		if f.bold && hasRegular(cands, f) {
			continue
		}
		c := choice{regular: f}
		if !f.bold {
			for _, g := range cands {
				if g.bold && !g.italic && g.family == f.family && g.narrow == f.narrow {
					c.bold = g
					break
				}
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// hasRegular reports whether the regular face of bold's family is found.
func hasRegular(fs []*fontFile, bold *fontFile) bool {
	for _, f := range fs {
		if f.regular && f.family == bold.family && f.narrow == bold.narrow {
			return true
		}
	}
	return false
}
