package ui_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestStudentListTreatsACursorFromAnotherSchoolAsNoCursor(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(studentWhitmoreCoordinator)
	// Freya Oakley is at Canley Brook; her surname sorts between two of Whitmore's students.
	freya := strings.TrimPrefix(studentPath(t, a, studentFreyaUPN), "/students/")
	first := studentRowText(c.Get("/students").Doc(t))
	if len(first) != 15 {
		t.Fatalf("first page has %d students, want Whitmore's 15", len(first))
	}
	for _, q := range []string{"after=" + freya, "before=" + freya} {
		if got := studentRowText(c.Get("/students?" + q).Doc(t)); !slices.Equal(got, first) {
			t.Errorf("/students?%s listed %d students, want the first page as if there were no cursor", q, len(got))
		}
	}
}
