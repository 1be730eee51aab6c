package jurisdictions

import (
	"slices"
	"strings"
	"time"
)

// Units of a Period.
const (
	UnitMonth        = "calendar_month"
	UnitDays         = "calendar_days"
	UnitBusinessDays = "business_days"
	UnitNone         = "none"

	RollNextWorkingDay = "next_working_day"
)

// AddTo returns the last day of the period that starts on received.
//
// The day of receipt is not counted. Months follow the corresponding-date
// rule of Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c): the period ends
// on the same date of the last month, or on that month's last day where the
// date does not exist. Business days skip the days that are not working
// days. With RollNextWorkingDay, a last day that is not a working day moves
// to the next one that is (1182/71 Art. 3(4) and the time-counting statutes
// of other laws). Which days are not working days is the law's own rule
// (NonWorking): its weekdays and the fixed-date holidays it names; without
// one, Saturdays and Sundays.
func (p Period) AddTo(received time.Time) time.Time {
	return p.roll(p.count(received))
}

// count returns the last day of the period before any roll.
func (p Period) count(received time.Time) time.Time {
	d := civil(received)
	switch p.Unit {
	case UnitMonth:
		d = addMonths(d, p.Amount)
	case UnitDays:
		d = d.AddDate(0, 0, p.Amount)
	case UnitBusinessDays:
		for n := 0; n < p.Amount; {
			d = d.AddDate(0, 0, 1)
			if p.working(d) {
				n++
			}
		}
	}
	return d
}

// roll moves d to the next working day where the period rolls.
func (p Period) roll(d time.Time) time.Time {
	if p.Roll != RollNextWorkingDay || p.working(d) {
		return d
	}
	for {
		d = d.AddDate(0, 0, 1)
		if p.working(d) && (p.NonWorking == nil || !slices.Contains(p.NonWorking.RollPast, weekdayName(d))) {
			return d
		}
	}
}

func (p Period) working(d time.Time) bool {
	if p.NonWorking == nil {
		return !weekend(d)
	}
	return p.NonWorking.Working(d)
}

// MayEndLater reports whether the law may move the period's end past the
// date AddTo gives: it rolls a last day that falls on a holiday, and erase
// does not know every such holiday.
func (p Period) MayEndLater() bool {
	return p.Roll == RollNextWorkingDay && p.NonWorking != nil && p.NonWorking.OtherHolidays
}

// NonWorkingDays is a law's rule for a period whose last day is not a
// working day: which days are not, and where the rule is written.
type NonWorkingDays struct {
	// Weekdays are never working days: "sunday", and "saturday" where the
	// law says so (Canada and Québec count Saturday as a working day).
	Weekdays []string `yaml:"weekdays" json:"weekdays"`
	// Holidays are the fixed-date public holidays that hold in the whole
	// territory of the law.
	Holidays *Holidays `yaml:"holidays,omitempty" json:"holidays,omitempty"`
	// OtherHolidays is true where the law also counts holidays erase does
	// not compute: movable feasts, days a government appoints, holidays of
	// one state, province or town. A date erase computes may then move later
	// still (Due.NextWorkingDay).
	OtherHolidays bool `yaml:"other_holidays" json:"other_holidays"`
	// RollPast lists weekdays that do not make a last day move but that a
	// moving day passes over, where the law moves it to the next "working
	// day" and may not count them as such (Québec: Saturday).
	RollPast []string `yaml:"roll_past,omitempty" json:"roll_past,omitempty"`
	// Where says whose public holidays count, as a letter puts it after
	// "a public holiday": "where you are" (the controller, for Regulation
	// 1182/71 Art. 2(1)), "in California". Required with OtherHolidays.
	Where string `yaml:"where,omitempty" json:"where,omitempty"`
	Fact  `yaml:",inline"`
}

// Holidays is a list of fixed-date public holidays with where it was read.
type Holidays struct {
	// Dates are month and day, MM-DD.
	Dates []string `yaml:"dates" json:"dates"`
	// SundayToMonday lists the Dates whose holiday is the Monday after when
	// they fall on a Sunday, where the law says so (Canada Day: 2 July).
	SundayToMonday []string `yaml:"sunday_to_monday,omitempty" json:"sunday_to_monday,omitempty"`
	Fact           `yaml:",inline"`
}

// Working reports whether d is a working day under the rule.
func (n *NonWorkingDays) Working(d time.Time) bool {
	if slices.Contains(n.Weekdays, weekdayName(d)) {
		return false
	}
	if n.Holidays == nil {
		return true
	}
	if slices.Contains(n.Holidays.Dates, d.Format(monthDay)) {
		return false
	}
	if d.Weekday() == time.Monday && slices.Contains(n.Holidays.SundayToMonday, d.AddDate(0, 0, -1).Format(monthDay)) {
		return false
	}
	return true
}

// weekdayName is d's day of the week as the data writes it: "monday".
func weekdayName(d time.Time) string { return strings.ToLower(d.Weekday().String()) }

// monthDay is the layout of Holidays.Dates.
const monthDay = "01-02"

// addMonths adds n months to d, clamping to the last day of the target month
// (31 January + 1 month = 28 or 29 February), unlike time.AddDate, which
// would overflow into March.
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

func weekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// civil drops the time of day and zone: deadlines are calendar dates.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
