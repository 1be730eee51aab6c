package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/erase-cli/erase/dispatch"
	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
)

// renderer writes one composed letter in the plan's format. Expensive
// set-up (fonts) happens once, in newRenderer, and only for PDF.
type renderer struct {
	format string
	pdf    pdfEngine
	// message builds a letter's e-mail, for --format eml.
	message func(l *letters.Letter, pdf []byte) mail.Message
}

// pdfEngine renders PDFs; built once per process (fonts are parsed once).
type pdfEngine interface {
	CheckGlyphs(l *letters.Letter) error
	Render(w io.Writer, l *letters.Letter) error
}

func (e *env) newRenderer(p *plan) (*renderer, error) {
	r := &renderer{format: p.format}
	if p.format != "pdf" && p.format != "eml" {
		return r, nil
	}
	if p.format == "eml" {
		fixed := p.opts.date != ""
		r.message = func(l *letters.Letter, pdf []byte) mail.Message {
			return dispatch.Message(l, pdf, dispatch.MessageOptions{Fixed: fixed, Now: e.now(), Original: e.archived(l)})
		}
	}
	var err error
	r.pdf, err = e.newPDF(p.opts)
	if err == nil {
		r.pdf = e.withFontSearch(p.opts, r.pdf) // fontfind.go: a font on the machine for what DejaVu lacks
	}
	return r, err
}

// readFlagFile reads a file named by a flag; errors name the flag.
func readFlagFile(flag, path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, badinput.Errorf("%s %s: %v", flag, path, unwrapPathError(err))
	}
	return data, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (r *renderer) render(w io.Writer, l *letters.Letter) error {
	switch r.format {
	case "json":
		return letters.WriteJSON(w, l)
	case "pdf":
		return r.pdf.Render(w, l)
	case "eml":
		var pdf bytes.Buffer
		if err := r.pdf.Render(&pdf, l); err != nil {
			return err
		}
		return mail.WriteEML(w, r.message(l, pdf.Bytes()))
	default:
		return letters.WriteText(w, l)
	}
}

// renderPosted renders l as render does, and for an e-mail message that
// --posted records (rec), gives the message its Message-ID first and keeps
// it in the record: a reminder then replies in the message's thread, as
// it does to a letter erase sent.
func (r *renderer) renderPosted(w io.Writer, l *letters.Letter, rec *ledger.Record) error {
	if r.format != "eml" || rec == nil {
		return r.render(w, l)
	}
	var pdf bytes.Buffer
	if err := r.pdf.Render(&pdf, l); err != nil {
		return err
	}
	m := r.message(l, pdf.Bytes())
	if m.MessageID == "" {
		id, err := mail.NewMessageID(m.From.Email, rand.Reader)
		if err != nil {
			return err
		}
		m.MessageID = id
	}
	rec.MessageID = m.MessageID
	return mail.WriteEML(w, m)
}

// check runs the checks that must pass before anything is written.
func (r *renderer) check(l *letters.Letter) error {
	if r.pdf != nil {
		return r.pdf.CheckGlyphs(l)
	}
	return nil
}

// batchFile is what a batch keeps of a letter once it is in its
// temporary file: the letter itself is dropped, so that a batch of any
// size holds only the few letters being written.
type batchFile struct {
	name, temp string
	summary    string // "(AliExpress, gdpr, due 2027-01-04)"
	// language and to are for the note on a letter in a language the
	// requester did not choose.
	language, to string
	posted       *ledger.Record // with --posted, the letter's record
	err          error          // what stopped the letter
}

