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
	if err := os.WriteFile("snapshot.gob", data, 0o644); err != nil {
		log.Fatal(err)
	}
}
