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
	d := gdpr.Requests["erasure"].DueFrom(day("2026-11-27"))
	if d.Date == nil || d.Date.Format("2006-01-02") != "2026-12-28" {
		t.Errorf("gdpr due = %v", d.Date)
	}
	ext, ok := gdpr.Requests["erasure"].Extended(day("2026-11-27"))
	if !ok || ext.Format("2006-01-02") != "2027-03-01" { // 27 Feb 2027 is a Saturday
		t.Errorf("gdpr extended = %v %v", ext, ok)
	}
	ccpa, _ := s.Get("ccpa")
	if c := ccpa.Requests["erasure"].ConfirmBy(day("2026-11-27")); c == nil || c.Format("2006-01-02") != "2026-12-11" {
		t.Errorf("ccpa confirm = %v", c)
	}
	if ext, ok := ccpa.Requests["erasure"].Extended(day("2026-11-27")); !ok || ext.Format("2006-01-02") != "2027-02-25" {
		t.Errorf("ccpa extended = %v", ext)
	}
	for _, r := range s.All() {
		d := r.Requests["erasure"].DueFrom(day("2026-11-27"))
		if d.Date == nil && (d.Requested == nil || d.Reason == "") {
			t.Errorf("%s: no legal due date and no requested date with a reason", r.ID)
		}
	}
}

