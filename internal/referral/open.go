package referral

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/pathway"
)

// OpenReferralTo finds the student's submitted referral to the programme that is still going: one
// that is not a draft (a second start finds the draft itself), and not at a step where it is over
// for that programme — CAP exploring alternatives after a decline, closed, or a transfer's outcome.
// A referral whose placement has ended is over too. The newest such referral is returned, so a
// school is pointed at the one that matters now.
func (s Store) OpenReferralTo(ctx context.Context, studentID, programmeID int64) (reference string, step pathway.Step, found bool, err error) {
	return openReferralTo(ctx, s.DB, studentID, programmeID, 0)
}

// openReferralTo is OpenReferralTo leaving out one referral (the one being submitted or redirected).
func openReferralTo(ctx context.Context, q db.DBTX, studentID, programmeID, except int64) (reference string, step pathway.Step, found bool, err error) {
	var st string
	err = q.QueryRow(ctx, `
		SELECT r.reference, r.step FROM referrals r
		WHERE r.student_id = $1 AND r.programme_id = $2 AND r.step <> $3 AND NOT (r.step = ANY($4)) AND r.id <> $6
		  AND NOT (r.step = $5 AND NOT EXISTS (
		      SELECT 1 FROM placements pl WHERE pl.referral_id = r.id AND pl.status = 'active'))
		ORDER BY r.id DESC LIMIT 1`,
		studentID, programmeID, string(pathway.Draft),
		[]string{string(pathway.ExploringAlternatives), string(pathway.Closed), string(pathway.TransferOutcome)},
		string(pathway.PlacementActive), except).Scan(&reference, &st)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("open referral to the programme: %w", err)
	}
	return reference, pathway.Step(st), true, nil
}

// alreadyReferred says, as a sentence, that the student already has another referral going to the
// programme; "" when not.
func alreadyReferred(ctx context.Context, q db.DBTX, r Referral, programmeID int64, programme string) (string, error) {
	ref, step, found, err := openReferralTo(ctx, q, r.StudentID, programmeID, r.ID)
	if err != nil || !found {
		return "", err
	}
	title := string(step)
	if p, ok := pathway.ByID(r.PathwayID); ok {
		title = p.Info(step).Title
	}
	return fmt.Sprintf("%s already has a referral to %s: %s (%s).", r.StudentName, programme, ref, title), nil
}
