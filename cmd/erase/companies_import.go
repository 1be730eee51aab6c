package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/spf13/cobra"
)

// importOptions are the flags of erase companies import.
type importOptions struct {
	dir      string
	snapshot string
	reset    bool
	dryRun   bool
	asJSON   bool
}

const importExamples = `  # Refresh the directory from a fresh clone of the Datenanfragen data
  git clone --depth 1 https://github.com/datenanfragen/data datenanfragen
  erase companies import datenanfragen \
    --snapshot "$(git -C datenanfragen log -1 --format=%cs)"

  # See what it would add, change and drop; write nothing
  erase companies import datenanfragen --dry-run

  # Go back to the directory erase ships with
  erase companies import --reset`

func newCompaniesImportCmd(e *env) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import DIR",
		Short: "Refresh the directory from a newer Datenanfragen checkout",
		Long: `erase companies import reads a checkout of the Datenanfragen company data
(github.com/datenanfragen/data, CC0: the files DIR/companies/*.json), joins
the JustDeleteMe self-service links erase ships with, and writes the result
to the data directory (companies/index.bin), where it takes the place of
the directory built into erase. Records in the config directory's
companies/ still take precedence over it.

It reports what the import adds, changes (which fields) and drops,
compared with the directory in use before, and the records it skipped,
with the reason.

The facts of the imported records are dated --snapshot, the date of the
checkout; without it, today. --reset removes the imported directory, so
that erase goes back to the one built in.`,
		Example: importExamples,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.reset && len(args) > 0:
				return badinput.Errorf("--reset goes back to the built-in directory: leave out %s", args[0])
			case !o.reset && len(args) != 1:
				return badinput.Errorf("erase companies import needs one directory: a checkout of the Datenanfragen data").
					Hint("erase companies import --reset goes back to the built-in directory")
			}
			if len(args) == 1 {
				o.dir = args[0]
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return e.importRun(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.snapshot, "snapshot", "", "the date of the checkout as `YYYY-MM-DD` (default today)")
	f.BoolVar(&o.reset, "reset", false, "remove the imported directory: use the one built into erase again")
	f.BoolVar(&o.dryRun, "dry-run", false, "report what the import would change, write nothing")
	f.BoolVar(&o.asJSON, "json", false, "print the report as JSON")
	return cmd
}

// importReport is what erase companies import prints.
type importReport struct {
	// From is the checkout read; empty for --reset.
	From     string `json:"from,omitempty"`
	Snapshot string `json:"snapshot"`
	Records  int    `json:"records"`
	// Datenanfragen and JustDeleteMe count the records by origin: the
	// dataset's (letter recipients) and the self-service links no dataset
	// record has.
	Datenanfragen int `json:"datenanfragen_records"`
	JustDeleteMe  int `json:"justdeleteme_entries"`
	Previous      struct {
		Index    string `json:"index"` // built-in or imported
		Snapshot string `json:"snapshot"`
		Records  int    `json:"records"`
	} `json:"previous"`
	Added     []companies.Change `json:"added"`
	Changed   []companies.Change `json:"changed"`
	Dropped   []companies.Change `json:"dropped"`
	Unchanged int                `json:"unchanged"`
	Skipped   []skippedRecord    `json:"skipped"`
	// Overridden are the ids of records that YAML records (erase's
	// hand-checked ones, the config directory's) replace: the import does
	// not change what erase uses for them.
	Overridden []string `json:"overridden"`
	// Written is the file written or removed; empty on a dry run.
	Written string `json:"written,omitempty"`
	DryRun  bool   `json:"dry_run"`
}

type skippedRecord struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

