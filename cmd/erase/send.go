package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
	"github.com/spf13/cobra"
)

// sendOptions are letterOptions plus how to deliver.
type sendOptions struct {
	letterOptions
	from          string
	ccSelf        bool
	noAttach      bool
	smtp          smtpFlags
	via           string
	yes, dryRun   bool
	check, retry  bool
	force         bool
	rate          string
	passwordFile  string
	passwordCmd   string
	smtpPortGiven bool
}

type smtpFlags struct {
	host, user, tls, ca string
	port                int
}

const sendExamples = `  # Send the AliExpress letter through your mail provider (password from the environment)
  export ERASE_SMTP_PASSWORD=...   # or --smtp-password-file, --smtp-password-command
  erase send --law gdpr --company aliexpress --profile me.yaml --smtp-host smtp.example.com --smtp-user jane@example.com

  # Through the machine's own mailer (msmtp, postfix, ...)
  erase send --company aliexpress --profile me.yaml --via sendmail=/usr/bin/msmtp

  # Look at the message first, send nothing
  erase send --company aliexpress --profile me.yaml --dry-run

  # Send what a temporary refusal left in the outbox
  erase send --retry`

func newSendCmd(e *env) *cobra.Command {
	o := &sendOptions{}
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send the letter by e-mail (SMTP or sendmail), keep it until delivered, and record it",
		Long: `erase send renders the letter as erase letter does and e-mails it to the
company's privacy contact: the text letter as the body, the PDF attached.
From is you (or --from), Reply-To is you, the subject carries the reference.

SMTP settings come from flags, then ERASE_SMTP_HOST, ERASE_SMTP_PORT,
ERASE_SMTP_USER, ERASE_SMTP_TLS, ERASE_SMTP_CA, then config.yaml in the
config directory. The password comes from ERASE_SMTP_PASSWORD,
--smtp-password-file, or --smtp-password-command (the first line it prints);
there is no flag that takes the password itself. STARTTLS is required unless
--smtp-tls says tls (port 465) or none (AUTH then only to a loopback address).

A temporary refusal keeps the message in the outbox and exits 75; erase send
--retry sends what waits. Each delivered request is recorded; erase status
lists them with their deadlines.`,
		Example: sendExamples,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.smtpPortGiven = cmd.Flags().Changed("smtp-port")
			return e.sendRun(cmd.Context(), o)
		},
	}
	addLetterFlags(e, cmd, &o.letterOptions)
	f := cmd.Flags()
	for _, name := range []string{"format", "output"} {
		f.MarkHidden(name)
	}
	f.StringVar(&o.from, "from", "", "send from this `ADDRESS` instead of your own (your address stays Reply-To)")
	f.BoolVar(&o.ccSelf, "cc-self", false, "send yourself a copy")
	f.BoolVar(&o.noAttach, "no-attach", false, "do not attach the PDF")
	f.StringVar(&o.smtp.host, "smtp-host", "", "SMTP server `HOST`")
	f.IntVar(&o.smtp.port, "smtp-port", 0, "SMTP `PORT` (default 587, or 465 with --smtp-tls tls)")
	f.StringVar(&o.smtp.user, "smtp-user", "", "SMTP user `NAME`")
	f.StringVar(&o.smtp.tls, "smtp-tls", "", "starttls (default), tls (implicit, port 465) or none")
	f.StringVar(&o.smtp.ca, "smtp-ca", "", "trust the CA certificates in PEM `FILE` (a private CA)")
	f.StringVar(&o.passwordFile, "smtp-password-file", "", "read the SMTP password from `FILE` (its first line)")
	f.StringVar(&o.passwordCmd, "smtp-password-command", "", "run `COMMAND` and use the first line it prints as the SMTP password")
	f.StringVar(&o.via, "via", "", "deliver through a sendmail-compatible program: sendmail[=PATH]")
	f.BoolVarP(&o.yes, "yes", "y", false, "send without asking on a terminal")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the message and send nothing")
	f.BoolVar(&o.check, "check", false, "connect, authenticate and quit without sending")
	f.BoolVar(&o.retry, "retry", false, "send every message waiting in the outbox")
	f.BoolVar(&o.force, "force", false, "send even if the same request to the same company is still open")
	f.StringVar(&o.rate, "rate", "", "send at most `N/min` (a provider's limit)")
	cmd.RegisterFlagCompletionFunc("smtp-tls", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"starttls", "tls", "none"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// sendChunk is how many messages a batch renders, puts in the outbox (one
// sync) and sends at a time; the next chunk renders while one is sent.
const sendChunk = 64

// extra is what the outbox keeps with a message for the ledger record.
type extra struct {
	Company string `json:"company,omitempty"`
	Contact string `json:"contact"`
	Regime  string `json:"regime"`
	Kind    string `json:"kind"`
}

func (e *env) sendRun(ctx context.Context, o *sendOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.format != "" || o.output != "" {
		return badinput.Errorf("erase send takes no --format or -o: it sends; erase letter writes files").
			Hint("erase send --dry-run prints the message")
	}
	perMinute, err := parseRate(o.rate)
	if err != nil {
		return err
	}
	if o.retry || o.check {
		sender, err := e.sender(o, perMinute, true)
		if err != nil {
			return err
		}
		if o.check {
			smtp, ok := sender.(*mail.SMTPSender)
			if !ok {
				return badinput.Errorf("--check tests an SMTP server; --via sendmail has nothing to check")
			}
			if err := mail.Check(ctx, smtp.Config); err != nil {
				return withSendHints(err)
			}
			fmt.Fprintf(e.stderr, "erase: %s accepted the connection and the login\n", smtp.Config.Host)
			return nil
		}
		return e.retryOutbox(ctx, sender)
	}

	o.letterOptions.format = "pdf"
	if o.noAttach {
		o.letterOptions.format = "text"
	}
	p, err := e.plan(&o.letterOptions, []string{"pdf", "text"})
	if err != nil {
		return err
	}
	b, err := e.prepareMessages(p, o)
	if err != nil {
		return err
	}
	if o.dryRun {
		for lo := 0; lo < len(b.ls); lo += sendChunk {
			msgs, err := b.render(lo, min(lo+sendChunk, len(b.ls)))
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if _, err := e.stdout.Write(m.Data); err != nil {
					return err
				}
			}
		}
		fmt.Fprintf(e.stderr, "erase: dry run: %d message(s) shown, nothing sent\n", len(b.ls))
		return nil
	}
	if err := e.checkDuplicates(p, o.force); err != nil {
		return err
	}
	sender, err := e.sender(o, perMinute, false)
	if err != nil {
		return err
	}
	if err := e.confirmSend(b.ls, !o.noAttach, o.yes); err != nil {
		return err
	}
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	if err := e.replaceRefused(ob, b.ls); err != nil {
		return err
	}
	// Rendered a chunk at a time, while the chunk before is sent: a batch
	// holds a few chunks in memory, not every message.
	lo := 0
	next := func() ([]mail.Item, error) {
		if lo >= len(b.ls) {
			return nil, nil
		}
		hi := min(lo+sendChunk, len(b.ls))
		msgs, err := b.render(lo, hi)
		if err != nil {
			return nil, err
		}
		items := make([]mail.Item, len(msgs))
		for k, m := range msgs {
			req, l := p.requests[lo+k], b.ls[lo+k]
			x, _ := json.Marshal(extra{Company: req.CompanyID, Contact: l.Recipient.Email, Regime: l.Law.ID, Kind: l.Kind})
			items[k] = mail.Item{Msg: m, Meta: mail.Meta{Reference: l.Reference, Subject: l.Subject, Extra: x}}
		}
		lo = hi
		return items, nil
	}
	rep, err := ob.DeliverStream(ctx, sender, next, e.deliverOptions(len(b.ls)))
	return e.reportDelivery(rep, err)
}

