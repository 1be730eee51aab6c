package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/erase-cli/erase/internal/pdffont"
	"github.com/erase-cli/erase/letters"
)

// The machine that runs the tests may have any fonts, or none: the search
// is pointed at fake fc-lists and font directories. Scripts (which run
// erase in a child process) set these:
//
//	ERASE_TEST_FC_LIST    the fc-list command ("" = never use fc-list)
//	ERASE_TEST_FONT_DIRS  the font directories, a path list
//	ERASE_TEST_GOFONTS    a directory to write Go-Regular.ttf and Go-Bold.ttf to
func init() {
	if v, ok := os.LookupEnv("ERASE_TEST_FC_LIST"); ok {
		fontSearch.fcList = v
	}
	if v, ok := os.LookupEnv("ERASE_TEST_FONT_DIRS"); ok {
		fontSearch.dirs = func(func(string) string) []string { return filepath.SplitList(v) }
	}
	if d := os.Getenv("ERASE_TEST_GOFONTS"); d != "" {
		if err := writeGoFonts(d); err != nil {
			panic(err)
		}
	}
}

// goRune is in Go Regular and Go Bold and in neither DejaVu Sans face (the
// only such rune, found by scanning the BMP: the Go fonts' private-use
// gopher). TestGoRune checks it still is.
const goRune = '\uf800'

func writeGoFonts(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Go-Regular.ttf"), goregular.TTF, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Go-Bold.ttf"), gobold.TTF, 0o644)
}

func TestGoRune(t *testing.T) {
	dr, db, err := pdffont.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	gr, err := pdffont.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := pdffont.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	if dr.Has(goRune) || db.Has(goRune) || !gr.Has(goRune) || !gb.Has(goRune) {
		t.Fatalf("%U: DejaVu %v/%v, Go %v/%v", goRune, dr.Has(goRune), db.Has(goRune), gr.Has(goRune), gb.Has(goRune))
	}
}

// searchIn points the search at fcList and dirs for the test. dirs nil
// means a walk fails the test.
func searchIn(t *testing.T, fcList string, dirs []string) {
	t.Helper()
	saved := fontSearch
	t.Cleanup(func() { fontSearch = saved })
	fontSearch.fcList = fcList
	fontSearch.dirs = func(func(string) string) []string {
		if dirs == nil {
			t.Error("the font directories were walked")
		}
		return dirs
	}
}

// fakeFcList writes an fc-list that appends its arguments to dir/fc-list.args
// and prints out, and puts it first in PATH.
func fakeFcList(t *testing.T, out ...string) (argsFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake fc-list is a shell script")
	}
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "fc-list.args")
	script := "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + argsFile + "'\necho >> '" + argsFile + "'\n"
	for _, o := range out {
		script += "echo '" + o + "'\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "fc-list"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return argsFile
}

func goFontDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fonts", "truetype", "go")
	if err := writeGoFonts(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

var goName = "Jane " + string(goRune) + " Doe"

func TestFontSearchWalksDirectories(t *testing.T) {
	outputEnv(t)
	fonts := goFontDir(t)
	root := filepath.Dir(filepath.Dir(fonts))
	// What the walk must pass over: not a font, a CFF font and a collection
	// named .ttf, and Go Regular as .otf (only .ttf files are read).
	for name, b := range map[string][]byte{
		"aaa-notafont.ttf": []byte("not a font"),
		"cff.ttf":          append([]byte("OTTO"), goregular.TTF[4:]...),
		"collection.ttf":   append([]byte("ttcf"), goregular.TTF[4:]...),
		"Go-Regular.otf":   goregular.TTF,
	} {
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	searchIn(t, "", []string{filepath.Join(t.TempDir(), "missing"), root})
	out := filepath.Join(t.TempDir(), "letter.pdf")
	code, _, stderr := eraseLetter(t, out, "--name", goName)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "erase: note: DejaVu Sans lacks U+F800; the PDF uses Go Regular, " + filepath.Join(fonts, "Go-Regular.ttf") +
		", and Go Bold, " + filepath.Join(fonts, "Go-Bold.ttf") + ", for bold\n"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"GoRegular", "Go-Bold"} {
		if !bytes.Contains(pdf, []byte("+"+f)) {
			t.Errorf("the PDF does not embed %s", f)
		}
	}
}

func TestFontSearchFcList(t *testing.T) {
	outputEnv(t)
	fonts := goFontDir(t)
	regular := filepath.Join(fonts, "Go-Regular.ttf")
	// Only the .ttf is read; the others fc-list names are not TrueType.
	args := fakeFcList(t, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", regular, regular)
	searchIn(t, "fc-list", nil)
	out := filepath.Join(t.TempDir(), "letter.pdf")
	code, _, stderr := eraseLetter(t, out, "--name", goName, "--account", "username=jane"+string(goRune)+"é")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "erase: note: DejaVu Sans lacks U+F800; the PDF uses Go Regular, " + regular + "\n"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	got, err := os.ReadFile(args)
	if err != nil {
		t.Fatal(err)
	}
	if want := "--format|%{file}\\n|:charset=f800|\n"; string(got) != want {
		t.Errorf("fc-list ran with %q, want %q once", got, want)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// A batch searches once: the font found for the first letter serves the rest.
func TestFontSearchOncePerBatch(t *testing.T) {
	outputEnv(t)
	args := fakeFcList(t, filepath.Join(goFontDir(t), "Go-Regular.ttf"))
	searchIn(t, "fc-list", nil)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := run(t, "letter", "--law", "gdpr", "--company", "aliexpress", "--company", "alibaba",
		"--name", goName, "--email", "jane@example.com", "--date", "2026-11-27", "-o", dir+"/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stderr, "erase: note: DejaVu Sans lacks"); n != 1 {
		t.Errorf("%d notes:\n%s", n, stderr)
	}
	if got, _ := os.ReadFile(args); strings.Count(string(got), "\n") != 1 {
		t.Errorf("fc-list ran %d times", strings.Count(string(got), "\n"))
	}
	if ps, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(ps) != 2 {
		t.Errorf("wrote %v", ps)
	}
}

func TestFontSearchNotFound(t *testing.T) {
	const install = "erase: hint: install a TrueType font with these characters, e.g. fonts-droid-fallback (Debian, Ubuntu), google-droid-sans-fonts (Fedora), then run again, or pass --font FILE\n"
	empty := t.TempDir()
	tests := []struct {
		name   string
		fcList []string // nil: no fc-list
		dirs   []string
		want   []string
	}{
		{"fc-list finds nothing", []string{}, nil, nil},
		{"fc-list finds only OpenType", []string{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/x/y.otf"}, nil,
			[]string{"erase: hint: fc-list found only OpenType/CFF fonts or font collections with them, which erase cannot embed (Noto Sans CJK is one): /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, /x/y.otf\n"}},
		{"fc-list's font lacks it after all", []string{"/usr/share/fonts/truetype/missing.ttf"}, nil, nil},
		{"no fc-list, nothing in the directories", nil, []string{empty}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outputEnv(t)
			if tt.fcList != nil {
				fakeFcList(t, tt.fcList...)
				searchIn(t, "fc-list", tt.dirs)
			} else {
				searchIn(t, "", tt.dirs)
			}
			out := filepath.Join(t.TempDir(), "letter.pdf")
			code, _, stderr := eraseLetter(t, out, "--name", goName)
			if code != exitBadInput {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			want := append([]string{
				"erase: character \"\\uf800\" (U+F800) in the requester's name is not in the font DejaVu Sans",
				"erase: hint: no TrueType font on this machine has U+F800\n",
				install,
			}, tt.want...)
			for _, w := range want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stderr, "note:") || (tt.want == nil && strings.Contains(stderr, "OpenType")) {
				t.Errorf("stderr:\n%s", stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a file was written: %v", err)
			}
		})
	}
}

// The walk stops after maxFiles font files.
func TestFontSearchFileBudget(t *testing.T) {
	outputEnv(t)
	dir := t.TempDir()
	for _, n := range []string{"a.ttf", "b.ttf", "c.ttf"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("not a font"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "z.ttf"), goregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	searchIn(t, "", []string{dir})
	fontSearch.maxFiles = 3
	if code, _, stderr := eraseLetter(t, filepath.Join(t.TempDir(), "x.pdf"), "--name", goName); code != exitBadInput {
		t.Fatalf("exit %d with 3 files: %s", code, stderr)
	}
	fontSearch.maxFiles = 4
	if code, _, stderr := eraseLetter(t, filepath.Join(t.TempDir(), "x.pdf"), "--name", goName); code != 0 {
		t.Fatalf("exit %d with 4 files: %s", code, stderr)
	}
}

// A letter DejaVu prints, a letter with --font or --font-bold, and a letter
// with a character no font helps with never search.
func TestFontSearchNotNeeded(t *testing.T) {
	outputEnv(t)
	args := fakeFcList(t, filepath.Join(goFontDir(t), "Go-Regular.ttf"))
	searchIn(t, "fc-list", nil)
	dir := t.TempDir()
	code, _, stderr := eraseLetter(t, filepath.Join(dir, "latin.pdf"), "--name", "Józef Żółć")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	font := filepath.Join(dir, "go.ttf")
	if err := os.WriteFile(font, goregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr = eraseLetter(t, filepath.Join(dir, "font.pdf"), "--name", goName, "--font", font); code != 0 {
		t.Fatalf("--font: exit %d: %s", code, stderr)
	}
	if code, _, stderr = eraseLetter(t, filepath.Join(dir, "bold.pdf"), "--name", goName, "--font-bold", font); code != exitBadInput ||
		!strings.Contains(stderr, "U+F800) in the requester's name is not in the font DejaVu Sans") {
		t.Fatalf("--font-bold: exit %d: %s", code, stderr)
	}
	if code, _, stderr = eraseLetter(t, filepath.Join(dir, "emoji.pdf"), "--name", "Jane 😀"); code != exitBadInput ||
		!strings.Contains(stderr, "up to U+FFFF only") {
		t.Fatalf("emoji: exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "note:") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if got, err := os.ReadFile(args); !os.IsNotExist(err) {
		t.Errorf("fc-list ran: %q", got)
	}
}

func TestCharsetArg(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"个", "4e2a"},
		{"\u4e2f\u4e2a\u4e2d\u4e2e\u4e2a", "4e2a 4e2d-4e2f"},
		{"ba\uf800a", "61-62 f800"},
	} {
		if got := charsetArg([]rune(tt.in)); got != tt.want {
			t.Errorf("charsetArg(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChooseBoldOfFamily(t *testing.T) {
	fonts := goFontDir(t)
	need := []rune{goRune}
	var found []*fontFile
	for _, n := range []string{"Go-Bold.ttf", "Go-Regular.ttf"} {
		f := checkFontFile(filepath.Join(fonts, n), need)
		if f == nil {
			t.Fatalf("%s: not found", n)
		}
		found = append(found, f)
	}
	if checkFontFile(filepath.Join(fonts, "Go-Regular.ttf"), []rune{goRune, '个'}) != nil {
		t.Error("Go Regular has 个?")
	}
	cs := choose(found)
	if len(cs) != 1 || cs[0].regular.full != "Go Regular" || cs[0].bold == nil || cs[0].bold.full != "Go Bold" {
		t.Fatalf("choose: %+v", cs)
	}
	cs = choose(found[:1]) // a bold face alone is a choice
	if len(cs) != 1 || cs[0].regular.full != "Go Bold" || cs[0].bold != nil {
		t.Fatalf("choose bold alone: %+v", cs)
	}
}

func latinLetter() *letters.Letter {
	return &letters.Letter{
		Reference: "ERASE-20261127-abc123", Kind: "erasure", Language: "en", Paper: "a4",
		Date:      time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Law:       letters.LawRef{ID: "gdpr", Name: "GDPR", Citation: "Article 17 GDPR"},
		Sender:    letters.Party{Name: "Józef Żółć", Email: "jozef@example.com", Address: []string{"ul. Długa 1", "00-001 Warszawa"}},
		Recipient: letters.Party{Name: "AliExpress.com", Email: "dataprotection.ae@aliexpress.com", Address: []string{"Dublin"}},
		Service:   "AliExpress",
		Subject:   "Request for erasure under Article 17 GDPR",
		Opening:   "Dear Sir or Madam,",
		Body:      []letters.Block{{Text: strings.Repeat("I ask you to erase my personal data without undue delay. ", 12)}, {Items: []string{"my account", "my orders"}}},
		Closing:   "Yours faithfully,",
	}
}

// BenchmarkPDFFontSearch renders a Latin letter with the built-in engine
// and with the same engine wrapped by withFontSearch: the wrapper must
// cost nothing measurable.
func BenchmarkPDFFontSearch(b *testing.B) {
	e := newEnv(strings.NewReader(""), io.Discard, io.Discard)
	o := &letterOptions{}
	base, err := e.newPDF(o)
	if err != nil {
		b.Fatal(err)
	}
	l := latinLetter()
	for _, bc := range []struct {
		name string
		eng  pdfEngine
	}{{"builtin", base}, {"searching", e.withFontSearch(o, base)}} {
		b.Run(bc.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := bc.eng.CheckGlyphs(l); err != nil {
					b.Fatal(err)
				}
				if err := bc.eng.Render(&buf, l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPDFLetterCommand is a whole `erase letter --format pdf` of a
// Latin letter, in process.
func BenchmarkPDFLetterCommand(b *testing.B) {
	b.Setenv("ERASE_CONFIG_DIR", b.TempDir())
	b.Setenv("ERASE_DATA_DIR", b.TempDir())
	args := []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "Józef Żółć",
		"--email", "jozef@example.com", "--date", "2026-11-27", "--format", "pdf"}
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := Run(args, strings.NewReader(""), &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
