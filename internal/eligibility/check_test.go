package eligibility

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

func day(y int, m time.Month, d int) calendar.Date { return calendar.NewDate(y, m, d) }

// The reference pack's programme kinds, with the rules eligibility needs.
var (
	course      = Programme{Name: "Level 1 Motor Vehicle Maintenance", Tier: 1, Kind: "course", Active: true}
	insight     = Programme{Name: "Insight: Healthy Relationships", Tier: 2, Kind: "insight", Active: true}
	flourish    = Programme{Name: "Flourish", Tier: 2, Kind: "flourish", Active: true}
	transfer    = Programme{Name: "Supported Transfer", Tier: 3, Kind: "supported_transfer", Active: true}
	refocus     = Programme{Name: "Refocus", Tier: 3, Kind: "refocus", YearGroups: []int{7, 8, 9, 10, 11}, Active: true}
	post16      = Programme{Name: "Year 11 Post-16 Programme at Lumen Academy", Tier: 1, Kind: "year11_post16", YearGroups: []int{11}, Active: true}
	focus11     = Programme{Name: "Focus 11", Tier: 3, Kind: "focus11", YearGroups: []int{11}, Active: true, Windows: []Window{autumn2526}}
	autumn2526  = Window{AcademicYear: "2025/26", Opens: day(2025, time.September, 1), Closes: day(2025, time.December, 19), Label: "the autumn term of 2025/26"}
	autumn2728  = Window{AcademicYear: "2027/28", Opens: day(2027, time.September, 1), Closes: day(2027, time.December, 17), Label: "the autumn term of 2027/28"}
	today2026   = day(2026, time.November, 23)
	retired     = func(p Programme) Programme { p.Active = false; return p }
	withWindows = func(p Programme, ws ...Window) Programme { p.Windows = ws; return p }
)

const (
	noSLARefocus = "Refocus is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Whitmore Park Academy has no signed SLA for 2026/27."
	retiredText  = "This programme has been retired from the CAP Directory and no longer takes referrals."
	focus11Past  = "Focus 11 took referrals only in the autumn term of 2025/26."
)

func TestCheckAnswersEveryProgrammeKind(t *testing.T) {
	tests := []struct {
		name   string
		prog   Programme
		sla    bool
		year   int
		today  calendar.Date
		want   []string // nil: the school may refer
		school string
	}{
		// Tier 1 and Tier 2 are open to every school; without the SLA a Tier 2 case only loses priority.
		{name: "course with SLA", prog: course, sla: true, year: 9},
		{name: "course without SLA", prog: course, sla: false, year: 9},
		{name: "insight without SLA", prog: insight, sla: false, year: 8},
		{name: "flourish with SLA", prog: flourish, sla: true, year: 10},
		{name: "flourish without SLA", prog: flourish, sla: false, year: 10},
		{name: "year 11 post-16 without SLA", prog: post16, sla: false, year: 11},
		// Tier 3 is only for SLA schools.
		{name: "supported transfer with SLA", prog: transfer, sla: true, year: 9},
		{name: "supported transfer without SLA", prog: transfer, sla: false, year: 9,
			want: []string{"Supported Transfer is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Whitmore Park Academy has no signed SLA for 2026/27."}},
		{name: "refocus with SLA", prog: refocus, sla: true, year: 9},
		{name: "refocus without SLA", prog: refocus, sla: false, year: 9, want: []string{noSLARefocus}},
		{name: "refocus without SLA before a student is chosen", prog: refocus, sla: false, year: 0, want: []string{noSLARefocus}},
		{name: "no school name says your school", prog: refocus, sla: false, year: 9, school: "-",
			want: []string{"Refocus is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and your school has no signed SLA for 2026/27."}},
		// Focus 11 took referrals only in the autumn term of 2025/26.
		{name: "focus 11 in 2026", prog: focus11, sla: true, year: 11, want: []string{focus11Past}},
		{name: "focus 11 in 2026 without SLA", prog: focus11, sla: false, year: 11,
			want: []string{"Focus 11 is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Whitmore Park Academy has no signed SLA for 2026/27.", focus11Past}},
		// Retired programmes take no referrals, whoever asks.
		{name: "retired course", prog: retired(course), sla: true, year: 9, want: []string{retiredText}},
		{name: "retired refocus without SLA, wrong year, every reason", prog: retired(refocus), sla: false, year: 12,
			want: []string{retiredText, noSLARefocus, "Refocus is for Years 7 to 11; Jordan is in Year 12."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			today := tc.today
			if today.IsZero() {
				today = today2026
			}
			school := tc.school
			switch school {
			case "":
				school = "Whitmore Park Academy"
			case "-":
				school = ""
			}
			err := Check(Request{Programme: tc.prog, SchoolName: school, AcademicYear: "2026/27", SchoolHasSLA: tc.sla,
				YearGroup: tc.year, StudentName: "Jordan", Today: today})
			assertReasons(t, err, tc.want)
		})
	}
}

