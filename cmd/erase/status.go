package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/mail"
	"github.com/spf13/cobra"
)

func newStatusCmd(e *env) *cobra.Command {
	var asJSON bool
	var ics string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "The requests you sent: due when, overdue, answered; as a table, JSON or a calendar",
		Long: `erase status lists every request erase delivered, overdue and due-soon
first, and what waits in the outbox. --ics FILE writes a calendar with an
event on each open request's due date.`,
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
			if ics != "" {
				return e.writeOutput("--ics", ics, "ics", func(w io.Writer) error { return ledger.WriteICS(w, recs, now) })
			}
			if asJSON {
				// "state" is what the table shows (overdue, ...); "status"
				// the last mark.
				out := make([]json.RawMessage, len(recs))
				for i, r := range recs {
					if out[i], err = r.JSONAt(now); err != nil {
						return err
					}
				}
				return writeJSONValue(e.stdout, out)
			}
			if err := writeStatus(e.stdout, recs, now); err != nil {
				return err
			}
			return e.writeOutboxSummary()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&ics, "ics", "", "write an iCalendar `FILE` (- for stdout) with the due dates")
	cmd.AddCommand(newMarkCmd(e))
	return cmd
}

func writeStatus(w io.Writer, recs []ledger.Record, now time.Time) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "no requests sent yet (erase send records them)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tCOMPANY\tLAW\tSENT\tDUE\tSTATUS")
	for _, r := range recs {
		due := "-"
		if !r.Due.IsZero() {
			due = r.Due.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Reference, r.Company, r.Regime, r.Sent.Format("2006-01-02"), due, r.StatusAt(now))
	}
	return tw.Flush()
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
			what = "refused: " + en.LastError
		case en.State == mail.StateSent:
			what = "delivered, not yet recorded: erase send --retry"
		}
		fmt.Fprintf(e.stdout, "  %s to %s, %s\n", en.Reference, strings.Join(en.To, ", "), what)
	}
	return nil
}

func newMarkCmd(e *env) *cobra.Command {
	var date string
	cmd := &cobra.Command{
		Use:   "mark REF answered|completed|refused|extended",
		Short: "Record what the company did; extended moves the due date by the law's extension",
		Args:  exactArgs(2, "erase status mark needs a reference and a status, e.g. erase status mark ERASE-20261127-ABCDEF answered"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 1 {
				return []string{"answered", "completed", "refused", "extended"}, cobra.ShellCompDirectiveNoFileComp
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
			var newDue *time.Time
			switch status {
			case ledger.StatusAnswered, ledger.StatusCompleted, ledger.StatusRefused:
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
					return badinput.Errorf("%s sets no extension of the deadline for %s (a %s request)", r.ShortName, ref, kind)
				}
				newDue = &d
			default:
				return badinput.Errorf("status %q is not answered, completed, refused or extended", status)
			}
			rec, err = led.Mark(ref, status, at, newDue)
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
	return cmd
}
