package main

import (
	"errors"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
)

// unknownLaw words a regime id the data does not have, for where it was
// typed: a flag ("--law"), or "" for an argument (erase laws show ID).
func unknownLaw(err error, flag string) error {
	var u *jurisdictions.UnknownError
	if !errors.As(err, &u) {
		return err
	}
	return wordUnknown(flag, u, u.Near, "erase laws list shows every regime")
}

// unknownCompany words a company id the directory does not have, for
// where it was typed (flag "--company", or "" for an argument).
func unknownCompany(err error, flag string) error {
	var u *companies.UnknownError
	if !errors.As(err, &u) {
		return err
	}
	hints := []string{"erase companies list shows the directory"}
	if flag != "" {
		hints = append(hints, "or write to anyone with --to-name and --to-email")
	}
	return wordUnknown(flag, u, u.Near, hints...)
}

// wordUnknown is bad input for an unknown id: the domain's words, after
// the flag it was typed for, then what the typo most likely meant.
func wordUnknown(flag string, err error, near string, hints ...string) error {
	msg := err.Error()
	if flag != "" {
		msg = flag + " " + msg
	}
	b := badinput.Errorf("%s", msg)
	if near != "" {
		b = b.Hint("did you mean %s?", near)
	}
	for _, h := range hints {
		b = b.Hint("%s", h)
	}
	return b
}
