package main

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/jurisdictions"
)

// A source is what erase laws show and erase companies show print for a
// fact: the user must be able to open it. Each part of it (parts are
// separated by ";") must be a URL or a public legal citation, and none may
// point at erase's own research notes, seeds or dataset files.
var (
	sourceURL      = regexp.MustCompile(`https?://\S+`)
	sourceCitation = regexp.MustCompile(`(?:^|[\s(,])(?:Arts?\.|Reg\.|ss?\.|Sch\.|C\.R\.S\.|G\.S\.R\.|Law No\.|§)|` +
		`\b(?:Articles?|[Ss]ections?|clauses?|Principles?|APPs?|Regulations?|Rules?|Act|Code|CCR|ORS|Communiqué|Gazette|CQLR|Decree|Guidelines|OJ L)\b`)
	sourcePrivate = []string{
		"reference/", "jurisdictions.md", "shared/", "seeds", "skill", "the brief", "datasets/",
		"erase's", "a public repository", "a repository", "not named",
	}
	sourceFile = regexp.MustCompile(`\b[\w-]+\.(json|xml|md|txt|yaml)\b`)
)

func checkSource(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("no source")
	}
	for _, part := range splitSource(s) {
		part = strings.TrimSpace(part)
		bare := sourceURL.ReplaceAllString(part, "")
		lower := strings.ToLower(bare)
		for _, p := range sourcePrivate {
			if strings.Contains(lower, p) {
				return fmt.Errorf("%q points at %q, which a user cannot open", part, p)
			}
		}
		if f := sourceFile.FindString(bare); f != "" {
			return fmt.Errorf("%q names the file %s, not a URL a user can open", part, f)
		}
		if !sourceURL.MatchString(part) && !sourceCitation.MatchString(part) {
			return fmt.Errorf("%q is neither a URL nor a legal citation", part)
		}
	}
	return nil
}

// splitSource splits a source at the semicolons outside parentheses.
func splitSource(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ';':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// sources yields every field named Source under v, with its path.
func sources(path string, v reflect.Value, yield func(path, source string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			sources(path, v.Elem(), yield)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			p := path + "." + f.Name
			if f.Anonymous {
				p = path
			}
			if f.Name == "Source" && f.Type.Kind() == reflect.String {
				yield(p, v.Field(i).String())
				continue
			}
			sources(p, v.Field(i), yield)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			sources(fmt.Sprintf("%s[%d]", path, i), v.Index(i), yield)
		}
	}
}

func TestSourcesArePublic(t *testing.T) {
	laws, err := jurisdictions.Load(jurisdictions.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range laws.All() {
		sources(r.ID, reflect.ValueOf(r), func(path, src string) {
			if err := checkSource(src); err != nil {
				t.Errorf("%s.yaml %s: %v", r.ID, path, err)
			}
		})
	}
	dir, err := companies.Load(companies.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range dir.All() {
		for i, s := range c.Sources {
			if !sourceURL.MatchString(s.URL) || strings.ContainsAny(s.URL, " \t") {
				t.Errorf("%s.yaml sources[%d].url: %q is not a URL", c.ID, i, s.URL)
			}
		}
		if s := c.SelfService; s != nil {
			if err := checkSource(s.Source); err != nil {
				t.Errorf("%s.yaml self_service.source: %v", c.ID, err)
			}
		}
	}
}

func TestCheckSource(t *testing.T) {
	for _, ok := range []string{
		"Art. 17(1) GDPR",
		"https://ico.org.uk/make-a-complaint/",
		"Art. 12(3) GDPR; https://www.legislation.gov.uk/eur/2016/679/chapter/III/section/1/data.html",
		"Cal. Civ. Code § 1798.105(a)",
	} {
		if err := checkSource(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"reference/jurisdictions.md section 17 item 12",
		"app path from shared/seeds",
		"list in a skill file",
		"datenanfragen gbico.json",
		"mondaq",
		"Mayer Brown State Privacy Law Tracker",
		"erase's request",
		"",
	} {
		if err := checkSource(bad); err == nil {
			t.Errorf("%q passed", bad)
		}
	}
}
