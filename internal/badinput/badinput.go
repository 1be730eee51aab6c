// Package badinput is the error for input a user can fix: a flag, a field
// of a profile, a data file. Such an error names what is wrong and how to fix
// it, may carry hints, and makes erase exit with status 2.
package badinput

import (
	"errors"
	"fmt"
)

// Error is bad input. Its message is lower case with no final period, in
// the tool's voice; Hints are printed on their own "erase: hint:" lines.
type Error struct {
	Msg   string
	Hints []string
}

func (e *Error) Error() string { return e.Msg }

// Errorf formats a bad-input error.
func Errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Hint adds a hint line and returns the error, for chaining.
func (e *Error) Hint(format string, args ...any) *Error {
	e.Hints = append(e.Hints, fmt.Sprintf(format, args...))
	return e
}

// As reports whether err is, or wraps, bad input.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
