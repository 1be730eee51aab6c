//go:build unix

package main

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// eraseBin is this test binary under the name erase (testscript.Main runs
// Run for that name), for tests that run erase as a process of its own.
func eraseBin(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "erase")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

func (bb *benchBatch) command(bin, dataDir string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), bb.env...), "ERASE_DATA_DIR="+dataDir)
	return cmd
}

var messageIDRE = regexp.MustCompile(`(?m)^Message-ID: (<[^>]+>)\r?$`)

// deliveries maps each recipient to the Message-IDs it received, in order.
func (bb *benchBatch) deliveries(t testing.TB) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, m := range bb.srv.Messages() {
		id := messageIDRE.FindSubmatch(m.Data)
		if id == nil {
			t.Fatalf("a message to %v has no Message-ID", m.To)
		}
		got[m.To[0]] = append(got[m.To[0]], string(id[1]))
	}
	return got
}

// assertExactlyOnce checks that every letter of the batch arrived, that a
// second copy (only the documented window: a kill between the server's
// 250 and the outbox's record of it) carries the same Message-ID, that
// every letter is in the ledger once, and that the outbox is empty.
func (bb *benchBatch) assertExactlyOnce(t testing.TB, dataDir string, maxRepeats int) int {
	t.Helper()
	got := bb.deliveries(t)
	if len(got) != bb.n {
		t.Fatalf("%d of %d letters delivered", len(got), bb.n)
	}
	repeats := 0
	for to, ids := range got {
		for _, id := range ids[1:] {
			repeats++
			if id != ids[0] {
				t.Errorf("%s got two different letters: %s and %s", to, ids[0], id)
			}
		}
	}
	if repeats > maxRepeats {
		t.Errorf("%d letters delivered twice, at most %d expected", repeats, maxRepeats)
	}
	recs, _ := filepath.Glob(filepath.Join(dataDir, "requests", "*.yaml"))
	if len(recs) != bb.n {
		t.Errorf("%d ledger records, want %d", len(recs), bb.n)
	}
	if left := outboxFiles(dataDir); len(left) != 0 {
		t.Errorf("left in the outbox: %v", left)
	}
	return repeats
}

