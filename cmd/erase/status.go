package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erase-cli/erase/followup"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
	"github.com/spf13/cobra"
)

func newStatusCmd(e *env) *cobra.Command {
	var next bool
	var ics string
	asJSON := jsonOptions{within: []string{"requests"}}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "The requests you sent: days left, and the next step to take",
		Long: `erase status lists every request erase delivered, overdue and due-soon
first, with the reminders and complaints about each, the next step as a
command to paste, and what waits in the outbox. --next prints only those
commands, one a line, for scripts and cron. --ics FILE writes a calendar
with an event, and an alarm the day before, on each open request's due
date.

--json prints {"requests": [...], "outbox": [...]}: each request as the
table shows it, and the letters in the outbox. --json=FIELDS picks the
fields of each request (the outbox is printed whole); --jq runs a jq
expression over it all.`,
		Example: `  erase status
  erase status --next                 # the next steps' commands
  erase status --json=reference,company,state,due
  erase status --jq '.requests[] | select(.state == "overdue") | .reference'
  erase status --ics ~/erase.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			led, err := e.ledger()
			if err != nil {
				return err
			}
			now := e.now()
			recs, err := led.List(now)
			if err != nil {
				return err
			}
			switch {
			case ics != "":
				return e.writeOutput("--ics", ics, "ics", func(w io.Writer) error { return ledger.WriteICS(w, recs, now) })
			case next:
				for _, r := range recs {
					if st := followup.Next(r, recs, now); st.Command != "" {
						fmt.Fprintln(e.stdout, st.Command)
					}
				}
				return nil
			case asJSON.on:
				return e.writeStatusJSON(cmd.Context(), &asJSON, recs, now)
			}
			if err := writeStatus(e.stdout, recs, now); err != nil {
				return err
			}
			return e.writeOutboxSummary()
		},
	}
	addJSONFlags(cmd, &asJSON, statusFields)
	cmd.Flags().BoolVar(&next, "next", false, "print the next step's command for each request that has one, one a line")
	cmd.Flags().StringVar(&ics, "ics", "", "write an iCalendar `FILE` (- for stdout) with the due dates")
	cmd.MarkFlagsMutuallyExclusive("json", "next", "ics")
	cmd.MarkFlagsMutuallyExclusive("jq", "next", "ics")
	cmd.AddCommand(newMarkCmd(e))
	return cmd
}

// statusFields are the fields of a request in erase status --json: the
// ledger record's, the dates and state it is written with, and what the
// table adds (writeStatusJSON).
var statusFields = fieldsOf(ledger.Record{}, "state", "due", "requested", "confirm_by", "days_left", "next")

func (e *env) writeStatusJSON(ctx context.Context, o *jsonOptions, recs []ledger.Record, now time.Time) error {
	out := struct {
		Requests []json.RawMessage `json:"requests"`
		Outbox   []map[string]any  `json:"outbox"`
	}{Requests: []json.RawMessage{}, Outbox: []map[string]any{}}
	for _, r := range recs {
		raw, err := r.JSONAt(now)
		if err != nil {
			return err
		}
		// The record's fields, then what the table adds.
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			return err
		}
		st := followup.Next(r, recs, now)
		if st.HasDate {
			fields["days_left"] = st.DaysLeft
		} else {
			fields["days_left"] = nil
		}
		if st.Action != followup.Done {
			n := map[string]any{"action": st.Action, "why": st.Why}
			if st.Command != "" {
				n["command"] = st.Command
			}
			if !st.Until.IsZero() {
				n["until"] = st.Until.Format(time.DateOnly)
			}
			fields["next"] = n
		}
		b, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		out.Requests = append(out.Requests, b)
	}
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	entries, err := ob.List()
	if err != nil {
		return err
	}
	for _, en := range entries {
		m := map[string]any{"id": en.ID, "reference": en.Reference, "state": string(en.State), "to": en.To}
		if en.Damaged {
			m["state"] = "damaged"
		}
		if en.LastError != "" {
			m["error"] = en.LastError
		}
		out.Outbox = append(out.Outbox, m)
	}
	return o.write(ctx, e.stdout, out)
}

func writeStatus(w io.Writer, recs []ledger.Record, now time.Time) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "no requests sent yet (erase send records them)")
		return err
	}
	// The table through a tabwriter, then each row's lines (follow-ups,
	// the confirmation date, the next step) under it, outside the columns.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tCOMPANY\tKIND\tLAW\tSENT\tDUE\tSTATE")
	extras := [][]string{nil}
	for _, r := range recs {
		if r.About != "" {
			continue // shown under the request it is about
		}
		st := followup.Next(r, recs, now)
		due := "-"
		switch {
		case !r.Due.IsZero():
			due = r.Due.Format(time.DateOnly)
		case !r.Requested.IsZero():
			due = "asked " + r.Requested.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Reference, r.Company, orErasure(r.Kind), r.Regime,
			r.Sent.Format(time.DateOnly), due, stateWords(r, st, now))
		var lines []string
		for _, f := range recs {
			if f.About == r.Reference {
				line := fmt.Sprintf("  %s %s sent %s", f.Kind, f.Reference, f.Sent.Format(time.DateOnly))
				if !f.Requested.IsZero() {
					line += ", asked for an answer by " + f.Requested.Format(time.DateOnly)
				}
				lines = append(lines, line)
			}
		}
		if !r.ConfirmBy.IsZero() && r.Open() && !dateOnly(now).After(dateOnly(r.ConfirmBy)) {
			lines = append(lines, "  receipt to be confirmed by "+r.ConfirmBy.Format(time.DateOnly))
		}
		if st.Command != "" {
			lines = append(lines, "  next: "+st.Command)
		}
		extras = append(extras, lines)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for i, row := range strings.SplitAfter(strings.TrimSuffix(table.String(), "\n"), "\n") {
		bw.WriteString(strings.TrimSuffix(row, "\n") + "\n")
		if i < len(extras) {
			for _, l := range extras[i] {
				bw.WriteString(l + "\n")
			}
		}
	}
	return bw.Flush()
}

func orErasure(kind string) string {
	if kind == "" {
		return jurisdictions.KindErasure
	}
	return kind
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// stateWords is the STATE column: the status, with the days left or over.
func stateWords(r ledger.Record, st followup.Step, now time.Time) string {
	status := r.StatusAt(now)
	if !r.Open() || !st.HasDate {
		return string(status)
	}
	switch {
	case st.DaysLeft < 0 && st.DaysLeft == -1:
		return "overdue by 1 day"
	case st.DaysLeft < 0:
		return fmt.Sprintf("overdue by %d days", -st.DaysLeft)
	case st.DaysLeft == 0:
		return "due today"
	case time.Duration(st.DaysLeft)*24*time.Hour <= followup.DueSoon:
		return fmt.Sprintf("due soon: %d days left", st.DaysLeft)
	}
	return fmt.Sprintf("%s, %d days left", status, st.DaysLeft)
}

func (e *env) writeOutboxSummary() error {
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	entries, err := ob.List()
	if err != nil || len(entries) == 0 {
		return err
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintln(e.stdout, "Outbox:")
	for _, en := range entries {
		what := "waiting: erase send --retry"
		switch {
		case en.Damaged:
			what = "unreadable: erase outbox drop --force " + en.ID
		case en.State == mail.StateFailed:
			what = "refused: " + strings.TrimPrefix(en.LastError, "refused: ")
		case en.State == mail.StateSent:
			what = "delivered, not yet recorded: erase send --retry"
		}
		fmt.Fprintf(e.stdout, "  %s to %s, %s\n", en.Reference, strings.Join(en.To, ", "), what)
	}
	return nil
}

func newMarkCmd(e *env) *cobra.Command {
	var date, note string
	cmd := &cobra.Command{
		Use:   "mark REF STATUS",
		Short: "Record what the company (or you) did; extended moves the due date",
		Example: `  erase status mark ERASE-20261127-ABCDEF extended --note 'too many requests'
  erase status mark ERASE-20261127-ABCDEF partial --note 'no word on partners'
  erase status mark ERASE-20261127-ABCDEF complained --date 2027-01-20

STATUS is answered, completed, partial, refused, extended or complained.`,
		Args: exactArgs(2, "erase status mark needs a reference and a status, e.g. erase status mark ERASE-20261127-ABCDEF answered"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 1 {
				out := make([]string, len(ledger.Marks))
				for i, m := range ledger.Marks {
					out[i] = string(m)
				}
				return out, cobra.ShellCompDirectiveNoFileComp
			}
			if len(args) == 0 { // the references, newest first, each with its company
				led, err := e.ledger()
				if err != nil {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				recs, _ := led.List(e.now())
				var refs []string
				for _, r := range recs {
					refs = append(refs, r.Reference+"\t"+r.Company+" "+orErasure(r.Kind))
				}
				return refs, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, status := args[0], ledger.Status(args[1])
			at, err := e.letterDate(date)
			if err != nil {
				return err
			}
			if date == "" {
				at = e.now()
			}
			led, err := e.ledger()
			if err != nil {
				return err
			}
			rec, err := led.Get(ref)
			if errors.Is(err, ledger.ErrNotFound) {
				return badinput.Errorf("no request %s in the ledger", ref).Hint("erase status lists the references")
			}
			if err != nil {
				return err
			}
			if rec.About != "" {
				return badinput.Errorf("%s is a %s about %s: mark the request itself, erase status mark %s %s", ref, rec.Kind, rec.About, rec.About, status)
			}
			var newDue *time.Time
			switch status {
			case ledger.StatusAnswered, ledger.StatusCompleted, ledger.StatusRefused, ledger.StatusPartial, ledger.StatusComplained:
			case ledger.StatusExtended:
				laws, err := e.lawSet()
				if err != nil {
					return err
				}
				r, err := laws.Get(rec.Regime)
				if err != nil {
					return err
				}
				kind := rec.Kind
				if kind == "" {
					kind = jurisdictions.KindErasure
				}
				rt, err := r.Right(kind)
				if err != nil {
					return err
				}
				d, ok := rt.Extended(rec.Sent)
				if !ok {
					return badinput.Errorf("%s sets no extension of the deadline for %s (%s request)", r.ShortName, ref, letters.WithArticle(kind))
				}
				newDue = &d
			default:
				return badinput.Errorf("status %q is not answered, completed, partial, refused, extended or complained", status)
			}
			if err := letters.CheckText("--note", note); err != nil {
				return err
			}
			rec, err = led.MarkNote(ref, status, at, newDue, note)
			if err != nil {
				return err
			}
			msg := fmt.Sprintf("erase: %s is now %s", ref, rec.Status)
			if newDue != nil {
				msg += ", due " + newDue.Format("2006-01-02")
			}
			fmt.Fprintln(e.stderr, msg)
			return nil
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "when it happened, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&note, "note", "", "what happened, in your words, kept with the mark")
	return cmd
}
