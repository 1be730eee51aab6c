//go:build ignore

// gen_index decodes and validates the Datenanfragen records in
// datenanfragen/*.yaml, joins the JustDeleteMe entries of
// justdeleteme/sites.yaml and writes index.bin, which the binary reads instead
// of three thousand YAML files.
package main

import (
	"log"
	"os"

	"github.com/erase-cli/erase/companies"
)

func main() {
	data, err := companies.BuildIndex(os.DirFS("datenanfragen"))
	if err != nil {
		log.Fatal(err)
	}
	if old, err := os.ReadFile("index.bin"); err == nil && string(old) == string(data) {
		return
	}
	if err := os.WriteFile("index.bin", data, 0o644); err != nil {
		log.Fatal(err)
	}
}
