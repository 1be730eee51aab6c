//go:build unix || windows

package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func openLock(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Two opens of one file stand for two processes: flock and LockFileEx
// both lock per open file, not per process.
func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	a, b := openLock(t, path), openLock(t, path)
	if ok, err := TryLock(a); !ok || err != nil {
		t.Fatalf("TryLock(a) = %v, %v", ok, err)
	}
	if ok, err := TryLock(b); ok || err != nil {
		t.Fatalf("TryLock(b) while a holds it = %v, %v; want false, nil", ok, err)
	}
	Unlock(a)
	if ok, err := TryLock(b); !ok || err != nil {
		t.Fatalf("TryLock(b) after Unlock(a) = %v, %v", ok, err)
	}
	Unlock(b)
}

func TestLockWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	a, b := openLock(t, path), openLock(t, path)
	if err := Lock(a); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() { got <- Lock(b) }()
	select {
	case err := <-got:
		t.Fatalf("Lock(b) returned %v while a holds the lock", err)
	case <-time.After(50 * time.Millisecond):
	}
	Unlock(a)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Lock(b) still waiting after Unlock(a)")
	}
	Unlock(b)
}
