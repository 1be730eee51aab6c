//go:build unix

package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/erase-cli/erase/companies"
)

// letterBatch is `erase letter --law gdpr --companies FILE --format pdf
// -o DIR/` for n companies of the directory, run as its own process.
type letterBatch struct {
	bin  string   // this test binary, named erase (eraseBin)
	env  []string // ERASE_CONFIG_DIR, ERASE_DATA_DIR
	args []string // letter ... --companies FILE --format pdf
	root string   // where each run's output directory goes
	n    int
}

// batchArgs are the requester's details every record of the bundled
// directory may require.
var batchArgs = []string{"--name", "Jane Doe", "--email", "jane@example.com", "--account", "username=jdoe88",
	"--address", "1 Example Street", "--address", "London EC1A 1AA", "--phone", "+44 20 7946 0000", "--date", "2026-11-27"}

// newLetterBatch writes the companies file of n ids: the first n writable
// records of the bundled directory; where n is more than it has, a data
// directory whose company index (what erase companies import writes, in
// place of the bundled one) holds the bundled records and as many copies
// of the writable ones, under new ids and names, as make n.
func newLetterBatch(b testing.TB, n int) *letterBatch {
	b.Helper()
	idx, err := companies.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	records, err := idx.Records()
	if err != nil {
		b.Fatal(err)
	}
	var writable []*companies.Company
	for _, c := range records {
		// Those a letter reaches with the batch's details alone: no birth
		// date, no account field of the company's own.
		if c.Writable() && !slices.Contains(c.Requires, "birthdate") && len(c.RequiredAccounts) == 0 {
			writable = append(writable, c)
		}
	}
	dir := b.TempDir()
	config, data := filepath.Join(dir, "config"), filepath.Join(dir, "data")
	var ids strings.Builder
	for i := range min(n, len(writable)) {
		ids.WriteString(writable[i].ID + "\n")
	}
	if n > len(writable) {
		all := records
		for i := len(writable); i < n; i++ {
			c := *writable[i%len(writable)]
			copyNo := i / len(writable)
			c.ID = fmt.Sprintf("%s-copy%d", c.ID, copyNo)
			c.Name = fmt.Sprintf("%s (copy %d)", c.Name, copyNo)
			c.Aliases = nil
			all = append(all, &c)
			ids.WriteString(c.ID + "\n")
		}
		index, err := companies.EncodeIndex(idx.Snapshot, all)
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(data, filepath.FromSlash(companies.ImportedIndex))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, index, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	list := filepath.Join(dir, "companies.txt")
	if err := os.WriteFile(list, []byte(ids.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	bin := eraseBin(b)
	args := append([]string{"letter", "--law", "gdpr", "--companies", list, "--format", "pdf"}, batchArgs...)
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o700); err != nil {
		b.Fatal(err)
	}
	return &letterBatch{bin: bin, env: []string{"ERASE_CONFIG_DIR=" + config, "ERASE_DATA_DIR=" + data},
		args: args, root: filepath.Join(dir, "out"), n: n}
}

// measure runs erase with args and returns its peak resident set (VmHWM,
// sampled every 2 ms; elsewhere getrusage) and its wall time. It must
// exit with code.
func (lb *letterBatch) measure(b *testing.B, code int, args ...string) (rss int64, took, cpu time.Duration, stderr string) {
	b.Helper()
	var errb bytes.Buffer
	cmd := exec.Command(lb.bin, args...)
	cmd.Env = append(os.Environ(), lb.env...)
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Start()
	stop := func() {}
	if err == nil {
		stop = sampleEraseHWM(cmd.Process.Pid, &rss)
		err = cmd.Wait()
	}
	took = time.Since(start)
	stop()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == code {
		err = nil
	} else if err == nil && code != 0 {
		err = fmt.Errorf("exit 0, want %d", code)
	}
	if err != nil {
		b.Fatalf("erase %s: %v\n%s", strings.Join(args[:min(len(args), 3)], " "), err, tail(errb.String()))
	}
	cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if rss == 0 {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = maxRSSBytes(ru.Maxrss)
		}
	}
	return rss, took, cpu, errb.String()
}

// runLetterBatch benchmarks the batch of n letters. Beside ns/op (the
// whole batch) it reports:
//
//   - peak-RSS-MB: the batch's peak resident set, the largest of the runs;
//   - ms/letter: wall time per letter; cpu-ms/letter: the CPU time (user
//     and system) per letter, which other load on the machine changes
//     less;
//   - floor-RSS-MB and floor-ms: erase --version, measured in the same
//     run (the process, the runtime and the binary's pages, nothing
//     composed), the least of five: on a loaded machine a run now and
//     then peaks far higher (34 MB, not 13, twice in some 80 runs; the
//     cause is not known);
//   - RSS-x-floor: peak-RSS-MB over floor-RSS-MB;
//   - plan-RSS-MB: the same command without -o, which stops with exit 2
//     ("N letters need a directory") once every letter is planned (the
//     companies read, the requester checked) and before any is composed:
//     what planning alone holds, the least of three.
func runLetterBatch(b *testing.B, n int) {
	lb := newLetterBatch(b, n)
	floorRSS, planRSS := int64(math.MaxInt64), int64(math.MaxInt64)
	floorTook := time.Hour
	for range 5 {
		rss, took, _, _ := lb.measure(b, 0, "--version")
		floorRSS = min(floorRSS, rss)
		floorTook = min(floorTook, took)
	}
	for range 3 {
		rss, _, _, _ := lb.measure(b, exitBadInput, lb.args...)
		planRSS = min(planRSS, rss)
	}
	var peak int64
	var total, cpuTotal time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		out := filepath.Join(lb.root, strconv.Itoa(i)) + "/"
		b.StartTimer()
		rss, took, cpu, stderr := lb.measure(b, 0, append(lb.args, "-o", out)...)
		b.StopTimer()
		peak = max(peak, rss)
		total += took
		cpuTotal += cpu
		files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
		if len(files) != n {
			b.Fatalf("%d PDFs written, want %d", len(files), n)
		}
		if wrote := strings.Count(stderr, "erase: wrote "); wrote != n {
			b.Fatalf("%d 'erase: wrote' lines, want %d", wrote, n)
		}
		os.RemoveAll(out)
		b.StartTimer()
	}
	mb := func(v int64) float64 { return float64(v) / (1 << 20) }
	b.ReportMetric(mb(peak), "peak-RSS-MB")
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N*n), "ms/letter")
	b.ReportMetric(float64(cpuTotal.Microseconds())/1000/float64(b.N*n), "cpu-ms/letter")
	b.ReportMetric(mb(floorRSS), "floor-RSS-MB")
	b.ReportMetric(float64(floorTook.Microseconds())/1000, "floor-ms")
	b.ReportMetric(float64(peak)/float64(floorRSS), "RSS-x-floor")
	b.ReportMetric(mb(planRSS), "plan-RSS-MB")
}