// TestCrashAnywhereInBatch kills `erase send --companies FILE --yes` (300
// letters with PDFs) with SIGKILL at moments spread over a whole run, then
// runs `erase send --retry`; when the kill came before the batch was
// queued (nothing sent, nothing waiting), it runs the batch again, as the
// user would. Every letter must then be delivered and recorded once; a
// letter may repeat only when the kill fell between the server's 250 and
// the record (then with the same Message-ID), so at most once per kill.
func TestCrashAnywhereInBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("kills erase many times")
	}
	const n = 300
	bb := newBenchBatch(t, n)
	bin := eraseBin(t)

	// One uninterrupted run, to know how long a run and its sending take.
	data := bb.nextDataDir()
	start := time.Now()
	cmd := bb.command(bin, data, bb.args...)
	queued, out, err := startUntilQueued(cmd)
	if err != nil {
		t.Fatal(err)
	}
	queuedAt := time.Since(start)
	if err := cmd.Wait(); err != nil || queued == nil {
		t.Fatalf("erase send: %v\n%s", err, tail(out.String()))
	}
	full := time.Since(start)
	sending := full - queuedAt
	bb.assertExactlyOnce(t, data, 0)
	bb.srv.Reset()

	const trials = 12
	rng := rand.New(rand.NewPCG(1, 2))
	reran, repeats := 0, 0
	for trial := range trials {
		data := bb.nextDataDir()
		cmd := bb.command(bin, data, bb.args...)
		var at time.Duration
		var out *syncBuffer
		if trial < trials/3 {
			// Anywhere in the run, mostly while it renders and queues.
			at = time.Duration((float64(trial) + rng.Float64()) / (trials / 3) * float64(full))
			out = &syncBuffer{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(at)
		} else {
			// While it sends: spread over the sending, each jittered.
			k := trial - trials/3
			at = time.Duration((float64(k) + rng.Float64()) / (trials - trials/3) * float64(sending))
			var err error
			if _, out, err = startUntilQueued(cmd); err != nil {
				t.Fatal(err)
			}
			time.Sleep(at)
			at += queuedAt // roughly, for the messages
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		retry, err := bb.command(bin, data, "send", "--retry").CombinedOutput()
		if err != nil {
			t.Fatalf("trial %d (killed at %v): erase send --retry: %v\n%s\nthe killed run said:\n%s", trial, at, err, retry, tail(out.String()))
		}
		if len(bb.srv.Messages()) == 0 && !strings.Contains(string(retry), "sent ") {
			// Killed before the batch was queued: nothing went, nothing
			// waits; the same command sends it all.
			reran++
			if again, err := bb.command(bin, data, bb.args...).CombinedOutput(); err != nil {
				t.Fatalf("trial %d: the batch again: %v\n%s", trial, err, tail(string(again)))
			}
		}
		repeats += bb.assertExactlyOnce(t, data, 1)
		if t.Failed() {
			t.Fatalf("trial %d, killed at %v of %v; the killed run said:\n%s\nthe retry said:\n%s", trial, at, full, tail(out.String()), tail(string(retry)))
		}
		bb.srv.Reset()
	}
	t.Logf("%d kills over a %v run: %d before the batch was queued, %d letters repeated (same Message-ID)", trials, full, reran, repeats)
}

// syncBuffer is a bytes.Buffer that a process's output and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startUntilQueued starts cmd and returns once it says it queued the
// batch (the line "erase: queued N letters"), or when it ends; queued is
// nil when it never said so.
func startUntilQueued(cmd *exec.Cmd) (queued []byte, out *syncBuffer, err error) {
	out = &syncBuffer{}
	cmd.Stdout = out
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	w.Close()
	lines := make(chan []byte, 1)
	go func() {
		defer r.Close()
		sc := bufio.NewScanner(r)
		sent := false
		for sc.Scan() {
			line := append(sc.Bytes(), '\n')
			out.Write(line)
			if !sent && bytes.HasPrefix(line, []byte("erase: queued ")) {
				lines <- bytes.Clone(line)
				sent = true
			}
		}
		if !sent {
			lines <- nil
		}
	}()
	return <-lines, out, nil
}

// TestConcurrentSendersSameCompanies runs eight `erase send` at once for
// the same 20 companies into one data directory: each company gets one
// letter, the others are refused as duplicates (exit 2), and the ledger
// holds 20 records.
func TestConcurrentSendersSameCompanies(t *testing.T) {
	const n, procs = 20, 8
	bb := newBenchBatch(t, n)
	bin := eraseBin(t)
	for repeat := range 5 {
		data := bb.nextDataDir()
		var wg sync.WaitGroup
		codes := make([]int, procs)
		outs := make([]string, procs)
		for p := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := bb.command(bin, data, bb.args...).CombinedOutput()
				outs[p] = string(out)
				if ee, ok := err.(*exec.ExitError); ok {
					codes[p] = ee.ExitCode()
				} else if err != nil {
					codes[p] = -1
				}
			}()
		}
		wg.Wait()
		ok := 0
		for p, code := range codes {
			switch code {
			case 0:
				ok++
			case exitBadInput:
				if !strings.Contains(outs[p], "still open") && !strings.Contains(outs[p], "already") {
					t.Errorf("repeat %d, process %d: exit 2 but not a duplicate:\n%s", repeat, p, outs[p])
				}
			default:
				t.Errorf("repeat %d, process %d: exit %d:\n%s", repeat, p, code, outs[p])
			}
		}
		if ok != 1 {
			t.Errorf("repeat %d: %d processes sent, want 1", repeat, ok)
		}
		bb.assertExactlyOnce(t, data, 0)
		if t.Failed() {
			t.Fatalf("repeat %d: exits %v\n%s", repeat, codes, strings.Join(outs, "\n---\n"))
		}
		bb.srv.Reset()
	}
}

