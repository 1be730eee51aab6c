package jurisdictions

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Families of letter texts; templates are chosen by family.
var families = map[string]bool{"gdpr": true, "us-state": true, "other": true}

// validate checks one regime for the facts a letter needs and for facts
// whose status forbids the use they are put to. Errors name the key.
func (r *Regime) validate(places *Places) error {
	if err := r.upgrade(); err != nil {
		return err
	}
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if !idPattern.MatchString(r.ID) {
		bad("id", "%q must be lower case letters, digits and dashes", r.ID)
	}
	for _, a := range r.Aliases {
		if !idPattern.MatchString(a) {
			bad("aliases", "%q must be lower case letters, digits and dashes", a)
		}
	}
	if r.ShortName == "" {
		bad("short_name", "is required")
	}
	if r.Name == "" {
		bad("name", "is required")
	}
	if !families[r.Family] {
		bad("family", "%q is not one of gdpr, us-state, other", r.Family)
	}
	if r.Paper != "a4" && r.Paper != "letter" {
		bad("paper", "%q is not a4 or letter", r.Paper)
	}
	if r.Terms.Person == "" || r.Terms.Organisation == "" || r.Terms.Data == "" {
		bad("terms", "person, organisation and data are required")
	}
	checkFact(bad, "citation", r.Citation, true)
	if len(r.Covers.Countries)+len(r.Covers.Regions) == 0 {
		bad("covers", "names no country or region")
	}
	for _, cc := range r.Covers.Countries {
		if _, ok := places.Countries[cc]; !ok {
			bad("covers.countries", "%q is not an ISO 3166-1 alpha-2 code", cc)
		}
	}
	for _, sub := range r.Covers.Regions {
		cc, _, _ := strings.Cut(sub, "-")
		if _, ok := places.Subdivisions[cc].Codes[sub]; !ok {
			if _, known := places.Countries[cc]; !known || places.hasSubdivisions(cc) {
				bad("covers.regions", "%q is not a known ISO 3166-2 code", sub)
			}
		}
	}
	for i, x := range r.Covers.Excludes {
		key := fmt.Sprintf("covers.excludes[%d]", i)
		cc, _, _ := strings.Cut(x.Region, "-")
		if !slices.Contains(r.Covers.Countries, cc) || len(x.Region) <= len(cc)+1 {
			bad(key+".region", "%q is not a subdivision of a country in covers.countries", x.Region)
		}
		if x.Text == "" {
			bad(key+".text", "is required: say why the law does not apply there")
		}
		checkFact(bad, key, x.Fact, true)
		if !x.Status.Certain() {
			bad(key+".status", "is %q: erase states the exclusion as law, so it must be settled or secondary", x.Status)
		}
	}
	if r.Requests[KindErasure] == nil {
		bad("requests.erasure", "is required: every regime says what an erasure letter relies on")
	}
	for _, kind := range r.Kinds() {
		key := "requests." + kind
		if !idPattern.MatchString(kind) {
			bad(key, "%q is not a kind id: lower case letters, digits and dashes", kind)
		}
		rt := r.Requests[kind]
		if rt == nil {
			bad(key, "is empty")
			continue
		}
		r.validateRight(bad, key, kind, rt)
	}
	if r.Authority != nil {
		if r.Authority.Name == "" {
			bad("authority.name", "is required")
		}
		checkFact(bad, "authority", r.Authority.Fact, false)
	}
	if f := r.InForce; f != nil {
		if _, err := time.Parse(time.DateOnly, f.Date); err != nil {
			bad("in_force.date", "%q is not a date (YYYY-MM-DD)", f.Date)
		}
		checkFact(bad, "in_force", f.Fact, true)
	}
	for i, n := range r.Notes {
		checkFact(bad, fmt.Sprintf("notes[%d]", i), n, false)
		if n.Text == "" {
			bad(fmt.Sprintf("notes[%d].text", i), "is required")
		}
	}
	return errors.Join(errs...)
}

