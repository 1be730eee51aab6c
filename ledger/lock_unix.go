//go:build unix

package ledger

import (
	"os"
	"syscall"
)

// lockFile waits for an exclusive advisory lock on f. The kernel drops it
// when the process dies.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