func (e *env) importRun(o *importOptions) error {
	dataDir, err := e.dataDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dataDir, filepath.FromSlash(companies.ImportedIndex))
	rep := &importReport{DryRun: o.dryRun}
	old, err := e.previousIndex(path, rep)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); o.reset && errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "erase: there is no imported directory: erase uses the one built in (snapshot %s)\n", rep.Previous.Snapshot)
		return nil
	}

	var (
		records []*companies.Company
		data    []byte // the index to write; nil for --reset
	)
	if o.reset {
		x, err := companies.Bundled()
		if err != nil {
			return err
		}
		if records, err = x.Records(); err != nil {
			return err
		}
		rep.Snapshot = x.Snapshot
	} else {
		if rep.Snapshot, err = e.importSnapshot(o.snapshot); err != nil {
			return err
		}
		if err := checkCheckout(o.dir); err != nil {
			return err
		}
		imp, err := companies.Import(os.DirFS(o.dir), rep.Snapshot)
		if err != nil {
			return fmt.Errorf("%s: %w", o.dir, err)
		}
		rep.From, records, data = o.dir, imp.Records, imp.Index
		for _, s := range imp.Skipped {
			rep.Skipped = append(rep.Skipped, skippedRecord{File: s.File, Reason: s.Reason})
		}
	}
	rep.Records = len(records)
	for _, c := range records {
		if c.Writable() {
			rep.Datenanfragen++
		} else {
			rep.JustDeleteMe++
		}
	}
	d, err := companies.Compare(old, records)
	if err != nil {
		return err
	}
	rep.Added, rep.Changed, rep.Dropped, rep.Unchanged = d.Added, d.Changed, d.Dropped, d.Unchanged
	if rep.Overridden, err = e.overriddenIDs(data, records); err != nil {
		return err
	}

	if !o.dryRun {
		if o.reset {
			err = os.Remove(path)
		} else {
			err = atomicfile.Write(path, data)
		}
		if err != nil {
			return err
		}
		rep.Written = path
	}
	if o.asJSON {
		if err := writeJSONValue(e.stdout, rep.nonNil()); err != nil {
			return err
		}
	} else if err := writeImportReport(e.stdout, rep); err != nil {
		return err
	}
	switch {
	case o.dryRun:
		fmt.Fprintln(e.stderr, "erase: dry run: nothing written")
	case o.reset:
		fmt.Fprintf(e.stderr, "erase: removed %s: erase uses the directory built in again\n", path)
	default:
		fmt.Fprintf(e.stderr, "erase: wrote %s: erase uses it in place of the directory built in (erase companies import --reset goes back)\n", path)
	}
	return nil
}

// previousIndex returns the records of the directory in use before the
// import: the imported index at path, else the built-in one, and notes
// which in rep. An imported index erase cannot read is replaced, not
// compared with: the report compares with the built-in one and says so.
func (e *env) previousIndex(path string, rep *importReport) ([]*companies.Company, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		x, err := companies.ParseIndex(string(data))
		var records []*companies.Company
		if err == nil {
			records, err = x.Records()
		}
		if err == nil {
			rep.Previous.Index, rep.Previous.Snapshot, rep.Previous.Records = "imported", x.Snapshot, len(records)
			return records, nil
		}
		fmt.Fprintf(e.stderr, "erase: warning: %s cannot be read (%v): comparing with the directory built in\n", path, err)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	x, err := companies.Bundled()
	if err != nil {
		return nil, err
	}
	records, err := x.Records()
	if err != nil {
		return nil, err
	}
	rep.Previous.Index, rep.Previous.Snapshot, rep.Previous.Records = "built-in", x.Snapshot, len(records)
	return records, nil
}

// importSnapshot is the date the imported facts are as of: --snapshot,
// else today. A date after today is a mistake.
func (e *env) importSnapshot(s string) (string, error) {
	today := e.now().Format(time.DateOnly)
	if s == "" {
		return today, nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", badinput.Errorf("--snapshot %q is not a date: write YYYY-MM-DD, the date of the checkout", s).
			Hint("git -C DIR log -1 --format=%%cs prints the date of a git checkout's last commit")
	}
	if s > today {
		return "", badinput.Errorf("--snapshot %s is after today (%s): give the date of the checkout", s, today)
	}
	return s, nil
}

