package companies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
)

// Imported is what erase companies import makes of a Datenanfragen
// checkout: the index file to write in the data directory, with the
// records it holds and the dataset records it could not carry over.
type Imported struct {
	Snapshot string
	// Records are the index's records, sorted by id: the checkout's, joined
	// with the bundled JustDeleteMe entries.
	Records []*Company
	// Dataset is how many of Records come from the checkout; the others
	// are JustDeleteMe entries no record has, which take no letters.
	Dataset int
	Skipped []Skipped
	// Index is the index file.
	Index []byte
}

// Import reads the company records of a checkout of the Datenanfragen
// data (the companies/*.json of fsys) as of snapshot (YYYY-MM-DD, the date
// of the checkout), joins them with the JustDeleteMe entries built into
// erase and encodes them as an index, as go generate does for the bundled
// one. A checkout that yields no record at all is an error: an index of
// none would leave erase without a directory.
func Import(fsys fs.FS, snapshot string) (*Imported, error) {
	records, skipped, err := FromDatenanfragen(fsys, snapshot)
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("none of the %d records in companies/ could be read (the first: %s: %s)", len(skipped), skipped[0].File, skipped[0].Reason)
	}
	for _, c := range records {
		// As the record reads back from its YAML file, so that the same
		// checkout gives the same index as go generate makes of it.
		if c.Categories == nil {
			c.Categories = []string{}
		}
	}
	sites, err := BundledSites()
	if err != nil {
		return nil, err
	}
	n := len(records)
	joined := Join(records, sites)
	data, err := EncodeIndex(snapshot, joined)
	if err != nil {
		return nil, err
	}
	return &Imported{Snapshot: snapshot, Records: joined, Dataset: n, Skipped: skipped, Index: data}, nil
}

// Change is a record that an import adds, changes or drops.
type Change struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Fields are what changed, named as in a record's YAML file, except
	// that the privacy contact's are named alone (email, address; its
	// name is "contact name"). The snapshot date is not a change.
	Fields []string `json:"fields,omitempty"`
}

// Diff is what replacing one set of records with another does.
type Diff struct {
	Added, Changed, Dropped []Change
	Unchanged               int
}

// Compare returns what replacing the records old with new adds, changes
// and drops, each sorted by id. Records are matched by id.
func Compare(old, new []*Company) (Diff, error) {
	byID := func(cs []*Company) []*Company {
		cs = slices.Clone(cs)
		sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
		return cs
	}
	old, new = byID(old), byID(new)
	var d Diff
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case j == len(new) || i < len(old) && old[i].ID < new[j].ID:
			d.Dropped = append(d.Dropped, Change{ID: old[i].ID, Name: old[i].Name})
			i++
		case i == len(old) || new[j].ID < old[i].ID:
			d.Added = append(d.Added, Change{ID: new[j].ID, Name: new[j].Name})
			j++
		default:
			fields, err := changedFields(old[i], new[j])
			if err != nil {
				return Diff{}, err
			}
			if len(fields) == 0 {
				d.Unchanged++
			} else {
				d.Changed = append(d.Changed, Change{ID: new[j].ID, Name: new[j].Name, Fields: fields})
			}
			i++
			j++
		}
	}
	return d, nil
}

// changedFields names the fields in which a and b differ, in the order of
// the record's fields.
func changedFields(a, b *Company) ([]string, error) {
	if ja, jb, err := bodies(a, b); err != nil || bytes.Equal(ja, jb) {
		return nil, err // the same record but for its snapshot, most often
	}
	fa, order, err := fieldsOf(a)
	if err != nil {
		return nil, err
	}
	fb, orderB, err := fieldsOf(b)
	if err != nil {
		return nil, err
	}
	for _, k := range orderB {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	var out []string
	for _, k := range order {
		if k != "snapshot" && !bytes.Equal(empty(fa[k]), empty(fb[k])) {
			out = append(out, k)
		}
	}
	return out, nil
}

// bodies are a and b as JSON, each with the other's snapshot.
func bodies(a, b *Company) ([]byte, []byte, error) {
	a2 := *a
	a2.Snapshot = b.Snapshot
	ja, err := json.Marshal(&a2)
	if err != nil {
		return nil, nil, err
	}
	jb, err := json.Marshal(b)
	return ja, jb, err
}

// empty makes a field that is absent, null or [] the same: a record
// decoded from YAML has [] where one made from JSON has null.
func empty(raw json.RawMessage) json.RawMessage {
	if s := string(raw); s == "null" || s == "[]" {
		return nil
	}
	return raw
}

// fieldsOf is c's fields as JSON, by name, with the privacy contact's
// fields on their own, and the names in the order the record has them.
func fieldsOf(c *Company) (map[string]json.RawMessage, []string, error) {
	top, order, err := objectOf(c)
	if err != nil {
		return nil, nil, err
	}
	contact, corder, err := objectOf(c.Privacy)
	if err != nil {
		return nil, nil, err
	}
	i := slices.Index(order, "privacy")
	order = slices.Delete(order, i, i+1)
	delete(top, "privacy")
	for k, name := range corder {
		if name == "name" {
			name = "contact name"
		}
		top[name] = contact[corder[k]]
		order = slices.Insert(order, i+k, name)
	}
	return top, order, nil
}

// objectOf is v marshalled as a JSON object: its members and their order.
func objectOf(v any) (map[string]json.RawMessage, []string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	m := map[string]json.RawMessage{}
	var order []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		k := tok.(string)
		m[k] = raw
		order = append(order, k)
	}
	return m, order, nil
}
