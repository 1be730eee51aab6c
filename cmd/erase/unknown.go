package main

import (
	"errors"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
)

// unknownLaw words a regime id the data does not have, for where it was
// typed: a flag ("--law") or an argument (what, e.g. "erase laws show").
func unknownLaw(err error, flag string) error {
	var u *jurisdictions.UnknownError
	if !errors.As(err, &u) {
		return err
	}
	b := badinput.Errorf("%s %q is not a known regime", flag, u.ID)
	if flag == "" {
		b = badinput.Errorf("%q is not a known regime", u.ID)
	}
	if u.Near != "" {
		b = b.Hint("did you mean %s?", u.Near)
	}
	return b.Hint("erase laws list shows every regime")
}

// unknownCompany words a company id the directory does not have, for
// where it was typed (flag "--company", or "" for an argument).
func unknownCompany(err error, flag string) error {
	var u *companies.UnknownError
	if !errors.As(err, &u) {
		return err
	}
	b := badinput.Errorf("%s %q is not in the directory", flag, u.ID)
	if flag == "" {
		b = badinput.Errorf("%q is not in the directory", u.ID)
	}
	if u.Near != "" {
		b = b.Hint("did you mean %s?", u.Near)
	}
	b = b.Hint("erase companies list shows the directory")
	if flag != "" {
		b = b.Hint("or write to anyone with --to-name and --to-email")
	}
	return b
}
