package templates

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/erase-cli/erase/internal/datafile"
)

// Words is what a language says outside the letter's templates: how it
// writes a date, the labels of the letter's parts and of account fields.
// It is LANG/words.yaml.
type Words struct {
	// Name is the language's name in English, for messages: "German".
	Name string `yaml:"name"`
	// Date is the long date, with {day}, {month} and {year}:
	// "{day} {month} {year}", "{day}. {month} {year}".
	Date string `yaml:"date"`
	// Months are the twelve month names, January first.
	Months []string `yaml:"months"`
	// DayOne is how {day} is written for the first of the month where
	// the language uses an ordinal there ("1er" in French, "1º" in
	// Italian and Brazilian Portuguese); "" writes "1".
	DayOne string `yaml:"day_one,omitempty"`
	Labels Labels `yaml:"labels"`
	// Accounts label account keys ("user-id": "User ID"); a key not
	// listed is written as words with capitals.
	Accounts map[string]string `yaml:"accounts"`
	// Kinds name each kind of request as a follow-up letter refers to it
	// ("request for erasure", "Antrag auf Löschung").
	Kinds map[string]string `yaml:"kinds"`
	// Opening and Closing are the salutation and the complimentary close.
	Opening string `yaml:"opening"`
	Closing string `yaml:"closing"`
	// ByPaper overrides what letters write where the law's place uses
	// other paper (a regime's paper, not a --paper flag): English under
	// a law of the US or Canada, "letter", writes "December 1, 2026" and
	// closes "Sincerely,".
	ByPaper map[string]Variant `yaml:"by_paper,omitempty"`
}

// Variant is what the place of a law changes in a language's words.
type Variant struct {
	Date    string `yaml:"date,omitempty"`
	Closing string `yaml:"closing,omitempty"`
}

// Labels are the fixed words around a letter's texts.
type Labels struct {
	Reference string `yaml:"reference"` // "Reference"
	Subject   string `yaml:"subject"`   // "Subject"
	To        string `yaml:"to"`        // "To" (the addressee line of a group letter)
	// Page is the page number, with {page} and {pages}: "Page {page} of {pages}".
	Page string `yaml:"page"`
	// Colon is what follows a label: ": ", or " : " in French; "" is ": ".
	Colon string `yaml:"colon,omitempty"`
	// Birthdate labels the requester's date of birth among the details
	// that identify them ("Date of birth"), in a letter to a company that
	// requires it. Every embedded language has it; a words file without
	// it still writes letters that carry no date of birth.
	Birthdate string `yaml:"birthdate,omitempty"`
}

// Label writes a label before its value: "Reference: ".
func (l Labels) Label(label string) string {
	if l.Colon == "" {
		return label + ": "
	}
	return label + l.Colon
}

// For returns the words as a letter under a law whose place uses paper
// writes them. This is the one place that decides a letter's date style
// and closing.
func (w Words) For(paper string) Words {
	if v, ok := w.ByPaper[paper]; ok {
		if v.Date != "" {
			w.Date = v.Date
		}
		if v.Closing != "" {
			w.Closing = v.Closing
		}
	}
	return w
}

