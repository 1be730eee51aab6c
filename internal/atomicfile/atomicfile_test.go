package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// names lists the names in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		ns = append(ns, e.Name())
	}
	return ns
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // no owner-only mode bits
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

func TestWriteModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "f")
	if err := Write(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "two" {
		t.Errorf("content %q", data)
	}
	wantMode(t, path, 0o600)
	wantMode(t, dir, 0o700)
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("left behind: %v", ns)
	}
}

func TestWriteFuncFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	boom := errors.New("boom")
	err := WriteFunc(path, func(w io.Writer) error {
		fmt.Fprint(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if ns := names(t, dir); len(ns) != 0 {
		t.Errorf("left behind: %v", ns)
	}

	// An existing file is untouched.
	if err := Write(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFunc(path, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("content %q, want old", data)
	}
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("left behind: %v", ns)
	}
}

func TestWriteTemp(t *testing.T) {
	dir := t.TempDir()
	for _, sync := range []bool{true, false} {
		tmp, err := WriteTemp(dir, ".x.*.tmp", []byte("data"), sync)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(tmp) != dir {
			t.Errorf("%s not in %s", tmp, dir)
		}
		if data, _ := os.ReadFile(tmp); string(data) != "data" {
			t.Errorf("content %q", data)
		}
		wantMode(t, tmp, 0o600)
	}
	if _, err := WriteTemp(filepath.Join(dir, "missing"), "x*", nil, true); err == nil {
		t.Error("WriteTemp in a missing directory succeeded")
	}
}

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.yaml")
	if err := Create(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	wantMode(t, path, 0o600)
	err := Create(path, []byte("second"))
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "first" {
		t.Errorf("content %q, want first", data)
	}
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("left behind: %v", ns)
	}
}

func TestSyncFiles(t *testing.T) {
	// Below and above syncFSMin: one file at a time, and a batch (one
	// syncfs on Linux).
	for _, n := range []int{0, 1, syncFSMin - 1, syncFSMin, 3 * syncWorkers} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			var paths []string
			for i := range n {
				tmp, err := WriteTemp(dir, fmt.Sprintf(".%d.*.tmp", i), []byte("data"), false)
				if err != nil {
					t.Fatal(err)
				}
				paths = append(paths, tmp)
			}
			if err := SyncFiles(dir, paths); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSyncFilesMissing(t *testing.T) {
	// A few files are synced one by one: one missing is an error.
	dir := t.TempDir()
	tmp, err := WriteTemp(dir, "x*", []byte("data"), false)
	if err != nil {
		t.Fatal(err)
	}
	err = SyncFiles(dir, []string{tmp, filepath.Join(dir, "missing")})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestSyncDir(t *testing.T) {
	SyncDir(t.TempDir())
	SyncDir(filepath.Join(t.TempDir(), "missing")) // best effort: no panic
}

func TestSafeName(t *testing.T) {
	for s, want := range map[string]bool{
		"ERASE-20261127-K3F9QX": true, "REQ_1.a": true, "a": true,
		"": false, ".hidden": false, "-x": false, "../x": false, "a/b": false, "a b": false,
		strings.Repeat("a", 128): true, strings.Repeat("a", 129): false, "é": false,
	} {
		if got := SafeName(s, 128, "._-"); got != want {
			t.Errorf("SafeName(%q) = %v, want %v", s, got, want)
		}
	}
}
