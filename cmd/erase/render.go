package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/erase-cli/erase/dispatch"
	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
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

// check runs the checks that must pass before anything is written.
func (r *renderer) check(l *letters.Letter) error {
	if r.pdf != nil {
		return r.pdf.CheckGlyphs(l)
	}
	return nil
}

// writeBatch writes one file per letter into a directory, rendering in
// parallel, and prints a one-line summary per letter on stderr. Every
// letter is checked before the first file is written.
func (e *env) writeBatch(p *plan, r *renderer, ls []*letters.Letter) error {
	for _, l := range ls {
		if err := r.check(l); err != nil {
			return err
		}
	}
	dir := p.output
	if err := makeOutputDir("-o", dir); err != nil {
		return err
	}
	paths := make([]string, len(ls))
	seen := map[string]bool{}
	for i, l := range ls {
		name := letters.FileSafe(companyKey(p.requests[i])) + "-" + letters.FileSafe(l.Reference) + formatExt(p.format)
		if seen[name] {
			return badinput.Errorf("two letters would both be written to %s: each company once, please", name)
		}
		seen[name] = true
		paths[i] = filepath.Join(dir, name)
	}
	if err := writeAllAtomic(dir, paths, func(i int, w io.Writer) error { return r.render(w, ls[i]) }); err != nil {
		return err
	}
	for i, l := range ls {
		fmt.Fprintf(e.stderr, "erase: wrote %s (%s, %s, %s)\n", paths[i], l.Service, l.Law.ID, dueSummary(l))
	}
	return nil
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

// writeAllAtomic renders many files into one directory, in parallel, each
// into a temporary file; syncs them all at once (one syncfs, not one fsync
// per file); then renames each into place. If any render fails, nothing is
// left behind.
func writeAllAtomic(dir string, paths []string, render func(i int, w io.Writer) error) (err error) {
	temps := make([]string, len(paths))
	defer func() {
		if err != nil {
			for _, t := range temps {
				if t != "" {
					os.Remove(t)
				}
			}
		}
	}()
	err = parallel(len(paths), func(i int) error {
		var b bytes.Buffer
		if err := render(i, &b); err != nil {
			return err
		}
		t, err := atomicfile.WriteTemp(dir, "."+filepath.Base(paths[i])+".tmp-*", b.Bytes(), false)
		temps[i] = t
		return err
	})
	if err != nil {
		return err
	}
	if err = atomicfile.SyncFiles(dir, temps); err != nil {
		return err
	}
	for i, t := range temps {
		if err = os.Rename(t, paths[i]); err != nil {
			return err
		}
		temps[i] = ""
	}
	atomicfile.SyncDir(dir)
	return nil
}

func writeJSONValue(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
