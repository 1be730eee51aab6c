// Package letters composes a request letter from a requester, a recipient,
// a legal regime, a kind and a date, and renders it as text, JSON or PDF.
// It does no I/O beyond the writer it is given and never touches the network.
package letters

import (
	"strings"
	"time"

	"github.com/erase-cli/erase/templates"
)

// Party is a sender or a recipient.
type Party struct {
	Name    string   `json:"name"`
	Email   string   `json:"email,omitempty"`
	Address []string `json:"address,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	// Webform is the recipient's web form, where the letter's text is to
	// be pasted into it rather than sent; "" otherwise.
	Webform string `json:"webform,omitempty"`
	// Birthdate is the requester's date of birth, YYYY-MM-DD, where the
	// letter gives it (to a company that requires it); "" otherwise.
	Birthdate string `json:"birthdate,omitempty"`
}

// Account is one identifier of the requester's account, in the order given.
type Account struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// LawRef names the regime a letter relies on.
type LawRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Citation string `json:"citation"`
}

// Block is one piece of a letter's body: a paragraph, or a list whose
// items are rendered as bullets.
type Block struct {
	Text  string   `json:"text,omitempty"`
	Items []string `json:"items,omitempty"`
}

// Letter is a composed letter, ready to render. Every field is filled and
// checked: no template placeholder or empty required field reaches it.
type Letter struct {
	Reference string `json:"reference"`
	Kind      string `json:"kind"`
	// About is the reference of the request a follow-up is about, and
	// InReplyTo that request's Message-ID where the follow-up goes to
	// the same contact, in the same thread ("" otherwise).
	About     string    `json:"about,omitempty"`
	InReplyTo string    `json:"-"`
	Language  string    `json:"language"`
	Date      time.Time `json:"-"`
	// Due is the legal reply date; nil where the law sets none.
	Due *time.Time `json:"-"`
	// DueRule states the rule that gives Due: "one month of receipt
	// (Article 12(3) GDPR)".
	DueRule string `json:"-"`
	// DueScope is the part of the request Due covers, where the law's
	// period covers only a part ("" = the whole request).
	DueScope string `json:"-"`
	// DueHolidays is set where the law moves a last day that falls on a
	// public holiday to the next working day and erase does not know every
	// such holiday: whose holidays count ("where you are", "in
	// California"). Due may then be later still; the letter says so.
	DueHolidays string `json:"-"`
	// DueReason explains a nil Due.
	DueReason string `json:"-"`
	// Requested is the reply date the letter asks for where the law sets none.
	Requested *time.Time `json:"-"`
	// InForceFrom is set where the provisions the letter relies on are
	// not yet in force on its date: the day letters treat them as in force.
	InForceFrom *time.Time `json:"-"`
	// ConfirmBy is the date by which receipt must be confirmed, if the law says.
	ConfirmBy *time.Time `json:"-"`
	Law       LawRef     `json:"law"`
	Sender    Party      `json:"requester"`
	Recipient Party      `json:"recipient"`
	// Service is the service the letter is about (AliExpress), which may
	// differ from the recipient (Alibaba Group's privacy contact).
	Service  string    `json:"service"`
	Accounts []Account `json:"accounts,omitempty"`
	// Paper is a4 or letter.
	Paper string `json:"paper"`
	// Words are the letter's language's dates and labels, as letters
	// under its law write them.
	Words templates.Words `json:"-"`

	Subject string `json:"subject"`
	// Opening is the salutation ("Dear Sir or Madam,").
	Opening string  `json:"opening"`
	Body    []Block `json:"blocks"`
	// Closing is the complimentary close ("Yours faithfully,"); the
	// sender's name follows it as the signature.
	Closing string `json:"closing"`
}

// FormatDate writes a date in the letter's language, as letters under its
// law write it: "27 November 2026", under a US state law "November 27,
// 2026", in German "27. November 2026". The paper does not decide it.
func (l *Letter) FormatDate(t time.Time) string { return l.words().FormatDate(t) }

// words are the letter's words, English for a letter built by hand.
func (l *Letter) words() *templates.Words {
	if len(l.Words.Months) == 12 {
		return &l.Words
	}
	return templates.English()
}

// Signature is the name under the closing.
func (l *Letter) Signature() string { return l.Sender.Name }

// FileSafe makes s usable in a file name: each run of characters other
// than ASCII letters, digits, '.', '_' and '-' becomes one '-', and
// leading and trailing '-' and '.' go ("Bench Co." → "Bench-Co").
func FileSafe(s string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}
