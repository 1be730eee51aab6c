package companies

import (
	"strings"
	"time"
)

// StaleYears is how old a record's facts may be before erase calls them
// possibly stale. The datasets date no single fact: a record's facts are as
// of its snapshot, the date of the dataset they were taken from.
const StaleYears = 2

// Stale reports whether c's facts are more than StaleYears old at now: its
// snapshot is before the same day StaleYears earlier. A record whose
// snapshot cannot be read (validate refuses one) counts as stale.
func (c *Company) Stale(now time.Time) bool {
	snap, err := time.Parse(time.DateOnly, c.Snapshot)
	if err != nil {
		return true
	}
	limit := now.AddDate(-StaleYears, 0, 0)
	return snap.Before(time.Date(limit.Year(), limit.Month(), limit.Day(), 0, 0, 0, 0, time.UTC))
}

// Bounce is a letter a mail server refused for good because of its
// recipient's address (a 5xx reply to the address, an unknown user or
// host).
type Bounce struct {
	Address string
	Reply   string    // the server's reply, as erase keeps it
	When    time.Time // the attempt that was refused
}

// Bounces are the known bounces by recipient address, in lower case.
type Bounces map[string]Bounce

// Add records a bounce, keeping the latest of an address.
func (b Bounces) Add(x Bounce) {
	k := strings.ToLower(strings.TrimSpace(x.Address))
	if old, ok := b[k]; !ok || x.When.After(old.When) {
		b[k] = x
	}
}

// Staleness says why a record's facts may be out of date.
type Staleness struct {
	// Old: the facts are more than StaleYears old (Stale).
	Old bool
	// Bounce is a letter to the record's privacy e-mail address that was
	// refused for good; nil if none is known.
	Bounce *Bounce
}

// Stale reports whether there is any reason to doubt the facts.
func (s Staleness) Stale() bool { return s.Old || s.Bounce != nil }

// Staleness is why c's facts may be out of date at now, given the bounces
// erase knows of.
func (c *Company) Staleness(now time.Time, bounces Bounces) Staleness {
	s := Staleness{Old: c.Stale(now)}
	if c.Privacy.Email != "" {
		if b, ok := bounces[strings.ToLower(c.Privacy.Email)]; ok {
			s.Bounce = &b
		}
	}
	return s
}
