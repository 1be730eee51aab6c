package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/dispatch"
	"github.com/erase-cli/erase/mail"
)

// bounces are the addresses the outbox's refused letters were refused at
// for good: erase keeps a refused letter in the outbox (failed/) until a
// corrected one replaces it or erase outbox drop removes it, and that is
// the only record of a bounce it has. The outbox unread (none yet, or
// damaged) is no bounce: a warning must never stop a letter.
func (e *env) bounces() companies.Bounces {
	b := companies.Bounces{}
	ob, err := e.outbox()
	if err != nil {
		return b
	}
	es, err := ob.List()
	if err != nil {
		return b
	}
	for _, en := range es {
		if en.State != mail.StateFailed || en.Damaged || !addressRefused(en.LastError) {
			continue
		}
		var x dispatch.Extra
		addr := ""
		if json.Unmarshal(en.Extra, &x) == nil {
			addr = x.Contact
		}
		if addr == "" && len(en.To) > 0 {
			addr = en.To[0]
		}
		if addr != "" {
			b.Add(companies.Bounce{Address: addr, Reply: strings.TrimPrefix(en.LastError, "refused: "), When: en.LastAttempt})
		}
	}
	return b
}

// A refusal about the address rather than the message: any 5xx reply to
// RCPT, an enhanced status 5.1.x (bad mailbox, bad domain) at any stage,
// or sendmail's EX_NOUSER or EX_NOHOST. A 5xx at DATA for the content (a
// spam filter's 5.7.1) is not one. These match what mail's PermError and
// SendmailError say (TestAddressRefused holds them to it).
var (
	rcptRefused  = regexp.MustCompile(`^refused: 5\d\d\b.*\(at RCPT\)$`)
	badMailbox   = regexp.MustCompile(`^refused: 5\d\d 5\.1\.\d+\b`)
	sendmailUser = regexp.MustCompile(` exited with status 6[78]\b`)
)

func addressRefused(lastError string) bool {
	return rcptRefused.MatchString(lastError) || badMailbox.MatchString(lastError) || sendmailUser.MatchString(lastError)
}

// staleAge is companies.StaleYears in words (TestStaleAge keeps them
// together).
const staleAge = "two years"

// staleReasons words why a record may be out of date, for show and for
// the warnings of letter and send.
func staleReasons(c *companies.Company, s companies.Staleness) []string {
	var out []string
	if s.Old {
		out = append(out, fmt.Sprintf("its facts are as of %s, more than %s ago", c.Snapshot, staleAge))
	}
	if b := s.Bounce; b != nil {
		when := ""
		if !b.When.IsZero() {
			when = " on " + b.When.Local().Format(time.DateOnly)
		}
		out = append(out, fmt.Sprintf("a letter to %s was refused for good%s (%s)", b.Address, when, b.Reply))
	}
	return out
}

// warnStale warns, before letters are composed, of each company of the
// batch whose record may be out of date: its facts more than two years
// old, or its address refused an earlier letter for good. The first few
// are named with their reasons, the rest counted.
func (e *env) warnStale(cs []*companies.Company) {
	if len(cs) == 0 {
		return
	}
	bounces := e.bounces()
	now := e.now()
	const named = 5
	n := 0
	for _, c := range cs {
		s := c.Staleness(now, bounces)
		if !s.Stale() {
			continue
		}
		if n++; n <= named {
			fmt.Fprintf(e.stderr, "erase: warning: the directory's record of %s (%s) may be stale: %s\n", c.Name, c.ID, strings.Join(staleReasons(c, s), "; "))
		}
	}
	if n > named {
		fmt.Fprintf(e.stderr, "erase: warning: and %d more of these companies' records may be stale\n", n-named)
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "erase: hint: check the contact on the company's website; a YAML file in the config directory's companies/ corrects a record\n")
	}
}
