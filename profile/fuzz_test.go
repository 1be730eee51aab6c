package profile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/erase-cli/erase/internal/badinput"
)

var decodeSeeds = []string{
	"",
	"name: Jane Doe\nemail: jane@example.com\n",
	"name: Zoë\nemail: zoe@example.org\naddress: |\n  Müllerstraße 12\n  10115 Berlin\ncountry: NO\naccounts:\n  username: zoe\n  order: 123\n",
	"address:\n  - 1 High Street\n  - London N1 1AA\naccounts:\n  order-number: \"8123456789\"\n",
	`{"name": "Zoë", "email": "zoe@example.org", "address": ["a", "b"], "accounts": {"username": "z"}}`,
	"name: x\nemail: x@example.org\ncountyr: DE\n",
	"name: \"a\\nb\"\n",
	"accounts: [a, b]\n",
	"accounts:\n  \"bad key!\": x\n",
	"accounts:\n  username: [a]\n",
	"address: {a: b}\n",
	"name: [x\n",
	"name: &a x\nemail: *a\n",
	"---\nname: a\n---\nname: b\n",
	"name: '{{.Secret}}'\n",
	"accounts:\n  username: a\n  username: b\n",
	"language: en\nregion: US-CA\nphone: '+1 555 0100'\n",
	"birthdate: 1990-05-01\n",
	"birthdate: 1990-02-30\n",
}

// FuzzDecode: decoding any bytes never panics; it fails with bad input
// that names the file, or gives a profile that passes Check and comes
// back the same through the YAML that Save writes.
func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1024 { // a profile is short; a long input only slows the search
			return
		}
		p, err := Decode("fuzz.yaml", data)
		if err != nil {
			if _, ok := badinput.As(err); !ok || !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q is not bad input naming the file", err)
			}
			return
		}
		if err := p.Check(); err != nil {
			t.Fatalf("decoded a profile that fails Check: %v", err)
		}
		out, err := p.YAML()
		if err != nil {
			t.Fatalf("encoding %+v: %v", p, err)
		}
		back, err := Decode("saved.yaml", out)
		if err != nil {
			t.Fatalf("the saved profile does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normal(p), normal(back)) {
			t.Fatalf("round trip changed the profile:\n got %+v\nwant %+v\nvia:\n%s", back, p, out)
		}
	})
}

// normal treats empty and nil lists alike: omitempty writes neither.
func normal(p *Profile) Profile {
	q := *p
	if len(q.Address) == 0 {
		q.Address = nil
	}
	if len(q.Accounts) == 0 {
		q.Accounts = nil
	}
	return q
}
