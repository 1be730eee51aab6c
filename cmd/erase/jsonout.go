package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/nearest"
	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
)

// A listing's JSON, as the GitHub CLI gives it:
//
//   - --json prints every field of every record (as erase always did);
//   - --json=FIELDS prints only the fields named, comma-separated, each
//     record with each of them (null where a record has none). The = is
//     needed: --json alone is a complete flag, so in --json id,name the
//     id,name is an argument (erase says so, and how to write it);
//   - --jq EXPR runs a jq expression over that JSON (and implies --json):
//     a string result prints raw, any other as compact JSON, one a line.
//
// An unknown field, or a jq expression that does not parse or fails, is
// bad input (exit 2), with the fields there are.

// jsonAll is --json with no fields: every field.
const jsonAll = "all"

// jsonOptions are a command's --json and --jq flags, once parsed.
type jsonOptions struct {
	on     bool     // --json or --jq given: print JSON
	fields []string // --json=FIELDS; nil for every field
	empty  bool     // --json= with no field named
	jq     string
	code   *gojq.Code
	// known lists the fields the records have, for checking --json=FIELDS
	// and completing them.
	known func() []string
	// within, if set, names the keys of the top-level object whose
	// records the fields are picked from (erase status: "requests"); the
	// rest is printed whole. Unset: the value is the record, or a list of
	// them.
	within []string
}

// fieldsValue is --json's value: pflag calls Set with "all" for a bare
// --json (its NoOptDefVal), else with what follows the =.
type fieldsValue struct{ o *jsonOptions }

func (v fieldsValue) String() string { return strings.Join(v.o.fields, ",") }

// Type is empty so that the help shows --json[=all], not a placeholder
// as if --json took the next argument.
func (v fieldsValue) Type() string { return "" }

func (v fieldsValue) Set(s string) error {
	v.o.on = true
	if s == jsonAll {
		return nil
	}
	if strings.Trim(s, ", ") == "" {
		v.o.empty = true
		return nil
	}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(v.o.fields, f) {
			v.o.fields = append(v.o.fields, f)
		}
	}
	return nil
}

// addJSONFlags gives cmd --json[=FIELDS] and --jq EXPR, completing the
// field names known lists, and checks both before the command runs.
func addJSONFlags(cmd *cobra.Command, o *jsonOptions, known func() []string) {
	o.known = known
	cmd.Flags().Var(fieldsValue{o}, "json", "print JSON: every field, or with --json=FIELDS (the = is needed) only those, comma-separated")
	cmd.Flags().Lookup("json").NoOptDefVal = jsonAll
	cmd.Flags().StringVar(&o.jq, "jq", "", "filter the JSON through the jq expression `EXPR` (implies --json); strings print raw")
	cmd.RegisterFlagCompletionFunc("json", func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		return completeFields(typed, known()), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("jq", cobra.NoFileCompletions)

	// --json id,name: id,name is an argument, which the command refuses;
	// say how to give the fields instead.
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			err := args(c, a)
			if err != nil && o.on && o.fields == nil {
				for _, arg := range a {
					if looksLikeFields(arg, known()) {
						return badinput.Errorf("--json takes its fields after an =: --json=%s", arg).
							Hint("--json alone prints every field, so %s was read as an argument", arg)
					}
				}
			}
			return err
		}
	}
	pre, preE := cmd.PreRun, cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, a []string) error {
		if err := o.check(c); err != nil {
			return err
		}
		if preE != nil {
			return preE(c, a)
		}
		if pre != nil {
			pre(c, a)
		}
		return nil
	}
}

// looksLikeFields reports whether arg is a comma-separated list of field
// names (or of near misses).
func looksLikeFields(arg string, known []string) bool {
	for _, f := range strings.Split(arg, ",") {
		if !slices.Contains(known, f) && nearest.Word(f, known) == "" {
			return false
		}
	}
	return arg != ""
}

