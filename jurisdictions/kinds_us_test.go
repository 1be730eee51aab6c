package jurisdictions

import (
	"slices"
	"strings"
	"testing"
)

// TestVirginiaModelKinds: the Virginia-model state laws grant access,
// correction and opt-out besides deletion, and no GDPR-style objection;
// Utah's opt-out covers targeted advertising and sale, not profiling.
func TestVirginiaModelKinds(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"access", "erasure", "opt-out", "rectification"}
	for _, id := range []string{"mtcdpa", "ndpa", "nhpa", "njdpa", "ocpa", "ridtppa", "tdpsa", "tipa", "ucpa", "vcdpa"} {
		r, err := s.Get(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if got := r.Kinds(); !slices.Equal(got, want) {
			t.Errorf("%s: kinds %v, want %v", id, got, want)
		}
		for _, k := range want {
			rt := r.Requests[k]
			if rt.Deadline.Unit != UnitDays || rt.Deadline.Amount != 45 {
				t.Errorf("%s %s: deadline %s %d, want 45 calendar days", id, k, rt.Deadline.Unit, rt.Deadline.Amount)
			}
			if rt.Deadline.Roll != r.Requests[KindErasure].Deadline.Roll {
				t.Errorf("%s %s: roll %q differs from erasure's", id, k, rt.Deadline.Roll)
			}
		}
		profiling := false
		for _, g := range r.Requests["opt-out"].Grounds {
			profiling = profiling || strings.Contains(g.Letter, "profiling")
		}
		if profiling != (id != "ucpa") {
			t.Errorf("%s: profiling opt-out %v", id, profiling)
		}
	}
}