func (r *Regime) validateRight(bad func(key, format string, args ...any), key, kind string, e *Right) {
	checkFact(bad, key, e.Fact, true)
	if r.Family == "us-state" && e.Scope == "" && kind == KindErasure {
		bad(key+".scope", "is required for a us-state regime: what the right covers, in the statute's words, as the object of \"delete ...\"")
	}
	if e.NoRight != nil {
		if e.NoRight.Text == "" {
			bad(key+".no_right.text", "is required: the finding that the law grants no such right as such (shown by erase laws show, never in a letter)")
		}
		checkFact(bad, key+".no_right", *e.NoRight, false)
		if e.Explanation == "" {
			bad(key+".explanation", "is required with no_right: say what the letter relies on instead")
		}
	} else if e.Explanation != "" {
		bad(key+".explanation", "only applies with no_right")
	}
	if len(e.Grounds) == 0 {
		bad(key+".grounds", "at least one ground is required")
	}
	for i, g := range e.Grounds {
		checkGround(bad, fmt.Sprintf("%s.grounds[%d]", key, i), &g)
	}
	if p := e.Procedure; p != nil {
		checkGround(bad, key+".procedure", &p.Ground)
		for _, f := range p.Requires {
			if !slices.Contains(ProcedureFields, f) {
				bad(key+".procedure.requires", "%q is not one of %s", f, strings.Join(ProcedureFields, ", "))
			}
		}
	}
	if e.DueScope != nil && !e.Deadline.Settled() {
		bad(key+".due_scope", "only applies where the law sets a period")
	}
	if e.Timing != nil && e.Deadline.Settled() {
		bad(key+".timing", "only applies where the law sets no period (deadline unit none)")
	}
	for name, g := range map[string]*Ground{"recipients": e.Recipients, "verification": e.Verification, "free": e.Free, "timing": e.Timing,
		"refusal": e.Refusal, "representative": e.Representative, "due_scope": e.DueScope} {
		if g != nil {
			checkGround(bad, key+"."+name, g)
		}
	}
	if e.Exceptions != nil {
		checkFact(bad, key+".exceptions", *e.Exceptions, false)
	}
	validateDeadline(bad, key+".deadline", e.Deadline)
	if e.Extension != nil {
		checkPeriod(bad, key+".extension", *e.Extension)
	}
	if e.Confirmation != nil {
		checkPeriod(bad, key+".confirmation", *e.Confirmation)
	}
	switch b := e.BeforeInForce; {
	case b == nil && r.InForce != nil:
		bad(key+".before_in_force", "is required where the regime has in_force: what the letter says before the provisions are in force")
	case b != nil && r.InForce == nil:
		bad(key+".before_in_force", "only applies where the regime has in_force")
	case b != nil:
		if b.Letter == "" {
			bad(key+".before_in_force.letter", "is required: what the letter says before the provisions are in force")
		}
		if len(b.Grounds) == 0 {
			bad(key+".before_in_force.grounds", "at least one ground is required")
		}
		for i, g := range b.Grounds {
			checkGround(bad, fmt.Sprintf("%s.before_in_force.grounds[%d]", key, i), &g)
		}
	}
}

func validateDeadline(bad func(key, format string, args ...any), key string, d Deadline) {
	if d.Unit == UnitNone || d.Unit == "" {
		if d.Reason == "" {
			bad(key+".reason", "is required where the law sets no period")
		}
		if d.Requested == nil {
			bad(key+".requested", "is required where the law sets no period: the letter asks for a reasonable time")
		} else {
			checkPeriod(bad, key+".requested", *d.Requested)
		}
		if d.Status == "" || d.Source == "" {
			bad(key, "status and source are required (say where the absence of a period was read)")
		}
		return
	}
	checkPeriod(bad, key, d.Period)
	if !d.Status.Certain() {
		bad(key+".status", "is %q: a deadline the letter states as law must be settled or secondary; use unit none with a requested period instead", d.Status)
	}
	if d.Requested != nil {
		bad(key+".requested", "only applies where the unit is none")
	}
}

