package companies

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/erase-cli/erase/internal/datafile"
)

// Site is a JustDeleteMe entry (github.com/jdm-contrib/jdm, MIT; see
// justdeleteme/NOTICE.txt): a service's own account deletion page and how
// hard it is. Its notes are JustDeleteMe's prose and are not carried over.
type Site struct {
	Name       string   `yaml:"name" json:"name"`
	URL        string   `yaml:"url" json:"url"`
	Difficulty string   `yaml:"difficulty" json:"difficulty"`
	Email      string   `yaml:"email,omitempty" json:"email,omitempty"`
	Domains    []string `yaml:"domains" json:"domains"`
}

// Sites is the justdeleteme/sites.yaml file.
type Sites struct {
	// Snapshot is the date of the JustDeleteMe commit the sites come from.
	Snapshot string `yaml:"snapshot"`
	Commit   string `yaml:"commit"`
	Sites    []Site `yaml:"sites"`
}

//go:embed justdeleteme/sites.yaml
var sitesYAML []byte

// BundledSites returns the JustDeleteMe entries built into erase, which
// erase companies import joins to the records it reads.
func BundledSites() (*Sites, error) {
	var s Sites
	if err := datafile.DecodeStrict(sitesYAML, &s); err != nil {
		return nil, fmt.Errorf("justdeleteme/sites.yaml: %w", err)
	}
	return &s, nil
}

// SitesFromJustDeleteMe reads JustDeleteMe's _data/sites.json.
func SitesFromJustDeleteMe(data []byte) ([]Site, error) {
	var raw []Site
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("sites.json: %v", err)
	}
	out := raw[:0]
	for _, s := range raw {
		if s.Name == "" || s.URL == "" || checkURL("url", s.URL) != nil || !contains(difficulties, s.Difficulty) {
			continue
		}
		if checkEmail("email", s.Email) != nil {
			s.Email = ""
		}
		for i, d := range s.Domains {
			s.Domains[i] = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), "www.")
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

const jdmSource = "https://github.com/jdm-contrib/jdm/blob/master/_data/sites.json"

func (s *Site) selfService() *SelfService {
	return &SelfService{URL: s.URL, Difficulty: s.Difficulty, Email: s.Email, Domains: s.Domains,
		Source: jdmSource + " (JustDeleteMe, MIT), entry " + s.Name}
}

// Join gives each record the JustDeleteMe entry of its web domain, and
// adds a record for each entry no record has: a company that takes no
// letters in the directory, only its self-service link. Records that have
// their own self-service steps keep them.
func Join(records []*Company, sites *Sites) []*Company {
	byHost := map[string][]*Company{}
	ids := map[string]bool{}
	for _, c := range records {
		ids[c.ID] = true
		if h := hostOf(c.Web); h != "" {
			byHost[h] = append(byHost[h], c)
		}
	}
	out := records
	for i := range sites.Sites {
		s := &sites.Sites[i]
		matched := false
		for _, d := range s.Domains {
			for _, c := range byHost[d] {
				matched = true
				if c.SelfService == nil {
					c.SelfService = s.selfService()
				}
			}
		}
		if matched {
			continue
		}
		id := Slug(s.Name)
		if id == "" && len(s.Domains) > 0 {
			id = Slug(s.Domains[0])
		}
		if id == "" {
			continue
		}
		for base, n := id, 2; ids[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		ids[id] = true
		c := &Company{ID: id, Name: s.Name, SelfService: s.selfService(), Snapshot: sites.Snapshot, Requires: []string{},
			Sources: []Source{{URL: jdmSource, What: "JustDeleteMe entry " + s.Name + " (MIT)"}}}
		if len(s.Domains) > 0 {
			c.Web = "https://" + s.Domains[0]
		}
		if c.validate() == nil {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
