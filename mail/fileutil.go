package mail

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/erase-cli/erase/internal/atomicfile"
)

// The outbox holds personal data: directories 0700, files 0600, every
// file written whole (temporary file in the same directory, fsync, then
// rename or link). A batch of files is written first and synced together
// (atomicfile.SyncFiles): one syncfs(2) on Linux instead of one journal
// commit per file.

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// writeNew creates path (which must not exist) with data, not synced. A
// crash may leave it partly written: only for files that nothing reads
// before a synced file names them (an entry's .eml).
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// writeFileAtomic replaces path with data: readers see the old file or
// the new one, whole. With durable, the directory is synced too, so the
// new name survives a power loss; without, a power loss may bring back the
// old version (never a torn one).
func writeFileAtomic(path string, data []byte, durable bool) error {
	dir := filepath.Dir(path)
	tmp, err := atomicfile.WriteTemp(dir, "."+filepath.Base(path)+".*.tmp", data, true)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if durable {
		atomicfile.SyncDir(dir)
	}
	return nil
}
