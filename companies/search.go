package companies

import (
	"bytes"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SearchOptions narrow a search.
type SearchOptions struct {
	// Category keeps the records in this category ("" for all).
	Category string
	// Country keeps the records for this country (ISO 3166-1, any case):
	// those that name it and those that name none, which are for all.
	Country string
	// Limit is the most hits to return; 0 for all.
	Limit int
}

// Hit is a record a search found, with what a listing shows of it.
type Hit struct {
	Entry
	// Score is how well the record matches: higher is better (see the
	// tiers of Find).
	Score int

	keyLen int        // the length of the folded key that matched best
	line   indexEntry // its header line, for the entry
}

// Scores of the tiers.
const (
	scoreExact  = 950
	scorePrefix = 850
	scoreWord   = 750
	scoreSub    = 650
	scoreTypo   = 500 // whole key; a prefix 50 less, a word prefix 100 less
	idBonus     = 50
	typoIDBonus = 10
	typoEdit    = 40
	typoOmitted = 20
)

// Find returns the records matching text, best first, within opts: it
// ranks them for text typed as a person types it, over the id and every
// key of the index header (names, legal names, aliases, runs, domains),
// folded so that case, accents, ß, spaces and punctuation do not matter
// ("deutsche bahn" is the id deutsche-bahn), and forgiving typos. It
// reads only the header: no record is decoded to rank it, and nothing is
// kept between searches.
//
// A record scores by its best key, in tiers:
//
//	exact id                        1000
//	exact alias, domain, name, run   950
//	id prefix / key prefix           900 / 850
//	word prefix (id / key)           800 / 750   ("bahn" in "Deutsche Bahn AG")
//	substring (id / key)             700 / 650   (three letters or more)
//	typo: whole key                  500 - 40 per edit
//	typo: key prefix                 450 - 40 per edit (five letters or more)
//	typo: word prefix                400 - 40 per edit (five letters or more)
//
// A typo match adds 20 where the text is the key with letters left out
// (the commonest typo: "amazn", "spotfy") and 10 where the key is the id.
// A typo is an edit (a letter inserted, left out, changed, or two swapped)
// within a distance scaled by the text's length: none below 4 letters, 1
// up to 7, 2 up to 11, 3 beyond; the first letter must be right, or swapped
// with the second.
//
// At equal score a record that takes letters ranks before a self-service
// link, then the one whose matching key is shorter (nearer to the text),
// then by id.
func (d *Directory) Find(text string, opts SearchOptions) []Hit {
	q := newQuery(text)
	if len(q.text) == 0 {
		return nil
	}
	country := strings.ToUpper(strings.TrimSpace(opts.Country))
	keep := func(categories, countries string) bool {
		return (opts.Category == "" || hasItem(categories, opts.Category)) &&
			(country == "" || countries == "" || hasItem(countries, country))
	}
	var hits []Hit
	found := func(id string, writable bool, line indexEntry) {
		if q.best > 0 {
			hits = append(hits, Hit{Entry: Entry{ID: id, Writable: writable}, Score: q.best, keyLen: q.bestLen, line: line})
		}
	}
	if d.index != nil {
		for en := range d.index.entries() {
			if _, ok := d.own[en.id]; ok || !keep(en.categories, en.countries) {
				continue
			}
			q.start()
			q.key(en.id, true)
			q.keyList(en.keys)
			found(en.id, strings.Contains(en.flags, "w"), en)
		}
	}
	for _, c := range d.own {
		if !keep(join(c.Categories), join(c.Countries)) {
			continue
		}
		q.start()
		q.key(c.ID, true)
		for _, k := range searchKeys(c) {
			q.key(k, false)
		}
		found(c.ID, c.Writable(), indexEntry{})
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := &hits[i], &hits[j]
		switch {
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.Writable != b.Writable:
			return a.Writable
		case a.keyLen != b.keyLen:
			return a.keyLen < b.keyLen
		}
		return a.ID < b.ID
	})
	if opts.Limit > 0 && len(hits) > opts.Limit {
		hits = hits[:opts.Limit]
	}
	for i := range hits {
		if c, ok := d.own[hits[i].ID]; ok {
			hits[i].Entry = entryOf(c)
		} else {
			hits[i].Entry = hits[i].line.public()
		}
	}
	return hits
}

// query is a folded search text, scoring one record's keys at a time.
type query struct {
	text  []byte
	mask  uint32 // bytes of text (maskOf)
	limit int    // edits a typo may make
	buf   []byte // the key being scored, folded

	best, bestLen int // the record's best score so far, and its key's length
}

