package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestPanelMembersDashboardListsTheMeetingsToCome(t *testing.T) {
	a := testapp.New(t)
	member := pwSignedIn(t, a, plChair)
	if got := pwText(member.Get("/").Doc(t).Find("main")); !strings.Contains(got, "No panel meetings are scheduled") {
		t.Fatalf("before any meeting: %q", got)
	}
	ref := pwSubmitted(t, a, pwKaiUPN, plProgramme(t, a, directory.Refocus))
	pwMove(t, a, ref, pwAdmin, plAgenda)
	plMeeting(t, a, plRoundID(t, a, plRound), panel.ReviewPanel, plDay(2026, time.December, 3))
	doc := member.Get("/").Doc(t)
	got := pwText(doc.Find("main"))
	if !strings.Contains(got, "Thursday 3 December 2026") || !strings.Contains(got, "Review and Authorisation Panel, round 4 of 2026/27: 1 case") {
		t.Errorf("the panel member's dashboard: %q", got)
	}
	if doc.Find(`a[href="/panels/rounds/`+itoa64(plRoundID(t, a, plRound))+`/review"]`).Length() != 1 {
		t.Error("no link to the agenda")
	}
	if got := pwText(pwSignedIn(t, a, pwCoordinator).Get("/").Doc(t).Find("main")); strings.Contains(got, "Panel meetings") {
		t.Errorf("a coordinator sees the panels' meetings: %q", got)
	}
}

func TestTheAcademysDashboardListsAgreedCasesToOnboard(t *testing.T) {
	a := testapp.New(t)
	ref := plAgreed(t, a, pwKaiUPN)
	got := pwText(pwSignedIn(t, a, "staff@capa.provider.example").Get("/").Doc(t).Find("main"))
	if !strings.Contains(got, "1 case agreed by the Multi-Agency Panel is waiting for you to onboard") || !strings.Contains(got, ref.Reference) {
		t.Errorf("the Academy's dashboard: %q", got)
	}
}

// With no later round on the calendar, a deferral is refused on the form, keeping what the chair typed.
func TestPanelDeferralWithNoLaterRoundKeepsTheChairsWords(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, plProgramme(t, a, directory.Flourish))
	ref = pwMove(t, a, ref, pwAdmin, plAgenda)
	last := plRoundID(t, a, 10) // July 2027: the last round of the calendar that takes Flourish
	if _, err := a.Pool.Exec(context.Background(), `UPDATE panel_cases SET round_id = $1 WHERE referral_id = $2`, last, ref.ID); err != nil {
		t.Fatal(err)
	}
	day := plDay(2027, time.July, 14)
	plAt(a, day)
	plMeeting(t, a, last, panel.ReviewPanel, day)
	chair := pwSignedIn(t, a, plChair)
	caseID := plCaseID(t, a, ref, panel.ReviewPanel)
	r := chair.Post(ref.URL()+"/decide", url.Values{"case_id": {itoa64(caseID)}, "do": {"decide"}, "decision": {panel.Deferred},
		"minutes": {"Long discussion of the Early Help plan."}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("deferring with no later round: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, "No later round is on the calendar") {
		t.Errorf("error: %q", got)
	}
	if got := doc.Find("#minutes").Text(); got != "Long discussion of the Early Help plan." {
		t.Errorf("the minutes were lost: %q", got)
	}
}
