package referral

import (
	"slices"

	"github.com/coventry-cap/capportal/internal/directory"
)

// Each programme kind's referral considerations, word for word from the CAP welcome pack 2025/26, so
// the school answers exactly what CAP and the panels will ask. Every question must be answered.
// Insight has no list of its own in the pack, which says it is "processed the same as Tier 1", so it
// asks Tier 1's questions.

// A question the application already asks elsewhere names that answer (from) and is not asked again:
// the panel reads it there.
type question struct{ name, text, short, from string }

var tier1Questions = []question{
	{"consider_bespoke", "Does the student need a bespoke curriculum to meet their learning needs?", "Bespoke curriculum needed", ""},
	{"consider_interests", "Does the curriculum offer meet the student’s interests, passions and aspirations?", "Meets interests and aspirations", ""},
	{"consider_journey", "How will the course or vocational qualification enhance the student’s educational journey?", "How it enhances their education", ""},
	{"consider_right_support", "Would an application to Tier 1 provide the right support, at the right time, in the right place?", "Right support, time and place", ""},
}

var flourishQuestions = []question{
	{"consider_caseworker", "Has the school assigned a designated caseworker (a significant adult) to the student? Who?", "Designated caseworker", ""},
	{"consider_reviews", "Will the school commit to attending the regular review meetings?", "Commitment to review meetings", ""},
	{"consider_curriculum", "Has the school reviewed and adapted the student’s curriculum or timetable (including Tier 1)?", "Curriculum or timetable adapted", ""},
	{"consider_strategies", "If other key agencies have been involved, have their recommended strategies been implemented, and what was the impact?", "Agencies’ strategies and impact", "professionals_detail"},
	{"consider_capacity", "How will the school create capacity to implement strategies suggested by the programme?", "Capacity to implement strategies", ""},
	{"consider_ehcp", "If appropriate, how does the provision meet the EHCP requirements?", "How it meets the EHCP", "ehcp_provision"},
	{"consider_early_help", "Has an Early Help offer been started with the family, with consent from parents recorded on EHM?", "Early Help offer and consent on EHM", "early_help"},
}

var transferQuestions = []question{
	{"consider_one_off", "Is the referral linked to a one-off incident?", "Linked to a one-off incident", ""},
	{"consider_persistent", "Is the referral being made for persistent disruptive behaviour?", "Persistent disruptive behaviour", ""},
	{"consider_expectations", "Will the student be able to meet the same expectations in a different school? Why?", "Can meet expectations elsewhere", ""},
	{"consider_fresh_start", "Will the student genuinely benefit from a fresh start?", "Benefit from a fresh start", ""},
	{"consider_early_help", "Has an Early Help offer been started with the family, with consent from parents recorded on EHM?", "Early Help offer and consent on EHM", "early_help"},
	{"consider_map_consent", "Have parents or carers given consent for the referral to the CAP Multi-Agency Panel?", "Consent for the Multi-Agency Panel", ""},
}

var refocusQuestions = []question{
	{"consider_curriculum", "Has the school reviewed and adapted the student’s curriculum or timetable (Tier 1, Tier 2)?", "Curriculum or timetable adapted", ""},
	{"consider_strategies", "What other strategies and interventions has the school implemented, and what was their impact?", "Strategies, interventions and impact", "tried"},
	{"consider_professionals", "Which other professionals have been involved, and what was the impact?", "Other professionals and impact", "professionals_detail"},
	{"consider_factors", "What factors contributing to the student’s needs have been explored and identified?", "Contributing factors", ""},
	{"consider_student_voice", "What does the student see as their own strengths, and what would they like support with?", "Student voice", "student_views"},
	{"consider_parents", "What partnership work has the school done with parents, and what was its impact?", "Partnership with parents", ""},
	{"consider_early_help", "Has the school engaged with EHAC, completed an Early Help Assessment and Plan, and recorded it on EHM? (Essential)", "Early Help Assessment and Plan on EHM", "early_help"},
	{"consider_map_consent", "Have parents or carers given consent for the referral to the CAP Multi-Agency Panel?", "Consent for the Multi-Agency Panel", ""},
}

var post16Questions = []question{
	{"consider_bespoke", "Does the student require a bespoke curriculum to meet their individual learning needs?", "Bespoke curriculum needed", ""},
	{"consider_interests", "Does the proposed curriculum align with the student’s interests, passions and aspirations?", "Meets interests and aspirations", ""},
	{"consider_journey", "How will the course or vocational qualification enhance the student’s educational journey, particularly towards Post-16 pathways?", "How it leads to Post-16", ""},
	{"consider_right_support", "Will the Year 11 Programme provide the right support, at the right time, in the right setting?", "Right support, time and setting", ""},
}

func questionsFor(kind directory.Kind) []question {
	switch kind {
	case directory.Flourish:
		return flourishQuestions
	case directory.SupportedTransfer:
		return transferQuestions
	case directory.Refocus, directory.Focus11:
		return refocusQuestions
	case directory.Year11Post16:
		return post16Questions
	}
	return tier1Questions
}

func considerations(kind directory.Kind) []Field {
	var fields []Field
	for _, q := range questionsFor(kind) {
		if q.from == "" {
			fields = append(fields, Field{Name: q.name, Label: q.text, Short: q.short, Type: TextArea, Required: true})
		}
	}
	return fields
}

// PanelQuestion is one question the panel asks of the programme's referrals, and the answer's field:
// its own in the considerations, or the earlier question of the application that already answers it.
type PanelQuestion struct {
	Text   string
	Answer string // the field name of the answer
	// Elsewhere names the section the answer was given in, when it is not the considerations.
	Elsewhere string
}

// PanelQuestions are the programme's referral considerations as the panel asks them, in the pack's order.
func PanelQuestions(kind directory.Kind) []PanelQuestion {
	var out []PanelQuestion
	for _, q := range questionsFor(kind) {
		pq := PanelQuestion{Text: q.text, Answer: q.name}
		if q.from != "" {
			pq.Answer = q.from
			for _, sec := range Sections(kind) {
				if slices.ContainsFunc(sec.Fields, func(f Field) bool { return f.Name == q.from }) {
					pq.Elsewhere = sec.Title
				}
			}
		}
		out = append(out, pq)
	}
	return out
}

func considerationsTitle(kind directory.Kind) string {
	switch kind {
	case directory.Flourish, directory.SupportedTransfer, directory.Refocus, directory.Focus11:
		return "Questions for the panel"
	}
	return "Referral considerations"
}

func considerationsIntro(kind directory.Kind) string {
	switch kind {
	case directory.Flourish, directory.SupportedTransfer, directory.Refocus, directory.Focus11:
		return "The CAP Review and Authorisation Panel will seek clarity on each of these. Answer each one in full: the discussion outcomes affect the panel’s decision."
	}
	return "CAP asks every school to consider these before applying. Answer each one in full."
}

// FieldByName finds a question of the kind's application by its name.
func FieldByName(kind directory.Kind, name string) (Field, bool) {
	for _, sec := range Sections(kind) {
		for _, f := range sec.Fields {
			if f.Name == name {
				return f, true
			}
		}
	}
	return Field{}, false
}
