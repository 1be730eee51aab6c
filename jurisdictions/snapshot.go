package jurisdictions

import (
	"bytes"
	_ "embed"
	"encoding/gob"
	"fmt"
	"io/fs"
	"reflect"
	"sync"

	"github.com/erase-cli/erase/internal/datafile"
)

// The YAML files are the source of truth. Decoding all of them costs more
// than the rest of a run of erase, so the build keeps a snapshot of them,
// already decoded and validated, which Default reads instead. A test fails
// when the snapshot is stale; `go generate ./jurisdictions` remakes it.

//go:generate go run gen_snapshot.go

//go:embed snapshot.gob
var snapshotGob []byte

// snapshot is what snapshot.gob holds.
type snapshot struct {
	Regimes []*Regime
	Places  *Places
}

// EncodeSnapshot writes the regimes and places of s as the snapshot file.
func EncodeSnapshot(s *Set) ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(snapshot{Regimes: s.all, Places: s.places})
	return b.Bytes(), err
}

// SameSnapshot reports whether two snapshot files decode to the same
// regimes and places.
func SameSnapshot(a, b []byte) bool {
	var x, y snapshot
	if gob.NewDecoder(bytes.NewReader(a)).Decode(&x) != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

var embeddedSnapshot = onceSnapshot()

func onceSnapshot() func() (*snapshot, error) {
	return sync.OnceValues(func() (*snapshot, error) {
		var snap snapshot
		if err := gob.NewDecoder(bytes.NewReader(snapshotGob)).Decode(&snap); err != nil {
			return nil, fmt.Errorf("snapshot.gob: %w (run go generate ./jurisdictions)", err)
		}
		return &snap, nil
	})
}

// Default returns the built-in regimes, with the regimes of each overlay
// directory (a user's YAML files) replacing those with the same id.
func Default(overlays ...fs.FS) (*Set, error) {
	snap, err := embeddedSnapshot()
	if err != nil {
		return nil, err
	}
	byID := map[string]*Regime{}
	for _, r := range snap.Regimes {
		byID[r.ID] = r
	}
	if len(overlays) > 0 {
		user, _, err := datafile.Load("regime", func(r *Regime) error { return r.validate(snap.Places) }, overlays...)
		if err != nil {
			return nil, err
		}
		for _, r := range user {
			byID[r.ID] = r
		}
	}
	all := make([]*Regime, 0, len(byID))
	for _, r := range byID {
		all = append(all, r)
	}
	return newSet(all, snap.Places)
}
