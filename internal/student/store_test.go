package student_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/student"
)

// env is a real database with the demo data, and the store over it.
type env struct {
	pool  *pgxpool.Pool
	store student.Store
}

func newEnv(t *testing.T) env {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := seed.LoadDemo(context.Background(), pool, clock, "test-password-123"); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	return env{pool: pool, store: student.Store{DB: pool, Clock: clock}}
}

// as is the demo user with the email, acting.
func (e env) as(t *testing.T, email string) student.Actor {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	p, err := auth.On(e.pool).LoadPrincipal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return student.Actor{Principal: p, RequestID: "test"}
}

func (e env) orgID(t *testing.T, slug string) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (e env) studentID(t *testing.T, upn string) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM students WHERE upn = $1`, upn).Scan(&id); err != nil {
		t.Fatalf("student %s: %v", upn, err)
	}
	return id
}

func (e env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot is every student row, as text, to show that something wrote nothing.
func (e env) snapshot(t *testing.T) string {
	t.Helper()
	var s string
	if err := e.pool.QueryRow(context.Background(), `
		SELECT coalesce(string_agg(s::text || coalesce((SELECT string_agg(c::text, ';' ORDER BY c.id) FROM student_contacts c WHERE c.student_id = s.id), ''), E'\n' ORDER BY s.id), '')
		FROM students s`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

const (
	whitmoreCoordinator = "coordinator@whitmore.school.example"
	canleyCoordinator   = "coordinator@canleybrook.school.example"
	kaiUPN              = "C331290115001" // a demo student at Whitmore
	ameliaUPN           = "R331290115002" // a demo student at Whitmore
	freyaUPN            = "L331290215001" // a demo student at Canley Brook
	poppyUPN            = "H331290119101" // new in mis_export.csv
	bradleyUPN          = "X33129011910C" // new, temporary, in mis_export.csv
)

func statuses(im student.Import) map[string]student.RowStatus {
	out := map[string]student.RowStatus{}
	for _, r := range im.Rows {
		out[r.UPN] = r.Status
	}
	return out
}

func TestPreviewShowsNewUpdateUnchangedAndErrorRowsAndWritesNoStudent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before := e.snapshot(t)
	im, err := e.store.Preview(ctx, e.as(t, whitmoreCoordinator), e.orgID(t, "whitmore"), "mis_export.csv", readTestdata(t, "mis_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]student.RowStatus{
		kaiUPN: student.RowUnchanged, ameliaUPN: student.RowUpdate, poppyUPN: student.RowNew, bradleyUPN: student.RowNew,
		"A331290119102": student.RowError, freyaUPN: student.RowError, "L331290119103": student.RowError,
	}
	if got := statuses(im); !mapsEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if im.Counts != (student.Counts{New: 2, Update: 1, Unchanged: 1, Error: 3}) {
		t.Errorf("counts = %+v", im.Counts)
	}
	for _, r := range im.Rows {
		switch r.UPN {
		case ameliaUPN:
			if !slices.Equal(r.Changes, []string{"free school meals", "address"}) {
				t.Errorf("Amelia's changes = %q, want free school meals and address", r.Changes)
			}
		case freyaUPN:
			if !slices.Equal(r.Problems, []string{student.UPNContactCAP}) {
				t.Errorf("Freya's problems = %q, want only to contact CAP", r.Problems)
			}
		}
	}
	if after := e.snapshot(t); after != before {
		t.Error("previewing changed the students")
	}
	if n := e.count(t, `SELECT count(*) FROM student_imports WHERE id = $1 AND status = 'pending'`, im.ID); n != 1 {
		t.Errorf("pending imports = %d, want the preview kept", n)
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestConfirmAppliesTheGoodRowsAndLeavesTheBadOnesOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	whitmore := e.orgID(t, "whitmore")
	freyaBefore, err := e.store.Get(ctx, e.as(t, canleyCoordinator), e.studentID(t, freyaUPN))
	if err != nil {
		t.Fatal(err)
	}
	im, err := e.store.Preview(ctx, a, whitmore, "mis_export.csv", readTestdata(t, "mis_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.store.Confirm(ctx, a, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Updated != 1 || res.Unchanged != 1 || res.Errors != 3 || len(res.Skipped) != 0 {
		t.Errorf("result = %+v, want 2 created, 1 updated, 1 unchanged, 3 errors", res)
	}
	poppy, err := e.store.Get(ctx, a, e.studentID(t, poppyUPN))
	if err != nil {
		t.Fatal(err)
	}
	if poppy.SchoolID != whitmore || poppy.Name() != "Poppy Vance" || poppy.Postcode != "CV6 2JG" ||
		len(poppy.Contacts) != 1 || poppy.Contacts[0].Name != "Dawn Vance" || !poppy.Contacts[0].ParentalResponsibility {
		t.Errorf("Poppy = %+v", poppy)
	}
	bradley, err := e.store.Get(ctx, a, e.studentID(t, bradleyUPN))
	if err != nil {
		t.Fatal(err)
	}
	if !bradley.IsTemporaryUPN() || bradley.SEN != student.SENEHCP || bradley.CPCIN != student.CIN {
		t.Errorf("Bradley = %+v", bradley.Details)
	}
	amelia, err := e.store.Get(ctx, a, e.studentID(t, ameliaUPN))
	if err != nil {
		t.Fatal(err)
	}
	if !amelia.FSM || amelia.Address != "27 Penny Park Lane, Coventry" {
		t.Errorf("Amelia = %+v, want the file's FSM and address", amelia.Details)
	}
	for _, upn := range []string{"A331290119102", "L331290119103"} {
		if n := e.count(t, `SELECT count(*) FROM students WHERE upn = $1`, upn); n != 0 {
			t.Errorf("the row with errors for %s was imported", upn)
		}
	}
	freyaAfter, err := e.store.Get(ctx, e.as(t, canleyCoordinator), freyaBefore.ID)
	if err != nil {
		t.Fatal(err)
	}
	if freyaAfter.SchoolID != freyaBefore.SchoolID || !freyaAfter.UpdatedAt.Equal(freyaBefore.UpdatedAt) {
		t.Error("another school's student was changed by the import")
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2::bigint::text AND summary LIKE '%2 added, 1 updated%'`,
		student.ActionImported, im.ID); n != 1 {
		t.Errorf("import audit entries with counts = %d, want 1", n)
	}
}

func TestConfirmingTwiceAppliesOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	im, err := e.store.Preview(ctx, a, e.orgID(t, "whitmore"), "f.csv", readTestdata(t, "mis_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.store.Confirm(ctx, a, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	after := e.snapshot(t)
	second, err := e.store.Confirm(ctx, a, im.ID)
	if !errors.Is(err, student.ErrAlreadyApplied) {
		t.Fatalf("second confirm: %v, want ErrAlreadyApplied", err)
	}
	if second.Created != first.Created || second.Updated != first.Updated {
		t.Errorf("second confirm reported %+v, want the first's result %+v", second, first)
	}
	if e.snapshot(t) != after {
		t.Error("the second confirm changed students")
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2::bigint::text`, student.ActionImported, im.ID); n != 1 {
		t.Errorf("import audited %d times, want once", n)
	}
}

func TestConfirmsAtTheSameMomentApplyOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	// A file large enough that the confirms overlap.
	var file strings.Builder
	file.WriteString("UPN,Legal forename,Legal surname,DOB,Sex,Year,Contact 1 name\n")
	var upns []string
	for i := range 400 {
		rest := fmt.Sprintf("33129019%04d", i)
		letter, _ := student.CheckLetter(rest)
		upns = append(upns, string(letter)+rest)
		fmt.Fprintf(&file, "%s,Pupil,Number %d,01/02/2012,F,10,Parent %d\n", upns[i], i, i)
	}
	im, err := e.store.Preview(ctx, a, e.orgID(t, "whitmore"), "f.csv", []byte(file.String()))
	if err != nil {
		t.Fatal(err)
	}
	if im.Counts.New != 400 {
		t.Fatalf("preview counts %+v, want 400 new", im.Counts)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.store.Confirm(ctx, a, im.ID)
		}()
	}
	wg.Wait()
	applied := 0
	for _, err := range errs {
		switch {
		case err == nil:
			applied++
		case !errors.Is(err, student.ErrAlreadyApplied):
			t.Errorf("confirm: %v", err)
		}
	}
	if applied != 1 {
		t.Errorf("%d confirms applied, want exactly 1", applied)
	}
	if got := e.count(t, `SELECT count(*) FROM students WHERE upn = ANY($1)`, upns); got != 400 {
		t.Errorf("new students = %d, want 400", got)
	}
	if got := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2::bigint::text`, student.ActionImported, im.ID); got != 1 {
		t.Errorf("import audited %d times, want once", got)
	}
}

func TestReimportingTheSameFileChangesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	whitmore := e.orgID(t, "whitmore")
	data := readTestdata(t, "mis_export.csv")
	im, err := e.store.Preview(ctx, a, whitmore, "f.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Confirm(ctx, a, im.ID); err != nil {
		t.Fatal(err)
	}
	after := e.snapshot(t)
	again, err := e.store.Preview(ctx, a, whitmore, "f.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if again.Counts != (student.Counts{Unchanged: 4, Error: 3}) {
		t.Errorf("second preview counts = %+v, want every good row unchanged", again.Counts)
	}
	if again.SameFileAppliedAt.IsZero() {
		t.Error("the second preview did not notice the same file was imported before")
	}
	res, err := e.store.Confirm(ctx, a, again.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 0 {
		t.Errorf("re-import result = %+v, want nothing created or updated", res)
	}
	if e.snapshot(t) != after {
		t.Error("re-importing the same file changed students")
	}
}

func TestImportLeavesDetailsInColumnsTheFileLeavesOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	// Kai as seeded, with the year group changed and no ethnicity, address or contact columns.
	data := []byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\n" + kaiUPN + ",Kai,Adeyemi-Brown,14/10/2011,M,11\n")
	im, err := e.store.Preview(ctx, a, e.orgID(t, "whitmore"), "f.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if r := im.Rows[0]; r.Status != student.RowUpdate || !slices.Equal(r.Changes, []string{"year group"}) {
		t.Fatalf("row = %+v, want an update of the year group only", r)
	}
	if _, err := e.store.Confirm(ctx, a, im.ID); err != nil {
		t.Fatal(err)
	}
	kai, err := e.store.Get(ctx, a, e.studentID(t, kaiUPN))
	if err != nil {
		t.Fatal(err)
	}
	if kai.YearGroup != 11 || kai.Ethnicity != "Mixed White and Black Caribbean" || kai.SEN != student.SENSupport || !kai.FSM || len(kai.Contacts) != 1 {
		t.Errorf("Kai = %+v, want Year 11 with everything else kept", kai.Record)
	}
}

