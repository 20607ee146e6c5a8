package school_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/users"
)

// now is the fixed moment the store tests stand on: Monday 23 November 2026, in 2026/27.
var now = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

type fixture struct {
	pool  *pgxpool.Pool
	store school.Store
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(now)
	if _, err := seed.LoadDemo(context.Background(), pool, clock, "test-password-123"); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	return fixture{pool: pool, store: school.Store{DB: pool, Clock: clock}}
}

func (f fixture) principal(t *testing.T, email string) *auth.Principal {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := f.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	p, err := auth.On(f.pool).LoadPrincipal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f fixture) orgID(t *testing.T, slug string) int64 {
	t.Helper()
	var id int64
	if err := f.pool.QueryRow(context.Background(), `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("organisation %s: %v", slug, err)
	}
	return id
}

func (f fixture) actor(t *testing.T, email string) users.Actor {
	p := f.principal(t, email)
	return users.Actor{UserID: &p.UserID, Email: p.Email, RequestID: "test"}
}

func (f fixture) auditCount(t *testing.T, subjectID int64) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`,
		school.ActionSLARecorded, fmt.Sprint(subjectID)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func names(list []school.ListItem) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Name
	}
	return out
}

// unsigned2627 are the demo schools with no signed SLA for 2026/27, in name order.
var unsigned2627 = []string{"Allesley Vale Academy", "Daimler Green Academy", "Hillfields Vale Academy", "Keresley Moor Academy", "Sowe Bank School", "Spon Gate Academy"}

