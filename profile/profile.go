// Package profile is the requester's own details: name, e-mail, postal
// address, phone, date of birth, where they live and their account
// identifiers. A profile
// is a YAML (or JSON) file the person owns; it is decoded strictly, and
// saved 0600 in a 0700 directory.
package profile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/datafile"
	"github.com/erase-cli/erase/letters"
	"go.yaml.in/yaml/v3"
)

// Profile is the requester. Address lines may be written as a list or as
// one multi-line string.
type Profile struct {
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`
	Email   string `yaml:"email,omitempty" json:"email,omitempty"`
	Address Lines  `yaml:"address,omitempty" json:"address,omitempty"`
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
	// Birthdate is the date of birth, YYYY-MM-DD, for the companies that
	// require it to find the person; letters to others do not carry it.
	Birthdate string   `yaml:"birthdate,omitempty" json:"birthdate,omitempty"`
	Country   string   `yaml:"country,omitempty" json:"country,omitempty"`
	Region    string   `yaml:"region,omitempty" json:"region,omitempty"`
	Language  string   `yaml:"language,omitempty" json:"language,omitempty"`
	Accounts  Accounts `yaml:"accounts,omitempty" json:"accounts,omitempty"`
}

// Keys lists the keys a profile may have, for hints.
const Keys = "name, email, address, phone, birthdate, country, region, language, accounts"

// Lines is a list of address lines.
type Lines []string

// UnmarshalYAML accepts a list of lines or one multi-line string.
func (l *Lines) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = splitLines(n.Value)
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = s
		return nil
	}
	return fmt.Errorf("line %d: address must be a list of lines or a text", n.Line)
}

func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Accounts keeps account identifiers in the order written.
type Accounts []letters.Account

// UnmarshalYAML reads a mapping of key: value, keeping its order.
func (a *Accounts) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: accounts must be a mapping such as \"username: jdoe88\"", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: account %q must have a single value", v.Line, k.Value)
		}
		*a = append(*a, letters.Account{Key: k.Value, Value: v.Value})
	}
	return nil
}

// MarshalYAML writes the mapping in order.
func (a Accounts) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, acc := range a {
		n.Content = append(n.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: acc.Key},
			&yaml.Node{Kind: yaml.ScalarNode, Value: acc.Value, Style: yaml.DoubleQuotedStyle})
	}
	return n, nil
}

// Decode reads a profile from YAML or JSON. name is used in errors:
// "profile.yaml:4: unknown key \"countyr\"".
func Decode(name string, data []byte) (*Profile, error) {
	var p Profile
	if len(bytes.TrimSpace(data)) == 0 {
		return &p, nil
	}
	if err := datafile.DecodeStrict(data, &p); err != nil {
		msg := err.Error()
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			msg = name + ":" + m[1] + ": " + m[2]
		} else {
			msg = name + ": " + msg
		}
		e := badinput.Errorf("%s", msg)
		if strings.Contains(msg, "unknown key") {
			e.Hint("a profile's keys are %s", Keys)
		}
		return nil, e
	}
	if err := p.Check(); err != nil {
		e := err.(*badinput.Error)
		e.Msg = name + ": " + e.Msg
		return nil, e
	}
	return &p, nil
}

var lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// Read reads a profile from a file, or from r when path is "-".
func Read(path string, stdin io.Reader) (*Profile, error) {
	var data []byte
	var err error
	name := path
	if path == "-" {
		name = "<stdin>"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		if os.IsNotExist(err) {
			return nil, badinput.Errorf("--profile %s: no such file", path).Hint("erase profile init writes one")
		}
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	return Decode(name, data)
}

// Check refuses values that must not reach a letter: control characters,
// a malformed e-mail, a bad account key.
func (p *Profile) Check() error {
	fields := map[string]string{"name": p.Name, "phone": p.Phone, "country": p.Country, "region": p.Region, "language": p.Language}
	for k, v := range fields {
		if err := letters.CheckText(k, v); err != nil {
			return err
		}
	}
	for _, line := range p.Address {
		if err := letters.CheckText("address", line); err != nil {
			return err
		}
	}
	if p.Email != "" {
		if err := letters.CheckEmail("email", p.Email); err != nil {
			return err
		}
	}
	if p.Birthdate != "" {
		if _, err := ParseBirthdate("birthdate", p.Birthdate, time.Time{}); err != nil {
			return err
		}
	}
	for _, a := range p.Accounts {
		if err := CheckAccountKey(a.Key); err != nil {
			return err
		}
		if err := letters.CheckText("account "+a.Key, a.Value); err != nil {
			return err
		}
	}
	return nil
}

// ParseBirthdate reads a date of birth written YYYY-MM-DD: a real day,
// not before 1900 and, unless today is zero, before today. field names it
// in errors ("--birthdate", "birthdate").
func ParseBirthdate(field, s string, today time.Time) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, badinput.Errorf("%s %q is not a date: write it as YYYY-MM-DD, e.g. 1990-05-01", field, s)
	}
	if t.Year() < 1900 {
		return time.Time{}, badinput.Errorf("%s %q is before 1900: write it as YYYY-MM-DD, e.g. 1990-05-01", field, s)
	}
	if !today.IsZero() {
		y, m, d := today.Date()
		if !t.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
			return time.Time{}, badinput.Errorf("%s %s is not in the past: give your date of birth as YYYY-MM-DD", field, s)
		}
	}
	return t, nil
}

// CheckAccountKey accepts short keys such as username, user-id, order.
func CheckAccountKey(k string) error {
	if !atomicfile.SafeName(k, 40, " _-") {
		return badinput.Errorf("account key %q must be a short word such as username, user-id or order-number", k)
	}
	return nil
}

// Merge fills p's empty fields from q: flags first, then a profile file,
// then the saved profile. Accounts from q come first; a key in p replaces
// the same key from q.
func (p *Profile) Merge(q *Profile) {
	if q == nil {
		return
	}
	set := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	set(&p.Name, q.Name)
	set(&p.Email, q.Email)
	set(&p.Phone, q.Phone)
	set(&p.Birthdate, q.Birthdate)
	set(&p.Country, q.Country)
	set(&p.Region, q.Region)
	set(&p.Language, q.Language)
	if len(p.Address) == 0 {
		p.Address = q.Address
	}
	merged := Accounts{}
	for _, a := range q.Accounts {
		if !p.hasAccount(a.Key) {
			merged = append(merged, a)
		}
	}
	p.Accounts = append(merged, p.Accounts...)
}

// HasAccount reports whether p has an account identifier with the key,
// in any case.
func (p *Profile) HasAccount(key string) bool { return p.hasAccount(key) }

func (p *Profile) hasAccount(key string) bool {
	for _, a := range p.Accounts {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

// Party returns the requester as a letter's sender. It leaves out the
// date of birth, which a letter gives only to a company that requires it.
func (p *Profile) Party() letters.Party {
	return letters.Party{Name: p.Name, Email: p.Email, Address: p.Address, Phone: p.Phone}
}

// Path is where the saved profile lives in a config directory.
func Path(configDir string) string { return filepath.Join(configDir, "profile.yaml") }

// LoadSaved reads the saved profile; a missing file is no profile, not an error.
func LoadSaved(configDir string) (*Profile, error) {
	data, err := os.ReadFile(Path(configDir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return Decode(Path(configDir), data)
}

// Save writes the profile 0600 in a 0700 directory, atomically.
func (p *Profile) Save(configDir string) error {
	data, err := p.YAML()
	if err != nil {
		return err
	}
	return atomicfile.Write(Path(configDir), data)
}

// YAML returns the profile as the file Save writes.
func (p *Profile) YAML() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# erase profile: your details for request letters. Keys: " + Keys + "\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}
