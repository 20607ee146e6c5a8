package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// hiddenControls are the characters that reorder text as it is shown (U+202A to U+202E, U+2066 to
// U+2069) and the byte-order mark.
const hiddenControls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFEFF"

func noHiddenControls(t *testing.T, what, text string) {
	t.Helper()
	if i := strings.IndexAny(text, hiddenControls); i >= 0 {
		t.Errorf("%s holds a hidden control character: %q", what, text[max(i-30, 0):min(i+30, len(text))])
	}
}

// A right-to-left override typed or pasted into a name shows "Pop\u202Eypv" as "Popvpy": it is
// removed, so the student is stored and shown as Poppy, and nothing else they typed changes.
func TestAStudentsNameWithARightToLeftOverrideIsStoredWithoutIt(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	form := studentValidForm()
	form.Set("legal_first_name", "Pop\u202Epy")
	form.Set("legal_last_name", "\uFEFFVance\u2066")
	form.Set("contact1_address", "11 Keresley Road\r\nCoventry\u202E")
	r := c.Post("/students", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d, want 303; %q", r.StatusCode, errorSummary(r.Doc(t)))
	}
	var first, last, address string
	if err := a.Pool.QueryRow(context.Background(), `
		SELECT s.legal_first_name, s.legal_last_name, c.address FROM students s JOIN student_contacts c ON c.student_id = s.id
		WHERE s.upn = 'H331290119101'`).Scan(&first, &last, &address); err != nil {
		t.Fatal(err)
	}
	if first != "Poppy" || last != "Vance" || address != "11 Keresley Road\nCoventry" {
		t.Errorf("stored %q %q at %q, want Poppy Vance at the address in two lines", first, last, address)
	}
	page := c.Get(r.Location())
	noHiddenControls(t, "the student's page", page.Body)
	if msg, _ := banner(page.Doc(t)); msg != "Student added: Poppy Vance" {
		t.Errorf("banner %q", msg)
	}
}

// A multi-line answer keeps its line breaks and loses the override, in the draft, on the pages and in
// the pack the provider downloads; so does the description sent with an upload.
func TestAMultiLineAnswerKeepsItsLinesAndLosesTheOverrideEverywhere(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	id := strings.TrimPrefix(key, "draft-")
	appFillAll(t, c, key, "course")

	needs := url.Values{"action": {"continue"}, "needs": {"Finds large classes hard;\r\nleaves\u202E lessons when anxious.\r\n\u2067Calmer\u2069 one to one."},
		"ehcp": {"no"}, "ehcp_provision": {""}, "medical": {""}, "attendance": {"84.5"}}
	if r := c.Post("/referrals/"+key+"/sections/needs", needs); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("needs: %d; %q", r.StatusCode, appErrorSummary(t, r))
	}
	want := "Finds large classes hard;\nleaves lessons when anxious.\nCalmer one to one."
	if got := appQueryString(t, a, `SELECT answers->>'needs' FROM referrals WHERE id = $1`, id); got != want {
		t.Errorf("saved needs %q, want %q", got, want)
	}
	upload := appRiskAssessment("2", "11", "2026")
	upload.Set("description", "Reviewed\u202E with the family")
	if r := appUpload(t, a, c, key, upload, "risk\u202Efdp.assessment.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d; %q", r.StatusCode, appErrorSummary(t, r))
	}
	if got := appQueryString(t, a, `SELECT description FROM referral_documents WHERE referral_id = $1`, id); got != "Reviewed with the family" {
		t.Errorf("saved description %q", got)
	}
	if r := c.Post("/referrals/"+key+"/documents", url.Values{"intent": {"no_commissioning"}, "no_commissioning": {"yes"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("no commissioning agreement: %d", r.StatusCode)
	}
	check := c.Get("/referrals/" + key + "/check")
	noHiddenControls(t, "the check-answers page", check.Body)
	if r := c.Post("/referrals/"+key+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d; %q", r.StatusCode, appErrorSummary(t, r))
	}

	ref := pwGet(t, a, referral.Referral{Reference: appQueryString(t, a, `SELECT reference FROM referrals WHERE id = $1`, id)})
	ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
	noHiddenControls(t, "the referral's page", pwSignedIn(t, a, pwRidgeway).Get(ref.URL()).Body)
	pack := pwSignedIn(t, a, pwRidgeway).Get(ref.URL() + "/pack.pdf")
	if pack.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d", pack.StatusCode)
	}
	file := filepath.Join(t.TempDir(), "pack.pdf")
	if err := os.WriteFile(file, []byte(pack.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tool := range [][]string{{"pdftotext", "-enc", "UTF-8", file, "-"}, {"pdfinfo", "-enc", "UTF-8", file}, {"pdfdetach", "-enc", "UTF-8", "-list", file}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			t.Skipf("%s not installed (poppler-utils)", tool[0])
		}
		out, err := exec.Command(tool[0], tool[1:]...).Output()
		if err != nil {
			t.Fatalf("%s: %v", tool[0], err)
		}
		noHiddenControls(t, "the pack's "+tool[0], string(out))
		if tool[0] == "pdftotext" && !strings.Contains(string(out), "leaves lessons when anxious.") {
			t.Errorf("the pack lacks the answer:\n%s", out)
		}
	}
}
