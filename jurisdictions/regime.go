// Package jurisdictions loads the legal regimes erase knows, picks the one
// that protects a person from where they live, and computes each regime's
// response deadline by its own counting rule.
//
// Every regime is a YAML file in this directory, embedded in the binary and
// overridable from a directory of the same shape. Each fact carries the
// source it was read in and a status (settled, secondary, inferred,
// unconfirmed), so a letter never states an unconfirmed fact as law.
package jurisdictions

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Status says how well a fact is established. Only settled and secondary
// facts may be printed as statements of law; inferred and unconfirmed facts
// are shown as such.
type Status string

// The statuses used in reference/jurisdictions.md.
const (
	Settled     Status = "settled"
	Secondary   Status = "secondary"
	Inferred    Status = "inferred"
	Unconfirmed Status = "unconfirmed"
)

// Certain reports whether a fact with this status may be stated as law.
func (s Status) Certain() bool { return s == Settled || s == Secondary }

// Fact is one statement about a law with where it comes from.
type Fact struct {
	// Provision is the citation as a letter gives it, e.g. "Article 17(1) GDPR".
	Provision string `yaml:"provision,omitempty" json:"provision,omitempty"`
	// Text is the fact in plain words (for `erase laws show`).
	Text   string `yaml:"text,omitempty" json:"text,omitempty"`
	Status Status `yaml:"status" json:"status"`
	Source string `yaml:"source" json:"source"`
}

// Ground is a reason the requester can rely on, written in the first person
// for the letter (Letter), with the provision it comes from.
type Ground struct {
	Provision string `yaml:"provision" json:"provision"`
	Letter    string `yaml:"letter" json:"letter"`
	// Needs names a detail the requester writes (templates/kinds.yaml)
	// without which the letter leaves this ground out: the objection on
	// grounds of the person's situation needs the situation.
	Needs  string `yaml:"needs,omitempty" json:"needs,omitempty"`
	Status Status `yaml:"status" json:"status"`
	Source string `yaml:"source" json:"source"`
}

// Period is a deadline rule: an amount of a unit, counted from receipt.
type Period struct {
	// Unit is calendar_month, calendar_days or business_days; "none" means
	// the law sets no period (then Requested applies).
	Unit   string `yaml:"unit" json:"unit"`
	Amount int    `yaml:"amount,omitempty" json:"amount,omitempty"`
	// Roll says what happens when the last day is not a working day:
	// "next_working_day" (Regulation 1182/71 Art. 3(4)) or "" (no roll).
	Roll string `yaml:"roll,omitempty" json:"roll,omitempty"`
	// NonWorking says which days are not working days, for Roll and for
	// business days; required with Roll.
	NonWorking *NonWorkingDays `yaml:"non_working_days,omitempty" json:"non_working_days,omitempty"`
	// Words is how the letter states the period: "one month of receipt".
	Words string `yaml:"words,omitempty" json:"words,omitempty"`
	Fact  `yaml:",inline"`
}

// Settled reports whether the law itself fixes this period.
func (p Period) Settled() bool { return p.Unit != "" && p.Unit != UnitNone }