// The deadlines of the regimes whose laws move a last day that is not a
// working day, from their own data: dates that land on a Saturday, a Sunday,
// 1 January, 25 December and other fixed holidays, month ends and leap
// years. next is Due.NextWorkingDay: the law counts holidays erase does not
// compute, so the letter says the date may move to the next working day.
func TestRegimeDeadlines(t *testing.T) {
	s := loadEmbedded(t)
	tests := []struct {
		regime, received, want string
		next                   bool
	}{
		// GDPR: Regulation 1182/71 Art. 3(4): Saturday, Sunday and public
		// holidays; 1 January and 25 December are holidays in every EU and
		// EEA state.
		{"gdpr", "2026-03-05", "2026-04-06", true}, // 5 April 2026 is a Sunday
		{"gdpr", "2026-09-10", "2026-10-12", true}, // 10 October 2026 is a Saturday
		{"gdpr", "2026-11-25", "2026-12-28", true}, // 25 December 2026 is a Friday
		{"gdpr", "2026-12-01", "2027-01-04", true}, // 1 January 2027 is a Friday
		{"gdpr", "2027-12-01", "2028-01-03", true}, // 1 January 2028 is a Saturday
		{"gdpr", "2025-11-25", "2025-12-26", true}, // 25 December 2025 is a Thursday; 26 December is not a holiday everywhere
		{"gdpr", "2027-01-31", "2027-03-01", true}, // 28 February 2027 is a Sunday
		{"gdpr", "2028-01-31", "2028-02-29", true}, // leap year
		{"gdpr", "2026-11-10", "2026-12-10", true},
		{"uk-gdpr", "2026-11-25", "2026-12-28", true},
		{"uk-gdpr", "2026-12-01", "2027-01-04", true},
		{"uk-gdpr", "2026-09-10", "2026-10-12", true},
		{"uk-gdpr", "2028-01-31", "2028-02-29", true},
		// CCPA: Code Civ. Proc. § 12a: Saturdays and the holidays of § 135.
		{"ccpa", "2026-11-10", "2026-12-28", true}, // 25 December 2026 is a Friday
		{"ccpa", "2026-11-17", "2027-01-04", true}, // 1 January 2027 is a Friday
		{"ccpa", "2025-12-31", "2026-02-16", true}, // 14 February 2026 is a Saturday
		{"ccpa", "2026-05-20", "2026-07-06", true}, // 4 July 2026 is a Saturday
		{"ccpa", "2026-12-29", "2027-02-15", true}, // 12 February, Lincoln Day
		{"ccpa", "2026-09-27", "2026-11-12", true}, // 11 November, Veterans Day
		{"ccpa", "2027-11-10", "2027-12-27", true}, // 25 December 2027 is a Saturday
		{"ccpa", "2028-01-15", "2028-02-29", true}, // leap year
		{"ccpa", "2026-11-27", "2027-01-11", true},
		// TDPSA: Gov't Code § 311.014(b): Saturday, Sunday, legal holiday.
		{"tdpsa", "2026-11-10", "2026-12-28", true},
		{"tdpsa", "2026-11-17", "2027-01-04", true},
		{"tdpsa", "2026-05-20", "2026-07-06", true},
		{"tdpsa", "2026-09-27", "2026-11-12", true},
		{"tdpsa", "2026-12-29", "2027-02-12", true}, // Lincoln Day is California's, not Texas's
		{"tdpsa", "2025-12-31", "2026-02-16", true},
		{"tdpsa", "2028-01-15", "2028-02-29", true},
		// PIPA: Civil Act Art. 161: Saturday or public holiday.
		{"pipa", "2026-12-15", "2026-12-28", true}, // 25 December 2026 is a Friday
		{"pipa", "2026-12-22", "2027-01-04", true}, // 1 January 2027 is a Friday
		{"pipa", "2026-09-23", "2026-10-05", true}, // 3 October 2026 is a Saturday
		{"pipa", "2026-09-29", "2026-10-12", true}, // 9 October 2026, Hangul Day, is a Friday
		{"pipa", "2027-09-23", "2027-10-04", true}, // 3 October 2027 is a Sunday
		{"pipa", "2028-02-19", "2028-02-29", true}, // leap year
		{"pipa", "2026-11-28", "2026-12-08", true},
		// PIPEDA: Interpretation Act s. 26 and s. 35: Sunday and the
		// holidays of s. 35; Saturday is not one.
		{"pipeda", "2026-10-01", "2026-10-31", true}, // a Saturday: not a holiday
		{"pipeda", "2026-10-02", "2026-11-02", true}, // 1 November 2026 is a Sunday
		{"pipeda", "2026-11-25", "2026-12-26", true}, // 25 December 2026 is a Friday; the 26th a Saturday
		{"pipeda", "2026-12-02", "2027-01-02", true}, // 1 January 2027 is a Friday
		{"pipeda", "2029-06-01", "2029-07-03", true}, // 1 July 2029 is a Sunday: Canada Day is the 2nd
		{"pipeda", "2026-08-31", "2026-10-01", true}, // 30 September, National Day for Truth and Reconciliation
		{"pipeda", "2026-10-12", "2026-11-12", true}, // 11 November, Remembrance Day
		{"pipeda", "2028-01-30", "2028-02-29", true}, // leap year
		{"pipeda", "2026-11-27", "2026-12-28", true}, // 27 December 2026 is a Sunday
		// Colorado: C.R.S. § 2-4-108(2); holidays of § 24-11-101.
		{"cpa", "2026-05-20", "2026-07-06", true}, // 4 July 2026 is a Saturday
		{"cpa", "2026-05-05", "2026-06-22", true}, // 19 June 2026, Juneteenth, is a Friday
		{"cpa", "2027-05-20", "2027-07-06", true}, // 4 July 2027 is a Sunday: the holiday is Monday the 5th
		{"cpa", "2026-11-17", "2027-01-04", true},
		{"cpa", "2028-01-15", "2028-02-29", true},
		// Minnesota: Minn. Stat. § 645.15; holidays of § 645.44, subd. 5.
		{"mncdpa", "2027-05-20", "2027-07-06", true},
		{"mncdpa", "2026-11-10", "2026-12-28", true},
		{"mncdpa", "2026-05-05", "2026-06-19", true}, // Juneteenth is not computed for Minnesota
		{"mncdpa", "2028-01-15", "2028-02-29", true},
		// Québec: Interpretation Act (CQLR c. I-16) ss. 52 and 61(23).
		{"qc-law25", "2026-05-25", "2026-06-25", true}, // 24 June, the national holiday
		{"qc-law25", "2029-06-01", "2029-07-03", true}, // 1 July 2029 is a Sunday: the holiday is the 2nd
		{"qc-law25", "2026-08-31", "2026-09-30", true}, // 30 September is not a Québec holiday
		{"qc-law25", "2026-10-12", "2026-11-11", true}, // nor 11 November
		{"qc-law25", "2026-10-01", "2026-10-31", true}, // a Saturday: not a holiday
		// s. 52 moves a time that expires on a holiday to the next "jour
		// ouvrable"; erase passes over Saturday, never to ask early.
		{"qc-law25", "2026-11-25", "2026-12-28", true}, // 25 December 2026 is a Friday
		{"qc-law25", "2026-12-02", "2027-01-04", true}, // 1 January 2027 is a Friday
		{"qc-law25", "2028-01-30", "2028-02-29", true},
	}
	for _, tt := range tests {
		t.Run(tt.regime+"/"+tt.received, func(t *testing.T) {
			r, err := s.Get(tt.regime)
			if err != nil {
				t.Fatal(err)
			}
			d := r.Requests["erasure"].DueFrom(day(tt.received))
			if d.Date == nil {
				t.Fatalf("no due date")
			}
			if got := d.Date.Format("2006-01-02"); got != tt.want {
				t.Errorf("received %s: due %s (%s), want %s (%s)", tt.received, got, d.Date.Weekday(), tt.want, day(tt.want).Weekday())
			}
			if d.NextWorkingDay != tt.next {
				t.Errorf("received %s: NextWorkingDay %v, want %v", tt.received, d.NextWorkingDay, tt.next)
			}
			if tt.next && d.HolidaysWhere == "" {
				t.Errorf("received %s: NextWorkingDay without HolidaysWhere for the letter", tt.received)
			}
		})
	}
}

