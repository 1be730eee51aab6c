package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// A name that is not valid UTF-8 (a truncated sequence from a Latin-1
// terminal) made the PDF library panic on the document's author and title.
func TestPDFInvalidUTF8Name(t *testing.T) {
	outputEnv(t)
	out := filepath.Join(t.TempDir(), "letter.pdf")
	code, _, stderr := eraseLetter(t, out, "--name", "Jane Do\xc5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("no PDF: %v", err)
	}
}
