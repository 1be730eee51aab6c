//go:build ignore

// gen_snapshot decodes and validates the regime YAML files and writes
// snapshot.gob, which the binary reads at start-up instead of them.
package main

import (
	"log"
	"os"

	"github.com/erase-cli/erase/jurisdictions"
)

func main() {
	s, err := jurisdictions.Load(jurisdictions.Embedded())
	if err != nil {
		log.Fatal(err)
	}
	data, err := jurisdictions.EncodeSnapshot(s)
	if err != nil {
		log.Fatal(err)
	}
	// gob writes maps in no fixed order, so the same regimes encode to
	// different bytes: leave a snapshot that decodes to the same alone,
	// so that go generate changes the file only when the data changed.
	if old, err := os.ReadFile("snapshot.gob"); err == nil && jurisdictions.SameSnapshot(old, data) {
		return
	}
	if err := os.WriteFile("snapshot.gob", data, 0o644); err != nil {
		log.Fatal(err)
	}
}
