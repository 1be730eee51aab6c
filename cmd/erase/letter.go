package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/dispatch"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/profile"
	"github.com/erase-cli/erase/requests"
	"github.com/spf13/cobra"
)

// letterOptions holds everything that goes into a letter; `erase send`
// takes the same.
type letterOptions struct {
	law, country, region string
	companies            []string
	companiesFile        string
	packs                []string
	yes                  bool // --yes: every company of a --pack to choose from; erase send: send without asking
	contact              string
	toName, toEmail      string
	toAddress            []string
	name, email, phone   string
	birthdate            string
	address              []string
	accounts             []string
	profilePath          string
	kind, lang           string
	details              []string
	request, authority   string
	force, posted        bool
	date, reference      string
	format, output       string
	paper                string
	font, fontBold       string
	signature            string
}

const letterExamples = `  # A GDPR erasure letter to AliExpress, as text on stdout
  erase letter --law gdpr --company aliexpress \
    --name "Jane Doe" --email jane@example.com --account username=jdoe88

  # The same as a PDF, the law picked from where you live
  erase letter --country DE --company aliexpress --profile me.yaml -o letter.pdf

  # To Alibaba Group's privacy contact, about your AliExpress account
  erase letter --law gdpr --company aliexpress --contact group --profile me.yaml

  # Ask for a copy of your data first, in German
  erase letter --law gdpr --kind access --lang de --company aliexpress

  # After the deadline: a reminder, then a complaint to the authority
  erase letter --kind reminder --request ERASE-20261127-K3F9QX
  erase letter --kind complaint --request ERASE-20261127-K3F9QX -o complaint.pdf

  # To every address broker in Germany, one PDF each
  erase letter --pack de-address-brokers --profile me.yaml -o letters/

  # In a pipeline: profile on stdin, JSON out
  cat me.yaml | erase letter --profile - --company aliexpress --format json |
    jq -r .due`

func newLetterCmd(e *env) *cobra.Command {
	o := &letterOptions{}
	cmd := &cobra.Command{
		Use:     "letter",
		Short:   "Write a request letter as text, JSON, PDF or an e-mail message",
		Example: letterExamples,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.letterRun(cmd.Context(), o)
		},
	}
	addLetterFlags(e, cmd, o)
	cmd.Flags().BoolVar(&o.force, "force", false, "write a reminder or complaint before the request's state calls for one (not yet overdue, say)")
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "take every company of a --pack to choose from without asking: needed where no one is at a terminal")
	cmd.Flags().BoolVar(&o.posted, "posted", false, "record the letter in the ledger as sent on its date, for a letter you post or e-mail yourself (erase status then tracks it)")
	return cmd
}

