package mail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// The outbox holds personal data: directories 0700, files 0600, every
// file written whole (temporary file in the same directory, fsync, then
// rename or link).

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// writeTemp writes data to a new temporary file in dir, synced, and
// returns its path.
func writeTemp(dir, pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// writeFileAtomic replaces path with data: readers see the old file or
// the new one, whole. With durable, the directory is synced too, so the
// new name survives a power loss; without, a power loss may bring back the
// old version (never a torn one).
func writeFileAtomic(path string, data []byte, durable bool) error {
	dir := filepath.Dir(path)
	tmp, err := writeTemp(dir, "."+filepath.Base(path)+".*.tmp", data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if durable {
		syncDir(dir)
	}
	return nil
}

// createFileAtomic creates path with data, failing with fs.ErrExist when
// it exists: the file appears whole or not at all, and of several
// processes creating it at once exactly one succeeds.
func createFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := writeTemp(dir, "."+filepath.Base(path)+".*.tmp", data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return os.ErrExist
		}
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename or link durable; not possible on every system.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
