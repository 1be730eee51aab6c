package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Records hold personal data: directories 0700, files 0600, each written
// whole: a temporary file in the same directory, fsync, then rename (to
// replace: internal/atomicfile) or link (to create, failing if the name
// exists: createFile here), then an fsync of the directory. AddAll writes a
// batch of temporary files and syncs them together (syncFiles).

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
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			return fail(err)
		}
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// createFile atomically creates path with data; os.ErrExist if it exists.
// Of several processes creating the same name at once, one succeeds.
func createFile(path string, data []byte) error {
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

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// syncWorkers is how many files the fallback of syncFiles syncs at once,
// so that the file system can commit them together.
const syncWorkers = 16

// syncFSMin is the fewest files syncFiles syncs with one syncfs(2), which
// also writes out whatever else is pending on the file system: a few
// files are synced one by one.
const syncFSMin = 8

// syncFiles makes the files at paths, all in dir and just written, durable
// (not their names: see syncDir). On Linux file systems where syncfs(2) is
// known to cover every file, one syncfs does it for a batch; elsewhere, or
// for a few files, each file is synced, several at once.
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
				if err := syncPath(p); err != nil {
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
