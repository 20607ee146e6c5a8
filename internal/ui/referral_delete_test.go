package ui_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestReferralDraftStartedByMistakeCanBeDeletedButNotOnceSubmitted(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	if r := appUpload(t, a, c, key, url.Values{"kind": {"other"}}, "notes.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	// Another school cannot delete it, nor see the confirmation.
	other := appSignedIn(t, a, "coordinator@canleybrook.school.example")
	if r := other.Get("/referrals/" + key + "/delete"); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school's confirmation page: %d", r.StatusCode)
	}
	if r := other.Post("/referrals/"+key+"/delete", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school deleting: %d", r.StatusCode)
	}
	if r := c.Get("/referrals/" + key + "/application"); r.Doc(t).Find(`[data-testid="delete-draft"]`).Length() != 1 {
		t.Error("the task list offers no way to delete the draft")
	}
	if r := c.Get("/referrals/" + key + "/delete"); r.StatusCode != http.StatusOK {
		t.Fatalf("confirmation page: %d", r.StatusCode)
	}
	r := c.Post("/referrals/"+key+"/delete", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals" {
		t.Fatalf("delete: %d to %q", r.StatusCode, r.Location())
	}
	if n := appCount(t, a, `SELECT count(*) FROM referrals`) + appCount(t, a, `SELECT count(*) FROM referral_documents`); n != 0 {
		t.Fatalf("%d rows left after deleting the draft", n)
	}
	if n := appCount(t, a, `SELECT count(*) FROM audit_log WHERE action = 'referral.draft_deleted'`); n != 1 {
		t.Fatalf("%d audit entries for the deletion", n)
	}
	if r := c.Post("/referrals/"+key+"/delete", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("deleting twice: %d, want 404", r.StatusCode)
	}

	// A submitted application is never deleted.
	key = appStart(t, c, appStudentID(t, a, "15002"), appCourseID(t, a))
	appFillAll(t, c, key, "course")
	if r := appUpload(t, a, c, key, appRiskAssessment("20", "11", "2026"), "ra.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("risk assessment: %d", r.StatusCode)
	}
	c.Post("/referrals/"+key+"/documents", url.Values{"intent": {"no_commissioning"}, "no_commissioning": {"yes"}})
	if r := c.Post("/referrals/"+key+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	ref := appQueryString(t, a, `SELECT reference FROM referrals WHERE reference IS NOT NULL`)
	if r := c.Post("/referrals/"+ref+"/delete", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("deleting a submitted referral: %d, want the 409 refusal", r.StatusCode)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referrals WHERE reference = $1`, ref); n != 1 {
		t.Fatal("the submitted referral was deleted")
	}
}
