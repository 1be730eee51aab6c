package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/spf13/cobra"
)

func newAuthoritiesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "authorities",
		Short: "The authorities a complaint goes to, and how each takes one",
		Example: `  # Where a complaint under the GDPR goes for someone in Bavaria
  erase authorities list --law gdpr --country DE --region BY
  erase authorities show baylda`,
		Args: cobra.NoArgs,
	}
	var listJSON jsonOptions
	var law, country, region string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the authorities; with --law and --country, yours",
		Example: `  erase authorities list
  erase authorities list --law gdpr --country DE --region BY  # BayLDA, BfDI
  erase authorities list --law ccpa --country US --region CA
  erase authorities list --json=id,name,email
  erase authorities list --jq '.[] | select(.country == "DE") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.authorityDir()
			if err != nil {
				return err
			}
			all := dir.All()
			if law != "" || country != "" || region != "" {
				if law == "" || (country == "" && region == "") {
					return badinput.Errorf("--law and --country (or --region) go together: the authorities competent under a law for where you live")
				}
				laws, err := e.lawSet()
				if err != nil {
					return err
				}
				r, err := laws.Get(law)
				if err != nil {
					return unknownLaw(err, "--law")
				}
				if all, err = dir.For(r.ID, country, region); err != nil {
					return noAuthority(err)
				}
			}
			if listJSON.on {
				return listJSON.write(cmd.Context(), e.stdout, all)
			}
			return writeAuthorities(e.stdout, all)
		},
	}
	addJSONFlags(list, &listJSON, fieldsOf(authorities.Authority{}))
	list.Flags().StringVar(&law, "law", "", "only the authorities enforcing regime `ID` ...")
	list.Flags().StringVar(&country, "country", "", "... for a person living in `CODE` (ISO 3166-1)")
	list.Flags().StringVar(&region, "region", "", "... and subdivision `CODE` (ISO 3166-2: DE-BY, US-CA)")
	list.RegisterFlagCompletionFunc("law", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return e.lawIDs(), cobra.ShellCompDirectiveNoFileComp
	})
	var showJSON jsonOptions
	show := &cobra.Command{
		Use:   "show ID",
		Short: "An authority: address, how it takes complaints, what it covers",
		Example: `  erase authorities show de-by
  erase authorities show de-by --jq '.complaint.webform'`,
		Args: exactArgs(1, "erase authorities show needs one authority ID, e.g. erase authorities show de-by"),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			dir, err := e.authorityDir()
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return dir.IDs(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.authorityDir()
			if err != nil {
				return err
			}
			a, err := dir.Get(args[0])
			var u *authorities.UnknownError
			if errors.As(err, &u) {
				return wordUnknown("", u, u.Near, "erase authorities list shows every authority")
			}
			if err != nil {
				return err
			}
			if showJSON.on {
				return showJSON.write(cmd.Context(), e.stdout, a)
			}
			return writeAuthority(e.stdout, a)
		},
	}
	addJSONFlags(show, &showJSON, fieldsOf(authorities.Authority{}))
	cmd.AddCommand(list, show)
	return cmd
}

// noAuthority words For's error for the flags.
func noAuthority(err error) error {
	var none *authorities.NoneError
	if !errors.As(err, &none) {
		return err
	}
	if none.NeedRegion {
		b := badinput.Errorf("--country %s needs --region: its authorities are per region", none.Country)
		if len(none.Regions) > 0 {
			b.Hint("pass --region with the ISO 3166-2 code of your state, e.g. --region %s (erase authorities list shows them all)", none.Regions[0])
		}
		return b
	}
	if len(none.Regions) > 0 {
		return badinput.Errorf("--region %s: no %s authority covers it", none.Region, none.Regime).
			Hint("the regions of %s with one are %s", none.Country, strings.Join(none.Regions, ", "))
	}
	return badinput.Errorf("%v", err).Hint("erase authorities list shows every authority")
}

func writeAuthorities(w io.Writer, all []*authorities.Authority) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAUTHORITY\tCOVERS\tLAWS\tCOMPLAINTS BY")
	for _, a := range all {
		covers := append(append([]string{}, a.Covers.Countries...), a.Covers.Regions...)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, shorten(a.Name, 48), shorten(strings.Join(covers, " "), 20),
			shorten(strings.Join(a.Regimes, " "), 16), a.Complaint.Channel)
	}
	return tw.Flush()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func writeAuthority(w io.Writer, a *authorities.Authority) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("%s: %s", a.ID, a.Name)
	if a.NameEN != "" && a.NameEN != a.Name {
		p("in English: %s", a.NameEN)
	}
	p("")
	covers := append(append([]string{}, a.Covers.Countries...), a.Covers.Regions...)
	p("Covers: %s; laws: %s; supervises: %s", strings.Join(covers, ", "), strings.Join(a.Regimes, ", "), strings.Join(a.Supervises, ", "))
	c := a.Complaint
	what := "Complaints"
	if c.Kind == authorities.KindReport {
		what = "Reports (not complaints in the GDPR's sense)"
	}
	switch c.Channel {
	case authorities.ChannelWebform:
		p("%s: through its web form, %s", what, c.Webform)
	case authorities.ChannelEmail:
		p("%s: by e-mail to %s", what, c.Email)
	case authorities.ChannelPost:
		p("%s: by post to the address below", what)
	case authorities.ChannelPhone:
		p("%s: by phone, %s", what, a.Phone)
	default:
		p("%s: its website says how, %s", what, a.Web)
	}
	if len(c.Languages) > 0 {
		p("  in: %s", strings.Join(c.Languages, ", "))
	}
	p("  [%s; source: %s]", c.Status, c.Source)
	if a.From != nil {
		p("Competent from %s: %s [%s]", a.From.Date, a.From.Text, a.From.Status)
	}
	p("")
	for _, l := range a.Address {
		p("  %s", l)
	}
	for _, kv := range [][2]string{{"e-mail", a.Email}, {"phone", a.Phone}, {"web", a.Web}} {
		if kv[1] != "" {
			p("  %s: %s", kv[0], kv[1])
		}
	}
	p("  [%s]", a.Status)
	if len(a.Notes) > 0 {
		p("")
		p("Notes:")
		for _, n := range a.Notes {
			text := n.Text
			if n.Provision != "" {
				text = n.Provision + ": " + text
			}
			p("  - %s [%s; source: %s]", text, n.Status, n.Source)
		}
	}
	if len(a.Sources) > 0 {
		p("")
		p("Sources:")
		for _, s := range a.Sources {
			p("  - %s (%s)", s.URL, s.What)
		}
	}
	return nil
}
