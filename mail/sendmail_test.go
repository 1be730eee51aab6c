//go:build unix

package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSendmail writes a sendmail stand-in that saves its arguments,
// environment and standard input under dir and exits with the status in
// dir/status.
func fakeSendmail(t *testing.T) (path, dir string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "sendmail")
	script := fmt.Sprintf(`#!/bin/sh
d=%q
n=$(ls "$d" | grep -c '^msg')
echo "$@" > "$d/args$n"
env > "$d/env$n"
cat > "$d/msg$n"
st=$(cat "$d/status" 2>/dev/null || echo 0)
if [ "$st" != 0 ]; then echo "sendmail: trouble: status $st" >&2; fi
exit "$st"
`, dir)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, dir
}

func setStatus(t *testing.T, dir string, st int) {
	if err := os.WriteFile(filepath.Join(dir, "status"), []byte(fmt.Sprint(st)), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSendmail(t *testing.T) {
	path, dir := fakeSendmail(t)
	r := render(t, letter("R1"))
	if err := send1(t, &SendmailSender{Path: path}, r); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args0"))
	msg, _ := os.ReadFile(filepath.Join(dir, "msg0"))
	if strings.TrimSpace(string(args)) != "-t -i" {
		t.Errorf("args %q", args)
	}
	if !bytes.Equal(msg, r.Data) {
		t.Error("sendmail got other bytes")
	}
	// With -t, the recipients are the To and Cc headers: nothing else.
	p := parse(t, msg)
	for _, k := range []string{"Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc"} {
		if _, ok := p.msg.Header[k]; ok {
			t.Errorf("header %s present", k)
		}
	}
}

func TestSendmailFailures(t *testing.T) {
	path, dir := fakeSendmail(t)
	r := render(t, letter("R1"))

	setStatus(t, dir, 75)
	err := send1(t, &SendmailSender{Path: path}, r)
	var se *SendmailError
	if !IsTemporary(err) || !errors.As(err, &se) || se.ExitCode != 75 || !strings.Contains(err.Error(), "trouble") {
		t.Errorf("status 75: %v", err)
	}

	setStatus(t, dir, 67)
	err = send1(t, &SendmailSender{Path: path}, r)
	if IsTemporary(err) || !errors.As(err, &se) || se.ExitCode != 67 || !se.MessageRefused() {
		t.Errorf("status 67: %v", err)
	}

	setStatus(t, dir, 78)
	err = send1(t, &SendmailSender{Path: path}, r)
	if IsTemporary(err) || !errors.As(err, &se) || se.ExitCode != 78 || se.MessageRefused() {
		t.Errorf("status 78: %v", err)
	}

	err = send1(t, &SendmailSender{Path: filepath.Join(dir, "missing")}, r)
	if IsTemporary(err) || !errors.As(err, &se) || se.ExitCode != -1 {
		t.Errorf("missing program: %v", err)
	}
}

// TestSendmailOutbox: 75 waits in the outbox, a later retry delivers.
func TestSendmailOutbox(t *testing.T) {
	path, dir := fakeSendmail(t)
	o := newOutbox(t)
	s := &SendmailSender{Path: path}
	setStatus(t, dir, 75)
	rep, err := o.Deliver(context.Background(), s, []Item{item(t, "ERASE-20")}, Options{})
	if !IsTemporary(err) || len(rep.Waiting) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	setStatus(t, dir, 0)
	rep, err = o.Retry(context.Background(), s, Options{})
	if err != nil || len(rep.Sent) != 1 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	// A missing program is no reason to keep a new message.
	rep, err = o.Deliver(context.Background(), &SendmailSender{Path: filepath.Join(dir, "missing")}, []Item{item(t, "ERASE-21")}, Options{})
	if err == nil || len(rep.Unsent) != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox holds %v", ids)
	}
}

// The SMTP password, in any of its forms, never reaches the program: it
// has no use for it, and whatever it runs or logs would have it too.
func TestSendmailEnvironment(t *testing.T) {
	path, dir := fakeSendmail(t)
	for _, name := range []string{"ERASE_SMTP_PASSWORD", "ERASE_SMTP_PASSWORD_FILE", "ERASE_SMTP_PASSWORD_COMMAND", "erase_smtp_password"} {
		t.Setenv(name, "hunter2-"+name)
	}
	t.Setenv("ERASE_SMTP_USER", "jane")
	t.Setenv("ERASE_TEST_MULTILINE", "one\ntwo")
	if err := send1(t, &SendmailSender{Path: path}, render(t, letter("R1"))); err != nil {
		t.Fatal(err)
	}
	env, err := os.ReadFile(filepath.Join(dir, "env0"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(env), "\n")
	for _, l := range lines {
		if strings.Contains(l, "hunter2") {
			name, _, _ := strings.Cut(l, "=")
			t.Errorf("%s reached sendmail", name)
		}
	}
	has := func(kv string) bool {
		for _, l := range lines {
			if l == kv {
				return true
			}
		}
		return false
	}
	for _, name := range []string{"PATH", "HOME", "ERASE_SMTP_USER"} {
		if v, ok := os.LookupEnv(name); ok && !has(name+"="+v) {
			t.Errorf("%s=%s did not reach sendmail", name, v)
		}
	}
	if !strings.Contains(string(env), "ERASE_TEST_MULTILINE=one\ntwo\n") {
		t.Error("ERASE_TEST_MULTILINE did not reach sendmail whole")
	}
}

// TestFindSendmail: sendmail on PATH comes first (msmtp-mta, a user's own
// wrapper), then the usual places.
func TestFindSendmail(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "sendmail")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	if got := FindSendmail(); got != fake {
		t.Errorf("with sendmail on PATH: %s, want %s", got, fake)
	}
	t.Setenv("PATH", t.TempDir())
	if got := FindSendmail(); got != DefaultSendmail && got != "/usr/lib/sendmail" {
		t.Errorf("without: %s", got)
	}
}
