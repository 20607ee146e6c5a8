package pages

import "github.com/coventry-cap/capportal/web/components"

// RegistersView is a provider's registers for a day: the morning and the afternoon, taken or not.
type RegistersView struct {
	Heading string
	// ProviderOptions let CAP's staff (and staff of several providers) pick the provider; nil otherwise.
	ProviderOptions              []components.Option
	Provider                     string // the provider's ID, kept by the date form
	Day                          string // "Monday 23 November 2026"
	Date                         string // the day as 2026-11-23, kept by the provider form
	DateDay, DateMonth, DateYear string
	DateParts                    []string
	Errors                       components.Errors
	Closed                       string // why no register is taken that day
	Sessions                     []RegisterSessionRow
	PrevHref, NextHref           string
	PrevText, NextText           string
}

// RegisterSessionRow is one session's register on the day.
type RegisterSessionRow struct {
	Session  string // "Morning"
	Href     string
	Learners string // "12 learners expected"
	Status   string
	Colour   string
	Taken    string // "By Craig Holloway on 23 November 2026 at 9:12am"
}

// RegisterView is one register: the marks once taken, and the form for every learner not yet marked.
type RegisterView struct {
	Caption, Heading string
	Back             string
	Action           string
	// Closed says why no register is taken (not a school day, a day to come); nothing else shows.
	Closed string
	// Taken says who took it and when; empty before it is taken.
	Taken  string
	Marked []MarkRow
	// Learners are the learners to mark, each with what was chosen or typed.
	Learners []RegisterLearner
	// AllPresentHref fills every learner in as present, to change the few who were not.
	AllPresentHref string
	AllPresent     bool
	Errors         components.Errors
	None           string // said when nobody is expected
}

// RegisterLearner is a learner's mark on the form: the radios (Present, Late, Absent, No session)
// with what each reveals, and what was chosen or typed.
type RegisterLearner struct {
	ID     string // the placement's ID: the fields are mark-ID, late-ID, reason-ID, note-ID, nosession-ID
	Legend string // the learner's name, or "New mark"
	Hint   string
	Mark   string
	Late   string
	Reason string
	Note   string
	// NoSession is why there was no session.
	NoSession string
	Reasons   []components.Option
}

// Field names of the learner's mark.
func (l RegisterLearner) MarkName() string      { return "mark-" + l.ID }
func (l RegisterLearner) LateName() string      { return "late-" + l.ID }
func (l RegisterLearner) ReasonName() string    { return "reason-" + l.ID }
func (l RegisterLearner) NoteName() string      { return "note-" + l.ID }
func (l RegisterLearner) NoSessionName() string { return "nosession-" + l.ID }

// MarkChoice is one of the four marks, with the id of what it reveals.
type MarkChoice struct {
	ID, Value, Label string
	Checked          bool
	Reveals          string // the id of the conditional content, empty for Present
}

// Choices are the four marks in the register's order; the first radio's id is the field's name, so
// the error summary can link to it.
func (l RegisterLearner) Choices() []MarkChoice {
	defs := []struct{ value, label string }{{"present", "Present"}, {"late", "Late"}, {"absent", "Absent"}, {"no_session", "No session"}}
	out := make([]MarkChoice, len(defs))
	for i, d := range defs {
		id := l.MarkName()
		if i > 0 {
			id += "-" + string(rune('1'+i))
		}
		c := MarkChoice{ID: id, Value: d.value, Label: d.label, Checked: l.Mark == d.value}
		if i > 0 {
			c.Reveals = "conditional-" + id
		}
		out[i] = c
	}
	return out
}

// MarkCorrectView is the form that corrects a recorded mark, with the mark's history.
type MarkCorrectView struct {
	Caption, Heading string
	Back, Action     string
	Current          []components.SummaryRow
	History          []MarkChangeRow
	Learner          RegisterLearner
	Why              string
	Errors           components.Errors
}

// ifID is id when cond holds, for aria-describedby.
func ifID(cond bool, id string) string {
	if cond {
		return id
	}
	return ""
}

// joinIDs joins the non-empty ids with spaces.
func joinIDs(ids ...string) string {
	out := ""
	for _, id := range ids {
		if id == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += id
	}
	return out
}
