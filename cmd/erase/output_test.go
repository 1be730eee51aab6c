package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// outputEnv gives a test its own config and data directories.
func outputEnv(t *testing.T) {
	t.Helper()
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
}

// eraseLetter runs erase letter to AliExpress with -o out and any extra
// flags, and returns the exit code, stdout and stderr.
func eraseLetter(t *testing.T, out string, extra ...string) (int, string, string) {
	t.Helper()
	args := append([]string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "Jane Doe",
		"--email", "jane@example.com", "--date", "2026-11-27", "-o", out}, extra...)
	var stdout, stderr bytes.Buffer
	code := Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// wantLetter is the letter eraseLetter writes, as printed on stdout.
func wantLetter(t *testing.T, extra ...string) string {
	t.Helper()
	code, stdout, stderr := eraseLetter(t, "-", extra...)
	if code != 0 || stdout == "" {
		t.Fatalf("erase letter -o -: exit %d, %d bytes; stderr:\n%s", code, len(stdout), stderr)
	}
	return stdout
}

func wantNames(t *testing.T, dir string, want ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// An output file in a directory that does not exist is a typo until
// proven otherwise: exit 2, the directory named, nothing created.
func TestOutputMissingDirectory(t *testing.T) {
	outputEnv(t)
	dir := t.TempDir()
	for _, out := range []string{
		filepath.Join(dir, "nosuchdir", "letter.txt"),
		filepath.Join(dir, "no", "such", "letter.pdf"),
	} {
		code, stdout, stderr := eraseLetter(t, out)
		if code != exitBadInput {
			t.Fatalf("-o %s: exit %d, want %d; stderr:\n%s", out, code, exitBadInput, stderr)
		}
		missing := filepath.Dir(out)
		first, _, _ := strings.Cut(stderr, "\n")
		if want := "erase: -o " + out + ": directory " + missing + " does not exist"; first != want {
			t.Errorf("stderr's first line %q, want %q", first, want)
		}
		if !strings.Contains(stderr, "erase: hint: create it first") {
			t.Errorf("no hint to create the directory in %q", stderr)
		}
		if stdout != "" {
			t.Errorf("stdout %q", stdout)
		}
		wantNames(t, dir)
	}
}

// A parent that is a file, not a directory.
func TestOutputParentNotADirectory(t *testing.T) {
	outputEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := eraseLetter(t, filepath.Join(file, "letter.txt"))
	if code != exitBadInput || !strings.Contains(stderr, file+" is not a directory") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// A regular file is replaced atomically, 0600, whatever its mode was.
func TestOutputRegularFile(t *testing.T) {
	outputEnv(t)
	path := filepath.Join(t.TempDir(), "letter.txt")
	if err := os.WriteFile(path, []byte("an old and much longer letter than the new one, "+strings.Repeat("x", 8192)), 0o644); err != nil {
		t.Fatal(err)
	}
	want := wantLetter(t)
	if code, _, stderr := eraseLetter(t, path); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Errorf("the file holds %d bytes, not the letter (%d)", len(got), len(want))
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want a regular file 0600", fi.Mode())
	}
	wantNames(t, filepath.Dir(path), "letter.txt")
}

// -o DIR/ creates DIR when its parent exists, and not a whole tree.
func TestOutputBatchDirectory(t *testing.T) {
	outputEnv(t)
	parent := t.TempDir()
	batch := func(out string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := Run([]string{"letter", "--law", "gdpr", "--company", "aliexpress", "--company", "alibaba",
			"--name", "Jane Doe", "--email", "jane@example.com", "--date", "2026-11-27", "-o", out},
			strings.NewReader(""), &stdout, &stderr)
		return code, stderr.String()
	}

	dir := filepath.Join(parent, "letters")
	if code, stderr := batch(dir + string(os.PathSeparator)); code != 0 {
		t.Fatalf("-o %s/: exit %d: %s", dir, code, stderr)
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		t.Fatalf("%s not created: %v", dir, err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: mode %v, want 0700", dir, fi.Mode().Perm())
	}
	if es, _ := os.ReadDir(dir); len(es) != 2 {
		t.Errorf("%s holds %d files, want 2", dir, len(es))
	}

	deep := filepath.Join(parent, "no", "such", "letters") + string(os.PathSeparator)
	code, stderr := batch(deep)
	if code != exitBadInput {
		t.Fatalf("-o %s: exit %d, want %d: %s", deep, code, exitBadInput, stderr)
	}
	if want := "directory " + filepath.Join(parent, "no", "such") + " does not exist"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not say %q", stderr, want)
	}
	if !strings.Contains(stderr, "erase: hint: create it first") {
		t.Errorf("no hint in %q", stderr)
	}
	wantNames(t, parent, "letters")

	file := filepath.Join(parent, "file")
	os.WriteFile(file, nil, 0o600)
	if code, stderr := batch(file + string(os.PathSeparator)); code != exitBadInput || !strings.Contains(stderr, file+" is not a directory") {
		t.Errorf("-o FILE/: exit %d, stderr %q", code, stderr)
	}
}

// -o - is stdout, never a file named "-".
func TestOutputDashIsStdout(t *testing.T) {
	outputEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	if got := wantLetter(t); !strings.Contains(got, "Jane Doe") {
		t.Errorf("stdout %q", got)
	}
	wantNames(t, dir)
}
