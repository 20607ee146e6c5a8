package panel

import (
	"fmt"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pdfdoc"
)

// LetterFooter marks every page of an outcome letter: it names a child and a decision about them.
const LetterFooter = "OFFICIAL-SENSITIVE: personal data about a child. Keep it secure and do not forward it."

// Letter is the outcome letter CAP sends the referring school once a panel has decided a case: what
// was decided, why, and what happens next.
type Letter struct {
	Case Case
	// Meeting is the meeting that decided the case; zero when CAP deferred it before it met.
	Meeting Meeting
	// Round is the round the case was on the agenda of.
	Round Round
	// Dated is the letter's date: the day it was shared, or today for a letter not yet shared.
	Dated calendar.Date
	// Cohort is the Academy cohort a Multi-Agency Panel approval gave a place in (or a place on
	// its waiting list); zero when there is none.
	Cohort Start
	// WaitingPosition is the case's number on the cohort's waiting list; 0 when it has a place.
	WaitingPosition int
	// TransferStart is the first day at the receiving school (Headteacher Placement Meeting).
	TransferStart calendar.Date
	// TransferWeeks is how long the transfer placement lasts.
	TransferWeeks int
	// NextRound is where a deferred case goes; zero when it is not known.
	NextRound Round
	// Earlier are the panels' earlier approvals of this referral whose conditions still hold: the
	// Review and Authorisation Panel's, on the Multi-Agency Panel's or the Headteacher Placement
	// Meeting's letter.
	Earlier []Case
}

// Title names the letter: "Outcome of the Multi-Agency Panel".
func (l Letter) Title() string { return "Outcome of the " + PanelName(l.Case.Panel) }

// FileName is the name the letter downloads as.
func (l Letter) FileName() string {
	name := l.Case.Reference
	if name == "" {
		name = fmt.Sprintf("case-%d", l.Case.ID)
	}
	return name + "-" + strings.ReplaceAll(l.Case.Panel, "_", "-") + "-outcome-letter.pdf"
}

// DecidedOn is the day the decision was made: the meeting's day, or the day CAP deferred the case.
func (l Letter) DecidedOn() calendar.Date {
	if !l.Meeting.HeldOn.IsZero() {
		return l.Meeting.HeldOn
	}
	if l.Case.DecidedAt != nil {
		return calendar.DateOf(*l.Case.DecidedAt)
	}
	return calendar.Date{}
}

// NextSteps says what happens after the decision, by the panel and the decision.
func (l Letter) NextSteps() []string {
	c := l.Case
	student := c.StudentName
	switch c.Decision {
	case NotApproved:
		return []string{"CAP will contact " + c.SchoolName + " to explore alternatives for " + student +
			". The application stays on record, so another programme or provider can be chosen without filling it in again."}
	case Deferred:
		if l.NextRound.ID != 0 {
			return []string{fmt.Sprintf("The case will be considered again by the %s in the next round: round %d, referral deadline %s.",
				PanelName(c.Panel), l.NextRound.Position, l.NextRound.Deadline.Format()),
				"If the panel asked for more information, please add it before that deadline."}
		}
		return []string{"The case will be considered again by the " + PanelName(c.Panel) + " in the next round."}
	case Approved:
	default:
		return nil
	}
	switch c.Panel {
	case ReviewPanel:
		switch c.Kind {
		case directory.SupportedTransfer:
			meeting := ""
			if !l.Round.Meeting.IsZero() {
				meeting = ", on " + l.Round.Meeting.Weekday().String() + " " + l.Round.Meeting.Format()
			}
			return []string{"The case goes to the Supported Transfer Headteacher Placement Meeting of this round" + meeting +
				", which will allocate a receiving school."}
		case directory.Refocus, directory.Focus11:
			return []string{"The panel’s outcome is prepared for the Multi-Agency Panel of this round, which will discuss the case. CAP will write to you again with its outcome."}
		}
		return []string{"CAP will send the application pack to the training provider, who will arrange an interview with " + student +
			" and the school, then confirm a start date."}
	case MultiAgencyPanel:
		switch {
		case l.Cohort.ID != 0 && l.WaitingPosition > 0:
			return []string{fmt.Sprintf("%s is full: %s is number %d on its waiting list, in priority order, and will be offered a place in the next cohort.",
				l.Cohort.Title(), student, l.WaitingPosition),
				"Coventry AP Academy will start onboarding " + student + " and will contact the school."}
		case l.Cohort.ID != 0:
			return []string{"Coventry AP Academy will start onboarding " + student + " into " + l.Cohort.Title() +
				", which starts on " + l.Cohort.Starts.Weekday().String() + " " + l.Cohort.Starts.Format() + ".",
				"For the first seven weeks " + student + " attends the Academy four days a week, Tuesday to Friday, with Mondays at the home school; the last three weeks are the Back to School Phase."}
		}
		return []string{"Coventry AP Academy will start onboarding " + student + " and will place them in a cohort."}
	case HeadteacherPanel:
		school := c.ReceivingSchoolName
		if school == "" {
			school = "the receiving school"
		}
		weeks := l.TransferWeeks
		if weeks == 0 {
			weeks = 12
		}
		text := fmt.Sprintf("%s will transfer to %s for a %d-week placement", student, school, weeks)
		if !l.TransferStart.IsZero() {
			text += ", starting on " + l.TransferStart.Weekday().String() + " " + l.TransferStart.Format()
		}
		return []string{text + ". The placement is then reviewed, and the schools decide whether " + student +
			" stays at " + school + " or returns to " + c.SchoolName + "."}
	}
	return nil
}

