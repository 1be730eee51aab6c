//go:build linux

package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS makes everything written to the file system that holds dir
// durable with one syncfs(2), where that is known to write back and commit
// every file (ext4, XFS, Btrfs, F2FS, bcachefs; tmpfs has nothing to
// write). On other file systems (NFS, FUSE, ...) it does nothing and
// reports false: the caller syncs each file.
func syncFS(dir string) (bool, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false, nil
	}
	switch uint32(st.Type) {
	case unix.EXT4_SUPER_MAGIC, unix.XFS_SUPER_MAGIC, unix.BTRFS_SUPER_MAGIC,
		unix.F2FS_SUPER_MAGIC, unix.BCACHEFS_SUPER_MAGIC, unix.TMPFS_MAGIC:
	default:
		return false, nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return false, nil
	}
	defer d.Close()
	// Since Linux 5.8 syncfs reports write-back errors of the file system.
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		if err == unix.ENOSYS {
			return false, nil
		}
		return true, err
	}
	return true, nil
}

// syncFile makes one file durable (fallback of SyncFiles).
func syncFile(f *os.File) error { return f.Sync() }

// syncFilesDone is the fallback's last step; nothing on Linux.
func syncFilesDone(string) error { return nil }
