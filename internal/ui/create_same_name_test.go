package ui_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// These prove that only a true double submit (every field as the record already has it) lands on the
// existing record; a different record with a name or UPN already taken comes back with what was typed.

func TestAddingADifferentProviderWithATakenNameKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	first := admin.Post("/admin/providers", dirValidProvider())
	if first.StatusCode != http.StatusSeeOther {
		t.Fatalf("add provider: %d", first.StatusCode)
	}
	if r := admin.Post("/admin/providers", dirValidProvider()); r.StatusCode != http.StatusSeeOther || r.Location() != first.Location() {
		t.Errorf("the same form again: %d to %q, want 303 to %s", r.StatusCode, r.Location(), first.Location())
	}
	if msg, _ := banner(mustGet(t, admin, first.Location())); msg != "Skyline Access Training is already in the CAP Directory" {
		t.Errorf("banner after the double submit %q", msg)
	}

	other := dirValidProvider()
	other.Set("dsl_email", "safeguarding@other.provider.example")
	other.Set("site-1-name", "Canal yard")
	r := admin.Post("/admin/providers", other)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a different provider with the same name: %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := errorSummary(doc); !slices.Equal(got, []string{"#name A provider called Skyline Access Training is already in the CAP Directory"}) {
		t.Errorf("error summary %q", got)
	}
	for id, want := range map[string]string{"name": "Skyline Access Training", "dsl_email": "safeguarding@other.provider.example", "site-1-name": "Canal yard"} {
		if got, _ := doc.Find("#" + id).Attr("value"); got != want {
			t.Errorf("#%s kept %q, want %q", id, got, want)
		}
	}
	if n := dirCount(t, a, `SELECT count(*) FROM organisations WHERE name = 'Skyline Access Training'`); n != 1 {
		t.Errorf("%d providers called Skyline Access Training, want 1", n)
	}
}

func TestAddingADifferentProgrammeWithATakenNameKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	bright := orgIDBySlug(t, a, "brightspark")
	first := admin.Post("/admin/programmes", dirValidProgramme(bright))
	if first.StatusCode != http.StatusSeeOther {
		t.Fatalf("add programme: %d", first.StatusCode)
	}
	if r := admin.Post("/admin/programmes", dirValidProgramme(bright)); r.StatusCode != http.StatusSeeOther || r.Location() != first.Location() {
		t.Errorf("the same form again: %d to %q, want 303 to %s", r.StatusCode, r.Location(), first.Location())
	}

	other := dirValidProgramme(bright)
	other.Set("description", "Building and flying racing drones.")
	other.Set("capacity", "6")
	r := admin.Post("/admin/programmes", other)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a different programme with the same name: %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := errorSummary(doc); !slices.Equal(got, []string{"#name A programme called Drone Piloting from this provider is already in the CAP Directory"}) {
		t.Errorf("error summary %q", got)
	}
	if got, _ := doc.Find("#capacity").Attr("value"); got != "6" || !strings.Contains(doc.Find("#description").Text(), "racing drones") {
		t.Errorf("capacity %q and description %q not kept", got, doc.Find("#description").Text())
	}
	if n := dirCount(t, a, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); n != 1 {
		t.Errorf("%d programmes called Drone Piloting, want 1", n)
	}
}

func TestAddingADifferentStudentWithATakenUPNKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	if r := c.Post("/students", studentValidForm()); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", r.StatusCode)
	}
	other := studentValidForm()
	// The same name and date of birth, so only the details further down tell it apart.
	other.Set("contact1_phone", "07700 900999")
	other.Set("prof1_name", "Sam Reid")
	r := c.Post("/students", other)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a different student with the same UPN: %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := errorSummary(doc); !slices.Equal(got, []string{"#upn A student at Whitmore Park Academy already has this UPN"}) {
		t.Errorf("error summary %q", got)
	}
	for sel, want := range map[string]string{"#upn": "H331290119101", "#contact1_phone": "07700 900999", "#prof1_name": "Sam Reid"} {
		if got := doc.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q, want the typed %q", sel, got, want)
		}
	}
	if n := studentCount(t, a, `SELECT count(*) FROM student_professionals WHERE name = 'Sam Reid'`); n != 0 {
		t.Errorf("the refused student's professional was saved")
	}
}
