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
	line(l.words().Labels.Label(l.words().Labels.Reference) + l.Reference)
	line("")
	for _, s := range wrap(l.words().Labels.Label(l.words().Labels.Subject)+l.Subject, TextWidth, "") {
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

// wrap breaks s into lines of at most width columns at spaces, and
// between the characters of Chinese and Japanese, which put no spaces
// between words; a wide character takes two columns. A line never starts
// with punctuation that belongs to the word before it (French writes a
// space before ";" and ":", and Chinese ends clauses with "，"). A word
// longer than width stands on its own line.
func wrap(s string, width int, indent string) []string {
	if plain(s) {
		return wrapWords(s, width, indent)
	}
	var lines []string
	var cur strings.Builder
	n := 0
	for _, p := range pieces(s) {
		need := p.width
		if p.space && n > 0 {
			need++
		}
		if n > 0 && n+need > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n == 0 && len(lines) > 0 {
			cur.WriteString(indent)
			n += len(indent)
		} else if n > 0 && p.space {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(p.text)
		n += p.width
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// plain reports whether s breaks at its spaces alone: no CJK character,
// no punctuation standing alone after a space.
func plain(s string) bool {
	for i, r := range s {
		if r >= 0x1100 && breaksAnywhere(r) {
			return false
		}
		if r == ' ' && i+1 < len(s) && strings.IndexByte(";:!?)]", s[i+1]) >= 0 && (i+2 >= len(s) || s[i+2] == ' ') {
			return false
		}
		if r == ' ' && strings.HasPrefix(s[i+1:], "»") {
			return false
		}
	}
	return true
}

// wrapWords is wrap for plain text: it breaks at spaces only.
func wrapWords(s string, width int, indent string) []string {
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

// piece is what wrap may put at the start of a line: a word, or one
// character of a CJK run; space says a space separates it from the piece
// before.
type piece struct {
	text  string
	width int
	space bool
}

func pieces(s string) []piece {
	var out []piece
	for _, word := range strings.Fields(s) {
		if len(out) > 0 && clingsLeft(word) {
			// "compte ;": the punctuation goes with the word before it.
			last := &out[len(out)-1]
			last.text += " " + word
			last.width += 1 + columns(word)
			continue
		}
		first := true
		for _, seg := range splitCJK(word) {
			if !first && clingsLeft(seg) && len(out) > 0 {
				last := &out[len(out)-1]
				last.text += seg
				last.width += columns(seg)
				continue
			}
			out = append(out, piece{text: seg, width: columns(seg), space: first})
			first = false
		}
	}
	return out
}

// splitCJK splits a word between its CJK characters; a run of other
// characters stays whole, and an opening bracket stays with what follows.
func splitCJK(word string) []string {
	var segs []string
	start, open := 0, false
	for i, r := range word {
		if breaksAnywhere(r) && i > start && !open {
			segs = append(segs, word[start:i])
			start = i
		}
		open = strings.ContainsRune("「『（【《〈〔", r)
		if breaksAnywhere(r) && !open {
			next := i + utf8.RuneLen(r)
			if next < len(word) {
				nr, _ := utf8.DecodeRuneInString(word[next:])
				if !breaksAnywhere(nr) {
					segs = append(segs, word[start:next])
					start = next
				}
			}
		}
	}
	return append(segs, word[start:])
}

// clingsLeft is punctuation no line may start with.
func clingsLeft(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if utf8.RuneCountInString(s) == 1 && strings.ContainsRune(";:!?»)]", r) {
		return true
	}
	return strings.ContainsRune("。、，．！？：；」』）】》〉〕・ー", r)
}

// columns is the width of s in a terminal: two for a wide character.
func columns(s string) int {
	n := 0
	for _, r := range s {
		n++
		if isCJK(r) {
			n++
		}
	}
	return n
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