func TestListShowsEachSchoolsSLAStatusAndFiltersOnIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.principal(t, "admin@cap.example")

	all, more, err := f.store.List(ctx, admin, school.ListFilter{Year: "2026/27"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if more || len(all) != len(seed.DemoSchools) {
		t.Fatalf("got %d schools (more %v), want all %d", len(all), more, len(seed.DemoSchools))
	}
	if !slices.IsSortedFunc(all, func(a, b school.ListItem) int { return compareStrings(a.Name, b.Name) }) {
		t.Errorf("not in name order: %v", names(all))
	}
	for _, s := range all {
		wantSigned := !slices.Contains(unsigned2627, s.Name)
		if s.Signed != wantSigned {
			t.Errorf("%s signed = %v, want %v", s.Name, s.Signed, wantSigned)
		}
		if s.Signed && s.SignedOn != calendar.NewDate(2026, time.July, 1) {
			t.Errorf("%s signed on %v, want 1 July 2026", s.Name, s.SignedOn)
		}
		if s.URN == "" {
			t.Errorf("%s has no URN", s.Name)
		}
	}

	unsigned, _, err := f.store.List(ctx, admin, school.ListFilter{Year: "2026/27", Status: school.StatusUnsigned}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(unsigned); !slices.Equal(got, unsigned2627) {
		t.Errorf("unsigned for 2026/27 = %v, want %v", got, unsigned2627)
	}
	signed, _, err := f.store.List(ctx, admin, school.ListFilter{Year: "2026/27", Status: school.StatusSigned}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(signed)+len(unsigned) != len(all) || slices.ContainsFunc(signed, func(s school.ListItem) bool { return !s.Signed }) {
		t.Errorf("signed filter gave %v", names(signed))
	}
	// A year nobody has signed for: every school is unsigned.
	later, _, err := f.store.List(ctx, admin, school.ListFilter{Year: "2027/28", Status: school.StatusSigned}, 100)
	if err != nil || len(later) != 0 {
		t.Errorf("signed for 2027/28 = %v, %v; want none", names(later), err)
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestListPagesForwardsAndBackOverEverySchoolOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.principal(t, "admin@cap.example")
	var pages [][]school.ListItem
	filter := school.ListFilter{Year: "2026/27"}
	for {
		page, more, err := f.store.List(ctx, admin, filter, 10)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, page)
		if !more {
			break
		}
		last := page[len(page)-1]
		filter.AfterName, filter.AfterID = last.Name, last.ID
	}
	var seen []string
	for _, p := range pages {
		seen = append(seen, names(p)...)
	}
	if len(pages) != 3 || len(seen) != len(seed.DemoSchools) || len(slices.Compact(slices.Clone(seen))) != len(seen) {
		t.Fatalf("paged %d pages, %d schools: %v", len(pages), len(seen), seen)
	}
	// Back from the last page lands on the middle page again.
	first := pages[2][0]
	back, more, err := f.store.List(ctx, admin, school.ListFilter{Year: "2026/27", BeforeName: first.Name, BeforeID: first.ID}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !more || !slices.Equal(names(back), names(pages[1])) {
		t.Errorf("back = %v (more %v), want %v", names(back), more, names(pages[1]))
	}
}

func TestListShowsSchoolStaffOnlyTheirOwnSchool(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, email := range []string{"coordinator@whitmore.school.example", "dsl@whitmore.school.example", "headteacher@whitmore.school.example"} {
		list, _, err := f.store.List(ctx, f.principal(t, email), school.ListFilter{Year: "2026/27"}, 100)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(list); !slices.Equal(got, []string{"Whitmore Park Academy"}) {
			t.Errorf("%s sees %v, want only Whitmore Park Academy", email, got)
		}
	}
	list, _, err := f.store.List(ctx, f.principal(t, "panel@cap.example"), school.ListFilter{Year: "2026/27"}, 100)
	if err != nil || len(list) != 0 {
		t.Errorf("a panel member sees %v, %v; want no schools", names(list), err)
	}
}

func TestGetIsScopedToThePrincipal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	whitmore, canley := f.orgID(t, "whitmore"), f.orgID(t, "canleybrook")
	tests := []struct {
		email string
		id    int64
		found bool
	}{
		{"admin@cap.example", canley, true},
		{"monitoring@cap.example", canley, true},
		{"safeguarding@cap.example", whitmore, true},
		{"lead@cap.example", whitmore, true},
		{"coordinator@whitmore.school.example", whitmore, true},
		{"dsl@whitmore.school.example", whitmore, true},
		{"headteacher@whitmore.school.example", whitmore, true},
		{"coordinator@whitmore.school.example", canley, false},
		{"headteacher@whitmore.school.example", canley, false},
		{"coordinator@canleybrook.school.example", whitmore, false},
		{"panel@cap.example", whitmore, false},
		{"admin@cap.example", f.orgID(t, "capa"), false}, // a provider is not a school
		{"admin@cap.example", f.orgID(t, seed.CAPOrgKey), false},
		{"admin@cap.example", 999999, false},
	}
	for _, tc := range tests {
		sc, err := f.store.Get(ctx, f.principal(t, tc.email), tc.id)
		switch {
		case tc.found && err != nil:
			t.Errorf("%s getting %d: %v", tc.email, tc.id, err)
		case tc.found && sc.ID != tc.id:
			t.Errorf("%s getting %d got %d", tc.email, tc.id, sc.ID)
		case !tc.found && !errors.Is(err, db.ErrNotFound):
			t.Errorf("%s getting %d: got %q, %v; want ErrNotFound", tc.email, tc.id, sc.Name, err)
		}
		if _, err := f.store.SLA(ctx, f.principal(t, tc.email), tc.id, "2026/27"); tc.found != (err == nil) {
			t.Errorf("%s getting the SLA of %d: %v", tc.email, tc.id, err)
		}
	}
	if _, err := f.store.Get(ctx, nil, whitmore); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("no principal: %v, want ErrNotFound", err)
	}
}

func TestGetDerivesContactsFromTheUsersHoldingSchoolRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	whitmore := f.orgID(t, "whitmore")
	admin := f.principal(t, "admin@cap.example")
	sc, err := f.store.Get(ctx, admin, whitmore)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "Whitmore Park Academy" || sc.URN != "190101" || sc.Phone != "024 7696 0101" || sc.Postcode != "CV6 4QX" {
		t.Errorf("details = %+v", sc)
	}
	want := []school.Contact{
		{Role: auth.Coordinator, Name: "Hannah Okafor", Email: "coordinator@whitmore.school.example"},
		{Role: auth.SchoolDSL, Name: "Marcus Bennett", Email: "dsl@whitmore.school.example"},
		{Role: auth.Headteacher, Name: "Rachel Thornbury", Email: "headteacher@whitmore.school.example"},
	}
	if !slices.Equal(sc.Contacts, want) {
		t.Errorf("contacts = %+v, want %+v", sc.Contacts, want)
	}

	// A second coordinator appears; a deactivated DSL does not.
	us := users.Store{DB: f.pool, Clock: calendar.NewFixed(now)}
	id, err := us.Create(ctx, f.actor(t, "admin@cap.example"), users.NewUser{Email: "deputy@whitmore.school.example", Name: "Aaron Deputy",
		Password: "a-long-password-1", OrgID: whitmore, Roles: []auth.Role{auth.Coordinator}})
	if err != nil {
		t.Fatal(err)
	}
	if err := us.SetActive(ctx, f.actor(t, "admin@cap.example"), f.principal(t, "dsl@whitmore.school.example").UserID, false); err != nil {
		t.Fatal(err)
	}
	sc, err = f.store.Get(ctx, admin, whitmore)
	if err != nil {
		t.Fatal(err)
	}
	want = []school.Contact{
		{Role: auth.Coordinator, Name: "Aaron Deputy", Email: "deputy@whitmore.school.example"},
		{Role: auth.Coordinator, Name: "Hannah Okafor", Email: "coordinator@whitmore.school.example"},
		{Role: auth.Headteacher, Name: "Rachel Thornbury", Email: "headteacher@whitmore.school.example"},
	}
	if !slices.Equal(sc.Contacts, want) {
		t.Errorf("after changes (new user %d) contacts = %+v, want %+v", id, sc.Contacts, want)
	}
}

func TestGetListsTheSLAForEveryAcademicYear(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.principal(t, "admin@cap.example")
	sc, err := f.store.Get(ctx, admin, f.orgID(t, "allesleyvale"))
	if err != nil {
		t.Fatal(err)
	}
	want := []school.YearSLA{
		{AcademicYear: "2026/27"},
		{AcademicYear: "2025/26", Recorded: true, Signed: true, SignedOn: calendar.NewDate(2025, time.July, 1)},
	}
	if !slices.Equal(sc.SLAs, want) {
		t.Errorf("SLAs = %+v, want %+v", sc.SLAs, want)
	}
}

func TestSLAShowsTheYearsOfferAndNoQAPlacementsUsedYet(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sla, err := f.store.SLA(ctx, f.principal(t, "coordinator@whitmore.school.example"), f.orgID(t, "whitmore"), "2026/27")
	if err != nil {
		t.Fatal(err)
	}
	if !sla.Recorded || !sla.Signed || sla.SignedOn != calendar.NewDate(2026, time.July, 1) || sla.SchoolName != "Whitmore Park Academy" {
		t.Errorf("SLA = %+v", sla)
	}
	if sla.Offer == nil || sla.Offer.Tier1QAPlacements != 15 || sla.Offer.Draft || len(sla.Offer.Services()) != 4 || len(sla.Offer.Entitlements()) != 3 {
		t.Fatalf("offer = %+v", sla.Offer)
	}
	if sla.QAUsed != 0 {
		t.Errorf("QA placements used = %d; there are no placements yet", sla.QAUsed)
	}
	if _, err := f.store.SLA(ctx, f.principal(t, "admin@cap.example"), f.orgID(t, "whitmore"), "2031/32"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a year the portal does not know: %v, want ErrNotFound", err)
	}
}

func TestRecordSLAIsAuditedAndASecondIdenticalSubmitChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alles := f.orgID(t, "allesleyvale")
	admin := f.actor(t, "admin@cap.example")
	signedOn := calendar.NewDate(2026, time.November, 20)

	changed, err := f.store.RecordSLA(ctx, admin, alles, "2026/27", true, signedOn)
	if err != nil || !changed {
		t.Fatalf("record: changed %v, %v", changed, err)
	}
	changed, err = f.store.RecordSLA(ctx, admin, alles, "2026/27", true, signedOn)
	if err != nil || changed {
		t.Fatalf("second record: changed %v, %v; want unchanged", changed, err)
	}
	if n := f.auditCount(t, alles); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	sla, err := f.store.SLA(ctx, f.principal(t, "admin@cap.example"), alles, "2026/27")
	if err != nil {
		t.Fatal(err)
	}
	if !sla.Signed || sla.SignedOn != signedOn || sla.RecordedBy != "Joanne Tranter" || !sla.UpdatedAt.Equal(now) {
		t.Errorf("after recording: %+v", sla)
	}
	var summary string
	if err := f.pool.QueryRow(ctx, `SELECT summary FROM audit_log WHERE action = $1 AND subject_id = $2`, school.ActionSLARecorded, fmt.Sprint(alles)).Scan(&summary); err != nil {
		t.Fatal(err)
	}
	if summary != "Recorded the 2026/27 SLA for Allesley Vale Academy as signed on 20 November 2026" {
		t.Errorf("audit summary = %q", summary)
	}

	// Recorded as not signed, the date goes.
	if changed, err := f.store.RecordSLA(ctx, admin, alles, "2026/27", false, signedOn); err != nil || !changed {
		t.Fatalf("unsign: %v, %v", changed, err)
	}
	var stored *time.Time
	if err := f.pool.QueryRow(ctx, `SELECT signed_on FROM slas WHERE school_id = $1 AND academic_year = '2026/27'`, alles).Scan(&stored); err != nil || stored != nil {
		t.Errorf("signed_on after unsigning = %v, %v; want NULL", stored, err)
	}
	if n := f.auditCount(t, alles); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
}