// A law that does not roll keeps its date and says nothing of holidays.
func TestRegimeDeadlineNoRoll(t *testing.T) {
	s := loadEmbedded(t)
	r, _ := s.Get("kvkk")
	d := r.Requests["erasure"].DueFrom(day("2026-11-01")) // + 30 days = 1 December 2026, a Tuesday
	if d.NextWorkingDay || d.HolidaysWhere != "" {
		t.Errorf("kvkk: NextWorkingDay %v %q, want false", d.NextWorkingDay, d.HolidaysWhere)
	}
}

func TestExtendedRolls(t *testing.T) {
	s := loadEmbedded(t)
	ccpa, _ := s.Get("ccpa")
	// 26 September 2026 + 90 days = 25 December 2026, a Friday.
	if got, ok := ccpa.Requests["erasure"].Extended(day("2026-09-26")); !ok || got.Format("2006-01-02") != "2026-12-28" {
		t.Errorf("ccpa extended = %s %v, want 2026-12-28", got.Format("2006-01-02"), ok)
	}
	// An extension in another unit runs from the first period's end.
	r := &Right{
		Deadline:  Deadline{Period: Period{Unit: UnitMonth, Amount: 1, Roll: RollNextWorkingDay, NonWorking: &NonWorkingDays{Weekdays: []string{"saturday", "sunday"}}}},
		Extension: &Period{Unit: UnitDays, Amount: 45},
	}
	// 10 November 2026 + 1 month = 10 December; + 45 days = 24 January 2027, a Sunday.
	if got, ok := r.Extended(day("2026-11-10")); !ok || got.Format("2006-01-02") != "2027-01-25" {
		t.Errorf("month + 45 days extended = %s %v, want 2027-01-25", got.Format("2006-01-02"), ok)
	}
}

func TestNonWorkingDays(t *testing.T) {
	n := &NonWorkingDays{
		Weekdays: []string{"sunday"},
		Holidays: &Holidays{Dates: []string{"01-01", "07-01", "12-25"}, SundayToMonday: []string{"07-01"}},
	}
	for d, want := range map[string]bool{
		"2026-10-31": true,  // Saturday
		"2026-11-01": false, // Sunday
		"2026-12-25": false,
		"2027-01-01": false,
		"2026-07-01": false,
		"2029-07-02": false, // Monday after 1 July on a Sunday
		"2026-07-02": true,  // 1 July 2026 is a Wednesday
		"2027-01-04": true,  // 1 January moves to no Monday: not listed
	} {
		if got := n.Working(day(d)); got != want {
			t.Errorf("Working(%s, %s) = %v, want %v", d, day(d).Weekday(), got, want)
		}
	}
	p := Period{Unit: UnitBusinessDays, Amount: 2, NonWorking: n}
	// Thursday 24 December 2026: Friday 25 is a holiday, Saturday 26 works, Sunday 27 does not.
	if got := p.AddTo(day("2026-12-24")).Format("2006-01-02"); got != "2026-12-28" {
		t.Errorf("2 business days from 24 December 2026 = %s, want 2026-12-28", got)
	}
}
