//go:build ignore

// gen_authorities writes the authority records (ID.yaml) in this directory:
// the EU/EEA, Swiss and UK authorities from a snapshot of the Datenanfragen
// supervisory-authority records (CC0, facts only), with erase's own ids,
// coverage and notes from the table below, and the authorities of the other
// regimes from the second table.
//
// The YAML files are what erase loads and what a review reads; this program
// only made them. Re-running it rewrites every file it knows from the
// snapshot and the tables, so a correction goes into the table as well as
// the file:
//
//	go run gen_authorities.go -dataset ../../shared/datasets/datenanfragen/supervisory-authorities
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/jurisdictions"
)

const (
	commit   = "0a29c3d6feee53b02e73204a3dbd312eafe56629"
	snapshot = "2026-07-21"
	folder   = "https://github.com/datenanfragen/data/tree/master/supervisory-authorities"
)

// record is a Datenanfragen supervisory-authority record.
type record struct {
	Slug      string   `json:"slug"`
	Countries []string `json:"relevant-countries"`
	Name      string   `json:"name"`
	Address   string   `json:"address"`
	Phone     string   `json:"phone"`
	Fax       string   `json:"fax"`
	Email     string   `json:"email"`
	Webform   string   `json:"webform"`
	PGPFinger string   `json:"pgp-fingerprint"`
	PGPURL    string   `json:"pgp-url"`
	Web       string   `json:"web"`
	Sources   []string `json:"sources"`
	Language  string   `json:"complaint-language"`
	Transport string   `json:"suggested-transport-medium"`
	Comments  []string `json:"comments"`
}

// local is what erase adds to a dataset record.
type local struct {
	id      string
	aliases []string
	name    string // own-language name where the record's differs
	nameEN  string
	regions []string
	// countries replaces the record's relevant-countries.
	countries  []string
	supervises []string
	regimes    []string
	langs      []string // where the record gives none
	channel    string   // where the record's fields mislead
	notes      []jurisdictions.Fact
}

var (
	state    = []string{authorities.Companies, authorities.PublicBodies}
	bavaria  = []string{authorities.Companies}
	church   = []string{authorities.Church}
	broadcst = []string{authorities.Broadcasting}
)

const (
	settled     = jurisdictions.Settled
	secondary   = jurisdictions.Secondary
	inferred    = jurisdictions.Inferred
	unconfirmed = jurisdictions.Unconfirmed
)

const srcBDSG = "§§ 9, 19 and 40 BDSG and § 29 TDDDG as erase's maintainers know them, not read for this record; the Datenanfragen record set, which lists the federal, the state and the sectoral authorities side by side"

// germanState are the notes every German state authority carries.
func germanState(land string) []jurisdictions.Fact {
	return []jurisdictions.Fact{
		{Provision: "Article 77(1) GDPR", Text: "A person living in " + land + " may complain to this authority about any company, wherever the company is established: Article 77 lets a person complain to the supervisory authority of the Member State of their habitual residence.", Status: settled, Source: "Art. 77(1) GDPR"},
		{Provision: "§ 40(1) BDSG; § 19(2) BDSG; Article 56 GDPR", Text: "Supervision of a private company lies with the state authority where the company is established (or, for cross-border processing, the lead authority); an authority that receives a complaint it is not competent for passes it on to the competent one.", Status: inferred, Source: srcBDSG},
	}
}

var bfdiNotes = []jurisdictions.Fact{
	{Provision: "§ 9 BDSG; § 29 TDDDG", Text: "The BfDI supervises federal public bodies and, for their telecommunications and postal services, the companies that provide them. For any other company a person complains to the state authority: of the state where they live (Article 77 GDPR) or where the company is established (§ 40 BDSG).", Status: inferred, Source: srcBDSG},
}

var churchNote = jurisdictions.Fact{Provision: "Article 91 GDPR", Text: "A church authority supervises the bodies of its church under the church's own data protection rules, which Article 91 GDPR allows; it is not competent for companies.", Status: inferred, Source: "Art. 91 GDPR; the Datenanfragen record"}

var broadcastNote = jurisdictions.Fact{Text: "A broadcasting data protection officer supervises public broadcasters (journalistic and other processing); it is not competent for companies.", Status: inferred, Source: "the Datenanfragen record's name and website"}

func dioceses(list string) jurisdictions.Fact {
	return jurisdictions.Fact{Text: "Competent for the dioceses of " + list + ".", Status: secondary, Source: "the Datenanfragen record's comments"}
}

