package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestPanelMembersDashboardListsTheMeetingsToCome(t *testing.T) {
	a := testapp.New(t)
	member := pwSignedIn(t, a, plChair)
	if got := pwText(member.Get("/").Doc(t).Find("main")); !strings.Contains(got, "No panel meetings are scheduled") {
		t.Fatalf("before any meeting: %q", got)
	}
	ref := pwSubmitted(t, a, pwKaiUPN, plProgramme(t, a, panel.Refocus))
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
