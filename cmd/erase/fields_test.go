package main

import (
	"strings"
	"testing"
	"time"
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

func TestParseRate(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"": 0, "30/min": 2 * time.Second, "30": 2 * time.Second, "1/s": time.Second, "30/h": 2 * time.Minute,
		"6000/min": 10 * time.Millisecond, "2/hour": 30 * time.Minute, " 10/m ": 6 * time.Second,
	} {
		got, err := parseRate(in)
		if err != nil || got != want {
			t.Errorf("parseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"fast", "0/min", "-1/min", "30/day", "1.5/min", "/min", "30/"} {
		if _, err := parseRate(in); err == nil {
			t.Errorf("parseRate(%q) accepted", in)
		}
	}
}
