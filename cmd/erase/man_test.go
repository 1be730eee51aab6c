package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra/doc"
)

// manDir holds the man pages, made from the commands' own help; `make man`
// remakes them (UPDATE_MAN=1), and this test fails when one is stale.
var manDir = filepath.Join("..", "..", "docs", "man")

func TestManPagesCurrent(t *testing.T) {
	// The embedded data only: a config directory's kinds or languages
	// would change the help.
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	root := newRootCmd(e)
	root.DisableAutoGenTag = true
	dir := t.TempDir()
	// A fixed date, so the pages change only when the help does.
	date := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	header := &doc.GenManHeader{Title: "ERASE", Section: "1", Date: &date, Source: "erase", Manual: "erase manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	if len(got) < 10 {
		t.Fatalf("only %d man pages", len(got))
	}
	if os.Getenv("UPDATE_MAN") != "" {
		os.RemoveAll(manDir)
		if err := os.MkdirAll(manDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range got {
			data, _ := os.ReadFile(p)
			if err := os.WriteFile(filepath.Join(manDir, filepath.Base(p)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	have, _ := filepath.Glob(filepath.Join(manDir, "*.1"))
	if len(have) != len(got) {
		t.Errorf("docs/man has %d pages, the commands make %d: run make man", len(have), len(got))
	}
	for _, p := range got {
		want, err := os.ReadFile(filepath.Join(manDir, filepath.Base(p)))
		data, _ := os.ReadFile(p)
		if err != nil || !bytes.Equal(want, data) {
			t.Errorf("docs/man/%s is stale: run make man", filepath.Base(p))
		}
	}
}
