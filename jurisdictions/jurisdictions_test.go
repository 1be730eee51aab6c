package jurisdictions

import (
	"strings"
	"testing"
)

func TestLoadEmbedded(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.All()) == 0 {
		t.Fatal("no regimes")
	}
}

// TestStatusesAsTheReferenceMarksThem pins facts the reference marks less
// than settled, which the data once stated more firmly.
func TestStatusesAsTheReferenceMarksThem(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	get := func(id string) *Regime {
		r, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// The UK extension is ICO guidance on access requests; Art. 12A was not read.
	if st := get("uk-gdpr").Requests["erasure"].Extension.Status; st == Settled {
		t.Errorf("uk-gdpr extension is %s: the ICO's access guidance and an unread Art. 12A make it secondary", st)
	}
	// Applying Regulation 1182/71 to Art. 12(3) is the EDPB's reading (secondary).
	for i, n := range get("gdpr").Notes {
		if strings.Contains(n.Text, "1182/71") && n.Status == Settled {
			t.Errorf("gdpr notes[%d] states the 1182/71 counting as settled: the EDPB applies it (secondary)", i)
		}
	}
	// "No right to erasure as such" is the reference's own reading for Singapore and Australia.
	for _, id := range []string{"sg-pdpa", "au-privacy"} {
		r := get(id)
		if r.Requests["erasure"].NoRight == nil || r.Requests["erasure"].NoRight.Status != Inferred {
			t.Errorf("%s: the absence of an erasure right is inferred (reference sections 8 and 12), got %+v", id, r.Requests["erasure"].NoRight)
		}
		if strings.Contains(strings.ToLower(r.Requests["erasure"].Text), "no erasure right") && r.Requests["erasure"].Status.Certain() {
			t.Errorf("%s: erasure.text states the absence of a right as %s", id, r.Requests["erasure"].Status)
		}
	}
}
