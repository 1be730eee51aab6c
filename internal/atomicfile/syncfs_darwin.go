//go:build darwin

package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS: no syncfs(2) on macOS; SyncFiles syncs each file.
func syncFS(string) (bool, error) { return false, nil }

// syncFile hands one file to the drive with a plain fsync(2); os.File.Sync
// would ask the drive to empty its cache (F_FULLFSYNC) for every file.
// syncFilesDone does that once for the lot.
func syncFile(f *os.File) error { return unix.Fsync(int(f.Fd())) }

// syncFilesDone asks the drive to write its cache out (F_FULLFSYNC on one
// of the files), which makes every file synced before it durable.
func syncFilesDone(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = unix.FcntlInt(f.Fd(), unix.F_FULLFSYNC, 0)
	return err
}