func (w *Words) validate() error {
	var errs []string
	if w.Name == "" {
		errs = append(errs, "name is required")
	}
	if !strings.Contains(w.Date, "{day}") || !strings.Contains(w.Date, "{month}") || !strings.Contains(w.Date, "{year}") {
		errs = append(errs, fmt.Sprintf("date %q must contain {day}, {month} and {year}", w.Date))
	}
	if strings.TrimSpace(w.Opening) == "" || strings.TrimSpace(w.Closing) == "" {
		errs = append(errs, "opening and closing are required")
	}
	for f, v := range w.ByPaper {
		if f != "a4" && f != "letter" {
			errs = append(errs, fmt.Sprintf("by_paper.%s: want a4 or letter", f))
		}
		if v.Date != "" && (!strings.Contains(v.Date, "{day}") || !strings.Contains(v.Date, "{month}") || !strings.Contains(v.Date, "{year}")) {
			errs = append(errs, fmt.Sprintf("by_paper.%s.date %q must contain {day}, {month} and {year}", f, v.Date))
		}
	}
	if len(w.Months) != 12 {
		errs = append(errs, fmt.Sprintf("months has %d names, want 12", len(w.Months)))
	}
	l := w.Labels
	for k, v := range map[string]string{"reference": l.Reference, "subject": l.Subject, "to": l.To, "page": l.Page} {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, "labels."+k+" is required")
		}
	}
	if !strings.Contains(l.Page, "{page}") || !strings.Contains(l.Page, "{pages}") {
		errs = append(errs, fmt.Sprintf("labels.page %q must contain {page} and {pages}", l.Page))
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Words returns the words of a language, or a *NotFoundError.
func (s *Set) Words(lang string) (*Words, error) {
	v, err := s.decoded(lang+"/words.yaml", func(data []byte) (any, error) {
		w := new(Words)
		if err := datafile.DecodeStrict(data, w); err != nil {
			return nil, err
		}
		return w, w.validate()
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFoundError{Lang: lang, Kind: "", Have: s.Languages()}
	}
	if err != nil {
		return nil, err
	}
	return v.(*Words), nil
}

// Languages lists the languages that have words, sorted.
func (s *Set) Languages() []string {
	seen := map[string]bool{}
	for _, l := range s.layers {
		names, _ := fs.Glob(l, "*/words.yaml")
		for _, n := range names {
			seen[strings.TrimSuffix(n, "/words.yaml")] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Kind is one kind of request erase can write, from kinds.yaml: what it is
// for and what the requester adds to it. Its letters are the templates
// LANG/KIND-FAMILY.tmpl (or LANG/KIND.tmpl); what each law grants for it is
// the regime file's requests.KIND.
type Kind struct {
	ID string `yaml:"-"`
	// Summary says what the request asks for, for help and lists.
	Summary string `yaml:"summary"`
	// Details are what the requester may or must add (--detail NAME=TEXT).
	Details map[string]Detail `yaml:"details,omitempty"`
	// Follows is set for a letter about an earlier request in the ledger
	// (erase letter --request REF): a reminder, a complaint. Its law is
	// the earlier request's: the regime's requests entry of that kind.
	Follows bool `yaml:"follows,omitempty"`
	// To is who a follow-up goes to: "company" (the contact the request
	// went to) or "authority" (the supervisory authority competent for
	// the requester).
	To string `yaml:"to,omitempty"`
	// ReplyDays is the reply period a follow-up asks for, as a request,
	// not as law; 0 for none.
	ReplyDays int `yaml:"reply_days,omitempty"`
}

// Recipients of a follow-up letter.
const (
	ToCompany   = "company"
	ToAuthority = "authority"
)

// Detail is a piece of the request the requester writes themselves: the
// correction a rectification asks for, the situation an objection rests on.
type Detail struct {
	Required bool   `yaml:"required,omitempty"`
	Help     string `yaml:"help"`
}

// Kinds returns every kind, sorted by id: kinds.yaml of each layer, a
// later layer's kind replacing an earlier one's.
func (s *Set) Kinds() ([]*Kind, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kinds != nil {
		return s.kinds, nil
	}
	byID := map[string]*Kind{}
	for _, l := range s.layers {
		data, err := fs.ReadFile(l, "kinds.yaml")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m map[string]*Kind
		if err := datafile.DecodeStrict(data, &m); err != nil {
			return nil, fmt.Errorf("kinds.yaml: %w", err)
		}
		for id, k := range m {
			if k == nil || k.Summary == "" {
				return nil, fmt.Errorf("kinds.yaml: %s.summary is required", id)
			}
			for name, d := range k.Details {
				if d.Help == "" {
					return nil, fmt.Errorf("kinds.yaml: %s.details.%s.help is required", id, name)
				}
			}
			switch {
			case k.Follows && k.To != ToCompany && k.To != ToAuthority:
				return nil, fmt.Errorf("kinds.yaml: %s.to %q: want company or authority for a kind that follows a request", id, k.To)
			case !k.Follows && (k.To != "" || k.ReplyDays != 0):
				return nil, fmt.Errorf("kinds.yaml: %s: to and reply_days only apply with follows: true", id)
			case k.ReplyDays < 0:
				return nil, fmt.Errorf("kinds.yaml: %s.reply_days must not be negative", id)
			}
			k.ID = id
			byID[id] = k
		}
	}
	out := make([]*Kind, 0, len(byID))
	for _, k := range byID {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	s.kinds = out
	return out, nil
}

// Kind returns one kind, or an *UnknownKindError.
func (s *Set) Kind(id string) (*Kind, error) {
	all, err := s.Kinds()
	if err != nil {
		return nil, err
	}
	for _, k := range all {
		if k.ID == id {
			return k, nil
		}
	}
	ids := make([]string, len(all)) // only for the error: Compose asks on every letter
	for i, k := range all {
		ids[i] = k.ID
	}
	return nil, &UnknownKindError{Kind: id, Have: ids}
}

// UnknownKindError: kinds.yaml has no such kind.
type UnknownKindError struct {
	Kind string
	Have []string
}

func (e *UnknownKindError) Error() string {
	return fmt.Sprintf("%q is not a kind of request (have: %s)", e.Kind, strings.Join(e.Have, ", "))
}

// decoded reads and decodes a file once, caching the result.
func (s *Set) decoded(name string, decode func([]byte) (any, error)) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.files[name]; ok {
		return v.v, v.err
	}
	data, err := s.read(name)
	if err != nil {
		return nil, err
	}
	v, err := decode(data)
	if err != nil {
		err = fmt.Errorf("%s: %w", name, err)
	}
	s.files[name] = decodedFile{v, err}
	return v, err
}

type decodedFile struct {
	v   any
	err error
}

// FormatDate writes t as the language's long date.
func (w *Words) FormatDate(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 && w.DayOne != "" {
		day = w.DayOne
	}
	return strings.NewReplacer("{day}", day, "{month}", w.Months[t.Month()-1],
		"{year}", strconv.Itoa(t.Year())).Replace(w.Date)
}

// Page writes the page number: "Page 1 of 2".
func (w *Words) Page(page, pages int) string {
	return strings.NewReplacer("{page}", strconv.Itoa(page), "{pages}", strconv.Itoa(pages)).Replace(w.Labels.Page)
}

// AccountLabel turns an account key into a label: "user-id" → "User ID";
// a key the language does not list is written as words with capitals.
func (w *Words) AccountLabel(key string) string {
	if label, ok := w.Accounts[strings.ToLower(key)]; ok {
		return label
	}
	words := strings.FieldsFunc(key, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, word := range words {
		r, n := utf8.DecodeRuneInString(word) // the first letter, not the first byte
		words[i] = string(unicode.ToUpper(r)) + word[n:]
	}
	return strings.Join(words, " ")
}

// English returns the embedded English words, for letters built without
// a template set.
var English = sync.OnceValue(func() *Words {
	w, err := New(nil, Embedded()).Words("en")
	if err != nil {
		panic("templates: embedded en/words.yaml: " + err.Error())
	}
	return w
})
