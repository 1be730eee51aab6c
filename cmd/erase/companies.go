package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/nearest"
	"github.com/spf13/cobra"
)

func newCompaniesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "companies",
		Short: "The directory of privacy contacts",
		Example: `  erase companies search deutche bahn        # typos are fine
  erase companies show deutsche-bahn         # what to do first, the contact
  erase companies packs                      # groups: address brokers, ...`,
		Args: cobra.NoArgs,
	}
	var listJSON jsonOptions
	var filter companyFilter
	list := &cobra.Command{
		Use:   "list",
		Short: "List the companies in the directory",
		Long: `List the companies in erase's directory: their ids (what --company takes),
names, and how a letter reaches each: its privacy e-mail, a web form, post,
or "self-service only" for a company whose account you delete yourself
(erase companies show ID has the link and the steps).`,
		Example: `  erase companies list --category credit-agency
  erase companies list --country DE --category finance
  erase companies list --json > directory.json
  erase companies list --category addresses --jq '.[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, opts, err := filter.options(e)
			if err != nil {
				return err
			}
			return writeCompanies(cmd.Context(), e.stdout, dir, dir.List(opts), &listJSON)
		},
	}
	addJSONFlags(list, &listJSON, fieldsOf(companies.Company{}))
	filter.flags(e, list)
	var searchJSON jsonOptions
	var searchFilter companyFilter
	var limit int
	search := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find a company by name, id, web address or service, typos and all",
		Long: `Find a company in erase's directory as you would type it: part of its name or
id, its web address (bahn.de), a service it runs (BahnCard), in any case, with
or without accents, spaces or dashes, and with a typo or two. The best matches
come first: an exact id, alias or domain, then names that start with the text,
then words that do, then names that contain it, then near misses. At equal
rank a company that takes letters comes before a self-service link. The
table is erase companies list's; --json prints the matches' whole records.`,
		Example: `  erase companies search 'deutsche bahn'
  erase companies search bahncard           # a service the company runs
  erase companies search aliexprss          # a typo
  erase companies search amazon --country FR --limit 5
  erase companies search spotify --json     # the records of the matches`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("erase companies search needs a search text, e.g. erase companies search 'deutsche bahn'")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return badinput.Errorf("--limit %d: give a number of matches, or 0 for all", limit)
			}
			dir, opts, err := searchFilter.options(e)
			if err != nil {
				return err
			}
			text := strings.Join(args, " ")
			hits := dir.Find(text, opts)
			if len(hits) == 0 {
				fmt.Fprintf(e.stderr, "erase: no company in the directory matches %q%s\n", text, searchFilter.words())
				fmt.Fprintln(e.stderr, "erase: hint: erase companies list shows the directory; a letter with --to-name and --to-email goes to anyone")
			}
			entries := make([]companies.Entry, 0, len(hits))
			for _, h := range hits {
				entries = append(entries, h.Entry)
			}
			if limit > 0 && len(entries) > limit {
				fmt.Fprintf(e.stderr, "erase: the best %d of %d matches; --limit 0 shows them all\n", limit, len(entries))
				entries = entries[:limit]
			}
			return writeCompanies(cmd.Context(), e.stdout, dir, entries, &searchJSON)
		},
	}
	addJSONFlags(search, &searchJSON, fieldsOf(companies.Company{}))
	search.Flags().IntVar(&limit, "limit", 20, "show at most `N` matches, 0 for all")
	searchFilter.flags(e, search)
	var showJSON jsonOptions
	show := &cobra.Command{
		Use:   "show ID",
		Short: "A company's privacy contact, self-service steps, what to do first",
		Example: `  erase companies show aliexpress
  erase companies show deutsche-bahn --jq .privacy.email`,
		Args: exactArgs(1, "erase companies show needs one company ID, e.g. erase companies show aliexpress"),
		ValidArgsFunction: func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return e.companyIDs(toComplete), cobra.ShellCompDirectiveNoFileComp
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
			if showJSON.on {
				return showJSON.write(cmd.Context(), e.stdout, c)
			}
			return writeCompany(e.stdout, dir, c, c.Staleness(e.now(), e.bounces()))
		},
	}
	addJSONFlags(show, &showJSON, fieldsOf(companies.Company{}))
	cmd.AddCommand(list, search, show)
	cmd.AddCommand(newPacksCmd(e))
	cmd.AddCommand(newCompaniesImportCmd(e))
	return cmd
}

// companyFilter is the --category and --country of list and search.
type companyFilter struct{ category, country string }

