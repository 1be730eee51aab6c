package companies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// daRecord is a Datenanfragen company record (its schema.json). Only the
// facts are carried over: the comments and custom letter templates are
// Datenanfragen's prose and are left out.
type daRecord struct {
	Slug              string   `json:"slug"`
	RelevantCountries []string `json:"relevant-countries"`
	Categories        []string `json:"categories"`
	Name              string   `json:"name"`
	Runs              []string `json:"runs"`
	Address           string   `json:"address"`
	Phone             string   `json:"phone"`
	Fax               string   `json:"fax"`
	Email             string   `json:"email"`
	Webform           string   `json:"webform"`
	Web               string   `json:"web"`
	Sources           []string `json:"sources"`
	RequiredElements  []struct {
		Desc string `json:"desc"`
		Type string `json:"type"`
	} `json:"required-elements"`
	NeedsIDDocument bool   `json:"needs-id-document"`
	RequestLanguage string `json:"request-language"`
	Medium          string `json:"suggested-transport-medium"`
	Quality         string `json:"quality"`
}

// DatenanfragenRecordURL is where a Datenanfragen record is published.
func DatenanfragenRecordURL(slug string) string {
	return "https://github.com/datenanfragen/data/blob/master/companies/" + slug + ".json"
}

// Skipped is a dataset record that could not be carried over, and why.
type Skipped struct{ File, Reason string }

// FromDatenanfragen reads the company records of a checkout of the
// Datenanfragen data (the companies/*.json of fsys) as erase records whose
// snapshot is the given date. A record that does not convert or validate
// is skipped and reported, not fatal: one bad record in a newer dataset
// must not stop the rest.
func FromDatenanfragen(fsys fs.FS, snapshot string) ([]*Company, []Skipped, error) {
	names, err := fs.Glob(fsys, "companies/*.json")
	if err != nil {
		return nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("no companies/*.json: is this a checkout of github.com/datenanfragen/data?")
	}
	var out []*Company
	var skipped []Skipped
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		var r daRecord
		if err := json.Unmarshal(data, &r); err != nil {
			skipped = append(skipped, Skipped{name, err.Error()})
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); r.Slug != want {
			skipped = append(skipped, Skipped{name, fmt.Sprintf("slug %q does not match the file name", r.Slug)})
			continue
		}
		c := r.company(snapshot)
		if err := c.validate(); err != nil {
			skipped = append(skipped, Skipped{name, err.Error()})
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, skipped, nil
}

func (r *daRecord) company(snapshot string) *Company {
	name := strings.TrimSpace(r.Name)
	c := &Company{
		ID: r.Slug, Name: name, LegalName: name, Web: r.Web, Runs: r.Runs,
		Language: r.RequestLanguage, Medium: r.Medium, Quality: r.Quality,
		NeedsIDDocument: r.NeedsIDDocument, Snapshot: snapshot,
		Privacy: Contact{Name: name, Email: r.Email, Webform: r.Webform, Phone: r.Phone, Fax: r.Fax},
	}
	if checkURL("web", c.Web) != nil { // a typo in the dataset ("httsp://") costs the link, not the record
		c.Web = ""
	}
	for _, line := range strings.Split(r.Address, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			c.Privacy.Address = append(c.Privacy.Address, line)
		}
	}
	for _, k := range r.RelevantCountries {
		if k != "all" {
			c.Countries = append(c.Countries, strings.ToUpper(k))
		}
	}
	if len(c.Countries) != len(r.RelevantCountries) { // "all" is every country
		c.Countries = nil
	}
	for _, cat := range r.Categories {
		c.Categories = append(c.Categories, strings.ReplaceAll(cat, " ", "-"))
	}
	c.Requires = []string{}
	for _, e := range r.RequiredElements {
		switch e.Type {
		case "name", "email", "address", "birthdate":
			if !contains(c.Requires, e.Type) {
				c.Requires = append(c.Requires, e.Type)
			}
		case "input", "textarea":
			key := Slug(e.Desc)
			if len(key) > 40 {
				key = strings.Trim(key[:40], "-")
			}
			if key != "" {
				c.RequiredAccounts = append(c.RequiredAccounts, AccountField{Key: key, Label: strings.TrimSpace(e.Desc), Long: e.Type == "textarea"})
			}
		}
	}
	for _, s := range r.Sources {
		c.Sources = append(c.Sources, Source{URL: s, What: "cited by the Datenanfragen record"})
	}
	c.Sources = append(c.Sources, Source{URL: DatenanfragenRecordURL(r.Slug), What: "Datenanfragen company record (CC0)"})
	return c
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Slug makes an id or key of a name: lower case ASCII letters and digits,
// the rest as dashes ("Kundennummer" -> "kundennummer", "Zoho ID" ->
// "zoho-id", "Müller" -> "muller").
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case r == 'ß':
			b.WriteString("ss")
		case r >= 0x300 && r <= 0x36f: // a combining accent of NFKD
		default:
			dash = true
		}
	}
	return b.String()
}
