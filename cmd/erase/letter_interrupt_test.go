//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Ctrl-C during a batch into a directory stops it: the letters already in
// their temporary files are removed with the directory erase made, and
// erase says nothing was written (exit 1).
func TestBatchInterrupted(t *testing.T) {
	lb := newLetterBatch(t, 1000)
	out := lb.root + "/letters"
	var stderr bytes.Buffer
	cmd := exec.Command(lb.bin, append(lb.args, "-o", out+"/")...)
	cmd.Env = append(os.Environ(), lb.env...)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once the first letter is in its temporary file.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if es, _ := os.ReadDir(out); len(es) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no temporary file appeared")
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
		t.Fatalf("%v, want exit %d:\n%s", err, exitFailed, tail(stderr.String()))
	}
	if got := stderr.String(); !strings.HasSuffix(got, "erase: interrupted: no letter written\n") || strings.Contains(got, "erase: wrote") {
		t.Errorf("stderr:\n%s", tail(got))
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		es, _ := os.ReadDir(out)
		t.Errorf("%s is left, with %d files", out, len(es))
	}
}
