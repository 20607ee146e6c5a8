package pathway

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/directory"
)

// complete are facts under which every check holds.
var complete = Facts{HasRiskAssessment: true, HasCommissioning: true, HasOpenPack: true, HasResponse: true, ResponseAccepted: true}

func TestEveryTier1ActionAdmitsExactlyItsRoles(t *testing.T) {
	for _, a := range Tier1.Actions {
		for _, role := range auth.AllRoles {
			err := Tier1.Guard(a, []auth.Role{role}, a.From[0], complete)
			allowed := slices.Contains(a.By, role)
			if allowed && err != nil {
				t.Errorf("%s by %s refused: %v", a.ID, role, err)
			}
			var r *Refusal
			if !allowed && (!errors.As(err, &r) || !strings.HasPrefix(r.Reason, "Only ")) {
				t.Errorf("%s by %s: err = %v, want a role refusal", a.ID, role, err)
			}
		}
	}
}

func TestEveryTier1ActionIsRefusedAtEveryOtherStep(t *testing.T) {
	for _, a := range Tier1.Actions {
		for _, s := range Tier1.Steps {
			if slices.Contains(a.From, s.Step) {
				continue
			}
			err := Tier1.Guard(a, a.By, s.Step, complete)
			var r *Refusal
			if !errors.As(err, &r) || !strings.Contains(r.Reason, "cannot be moved on this way now") {
				t.Errorf("%s at %s: err = %v, want a step refusal", a.ID, s.Step, err)
			}
		}
	}
}

func TestChecksSayWhatIsMissing(t *testing.T) {
	submit, _ := Tier1.Action("submit")
	err := Tier1.Guard(submit, []auth.Role{auth.Coordinator}, Draft, Facts{
		IncompleteSections:    []string{"needs", "consents"},
		HasRiskAssessment:     true,
		RiskAssessmentProblem: "The risk assessment was completed on 1 June 2026, more than three months before 23 November 2026.",
	})
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"Complete these sections of the application: needs and consents.",
		"The risk assessment was completed on 1 June 2026, more than three months before 23 November 2026.",
		"Upload the commissioning agreement, or confirm that you are submitting without one.",
	}
	if !slices.Equal(r.Checks, want) {
		t.Fatalf("checks = %q", r.Checks)
	}
	placement, _ := Tier1.Action("placement")
	if err := Tier1.Guard(placement, placement.By, StartConfirmed, Facts{}); err == nil {
		t.Fatal("a placement without an accepted response passed its checks")
	}
}

func TestEveryPathwayIsWellFormed(t *testing.T) {
	for _, p := range All {
		known := map[Step]bool{}
		for _, s := range p.Steps {
			if known[s.Step] {
				t.Errorf("%s: step %s described twice", p.ID, s.Step)
			}
			known[s.Step] = true
		}
		for _, s := range p.Main {
			if !known[s] {
				t.Errorf("%s: main step %s has no description", p.ID, s)
			}
		}
		ids := map[ActionID]bool{}
		for _, a := range p.Actions {
			if ids[a.ID] {
				t.Errorf("%s: action %s twice", p.ID, a.ID)
			}
			ids[a.ID] = true
			if len(a.From) == 0 || len(a.To) == 0 || len(a.By) == 0 {
				t.Errorf("%s: action %s lacks from, to or roles", p.ID, a.ID)
			}
			for _, s := range append(slices.Clone(a.From), a.To...) {
				if !known[s] {
					t.Errorf("%s: action %s uses undescribed step %s", p.ID, a.ID, s)
				}
			}
		}
		// Every main-line step after submission can be reached by some action.
		for _, s := range p.Main[1:] {
			if !slices.ContainsFunc(p.Actions, func(a Action) bool { return a.Leads(s) }) {
				t.Errorf("%s: nothing leads to %s", p.ID, s)
			}
		}
	}
}

func TestProgressShowsDoneCurrentAndToCome(t *testing.T) {
	got := Tier1.Progress(InterviewArranged, nil)
	var states []string
	for _, p := range got {
		states = append(states, p.State)
	}
	if strings.Join(states, ",") != "done,done,current,to come,to come,to come" {
		t.Fatalf("states = %v", states)
	}
	side := Tier1.Progress(ExploringAlternatives, []Step{Submitted, PackSent, InterviewArranged, ResponseReceived})
	if side[4].Info.Step != ExploringAlternatives || side[4].State != "current" || side[3].State != "done" || side[5].State != "to come" {
		t.Fatalf("side step placed wrongly: %+v", side)
	}
}

func TestEachProgrammeKindHasItsPathway(t *testing.T) {
	for kind, want := range map[directory.Kind]string{"course": "tier1", "insight": "tier1", "year11_post16": "tier1",
		"flourish": "flourish", "supported_transfer": "supported_transfer", "refocus": "refocus", "focus11": "focus11"} {
		p, ok := For(kind)
		if !ok || p.ID != want {
			t.Errorf("%s → %s, want %s", kind, p.ID, want)
		}
	}
	if _, ok := For("unknown"); ok {
		t.Error("an unknown kind has a pathway")
	}
}
