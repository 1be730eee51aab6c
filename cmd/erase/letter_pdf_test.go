package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A name that is not valid UTF-8 (a truncated sequence from a Latin-1
// terminal) made the PDF library panic on the document's author and title.
// It is refused now, naming the flag, and nothing is written.
func TestPDFInvalidUTF8Name(t *testing.T) {
	outputEnv(t)
	out := filepath.Join(t.TempDir(), "letter.pdf")
	code, _, stderr := eraseLetter(t, out, "--name", "Jane Do\xc5")
	if code != exitBadInput || !strings.Contains(stderr, "erase: --name is not valid UTF-8") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
}
