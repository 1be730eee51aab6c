package jurisdictions

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSnapshotIsFresh fails when a YAML file changed without the snapshot
// being made again.
func TestSnapshotIsFresh(t *testing.T) {
	fromYAML, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	data, err := EncodeSnapshot(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	if !SameSnapshot(data, snapshotGob) {
		t.Fatal("jurisdictions/snapshot.gob is stale: run go generate ./jurisdictions")
	}
}

func TestDefaultWithOverlay(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Get("gdpr"); err != nil || r.Requests["erasure"].Deadline.Amount != 1 {
		t.Fatalf("gdpr from the snapshot: %v %v", r, err)
	}
	base, _ := Embedded().Open("gdpr.yaml")
	var b bytes.Buffer
	b.ReadFrom(base)
	changed := bytes.Replace(b.Bytes(), []byte("short_name: GDPR"), []byte("short_name: EU GDPR"), 1)
	s, err = Default(fstest.MapFS{"gdpr.yaml": {Data: changed}})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get("dsgvo"); r.ShortName != "EU GDPR" {
		t.Fatalf("override not applied: %q", r.ShortName)
	}
	if _, err := Default(fstest.MapFS{"x.yaml": {Data: []byte("id: x\nbogus: 1\n")}}); err == nil {
		t.Fatal("a bad override file was accepted")
	}
}

func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		embeddedSnapshot = onceSnapshot() // measure the decode, not the cache
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// A rule for non-working days moves a date stated as law: a broken one is
// refused with the key that is wrong.
func TestNonWorkingDaysValidated(t *testing.T) {
	base, _ := Embedded().Open("gdpr.yaml")
	var b bytes.Buffer
	b.ReadFrom(base)
	for _, tt := range []struct{ old, new, want string }{
		{"        weekdays: [saturday, sunday]\n", "        weekdays: [Saturday, sunday]\n", "requests.erasure.deadline.non_working_days.weekdays"},
		{`dates: ["01-01", "12-25"]`, `dates: ["01-01", "12-32"]`, "requests.erasure.deadline.non_working_days.holidays.dates"},
		{"        where: where you are\n", "", "requests.erasure.deadline.non_working_days.where"},
		{"        status: secondary\n        source: Reg. 1182/71", "        status: inferred\n        source: Reg. 1182/71", "requests.erasure.deadline.non_working_days.status"},
	} {
		if !bytes.Contains(b.Bytes(), []byte(tt.old)) {
			t.Fatalf("gdpr.yaml has no %q", tt.old)
		}
		changed := bytes.Replace(b.Bytes(), []byte(tt.old), []byte(tt.new), 1)
		_, err := Default(fstest.MapFS{"gdpr.yaml": {Data: changed}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q -> %q: err %v, want one naming %s", tt.old, tt.new, err, tt.want)
		}
	}
	var errs []string
	bad := func(key, format string, args ...any) { errs = append(errs, key) }
	checkPeriod(bad, "deadline", Period{Unit: UnitDays, Amount: 30, Roll: RollNextWorkingDay, Words: "30 days", Fact: Fact{Status: Settled, Source: "x"}})
	if !slices.Contains(errs, "deadline.non_working_days") {
		t.Errorf("roll without non_working_days: errors %v", errs)
	}
}
