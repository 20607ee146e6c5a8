package student_test

import (
	"testing"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/student"
)

// A coordinator of two schools may be told that a UPN is at the other one; a school they only see, or
// one they have nothing to do with, is never named.
func TestUPNProblemNamesOnlyASchoolTheActorCoordinates(t *testing.T) {
	a := student.Actor{Principal: &auth.Principal{Memberships: []auth.Membership{
		{OrgID: 1, OrgKind: auth.School, OrgName: "Whitmore Park Academy", Role: auth.Coordinator},
		{OrgID: 2, OrgKind: auth.School, OrgName: "Tile Hill Academy", Role: auth.Coordinator},
		{OrgID: 3, OrgKind: auth.School, OrgName: "Canley Brook Academy", Role: auth.Headteacher},
	}}}
	for _, tt := range []struct {
		school int64
		name   string
		want   string
	}{
		{2, "Tile Hill Academy", "A student at Tile Hill Academy already has this UPN"},
		{3, "Canley Brook Academy", student.UPNContactCAP},
		{4, "Earlsdon Academy", student.UPNContactCAP},
	} {
		if got := student.UPNProblem(a, tt.school, tt.name); got != tt.want {
			t.Errorf("UPN at %s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
