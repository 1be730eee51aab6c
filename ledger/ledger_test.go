package ledger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/badinput"
)

var update = flag.Bool("update", false, "rewrite golden files")

var t0 = time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func rec(ref, company, kind string, sent, due time.Time) Record {
	return Record{
		Reference: ref, Company: company, Contact: "privacy@" + company + ".example", Regime: "gdpr",
		Kind: kind, Sent: sent, MessageID: strings.ToLower(ref) + "@example.org", Due: due,
	}
}

func newLedger(t testing.TB) *Ledger {
	return &Ledger{Dir: filepath.Join(t.TempDir(), "data", "requests")}
}

func TestAddGet(t *testing.T) {
	l := newLedger(t)
	r := rec("ERASE-20261127-K3F9QX", "aliexpress", "erasure", t0, day(2026, 12, 27))
	if err := l.Add(r); err != nil {
		t.Fatal(err)
	}
	got, err := l.Get(r.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusSent || len(got.History) != 1 || got.History[0].Status != StatusSent ||
		!got.History[0].At.Equal(t0) || !got.Sent.Equal(t0) || !got.Due.Equal(day(2026, 12, 27)) ||
		got.Company != "aliexpress" || got.Contact != r.Contact || got.MessageID != r.MessageID || got.Regime != "gdpr" {
		t.Fatalf("got %+v", got)
	}
	data, _ := os.ReadFile(filepath.Join(l.Dir, r.Reference+".yaml"))
	want := `reference: ERASE-20261127-K3F9QX
company: aliexpress
contact: privacy@aliexpress.example
regime: gdpr
kind: erasure
sent: "2026-11-27T10:30:00Z"
message_id: erase-20261127-k3f9qx@example.org
due: "2026-12-27"
status: sent
history:
  - status: sent
    at: "2026-11-27T10:30:00Z"
`
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(filepath.Join(l.Dir, r.Reference+".yaml"))
		di, _ := os.Stat(l.Dir)
		if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
			t.Errorf("modes %v %v", fi.Mode(), di.Mode())
		}
	}
	if err := l.Add(r); !errors.Is(err, ErrExists) {
		t.Errorf("second Add: %v", err)
	}
	if _, err := l.Get("ERASE-NOPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get missing: %v", err)
	}
	// Nothing but the record (no temporary files left).
	des, _ := os.ReadDir(l.Dir)
	if len(des) != 1 {
		for _, de := range des {
			t.Log(de.Name())
		}
		t.Errorf("%d files in the ledger directory", len(des))
	}
}

func TestAddRefusesBadRecords(t *testing.T) {
	l := newLedger(t)
	for _, ref := range []string{"", "../evil", "a/b", ".hidden", "-x", "a b", strings.Repeat("x", 129), "a\nb"} {
		err := l.Add(rec(ref, "acme", "erasure", t0, time.Time{}))
		if _, ok := badinput.As(err); !ok {
			t.Errorf("reference %q: %v", ref, err)
		}
	}
	r := rec("R1", "acme", "erasure", t0, time.Time{})
	r.Contact = ""
	if err := l.Add(r); err == nil {
		t.Error("record without contact accepted")
	}
	r = rec("R1", "acme", "erasure", t0, time.Time{})
	r.Status = StatusOverdue
	if err := l.Add(r); err == nil {
		t.Error("record with status overdue accepted")
	}
}

func TestStatusAt(t *testing.T) {
	r := rec("R1", "acme", "erasure", t0, day(2026, 12, 27))
	r.Status = StatusSent
	cases := map[time.Time]Status{
		time.Date(2026, 12, 26, 23, 59, 0, 0, time.UTC): StatusSent,
		time.Date(2026, 12, 27, 23, 59, 0, 0, time.UTC): StatusSent, // the due day is not late
		time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC):   StatusOverdue,
		// The calendar date where the user is counts.
		time.Date(2026, 12, 28, 0, 30, 0, 0, time.FixedZone("CET", 3600)):     StatusOverdue,
		time.Date(2026, 12, 27, 23, 30, 0, 0, time.FixedZone("PST", -8*3600)): StatusSent,
	}
	for now, want := range cases {
		if got := r.StatusAt(now); got != want {
			t.Errorf("at %v: %s, want %s", now, got, want)
		}
	}
	r.Status = StatusAnswered
	if got := r.StatusAt(day(2027, 6, 1)); got != StatusAnswered {
		t.Errorf("answered and late: %s", got)
	}
	r.Status, r.Due = StatusSent, time.Time{}
	if got := r.StatusAt(day(2030, 1, 1)); got != StatusSent {
		t.Errorf("no due date: %s", got)
	}
}