func TestRecordSLARefusesBadDatesAndUnknownSchoolsOrYears(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alles := f.orgID(t, "allesleyvale")
	admin := f.actor(t, "admin@cap.example")
	today := calendar.DateOf(now)
	tests := []struct {
		name     string
		school   int64
		year     string
		signed   bool
		signedOn calendar.Date
		want     error
	}{
		{"signed without a date", alles, "2026/27", true, calendar.Date{}, school.ErrSignedOnMissing},
		{"signed tomorrow", alles, "2026/27", true, today.AddDays(1), school.ErrSignedOnInFuture},
		{"a provider", f.orgID(t, "capa"), "2026/27", true, today, db.ErrNotFound},
		{"no such school", 999999, "2026/27", true, today, db.ErrNotFound},
		{"a year the portal does not know", alles, "2031/32", true, today, db.ErrNotFound},
	}
	for _, tc := range tests {
		if _, err := f.store.RecordSLA(ctx, admin, tc.school, tc.year, tc.signed, tc.signedOn); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if n := f.auditCount(t, alles); n != 0 {
		t.Errorf("refused changes wrote %d audit entries", n)
	}
	if changed, err := f.store.RecordSLA(ctx, admin, alles, "2026/27", true, today); err != nil || !changed {
		t.Errorf("signed today: %v, %v; want recorded", changed, err)
	}
}

func TestCopyOfferMovesAWednesdayDeadlineToNextYearsWednesdayAsADraft(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	deadline := calendar.NewDate(2026, time.July, 15) // a Wednesday
	if deadline.Weekday() != time.Wednesday {
		t.Fatalf("%v is a %v", deadline, deadline.Weekday())
	}
	src := school.Offer{AcademicYear: "2026/27", Tier1QAPlacements: 12, WTACProgramme: true, SEMHLPractitioner: true, SigningDeadline: deadline}
	if err := school.On(f.pool).SaveOffer(ctx, src); err != nil {
		t.Fatal(err)
	}
	// Rollover creates the next academic year before copying into it.
	if _, err := f.pool.Exec(ctx, `INSERT INTO academic_years (code, starts_on, ends_on) VALUES ('2027/28', '2027-09-01', '2028-08-31')`); err != nil {
		t.Fatal(err)
	}
	copyOffer := func() bool {
		var copied bool
		err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error {
			var err error
			copied, err = school.CopyOffer(ctx, tx, "2026/27", "2027/28")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return copied
	}
	if !copyOffer() {
		t.Fatal("CopyOffer did not copy")
	}
	got, err := school.On(f.pool).OfferFor(ctx, "2027/28")
	if err != nil {
		t.Fatal(err)
	}
	want := school.Offer{AcademicYear: "2027/28", Tier1QAPlacements: 12, WTACProgramme: true, SEMHLPractitioner: true,
		SigningDeadline: calendar.NewDate(2027, time.July, 21), Draft: true} // third Wednesday of July, as 15 July 2026 was
	if got != want {
		t.Errorf("copied offer = %+v, want %+v", got, want)
	}
	if got.SigningDeadline.Weekday() != time.Wednesday {
		t.Errorf("deadline moved to a %v", got.SigningDeadline.Weekday())
	}

	// A second rollover keeps what is there.
	if err := school.On(f.pool).SaveOffer(ctx, school.Offer{AcademicYear: "2026/27", Tier1QAPlacements: 20}); err != nil {
		t.Fatal(err)
	}
	if copyOffer() {
		t.Error("a second copy overwrote the 2027/28 offer")
	}
	if again, _ := school.On(f.pool).OfferFor(ctx, "2027/28"); again != want {
		t.Errorf("after a second copy: %+v", again)
	}

	if err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error { return school.ConfirmOffer(ctx, tx, "2027/28") }); err != nil {
		t.Fatal(err)
	}
	if confirmed, _ := school.On(f.pool).OfferFor(ctx, "2027/28"); confirmed.Draft {
		t.Error("ConfirmOffer left the offer a draft")
	}
}

func TestCopyOfferWithNoOfferToCopyCopiesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.pool.Exec(ctx, `INSERT INTO academic_years (code, starts_on, ends_on) VALUES ('2027/28', '2027-09-01', '2028-08-31'), ('2028/29', '2028-09-01', '2029-08-31')`); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error {
		copied, err := school.CopyOffer(ctx, tx, "2027/28", "2028/29")
		if copied {
			t.Error("copied an offer that does not exist")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := school.On(f.pool).OfferFor(ctx, "2028/29"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("2028/29 offer: %v, want ErrNotFound", err)
	}
}

func TestDemoOffersAreTheSLADocumentsConfirmed(t *testing.T) {
	f := newFixture(t)
	for _, year := range []string{"2025/26", "2026/27"} {
		o, err := school.On(f.pool).OfferFor(context.Background(), year)
		if err != nil {
			t.Fatalf("%s: %v", year, err)
		}
		if o.Draft || o.Tier1QAPlacements != 15 || !o.WTACProgramme || !o.CollaborativeLeadership || !o.SEMHLPractitioner || !o.NetworkEvents {
			t.Errorf("%s offer = %+v", year, o)
		}
	}
}

func TestRecordSLAPressedTwiceAtOnceRecordsItOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alles := f.orgID(t, "allesleyvale")
	admin := f.actor(t, "admin@cap.example")
	signedOn := calendar.NewDate(2026, time.November, 20)
	const presses = 8
	results := make(chan error, presses)
	changes := make(chan bool, presses)
	var start sync.WaitGroup
	start.Add(1)
	for range presses {
		go func() {
			start.Wait()
			changed, err := f.store.RecordSLA(ctx, admin, alles, "2026/27", true, signedOn)
			changes <- changed
			results <- err
		}()
	}
	start.Done()
	changed := 0
	for range presses {
		if err := <-results; err != nil {
			t.Error(err)
		}
		if <-changes {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d presses reported a change, want 1", changed)
	}
	if n := f.auditCount(t, alles); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
}
