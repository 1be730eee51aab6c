package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/dispatch"
	"github.com/erase-cli/erase/internal/atomicfile"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/ledger"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/mail"
	"github.com/erase-cli/erase/requests"
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
	dryRun        bool
	check, retry  bool
	rate          string
	passwordFile  string
	passwordCmd   string
	smtpPortGiven bool
}

type smtpFlags struct {
	host, user, tls, ca string
	port                int
}

const sendExamples = `  # Send the AliExpress letter through your mail provider
  export ERASE_SMTP_PASSWORD=...   # or --smtp-password-command CMD
  erase send --law gdpr --company aliexpress --profile me.yaml \
    --smtp-host smtp.example.com --smtp-user jane@example.com

  # Through the machine's own mailer (msmtp, postfix, ...)
  erase send --company aliexpress --profile me.yaml \
    --via sendmail=/usr/bin/msmtp

  # To each credit agency in Germany
  erase send --pack de-credit-agencies --profile me.yaml --via sendmail

  # Look at the message first, send nothing
  erase send --company aliexpress --profile me.yaml --dry-run

  # Send what a temporary refusal left in the outbox
  erase send --retry`

func newSendCmd(e *env) *cobra.Command {
	o := &sendOptions{}
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send letters by e-mail (SMTP or sendmail) and record them",
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
lists them with their deadlines.

A company that takes requests by web form only (or asks for them there) is
not e-mailed: erase writes the text to paste to letters/ in the data
directory (--dry-run prints it) and names the form. A company without an
e-mail address is not e-mailed either: erase writes the PDF to post there
too (--dry-run names the command that writes it). Neither is a failure: the
e-mails of the rest go out, and erase send exits 0 if nothing else failed.

On a terminal, erase send shows what each company asks you to do before it
deletes your account (its checklist), then asks before it sends.`,
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
	f.StringVar(&o.smtp.tls, "smtp-tls", "", "TLS `MODE`: starttls (default), tls (implicit, port 465) or none")
	f.StringVar(&o.smtp.ca, "smtp-ca", "", "trust the CA certificates in PEM `FILE` (a private CA)")
	f.StringVar(&o.passwordFile, "smtp-password-file", "", "read the SMTP password from `FILE` (its first line)")
	f.StringVar(&o.passwordCmd, "smtp-password-command", "", "run `COMMAND` and use the first line it prints as the SMTP password")
	f.StringVar(&o.via, "via", "", "deliver through `PROGRAM`, a sendmail-compatible one: sendmail (found on PATH) or sendmail=PATH")
	f.BoolVarP(&o.yes, "yes", "y", false, "send without asking, to every company of a --pack: needed where no one is at a terminal to answer")
	f.BoolVar(&o.dryRun, "dry-run", false, "show the message and send nothing (the whole message with --format eml, or in a pipe)")
	f.BoolVar(&o.check, "check", false, "connect, authenticate and quit without sending")
	f.BoolVar(&o.retry, "retry", false, "send every message waiting in the outbox")
	f.BoolVar(&o.force, "force", false, "send even if the same request to the same company is still open, or a reminder before the request is overdue")
	f.StringVar(&o.rate, "rate", "", "send at most `N/min` (a provider's limit)")
	cmd.RegisterFlagCompletionFunc("via", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"sendmail\tthe machine's sendmail, found on PATH", "sendmail=\ta sendmail-compatible program: sendmail=PATH"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	cmd.RegisterFlagCompletionFunc("smtp-tls", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"starttls", "tls", "none"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// sendChunk is how many messages a batch renders (in parallel) and
// writes to the outbox at a time, so that a large batch is never in
// memory whole; the batch is made durable and queued as one.
const sendChunk = 64

func (e *env) sendRun(ctx context.Context, o *sendOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	raw := o.dryRun && o.format == "eml" // the whole message, for a pipe or a look at the MIME
	if (o.format != "" && !raw) || o.output != "" {
		return badinput.Errorf("erase send takes no --format or -o: it sends; erase letter writes files").
			Hint("erase send --dry-run shows the message; --dry-run --format eml prints it whole")
	}
	every, err := parseRate(o.rate)
	if err != nil {
		return err
	}
	if o.retry || o.check {
		sender, err := e.sender(o)
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
			if smtp.Config.User == "" {
				fmt.Fprintf(e.stderr, "erase: %s accepted the connection; no login was tried (no --smtp-user)\n", smtp.Config.Host)
			} else {
				fmt.Fprintf(e.stderr, "erase: %s accepted the connection and the login of %s\n", smtp.Config.Host, smtp.Config.User)
			}
			return nil
		}
		return e.retryOutbox(ctx, sender, every)
	}

	if o.date != "" && !o.dryRun {
		// A letter goes out today: dated today, its deadline counted from
		// today, recorded as sent today. Checked before anything is
		// composed; --dry-run may show another day's letter.
		if today := e.now().Format(time.DateOnly); o.date != today {
			return badinput.Errorf("--date %s: erase send sends a letter dated today (%s)", o.date, today).
				Hint("leave out --date; erase letter --date %s writes a letter with another date", o.date)
		}
	}
	o.letterOptions.format = "pdf"
	if o.noAttach {
		o.letterOptions.format = "text"
	}
	p, err := e.plan(&o.letterOptions, []string{"pdf", "text"})
	if err != nil {
		return err
	}
	if a := p.authority; a != nil && (a.Complaint.Channel != authorities.ChannelEmail || a.ComplaintEmail() == "") {
		return badinput.Errorf("%s does not take complaints by e-mail (it takes them by %s): erase cannot send this one", a.Name, a.Complaint.Channel).
			Hint("erase letter --kind complaint --request %s writes it, and says how to file it", o.request)
	}
	mailed, others := splitByChannel(p)
	if err := e.notMailed(others, o.dryRun, raw); err != nil {
		return err
	}
	e.noteIDDocuments(p)
	if len(mailed.requests) == 0 && len(others.requests) > 0 {
		return nil // nothing to e-mail, and notMailed said what to do instead
	}
	p = mailed
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
			for k, m := range msgs {
				if !raw && e.stdoutTTY { // a person reads it: no base64
					if err := writeMessageSummary(e.stdout, m, b.ls[lo+k]); err != nil {
						return err
					}
					continue
				}
				if _, err := e.stdout.Write(m.Data); err != nil {
					return err
				}
			}
		}
		fmt.Fprintf(e.stderr, "erase: dry run: %d message(s) shown, nothing sent\n", len(b.ls))
		return nil
	}
	approved, err := e.checkDuplicates(p, b.ls, o.force)
	if err != nil {
		return err
	}
	sender, err := e.sender(o)
	if err != nil {
		return err
	}
	if err := e.confirmSend(p, b.ls, !o.noAttach, o.yes); err != nil {
		return err
	}
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	// Every letter is in the outbox before the first one goes: rendered a
	// chunk at a time, written and dropped, then all made durable with one
	// sync, then admitted together under the outbox's lock, where the
	// duplicate check runs again against what other erase processes
	// queued or recorded meanwhile.
	lo := 0
	next := func() ([]mail.Item, error) {
		if lo >= len(b.ls) {
			return nil, nil
		}
		if ctx.Err() != nil {
			return nil, errInterrupted
		}
		hi := min(lo+sendChunk, len(b.ls))
		msgs, err := b.render(lo, hi)
		if err != nil {
			return nil, err
		}
		items := make([]mail.Item, len(msgs))
		for k, m := range msgs {
			items[k] = mail.Item{Msg: m, Meta: dispatch.Meta(p.requests[lo+k], b.ls[lo+k])}
		}
		lo = hi
		return items, nil
	}
	q, err := ob.Queue(next, func(queued []mail.Entry) error {
		led, err := e.ledger()
		if err != nil {
			return err
		}
		known, err := dispatch.Requests(led, queued, e.now())
		if err != nil {
			return err
		}
		return dispatch.Admit(known, p.requests, b.ls, approved, o.force)
	})
	if err != nil {
		return notQueued(err, b.ls, ob.Dir)
	}
	e.sayCleared(q.Cleared)
	for _, old := range q.Replaced {
		fmt.Fprintf(e.stderr, "erase: replacing %s, refused earlier (%s)\n", old.Reference, old.LastError)
	}
	if len(q.Entries) > 1 {
		fmt.Fprintf(e.stderr, "erase: queued %d letters in the outbox\n", len(q.Entries))
	}
	opts, err := e.deliverOptions(len(q.Entries))
	if err != nil {
		return err
	}
	opts.Every = every
	rep, err := ob.Send(ctx, sender, q.Entries, opts)
	return e.reportDelivery(rep, err)
}

// splitByChannel splits a plan into the letters to e-mail and the rest
// (to post, or to paste into a web form). A follow-up, whose plan has no
// routes, is e-mailed.
func splitByChannel(p *plan) (mailed, others *plan) {
	m, o := *p, *p
	m.requests, m.routes, o.requests, o.routes = nil, nil, nil, nil
	if len(p.routes) != len(p.requests) {
		return p, &o
	}
	for i, rt := range p.routes {
		dst := &o
		if rt.Channel == requests.ByEmail {
			dst = &m
		}
		dst.requests = append(dst.requests, p.requests[i])
		dst.routes = append(dst.routes, rt)
	}
	return &m, &o
}

// notMailed composes the letters of p, which go by post or by a web form,
// and says, per company, what to do with each instead of e-mailing it:
// the text to paste and the PDF to post are written to the data
// directory's letters/ (on a dry run the text is printed, but for
// --format eml, whose stdout is messages only, and the PDF is named by
// the command that writes it).
func (e *env) notMailed(p *plan, dryRun, raw bool) error {
	if len(p.requests) == 0 {
		return nil
	}
	ls, err := e.composeAll(p)
	if err != nil {
		return err
	}
	var dir string
	var pdf *renderer // made for the first letter to post
	if !dryRun {
		if dir, err = e.dataDir(); err != nil {
			return err
		}
		dir = filepath.Join(dir, "letters")
	}
	for i, l := range ls {
		rt, req := p.routes[i], p.requests[i]
		cmd := letterCommand(p, req)
		if rt.Channel == requests.ByPost {
			fmt.Fprintf(e.stderr, "erase: %s takes no requests by e-mail: post the letter instead (not sent)\n", l.Recipient.Name)
			if dryRun {
				name := letters.FileSafe(companyKey(req)) + ".pdf"
				fmt.Fprintf(e.stderr, "erase: hint: %s --format pdf -o %s, with your details as given here, writes the PDF; add --posted to record it as sent\n", cmd, name)
			} else {
				// The letter to post, beside the texts to paste.
				if pdf == nil {
					pp := *p
					pp.format = "pdf"
					if pdf, err = e.newRenderer(&pp); err != nil {
						return err
					}
				}
				var b bytes.Buffer
				if err := pdf.render(&b, l); err != nil {
					return err
				}
				path := filepath.Join(dir, letters.FileSafe(companyKey(req))+"-"+letters.FileSafe(l.Reference)+".pdf")
				if err := atomicfile.Write(path, b.Bytes()); err != nil {
					return fmt.Errorf("writing the letter to post: %w", err)
				}
				fmt.Fprintf(e.stderr, "erase: wrote %s, the letter to post\n", path)
				fmt.Fprintf(e.stderr, "erase: hint: once you have posted it, %s --posted, with your details as given here, records it as sent\n", cmd)
			}
			if rt.Webform != "" {
				fmt.Fprintf(e.stderr, "erase: hint: or paste the letter's text into its web form: %s\n", rt.Webform)
			}
			continue
		}
		fmt.Fprintf(e.stderr, "erase: %s (not sent)\n", webformNote(l.Recipient, rt))
		var text bytes.Buffer
		if err := letters.WriteText(&text, l); err != nil {
			return err
		}
		if dryRun {
			if raw {
				fmt.Fprintf(e.stderr, "erase: dry run: --format eml shows the e-mails only, not the text to paste\n")
			} else if _, err := e.stdout.Write(text.Bytes()); err != nil {
				return err
			}
			continue
		}
		path := filepath.Join(dir, letters.FileSafe(companyKey(req))+"-"+letters.FileSafe(l.Reference)+".txt")
		if err := atomicfile.Write(path, text.Bytes()); err != nil {
			return fmt.Errorf("writing the letter to paste: %w", err)
		}
		fmt.Fprintf(e.stderr, "erase: wrote %s, the text to paste\n", path)
		if trackable(l.Recipient) {
			fmt.Fprintf(e.stderr, "erase: hint: once you have sent the form, %s --posted, with your details as given here, records it as sent\n", cmd)
		}
	}
	return nil
}

// letterCommand is the erase letter command that writes req again: its
// law, kind, contact and company; the requester's details are left to
// the person, who gave them as flags or in a profile.
func letterCommand(p *plan, req letters.Request) string {
	cmd := "erase letter --law " + req.Regime.ID
	if req.Kind != letters.KindErasure {
		cmd += " --kind " + req.Kind
	}
	if p.opts.contact == companies.ContactGroup {
		cmd += " --contact group"
	}
	if p.opts.lang != "" {
		cmd += " --lang " + p.opts.lang
	}
	return cmd + " --company " + req.CompanyID
}

// sayCleared says what the outbox cleared of an interrupted run before
// it queued or retried.
func (e *env) sayCleared(n int) {
	if n > 0 {
		fmt.Fprintf(e.stderr, "erase: removed %d unfinished file(s) an interrupted erase left in the outbox; none of them had been sent\n", n)
	}
}

// notQueued is the error of a batch that could not be queued: nothing
// was sent, and it names the letters.
func notQueued(err error, ls []*letters.Letter, dir string) error {
	var bad *badinput.Error
	if errors.As(err, &bad) {
		return err
	}
	if hinted := withAdmitHints(err); hinted != err {
		return hinted
	}
	if errors.Is(err, errInterrupted) {
		return fmt.Errorf("interrupted: nothing was sent, nothing queued")
	}
	if errors.Is(err, mail.ErrAlreadyQueued) {
		return badinput.Errorf("%v", err).Hint("erase send --retry sends what waits in the outbox")
	}
	refs := make([]string, 0, len(ls))
	for _, l := range ls {
		refs = append(refs, l.Reference)
	}
	hints := []string{"not sent: " + listRefs(refs)}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		hints = append(hints, "free some space for "+dir+", then run the same command again")
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.EROFS):
		hints = append(hints, "erase keeps letters in "+dir+" until they are delivered: make it writable, or set ERASE_DATA_DIR")
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		hints = append(hints, "too many open files: raise the limit (ulimit -n), then run the same command again")
	}
	return &hintedError{fmt.Errorf("nothing was sent: the letters could not be put in the outbox: %w", err), hints}
}

// errInterrupted: Ctrl-C or SIGTERM before the batch was queued.
var errInterrupted = errors.New("interrupted")

// listRefs names references on one line, the first few of a long list.
func listRefs(refs []string) string {
	const most = 8
	if len(refs) <= most {
		return strings.Join(refs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(refs[:most], ", "), len(refs)-most)
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

// parseRate reads --rate: N/s, N/min or N/h (a bare N is per minute),
// as the time between two messages.
func parseRate(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	num, unit, slash := strings.Cut(strings.TrimSpace(s), "/")
	if !slash {
		unit = "min"
	}
	per := map[string]time.Duration{"s": time.Second, "sec": time.Second,
		"m": time.Minute, "min": time.Minute, "h": time.Hour, "hour": time.Hour}[strings.ToLower(unit)]
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || per == 0 || per/time.Duration(n) == 0 {
		return 0, badinput.Errorf("--rate %q is not a rate: write N/s, N/min or N/h, e.g. 30/min", s)
	}
	return per / time.Duration(n), nil
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
		return dispatch.Headers(ls[i], b.messageOptions()).Check()
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
		opt := b.messageOptions()
		opt.Original = b.e.archived(l)
		m, err := mail.Render(dispatch.Message(l, pdf, opt))
		msgs[k] = m
		return err
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// messageOptions say how the batch's letters go as e-mails.
func (b *batch) messageOptions() dispatch.MessageOptions {
	return dispatch.MessageOptions{From: b.o.from, CcSelf: b.o.ccSelf, Fixed: b.fixed, Now: b.e.now()}
}

// composeAll composes every letter of the plan, in parallel; the first
// error, by position, wins.
func (e *env) composeAll(p *plan) ([]*letters.Letter, error) {
	ls := make([]*letters.Letter, len(p.requests))
	err := parallel(len(ls), func(i int) error {
		l, err := e.composeOne(p, i)
		ls[i] = l
		return err
	})
	if err == nil {
		e.noteLanguages(p, ls)
	}
	return ls, err
}

// composeOne composes letter i of the plan.
func (e *env) composeOne(p *plan, i int) (*letters.Letter, error) {
	l, err := letters.Compose(p.requests[i], e.templateSet())
	if err != nil {
		return nil, err
	}
	if p.opts.paper != "" {
		l.Paper = p.opts.paper
	}
	return l, nil
}

// noteLanguages says, once for each, which letters are in a language the
// requester did not choose (not --lang, not the profile's, not English):
// the company's, the authority's or the law's.
func (e *env) noteLanguages(p *plan, ls []*letters.Letter) {
	said := map[string]bool{}
	for _, l := range ls {
		e.noteLanguage(p, said, l.Language, l.Recipient.Name)
	}
}

// noteLanguage is noteLanguages for one letter, in language to the
// recipient named to; said holds the languages already noted.
func (e *env) noteLanguage(p *plan, said map[string]bool, language, to string) {
	if p.opts.lang != "" || language == "en" || language == p.who.Language || said[language] {
		return
	}
	said[language] = true
	name := language
	if w, err := e.templateSet().Words(language); err == nil {
		name = w.Name
	}
	fmt.Fprintf(e.stderr, "erase: note: the letter to %s is in %s, the language its recipient or its law uses; --lang en writes it in English\n", to, name)
}

// checkDuplicates refuses a second open request of the same kind to the
// same company, unless --force or a person at the terminal says so. It
// returns the references of the open requests the person chose to send
// another beside; dispatch.Admit checks again as the batch is queued.
func (e *env) checkDuplicates(p *plan, ls []*letters.Letter, force bool) (map[string]bool, error) {
	approved := map[string]bool{}
	if force {
		return approved, nil
	}
	ob, err := e.outbox()
	if err != nil {
		return nil, err
	}
	queued, err := ob.List()
	if err != nil {
		return nil, err
	}
	led, err := e.ledger()
	if err != nil {
		return nil, err
	}
	known, err := dispatch.Requests(led, queued, e.now())
	if err != nil {
		return nil, err
	}
	for _, d := range dispatch.Duplicates(known, p.requests, ls, nil) {
		if approved[d.Open.Reference] {
			continue
		}
		if !e.canPrompt() {
			return nil, withAdmitHints(&d)
		}
		ok, err := e.confirm(d.Error() + "; send another?")
		if err != nil {
			return nil, err
		}
		if !ok { // declining is not bad input: exit 1, one line
			return nil, errors.New("nothing was sent")
		}
		approved[d.Open.Reference] = true
	}
	return approved, nil
}

// withAdmitHints makes a refusal of dispatch.Admit bad input, with what
// to do about it.
func withAdmitHints(err error) error {
	var dup *dispatch.Duplicate
	var sent *dispatch.AlreadySent
	switch {
	case errors.As(err, &dup):
		b := badinput.Errorf("%v", dup)
		if dup.Open.Queued {
			b = b.Hint("it waits in the outbox; erase send --retry sends it")
		} else {
			b = b.Hint("erase status shows it; erase status mark %s answered|completed|refused records the reply", dup.Open.Reference)
		}
		return b.Hint("pass --force to send another anyway")
	case errors.As(err, &sent):
		return badinput.Errorf("%v", sent).Hint("erase status shows it; the same letter again would carry the same reference")
	}
	return err
}

// confirmSend shows what will be sent and asks, on a terminal, unless
// --yes: erase never sends without a yes at the terminal or --yes.
// Declining sends nothing (exit 1). Before an erasure it shows what each
// company asks the person to do first (its checklist); without a
// question to answer, it points to erase companies show instead.
func (e *env) confirmSend(p *plan, ls []*letters.Letter, attached, yes bool) error {
	checklists := checklistsOf(p)
	if yes {
		for _, c := range checklists {
			if c != nil {
				fmt.Fprintf(e.stderr, "erase: note: %s has things to do before your account goes: erase companies show %s\n", c.Name, c.ID)
			}
		}
		return nil
	}
	if !e.canPrompt() {
		return badinput.Errorf("nothing sent: erase asks before it sends, and no one is at a terminal to answer; pass --yes to send without asking").
			Hint("--dry-run shows what would be sent")
	}
	for i, l := range ls {
		attach := "no attachment"
		if attached {
			attach = "attached: " + letters.FileSafe(l.Reference) + ".pdf"
		}
		fmt.Fprintf(e.questions(), "To:      %s <%s>\nSubject: %s\n         %s\n", l.Recipient.Name, l.Recipient.Email, l.Subject, attach)
		if c := checklists[i]; c != nil {
			fmt.Fprintf(e.questions(), "Before %s deletes your account:\n", c.Name)
			for _, item := range c.Checklist {
				fmt.Fprintf(e.questions(), "  - %s\n", item)
			}
		}
		fmt.Fprintln(e.questions())
	}
	ok, err := e.confirm(fmt.Sprintf("Send %d letter(s)?", len(ls)))
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("nothing was sent")
	}
	return nil
}

// checklistsOf gives, for each letter of p, the company whose checklist
// comes before it: an erasure to a company that has one; nil otherwise.
func checklistsOf(p *plan) []*companies.Company {
	out := make([]*companies.Company, len(p.requests))
	for i, req := range p.requests {
		if i < len(p.routes) && req.Kind == letters.KindErasure {
			if c := p.routes[i].Company; c != nil && len(c.Checklist) > 0 {
				out[i] = c
			}
		}
	}
	return out
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

// archive keeps each delivered message, as sent, in the data directory's
// letters/REF.entry (0600; a hard link to the outbox entry, so no data is
// written), so that a reminder can carry the request it is about. A copy
// that cannot be kept costs only that: the letter is delivered and
// recorded all the same, and the reminder goes without it.
func (e *env) archive(ob *mail.Outbox, ens []mail.Entry) {
	dir, err := e.dataDir()
	if err != nil {
		return
	}
	dir = filepath.Join(dir, "letters")
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	for _, en := range ens {
		if atomicfile.SafeName(en.Reference, 128, "._-") {
			ob.Keep(en.ID, filepath.Join(dir, en.Reference+".entry"))
		}
	}
}

// archived is the message a reminder l is about, as it was sent; nil for
// other letters, and where erase kept none (a request sent by erase 0.2,
// or posted).
func (e *env) archived(l *letters.Letter) []byte {
	if l.About == "" || l.InReplyTo == "" {
		return nil
	}
	dir, err := e.dataDir()
	if err != nil || !atomicfile.SafeName(l.About, 128, "._-") {
		return nil
	}
	m, err := mail.KeptMessage(filepath.Join(dir, "letters", l.About+".entry"))
	if err != nil || len(m.Data) == 0 {
		return nil
	}
	return m.Data
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
func (e *env) deliverOptions(total int) (mail.Options, error) {
	led, err := e.ledger()
	if err != nil {
		return mail.Options{}, err
	}
	laws, err := e.lawSet()
	if err != nil {
		return mail.Options{}, err
	}
	record := dispatch.Recorder(led, laws)
	ob, err := e.outbox()
	if err != nil {
		return mail.Options{}, err
	}
	return mail.Options{
		OnSentAll: func(ens []mail.Entry) []error {
			e.archive(ob, ens)
			return record(ens)
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
	}, nil
}

// reportDelivery prints what became of each letter and turns the report
// into an error with the right exit status: 75 when something waits, 1
// when refused or not recorded.
func (e *env) reportDelivery(rep mail.Report, err error) error {
	recorded := map[string]bool{}
	for _, en := range rep.Recorded {
		recorded[en.ID] = true
		fmt.Fprintf(e.stderr, "erase: recorded %s, delivered to %s before erase was interrupted\n", en.Reference, strings.Join(en.To, ", "))
	}
	if !e.stderrTTY { // on a terminal the progress lines said it already
		for _, en := range rep.Sent {
			if !recorded[en.ID] {
				fmt.Fprintf(e.stderr, "erase: sent %s to %s\n", en.Reference, strings.Join(en.To, ", "))
			}
		}
	}
	for _, en := range rep.Unrecorded {
		fmt.Fprintf(e.stderr, "erase: sent %s to %s, but could not record it yet: %s\n", en.Reference, strings.Join(en.To, ", "), recordErr(en, err))
	}
	for _, en := range rep.Failed {
		fmt.Fprintf(e.stderr, "erase: refused %s: %s\n", en.Reference, strings.TrimPrefix(en.LastError, "refused: "))
	}
	for _, en := range rep.Elsewhere {
		fmt.Fprintf(e.stderr, "erase: %s was taken over by another erase process\n", en.Reference)
	}
	// Letters a lost connection or Ctrl-C left waiting: the first few by
	// name, the rest counted.
	const named = 8
	for i, en := range rep.Waiting {
		if i == named {
			fmt.Fprintf(e.stderr, "erase: kept %d more in the outbox\n", len(rep.Waiting)-named)
			break
		}
		fmt.Fprintf(e.stderr, "erase: kept %s in the outbox: %s\n", en.Reference, waitReason(en, err))
	}
	if len(rep.Unsent) > 0 {
		refs := make([]string, len(rep.Unsent))
		for i, en := range rep.Unsent {
			refs[i] = en.Reference
		}
		fmt.Fprintf(e.stderr, "erase: not sent: %s\n", listRefs(refs))
	}
	n := len(rep.Sent) + len(rep.Unrecorded) + len(rep.Failed) + len(rep.Waiting) + len(rep.Unsent) + len(rep.Elsewhere)
	if n > 1 {
		fmt.Fprintf(e.stderr, "erase: %d sent, %d waiting, %d refused", len(rep.Sent)+len(rep.Unrecorded), len(rep.Waiting), len(rep.Failed))
		if len(rep.Unsent) > 0 {
			fmt.Fprintf(e.stderr, ", %d not sent", len(rep.Unsent))
		}
		fmt.Fprintln(e.stderr)
	}
	switch {
	case len(rep.Unrecorded) > 0:
		fmt.Fprintf(e.stderr, "erase: hint: once the data directory can be written again, erase send --retry records them without sending them again\n")
		return &silentError{code: exitFailed}
	case err != nil && !mail.IsTemporary(err) && len(rep.Failed) == 0:
		return withSendHints(err)
	case len(rep.Failed) > 0:
		return &silentError{code: exitFailed}
	case len(rep.Waiting) > 0 || err != nil:
		fmt.Fprintf(e.stderr, "erase: hint: erase send --retry sends what waits in the outbox\n")
		return &silentError{code: exitTempFail}
	}
	return nil
}

// recordErr is why a delivered letter was not recorded.
func recordErr(en mail.Entry, err error) string {
	if err == nil {
		return "unknown error"
	}
	return strings.TrimPrefix(err.Error(), en.ID+" was delivered but not recorded: ")
}

// waitReason is why a letter waits: its last reply, or the run's error.
func waitReason(en mail.Entry, err error) string {
	if en.LastError != "" {
		return en.LastError
	}
	if err != nil {
		return err.Error()
	}
	return "not sent yet"
}

func (e *env) retryOutbox(ctx context.Context, sender mail.Sender, every time.Duration) error {
	ob, err := e.outbox()
	if err != nil {
		return err
	}
	pending, err := ob.List()
	if err != nil {
		return err
	}
	waiting := 0 // for the progress count
	for _, en := range pending {
		if en.State != mail.StateFailed {
			waiting++
		}
	}
	opts, err := e.deliverOptions(waiting)
	if err != nil {
		return err
	}
	opts.Every = every
	rep, err := ob.Retry(ctx, sender, opts)
	e.sayCleared(rep.Cleared)
	if err == nil && len(rep.Sent)+len(rep.Unrecorded)+len(rep.Waiting)+len(rep.Failed)+len(rep.Unsent)+len(rep.Elsewhere) == 0 {
		fmt.Fprintln(e.stderr, "erase: the outbox has nothing waiting")
		return nil
	}
	return e.reportDelivery(rep, err)
}

// sender builds the SMTP or sendmail sender from flags, environment and
// config.yaml, in that order of precedence.
func (e *env) sender(o *sendOptions) (mail.Sender, error) {
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
		return &mail.SendmailSender{Path: path}, nil
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
	return &mail.SMTPSender{Config: sc}, nil
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
		return e.passwordFromCommand(command)
	}
	return "", badinput.Errorf("the SMTP user %s needs a password: set ERASE_SMTP_PASSWORD, or pass --smtp-password-file or --smtp-password-command", e.getenvOr(o.smtp.user, "ERASE_SMTP_USER")).
		Hint("e.g. --smtp-password-command 'pass show mail/smtp'")
}

// passwordCommandTimeout bounds --smtp-password-command: long enough to
// unlock a password manager, short enough that a command that waits for
// nothing does not hang a cron job.
var passwordCommandTimeout = 2 * time.Minute

// passwordFromCommand runs the password command through the shell and
// takes the first line it prints. Its standard error and the terminal
// stay the user's (a password manager may ask for a passphrase); erase's
// own password variables are not passed on.
func (e *env) passwordFromCommand(command string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), passwordCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Env = withoutPasswordVars(os.Environ())
	cmd.Stderr = e.stderr
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return "", badinput.Errorf("--smtp-password-command did not finish within %v", passwordCommandTimeout).
			Hint("check that the command prints the password without waiting for input erase cannot give")
	}
	if err != nil {
		return "", badinput.Errorf("--smtp-password-command failed: %v", err)
	}
	return firstLine(out, "--smtp-password-command")
}

// withoutPasswordVars is env without ERASE_SMTP_PASSWORD and its _FILE
// and _COMMAND forms.
func withoutPasswordVars(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ERASE_SMTP_PASSWORD") {
			out = append(out, kv)
		}
	}
	return out
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

// writeMessageSummary shows a message as a person checks it before it
// goes: its header fields (not the MIME ones), the letter's text, and the
// attachment's name and size, not its base64.
func writeMessageSummary(w io.Writer, m *mail.Rendered, l *letters.Letter) error {
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	var b bytes.Buffer
	for _, k := range []string{"From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID"} {
		if v := msg.Header.Get(k); v != "" {
			if d, err := dec.DecodeHeader(v); err == nil {
				v = d
			}
			fmt.Fprintf(&b, "%-11s %s\n", k+":", v)
		}
	}
	b.WriteString("\n")
	letters.WriteBody(&b, l)
	if _, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type")); err == nil && params["boundary"] != "" {
		r := multipart.NewReader(msg.Body, params["boundary"])
		for {
			p, err := r.NextPart()
			if err != nil {
				break
			}
			if name := p.FileName(); name != "" {
				n, _ := io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, p))
				typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
				fmt.Fprintf(&b, "\nAttached: %s (%s, %d KB)\n", name, typ, (n+1023)/1024)
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n\n", strings.Repeat("-", 72))
	_, err = w.Write(b.Bytes())
	return err
}
