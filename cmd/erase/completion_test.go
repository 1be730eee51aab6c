//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion: every flag with a fixed set of values completes them
// (erase __complete, as the shells call it), and the bash script works in
// a bash without the bash-completion package.
func TestCompletion(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"letter", "--format", ""}, "eml"},
		{[]string{"letter", "--country", ""}, "DE\tGermany"},
		{[]string{"letter", "--country", "US", "--region", ""}, "US-CA\tCalifornia"},
		{[]string{"send", "--via", ""}, "sendmail\t"},
		{[]string{"letter", "--law", ""}, "gdpr"},
		{[]string{"letter", "--company", ""}, "aliexpress"},
	} {
		code, stdout, stderr := run(t, append([]string{"__complete"}, tt.args...)...)
		if code != 0 || !strings.Contains(stdout, tt.want) {
			t.Errorf("erase __complete %s: exit %d, no %q in\n%s%s", strings.Join(tt.args, " "), code, tt.want, stdout, stderr)
		}
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
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1" && declare -F _init_completion >/dev/null && echo "has bash-completion"
COMP_WORDS=(erase letter --format ""); COMP_CWORD=3; COMP_LINE="erase letter --format "; COMP_POINT=${#COMP_LINE}
__start_erase 2>/dev/null; echo "${COMPREPLY[*]}"`, "bash", file)
	// erase itself, for the script's __complete calls: this test binary
	// under that name, with the environment the test set.
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(eraseBin(t))+":/usr/bin:/bin")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "has bash-completion") || !strings.Contains(string(out), "text json pdf eml") {
		t.Errorf("bash without bash-completion: %v\n%s", err, out)
	}
}