func TestConfirmSkipsARowWhoseUPNAnotherSchoolAddedMeanwhile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	im, err := e.store.Preview(ctx, a, e.orgID(t, "whitmore"), "f.csv", readTestdata(t, "mis_export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	canley := e.as(t, canleyCoordinator)
	rec := student.Record{Details: student.Details{UPN: poppyUPN, LegalFirstName: "Penny", LegalLastName: "Vance",
		DateOfBirth: calendar.NewDate(2012, time.June, 4), Sex: student.Female, YearGroup: 9, SEN: student.SENNone, CPCIN: student.CPCINNone}}
	if _, err := e.store.Create(ctx, canley, e.orgID(t, "canleybrook"), rec); err != nil {
		t.Fatal(err)
	}
	res, err := e.store.Confirm(ctx, a, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || res.Updated != 1 || len(res.Skipped) != 1 || res.Skipped[0].Reason != student.UPNContactCAP {
		t.Errorf("result = %+v, want Bradley added, Amelia updated and Poppy skipped", res)
	}
}

func TestImportsAreOnlyForTheCoordinatorsOwnSchool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	data := readTestdata(t, "mis_export.csv")
	if _, err := e.store.Preview(ctx, e.as(t, whitmoreCoordinator), e.orgID(t, "canleybrook"), "f.csv", data); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("preview for another school: %v, want ErrNotFound", err)
	}
	if _, err := e.store.Preview(ctx, e.as(t, "headteacher@whitmore.school.example"), e.orgID(t, "whitmore"), "f.csv", data); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("preview by a headteacher: %v, want ErrNotFound", err)
	}
	im, err := e.store.Preview(ctx, e.as(t, whitmoreCoordinator), e.orgID(t, "whitmore"), "f.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Confirm(ctx, e.as(t, canleyCoordinator), im.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("confirm by another school's coordinator: %v, want ErrNotFound", err)
	}
	if _, err := e.store.Confirm(ctx, e.as(t, "admin@cap.example"), im.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("confirm by a CAP admin: %v, want ErrNotFound", err)
	}
}

