package mail

import (
	"errors"
	"fmt"
	"strings"
)

// Stages of an SMTP session, as reported in errors.
const (
	StageConnect  = "connect"
	StageGreeting = "greeting"
	StageEHLO     = "EHLO"
	StageSTARTTLS = "STARTTLS"
	StageAuth     = "AUTH"
	StageMail     = "MAIL"
	StageRcpt     = "RCPT"
	StageData     = "DATA"
	StageQuit     = "QUIT"
)

var (
	// ErrNoSTARTTLS: the server does not offer STARTTLS and the TLS mode
	// is starttls (the default). Nothing was sent, not even the password.
	ErrNoSTARTTLS = errors.New("the server does not offer STARTTLS")
	// ErrInsecureAuth: TLS mode none with a user name, to an address that
	// is not a loopback address. Refused before the password is sent.
	ErrInsecureAuth = errors.New("refusing to send the SMTP password without TLS to an address that is not loopback")
	// ErrAlreadyQueued: the outbox already holds a message with this
	// reference (waiting, delivered but unrecorded, or failed).
	ErrAlreadyQueued = errors.New("already in the outbox")
	// ErrBusy: another process is delivering this outbox entry right now.
	ErrBusy = errors.New("another erase process is sending it")
	// ErrNotFound: no outbox entry with that id.
	ErrNotFound = errors.New("no such outbox entry")
)

// TempError is a temporary failure: a 4xx reply, a dropped connection, a
// timeout, a cancelled context, sendmail's EX_TEMPFAIL. The message was
// not delivered and may be retried; erase exits 75 and keeps it in the
// outbox.
type TempError struct {
	Stage    string // one of the Stage constants, or "sendmail"
	Code     int    // the SMTP reply code, 0 when there was no reply
	Enhanced string // the enhanced status code ("4.3.0"), if any
	Text     string // the server's reply text (without the codes)
	Err      error  // the underlying error when there was no reply
}

func (e *TempError) Error() string {
	return "temporarily refused: " + describe(e.Stage, e.Code, e.Enhanced, e.Text, e.Err)
}

// Temporary reports true: retry later.
func (e *TempError) Temporary() bool { return true }

func (e *TempError) Unwrap() error { return e.Err }

// PermError is a permanent refusal (5xx) with the server's code and text.
// When Stage is MAIL, RCPT or DATA the message itself was refused (see
// MessageRefused); at an earlier stage the server refused the session.
type PermError struct {
	Stage    string
	Code     int
	Enhanced string
	Text     string
}

func (e *PermError) Error() string {
	return "refused: " + describe(e.Stage, e.Code, e.Enhanced, e.Text, nil)
}

// Temporary reports false.
func (e *PermError) Temporary() bool { return false }

// MessageRefused reports whether the refusal concerns this message (its
// sender, a recipient or its content) rather than the session.
func (e *PermError) MessageRefused() bool {
	return e.Stage == StageMail || e.Stage == StageRcpt || e.Stage == StageData
}

// AuthError is a refused SMTP authentication (535 and other 5xx replies to
// AUTH), or a server that offers no mechanism erase can use.
type AuthError struct {
	Code     int
	Enhanced string
	Text     string
	User     string // the user name tried (never the password)
}

func (e *AuthError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("smtp authentication as %q failed: %s", e.User, e.Text)
	}
	return fmt.Sprintf("smtp authentication as %q failed: %s", e.User, describe("", e.Code, e.Enhanced, e.Text, nil))
}

// Temporary reports false.
func (e *AuthError) Temporary() bool { return false }

// TLSError is a failed TLS handshake: a certificate that does not verify
// (unknown CA, wrong host name, expired), or a server that does not speak
// TLS where it should. Certificates are always verified.
type TLSError struct {
	Host string
	Err  error
}

func (e *TLSError) Error() string {
	return fmt.Sprintf("tls with %s failed: %v", e.Host, e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// Temporary reports false.
func (e *TLSError) Temporary() bool { return false }

// replyTooLongError is a server reply over erase's limits (maxReplyLine,
// maxReplyLines, maxTLSStart); erase stops reading and the session ends
// with a TempError carrying it.
type replyTooLongError struct {
	what string // "over 128 lines", "a line over 2048 octets"
}

func (e *replyTooLongError) Error() string { return "the server's reply was too long: " + e.what }

// SendmailError is a sendmail-compatible program that failed: it could
// not be started (ExitCode -1) or exited non-zero. Exit status 75
// (EX_TEMPFAIL) is temporary.
type SendmailError struct {
	Path     string
	ExitCode int
	Stderr   string // the program's standard error, trimmed and shortened
	Err      error
}

func (e *SendmailError) Error() string {
	if e.ExitCode < 0 {
		return fmt.Sprintf("could not run %s: %v", e.Path, e.Err)
	}
	msg := fmt.Sprintf("%s exited with status %d", e.Path, e.ExitCode)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *SendmailError) Unwrap() error { return e.Err }

// Temporary reports whether the program exited with EX_TEMPFAIL (75).
func (e *SendmailError) Temporary() bool { return e.ExitCode == exTempFail }

// MessageRefused reports whether the exit status says the message itself
// is bad: EX_DATAERR (65), EX_NOUSER (67), EX_NOHOST (68).
func (e *SendmailError) MessageRefused() bool {
	return e.ExitCode == 65 || e.ExitCode == 67 || e.ExitCode == 68
}

// ErrInterrupted: the run was stopped (Ctrl-C, SIGTERM) before this
// message went; it waits in the outbox. Temporary.
var ErrInterrupted error = interrupted{}

type interrupted struct{}

func (interrupted) Error() string   { return "interrupted before it was sent" }
func (interrupted) Temporary() bool { return true }

// IsTemporary reports whether err, or an error it wraps, says to retry
// later (erase then exits 75).
func IsTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// messageRefused reports whether err is a permanent refusal of the
// message itself, which marks an outbox entry failed.
func messageRefused(err error) bool {
	var pe *PermError
	if errors.As(err, &pe) {
		return pe.MessageRefused()
	}
	var se *SendmailError
	return errors.As(err, &se) && se.MessageRefused()
}

func describe(stage string, code int, enhanced, text string, err error) string {
	var b strings.Builder
	if code != 0 {
		fmt.Fprintf(&b, "%d", code)
		if enhanced != "" {
			b.WriteString(" " + enhanced)
		}
		if text != "" {
			b.WriteString(" " + oneLine(text))
		}
	} else if err != nil {
		b.WriteString(err.Error())
	} else {
		b.WriteString(oneLine(text))
	}
	if stage != "" {
		b.WriteString(" (at " + stage + ")")
	}
	return b.String()
}

// oneLine joins a multi-line reply into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