var table = map[string]local{
	"atdsb":      {id: "at-dsb", aliases: []string{"dsb"}, nameEN: "Austrian Data Protection Authority"},
	"beapd":      {id: "be-apd", aliases: []string{"apd", "gba"}, nameEN: "Belgian Data Protection Authority", langs: []string{"fr", "nl", "de"}},
	"bgcpdp":     {id: "bg-cpdp", aliases: []string{"cpdp", "kzld"}, name: "Комисия за защита на личните данни", nameEN: "Commission for Personal Data Protection", channel: authorities.ChannelPost},
	"chedoeb":    {id: "ch-fdpic", aliases: []string{"fdpic", "edoeb", "pfpdt"}, name: "Eidgenössischer Datenschutz- und Öffentlichkeitsbeauftragter (EDÖB)", nameEN: "Federal Data Protection and Information Commissioner (FDPIC)", regimes: []string{"fadp"}},
	"cydp":       {id: "cy-dpc"},
	"czcuooz":    {id: "cz-uoou", aliases: []string{"uoou"}},
	"debawueldb": {id: "de-bw", aliases: []string{"lfdi-bw"}, nameEN: "State Commissioner for Data Protection and Freedom of Information of Baden-Württemberg", regions: []string{"DE-BW"}, supervises: state, notes: germanState("Baden-Württemberg")},
	"debaylda": {id: "de-by", aliases: []string{"baylda"}, nameEN: "Bavarian State Office for Data Protection Supervision", regions: []string{"DE-BY"}, supervises: bavaria, notes: append(germanState("Bavaria"),
		jurisdictions.Fact{Text: "In Bavaria the BayLDA supervises private bodies (companies) and the Bavarian State Commissioner for Data Protection (de-by-public) public bodies.", Status: inferred, Source: "the two Datenanfragen records' names and websites; Art. 15 BayDSG not read"})},
	"debayldb": {id: "de-by-public", aliases: []string{"baylfd"}, nameEN: "Bavarian State Commissioner for Data Protection", regions: []string{"DE-BY"}, supervises: []string{authorities.PublicBodies}, notes: []jurisdictions.Fact{
		{Text: "Supervises Bavarian public bodies; complaints about companies in Bavaria go to the BayLDA (de-by).", Status: inferred, Source: "the two Datenanfragen records' names and websites; Art. 15 BayDSG not read"}}},
	"deberlbdi": {id: "de-be", aliases: []string{"blnbdi"}, nameEN: "Berlin Commissioner for Data Protection and Freedom of Information", regions: []string{"DE-BE"}, supervises: state, notes: germanState("Berlin")},
	"debfdi": {id: "de-bfdi", aliases: []string{"bfdi"}, nameEN: "Federal Commissioner for Data Protection and Freedom of Information", countries: []string{"DE"},
		supervises: []string{authorities.FederalPublicBodies, authorities.Telecoms, authorities.Postal}, notes: bfdiNotes},
	"debralda":       {id: "de-bb", aliases: []string{"lda-bb"}, nameEN: "State Commissioner for Data Protection and Access to Files of Brandenburg", regions: []string{"DE-BB"}, supervises: state, notes: germanState("Brandenburg")},
	"debrelfdi":      {id: "de-hb", aliases: []string{"lfdi-hb"}, nameEN: "State Commissioner for Data Protection and Freedom of Information of Bremen", regions: []string{"DE-HB"}, supervises: state, notes: germanState("Bremen")},
	"deekdbfd":       {id: "de-ekd", nameEN: "Data Protection Commissioner of the Evangelical Church in Germany (EKD)", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote}},
	"dehessbdi":      {id: "de-he", aliases: []string{"hbdi"}, nameEN: "Hessian Commissioner for Data Protection and Freedom of Information", regions: []string{"DE-HE"}, supervises: state, notes: germanState("Hesse")},
	"dehmbbfdi":      {id: "de-hh", aliases: []string{"hmbbfdi"}, nameEN: "Hamburg Commissioner for Data Protection and Freedom of Information", regions: []string{"DE-HH"}, supervises: state, notes: germanState("Hamburg")},
	"dekathbayddsb":  {id: "de-kath-by", nameEN: "Diocesan Data Protection Officer of the Bavarian Dioceses", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote, dioceses("Augsburg, Bamberg, Eichstätt, München und Freising, Passau, Regensburg and Würzburg")}},
	"dekathdsz":      {id: "de-kath-nw", nameEN: "Catholic Data Protection Centre (dioceses of North Rhine-Westphalia)", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote, dioceses("Aachen, Essen, Köln, Münster (the part in North Rhine-Westphalia) and Paderborn")}},
	"dekathffdsz":    {id: "de-kath-ffm", nameEN: "Catholic Data Protection Centre Frankfurt (dioceses of central and south-west Germany)", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote, dioceses("Freiburg, Fulda, Limburg, Mainz, Rottenburg-Stuttgart, Speyer and Trier")}},
	"dekathnordddsb": {id: "de-kath-nord", nameEN: "Catholic Data Protection Supervision North", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote, dioceses("Hamburg, Hildesheim, Osnabrück and Münster (the part in Lower Saxony, the Officialate in Vechta)")}},
	"dekathostddsb":  {id: "de-kath-ost", nameEN: "Church Data Protection Supervision of the East German Dioceses and the Catholic Military Bishop", countries: []string{"DE"}, supervises: church, notes: []jurisdictions.Fact{churchNote, dioceses("Berlin, Dresden-Meißen, Erfurt, Görlitz and Magdeburg, and the Catholic Military Bishop")}},
	"demvldi":        {id: "de-mv", aliases: []string{"lfdi-mv"}, nameEN: "State Commissioner for Data Protection and Freedom of Information of Mecklenburg-Western Pomerania", regions: []string{"DE-MV"}, supervises: state, notes: germanState("Mecklenburg-Western Pomerania")},
	"dendslfd":       {id: "de-ni", aliases: []string{"lfd-ni"}, nameEN: "State Commissioner for Data Protection of Lower Saxony", regions: []string{"DE-NI"}, supervises: state, notes: germanState("Lower Saxony")},
	"denrwldi":       {id: "de-nw", aliases: []string{"ldi-nrw"}, nameEN: "State Commissioner for Data Protection and Freedom of Information of North Rhine-Westphalia", regions: []string{"DE-NW"}, supervises: state, notes: germanState("North Rhine-Westphalia")},
	"derf":           {id: "de-rundfunk", nameEN: "Broadcasting Data Protection Commissioner", countries: []string{"DE"}, supervises: broadcst, langs: []string{"de"}, notes: []jurisdictions.Fact{broadcastNote}},
	"derfdw":         {id: "de-dw", nameEN: "Broadcasting Data Protection Commissioner of Deutsche Welle", countries: []string{"DE"}, supervises: broadcst, langs: []string{"de"}, notes: []jurisdictions.Fact{broadcastNote}},
	"derlpbdi":       {id: "de-rp", aliases: []string{"lfdi-rp"}, nameEN: "State Commissioner for Data Protection and Freedom of Information of Rhineland-Palatinate", regions: []string{"DE-RP"}, supervises: state, notes: germanState("Rhineland-Palatinate")},
	"desaarudz":      {id: "de-sl", aliases: []string{"udz-sl"}, nameEN: "Independent Data Protection Centre Saarland", regions: []string{"DE-SL"}, supervises: state, notes: germanState("Saarland")},
	"desaechsdsb":    {id: "de-sn", aliases: []string{"sdtb"}, nameEN: "Saxon Data Protection and Transparency Commissioner", regions: []string{"DE-SN"}, supervises: state, notes: germanState("Saxony")},
	"desalbd":        {id: "de-st", aliases: []string{"lfd-st"}, nameEN: "State Commissioner for Data Protection of Saxony-Anhalt", regions: []string{"DE-ST"}, supervises: state, notes: germanState("Saxony-Anhalt")},
	"deshuld":        {id: "de-sh", aliases: []string{"uld"}, nameEN: "Independent Centre for Privacy Protection Schleswig-Holstein", regions: []string{"DE-SH"}, supervises: state, notes: germanState("Schleswig-Holstein")},
	"detlfdi":        {id: "de-th", aliases: []string{"tlfdi"}, nameEN: "Thuringian State Commissioner for Data Protection and Freedom of Information", regions: []string{"DE-TH"}, supervises: state, notes: germanState("Thuringia")},
	"dkdi":           {id: "dk-datatilsynet"},
	"eeaki":          {id: "ee-aki", aliases: []string{"aki"}},
	"esaepa":         {id: "es-aepd", aliases: []string{"aepd"}},
	"fitst": {id: "fi-tietosuoja", countries: []string{"FI", "AX"}, notes: []jurisdictions.Fact{
		{Text: "Åland (AX), where the GDPR applies (Art. 355(4) TFEU), is counted under Finland's Data Protection Ombudsman for complaints about companies; Åland's own Datainspektion supervises the Åland government and municipalities.", Status: inferred, Source: "jurisdictions/gdpr.yaml (Åland in the GDPR's territory); the Datenanfragen record set, which has no Åland record; the Åland Autonomy Act not read"}}},
	"frcnil": {id: "fr-cnil", aliases: []string{"cnil"}, countries: []string{"FR", "GF", "GP", "MQ", "RE", "YT", "MF"}, notes: []jurisdictions.Fact{
		{Text: "The outermost regions that ISO 3166-1 codes on their own (French Guiana, Guadeloupe, Martinique, Réunion, Mayotte, Saint-Martin) are counted under the CNIL: the GDPR applies there (Art. 355(1) TFEU) and the CNIL is France's authority.", Status: inferred, Source: "jurisdictions/gdpr.yaml; the Datenanfragen record set, which has no separate record for them; the Loi Informatique et Libertés' territorial provisions not read"}}},
	"gbico": {id: "gb-ico", aliases: []string{"ico"}, name: "Information Commissioner's Office", regimes: []string{"uk-gdpr"}, notes: []jurisdictions.Fact{
		{Provision: "Article 77 UK GDPR; section 165 Data Protection Act 2018", Text: "In most cases the ICO expects a complaint to the organisation first, and a follow-up if it has not answered after 30 days; then a complaint to the ICO within three months of the last contact with the organisation.", Status: secondary, Source: "https://ico.org.uk/make-a-complaint/data-protection-complaints/what-to-expect/ (via jurisdictions/uk-gdpr.yaml)"}}},
	"grdpa":  {id: "gr-hdpa"},
	"hrazop": {id: "hr-azop", aliases: []string{"azop"}},
	"hunaih": {id: "hu-naih", aliases: []string{"naih"}},
	"iedpc":  {id: "ie-dpc", nameEN: "Data Protection Commission", name: "An Coimisiún um Chosaint Sonraí"},
	"isdpa":  {id: "is-personuvernd"},
	"itgpdp": {id: "it-garante", aliases: []string{"garante", "gpdp"}, notes: []jurisdictions.Fact{
		{Text: "The e-mail address in the record is a certified e-mail (PEC) address; whether it accepts ordinary e-mail was not established.", Status: unconfirmed, Source: "the Datenanfragen record (pec.gpdp.it)"}}},
	"lidss":     {id: "li-dss", nameEN: "Data Protection Authority of the Principality of Liechtenstein"},
	"ltada":     {id: "lt-vdai", aliases: []string{"vdai"}},
	"lucnpd":    {id: "lu-cnpd", langs: []string{"fr", "de", "en"}},
	"lvdvi":     {id: "lv-dvi", aliases: []string{"dvi"}},
	"mtidpc":    {id: "mt-idpc", aliases: []string{"idpc"}},
	"nlap":      {id: "nl-ap"},
	"nods":      {id: "no-datatilsynet"},
	"plgiodo":   {id: "pl-uodo", aliases: []string{"uodo"}},
	"ptcnpd":    {id: "pt-cnpd", nameEN: "National Data Protection Commission"},
	"roanspdcp": {id: "ro-anspdcp", aliases: []string{"anspdcp"}, langs: []string{"ro"}},
	"sedi":      {id: "se-imy", aliases: []string{"imy"}},
	"siiprs":    {id: "si-ip"},
	"skunoou":   {id: "sk-uoou"},
}

