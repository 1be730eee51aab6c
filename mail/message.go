package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"

	"github.com/erase-cli/erase/internal/badinput"
)

// Address is a mailbox: an optional display name and an e-mail address.
type Address struct {
	Name  string
	Email string
}

// Message is one letter as an e-mail. Build and Render turn it into RFC
// 5322 bytes; with Date, MessageID and Boundary set, the bytes are the
// same on every run, on every machine.
type Message struct {
	From    Address   // the requester, or the --from mailbox
	To      Address   // the company's privacy contact
	Cc      []Address // optional; the requester's own copy
	ReplyTo Address   // optional (zero: no Reply-To header)
	Subject string    // carries the reference
	Text    string    // the text letter, the body
	// Attachment is attached when non-empty (the PDF letter).
	Attachment     []byte
	AttachmentName string // default "letter.pdf"
	AttachmentType string // default "application/pdf"
	// Date of the message; zero means now.
	Date time.Time
	// MessageID without angle brackets ("id@example.org"); empty means a
	// random one at the From address's domain (NewMessageID).
	MessageID string
	// Boundary of the multipart/mixed body; empty means random. Only used
	// when there is an attachment.
	Boundary string
	// InReplyTo is the Message-ID (without angle brackets) of the message
	// this one follows up, for In-Reply-To and References: a reminder
	// lands in the same thread as the request.
	InReplyTo string
}

// Rendered is a message ready for the wire: the SMTP envelope and the
// exact bytes. The outbox stores it; a retry sends the very same bytes.
type Rendered struct {
	From      string   // envelope sender (MAIL FROM), a bare address
	To        []string // envelope recipients (RCPT TO): To, then Cc
	MessageID string   // without angle brackets
	Data      []byte   // RFC 5322, CRLF line endings
}

// Limits on the fields of a message, far beyond any real letter, within
// which every header line stays under RFC 5322's 998 octets (section
// 2.1.1) however a value is quoted or encoded: go-mail folds header lines
// only at spaces, and not the headers of the attachment's part at all.
const (
	maxNameChars    = 256 // a display name, in characters
	maxEmailOctets  = 254 // an address: RFC 5321's path of 256 octets less "<>"
	maxSubjectChars = 998 // the subject, with the reference, in characters
	// The attachment's name and type, in octets: the name is written
	// twice, RFC 2047-encoded, in part headers that are never folded.
	maxAttachmentName = 128
	maxAttachmentType = 127
)

// Units of a limit, as checkLine counts them and its errors say.
const (
	unitChars = "characters"
	unitBytes = "bytes"
)

// Build checks m and builds the go-mail message. Every header field is
// checked: a control character (CR, LF, ...) in a name, address, subject,
// attachment name, Message-ID or boundary is bad input, so no field can
// add a header or a recipient; display names are quoted or RFC 2047
// encoded by the writer. The message has no User-Agent or X-Mailer header.
// It reads m.Attachment each time it is written: leave it unchanged.
func Build(m Message) (*gomail.Msg, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	m, err := m.withDefaults()
	if err != nil {
		return nil, err
	}

	var opts []gomail.MsgOption
	opts = append(opts, gomail.WithNoDefaultUserAgent(), gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP))
	if m.Boundary != "" {
		opts = append(opts, gomail.WithBoundary(m.Boundary))
	}
	msg := gomail.NewMsg(opts...)
	// The *MailAddress setters take the parts as they are, without the
	// string round trip of FromFormat (which a quote in a name breaks).
	msg.FromMailAddress(&netmail.Address{Name: m.From.Name, Address: m.From.Email})
	msg.ToMailAddress(&netmail.Address{Name: m.To.Name, Address: m.To.Email})
	if len(m.Cc) > 0 {
		cc := make([]*netmail.Address, len(m.Cc))
		for i, a := range m.Cc {
			cc[i] = &netmail.Address{Name: a.Name, Address: a.Email}
		}
		msg.CcMailAddress(cc...)
	}
	if m.ReplyTo.Email != "" {
		msg.ReplyToMailAddress(&netmail.Address{Name: m.ReplyTo.Name, Address: m.ReplyTo.Email})
	}
	msg.Subject(subjectHeader(m.Subject))
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(m.MessageID)
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+m.InReplyTo+">")
		msg.SetGenHeader(gomail.HeaderReferences, "<"+m.InReplyTo+">")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if len(m.Attachment) > 0 {
		// Read when the message is written, not copied here.
		fopts := []gomail.FileOption{gomail.WithFileContentType(gomail.ContentType(m.AttachmentType))}
		if m.AttachmentType == "message/rfc822" {
			// A message is attached as it is: RFC 2046 section 5.2.1
			// allows no base64 for message/rfc822 (it is 7-bit text in
			// lines under 998 octets, as erase writes it).
			fopts = append(fopts, gomail.WithFileEncoding(gomail.NoEncoding))
		}
		msg.AttachReadSeeker(m.AttachmentName, bytes.NewReader(m.Attachment), fopts...)
	}
	return msg, nil
}

