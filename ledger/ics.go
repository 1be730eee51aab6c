package ledger

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteICS writes an iCalendar (RFC 5545) with one all-day event per open
// request that has a due date, on that date: "Reply due: erasure request
// to aliexpress". Events are ordered by due date, then reference; each
// has UID REFERENCE@erase, so a calendar that imports the file again
// updates the events instead of doubling them, and DTSTAMP is now (in
// UTC), so the same records and clock give the same bytes. Lines end in
// CRLF and are folded at 75 octets; text values escape backslash,
// semicolon, comma and newlines.
func WriteICS(w io.Writer, records []Record, now time.Time) error {
	var open []Record
	for _, r := range records {
		if r.Open() && !r.ReplyBy().IsZero() {
			open = append(open, r)
		}
	}
	sort.SliceStable(open, func(i, j int) bool {
		a, b := dateOf(open[i].ReplyBy()), dateOf(open[j].ReplyBy())
		if !a.Equal(b) {
			return a.Before(b)
		}
		return open[i].Reference < open[j].Reference
	})

	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//erase//erase request ledger//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText("erase: reply deadlines"))
	stamp := now.UTC().Format("20060102T150405Z")
	for _, r := range open {
		due := dateOf(r.ReplyBy())
		to := r.Company
		if to == "" {
			to = r.Contact
		}
		line("BEGIN", "VEVENT")
		line("UID", escapeText(r.Reference+"@erase"))
		line("DTSTAMP", stamp)
		line("DTSTART;VALUE=DATE", due.Format("20060102"))
		line("DTEND;VALUE=DATE", due.AddDate(0, 0, 1).Format("20060102"))
		what := "Reply due"
		if r.Due.IsZero() {
			what = "Reply asked for" // the law sets no period: the letter's own date
		}
		line("SUMMARY", escapeText(fmt.Sprintf("%s: %s request to %s (%s)", what, r.Kind, to, r.Reference)))
		desc := []string{
			"Reference: " + r.Reference,
			"Sent: " + r.Sent.UTC().Format(time.DateOnly) + " to " + r.Contact,
		}
		if r.Regime != "" {
			desc = append(desc, "Law: "+r.Regime)
		}
		if r.MessageID != "" {
			desc = append(desc, "Message-ID: <"+strings.Trim(r.MessageID, "<>")+">")
		}
		desc = append(desc, "Status: "+string(r.StatusAt(now)))
		line("DESCRIPTION", escapeText(strings.Join(desc, "\n")))
		line("STATUS", "CONFIRMED")
		line("TRANSP", "TRANSPARENT")
		// An alarm the morning before the due day (RFC 5545 section
		// 3.6.6: ACTION, TRIGGER and, for DISPLAY, DESCRIPTION).
		line("BEGIN", "VALARM")
		line("ACTION", "DISPLAY")
		line("TRIGGER", "-PT15H")
		line("DESCRIPTION", escapeText(fmt.Sprintf("Tomorrow the %s request to %s (%s) is due", r.Kind, to, r.Reference)))
		line("END", "VALARM")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// escapeText escapes an RFC 5545 TEXT value (section 3.3.11).
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if r < 0x20 || r == 0x7f { // other controls are not allowed in TEXT
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line, folded so that no line is longer
// than 75 octets (section 3.1): each continuation starts with a space,
// and no UTF-8 sequence is split.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
