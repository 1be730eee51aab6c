package letters

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
)

// lawText is what a letter says of its law, in the letter's language: the
// regime's own English words, or the language's LANG/laws/ID.yaml. Only
// facts a letter may state (settled or secondary) reach it.
type lawText struct {
	Name, ShortName, Citation  string
	Person, Organisation, Data string
	Authority                  string
	AuthorityProvision         string
	// AsSuch: the law grants the right as such (jurisdictions.Right.AsSuch).
	AsSuch bool
	templates.RightWords
	// needs[i] is the detail Grounds[i] needs ("" for none).
	needs []string
}

// english takes the words of a kind of request from the regime's file.
func english(r *jurisdictions.Regime, rt *jurisdictions.Right) *lawText {
	t := &lawText{
		Name: r.Name, ShortName: r.ShortName, Citation: r.Citation.Provision,
		Person: r.Terms.Person, Organisation: r.Terms.Organisation, Data: r.Terms.Data,
		AsSuch: rt.AsSuch(),
	}
	if a := r.Authority; a != nil && a.Status.Certain() {
		t.Authority, t.AuthorityProvision = a.Name, a.Provision
	}
	w := &t.RightWords
	w.Provision, w.Scope = rt.Provision, rt.Scope
	for _, g := range rt.Grounds {
		w.Grounds = append(w.Grounds, templates.Cited{Provision: g.Provision, Letter: g.Letter})
		t.needs = append(t.needs, g.Needs)
	}
	w.Recipients, w.Verification, w.Free = cited(rt.Recipients), cited(rt.Verification), cited(rt.Free)
	w.Refusal, w.Representative, w.DueScope = cited(rt.Refusal), cited(rt.Representative), cited(rt.DueScope)
	w.Timing = cited(rt.Timing)
	if p := rt.Procedure; p != nil {
		w.Procedure = cited(&p.Ground)
	}
	if d := rt.Deadline; d.Settled() {
		w.Deadline = &templates.PeriodWords{Words: d.Words, Provision: d.Provision}
		if d.MayEndLater() {
			w.Deadline.HolidaysWhere = d.NonWorking.Where
		}
	} else if d.Requested != nil {
		w.Requested = &templates.PeriodWords{Words: d.Requested.Words}
	}
	if e := rt.Extension; e != nil && e.Settled() && e.Status.Certain() {
		w.Extension = &templates.PeriodWords{Words: e.Words, Provision: e.Provision}
	}
	if c := rt.Confirmation; c != nil && c.Settled() {
		w.Confirmation = &templates.PeriodWords{Words: c.Words, Provision: c.Provision}
	}
	if b := rt.BeforeInForce; b != nil {
		w.BeforeInForce = &templates.PendingWords{Letter: b.Letter}
		for _, g := range b.Grounds {
			w.BeforeInForce.Grounds = append(w.BeforeInForce.Grounds, templates.Cited{Provision: g.Provision, Letter: g.Letter})
		}
	}
	return t
}

func cited(g *jurisdictions.Ground) *templates.Cited {
	if g == nil || !g.Status.Certain() {
		return nil
	}
	return &templates.Cited{Provision: g.Provision, Letter: g.Letter}
}

// MissingWordsError says a language lacks words a letter under a regime
// needs: the whole file (Fields empty) or some of its sentences.
type MissingWordsError struct {
	Lang, Regime, Kind string
	// File is where the words belong: "de/laws/gdpr.yaml".
	File   string
	Fields []string
}

func (e *MissingWordsError) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("no %s words for letters under %s (%s is missing)", e.Lang, e.Regime, e.File)
	}
	return fmt.Sprintf("%s lacks the words of %s for the %s letter", e.File, strings.Join(e.Fields, ", "), e.Kind)
}

