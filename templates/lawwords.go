package templates

import (
	"errors"
	"io/fs"

	"github.com/erase-cli/erase/internal/datafile"
)

// LawWords is what a letter under one regime says in one language other
// than English: LANG/laws/ID.yaml. The regime's file holds the facts
// (status, source, periods) and the English words; this file holds only
// the words, in the same shape, so a letter in the language can say every
// sentence the English letter says. A sentence the English letter would
// say and this file lacks makes the letter fail, never fall back to
// English in the middle of a German letter.
type LawWords struct {
	Name      string `yaml:"name"`
	ShortName string `yaml:"short_name"`
	Citation  string `yaml:"citation"`
	Terms     struct {
		Person       string `yaml:"person"`
		Organisation string `yaml:"organisation"`
		Data         string `yaml:"data"`
	} `yaml:"terms"`
	// Authority is the name of the authority the letter says a complaint
	// goes to.
	Authority          string `yaml:"authority,omitempty"`
	AuthorityProvision string `yaml:"authority_provision,omitempty"`
	// Requests are the words of each kind the regime grants, by kind.
	Requests map[string]*RightWords `yaml:"requests"`
}

// RightWords are the words of one kind of request under a regime; each
// field translates the field of the same name in the regime's file.
type RightWords struct {
	Provision      string  `yaml:"provision"`
	Scope          string  `yaml:"scope,omitempty"`
	Grounds        []Cited `yaml:"grounds"`
	Recipients     *Cited  `yaml:"recipients,omitempty"`
	Verification   *Cited  `yaml:"verification,omitempty"`
	Free           *Cited  `yaml:"free,omitempty"`
	Procedure      *Cited  `yaml:"procedure,omitempty"`
	Refusal        *Cited  `yaml:"refusal,omitempty"`
	Representative *Cited  `yaml:"representative,omitempty"`
	DueScope       *Cited  `yaml:"due_scope,omitempty"`
	Timing         *Cited  `yaml:"timing,omitempty"`
	// Deadline is the period as the letter states it; Requested is the
	// period the letter asks for where the law sets none.
	Deadline      *PeriodWords  `yaml:"deadline,omitempty"`
	Requested     *PeriodWords  `yaml:"requested,omitempty"`
	Extension     *PeriodWords  `yaml:"extension,omitempty"`
	Confirmation  *PeriodWords  `yaml:"confirmation,omitempty"`
	BeforeInForce *PendingWords `yaml:"before_in_force,omitempty"`
}

// PendingWords are what a letter says while the law is not yet in force:
// the paragraph in place of "I make this request under ...", and the
// grounds.
type PendingWords struct {
	Letter  string  `yaml:"letter"`
	Grounds []Cited `yaml:"grounds"`
}

// Cited is a sentence of a letter with the provision it cites.
type Cited struct {
	Provision string `yaml:"provision,omitempty"`
	Letter    string `yaml:"letter"`
}

// PeriodWords states a period: "einem Monat nach Eingang" (Words), the
// provision, and whose public holidays may move its end (HolidaysWhere:
// "an Ihrem Ort").
type PeriodWords struct {
	Words         string `yaml:"words"`
	Provision     string `yaml:"provision,omitempty"`
	HolidaysWhere string `yaml:"holidays_where,omitempty"`
}

// LawWords returns a regime's words in a language, or an error that
// errors.Is fs.ErrNotExist where the language has none for it.
func (s *Set) LawWords(lang, regime string) (*LawWords, error) {
	v, err := s.decoded(lang+"/laws/"+regime+".yaml", func(data []byte) (any, error) {
		w := new(LawWords)
		if err := datafile.DecodeStrict(data, w); err != nil {
			return nil, err
		}
		return w, nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fs.ErrNotExist
		}
		return nil, err
	}
	return v.(*LawWords), nil
}