func TestListSorted(t *testing.T) {
	l := newLedger(t)
	now := day(2027, 1, 10)
	add := func(r Record) {
		t.Helper()
		if err := l.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	add(rec("OPEN-LATER", "b", "erasure", t0, day(2027, 2, 1)))
	add(rec("OVERDUE-LONG", "c", "erasure", t0, day(2026, 12, 1)))
	add(rec("OPEN-SOON", "d", "erasure", t0, day(2027, 1, 11)))
	add(rec("NO-DUE", "e", "access", t0, time.Time{}))
	add(rec("OVERDUE-SHORT", "f", "erasure", t0, day(2027, 1, 9)))
	add(rec("CLOSED-OLD", "g", "erasure", t0, day(2026, 12, 20)))
	add(rec("CLOSED-NEW", "h", "erasure", t0.Add(time.Hour), day(2026, 12, 21)))
	add(rec("DUE-TODAY", "i", "erasure", t0, day(2027, 1, 10)))
	for _, ref := range []string{"CLOSED-OLD", "CLOSED-NEW"} {
		if _, err := l.Mark(ref, StatusCompleted, t0, nil); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := l.List(now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Reference+"="+string(r.StatusAt(now)))
	}
	want := "OVERDUE-LONG=overdue OVERDUE-SHORT=overdue DUE-TODAY=sent OPEN-SOON=sent OPEN-LATER=sent NO-DUE=sent CLOSED-NEW=completed CLOSED-OLD=completed"
	if strings.Join(got, " ") != want {
		t.Errorf("order\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if rs, err := (&Ledger{Dir: filepath.Join(t.TempDir(), "none")}).List(now); err != nil || len(rs) != 0 {
		t.Errorf("missing dir: %v %v", rs, err)
	}
}

func TestMark(t *testing.T) {
	l := newLedger(t)
	if err := l.Add(rec("R1", "acme", "erasure", t0, day(2026, 12, 27))); err != nil {
		t.Fatal(err)
	}
	newDue := time.Date(2027, 2, 27, 15, 0, 0, 0, time.FixedZone("X", 5*3600))
	r, err := l.Mark("R1", StatusExtended, t0.Add(24*time.Hour), &newDue)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusExtended || !r.Due.Equal(day(2027, 2, 27)) || len(r.History) != 2 || !r.History[1].Due.Equal(day(2027, 2, 27)) {
		t.Fatalf("after extension %+v", r)
	}
	if got, _ := l.Get("R1"); !got.Due.Equal(day(2027, 2, 27)) || got.Status != StatusExtended || len(got.History) != 2 {
		t.Fatalf("stored %+v", got)
	}
	if st := r.StatusAt(day(2027, 1, 15)); st != StatusExtended {
		t.Errorf("extended, within the new date: %s", st)
	}
	if st := r.StatusAt(day(2027, 3, 1)); st != StatusOverdue {
		t.Errorf("extended, past the new date: %s", st)
	}
	r, err = l.Mark("R1", StatusAnswered, t0.Add(48*time.Hour), nil)
	if err != nil || r.Open() || len(r.History) != 3 {
		t.Fatalf("answered: %+v %v", r, err)
	}
	bad := []struct {
		st  Status
		due *time.Time
	}{
		{StatusOverdue, nil}, {StatusSent, nil}, {"lost", nil}, {StatusExtended, nil},
		{StatusAnswered, &newDue}, {StatusExtended, &time.Time{}},
	}
	for _, b := range bad {
		if _, err := l.Mark("R1", b.st, t0, b.due); err == nil {
			t.Errorf("Mark %s %v accepted", b.st, b.due)
		} else if _, ok := badinput.As(err); !ok {
			t.Errorf("Mark %s: %v is not bad input", b.st, err)
		}
	}
	if _, err := l.Mark("R2", StatusAnswered, t0, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Mark missing: %v", err)
	}
}

func TestOpenFor(t *testing.T) {
	l := newLedger(t)
	for _, r := range []Record{
		rec("A1", "aliexpress", "erasure", t0, day(2026, 12, 27)),
		rec("A2", "aliexpress", "erasure", t0.Add(time.Hour), day(2026, 12, 27)),
		rec("A3", "aliexpress", "access", t0, day(2026, 12, 27)),
		rec("B1", "alibaba", "erasure", t0, day(2026, 12, 27)),
	} {
		if err := l.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Mark("A1", StatusRefused, t0, nil); err != nil {
		t.Fatal(err)
	}
	rs, err := l.OpenFor("aliexpress", "erasure")
	if err != nil || len(rs) != 1 || rs[0].Reference != "A2" {
		t.Fatalf("%v %v", rs, err)
	}
	if rs, _ := l.OpenFor("amazon", "erasure"); len(rs) != 0 {
		t.Errorf("amazon: %v", rs)
	}
}

func TestStrictDecoding(t *testing.T) {
	l := newLedger(t)
	if err := l.Add(rec("R1", "acme", "erasure", t0, time.Time{})); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(l.Dir, "R1.yaml")
	data, _ := os.ReadFile(path)
	for name, content := range map[string]string{
		"unknown key":     string(data) + "colour: red\n",
		"bad status":      strings.Replace(string(data), "status: sent\nhistory", "status: lost\nhistory", 1),
		"bad time":        strings.Replace(string(data), `sent: "2026-11-27T10:30:00Z"`, "sent: yesterday", 1),
		"other ref":       strings.Replace(string(data), "reference: R1", "reference: R2", 1),
		"not yaml at all": "{[",
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := l.List(t0); err == nil || !strings.Contains(err.Error(), "R1.yaml") {
			t.Errorf("%s: List = %v", name, err)
		}
	}
}

func TestJSON(t *testing.T) {
	r := rec("R1", "acme", "erasure", t0, day(2026, 12, 27))
	r.Status = StatusExtended
	r.History = []Mark{{Status: StatusSent, At: t0}, {Status: StatusExtended, At: t0, Due: day(2027, 2, 27)}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"reference":"R1","company":"acme","contact":"privacy@acme.example","regime":"gdpr","kind":"erasure","sent":"2026-11-27T10:30:00Z","message_id":"r1@example.org","status":"extended","due":"2026-12-27","history":[{"status":"sent","at":"2026-11-27T10:30:00Z"},{"status":"extended","at":"2026-11-27T10:30:00Z","due":"2027-02-27"}]}`
	if string(b) != want {
		t.Errorf("json\n got %s\nwant %s", b, want)
	}
}

// TestConcurrentWriters: eight writers at once, each adding records and
// marking one shared record: nothing is lost.
func TestConcurrentWriters(t *testing.T) {
	l := newLedger(t)
	if err := l.Add(rec("SHARED", "acme", "erasure", t0, day(2026, 12, 27))); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := writeMany(l, w, each); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	checkWritten(t, l, writers, each)
}

// TestConcurrentProcesses: the same with eight processes.
func TestConcurrentProcesses(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no processes")
	}
	l := newLedger(t)
	if err := l.Add(rec("SHARED", "acme", "erasure", t0, day(2026, 12, 27))); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	var cmds []*exec.Cmd
	for w := range writers {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
		cmd.Env = append(os.Environ(), "LEDGER_HELPER_DIR="+l.Dir, "LEDGER_HELPER_W="+strconv.Itoa(w),
			"LEDGER_HELPER_N="+strconv.Itoa(each))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("writer %d: %s", w, out.String())
			}
		})
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer: %v", err)
		}
	}
	checkWritten(t, l, writers, each)
}

// TestHelperWriter is the body of one writer process.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("LEDGER_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	w, _ := strconv.Atoi(os.Getenv("LEDGER_HELPER_W"))
	n, _ := strconv.Atoi(os.Getenv("LEDGER_HELPER_N"))
	if err := writeMany(&Ledger{Dir: dir}, w, n); err != nil {
		t.Fatal(err)
	}
}

func writeMany(l *Ledger, w, n int) error {
	for i := range n {
		ref := fmt.Sprintf("W%d-%03d", w, i)
		if err := l.Add(rec(ref, "acme", "erasure", t0, day(2026, 12, 27))); err != nil {
			return err
		}
		// Everyone also tries to add the same reference: one wins.
		if err := l.Add(rec(fmt.Sprintf("RACE-%03d", i), "acme", "erasure", t0, time.Time{})); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
		due := day(2027, 1, 1+w)
		if _, err := l.Mark("SHARED", StatusExtended, t0.Add(time.Duration(w*n+i)*time.Second), &due); err != nil {
			return err
		}
	}
	return nil
}

func checkWritten(t *testing.T, l *Ledger, writers, each int) {
	t.Helper()
	rs, err := l.List(t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + writers*each + each; len(rs) != want {
		t.Errorf("%d records, want %d", len(rs), want)
	}
	shared, err := l.Get("SHARED")
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + writers*each; len(shared.History) != want {
		t.Errorf("shared record has %d marks, want %d", len(shared.History), want)
	}
	seen := map[time.Time]bool{}
	for _, m := range shared.History[1:] {
		if seen[m.At] {
			t.Errorf("mark at %v twice", m.At)
		}
		seen[m.At] = true
	}
	des, _ := os.ReadDir(l.Dir)
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", de.Name())
		}
	}
}

func icsRecords() []Record {
	a := rec("ERASE-20261127-K3F9QX", "aliexpress", "erasure", t0, day(2026, 12, 27))
	b := rec("ERASE-20261101-AAAAAA", "alibaba", "access", day(2026, 11, 1), day(2026, 12, 1))
	c := rec("ERASE-20261127-ZZZZZZ", "", "objection", t0, day(2026, 12, 27))
	c.Contact = "datenschutz@müller-gmbh.example"
	c.Regime = "uk-gdpr"
	d := rec("ERASE-20261127-ESCAPE", `Foo, Bar; "Baz" \ Qux`, "erasure", t0, day(2027, 1, 5))
	d.Kind = "erasure\nsecond line"
	closed := rec("ERASE-20261001-CLOSED", "acme", "erasure", day(2026, 10, 1), day(2026, 11, 1))
	closed.Status = StatusCompleted
	noDue := rec("ERASE-20261127-NODUE", "acme", "erasure", t0, time.Time{})
	ext := rec("ERASE-20261015-EXTEND", "Ünïcødé Gesellschaft für Datenverarbeitung und sehr lange Namen mbH & Co. KG", "erasure", day(2026, 10, 15), day(2027, 1, 15))
	ext.Status = StatusExtended
	for _, r := range []*Record{&a, &b, &c, &d, &noDue} {
		r.Status = StatusSent
	}
	return []Record{closed, a, ext, b, noDue, c, d}
}

func TestICSGolden(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 12, 10, 8, 0, 0, 0, time.FixedZone("CET", 3600))
	if err := WriteICS(&buf, icsRecords(), now); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "status.ics")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("ICS differs from %s (go test -update to rewrite):\n%s", golden, buf.String())
	}
	// Shuffled input, same output.
	rs := icsRecords()
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	var again bytes.Buffer
	_ = WriteICS(&again, rs, now)
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("output depends on the order of the records")
	}
}

// TestICSWellFormed checks the RFC 5545 rules on the output itself.
func TestICSWellFormed(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC)
	if err := WriteICS(&buf, icsRecords(), now); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasSuffix(out, "\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") ||
		strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\r") {
		t.Fatal("line endings are not all CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
		}
	}
	// Unfold, then look at the values.
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	props := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSuffix(unfolded, "\r\n"), "\r\n") {
		name, value, _ := strings.Cut(l, ":")
		props[name] = append(props[name], value)
	}
	if n := len(props["BEGIN"]); n != 11 { // VCALENDAR + 5 open with a due date, each with its alarm
		t.Errorf("%d BEGIN lines: %v", n, props["BEGIN"])
	}
	// Every event has an alarm the day before: a VALARM, nested in the
	// VEVENT, with the three properties RFC 5545 requires of a DISPLAY.
	if strings.Count(unfolded, "BEGIN:VEVENT\r\n") != 5 || strings.Count(unfolded, "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15H\r\nDESCRIPTION:Tomorrow the ") != 5 ||
		strings.Count(unfolded, "END:VALARM\r\nEND:VEVENT\r\n") != 5 {
		t.Errorf("alarms:\n%s", unfolded)
	}
	if got := strings.Join(props["UID"], " "); got != "ERASE-20261101-AAAAAA@erase ERASE-20261127-K3F9QX@erase ERASE-20261127-ZZZZZZ@erase ERASE-20261127-ESCAPE@erase ERASE-20261015-EXTEND@erase" {
		t.Errorf("UIDs in order: %s", got)
	}
	for _, s := range props["DTSTAMP"] {
		if s != "20261210T080000Z" {
			t.Errorf("DTSTAMP %s", s)
		}
	}
	if got := props["DTSTART;VALUE=DATE"][0] + "/" + props["DTEND;VALUE=DATE"][0]; got != "20261201/20261202" {
		t.Errorf("first event %s", got)
	}
	wantSummary := `Reply due: erasure\nsecond line request to Foo\, Bar\; "Baz" \\ Qux (ERASE-20261127-ESCAPE)`
	found := false
	for _, s := range props["SUMMARY"] {
		found = found || s == wantSummary
	}
	if !found {
		t.Errorf("escaped summary not found in %q", props["SUMMARY"])
	}
	if !strings.Contains(props["DESCRIPTION"][0], `Status: overdue`) {
		t.Errorf("the first event is overdue: %s", props["DESCRIPTION"][0])
	}
}

func TestEscapeAndFold(t *testing.T) {
	if got := escapeText("a,b;c\\d\r\ne\nf\rg\x01h"); got != `a\,b\;c\\d\ne\nf\ngh` {
		t.Errorf("escape: %s", got)
	}
	for _, s := range []string{strings.Repeat("x", 75), strings.Repeat("x", 76), strings.Repeat("é", 80), strings.Repeat("ab€", 60)} {
		var buf bytes.Buffer
		w := bufioWriter(&buf)
		writeFolded(w, s)
		w.Flush()
		out := buf.String()
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("%d-octet input: line %q", len(s), l)
			}
		}
		if strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", "") != s {
			t.Errorf("unfolding does not give back the line")
		}
	}
}

func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriter(w) }
