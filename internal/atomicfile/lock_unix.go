//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// Lock waits for an exclusive advisory lock (flock(2)) on f, to serialize
// a read-modify-write across processes. The kernel drops the lock when the
// process dies, so a crash never leaves it held.
func Lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

// TryLock takes an exclusive advisory lock on f without waiting; ok is
// false when another process (or another open of the file) holds it. The
// kernel drops the lock when the process dies, so a crash never leaves it
// held.
func TryLock(f *os.File) (ok bool, err error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// Unlock releases a lock taken by Lock or TryLock.
func Unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
