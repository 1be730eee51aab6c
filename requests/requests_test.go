package requests

import (
	"errors"
	"slices"
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
