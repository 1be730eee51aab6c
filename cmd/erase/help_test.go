package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// TestHelpFits80Columns: every command's help fits an 80-column terminal
// (in a pipe erase wraps at 80), and every command has examples or is a
// group of commands that do.
func TestHelpFits80Columns(t *testing.T) {
	// The embedded data only: a config directory's kinds or languages
	// would change the help.
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	var walk func(c *cobra.Command)
	var paths [][]string
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" || strings.HasPrefix(c.Name(), "__") {
			return
		}
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(e))
	if len(paths) < 10 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, p := range paths {
		code, out, stderr := run(t, append(append([]string{}, p...), "--help")...)
		if code != 0 {
			t.Errorf("erase %s --help: exit %d: %s", strings.Join(p, " "), code, stderr)
			continue
		}
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("erase %s --help, line %d is %d columns: %q", strings.Join(p, " "), i+1, n, line)
			}
		}
	}
}

// TestEveryCommandHasExamples: each command's help shows how it is used,
// groups of commands included (cobra's own help and completion aside).
func TestEveryCommandHasExamples(t *testing.T) {
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	var walk func(c *cobra.Command)
	checked := 0
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" || strings.HasPrefix(c.Name(), "__") {
			return
		}
		if c.HasParent() && c.Runnable() && c.Annotations["topic"] == "" {
			checked++
			if !c.HasExample() {
				t.Errorf("%s has no examples", c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(e))
	if checked < 15 {
		t.Errorf("only %d commands checked", checked)
	}
}
