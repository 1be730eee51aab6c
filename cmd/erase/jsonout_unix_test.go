//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompleteJSONFields: --json=FIELDS completes the field names in a
// bash without the bash-completion package, where bash splits
// --json=id,na into --json, = and id,na.
func TestCompleteJSONFields(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	code, stdout, _ := run(t, "__complete", "laws", "list", "--json=id,s")
	if code != 0 || !strings.Contains(stdout, "id,short_name\n") {
		t.Errorf("erase __complete laws list --json=id,s: exit %d\n%s", code, stdout)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	code, script, _ := run(t, "completion", "bash")
	if code != 0 {
		t.Fatal("erase completion bash failed")
	}
	file := filepath.Join(t.TempDir(), "erase.bash")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1"
t() { COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; COMP_CWORD=$2; COMP_WORDS=("${@:3}"); __start_erase 2>/dev/null; echo "$1 => ${COMPREPLY[*]}"; }
t "erase laws list --json=" 4 erase laws list --json =
t "erase laws list --json=id,s" 5 erase laws list --json = id,s
t "erase status --json=ref" 4 erase status --json = ref
t "erase letter --format=e" 4 erase letter --format = e`, "bash", file)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(eraseBin(t))+":/usr/bin:/bin")
	out, err := cmd.CombinedOutput()
	for _, want := range []string{
		"erase laws list --json= => aliases authority citation",
		`erase laws list --json=id,s => id\,short_name`,
		"erase status --json=ref => reference",
		"erase letter --format=e => eml",
	} {
		if err != nil || !strings.Contains(string(out), want+"\n") && !strings.Contains(string(out), want+" ") {
			t.Errorf("no %q in\n%s(%v)", want, out, err)
		}
	}
}