// translate puts a language's words for the law in place of the English
// ones, refusing a translation that lacks a sentence the English letter says.
func translate(en *lawText, lang, regime, kind string, set *templates.Set) (*lawText, error) {
	file := lang + "/laws/" + regime + ".yaml"
	lw, err := set.LawWords(lang, regime)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &MissingWordsError{Lang: lang, Regime: regime, Kind: kind, File: file}
		}
		return nil, err
	}
	t := &lawText{
		Name: lw.Name, ShortName: lw.ShortName, Citation: lw.Citation,
		Person: lw.Terms.Person, Organisation: lw.Terms.Organisation, Data: lw.Terms.Data,
		Authority: lw.Authority, AuthorityProvision: lw.AuthorityProvision, needs: en.needs, AsSuch: en.AsSuch,
	}
	var missing []string
	need := func(key, enV, v string) {
		if strings.TrimSpace(enV) != "" && strings.TrimSpace(v) == "" {
			missing = append(missing, key)
		}
	}
	need("name", en.Name, t.Name)
	need("short_name", en.ShortName, t.ShortName)
	need("citation", en.Citation, t.Citation)
	need("terms.person", en.Person, t.Person)
	need("terms.organisation", en.Organisation, t.Organisation)
	need("terms.data", en.Data, t.Data)
	need("authority", en.Authority, t.Authority)
	need("authority_provision", en.AuthorityProvision, t.AuthorityProvision)
	rw := lw.Requests[kind]
	if rw == nil {
		missing = append(missing, "requests."+kind)
		return nil, &MissingWordsError{Lang: lang, Regime: regime, Kind: kind, File: file, Fields: missing}
	}
	t.RightWords = *rw
	k := "requests." + kind + "."
	e, w := en.RightWords, t.RightWords
	need(k+"provision", e.Provision, w.Provision)
	need(k+"scope", e.Scope, w.Scope)
	checkCited := func(key string, a []templates.Cited, b []templates.Cited) {
		if len(a) != len(b) {
			missing = append(missing, fmt.Sprintf("%s (%d in the regime's file, %d here)", key, len(a), len(b)))
			return
		}
		for i := range a {
			need(fmt.Sprintf("%s[%d].letter", key, i), a[i].Letter, b[i].Letter)
			need(fmt.Sprintf("%s[%d].provision", key, i), a[i].Provision, b[i].Provision)
		}
	}
	checkCited(k+"grounds", e.Grounds, w.Grounds)
	for name, pair := range map[string][2]*templates.Cited{
		"recipients": {e.Recipients, w.Recipients}, "verification": {e.Verification, w.Verification}, "free": {e.Free, w.Free},
		"procedure": {e.Procedure, w.Procedure}, "refusal": {e.Refusal, w.Refusal}, "representative": {e.Representative, w.Representative},
		"due_scope": {e.DueScope, w.DueScope}, "timing": {e.Timing, w.Timing},
	} {
		if pair[0] == nil {
			t.setCited(name, nil) // a sentence the law's status keeps out of English stays out
			continue
		}
		if pair[1] == nil {
			missing = append(missing, k+name)
			continue
		}
		need(k+name+".letter", pair[0].Letter, pair[1].Letter) // the sentence cites its provision itself
	}
	for name, pair := range map[string][2]*templates.PeriodWords{
		"deadline": {e.Deadline, w.Deadline}, "requested": {e.Requested, w.Requested},
		"extension": {e.Extension, w.Extension}, "confirmation": {e.Confirmation, w.Confirmation},
	} {
		if pair[0] == nil {
			t.setPeriod(name, nil)
			continue
		}
		if pair[1] == nil {
			missing = append(missing, k+name)
			continue
		}
		need(k+name+".words", pair[0].Words, pair[1].Words)
		if name != "extension" { // the letter states the extension without its provision
			need(k+name+".provision", pair[0].Provision, pair[1].Provision)
		}
		need(k+name+".holidays_where", pair[0].HolidaysWhere, pair[1].HolidaysWhere)
	}
	if e.BeforeInForce != nil {
		if w.BeforeInForce == nil {
			missing = append(missing, k+"before_in_force")
		} else {
			need(k+"before_in_force.letter", e.BeforeInForce.Letter, w.BeforeInForce.Letter)
			checkCited(k+"before_in_force.grounds", e.BeforeInForce.Grounds, w.BeforeInForce.Grounds)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, &MissingWordsError{Lang: lang, Regime: regime, Kind: kind, File: file, Fields: missing}
	}
	return t, nil
}

func (t *lawText) setCited(name string, c *templates.Cited) {
	w := &t.RightWords
	*map[string]**templates.Cited{"recipients": &w.Recipients, "verification": &w.Verification, "free": &w.Free,
		"procedure": &w.Procedure, "refusal": &w.Refusal, "representative": &w.Representative,
		"due_scope": &w.DueScope, "timing": &w.Timing}[name] = c
}

func (t *lawText) setPeriod(name string, p *templates.PeriodWords) {
	w := &t.RightWords
	*map[string]**templates.PeriodWords{"deadline": &w.Deadline, "requested": &w.Requested,
		"extension": &w.Extension, "confirmation": &w.Confirmation}[name] = p
}
