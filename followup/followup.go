// Package followup says what to do next about each request in the
// ledger, and turns a ledger record into the letters.Original a reminder
// or a complaint is written from.
//
// The steps follow the law's order: wait until the period ends; then
// remind the company, in the same thread, asking for an answer within a
// short time; when that passes too, or when the company refused or
// answered only in part, complain to the authority.
package followup

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
)

// Action is what a step asks of the person.
type Action string

// Actions.
const (
	Wait     Action = "wait"     // the company's time has not run out
	Remind   Action = "remind"   // the period passed without an answer
	Complain Action = "complain" // the reminder went unanswered, or the company refused
	Done     Action = ""         // answered, completed, or with the authority
)

// DueSoon is how close a due date is when the status marks it.
const DueSoon = 7 * 24 * time.Hour

// Step is the next step for one request.
type Step struct {
	Reference string
	Action    Action
	// Command is the command that takes the step, to paste; "" for Wait
	// and Done.
	Command string
	// Why says why, in a few words: "due in 3 days", "overdue since
	// 2026-12-28, no reminder yet".
	Why string
	// Until is when a Wait ends (the due date, or the reply date a
	// reminder asked for); zero otherwise.
	Until time.Time
	// DaysLeft is the number of days until the due date (negative when
	// overdue); meaningful only where the request has a date.
	DaysLeft int
	HasDate  bool
}

// Next is the next step for rec, among all the ledger's records (which
// hold its reminders), at now.
func Next(rec ledger.Record, all []ledger.Record, now time.Time) Step {
	s := Step{Reference: rec.Reference}
	if rec.About != "" {
		return s // a follow-up: the step belongs to the request it is about
	}
	for _, r := range all {
		if r.About == rec.Reference && r.Kind == "complaint" {
			return s // with the authority
		}
	}
	switch rec.Status {
	case ledger.StatusAnswered, ledger.StatusCompleted, ledger.StatusComplained:
		return s
	case ledger.StatusRefused, ledger.StatusPartial:
		s.Action, s.Command = Complain, complain(rec.Reference)
		s.Why = fmt.Sprintf("%s: the authority can order it to comply", map[ledger.Status]string{
			ledger.StatusRefused: "the company refused", ledger.StatusPartial: "the company answered only in part"}[rec.Status])
		return s
	}
	today := day(now)
	due := rec.ReplyBy() // the legal due date, else the date the letter asked for
	if due.IsZero() {
		s.Action, s.Why = Wait, "the law sets no period and the letter asked for none"
		return s
	}
	s.HasDate = true
	s.DaysLeft = int(day(due).Sub(today).Hours() / 24)
	if !today.After(day(due)) {
		s.Action, s.Until = Wait, day(due)
		s.Why = fmt.Sprintf("due in %d days", s.DaysLeft)
		if s.DaysLeft == 0 {
			s.Why = "due today"
		}
		return s
	}
	rems := Reminders(rec.Reference, all)
	if len(rems) == 0 {
		s.Action, s.Command = Remind, remind(rec.Reference)
		s.Why = fmt.Sprintf("overdue since %s, no reminder yet", due.Format(time.DateOnly))
		return s
	}
	last := rems[len(rems)-1]
	if !last.Requested.IsZero() && !today.After(day(last.Requested)) {
		s.Action, s.Until = Wait, day(last.Requested)
		s.Why = fmt.Sprintf("overdue; reminded on %s, which asked for an answer by %s",
			last.Sent.Format(time.DateOnly), last.Requested.Format(time.DateOnly))
		return s
	}
	s.Action, s.Command = Complain, complain(rec.Reference)
	s.Why = fmt.Sprintf("overdue since %s; reminded on %s without an answer", due.Format(time.DateOnly), last.Sent.Format(time.DateOnly))
	return s
}

func remind(ref string) string   { return "erase send --kind reminder --request " + ref }
func complain(ref string) string { return "erase letter --kind complaint --request " + ref }

// Reminders are the reminders sent about ref, oldest first.
func Reminders(ref string, all []ledger.Record) []ledger.Record {
	var out []ledger.Record
	for _, r := range all {
		if r.About == ref && r.Kind == "reminder" {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sent.Before(out[j].Sent) })
	return out
}

