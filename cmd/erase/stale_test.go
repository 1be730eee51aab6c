package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/smtptest"
	"github.com/erase-cli/erase/mail"
)

// TestAddressRefused holds the bounce check to what the mail package
// writes in an outbox entry's last_error.
func TestAddressRefused(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&mail.PermError{Stage: mail.StageRcpt, Code: 550, Enhanced: "5.1.1", Text: "unknown user"}, true},
		{&mail.PermError{Stage: mail.StageRcpt, Code: 553, Text: "mailbox name not allowed"}, true},
		{&mail.PermError{Stage: mail.StageData, Code: 550, Enhanced: "5.1.1", Text: "no such mailbox"}, true},
		{&mail.PermError{Stage: mail.StageData, Code: 554, Enhanced: "5.7.1", Text: "rejected as spam"}, false},
		{&mail.PermError{Stage: mail.StageMail, Code: 550, Enhanced: "5.7.1", Text: "sender not allowed"}, false},
		{&mail.TempError{Stage: mail.StageRcpt, Code: 450, Enhanced: "4.1.1", Text: "try later"}, false},
		{&mail.SendmailError{Path: "/usr/sbin/sendmail", ExitCode: 67, Stderr: "user unknown"}, true},
		{&mail.SendmailError{Path: "/usr/sbin/sendmail", ExitCode: 68}, true},
		{&mail.SendmailError{Path: "/usr/sbin/sendmail", ExitCode: 65}, false},
	} {
		if got := addressRefused(c.err.Error()); got != c.want {
			t.Errorf("addressRefused(%q) = %v, want %v", c.err.Error(), got, c.want)
		}
	}
}

func TestStaleAge(t *testing.T) {
	if companies.StaleYears != 2 || staleAge != "two years" {
		t.Fatalf("StaleYears %d is worded %q", companies.StaleYears, staleAge)
	}
}

// TestBounceFlagsCompany: once a letter to a company's address is refused
// for good, erase companies show flags the record and erase letter warns;
// once the refused letter is dropped, neither does.
func TestBounceFlagsCompany(t *testing.T) {
	s := sendEnv(t, smtptest.Options{})
	_, out, _ := run(t, "companies", "show", "alibaba")
	if strings.Contains(out, "possibly stale") {
		t.Fatalf("flagged before any bounce:\n%s", out)
	}
	s.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 unknown user")
	code, _, stderr := run(t, append([]string{"send", "--yes", "--law", "gdpr", "--company", "alibaba"}, janeArgs...)...)
	if code != exitFailed {
		t.Fatalf("send: exit %d, %s", code, stderr)
	}
	_, out, _ = run(t, "companies", "show", "alibaba")
	if !strings.Contains(out, "warning: possibly stale: a letter to dataprotection@service.alibaba.com was refused for good on ") ||
		!strings.Contains(out, "(550 5.1.1 unknown user (at RCPT))") {
		t.Errorf("show after the bounce:\n%s", out)
	}
	code, _, stderr = run(t, append([]string{"letter", "--law", "gdpr", "--company", "alibaba"}, janeArgs...)...)
	if code != 0 || !strings.Contains(stderr, "erase: warning: the directory's record of ") ||
		!strings.Contains(stderr, "(alibaba) may be stale: a letter to dataprotection@service.alibaba.com was refused for good") {
		t.Errorf("letter after the bounce: exit %d, %s", code, stderr)
	}
	_, _, stderr = run(t, append([]string{"send", "--dry-run", "--law", "gdpr", "--company", "alibaba"}, janeArgs...)...)
	if !strings.Contains(stderr, "(alibaba) may be stale: a letter to dataprotection@service.alibaba.com was refused for good") {
		t.Errorf("send after the bounce: %s", stderr)
	}
	_, _, stderr = run(t, append([]string{"letter", "--law", "gdpr", "--company", "aliexpress"}, janeArgs...)...)
	if strings.Contains(stderr, "stale") {
		t.Errorf("another company's letter warns: %s", stderr)
	}
	ob, _ := newEnv(nil, nil, nil).outbox()
	es, _ := ob.List()
	if len(es) != 1 {
		t.Fatalf("%d outbox entries", len(es))
	}
	if code, _, stderr := run(t, "outbox", "drop", es[0].ID); code != 0 {
		t.Fatalf("drop: %s", stderr)
	}
	if _, out, _ = run(t, "companies", "show", "alibaba"); strings.Contains(out, "possibly stale") {
		t.Errorf("flagged after the refused letter was dropped:\n%s", out)
	}
}

// TestStaleWarningsCounted: a batch names the first few stale records
// and counts the rest.
func TestStaleWarningsCounted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ERASE_CONFIG_DIR", filepath.Join(dir, "config"))
	t.Setenv("ERASE_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ERASE_NOW", "2030-01-01")
	ids := "deutsche-bahn\nadition\na1-austria\nfacebook\n123greetings\naccuweather-inc\naboutyou-shop\n"
	list := filepath.Join(dir, "ids")
	if err := os.WriteFile(list, []byte(ids), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := run(t, "letter", "--law", "gdpr", "--companies", list, "--name", "Jane Doe", "--email", "jane@example.com",
		"--address", "1 Main St, Berlin", "--account", "user-id=1", "--date", "2030-01-01", "-o", filepath.Join(dir, "out")+"/")
	if n := strings.Count(stderr, "may be stale: its facts are as of 2026-07-21, more than two years ago"); n != 5 {
		t.Errorf("%d named warnings, want 5:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "erase: warning: and 2 more of these companies' records may be stale\n") ||
		strings.Count(stderr, "erase: hint: check the contact") != 1 {
		t.Errorf("no count, or not one hint:\n%s", stderr)
	}
}

// TestIDDocumentNote: what companies show says of ID documents is what
// the GDPR regime's letters rely on.
func TestIDDocumentNote(t *testing.T) {
	laws, err := newEnv(nil, nil, nil).lawSet()
	if err != nil {
		t.Fatal(err)
	}
	gdpr, err := laws.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	v := gdpr.Requests["erasure"].Verification
	note := strings.Join(strings.Fields(strings.Join(idDocumentNote, " ")), " ")
	if v == nil || v.Provision != "Article 12(6) GDPR" || !strings.Contains(v.Letter, "only where you have reasonable doubts about my identity") ||
		!strings.Contains(note, "only where it has reasonable doubts about who you are (Article 12(6) GDPR)") {
		t.Fatalf("gdpr erasure verification %+v; note %q", v, note)
	}
}