// writeBatch writes one file per letter into a directory and prints a
// one-line summary per letter on stderr. It returns the ledger records
// of the letters, with --posted.
//
// Each letter is composed, checked, rendered into a temporary file in the
// directory, and dropped, GOMAXPROCS at a time; only when every letter has
// its file are the files renamed into place, so a letter that fails (bad
// input, or the ledger already has it with --posted), or Ctrl-C (ctx
// cancelled), leaves nothing: no letter, no temporary file, no directory
// erase made. The first failure by position wins, as if the letters were
// written one after another.
func (e *env) writeBatch(ctx context.Context, p *plan) (posted []ledger.Record, err error) {
	r, err := e.newRenderer(p)
	if err != nil {
		return nil, err
	}
	var led *ledger.Ledger
	if p.opts.posted {
		if led, err = e.ledger(); err != nil {
			return nil, err
		}
	}
	dir := p.output
	_, statErr := os.Stat(dir)
	if err := makeOutputDir("-o", dir); err != nil {
		return nil, err
	}
	files := make([]batchFile, len(p.requests))
	defer func() {
		if err == nil {
			return
		}
		for _, f := range files {
			if f.temp != "" {
				os.Remove(f.temp)
			}
		}
		if statErr != nil {
			os.Remove(dir) // made for this batch; only if empty
		}
	}()
	// A letter that fails stops the letters after it from being started;
	// those before it are finished, so that the first failure is found.
	var stop atomic.Int64
	stop.Store(int64(len(files)))
	stopAt := func(i int) {
		for {
			if cur := stop.Load(); int64(i) >= cur || stop.CompareAndSwap(cur, int64(i)) {
				return
			}
		}
	}
	var mu sync.Mutex
	named := map[string]int{}
	parallel(len(files), func(i int) error {
		if int64(i) > stop.Load() {
			return nil
		}
		if ctx.Err() != nil {
			files[i].err = errors.New("interrupted: no letter written")
			stopAt(i)
			return nil
		}
		f := e.batchLetter(p, r, led, dir, i)
		files[i] = f
		if f.err != nil {
			stopAt(i)
			return nil
		}
		mu.Lock()
		if j, ok := named[f.name]; ok {
			stopAt(max(i, j)) // the loop below names it
		} else {
			named[f.name] = i
		}
		mu.Unlock()
		return nil
	})
	// Every letter up to the first that failed is done: the first failure
	// is the same whatever the order the workers took them in.
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if f.err != nil {
			return nil, f.err
		}
		if seen[f.name] {
			return nil, badinput.Errorf("two letters would both be written to %s: each company once, please", f.name)
		}
		seen[f.name] = true
	}
	said := map[string]bool{}
	temps := make([]string, len(files))
	for i, f := range files {
		e.noteLanguage(p, said, f.language, f.to)
		temps[i] = f.temp
	}
	if err = atomicfile.SyncFiles(dir, temps); err != nil {
		return nil, err
	}
	for i := range files {
		f := &files[i]
		path := filepath.Join(dir, f.name)
		if err = os.Rename(f.temp, path); err != nil {
			return nil, err
		}
		f.temp = ""
		fmt.Fprintf(e.stderr, "erase: wrote %s %s\n", path, f.summary)
		if f.posted != nil {
			posted = append(posted, *f.posted)
		}
	}
	atomicfile.SyncDir(dir)
	return posted, nil
}

// batchLetter composes letter i of the plan, checks it and renders it
// into a temporary file in dir, and returns what the batch keeps of it,
// or the error that stopped it (with no file made).
func (e *env) batchLetter(p *plan, r *renderer, led *ledger.Ledger, dir string, i int) batchFile {
	l, err := e.composeOne(p, i)
	if err != nil {
		return batchFile{err: err}
	}
	f := batchFile{
		name:     letters.FileSafe(companyKey(p.requests[i])) + "-" + letters.FileSafe(l.Reference) + formatExt(p.format),
		summary:  fmt.Sprintf("(%s, %s, %s)", l.Service, l.Law.ID, dueSummary(l)),
		language: l.Language, to: l.Recipient.Name,
	}
	if led != nil {
		rec, err := postedRecord(led, p.requests[i], l)
		if err != nil {
			return batchFile{err: err}
		}
		f.posted = &rec
	}
	if err := r.check(l); err != nil {
		return batchFile{err: err}
	}
	b := pdfBuffers.Get().(*bytes.Buffer)
	b.Reset()
	defer pdfBuffers.Put(b)
	if err := r.renderPosted(b, l, f.posted); err != nil {
		return batchFile{err: err}
	}
	f.temp, f.err = atomicfile.WriteTemp(dir, "."+f.name+".tmp-*", b.Bytes(), false)
	return f
}

// parallel runs job(0..n-1) on GOMAXPROCS workers and returns the first
// error by index, so the outcome does not depend on scheduling.
func parallel(n int, job func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < min(n, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = job(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func companyKey(req letters.Request) string {
	if req.CompanyID != "" {
		return req.CompanyID
	}
	return strings.ToLower(req.Service)
}

func dueSummary(l *letters.Letter) string {
	switch {
	case l.Due != nil:
		return "due " + l.Due.Format("2006-01-02")
	case l.Requested != nil:
		return "reply asked by " + l.Requested.Format("2006-01-02") + ", no legal deadline"
	}
	return "no deadline"
}

func writeJSONValue(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
