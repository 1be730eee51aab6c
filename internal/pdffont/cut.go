package pdffont

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"sync"

	"codeberg.org/go-pdf/fpdf"
)

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

// subset returns the face's font program holding at least base (the
// WinAnsi characters, if withBase) and used (sorted runes the face has),
// compressed, shipped with the binary, from the cache or cut now. A
// built-in face takes one of its shipped cuts whenever that holds every
// character (builtinKey). Otherwise, below U+3000 the cut takes whole
// groups of 16 code points, so that letters in one script share a cut: a
// batch of Greek letters needs a handful of cuts, not one per recipient.
// The cut depends only on its rune set, so a cache hit or miss, or a
// shipped cut rather than one cut now, never changes a document's bytes.
func (f *Face) subset(withBase bool, used []rune) (*subsetEntry, error) {
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
func (f *Face) groupKey(withBase bool, used []rune) (string, []rune) {
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
			if f.Has(g) {
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
// same bytes (TestCutFromEurope); a single letter does not wait for it.
func (f *Face) europe() ([]byte, error) {
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
			if inEurope(r) && f.Has(r) {
				set = append(set, r)
			}
		}
		f.europeTTF, f.europeErr = cutFont(f.ttf, set)
	})
	return f.europeTTF, f.europeErr
}

// cutSet is the runes of a cut: the WinAnsi characters the face has, if
// withBase, and extra.
func (f *Face) cutSet(withBase bool, extra []rune) []rune {
	var set []rune
	if withBase {
		for c := 32; c < 256; c++ {
			if r := winAnsi[c]; r != 0 && f.Has(r) {
				set = append(set, r)
			}
		}
	}
	return append(set, extra...)
}

func (f *Face) cut(withBase bool, extra []rune) (z []byte, rawLen int, tag string, err error) {
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

// ResetCaches empties the built-in faces' caches of cuts made at run time
// and unloads their shipped cuts, as in a new process; europe also drops
// their European cuts. It is for tests and benchmarks of a cold start, and
// must not run while a document is being made.
func ResetCaches(europe bool) {
	regular, bold, err := Builtin()
	if err != nil {
		return
	}
	for _, f := range []*Face{regular, bold} {
		f.mu.Lock()
		f.seedBuiltinCuts()
		f.subsets, f.order = map[string]*subsetEntry{}, nil
		if europe {
			f.europeOnce, f.europeTTF, f.europeErr, f.misses = sync.Once{}, nil, nil, 0
		}
		f.mu.Unlock()
	}
}
