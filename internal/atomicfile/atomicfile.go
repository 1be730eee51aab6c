// Package atomicfile writes files holding personal data the safe way: a
// temporary file in the same directory, 0600, synced, then renamed over the
// target (or linked, to create only if absent), then the directory synced.
// A failure leaves no partial file, and a crash leaves the old file or the
// new one, never a torn one. Write and WriteFunc create a missing directory
// 0700 (erase's own directories); Replace and Create need it to exist (a
// path the user typed, where a mistyped directory is an error).
//
// It also has the pieces for writing many files with one sync (WriteTemp
// without sync, then SyncFiles, then one SyncDir) and advisory file locks
// (Lock, TryLock, Unlock) for read-modify-write across processes.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Write writes data to path atomically, creating its directory (0700) if
// need be.
func Write(path string, data []byte) error {
	return WriteFunc(path, writeData(data))
}

// WriteFunc writes what fill produces to path atomically, creating its
// directory (0700) if need be. If fill fails, nothing is left behind and
// the target is untouched.
func WriteFunc(path string, fill func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return replace(path, fill)
}

// Replace writes data to path atomically, as Write does, but in a
// directory that must exist: it never creates one.
func Replace(path string, data []byte) error {
	return replace(path, writeData(data))
}

func writeData(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

func replace(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	SyncDir(dir)
	return nil
}

// WriteTemp writes data to a new file in dir, named by pattern as in
// os.CreateTemp, mode 0600 (personal data: owner only), and returns its
// path; the caller renames or links it into place, so that readers never
// see a partial file. With sync the file is synced before it is closed,
// so that the rename or link that follows can only expose whole data
// after a crash. Without sync the caller must sync it (SyncFiles, for a
// batch: one sync instead of one per file) before renaming or linking it.
// On failure no file is left behind.
func WriteTemp(dir, pattern string, data []byte, sync bool) (string, error) {
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
	// Windows has no owner-only mode bits; the file inherits the ACL of
	// its directory.
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

// Create writes data to path, which must not exist: the data is written
// and synced under a temporary name, then hard-linked to path, and the
// directory synced. A link never replaces a file, so of several processes
// creating the same name at once exactly one succeeds, and none (nor a
// reader, nor a crash) ever sees a partial file. If path exists, the error
// wraps fs.ErrExist and the file is untouched. The directory must exist.
func Create(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := WriteTemp(dir, "."+filepath.Base(path)+".*.tmp", data, true)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: %w", path, fs.ErrExist)
		}
		return err
	}
	SyncDir(dir)
	return nil
}

// SyncDir syncs the directory dir, which makes the renames, links and
// removals done in it durable: without it a power loss may bring back a
// file's old name (or none) even though its data was synced. Best effort:
// not every system can sync a directory (Windows cannot open one), and
// the files themselves are whole either way.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// SafeName reports whether s can name a file in a directory erase owns:
// 1 to max ASCII letters, digits and the characters in extra, starting with
// a letter or digit, so it can never be "..", hidden, or a path. (A loop,
// not a regexp: a counted repetition compiles to a large program at start-up.)
func SafeName(s string, max int, extra string) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || strings.IndexByte(extra, c) < 0) {
			return false
		}
	}
	return true
}