// BenchmarkLetterBatchPDF1000 writes 1,000 PDF letters into a directory,
// to the first 1,000 writable companies of the bundled directory.
func BenchmarkLetterBatchPDF1000(b *testing.B) { runLetterBatch(b, 1000) }

// BenchmarkLetterBatchPDF10000 writes 10,000: more than the bundled
// directory has recipients, so from an imported index of 10,000 writable
// records (the bundled ones and copies of them).
func BenchmarkLetterBatchPDF10000(b *testing.B) { runLetterBatch(b, 10000) }

// sampleEraseHWM is sampleHWM for a process named erase: it reads the
// status file it opened while the process ran (a file of that process
// alone, which fails once it is gone, whatever process takes its id next)
// and only while the process is named erase (after its exec, not the
// benchmark's copy before it).
func sampleEraseHWM(pid int, hwm *int64) (stop func()) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer f.Close()
		buf := make([]byte, 8<<10)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			n, err := f.ReadAt(buf, 0)
			if n == 0 && err != nil {
				return
			}
			status := string(buf[:n])
			if strings.Contains(status, "Name:\terase\n") {
				if _, v, ok := strings.Cut(status, "VmHWM:"); ok {
					v, _, _ = strings.Cut(v, "kB")
					if kb, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
						*hwm = max(*hwm, kb<<10)
					}
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