// Deadline is the response rule for a kind of request.
type Deadline struct {
	Period `yaml:",inline"`
	// Requested applies where the law sets no period (Unit "none"): the
	// letter asks for an answer within it, as a request, not as law. It is
	// not a legal fact: its source says where the want of a period can be
	// checked and that the period is erase's ("no period in Arts. 47 and 50
	// PIPL: erase asks for a reply within 30 days").
	Requested *Period `yaml:"requested,omitempty" json:"requested,omitempty"`
	// Reason says why there is no legal period, for JSON and `laws show`.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// Authority is where a person complains when the company does not comply.
type Authority struct {
	Name string `yaml:"name" json:"name"`
	URL  string `yaml:"url,omitempty" json:"url,omitempty"`
	Fact `yaml:",inline"`
}

// Coverage lists where a regime applies: ISO 3166-1 alpha-2 countries and
// ISO 3166-2 subdivisions (US-CA, CA-QC). A subdivision entry wins over the
// country entry of its country.
type Coverage struct {
	Countries []string `yaml:"countries,omitempty" json:"countries,omitempty"`
	Regions   []string `yaml:"regions,omitempty" json:"regions,omitempty"`
	// Excludes names subdivisions of a covered country where the law does
	// not apply (the PIPL in Hong Kong and Macao), with the reason.
	Excludes []Exclusion `yaml:"excludes,omitempty" json:"excludes,omitempty"`
}

// Exclusion is a subdivision of a covered country where the regime does not
// apply. Text says why, as a sentence for a hint.
type Exclusion struct {
	// Region is the ISO 3166-2 code, e.g. CN-HK.
	Region string `yaml:"region" json:"region"`
	Fact   `yaml:",inline"`
}

// Right is what the regime gives a person for one kind of request
// (erasure, access, rectification, objection, opt-out, or any kind the
// templates define): the provision, the points the letter makes under it,
// and the rules for answering it. A kind the law does not grant is absent
// from Regime.Requests.
type Right struct {
	// Scope is what the right covers, as the object of the letter's
	// request, in the statute's own words: "the personal information about
	// me that you have collected from me" (CCPA § 1798.105(a)), "the
	// personal data that I provided to you" (Utah § 13-61-201(2)).
	Scope string `yaml:"scope,omitempty" json:"scope,omitempty"`
	// NoRight is the finding, with its own status, that the law grants no
	// such right as such (no erasure right in PIPEDA, Singapore's or
	// Australia's law): the letter then relies on the Grounds the law does
	// give. `erase laws show` prints it; a letter never does, since it
	// would only invite a refusal.
	NoRight *Fact `yaml:"no_right,omitempty" json:"no_right,omitempty"`
	// Explanation says, for `erase laws show`, what letters rely on
	// instead where NoRight is set.
	Explanation string `yaml:"explanation,omitempty" json:"explanation,omitempty"`
	Fact        `yaml:",inline"`
	// Grounds are the points the letter makes under the right, each with
	// its provision: for erasure the grounds relied on, for access what
	// the person asks to be told, for an opt-out what they opt out of.
	Grounds []Ground `yaml:"grounds" json:"grounds"`
	// Recipients is the duty to pass the request on to recipients,
	// service providers or third parties, where the law has one.
	Recipients *Ground `yaml:"recipients,omitempty" json:"recipients,omitempty"`
	// Verification is what the law says about checking identity.
	Verification *Ground `yaml:"verification,omitempty" json:"verification,omitempty"`
	// Free is the rule that answering costs the requester nothing.
	Free *Ground `yaml:"free,omitempty" json:"free,omitempty"`
	// Procedure is what the law asks of the application itself: a form,
	// identity details, a prior request (KVKK's Communiqué, POPIA's Form 2,
	// PIPA's Art. 35 access). The letter gives what it can and says how the
	// rest is supplied.
	Procedure *Procedure `yaml:"procedure,omitempty" json:"procedure,omitempty"`
	// Refusal is what the company must do if it does not act on the
	// request (GDPR Art. 12(4): say why, and how to complain, in time).
	Refusal *Ground `yaml:"refusal,omitempty" json:"refusal,omitempty"`
	// Representative asks a company established outside the law's
	// territory for the representative it must designate there (GDPR
	// Art. 27). It is worded conditionally, since the directory does not
	// record where a company is established.
	Representative *Ground `yaml:"representative,omitempty" json:"representative,omitempty"`
	// DueScope names, as the object of "You must respond to ...", the part
	// of the request the legal period covers, where it covers only a part
	// (PIPEDA s. 8(3): requests under clause 4.9). The letter then asks,
	// as a request, for the whole to be done by the same date.
	DueScope *Ground `yaml:"due_scope,omitempty" json:"due_scope,omitempty"`
	// Timing is the letter's sentence on when the law wants an answer,
	// where it fixes no number of days but a standard of its own (POPIA's
	// "as soon as reasonably practicable"). A law whose want of a period
	// is only inferred or unconfirmed has none: the letter then asks for
	// a reply by the requested date, as a request.
	Timing *Ground `yaml:"timing,omitempty" json:"timing,omitempty"`
	// Exceptions summarises what the company may keep (for `laws show`).
	Exceptions *Fact `yaml:"exceptions,omitempty" json:"exceptions,omitempty"`

	// Deadline is the rule for answering this kind of request.
	Deadline Deadline `yaml:"deadline" json:"deadline"`
	// Extension is by how much the company may extend Deadline, saying so
	// within it; nil where the law allows none.
	Extension *Period `yaml:"extension,omitempty" json:"extension,omitempty"`
	// Confirmation is the period for confirming receipt, where the law
	// has one (CCPA: 10 business days).
	Confirmation *Period `yaml:"confirmation,omitempty" json:"confirmation,omitempty"`
	// BeforeInForce is what the letter says and relies on while the
	// regime's provisions are not yet in force (Regime.InForce); required
	// for every kind of a regime that has an in-force date.
	BeforeInForce *Pending `yaml:"before_in_force,omitempty" json:"before_in_force,omitempty"`
}

// AsSuch reports whether the law grants the right as such; false where the
// letter relies on other provisions (NoRight).
func (rt *Right) AsSuch() bool { return rt.NoRight == nil }

// Procedure is a formality of the application. Requires names requester
// fields the letter must carry (address, phone); the Ground's letter is the
// paragraph on the rest.
type Procedure struct {
	Requires []string `yaml:"requires,omitempty" json:"requires,omitempty"`
	Ground   `yaml:",inline"`
}

// Requester fields a regime's procedure may require.
var ProcedureFields = []string{"address", "phone"}

// Regime is one legal regime, decoded from one YAML file.
type Regime struct {
	ID        string   `yaml:"id" json:"id"`
	Aliases   []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	ShortName string   `yaml:"short_name" json:"short_name"`
	Name      string   `yaml:"name" json:"name"`
	// Family picks the letter variant: gdpr, us-state or other.
	Family string `yaml:"family" json:"family"`
	// Citation is the law's formal citation, for the letter's opening.
	Citation Fact `yaml:"citation" json:"citation"`
	// Terms are the law's own words for the two parties and for what a
	// letter asks to have deleted ("personal data" in the GDPR and most US
	// state laws, "personal information" in the CCPA and PIPEDA).
	Terms struct {
		Person       string `yaml:"person" json:"person"`
		Organisation string `yaml:"organisation" json:"organisation"`
		Data         string `yaml:"data" json:"data"`
	} `yaml:"terms" json:"terms"`
	Covers Coverage `yaml:"covers" json:"covers"`
	// Language is the language of letters under the regime where neither
	// the requester nor the company says one (ISO 639-1: en, de); "" is
	// English.
	Language string `yaml:"language,omitempty" json:"language,omitempty"`
	// Paper is the usual paper size where the regime applies: a4 or letter.
	Paper string `yaml:"paper" json:"paper"`
	// Requests are the kinds of request the law grants, by kind id
	// ("erasure", "access", ...). Every regime grants erasure or says what
	// a letter asking for it relies on instead.
	Requests  map[string]*Right `yaml:"requests" json:"requests"`
	Authority *Authority        `yaml:"authority,omitempty" json:"authority,omitempty"`
	// InForce is when the provisions a letter relies on take effect, where
	// that is still to come (India's DPDP Act, ss. 3 to 17).
	InForce *InForce `yaml:"in_force,omitempty" json:"in_force,omitempty"`
	// Notes are caveats shown by `erase laws show` (unconfirmed facts live
	// here, marked as such, never in a letter).
	Notes []Fact `yaml:"notes,omitempty" json:"notes,omitempty"`

	// The layout of erase 0.2's regime files, read so that a user's
	// override in that layout still works: erasure (with right: and
	// in_force.before) and the top-level deadline, extension and
	// confirmation are now requests.erasure's. upgrade moves them there.
	OldErasure      *oldErasure `yaml:"erasure,omitempty" json:"-"`
	OldDeadline     *Deadline   `yaml:"deadline,omitempty" json:"-"`
	OldExtension    *Period     `yaml:"extension,omitempty" json:"-"`
	OldConfirmation *Period     `yaml:"confirmation,omitempty" json:"-"`
}

type oldErasure struct {
	Right bool `yaml:"right"`
	// Right's own deadline keys are not in the old erasure block.
	Rest Right `yaml:",inline"`
}

// InForce dates the provisions a letter relies on. Before Date, a letter
// says nothing is owed yet: it neither says the company must act nor
// offers a complaint, and uses each right's BeforeInForce paragraph and
// grounds instead.
type InForce struct {
	// Date (YYYY-MM-DD) is the first day letters treat the provisions as
	// in force; where sources differ by a day, the later one.
	Date string `yaml:"date" json:"date"`
	Fact `yaml:",inline"`
	// OldBefore is erase 0.2's place for the erasure letter's
	// BeforeInForce.
	OldBefore *Pending `yaml:"before,omitempty" json:"-"`
}

// Pending is what a letter says before the provisions are in force.
type Pending struct {
	// Letter is the paragraph that follows the request, in place of
	// "I make this request under ...".
	Letter  string   `yaml:"letter" json:"letter"`
	Grounds []Ground `yaml:"grounds" json:"grounds"`
}

// Due is a regime's answer to "by when must the company reply".
type Due struct {
	// Date is the legal due date, nil where the law sets none.
	Date *time.Time
	// Requested is the date the letter asks for where the law sets none.
	Requested *time.Time
	// Reason explains a nil Date.
	Reason string
	// Period is the rule that produced Date or Requested.
	Period Period
	// NextWorkingDay is true where the law moves a last day that falls on
	// a public holiday to the next working day and erase does not know
	// every such holiday (movable feasts, days a government appoints,
	// holidays of one state or province). Date has been moved past the
	// weekends and the fixed holidays erase knows, but may be later still:
	// the letter should add "or the next working day if that day is a
	// public holiday" and HolidaysWhere. Period.NonWorking cites the rule.
	NextWorkingDay bool
	// HolidaysWhere is whose holidays count, for that sentence: "where you
	// are", "in California"; "" unless NextWorkingDay.
	HolidaysWhere string
}

// DueFrom computes the reply deadline for a request received on received.
func (r *Right) DueFrom(received time.Time) Due {
	d := Due{Period: r.Deadline.Period}
	if r.Deadline.Settled() {
		t := r.Deadline.Period.AddTo(received)
		d.Date = &t
		if d.NextWorkingDay = r.Deadline.MayEndLater(); d.NextWorkingDay {
			d.HolidaysWhere = r.Deadline.NonWorking.Where
		}
		return d
	}
	d.Reason = r.Deadline.Reason
	if r.Deadline.Requested != nil {
		t := r.Deadline.Requested.AddTo(received)
		d.Requested = &t
		d.Period = *r.Deadline.Requested
	}
	return d
}

// ConfirmBy is the date by which the company must confirm receipt, if the
// regime has such a rule (CCPA: 10 business days).
func (r *Right) ConfirmBy(received time.Time) *time.Time {
	if r.Confirmation == nil || !r.Confirmation.Settled() {
		return nil
	}
	t := r.Confirmation.AddTo(received)
	return &t
}

// Extended moves a due date by the regime's extension, counted from the
// original receipt as the ICO and Regulation 1182/71 do, and rolled by the
// deadline's own rule. It reports false where the regime has no extension.
func (r *Right) Extended(received time.Time) (time.Time, bool) {
	if r.Extension == nil || !r.Extension.Settled() || !r.Deadline.Settled() {
		return time.Time{}, false
	}
	total := r.Deadline.Period
	if r.Extension.Unit == total.Unit {
		total.Amount += r.Extension.Amount
		return total.AddTo(received), true
	}
	// Different units: the extension runs from the unrolled end of the
	// first period.
	ext := *r.Extension
	ext.Roll, ext.NonWorking = total.Roll, total.NonWorking
	return ext.AddTo(total.count(received)), true
}

// KindErasure is the kind every regime has: the request to delete.
const KindErasure = "erasure"

// Kinds returns the kinds of request the regime grants, sorted.
func (r *Regime) Kinds() []string {
	kinds := make([]string, 0, len(r.Requests))
	for k := range r.Requests {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// Right returns what the regime grants for a kind of request, or a
// *NotGrantedError naming the kinds it does grant.
func (r *Regime) Right(kind string) (*Right, error) {
	if rt, ok := r.Requests[kind]; ok && rt != nil {
		return rt, nil
	}
	return nil, &NotGrantedError{Regime: r.ID, ShortName: r.ShortName, Kind: kind, Granted: r.Kinds()}
}

// NotGrantedError says a regime grants no right for a kind of request.
type NotGrantedError struct {
	Regime, ShortName, Kind string
	// Granted are the kinds it does grant.
	Granted []string
}

func (e *NotGrantedError) Error() string {
	return fmt.Sprintf("the %s grants no %s request (it grants: %s)", e.ShortName, e.Kind, strings.Join(e.Granted, ", "))
}

// upgrade moves the keys of erase 0.2's layout into requests.erasure.
func (r *Regime) upgrade() error {
	old := r.OldErasure != nil || r.OldDeadline != nil || r.OldExtension != nil || r.OldConfirmation != nil ||
		(r.InForce != nil && r.InForce.OldBefore != nil)
	if !old {
		return nil
	}
	if r.Requests[KindErasure] != nil {
		return fmt.Errorf("erasure, deadline, extension, confirmation and in_force.before are erase 0.2's keys: move them under requests.erasure, which this file already has")
	}
	rt := new(Right)
	if e := r.OldErasure; e != nil {
		*rt = e.Rest
		if e.Right && rt.NoRight != nil {
			return fmt.Errorf("erasure.no_right only applies where right is false")
		}
	}
	if r.OldDeadline != nil {
		rt.Deadline = *r.OldDeadline
	}
	rt.Extension, rt.Confirmation = r.OldExtension, r.OldConfirmation
	if r.InForce != nil {
		rt.BeforeInForce, r.InForce.OldBefore = r.InForce.OldBefore, nil
	}
	if r.Requests == nil {
		r.Requests = map[string]*Right{}
	}
	r.Requests[KindErasure] = rt
	r.OldErasure, r.OldDeadline, r.OldExtension, r.OldConfirmation = nil, nil, nil, nil
	return nil
}
