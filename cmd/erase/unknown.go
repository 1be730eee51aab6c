package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/nearest"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/requests"
	"github.com/erase-cli/erase/templates"
)

// contactError words a contact the directory cannot give for --contact.
func contactError(err error) error {
	var ce *companies.ContactError
	if !errors.As(err, &ce) {
		return err
	}
	b := badinput.Errorf("--contact %v", err)
	if ce.NoGroup {
		b = badinput.Errorf("--contact %s: %v", ce.Contact, err).Hint("leave out --contact to write to %s's privacy contact", ce.Company)
	}
	return b
}

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
	var ob *companies.ObsoleteError
	if errors.As(err, &ob) {
		msg := ob.Error()
		if flag != "" {
			msg = fmt.Sprintf("%s %s: %s is no longer in the directory: %s", flag, ob.Record.ID, ob.Record.Name, ob.Record.Why())
		}
		b := badinput.Errorf("%s", msg)
		if c := ob.Current; c != nil {
			b.Hint("its record now is %s (%s): erase companies show %s", c.Name, c.ID, c.ID)
		}
		return b.Hint("the dataset's sources say why: %s", strings.Join(ob.Record.Sources, " "))
	}
	var u *companies.UnknownError
	if !errors.As(err, &u) {
		return err
	}
	hints := []string{"erase companies list shows the directory"}
	if flag != "" {
		hints = append(hints, "or write to anyone with --to-name and --to-email")
	}
	return wordUnknown(flag, u, orList(u.Nearby), hints...)
}

// orList is "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
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

// kindError words what the domain says of a kind, a detail or a language
// as bad input naming the flag.
func kindError(err error, kind string) error {
	var (
		unknown *templates.UnknownKindError
		syntax  *requests.DetailSyntaxError
		ng      *jurisdictions.NotGrantedError
		det     *letters.DetailError
		missing *letters.MissingWordsError
		nf      *templates.NotFoundError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &unknown):
		b := badinput.Errorf("--kind %v", err)
		if near := nearest.Word(kind, unknown.Have); near != "" {
			b.Hint("did you mean %s?", near)
		}
		return b.Hint("a kind is files: templates/kinds.yaml, its templates and each law's requests.KIND (see the README)")
	case errors.As(err, &syntax):
		return badinput.Errorf("--detail %v", err).Hint("e.g. --detail 'correction=my surname is Łukasiewicz, not Lukasiewicz'")
	case errors.As(err, &ng):
		return badinput.Errorf("--kind %s: %v", ng.Kind, err).
			Hint("erase laws show %s lists what it grants, with the provisions and deadlines", ng.Regime)
	case errors.As(err, &det):
		b := badinput.Errorf("--detail %s: %s", det.Detail, det.Msg)
		if det.Missing {
			b = badinput.Errorf("%s: pass --detail %s=TEXT", det.Msg, det.Detail).Hint("%s", det.Help)
		}
		return b
	case errors.As(err, &missing):
		return badinput.Errorf("--lang %s: %v", missing.Lang, err).
			Hint("%s in the templates directory of your config directory adds them, in the shape of the regime's file", missing.File).
			Hint("or leave out --lang for a letter in a language erase has for this law")
	case errors.As(err, &nf):
		return badinput.Errorf("--lang %s: %v", nf.Lang, err).
			Hint("LANG/words.yaml and LANG/KIND.tmpl in the templates directory of your config directory add a language")
	}
	return err
}

// placeError words a place the law cannot be picked for, naming the flags.
func placeError(pe *jurisdictions.PlaceError) *badinput.Error {
	msg, hints := pe.Words(map[string]string{"country": "--country", "region": "--region", "law": "--law"})
	b := badinput.Errorf("%s", msg)
	for _, h := range hints {
		b.Hint("%s", h)
	}
	return b
}
