// Package safeguarding keeps the safeguarding records of issue 13: each student's chronology of
// concerns (with their actions, MASH referrals, CPOMS references, police involvement and
// corrections), Child Exploitation Indicator Tool records and Force Intelligence Bureau submissions,
// and the Service Lead's LADO reports.
//
// Only safeguarding roles see any of it: a school's DSL their own students', a provider's DSL the
// records their provider made or was told of about learners placed with it (now or before), the CAP
// safeguarding team everything. Anyone else gets db.ErrNotFound for a record that exists exactly as
// for one that does not. Every read is written to the audit log, with no word of what the record
// says. Every table is append-only, in the database too.
package safeguarding

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
)

// Audit actions. Their summaries never carry what a record says.
const (
	ActionChronologyViewed = "safeguarding.chronology_viewed"
	ActionRecordViewed     = "safeguarding.record_viewed"
	ActionListViewed       = "safeguarding.list_viewed"
	ActionRecorded         = "safeguarding.recorded"
	ActionLADOViewed       = "lado.viewed"
	ActionLADORecorded     = "lado.recorded"
)

// AuditPrefixes are the audit actions of this package: a view or a record of a view is itself a sign
// that a record exists, so the audit search hides them from those who may not see the records.
const (
	AuditPrefix     = "safeguarding."
	LADOAuditPrefix = "lado."
)

// KindConcernRaised is the notification kind of a new concern.
const KindConcernRaised = "safeguarding.concern_raised"

// Kind is what an entry in the chronology is.
type Kind string

// The kinds of entry. Concern, CETool and FIB are records of their own; the rest are added to one.
const (
	Concern    Kind = "concern"
	CETool     Kind = "ce_tool"
	FIB        Kind = "fib"
	Update     Kind = "update"
	MASH       Kind = "mash"
	CPOMS      Kind = "cpoms"
	Police     Kind = "police"
	Correction Kind = "correction"
)

// IsRecord reports whether the kind is a record of its own rather than something added to one.
func (k Kind) IsRecord() bool { return k == Concern || k == CETool || k == FIB }

// Valid reports whether the kind is known.
func (k Kind) Valid() bool {
	return slices.Contains([]Kind{Concern, CETool, FIB, Update, MASH, CPOMS, Police, Correction}, k)
}

// Label names the kind in a heading.
func (k Kind) Label() string {
	switch k {
	case Concern:
		return "Safeguarding concern"
	case CETool:
		return "Child Exploitation Indicator Tool"
	case FIB:
		return "Force Intelligence Bureau submission"
	case Update:
		return "Action or update"
	case MASH:
		return "MASH referral"
	case CPOMS:
		return "CPOMS reference"
	case Police:
		return "Police involvement"
	case Correction:
		return "Correction"
	}
	return string(k)
}

// Safeguarders are the roles that may see any safeguarding record (each further scoped).
var Safeguarders = []auth.Role{auth.SchoolDSL, auth.ProviderDSL, auth.CAPDSL}

// IsSafeguarder reports whether the person holds a safeguarding role.
func IsSafeguarder(p *auth.Principal) bool { return p.HasAny(Safeguarders...) }

// ReadsLADO reports whether the person may see LADO reports: the CAP Service Lead only.
func ReadsLADO(p *auth.Principal) bool { return p.Has(auth.ServiceLead) }

// Actor is the signed-in person asking, and the request ID for the audit log.
type Actor struct {
	Principal *auth.Principal
	RequestID string
}

func (a Actor) userID() *int64 {
	if a.Principal == nil {
		return nil
	}
	return &a.Principal.UserID
}

func (a Actor) email() string {
	if a.Principal == nil {
		return ""
	}
	return a.Principal.Email
}

// scope is what a principal's roles open: every student (CAP's team), the students of some schools
// (their DSL), the learners placed with some providers (their DSL; only what the provider was told of).
type scope struct {
	All       bool
	Schools   []int64
	Providers []int64
}

func scopeOf(p *auth.Principal) scope {
	var s scope
	if p == nil {
		return s
	}
	s.All = p.Has(auth.CAPDSL)
	s.Schools = p.OrgIDsWith(auth.SchoolDSL)
	s.Providers = p.OrgIDsWith(auth.ProviderDSL)
	if s.Schools == nil {
		s.Schools = []int64{}
	}
	if s.Providers == nil {
		s.Providers = []int64{}
	}
	return s
}

func (s scope) none() bool { return !s.All && len(s.Schools) == 0 && len(s.Providers) == 0 }

// Body is what an entry records; which fields a kind uses is in its Problems.
type Body struct {
	// A concern.
	Summary         string        `json:"summary,omitempty"`
	HappenedOn      calendar.Date `json:"happened_on,omitzero"`
	HappenedAt      string        `json:"happened_at,omitempty"` // the time, as typed
	Where           string        `json:"where,omitempty"`
	RaisedBy        string        `json:"raised_by,omitempty"` // who raised it: name and role
	Others          string        `json:"others,omitempty"`
	ChildWords      string        `json:"child_words,omitempty"`
	ImmediateAction string        `json:"immediate_action,omitempty"`
	Decisions       string        `json:"decisions,omitempty"` // decisions made and the reasons for them
	WhoTold         string        `json:"who_told,omitempty"`  // who was told and when
	Outcome         string        `json:"outcome,omitempty"`

	// An action or update, police involvement, a correction: what was done or found.
	Text string `json:"text,omitempty"`
	// A MASH referral, police involvement, an FIB submission: who and when.
	MadeBy string        `json:"made_by,omitempty"`
	MadeOn calendar.Date `json:"made_on,omitzero"`
	// A MASH, CPOMS or police reference.
	Reference string `json:"reference,omitempty"`
	// A correction: why.
	Reason string `json:"reason,omitempty"`

	// A Child Exploitation Indicator Tool record: the indicators seen, each with its evidence.
	Indicators []Indicator `json:"indicators,omitempty"`
}