// TookPartText lists who took part in the decision, and who could not (a member from the referring
// school: a conflict of interest).
func (l Letter) TookPartText() []string {
	var in, out []string
	for _, m := range l.Meeting.Attendees {
		name := m.Name
		if m.OrgNames != "" {
			name += " (" + m.OrgNames + ")"
		}
		switch {
		case containsID(l.Case.Excluded, m.UserID):
			out = append(out, name)
		case containsID(l.Case.TookPart, m.UserID):
			if m.UserID == l.Meeting.ChairID {
				name += ", chair"
			}
			in = append(in, name)
		}
	}
	var lines []string
	switch {
	case l.Meeting.ID == 0:
		lines = append(lines, "CAP deferred the case before the panel met.")
	case len(in) == 0:
		lines = append(lines, "No attendance was recorded.")
	default:
		lines = append(lines, strings.Join(in, "; ")+".")
	}
	if l.Meeting.Others != "" {
		lines = append(lines, "Also attending: "+l.Meeting.Others)
	}
	if len(out) > 0 {
		lines = append(lines, "Did not take part in this decision, as they work at the referring school: "+strings.Join(out, "; ")+".")
	}
	return lines
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Doc lays the letter out for pdfdoc. created is the moment it is produced, for the PDF's metadata.
func (l Letter) Doc(created time.Time) pdfdoc.Doc {
	c := l.Case
	d := pdfdoc.Doc{
		Title:    l.Title(),
		Subtitle: "From Coventry Alternative Provision to " + c.SchoolName,
		Footer:   LetterFooter,
		Letter:   true,
		Created:  created,
	}
	d.Meta = append(d.Meta, pdfdoc.Row{Key: "Date", Value: l.Dated.Format()})
	if c.Reference != "" {
		d.Meta = append(d.Meta, pdfdoc.Row{Key: "Reference", Value: c.Reference})
	}
	d.Meta = append(d.Meta,
		pdfdoc.Row{Key: "Student", Value: c.StudentName},
		pdfdoc.Row{Key: "School", Value: c.SchoolName},
		pdfdoc.Row{Key: "Programme", Value: c.Programme})
	d.Meta = append(d.Meta, pdfdoc.Row{Key: "Panel", Value: PanelName(c.Panel)})
	if on := l.DecidedOn(); !on.IsZero() {
		key := "Date of the meeting"
		if l.Meeting.ID == 0 {
			key = "Date of the decision"
		}
		d.Meta = append(d.Meta, pdfdoc.Row{Key: key, Value: on.Weekday().String() + " " + on.Format()})
	}
	if l.Round.ID != 0 {
		d.Meta = append(d.Meta, pdfdoc.Row{Key: "Panel round", Value: fmt.Sprintf("Round %d, referral deadline %s", l.Round.Position, l.Round.Deadline.Format())})
	}

	intro := fmt.Sprintf("The %s considered the application for %s (%s) to %s.", PanelName(c.Panel), c.StudentName, c.SchoolName, c.Programme)
	// A section prints its rows before its paragraphs: the sentence that introduces the decision
	// is a section of its own, so it reads first.
	d.Sections = append(d.Sections, pdfdoc.Section{Heading: "The decision", Paragraphs: []string{intro}})
	decision := pdfdoc.Section{Rows: []pdfdoc.Row{
		{Key: "Decision", Value: DecisionLabel(c.Decision)},
		{Key: "Rationale", Value: orNone(c.Rationale, "None recorded.")},
		{Key: "Conditions", Value: orNone(c.Conditions, "None.")},
	}}
	if c.Panel == HeadteacherPanel && c.Decision == Approved && c.ReceivingSchoolName != "" {
		decision.Rows = append(decision.Rows, pdfdoc.Row{Key: "Receiving school", Value: c.ReceivingSchoolName})
	}
	for _, e := range l.Earlier {
		if e.ID != c.ID && e.Decision == Approved && strings.TrimSpace(e.Conditions) != "" {
			decision.Rows = append(decision.Rows, pdfdoc.Row{Key: "Conditions of the " + PanelName(e.Panel), Value: e.Conditions})
		}
	}
	d.Sections = append(d.Sections, decision)
	if next := l.NextSteps(); len(next) > 0 {
		d.Sections = append(d.Sections, pdfdoc.Section{Heading: "What happens next", Paragraphs: next})
	}
	d.Sections = append(d.Sections, pdfdoc.Section{Heading: "Who took part", Paragraphs: l.TookPartText()})
	d.Sections = append(d.Sections, pdfdoc.Section{Heading: "Questions", Paragraphs: []string{
		"If you have any questions about this decision, contact the CAP team on 024 7697 2062, quoting the reference above.",
		"Coventry Alternative Provision",
	}})
	return d
}

func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}
