//go:build ignore

// gen_datasets carries the public datasets erase ships into the project's
// own files: every Datenanfragen company record (CC0) as
// datenanfragen/SLUG.yaml, facts only, the Datenanfragen company packs
// (CC0) as packs.yaml, and the JustDeleteMe entries (MIT) as
// justdeleteme/sites.yaml. Run it from this directory when the datasets
// change:
//
//	go run gen_datasets.go -datasets ../../shared/datasets -snapshot 2026-07-21 -jdm-snapshot 2026-08-22
//
// then go generate . to remake the index. A user refreshes their own copy
// with erase companies import instead.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
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
	writePacks(da, commit, *snapshot, records)

	obsolete, err := companies.ObsoleteFromDatenanfragen(os.DirFS(da))
	if err != nil {
		log.Fatal(err)
	}
	{
		var b bytes.Buffer
		fmt.Fprintf(&b, "# The records the Datenanfragen data retired (obsolete-records, CC0, commit %.8s of %s):\n# a letter to one of these ids is refused with the reason and the record that took its place.\n", commit, *snapshot)
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(struct {
			Records []*companies.Obsolete `yaml:"records"`
		}{obsolete}); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("obsolete", "obsolete.yaml"), b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %d obsolete records", len(obsolete))
	}

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

// packCountries are the Datenanfragen pack files, in the order packs.yaml
// lists them, with the country each is for.
var packCountries = []struct{ file, country, place string }{
	{"all", companies.PackAll, "international"},
	{"at", "AT", "Austria"},
	{"de", "DE", "Germany"},
}

// packTitles are erase's own titles for the packs, by file and slug. A
// pack a newer dataset adds stops the generator until it has one.
var packTitles = map[string]string{
	"all/social-media":      "Social networks and messengers",
	"all/entertainment":     "Streaming and music",
	"all/finance":           "Payment cards and services",
	"all/telecommunication": "E-mail and communication services",
	"at/address-brokers":    "Address brokers",
	"at/credit-agencies":    "Credit agencies",
	"de/address-brokers":    "Address brokers",
	"de/credit-agencies":    "Credit agencies",
	"de/commerce":           "Online shops and retailers",
	"de/entertainment":      "Streaming and pay TV",
	"de/finance":            "Banks and payment services",
	"de/insurance":          "Insurers and health insurance funds",
	"de/telecommunication":  "Phone, mobile and internet providers",
	"de/public-authorities": "Public authorities",
}

// writePacks carries the Datenanfragen company packs into packs.yaml: a
// pack's id is its slug where no other file has that slug, else the slug
// after the country (de-address-brokers). A company the directory does not
// have is dropped and reported.
func writePacks(da, commit, snapshot string, records []*companies.Company) {
	known := map[string]bool{}
	for _, c := range records {
		known[c.ID] = true
	}
	own, err := companies.Load(companies.Embedded())
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range own.IDs() {
		known[id] = true
	}
	type daPack struct {
		Slug      string   `json:"slug"`
		Type      string   `json:"type"`
		Companies []string `json:"companies"`
	}
	read := map[string][]daPack{}
	files := map[string]int{} // slug -> how many files have it
	for _, pc := range packCountries {
		data, err := os.ReadFile(filepath.Join(da, "company-packs", pc.file+".json"))
		if err != nil {
			log.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var packs []daPack
		if err := dec.Decode(&packs); err != nil {
			log.Fatalf("company-packs/%s.json: %v", pc.file, err)
		}
		read[pc.file] = packs
		for _, p := range packs {
			files[p.Slug]++
		}
	}
	var out struct {
		Packs []*companies.Pack `yaml:"packs"`
	}
	dropped := 0
	for _, pc := range packCountries {
		for _, dp := range read[pc.file] {
			title, ok := packTitles[pc.file+"/"+dp.Slug]
			if !ok {
				log.Fatalf("company-packs/%s.json: pack %s has no title: add one to packTitles", pc.file, dp.Slug)
			}
			p := &companies.Pack{ID: dp.Slug, Title: title + " (" + pc.place + ")", Type: dp.Type, Country: pc.country,
				Source: "https://github.com/datenanfragen/data/blob/master/company-packs/" + pc.file + ".json"}
			if files[dp.Slug] > 1 {
				p.ID = strings.ToLower(pc.country) + "-" + dp.Slug
			}
			for _, id := range dp.Companies {
				if !known[id] {
					log.Printf("pack %s: dropped %s, which is not in the directory", p.ID, id)
					dropped++
					continue
				}
				if !slices.Contains(p.Companies, id) {
					p.Companies = append(p.Companies, id)
				}
			}
			if len(p.Companies) == 0 {
				log.Printf("pack %s: skipped: none of its companies is in the directory", p.ID)
				continue
			}
			out.Packs = append(out.Packs, p)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The company packs of Datenanfragen (github.com/datenanfragen/data,\n# company-packs/*.json, CC0, commit %.8s of %s): facts only, which\n# companies go together. The titles are erase's own.\n", commit, snapshot)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(companies.PacksFile, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	if _, err := companies.LoadPacks(os.DirFS(".")); err != nil { // the file as erase reads it
		log.Fatal(err)
	}
	log.Printf("wrote %d packs, dropped %d companies not in the directory", len(out.Packs), dropped)
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
