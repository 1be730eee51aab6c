package jurisdictions

import "testing"

func TestLoadEmbedded(t *testing.T) {
	s, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.All()) == 0 {
		t.Fatal("no regimes")
	}
}