var englishPart = regexp.MustCompile(`^(.*) \(([^()]* [^()]*)\)$`)

func fromDataset(r record, l local) *authorities.Authority {
	a := &authorities.Authority{ID: l.id, Aliases: append(append([]string{}, l.aliases...), r.Slug), Name: r.Name, NameEN: l.nameEN}
	cc := strings.ToUpper(r.Countries[0])
	if m := englishPart.FindStringSubmatch(r.Name); m != nil && cc != "DE" {
		a.Name, a.NameEN = m[1], m[2]
	}
	if l.name != "" {
		a.Name = l.name
	}
	if l.nameEN != "" {
		a.NameEN = l.nameEN
	}
	a.Country = cc
	switch {
	case l.regions != nil:
		a.Covers.Regions = l.regions
	case l.countries != nil:
		a.Covers.Countries = l.countries
	default:
		a.Covers.Countries = []string{cc}
	}
	a.Regimes = l.regimes
	if a.Regimes == nil {
		a.Regimes = []string{"gdpr"}
	}
	a.Supervises = l.supervises
	if a.Supervises == nil {
		a.Supervises = []string{authorities.Companies, authorities.PublicBodies}
	}
	a.Address = strings.Split(r.Address, "\n")
	a.Email, a.Phone, a.Fax, a.Web = r.Email, r.Phone, r.Fax, r.Web
	if r.PGPFinger != "" {
		a.PGP = &authorities.PGP{Fingerprint: r.PGPFinger, URL: r.PGPURL}
	}
	c := &a.Complaint
	c.Kind = authorities.KindComplaint
	c.Webform = r.Webform
	switch {
	case l.channel != "":
		c.Channel = l.channel
	case r.Webform != "":
		c.Channel = authorities.ChannelWebform
	case r.Transport == "letter":
		c.Channel = authorities.ChannelPost
	case r.Email != "":
		c.Channel = authorities.ChannelEmail
	default:
		c.Channel = authorities.ChannelPost
	}
	c.Status = inferred
	c.Source = "the Datenanfragen record: its web form (the dataset keeps that field for complaint forms), else its suggested transport or e-mail; the authority's own preference was not read"
	if r.Language != "" {
		c.Languages = []string{r.Language}
	} else {
		c.Languages = l.langs
		c.Source += "; the languages are erase's inference (the record gives none)"
	}
	if r.Slug == "chedoeb" {
		c.Kind = authorities.KindReport
		c.Webform = "https://www.edoeb.admin.ch/edoeb/en/home/deredoeb/kontakt/info_anzeige_betroffene.html"
		c.Channel = authorities.ChannelWebform
		c.Provision = "Article 49 FADP"
		c.Text = "There is no GDPR-style right to complain. The FDPIC opens an investigation of its own motion or on a report (Anzeige) if there are sufficient indications of a breach; a data subject files a report through the FDPIC's form and is owed no decision on it. Deletion itself is enforced by a civil action (Article 32 FADP)."
		c.Status = secondary
		c.Source = "jurisdictions/fadp.yaml: Art. 49 FADP (haerting.ch; efdpo.eu); the FDPIC's report page (settled). The Datenanfragen record's web form is the FDPIC's general contact form."
	}
	if r.Slug == "bgcpdp" {
		a.Notes = append(a.Notes, jurisdictions.Fact{Text: "A complaint by e-mail must carry a qualified electronic signature (QES); without one, send it by post.", Status: secondary, Source: "the Datenanfragen record's comments"})
	}
	a.Notes = append(a.Notes, l.notes...)
	a.Status = secondary
	a.Sources = []authorities.Source{{URL: folder, What: fmt.Sprintf("Datenanfragen supervisory-authority record %s.json at %s (CC0): name, address, contacts, web form, complaint language", r.Slug, commit[:8])}}
	for _, s := range r.Sources {
		a.Sources = append(a.Sources, authorities.Source{URL: s, What: "cited by the Datenanfragen record"})
	}
	a.Dataset = &authorities.Dataset{Name: "datenanfragen", Record: r.Slug, Commit: commit, Snapshot: snapshot, License: "CC0-1.0"}
	return a
}

