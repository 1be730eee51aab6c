package jurisdictions

import (
	"bytes"
	"encoding/gob"
	"reflect"
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
	var want, got snapshot
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&want); err != nil {
		t.Fatal(err)
	}
	if err := gob.NewDecoder(bytes.NewReader(snapshotGob)).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatal("jurisdictions/snapshot.gob is stale: run go generate ./jurisdictions")
	}
}

func TestDefaultWithOverlay(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Get("gdpr"); err != nil || r.Deadline.Amount != 1 {
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
