//go:build !linux && !darwin

package atomicfile

import "os"

// syncFS: no syncfs(2) here; SyncFiles syncs each file.
func syncFS(string) (bool, error) { return false, nil }

// syncFile makes one file durable (fallback of SyncFiles).
func syncFile(f *os.File) error { return f.Sync() }

// syncFilesDone is the fallback's last step; nothing here.
func syncFilesDone(string) error { return nil }
