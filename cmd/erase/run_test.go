package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes asserts the exact exit status of each kind of outcome,
// which testscript cannot (it only sees success or failure).
func TestExitCodes(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	t.Setenv("ERASE_DATA_DIR", t.TempDir())
	me := []string{"--name", "Jane Doe", "--email", "jane@example.com"}
	letter := func(extra ...string) []string {
		return append(append([]string{"letter", "--company", "aliexpress", "--date", "2026-11-27"}, me...), extra...)
	}
	denns := func(extra ...string) []string {
		return append(append([]string{"letter", "--law", "gdpr", "--company", "denns-biomarkt", "--address", "Hauptstraße 1", "--date", "2026-11-27"}, me...), extra...)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  int
		err   string // a line stderr must contain
	}{
		{"letter ok", letter("--law", "gdpr"), "", 0, ""},
		{"KVKK without an address", letter("--law", "kvkk"), "", 2, "a KVKK request must give your postal address"},
		{"brackets in an account value", letter("--law", "gdpr", "--account", "username=jdoe()"), "", 0, ""},
		{"version", []string{"--version"}, "", 0, ""},
		{"help", []string{"--help"}, "", 0, ""},
		{"unknown law", letter("--law", "nosuch"), "", 2, `erase: --law "nosuch" is not a known regime`},
		{"unknown company", []string{"letter", "--law", "gdpr", "--company", "nosuch", "--name", "J", "--email", "j@example.com"}, "", 2, "not in the directory"},
		{"unknown country", letter("--country", "XX"), "", 2, "is not an ISO 3166 country code"},
		{"unknown region", letter("--country", "US", "--region", "ZZ"), "", 2, "is not a state"},
		{"state without law", letter("--country", "US", "--region", "AK"), "", 2, "has no privacy law"},
		{"country without law", letter("--country", "AR"), "", 2, "has no privacy law"},
		{"region where the law does not apply", letter("--country", "CN", "--region", "HK"), "", 2, `erase: --region "HK": PIPL does not apply in Hong Kong`},
		{"region with a code of its own", letter("--country", "CN", "--region", "TW"), "", 2, `erase: --region "TW": Taiwan has a country code of its own`},
		{"region erase does not know", letter("--country", "DE", "--region", "BY"), "", 2, `erase: --region "BY" is not a region erase knows`},
		{"bad email", []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "J", "--email", "nope"}, "", 2, "is not an e-mail address"},
		{"bad date", letter("--law", "gdpr", "--date", "tomorrow"), "", 2, "is not a date"},
		{"newline in name", []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "J\nBcc: x", "--email", "j@example.com"}, "", 2, "control character"},
		{"control in account", letter("--law", "gdpr", "--account", "username=a\x00b"), "", 2, "control character"},
		{"missing name, no terminal", []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--email", "j@example.com"}, "", 2, "pass --name"},
		{"malformed profile", []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--profile", "-"}, "name: [x\n", 2, "<stdin>:1:"},
		{"unknown profile key", []string{"letter", "--law", "gdpr", "--company", "aliexpress", "--profile", "-"}, "name: J\nemial: j@example.com\n", 2, `<stdin>:2: unknown key "emial"`},
		{"unknown flag", []string{"letter", "--bogus"}, "", 2, "unknown flag"},
		{"unknown command", []string{"bogus"}, "", 2, "unknown command"},
		{"law and country", letter("--law", "gdpr", "--country", "DE"), "", 2, "both choose the law"},
		{"pdf to a terminal is checked by format", letter("--law", "gdpr", "--format", "docx"), "", 2, "is not one of"},
		{"a required date of birth, no terminal", denns(), "", 2, "denn's Biomarkt GmbH requires your date of birth: pass --birthdate YYYY-MM-DD"},
		{"a required account field, no terminal", denns("--birthdate", "1990-05-01"), "", 2, "requires your Kundennummer: pass --account kundennummer=VALUE"},
		{"a date of birth to come", denns("--birthdate", "2999-01-01", "--account", "kundennummer=1"), "", 2, "--birthdate 2999-01-01 is not in the past"},
		{"everything required", denns("--birthdate", "1990-05-01", "--account", "kundennummer=1"), "", 0, ""},
		{"send to a post-only company", []string{"send", "--law", "gdpr", "--company", "a1-austria", "--name", "Jane Doe", "--email", "jane@example.com", "--yes"}, "", 0, "takes no requests by e-mail"},
		{"send to a web-form company", []string{"send", "--law", "gdpr", "--company", "google", "--name", "Jane Doe", "--email", "jane@example.com", "--yes"}, "", 0, "asks for requests through its web form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			got := Run(tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if got != tt.want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", got, tt.want, errb.String())
			}
			if tt.err != "" && !strings.Contains(errb.String(), tt.err) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tt.err)
			}
			if tt.want != 0 {
				if !strings.HasPrefix(errb.String(), "erase: ") {
					t.Errorf("stderr is not in the tool's voice: %q", errb.String())
				}
				if out.Len() != 0 {
					t.Errorf("a failed run wrote to stdout: %q", out.String())
				}
			}
		})
	}
}

// TestPDFNeverToTerminal checks the refusal to write binary to a terminal.
func TestPDFNeverToTerminal(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(""), &out, &errb)
	e.stdoutTTY = true
	code := e.run([]string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "Jane Doe", "--email", "jane@example.com", "--format", "pdf"})
	if code != exitBadInput || out.Len() != 0 || !strings.Contains(errb.String(), "pass -o FILE.pdf") {
		t.Fatalf("exit %d, stdout %d bytes, stderr %q", code, out.Len(), errb.String())
	}
}

// TestGoldenPDF pins the bytes of the README's letter: the same inputs and
// --date give the same PDF on every machine. UPDATE_GOLDEN=1 rewrites it.
func TestGoldenPDF(t *testing.T) {
	t.Setenv("ERASE_CONFIG_DIR", t.TempDir())
	golden := filepath.Join("testdata", "golden", "aliexpress-gdpr.pdf")
	var out, errb bytes.Buffer
	code := Run([]string{"letter", "--law", "gdpr", "--company", "aliexpress", "--name", "Jane Doe", "--email", "jane@example.com",
		"--account", "username=jdoe88", "--date", "2026-11-27", "--format", "pdf"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("the README letter's PDF changed (%d bytes, golden %d): if deliberate, make golden and review", out.Len(), len(want))
	}
}

// TestVersion: a release's -X main.version wins; otherwise erase says what
// the Go tool stamped, or devel.
func TestVersion(t *testing.T) {
	if v := buildVersion(); v == "" || strings.Contains(v, " ") {
		t.Errorf("buildVersion() = %q", v)
	}
	old := version
	defer func() { version = old }()
	version = "v1.2.3"
	if v := buildVersion(); v != "v1.2.3" {
		t.Errorf("with -X main.version: %q", v)
	}
}