func TestStudentsAreVisibleOnlyToTheirSchoolAndCAP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	freya := e.studentID(t, freyaUPN)
	for _, email := range []string{whitmoreCoordinator, "headteacher@whitmore.school.example", "dsl@whitmore.school.example", "staff@ridgeway.provider.example", "panel@cap.example"} {
		if _, err := e.store.Get(ctx, e.as(t, email), freya); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s got Canley Brook's student: %v, want ErrNotFound", email, err)
		}
		if _, err := e.store.View(ctx, e.as(t, email), freya, "details"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s viewed Canley Brook's student: %v, want ErrNotFound", email, err)
		}
	}
	for _, email := range []string{canleyCoordinator, "admin@cap.example", "monitoring@cap.example", "safeguarding@cap.example", "lead@cap.example"} {
		st, err := e.store.Get(ctx, e.as(t, email), freya)
		if err != nil || st.UPN != freyaUPN {
			t.Errorf("%s: %v, want Freya", email, err)
		}
	}
	list, _, err := e.store.List(ctx, e.as(t, whitmoreCoordinator), student.ListFilter{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 15 {
		t.Errorf("Whitmore's coordinator lists %d students, want Whitmore's 15", len(list))
	}
	for _, s := range list {
		if s.SchoolName != "Whitmore Park Academy" {
			t.Errorf("Whitmore's coordinator sees %s at %s", s.UPN, s.SchoolName)
		}
	}
	all, _, err := e.store.List(ctx, e.as(t, "admin@cap.example"), student.ListFilter{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(seed.DemoStudents) {
		t.Errorf("a CAP admin lists %d students, want all %d", len(all), len(seed.DemoStudents))
	}
	none, _, err := e.store.List(ctx, e.as(t, "staff@ridgeway.provider.example"), student.ListFilter{}, 100)
	if err != nil || len(none) != 0 {
		t.Errorf("provider staff list %d students (%v), want none", len(none), err)
	}
}

func TestViewingAStudentIsAudited(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.studentID(t, kaiUPN)
	if _, err := e.store.View(ctx, e.as(t, "dsl@whitmore.school.example"), id, "details"); err != nil {
		t.Fatal(err)
	}
	n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'student.viewed' AND subject_id = $1::bigint::text AND actor_email = 'dsl@whitmore.school.example'`, id)
	if n != 1 {
		t.Errorf("view audit entries = %d, want 1", n)
	}
	if _, err := e.store.Get(ctx, e.as(t, "dsl@whitmore.school.example"), id); err != nil {
		t.Fatal(err)
	}
	if m := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'student.viewed' AND subject_id = $1::bigint::text`, id); m != 1 {
		t.Errorf("Get wrote a view entry: %d entries, want 1", m)
	}
}

func validRecord(upn string) student.Record {
	return student.Record{
		Details: student.Details{UPN: upn, LegalFirstName: "Nia", LegalLastName: "Osei", DateOfBirth: calendar.NewDate(2012, time.May, 4),
			Sex: student.Female, YearGroup: 9, SEN: student.SENNone, CPCIN: student.CPCINNone},
		Contacts:      []student.Contact{{Name: "Ama Osei", Relationship: "Mother", ParentalResponsibility: true}, {}},
		Professionals: []student.Professional{{}, {Name: "Jo Reid", Role: "Early help worker"}},
	}
}

func TestCreateRefusesAUPNAlreadyInThePortalAtAnySchool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	whitmore := e.orgID(t, "whitmore")
	id, err := e.store.Create(ctx, a, whitmore, validRecord(poppyUPN))
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.store.Get(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Contacts) != 1 || len(st.Professionals) != 1 || st.Professionals[0].Name != "Jo Reid" {
		t.Errorf("blank slots were kept: %+v", st.Record)
	}
	// A UPN on the coordinator's own roll may be named as theirs; another school's may not.
	for upn, want := range map[string]error{poppyUPN: student.ErrUPNTaken, strings.ToLower(freyaUPN): student.ErrUPNRefused} {
		if _, err := e.store.Create(ctx, a, whitmore, validRecord(upn)); !errors.Is(err, want) {
			t.Errorf("create with %s: %v, want %v", upn, err, want)
		}
	}
	if _, err := e.store.Create(ctx, a, e.orgID(t, "canleybrook"), validRecord(bradleyUPN)); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("create at another school: %v, want ErrNotFound", err)
	}
	bad := validRecord(bradleyUPN)
	bad.LegalLastName = " "
	if _, err := e.store.Create(ctx, a, whitmore, bad); !errors.Is(err, student.ErrInvalid) {
		t.Errorf("create without a surname: %v, want ErrInvalid", err)
	}
}

