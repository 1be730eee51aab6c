package atomicfile

import (
	"os"
	"sync"
)

// syncWorkers is how many files the fallback of SyncFiles syncs at once,
// so that the file system can commit them together.
const syncWorkers = 16

// syncFSMin is the fewest files SyncFiles syncs with one syncfs(2), which
// also writes out whatever else is pending on the file system: a few
// files are synced one by one.
const syncFSMin = 8

// SyncFiles makes the files at paths, all in dir and just written (by
// WriteTemp without sync), durable: their data and metadata, not their
// names (SyncDir does that, once, after renaming or linking them). It is
// one sync for a batch where one fsync per file would cost one journal
// commit each: on Linux file systems where syncfs(2) is known to cover
// every file, one syncfs; elsewhere, or for a few files, each file is
// synced, several at once, and on macOS the drive's cache is flushed once
// at the end (F_FULLFSYNC). It returns the first error.
func SyncFiles(dir string, paths []string) error {
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
