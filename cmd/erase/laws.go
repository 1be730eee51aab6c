package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/spf13/cobra"
)

func newLawsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "laws",
		Short: "List the legal regimes and show their articles, deadlines and coverage",
		Args:  cobra.NoArgs,
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List every regime with its deadline and where it applies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			laws, err := e.lawSet()
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSONValue(e.stdout, laws.All())
			}
			return writeLawList(e.stdout, laws)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Explain one regime: what it gives, its deadline, where to complain, and how sure each fact is",
		Args:  exactArgs(1, "erase laws show needs one regime ID, e.g. erase laws show gdpr"),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return e.lawIDs(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			laws, err := e.lawSet()
			if err != nil {
				return err
			}
			r, err := laws.Get(args[0])
			if err != nil {
				return unknownLaw(err, "")
			}
			if showJSON {
				return writeJSONValue(e.stdout, r)
			}
			return writeLaw(e.stdout, r, laws.Places(), e.now())
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	cmd.AddCommand(list, show)
	return cmd
}

func writeLawList(w io.Writer, laws *jurisdictions.Set) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLAW\tDEADLINE\tCOVERS")
	for _, r := range laws.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.ShortName, deadlineShort(r), coverShort(r))
	}
	return tw.Flush()
}

func deadlineShort(r *jurisdictions.Regime) string {
	if r.Deadline.Settled() {
		return r.Deadline.Words
	}
	return "none in law"
}

func coverShort(r *jurisdictions.Regime) string {
	all := append(append([]string{}, r.Covers.Countries...), r.Covers.Regions...)
	if len(all) > 6 {
		return strings.Join(all[:6], " ") + fmt.Sprintf(" +%d", len(all)-6)
	}
	return strings.Join(all, " ")
}

// writeLaw explains a regime in plain words, each fact with its status.
func writeLaw(w io.Writer, r *jurisdictions.Regime, places *jurisdictions.Places, now time.Time) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	fact := func(label string, f jurisdictions.Fact) {
		text := f.Text
		if f.Provision != "" {
			if text != "" {
				text = f.Provision + ": " + text
			} else {
				text = f.Provision
			}
		}
		p("%s: %s", label, text)
		p("  [%s; source: %s]", f.Status, f.Source)
	}
	p("%s: %s (%s)", r.ID, r.Name, r.ShortName)
	if len(r.Aliases) > 0 {
		p("also: %s", strings.Join(r.Aliases, ", "))
	}
	p("")
	var where []string
	for _, cc := range r.Covers.Countries {
		where = append(where, places.CountryName(cc)+" ("+cc+")")
	}
	for _, sub := range r.Covers.Regions {
		where = append(where, places.SubdivisionName(sub)+" ("+sub+")")
	}
	p("Applies to people in: %s", strings.Join(where, ", "))
	fact("Law", r.Citation)
	if f := r.InForce; f != nil {
		fact("In force from "+f.Date, f.Fact)
		if !letters.InForce(r, now) {
			p("  not yet in force today: letters ask, say no one must act, and offer no complaint")
		}
	}
	p("")
	if !r.Erasure.Right {
		if n := r.Erasure.NoRight; n != nil {
			fact("No right to erasure as such", *n)
		}
		if r.Erasure.Explanation != "" {
			p("  %s", r.Erasure.Explanation)
		}
	}
	fact("Erasure", r.Erasure.Fact)
	for _, g := range r.Erasure.Grounds {
		p("  - %s (%s) [%s]", g.Letter, g.Provision, g.Status)
	}
	var procedure *jurisdictions.Ground
	if pr := r.Erasure.Procedure; pr != nil {
		procedure = &pr.Ground
	}
	for _, x := range []struct {
		label string
		g     *jurisdictions.Ground
	}{
		{"Application", procedure}, {"Passing it on", r.Erasure.Recipients}, {"Identity", r.Erasure.Verification},
		{"Cost", r.Erasure.Free}, {"If it does not act", r.Erasure.Refusal}, {"Representative", r.Erasure.Representative},
	} {
		if x.g != nil {
			p("%s: %s [%s]", x.label, x.g.Letter, x.g.Status)
		}
	}
	if pr := r.Erasure.Procedure; pr != nil && len(pr.Requires) > 0 {
		var flags []string
		for _, f := range pr.Requires {
			flags = append(flags, "--"+f)
		}
		p("  letters under %s need your %s", r.ShortName, strings.Join(flags, ", "))
	}
	if r.Erasure.Exceptions != nil {
		fact("Exceptions", *r.Erasure.Exceptions)
	}
	p("")
	if r.Deadline.Settled() {
		due := r.DueFrom(now)
		fact("Deadline", r.Deadline.Fact)
		p("  counted as %s: a request received today is due %s", r.Deadline.Words, due.Date.Format("2006-01-02"))
		if due.NextWorkingDay {
			p("  or the next working day if that day is a public holiday %s (%s); erase does not know them all",
				due.HolidaysWhere, due.Period.NonWorking.Provision)
		}
		if g := r.Erasure.DueScope; g != nil {
			p("  letters state it for %s only, and ask for the rest by the same date [%s]", g.Letter, g.Status)
		}
	} else {
		p("Deadline: none in law. %s", r.Deadline.Reason)
		p("  [%s; source: %s]", r.Deadline.Status, r.Deadline.Source)
		if g := r.Erasure.Timing; g != nil {
			p("  letters state: %s [%s]", g.Letter, g.Status)
		}
		if r.Deadline.Requested != nil {
			p("  letters ask for a reply within %s, as a request, not as law", r.Deadline.Requested.Words)
		}
	}
	if r.Extension != nil {
		fact("Extension", r.Extension.Fact)
	}
	if r.Confirmation != nil {
		fact("Confirmation of receipt", r.Confirmation.Fact)
	}
	if a := r.Authority; a != nil {
		p("")
		fact("Complaints: "+a.Name, a.Fact)
		if a.URL != "" {
			p("  %s", a.URL)
		}
	}
	if len(r.Notes) > 0 {
		p("")
		p("Notes:")
		for _, n := range r.Notes {
			p("  - %s [%s; source: %s]", n.Text, n.Status, n.Source)
		}
	}
	return nil
}

// exactArgs is cobra.ExactArgs with our own message.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr(msg)
		}
		return nil
	}
}