func (f *companyFilter) flags(e *env, cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.category, "category", "", "only companies in `CATEGORY` (commerce, finance, ...)")
	cmd.Flags().StringVar(&f.country, "country", "", "only companies for `CODE` (ISO 3166-1) and those for all countries")
	cmd.RegisterFlagCompletionFunc("category", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		dir, err := e.companyDir()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return dir.Categories(), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("country", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		dir, err := e.companyDir()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		// The countries records name, with their names where erase knows them.
		named := map[string]string{}
		for _, c := range e.placeCompletions("") {
			cc, _, _ := strings.Cut(c, "\t")
			named[cc] = c
		}
		var out []string
		for _, cc := range dir.Countries() {
			if c, ok := named[cc]; ok {
				out = append(out, c)
			} else {
				out = append(out, cc)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// options checks the flags against the directory.
func (f *companyFilter) options(e *env) (*companies.Directory, companies.SearchOptions, error) {
	opts := companies.SearchOptions{Category: f.category, Country: strings.ToUpper(strings.TrimSpace(f.country))}
	if opts.Country != "" && !isCountryCode(opts.Country) {
		return nil, opts, badinput.Errorf("--country %q is not an ISO 3166 country code", f.country).
			Hint("use the two-letter code, e.g. DE, FR, GB, US, BR")
	}
	dir, err := e.companyDir()
	if err != nil {
		return nil, opts, err
	}
	if f.category != "" {
		have := dir.Categories()
		if !slices.Contains(have, f.category) {
			b := badinput.Errorf("--category %q is not a category of the directory", f.category)
			if near := nearest.Word(f.category, have); near != "" {
				b.Hint("did you mean %s?", near)
			}
			return nil, opts, b.Hint("the categories are %s", strings.Join(have, ", "))
		}
	}
	return dir, opts, nil
}

// words are the flags, for saying what matched nothing.
func (f *companyFilter) words() string {
	var w string
	if f.category != "" {
		w += " in the category " + f.category
	}
	if f.country != "" {
		w += " for " + strings.ToUpper(f.country)
	}
	return w
}

func isCountryCode(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

// writeCompanies prints the entries as a table of how to reach each, or
// with --json their records, decoded.
func writeCompanies(ctx context.Context, w io.Writer, dir *companies.Directory, entries []companies.Entry, o *jsonOptions) error {
	if o.on {
		cs := make([]*companies.Company, 0, len(entries))
		for _, en := range entries {
			c, err := dir.Get(en.ID)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return o.write(ctx, w, cs)
	}
	if len(entries) == 0 {
		return nil
	}
	// Columns as wide as their cells, up to a width: a few ids run to 80
	// letters and names to 100, which would push every row off the screen.
	// A longer id overflows its column (it is what --company takes, so it
	// is whole); a longer name is cut (--json has it whole).
	const maxID, maxName = 32, 40
	idW, nameW := len("ID"), len("NAME")
	for _, en := range entries {
		idW = max(idW, min(utf8.RuneCountInString(en.ID), maxID))
		nameW = max(nameW, min(utf8.RuneCountInString(en.Name), maxName))
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%-*s  %-*s  %s\n", idW, "ID", nameW, "NAME", "PRIVACY CONTACT")
	for _, en := range entries {
		fmt.Fprintf(bw, "%-*s  %-*s  %s\n", idW, en.ID, nameW, clip(en.Name, maxName), reach(dir, en))
	}
	return bw.Flush()
}

// clip cuts s to n characters, the last an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ,;") + "…"
}

// reach is how a letter reaches the company: its privacy e-mail, else its
// web form or postal address (read from the record: few have no e-mail),
// else only its self-service link.
func reach(dir *companies.Directory, en companies.Entry) string {
	switch {
	case en.Email != "":
		return en.Email
	case !en.Writable:
		return "self-service only"
	}
	if c, err := dir.Get(en.ID); err == nil {
		return companyReach(c)
	}
	return "post"
}

// companyReach is reach for a decoded record.
func companyReach(c *companies.Company) string {
	switch {
	case c.Privacy.Email != "":
		return c.Privacy.Email
	case !c.Writable():
		return "self-service only"
	case c.Privacy.Webform != "":
		return "web form"
	}
	return "post"
}

func writeCompany(w io.Writer, dir *companies.Directory, c *companies.Company, stale companies.Staleness) error {
	// gap separates sections: a blank line before the next line written,
	// so that a section with nothing to say leaves none.
	gap := false
	p := func(format string, args ...any) {
		if gap {
			fmt.Fprintln(w)
			gap = false
		}
		fmt.Fprintf(w, format+"\n", args...)
	}
	blank := func() { gap = true }
	p("%s (%s)", c.Name, c.ID)
	writeFirst(p, blank, c)
	blank()
	if c.LegalName != "" && c.LegalName != c.Name {
		p("Legal name: %s", c.LegalName)
	}
	if c.Service != "" && c.Service != c.Name {
		p("Service: %s", c.Service)
	}
	if c.Registration != "" {
		p("Registration: %s", c.Registration)
	}
	if c.Web != "" {
		p("Web: %s", c.Web)
	}
	if len(c.Runs) > 0 {
		p("Runs: %s", strings.Join(c.Runs, ", "))
	}
	if len(c.Countries) > 0 {
		p("Countries: %s", strings.Join(c.Countries, ", "))
	}
	if len(c.Categories) > 0 {
		p("Categories: %s", strings.Join(c.Categories, ", "))
	}
	if c.Writable() {
		blank()
		p("Privacy contact:")
		p("  %s", c.Privacy.Name)
		for _, line := range c.Privacy.Address {
			p("  %s", line)
		}
		if c.Privacy.Email != "" {
			p("  %s", c.Privacy.Email)
		}
		if c.Privacy.Webform != "" {
			p("  web form: %s", c.Privacy.Webform)
		}
		if c.Privacy.Phone != "" {
			p("  phone: %s", c.Privacy.Phone)
		}
		if c.Privacy.Fax != "" {
			p("  fax: %s", c.Privacy.Fax)
		}
		if len(c.Privacy.Address) > 0 && !c.Privacy.AddressCertain() {
			p("  warning: this postal address is %s, not read in a source: check it before you post a letter (see the notes)", c.Privacy.AddressStatus)
		}
		if m := mediumWords[c.Medium]; m != "" {
			p("Suggested medium: %s", m)
		}
	}
	blank()
	checked := "contact"
	if !c.Writable() {
		checked = "page"
	}
	p("Facts as of %s (%s); the live %s was not checked", c.Snapshot, factsOrigin(c), checked)
	if q := qualityWords[c.Quality]; q != "" {
		p("Quality: %s", q)
	}
	for _, why := range staleReasons(c, stale) {
		p("warning: possibly stale: %s", why)
	}
	if c.GroupContact != "" {
		if g, err := dir.Get(c.GroupContact); err == nil {
			blank()
			p("Group privacy contact: %s (%s), %s", g.Name, g.ID, g.Privacy.Email)
			if g.Registration != "" && g.Registration == c.Registration {
				p("  the same legal entity as this record's (%s), not a parent company", g.Registration)
			}
			p("  write to it with: erase letter --company %s --contact group ...", c.ID)
		}
	}
	if c.Writable() {
		blank()
		p("A letter needs: %s", strings.Join(neededFields(c), ", "))
		if len(c.Identifiers) > 0 {
			p("Useful account details: %s (pass them with --account KEY=VALUE)", strings.Join(c.Identifiers, ", "))
		}
		if c.NeedsIDDocument {
			for _, line := range idDocumentNote {
				p("%s", line)
			}
		}
	}
	if len(c.Checklist) > 0 {
		blank()
		p("Before you delete:")
		for _, item := range c.Checklist {
			p("  - %s", item)
		}
	}
	if s := c.SelfService; s != nil {
		blank()
		p("Delete it yourself: %s%s", s.URL, rated(s, " (%s)"))
		if s.Email != "" {
			p("  or by e-mail: %s", s.Email)
		}
		for i, step := range s.Steps {
			p("  %d. %s", i+1, step)
		}
		p("  [source: %s]", s.Source)
	}
	if len(c.Notes) > 0 {
		blank()
		p("Notes:")
		for _, n := range c.Notes {
			p("  - %s", n)
		}
	}
	blank()
	p("Sources:")
	for _, s := range c.Sources {
		p("  - %s (%s)", s.URL, s.What)
	}
	return nil
}

// idDocumentNote is shown for a company known to ask for a copy of an
// identity document: the GDPR's limit, as jurisdictions/gdpr.yaml words it
// for the letters (TestIDDocumentNote holds the two together).
var idDocumentNote = []string{
	"Asks for a copy of an identity document. Under the GDPR a company may ask for more",
	"  information only where it has reasonable doubts about who you are (Article 12(6)",
	"  GDPR); erase's GDPR letters say so",
}

// writeFirst says what to do first, where the record tells: that no letter
// may be needed (an easy or medium self-service deletion), that the
// directory has no privacy contact to write to, or that a letter is the
// way (deleting it yourself is hard or impossible).
func writeFirst(p func(string, ...any), blank func(), c *companies.Company) {
	s := c.SelfService
	switch {
	case !c.Writable():
		blank()
		switch {
		case s.NoLetterNeeded():
			p("You may not need a letter: delete the account yourself at %s%s", s.URL, rated(s, " (%s)"))
		case hardToDelete(s):
			p("A letter is the way: deleting the account yourself is %s%s", s.Difficulty, rated(s, " (%[2]s)"))
		default:
			p("Delete the account yourself at %s%s", s.URL, rated(s, " (%s)"))
		}
		p("%s takes no letters in the directory: it has only this self-service link", c.Name)
		if s.Email != "" {
			p("To write to it, use the address %s gives for deletion requests:", rater(s))
			p("  erase letter --to-name %s --to-email %s ...", shellQuote(c.Name), s.Email)
		} else {
			p("To write to it, find the privacy contact in its privacy policy and pass it:")
			p("  erase letter --to-name %s --to-email ADDRESS ...", shellQuote(c.Name))
		}
	case s.NoLetterNeeded():
		blank()
		p("You may not need a letter: delete the account yourself at %s%s", s.URL, rated(s, " (%s)"))
		p("A letter is still the way to have your other data erased and to get a confirmation")
	case hardToDelete(s):
		blank()
		p("A letter is the way: deleting the account yourself is %s%s", s.Difficulty, rated(s, " (%[2]s)"))
	}
}

// hardToDelete: deleting the account yourself is rated hard or impossible.
func hardToDelete(s *companies.SelfService) bool {
	return s != nil && (s.Difficulty == "hard" || s.Difficulty == "impossible")
}

// rated fills format with the difficulty of s and who rates it
// (JustDeleteMe, or the record); "" when s has no difficulty.
func rated(s *companies.SelfService, format string) string {
	if s == nil || s.Difficulty == "" {
		return ""
	}
	who := rater(s)
	if strings.Contains(format, "%[2]s") {
		return fmt.Sprintf(format, s.Difficulty, "as "+who+" rates it")
	}
	return fmt.Sprintf(format, who+" rates it "+s.Difficulty)
}

// rater is who rates the self-service way and gives its link: JustDeleteMe,
// or the record itself (a hand-checked one, an override).
func rater(s *companies.SelfService) string {
	if strings.Contains(s.Source, "JustDeleteMe") {
		return "JustDeleteMe"
	}
	return "the record"
}

// factsOrigin says where a record's facts, dated by its snapshot, come
// from.
func factsOrigin(c *companies.Company) string {
	switch {
	case c.Quality != "":
		return "the Datenanfragen snapshot they come from"
	case !c.Writable():
		return "the JustDeleteMe snapshot they come from"
	}
	return "the date of the dataset snapshot they were taken from"
}

// qualityWords say how Datenanfragen rates a record (its schema.json).
var qualityWords = map[string]string{
	"tested":   "tested (someone has sent a request with these details, and it went through)",
	"verified": "verified (a person checked the record, likely on the company's website)",
	"scraped":  "scraped (made by a machine, not checked by a person)",
}

// mediumWords say how a company suggests requests reach it.
var mediumWords = map[string]string{
	"email":   "e-mail",
	"letter":  "a letter by post",
	"fax":     "fax",
	"webform": "its web form",
}

// neededFields are the details a letter to c asks of you, with their
// flags: the name and e-mail address every letter needs, what c
// requires, and the account details it asks for (--account KEY=VALUE).
func neededFields(c *companies.Company) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range append([]string{"name", "email"}, c.Requires...) {
		if seen[f] {
			continue
		}
		seen[f] = true
		if r, ok := requirements[f]; ok {
			flag := r.flag
			if f == "account" {
				flag += " KEY=VALUE"
			}
			out = append(out, fmt.Sprintf("your %s (%s)", r.field, flag))
		} else {
			out = append(out, "your "+fieldWords[f])
		}
	}
	for _, a := range c.RequiredAccounts {
		value := "VALUE"
		if a.Long {
			value = "TEXT"
		}
		out = append(out, fmt.Sprintf("%s (--account %s=%s)", a.Label, a.Key, value))
	}
	return out
}

// fieldWords name the required fields erase has no flag for.
var fieldWords = map[string]string{"birthdate": "date of birth"}

// shellQuote quotes s for a shell command line where it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
