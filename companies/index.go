package companies

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/erase-cli/erase/internal/datafile"
)

// The index is how the directory's thousands of records ship: one file,
// made at build time from the YAML records (go generate ./companies) or by
// erase companies import from a Datenanfragen checkout. It is a header of
// one line per record, sorted by id, with what listing and searching need,
// then the records as JSON, each decoded only when it is used. A command
// that writes to one company reads one line's worth of the header to find
// it and decodes one record.
//
//	erase-companies-index 1
//	<snapshot date> <number of records>
//	id \t name \t email \t flags \t categories \t countries \t keys \t offset \t length
//	...
//	(a blank line, then the JSON records)
//
// Lists within a field are separated by \x1f; flags holds "w" for a
// record that takes letters.

//go:generate go run gen_index.go

//go:embed index.bin
var bundledIndex string

const indexMagic = "erase-companies-index 1\n"

// Index is an index file: its header, read a line at a time as it is
// used, and the records it holds, decoded one by one. Nothing is parsed
// up front but the file's shape: a letter to one company looks its line
// up by bisecting the sorted header, and a search walks the lines in
// place, so neither builds a table of thousands of entries.
type Index struct {
	// Snapshot is the date of the dataset the index was made from.
	Snapshot string
	n        int
	header   string // the n record lines, each ending in \n
	body     string
}

type indexEntry struct {
	id, name, email, flags, categories, countries, keys string
	off, n                                              int
}

func (en *indexEntry) public() Entry {
	return Entry{ID: en.id, Name: en.name, Email: en.email, Writable: strings.Contains(en.flags, "w"),
		Categories: split(en.categories), Countries: split(en.countries), Keys: split(en.keys)}
}

// exact is what Get takes as well as the id: the record's domains, in
// lower case (the keys that look like host names).
func (en *indexEntry) exact() []string {
	var out []string
	for _, k := range split(en.keys) {
		if strings.Contains(k, ".") && !strings.ContainsAny(k, " /") {
			out = append(out, strings.ToLower(k))
		}
	}
	return out
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x1f")
}

// The bundled index is made by go generate and checked by its tests
// (TestBundledIndexValid), so a run reads only its shape, not every line.
var bundled = sync.OnceValues(func() (*Index, error) { return parseShape(bundledIndex) })

// Bundled returns the index built into the binary.
func Bundled() (*Index, error) { return bundled() }

// Len is the number of records in the index.
func (x *Index) Len() int { return x.n }

// entries yields the entry of every line, in id order. An entry is a
// value: keep it, not a pointer into the walk.
func (x *Index) entries() func(yield func(indexEntry) bool) {
	return x.linesFrom(0)
}

// linesFrom yields the entries of the lines from byte at of the header.
func (x *Index) linesFrom(at int) func(yield func(indexEntry) bool) {
	return func(yield func(indexEntry) bool) {
		for rest := x.header[at:]; rest != ""; {
			var line string
			line, rest, _ = strings.Cut(rest, "\n")
			if en, err := x.parseLine(line); err == nil && !yield(en) {
				return
			}
		}
	}
}

// lowerBound is the byte offset in the header of the first line whose id
// is not below id (len(header) if none), found by bisecting the bytes and
// stepping back to the start of a line.
func (x *Index) lowerBound(id string) int {
	h := x.header
	lo, hi := 0, len(h) // line starts; the answer is in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(h[lo:mid], '\n') + 1 + lo
		end := strings.IndexByte(h[start:], '\n') + 1 + start
		lineID, _, _ := strings.Cut(h[start:end], "\t")
		if lineID < id {
			lo = end
		} else {
			hi = start
		}
	}
	return lo
}

// find returns the entry of id.
func (x *Index) find(id string) (indexEntry, bool) {
	at := x.lowerBound(id)
	line, _, _ := strings.Cut(x.header[at:], "\n")
	if lineID, _, _ := strings.Cut(line, "\t"); line == "" || lineID != id {
		return indexEntry{}, false
	}
	en, err := x.parseLine(line)
	return en, err == nil
}

// withPrefix yields the entries whose ids start with prefix, in order.
func (x *Index) withPrefix(prefix string) func(yield func(indexEntry) bool) {
	return func(yield func(indexEntry) bool) {
		for en := range x.linesFrom(x.lowerBound(prefix)) {
			if !strings.HasPrefix(en.id, prefix) || !yield(en) {
				return
			}
		}
	}
}

// record decodes the record of an entry.
func (x *Index) record(en *indexEntry) (*Company, error) {
	dec := json.NewDecoder(strings.NewReader(x.body[en.off : en.off+en.n]))
	dec.DisallowUnknownFields()
	c := new(Company)
	if err := dec.Decode(c); err != nil {
		return nil, fmt.Errorf("company index: record %s: %v", en.id, err)
	}
	return c, nil
}

// Records decodes every record of the index, in id order.
func (x *Index) Records() ([]*Company, error) {
	out := make([]*Company, 0, x.n)
	for en := range x.entries() {
		c, err := x.record(&en)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseIndex reads an index file and checks every line of its header. It
// keeps data: the entries and records are slices of it.
func ParseIndex(data string) (*Index, error) {
	x, err := parseShape(data)
	if err != nil {
		return nil, err
	}
	prev := ""
	for i, rest := 0, x.header; rest != ""; i++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		en, err := x.parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("company index: line %d: %v", i+3, err)
		}
		if i > 0 && prev >= en.id {
			return nil, fmt.Errorf("company index: line %d: %s is out of order", i+3, en.id)
		}
		prev = en.id
	}
	return x, nil
}

