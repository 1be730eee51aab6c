package main

import (
	"errors"
	"strings"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/profile"
	"github.com/spf13/cobra"
)

func newProfileCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Your saved details: init asks for them, show prints them",
		Example: `  erase profile init      # asks on the terminal, saves 0600
  erase profile show
  $EDITOR "$(erase profile path)"`,
		Args: cobra.NoArgs,
	}
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Ask for your details on the terminal and save them (0600)",
		Long: `Ask for your details on the terminal and save them (0600): name, e-mail,
postal address, phone, the country (and US state or Canadian province)
where you live, and account details such as a username. Each question
shows the saved answer, which Enter keeps and "-" clears.`,
		Example: `  erase profile init
  erase letter --company aliexpress -o aliexpress.pdf   # then needs no flags`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return e.profileInit() },
	}
	var showJSON jsonOptions
	show := &cobra.Command{
		Use:   "show",
		Short: "Print your saved profile",
		Example: `  erase profile show
  erase profile show --json=name,email
  erase profile show --jq .email`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.configDir()
			if err != nil {
				return err
			}
			p, err := profile.LoadSaved(dir)
			if err != nil {
				return err
			}
			if p == nil {
				return badinput.Errorf("no saved profile at %s", profile.Path(dir)).Hint("erase profile init")
			}
			if showJSON.on {
				return showJSON.write(cmd.Context(), e.stdout, p)
			}
			data, err := p.YAML()
			if err != nil {
				return err
			}
			_, err = e.stdout.Write(data)
			return err
		},
	}
	addJSONFlags(show, &showJSON, fieldsOf(profile.Profile{}))
	path := &cobra.Command{
		Use:   "path",
		Short: "Print where the saved profile lives",
		Example: `  erase profile path
  $EDITOR "$(erase profile path)"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := e.configDir()
			if err != nil {
				return err
			}
			_, err = e.stdout.Write([]byte(profile.Path(dir) + "\n"))
			return err
		},
	}
	cmd.AddCommand(initCmd, show, path)
	return cmd
}

// profileInit asks for each field, showing the saved value as the default,
// and saves the result.
func (e *env) profileInit() error {
	if !e.canPrompt() {
		dir, _ := e.configDir()
		return badinput.Errorf("erase profile init asks questions and needs a terminal").
			Hint("write the file yourself (keys: %s) at %s", profile.Keys, profile.Path(dir))
	}
	dir, err := e.configDir()
	if err != nil {
		return err
	}
	old, err := profile.LoadSaved(dir)
	if err != nil {
		return err
	}
	if old == nil {
		old = &profile.Profile{}
	}
	p := &profile.Profile{Language: old.Language, Birthdate: old.Birthdate} // what it does not ask for
	fields := []struct {
		question string
		def      string
		required bool
		set      func(string) error
	}{
		{"Full name", old.Name, true, func(v string) error { p.Name = v; return letters.CheckText("name", v) }},
		{"E-mail address", old.Email, true, func(v string) error { p.Email = v; return letters.CheckEmail("e-mail address", v) }},
		{"Postal address, lines separated by \" / \"", strings.Join(old.Address, " / "), false, func(v string) error {
			p.Address = nil
			for _, line := range strings.Split(v, "/") {
				if line = strings.TrimSpace(line); line != "" {
					p.Address = append(p.Address, line)
				}
			}
			return p.Check()
		}},
		{"Phone (optional)", old.Phone, false, func(v string) error { p.Phone = v; return letters.CheckText("phone", v) }},
		{"Country where you live (ISO code or name, e.g. DE, GB, US)", old.Country, false, func(v string) error {
			p.Country = ""
			if v == "" {
				return nil
			}
			laws, err := e.lawSet()
			if err != nil {
				return err
			}
			cc, err := countryCode(laws, v)
			p.Country = cc
			return err
		}},
		{"Region (US state or Canadian province code, else empty)", old.Region, false, func(v string) error { p.Region = strings.ToUpper(v); return nil }},
		{"Account details for your letters, as KEY=VALUE separated by \" / \" (e.g. username=jdoe88 / customer-number=123; optional)",
			accountsText(old.Accounts), false, func(v string) error {
				p.Accounts = nil
				for _, kv := range strings.Split(v, "/") {
					if kv = strings.TrimSpace(kv); kv == "" {
						continue
					}
					k, val, ok := strings.Cut(kv, "=")
					k, val = strings.TrimSpace(k), strings.TrimSpace(val)
					if !ok || k == "" || val == "" {
						return badinput.Errorf("%q is not KEY=VALUE", kv).Hint("e.g. username=jdoe88 / order-number=8021-1234")
					}
					if err := profile.CheckAccountKey(k); err != nil {
						return err
					}
					if err := letters.CheckText("account "+k, val); err != nil {
						return err
					}
					p.Accounts = append(p.Accounts, letters.Account{Key: k, Value: val})
				}
				return nil
			}},
	}
	for _, f := range fields {
		for {
			q := f.question
			if f.def != "" {
				q += " [" + f.def + "]"
			}
			v, err := e.askOptional(q)
			if err != nil {
				return err
			}
			if v == "" {
				v = f.def
			}
			if v == "" && f.required {
				continue
			}
			if v == "-" {
				v = ""
			}
			if err := f.set(v); err != nil {
				e.sayInvalid(err)
				continue
			}
			break
		}
	}
	if p.Country != "" {
		laws, err := e.lawSet()
		if err != nil {
			return err
		}
		if _, err := laws.Pick(p.Country, p.Region); err != nil {
			msg := err.Error()
			var pe *jurisdictions.PlaceError
			if errors.As(err, &pe) {
				msg, _ = pe.Words(map[string]string{"country": "country", "region": "region", "law": "--law"})
			}
			e.stderr.Write([]byte("erase: note: " + msg + "; letters will need --law\n"))
		}
	}
	if err := p.Save(dir); err != nil {
		return err
	}
	_, err = e.stderr.Write([]byte("erase: saved " + profile.Path(dir) + "\n"))
	return err
}

// accountsText is accounts as profile init shows and reads them:
// "username=jdoe88 / order-number=123".
func accountsText(as []letters.Account) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Key + "=" + a.Value
	}
	return strings.Join(parts, " / ")
}

// countryCode is the ISO 3166-1 code of a country a person typed as its
// code or its name, or bad input with the nearest country, as the
// questions of profile init and of the guided path ask again after.
func countryCode(laws *jurisdictions.Set, typed string) (string, error) {
	cc, ok := laws.Places().CountryCode(typed)
	switch {
	case ok:
		return cc, nil
	case cc != "":
		return "", badinput.Errorf("%q is not a country erase knows: did you mean %s (%s)?", typed, cc, laws.Places().CountryName(cc))
	}
	return "", badinput.Errorf("%q is not a country erase knows", typed).Hint("type the two-letter ISO 3166 code, e.g. DE, FR, GB, US, BR")
}
