//go:build ignore

// gen_datasets carries the public datasets erase ships into the project's
// own files: every Datenanfragen company record (CC0) as
// datenanfragen/SLUG.yaml, facts only, and the JustDeleteMe entries (MIT)
// as justdeleteme/sites.yaml. Run it from this directory when the datasets
// change:
//
//	go run gen_datasets.go -datasets ../../shared/datasets -snapshot 2026-07-21 -jdm-snapshot 2026-08-22
//
// then go generate . to remake the index. A user refreshes their own copy
// with erase companies import instead.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/erase-cli/erase/companies"
	"go.yaml.in/yaml/v3"
)

func main() {
	datasets := flag.String("datasets", "../../shared/datasets", "the datasets directory")
	snapshot := flag.String("snapshot", "2026-07-21", "the date of the Datenanfragen commit")
	jdmSnapshot := flag.String("jdm-snapshot", "2026-08-22", "the date of the JustDeleteMe commit")
	flag.Parse()

	da := filepath.Join(*datasets, "datenanfragen")
	commit := source(filepath.Join(da, "SOURCE"))
	records, skipped, err := companies.FromDatenanfragen(os.DirFS(da), *snapshot)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range skipped {
		log.Printf("skipped %s: %s", s.File, s.Reason)
	}
	if err := os.RemoveAll("datenanfragen"); err != nil {
		log.Fatal(err)
	}
	if err := os.Mkdir("datenanfragen", 0o755); err != nil {
		log.Fatal(err)
	}
	for _, c := range records {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# From the Datenanfragen company record %s (CC0, commit %.8s of %s): facts only.\n", c.ID, commit, *snapshot)
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(c); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("datenanfragen", c.ID+".yaml"), b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("wrote %d records, skipped %d", len(records), len(skipped))

	jdm := filepath.Join(*datasets, "justdeleteme")
	data, err := os.ReadFile(filepath.Join(jdm, "sites.json"))
	if err != nil {
		log.Fatal(err)
	}
	sites, err := companies.SitesFromJustDeleteMe(data)
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("# Self-service deletion links from JustDeleteMe (github.com/jdm-contrib/jdm,\n# _data/sites.json, MIT: see justdeleteme/NOTICE.txt). Facts only: the\n# link, the difficulty, the deletion e-mail and the domains; the notes are\n# JustDeleteMe's prose and are left out.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(companies.Sites{Snapshot: *jdmSnapshot, Commit: source(filepath.Join(jdm, "SOURCE")), Sites: sites}); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("justdeleteme", "sites.yaml"), b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d JustDeleteMe sites", len(sites))
}

// source is the commit a dataset's SOURCE file names.
func source(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		if len(f) == 40 {
			return f
		}
	}
	log.Fatalf("%s names no commit", path)
	return ""
}