func newQuery(text string) *query {
	t, _, mask := fold(nil, foldable(text))
	return &query{text: t, mask: mask, limit: typoLimit(len(t)), buf: make([]byte, 0, 256)}
}

// start begins a record.
func (q *query) start() { q.best, q.bestLen = 0, 0 }

// done: the record matched its id exactly; no key can do better.
func (q *query) done() bool { return q.best == scoreExact+idBonus }

// key scores one of the record's keys.
func (q *query) key(k string, isID bool) {
	if m, ok := asciiMaskOf(k); ok && q.lacks(m) {
		return
	}
	q.score(k, isID)
}

// keyList scores the keys of a header line, separated by \x1f, cutting
// them and reading their bytes in one pass.
func (q *query) keyList(list string) {
	for len(list) > 0 && !q.done() {
		var m uint32
		ascii, i := true, 0
		for ; i < len(list) && list[i] != 0x1f; i++ {
			if c := list[i]; c < utf8.RuneSelf {
				m |= asciiMask[c]
			} else {
				ascii = false
			}
		}
		if !ascii || !q.lacks(m) {
			q.score(list[:i], false)
		}
		list = list[min(i+1, len(list)):]
	}
}

// lacks reports whether a key whose bytes are mask lacks more of the
// text's than a typo may: each byte of the text a key lacks is at least
// one edit. Most keys do, which their bytes say without folding them.
func (q *query) lacks(mask uint32) bool {
	return bits.OnesCount32(q.mask&^mask) > q.limit
}

// score folds a key and scores it.
func (q *query) score(k string, isID bool) {
	var starts uint64
	var mask uint32
	q.buf, starts, mask = fold(q.buf[:0], k)
	if len(q.buf) == 0 {
		return
	}
	sc := q.match(q.buf, starts, mask, isID)
	if sc > q.best || sc == q.best && sc > 0 && len(q.buf) < q.bestLen {
		q.best, q.bestLen = sc, len(q.buf)
	}
}

// nearIDs are the ids a mistyped id most likely meant: the best hit and
// up to two more within a few points of it (the same tier, about as near).
func (d *Directory) nearIDs(text string) []string {
	hits := d.Find(text, SearchOptions{Limit: 3})
	var out []string
	for _, h := range hits {
		if h.Score+30 > hits[0].Score {
			out = append(out, h.ID)
		}
	}
	return out
}

// typoLimit is the number of edits a text of n folded bytes may be away
// from a key.
func typoLimit(n int) int {
	if n < 4 {
		return 0
	}
	return min(3, n/4)
}

// match scores the folded key s, whose word starts are the bits of starts
// and whose bytes are mask; 0 for no match.
func (q *query) match(s []byte, starts uint64, mask uint32, isID bool) int {
	bonus := 0
	if isID {
		bonus = idBonus
	}
	t := q.text
	switch {
	case bytes.Equal(s, t):
		return scoreExact + bonus
	case bytes.HasPrefix(s, t):
		return scorePrefix + bonus
	}
	for w := starts &^ 1; w != 0; w &= w - 1 {
		if bytes.HasPrefix(s[bits.TrailingZeros64(w):], t) {
			return scoreWord + bonus
		}
	}
	// Each byte of the text the key lacks is at least one edit.
	missing := bits.OnesCount32(q.mask &^ mask)
	if missing == 0 && len(t) >= 3 && bytes.Contains(s, t) {
		return scoreSub + bonus
	}
	limit := q.limit
	if missing > limit {
		return 0
	}
	best := 0
	whole, prefix := typoDistance(t, s, limit)
	switch {
	case whole <= limit:
		best = scoreTypo - typoEdit*whole + omitted(t, s)
	case len(t) < 5:
		return 0 // a prefix of four letters with a typo matches too much
	case prefix <= limit:
		best = scoreTypo - 50 - typoEdit*prefix + omitted(t, s[:min(len(s), len(t)+limit)])
	default:
		for w := starts &^ 1; w != 0; w &= w - 1 {
			rest := s[bits.TrailingZeros64(w):]
			if _, prefix := typoDistance(t, rest, limit); prefix <= limit {
				best = max(best, scoreTypo-100-typoEdit*prefix+omitted(t, rest[:min(len(rest), len(t)+limit)]))
			}
		}
	}
	if best == 0 {
		return 0
	}
	if isID {
		best += typoIDBonus
	}
	return best
}

// omitted is the bonus for q being s with letters left out.
func omitted(q, s []byte) int {
	i := 0
	for j := 0; j < len(s) && i < len(q); j++ {
		if s[j] == q[i] {
			i++
		}
	}
	if i == len(q) {
		return typoOmitted
	}
	return 0
}

