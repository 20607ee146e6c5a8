package ui_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// hostileState makes, on a portal of its own (the panels' steps move the clock), the state in which a
// form appears that the walk of the demo data cannot reach, and says who sees it on which page.
type hostileState func(t *testing.T, a *testapp.App) (who, page string)

// hostileStates are the forms reached by a state of their own, by POST route. A route whose form no
// walked page shows, and which has no state here, fails the hostile-input test.
var hostileStates = map[string]hostileState{
	"POST /referrals/{ref}/respond": func(t *testing.T, a *testapp.App) (string, string) {
		ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
		ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
		ref = pwMove(t, a, ref, pwCoordinator, pwInterview)
		return "staff@ridgeway.provider.example", ref.URL() + "/respond"
	},
	"POST /referrals/{ref}/placement": func(t *testing.T, a *testapp.App) (string, string) {
		ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
		ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
		ref = pwMove(t, a, ref, pwCoordinator, pwInterview)
		ref = pwMove(t, a, ref, "staff@ridgeway.provider.example", pwAccept)
		ref = pwMove(t, a, ref, pwAdmin, pwProcess)
		return pwAdmin, ref.URL() + "/placement"
	},
	"POST /referrals/{ref}/resubmit": func(t *testing.T, a *testapp.App) (string, string) {
		ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
		ref = pwMove(t, a, ref, pwAdmin, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
			return s.ReturnToSchool(ctx, ac, r, "The risk assessment is not signed.")
		})
		return pwCoordinator, ref.URL() + "/check"
	},
	"POST /referrals/{ref}/decide": func(t *testing.T, a *testapp.App) (string, string) {
		ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
		return pdChair, ref.URL() + "/decide"
	},
	"POST /referrals/{ref}/map": func(t *testing.T, a *testapp.App) (string, string) {
		ref := plReviewed(t, a, pwKaiUPN, directory.Refocus, panel.Approved)
		plAt(a, plDay(2026, time.December, 8))
		plMeeting(t, a, plRoundID(t, a, plRound), panel.MultiAgencyPanel, plDay(2026, time.December, 8))
		return plChair, ref.URL() + "/map"
	},
	"POST /referrals/{ref}/allocate": func(t *testing.T, a *testapp.App) (string, string) {
		ref := plReviewed(t, a, pwKaiUPN, directory.SupportedTransfer, panel.Approved)
		plAt(a, plDay(2026, time.December, 15))
		plMeeting(t, a, plRoundID(t, a, plRound), panel.HeadteacherPanel, plDay(2026, time.December, 15))
		return plChair, ref.URL() + "/allocate"
	},
	"POST /referrals/{ref}/onboard": func(t *testing.T, a *testapp.App) (string, string) {
		return plAcademy, plAgreed(t, a, pwKaiUPN).URL() + "/onboard"
	},
	"POST /referrals/{ref}/cohort": func(t *testing.T, a *testapp.App) (string, string) {
		ref := pwMove(t, a, plAgreed(t, a, pwKaiUPN), plAcademy, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
			return s.Onboard(ctx, ac, r)
		})
		return plAcademy, ref.URL() + "/cohort"
	},
	"POST /referrals/{ref}/review": func(t *testing.T, a *testapp.App) (string, string) {
		ref := plAllocated(t, a)
		plAt(a, plDay(2027, time.March, 31))
		return pwAdmin, ref.URL() + "/review"
	},
	"POST /referrals/{ref}/outcome": func(t *testing.T, a *testapp.App) (string, string) {
		ref := plAllocated(t, a)
		plAt(a, plDay(2027, time.March, 31))
		ref = pwMove(t, a, ref, pwAdmin, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
			return s.ReviewTransfer(ctx, ac, r, plDay(2027, time.March, 30), "Settled well at Canley Brook.")
		})
		if ref.Step != pathway.TransferReview {
			t.Fatalf("after the review the transfer is at %s", ref.Step)
		}
		return pwAdmin, ref.URL() + "/outcome"
	},
	"POST /panels/cases/{id}/move": func(t *testing.T, a *testapp.App) (string, string) {
		// Two cases, so each can be moved up or down the agenda.
		ref := pwMove(t, a, pdRefocus(t, a), pwAdmin, pdAgenda)
		other := paSubmitted(t, a, pwCoordinator, paStudent(t, a, "Amelia", "Barker"), paProgramme(t, a, "capa-refocus"))
		pwMove(t, a, other, pwAdmin, pdAgenda)
		return pwAdmin, "/panels/rounds/" + itoa64(pwGet(t, a, ref).PanelRoundID) + "/" + panel.ReviewPanel
	},
	"POST /panels/cohorts/{id}/offer": func(t *testing.T, a *testapp.App) (string, string) {
		ctx := context.Background()
		c2 := paCohort(t, a, "Cohort 2")
		if _, err := a.Pool.Exec(ctx, `UPDATE panel_starts SET capacity = 1 WHERE id::text = $1`, c2); err != nil {
			t.Fatal(err)
		}
		refocus := paProgramme(t, a, "capa-refocus")
		cohort, _ := strconv.ParseInt(c2, 10, 64)
		for _, name := range [][2]string{{"Kai", "Adeyemi-Brown"}, {"Amelia", "Barker"}} {
			ref := paSubmitted(t, a, pwCoordinator, paStudent(t, a, name[0], name[1]), refocus)
			if _, err := panel.On(a.Pool).Allocate(ctx, cohort, ref.ID, 0, a.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return pwAdmin, "/panels/cohorts/" + c2
	},

	// The second factor (issue 13): its forms show to someone who has set one up, who signs in with
	// its code; the sign-in's code page to someone between their password and their code.
	"POST /account/second-factor/confirm": func(t *testing.T, a *testapp.App) (string, string) {
		hsEnrolled(t, a, sgCAPDSL, false)
		return sgCAPDSL, "/account/second-factor/confirm?next=%2Fsafeguarding"
	},
	"POST /account/second-factor/recovery-codes": func(t *testing.T, a *testapp.App) (string, string) {
		hsEnrolled(t, a, pwCoordinator, false)
		return pwCoordinator, "/account/second-factor"
	},
	"POST /login/second-factor": func(t *testing.T, a *testapp.App) (string, string) {
		hsEnrolled(t, a, pwCoordinator, true)
		return pwCoordinator, "/login/second-factor"
	},
	"POST /admin/users/{id}/second-factor/reset": func(t *testing.T, a *testapp.App) (string, string) {
		hsEnrolled(t, a, pwCoordinator, false)
		return pwAdmin, "/admin/users/" + userID(t, a, pwCoordinator)
	},

	// Safeguarding records (issue 13): shown within 15 minutes of a second-factor confirmation, which
	// the test-only step-up stands in for; the add forms to a record or LADO report that exists.
	"POST /students/{id}/safeguarding/new": func(t *testing.T, a *testapp.App) (string, string) {
		hsSteppedUp(a)
		return sgSchoolDSL, studentPath(t, a, studentKaiUPN) + "/safeguarding/new?kind=concern"
	},
	"POST /safeguarding/records/{id}/add": func(t *testing.T, a *testapp.App) (string, string) {
		hsSteppedUp(a)
		rec := raise(t, hostileClient(t, a, sgSchoolDSL), studentPath(t, a, studentKaiUPN), "concern", concernForm("hostile-state"))
		return sgSchoolDSL, rec + "/add?kind=update"
	},
	"POST /safeguarding/lado/new": func(t *testing.T, a *testapp.App) (string, string) {
		hsSteppedUp(a)
		return sgLead, "/safeguarding/lado/new"
	},
	"POST /safeguarding/lado/{id}/add": func(t *testing.T, a *testapp.App) (string, string) {
		hsSteppedUp(a)
		return sgLead, newLADO(t, hostileClient(t, a, sgLead), "hostile-state") + "/add?kind=referral"
	},
}

// hsEnrolled sets up who's second factor, as they would, and has the portal's hostile posts sign them
// in with a new code from it (or, with passwordOnly, only as far as the page asking for the code).
func hsEnrolled(t *testing.T, a *testapp.App, who string, passwordOnly bool) {
	t.Helper()
	c := a.Client(t)
	c.SignIn(who)
	key, _ := enrolSecondFactor(t, a, c)
	hostileSignIns[a] = func(t *testing.T, email string) *testapp.Client {
		t.Helper()
		c := a.Client(t)
		if email != who {
			c.SignIn(email)
			return c
		}
		a.Clock.Advance(31 * time.Second) // each code is taken once
		passwordStep(t, c, who)
		if !passwordOnly {
			if r := giveCode(c, codeAt(t, key, a.Clock.Now())); r.StatusCode != http.StatusSeeOther || r.Location() != "/" {
				t.Fatalf("%s's code at sign-in: %d to %q", who, r.StatusCode, r.Location())
			}
		}
		return c
	}
}

// hsSteppedUp has the portal's hostile posts sign people in with a fresh confirmation, as the
// safeguarding records ask.
func hsSteppedUp(a *testapp.App) {
	hostileSignIns[a] = func(t *testing.T, who string) *testapp.Client {
		t.Helper()
		return sgClient(t, a, who)
	}
}