func TestCheckYearGroupEdges(t *testing.T) {
	anyYear := course                      // no year groups: 7–11
	focus11AnyTime := withWindows(focus11) // the year-group rule alone, without the window
	tests := []struct {
		prog Programme
		year int
		want string
	}{
		{anyYear, 7, ""},
		{anyYear, 11, ""},
		{anyYear, 6, "Level 1 Motor Vehicle Maintenance is for Years 7 to 11; Jordan is in Year 6."},
		{anyYear, 12, "Level 1 Motor Vehicle Maintenance is for Years 7 to 11; Jordan is in Year 12."},
		{refocus, 7, ""},
		{refocus, 11, ""},
		{refocus, 6, "Refocus is for Years 7 to 11; Jordan is in Year 6."},
		{refocus, 12, "Refocus is for Years 7 to 11; Jordan is in Year 12."},
		{post16, 11, ""},
		{post16, 10, "Year 11 Post-16 Programme at Lumen Academy is for Year 11; Jordan is in Year 10."},
		{focus11AnyTime, 11, ""},
		{focus11AnyTime, 10, "Focus 11 is for Year 11; Jordan is in Year 10."},
		{focus11AnyTime, 9, "Focus 11 is for Year 11; Jordan is in Year 9."},
		{Programme{Name: "Catch-up Club", Tier: 1, Active: true, YearGroups: []int{10, 7, 9}}, 8, "Catch-up Club is for Years 7, 9 and 10; Jordan is in Year 8."},
		// No student chosen yet: nothing to check.
		{post16, 0, ""},
	}
	for _, tc := range tests {
		err := Check(Request{Programme: tc.prog, SchoolName: "Whitmore Park Academy", AcademicYear: "2026/27", SchoolHasSLA: true,
			YearGroup: tc.year, StudentName: "Jordan", Today: today2026})
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		t.Run(fmt.Sprintf("%s Year %d", tc.prog.Name, tc.year), func(t *testing.T) { assertReasons(t, err, want) })
	}
}

func TestCheckYearGroupWithoutStudentName(t *testing.T) {
	err := Check(Request{Programme: withWindows(focus11), SchoolHasSLA: true, YearGroup: 10, Today: today2026})
	assertReasons(t, err, []string{"Focus 11 is for Year 11; this student is in Year 10."})
}

func TestCheckFocus11WindowIn2025(t *testing.T) {
	tests := []struct {
		today calendar.Date
		want  []string
	}{
		{day(2025, time.August, 31), []string{"Focus 11 takes referrals from 1 September 2025 (the autumn term of 2025/26)."}},
		{day(2025, time.September, 1), nil},
		{day(2025, time.October, 15), nil},
		{day(2025, time.December, 19), nil},
		{day(2025, time.December, 20), []string{focus11Past}},
		{day(2026, time.January, 5), []string{focus11Past}},
	}
	for _, tc := range tests {
		t.Run(tc.today.String(), func(t *testing.T) {
			err := Check(Request{Programme: focus11, SchoolName: "Whitmore Park Academy", AcademicYear: calendar.AcademicYearCode(tc.today),
				SchoolHasSLA: true, YearGroup: 11, StudentName: "Jordan", Today: tc.today})
			assertReasons(t, err, tc.want)
		})
	}
}

