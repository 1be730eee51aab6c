package pdffont

import (
	"bytes"
	"testing"
)

// TestCutFromEurope: fpdf's subsetter gives the same bytes whether it
// cuts from the whole face or from the face's European cut, which is what
// lets a face cut from the smaller one.
func TestCutFromEurope(t *testing.T) {
	dr, db, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []*Face{dr, db} {
		var eu []byte
		for eu == nil {
			if eu, err = f.europe(); err != nil {
				t.Fatal(err)
			}
		}
		set := f.cutSet(true, []rune("ĄąĆćĘęŁłŃńŚśŹźŻżΖωήΑΕΛεοφρςΚηισίαΜύЗояДЖЩщ‐‒―‰€™←→"))
		fromFull, err := cutFont(f.ttf, set)
		if err != nil {
			t.Fatal(err)
		}
		fromEU, err := cutFont(eu, set)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fromFull, fromEU) {
			t.Errorf("%s: cutting from the European cut gives other bytes (%d vs %d)", f.name, len(fromEU), len(fromFull))
		}
	}
}

// BenchmarkBuiltin is what the first renderer in a process pays before
// any letter: reading the two built-in faces.
func BenchmarkBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := readBuiltinFaces(); err != nil {
			b.Fatal(err)
		}
	}
}
