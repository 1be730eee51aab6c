package ledger

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/erase-cli/erase/internal/badinput"
)

// TestAddAll: a batch is added as Add adds each record, byte for byte,
// with one error per record for those refused, and nothing left behind.
func TestAddAll(t *testing.T) {
	l := newLedger(t)
	if errs := l.AddAll(nil); errs != nil {
		t.Fatalf("empty batch: %v", errs)
	}
	old := rec("R0", "acme", "erasure", t0, day(2026, 12, 27))
	if err := l.Add(old); err != nil {
		t.Fatal(err)
	}
	bad := rec("R9", "acme", "erasure", t0, day(2026, 12, 27))
	bad.Contact = ""
	batch := []Record{
		rec("R1", "acme", "erasure", t0, day(2026, 12, 27)),
		old, // already there
		rec("R2", "globex", "access", t0, day(2026, 12, 28)),
		rec("R1", "acme", "erasure", t0, day(2026, 12, 27)), // twice in the batch
		rec("../R3", "acme", "erasure", t0, day(2026, 12, 27)),
		bad,
	}
	errs := l.AddAll(batch)
	if len(errs) != len(batch) {
		t.Fatalf("%d errors for %d records", len(errs), len(batch))
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("good records refused: %v, %v", errs[0], errs[2])
	}
	if !errors.Is(errs[1], ErrExists) || !errors.Is(errs[3], ErrExists) {
		t.Errorf("duplicates: %v, %v", errs[1], errs[3])
	}
	if _, ok := badinput.As(errs[4]); !ok {
		t.Errorf("bad reference: %v", errs[4])
	}
	if errs[5] == nil {
		t.Error("record without contact accepted")
	}

	// The same bytes as Add writes.
	l2 := newLedger(t)
	for _, r := range []Record{batch[0], batch[2]} {
		if err := l2.Add(r); err != nil {
			t.Fatal(err)
		}
		got, err1 := os.ReadFile(l.path(r.Reference))
		want, err2 := os.ReadFile(l2.path(r.Reference))
		if err1 != nil || err2 != nil || string(got) != string(want) {
			t.Errorf("%s:\n%s\nwant:\n%s (%v %v)", r.Reference, got, want, err1, err2)
		}
		if runtime.GOOS != "windows" {
			if fi, _ := os.Stat(l.path(r.Reference)); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v", r.Reference, fi.Mode())
			}
		}
	}
	des, _ := os.ReadDir(l.Dir)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	if fmt.Sprint(names) != "[R0.yaml R1.yaml R2.yaml]" {
		t.Errorf("ledger directory holds %v", names)
	}
	all, err := l.List(t0)
	if err != nil || len(all) != 3 {
		t.Fatalf("List: %d records, %v", len(all), err)
	}
}

// TestAddAllNewDirectory: AddAll creates the directory as Add does.
func TestAddAllNewDirectory(t *testing.T) {
	l := &Ledger{Dir: filepath.Join(t.TempDir(), "a", "b", "requests")}
	if errs := l.AddAll([]Record{rec("R1", "acme", "erasure", t0, day(2026, 12, 27))}); errs != nil {
		t.Fatal(errs)
	}
	if runtime.GOOS != "windows" {
		if di, _ := os.Stat(l.Dir); di.Mode().Perm() != 0o700 {
			t.Errorf("mode %v", di.Mode())
		}
	}
	if _, err := l.Get("R1"); err != nil {
		t.Fatal(err)
	}
}

func benchRecords(n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = rec(fmt.Sprintf("ERASE-20261127-%06d", i), "acme", "erasure", t0, day(2026, 12, 27))
	}
	return recs
}

// BenchmarkAdd1000 records 1,000 requests one by one (a sync each).
func BenchmarkAdd1000(b *testing.B) {
	recs := benchRecords(1000)
	for range b.N {
		l := newLedger(b)
		for _, r := range recs {
			if err := l.Add(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAddAll1000 records the same 1,000 requests in one batch.
func BenchmarkAddAll1000(b *testing.B) {
	recs := benchRecords(1000)
	for range b.N {
		l := newLedger(b)
		if errs := l.AddAll(recs); errs != nil {
			b.Fatal(errs)
		}
	}
}
