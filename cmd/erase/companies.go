package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/erase-cli/erase/companies"
	"github.com/spf13/cobra"
)

func newCompaniesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "companies",
		Short: "The directory of privacy contacts",
		Args:  cobra.NoArgs,
	}
	var listJSON bool
	var category string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the companies in the directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.companyDir()
			if err != nil {
				return err
			}
			return writeCompanies(e.stdout, dir.Filter(category), listJSON)
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")
	list.Flags().StringVar(&category, "category", "", "only companies in `CATEGORY` (commerce, data-broker, ...)")
	var searchJSON bool
	search := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find companies by id, name or web address",
		Args:  exactArgs(1, "erase companies search needs one search text"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.companyDir()
			if err != nil {
				return err
			}
			return writeCompanies(e.stdout, dir.Search(args[0]), searchJSON)
		},
	}
	search.Flags().BoolVar(&searchJSON, "json", false, "print JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "A company's privacy contact, self-service steps, what to do first",
		Args:  exactArgs(1, "erase companies show needs one company ID, e.g. erase companies show aliexpress"),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return e.companyIDs(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.companyDir()
			if err != nil {
				return err
			}
			c, err := dir.Get(args[0])
			if err != nil {
				return unknownCompany(err, "")
			}
			if showJSON {
				return writeJSONValue(e.stdout, c)
			}
			return writeCompany(e.stdout, dir, c)
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	cmd.AddCommand(list, search, show)
	cmd.AddCommand(newPacksCmd(e))
	return cmd
}

func writeCompanies(w io.Writer, cs []*companies.Company, asJSON bool) error {
	if asJSON {
		if cs == nil {
			cs = []*companies.Company{}
		}
		return writeJSONValue(w, cs)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPRIVACY CONTACT\tGROUP CONTACT")
	for _, c := range cs {
		group := c.GroupContact
		if group == "" {
			group = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Privacy.Email, group)
	}
	return tw.Flush()
}

func writeCompany(w io.Writer, dir *companies.Directory, c *companies.Company) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("%s (%s)", c.Name, c.ID)
	if c.Service != "" && c.Service != c.Name {
		p("Service: %s", c.Service)
	}
	p("Legal name: %s", c.LegalName)
	if c.Registration != "" {
		p("Registration: %s", c.Registration)
	}
	if c.Web != "" {
		p("Web: %s", c.Web)
	}
	p("")
	p("Privacy contact:")
	p("  %s", c.Privacy.Name)
	for _, line := range c.Privacy.Address {
		p("  %s", line)
	}
	if c.Privacy.Email != "" {
		p("  %s", c.Privacy.Email)
	}
	if len(c.Privacy.Address) > 0 && !c.Privacy.AddressCertain() {
		p("  warning: this postal address is %s, not read in a source: check it before you post a letter (see the notes)", c.Privacy.AddressStatus)
	}
	if c.GroupContact != "" {
		if g, err := dir.Get(c.GroupContact); err == nil {
			p("")
			p("Group privacy contact: %s (%s), %s", g.Name, g.ID, g.Privacy.Email)
			if g.Registration != "" && g.Registration == c.Registration {
				p("  the same legal entity as this record's (%s), not a parent company", g.Registration)
			}
			p("  write to it with: erase letter --company %s --contact group ...", c.ID)
		}
	}
	p("")
	p("Needs from you: %s", strings.Join(c.Requires, ", "))
	if len(c.Identifiers) > 0 {
		p("Useful account details: %s (pass them with --account KEY=VALUE)", strings.Join(c.Identifiers, ", "))
	}
	if s := c.SelfService; s != nil {
		p("")
		p("Delete it yourself: %s", s.URL)
		for i, step := range s.Steps {
			p("  %d. %s", i+1, step)
		}
		p("  [source: %s]", s.Source)
	}
	if len(c.Checklist) > 0 {
		p("")
		p("Before you delete:")
		for _, item := range c.Checklist {
			p("  - %s", item)
		}
	}
	if len(c.Notes) > 0 {
		p("")
		p("Notes:")
		for _, n := range c.Notes {
			p("  - %s", n)
		}
	}
	p("")
	p("Sources (dataset snapshot of %s; the live contact was not checked):", c.Snapshot)
	for _, s := range c.Sources {
		p("  - %s (%s)", s.URL, s.What)
	}
	return nil
}
