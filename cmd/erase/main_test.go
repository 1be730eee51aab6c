package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"erase": func() { limitMemory(); os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the user-visible flows in testdata/script. Golden
// outputs live inside the scripts; UPDATE_GOLDEN=1 rewrites them.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       os.Getenv("UPDATE_GOLDEN") != "",
		RequireExplicitExec: true,
		Cmds:                smtpCommands,
		Setup: func(env *testscript.Env) error {
			env.Setenv("ERASE_CONFIG_DIR", filepath.Join(env.WorkDir, "config"))
			env.Setenv("ERASE_DATA_DIR", filepath.Join(env.WorkDir, "data"))
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("newline", "\n") // for scripts that try to smuggle one in
			// erase send sends today's letter: scripts that send date it $TODAY.
			env.Setenv("TODAY", time.Now().Format(time.DateOnly))
			// Later days, for ERASE_NOW: after a GDPR month, and after a
			// reminder's two weeks too.
			env.Setenv("DAY40", time.Now().AddDate(0, 0, 40).Format(time.DateOnly))
			env.Setenv("DAY60", time.Now().AddDate(0, 0, 60).Format(time.DateOnly))
			return nil
		},
	})
}
