package directory_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/seed"
)

var ctx = context.Background()

// demoStart is the portal's test "today": Monday 23 November 2026.
var demoStart = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

// newDirectory returns a fresh database with the demo data loaded, and a store on it.
func newDirectory(t *testing.T) (*pgxpool.Pool, directory.Store) {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(demoStart)
	if _, err := seed.LoadDemo(ctx, pool, clock, "test-password-123"); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	return pool, directory.Store{DB: pool, Clock: clock}
}

var admin = directory.Actor{Email: "admin@cap.example", RequestID: "test"}

func programmeBySlug(t *testing.T, pool *pgxpool.Pool, slug string) directory.Programme {
	t.Helper()
	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM programmes WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("programme %s: %v", slug, err)
	}
	p, err := directory.On(pool).GetProgramme(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func orgID(t *testing.T, pool *pgxpool.Pool, slug string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("organisation %s: %v", slug, err)
	}
	return id
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// allResults pages through a search and returns every programme it finds, failing on a repeat.
func allResults(t *testing.T, pool *pgxpool.Pool, f directory.Filter) (ids []int64, byID map[int64]directory.Programme, total int) {
	t.Helper()
	byID = map[int64]directory.Programme{}
	for page := 1; ; page++ {
		res, err := directory.On(pool).Search(ctx, f, page)
		if err != nil {
			t.Fatal(err)
		}
		if res.Page != page {
			break
		}
		total = res.Total
		if len(res.Programmes) > directory.PageSize {
			t.Fatalf("page %d has %d programmes, more than a page", page, len(res.Programmes))
		}
		for _, p := range res.Programmes {
			if _, dup := byID[p.ID]; dup {
				t.Fatalf("programme %d (%s) on two pages", p.ID, p.Name)
			}
			byID[p.ID] = p
			ids = append(ids, p.ID)
		}
		if page >= res.Pages {
			break
		}
	}
	return ids, byID, total
}

func TestDemoDirectoryHasTheReferencePacksProgrammesAndEnoughCourses(t *testing.T) {
	pool, _ := newDirectory(t)
	if n := count(t, pool, `SELECT count(*) FROM programmes WHERE kind = 'course' AND tier = 1 AND active`); n < 120 {
		t.Errorf("%d Tier 1 courses, want at least 120", n)
	}
	if n := count(t, pool, `SELECT count(DISTINCT organisation_id) FROM programmes WHERE kind = 'course'`); n < 50 {
		t.Errorf("Tier 1 courses from %d providers, want at least 50", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM organisations o WHERE kind = 'provider' AND NOT EXISTS (SELECT 1 FROM programmes p WHERE p.organisation_id = o.id)`); n != 0 {
		t.Errorf("%d providers run nothing", n)
	}
	if n := count(t, pool, `SELECT count(DISTINCT category) FROM programmes WHERE kind = 'course'`); n != 5 {
		t.Errorf("courses in %d categories, want the 5", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM organisations o WHERE kind = 'provider' AND NOT EXISTS (SELECT 1 FROM provider_details d WHERE d.organisation_id = o.id AND d.dsl_name <> '')`); n != 0 {
		t.Errorf("%d providers without a DSL contact", n)
	}

	refocus := programmeBySlug(t, pool, "capa-refocus")
	if refocus.Tier != 3 || refocus.ProviderName != "Coventry AP Academy" || refocus.CapacityPerCohort != 25 || refocus.DurationWeeks != 10 || refocus.DaysPerWeek != 4 || !refocus.GoesToPanel {
		t.Errorf("Refocus = %+v", refocus)
	}
	f11 := programmeBySlug(t, pool, "capa-focus-11")
	want := []directory.Window{{ID: f11.Windows[0].ID, AcademicYear: "2025/26", Opens: calendar.NewDate(2025, time.September, 1), Closes: calendar.NewDate(2025, time.December, 19), Label: "the autumn term of 2025/26"}}
	if f11.Tier != 3 || !slices.Equal(f11.YearGroups, []int{11}) || f11.DurationWeeks != 10 || !f11.GoesToPanel || !slices.Equal(f11.Windows, want) {
		t.Errorf("Focus 11 = %+v, windows %+v", f11, f11.Windows)
	}
	st := programmeBySlug(t, pool, "supported-transfer")
	if st.Tier != 3 || st.ProviderID != 0 || !st.GoesToPanel {
		t.Errorf("Supported Transfer = %+v", st)
	}

	rows, err := pool.Query(ctx, `SELECT kind, tier, days_per_week, duration_weeks, goes_to_panel, year_groups, provider_name FROM programmes WHERE kind IN ('insight', 'flourish', 'year11_post16')`)
	if err != nil {
		t.Fatal(err)
	}
	type special struct {
		Kind     string
		Tier     int
		Days     int
		Weeks    *int
		Panel    bool
		Years    []int32
		Provider string
	}
	specials, err := pgx.CollectRows(rows, pgx.RowToStructByPos[special])
	if err != nil {
		t.Fatal(err)
	}
	post16 := map[string]bool{}
	kinds := map[string]int{}
	for _, s := range specials {
		kinds[s.Kind]++
		switch s.Kind {
		case "insight":
			if s.Tier != 2 || s.Days != 1 || s.Weeks == nil || *s.Weeks < 6 || *s.Weeks > 12 || s.Panel {
				t.Errorf("Insight breaks its rules: %+v", s)
			}
		case "flourish":
			if s.Tier != 2 || s.Days != 2 || s.Weeks == nil || *s.Weeks != 12 || !s.Panel {
				t.Errorf("Flourish breaks its rules: %+v", s)
			}
		case "year11_post16":
			if s.Days > 2 || !slices.Equal(s.Years, []int32{11}) {
				t.Errorf("Year 11 Post-16 breaks its rules: %+v", s)
			}
			post16[s.Provider] = true
		}
	}
	if kinds["insight"] < 3 || kinds["flourish"] < 3 {
		t.Errorf("kinds = %v, want a few Insight and Flourish programmes", kinds)
	}
	approved := map[string]bool{"Work 'N' Learn": true, "Lumen Academy": true, "MW Impact": true, "Intuitive Thinking Skills": true, "Outdoor Education Service": true, "Pet-Xi": true}
	if len(post16) != 6 {
		t.Errorf("Year 11 Post-16 providers = %v, want the six approved", post16)
	}
	for p := range post16 {
		if !approved[p] {
			t.Errorf("%s runs a Year 11 Post-16 programme but is not approved", p)
		}
	}
}

func TestLoadDemoTwiceAddsNothingAndKeepsCAPsChanges(t *testing.T) {
	pool, store := newDirectory(t)
	motor := programmeBySlug(t, pool, "pistonworks-motorcycle-maintenance")
	in := inputFrom(motor)
	in.Name = "Motorcycle Maintenance and Repair"
	if _, err := store.UpdateProgramme(ctx, admin, motor.ID, in); err != nil {
		t.Fatal(err)
	}
	bike := programmeBySlug(t, pool, "pistonworks-bike-build-project")
	if _, err := store.RetireProgramme(ctx, admin, bike.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM provider_sites WHERE name = 'Academy Annexe'`); err != nil {
		t.Fatal(err)
	}
	before := count(t, pool, `SELECT count(*) FROM programmes`) + 1000*count(t, pool, `SELECT count(*) FROM programme_windows`) + 100000*count(t, pool, `SELECT count(*) FROM provider_sites`)

	if _, err := seed.LoadDemo(ctx, pool, calendar.NewFixed(demoStart), "test-password-123"); err != nil {
		t.Fatal(err)
	}
	after := count(t, pool, `SELECT count(*) FROM programmes`) + 1000*count(t, pool, `SELECT count(*) FROM programme_windows`) + 100000*count(t, pool, `SELECT count(*) FROM provider_sites`)
	if after != before {
		t.Errorf("second load changed the counts: %d, was %d", after, before)
	}
	if got := programmeBySlug(t, pool, "pistonworks-motorcycle-maintenance").Name; got != "Motorcycle Maintenance and Repair" {
		t.Errorf("renamed programme is called %q after a second load", got)
	}
	if programmeBySlug(t, pool, "pistonworks-bike-build-project").Active {
		t.Error("retired programme is active again after a second load")
	}
}

// inputFrom is the input that would save a programme unchanged.
func inputFrom(p directory.Programme) directory.ProgrammeInput {
	in := directory.ProgrammeInput{
		Kind: p.Kind, Name: p.Name, ProviderID: p.ProviderID, Category: p.Category, Description: p.Description,
		Qualifications: p.Qualifications, Duration: p.Duration, DurationWeeks: p.DurationWeeks, DaysPerWeek: p.DaysPerWeek,
		Days: slices.Clone(p.Days), FeePence: p.FeePence, FeeBasis: p.FeeBasis, YearGroups: slices.Clone(p.YearGroups),
		CapacityPerCohort: p.CapacityPerCohort,
	}
	for _, w := range p.Windows {
		in.Windows = append(in.Windows, directory.WindowInput{ID: w.ID, AcademicYear: w.AcademicYear, Opens: w.Opens, Closes: w.Closes, Label: w.Label})
	}
	return in
}

func TestSearchRanksACourseFoundByAWordInItsDescription(t *testing.T) {
	pool, _ := newDirectory(t)
	res, err := directory.On(pool).Search(ctx, directory.Filter{Text: "carburettors"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Programmes) != 1 || res.Programmes[0].Name != "Motorcycle Maintenance" {
		t.Fatalf("search for carburettors found %d: %v", res.Total, names(res.Programmes))
	}

	// A word in the name outranks the same word in a description or qualification.
	res, err = directory.On(pool).Search(ctx, directory.Filter{Text: "construction"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := names(res.Programmes)
	if len(got) < 4 || !strings.Contains(got[0], "Construction") || !strings.Contains(got[1], "Construction") {
		t.Fatalf("construction: %v, want the courses named for it first", got)
	}
	if strings.Contains(got[len(got)-1], "Construction") {
		t.Errorf("construction: %v, want courses that only mention it last", got)
	}

	// The provider's name is searched too.
	res, err = directory.On(pool).Search(ctx, directory.Filter{Text: "Ridgeway"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Programmes {
		if p.ProviderName != "Ridgeway Motor Skills" {
			t.Errorf("Ridgeway found %s at %s", p.Name, p.ProviderName)
		}
	}
	if res.Total != 4 {
		t.Errorf("Ridgeway found %d, want its 4 courses", res.Total)
	}
}

func TestSearchIgnoresWordsTooCommonToSearchFor(t *testing.T) {
	pool, _ := newDirectory(t)
	res, err := directory.On(pool).Search(ctx, directory.Filter{Text: "the and of"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	all := count(t, pool, `SELECT count(*) FROM programmes WHERE active`)
	if !res.TextIgnored || res.Total != all {
		t.Errorf("stop words: ignored %v, total %d; want ignored and all %d", res.TextIgnored, res.Total, all)
	}
}

func names(ps []directory.Programme) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func TestSearchFiltersAloneAndCombinedMatchEveryProgrammeThatFits(t *testing.T) {
	pool, _ := newDirectory(t)
	_, every, total := allResults(t, pool, directory.Filter{})
	if total != len(every) || total != count(t, pool, `SELECT count(*) FROM programmes WHERE active`) {
		t.Fatalf("unfiltered: total %d, paged through %d", total, len(every))
	}
	ridgeway := orgID(t, pool, "ridgeway")
	cases := []struct {
		name string
		f    directory.Filter
		fits func(directory.Programme) bool
	}{
		{"tier 3", directory.Filter{Tier: 3}, func(p directory.Programme) bool { return p.Tier == 3 }},
		{"tier 2", directory.Filter{Tier: 2}, func(p directory.Programme) bool { return p.Tier == 2 }},
		{"category", directory.Filter{Category: "Employability"}, func(p directory.Programme) bool { return p.Category == "Employability" }},
		{"provider", directory.Filter{ProviderID: ridgeway}, func(p directory.Programme) bool { return p.ProviderID == ridgeway }},
		{"day", directory.Filter{Day: time.Wednesday}, func(p directory.Programme) bool { return slices.Contains(p.Days, time.Wednesday) }},
		{"year group", directory.Filter{YearGroup: 7}, func(p directory.Programme) bool { return slices.Contains(p.YearGroups, 7) }},
		{"category, day and year group", directory.Filter{Category: "Vocational Learning", Day: time.Thursday, YearGroup: 11},
			func(p directory.Programme) bool {
				return p.Category == "Vocational Learning" && slices.Contains(p.Days, time.Thursday) && slices.Contains(p.YearGroups, 11)
			}},
		{"tier and text", directory.Filter{Tier: 1, Text: "animal"}, func(p directory.Programme) bool {
			return p.Tier == 1 && strings.Contains(strings.ToLower(p.Name+p.Description+p.Qualifications+p.ProviderName), "animal")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, got, total := allResults(t, pool, c.f)
			var want []int64
			for id, p := range every {
				if c.fits(p) {
					want = append(want, id)
				}
			}
			if len(want) == 0 || len(want) == len(every) {
				t.Fatalf("the case picks %d of %d programmes: it cannot tell a filter from none", len(want), len(every))
			}
			if total != len(want) || len(got) != len(want) {
				t.Errorf("found %d (total %d), want %d", len(got), total, len(want))
			}
			for _, id := range want {
				if _, ok := got[id]; !ok {
					t.Errorf("missed %s", every[id].Name)
				}
			}
			for _, p := range got {
				if !c.fits(p) {
					t.Errorf("found %s, which does not fit", p.Name)
				}
			}
		})
	}
	res, err := directory.On(pool).Search(ctx, directory.Filter{Tier: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Programmes); !slices.Equal(got, []string{"Focus 11", "Refocus", "Supported Transfer"}) {
		t.Errorf("Tier 3 in name order = %v", got)
	}
}

func TestSearchPagesByTwentyInNameOrderAndShowsTheLastPageForOnePastIt(t *testing.T) {
	pool, _ := newDirectory(t)
	first, err := directory.On(pool).Search(ctx, directory.Filter{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	all := count(t, pool, `SELECT count(*) FROM programmes WHERE active`)
	wantPages := (all + 19) / 20
	if first.Total != all || first.Pages != wantPages || len(first.Programmes) != 20 || first.Page != 1 {
		t.Fatalf("page 1: total %d pages %d len %d; want %d, %d, 20", first.Total, first.Pages, len(first.Programmes), all, wantPages)
	}
	ids, _, _ := allResults(t, pool, directory.Filter{})
	if len(ids) != all {
		t.Errorf("paged through %d, want %d", len(ids), all)
	}
	var prev string
	for _, p := range first.Programmes {
		if strings.ToLower(p.Name) < prev {
			t.Errorf("%q comes after %q: not in name order", p.Name, prev)
		}
		prev = strings.ToLower(p.Name)
	}
	past, err := directory.On(pool).Search(ctx, directory.Filter{}, wantPages+5)
	if err != nil {
		t.Fatal(err)
	}
	if past.Page != wantPages || len(past.Programmes) != all-(wantPages-1)*20 || past.Total != all {
		t.Errorf("past the end: page %d with %d, want page %d", past.Page, len(past.Programmes), wantPages)
	}
}

func TestRetiredProgrammeIsHiddenFromSearchButStillReadable(t *testing.T) {
	pool, store := newDirectory(t)
	p := programmeBySlug(t, pool, "pistonworks-motorcycle-maintenance")
	retired, err := store.RetireProgramme(ctx, admin, p.ID)
	if err != nil || !retired {
		t.Fatalf("retire: %v, %v", retired, err)
	}
	again, err := store.RetireProgramme(ctx, admin, p.ID)
	if err != nil || again {
		t.Fatalf("retire twice: %v, %v; want no change and no error", again, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'programme.retired' AND subject_id = $1`, itoa(p.ID)); n != 1 {
		t.Errorf("%d audit entries for retiring, want 1", n)
	}
	res, err := directory.On(pool).Search(ctx, directory.Filter{Text: "carburettor"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("retired programme found: %v", names(res.Programmes))
	}
	res, err = directory.On(pool).Search(ctx, directory.Filter{Text: "carburettor", IncludeRetired: true}, 1)
	if err != nil || res.Total != 1 {
		t.Errorf("including retired: %d, %v", res.Total, err)
	}
	got, err := directory.On(pool).GetProgramme(ctx, p.ID)
	if err != nil || got.Active || got.RetiredAt == nil || !got.RetiredAt.Equal(demoStart) {
		t.Errorf("retired programme reads as %+v, %v", got, err)
	}
	if _, err := store.UpdateProgramme(ctx, admin, p.ID, inputFrom(got)); !errors.Is(err, directory.ErrRetired) {
		t.Errorf("changing a retired programme: %v, want ErrRetired", err)
	}
	if got.Eligibility().Active {
		t.Error("eligibility says a retired programme is active")
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestCreateProgrammeAuditsItAndASecondSendAddsNothing(t *testing.T) {
	pool, store := newDirectory(t)
	in := directory.ProgrammeInput{
		Kind: directory.Course, Name: "Drone Piloting", ProviderID: orgID(t, pool, "brightspark"), Category: "Practical Skill Development",
		Description: "Flying drones safely and legally.", Duration: "One term (12 weeks)", DurationWeeks: 12, DaysPerWeek: 1,
		Days: []time.Weekday{time.Tuesday}, YearGroups: []int{9, 10, 11},
		Windows: []directory.WindowInput{{AcademicYear: "2026/27", Opens: calendar.NewDate(2026, time.September, 2), Closes: calendar.NewDate(2026, time.October, 23), Label: "the first half of the autumn term"}},
	}
	in.Normalise()
	if ps := in.Validate(); len(ps) != 0 {
		t.Fatalf("valid input refused: %v", ps)
	}
	id, err := store.CreateProgramme(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'programme.created' AND subject_id = $1 AND actor_email = 'admin@cap.example'`, itoa(id)); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	p, err := directory.On(pool).GetProgramme(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tier != 1 || p.GoesToPanel || p.ProviderName != "Bright Spark Electrical Skills" || len(p.Windows) != 1 || p.FeeText() != "No fee" {
		t.Errorf("created %+v", p)
	}
	_, err = store.CreateProgramme(ctx, admin, in)
	var dup directory.ErrDuplicate
	if !errors.As(err, &dup) || dup.ID != id {
		t.Errorf("second create: %v, want ErrDuplicate{%d}", err, id)
	}
	if n := count(t, pool, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); n != 1 {
		t.Errorf("%d programmes after sending twice", n)
	}
}

func TestUpdateProgrammeRecordsWhatChangedAndKeepsWindowsItWasNotAskedToChange(t *testing.T) {
	pool, store := newDirectory(t)
	f11 := programmeBySlug(t, pool, "capa-focus-11")
	in := inputFrom(f11)
	changed, err := store.UpdateProgramme(ctx, admin, f11.ID, in)
	if err != nil || changed {
		t.Fatalf("saving unchanged: %v, %v; want no change", changed, err)
	}
	in.Description += " Places are limited."
	in.Windows = append(in.Windows, directory.WindowInput{AcademicYear: "2026/27", Opens: calendar.NewDate(2026, time.September, 2), Closes: calendar.NewDate(2026, time.December, 18), Label: "the autumn term of 2026/27"})
	changed, err = store.UpdateProgramme(ctx, admin, f11.ID, in)
	if err != nil || !changed {
		t.Fatalf("update: %v, %v", changed, err)
	}
	var details string
	if err := pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'programme.updated' AND subject_id = $1`, itoa(f11.ID)).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if details != `{"changed": ["description", "windows"]}` {
		t.Errorf("audit details %s", details)
	}
	got, _ := directory.On(pool).GetProgramme(ctx, f11.ID)
	if len(got.Windows) != 2 || got.Windows[0].ID != f11.Windows[0].ID {
		t.Errorf("windows after update: %+v", got.Windows)
	}
	// Leaving a window out removes it.
	in = inputFrom(got)
	in.Windows = in.Windows[:1]
	if _, err := store.UpdateProgramme(ctx, admin, f11.ID, in); err != nil {
		t.Fatal(err)
	}
	got, _ = directory.On(pool).GetProgramme(ctx, f11.ID)
	if len(got.Windows) != 1 || got.Windows[0].AcademicYear != "2025/26" {
		t.Errorf("windows after removing one: %+v", got.Windows)
	}
}

func TestCopyWindowsMovesAWednesdayDeadlineToNextYearsWednesdayAsADraft(t *testing.T) {
	pool, store := newDirectory(t)
	refocus := programmeBySlug(t, pool, "capa-refocus")
	in := inputFrom(refocus)
	wed := calendar.NewDate(2025, time.September, 17)
	in.Windows = []directory.WindowInput{{AcademicYear: "2025/26", Opens: calendar.NewDate(2025, time.September, 1), Closes: wed, Label: "cohort 1 of 2025/26"}}
	if _, err := store.UpdateProgramme(ctx, admin, refocus.ID, in); err != nil {
		t.Fatal(err)
	}
	var copied int
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		copied, err = directory.CopyWindows(ctx, tx, "2025/26", "2026/27")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if copied != 2 { // Refocus's and Focus 11's
		t.Errorf("copied %d windows, want 2", copied)
	}
	got, _ := directory.On(pool).GetProgramme(ctx, refocus.ID)
	if len(got.Windows) != 2 {
		t.Fatalf("Refocus windows %+v", got.Windows)
	}
	next := got.Windows[1]
	if next.Closes != calendar.NewDate(2026, time.September, 16) || next.Closes.Weekday() != time.Wednesday {
		t.Errorf("copied window closes %s (%s), want Wednesday 16 September 2026", next.Closes.Format(), next.Closes.Weekday())
	}
	if next.Opens.Weekday() != time.Monday || next.AcademicYear != "2026/27" || !next.Draft || next.Label != "cohort 1 of 2026/27" {
		t.Errorf("copied window %+v", next)
	}
	// A draft is not in effect.
	if e := got.Eligibility(); len(e.Windows) != 1 || e.Windows[0].AcademicYear != "2025/26" {
		t.Errorf("eligibility windows %+v, want only the confirmed one", e.Windows)
	}
	f11 := programmeBySlug(t, pool, "capa-focus-11")
	if l := f11.Windows[len(f11.Windows)-1].Label; l != "the autumn term of 2026/27" {
		t.Errorf("Focus 11 copied label %q", l)
	}

	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		again, err := directory.CopyWindows(ctx, tx, "2025/26", "2026/27")
		if err == nil && again != 0 {
			t.Errorf("copying again copied %d", again)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		n, err := directory.ConfirmWindows(ctx, tx, "2026/27")
		if err == nil && n != 2 {
			t.Errorf("confirmed %d, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = directory.On(pool).GetProgramme(ctx, refocus.ID)
	if got.Windows[1].Draft || len(got.Eligibility().Windows) != 2 {
		t.Errorf("after confirming: %+v", got.Windows)
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := directory.CopyWindows(ctx, tx, "2026/27", "2027/28")
		return err
	})
	if !errors.Is(err, directory.ErrUnknownYear) {
		t.Errorf("copying into a year not in the calendar: %v", err)
	}
}

func TestRetiringAProviderRetiresItsProgrammesAndKeepsThem(t *testing.T) {
	pool, store := newDirectory(t)
	id := orgID(t, pool, "pistonworks")
	running := count(t, pool, `SELECT count(*) FROM programmes WHERE organisation_id = $1 AND active`, id)
	retired, n, err := store.RetireProvider(ctx, admin, id)
	if err != nil || !retired || n != running || n == 0 {
		t.Fatalf("retire provider: %v %d %v, want %d programmes", retired, n, err, running)
	}
	p, err := directory.On(pool).GetProvider(ctx, id)
	if err != nil || p.Active || p.RetiredAt == nil || len(p.Programmes) != running {
		t.Fatalf("retired provider reads as %+v, %v", p, err)
	}
	for _, prog := range p.Programmes {
		if prog.Active {
			t.Errorf("%s still active", prog.Name)
		}
	}
	if c := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'programme.retired'`); c != running {
		t.Errorf("%d programme audit entries, want %d", c, running)
	}
	again, _, err := store.RetireProvider(ctx, admin, id)
	if err != nil || again {
		t.Errorf("retiring twice: %v, %v", again, err)
	}
	if _, err := store.UpdateProvider(ctx, admin, id, directory.ProviderInput{Name: "X"}); !errors.Is(err, directory.ErrRetired) {
		t.Errorf("changing a retired provider: %v", err)
	}
	if _, err := store.CreateProgramme(ctx, admin, directory.ProgrammeInput{Kind: directory.Course, Name: "New", ProviderID: id}); !errors.Is(err, directory.ErrProviderUnavailable) {
		t.Errorf("programme at a retired provider: %v", err)
	}
	if _, _, err := store.RetireProvider(ctx, admin, orgID(t, pool, "whitmore")); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("retiring a school as a provider: %v", err)
	}
}

func validProvider() directory.ProviderInput {
	in := directory.ProviderInput{
		Name: "Skyline Scaffolding Skills", UKPRN: "19009999", Registered: true,
		Address: "Unit 9, Scaffold Way, Coventry", Postcode: "cv3 4fx", Phone: "024 7696 0999", Email: "Office@Skyline.provider.example",
		DSLName: "Ruth Ellery", DSLEmail: "dsl@skyline.provider.example", DSLPhone: "07700 900999",
		Sites: []directory.SiteInput{{Name: "Yard", Address: "Scaffold Way, Coventry", Postcode: "CV3 4FX"}},
	}
	in.Normalise()
	return in
}

func TestCreateAndUpdateProvider(t *testing.T) {
	pool, store := newDirectory(t)
	in := validProvider()
	if ps := in.Validate(); len(ps) != 0 {
		t.Fatalf("valid provider refused: %v", ps)
	}
	if in.Postcode != "CV3 4FX" || in.Email != "office@skyline.provider.example" {
		t.Errorf("normalised %q %q", in.Postcode, in.Email)
	}
	id, err := store.CreateProvider(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := directory.On(pool).GetProvider(ctx, id)
	if err != nil || p.Slug != "skyline-scaffolding-skills" || p.DSLName != "Ruth Ellery" || len(p.Sites) != 1 || p.Identifier() != "UKPRN 19009999" {
		t.Fatalf("created %+v, %v", p, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'provider.created' AND subject_id = $1`, itoa(id)); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	var dup directory.ErrDuplicate
	if _, err := store.CreateProvider(ctx, admin, in); !errors.As(err, &dup) || dup.ID != id {
		t.Errorf("second create: %v", err)
	}
	other := validProvider()
	other.Name = "Another Provider"
	other.UKPRN = "19000301" // Ridgeway's
	if _, err := store.CreateProvider(ctx, admin, other); !errors.Is(err, directory.ErrIdentifierTaken{Field: "ukprn"}) {
		t.Errorf("taken UKPRN: %v", err)
	}

	// Renaming reaches the programmes' search text.
	prog := directory.ProgrammeInput{Kind: directory.Course, Name: "Scaffolding Basics", ProviderID: id, Category: "Vocational Learning",
		Description: "Erecting towers safely.", Duration: "6 weeks", DaysPerWeek: 1, Days: []time.Weekday{time.Friday}, YearGroups: []int{10, 11}}
	if _, err := store.CreateProgramme(ctx, admin, prog); err != nil {
		t.Fatal(err)
	}
	in.Name = "Highline Access Training"
	in.Sites = append(in.Sites, directory.SiteInput{Name: "Tower", Address: "Tower Street, Coventry", Postcode: "CV1 1LS"})
	in.Sites[0].ID = p.Sites[0].ID
	changed, err := store.UpdateProvider(ctx, admin, id, in)
	if err != nil || !changed {
		t.Fatalf("update: %v %v", changed, err)
	}
	res, err := directory.On(pool).Search(ctx, directory.Filter{Text: "highline"}, 1)
	if err != nil || res.Total != 1 || res.Programmes[0].ProviderName != "Highline Access Training" {
		t.Errorf("search by the new provider name: %+v %v", res, err)
	}
	p, _ = directory.On(pool).GetProvider(ctx, id)
	if len(p.Sites) != 2 || p.Sites[1].ID != in.Sites[0].ID && p.Sites[0].ID != in.Sites[0].ID {
		t.Errorf("sites %+v", p.Sites)
	}
}

func TestProgrammeRulesFromTheWelcomePack(t *testing.T) {
	base := func() directory.ProgrammeInput {
		return directory.ProgrammeInput{Kind: directory.Course, Name: "A", ProviderID: 1, Category: "Employability", Description: "D",
			Duration: "6 weeks", DurationWeeks: 6, DaysPerWeek: 1, Days: []time.Weekday{time.Monday}, YearGroups: []int{9, 10, 11}}
	}
	cases := []struct {
		name  string
		edit  func(*directory.ProgrammeInput)
		field string
	}{
		{"valid course", func(*directory.ProgrammeInput) {}, ""},
		{"course without a category", func(in *directory.ProgrammeInput) { in.Category = "" }, "category"},
		{"no provider", func(in *directory.ProgrammeInput) { in.ProviderID = 0 }, "provider"},
		{"supported transfer with a provider", func(in *directory.ProgrammeInput) { in.Kind = directory.SupportedTransfer }, "provider"},
		{"insight two days a week", func(in *directory.ProgrammeInput) {
			in.Kind, in.DaysPerWeek, in.Days = directory.Insight, 2, []time.Weekday{time.Monday, time.Tuesday}
		}, "days_per_week"},
		{"insight for 14 weeks", func(in *directory.ProgrammeInput) { in.Kind, in.DurationWeeks = directory.Insight, 14 }, "duration_weeks"},
		{"flourish one day a week", func(in *directory.ProgrammeInput) { in.Kind, in.DurationWeeks = directory.Flourish, 12 }, "days_per_week"},
		{"post-16 for Year 10", func(in *directory.ProgrammeInput) { in.Kind = directory.Year11Post16 }, "year_groups"},
		{"post-16 three days a week", func(in *directory.ProgrammeInput) {
			in.Kind, in.YearGroups, in.DaysPerWeek, in.Days = directory.Year11Post16, []int{11}, 3, []time.Weekday{1, 2, 3}
		}, "days_per_week"},
		{"focus 11 for Year 10", func(in *directory.ProgrammeInput) { in.Kind, in.YearGroups = directory.Focus11, []int{10, 11} }, "year_groups"},
		{"more days a week than days offered", func(in *directory.ProgrammeInput) { in.DaysPerWeek = 2 }, "days_per_week"},
		{"a fee without what it pays for", func(in *directory.ProgrammeInput) { fee := 5000; in.FeePence = &fee }, "fee_basis"},
		{"no year groups", func(in *directory.ProgrammeInput) { in.YearGroups = nil }, "year_groups"},
		{"a window closing before it opens", func(in *directory.ProgrammeInput) {
			in.Windows = []directory.WindowInput{{AcademicYear: "2026/27", Opens: calendar.NewDate(2026, 10, 1), Closes: calendar.NewDate(2026, 9, 1), Label: "x"}}
		}, "closes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.edit(&in)
			in.Normalise()
			ps := in.Validate()
			if c.field == "" {
				if len(ps) != 0 {
					t.Errorf("refused: %v", ps)
				}
				return
			}
			if !slices.ContainsFunc(ps, func(p directory.Problem) bool { return p.Field == c.field }) {
				t.Errorf("problems %v, want one about %s", ps, c.field)
			}
		})
	}
}

func TestProviderRules(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*directory.ProviderInput)
		field string
	}{
		{"registered without UKPRN or URN", func(in *directory.ProviderInput) { in.UKPRN = "" }, "ukprn"},
		{"a UKPRN that is not 8 digits", func(in *directory.ProviderInput) { in.UKPRN = "1234" }, "ukprn"},
		{"a URN that is not 6 digits", func(in *directory.ProviderInput) { in.URN = "12a456" }, "urn"},
		{"unregistered without a setting type", func(in *directory.ProviderInput) { in.Registered, in.UKPRN = false, "" }, "setting_type"},
		{"a made-up postcode", func(in *directory.ProviderInput) { in.Postcode = "COVENTRY" }, "postcode"},
		{"a short phone number", func(in *directory.ProviderInput) { in.Phone = "024 76" }, "phone"},
		{"no DSL", func(in *directory.ProviderInput) { in.DSLName = "" }, "dsl_name"},
		{"a DSL email without a domain", func(in *directory.ProviderInput) { in.DSLEmail = "dsl@skyline" }, "dsl_email"},
		{"two sites of one name", func(in *directory.ProviderInput) { in.Sites = append(in.Sites, in.Sites[0]) }, "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validProvider()
			c.edit(&in)
			in.Normalise()
			ps := in.Validate()
			if !slices.ContainsFunc(ps, func(p directory.Problem) bool { return p.Field == c.field }) {
				t.Errorf("problems %v, want one about %s", ps, c.field)
			}
		})
	}
}

func TestHowProgrammesAreDescribed(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{directory.DaysText([]time.Weekday{1, 2, 3, 4, 5}), "Monday to Friday"},
		{directory.DaysText([]time.Weekday{2, 4}), "Tuesday and Thursday"},
		{directory.DaysText([]time.Weekday{1, 3, 5}), "Monday, Wednesday and Friday"},
		{directory.YearGroupsText([]int{11}), "Year 11"},
		{directory.YearGroupsText([]int{9, 10, 11}), "Years 9 to 11"},
		{directory.YearGroupsText([]int{10, 11}), "Years 10 and 11"},
		{directory.Pounds(125050), "£1,250.50"},
		{directory.Pounds(6500), "£65"},
		{directory.Pounds(12345600), "£123,456"},
		{directory.Provider{SettingType: "Sole trader"}.Identifier(), "Sole trader"},
		{directory.Provider{URN: "190500", SettingType: "Academy"}.Identifier(), "URN 190500"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// waitForLockWait returns once another session of the test database is waiting for a lock.
func waitForLockWait(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if count(t, pool, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`) > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the save never waited for the other transaction")
}

func TestAProgrammeAddedMeanwhileBySomeoneElseIsReportedAsTheDuplicate(t *testing.T) {
	pool, store := newDirectory(t)
	in := directory.ProgrammeInput{Kind: directory.Course, Name: "Drone Piloting", ProviderID: orgID(t, pool, "brightspark"), Category: "Practical Skill Development",
		Description: "Flying drones.", Duration: "6 weeks", DaysPerWeek: 1, Days: []time.Weekday{time.Monday}, YearGroups: []int{10, 11}}
	// Someone else's save has inserted the same programme and not yet committed: ours passes the
	// duplicate check, then waits on the unique index until theirs commits.
	other, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(ctx) //nolint:errcheck
	var theirs int64
	if err := other.QueryRow(ctx, `
		INSERT INTO programmes (tier, kind, name, organisation_id, category, duration, days_per_week, days_offered, year_groups)
		VALUES (1, 'course', 'Drone Piloting', $1, 'Practical Skill Development', '6 weeks', 1, '{1}', '{10,11}') RETURNING id`, in.ProviderID).Scan(&theirs); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := store.CreateProgramme(ctx, admin, in)
		done <- err
	}()
	waitForLockWait(t, pool)
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var dup directory.ErrDuplicate
	if !errors.As(err, &dup) || dup.ID != theirs {
		t.Fatalf("our save: %v, want ErrDuplicate{%d}", err, theirs)
	}
	if c := count(t, pool, `SELECT count(*) FROM programmes WHERE name = 'Drone Piloting'`); c != 1 {
		t.Errorf("%d programmes", c)
	}
}

func TestAProviderBeingAddedMeanwhileMakesOurSaveWaitAndFindIt(t *testing.T) {
	pool, store := newDirectory(t)
	in := validProvider()
	// Someone else's save of the same provider holds the name's lock and has not committed yet.
	other, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(ctx) //nolint:errcheck
	if _, err := other.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('capportal'), hashtext('provider:' || lower($1)))`, in.Name); err != nil {
		t.Fatal(err)
	}
	var theirs int64
	if err := other.QueryRow(ctx, `
		INSERT INTO organisations (kind, slug, name, address, postcode) VALUES ('provider', 'skyline-scaffolding-skills', $1, 'Somewhere', 'CV1 1AA')
		RETURNING id`, in.Name).Scan(&theirs); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := store.CreateProvider(ctx, admin, in)
		done <- err
	}()
	waitForLockWait(t, pool)
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var dup directory.ErrDuplicate
	if !errors.As(err, &dup) || dup.ID != theirs {
		t.Fatalf("our save: %v, want ErrDuplicate{%d}", err, theirs)
	}
	if c := count(t, pool, `SELECT count(*) FROM organisations WHERE name = $1`, in.Name); c != 1 {
		t.Errorf("%d providers", c)
	}
}