// Indicator is one indicator of the CE tool that was seen, and the evidence for it.
type Indicator struct {
	Code     string `json:"code"`
	Evidence string `json:"evidence"`
}

// MaxText bounds one field: long enough for a full account, short enough to refuse a pasted file.
const MaxText = 10000

// MaxLine bounds a one-line field.
const MaxLine = 200

// Problems says what is wrong with an entry of the kind, field by field. now bounds the dates.
func (b Body) Problems(k Kind, now time.Time) input.Problems {
	var ps input.Problems
	today := calendar.DateOf(now)
	need := func(field, v, msg string) {
		if strings.TrimSpace(v) == "" {
			ps = append(ps, input.FieldProblem{Field: field, Message: msg})
		}
	}
	long := func(field, v, label string, max int) {
		if utf8.RuneCountInString(v) > max {
			ps = append(ps, input.FieldProblem{Field: field, Message: label + " must be " + itoa(max) + " characters or fewer"})
		}
	}
	date := func(field string, d calendar.Date, missing, label string) {
		switch {
		case d.IsZero():
			ps = append(ps, input.FieldProblem{Field: field, Message: missing})
		case d.After(today):
			ps = append(ps, input.FieldProblem{Field: field, Message: label + " must be today or in the past"})
		}
	}
	switch k {
	case Concern:
		need("summary", b.Summary, "Enter a summary of the concern")
		long("summary", b.Summary, "The summary", MaxText)
		date("happened", b.HappenedOn, "Enter the date it happened or was disclosed", "The date it happened")
		long("time", b.HappenedAt, "The time", MaxLine)
		need("where", b.Where, "Enter where it happened")
		long("where", b.Where, "Where it happened", MaxLine)
		need("raised_by", b.RaisedBy, "Enter who raised the concern")
		long("raised_by", b.RaisedBy, "Who raised it", MaxLine)
		long("others", b.Others, "Who else was involved", MaxText)
		long("child_words", b.ChildWords, "The child’s words", MaxText)
		need("immediate_action", b.ImmediateAction, "Enter the immediate action taken")
		long("immediate_action", b.ImmediateAction, "The immediate action", MaxText)
		long("decisions", b.Decisions, "The decisions and reasons", MaxText)
		long("who_told", b.WhoTold, "Who was told", MaxText)
		long("outcome", b.Outcome, "The outcome", MaxText)
	case Update:
		need("text", b.Text, "Enter the action taken or the update")
		long("text", b.Text, "The action or update", MaxText)
		long("decisions", b.Decisions, "The decisions and reasons", MaxText)
		long("outcome", b.Outcome, "The outcome", MaxText)
	case MASH:
		need("made_by", b.MadeBy, "Enter who made the MASH referral")
		long("made_by", b.MadeBy, "Who made it", MaxLine)
		date("made", b.MadeOn, "Enter the date of the MASH referral", "The date of the referral")
		long("reference", b.Reference, "The reference", MaxLine)
		long("outcome", b.Outcome, "The outcome", MaxText)
	case CPOMS:
		need("reference", b.Reference, "Enter the CPOMS reference")
		long("reference", b.Reference, "The CPOMS reference", MaxLine)
	case Police:
		need("text", b.Text, "Enter how the police are involved")
		long("text", b.Text, "The police involvement", MaxText)
		long("made_by", b.MadeBy, "The force or officer", MaxLine)
		long("reference", b.Reference, "The crime or incident reference", MaxLine)
	case Correction:
		need("text", b.Text, "Enter the corrected information")
		long("text", b.Text, "The correction", MaxText)
		need("reason", b.Reason, "Enter why it is being corrected")
		long("reason", b.Reason, "The reason", MaxText)
	case FIB:
		need("made_by", b.MadeBy, "Enter who sent the FIB form")
		long("made_by", b.MadeBy, "Who sent it", MaxLine)
		date("made", b.MadeOn, "Enter the date the FIB form was sent", "The date it was sent")
	case CETool:
		if len(b.Indicators) == 0 {
			ps = append(ps, input.FieldProblem{Field: "indicators", Message: "Select at least one indicator you have seen, with its evidence"})
		}
		for _, in := range b.Indicators {
			if IndicatorByCode(in.Code).Code == "" {
				ps = append(ps, input.FieldProblem{Field: "indicators", Message: "Select indicators from the list"})
				continue
			}
			need("evidence-"+in.Code, in.Evidence, "Enter the evidence for “"+IndicatorByCode(in.Code).Text+"”")
			long("evidence-"+in.Code, in.Evidence, "The evidence", MaxText)
		}
		long("text", b.Text, "The summary", MaxText)
	}
	return ps
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