// checkCheckout refuses a DIR that is not a directory, or that is the
// checkout's companies/ folder rather than the checkout.
func checkCheckout(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return badinput.Errorf("%v", err).Hint("pass the directory of a checkout of the Datenanfragen data (git clone https://github.com/datenanfragen/data)")
	}
	if !st.IsDir() {
		return badinput.Errorf("%s is not a directory: pass the directory of a checkout of the Datenanfragen data", dir)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "companies", "*.json")); len(m) > 0 {
		return nil
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(m) > 0 {
		return badinput.Errorf("%s has no companies/*.json", dir).
			Hint("pass the checkout's top directory, the one that holds companies/: %s", filepath.Dir(filepath.Clean(dir)))
	}
	return badinput.Errorf("%s has no companies/*.json: is it a checkout of the Datenanfragen data?", dir).
		Hint("git clone https://github.com/datenanfragen/data makes one")
}

// overriddenIDs returns the ids among records that YAML records replace,
// and makes sure the directory opens with the new index (data; nil for
// the built-in one): a YAML record's group_contact must still be there.
func (e *env) overriddenIDs(data []byte, records []*companies.Company) ([]string, error) {
	yaml := append([]fs.FS{companies.Embedded()}, e.overlay("companies")...)
	own, err := companies.Load(yaml...)
	if err != nil {
		return nil, fmt.Errorf("loading companies: %w", err)
	}
	if data != nil {
		x, err := companies.ParseIndex(string(data))
		if err != nil {
			return nil, err
		}
		if _, err := companies.Open(x, yaml...); err != nil {
			return nil, fmt.Errorf("the imported directory would not open: %w", err)
		}
	}
	ids := map[string]bool{}
	for _, id := range own.IDs() {
		ids[id] = true
	}
	var out []string
	for _, c := range records {
		if ids[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// nonNil gives empty lists as [] in JSON.
func (r *importReport) nonNil() *importReport {
	for _, l := range []*[]companies.Change{&r.Added, &r.Changed, &r.Dropped} {
		if *l == nil {
			*l = []companies.Change{}
		}
	}
	if r.Skipped == nil {
		r.Skipped = []skippedRecord{}
	}
	if r.Overridden == nil {
		r.Overridden = []string{}
	}
	return r
}

func writeImportReport(w io.Writer, r *importReport) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	if r.From != "" {
		p("Read %s: %d Datenanfragen records as of %s, and %d JustDeleteMe self-service links", r.From, r.Datenanfragen, r.Snapshot, r.JustDeleteMe)
	} else {
		p("The directory built in: %d Datenanfragen records as of %s, and %d JustDeleteMe self-service links", r.Datenanfragen, r.Snapshot, r.JustDeleteMe)
	}
	p("Compared with the %s directory (%d records as of %s): %d added, %d changed, %d dropped, %d unchanged",
		r.Previous.Index, r.Previous.Records, r.Previous.Snapshot, len(r.Added), len(r.Changed), len(r.Dropped), r.Unchanged)
	list := func(title string, cs []companies.Change, what func(companies.Change) string) {
		if len(cs) == 0 {
			return
		}
		p("")
		p("%s:", title)
		for _, c := range cs {
			p("  %s: %s", c.ID, what(c))
		}
	}
	name := func(c companies.Change) string { return c.Name }
	list("Added", r.Added, name)
	list("Changed", r.Changed, func(c companies.Change) string { return strings.Join(c.Fields, ", ") })
	list("Dropped", r.Dropped, name)
	if len(r.Skipped) > 0 {
		p("")
		p("Skipped (not carried over):")
		for _, s := range r.Skipped {
			p("  %s: %s", s.File, s.Reason)
		}
	}
	if len(r.Overridden) > 0 {
		p("")
		p("Replaced by YAML records, which stay in use: %s", strings.Join(r.Overridden, ", "))
	}
	return nil
}
