package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
)

// The student pages: student_list.go, student_show.go, student_form.go and student_import.go.

// studentActor is the principal asking, with the request ID for the audit log.
func studentActor(r *http.Request) student.Actor {
	return student.Actor{Principal: auth.FromContext(r.Context()), RequestID: RequestID(r.Context())}
}

// coordinatedSchools are the schools the principal is a coordinator at, by name.
func coordinatedSchools(p *auth.Principal) []auth.Membership { return p.OrgsWith(auth.Coordinator) }

// schoolChoice picks the school a coordinator is acting for: their only school, or the one chosen
// from the form when they coordinate several. ok is false when the choice is missing or not theirs.
func schoolChoice(p *auth.Principal, chosen string) (auth.Membership, bool) {
	schools := coordinatedSchools(p)
	if len(schools) == 1 {
		return schools[0], true
	}
	id, err := strconv.ParseInt(chosen, 10, 64)
	if err != nil {
		return auth.Membership{}, false
	}
	for _, m := range schools {
		if m.OrgID == id {
			return m, true
		}
	}
	return auth.Membership{}, false
}

// schoolChoiceOptions lists a coordinator's schools for a form, or none when they have only one.
func schoolChoiceOptions(p *auth.Principal, selected string) []components.Option {
	schools := coordinatedSchools(p)
	if len(schools) < 2 {
		return nil
	}
	opts := []components.Option{{Value: "", Label: "Choose a school", Selected: selected == ""}}
	for _, m := range schools {
		id := itoa(m.OrgID)
		opts = append(opts, components.Option{Value: id, Label: m.OrgName, Selected: selected == id})
	}
	return opts
}

// schoolFilterOptions lists every school for CAP staff's filter of the students list.
func schoolFilterOptions(orgs []org.Organisation, selected string) []components.Option {
	opts := []components.Option{{Value: "", Label: "All schools", Selected: selected == ""}}
	for _, o := range orgs {
		if o.Kind != auth.School {
			continue
		}
		id := itoa(o.ID)
		opts = append(opts, components.Option{Value: id, Label: o.Name, Selected: selected == id})
	}
	return opts
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func orNotRecorded(s string) string {
	if s == "" {
		return "Not recorded"
	}
	return s
}
