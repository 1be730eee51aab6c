package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/ledger"
	"github.com/spf13/cobra"
)

// jsonCmd is a listing with --json and --jq whose records have the
// fields id, name and tags; run gives it args and returns what it printed
// for v, or its error.
func jsonCmd(t *testing.T, o *jsonOptions, v any, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := &cobra.Command{
		Use:  "list",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !o.on {
				out.WriteString("table\n")
				return nil
			}
			return o.write(cmd.Context(), &out, v)
		},
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	addJSONFlags(cmd, o, func() []string { return []string{"id", "name", "tags"} })
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

var records = []map[string]any{
	{"id": "a", "name": "Alpha", "tags": []string{"x", "y"}},
	{"id": "b", "tags": []string{}}, // no name
}

func TestJSONFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		v    any
		want string
	}{
		{nil, records, "table\n"},
		// --json alone: every field, as writeJSONValue always wrote it.
		{[]string{"--json"}, records, "[\n  {\n    \"id\": \"a\",\n    \"name\": \"Alpha\",\n    \"tags\": [\n      \"x\",\n      \"y\"\n    ]\n  },\n  {\n    \"id\": \"b\",\n    \"tags\": []\n  }\n]\n"},
		{[]string{"--json=all"}, map[string]int{"id": 1}, "{\n  \"id\": 1\n}\n"},
		// --json=FIELDS: those, null where a record has none.
		{[]string{"--json=name"}, records, "[\n  {\n    \"name\": \"Alpha\"\n  },\n  {\n    \"name\": null\n  }\n]\n"},
		{[]string{"--json= id, name"}, records[:1], "[\n  {\n    \"id\": \"a\",\n    \"name\": \"Alpha\"\n  }\n]\n"},
		{[]string{"--json=id", "--json=id,name"}, records[1:], "[\n  {\n    \"id\": \"b\",\n    \"name\": null\n  }\n]\n"},
		// A single record, not a list.
		{[]string{"--json=id"}, records[0], "{\n  \"id\": \"a\"\n}\n"},
		// --jq: strings raw, the rest compact JSON, one a line; implies --json.
		{[]string{"--jq", ".[] | .id, .tags, (.name | length)"}, records, "a\n[\"x\",\"y\"]\n5\nb\n[]\n0\n"},
		{[]string{"--jq", ".[0].name"}, records, "Alpha\n"},
		{[]string{"--jq", `"a\nb"`}, records, "a\nb\n"},
		{[]string{"--jq", "empty"}, records, ""},
		{[]string{"--jq", ".[0].id, halt, 2"}, records, "a\n"},
		// Numbers come through as written.
		{[]string{"--jq", ".n"}, map[string]any{"n": int64(1) << 60}, "1152921504606846976\n"},
		{[]string{"--jq", ".f"}, map[string]any{"f": 0.5}, "0.5\n"},
		// --json=FIELDS first, then the expression over what it picked.
		{[]string{"--json=name", "--jq", ".[] | keys"}, records, "[\"name\"]\n[\"name\"]\n"},
	} {
		got, err := jsonCmd(t, &jsonOptions{}, tt.v, tt.args...)
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func TestJSONFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		msg  string
		hint string
	}{
		{[]string{"--json=id,nmae"}, `--json=id,nmae: no field "nmae" in the JSON of list`, "did you mean name?"},
		{[]string{"--json=color"}, `--json=color: no field "color" in the JSON of list`, "the fields are id, name, tags"},
		{[]string{"--json="}, "--json= names no field", "--json alone prints every field, --json=FIELD,FIELD only those"},
		// The fields after a space are an argument: say to use =.
		{[]string{"--json", "id,name"}, "--json takes its fields after an =: --json=id,name", ""},
		{[]string{"--json", "id,nmae"}, "--json takes its fields after an =: --json=id,nmae", ""},
		{[]string{"--jq", ".[] |"}, "--jq '.[] |': unexpected EOF", "jq's syntax: https://jqlang.org/manual/"},
		{[]string{"--jq", "nosuch"}, "--jq nosuch: function not defined: nosuch/0", ""},
		{[]string{"--jq", " "}, "--jq is empty: give it a jq expression, e.g. --jq .", ""},
		// A failure as it runs, on the records' JSON.
		{[]string{"--jq", ".id"}, "--jq .id: expected an object but got: array", ""},
	} {
		_, err := jsonCmd(t, &jsonOptions{}, records, tt.args...)
		b, ok := badinput.As(err)
		if !ok {
			t.Errorf("%q: %v, not bad input", tt.args, err)
			continue
		}
		if !strings.HasPrefix(b.Msg, tt.msg) {
			t.Errorf("%q: %q, want %q", tt.args, b.Msg, tt.msg)
		}
		if tt.hint != "" && !slices.Contains(b.Hints, tt.hint) {
			t.Errorf("%q: hints %q, want %q", tt.args, b.Hints, tt.hint)
		}
	}
	// A stray argument that is no field list keeps the command's error.
	_, err := jsonCmd(t, &jsonOptions{}, records, "--json", "zzzzzz")
	if _, ok := badinput.As(err); ok || err == nil {
		t.Errorf("--json zzzzzz: %v, want the command's own argument error", err)
	}
}

