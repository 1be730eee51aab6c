package jurisdictions

import "time"

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
// date does not exist. Business days skip Saturdays and Sundays. With
// RollNextWorkingDay, an end on a Saturday or Sunday moves to the Monday
// (Art. 3(4)); public holidays differ by country and are not known here.
func (p Period) AddTo(received time.Time) time.Time {
	d := civil(received)
	switch p.Unit {
	case UnitMonth:
		d = addMonths(d, p.Amount)
	case UnitDays:
		d = d.AddDate(0, 0, p.Amount)
	case UnitBusinessDays:
		for n := 0; n < p.Amount; {
			d = d.AddDate(0, 0, 1)
			if !weekend(d) {
				n++
			}
		}
	}
	if p.Roll == RollNextWorkingDay {
		for weekend(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	return d
}

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