func addLetterFlags(e *env, cmd *cobra.Command, o *letterOptions) {
	f := cmd.Flags()
	f.StringVar(&o.law, "law", "", "legal regime `ID` (gdpr, uk-gdpr, ccpa, lgpd, ...; see erase laws list)")
	f.StringVar(&o.country, "country", "", "where you live, as an ISO 3166-1 `CODE` (DE, GB, US), to pick the law")
	f.StringVar(&o.region, "region", "", "ISO 3166-2 subdivision `CODE` (CA or US-CA), for the US and Canada")
	f.StringArrayVar(&o.companies, "company", nil, "company `ID` from the directory (repeat for several letters)")
	f.StringVar(&o.companiesFile, "companies", "", "read company IDs, one a line, from `FILE` (- for stdin)")
	f.StringArrayVar(&o.packs, "pack", nil, "write to the companies of pack `ID` (repeatable; erase companies packs lists them)")
	f.StringVar(&o.contact, "contact", "privacy", "write to `CONTACT`: privacy (the company's own privacy contact) or group (its group's)")
	f.StringVar(&o.toName, "to-name", "", "an ad-hoc recipient's `NAME` (instead of --company)")
	f.StringVar(&o.toEmail, "to-email", "", "an ad-hoc recipient's e-mail `ADDRESS`")
	f.StringArrayVar(&o.toAddress, "to-address", nil, "an ad-hoc recipient's postal address `LINE` (repeat for each line)")
	f.StringVar(&o.name, "name", "", "your full `NAME`")
	f.StringVar(&o.email, "email", "", "your e-mail `ADDRESS`")
	f.StringArrayVar(&o.address, "address", nil, "your postal address `LINE` (repeat for each line)")
	f.StringVar(&o.phone, "phone", "", "your phone `NUMBER`")
	f.StringVar(&o.birthdate, "birthdate", "", "your `DATE` of birth, YYYY-MM-DD, for a company that requires it (only its letters carry it)")
	f.StringArrayVar(&o.accounts, "account", nil, "an account identifier `KEY=VALUE` (username=jdoe88; repeatable)")
	f.StringVar(&o.profilePath, "profile", "", "read your details from `FILE` (YAML or JSON; - for stdin)")
	f.StringVar(&o.kind, "kind", letters.KindErasure, "the `KIND` of request: "+strings.Join(e.kindIDs(), ", ")+" (erase laws show ID lists what a law grants)")
	f.StringArrayVar(&o.details, "detail", nil, "your own words for the request, as `NAME=TEXT`: correction=... (rectification), situation=... (objection); repeatable")
	f.StringVar(&o.request, "request", "", "the `REF` of the request a reminder or complaint is about (erase status lists them)")
	f.StringVar(&o.authority, "authority", "", "the authority `ID` a complaint goes to (default: the one competent where you live; erase authorities list)")
	f.StringVar(&o.lang, "lang", "", "the letter's `LANGUAGE`: "+strings.Join(e.templateSet().Languages(), ", ")+" (default: the company's, else your profile's, else English)")
	f.StringVar(&o.date, "date", "", "the letter's `DATE`, YYYY-MM-DD (default today); fixes every date in the output")
	f.StringVar(&o.reference, "reference", "", "your own reference `REF` instead of the derived one")
	f.StringVar(&o.format, "format", "", "output `FORMAT`: text, json, pdf or eml (default: from the -o extension, else text)")
	f.StringVarP(&o.output, "output", "o", "", "write to `FILE` (- for stdout), or to a directory DIR/ with one file per company")
	f.StringVar(&o.paper, "paper", "", "`PAPER` for PDF: a4 or letter (default: the law's)")
	f.StringVar(&o.font, "font", "", "TrueType `FILE` for the PDF text, for scripts DejaVu Sans lacks")
	f.StringVar(&o.fontBold, "font-bold", "", "TrueType `FILE` for bold PDF text (default: --font)")
	f.StringVar(&o.signature, "signature", "", "PNG `FILE` of your signature for the PDF")
	complete := func(ids func() []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return ids(), cobra.ShellCompDirectiveNoFileComp
		}
	}
	cmd.RegisterFlagCompletionFunc("law", complete(e.lawIDs))
	cmd.RegisterFlagCompletionFunc("company", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return e.companyIDs(toComplete), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("pack", complete(e.packCompletions))
	cmd.RegisterFlagCompletionFunc("contact", complete(func() []string { return []string{"privacy", "group"} }))
	cmd.RegisterFlagCompletionFunc("format", complete(func() []string { return []string{"text", "json", "pdf", "eml"} }))
	cmd.RegisterFlagCompletionFunc("country", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return e.placeCompletions(""), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("region", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		country, _ := c.Flags().GetString("country")
		return e.placeCompletions(strings.ToUpper(country) + "-"), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("paper", complete(func() []string { return []string{"a4", "letter"} }))
	cmd.RegisterFlagCompletionFunc("kind", complete(e.kindIDs))
	cmd.RegisterFlagCompletionFunc("lang", complete(e.templateSet().Languages))
}

func (e *env) kindIDs() []string {
	kinds, err := e.templateSet().Kinds()
	if err != nil {
		return nil
	}
	ids := make([]string, len(kinds))
	for i, k := range kinds {
		ids[i] = k.ID
	}
	return ids
}

func (e *env) lawIDs() []string {
	s, err := e.lawSet()
	if err != nil {
		return nil
	}
	return s.IDs()
}

// companyIDs are the ids that complete prefix, the --company typed so far:
// a few of thousands, found without reading the rest.
func (e *env) companyIDs(prefix string) []string {
	d, err := e.companyDir()
	if err != nil {
		return nil
	}
	return d.IDsWithPrefix(prefix)
}

// plan is a checked letterOptions: the letters to compose and where they go.
type plan struct {
	regime   *jurisdictions.Regime
	date     time.Time
	who      *profile.Profile
	requests []letters.Request
	details  map[string][]string
	format   string
	output   string // "" or "-" = stdout; a path; or a directory
	toDir    bool
	opts     *letterOptions
	// authority is where a complaint goes; nil for other letters.
	authority *authorities.Authority
	// uncertain names the recipients whose postal address the directory
	// only infers: a letter to post should be checked first.
	uncertain []string
	// routes say how each of requests reaches its recipient (e-mail,
	// post, a web form), index by index; empty for a follow-up.
	routes []requests.Route
	// idDocuments are the companies known to ask for an ID document.
	idDocuments []requests.IDDocument
}

func (e *env) letterRun(ctx context.Context, o *letterOptions) error {
	p, err := e.plan(o, []string{"text", "json", "pdf", "eml"})
	if err != nil {
		return err
	}
	if len(p.requests) > 1 && !p.toDir && p.format != "json" {
		return badinput.Errorf("%d letters need a directory: pass -o DIR/", len(p.requests)).
			Hint("or --format json, which prints them as one JSON array")
	}
	e.forgetCompanies()
	// A batch into a directory is written a letter at a time, so that it
	// holds only the letters being written, whatever its size; other
	// output is composed whole first.
	var posted []ledger.Record
	if p.toDir {
		// Collect the directory now, so that the batch's heap grows from
		// what the batch holds rather than from what planning held.
		runtime.GC()
		posted, err = e.writeBatch(ctx, p)
	} else {
		posted, err = e.writeLetters(p)
	}
	if err != nil {
		return err
	}
	warnPDF(e.stderr, p.format, p.who.Address)
	if p.format == "pdf" { // the letter to post
		for _, w := range p.uncertain {
			fmt.Fprintf(e.stderr, "erase: warning: %s\n", w)
		}
	}
	for i, rt := range p.routes {
		if rt.Channel == requests.ByWebform {
			fmt.Fprintf(e.stderr, "erase: %s\n", webformNote(p.requests[i].Recipient, rt))
			if p.format != "text" {
				fmt.Fprintf(e.stderr, "erase: hint: --format text writes the text to paste\n")
			}
		}
	}
	e.noteIDDocuments(p)
	if a := p.authority; a != nil {
		e.howToFile(a, p.opts.request)
	}
	return e.recordPosted(posted)
}

// webformNote says where to paste the letter to a company that takes
// requests by a web form.
func webformNote(to letters.Party, rt requests.Route) string {
	if to.Email == "" && len(to.Address) == 0 {
		return fmt.Sprintf("%s takes requests by web form only: paste the letter into %s", to.Name, rt.Webform)
	}
	return fmt.Sprintf("%s asks for requests through its web form: paste the letter into %s", to.Name, rt.Webform)
}

// noteIDDocuments says, for each company known to ask for a copy of an
// identity document, what the law lets it ask.
func (e *env) noteIDDocuments(p *plan) {
	for _, d := range p.idDocuments {
		fmt.Fprintf(e.stderr, "erase: note: %s\n", d)
	}
}

// forgetCompanies lets the company directory go once the letters are
// planned: nothing after needs it, and for a batch to thousands of
// companies it is most of what the process holds (an imported index, and
// every record the batch decoded). companyDir loads it again if asked.
func (e *env) forgetCompanies() {
	e.companiesOnce = sync.Once{}
	e.directory, e.companiesErr = nil, nil
}

// postedRecord is the ledger record of letter l, for --posted; it refuses
// a letter the ledger already has.
func postedRecord(led *ledger.Ledger, req letters.Request, l *letters.Letter) (ledger.Record, error) {
	if _, err := led.Get(l.Reference); err == nil {
		return ledger.Record{}, badinput.Errorf("--posted: %s is already in the ledger", l.Reference).Hint("erase status shows it")
	}
	if !trackable(l.Recipient) {
		return ledger.Record{}, badinput.Errorf("--posted: %s has neither an e-mail nor a postal address for the ledger to record: erase cannot track a request sent by web form yet", l.Recipient.Name).
			Hint("keep the letter's reference, %s, and the form's confirmation", l.Reference)
	}
	return dispatch.Posted(req, l)
}

// trackable reports whether the ledger can record a letter to p: it names
// the contact by its e-mail or postal address.
func trackable(p letters.Party) bool { return p.Email != "" || len(p.Address) > 0 }

// recordPosted adds the records of --posted letters to the ledger as sent
// on their date.
func (e *env) recordPosted(recs []ledger.Record) error {
	if len(recs) == 0 {
		return nil
	}
	led, err := e.ledger()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := led.Add(rec); errors.Is(err, ledger.ErrExists) {
			return badinput.Errorf("--posted: %s is already in the ledger", rec.Reference).Hint("erase status shows it")
		} else if err != nil {
			return err
		}
		dispatch.MarkComplained(led, rec)
		fmt.Fprintf(e.stderr, "erase: recorded %s as sent on %s; erase status tracks it\n", rec.Reference, rec.Sent.Format("2006-01-02"))
	}
	return nil
}

// howToFile tells the person how the authority takes the complaint just
// written, and how to record that they filed it.
func (e *env) howToFile(a *authorities.Authority, ref string) {
	name := a.Name
	if a.NameEN != "" {
		name = a.NameEN
	}
	c := a.Complaint
	switch c.Channel {
	case authorities.ChannelWebform:
		fmt.Fprintf(e.stderr, "erase: %s takes complaints through its web form: %s\n", name, c.Webform)
		fmt.Fprintf(e.stderr, "erase: hint: paste the letter's text there, attach your request, then record it: erase status mark %s complained\n", ref)
	case authorities.ChannelEmail:
		fmt.Fprintf(e.stderr, "erase: %s takes complaints by e-mail at %s: erase send --kind complaint --request %s sends it\n", name, a.ComplaintEmail(), ref)
	case authorities.ChannelPost:
		fmt.Fprintf(e.stderr, "erase: %s takes complaints by post: print the PDF (-o complaint.pdf), sign it and post it\n", name)
		fmt.Fprintf(e.stderr, "erase: hint: then record it: erase status mark %s complained\n", ref)
	default:
		fmt.Fprintf(e.stderr, "erase: %s says on its website how it takes complaints: %s\n", name, a.Web)
		fmt.Fprintf(e.stderr, "erase: hint: once you have filed it: erase status mark %s complained\n", ref)
	}
	if c.Kind == authorities.KindReport {
		fmt.Fprintf(e.stderr, "erase: note: %s takes reports, not complaints: it decides itself whether to act, and need not tell you the outcome\n", name)
	}
}

// plan checks every input before anything is written.
func (e *env) plan(o *letterOptions, formats []string) (*plan, error) {
	p := &plan{opts: o, output: o.output}
	if o.law != "" && (o.country != "" || o.region != "") {
		return nil, badinput.Errorf("--law and --country both choose the law: pass one of them")
	}
	if o.profilePath == "-" && o.companiesFile == "-" {
		return nil, badinput.Errorf("--profile - and --companies - both want standard input: give one of them a file")
	}
	var err error
	if p.format, p.toDir, err = outputFormat(o.format, o.output, formats); err != nil {
		return nil, err
	}
	if err := checkOutput("-o", o.output, p.toDir); err != nil {
		return nil, err
	}
	if p.date, err = e.letterDate(o.date); err != nil {
		return nil, err
	}
	if p.who, err = e.requester(o); err != nil {
		return nil, err
	}
	followUp := o.request != "" || o.authority != ""
	if k, err := e.templateSet().Kind(o.kind); err == nil && k.Follows {
		followUp = true
	}
	if !followUp {
		if p.regime, err = e.pickRegime(o, p.who); err != nil {
			return nil, err
		}
	}
	if o.contact != companies.ContactPrivacy && o.contact != companies.ContactGroup {
		return nil, badinput.Errorf("--contact %q is not privacy or group", o.contact)
	}
	if o.paper != "" && o.paper != "a4" && o.paper != "letter" {
		return nil, badinput.Errorf("--paper %q is not a4 or letter", o.paper)
	}
	if followUp {
		return p, e.planFollowUp(p)
	}
	if p.details, err = e.checkKind(o, p.regime); err != nil {
		return nil, err
	}
	if err := e.addRequests(p); err != nil {
		return nil, err
	}
	return p, nil
}

// checkKind refuses a kind erase does not know or the law does not grant,
// and a --detail the kind does not take, before anything is composed.
func (e *env) checkKind(o *letterOptions, r *jurisdictions.Regime) (map[string][]string, error) {
	details, err := requests.Details(o.details)
	if err == nil {
		err = requests.CheckKind(e.templateSet(), r, o.kind, details)
	}
	return details, kindError(err, o.kind)
}

// outputFormat decides the format from --format or the -o extension.
func outputFormat(format, output string, allowed []string) (string, bool, error) {
	toDir := strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(os.PathSeparator))
	if !toDir && output != "" && output != "-" {
		if st, err := os.Stat(output); err == nil && st.IsDir() {
			toDir = true
		}
	}
	if format == "" {
		format = "text"
		ext := strings.ToLower(filepath.Ext(output))
		if st, err := os.Stat(output); err == nil && !st.Mode().IsRegular() {
			ext = "" // a FIFO or a device: its name says nothing of the format
		}
		switch {
		case toDir:
			format = "pdf" // a directory of letters: to post or attach
		case ext == ".pdf":
			format = "pdf"
		case ext == ".json":
			format = "json"
		case ext == ".eml":
			format = "eml"
		case ext == "" || ext == ".txt" || ext == ".text":
		default:
			return "", false, badinput.Errorf("-o %s: erase does not write %s files", output, ext).
				Hint("name it .txt, .pdf, .json or .eml, or pass --format text|pdf|json|eml")
		}
	}
	for _, a := range allowed {
		if format == a {
			return format, toDir, nil
		}
	}
	return "", false, badinput.Errorf("--format %q is not one of %s", format, strings.Join(allowed, ", "))
}

