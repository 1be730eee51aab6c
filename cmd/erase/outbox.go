package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/mail"
	"github.com/spf13/cobra"
)

func newOutboxCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "The letters erase keeps until delivered: list them, drop one",
		Long: `erase outbox lists the letters erase send keeps: waiting to be sent
(erase send --retry sends them), delivered but not yet recorded (--retry
records them), and refused by the mail server, with its reply.

erase outbox drop ID removes a refused letter; a waiting one only with
--force, since it was never sent. A delivered letter cannot be dropped:
erase send --retry records it.`,
		Example: `  erase outbox
  erase outbox list --json=reference,state,last_error
  erase outbox list --jq '.[] | select(.state == "refused") | .reference'
  erase outbox drop ERASE-20261127-ABCDEF`,
		Args: cobra.NoArgs,
	}
	var outboxJSON jsonOptions
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return e.outboxList(cmd.Context(), &outboxJSON) }
	addJSONFlags(cmd, &outboxJSON, fieldsOf(outboxEntry{}))
	var listJSON jsonOptions
	list := &cobra.Command{
		Use:   "list",
		Short: "List the letters in the outbox, oldest first",
		Example: `  erase outbox list
  erase outbox list --json=reference,to,queued
  erase outbox list --jq '.[] | select(.state == "refused") | .reference'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return e.outboxList(cmd.Context(), &listJSON) },
	}
	addJSONFlags(list, &listJSON, fieldsOf(outboxEntry{}))
	var force bool
	drop := &cobra.Command{
		Use:   "drop ID",
		Short: "Remove a refused letter (a waiting one with --force)",
		Example: `  erase outbox                               # what waits and what was refused
  erase outbox drop ERASE-20261127-K3F9QX    # a refused letter
  erase outbox drop ERASE-20261127-K3F9QX --force   # one still waiting`,
		Args: exactArgs(1, "erase outbox drop needs the letter's reference, e.g. erase outbox drop ERASE-20261127-ABCDEF"),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			ob, err := e.outbox()
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			es, _ := ob.List()
			var ids []string
			for _, en := range es {
				if en.State != mail.StateSent {
					ids = append(ids, en.ID)
				}
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error { return e.outboxDrop(args[0], force) },
	}
	drop.Flags().BoolVar(&force, "force", false, "drop a letter that waits to be sent, too")
	cmd.AddCommand(list, drop)
	return cmd
}

// outboxEntry is a letter in the outbox, as erase outbox list --json
// prints it.
type outboxEntry struct {
	Reference string    `json:"reference"`
	State     string    `json:"state"` // waiting, delivered (not yet recorded), refused
	To        []string  `json:"to"`
	Subject   string    `json:"subject,omitempty"`
	Queued    time.Time `json:"queued"`
	Attempts  int       `json:"attempts,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

func stateWord(s mail.State) string {
	switch s {
	case mail.StateSent:
		return "delivered"
	case mail.StateFailed:
		return "refused"
	}
	return "waiting"
}

func (e *env) outboxList(ctx context.Context, asJSON *jsonOptions) error {
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	es, err := ob.List()
	if err != nil {
		return err
	}
	out := make([]outboxEntry, len(es))
	for i, en := range es {
		out[i] = outboxEntry{Reference: en.ID, State: stateWord(en.State), To: en.To, Subject: en.Subject,
			Queued: en.Created, Attempts: en.Attempts, LastError: en.LastError, SentAt: en.SentAt}
		if en.Damaged {
			out[i].State = "damaged"
		}
	}
	if asJSON.on {
		return asJSON.write(ctx, e.stdout, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(e.stdout, "the outbox is empty")
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tSTATE\tTO\tQUEUED\tNEXT")
	for _, en := range out {
		next := "erase send --retry"
		switch en.State {
		case "delivered":
			next = "erase send --retry records it"
		case "refused":
			next = "send the corrected letter, or: erase outbox drop " + en.Reference
		case "damaged":
			next = "unreadable: erase outbox drop --force " + en.Reference
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", en.Reference, en.State, strings.Join(en.To, ", "), en.Queued.Local().Format(time.DateOnly), next)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, en := range out {
		if en.LastError != "" {
			fmt.Fprintf(e.stdout, "%s: %s\n", en.Reference, en.LastError)
		}
	}
	return nil
}

func (e *env) outboxDrop(id string, force bool) error {
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	en, err := ob.Get(id)
	if errors.Is(err, mail.ErrNotFound) {
		return badinput.Errorf("%q is not in the outbox", id).Hint("erase outbox list shows what is")
	}
	if err != nil {
		// An entry erase cannot read (a damaged file) can only be dropped.
		if !force {
			return &hintedError{err, []string{"erase outbox drop --force " + id + " removes it"}}
		}
		if err := ob.Remove(id); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "erase: dropped %s (unreadable)\n", id)
		return nil
	}
	switch en.State {
	case mail.StateSent:
		return badinput.Errorf("%s was delivered to %s: it is not dropped but recorded", id, strings.Join(en.To, ", ")).
			Hint("erase send --retry records it")
	case mail.StatePending:
		if !force {
			return badinput.Errorf("%s waits to be sent to %s: dropping it means it is never sent", id, strings.Join(en.To, ", ")).
				Hint("pass --force to drop it anyway; erase send --retry sends it")
		}
	}
	if err := ob.Remove(id); err != nil {
		if errors.Is(err, mail.ErrBusy) {
			return fmt.Errorf("%s is being sent by another erase process right now", id)
		}
		return err
	}
	fmt.Fprintf(e.stderr, "erase: dropped %s (%s, to %s)\n", id, stateWord(en.State), strings.Join(en.To, ", "))
	return nil
}
