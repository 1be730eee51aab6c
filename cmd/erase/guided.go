package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/profile"
)

// guided is erase with no command on a terminal: it asks which company,
// where the person lives and what they want, then writes (or sends) the
// letter as erase letter would, and shows the command that does the same
// without questions.
func (e *env) guided(ctx context.Context) error {
	q := e.questions()
	fmt.Fprintln(q, "erase writes a formal request to a company about your personal data.")
	fmt.Fprintln(q, "Three questions, then your details if they are not saved. (Ctrl-C stops; erase --help lists the commands.)")
	fmt.Fprintln(q)

	dir, err := e.companyDir()
	if err != nil {
		return err
	}
	c, err := e.guidedCompany(dir)
	if err != nil {
		return err
	}
	o := &letterOptions{companies: []string{c.ID}, contact: companies.ContactPrivacy}

	laws, err := e.lawSet()
	if err != nil {
		return err
	}
	saved := e.savedProfile()
	r, err := e.guidedPlace(laws, saved, o)
	if err != nil {
		return err
	}
	if o.kind, err = e.guidedKind(r); err != nil {
		return err
	}

	how, err := e.guidedOutput()
	if err != nil {
		return err
	}
	base := []string{"--company", c.ID}
	if o.country != "" {
		base = append(base, "--country", o.country)
		if o.region != "" {
			base = append(base, "--region", o.region)
		}
	}
	if o.kind != "erasure" {
		base = append(base, "--kind", o.kind)
	}
	letterLine := append([]string{"erase", "letter"}, base...)
	switch how {
	case "pdf":
		o.format, o.output = "pdf", freeName(c.ID+"-"+o.kind, ".pdf")
		letterLine = append(letterLine, "-o", o.output)
		if err = e.letterRun(ctx, o); err == nil {
			fmt.Fprintf(e.stderr, "erase: wrote %s\n", o.output)
		}
	case "text":
		o.format = "text"
		err = e.letterRun(ctx, o)
	case "send":
		err = e.sendRun(ctx, &sendOptions{letterOptions: *o})
	}
	if err != nil {
		return err
	}
	sendLine := strings.Join(append([]string{"erase", "send"}, base...), " ")
	if how == "send" {
		fmt.Fprintf(e.stderr, "erase: the same without questions: %s\n", sendLine)
	} else {
		fmt.Fprintf(e.stderr, "erase: the same without questions: %s\n", strings.Join(letterLine, " "))
		fmt.Fprintf(e.stderr, "erase: to send it by e-mail instead: %s\n", sendLine)
	}
	return nil
}

// savedProfile is the saved profile, or an empty one.
func (e *env) savedProfile() *profile.Profile {
	if dir, err := e.configDir(); err == nil {
		if p, err := profile.LoadSaved(dir); err == nil && p != nil {
			return p
		}
	}
	return &profile.Profile{}
}

// guidedCompany asks for a company by name until the directory has one
// that takes letters, or the person settles for its self-service link.
func (e *env) guidedCompany(dir *companies.Directory) (*companies.Company, error) {
	q := e.questions()
	for tries := 0; tries < 3; tries++ {
		text, err := e.ask("Which company? (its name or web address, e.g. AliExpress)")
		if err != nil {
			return nil, err
		}
		var hits []*companies.Company
		if c, err := dir.Get(text); err == nil { // its id, alias or web address
			hits = []*companies.Company{c}
		} else {
			hits = dir.Search(text)
		}
		if len(hits) == 0 {
			fmt.Fprintf(q, "erase: no company in the directory matches %q; try another name, or write to anyone with erase letter --to-name NAME --to-email ADDRESS\n", text)
			continue
		}
		c := hits[0]
		if len(hits) > 1 {
			hits = hits[:min(len(hits), 9)]
			for i, h := range hits {
				fmt.Fprintf(q, "  %d. %s (%s), %s\n", i+1, h.Name, h.ID, companyReach(h))
			}
			n, err := e.askNumber("Which one? [1]", len(hits))
			if err != nil {
				return nil, err
			}
			if n == 0 {
				continue
			}
			c = hits[n-1]
		}
		if s := c.SelfService; s != nil && (s.NoLetterNeeded() || !c.Writable()) {
			fmt.Fprintf(q, "You may not need a letter: %s lets you delete your account yourself at\n  %s\n", c.Name, s.URL)
			if !c.Writable() {
				fmt.Fprintln(q, "The directory has no privacy contact for it, so erase cannot address a letter to it.")
				return nil, &silentError{code: exitOK}
			}
			fmt.Fprintln(q, "A letter still reaches data beyond the account and gets you a written answer.")
			yes, err := e.confirm("Write the letter anyway?")
			if err != nil {
				return nil, err
			}
			if !yes {
				return nil, &silentError{code: exitOK}
			}
		}
		if !c.Writable() {
			fmt.Fprintf(q, "erase: %s takes no letters in the directory; choose another\n", c.Name)
			continue
		}
		return c, nil
	}
	return nil, badinput.Errorf("no company chosen").Hint("erase companies search NAME finds one; erase letter --company ID writes to it")
}

