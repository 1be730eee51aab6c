//go:build !unix && !windows

package atomicfile

import "os"

// Lock has no file locking to use on this system: it always succeeds at
// once, so concurrent read-modify-writes from several processes may lose
// one.
func Lock(f *os.File) error { return nil }

// TryLock has no file locking to use on this system: it always succeeds,
// so two processes may both believe they hold the lock.
func TryLock(f *os.File) (ok bool, err error) { return true, nil }

// Unlock does nothing on this system.
func Unlock(f *os.File) {}
