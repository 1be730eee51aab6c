package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/templates"
	"github.com/spf13/cobra"
)

func newLawsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "laws",
		Short: "The legal regimes: their articles, deadlines and coverage",
		Example: `  erase laws list
  erase laws show gdpr
  erase laws show ccpa --json`,
		Args: cobra.NoArgs,
	}
	var listJSON jsonOptions
	list := &cobra.Command{
		Use:   "list",
		Short: "List every regime with its deadline and where it applies",
		Example: `  erase laws list
  erase laws list --json=id,short_name,covers
  erase laws list --jq '.[] | select(.covers.countries | index("DE")) | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			laws, err := e.lawSet()
			if err != nil {
				return err
			}
			if listJSON.on {
				return listJSON.write(cmd.Context(), e.stdout, laws.All())
			}
			return writeLawList(e.stdout, laws)
		},
	}
	addJSONFlags(list, &listJSON, fieldsOf(jurisdictions.Regime{}))
	var showJSON jsonOptions
	show := &cobra.Command{
		Use:   "show ID",
		Short: "One regime: what it gives, its deadlines, where to complain",
		Example: `  erase laws show gdpr
  erase laws show ccpa --jq '.requests.erasure.deadline.words'`,
		Args: exactArgs(1, "erase laws show needs one regime ID, e.g. erase laws show gdpr"),
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
			if showJSON.on {
				return showJSON.write(cmd.Context(), e.stdout, r)
			}
			if err := writeLaw(e.stdout, r, laws.Places(), e.now()); err != nil {
				return err
			}
			return writeLanguages(e.stdout, r, e.templateSet())
		},
	}
	addJSONFlags(show, &showJSON, fieldsOf(jurisdictions.Regime{}))
	cmd.AddCommand(list, show)
	return cmd
}

func writeLawList(w io.Writer, laws *jurisdictions.Set) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLAW\tERASURE DEADLINE\tREQUESTS\tCOVERS")
	for _, r := range laws.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.ShortName, deadlineShort(r), strings.Join(r.Kinds(), " "), coverShort(r))
	}
	return tw.Flush()
}

func deadlineShort(r *jurisdictions.Regime) string {
	if d := r.Requests[jurisdictions.KindErasure].Deadline; d.Settled() {
		return d.Words
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
	p("Requests it grants: %s", strings.Join(r.Kinds(), ", "))
	for _, kind := range r.Kinds() {
		p("")
		writeRight(p, fact, r, kind, r.Requests[kind], now)
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

// writeLanguages says in which languages erase writes each kind the
// regime grants.
func writeLanguages(w io.Writer, r *jurisdictions.Regime, set *templates.Set) error {
	fmt.Fprintln(w)
	for _, lang := range set.Languages() {
		var kinds []string
		for _, kind := range r.Kinds() {
			if letters.CheckLanguage(lang, letters.Request{Kind: kind, Regime: r}, set) == nil {
				kinds = append(kinds, kind)
			}
		}
		switch {
		case len(kinds) == len(r.Kinds()):
			fmt.Fprintf(w, "Letters in %s: every kind\n", lang)
		case len(kinds) > 0:
			fmt.Fprintf(w, "Letters in %s: %s\n", lang, strings.Join(kinds, ", "))
		}
	}
	return nil
}

// writeRight explains what a regime grants for one kind of request.
func writeRight(p func(string, ...any), fact func(string, jurisdictions.Fact), r *jurisdictions.Regime, kind string, rt *jurisdictions.Right, now time.Time) {
	title := strings.ToUpper(kind[:1]) + kind[1:]
	p("== %s ==", title)
	if n := rt.NoRight; n != nil {
		fact("No right to "+kind+" as such", *n)
		if rt.Explanation != "" {
			p("  %s", rt.Explanation)
		}
	}
	fact(title, rt.Fact)
	for _, g := range rt.Grounds {
		needs := ""
		if g.Needs != "" {
			needs = fmt.Sprintf(", only with --detail %s=...", g.Needs)
		}
		p("  - %s (%s) [%s%s]", g.Letter, g.Provision, g.Status, needs)
	}
	var procedure *jurisdictions.Ground
	if pr := rt.Procedure; pr != nil {
		procedure = &pr.Ground
	}
	for _, x := range []struct {
		label string
		g     *jurisdictions.Ground
	}{
		{"Application", procedure}, {"Passing it on", rt.Recipients}, {"Identity", rt.Verification},
		{"Cost", rt.Free}, {"If it does not act", rt.Refusal}, {"Representative", rt.Representative},
	} {
		if x.g != nil {
			p("%s: %s [%s]", x.label, x.g.Letter, x.g.Status)
		}
	}
	if pr := rt.Procedure; pr != nil && len(pr.Requires) > 0 {
		var flags []string
		for _, f := range pr.Requires {
			flags = append(flags, "--"+f)
		}
		p("  %s letters under %s need your %s", kind, r.ShortName, strings.Join(flags, ", "))
	}
	if rt.Exceptions != nil {
		fact("Exceptions", *rt.Exceptions)
	}
	if rt.Deadline.Settled() {
		due := rt.DueFrom(now)
		fact("Deadline", rt.Deadline.Fact)
		p("  counted as %s: a request received today is due %s", rt.Deadline.Words, due.Date.Format("2006-01-02"))
		if due.NextWorkingDay {
			p("  or the next working day if that day is a public holiday %s (%s); erase does not know them all",
				due.HolidaysWhere, due.Period.NonWorking.Provision)
		}
		if g := rt.DueScope; g != nil {
			p("  letters state it for %s only, and ask for the rest by the same date [%s]", g.Letter, g.Status)
		}
	} else {
		p("Deadline: none in law. %s", rt.Deadline.Reason)
		p("  [%s; source: %s]", rt.Deadline.Status, rt.Deadline.Source)
		if g := rt.Timing; g != nil {
			p("  letters state: %s [%s]", g.Letter, g.Status)
		}
		if rt.Deadline.Requested != nil {
			p("  letters ask for a reply within %s, as a request, not as law", rt.Deadline.Requested.Words)
		}
	}
	if rt.Extension != nil {
		fact("Extension", rt.Extension.Fact)
	}
	if rt.Confirmation != nil {
		fact("Confirmation of receipt", rt.Confirmation.Fact)
	}
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
