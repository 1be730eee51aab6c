package mail

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// The outbox holds personal data: directories 0700, files 0600, every
// file written whole (temporary file in the same directory, fsync, then
// rename or link). A batch of files is written first and synced together
// (syncFiles): one syncfs(2) on Linux instead of one journal commit per
// file.

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// writeTemp writes data to a new temporary file in dir, synced, and
// returns its path.
func writeTemp(dir, pattern string, data []byte) (string, error) {
	return writeTempSync(dir, pattern, data, true)
}

// writeTempSync is writeTemp; without sync the file is not synced (the
// caller syncs a batch with syncFiles).
func writeTempSync(dir, pattern string, data []byte, sync bool) (string, error) {
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
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			os.Remove(name)
			return "", err
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
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

// syncWorkers is how many files the fallback of syncFiles syncs at once,
// so that the file system can commit them together.
const syncWorkers = 16

// syncFSMin is the fewest files syncFiles syncs with one syncfs(2), which
// also writes out whatever else is pending on the file system: a few
// files are synced one by one.
const syncFSMin = 8

// syncFiles makes the files at paths, all in dir and just written, durable
// (their data and metadata, not their names: see syncDir). On Linux
// file systems where syncfs(2) is known to cover every file, one syncfs
// does it for a batch; elsewhere, or for a few files, each file is
// synced, several at once.
func syncFiles(dir string, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	if len(paths) >= syncFSMin {
		if ok, err := syncFS(dir); ok {
			return err
		}
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	next := make(chan string)
	for range min(syncWorkers, len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				err := syncPath(p)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return syncFilesDone(paths[len(paths)-1])
}

func syncPath(path string) error {
	// Read-write: Windows flushes only a handle opened for writing.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = syncFile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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

// syncDir makes a rename or link durable; not possible on every system.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