func TestCheckWindowStillToComeSaysWhenToComeBack(t *testing.T) {
	p := withWindows(focus11, autumn2526, autumn2728)
	err := Check(Request{Programme: p, SchoolHasSLA: true, YearGroup: 11, Today: today2026})
	assertReasons(t, err, []string{"Focus 11 takes referrals from 1 September 2027 (the autumn term of 2027/28)."})

	unlabelled := withWindows(focus11, Window{Opens: day(2027, time.January, 4), Closes: day(2027, time.March, 26)})
	err = Check(Request{Programme: unlabelled, SchoolHasSLA: true, YearGroup: 11, Today: today2026})
	assertReasons(t, err, []string{"Focus 11 takes referrals from 4 January 2027."})
}

func TestCheckPastWindowsAreAllNamed(t *testing.T) {
	spring := Window{AcademicYear: "2025/26", Opens: day(2026, time.January, 5), Closes: day(2026, time.March, 27), Label: "the spring term of 2025/26"}
	p := withWindows(focus11, spring, autumn2526)
	err := Check(Request{Programme: p, SchoolHasSLA: true, YearGroup: 11, Today: today2026})
	assertReasons(t, err, []string{"Focus 11 took referrals only in the autumn term of 2025/26 and the spring term of 2025/26."})

	unlabelled := withWindows(focus11, Window{Opens: day(2025, time.September, 1), Closes: day(2025, time.December, 19)})
	err = Check(Request{Programme: unlabelled, SchoolHasSLA: true, YearGroup: 11, Today: today2026})
	assertReasons(t, err, []string{"Focus 11 took referrals only from 1 September 2025 to 19 December 2025."})
}

func TestCheckDerivesAcademicYearFromToday(t *testing.T) {
	err := Check(Request{Programme: refocus, SchoolName: "Sowe Bank School", YearGroup: 9, Today: today2026})
	assertReasons(t, err, []string{"Refocus is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Sowe Bank School has no signed SLA for 2026/27."})
}

func TestCheckGivesEveryReasonAtOnce(t *testing.T) {
	err := Check(Request{Programme: retired(focus11), SchoolName: "Sowe Bank School", AcademicYear: "2026/27",
		YearGroup: 9, StudentName: "Jordan", Today: today2026})
	assertReasons(t, err, []string{
		retiredText,
		"Focus 11 is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Sowe Bank School has no signed SLA for 2026/27.",
		"Focus 11 is for Year 11; Jordan is in Year 9.",
		focus11Past,
	})
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("error %T is not a *Refusal", err)
	}
	if got := r.Error(); got != retiredText+" Focus 11 is a Tier 3 programme. Tier 3 is only for schools with the CAP SLA, and Sowe Bank School has no signed SLA for 2026/27. Focus 11 is for Year 11; Jordan is in Year 9. "+focus11Past {
		t.Errorf("Error() = %q", got)
	}
	if Reasons(nil) != nil || len(Reasons(err)) != 4 {
		t.Errorf("Reasons: got %v for nil and %d for the refusal", Reasons(nil), len(Reasons(err)))
	}
}

func assertReasons(t *testing.T, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("refused, want allowed: %v", err)
		}
		return
	}
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("got %v (%T), want a *Refusal with %q", err, err, want)
	}
	if !slices.Equal(r.Reasons, want) {
		t.Errorf("reasons:\n got  %q\n want %q", r.Reasons, want)
	}
}
