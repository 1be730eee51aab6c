package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// The start-up benchmarks run erase as a person does, a process per
// command, built as make build builds it. ns/op is the wall time of one
// run; x-version is that over the time of erase --version measured in the
// same benchmark just before, so that a loaded machine moves both: the
// cost of what the command does beyond starting at all. cpu-ns/op and
// x-version-cpu are the same for the CPU time the process used (user and
// system), which a busy machine sways less than the wall time. The target is
// that a search and a letter to one company of the directory's thousands
// stay within a few milliseconds of --version, and that erase laws list
// pays nothing for the directory.

// startupBinary builds erase once per test process, with make build's
// flags, at a path of its own under the temporary directory (replaced by
// each run, so one copy at most is left there).
var startupBinary = sync.OnceValues(func() (string, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("erase-startup-bench-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "erase")
	out, err := exec.Command(gobin, "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

type startup struct {
	bin string
	env []string
}

func newStartup(b *testing.B) *startup {
	b.Helper()
	bin, err := startupBinary()
	if err != nil {
		b.Skipf("cannot build erase: %v", err)
	}
	dir := b.TempDir()
	return &startup{bin: bin, env: append(os.Environ(),
		"ERASE_CONFIG_DIR="+filepath.Join(dir, "config"),
		"ERASE_DATA_DIR="+filepath.Join(dir, "data"),
		"HOME="+filepath.Join(dir, "home"),
	)}
}

// run runs erase once with args and fails the benchmark unless it
// succeeds with output. It returns the CPU time the process used.
func (s *startup) run(b *testing.B, args ...string) time.Duration {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stdout.Len() == 0 {
		b.Fatalf("erase %q: %v, %d bytes on stdout\n%s", args, err, stdout.Len(), stderr.String())
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// versionTime is the median wall and CPU time of a few runs of erase
// --version.
func (s *startup) versionTime(b *testing.B) (wall, cpu time.Duration) {
	const runs = 9
	walls, cpus := make([]time.Duration, runs), make([]time.Duration, runs)
	for i := range walls {
		start := time.Now()
		cpus[i] = s.run(b, "--version")
		walls[i] = time.Since(start)
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return walls[runs/2], cpus[runs/2]
}

func benchStart(b *testing.B, args ...string) {
	s := newStartup(b)
	s.run(b, args...) // warm the page cache
	wall, cpu := s.versionTime(b)
	var used time.Duration
	for b.Loop() {
		used += s.run(b, args...)
	}
	n := float64(b.N)
	b.ReportMetric(float64(b.Elapsed())/n/float64(wall), "x-version")
	b.ReportMetric(float64(used)/n, "cpu-ns/op")
	b.ReportMetric(float64(used)/n/float64(cpu), "x-version-cpu")
}

// BenchmarkStartVersion is erase --version: starting and nothing else.
func BenchmarkStartVersion(b *testing.B) { benchStart(b, "--version") }

// BenchmarkStartLawsList is erase laws list, which needs the regimes and
// never the company directory.
func BenchmarkStartLawsList(b *testing.B) { benchStart(b, "laws", "list") }

// BenchmarkStartCompaniesSearch is a search with a typo over the whole
// directory, as a person types it.
func BenchmarkStartCompaniesSearch(b *testing.B) {
	benchStart(b, "companies", "search", "deutche bahn")
}

// BenchmarkStartLetterCompany is a letter to one company of the
// directory, to stdout.
func BenchmarkStartLetterCompany(b *testing.B) {
	benchStart(b, "letter", "--law", "gdpr", "--company", "deutsche-bahn", "--name", "Jane Doe",
		"--email", "jane@example.com", "--address", "Street 1, Berlin", "--date", "2026-12-01")
}
