package main

import (
	"strings"
	"testing"
)

// TestFieldLengthNamesTheFlag: a field longer than any real one is bad
// input that names the flag the person typed, for erase letter and erase
// send alike, before anything is rendered or sent.
func TestFieldLengthNamesTheFlag(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	long := strings.Repeat("a", 300)
	for _, args := range [][]string{
		{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", long, "--email", "jane@example.com"},
		{"send", "--law", "gdpr", "--company", "aliexpress", "--name", long, "--email", "jane@example.com", "--dry-run"},
	} {
		code, stdout, stderr := run(t, args...)
		if code != exitBadInput || !strings.HasPrefix(stderr, "erase: --name is 300 characters long: want at most 256") || stdout != "" {
			t.Errorf("erase %s: exit %d, stderr %q", args[0], code, stderr)
		}
	}
}