// Original is the request rec as a follow-up letter states it, with the
// reminders sent about it.
func Original(rec ledger.Record, all []ledger.Record) *letters.Original {
	o := &letters.Original{
		Reference: rec.Reference, Kind: rec.Kind, Contact: rec.Contact, MessageID: rec.MessageID,
		Sent: rec.Sent, Due: rec.Due, Extended: rec.Status == ledger.StatusExtended, Status: string(rec.Status),
	}
	if o.Due.IsZero() {
		o.Requested = rec.Requested // asked for, not a legal period
	}
	for _, m := range rec.History {
		if m.Status == ledger.StatusExtended {
			o.Extended = true
		}
	}
	if n := len(rec.History); n > 0 && rec.History[n-1].Status == rec.Status {
		o.Note = rec.History[n-1].Note
	}
	for _, r := range Reminders(rec.Reference, all) {
		o.Reminders = append(o.Reminders, r.Sent)
	}
	return o
}

// NotDueError refuses a follow-up that does not fit the request's state:
// a reminder before the request is overdue or while an earlier reminder's
// reply date runs, a complaint about a request that is answered or not
// yet overdue, either about a follow-up; --force writes it anyway.
type NotDueError struct {
	Reference string
	Why       string
}

func (e *NotDueError) Error() string { return fmt.Sprintf("request %s %s", e.Reference, e.Why) }

// CheckReminder refuses a reminder that is not due (a *NotDueError): a
// reminder goes about an open request whose reply date has passed, once
// the reply date of any earlier reminder has passed too, or about one the
// company answered only in part. It is checked at the letter's date.
func CheckReminder(rec ledger.Record, all []ledger.Record, at time.Time) error {
	bad := func(why string) error { return &NotDueError{Reference: rec.Reference, Why: why} }
	if err := checkFollowUp(rec, bad); err != nil {
		return err
	}
	switch rec.Status {
	case ledger.StatusRefused:
		return bad("was refused: the next step is a complaint (" + complain(rec.Reference) + ")")
	case ledger.StatusPartial:
		return nil
	}
	st := Next(rec, all, at)
	switch {
	case st.Action == Wait && !st.HasDate:
		return bad("has no date to be overdue by: " + st.Why)
	case st.Action == Wait && st.DaysLeft >= 0:
		return bad(fmt.Sprintf("is not overdue: the company has until %s", st.Until.Format(time.DateOnly)))
	case st.Action == Wait:
		return bad(fmt.Sprintf("was reminded already: %s", strings.TrimPrefix(st.Why, "overdue; ")))
	}
	return nil
}

// CheckComplaint refuses a complaint the request's state does not bear
// out (a *NotDueError): about a request that is answered or completed, or
// open and not yet overdue. Refused, answered in part, or overdue: a
// complaint states what happened.
func CheckComplaint(rec ledger.Record, all []ledger.Record, at time.Time) error {
	bad := func(why string) error { return &NotDueError{Reference: rec.Reference, Why: why} }
	if err := checkFollowUp(rec, bad); err != nil {
		return err
	}
	if rec.Status == ledger.StatusRefused || rec.Status == ledger.StatusPartial {
		return nil
	}
	st := Next(rec, all, at)
	switch {
	case !st.HasDate:
		return bad("has no date to be overdue by, and the company has not refused it: mark what it did first (erase status mark " + rec.Reference + " refused|partial)")
	case st.DaysLeft >= 0:
		return bad(fmt.Sprintf("is not overdue: the company has until %s", day(rec.ReplyBy()).Format(time.DateOnly)))
	}
	return nil
}

func checkFollowUp(rec ledger.Record, bad func(string) error) error {
	switch rec.Status {
	case ledger.StatusAnswered, ledger.StatusCompleted:
		return bad(fmt.Sprintf("is %s: there is nothing to follow up", rec.Status))
	case ledger.StatusComplained:
		return bad("is with the authority: you complained about it")
	}
	if rec.About != "" {
		return bad(fmt.Sprintf("is itself a %s about %s: follow up %s instead", rec.Kind, rec.About, rec.About))
	}
	return nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