// guidedPlace asks where the person lives (their saved country is the
// default) and returns the regime it picks, setting o.country/o.region.
func (e *env) guidedPlace(laws *jurisdictions.Set, saved *profile.Profile, o *letterOptions) (*jurisdictions.Regime, error) {
	q := e.questions()
	for tries := 0; tries < 3; tries++ {
		question := "Where do you live? (country name or code, e.g. Germany or DE)"
		if saved.Country != "" {
			question += " [" + saved.Country + "]"
		}
		v, err := e.askOptional(question)
		if err != nil {
			return nil, err
		}
		if v == "" {
			v = saved.Country
		}
		if v == "" {
			continue
		}
		cc, err := countryCode(laws, v)
		if err != nil {
			e.sayInvalid(err)
			continue
		}
		region := ""
		if cc == saved.Country {
			region = saved.Region
		}
		r, err := laws.Pick(cc, region)
		var pe *jurisdictions.PlaceError
		if errors.As(err, &pe) && region == "" && (cc == "US" || cc == "CA") {
			word := "state"
			if cc == "CA" {
				word = "province or territory"
			}
			if region, err = e.ask("Which " + word + "? (its code, e.g. " + map[string]string{"US": "CA or TX", "CA": "QC or ON"}[cc] + ")"); err != nil {
				return nil, err
			}
			r, err = laws.Pick(cc, strings.ToUpper(region))
		}
		if err != nil {
			msg := err.Error()
			if errors.As(err, &pe) {
				msg, _ = pe.Words(map[string]string{"country": "country", "region": "region", "law": "--law"})
			}
			fmt.Fprintf(q, "erase: %s\n", msg)
			continue
		}
		o.country, o.region = cc, strings.ToUpper(region)
		fmt.Fprintf(q, "The law that protects you there: %s.\n", r.Name)
		return r, nil
	}
	return nil, badinput.Errorf("no country chosen").Hint("erase laws list shows the regimes; erase letter --law ID picks one")
}

// guidedKind asks what the person wants, among the kinds the law grants.
func (e *env) guidedKind(r *jurisdictions.Regime) (string, error) {
	set := e.templateSet()
	var kinds []string
	for _, k := range r.Kinds() {
		if kind, err := set.Kind(k); err == nil && !kind.Follows {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) <= 1 {
		return "erasure", nil
	}
	// Erasure first: it is why most people come.
	for i, k := range kinds {
		if k == "erasure" {
			kinds[0], kinds[i] = kinds[i], kinds[0]
		}
	}
	q := e.questions()
	fmt.Fprintln(q, "What do you want?")
	for i, k := range kinds {
		summary := k
		if kind, err := set.Kind(k); err == nil {
			summary = kind.Summary
		}
		fmt.Fprintf(q, "  %d. %s (%s)\n", i+1, summary, k)
	}
	for {
		n, err := e.askNumber("Which? [1]", len(kinds))
		if err != nil {
			return "", err
		}
		if n > 0 {
			return kinds[n-1], nil
		}
	}
}

// guidedOutput asks how the letter should leave: a PDF, the text here, or
// sent by e-mail when sending is set up.
func (e *env) guidedOutput() (string, error) {
	choices := []struct{ id, label string }{{"pdf", "a PDF file here, to post or attach"}, {"text", "the text, shown here"}}
	if c, err := e.loadConfig(); err == nil && (c.Via != "" || c.SMTP.Host != "") {
		choices = append(choices, struct{ id, label string }{"send", "send it by e-mail now (you will see it first)"})
	}
	q := e.questions()
	fmt.Fprintln(q, "How do you want the letter?")
	for i, c := range choices {
		fmt.Fprintf(q, "  %d. %s\n", i+1, c.label)
	}
	if len(choices) == 2 {
		fmt.Fprintln(q, "  (to send by e-mail from here, set up config.yaml: erase help files)")
	}
	for {
		n, err := e.askNumber("Which? [1]", len(choices))
		if err != nil {
			return "", err
		}
		if n > 0 {
			return choices[n-1].id, nil
		}
	}
}

// askNumber asks for a number from 1 to n, 1 by default; 0 means the
// answer was not one (the caller asks again).
func (e *env) askNumber(question string, n int) (int, error) {
	v, err := e.askOptional(question)
	if err != nil {
		return 0, err
	}
	if v == "" {
		return 1, nil
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || i < 1 || i > n {
		fmt.Fprintf(e.questions(), "erase: type a number from 1 to %d\n", n)
		return 0, nil
	}
	return i, nil
}

// freeName is base+ext, or base-2+ext, base-3+ext, ... whichever does not
// exist yet, so that the guided path never replaces an earlier letter.
func freeName(base, ext string) string {
	name := base + ext
	for n := 2; ; n++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d%s", base, n, ext)
	}
}