// replaceRefused lets a corrected letter take the place of one the server
// refused for good; a letter still waiting for a retry is not replaced.
func (e *env) replaceRefused(ob *mail.Outbox, ls []*letters.Letter) error {
	for _, l := range ls {
		en, err := ob.Get(l.Reference)
		if errors.Is(err, mail.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if en.State != mail.StateFailed {
			return badinput.Errorf("%s already waits in the outbox", en.Reference).Hint("erase send --retry sends it")
		}
		if err := ob.Remove(en.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "erase: replacing %s, refused earlier (%s)\n", en.Reference, en.LastError)
	}
	return nil
}

// withSendHints adds what to do about a delivery failure that is not
// temporary: TLS, certificates, the login.
func withSendHints(err error) error {
	var tlsErr *mail.TLSError
	var authErr *mail.AuthError
	switch {
	case errors.Is(err, mail.ErrNoSTARTTLS):
		return &hintedError{err, []string{"use --smtp-tls tls (port 465) if the server speaks TLS from the start",
			"--smtp-tls none sends in clear: only for a server you trust on this machine"}}
	case errors.As(err, &tlsErr):
		return &hintedError{err, []string{"check --smtp-host; for a server with a private CA, pass --smtp-ca FILE (PEM)"}}
	case errors.As(err, &authErr):
		return &hintedError{err, []string{"check --smtp-user and the password (ERASE_SMTP_PASSWORD, --smtp-password-file or --smtp-password-command)",
			"erase send --check tests the login without sending"}}
	}
	return err
}

// parseRate reads "N/min" (or a bare N) for --rate.
func parseRate(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "/min"))
	if err != nil || n <= 0 {
		return 0, badinput.Errorf("--rate %q is not a rate such as 30/min", s)
	}
	return n, nil
}

