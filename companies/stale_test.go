package companies

import (
	"testing"
	"time"
)

func TestStale(t *testing.T) {
	c := &Company{Snapshot: "2026-07-21"}
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(12 * time.Hour) // as ERASE_NOW sets the clock
	}
	for now, want := range map[string]bool{
		"2026-07-21": false, "2027-12-31": false,
		"2028-07-21": false, // two years to the day: not more than two years
		"2028-07-22": true, "2031-01-01": true,
	} {
		if got := c.Stale(day(now)); got != want {
			t.Errorf("snapshot 2026-07-21 at %s: Stale = %v, want %v", now, got, want)
		}
	}
	if !(&Company{Snapshot: "July 2026"}).Stale(day("2026-07-21")) {
		t.Error("an unreadable snapshot is not stale")
	}
}

func TestStalenessBounces(t *testing.T) {
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	b := Bounces{}
	b.Add(Bounce{Address: "Privacy@Example.com", Reply: "550 5.1.1 old", When: now.AddDate(0, 0, -3)})
	b.Add(Bounce{Address: "privacy@example.com", Reply: "550 5.1.1 new", When: now.AddDate(0, 0, -1)})
	b.Add(Bounce{Address: "PRIVACY@example.com", Reply: "550 5.1.1 older", When: now.AddDate(0, 0, -9)})
	c := &Company{Snapshot: "2026-07-21", Privacy: Contact{Email: "privacy@EXAMPLE.com"}}
	s := c.Staleness(now, b)
	if !s.Stale() || s.Old || s.Bounce == nil || s.Bounce.Reply != "550 5.1.1 new" {
		t.Fatalf("staleness = %+v, want the latest bounce of the address", s)
	}
	other := &Company{Snapshot: "2026-07-21", Privacy: Contact{Email: "dpo@example.com"}}
	if s := other.Staleness(now, b); s.Stale() {
		t.Errorf("another address: %+v", s)
	}
	noMail := &Company{Snapshot: "2020-01-01", Privacy: Contact{Address: []string{"1 Main St"}}}
	if s := noMail.Staleness(now, b); !s.Old || s.Bounce != nil {
		t.Errorf("an old record without e-mail: %+v", s)
	}
}
