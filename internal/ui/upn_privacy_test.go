package ui_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// upnContactCAP is the one answer a coordinator gets for a UPN another school's student has.
const upnContactCAP = "Contact CAP about this UPN: it cannot be added to your school’s students"

// upnLeaks reports what in a page would tell a Whitmore coordinator about Canley Brook's Freya.
func upnLeaks(body string) []string {
	var out []string
	for _, s := range []string{"Canley", "Freya", "Oakley", "another school", "already has this UPN"} {
		if strings.Contains(body, s) {
			out = append(out, s)
		}
	}
	return out
}

// The add form, the edit form and the import preview answer a UPN that Canley Brook's student has in
// the same words, which say only to contact CAP; a valid UPN nobody has is simply saved, and a UPN on
// the coordinator's own roll may say so.
func TestAUPNAnotherSchoolHasIsAnsweredOnlyWithContactCAPEverywhere(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)

	// The add form.
	form := studentValidForm()
	form.Set("upn", studentFreyaUPN)
	r := c.Post("/students", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("add with Freya's UPN: %d, want 422", r.StatusCode)
	}
	added := errorSummary(r.Doc(t))
	if !slices.Equal(added, []string{"#upn " + upnContactCAP}) {
		t.Errorf("add form's error summary %q, want only %q", added, upnContactCAP)
	}
	if leaks := upnLeaks(r.Body); len(leaks) > 0 {
		t.Errorf("the add form's refusal says %q", leaks)
	}
	if got := r.Doc(t).Find("#upn").AttrOr("value", ""); got != studentFreyaUPN {
		t.Errorf("the UPN typed was not kept: %q", got)
	}

	// The edit form, changing Kai's UPN to Freya's.
	kai := studentPath(t, a, studentKaiUPN)
	edit := studentFormFromPage(c.Get(kai + "/edit").Doc(t))
	edit.Set("upn", studentFreyaUPN)
	r = c.Post(kai, edit)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("edit to Freya's UPN: %d, want 422", r.StatusCode)
	}
	if got := errorSummary(r.Doc(t)); !slices.Equal(got, added) {
		t.Errorf("edit form's error summary %q, want the add form's %q", got, added)
	}
	if leaks := upnLeaks(r.Body); len(leaks) > 0 {
		t.Errorf("the edit form's refusal says %q", leaks)
	}

	// The import preview.
	csv := "UPN,Legal forename,Legal surname,DOB,Sex,Year\n" + studentFreyaUPN + ",Fran,Oates,12/05/2012,F,10\n"
	r = studentPostFile(t, c, a, "students.csv", []byte(csv), nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", r.StatusCode)
	}
	rows := tableRows(r.Doc(t).Find(`[data-testid="import-rows"]`))
	if want := "2 | " + studentFreyaUPN + " | Fran Oates | Error | " + upnContactCAP; !slices.Equal(rows, []string{want}) {
		t.Errorf("preview rows %q, want %q", rows, want)
	}
	if leaks := upnLeaks(r.Body); len(leaks) > 0 {
		t.Errorf("the import preview says %q", leaks)
	}

	// A valid UPN no school has is saved.
	form.Set("upn", "H331290119101")
	if r := c.Post("/students", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add with a UPN nobody has: %d, want 303; the page says %q", r.StatusCode, errorSummary(r.Doc(t)))
	}

	// A UPN on Whitmore's own roll may say whose it is.
	form.Set("upn", studentKaiUPN)
	r = c.Post("/students", form)
	if got := errorSummary(r.Doc(t)); r.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Equal(got, []string{"#upn A student at Whitmore Park Academy already has this UPN"}) {
		t.Errorf("add with Kai's UPN: %d, %q", r.StatusCode, got)
	}
}