// TestJSONWithin: erase status picks the fields of its requests and
// prints the rest whole.
func TestJSONWithin(t *testing.T) {
	v := map[string]any{"requests": records, "outbox": []map[string]any{{"id": "o", "to": "x@example.com"}}}
	got, err := jsonCmd(t, &jsonOptions{within: []string{"requests"}}, v, "--json=id", "--jq", ".requests[].id, .outbox[0].to")
	if want := "a\nb\nx@example.com\n"; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

func TestCompleteFields(t *testing.T) {
	known := []string{"id", "name", "notes", "tags"}
	for typed, want := range map[string][]string{
		"":        known,
		"n":       {"name", "notes"},
		"id,":     {"id,name", "id,notes", "id,tags"},
		"id,na":   {"id,name"},
		"name,i":  {"name,id"},
		"id,id":   nil,
		"x,y,no":  {"x,y,notes"},
		"tags,n,": {"tags,n,id", "tags,n,name", "tags,n,notes"},
	} {
		if got := completeFields(typed, known); !slices.Equal(got, want) {
			t.Errorf("completeFields(%q) = %q, want %q", typed, got, want)
		}
	}
}

func TestJSONFieldNames(t *testing.T) {
	type inner struct {
		Deep string `json:"deep"`
	}
	type rec struct {
		inner
		ID      string `json:"id"`
		Skip    string `json:"-"`
		Plain   int
		Opt     string `json:",omitempty"`
		private string
		Ptr     *inner `json:"ptr,omitempty"`
	}
	got := jsonFields(rec{private: ""})
	if want := []string{"Opt", "Plain", "deep", "id", "ptr"}; !slices.Equal(got, want) {
		t.Errorf("jsonFields = %q, want %q", got, want)
	}
}

// TestStatusFields: every field erase status --json writes for a request
// (with every date and follow-up set) is one --json=FIELDS accepts.
func TestStatusFields(t *testing.T) {
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	r := ledger.Record{Reference: "ERASE-1", Company: "c", Contact: "c@example.com", Regime: "gdpr", Kind: "erasure",
		About: "ERASE-0", Sent: day, MessageID: "m", Due: day, Requested: day, ConfirmBy: day, Status: ledger.StatusSent,
		History: []ledger.Mark{{Status: ledger.StatusExtended, At: day, Due: day, Note: "n"}}}
	raw, err := r.JSONAt(day)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	fields["days_left"], fields["next"] = 0, nil // what writeStatusJSON adds
	known := statusFields()
	for f := range fields {
		if !slices.Contains(known, f) {
			t.Errorf("erase status --json writes %q, which --json=FIELDS does not know", f)
		}
	}
	if len(fields) != len(known) {
		t.Errorf("erase status --json writes %d fields, --json=FIELDS knows %d: %q", len(fields), len(known), known)
	}
}

// TestJSONAllIsNoField: "all", a bare --json, names no field of any
// listing, so --json=all is never ambiguous.
func TestJSONAllIsNoField(t *testing.T) {
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		// (a plain --json, as erase companies has until it takes FIELDS, is left)
		if f := c.Flags().Lookup("json"); f != nil && isFieldsFlag(f.Value) {
			n++
			if fn, ok := c.GetFlagCompletionFunc("json"); ok {
				names, _ := fn(c, nil, "")
				if slices.Contains(names, jsonAll) || len(names) == 0 {
					t.Errorf("%s --json completes %q", c.CommandPath(), names)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(e))
	if n < 7 {
		t.Errorf("only %d commands have --json", n)
	}
}

func isFieldsFlag(v any) bool {
	_, ok := v.(fieldsValue)
	return ok
}
