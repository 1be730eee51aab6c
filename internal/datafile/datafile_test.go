package datafile

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

type rec struct {
	ID      string   `yaml:"id"`
	Aliases []string `yaml:"aliases"`
	Value   int      `yaml:"value"`
}

func (r *rec) Keys() []string { return append([]string{r.ID}, r.Aliases...) }

func ok(*rec) error { return nil }

func TestLoad(t *testing.T) {
	base := fstest.MapFS{"a.yaml": {Data: []byte("id: a\nvalue: 1\n")}, "b.yaml": {Data: []byte("id: b\naliases: [bee]\n")}}
	over := fstest.MapFS{"a.yaml": {Data: []byte("id: a\nvalue: 2\n")}}
	all, idx, err := Load("thing", ok, base, over)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != "a" || all[0].Value != 2 || idx["bee"].ID != "b" {
		t.Fatalf("all %+v", all)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := map[string]struct {
		fs   fstest.MapFS
		want string
	}{
		"unknown key":   {fstest.MapFS{"a.yaml": {Data: []byte("id: a\nvalu: 1\n")}}, `a.yaml: line 2: unknown key "valu"`},
		"name mismatch": {fstest.MapFS{"a.yaml": {Data: []byte("id: x\n")}}, `a.yaml: id "x" does not match the file name`},
		"dup alias":     {fstest.MapFS{"a.yaml": {Data: []byte("id: a\n")}, "b.yaml": {Data: []byte("id: b\naliases: [a]\n")}}, `thing id or alias "a" is used by both a and b`},
		"invalid":       {fstest.MapFS{"a.yaml": {Data: []byte("id: a\nvalue: -1\n")}}, "a.yaml: value: negative"},
		"syntax":        {fstest.MapFS{"a.yaml": {Data: []byte("id: [a\n")}}, "a.yaml: line 1:"},
	}
	check := func(r *rec) error {
		if r.Value < 0 {
			return errors.New("value: negative")
		}
		return nil
	}
	for name, c := range cases {
		_, _, err := Load("thing", check, c.fs)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

// TestTypeErrorsInTheFilesTerms: a value of the wrong kind is named in
// YAML's terms, never as Go's struct text.
func TestTypeErrorsInTheFilesTerms(t *testing.T) {
	var v struct {
		SMTP struct {
			Host string `yaml:"host"`
		} `yaml:"smtp"`
		Port int      `yaml:"port"`
		List []string `yaml:"list"`
	}
	for in, want := range map[string]string{
		"smtp: [1, 2]\n":     "line 1: a list where a mapping (key: value lines) is wanted",
		"port: many\n":       "line 1: text where a number is wanted",
		"list: {a: 1}\n":     "line 1: a mapping (key: value lines) where a list is wanted",
		"smtp:\n  hots: x\n": `line 2: unknown key "hots"`,
	} {
		err := DecodeStrict([]byte(in), &v)
		if err == nil || err.Error() != want || strings.Contains(err.Error(), "struct") {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
