package document_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/seed"
)

var ctx = context.Background()

// demoNow is the portal's test "today": Monday 23 November 2026.
var demoNow = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

type fixture struct {
	pool      *pgxpool.Pool
	referral  int64 // a draft referral
	other     int64 // another school's draft referral
	user      int64 // the coordinator who uploads
	otherUser int64
}

// newFixture loads the demo data and adds two draft referrals with SQL, since documents hang off one.
func newFixture(t *testing.T) fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	if _, err := seed.LoadDemo(ctx, pool, calendar.NewFixed(demoNow), "test-password-123"); err != nil {
		t.Fatalf("load demo data: %v", err)
	}
	f := fixture{pool: pool}
	f.referral, f.user = insertReferral(t, pool, 0)
	f.other, f.otherUser = insertReferral(t, pool, f.user)
	return f
}

// insertReferral makes a draft referral for a demo student (one at a school other than notUser's, when
// given) on a Tier 1 course, created by a user of the student's school.
func insertReferral(t *testing.T, pool *pgxpool.Pool, notUser int64) (referralID, userID int64) {
	t.Helper()
	var schoolID, studentID, programmeID, providerID int64
	err := pool.QueryRow(ctx, `
		SELECT s.school_id, s.id, m.user_id
		FROM students s JOIN memberships m ON m.organisation_id = s.school_id
		WHERE m.user_id <> $1
		  AND s.school_id NOT IN (SELECT organisation_id FROM memberships WHERE user_id = $1)
		ORDER BY s.id, m.user_id LIMIT 1`, notUser).Scan(&schoolID, &studentID, &userID)
	if err != nil {
		t.Fatalf("find a demo student and a user at their school: %v", err)
	}
	err = pool.QueryRow(ctx, `
		SELECT id, organisation_id FROM programmes
		WHERE kind = 'course' AND organisation_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&programmeID, &providerID)
	if err != nil {
		t.Fatalf("find a demo course: %v", err)
	}
	err = pool.QueryRow(ctx, `
		INSERT INTO referrals (academic_year, school_id, student_id, programme_id, provider_id, pathway, step,
		                       step_since, start_token, created_at, created_by, updated_at)
		VALUES ('2026/27', $1, $2, $3, $4, 'tier1', 'draft', $5, $6, $5, $7, $5)
		RETURNING id`,
		schoolID, studentID, programmeID, providerID, demoNow, fmt.Sprintf("test-%d-%d", studentID, notUser), userID,
	).Scan(&referralID)
	if err != nil {
		t.Fatalf("insert referral: %v", err)
	}
	return referralID, userID
}

func pdf(text string) []byte { return []byte("%PDF-1.7\n% " + text + "\n%%EOF\n") }

func upload(t *testing.T, kind document.Kind, name string, data []byte) document.Upload {
	t.Helper()
	c, err := document.Validate(name, data)
	if err != nil {
		t.Fatalf("Validate(%q): %v", name, err)
	}
	u := document.Upload{Kind: kind, Checked: c, Data: data}
	if kind == document.RiskAssessment {
		u.CompletedOn = calendar.NewDate(2026, time.October, 1)
		u.Template = document.CAPTemplate
	}
	return u
}

func TestInsertListGetRoundTrip(t *testing.T) {
	f := newFixture(t)
	ra := upload(t, document.RiskAssessment, "../../Risk assessment.pdf", pdf("risk"))
	ra.Description = "  Updated after the review meeting  "
	raID, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow, ra)
	if err != nil {
		t.Fatalf("insert risk assessment: %v", err)
	}
	caID, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow.Add(time.Minute),
		upload(t, document.CommissioningAgreement, "agreement.pdf", pdf("agreement")))
	if err != nil {
		t.Fatalf("insert commissioning agreement: %v", err)
	}

	list, err := document.On(f.pool).List(ctx, f.referral)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != raID || list[1].ID != caID {
		t.Fatalf("List = %+v, want ids %d then %d", list, raID, caID)
	}
	got := list[0]
	var userName string
	if err := f.pool.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, f.user).Scan(&userName); err != nil {
		t.Fatal(err)
	}
	if got.Kind != document.RiskAssessment || got.FileName != "Risk assessment.pdf" ||
		got.ContentType != document.TypePDF || got.Size != len(pdf("risk")) ||
		got.CompletedOn != calendar.NewDate(2026, time.October, 1) || got.Template != document.CAPTemplate ||
		got.Description != "Updated after the review meeting" || !got.UploadedAt.Equal(demoNow) ||
		got.UploadedByID != f.user || got.UploadedBy != userName || got.SHA256 != ra.Checked.SHA256 {
		t.Errorf("risk assessment meta = %+v", got)
	}
	if ca := list[1]; !ca.CompletedOn.IsZero() || ca.Template != "" {
		t.Errorf("commissioning agreement has risk assessment fields: %+v", ca)
	}

	doc, err := document.On(f.pool).Get(ctx, f.referral, raID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc.Content, pdf("risk")) || doc.FileName != "Risk assessment.pdf" {
		t.Errorf("Get returned %q (%s)", doc.Content, doc.FileName)
	}
}

func TestGetAndRemoveAreScopedToTheReferral(t *testing.T) {
	f := newFixture(t)
	id, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow, upload(t, document.Other, "note.pdf", pdf("note")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := document.On(f.pool).Get(ctx, f.other, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Get through another referral = %v, want ErrNotFound", err)
	}
	if err := document.On(f.pool).Remove(ctx, f.other, id, f.otherUser, demoNow); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Remove through another referral = %v, want ErrNotFound", err)
	}
	if _, err := document.On(f.pool).Get(ctx, f.referral, id+1000); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Get of a missing id = %v, want ErrNotFound", err)
	}

	if err := document.On(f.pool).Remove(ctx, f.referral, id, f.user, demoNow.Add(time.Hour)); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := document.On(f.pool).Get(ctx, f.referral, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Get after removal = %v, want ErrNotFound", err)
	}
	if list, err := document.On(f.pool).List(ctx, f.referral); err != nil || len(list) != 0 {
		t.Errorf("List after removal = %v, %v; want empty", list, err)
	}
	if err := document.On(f.pool).Remove(ctx, f.referral, id, f.user, demoNow); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
	// Removed is kept, not deleted: nothing a school submitted is lost.
	var removedBy int64
	var content []byte
	if err := f.pool.QueryRow(ctx, `SELECT removed_by, content FROM referral_documents WHERE id = $1`, id).
		Scan(&removedBy, &content); err != nil {
		t.Fatal(err)
	}
	if removedBy != f.user || !bytes.Equal(content, pdf("note")) {
		t.Errorf("removed row: removed_by %d, content %q", removedBy, content)
	}
}

func TestSameContentFindsAnEarlierUpload(t *testing.T) {
	f := newFixture(t)
	u := upload(t, document.Other, "note.pdf", pdf("same"))
	if _, found, err := document.On(f.pool).SameContent(ctx, f.referral, u.Kind, u.Checked); err != nil || found {
		t.Fatalf("SameContent before upload = %v, %v", found, err)
	}
	id, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow, u)
	if err != nil {
		t.Fatal(err)
	}
	if got, found, err := document.On(f.pool).SameContent(ctx, f.referral, u.Kind, u.Checked); err != nil || !found || got.ID != id || got.FileName != "note.pdf" {
		t.Errorf("SameContent = %+v, %v, %v; want %d", got, found, err, id)
	}
	if _, found, err := document.On(f.pool).SameContent(ctx, f.other, u.Kind, u.Checked); err != nil || found {
		t.Errorf("SameContent in another referral = %v, %v; want not found", found, err)
	}
	// The same file attached as another kind of document is not a duplicate.
	if _, found, err := document.On(f.pool).SameContent(ctx, f.referral, document.CommissioningAgreement, u.Checked); err != nil || found {
		t.Errorf("SameContent of another kind = %v, %v; want not found", found, err)
	}
}

func TestInsertRefusesInconsistentUploads(t *testing.T) {
	f := newFixture(t)
	good := upload(t, document.Other, "a.pdf", pdf("a"))

	tampered := good
	tampered.Data = pdf("b")
	noDate := upload(t, document.RiskAssessment, "ra.pdf", pdf("ra"))
	noDate.CompletedOn = calendar.Date{}
	noTemplate := upload(t, document.RiskAssessment, "ra.pdf", pdf("ra"))
	noTemplate.Template = "lea"
	badKind := good
	badKind.Kind = "passport"
	long := good
	long.Description = string(bytes.Repeat([]byte("x"), document.MaxDescription+1))

	for name, u := range map[string]document.Upload{
		"bytes differ from the check": tampered, "risk assessment without date": noDate,
		"unknown template": noTemplate, "unknown kind": badKind, "description too long": long,
	} {
		if _, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow, u); err == nil {
			t.Errorf("%s: Insert succeeded", name)
		}
	}
	if _, err := document.On(f.pool).Insert(ctx, f.referral, f.user, demoNow, long); !errors.Is(err, document.ErrDescription) {
		t.Errorf("long description: %v, want ErrDescription", err)
	}
	if list, err := document.On(f.pool).List(ctx, f.referral); err != nil || len(list) != 0 {
		t.Errorf("refused uploads left %d documents (%v)", len(list), err)
	}
}