func main() {
	dir := flag.String("dataset", "../../shared/datasets/datenanfragen/supervisory-authorities", "the Datenanfragen supervisory-authorities folder")
	flag.Parse()
	files, err := filepath.Glob(filepath.Join(*dir, "*.json"))
	if err != nil || len(files) == 0 {
		log.Fatalf("no records in %s: %v", *dir, err)
	}
	var out []*authorities.Authority
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		var r record
		if err := json.Unmarshal(data, &r); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		l, ok := table[r.Slug]
		if !ok {
			log.Fatalf("%s: no entry in the table: add one", r.Slug)
		}
		out = append(out, fromDataset(r, l))
	}
	out = append(out, others()...)
	for _, a := range out {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(a); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(a.ID+".yaml", buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d records\n", len(out))
}

// srcRegime names a regime file's authority block as a source.
func srcRegime(id string) string { return "jurisdictions/" + id + ".yaml, authority" }

func complaint(channel string, langs []string, st jurisdictions.Status, source string) authorities.Complaint {
	return authorities.Complaint{Kind: authorities.KindComplaint, Channel: channel, Languages: langs, Fact: jurisdictions.Fact{Status: st, Source: source}}
}

// attorneyGeneral is the record of a US state attorney general who enforces
// a state privacy law. Its web address is the office's home page; no
// complaint form or privacy unit was read unless extra says otherwise.
func attorneyGeneral(sub, regime, name, web string, enforcer jurisdictions.Fact) *authorities.Authority {
	state := strings.ToLower(strings.TrimPrefix(sub, "US-"))
	a := &authorities.Authority{
		ID: "us-" + state + "-ag", Name: name, NameEN: name, Country: "US",
		Covers: authorities.Coverage{Regions: []string{sub}}, Regimes: []string{regime},
		Supervises: []string{authorities.Companies}, Web: web,
		Complaint: complaint(authorities.ChannelWeb, []string{"en"}, unconfirmed,
			"not read: the attorney general's website is where its consumer complaint route is to be found"),
		Notes:  []jurisdictions.Fact{enforcer},
		Status: unconfirmed,
		Sources: []authorities.Source{
			{URL: web, What: "the office's website, from erase's maintainers' knowledge, not read for this record"},
		},
	}
	a.Complaint.Text = "The attorney general enforces the law; a complaint informs enforcement, and the office does not act as the person's lawyer."
	return a
}

func enforcer(regime string, st jurisdictions.Status, text string) jurisdictions.Fact {
	return jurisdictions.Fact{Text: text, Status: st, Source: srcRegime(regime)}
}

const modelText = "No source read names this state's enforcer; the attorneys general enforce the other state laws read, on the Virginia model."

func others() []*authorities.Authority {
	var out []*authorities.Authority
	for _, s := range []struct {
		sub, regime, name, web string
		st                     jurisdictions.Status
		text                   string
	}{
		{"US-CO", "cpa", "Colorado Attorney General", "https://coag.gov", settled, "The Attorney General and district attorneys have exclusive authority to enforce the Act (C.R.S. § 6-1-1311)."},
		{"US-CT", "ctdpa", "Connecticut Attorney General", "https://portal.ct.gov/ag", secondary, "The Attorney General has exclusive authority to enforce the Act."},
		{"US-DE", "dpdpa", "Delaware Attorney General", "https://attorneygeneral.delaware.gov", inferred, modelText},
		{"US-FL", "fdbr", "Florida Attorney General", "https://www.myfloridalegal.com", inferred, modelText},
		{"US-IA", "iacdpa", "Iowa Attorney General", "https://www.iowaattorneygeneral.gov", inferred, modelText},
		{"US-IN", "incdpa", "Indiana Attorney General", "https://www.in.gov/attorneygeneral/", inferred, modelText},
		{"US-KY", "kcdpa", "Kentucky Attorney General", "https://www.ag.ky.gov", inferred, modelText},
		{"US-MD", "modpa", "Maryland Attorney General", "https://www.marylandattorneygeneral.gov", inferred, modelText},
		{"US-MN", "mncdpa", "Minnesota Attorney General", "https://www.ag.state.mn.us", inferred, modelText},
		{"US-MT", "mtcdpa", "Montana Attorney General", "https://dojmt.gov", inferred, modelText},
		{"US-NE", "ndpa", "Nebraska Attorney General", "https://ago.nebraska.gov", inferred, modelText},
		{"US-NH", "nhpa", "New Hampshire Attorney General", "https://www.doj.nh.gov", inferred, modelText},
		{"US-NJ", "njdpa", "New Jersey Attorney General", "https://www.njoag.gov", inferred, modelText},
		{"US-OR", "ocpa", "Oregon Attorney General (Oregon Department of Justice)", "https://www.doj.state.or.us", settled, "The Attorney General is the sole enforcer of the Act; questions go to oregonprivacy@doj.oregon.gov."},
		{"US-RI", "ridtppa", "Rhode Island Attorney General", "https://riag.ri.gov", inferred, modelText},
		{"US-TN", "tipa", "Tennessee Attorney General", "https://www.tn.gov/attorneygeneral.html", inferred, modelText},
		{"US-TX", "tdpsa", "Texas Attorney General", "https://www.texasattorneygeneral.gov", settled, "The Attorney General has exclusive authority to enforce the Act and keeps a website with a complaint mechanism (Tex. Bus. & Com. Code §§ 541.151-541.152)."},
		{"US-UT", "ucpa", "Utah Attorney General", "https://attorneygeneral.utah.gov", secondary, "The Attorney General enforces the Act."},
		{"US-VA", "vcdpa", "Attorney General of Virginia, Consumer Protection Section", "https://www.oag.state.va.us", secondary, "The Attorney General has exclusive authority to enforce the Act (Va. Code § 59.1-584(A)); consumer hotline 1-800-552-9963."},
	} {
		a := attorneyGeneral(s.sub, s.regime, s.name, s.web, enforcer(s.regime, s.st, s.text))
		switch s.sub {
		case "US-OR":
			a.Email = "oregonprivacy@doj.oregon.gov"
			a.Sources = append(a.Sources, authorities.Source{URL: "https://www.doj.state.or.us/media-home/news-media-releases/faq_category/business-privacy-faqs/", What: "the privacy question address (via jurisdictions/ocpa.yaml)"})
		case "US-VA":
			a.Phone = "+1 800 552 9963"
			a.Sources = append(a.Sources, authorities.Source{URL: "https://www.oag.state.va.us", What: "the consumer hotline, as given in the Attorney General's press release of 13 February 2023 (via jurisdictions/vcdpa.yaml)"})
		case "US-CT":
			a.Notes = append(a.Notes, jurisdictions.Fact{Text: "The Attorney General's data breach form points consumers to its e-Complaint form for consumer complaints.", Status: secondary, Source: "https://portal.ct.gov/AG/Data-Breach-Form/Data-Breach-Report-Submission-Form"})
		}
		out = append(out, a)
	}

	cppa := &authorities.Authority{
		ID: "us-ca-cppa", Aliases: []string{"cppa", "calprivacy"}, Name: "California Privacy Protection Agency (CalPrivacy)", NameEN: "California Privacy Protection Agency (CalPrivacy)",
		Country: "US", Covers: authorities.Coverage{Regions: []string{"US-CA"}}, Regimes: []string{"ccpa"}, Supervises: []string{authorities.Companies},
		Email: "info@cppa.ca.gov", Phone: "+1 916 572 2900", Web: "https://cppa.ca.gov",
		Complaint: complaint(authorities.ChannelWebform, []string{"en"}, settled, "https://privacy.ca.gov/tips/submit-complaint; cppa.ca.gov/webapplications/complaint (archived copy)"),
		Notes: []jurisdictions.Fact{
			{Text: "The Agency does not represent individual consumers and cannot act as the person's attorney; a complaint informs its enforcement. A person need not live in California to complain.", Status: settled, Source: "cppa.ca.gov/webapplications/complaint (archived copy); https://ca.gov/departments/315"},
			{Text: "The Attorney General also enforces the CCPA (us-ca-ag).", Status: settled, Source: srcRegime("ccpa")},
		},
		Status: secondary,
		Sources: []authorities.Source{
			{URL: "https://ca.gov/departments/315", What: "e-mail, phone and the complaint form"},
			{URL: "https://privacy.ca.gov/tips/submit-complaint", What: "how to complain"},
		},
	}
	cppa.Complaint.Webform = "https://cppa.ca.gov/webapplications/complaint"
	caAG := &authorities.Authority{
		ID: "us-ca-ag", Name: "California Attorney General (California Department of Justice)", NameEN: "California Attorney General (California Department of Justice)",
		Country: "US", Covers: authorities.Coverage{Regions: []string{"US-CA"}}, Regimes: []string{"ccpa"}, Supervises: []string{authorities.Companies}, Order: 1,
		Web:       "https://oag.ca.gov/privacy/ccpa",
		Complaint: complaint(authorities.ChannelWebform, []string{"en"}, secondary, "reference/jurisdictions.md, section on the CCPA (consumer complaint portal)"),
		Notes: []jurisdictions.Fact{
			{Text: "The Attorney General enforces the CCPA beside the Agency; the Agency (us-ca-cppa) is where CCPA complaints are meant to go, and it sends complaints about other matters to the Department of Justice.", Status: secondary, Source: "cppa.ca.gov/webapplications/complaint (archived copy); " + srcRegime("ccpa")},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://oag.ca.gov/contact/consumer-complaint-against-business-or-company", What: "the consumer complaint form, as the reference records it (not read)"}},
	}
	caAG.Complaint.Webform = "https://oag.ca.gov/contact/consumer-complaint-against-business-or-company"
	out = append(out, cppa, caAG)

	opc := &authorities.Authority{
		ID: "ca-opc", Aliases: []string{"opc"}, Name: "Office of the Privacy Commissioner of Canada / Commissariat à la protection de la vie privée du Canada", NameEN: "Office of the Privacy Commissioner of Canada (OPC)",
		Country: "CA", Covers: authorities.Coverage{Countries: []string{"CA"}}, Regimes: []string{"pipeda"}, Supervises: []string{authorities.Companies, authorities.FederalPublicBodies},
		Address: []string{"30 Victoria Street", "Gatineau, Quebec K1A 1H3", "Canada"}, Phone: "+1 800 282 1376", Web: "https://www.priv.gc.ca",
		Complaint: complaint(authorities.ChannelWebform, []string{"en", "fr"}, secondary, "https://www.priv.gc.ca/complaint-plainte/index_e.asp (complaints under PIPEDA); priv.gc.ca complaint pages (online form preferred)"),
		Notes: []jurisdictions.Fact{
			{Text: "The OPC asks that the organisation be given the chance to resolve the concern first; there is no charge for a complaint.", Status: secondary, Source: "https://priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/file-a-complaint-about-a-federal-institution (the same advice for federal institutions); https://fipa.bc.ca/get-help/making-a-privacy-complaint/"},
			{Text: "Alberta, British Columbia and Quebec have private-sector laws deemed substantially similar to PIPEDA: for an organisation based in one of them the provincial commissioner may be the one to complain to (in Quebec the CAI, ca-qc-cai).", Status: settled, Source: "https://www.priv.gc.ca/complaint-plainte/index_e.asp"},
		},
		Status: secondary,
		Sources: []authorities.Source{
			{URL: "http://www.priv.gc.ca/complaint-plainte/pa_e.asp", What: "postal address and toll-free number"},
			{URL: "https://www.priv.gc.ca/complaint-plainte/index_e.asp", What: "complaints under PIPEDA"},
		},
	}
	opc.Complaint.Webform = "https://www.priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/"
	cai := &authorities.Authority{
		ID: "ca-qc-cai", Aliases: []string{"cai"}, Name: "Commission d'accès à l'information du Québec", NameEN: "Commission d'accès à l'information du Québec (CAI)",
		Country: "CA", Covers: authorities.Coverage{Regions: []string{"CA-QC"}}, Regimes: []string{"qc-law25"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Address: []string{"525, boulevard René-Lévesque Est, bureau 2.36", "Québec (Québec)  G1R 5S9", "Canada"}, Phone: "+1 888 528 7741", Fax: "+1 418 529 3102", Web: "https://www.cai.gouv.qc.ca",
		Complaint: complaint(authorities.ChannelWebform, []string{"fr", "en"}, settled, "https://plainte.cai.gouv.qc.ca (the form, in French and English)"),
		Notes: []jurisdictions.Fact{
			{Text: "The complaint form is not for a disagreement over a request for access or rectification: a company's refusal of such a request goes to the Commission as an application for the examination of a disagreement (demande d'examen de mésentente), through another form.", Status: settled, Source: "https://plainte.cai.gouv.qc.ca; https://www.cai.gouv.qc.ca/a-propos/declaration-de-services-aux-citoyens/"},
			{Text: "Whether a refused erasure request is a disagreement (examen de mésentente) or a complaint was not established.", Status: unconfirmed, Source: "https://plainte.cai.gouv.qc.ca (names access and rectification only)"},
		},
		Status: settled,
		Sources: []authorities.Source{
			{URL: "https://www.cai.gouv.qc.ca/commission-acces-information/nous-joindre", What: "Québec office address, telephone, toll-free number and fax"},
			{URL: "https://plainte.cai.gouv.qc.ca", What: "the complaint form"},
		},
	}
	cai.Complaint.Webform = "https://plainte.cai.gouv.qc.ca"
	out = append(out, opc, cai)

	anpd := &authorities.Authority{
		ID: "br-anpd", Aliases: []string{"anpd"}, Name: "Autoridade Nacional de Proteção de Dados (ANPD)", NameEN: "National Data Protection Authority (ANPD)",
		Country: "BR", Covers: authorities.Coverage{Countries: []string{"BR"}}, Regimes: []string{"lgpd"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Web:       "https://www.gov.br/anpd",
		Complaint: complaint(authorities.ChannelWebform, []string{"pt"}, secondary, srcRegime("lgpd")),
		Notes: []jurisdictions.Fact{
			{Provision: "Article 18, § 1 LGPD", Text: "The petition against a controller comes after an express request to the controller through its official channels, with proof of it; it is filed on gov.br with a GOV.BR login and cannot be anonymous.", Status: secondary, Source: srcRegime("lgpd")},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://gov.br/anpd/pt-br/canais_atendimento/cidadao-titular-de-dados/peticao-de-titular-contra-controlador-de-dados/reclamacao", What: "the petition page (via jurisdictions/lgpd.yaml)"}},
	}
	anpd.Complaint.Text = "Petição de titular contra controlador de dados."
	anpd.Complaint.Provision = "Article 18, § 1 LGPD"
	anpd.Complaint.Webform = "https://gov.br/anpd/pt-br/canais_atendimento/cidadao-titular-de-dados/peticao-de-titular-contra-controlador-de-dados/reclamacao"

	pipc := &authorities.Authority{
		ID: "kr-pipc", Aliases: []string{"pipc"}, Name: "개인정보보호위원회", NameEN: "Personal Information Protection Commission (PIPC)",
		Country: "KR", Covers: authorities.Coverage{Countries: []string{"KR"}}, Regimes: []string{"pipa"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Phone: "118", Web: "https://www.pipc.go.kr/eng",
		Complaint: complaint(authorities.ChannelPhone, []string{"ko"}, secondary, "https://www.pipc.go.kr/eng/user/lgp/ntp/reportingInfringement.do"),
		Notes: []jurisdictions.Fact{
			{Text: "The report centre's website is privacy.kisa.or.kr by erase's maintainers' knowledge; the PIPC page names the website without its address.", Status: unconfirmed, Source: "not read"},
			{Provision: "Article 62 PIPA", Text: "A person whose rights are infringed reports it to the Privacy Call Center that KISA runs for the Commission (telephone 118, its website, or e-mail); a report taken as a complaint is investigated and the person told the result, and it may go to the Dispute Mediation Committee.", Status: secondary, Source: "https://www.pipc.go.kr/eng/user/lgp/ntp/reportingInfringement.do; https://prighter.com/resources/laws/korean-pipa/main/articles/article-62"},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://www.pipc.go.kr/eng/user/lgp/ntp/reportingInfringement.do", What: "how infringements are reported"}},
	}
	pipc.Complaint.Provision = "Article 62 PIPA"

	ppc := &authorities.Authority{
		ID: "jp-ppc", Aliases: []string{"ppc"}, Name: "個人情報保護委員会", NameEN: "Personal Information Protection Commission (PPC)",
		Country: "JP", Covers: authorities.Coverage{Countries: []string{"JP"}}, Regimes: []string{"appi"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Phone: "+81 3 6457 9849", Web: "https://www.ppc.go.jp",
		Complaint: authorities.Complaint{Kind: authorities.KindReport, Channel: authorities.ChannelPhone, Languages: []string{"ja"}, Fact: jurisdictions.Fact{
			Provision: "Articles 132(ii) and 169 APPI (as the PPC cites them)",
			Text:      "The PPC's consultation line (個人情報保護法相談ダイヤル) answers questions and, where a complaint made to the business has led to a dispute, mediates (あっせん). It takes consultations by telephone only, not in person, by e-mail or by letter; the person is owed no decision.",
			Status:    settled, Source: "https://www.ppc.go.jp/personalinfo/pipldial/"}},
		Notes: []jurisdictions.Fact{
			{Text: "Complain to the business first: the line mediates a dispute that follows a complaint to the business.", Status: settled, Source: "https://www.ppc.go.jp/personalinfo/pipldial/"},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://www.ppc.go.jp/personalinfo/pipldial/", What: "the consultation line, its number and hours (weekdays 9:30-17:30)"}},
	}

	oaic := &authorities.Authority{
		ID: "au-oaic", Aliases: []string{"oaic"}, Name: "Office of the Australian Information Commissioner (OAIC)", NameEN: "Office of the Australian Information Commissioner (OAIC)",
		Country: "AU", Covers: authorities.Coverage{Countries: []string{"AU"}}, Regimes: []string{"au-privacy"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Address: []string{"GPO Box 5218", "Sydney NSW 2001", "Australia"}, Email: "enquiries@oaic.gov.au", Phone: "1300 363 992", Web: "https://www.oaic.gov.au",
		Complaint: complaint(authorities.ChannelWebform, []string{"en"}, settled, "https://oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/"),
		Notes: []jurisdictions.Fact{
			{Text: "Complain to the organisation first; if it does not answer within 30 days or the answer does not satisfy, complain to the OAIC, in writing (online form, e-mail or post), free of charge.", Status: settled, Source: "https://oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/"},
			{Text: "The postal address is from an older OAIC page and was not checked against the current one.", Status: unconfirmed, Source: "https://www.oaic.gov.au/individuals/how-do-i-make-a-privacy-complaint"},
		},
		Status: secondary,
		Sources: []authorities.Source{
			{URL: "https://oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/", What: "how to complain, the e-mail address"},
			{URL: "https://www.oaic.gov.au/individuals/how-do-i-make-a-privacy-complaint", What: "postal address and enquiries line (older page)"},
		},
	}
	oaic.Complaint.Webform = "https://oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/"

	kvkk := &authorities.Authority{
		ID: "tr-kvkk", Aliases: []string{"kvkk"}, Name: "Kişisel Verileri Koruma Kurulu (Kişisel Verileri Koruma Kurumu)", NameEN: "Personal Data Protection Board (Personal Data Protection Authority)",
		Country: "TR", Covers: authorities.Coverage{Countries: []string{"TR"}}, Regimes: []string{"kvkk"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Web:       "https://www.kvkk.gov.tr",
		Complaint: complaint(authorities.ChannelWeb, []string{"tr"}, unconfirmed, "the Authority's complaint line (Şikâyet Hattı) is described by third parties (rasyotek.com.tr); its address was not read"),
		Notes: []jurisdictions.Fact{
			{Provision: "Article 14 KVKK", Text: "A complaint is possible only after the application to the controller under Article 13: if it is rejected, the answer is insufficient or there is no answer in time, within 30 days of learning the answer and in any case within 60 days of the application.", Status: secondary, Source: srcRegime("kvkk")},
			{Text: "A petition must name a subject and carry the person's name, signature and home or work address, or the Board does not examine it (Law No. 3071 on the right of petition, Article 6).", Status: secondary, Source: "https://gdpr-kvkk.com/kvk-kuruluna-sikayette-bulunma/"},
		},
		Status:  unconfirmed,
		Sources: []authorities.Source{{URL: "https://www.kvkk.gov.tr", What: "the Authority's website (named by mustafabaysal.com), not read"}},
	}
	kvkk.Complaint.Provision = "Article 14 KVKK"

	ir := &authorities.Authority{
		ID: "za-inforeg", Aliases: []string{"inforegulator"}, Name: "Information Regulator (South Africa)", NameEN: "Information Regulator (South Africa)",
		Country: "ZA", Covers: authorities.Coverage{Countries: []string{"ZA"}}, Regimes: []string{"popia"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Web: "https://inforegulator.org.za",
		Complaint: authorities.Complaint{Kind: authorities.KindComplaint, Channel: authorities.ChannelEmail, Email: "POPIAComplaints@inforegulator.org.za", Languages: []string{"en"}, Fact: jurisdictions.Fact{
			Provision: "section 74 POPIA; Rules of procedure for complaints (October 2021)",
			Text:      "A complaint is made in writing on POPIA Form 5 and sent to the complaints address.",
			Status:    secondary, Source: "https://www.masthead.co.za/newsletter/new-email-addresses-for-the-information-regulator/; https://popia.org/complaint; https://itlawco.com/how-to-complain-to-the-information-regulator/ (section 74 itself not read)"}},
		Notes: []jurisdictions.Fact{
			{Text: "The Regulator's postal address was not established: third-party pages give Braamfontein (JD House, 27 Stiemens Street), which may be out of date.", Status: unconfirmed, Source: "https://popia.org/complaint"},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://www.masthead.co.za/newsletter/new-email-addresses-for-the-information-regulator/", What: "the Regulator's e-mail addresses, from its public alert"}},
	}

	pdpc := &authorities.Authority{
		ID: "sg-pdpc", Aliases: []string{"pdpc"}, Name: "Personal Data Protection Commission (PDPC)", NameEN: "Personal Data Protection Commission (PDPC)",
		Country: "SG", Covers: authorities.Coverage{Countries: []string{"SG"}}, Regimes: []string{"sg-pdpa"}, Supervises: []string{authorities.Companies},
		Web:       "https://www.pdpc.gov.sg",
		Complaint: complaint(authorities.ChannelWebform, []string{"en"}, settled, "https://www.pdpc.gov.sg/individuals/e-services/report-a-data-protection-concern/organisations-use-of-personal-data"),
		Notes: []jurisdictions.Fact{
			{Text: "Contact the organisation first and wait for its response; then raise the concern with the PDPC. Concerns about government agencies go elsewhere.", Status: settled, Source: "https://www.pdpc.gov.sg/individuals/e-services/report-a-data-protection-concern/organisations-use-of-personal-data"},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://www.pdpc.gov.sg/individuals/e-services/report-a-data-protection-concern/organisations-use-of-personal-data", What: "how to raise a data protection concern"}},
	}
	pdpc.Complaint.Webform = "https://www.pdpc.gov.sg/individuals/e-services/report-a-data-protection-concern/organisations-use-of-personal-data"

	dpbi := &authorities.Authority{
		ID: "in-dpbi", Aliases: []string{"dpbi"}, Name: "Data Protection Board of India", NameEN: "Data Protection Board of India (DPBI)",
		Country: "IN", Covers: authorities.Coverage{Countries: []string{"IN"}}, Regimes: []string{"dpdp"}, Supervises: []string{authorities.Companies, authorities.PublicBodies},
		Web:       "https://www.dpbi.gov.in",
		Complaint: complaint(authorities.ChannelWeb, []string{"en", "hi"}, secondary, srcRegime("dpdp")+" (the Board as a digital office; the languages are erase's inference)"),
		From: &authorities.From{Date: "2027-05-14", Fact: jurisdictions.Fact{
			Provision: "sections 3 to 17 of the Digital Personal Data Protection Act, 2023",
			Text:      "The rights a complaint would rely on (sections 12 and 13) come into force on 14 May 2027 by erase's count; before then the Board is not competent to hear a Data Principal's complaint, and erase offers none.",
			Status:    secondary, Source: "jurisdictions/dpdp.yaml, in_force (G.S.R. 843(E) of 13 November 2025, as summarised by taxmann.com and storyboard18.com)"}},
		Notes: []jurisdictions.Fact{
			{Provision: "section 13 of the Digital Personal Data Protection Act, 2023", Text: "A grievance must first be made to the Data Fiduciary; only when that is exhausted can the Data Principal approach the Board.", Status: secondary, Source: srcRegime("dpdp")},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://righttoinformation.wiki/_export/xhtml/exercise-data-protection-rights-dpdp-2026", What: "the Board and its portal (via jurisdictions/dpdp.yaml)"}},
	}

	cac := &authorities.Authority{
		ID: "cn-cac", Aliases: []string{"cac"}, Name: "国家互联网信息办公室", NameEN: "Cyberspace Administration of China (CAC)",
		Country: "CN", Covers: authorities.Coverage{Countries: []string{"CN"}}, Regimes: []string{"pipl"}, Supervises: []string{authorities.Companies},
		Web:       "https://www.cac.gov.cn",
		Complaint: complaint(authorities.ChannelWeb, []string{"zh"}, unconfirmed, "PIPL Art. 65 (complaints and reports to the departments performing personal information protection duties) not read; the CAC's reporting centre (12377.cn) by erase's maintainers' knowledge, not read"),
		Notes: []jurisdictions.Fact{
			{Text: "The CAC coordinates personal information protection, and other departments perform protection duties in their own fields: a complaint may belong with the department for the company's sector.", Status: secondary, Source: srcRegime("pipl")},
			{Provision: "Article 50 PIPL", Text: "If the handler rejects the request, the individual may also sue in a people's court.", Status: secondary, Source: srcRegime("pipl")},
		},
		Status:  secondary,
		Sources: []authorities.Source{{URL: "https://personalinformationprotectionlaw.com/PIPL/article-50/", What: "the CAC and other departments (via jurisdictions/pipl.yaml)"}},
	}
	out = append(out, anpd, pipc, ppc, oaic, kvkk, ir, pdpc, dpbi, cac)
	return out
}
