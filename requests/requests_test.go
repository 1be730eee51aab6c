package requests

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/letters"
	"github.com/erase-cli/erase/profile"
	"github.com/erase-cli/erase/templates"
)

func setup(t *testing.T) (*jurisdictions.Regime, *companies.Directory) {
	t.Helper()
	laws, err := jurisdictions.Default()
	if err != nil {
		t.Fatal(err)
	}
	gdpr, err := laws.Get("gdpr")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := companies.Load(companies.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return gdpr, dir
}

func TestMake(t *testing.T) {
	gdpr, dir := setup(t)
	ali, err := dir.Get("aliexpress")
	if err != nil {
		t.Fatal(err)
	}
	who := &profile.Profile{Name: "Jane Doe", Email: "jane@example.com", Language: "de"}
	in := Input{Regime: gdpr, Requester: who, Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Kind: "access",
		Contact: companies.ContactGroup, Companies: []*companies.Company{ali}}
	p, err := Make(in, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Requests) != 1 {
		t.Fatalf("%d requests, want 1", len(p.Requests))
	}
	r := p.Requests[0]
	if r.Service != "AliExpress" || r.GroupName == "" || r.CompanyID != "aliexpress" || r.Kind != "access" {
		t.Errorf("request %+v", r)
	}
	// The company's language comes first, then the requester's, then the law's.
	if !slices.Equal(r.Prefer, []string{"en", "de", ""}) {
		t.Errorf("Prefer = %q, want the company's, the requester's and the law's language", r.Prefer)
	}
	if len(p.Uncertain) == 0 {
		t.Log("no uncertain address for the group contact")
	}
	in.Contact = "boss"
	var ce *companies.ContactError
	if _, err := Make(in, dir); !errors.As(err, &ce) {
		t.Errorf("contact boss: %v", err)
	}
	in.Contact, in.Companies, in.To = companies.ContactPrivacy, nil, &letters.Party{Name: "Shop", Email: "privacy@shop.example"}
	p, err = Make(in, dir)
	if err != nil || len(p.Requests) != 1 || p.Requests[0].Service != "Shop" || p.Requests[0].Prefer[0] != "de" {
		t.Errorf("ad hoc: %+v %v", p, err)
	}
}

func TestMissing(t *testing.T) {
	_, dir := setup(t)
	ali, _ := dir.Get("aliexpress")
	ali2 := *ali
	ali2.Requires = []string{"name", "email", "address"}
	got := Missing(&profile.Profile{Email: "jane@example.com"}, []*companies.Company{ali, &ali2, &ali2})
	if len(got) != 2 || got[0].Field != "name" || got[1].Field != "address" || got[1].Company != &ali2 {
		t.Errorf("Missing = %+v, want name, then address for the company that requires it, once", got)
	}
}

func TestDetailsAndKind(t *testing.T) {
	gdpr, _ := setup(t)
	var se *DetailSyntaxError
	if _, err := Details([]string{"correction"}); !errors.As(err, &se) {
		t.Errorf("no =: %v", err)
	}
	d, err := Details([]string{"correction=a", " correction = b "})
	if err != nil || !slices.Equal(d["correction"], []string{"a", "b"}) {
		t.Errorf("Details = %v %v", d, err)
	}
	set := templates.New(nil, templates.Embedded())
	var uk *templates.UnknownKindError
	if err := CheckKind(set, gdpr, "delete", nil); !errors.As(err, &uk) {
		t.Errorf("unknown kind: %v", err)
	}
	var ng *jurisdictions.NotGrantedError
	if err := CheckKind(set, gdpr, "opt-out", nil); !errors.As(err, &ng) || ng.Regime != "gdpr" {
		t.Errorf("opt-out under the GDPR: %v", err)
	}
	var de *letters.DetailError
	if err := CheckKind(set, gdpr, "erasure", d); !errors.As(err, &de) {
		t.Errorf("a correction on an erasure: %v", err)
	}
}

// TestMissingRequiredElements: a company's required date of birth and
// account details, in its own words, are asked for once each, and a
// detail the requester has is not.
func TestMissingRequiredElements(t *testing.T) {
	_, dir := setup(t)
	ali, _ := dir.Get("aliexpress")
	db := *ali
	db.Name = "DB Vertrieb GmbH"
	db.Requires = []string{"name", "email", "birthdate"}
	db.RequiredAccounts = []companies.AccountField{{Key: "kundennummer", Label: "Kundennummer"}, {Key: "username", Label: "Nutzername"}}
	other := db
	other.Name = "Other GmbH"
	who := &profile.Profile{Name: "Jane Doe", Email: "jane@example.com", Accounts: profile.Accounts{{Key: "Username", Value: "jdoe"}}}
	got := Missing(who, []*companies.Company{ali, &db, &other})
	if len(got) != 2 {
		t.Fatalf("Missing = %+v, want the date of birth and the customer number", got)
	}
	if got[0].Field != "birthdate" || got[0].Company != &db {
		t.Errorf("first need = %+v, want birthdate for DB Vertrieb", got[0])
	}
	if a := got[1].Account; got[1].Field != "account" || a == nil || a.Key != "kundennummer" || a.Label != "Kundennummer" || got[1].Company != &db {
		t.Errorf("second need = %+v, want the Kundennummer for DB Vertrieb", got[1])
	}
	who.Birthdate = "1990-05-01"
	who.Accounts = append(who.Accounts, letters.Account{Key: "kundennummer", Value: "4711"})
	if !got[0].Met(who) || !got[1].Met(who) {
		t.Error("needs not met once given")
	}
	if got := Missing(who, []*companies.Company{&db}); len(got) != 0 {
		t.Errorf("Missing = %+v, want nothing", got)
	}
}

// TestBirthdateOnlyWhereRequired: the date of birth goes to a company
// that requires it and to an ad-hoc recipient only when asked, and the
// company's labels for its account keys go with its letter.
func TestBirthdateOnlyWhereRequired(t *testing.T) {
	gdpr, dir := setup(t)
	ali, _ := dir.Get("aliexpress")
	db := *ali
	db.ID, db.Requires = "db", []string{"name", "email", "birthdate"}
	db.RequiredAccounts = []companies.AccountField{{Key: "kundennummer", Label: "Kundennummer"}}
	who := &profile.Profile{Name: "Jane Doe", Email: "jane@example.com", Birthdate: "1990-05-01"}
	in := Input{Regime: gdpr, Requester: who, Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Kind: "erasure",
		Contact: companies.ContactPrivacy, Companies: []*companies.Company{ali, &db}}
	p, err := Make(in, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Requests[0].Requester.Birthdate != "" || p.Requests[1].Requester.Birthdate != "1990-05-01" {
		t.Errorf("birthdates %q, %q: want none to AliExpress, the date to the company that requires it",
			p.Requests[0].Requester.Birthdate, p.Requests[1].Requester.Birthdate)
	}
	if p.Requests[0].AccountLabels != nil || p.Requests[1].AccountLabels["kundennummer"] != "Kundennummer" {
		t.Errorf("account labels %v, %v", p.Requests[0].AccountLabels, p.Requests[1].AccountLabels)
	}
	in.Companies, in.To = nil, &letters.Party{Name: "Shop", Email: "privacy@shop.example"}
	for _, give := range []bool{false, true} {
		in.GiveBirthdate = give
		p, err := Make(in, dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Requests[0].Requester.Birthdate != ""; got != give {
			t.Errorf("ad hoc, GiveBirthdate %v: birthdate %q", give, p.Requests[0].Requester.Birthdate)
		}
	}
}

// TestRoutes: e-mail where there is an address; the web form where it
// is the only channel or the one the record asks for; else post.
func TestRoutes(t *testing.T) {
	gdpr, dir := setup(t)
	ali, _ := dir.Get("aliexpress")
	form := "https://example.com/privacy-form"
	withPrivacy := func(id, medium string, c companies.Contact) *companies.Company {
		x := *ali
		x.ID, x.Medium, x.Privacy = id, medium, c
		x.Privacy.Name = id
		return &x
	}
	cs := []*companies.Company{
		ali,
		withPrivacy("form-only", "", companies.Contact{Webform: form}),
		withPrivacy("form-asked", "webform", companies.Contact{Email: "p@example.com", Address: []string{"1 Road"}, Webform: form}),
		withPrivacy("post-only", "", companies.Contact{Address: []string{"1 Road"}}),
		withPrivacy("post-or-form", "", companies.Contact{Address: []string{"1 Road"}, Webform: form}),
		withPrivacy("letter-asked", "letter", companies.Contact{Email: "p@example.com", Address: []string{"1 Road"}}),
	}
	want := []Route{{Channel: ByEmail}, {Channel: ByWebform, Webform: form}, {Channel: ByWebform, Webform: form},
		{Channel: ByPost}, {Channel: ByPost, Webform: form}, {Channel: ByEmail}}
	in := Input{Regime: gdpr, Requester: &profile.Profile{Name: "Jane Doe", Email: "jane@example.com"},
		Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Kind: "erasure", Contact: companies.ContactPrivacy, Companies: cs}
	p, err := Make(in, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		got := p.Routes[i]
		if got.Channel != w.Channel || got.Webform != w.Webform || got.Company != cs[i] {
			t.Errorf("%s: route %+v, want %+v", cs[i].ID, got, w)
		}
		if form := p.Requests[i].Recipient.Webform; (w.Channel == ByWebform) != (form != "") {
			t.Errorf("%s: recipient web form %q", cs[i].ID, form)
		}
	}
	in.Companies, in.To = nil, &letters.Party{Name: "Shop", Address: []string{"1 Road"}}
	if p, err := Make(in, dir); err != nil || p.Routes[0].Channel != ByPost {
		t.Errorf("ad hoc with an address only: %+v %v", p, err)
	}
}

// TestIDDocuments: a company known to ask for an ID document is noted
// once, with the law's provision on checking identity where the regime
// has one, and with no law where it has none.
func TestIDDocuments(t *testing.T) {
	gdpr, dir := setup(t)
	ali, _ := dir.Get("aliexpress")
	asks := *ali
	asks.Name, asks.NeedsIDDocument = "Asks Ltd", true
	in := Input{Regime: gdpr, Requester: &profile.Profile{Name: "Jane Doe", Email: "jane@example.com"},
		Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Kind: "erasure", Contact: companies.ContactPrivacy,
		Companies: []*companies.Company{ali, &asks, &asks}}
	p, err := Make(in, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.IDDocuments) != 1 || p.IDDocuments[0].Company != &asks {
		t.Fatalf("IDDocuments = %+v, want Asks Ltd once", p.IDDocuments)
	}
	note := p.IDDocuments[0].String()
	for _, want := range []string{"Asks Ltd is known to ask for a copy of an identity document", "unless it has reasonable doubts", "(Article 12(6) GDPR governs"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
	laws, _ := jurisdictions.Default()
	for _, r := range laws.All() {
		if rt, err := r.Right("erasure"); err == nil && rt.Verification == nil {
			in.Regime = r
			p, err := Make(in, dir)
			if err != nil {
				t.Fatal(err)
			}
			if note := p.IDDocuments[0].String(); strings.Contains(note, "governs") {
				t.Errorf("%s states no rule on identity, but the note cites one: %q", r.ID, note)
			}
			return
		}
	}
	t.Fatal("no regime without a verification entry to test with")
}
