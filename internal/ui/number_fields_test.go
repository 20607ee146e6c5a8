package ui_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// What strconv reads as a number but a person does not mean as one is refused, keeping what was typed.
func TestAttendanceThatIsNotAPlainNumberIsRefusedKeepingWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	needs, _ := referral.SectionByID("course", referral.SectionNeeds)
	for _, typed := range []string{"NaN", "1e2", "-0", "+5", "0x10", "101", "８５"} {
		form := appSectionAnswers(needs, "")
		form.Set("attendance", typed)
		r := c.Post("/referrals/"+key+"/sections/needs", form)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("attendance %q: %d, want 422", typed, r.StatusCode)
			continue
		}
		doc := r.Doc(t)
		if got := errorSummary(doc); !slices.Equal(got, []string{"#attendance Enter the attendance as a number between 0 and 100, like 85"}) {
			t.Errorf("attendance %q: error summary %q", typed, got)
		}
		if got := doc.Find("input#attendance").AttrOr("value", ""); got != typed {
			t.Errorf("attendance %q shown again as %q", typed, got)
		}
	}
	// The check-answers page shows a draft's answer that is not a number as typed, not as "NaN%".
	form := appSectionAnswers(needs, "")
	form.Set("attendance", "NaN")
	c.Post("/referrals/"+key+"/sections/needs", form)
	if body := c.Get("/referrals/" + key + "/check").Body; !strings.Contains(body, "NaN") || strings.Contains(body, "NaN%") {
		t.Error("the check-answers page does not show NaN as typed, or shows it as NaN%")
	}
	for typed, shown := range map[string]string{"87.5": "87.5%", "85%": "85%", "084.50": "84.5%"} {
		form.Set("attendance", typed)
		if r := c.Post("/referrals/"+key+"/sections/needs", form); r.StatusCode != http.StatusSeeOther {
			t.Errorf("attendance %q: %d, want 303; %q", typed, r.StatusCode, errorSummary(r.Doc(t)))
			continue
		}
		if got := needsAttendance(t).Display(typed); got != shown {
			t.Errorf("attendance %q shows as %q, want %q", typed, got, shown)
		}
	}
}

func needsAttendance(t *testing.T) referral.Field {
	t.Helper()
	needs, _ := referral.SectionByID("course", referral.SectionNeeds)
	for _, f := range needs.Fields {
		if f.Name == "attendance" {
			return f
		}
	}
	t.Fatal("no attendance question")
	return referral.Field{}
}

// The programme form's numbers are read the same way.
func TestProgrammeNumbersAreOnlyPlainDigits(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	bright := orgIDBySlug(t, a, "brightspark")
	for _, tt := range []struct{ field, typed, want string }{
		{"days_per_week", "+1", "#days_per_week Enter the days a week as a whole number between 1 and 5, like 2"},
		{"duration_weeks", "1e1", "#duration_weeks Enter the number of weeks as a whole number between 1 and 52, like 12, or leave it blank"},
		{"capacity", "0x10", "#capacity Enter the places in each cohort as a whole number between 1 and 999, like 25, or leave it blank"},
		{"fee", "NaN", "#fee Enter the fee in pounds, like 65 or 1,250.50, or leave it blank"},
		{"fee", "1,2,5,0", "#fee Enter the fee in pounds, like 65 or 1,250.50, or leave it blank"},
	} {
		form := dirValidProgramme(bright)
		form.Set(tt.field, tt.typed)
		r := admin.Post("/admin/programmes", form)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %q: %d, want 422", tt.field, tt.typed, r.StatusCode)
			continue
		}
		doc := r.Doc(t)
		if got := errorSummary(doc); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("%s %q: error summary %q, want %q", tt.field, tt.typed, got, tt.want)
		}
		if got := doc.Find("#"+tt.field).AttrOr("value", ""); got != tt.typed {
			t.Errorf("%s %q shown again as %q", tt.field, tt.typed, got)
		}
	}
	form := dirValidProgramme(bright)
	form.Set("fee", "£1,250.50")
	if r := admin.Post("/admin/programmes", form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a fee of £1,250.50: %d, want 303; %q", r.StatusCode, errorSummary(r.Doc(t)))
	}
}

// A date's parts are plain digits too: "+4" is not the 4th.
func TestADatePartWithASignIsNotARealDate(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	form := studentValidForm()
	form.Set("dob-day", "+4")
	r := c.Post("/students", form)
	if got := errorSummary(r.Doc(t)); r.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"#dob-day Date of birth must be a real date"}) {
		t.Errorf("day +4: %d, %q", r.StatusCode, got)
	}
}
