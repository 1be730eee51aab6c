package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseChoice(t *testing.T) {
	for in, want := range map[string][]int{
		"": {1, 2, 3, 4, 5}, "  ": {1, 2, 3, 4, 5}, "all": {1, 2, 3, 4, 5}, "none": {}, "0": {},
		"2": {2}, "3 1": {1, 3}, "1,3": {1, 3}, "2-4": {2, 3, 4}, "5, 1-2 2": {1, 2, 5}, "4-4": {4},
	} {
		got, err := parseChoice(in, 5)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("parseChoice(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"6", "-1", "x", "3-1", "1-9", "2 x", "1.5", "1-"} {
		if got, err := parseChoice(in, 5); err == nil {
			t.Errorf("parseChoice(%q) = %v, want an error", in, got)
		} else if !strings.Contains(err.Error(), "from 1 to 5") {
			t.Errorf("parseChoice(%q): %v does not say what is allowed", in, err)
		}
	}
}

// TestPackCompletion: --pack of erase letter and erase send, and the
// argument of erase companies packs, complete pack ids with their titles.
func TestPackCompletion(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	for _, args := range [][]string{
		{"letter", "--pack", ""},
		{"send", "--pack", ""},
		{"companies", "packs", ""},
	} {
		code, stdout, stderr := run(t, append([]string{"__complete"}, args...)...)
		if code != 0 || !strings.Contains(stdout, "de-address-brokers\tAddress brokers (Germany)\n") || strings.Contains(stdout, "aliexpress") {
			t.Errorf("erase __complete %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}
