// Package mail delivers erase's letters: it builds the e-mail with
// github.com/wneessen/go-mail, sends it over SMTP or hands it to a
// sendmail-compatible program, and keeps an outbox so that nothing is lost.
// It composes nothing: the letter's text, PDF and subject come from the
// letters package.
//
// # Messages
//
//	r, err := mail.Render(mail.Message{
//		From: mail.Address{Name: "Jane Doe", Email: "jane@example.org"},
//		To:   mail.Address{Name: "AliExpress Privacy", Email: "privacy@…"},
//		Cc:   []mail.Address{{Name: "Jane Doe", Email: "jane@example.org"}},
//		ReplyTo: mail.Address{Email: "jane@example.org"},
//		Subject: "… " + letter.Reference, Text: text,
//		Attachment: pdf, // optional; named letter.pdf, application/pdf
//		Date: date, MessageID: id, Boundary: b, // all three fixed: same bytes every run
//	})
//	err = mail.WriteEML(w, msg) // `erase letter --format eml`: the bytes Render gives and SMTP sends
//
// There is no User-Agent or X-Mailer header; the Message-ID is 128 random
// bits at the sender's domain (NewMessageID), never the host name; EHLO
// says "localhost" unless SMTPConfig.HeloName says otherwise. A control
// character (CR, LF, ...) in any header field is bad input (exit 2), so no
// field can add a header or a recipient; names with quotes, commas or
// non-ASCII text are quoted or RFC 2047-encoded; a subject containing
// "=?" is sent encoded so that it reads back as written.
//
// No line of a message is over RFC 5322's 998 octets, and a header line
// is at most 78 where it can fold (go-mail folds at spaces; a subject
// with a longer word is sent encoded, so it folds too). For that these
// are bad input, far beyond any real letter, with the field and the limit
// named in the error:
//
//   - a display name (from, to, cc, reply-to) over 256 characters;
//   - an e-mail address over 254 octets (RFC 5321's path of 256 less <>);
//   - a subject over 998 characters, the reference included;
//   - an attachment name over 128 octets, an attachment type over 127;
//   - invalid UTF-8 in any field (names, addresses, subject, text,
//     attachment name), never copied into the error.
//
// # Delivery
//
// A Sender delivers []*Rendered and reports each message once, in order:
//
//	s := &mail.SMTPSender{Config: cfg, PerMinute: 0}      // one connection per Send
//	s := &mail.SendmailSender{Path: "/usr/sbin/sendmail"} // `PATH -t -i`, message on stdin
//	err := s.Send(ctx, msgs, func(i int, err error) { … })
//	err := mail.Check(ctx, cfg)                           // connect, TLS, AUTH, QUIT
//
// A SessionSender (both of the above) also opens a Session, which keeps
// one connection across several Send calls, for a batch sent in chunks:
//
//	t := s.Session() // SMTP: dials at the first message, QUIT at Close
//	err = t.Send(ctx, chunk1, each1)
//	err = t.Send(ctx, chunk2, each2)
//	t.Close()
//
// SMTPConfig.TLS is starttls (the default: STARTTLS must be offered, or
// ErrNoSTARTTLS before anything is sent), tls (implicit, port 465) or
// none, only when named; with none, AUTH goes only to a loopback address
// (net.IP.IsLoopback, on the address actually connected to), else
// ErrInsecureAuth before the password is sent. Certificates are always
// verified, against CAFile when set. AUTH uses PLAIN, else LOGIN.
//
// Replies are read within limits, as mail servers limit what clients
// send: a line of at most 2048 octets (CRLF included), a reply of at most
// 128 lines, and at most 1 MiB from the start of TLS until the first
// reply over it has been read (go-mail reads that reply before erase can
// see its lines). A server over them, or anyone on the path before
// STARTTLS, ends the session with a *TempError ("the server's reply was
// too long: over 128 lines") and the message stays in the outbox.
//
// The session is driven with go-mail's smtp package rather than go-mail's
// Client, whose SendError hides the server's reply text and whose dial
// step merges TLS, AUTH and network failures: erase must know, for every
// message, the server's code and text, and whether the connection is
// still usable.
//
// # Errors
//
// Every delivery error is one of these (use errors.As / errors.Is):
//
//   - *TempError (Temporary() true; IsTemporary(err)): a 4xx reply, a
//     dropped connection, a timeout, a cancelled context, a reply over
//     the limits, sendmail's exit 75. The message waits in the outbox;
//     erase exits 75.
//   - *PermError: a 5xx reply, with Code, Enhanced ("5.1.1") and Text;
//     MessageRefused() when it came at MAIL, RCPT or DATA.
//   - *AuthError: authentication refused (Code 535 …) or impossible.
//   - *TLSError: the handshake or the certificate failed.
//   - ErrNoSTARTTLS, ErrInsecureAuth: refused by erase's own rules.
//   - *SendmailError: the program could not run (ExitCode -1) or failed.
//   - *badinput.Error: a message field or a setting is wrong (exit 2).
//
// # Outbox
//
// The outbox is a spool directory with one folder per state (tmp, new,
// sent, failed), and a letter's state is the folder its file is in:
//
//	q, err := ob.Queue(next, admit)              // the whole batch into new/, or none of it
//	rep, err := ob.Send(ctx, s, q.Entries, opt)  // one at a time; 250: to sent/; recorded: gone
//	rep, err = ob.Retry(ctx, s, opt)             // record sent/, send new/
//	rep, err = ob.Deliver(ctx, s, items, opt)    // Queue, then Send
//
// Queue writes every message to tmp/, syncs them together, and links them
// into new/ under the outbox's lock, after admit (the caller's duplicate
// check) has seen what is already queued. Send is one sequential loop: it
// locks an entry, sends it over the session, renames it to sent/, and
// records the delivered ones in groups (OnSentAll: one sync) before
// removing them; a cancelled ctx stops it after the message in flight.
// See Outbox for the files, the locks, and the one window where a crash
// can make a letter go twice (with the same Message-ID); see Report and
// Options for what the caller gets back.
package mail
