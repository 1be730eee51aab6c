package followup

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/ledger"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNext(t *testing.T) {
	req := ledger.Record{Reference: "R1", Kind: "erasure", Sent: d("2026-11-27"), Due: d("2026-12-28"), Status: ledger.StatusSent}
	rem := ledger.Record{Reference: "R2", Kind: "reminder", About: "R1", Sent: d("2027-01-04"), Requested: d("2027-01-18"), Status: ledger.StatusSent}
	refused := req
	refused.Status = ledger.StatusRefused
	noPeriod := req
	noPeriod.Due, noPeriod.Requested = time.Time{}, d("2026-12-27")
	for _, tt := range []struct {
		name string
		rec  ledger.Record
		all  []ledger.Record
		now  string
		want Action
		cmd  string
		why  string
	}{
		{"before the due date", req, nil, "2026-12-01", Wait, "", "due in 27 days"},
		{"on the due date", req, nil, "2026-12-28", Wait, "", "due today"},
		{"the day after", req, nil, "2026-12-29", Remind, "erase send --kind reminder --request R1", "overdue since 2026-12-28, no reminder yet"},
		{"reminded, waiting", req, []ledger.Record{rem}, "2027-01-10", Wait, "", "reminded on 2027-01-04"},
		{"reminded, no answer", req, []ledger.Record{rem}, "2027-01-19", Complain, "erase letter --kind complaint --request R1", "reminded on 2027-01-04 without an answer"},
		{"refused", refused, nil, "2026-12-01", Complain, "erase letter --kind complaint --request R1", "refused"},
		{"no period, the requested date passed", noPeriod, nil, "2026-12-28", Remind, "erase send --kind reminder --request R1", "overdue since 2026-12-27"},
		{"a follow-up has no step", rem, nil, "2027-02-01", Done, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := Next(tt.rec, append(tt.all, tt.rec), d(tt.now))
			if st.Action != tt.want || st.Command != tt.cmd || !strings.Contains(st.Why, tt.why) {
				t.Errorf("Next = %+v, want %s %q %q", st, tt.want, tt.cmd, tt.why)
			}
		})
	}
}

func TestCheckReminder(t *testing.T) {
	req := ledger.Record{Reference: "R1", Kind: "erasure", Sent: d("2026-11-27"), Due: d("2026-12-28"), Status: ledger.StatusSent}
	var nd *NotDueError
	if err := CheckReminder(req, nil, d("2026-12-28")); !errors.As(err, &nd) || !strings.Contains(err.Error(), "is not overdue: the company has until 2026-12-28") {
		t.Errorf("on the due date: %v", err)
	}
	if err := CheckReminder(req, nil, d("2026-12-29")); err != nil {
		t.Errorf("overdue: %v", err)
	}
	for status, want := range map[ledger.Status]string{
		ledger.StatusAnswered: "is answered", ledger.StatusRefused: "the next step is a complaint", ledger.StatusComplained: "with the authority",
	} {
		r := req
		r.Status = status
		if err := CheckReminder(r, nil, d("2027-02-01")); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", status, err, want)
		}
	}
	r := req
	r.Status = ledger.StatusPartial
	if err := CheckReminder(r, nil, d("2026-12-01")); err != nil {
		t.Errorf("partial: %v", err)
	}
}

func TestOriginal(t *testing.T) {
	req := ledger.Record{Reference: "R1", Kind: "access", Contact: "p@x.example", MessageID: "m@x", Sent: d("2026-11-27"), Due: d("2027-02-27"),
		Status: ledger.StatusExtended, History: []ledger.Mark{{Status: ledger.StatusSent}, {Status: ledger.StatusExtended, Due: d("2027-02-27")}}}
	rem := ledger.Record{Reference: "R2", Kind: "reminder", About: "R1", Sent: d("2027-03-01")}
	o := Original(req, []ledger.Record{req, rem})
	if !o.Extended || o.Kind != "access" || len(o.Reminders) != 1 || !o.Reminders[0].Equal(d("2027-03-01")) || o.MessageID != "m@x" {
		t.Errorf("Original = %+v", o)
	}
}