// batch is the letters of a send, composed and checked, ready to be
// rendered to e-mails a range at a time.
type batch struct {
	e     *env
	ls    []*letters.Letter
	r     *renderer // nil: no attachment
	o     *sendOptions
	fixed bool
}

// prepareMessages composes every letter and checks everything that can
// fail in rendering it (the e-mail address, the PDF's characters, the
// header fields), so that a batch fails before anything is sent rather
// than midway. Nothing is rendered, sent or stored here.
func (e *env) prepareMessages(p *plan, o *sendOptions) (*batch, error) {
	ls, err := e.composeAll(p)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.Recipient.Email == "" {
			return nil, badinput.Errorf("%s has no e-mail address for privacy requests", l.Recipient.Name).
				Hint("write the letter and post it: erase letter ... -o letter.pdf")
		}
	}
	b := &batch{e: e, ls: ls, o: o, fixed: p.opts.date != ""}
	if !o.noAttach {
		if b.r, err = e.newRenderer(p); err != nil {
			return nil, err
		}
	}
	err = parallel(len(ls), func(i int) error {
		if b.r != nil {
			if err := b.r.check(ls[i]); err != nil {
				return err
			}
		}
		return e.mailHeaders(ls[i], o.from, o.ccSelf, b.fixed).Check()
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// pdfBuffers are the PDF buffers of the render workers: a PDF is done
// with once its message holds it, base64-encoded.
var pdfBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render renders letters lo to hi-1 and builds their e-mails, in
// parallel. Each PDF is dropped as soon as its message holds it.
func (b *batch) render(lo, hi int) ([]*mail.Rendered, error) {
	msgs := make([]*mail.Rendered, hi-lo)
	err := parallel(len(msgs), func(k int) error {
		l := b.ls[lo+k]
		var pdf []byte
		if b.r != nil {
			buf := pdfBuffers.Get().(*bytes.Buffer)
			buf.Reset()
			defer pdfBuffers.Put(buf)
			if err := b.r.render(buf, l); err != nil {
				return err
			}
			pdf = buf.Bytes()
		}
		m, err := mail.Render(b.e.mailMessage(l, pdf, b.o.from, b.o.ccSelf, b.fixed))
		msgs[k] = m
		return err
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// mailMessage turns a letter into its e-mail. With a fixed --date the
// message is fixed too (date, Message-ID and MIME boundary derive from the
// reference), so erase letter --format eml and erase send give the same bytes.
func (e *env) mailMessage(l *letters.Letter, pdf []byte, from string, ccSelf, fixed bool) mail.Message {
	var body bytes.Buffer
	letters.WriteBody(&body, l)
	m := e.mailHeaders(l, from, ccSelf, fixed)
	m.Text = body.String()
	if pdf != nil {
		m.Attachment = pdf
		m.AttachmentName = fileSafe(l.Reference) + ".pdf"
	}
	return m
}

// mailHeaders is the e-mail of a letter without its body or attachment.
func (e *env) mailHeaders(l *letters.Letter, from string, ccSelf, fixed bool) mail.Message {
	me := mail.Address{Name: l.Sender.Name, Email: l.Sender.Email}
	m := mail.Message{
		From:    me,
		To:      mail.Address{Name: l.Recipient.Name, Email: l.Recipient.Email},
		ReplyTo: me,
		Subject: l.Subject,
	}
	if from != "" {
		m.From = mail.Address{Name: l.Sender.Name, Email: from}
	}
	if ccSelf {
		m.Cc = []mail.Address{me}
	}
	if fixed {
		seed := sha256.Sum256([]byte("erase message " + l.Reference + " " + m.From.Email))
		m.Date = l.Date
		m.MessageID, _ = mail.NewMessageID(m.From.Email, bytes.NewReader(seed[:]))
		m.Boundary = fmt.Sprintf("erase-%x", seed[16:28])
	} else {
		m.Date = e.now()
	}
	return m
}

// composeAll composes every letter of the plan, in parallel; the first
// error, by position, wins.
func (e *env) composeAll(p *plan) ([]*letters.Letter, error) {
	ls := make([]*letters.Letter, len(p.requests))
	tmpls := e.templateSet()
	err := parallel(len(ls), func(i int) error {
		l, err := letters.Compose(p.requests[i], tmpls)
		if err != nil {
			return err
		}
		if p.opts.paper != "" {
			l.Paper = p.opts.paper
		}
		ls[i] = l
		return nil
	})
	return ls, err
}

// checkDuplicates refuses a second open request of the same kind to the
// same company, unless --force or a person at the terminal says so.
func (e *env) checkDuplicates(p *plan, force bool) error {
	if force {
		return nil
	}
	led, err := e.ledger()
	if err != nil {
		return err
	}
	recs, err := led.List(e.now())
	if err != nil {
		return err
	}
	open := map[[2]string]ledger.Record{}
	for _, r := range recs {
		if k := [2]string{r.Company, r.Kind}; r.Open() && open[k].Reference == "" {
			open[k] = r
		}
	}
	if len(open) == 0 {
		return nil
	}
	for _, req := range p.requests {
		key := req.CompanyID
		if key == "" {
			key = req.Recipient.Email
		}
		prev, ok := open[[2]string{key, req.Kind}]
		if !ok {
			continue
		}
		what := fmt.Sprintf("an %s request to %s (%s, sent %s) is still open", req.Kind, req.Service, prev.Reference, prev.Sent.Format("2006-01-02"))
		if e.canPrompt() {
			ok, err := e.confirm(what + "; send another?")
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			return badinput.Errorf("not sent: %s", what)
		}
		return badinput.Errorf("%s", what).
			Hint("erase status shows it; erase status mark %s answered|completed|refused records the reply", prev.Reference).
			Hint("pass --force to send another anyway")
	}
	return nil
}

// confirmSend shows what will be sent and asks, on a terminal, unless --yes.
func (e *env) confirmSend(ls []*letters.Letter, attached, yes bool) error {
	if yes || !e.canPrompt() {
		return nil
	}
	for _, l := range ls {
		attach := "no attachment"
		if attached {
			attach = "attached: " + fileSafe(l.Reference) + ".pdf"
		}
		fmt.Fprintf(e.questions(), "To:      %s <%s>\nSubject: %s\n         %s\n\n", l.Recipient.Name, l.Recipient.Email, l.Subject, attach)
	}
	ok, err := e.confirm(fmt.Sprintf("Send %d letter(s)?", len(ls)))
	if err != nil {
		return err
	}
	if !ok {
		return &silentError{code: exitFailed}
	}
	return nil
}

func (e *env) confirm(question string) (bool, error) {
	ans, err := e.askOptional(question + " [y/N]")
	if err != nil {
		return false, err
	}
	ans = strings.ToLower(ans)
	return ans == "y" || ans == "yes", nil
}

func (e *env) outbox() (*mail.Outbox, error) {
	dir, err := e.dataDir()
	if err != nil {
		return nil, err
	}
	return &mail.Outbox{Dir: filepath.Join(dir, "outbox"), Now: e.now}, nil
}

func (e *env) ledger() (*ledger.Ledger, error) {
	dir, err := e.dataDir()
	if err != nil {
		return nil, err
	}
	return &ledger.Ledger{Dir: filepath.Join(dir, "requests")}, nil
}

// deliverOptions records each delivered message in the ledger, with its
// due date by the regime's rule from the day it was sent, and shows
// progress on a terminal. Delivered messages are recorded in groups, one
// sync for each group (ledger.AddAll).
func (e *env) deliverOptions(total int) mail.Options {
	led, _ := e.ledger()
	record := func(en mail.Entry) (ledger.Record, error) {
		var x extra
		if err := json.Unmarshal(en.Extra, &x); err != nil {
			return ledger.Record{}, fmt.Errorf("outbox entry %s: %w", en.ID, err)
		}
		rec := ledger.Record{
			Reference: en.Reference, Company: x.Company, Contact: x.Contact, Regime: x.Regime,
			Kind: x.Kind, Sent: en.SentAt, MessageID: en.MessageID, Status: ledger.StatusSent,
		}
		if rec.Company == "" {
			rec.Company = x.Contact
		}
		if laws, err := e.lawSet(); err == nil {
			if r, err := laws.Get(x.Regime); err == nil {
				if d := r.DueFrom(en.SentAt).Date; d != nil {
					rec.Due = *d
				}
			}
		}
		return rec, nil
	}
	return mail.Options{
		OnSentAll: func(ens []mail.Entry) []error {
			errs := make([]error, len(ens))
			var (
				recs []ledger.Record
				at   []int
			)
			for i, en := range ens {
				rec, err := record(en)
				if err != nil {
					errs[i] = err
					continue
				}
				recs, at = append(recs, rec), append(at, i)
			}
			for k, err := range led.AddAll(recs) {
				if !errors.Is(err, ledger.ErrExists) { // already recorded: done
					errs[at[k]] = err
				}
			}
			return errs
		},
		Progress: func(i int, en mail.Entry, err error) {
			if !e.stderrTTY {
				return
			}
			state := "sent"
			if err != nil {
				state = "not sent: " + err.Error()
			}
			fmt.Fprintf(e.stderr, "erase: [%d/%d] %s to %s: %s\n", i+1, total, en.Reference, strings.Join(en.To, ", "), state)
		},
	}
}

// reportDelivery prints the summary and turns the report into an error
// with the right exit status: 75 when something waits, 1 when refused.
func (e *env) reportDelivery(rep mail.Report, err error) error {
	if !e.stderrTTY { // on a terminal the progress lines said it already
		for _, en := range rep.Sent {
			fmt.Fprintf(e.stderr, "erase: sent %s to %s\n", en.Reference, strings.Join(en.To, ", "))
		}
	}
	for _, en := range rep.Unrecorded {
		fmt.Fprintf(e.stderr, "erase: sent %s to %s, but could not record it yet; erase send --retry records it\n", en.Reference, strings.Join(en.To, ", "))
	}
	for _, en := range rep.Failed {
		fmt.Fprintf(e.stderr, "erase: refused %s: %s\n", en.Reference, en.LastError)
	}
	for _, en := range rep.Waiting {
		fmt.Fprintf(e.stderr, "erase: kept %s in the outbox: %s\n", en.Reference, en.LastError)
	}
	n := len(rep.Sent) + len(rep.Unrecorded) + len(rep.Failed) + len(rep.Waiting) + len(rep.Unsent)
	if n > 1 {
		fmt.Fprintf(e.stderr, "erase: %d sent, %d waiting, %d refused\n", len(rep.Sent)+len(rep.Unrecorded), len(rep.Waiting), len(rep.Failed))
	}
	switch {
	case err != nil && !mail.IsTemporary(err):
		return withSendHints(err)
	case len(rep.Failed) > 0:
		return &silentError{code: exitFailed}
	case len(rep.Waiting) > 0 || err != nil:
		fmt.Fprintf(e.stderr, "erase: hint: the message waits in the outbox; erase send --retry sends it\n")
		return &silentError{code: exitTempFail}
	}
	return nil
}

func (e *env) retryOutbox(ctx context.Context, sender mail.Sender) error {
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	pending, err := ob.List()
	if err != nil {
		return err
	}
	waiting := 0
	for _, en := range pending {
		if en.State != mail.StateFailed {
			waiting++
		}
	}
	if waiting == 0 {
		fmt.Fprintln(e.stderr, "erase: the outbox has nothing waiting")
		return nil
	}
	rep, err := ob.Retry(ctx, sender, e.deliverOptions(waiting))
	return e.reportDelivery(rep, err)
}

// sender builds the SMTP or sendmail sender from flags, environment and
// config.yaml, in that order of precedence.
func (e *env) sender(o *sendOptions, perMinute int, retrying bool) (mail.Sender, error) {
	via := o.via
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	if via == "" {
		via = cfg.Via
	}
	if via != "" {
		name, path, _ := strings.Cut(via, "=")
		if name != "sendmail" {
			return nil, badinput.Errorf("--via %q is not sendmail or sendmail=PATH", via)
		}
		return &mail.SendmailSender{Path: path, PerMinute: perMinute}, nil
	}
	pick := func(flag, envName, conf string) string {
		if flag != "" {
			return flag
		}
		if v := e.getenv(envName); v != "" {
			return v
		}
		return conf
	}
	sc := mail.SMTPConfig{
		Host:   pick(o.smtp.host, "ERASE_SMTP_HOST", cfg.SMTP.Host),
		User:   pick(o.smtp.user, "ERASE_SMTP_USER", cfg.SMTP.User),
		TLS:    mail.TLSMode(pick(o.smtp.tls, "ERASE_SMTP_TLS", cfg.SMTP.TLS)),
		CAFile: pick(o.smtp.ca, "ERASE_SMTP_CA", cfg.SMTP.CA),
	}
	port := pick("", "ERASE_SMTP_PORT", "")
	switch {
	case o.smtpPortGiven:
		sc.Port = o.smtp.port
	case port != "":
		if sc.Port, err = strconv.Atoi(port); err != nil {
			return nil, badinput.Errorf("ERASE_SMTP_PORT %q is not a port number", port)
		}
	default:
		sc.Port = cfg.SMTP.Port
	}
	if sc.Host == "" {
		return nil, badinput.Errorf("no SMTP server: pass --smtp-host, set ERASE_SMTP_HOST, or put smtp.host in %s", e.configPath()).
			Hint("or hand the message to the machine's mailer: --via sendmail")
	}
	if sc.User != "" {
		if sc.Password, err = e.password(o, cfg); err != nil {
			return nil, err
		}
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return &mail.SMTPSender{Config: sc, PerMinute: perMinute}, nil
}

// password finds the SMTP password: the environment, a file, or a
// command's first line of output. It is never taken from a flag value.
func (e *env) password(o *sendOptions, cfg *config) (string, error) {
	file := firstNonEmpty(o.passwordFile, e.getenv("ERASE_SMTP_PASSWORD_FILE"), cfg.SMTP.PasswordFile)
	command := firstNonEmpty(o.passwordCmd, e.getenv("ERASE_SMTP_PASSWORD_COMMAND"), cfg.SMTP.PasswordCommand)
	if pw := e.getenv("ERASE_SMTP_PASSWORD"); pw != "" && o.passwordFile == "" && o.passwordCmd == "" {
		return pw, nil
	}
	switch {
	case file != "" && command != "":
		return "", badinput.Errorf("--smtp-password-file and --smtp-password-command both give the password: pass one")
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return "", badinput.Errorf("--smtp-password-file %s: %v", file, unwrapPathError(err))
		}
		return firstLine(data, "--smtp-password-file "+file)
	case command != "":
		cmd := exec.Command("/bin/sh", "-c", command)
		cmd.Stderr = e.stderr
		out, err := cmd.Output()
		if err != nil {
			return "", badinput.Errorf("--smtp-password-command failed: %v", err)
		}
		return firstLine(out, "--smtp-password-command")
	}
	return "", badinput.Errorf("the SMTP user %s needs a password: set ERASE_SMTP_PASSWORD, or pass --smtp-password-file or --smtp-password-command", e.getenvOr(o.smtp.user, "ERASE_SMTP_USER")).
		Hint("e.g. --smtp-password-command 'pass show mail/smtp'")
}

func (e *env) getenvOr(v, name string) string {
	if v != "" {
		return v
	}
	return e.getenv(name)
}

func firstLine(data []byte, what string) (string, error) {
	line, _, _ := strings.Cut(strings.TrimPrefix(string(data), "\uFEFF"), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", badinput.Errorf("%s gave an empty password", what)
	}
	return line, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
