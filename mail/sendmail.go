package mail

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"unicode/utf8"
)

// DefaultSendmail is where sendmail lives when it is not on PATH.
const DefaultSendmail = "/usr/sbin/sendmail"

// FindSendmail is the program `--via sendmail` runs when no path is
// given: sendmail on PATH, else /usr/sbin/sendmail, else
// /usr/lib/sendmail (where msmtp-mta, Postfix and others put it), else
// DefaultSendmail (whose absence the send then reports).
func FindSendmail() string {
	if p, err := exec.LookPath("sendmail"); err == nil {
		return p
	}
	for _, p := range []string{DefaultSendmail, "/usr/lib/sendmail"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return DefaultSendmail
}

const exTempFail = 75 // sysexits.h EX_TEMPFAIL

// SendmailSender hands each message to a sendmail-compatible program:
// `Path -t -i` with the message on standard input (-t: recipients from
// the To and Cc headers; -i: a line with a single dot does not end the
// message). Build refuses CR and LF in every header field, so no field can
// add a recipient for -t to find. Exit status 75 (EX_TEMPFAIL) is a
// temporary failure; any other non-zero status is a *SendmailError.
type SendmailSender struct {
	Path      string // default FindSendmail()
	PerMinute int    // as SMTPSender.PerMinute
}

// Send implements Sender, one program run per message.
func (s *SendmailSender) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
	return s.Session().Send(ctx, msgs, each)
}

// Session implements SessionSender: PerMinute paces the messages across
// all its Send calls.
func (s *SendmailSender) Session() Session {
	return &sendmailSession{s: s, p: newPacer(s.PerMinute)}
}

type sendmailSession struct {
	s *SendmailSender
	p *pacer
}

func (t *sendmailSession) Close() error { return nil }

func (t *sendmailSession) Send(ctx context.Context, msgs []*Rendered, each func(i int, err error)) error {
	path := t.s.Path
	if path == "" {
		path = FindSendmail()
	}
	var first error
	for i, m := range msgs {
		err := t.p.wait(ctx)
		if err != nil {
			err = &TempError{Stage: "sendmail", Err: err}
		} else {
			err = runSendmail(ctx, path, m)
		}
		if err != nil && first == nil {
			first = err
		}
		if each != nil {
			each(i, err)
		}
	}
	return first
}

func runSendmail(ctx context.Context, path string, m *Rendered) error {
	cmd := exec.CommandContext(ctx, path, "-t", "-i")
	cmd.Env = childEnv(os.Environ())
	cmd.Stdin = bytes.NewReader(m.Data)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return &TempError{Stage: "sendmail", Err: ctx.Err()}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() >= 0 {
		se := &SendmailError{Path: path, ExitCode: ee.ExitCode(), Stderr: shorten(stderr.String()), Err: err}
		if se.Temporary() {
			return &TempError{Stage: "sendmail", Err: se}
		}
		return se
	}
	return &SendmailError{Path: path, ExitCode: -1, Err: err}
}

// childEnv is env without the SMTP password in any of its forms
// (ERASE_SMTP_PASSWORD, _FILE, _COMMAND, in any case): a sendmail has no
// use for it, and whatever it runs, logs or dumps would have it too.
func childEnv(env []string) []string {
	kept := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(strings.ToUpper(name), "ERASE_SMTP_PASSWORD") {
			kept = append(kept, kv)
		}
	}
	return kept
}

type limitedWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		if len(p) > room {
			l.w.Write(p[:room])
		} else {
			l.w.Write(p)
		}
	}
	return len(p), nil
}

// shorten makes a program's stderr fit one error line.
func shorten(s string) string {
	s = oneLine(strings.ToValidUTF8(s, "?"))
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
