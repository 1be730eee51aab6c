package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// batchCompanies writes override records for the companies ids (a
// directory of their own) and a companies file listing them, in order,
// and returns its path. A company whose id starts with "bad" has in its
// name a character no font erase may use has (the font search finds
// nothing), so its letter fails the PDF's check.
func batchCompanies(t *testing.T, ids ...string) string {
	t.Helper()
	outputEnv(t)
	searchIn(t, "", []string{t.TempDir()})
	dir := filepath.Join(os.Getenv("ERASE_CONFIG_DIR"), "companies")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		name := "Batch Company " + id
		if strings.HasPrefix(id, "bad") {
			name += " " + string(goRune)
		}
		rec := fmt.Sprintf("id: %s\nname: %s\nlegal_name: %s Ltd\nlanguage: en\nprivacy:\n  name: %s\n  email: privacy-%d@example.org\n"+
			"  address: [\"%d Example Street\", \"London EC1A 1AA\"]\nsources:\n  - url: https://example.org/%s\n    what: test fixture\nsnapshot: 2026-07-21\n",
			id, name, name, name, i, i, id)
		if err := os.WriteFile(filepath.Join(dir, id+".yaml"), []byte(rec), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	list := filepath.Join(t.TempDir(), "companies.txt")
	if err := os.WriteFile(list, []byte(strings.Join(ids, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return list
}

// batchLetters runs erase letter --companies list -o out with extra flags.
func batchLetters(t *testing.T, list, out string, extra ...string) (int, string) {
	t.Helper()
	args := append([]string{"letter", "--law", "gdpr", "--companies", list, "--name", "Jane Doe",
		"--email", "jane@example.com", "--date", "2026-11-27", "-o", out}, extra...)
	code, _, stderr := run(t, args...)
	return code, stderr
}

// names lists the files in dir, hidden ones too.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// A batch into a directory writes each letter into a temporary file as it
// goes; a letter that fails after others were written leaves nothing: no
// letter, no temporary file, and no directory where erase made it. The
// letters before the bad one are always written first (each is finished
// before the error is reported), so the temporary files are there to
// remove.
func TestBatchFailureLeavesNothing(t *testing.T) {
	ids := []string{"batch-a", "batch-b", "batch-c", "batch-d", "batch-e", "bad-f"}
	for _, format := range []string{"pdf", "eml"} {
		t.Run(format+" into a new directory", func(t *testing.T) {
			list := batchCompanies(t, ids...)
			out := filepath.Join(t.TempDir(), "letters")
			code, stderr := batchLetters(t, list, out+"/", "--format", format)
			if code != exitBadInput || !strings.Contains(stderr, `character "\uf800" (U+F800) in the recipient's name`) {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			if strings.Contains(stderr, "erase: wrote") {
				t.Errorf("stderr says a letter was written:\n%s", stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s is left: %v %v", out, err, dirNames(t, out))
			}
		})
	}
	t.Run("into a directory that exists", func(t *testing.T) {
		list := batchCompanies(t, ids...)
		out := t.TempDir()
		if err := os.WriteFile(filepath.Join(out, "mine.txt"), []byte("a file of the user's\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, stderr := batchLetters(t, list, out+"/"); code != exitBadInput {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if got := dirNames(t, out); !slices.Equal(got, []string{"mine.txt"}) {
			t.Errorf("the directory holds %v, want only mine.txt", got)
		}
	})
	t.Run("a company twice", func(t *testing.T) {
		// Each company once: the second mention is dropped, not an error.
		list := batchCompanies(t, "batch-a", "batch-b", "batch-c", "batch-a", "batch-d")
		out := filepath.Join(t.TempDir(), "letters")
		code, stderr := batchLetters(t, list, out+"/")
		if code != 0 || strings.Count(stderr, "erase: wrote ") != 4 {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if got := dirNames(t, out); len(got) != 4 {
			t.Errorf("%s holds %v, want 4 letters", out, got)
		}
	})
	t.Run("--posted, one already in the ledger", func(t *testing.T) {
		list := batchCompanies(t, "batch-a", "batch-b", "batch-c", "batch-d")
		if code, _, stderr := run(t, "letter", "--law", "gdpr", "--company", "batch-c", "--name", "Jane Doe",
			"--email", "jane@example.com", "--date", "2026-11-27", "--posted", "-o", filepath.Join(t.TempDir(), "c.pdf")); code != 0 {
			t.Fatalf("posting batch-c: exit %d:\n%s", code, stderr)
		}
		out := filepath.Join(t.TempDir(), "letters")
		code, stderr := batchLetters(t, list, out+"/", "--posted")
		if code != exitBadInput || !strings.Contains(stderr, "is already in the ledger") || strings.Contains(stderr, "erase: recorded") {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s is left: %v", out, err)
		}
		recs, _ := filepath.Glob(filepath.Join(os.Getenv("ERASE_DATA_DIR"), "requests", "*.yaml"))
		if len(recs) != 1 {
			t.Errorf("%d ledger records, want batch-c's alone: %v", len(recs), recs)
		}
	})
}

// The first failure by position is the one reported, whatever order the
// letters were written in: here two letters fail their check, and the
// first one's is the error.
func TestBatchFirstFailureWins(t *testing.T) {
	list := batchCompanies(t, "batch-a", "batch-b", "bad-c", "batch-d", "bad-e")
	// bad-e fails on a character of its own, to tell the errors apart.
	e := filepath.Join(os.Getenv("ERASE_CONFIG_DIR"), "companies", "bad-e.yaml")
	rec, err := os.ReadFile(e)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e, []byte(strings.ReplaceAll(string(rec), string(goRune), string(goRune+1))), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		code, stderr := batchLetters(t, list, filepath.Join(t.TempDir(), "letters")+"/")
		if code != exitBadInput || !strings.Contains(stderr, fmt.Sprintf("U+%04X", goRune)) || strings.Contains(stderr, fmt.Sprintf("U+%04X", goRune+1)) {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
	}
}

// A batch that succeeds says what it wrote, letter by letter in the order
// of the companies file, and --posted records each.
func TestBatchWritesInOrder(t *testing.T) {
	ids := []string{"batch-e", "batch-b", "batch-d", "batch-a", "batch-c"}
	list := batchCompanies(t, ids...)
	out := filepath.Join(t.TempDir(), "letters")
	code, stderr := batchLetters(t, list, out+"/", "--posted")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var wrote, recorded []string
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "erase: wrote "+out+string(os.PathSeparator)); ok {
			id, _, _ := strings.Cut(rest, "-ERASE-")
			wrote = append(wrote, id)
			if !strings.HasSuffix(rest, ".pdf (Batch Company "+id+", gdpr, due 2026-12-28)") {
				t.Errorf("summary: %q", line)
			}
		}
		if strings.HasPrefix(line, "erase: recorded ERASE-20261127-") {
			recorded = append(recorded, line)
		}
	}
	if !slices.Equal(wrote, ids) {
		t.Errorf("wrote %v, want %v:\n%s", wrote, ids, stderr)
	}
	if len(recorded) != len(ids) {
		t.Errorf("%d recorded, want %d:\n%s", len(recorded), len(ids), stderr)
	}
	if got := dirNames(t, out); len(got) != len(ids) {
		t.Errorf("the directory holds %v", got)
	}
}