// parseShape reads what an index file must start with, finds the end of
// its header, and leaves the lines for parseLine.
func parseShape(data string) (*Index, error) {
	bad := func(format string, args ...any) (*Index, error) {
		return nil, fmt.Errorf("company index: "+format, args...)
	}
	rest, ok := strings.CutPrefix(data, indexMagic)
	if !ok {
		return bad("not an erase company index (made by erase companies import)")
	}
	line, rest, _ := strings.Cut(rest, "\n")
	snapshot, count, _ := strings.Cut(line, " ")
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 {
		return bad("bad record count %q", count)
	}
	end := 0
	for i := range n {
		j := strings.IndexByte(rest[end:], '\n')
		if j <= 0 {
			return bad("%d record lines, want %d", i, n)
		}
		end += j + 1
	}
	body, ok := strings.CutPrefix(rest[end:], "\n")
	if !ok {
		return bad("no blank line after the %d records", n)
	}
	return &Index{Snapshot: snapshot, n: n, header: rest[:end], body: body}, nil
}

// parseLine reads one line of the header.
func (x *Index) parseLine(line string) (indexEntry, error) {
	var f [9]string
	if n := headerFields(line, &f); n != len(f) {
		return indexEntry{}, fmt.Errorf("%d fields, want 9", n)
	}
	off, err1 := strconv.Atoi(f[7])
	n, err2 := strconv.Atoi(f[8])
	if err1 != nil || err2 != nil {
		return indexEntry{}, fmt.Errorf("bad offset")
	}
	if off < 0 || n < 0 || off+n > len(x.body) {
		return indexEntry{}, fmt.Errorf("record %s lies outside the file", f[0])
	}
	return indexEntry{id: f[0], name: f[1], email: f[2], flags: f[3], categories: f[4], countries: f[5], keys: f[6], off: off, n: n}, nil
}

// headerFields cuts a header line at its tabs into f, without allocating
// (the header of thousands of lines is read on every run that uses the
// directory), and returns the number of fields the line has.
func headerFields(line string, f *[9]string) int {
	n := 0
	for {
		field, rest, more := strings.Cut(line, "\t")
		if n < len(f) {
			f[n] = field
		}
		n++
		if !more {
			return n
		}
		line = rest
	}
}

// EncodeIndex writes records as an index file. snapshot is the date of
// the dataset they come from. The same records give the same bytes.
func EncodeIndex(snapshot string, records []*Company) ([]byte, error) {
	rs := slices.Clone(records)
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	var head, body bytes.Buffer
	head.WriteString(indexMagic)
	fmt.Fprintf(&head, "%s %d\n", snapshot, len(rs))
	for i, c := range rs {
		if i > 0 && rs[i-1].ID == c.ID {
			return nil, fmt.Errorf("company index: two records have the id %s", c.ID)
		}
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("company index: record %s: %v", c.ID, err)
		}
		js, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		flags := ""
		if c.Writable() {
			flags = "w"
		}
		fields := []string{c.ID, c.Name, c.Privacy.Email, flags, join(c.Categories), join(c.Countries), join(searchKeys(c)),
			strconv.Itoa(body.Len()), strconv.Itoa(len(js))}
		for _, f := range fields {
			if strings.ContainsAny(f, "\t\n") {
				return nil, fmt.Errorf("company index: record %s: %q holds a tab or a line break", c.ID, f)
			}
		}
		head.WriteString(strings.Join(fields, "\t"))
		head.WriteByte('\n')
		body.Write(js)
	}
	head.WriteByte('\n')
	head.Write(body.Bytes())
	return head.Bytes(), nil
}

func join(s []string) string { return strings.Join(s, "\x1f") }

// BuildIndex makes the index file of the YAML records of fsys (the
// Datenanfragen records, as gen_datasets writes them) joined with the
// bundled JustDeleteMe entries. Its snapshot is the newest record's.
func BuildIndex(fsys fs.FS) ([]byte, error) {
	records, _, err := datafile.Load("company", (*Company).validate, fsys)
	if err != nil {
		return nil, err
	}
	return indexOf(records)
}

// indexOf joins records with the bundled JustDeleteMe entries and encodes
// them.
func indexOf(records []*Company) ([]byte, error) {
	sites, err := BundledSites()
	if err != nil {
		return nil, err
	}
	snapshot := ""
	for _, c := range records {
		snapshot = max(snapshot, c.Snapshot)
	}
	return EncodeIndex(snapshot, Join(records, sites))
}

// ImportedIndex is where erase companies import writes the index it makes,
// under the data directory. It takes the place of the bundled index.
const ImportedIndex = "companies/index.bin"

// DefaultIndex is the index a run of erase uses: the one erase companies
// import wrote in dataDir, else the bundled one.
func DefaultIndex(dataDir string) (*Index, error) {
	if dataDir != "" {
		data, err := os.ReadFile(filepath.Join(dataDir, filepath.FromSlash(ImportedIndex)))
		switch {
		case err == nil:
			// The index is read as one string, its records slices of it:
			// take the file's bytes as that string (nothing writes to them
			// again) rather than copy an index of thousands of records.
			x, err := ParseIndex(unsafe.String(unsafe.SliceData(data), len(data)))
			if err != nil {
				return nil, fmt.Errorf("%s: %w (erase companies import remakes it; delete it to use the bundled directory)", filepath.Join(dataDir, ImportedIndex), err)
			}
			return x, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	return Bundled()
}
