package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
)

// Where output goes. A path the user names is theirs: erase writes what
// they asked, where they asked, and creates no directory they did not ask
// for (a mistyped directory would otherwise hide the letters somewhere
// new). So:
//
//   - a regular file, or a new one, is replaced atomically, 0600;
//   - a FIFO or a device (-o /dev/null, -o /dev/stdout in a pipeline) is
//     opened and written, never replaced, once the output is whole;
//   - a socket cannot be opened: an error;
//   - the file's directory must exist;
//   - -o DIR/ creates DIR (0700) when its parent exists, as mkdir would,
//     since a new folder for a batch is what one usually wants; never a
//     whole tree.

// checkOutput fails early, before anything is composed, if output cannot
// be written: its directory (for a file) or its parent (for -o DIR/) is
// missing or not a directory.
func checkOutput(flag, output string, toDir bool) error {
	if output == "" || output == "-" {
		return nil
	}
	if toDir {
		dir := filepath.Clean(output)
		if fi, err := os.Stat(dir); err == nil {
			if !fi.IsDir() {
				return notADirectory(flag, output, dir)
			}
			return nil
		}
		return checkDir(flag, output, filepath.Dir(dir))
	}
	if fi, err := os.Stat(output); err == nil && !fi.Mode().IsRegular() {
		return nil // a device, a FIFO: its directory exists
	}
	return checkDir(flag, output, filepath.Dir(output))
}

// checkDir fails unless dir, where output goes, is a directory.
func checkDir(flag, output, dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return badinput.Errorf("%s %s: directory %s does not exist", flag, output, dir).
			Hint("create it first: mkdir -p %s", shellArg(dir))
	case errors.Is(err, syscall.ENOTDIR) || err == nil && !fi.IsDir():
		return notADirectory(flag, output, nearestFile(dir))
	case err != nil:
		return outputError(flag, output, err)
	}
	return nil
}

// shellArg quotes s for a hint's command line, if it needs it.
func shellArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@%,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func notADirectory(flag, output, file string) error {
	return badinput.Errorf("%s %s: %s is not a directory", flag, output, file).
		Hint("pass %s a path in an existing directory, or %s - for stdout", flag, flag)
}

// nearestFile returns the first ancestor of dir (or dir) that exists: the
// file that stands where a directory should be.
func nearestFile(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			return d
		}
	}
}

// makeOutputDir makes the directory of -o DIR/, if its parent exists.
func makeOutputDir(flag, output string) error {
	if err := checkOutput(flag, output, true); err != nil {
		return err
	}
	err := os.Mkdir(output, 0o700)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return checkOutput(flag, output, true) // it may be a file by now
	}
	return outputError(flag, output, err)
}

// writeFile writes data, rendered whole, to the file named by flag. A
// PDF (binary) is never written to a terminal.
func writeFile(flag, path string, data []byte, binary bool) error {
	fi, err := os.Stat(path) // through a link: -o /dev/stdout
	if err == nil && fi.IsDir() {
		return badinput.Errorf("%s %s is a directory: name a file in it", flag, path)
	}
	if err == nil && !fi.Mode().IsRegular() {
		done, err := writeSpecial(flag, path, fi, data, binary)
		if done || err != nil {
			return err
		}
	}
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Replace the file the link names, and keep the link.
		if resolved, err := filepath.EvalSymlinks(path); err == nil {
			target = resolved
		}
	}
	if err := checkOutput(flag, target, false); err != nil {
		return err
	}
	return outputError(flag, path, atomicfile.Replace(target, data))
}

// outputError names the flag and path in err. A path that cannot be
// opened or created is the user's to fix (exit 2); a failed write (a full
// disk, a reader gone) is not.
func outputError(flag, path string, err error) error {
	var pe *fs.PathError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && (pe.Op == "open" || pe.Op == "stat" || pe.Op == "mkdir"):
		return badinput.Errorf("%s %s: %v", flag, path, pe.Err)
	}
	return fmt.Errorf("%s %s: %v", flag, path, unwrapPathError(err))
}

// writeSpecial writes data into a FIFO or a device. It reports false,
// having written nothing, if path turns out to be a regular file once
// opened (it was replaced meanwhile): that one is replaced atomically.
func writeSpecial(flag, path string, fi fs.FileInfo, data []byte, binary bool) (bool, error) {
	if fi.Mode()&fs.ModeSocket != 0 {
		return false, badinput.Errorf("%s %s is a socket, which erase cannot open", flag, path).
			Hint("pipe the output to it instead: ... -o - | socat - UNIX-CONNECT:%s", shellArg(path))
	}
	// No O_CREATE, no O_TRUNC: write into what is there. A FIFO's open
	// waits for a reader, as a shell's > does.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false, outputError(flag, path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		return false, nil
	}
	if binary && isTerminal(f) {
		return false, badinput.Errorf("%s %s is a terminal and a PDF is binary: pass %s FILE.pdf", flag, path, flag)
	}
	if _, err := f.Write(data); err != nil {
		return false, outputError(flag, path, err)
	}
	return true, outputError(flag, path, f.Close())
}
