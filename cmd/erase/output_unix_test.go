//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -o onto a named pipe writes the letter into the pipe, for its reader,
// and leaves the pipe a pipe.
func TestOutputFIFO(t *testing.T) {
	outputEnv(t)
	want := wantLetter(t)
	fifo := filepath.Join(t.TempDir(), "letter.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	type result struct {
		data []byte
		err  error
	}
	read := make(chan result, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until erase opens it to write
		if err != nil {
			read <- result{err: err}
			return
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		read <- result{data, err}
	}()
	code, stdout, stderr := eraseLetter(t, fifo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q", stdout)
	}
	select {
	case r := <-read:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if string(r.data) != want {
			t.Errorf("the reader got %d bytes, want the letter's %d", len(r.data), len(want))
		}
	case <-time.After(10 * time.Second):
		t.Error("the reader of the FIFO got nothing")
	}
	wantMode(t, fifo, os.ModeNamedPipe)
	wantNames(t, filepath.Dir(fifo), "letter.fifo")
}

// -o /dev/null writes into the device and leaves it a device. As root the
// test uses its own copy of /dev/null (mknod), so that a regression cannot
// replace the real one.
func TestOutputCharDevice(t *testing.T) {
	outputEnv(t)
	dev := "/dev/null"
	if os.Geteuid() == 0 {
		dev = filepath.Join(t.TempDir(), "null")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(devNullRdev(t))); err != nil {
			t.Skipf("mknod: %v", err)
		}
	}
	for _, format := range []string{"text", "pdf"} {
		code, stdout, stderr := eraseLetter(t, dev, "--format", format)
		// A PDF to post warns that AliExpress's address is inferred and
		// that the letter has no return address: warnings only.
		warningsOnly := true
		for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			warningsOnly = warningsOnly && (line == "" || strings.HasPrefix(line, "erase: warning: "))
		}
		if code != 0 || stdout != "" || !warningsOnly {
			t.Fatalf("--format %s -o %s: exit %d, stdout %q, stderr %q", format, dev, code, stdout, stderr)
		}
		wantMode(t, dev, os.ModeDevice|os.ModeCharDevice)
	}
	if dev != "/dev/null" {
		wantNames(t, filepath.Dir(dev), "null")
	}
}

// A socket cannot be opened: a clear error, and the socket stays.
func TestOutputSocket(t *testing.T) {
	outputEnv(t)
	dir, err := os.MkdirTemp("/tmp", "erase-sock") // a socket's path is short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	defer syscall.Close(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: sock}); err != nil {
		t.Skip(err)
	}
	code, _, stderr := eraseLetter(t, sock)
	if code != exitBadInput || !strings.HasPrefix(stderr, "erase: -o "+sock+" is a socket") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	wantMode(t, sock, os.ModeSocket)
}

func devNullRdev(t *testing.T) uint64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat("/dev/null", &st); err != nil {
		t.Skip(err)
	}
	return uint64(st.Rdev)
}

// wantMode checks the type bits of path's mode, without following a link.
func wantMode(t *testing.T, path string, typ os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Type(); got != typ {
		t.Errorf("%s is now %v, want %v", path, got, typ)
	}
}

// -o through a symbolic link writes the file it names and keeps the link
// (so that -o /dev/stdout, a link, can never be replaced either).
func TestOutputSymlink(t *testing.T) {
	outputEnv(t)
	want := wantLetter(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "real.txt")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("real.txt", link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := eraseLetter(t, link); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	wantMode(t, link, os.ModeSymlink)
	if got, _ := os.ReadFile(target); string(got) != want {
		t.Errorf("%s holds %q, want the letter", target, got)
	}
	wantNames(t, dir, "link.txt", "real.txt")

	// A link to a device: written through, both stay.
	if os.Geteuid() != 0 {
		devLink := filepath.Join(dir, "null")
		if err := os.Symlink("/dev/null", devLink); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := eraseLetter(t, devLink); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantMode(t, devLink, os.ModeSymlink)
	}
}
