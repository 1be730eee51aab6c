package letters

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// TextWidth is the column at which plain-text letters wrap.
const TextWidth = 72

// WriteText renders the whole letter as plain text: sender, recipient,
// date, reference, subject, body, closing and signature.
func WriteText(w io.Writer, l *Letter) error {
	bw := bufio.NewWriter(w)
	line := func(s string) { bw.WriteString(s); bw.WriteByte('\n') }
	for _, s := range partyLines(l.Sender) {
		line(s)
	}
	line("")
	for _, s := range partyLines(l.Recipient) {
		line(s)
	}
	line("")
	line(l.FormatDate(l.Date))
	line(l.words().Labels.Reference + ": " + l.Reference)
	line("")
	for _, s := range wrap(l.words().Labels.Subject+": "+l.Subject, TextWidth, "") {
		line(s)
	}
	line("")
	WriteBody(bw, l)
	return bw.Flush()
}

// WriteBody renders opening, body, closing and signature as plain text: the
// part of the letter that also serves as an e-mail's body.
func WriteBody(w io.Writer, l *Letter) error {
	bw := bufio.NewWriter(w)
	line := func(s string) { bw.WriteString(s); bw.WriteByte('\n') }
	line(l.Opening)
	for _, b := range l.Body {
		line("")
		if b.Text != "" {
			for _, s := range wrap(b.Text, TextWidth, "") {
				line(s)
			}
		}
		for _, item := range b.Items {
			for i, s := range wrap(item, TextWidth-2, "") {
				if i == 0 {
					line("- " + s)
				} else {
					line("  " + s)
				}
			}
		}
	}
	line("")
	line(l.Closing)
	line("")
	line(l.Signature())
	return bw.Flush()
}

func partyLines(p Party) []string {
	lines := []string{p.Name}
	lines = append(lines, p.Address...)
	if p.Email != "" {
		lines = append(lines, p.Email)
	}
	if p.Phone != "" {
		lines = append(lines, p.Phone)
	}
	return lines
}

// wrap breaks s into lines of at most width runes at spaces; a word longer
// than width stands on its own line.
func wrap(s string, width int, indent string) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		} else if len(lines) > 0 {
			cur.WriteString(indent)
			n += len(indent)
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// JSON is the machine-readable form of a letter (`--format json`).
type JSON struct {
	Reference string  `json:"reference"`
	Kind      string  `json:"kind"`
	Language  string  `json:"language"`
	Date      string  `json:"date"`
	Due       *string `json:"due"`
	DueRule   string  `json:"due_rule,omitempty"`
	DueScope  string  `json:"due_scope,omitempty"`
	// DueHolidays: the due date moves to the next working day if it is a
	// public holiday there ("where you are").
	DueHolidays string  `json:"due_moves_on_holidays,omitempty"`
	DueReason   string  `json:"due_reason,omitempty"`
	Requested   *string `json:"requested_reply_by,omitempty"`
	ConfirmBy   *string `json:"confirm_receipt_by,omitempty"`
	// InForceFrom is set when the law's provisions are not yet in force.
	InForceFrom *string   `json:"law_in_force_from,omitempty"`
	Law         LawRef    `json:"law"`
	Service     string    `json:"service"`
	Recipient   Party     `json:"recipient"`
	Requester   Party     `json:"requester"`
	Accounts    []Account `json:"accounts"`
	Paper       string    `json:"paper"`
	Subject     string    `json:"subject"`
	Body        string    `json:"body"`
	Blocks      []Block   `json:"blocks"`
}

// ToJSON returns the letter's JSON form. Due is null where the law sets no
// period; then DueReason says why and Requested is the date the letter asks
// for, as a request rather than a legal deadline.
func ToJSON(l *Letter) JSON {
	var body strings.Builder
	WriteBody(&body, l)
	j := JSON{
		Reference: l.Reference, Kind: l.Kind, Language: l.Language, Date: isoDate(l.Date),
		Due: isoPtr(l.Due), DueReason: l.DueReason, Requested: isoPtr(l.Requested), ConfirmBy: isoPtr(l.ConfirmBy),
		InForceFrom: isoPtr(l.InForceFrom),
		Law:         l.Law, Service: l.Service, Recipient: l.Recipient, Requester: l.Sender,
		Accounts: l.Accounts, Paper: l.Paper, Subject: l.Subject, Body: body.String(), Blocks: l.Body,
	}
	if l.Due != nil {
		j.DueRule, j.DueScope, j.DueHolidays = l.DueRule, l.DueScope, l.DueHolidays
	}
	if j.Accounts == nil {
		j.Accounts = []Account{}
	}
	return j
}

// WriteJSON writes the letter as one indented JSON object.
func WriteJSON(w io.Writer, l *Letter) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ToJSON(l))
}

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

func isoPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := isoDate(*t)
	return &s
}
