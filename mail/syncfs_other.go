//go:build !linux && !darwin

package mail

import "os"

func syncFS(string) (bool, error) { return false, nil }

func syncFile(f *os.File) error { return f.Sync() }

func syncFilesDone(string) error { return nil }