func TestUpdateSavesChangesAndAuditsWhatChanged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	id := e.studentID(t, kaiUPN)
	st, err := e.store.Get(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	rec := st.Record
	rec.YearGroup = 11
	rec.Professionals = []student.Professional{{Name: "Sam Ito", Role: "Youth worker"}}
	changed, err := e.store.Update(ctx, a, id, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(changed, []string{"year group", "professionals"}) {
		t.Errorf("changed = %q", changed)
	}
	again, err := e.store.Update(ctx, a, id, rec)
	if err != nil || len(again) != 0 {
		t.Errorf("saving the same again: %q, %v; want no changes", again, err)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'student.updated' AND subject_id = $1::bigint::text`, id); n != 1 {
		t.Errorf("update audit entries = %d, want 1", n)
	}
	rec.UPN = freyaUPN
	if _, err := e.store.Update(ctx, a, id, rec); !errors.Is(err, student.ErrUPNRefused) {
		t.Errorf("changing to another school's student's UPN: %v, want ErrUPNRefused", err)
	}
	rec.UPN = ameliaUPN
	if _, err := e.store.Update(ctx, a, id, rec); !errors.Is(err, student.ErrUPNTaken) {
		t.Errorf("changing to another Whitmore student's UPN: %v, want ErrUPNTaken", err)
	}
	if _, err := e.store.Update(ctx, e.as(t, canleyCoordinator), id, st.Record); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("update by another school's coordinator: %v, want ErrNotFound", err)
	}
}

func TestListPagesForwardAndBackInSurnameOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	all, _, err := e.store.List(ctx, a, student.ListFilter{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(all, func(x, y student.Summary) int {
		return strings.Compare(strings.ToLower(x.LegalLastName), strings.ToLower(y.LegalLastName))
	}) {
		t.Error("the list is not in surname order")
	}
	var paged []student.Summary
	f := student.ListFilter{}
	for {
		page, more, err := e.store.List(ctx, a, f, 4)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if !more {
			break
		}
		f.AfterID = page[len(page)-1].ID
	}
	if !slices.Equal(ids(paged), ids(all)) {
		t.Errorf("paging forward gave %v, want %v", ids(paged), ids(all))
	}
	back, more, err := e.store.List(ctx, a, student.ListFilter{BeforeID: all[8].ID}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(back), ids(all[4:8])) || !more {
		t.Errorf("the page before the ninth = %v (more %v), want %v and more", ids(back), more, ids(all[4:8]))
	}
}

func ids(list []student.Summary) []int64 {
	out := make([]int64, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

func TestListSearchesNamesAndUPNs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as(t, whitmoreCoordinator)
	for q, want := range map[string][]string{
		"hammond":         {"B331290115008"},
		"JJ":              {"V331290116005"},
		"kai adeyemi":     {kaiUPN},
		"c331 2901 15001": {kaiUPN},
		"3312901150":      {kaiUPN, ameliaUPN, "V331290115004", "B331290115008", "Q331290115011"},
		"oakley":          nil, // Canley Brook's
		"100%":            nil,
		"górski":          {"J331290117007"},
	} {
		list, _, err := e.store.List(ctx, a, student.ListFilter{Query: q}, 50)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.UPN)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
}

// The demo students must pass the same checks as anyone typed in, and be in the year group their date
// of birth puts them in for 2026/27.
func TestDemoStudentsAreValid(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range seed.DemoStudents {
		rec := student.Record{Details: student.Details{UPN: d.UPN(), LegalFirstName: d.First, LegalLastName: d.Last, PreferredFirstName: d.PreferredFirst,
			DateOfBirth: d.DOB, Sex: d.Sex, YearGroup: d.Year, SEN: d.SEN, FSM: d.FSM, LookedAfter: d.LookedAfter, CPCIN: d.CPCIN,
			Ethnicity: d.Ethnicity, Address: d.Address, Postcode: d.Postcode}, Contacts: []student.Contact{d.Contact}}
		if p := rec.Problems(today); len(p) > 0 {
			t.Errorf("%s %s: %v", d.First, d.Last, p)
		}
		if seen[d.UPN()] {
			t.Errorf("%s: UPN %s used twice", d.First, d.UPN())
		}
		seen[d.UPN()] = true
		// Year 7 in 2026/27 were born from 1 September 2014 to 31 August 2015.
		startYear := 2014 - (d.Year - 7)
		from, to := calendar.NewDate(startYear, time.September, 1), calendar.NewDate(startYear+1, time.August, 31)
		if d.DOB.Before(from) || d.DOB.After(to) {
			t.Errorf("%s %s, born %s, is not in Year %d in 2026/27", d.First, d.Last, d.DOB.Format(), d.Year)
		}
	}
}

func TestStudentsMigrationGoesDownAndUpAgain(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	tables := func() int {
		var n int
		if err := pool.QueryRow(ctx, `
			SELECT count(*) FROM pg_class WHERE relname IN ('students', 'student_contacts', 'student_professionals', 'student_imports') AND relkind = 'r'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := tables(); n != 4 {
		t.Fatalf("%d student tables after migrating up, want 4", n)
	}
	m, err := db.Migrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Migrate(3); err != nil {
		t.Fatalf("migrate down to 3: %v", err)
	}
	if n := tables(); n != 0 {
		t.Errorf("%d student tables left after migrating down, want none", n)
	}
	if err := m.Up(); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	if n := tables(); n != 4 {
		t.Errorf("%d student tables after migrating up again, want 4", n)
	}
}

func TestPreviewOfAFileWithAStrayQuoteStillShowsTheGoodRowsAsNew(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var upns []string
	for _, rest := range []string{"331290190001", "331290190002", "331290190003"} {
		letter, _ := student.CheckLetter(rest)
		upns = append(upns, string(letter)+rest)
	}
	file := "UPN,Legal forename,Legal surname,DOB,Sex,Year\n" +
		upns[0] + ",Nia,Abbott,01/02/2012,F,10\n" +
		upns[1] + `,"Row"x,Baines,01/02/2012,M,10` + "\n" +
		upns[2] + ",Ola,Carter,01/02/2012,F,10\n"
	im, err := e.store.Preview(ctx, e.as(t, whitmoreCoordinator), e.orgID(t, "whitmore"), "f.csv", []byte(file))
	if err != nil {
		t.Fatalf("preview refused the file: %v", err)
	}
	if im.Counts != (student.Counts{New: 2, Error: 1}) {
		t.Errorf("counts %+v, want 2 new and 1 error", im.Counts)
	}
	var got []string
	for _, r := range im.Rows {
		got = append(got, fmt.Sprintf("%d %s", r.Line, r.Status))
	}
	if want := []string{"2 new", "3 error", "4 new"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}
