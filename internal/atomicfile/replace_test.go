package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	for _, data := range []string{"one", "two"} {
		if err := Replace(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != data {
			t.Errorf("content %q, want %q", got, data)
		}
	}
	wantMode(t, path, 0o600)
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("left behind: %v", ns)
	}
}

// Replace never creates a directory: the caller decides whether a missing
// one is a mistake.
func TestReplaceMissingDir(t *testing.T) {
	dir := t.TempDir()
	err := Replace(filepath.Join(dir, "missing", "f"), []byte("data"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	if ns := names(t, dir); len(ns) != 0 {
		t.Errorf("created: %v", ns)
	}
}