// Render builds m and writes it out: the envelope and the bytes that
// WriteEML writes and that are sent.
func Render(m Message) (*Rendered, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	m, err := m.withDefaults()
	if err != nil {
		return nil, err
	}
	msg, err := Build(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(renderedSize(m))
	if _, err := msg.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write message: %w", err)
	}
	data := buf.Bytes()
	if cap(data)-len(data) > len(data)/8 { // kept for the whole batch: little slack
		data = bytes.Clone(data)
	}
	r := &Rendered{From: m.From.Email, To: []string{m.To.Email}, MessageID: m.MessageID, Data: data}
	for _, a := range m.Cc {
		r.To = append(r.To, a.Email)
	}
	return r, nil
}

// renderedSize estimates the size of the rendered message, a little over
// for most: the attachment in base64 lines of 76 characters and CRLF, the
// text in quoted-printable (twice its size: room for soft line breaks and
// some encoded bytes), and room for the headers.
func renderedSize(m Message) int {
	b64 := (len(m.Attachment) + 2) / 3 * 4
	return b64 + b64/76*2 + len(m.Text)*2 + len(m.Subject)*3 + 2<<10
}

// WriteEML writes m as an RFC 5322 message: the same bytes Render gives
// (and the server receives), when Date, MessageID and Boundary are set.
func WriteEML(w io.Writer, m Message) error {
	r, err := Render(m)
	if err != nil {
		return err
	}
	_, err = w.Write(r.Data)
	return err
}

