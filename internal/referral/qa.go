package referral

import (
	"context"
	"errors"
	"strconv"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/school"
)

// QAChoice is whether a placement can count as one of the school's SLA quality-assured Tier 1
// placements, and whether it should by default.
type QAChoice struct {
	Offered bool   // a Tier 1 programme at a school with a signed SLA and placements left
	Default bool   // Offered, for a Tier 1 course
	Hint    string // the count, or why it cannot count
}

// QAChoiceFor works out the QA placement choice from the school's SLA for the referral's year and the
// placements it has already counted.
func (s Store) QAChoiceFor(ctx context.Context, ref Referral) (QAChoice, error) {
	year := ref.AcademicYear
	if ref.Tier != 1 {
		return QAChoice{Hint: "This is not a Tier 1 programme, so it does not use one of the school’s SLA quality-assured placements."}, nil
	}
	sla, err := school.On(s.DB).SLAOf(ctx, ref.SchoolID, year)
	if err != nil {
		return QAChoice{}, err
	}
	if !sla.Signed {
		return QAChoice{Hint: ref.SchoolName + " has no signed CAP SLA for " + year + ", so this placement cannot count as one of its quality-assured placements."}, nil
	}
	offer, err := school.On(s.DB).OfferFor(ctx, year)
	if errors.Is(err, db.ErrNotFound) {
		return QAChoice{Hint: "CAP has set no SLA offer for " + year + ", so there are no quality-assured placements to count it against."}, nil
	}
	if err != nil {
		return QAChoice{}, err
	}
	used, err := school.On(s.DB).UsedQAPlacements(ctx, ref.SchoolID, year)
	if err != nil {
		return QAChoice{}, err
	}
	count := strconv.Itoa(used) + " of " + strconv.Itoa(offer.Tier1QAPlacements)
	if used >= offer.Tier1QAPlacements {
		return QAChoice{Hint: ref.SchoolName + " has used all its quality-assured Tier 1 placements for " + year + " (" + count + "), so this placement cannot count as one."}, nil
	}
	return QAChoice{Offered: true, Default: ref.Kind == directory.Course,
		Hint: ref.SchoolName + " has used " + count + " of its SLA’s quality-assured Tier 1 placements for " + year + "."}, nil
}
