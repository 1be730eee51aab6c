package pdffont

import (
	"embed"
)

// Cutting a subset of a 750 KB face and compressing it costs 5-10 ms, and
// the first letter a process renders would pay it twice, once per face.
// So the built-in faces ship with their most used cuts made ahead of time
// (by TestBuiltinCuts, from the same code as a cut made at run time) and
// already compressed, in fontcuts/:
//
//   - W, the WinAnsi characters: every letter in English, and in most
//     Western European languages, with no other character;
//   - L, the Latin cut: W plus Latin-1 Supplement, Latin Extended-A, the
//     Romanian letters with a comma below (U+0218-U+021B) and General
//     Punctuation: letters in the Latin scripts of Europe and Türkiye.
//
// A letter whose characters (in a built-in face that comes first in its
// chain) all lie in one of them embeds that cut; any other is cut at run
// time as before. Which cut a letter embeds depends only on its
// characters, never on what the binary ships, so the bytes are the same
// whether the cut is read from fontcuts/ or made now.
//
// TestBuiltinCuts fails when a shipped cut is not exactly what a fresh cut
// gives (after an update of fpdf, of the DejaVu fonts or of Go's zlib);
// regenerate them with
//
//	go generate ./internal/pdffont
//
//go:generate go test -run ^TestBuiltinCuts$ -count 1 . -args -cuts.write

//go:embed fontcuts/*.z
var fontCutFS embed.FS

// The shipped cuts, by kind; each is the cache key of that cut.
const (
	cutWinAnsi = "W"
	cutLatin   = "L"
)

var builtinCutKinds = []string{cutWinAnsi, cutLatin}

// fontCutInfo describes one file in fontcuts/, named face.kind.z after
// the face's PostScript name: the face it was cut from, and the
// uncompressed size and subset tag of the cut. fontCutInfos, in
// fontcuts_gen.go, is written with the files.
type fontCutInfo struct {
	srcLen int    // size of the TTF cut from
	srcSum uint32 // its head table's checkSumAdjustment
	rawLen int
	tag    string
}

// inLatinCut reports whether r lies in the ranges of the Latin cut. The
// WinAnsi characters outside them (ƒ ˆ ˜ € ™) are in every cut with the
// WinAnsi base.
func inLatinCut(r rune) bool {
	return r < 0x0180 || (r >= 0x0218 && r <= 0x021B) || (r >= 0x2000 && r < 0x2070)
}

// builtinExtras are the runes a shipped cut holds besides the WinAnsi
// base: the ones the face has in its ranges.
func (f *Face) builtinExtras(kind string) []rune {
	if kind != cutLatin {
		return nil
	}
	var set []rune
	for r := rune(0x20); r < 0x2070; r++ {
		if _, win := winAnsiCode[r]; inLatinCut(r) && !win && f.Has(r) {
			set = append(set, r)
		}
	}
	return set
}

// builtinKey picks the shipped cut for a built-in face that comes first in
// its chain, given the characters it draws outside WinAnsi: W if none, L
// if all lie in the Latin cut, else none (""). It returns the kind and
// the cut's runes besides the WinAnsi base.
func builtinKey(f *Face, used []rune) (string, []rune) {
	if len(used) == 0 {
		return cutWinAnsi, nil
	}
	for _, r := range used {
		if !inLatinCut(r) {
			return "", nil
		}
	}
	return cutLatin, f.builtinExtras(cutLatin)
}

// seedBuiltinCuts marks f as a built-in face and makes its shipped cuts
// ready to load. A cut made from another file than f's (a stale
// fontcuts_gen.go) is left out, and made at run time when needed.
func (f *Face) seedBuiltinCuts() {
	f.builtin = true
	f.fixed = map[string]*subsetEntry{}
	for _, kind := range builtinCutKinds {
		name := f.ps + "." + kind
		info, ok := fontCutInfos[name]
		if !ok || info.srcLen != len(f.ttf) || info.srcSum != f.sum {
			continue
		}
		f.fixed[kind] = &subsetEntry{file: "fontcuts/" + name + ".z", rawLen: info.rawLen, tag: info.tag}
	}
}