// subjectHeader protects a subject that go-mail would write as it is but
// should not: an ASCII subject containing "=?", which a reader would
// decode as a look-alike encoded word ("=?UTF-8?Q?a=0D=0A?="), or one with
// a word too long to fold into a line of 78 (a line could go over RFC
// 5322's 998 octets). Such a subject is sent as base64 encoded words, of
// 72 characters each, so it folds and reads back exactly as written.
func subjectHeader(s string) string {
	if !strings.Contains(s, "=?") && !hasLongWord(s, 78-1) { // a folded line: a space, a word
		return s
	}
	var words []string
	for len(s) > 0 {
		n := min(len(s), 45) // 60 base64 characters: a word of 72
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// hasLongWord reports whether s has a run of more than n octets without
// a space, the only place go-mail folds a header line.
func hasLongWord(s string, n int) bool {
	for w := range strings.SplitSeq(s, " ") {
		if len(w) > n {
			return true
		}
	}
	return false
}

// withDefaults fills Date, MessageID and the attachment's name and type.
// It is called once, before Build, so that Render's envelope and the
// headers agree.
func (m Message) withDefaults() (Message, error) {
	if m.Date.IsZero() {
		m.Date = time.Now()
	}
	if m.MessageID == "" {
		id, err := NewMessageID(m.From.Email, nil)
		if err != nil {
			return m, err
		}
		m.MessageID = id
	}
	if len(m.Attachment) > 0 {
		if m.AttachmentName == "" {
			m.AttachmentName = "letter.pdf"
		}
		if m.AttachmentType == "" {
			m.AttachmentType = "application/pdf"
		}
	}
	return m, nil
}

// Check validates every field that becomes a header, as Render does
// first: a batch can check every message before rendering any.
func (m Message) Check() error { return m.check() }

// check validates every field that becomes a header.
func (m Message) check() error {
	if err := checkAddress("from", m.From, true); err != nil {
		return err
	}
	if err := checkAddress("to", m.To, true); err != nil {
		return err
	}
	for i, a := range m.Cc {
		if err := checkAddress(fmt.Sprintf("cc[%d]", i), a, true); err != nil {
			return err
		}
	}
	if err := checkAddress("reply-to", m.ReplyTo, false); err != nil {
		return err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return badinput.Errorf("the message subject is empty")
	}
	if err := checkLine("subject", m.Subject, maxSubjectChars, unitChars); err != nil {
		return err
	}
	if err := checkLine("attachment name", m.AttachmentName, maxAttachmentName, unitBytes); err != nil {
		return err
	}
	if strings.ContainsAny(m.AttachmentName, `/\`) {
		return badinput.Errorf("attachment name %q: want a file name without a directory", m.AttachmentName)
	}
	if n := len(m.AttachmentType); n > maxAttachmentType {
		return badinput.Errorf("attachment type is %d bytes long: want at most %d", n, maxAttachmentType)
	}
	if m.AttachmentType != "" && !validMIMEType(m.AttachmentType) {
		return badinput.Errorf("attachment type %q: want a MIME type such as application/pdf", m.AttachmentType)
	}
	if m.InReplyTo != "" && !validMessageID(m.InReplyTo) {
		return badinput.Errorf("in-reply-to message id %q: want local@domain without angle brackets, spaces or control characters", m.InReplyTo)
	}
	if m.MessageID != "" && !validMessageID(m.MessageID) {
		return badinput.Errorf("message id %q: want local@domain without angle brackets, spaces or control characters", m.MessageID)
	}
	if m.Boundary != "" {
		if !validBoundary(m.Boundary) {
			return badinput.Errorf("mime boundary %q: want 1 to 70 letters, digits or '()+_,-./:=?", m.Boundary)
		}
		if strings.Contains(m.Text, m.Boundary) {
			return badinput.Errorf("the message text contains the mime boundary %q: pick another boundary", m.Boundary)
		}
	}
	if !utf8.ValidString(m.Text) {
		return badinput.Errorf("the message text is not valid UTF-8")
	}
	return nil
}

func checkAddress(field string, a Address, required bool) error {
	if a.Email == "" {
		if required {
			return badinput.Errorf("%s: no e-mail address", field)
		}
		if a.Name != "" {
			return badinput.Errorf("%s: a name (%q) but no e-mail address", field, a.Name)
		}
		return nil
	}
	if err := checkLine(field+" name", a.Name, maxNameChars, unitChars); err != nil {
		return err
	}
	if err := checkLine(field+" e-mail", a.Email, maxEmailOctets, unitBytes); err != nil {
		return err
	}
	// The address must be an addr-spec and nothing else: no display
	// name, no group, no list.
	p, err := netmail.ParseAddress(a.Email)
	if err != nil || p.Address != a.Email || p.Name != "" || strings.ContainsAny(a.Email, "<>,; \t") {
		return badinput.Errorf("%s e-mail %q is not an e-mail address", field, a.Email)
	}
	at := strings.LastIndexByte(a.Email, '@')
	if at <= 0 || at == len(a.Email)-1 {
		return badinput.Errorf("%s e-mail %q is not an e-mail address", field, a.Email)
	}
	return nil
}

// checkLine refuses invalid UTF-8, a value longer than max (in unit:
// unitChars or unitBytes) and control characters (CR and LF above all) in a
// value that becomes (part of) a header line. Only the last error shows
// the value, then valid and not too long.
func checkLine(field, s string, max int, unit string) error {
	if !utf8.ValidString(s) {
		return badinput.Errorf("%s is not valid UTF-8", field)
	}
	n := len(s)
	if unit == unitChars {
		n = utf8.RuneCountInString(s)
	}
	if n > max {
		return badinput.Errorf("%s is %d %s long: want at most %d", field, n, unit, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return badinput.Errorf("%s %q contains a control character (%U): it must be one line of text", field, s, r)
		}
	}
	return nil
}

func validMessageID(id string) bool {
	at := strings.LastIndexByte(id, '@')
	if at <= 0 || at == len(id)-1 || len(id) > 250 {
		return false
	}
	for _, part := range []string{id[:at], id[at+1:]} {
		for _, label := range strings.Split(part, ".") {
			if label == "" {
				return false
			}
			for i := 0; i < len(label); i++ {
				if !isAtext(label[i]) {
					return false
				}
			}
		}
	}
	return true
}

// isAtext is RFC 5322 atext (ASCII only).
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func validBoundary(b string) bool {
	if len(b) == 0 || len(b) > 70 || strings.HasSuffix(b, " ") {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("'()+_,-./:=? ", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

func validMIMEType(t string) bool {
	slash := strings.IndexByte(t, '/')
	if slash <= 0 || slash == len(t)-1 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if i == slash {
			continue
		}
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$&-^_.+", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewMessageID returns a Message-ID (without angle brackets) made of 128
// random bits at the domain of senderEmail, never the local host name:
// "3xk…q@example.org". A domain in Unicode is written in its ASCII
// (punycode) form. rand nil means crypto/rand.
func NewMessageID(senderEmail string, rand io.Reader) (string, error) {
	at := strings.LastIndexByte(senderEmail, '@')
	if at < 0 || at == len(senderEmail)-1 {
		return "", badinput.Errorf("sender e-mail %q has no domain", senderEmail)
	}
	domain, err := asciiDomain(strings.Trim(senderEmail[at+1:], "[]"))
	if err != nil {
		return "", badinput.Errorf("sender e-mail %q: %v", senderEmail, err)
	}
	if rand == nil {
		rand = cryptoRand
	}
	var b [16]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return idEncoding.EncodeToString(b[:]) + "@" + domain, nil
}

var cryptoRand = rand.Reader

// asciiDomain lower-cases a domain and converts Unicode labels to
// punycode ("xn--…"), so it fits a Message-ID.
func asciiDomain(d string) (string, error) {
	d = strings.ToLower(strings.TrimSuffix(d, "."))
	if d == "" {
		return "", fmt.Errorf("empty domain")
	}
	labels := strings.Split(d, ".")
	for i, l := range labels {
		if l == "" {
			return "", fmt.Errorf("domain %q has an empty label", d)
		}
		ascii := true
		for j := 0; j < len(l); j++ {
			ascii = ascii && l[j] < utf8.RuneSelf
		}
		if !ascii {
			p, err := punycode(l)
			if err != nil {
				return "", err
			}
			labels[i] = "xn--" + p
			l = labels[i]
		}
		for j := 0; j < len(l); j++ {
			if !isAtext(l[j]) {
				return "", fmt.Errorf("domain %q contains %q", d, l[j])
			}
		}
	}
	return strings.Join(labels, "."), nil
}

// punycode encodes one label, RFC 3492 section 6.3.
func punycode(s string) (string, error) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	digit := func(d int32) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numPoints int32, first bool) int32 {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := int32(0)
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := int32(len(out))
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := int32(initialN), int32(0), int32(initialBias)
	for h < int32(len(runes)) {
		m := int32(0x7fffffff)
		for _, r := range runes {
			if r >= n && r < m {
				m = r
			}
		}
		if (m - n) > (0x7fffffff-delta)/(h+1) {
			return "", fmt.Errorf("label %q too long", s)
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if r < n {
				delta++
			}
			if r == n {
				q := delta
				for k := int32(base); ; k += base {
					t := k - bias
					if t < tmin {
						t = tmin
					} else if t > tmax {
						t = tmax
					}
					if q < t {
						break
					}
					out = append(out, digit(t+(q-t)%(base-t)))
					q = (q - t) / (base - t)
				}
				out = append(out, digit(q))
				bias = adapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out), nil
}
