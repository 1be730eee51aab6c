//go:build !unix && !windows

package ledger

import "os"

// lockFile: no file locking on this system; concurrent Marks of one record
// from several processes may lose one.
func lockFile(f *os.File) error { return nil }

func unlockFile(f *os.File) {}
