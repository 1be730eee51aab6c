package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/spf13/cobra"
)

// Company packs: the companies people write to together (a country's
// address brokers and credit agencies, the big social networks), listed by
// erase companies packs and written to with --pack.

func newPacksCmd(e *env) *cobra.Command {
	var asJSON jsonOptions
	cmd := &cobra.Command{
		Use:   "packs [ID]",
		Short: "List the company packs, or the companies of one",
		Long: `A company pack is a set of companies people write to together, from the
Datenanfragen packs: the address brokers and credit agencies of a country,
to write to all of them (add-all), or lists such as a country's banks or
online shops, to choose from (choose). --pack ID writes to a pack's
companies with erase letter and erase send; a pack to choose from asks
which to include, and in a pipe takes all of them only with --yes.

A packs.yaml in the companies directory of your config directory replaces
packs of the same id or adds its own, in the shape of the built-in file.`,
		Example: `  erase companies packs
  erase companies packs de-address-brokers

  # A letter to each address broker in Germany
  erase letter --pack de-address-brokers --profile me.yaml -o letters/

  # Every company of a pack to choose from, in a script
  erase letter --pack social-media --yes --profile me.yaml -o letters/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr("erase companies packs takes at most one pack ID, e.g. erase companies packs de-address-brokers")
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return e.packCompletions(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, dir, err := e.packSet()
			if err != nil {
				return err
			}
			if len(args) == 0 {
				if asJSON.on {
					return asJSON.write(cmd.Context(), e.stdout, ps.All())
				}
				return writePacks(e.stdout, ps.All())
			}
			p, err := ps.Get(args[0])
			if err != nil {
				return unknownPack(err, "")
			}
			members, err := packMembers(dir, p)
			if err != nil {
				return err
			}
			if asJSON.on {
				return asJSON.write(cmd.Context(), e.stdout, shownPack(p, members))
			}
			return writePack(e.stdout, p, members)
		},
	}
	addJSONFlags(cmd, &asJSON, func() []string {
		return slices.Compact(slices.Sorted(slices.Values(append(fieldsOf(companies.Pack{})(), fieldsOf(packJSON{})()...))))
	})
	return cmd
}

// packSet is the built-in packs with the user's packs.yaml (in the
// companies override directory) over them, checked against the directory.
func (e *env) packSet() (*companies.Packs, *companies.Directory, error) {
	dir, err := e.companyDir()
	if err != nil {
		return nil, nil, err
	}
	ps, err := companies.LoadPacks(append([]fs.FS{companies.Embedded()}, e.overlay("companies")...)...)
	var notes []string
	if err == nil {
		notes, err = ps.Check(dir)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("loading company packs: %w", err)
	}
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "erase: note: %s\n", n)
	}
	return ps, dir, nil
}

func (e *env) packCompletions() []string {
	ps, _, err := e.packSet()
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range ps.All() {
		out = append(out, p.ID+"\t"+p.Title)
	}
	return out
}

// unknownPack words a pack id erase does not know, for where it was typed
// (flag "--pack", or "" for an argument).
func unknownPack(err error, flag string) error {
	var u *companies.UnknownPackError
	if !errors.As(err, &u) {
		return err
	}
	return wordUnknown(flag, u, strings.Join(u.Near, " or "), "erase companies packs lists the packs")
}

func packMembers(dir *companies.Directory, p *companies.Pack) ([]*companies.Company, error) {
	out := make([]*companies.Company, 0, len(p.Companies))
	for _, id := range p.Companies {
		c, err := dir.Get(id)
		if err != nil {
			return nil, fmt.Errorf("pack %s: %w", p.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func writePacks(w io.Writer, ps []*companies.Pack) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tCOUNTRY\tCOMPANIES\tTITLE")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", p.ID, p.Type, p.Country, len(p.Companies), p.Title)
	}
	return tw.Flush()
}

func writePack(w io.Writer, p *companies.Pack, members []*companies.Company) error {
	fmt.Fprintf(w, "%s (%s)\n", p.Title, p.ID)
	if p.Type == companies.PackChoose {
		fmt.Fprintf(w, "Type: choose (a list: --pack %s asks which of its %d companies to write to; --yes takes all)\n", p.ID, len(members))
	} else {
		fmt.Fprintf(w, "Type: add-all (--pack %s writes to each of its %d companies)\n", p.ID, len(members))
	}
	fmt.Fprintf(w, "Country: %s\n", p.Country)
	if p.Source != "" {
		fmt.Fprintf(w, "Source: %s\n", p.Source)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPRIVACY CONTACT")
	for _, c := range members {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, c.Name, contactLine(c.Privacy))
	}
	return tw.Flush()
}

// contactLine is where a letter to the contact goes, in one line: the
// e-mail address, else the web form, else the postal address.
func contactLine(c companies.Contact) string {
	switch {
	case c.Email != "":
		return c.Email
	case c.Webform != "":
		return c.Webform
	case len(c.Address) > 0:
		return strings.Join(c.Address, ", ")
	}
	return "-"
}

// packJSON is a pack as erase companies packs ID --json shows it: its
// companies with their names and privacy contacts.
type packJSON struct {
	ID        string       `json:"id"`
	Title     string       `json:"title"`
	Type      string       `json:"type"`
	Country   string       `json:"country"`
	Source    string       `json:"source,omitempty"`
	Companies []packMember `json:"companies"`
}

type packMember struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Privacy companies.Contact `json:"privacy"`
}

func shownPack(p *companies.Pack, members []*companies.Company) packJSON {
	out := packJSON{ID: p.ID, Title: p.Title, Type: p.Type, Country: p.Country, Source: p.Source, Companies: []packMember{}}
	for _, c := range members {
		out.Companies = append(out.Companies, packMember{ID: c.ID, Name: c.Name, Privacy: c.Privacy})
	}
	return out
}

// packCompanies expands the --pack flags of o to company ids, in order: an
// add-all pack to all its companies; a pack to choose from to the ones the
// person picks on a terminal, or with --yes to all of them.
func (e *env) packCompanies(o *letterOptions) ([]string, error) {
	if len(o.packs) == 0 {
		return nil, nil
	}
	ps, dir, err := e.packSet()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range o.packs {
		p, err := ps.Get(id)
		if err != nil {
			return nil, unknownPack(err, "--pack")
		}
		if p.Type != companies.PackChoose || o.yes {
			ids = append(ids, p.Companies...)
			continue
		}
		if !e.canPrompt() {
			return nil, badinput.Errorf("--pack %s is a list of %d companies to choose from, and no one is at a terminal to choose: pass --yes to write to all of them", p.ID, len(p.Companies)).
				Hint("or name the ones you want with --company ID (erase companies packs %s lists them)", p.ID)
		}
		members, err := packMembers(dir, p)
		if err != nil {
			return nil, err
		}
		chosen, err := e.choose(p, members)
		if err != nil {
			return nil, err
		}
		ids = append(ids, chosen...)
	}
	return ids, nil
}

// choose asks on the terminal which companies of a pack to write to: a
// numbered list, all of them unless the person names some.
func (e *env) choose(p *companies.Pack, members []*companies.Company) ([]string, error) {
	q := e.questions()
	fmt.Fprintf(q, "%s (%s) is a list to choose from:\n", p.Title, p.ID)
	tw := tabwriter.NewWriter(q, 0, 0, 2, ' ', 0)
	for i, c := range members {
		fmt.Fprintf(tw, "%4d\t%s\t%s\n", i+1, c.ID, c.Name)
	}
	tw.Flush()
	var err error
	for tries := 0; tries < 3; tries++ {
		var answer string
		if answer, err = e.askOptional("Write to which? Numbers such as 1 3 5-7, none, or Enter for all"); err != nil {
			return nil, err
		}
		var picked []int
		if picked, err = parseChoice(answer, len(members)); err == nil {
			ids := make([]string, len(picked))
			for i, n := range picked {
				ids[i] = members[n-1].ID
			}
			return ids, nil
		}
		fmt.Fprintf(q, "erase: %v\n", err)
	}
	return nil, err
}

// parseChoice reads an answer to choose: numbers and ranges from 1 to n,
// separated by spaces or commas; "" or "all" for every one, "none" for
// none. The numbers come back in order, each once.
func parseChoice(answer string, n int) ([]int, error) {
	all := make([]int, n)
	for i := range all {
		all[i] = i + 1
	}
	switch a := strings.ToLower(strings.TrimSpace(answer)); a {
	case "", "all", "a":
		return all, nil
	case "none", "0", "-":
		return []int{}, nil
	}
	picked := make([]bool, n+1)
	for _, f := range strings.FieldsFunc(answer, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
		lo, hi, isRange := strings.Cut(f, "-")
		a, errA := strconv.Atoi(strings.TrimSpace(lo))
		b, errB := a, error(nil)
		if isRange {
			b, errB = strconv.Atoi(strings.TrimSpace(hi))
		}
		if errA != nil || errB != nil || a < 1 || b > n || a > b {
			return nil, badinput.Errorf("%q is not a number or a range (such as 5-7) from 1 to %d", f, n)
		}
		for k := a; k <= b; k++ {
			picked[k] = true
		}
	}
	var out []int
	for k := 1; k <= n; k++ {
		if picked[k] {
			out = append(out, k)
		}
	}
	return out, nil
}