func checkPeriod(bad func(key, format string, args ...any), key string, p Period) {
	switch p.Unit {
	case UnitMonth, UnitDays, UnitBusinessDays:
		if p.Amount <= 0 {
			bad(key+".amount", "must be positive")
		}
	default:
		bad(key+".unit", "%q is not calendar_month, calendar_days or business_days", p.Unit)
	}
	if p.Roll != "" && p.Roll != RollNextWorkingDay {
		bad(key+".roll", "%q is not %s", p.Roll, RollNextWorkingDay)
	}
	switch {
	case p.Roll != "" && p.NonWorking == nil:
		bad(key+".non_working_days", "is required with roll: say which days are not working days and where the law says so")
	case p.NonWorking != nil && p.Roll == "" && p.Unit != UnitBusinessDays:
		bad(key+".non_working_days", "only applies with roll or business days")
	case p.NonWorking != nil:
		checkNonWorking(bad, key+".non_working_days", p.NonWorking)
	}
	if p.Words == "" {
		bad(key+".words", "is required: how the letter states the period")
	}
	checkFact(bad, key, p.Fact, false)
}

// checkGround requires the letter text and that only a fact stated with
// enough certainty reaches a letter.
func checkGround(bad func(key, format string, args ...any), key string, g *Ground) {
	if g.Letter == "" {
		bad(key+".letter", "is required")
	}
	if strings.Contains(g.Letter, "{{") {
		bad(key+".letter", "must be plain text, not a template")
	}
	checkFact(bad, key, Fact{Provision: g.Provision, Status: g.Status, Source: g.Source}, true)
	if !g.Status.Certain() {
		bad(key+".status", "is %q: only settled or secondary facts may be cited in a letter", g.Status)
	}
}

func checkFact(bad func(key, format string, args ...any), key string, f Fact, needProvision bool) {
	switch f.Status {
	case Settled, Secondary, Inferred, Unconfirmed:
	case "":
		bad(key+".status", "is required")
	default:
		bad(key+".status", "%q is not settled, secondary, inferred or unconfirmed", f.Status)
	}
	if f.Source == "" {
		bad(key+".source", "is required")
	}
	if needProvision && f.Provision == "" {
		bad(key+".provision", "is required")
	}
}

var weekdayNames = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// checkNonWorking checks a rule for days that are not working days: it
// moves a date the letter states as law, so its facts must be certain.
func checkNonWorking(bad func(key, format string, args ...any), key string, n *NonWorkingDays) {
	if len(n.Weekdays) == 0 {
		bad(key+".weekdays", "is required: the days of the week that are never working days")
	}
	for _, w := range append(slices.Clone(n.Weekdays), n.RollPast...) {
		if !slices.Contains(weekdayNames, w) {
			bad(key+".weekdays", "%q is not a day of the week in lower case (monday ... sunday)", w)
		}
	}
	checkFact(bad, key, n.Fact, true)
	if !n.Status.Certain() {
		bad(key+".status", "is %q: the rule moves a date stated as law, so it must be settled or secondary", n.Status)
	}
	if n.OtherHolidays && n.Where == "" {
		bad(key+".where", "is required with other_holidays: whose holidays count, as the letter says it (\"where you are\", \"in California\")")
	}
	if h := n.Holidays; h != nil {
		for _, d := range h.Dates {
			if t, err := time.Parse(monthDay, d); err != nil || t.Format(monthDay) != d {
				bad(key+".holidays.dates", "%q is not a month and day, MM-DD", d)
			}
		}
		for _, d := range h.SundayToMonday {
			if !slices.Contains(h.Dates, d) {
				bad(key+".holidays.sunday_to_monday", "%q is not in dates", d)
			}
		}
		checkFact(bad, key+".holidays", h.Fact, false)
		if !h.Status.Certain() {
			bad(key+".holidays.status", "is %q: a holiday moves a date stated as law, so it must be settled or secondary", h.Status)
		}
	}
}