// maxTypo is the longest text typoDistance compares.
const maxTypo = 48

// typoDistance returns the edit distance (optimal string alignment:
// insertions, deletions, substitutions, swaps of neighbours) of q and s,
// and the least distance of q and any prefix of s; each is limit+1 when
// it is over limit. The first letter must match, or be swapped with the
// second: a typo there is rare, and the check keeps the search fast.
func typoDistance(q, s []byte, limit int) (whole, prefix int) {
	over := limit + 1
	m := len(q)
	if m == 0 || m > maxTypo || len(s) == 0 ||
		q[0] != s[0] && !(len(s) > 1 && q[0] == s[1]) && !(m > 1 && q[1] == s[0]) {
		return over, over
	}
	n := min(len(s), m+limit)
	// Columns of the matrix over s: col[i] is the distance of q[:i] and
	// s[:j]; prev and prev2 are the two before.
	var buf [3][maxTypo + 1]int
	prev2, prev, col := &buf[0], &buf[1], &buf[2]
	for i := 0; i <= m; i++ {
		prev[i] = i
	}
	whole, prefix = over, over
	if m <= limit {
		prefix = m
	}
	for j := 1; j <= n; j++ {
		col[0] = j
		low := j
		for i := 1; i <= m; i++ {
			cost := 1
			if q[i-1] == s[j-1] {
				cost = 0
			}
			v := min(prev[i]+1, col[i-1]+1, prev[i-1]+cost)
			if i > 1 && j > 1 && q[i-1] == s[j-2] && q[i-2] == s[j-1] {
				v = min(v, prev2[i-2]+1)
			}
			col[i] = v
			low = min(low, v)
		}
		if col[m] < prefix {
			prefix = col[m]
		}
		if low > limit {
			break
		}
		if j == len(s) && col[m] <= limit {
			whole = col[m]
		}
		prev2, prev, col = prev, col, prev2
	}
	return whole, min(prefix, over)
}

// hasItem reports whether the \x1f-separated list holds item.
func hasItem(list, item string) bool {
	for list != "" {
		var it string
		it, list, _ = strings.Cut(list, "\x1f")
		if it == item {
			return true
		}
	}
	return false
}

// foldable is the part of a search text to fold: a web address's host.
func foldable(text string) string {
	text = strings.TrimSpace(text)
	if _, rest, ok := strings.Cut(text, "://"); ok {
		text, _, _ = strings.Cut(rest, "/")
	}
	if len(text) > 4 && strings.EqualFold(text[:4], "www.") {
		text = text[4:]
	}
	return text
}

// fold appends s to dst in the form search compares: lower case letters
// and digits only, accents dropped (é is e, ß is ss, ø is o), spaces and
// punctuation left out. It returns where words start, as bits of the
// positions in the folded text (up to 64): after a space or a mark, at a
// capital after a small letter ("AliExpress"), and where letters and
// digits meet ("1Password"); and the mask of the folded bytes (maskOf).
//
// It runs over every key of the directory on every search, so ASCII, most
// of the keys, goes through a table, and only other characters through
// their NFKD decomposition.
func fold(dst []byte, s string) ([]byte, uint64, uint32) {
	f := folder{dst: dst, start: len(dst)}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if k := asciiClass[c]; k == gap {
				f.last = gap
			} else {
				f.mark(k)
				f.dst = append(f.dst, asciiLower[c])
			}
			i++
			continue
		}
		// One character's NFKD decomposition: no copy of s.
		p := norm.NFKD.PropertiesString(s[i:])
		if dec := p.Decomposition(); dec != nil {
			for _, r := range string(dec) {
				f.rune(r)
			}
			i += p.Size()
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f.rune(r)
		i += n
	}
	return f.dst, f.starts, maskOf(f.dst[f.start:])
}

// Classes of characters, for word starts.
const (
	gap = iota
	lower
	upper
	digit
)

var asciiClass, asciiLower = func() (cls, low [utf8.RuneSelf]byte) {
	for c := range byte(utf8.RuneSelf) {
		switch {
		case 'a' <= c && c <= 'z':
			cls[c], low[c] = lower, c
		case 'A' <= c && c <= 'Z':
			cls[c], low[c] = upper, c+'a'-'A'
		case '0' <= c && c <= '9':
			cls[c], low[c] = digit, c
		}
	}
	return cls, low
}()

type folder struct {
	dst    []byte
	start  int
	starts uint64
	last   byte
}

