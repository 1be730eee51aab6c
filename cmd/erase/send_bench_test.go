//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/erase-cli/erase/internal/smtptest"
)

// benchBatch is a batch of n companies, each with a privacy address at
// example.org, in a config directory of their own, and a real SMTP server
// (STARTTLS, AUTH PLAIN, a private CA) in this process.
type benchBatch struct {
	srv       *smtptest.Server
	env       []string // ERASE_* settings, without ERASE_DATA_DIR
	args      []string // erase send ... --companies FILE --yes
	dataRoot  string
	n         int
	iteration int
}

func newBenchBatch(b testing.TB, n int) *benchBatch {
	b.Helper()
	srv, err := smtptest.Start(smtptest.Options{User: "jane@example.com", Password: "s3cret", ReadTimeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	dir := b.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := srv.WriteCA(ca); err != nil {
		b.Fatal(err)
	}
	config := filepath.Join(dir, "config")
	comps := filepath.Join(config, "companies")
	if err := os.MkdirAll(comps, 0o700); err != nil {
		b.Fatal(err)
	}
	var ids strings.Builder
	for i := range n {
		id := fmt.Sprintf("bench-%04d", i)
		rec := fmt.Sprintf(`id: %[1]s
name: Bench Company %04[2]d
legal_name: Bench Company %04[2]d Ltd
language: en
privacy:
  name: Bench Company %04[2]d Data Protection
  email: privacy-%04[2]d@example.org
  address:
    - %[2]d Example Street
    - London EC1A 1AA
sources:
  - url: https://example.org/%[1]s
    what: benchmark fixture
checked: 2026-07-21
`, id, i)
		if err := os.WriteFile(filepath.Join(comps, id+".yaml"), []byte(rec), 0o600); err != nil {
			b.Fatal(err)
		}
		ids.WriteString(id + "\n")
	}
	list := filepath.Join(dir, "companies.txt")
	if err := os.WriteFile(list, []byte(ids.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	env := []string{
		"ERASE_CONFIG_DIR=" + config,
		"ERASE_SMTP_HOST=" + srv.Host(),
		"ERASE_SMTP_PORT=" + strconv.Itoa(srv.Port()),
		"ERASE_SMTP_USER=jane@example.com",
		"ERASE_SMTP_PASSWORD=s3cret",
		"ERASE_SMTP_CA=" + ca,
	}
	args := append([]string{"send", "--law", "gdpr", "--companies", list, "--yes"}, janeArgs...)
	return &benchBatch{srv: srv, env: env, args: args, dataRoot: filepath.Join(dir, "data"), n: n}
}

// nextDataDir is a fresh data directory (empty outbox and ledger) for one
// run, so that every run sends the whole batch.
func (bb *benchBatch) nextDataDir() string {
	bb.iteration++
	return filepath.Join(bb.dataRoot, strconv.Itoa(bb.iteration))
}

// check confirms that the whole batch arrived, once each, over one
// connection, and recorded.
func (bb *benchBatch) check(b testing.TB, dataDir string, conns int) {
	b.Helper()
	msgs := bb.srv.Messages()
	if len(msgs) != bb.n {
		b.Fatalf("%d messages delivered, want %d", len(msgs), bb.n)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if !bytes.Contains(m.Data, []byte("Content-Type: application/pdf")) {
			b.Fatalf("message to %v has no PDF attached", m.To)
		}
		if m.Conn != msgs[0].Conn {
			b.Fatalf("messages came over connections %d and %d", msgs[0].Conn, m.Conn)
		}
		seen[m.To[0]] = true
	}
	if len(seen) != bb.n {
		b.Fatalf("%d distinct recipients, want %d", len(seen), bb.n)
	}
	if c := bb.srv.Connections() - conns; c != 1 {
		b.Fatalf("%d connections, want 1", c)
	}
	recs, _ := filepath.Glob(filepath.Join(dataDir, "requests", "*.yaml"))
	if len(recs) != bb.n {
		b.Fatalf("%d ledger records, want %d", len(recs), bb.n)
	}
	if left := outboxFiles(dataDir); len(left) != 0 {
		b.Fatalf("%d files left in the outbox: %v", len(left), left)
	}
	bb.srv.Reset()
}

// BenchmarkSendBatch1000 is `erase send --law gdpr --companies FILE --yes`
// for 1,000 companies, as a user runs it: every letter composed, rendered
// to PDF, attached, written to the outbox, delivered over one SMTP
// connection (STARTTLS, AUTH) to a loopback server, and recorded in the
// ledger.
//
//   - process: erase runs as its own process (this test binary, named
//     erase); ns/op is the wall time of the command, peak-RSS-MB its
//     maximum resident set: on Linux its VmHWM, read every 2 ms while it
//     runs, since getrusage's ru_maxrss also counts the benchmark's own
//     resident set (the child is started with vfork, and Linux keeps the
//     parent's high-water mark across the exec); elsewhere getrusage.
//   - inprocess: Run is called in the benchmark's process; peak-heap-MB is
//     the largest Go heap in use seen while it ran. It includes the test
//     server, which keeps every message it receives (~50 MB for 1,000).
//
// The server runs in the benchmark's process in both, on the same CPUs.
func BenchmarkSendBatch1000(b *testing.B) {
	const n = 1000
	b.Run("process", func(b *testing.B) {
		bb := newBenchBatch(b, n)
		exe, err := os.Executable()
		if err != nil {
			b.Fatal(err)
		}
		bin := filepath.Join(b.TempDir(), "erase") // testscript.Main runs Run for this name
		if err := os.Symlink(exe, bin); err != nil {
			b.Fatal(err)
		}
		var peak int64
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			data := bb.nextDataDir()
			conns := bb.srv.Connections()
			var stderr bytes.Buffer
			cmd := exec.Command(bin, bb.args...)
			cmd.Env = append(append(os.Environ(), bb.env...), "ERASE_DATA_DIR="+data)
			cmd.Stderr = &stderr
			b.StartTimer()
			err := cmd.Start()
			var hwm int64
			stop := func() {}
			if err == nil {
				stop = sampleHWM(cmd.Process.Pid, &hwm)
				err = cmd.Wait()
			}
			b.StopTimer()
			stop()
			if err != nil {
				b.Fatalf("erase send: %v\n%s", err, tail(stderr.String()))
			}
			if hwm > 0 {
				peak = max(peak, hwm)
			} else if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				peak = max(peak, maxRSSBytes(ru.Maxrss))
			}
			bb.check(b, data, conns)
			b.StartTimer()
		}
		reportBatch(b, n)
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
	})
	// The floor: go-mail's client sending the same 1,000 messages, built
	// beforehand from the .eml files erase letter writes, over one
	// connection (STARTTLS, AUTH PLAIN) to the same server: what sending
	// alone costs, with nothing composed, rendered, stored or recorded.
	b.Run("gomail-floor", func(b *testing.B) {
		bb := newBenchBatch(b, n)
		msgs := bb.prebuilt(b)
		client := bb.gomailClient(b)
		runtime.GC()
		var peak uint64
		b.ResetTimer()
		for range b.N {
			stop := samplePeakHeap(&peak)
			if err := client.DialAndSend(msgs...); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			stop()
			if got := len(bb.srv.Messages()); got != n {
				b.Fatalf("%d delivered", got)
			}
			bb.srv.Reset()
			b.StartTimer()
		}
		reportBatch(b, n)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run("inprocess", func(b *testing.B) {
		bb := newBenchBatch(b, n)
		for _, kv := range bb.env {
			k, v, _ := strings.Cut(kv, "=")
			b.Setenv(k, v)
		}
		var peak uint64
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			data := bb.nextDataDir()
			b.Setenv("ERASE_DATA_DIR", data)
			conns := bb.srv.Connections()
			runtime.GC()
			stop := samplePeakHeap(&peak)
			var stderr bytes.Buffer
			b.StartTimer()
			code := Run(bb.args, strings.NewReader(""), &bytes.Buffer{}, &stderr)
			b.StopTimer()
			stop()
			if code != 0 {
				b.Fatalf("exit %d\n%s", code, tail(stderr.String()))
			}
			bb.check(b, data, conns)
			b.StartTimer()
		}
		reportBatch(b, n)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}

// outboxFiles lists the files in the outbox of dataDir but its lock.
func outboxFiles(dataDir string) []string {
	var out []string
	root := filepath.Join(dataDir, "outbox")
	filepath.WalkDir(root, func(path string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && path != filepath.Join(root, ".lock") {
			out = append(out, strings.TrimPrefix(path, root+"/"))
		}
		return nil
	})
	return out
}

// prebuilt is the batch's messages as go-mail messages, read from the
// .eml files of erase letter --format eml.
func (bb *benchBatch) prebuilt(b *testing.B) []*gomail.Msg {
	b.Helper()
	dir := b.TempDir()
	args := []string{"letter", "--law", "gdpr", "--companies", bb.args[4], "--format", "eml", "-o", dir + "/"}
	args = append(args, janeArgs...)
	for _, kv := range bb.env {
		k, v, _ := strings.Cut(kv, "=")
		b.Setenv(k, v)
	}
	b.Setenv("ERASE_DATA_DIR", bb.nextDataDir())
	if code, _, stderr := run(b, args...); code != 0 {
		b.Fatalf("erase letter: exit %d: %s", code, tail(stderr))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != bb.n {
		b.Fatalf("%d .eml files", len(files))
	}
	msgs := make([]*gomail.Msg, len(files))
	for i, f := range files {
		m, err := gomail.EMLToMsgFromFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msgs[i] = m
	}
	return msgs
}

// gomailClient is a go-mail client for the batch's server.
func (bb *benchBatch) gomailClient(b *testing.B) *gomail.Client {
	b.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(bb.srv.CAPEM())
	c, err := gomail.NewClient(bb.srv.Host(), gomail.WithPort(bb.srv.Port()),
		gomail.WithTLSPolicy(gomail.TLSMandatory),
		gomail.WithTLSConfig(&tls.Config{ServerName: bb.srv.Host(), RootCAs: pool, MinVersion: tls.VersionTLS12}),
		gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername("jane@example.com"), gomail.WithPassword("s3cret"),
		gomail.WithTimeout(time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func reportBatch(b *testing.B, n int) {
	el := b.Elapsed()
	b.ReportMetric(float64(el.Microseconds())/1000/float64(b.N*n), "ms/msg")
}

// sampleHWM reads the peak resident set (VmHWM in /proc/PID/status) of
// process pid every 2 ms into *hwm, until stop is called; where there is
// no /proc it leaves *hwm 0.
func sampleHWM(pid int, hwm *int64) (stop func()) {
	path := fmt.Sprintf("/proc/%d/status", pid)
	read := func() {
		data, err := os.ReadFile(path)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil {
					*hwm = max(*hwm, kb<<10)
				}
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// maxRSSBytes converts getrusage's ru_maxrss: kilobytes, but bytes on
// macOS.
func maxRSSBytes(v int64) int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return v
	}
	return v * 1024
}

// samplePeakHeap records the largest Go heap in use (objects, live or not
// yet swept, plus unused heap spans not returned to the system) every
// millisecond until stop is called. runtime/metrics does not stop the
// world.
func samplePeakHeap(peak *uint64) (stop func()) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			if v := samples[0].Value.Uint64() + samples[1].Value.Uint64(); v > *peak {
				*peak = v
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
