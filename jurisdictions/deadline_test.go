package jurisdictions

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriodAddTo(t *testing.T) {
	month := Period{Unit: UnitMonth, Amount: 1, Roll: RollNextWorkingDay}
	monthNoRoll := Period{Unit: UnitMonth, Amount: 1}
	days45 := Period{Unit: UnitDays, Amount: 45}
	business10 := Period{Unit: UnitBusinessDays, Amount: 10}
	three := Period{Unit: UnitMonth, Amount: 3, Roll: RollNextWorkingDay}
	tests := []struct {
		name string
		p    Period
		from string
		want string
	}{
		{"EDPB example 32: same date next month", month, "2026-03-05", "2026-04-06"}, // 5 April 2026 is a Sunday
		{"corresponding date, weekday", month, "2026-11-27", "2026-12-28"},           // 27 Dec 2026 is a Sunday
		{"corresponding date, no roll", monthNoRoll, "2026-11-27", "2026-12-27"},
		{"plain weekday", month, "2026-11-10", "2026-12-10"},
		{"EDPB example 33: 31 August -> 30 September", monthNoRoll, "2026-08-31", "2026-09-30"},
		{"31 January -> 28 February, common year", monthNoRoll, "2026-01-31", "2026-02-28"},
		{"31 January -> 29 February, leap year", monthNoRoll, "2028-01-31", "2028-02-29"},
		{"29 February -> 29 March, leap year", monthNoRoll, "2028-02-29", "2028-03-29"},
		{"30 January 2027 -> 28 February, a Sunday, rolls to 1 March", month, "2027-01-30", "2027-03-01"},
		{"year end: 15 December -> 15 January", month, "2026-12-15", "2027-01-15"},
		{"year end: 31 December -> 31 January, Sunday rolls", month, "2026-12-31", "2027-02-01"},
		{"Saturday end rolls to Monday", month, "2026-09-12", "2026-10-12"}, // 12 Oct 2026 is Monday
		{"Saturday end rolls to Monday (2)", month, "2026-10-10", "2026-11-10"},
		{"45 calendar days", days45, "2026-11-27", "2027-01-11"},
		{"45 calendar days across a leap day", days45, "2028-02-01", "2028-03-17"},
		{"45 calendar days end on a Saturday: no roll", days45, "2026-01-01", "2026-02-15"},
		{"10 business days from a Friday", business10, "2026-11-27", "2026-12-11"},
		{"10 business days from a Wednesday", business10, "2026-12-23", "2027-01-06"},
		{"10 business days from a Saturday", business10, "2026-11-28", "2026-12-11"},
		{"three months from 30 November", three, "2026-11-30", "2027-03-01"}, // 28 Feb 2027 is a Sunday
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.AddTo(day(tt.from)).Format("2006-01-02")
			if got != tt.want {
				t.Errorf("%+v from %s = %s, want %s", tt.p, tt.from, got, tt.want)
			}
		})
	}
}

func TestTimeOfDayIgnored(t *testing.T) {
	p := Period{Unit: UnitDays, Amount: 1}
	late := time.Date(2026, 11, 27, 23, 59, 0, 0, time.FixedZone("X", -11*3600))
	if got := p.AddTo(late).Format("2006-01-02"); got != "2026-11-28" {
		t.Errorf("got %s", got)
	}
}

func TestRegimeDue(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	gdpr, _ := s.Get("gdpr")
	d := gdpr.DueFrom(day("2026-11-27"))
	if d.Date == nil || d.Date.Format("2006-01-02") != "2026-12-28" {
		t.Errorf("gdpr due = %v", d.Date)
	}
	ext, ok := gdpr.Extended(day("2026-11-27"))
	if !ok || ext.Format("2006-01-02") != "2027-03-01" { // 27 Feb 2027 is a Saturday
		t.Errorf("gdpr extended = %v %v", ext, ok)
	}
	ccpa, _ := s.Get("ccpa")
	if c := ccpa.ConfirmBy(day("2026-11-27")); c == nil || c.Format("2006-01-02") != "2026-12-11" {
		t.Errorf("ccpa confirm = %v", c)
	}
	if ext, ok := ccpa.Extended(day("2026-11-27")); !ok || ext.Format("2006-01-02") != "2027-02-25" {
		t.Errorf("ccpa extended = %v", ext)
	}
	for _, r := range s.All() {
		d := r.DueFrom(day("2026-11-27"))
		if d.Date == nil && (d.Requested == nil || d.Reason == "") {
			t.Errorf("%s: no legal due date and no requested date with a reason", r.ID)
		}
	}
}