// mark notes a word start before a character of class k.
func (f *folder) mark(k byte) {
	if f.last == gap || k == upper && f.last == lower || (k == digit) != (f.last == digit) {
		if p := len(f.dst) - f.start; p < 64 {
			f.starts |= 1 << p
		}
	}
	f.last = k
}

func (f *folder) rune(r rune) {
	switch {
	case r < utf8.RuneSelf:
		if k := asciiClass[r]; k == gap {
			f.last = gap
		} else {
			f.mark(k)
			f.dst = append(f.dst, asciiLower[r])
		}
	case unicode.Is(unicode.Mn, r): // an accent NFKD took off its letter
	case unicode.IsDigit(r):
		f.mark(digit)
		f.dst = utf8.AppendRune(f.dst, r)
	case unicode.IsLetter(r):
		if unicode.IsUpper(r) {
			f.mark(upper)
		} else {
			f.mark(lower)
		}
		r = unicode.ToLower(r)
		if t := plainLetters(r); t != "" {
			f.dst = append(f.dst, t...)
		} else {
			f.dst = utf8.AppendRune(f.dst, r)
		}
	default:
		f.last = gap
	}
}

// plainLetters is how a letter NFKD does not take apart is written without
// its marks, or "".
func plainLetters(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'ø':
		return "o"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ł':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'þ':
		return "th"
	case 'ı':
		return "i"
	case 'ħ':
		return "h"
	}
	return ""
}

// asciiMaskOf is maskOf of s folded, read from s itself, when s is ASCII.
func asciiMaskOf(s string) (uint32, bool) {
	var m uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return 0, false
		}
		m |= asciiMask[c]
	}
	return m, true
}

// asciiMask is maskOf's bit of each ASCII byte as fold writes it, 0 for
// one it leaves out.
var asciiMask = func() (m [utf8.RuneSelf]uint32) {
	for c := range byte(utf8.RuneSelf) {
		if asciiClass[c] != gap {
			m[c] = maskOf([]byte{asciiLower[c]})
		}
	}
	return m
}()

// maskOf is a bit for each byte value b holds: one per letter a to z; the
// digits and the bytes of other letters share the six bits left. A text
// whose mask has a bit a key's lacks holds a byte the key does not.
func maskOf(b []byte) uint32 {
	var m uint32
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			m |= 1 << (c - 'a')
		case '0' <= c && c <= '9':
			m |= 1 << (26 + (c-'0')%3)
		default:
			m |= 1 << (29 + c%3)
		}
	}
	return m
}

// List returns the entries within opts (its Category and Country; Limit
// 0 for all), sorted by id, without decoding a record.
func (d *Directory) List(opts SearchOptions) []Entry {
	country := strings.ToUpper(strings.TrimSpace(opts.Country))
	var out []Entry
	for _, en := range d.Entries() {
		if (opts.Category == "" || slices.Contains(en.Categories, opts.Category)) &&
			(country == "" || len(en.Countries) == 0 || slices.Contains(en.Countries, country)) {
			out = append(out, en)
			if len(out) == opts.Limit {
				break
			}
		}
	}
	return out
}

// IDsWithPrefix returns the ids that start with prefix (in any case),
// sorted, for completing an id as it is typed: a look-up in the sorted
// header, not a walk over every record.
func (d *Directory) IDsWithPrefix(prefix string) []string {
	prefix = strings.ToLower(prefix)
	var out []string
	if d.index != nil {
		for en := range d.index.withPrefix(prefix) {
			out = append(out, en.id)
		}
	}
	for id := range d.own {
		if strings.HasPrefix(id, prefix) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Categories returns every category a record is in, sorted.
func (d *Directory) Categories() []string {
	return d.listed(func(en indexEntry) string { return en.categories }, func(c *Company) []string { return c.Categories })
}

// Countries returns every country a record names, sorted.
func (d *Directory) Countries() []string {
	return d.listed(func(en indexEntry) string { return en.countries }, func(c *Company) []string { return c.Countries })
}

// listed gathers the items of one list field of every record, from the
// header's text, once each.
func (d *Directory) listed(field func(indexEntry) string, own func(*Company) []string) []string {
	seen := map[string]bool{}
	if d.index != nil {
		last := ""
		for en := range d.index.entries() {
			if _, ok := d.own[en.id]; ok {
				continue
			}
			if s := field(en); s != "" && s != last { // neighbours often share a list
				last = s
				for it := range strings.SplitSeq(s, "\x1f") {
					seen[it] = true
				}
			}
		}
	}
	for _, c := range d.own {
		for _, it := range own(c) {
			seen[it] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