func (e *env) letterDate(s string) (time.Time, error) {
	if s == "" {
		y, m, d := e.now().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, badinput.Errorf("--date %q is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27", s)
	}
	return t, nil
}

// requester merges the flags with --profile, or without it with the saved
// profile: flags first.
func (e *env) requester(o *letterOptions) (*profile.Profile, error) {
	who := &profile.Profile{Name: o.name, Email: o.email, Phone: o.phone, Address: o.address}
	if o.birthdate != "" {
		if _, err := profile.ParseBirthdate("--birthdate", o.birthdate, e.now()); err != nil {
			return nil, err
		}
		who.Birthdate = strings.TrimSpace(o.birthdate)
	}
	for _, kv := range o.accounts {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, badinput.Errorf("--account %q is not KEY=VALUE", kv).Hint("e.g. --account username=jdoe88")
		}
		if err := profile.CheckAccountKey(k); err != nil {
			return nil, err
		}
		if err := letters.CheckText("--account "+k, v); err != nil {
			return nil, err
		}
		who.Accounts = append(who.Accounts, letters.Account{Key: k, Value: v})
	}
	for _, f := range [][2]string{{"--name", o.name}, {"--phone", o.phone}, {"--lang", o.lang}} {
		if err := letters.CheckText(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	for _, line := range o.address {
		if err := letters.CheckText("--address", line); err != nil {
			return nil, err
		}
	}
	if o.email != "" {
		if err := letters.CheckEmail("--email", o.email); err != nil {
			return nil, err
		}
	}
	if o.profilePath != "" {
		if o.profilePath == "-" {
			if err := e.claimStdin("--profile"); err != nil {
				return nil, err
			}
		}
		file, err := profile.Read(o.profilePath, e.stdin)
		if err != nil {
			return nil, err
		}
		// An explicit profile is the whole requester: the saved profile,
		// possibly another person's, must not fill its gaps (an address).
		who.Merge(file)
		return who, nil
	}
	dir, err := e.configDir()
	if err != nil {
		return nil, err
	}
	saved, err := profile.LoadSaved(dir)
	if err != nil {
		return nil, err
	}
	who.Merge(saved)
	if o.birthdate == "" && who.Birthdate != "" {
		if _, err := profile.ParseBirthdate("the profile's birthdate", who.Birthdate, e.now()); err != nil {
			return nil, err
		}
	}
	return who, nil
}

func (e *env) pickRegime(o *letterOptions, who *profile.Profile) (*jurisdictions.Regime, error) {
	laws, err := e.lawSet()
	if err != nil {
		return nil, err
	}
	if o.law != "" {
		r, err := laws.Get(o.law)
		return r, unknownLaw(err, "--law")
	}
	country, region := o.country, o.region
	fromProfile := country == "" && region == ""
	if fromProfile {
		country, region = who.Country, who.Region
	}
	if country == "" && region == "" {
		return nil, badinput.Errorf("no law chosen: pass --law ID, or --country CODE for where you live").
			Hint("erase laws list shows the regimes; e.g. --law gdpr, or --country DE")
	}
	r, err := laws.Pick(country, region)
	var pe *jurisdictions.PlaceError
	if !errors.As(err, &pe) {
		return r, err
	}
	b := placeError(pe)
	if pe.NoLaw {
		// Without a law to cite, what a person can still do is delete the
		// account through the company's own steps, where it has them.
		if id := e.knownCompany(o); id != "" {
			b.Hint("erase companies show %s shows how to delete the account yourself, where the company offers a way", id)
		} else {
			b.Hint("erase companies search NAME finds a company in erase's directory, with the steps to delete an account yourself where the company offers a way")
		}
	}
	if fromProfile {
		b.Hint("the country and region come from your profile: pass --country (and --region) to choose them here, or change the profile")
	}
	return nil, b
}

// knownCompany returns the one --company given, if the directory has it.
func (e *env) knownCompany(o *letterOptions) string {
	if len(o.companies) != 1 {
		return ""
	}
	dir, err := e.companyDir()
	if err != nil {
		return ""
	}
	c, err := dir.Get(o.companies[0])
	if err != nil {
		return ""
	}
	return c.ID
}

// addRequests resolves the recipients and plans one letter per company.
func (e *env) addRequests(p *plan) error {
	o := p.opts
	ids := append([]string(nil), o.companies...)
	if o.companiesFile != "" {
		more, err := e.readCompanyIDs(o.companiesFile)
		if err != nil {
			return err
		}
		ids = append(ids, more...)
	}
	more, err := e.packCompanies(o)
	if err != nil {
		return err
	}
	ids = append(ids, more...)
	in := requests.Input{
		Regime: p.regime, Requester: p.who, Date: p.date, Kind: o.kind, Language: o.lang,
		Details: p.details, Reference: o.reference, Contact: o.contact,
		GiveBirthdate: o.birthdate != "",
	}
	switch {
	case o.toName != "" || o.toEmail != "" || len(o.toAddress) > 0:
		if len(ids) > 0 {
			return badinput.Errorf("--to-name, --to-email and --to-address write to one ad-hoc recipient: leave out --company and --pack")
		}
		if o.toName == "" {
			return badinput.Errorf("the recipient's name is missing: pass --to-name")
		}
		in.To = &letters.Party{Name: o.toName, Email: o.toEmail, Address: o.toAddress}
	case len(ids) == 0:
		return badinput.Errorf("no company given: pass --company ID, or --to-name and --to-email for anyone else").
			Hint("erase companies list shows the directory; erase companies packs, the packs for --pack ID")
	case len(ids) > 1 && o.reference != "":
		return badinput.Errorf("--reference names one letter, but %d companies are given", len(ids))
	default:
		dir, err := e.companyDir()
		if err != nil {
			return err
		}
		// A first pass checks every company and keeps only its id, the
		// stale ones (to warn of) and the first to require each detail
		// (to ask for it): a batch to thousands of companies holds their
		// records a chunk at a time, below.
		seen := map[string]bool{} // a company in a pack and given with --company gets one letter
		allIDs := ids
		ids = nil
		var stale, needers []*companies.Company
		needed := map[string]bool{}
		bounces, now := e.bounces(), e.now()
		for _, id := range allIDs {
			c, err := dir.Get(id)
			if err != nil {
				return unknownCompany(err, "--company")
			}
			if !c.Writable() {
				return selfServiceOnly(c)
			}
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			ids = append(ids, c.ID)
			if c.Staleness(now, bounces).Stale() {
				stale = append(stale, c)
			}
			for _, need := range requests.Missing(p.who, []*companies.Company{c}) {
				if need.Company != nil && !needed[need.Field] {
					needed[need.Field] = true
					needers = append(needers, c)
				}
			}
		}
		e.warnStale(stale)
		if err := e.ensureRequester(p.who, needers); err != nil {
			return err
		}
	}
	if in.To != nil {
		if err := e.ensureRequester(p.who, nil); err != nil {
			return err
		}
	}
	if o.lang != "" {
		probe := letters.Request{Kind: o.kind, Regime: p.regime}
		if err := letters.CheckLanguage(o.lang, probe, e.templateSet()); err != nil {
			return kindError(err, o.kind)
		}
	}
	dir, err := e.companyDir()
	if err != nil {
		return err
	}
	if in.To != nil {
		return p.add(requests.Make(in, dir))
	}
	const chunk = 256
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		in.Companies = in.Companies[:0]
		for _, id := range ids[:n] {
			c, err := dir.Get(id)
			if err != nil {
				return err
			}
			in.Companies = append(in.Companies, c)
		}
		if err := p.add(requests.Make(in, dir)); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// add takes the requests of a planned chunk into p.
func (p *plan) add(planned *requests.Plan, err error) error {
	if err != nil {
		return contactError(err)
	}
	p.requests = append(p.requests, planned.Requests...)
	p.routes = append(p.routes, planned.Routes...)
	p.idDocuments = append(p.idDocuments, planned.IDDocuments...)
	for _, u := range planned.Uncertain {
		p.uncertain = append(p.uncertain, u.String())
	}
	return nil
}

func (e *env) readCompanyIDs(path string) ([]string, error) {
	var r io.Reader
	if path == "-" {
		if err := e.claimStdin("--companies"); err != nil {
			return nil, err
		}
		r = e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, badinput.Errorf("--companies %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	var ids []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			ids = append(ids, line)
		}
	}
	return ids, sc.Err()
}

// requirement is a requester field a letter may need, with its flag.
type requirement struct {
	field, flag, question string
	// profileKey is how the profile file gives it, where erase profile
	// init does not ask for it.
	profileKey string
	set        func(p *profile.Profile, v string, today time.Time) error
}

var requirements = map[string]requirement{
	"name": {"name", "--name", "Your full name", "",
		func(p *profile.Profile, v string, _ time.Time) error { p.Name = v; return letters.CheckText("name", v) }},
	"email": {"e-mail address", "--email", "Your e-mail address", "",
		func(p *profile.Profile, v string, _ time.Time) error {
			p.Email = v
			return letters.CheckEmail("e-mail address", v)
		}},
	"address": {"postal address", "--address", "Your postal address (one line)", "",
		func(p *profile.Profile, v string, _ time.Time) error {
			p.Address = []string{v}
			return letters.CheckText("address", v)
		}},
	"phone": {"phone number", "--phone", "Your phone number", "",
		func(p *profile.Profile, v string, _ time.Time) error {
			p.Phone = v
			return letters.CheckText("phone", v)
		}},
	"account": {"account identifier", "--account", "An account identifier as KEY=VALUE (e.g. username=jdoe88)", "",
		func(p *profile.Profile, v string, _ time.Time) error {
			k, val, ok := strings.Cut(v, "=")
			if !ok {
				return badinput.Errorf("%q is not KEY=VALUE", v)
			}
			p.Accounts = append(p.Accounts, letters.Account{Key: strings.TrimSpace(k), Value: strings.TrimSpace(val)})
			return profile.CheckAccountKey(strings.TrimSpace(k))
		}},
	"birthdate": {"date of birth", "--birthdate YYYY-MM-DD", "Your date of birth (YYYY-MM-DD)", "birthdate: YYYY-MM-DD",
		func(p *profile.Profile, v string, today time.Time) error {
			if _, err := profile.ParseBirthdate("date of birth", v, today); err != nil {
				return err
			}
			p.Birthdate = v
			return nil
		}},
}

// accountRequirement is an account detail a company requires, asked for
// and named in the company's own words.
func accountRequirement(a *companies.AccountField, c *companies.Company) requirement {
	return requirement{a.Label, "--account " + a.Key + "=VALUE", fmt.Sprintf("%s (for %s)", a.Label, c.Name),
		a.Key + ": VALUE under accounts", func(p *profile.Profile, v string, _ time.Time) error {
			if err := letters.CheckText(a.Label, v); err != nil {
				return err
			}
			p.Accounts = append(p.Accounts, letters.Account{Key: a.Key, Value: v})
			return nil
		}}
}

// ensureRequester makes sure the requester has what every letter needs
// (name, e-mail) and what the companies require (a date of birth, a
// customer number), asking on a terminal and otherwise failing with the
// flag to pass.
func (e *env) ensureRequester(who *profile.Profile, cs []*companies.Company) error {
	for _, need := range requests.Missing(who, cs) {
		req := requirements[need.Field]
		if need.Account != nil {
			req = accountRequirement(need.Account, need.Company)
		}
		if need.Met(who) { // given at an earlier prompt
			continue
		}
		if !e.canPrompt() {
			err := badinput.Errorf("your %s is missing: pass %s", req.field, req.flag)
			if need.Company != nil {
				err = badinput.Errorf("%s requires your %s: pass %s", need.Company.Name, req.field, req.flag)
			}
			if need.Account != nil || need.Field == "birthdate" {
				dir, _ := e.configDir()
				return err.Hint("or save it in your profile (%s) as %s", profile.Path(dir), req.profileKey)
			}
			return err.Hint("or save it in your profile: erase profile init")
		}
		today := e.now()
		if err := e.askUntilValid(req.question, func(v string) error { return req.set(who, v, today) }); err != nil {
			return err
		}
	}
	return nil
}

// writeLetters composes the letters of p, all of them before anything is
// written, and writes them to stdout or a file: one letter, or several
// as one JSON array. It returns the ledger records of the letters, with
// --posted.
func (e *env) writeLetters(p *plan) ([]ledger.Record, error) {
	composed, err := e.composeAll(p)
	if err != nil {
		return nil, err
	}
	var posted []ledger.Record
	if p.opts.posted { // refuse a letter the ledger has before writing anything
		led, err := e.ledger()
		if err != nil {
			return nil, err
		}
		for i, l := range composed {
			rec, err := postedRecord(led, p.requests[i], l)
			if err != nil {
				return nil, err
			}
			posted = append(posted, rec)
		}
	}
	r, err := e.newRenderer(p)
	if err != nil {
		return nil, err
	}
	if p.format == "json" && len(composed) > 1 {
		out := make([]letters.JSON, len(composed))
		for i, l := range composed {
			out[i] = letters.ToJSON(l)
		}
		return posted, e.writeOutput("-o", p.output, "json", func(w io.Writer) error { return writeJSONValue(w, out) })
	}
	var rec *ledger.Record
	if len(posted) > 0 {
		rec = &posted[0]
	}
	return posted, e.writeOutput("-o", p.output, p.format, func(w io.Writer) error { return r.renderPosted(w, composed[0], rec) })
}

// writeOutput writes one rendered output to stdout or to the file named by
// flag (see output.go). Rendering happens into memory first, so a failure
// leaves no partial output; a PDF is never written to a terminal.
func (e *env) writeOutput(flag, path, format string, render func(io.Writer) error) error {
	toStdout := path == "" || path == "-"
	if toStdout && format == "pdf" && e.stdoutTTY { // an e-mail message is text; a PDF is not
		return badinput.Errorf("a PDF is binary and stdout is a terminal: pass -o FILE.pdf").
			Hint("or pipe it: erase letter ... --format pdf > letter.pdf")
	}
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	if toStdout {
		_, err := e.stdout.Write(b.Bytes())
		return err
	}
	return writeFile(flag, path, b.Bytes(), format == "pdf")
}

func formatExt(format string) string {
	switch format {
	case "text":
		return ".txt"
	default:
		return "." + format
	}
}

// placeCompletions offers country codes with their names (prefix ""), or
// the subdivisions whose codes start with prefix ("US-"; "-" for all),
// as shell completions "CODE\tName".
func (e *env) placeCompletions(prefix string) []string {
	laws, err := e.lawSet()
	if err != nil {
		return nil
	}
	places := laws.Places()
	var out []string
	if prefix == "" {
		for cc, name := range places.Countries {
			out = append(out, cc+"\t"+name)
		}
	} else {
		for _, sub := range places.Subdivisions {
			for code, name := range sub.Codes {
				if prefix == "-" || strings.HasPrefix(code, prefix) {
					out = append(out, code+"\t"+name)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// selfServiceOnly refuses a letter to a company the directory knows only
// by its self-service deletion link: it has no privacy contact to write to.
func selfServiceOnly(c *companies.Company) error {
	err := badinput.Errorf("%s takes no letters in the directory: it has only a self-service link", c.Name)
	if s := c.SelfService; s != nil {
		err.Hint("delete the account yourself at %s", s.URL)
	}
	return err.Hint("or write to its privacy contact with --to-name NAME --to-email ADDRESS (erase companies show %s)", c.ID)
}