// completeFields completes the last of the comma-separated fields typed.
func completeFields(typed string, known []string) []string {
	i := strings.LastIndex(typed, ",")
	done, last := typed[:i+1], typed[i+1:]
	have := strings.Split(done, ",")
	var out []string
	for _, f := range known {
		if strings.HasPrefix(f, last) && !slices.Contains(have, f) {
			out = append(out, done+f)
		}
	}
	return out
}

// check fails, as bad input, on a field the records do not have or a jq
// expression that does not compile; --jq turns JSON on.
func (o *jsonOptions) check(cmd *cobra.Command) error {
	if cmd.Flags().Changed("jq") {
		o.on = true
		if strings.TrimSpace(o.jq) == "" {
			return badinput.Errorf("--jq is empty: give it a jq expression, e.g. --jq .")
		}
	}
	if o.empty {
		return badinput.Errorf("--json= names no field").
			Hint("--json alone prints every field, --json=FIELD,FIELD only those")
	}
	if len(o.fields) > 0 {
		known := o.known()
		for _, f := range o.fields {
			if slices.Contains(known, f) {
				continue
			}
			b := badinput.Errorf("--json=%s: no field %q in the JSON of %s", strings.Join(o.fields, ","), f, cmd.CommandPath())
			if near := nearest.Word(f, known); near != "" {
				b.Hint("did you mean %s?", near)
			}
			return b.Hint("the fields are %s", strings.Join(known, ", "))
		}
	}
	if o.jq == "" {
		return nil
	}
	q, err := gojq.Parse(o.jq)
	if err == nil {
		o.code, err = gojq.Compile(q)
	}
	if err != nil {
		return jqError(o.jq, err)
	}
	return nil
}

// jqError words gojq's error for --jq.
func jqError(expr string, err error) error {
	b := badinput.Errorf("--jq %s: %v", shellArg(expr), err)
	var pe *gojq.ParseError
	if errors.As(err, &pe) {
		b.Hint("jq's syntax: https://jqlang.org/manual/")
	}
	return b
}

// write prints v as the flags ask: whole, its fields picked, or through
// the jq expression.
func (o *jsonOptions) write(ctx context.Context, w io.Writer, v any) error {
	if o.fields == nil && o.code == nil {
		return writeJSONValue(w, v)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers as written, for gojq and for printing
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	if o.fields != nil {
		doc = o.pick(doc)
	}
	if o.code == nil {
		return writeJSONValue(w, doc)
	}
	return o.runJQ(ctx, w, doc)
}

// pick keeps the fields asked for, in each record.
func (o *jsonOptions) pick(doc any) any {
	if len(o.within) == 0 {
		return pickFields(doc, o.fields)
	}
	if m, ok := doc.(map[string]any); ok {
		for _, k := range o.within {
			if v, ok := m[k]; ok {
				m[k] = pickFields(v, o.fields)
			}
		}
	}
	return doc
}

// pickFields keeps fields in a record (an object), or in each record of a
// list; a field a record lacks is null.
func pickFields(v any, fields []string) any {
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = pickFields(v[i], fields)
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(fields))
		for _, f := range fields {
			out[f] = v[f] // nil where the record has none
		}
		return out
	}
	return v
}

// runJQ prints each value the expression gives: a string raw, anything
// else as compact JSON, one a line, as gh --jq does.
func (o *jsonOptions) runJQ(ctx context.Context, w io.Writer, doc any) error {
	bw := bufio.NewWriter(w)
	iter := o.code.RunWithContext(ctx, doc)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				break
			}
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			bw.Flush()
			return jqError(o.jq, err)
		}
		if s, ok := v.(string); ok {
			bw.WriteString(s)
		} else {
			data, err := gojq.Marshal(v)
			if err != nil {
				return err
			}
			bw.Write(data)
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// jsonFields lists the JSON field names of a struct (or pointer to one)
// as encoding/json writes them, embedded structs' fields promoted; sorted.
func jsonFields(v any) []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	walk(reflect.TypeOf(v))
	slices.Sort(out)
	return out
}

// fieldsOf is known for a listing of records of v's type.
func fieldsOf(v any, more ...string) func() []string {
	return func() []string {
		out := append(jsonFields(v), more...)
		slices.Sort(out)
		return slices.Compact(out)
	}
}