// TestInterruptStopsAfterMessageInFlight: SIGTERM during a paced batch
// stops after the message in flight, records what went, keeps the rest in
// the outbox and exits 75; --retry then sends the rest, none twice.
func TestInterruptStopsAfterMessageInFlight(t *testing.T) {
	const n = 10
	bb := newBenchBatch(t, n)
	bin := eraseBin(t)
	data := bb.nextDataDir()
	args := append(append([]string(nil), bb.args...), "--rate", "600/min") // one every 100 ms
	cmd := bb.command(bin, data, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	bb.srv.WaitMessages(3, 20*time.Second)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitTempFail {
		t.Fatalf("exit %v, want 75:\n%s", err, out.String())
	}
	sent := len(bb.srv.Messages())
	if sent == 0 || sent == n {
		t.Fatalf("%d of %d sent before the signal took effect", sent, n)
	}
	if !strings.Contains(out.String(), "interrupted") || !strings.Contains(out.String(), "erase send --retry") {
		t.Errorf("the interrupted run said:\n%s", out.String())
	}
	recs, _ := filepath.Glob(filepath.Join(data, "requests", "*.yaml"))
	if len(recs) != sent {
		t.Errorf("%d delivered but %d recorded", sent, len(recs))
	}
	if retry, err := bb.command(bin, data, "send", "--retry").CombinedOutput(); err != nil {
		t.Fatalf("retry: %v\n%s", err, retry)
	}
	bb.assertExactlyOnce(t, data, 0)
}

// mountTmpfs mounts a tmpfs of size at dir until the test ends, or skips
// the test where that cannot be done (not root, no mount).
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
}

// TestSendOutOfSpace: a data directory on a file system too small for the
// batch: nothing is sent, the error names the letters, and the same
// command sends them all once there is room. Needs root (mount).
func TestSendOutOfSpace(t *testing.T) {
	mnt := t.TempDir()
	mountTmpfs(t, mnt, "256k")
	const n = 10
	bb := newBenchBatch(t, n)
	bin := eraseBin(t)
	data := filepath.Join(mnt, "data")
	out, err := bb.command(bin, data, bb.args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailed {
		t.Fatalf("exit %v, want 1:\n%s", err, out)
	}
	for _, want := range []string{"nothing was sent", "no space left on device", "hint: not sent: ERASE-", "and 2 more", "free some space"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := len(bb.srv.Messages()); got != 0 {
		t.Fatalf("%d sent into a full disk", got)
	}
	if left := outboxFiles(data); len(left) != 0 {
		t.Errorf("left in the outbox: %v", left)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=16m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	if out, err := bb.command(bin, data, bb.args...).CombinedOutput(); err != nil {
		t.Fatalf("with room: %v\n%s", err, out)
	}
	bb.assertExactlyOnce(t, data, 0)
}

// TestSendUnrecordable: the ledger's file system is full when the letters
// have gone: exit 1, each named as sent but not recorded; --retry, once
// there is room, records them without sending them again. Needs root
// (mount).
func TestSendUnrecordable(t *testing.T) {
	const n = 3
	bb := newBenchBatch(t, n)
	bin := eraseBin(t)
	data := bb.nextDataDir()
	ledgerDir := filepath.Join(data, "requests")
	if err := os.MkdirAll(ledgerDir, 0o700); err != nil {
		t.Fatal(err)
	}
	mountTmpfs(t, ledgerDir, "64k")
	filler := filepath.Join(ledgerDir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := f.Write(make([]byte, 4096)); err != nil {
			break // full
		}
	}
	f.Close()
	out, err := bb.command(bin, data, bb.args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailed {
		t.Fatalf("exit %v, want 1:\n%s", err, out)
	}
	if c := strings.Count(string(out), "but could not record it yet"); c != n {
		t.Errorf("%d letters said unrecorded, want %d:\n%s", c, n, out)
	}
	if !strings.Contains(string(out), "--retry records them without sending them again") {
		t.Errorf("no hint:\n%s", out)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	retry, err := bb.command(bin, data, "send", "--retry").CombinedOutput()
	if err != nil || strings.Count(string(retry), "recorded ERASE-") != n {
		t.Fatalf("retry: %v\n%s", err, retry)
	}
	bb.assertExactlyOnce(t, data, 0)
}
