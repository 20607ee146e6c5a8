package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
)

// A referral's shape: how far along its pathway it is. Each is one of the chains of moves the demo
// made through the referral store.
type shape int

const (
	t1Draft shape = iota
	t1Submitted
	t1PackSent
	t1Interview
	t1Response
	t1Declined
	t1Placed
	refocusPlaced
	flourishReview
	transferHeadteacher
	refocusSubmitted
)

type move struct {
	action   pathway.ActionID
	from, to pathway.Step
	by       byWhom
	days     int // after the referral's start
}

type byWhom int

const (
	bySchool byWhom = iota
	byCAP
	byProvider
	byAcademy
)

var tier1Chain = []move{
	{pathway.Submit, pathway.Draft, pathway.Submitted, bySchool, 2},
	{pathway.SendPack, pathway.Submitted, pathway.PackSent, byCAP, 4},
	{pathway.Interview, pathway.PackSent, pathway.InterviewArranged, bySchool, 7},
	{pathway.Respond, pathway.InterviewArranged, pathway.ResponseReceived, byProvider, 10},
	{pathway.Process, pathway.ResponseReceived, pathway.StartConfirmed, byCAP, 11},
	{pathway.SetUpPlacement, pathway.StartConfirmed, pathway.PlacementActive, byCAP, 12},
}

func chainFor(s shape) []move {
	switch s {
	case t1Draft:
		return nil
	case t1Submitted, refocusSubmitted:
		return tier1Chain[:1]
	case t1PackSent:
		return tier1Chain[:2]
	case t1Interview:
		return tier1Chain[:3]
	case t1Response:
		return tier1Chain[:4]
	case t1Declined:
		c := slices.Clone(tier1Chain[:5])
		c[4].to = pathway.ExploringAlternatives
		return c
	case t1Placed:
		return tier1Chain
	case refocusPlaced:
		return []move{
			{pathway.Submit, pathway.Draft, pathway.Submitted, bySchool, 2},
			{pathway.JoinAgenda, pathway.Submitted, pathway.ReviewPanel, byCAP, 4},
			{pathway.Decide, pathway.ReviewPanel, pathway.MultiAgencyPanel, byCAP, 0},
			{pathway.DecideMAP, pathway.MultiAgencyPanel, pathway.OutcomeShared, byCAP, 0},
			{pathway.Onboard, pathway.OutcomeShared, pathway.Onboarding, byAcademy, 0},
			{pathway.PlaceInCohort, pathway.Onboarding, pathway.PlacementActive, byAcademy, 0},
		}
	case flourishReview:
		return []move{
			{pathway.Submit, pathway.Draft, pathway.Submitted, bySchool, 2},
			{pathway.JoinAgenda, pathway.Submitted, pathway.ReviewPanel, byCAP, 4},
		}
	case transferHeadteacher:
		return []move{
			{pathway.Submit, pathway.Draft, pathway.Submitted, bySchool, 2},
			{pathway.JoinAgenda, pathway.Submitted, pathway.ReviewPanel, byCAP, 4},
			{pathway.Decide, pathway.ReviewPanel, pathway.HeadteacherPanel, byCAP, 0},
		}
	}
	return nil
}

func pickShape(rng *rand.Rand) shape {
	r := rng.IntN(100)
	switch {
	case r < 3:
		return t1Draft
	case r < 6:
		return t1Submitted
	case r < 10:
		return t1PackSent
	case r < 12:
		return t1Interview
	case r < 14:
		return t1Response
	case r < 18:
		return t1Declined
	case r < 74:
		return t1Placed
	case r < 78:
		return refocusPlaced
	case r < 82:
		return flourishReview
	case r < 84:
		return transferHeadteacher
	case r < 86:
		return refocusSubmitted
	case r < 93:
		// Drafts started and never submitted pile up over a decade.
		return t1Draft
	case r < 97:
		return t1Submitted
	}
	return t1Placed
}

// roundCapacity is how many cases a panel meeting hears at most: the generator gives a round no more.
const roundCapacity = 40

type round struct {
	id       int64
	year     string
	kinds    []string
	deadline calendar.Date
	meeting  calendar.Date // headteacher meeting, or zero
}

type cohort struct {
	id, fedBy int64
	year      string
	starts    calendar.Date
	capacity  int
	placed    int
}

type plc struct {
	id, provider, school, student, referral int64
	start, last                             calendar.Date // the days marks run between
	days                                    []int16
	by                                      int64
}

// referrals writes every referral with its versions, events, documents, packs, responses, panel
// cases, cohort places, placements, registers, marks, notifications and audit rows.
func (g *gen) referrals(ctx context.Context, f int) error {
	var capName string
	if err := g.pool.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, g.capOrgID).Scan(&capName); err != nil {
		return err
	}
	// Answers per pathway, as the demo's applications were submitted.
	answers := map[string]map[string]any{}
	rows, err := g.pool.Query(ctx, `SELECT DISTINCT ON (r.pathway) r.pathway, v.answers FROM referral_versions v
		JOIN referrals r ON r.id = v.referral_id ORDER BY r.pathway, v.referral_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pw string
		var b []byte
		if err := rows.Scan(&pw, &b); err != nil {
			return err
		}
		m := map[string]any{}
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		answers[pw] = m
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var rounds []round
	rows, err = g.pool.Query(ctx, `SELECT id, academic_year, kinds, referral_deadline, headteacher_meeting FROM panel_rounds WHERE NOT draft ORDER BY referral_deadline`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r round
		var m *calendar.Date
		if err := rows.Scan(&r.id, &r.year, &r.kinds, &r.deadline, &m); err != nil {
			return err
		}
		if m != nil {
			r.meeting = *m
		}
		rounds = append(rounds, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var cohorts []*cohort
	rows, err = g.pool.Query(ctx, `SELECT s.id, s.fed_by_round, s.academic_year, s.starts_on, s.capacity - (SELECT count(*) FROM cohort_places c WHERE c.start_id = s.id AND c.status = 'placed')
		FROM panel_starts s WHERE s.programme_kind = 'refocus' AND s.capacity IS NOT NULL AND s.fed_by_round IS NOT NULL AND NOT s.draft ORDER BY s.starts_on`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c cohort
		if err := rows.Scan(&c.id, &c.fedBy, &c.year, &c.starts, &c.capacity); err != nil {
			return err
		}
		if c.starts.Before(g.today) {
			cohorts = append(cohorts, &c)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	roundByID := map[int64]round{}
	for _, r := range rounds {
		roundByID[r.id] = r
	}
	academy := g.panelPg[directory.Refocus]
	academyOrg := g.provs[academy.providerID]
	refocusProg, flourishProgs, transferProg := academy, g.flourish, g.panelPg[directory.SupportedTransfer]
	counters := map[string]int{}
	rows, err = g.pool.Query(ctx, `SELECT academic_year, last_number FROM referral_counters`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var y string
		var n int
		if err := rows.Scan(&y, &n); err != nil {
			return err
		}
		counters[y] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}

	n := len(g.studs)
	refFirst, err := g.reserve(ctx, "referrals", n)
	if err != nil {
		return err
	}
	schoolByID := map[int64]*org{}
	for _, s := range g.schools {
		schoolByID[s.id] = s
	}
	// Ids for the rows other rows point at, reserved a block at a time.
	var packNext, respNext, placeNext, caseNext, cohortNext int64
	var packEnd, respEnd, placeEnd, caseEnd, cohortEnd int64
	next := func(table string, cur, end *int64) (int64, error) {
		if *cur == 0 || *cur > *end {
			first, err := g.reserve(ctx, table, 5000)
			if err != nil {
				return 0, err
			}
			*cur, *end = first, first+4999
		}
		id := *cur
		*cur++
		return id, nil
	}
	var placements []plc
	yesterday := g.today.AddDays(-1)
	const batch = 10000
	type buf struct {
		refs, versions, events, docs, packs, resps, placements, reviewDates, reviews, outcomes, cases, cohortPlaces, notes, audit [][]any
	}
	var b buf
	flush := func() error {
		steps := []struct {
			table string
			cols  []string
			rows  *[][]any
		}{
			{"referrals", []string{"id", "reference", "academic_year", "school_id", "student_id", "programme_id", "provider_id", "pathway", "step",
				"step_since", "answers", "no_commissioning_confirmed", "programme_snapshot", "version", "interview_on", "interview_time", "start_token",
				"created_at", "created_by", "updated_at", "submitted_at", "submitted_by", "panel_round_id"}, &b.refs},
			{"referral_versions", []string{"referral_id", "version", "answers", "created_at", "created_by"}, &b.versions},
			{"referral_events", []string{"referral_id", "at", "actor_id", "actor_name", "actor_org", "action", "from_step", "to_step"}, &b.events},
			{"referral_documents", []string{"referral_id", "kind", "file_name", "content_type", "size_bytes", "sha256", "content", "completed_on",
				"template", "uploaded_at", "uploaded_by"}, &b.docs},
			{"referral_packs", []string{"id", "referral_id", "provider_id", "sent_at", "sent_by"}, &b.packs},
			{"application_responses", []string{"id", "referral_id", "pack_id", "provider_id", "receipt_acknowledged", "can_meet_needs", "can_manage_risk",
				"decision", "start_date", "days", "decline_reason", "decline_detail", "submitted_at", "submitted_by", "processed_at", "processed_by"}, &b.resps},
			{"panel_cases", []string{"id", "round_id", "panel", "referral_id", "position", "sla_priority", "added_at", "added_by", "minutes", "decision",
				"rationale", "conditions", "decided_at", "decided_by", "took_part", "letter_due", "letter_shared_at", "letter_shared_by"}, &b.cases},
			{"cohort_places", []string{"id", "start_id", "referral_id", "status", "priority", "requested_at", "placed_at"}, &b.cohortPlaces},
			{"placements", []string{"id", "referral_id", "application_response_id", "cohort_place_id", "student_id", "school_id", "provider_id",
				"programme_id", "academic_year", "start_date", "days", "status", "qa_placement", "created_at", "created_by", "sessions",
				"planned_end_date", "hours_per_week", "objectives", "monitoring_officer_id", "ended_on"}, &b.placements},
			{"placement_review_dates", []string{"placement_id", "due_on"}, &b.reviewDates},
			{"progress_reviews", []string{"placement_id", "held_on", "participants", "progress", "targets", "next_review", "recorded_at", "recorded_by"}, &b.reviews},
			{"placement_outcomes", []string{"placement_id", "outcome", "notes", "recorded_at", "recorded_by"}, &b.outcomes},
			{"notifications", []string{"user_id", "created_at", "kind", "subject", "body", "link", "read_at"}, &b.notes},
			{"audit_log", []string{"at", "actor_user_id", "actor_email", "action", "subject_type", "subject_id", "summary", "details", "request_id"}, &b.audit},
		}
		byTable := map[string]int{}
		for i, s := range steps {
			byTable[s.table] = i
		}
		load := func(tables ...string) error {
			for _, t := range tables {
				s := steps[byTable[t]]
				t0 := time.Now()
				if err := g.copyRows(ctx, s.table, s.cols, *s.rows); err != nil {
					return err
				}
				g.mu.Lock()
				g.timings[s.table] += time.Since(t0)
				g.mu.Unlock()
			}
			return nil
		}
		// The referrals first; then, on connections of their own at once, the tables that only
		// point at them, and the chain from packs to placements in its order.
		if err := load("referrals"); err != nil {
			return err
		}
		groups := [][]string{{"referral_versions", "referral_documents"}, {"referral_events"}, {"notifications"}, {"audit_log"},
			{"referral_packs", "application_responses", "panel_cases", "cohort_places", "placements", "placement_review_dates",
				"progress_reviews", "placement_outcomes"}}
		errs := make([]error, len(groups))
		var wg sync.WaitGroup
		for i, grp := range groups {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = load(grp...)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		g.res.Notifications += len(b.notes)
		g.res.Audit += len(b.audit)
		for _, s := range steps {
			*s.rows = (*s.rows)[:0]
		}
		return nil
	}
	emails := map[int64]string{}
	if err := g.loadEmails(ctx, emails); err != nil {
		return err
	}
	casePos := map[[2]any]int{}
	rows, err = g.pool.Query(ctx, `SELECT round_id, panel, max(position) FROM panel_cases GROUP BY 1, 2`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid int64
		var panel string
		var pos int
		if err := rows.Scan(&rid, &panel, &pos); err != nil {
			return err
		}
		casePos[[2]any{rid, panel}] = pos
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range n {
		st := g.studs[i]
		id := refFirst + int64(i)
		sc := schoolByID[st.school]
		sh := pickShape(g.rng)
		if sh == flourishReview || sh == transferHeadteacher {
			kind := map[shape]string{flourishReview: "flourish", transferHeadteacher: "supported_transfer"}[sh]
			room := false
			for _, r := range rounds {
				if slices.Contains(r.kinds, kind) && !r.deadline.Before(g.today.AddDays(-20)) && casePos[[2]any{r.id, "review"}] < roundCapacity-1 &&
					(r.meeting.IsZero() || !r.meeting.Before(g.today)) {
					room = true
				}
			}
			if !room {
				sh = t1PackSent
			}
		}
		var p prog
		switch sh {
		case refocusPlaced, refocusSubmitted:
			p = refocusProg
			if st.year > 10 {
				sh = t1Placed
			}
		case flourishReview:
			if len(flourishProgs) == 0 {
				sh = t1Placed
			} else {
				p = pick(g.rng, flourishProgs)
			}
		case transferHeadteacher:
			p = transferProg
		}
		var coh *cohort
		if sh == refocusPlaced {
			for _, c := range cohorts {
				if c.placed < c.capacity {
					coh = c
					break
				}
			}
			if coh == nil {
				sh = t1Placed
			}
		}
		if sh <= t1Placed {
			for range 20 {
				p = pick(g.rng, g.progs)
				if slices.Contains(p.years, st.year) {
					break
				}
			}
		}
		pw, _ := pathway.For(p.kind)
		// When it started: placements and declines across both years, the rest this term.
		var created calendar.Date
		switch {
		case sh == refocusPlaced:
			created = coh.starts.AddDays(-60)
		// Most of a decade's placements and declines are history: two in three are last year's,
		// which also splits the submitted referrals about evenly between the two years, so that
		// neither passes the reference's 99,999 at factor 10 (about 90,000 each).
		case (sh == t1Placed || sh == t1Declined) && g.rng.IntN(100) < 67:
			created = calendar.NewDate(2025, time.September, 8).AddDays(g.rng.IntN(170))
		case sh == t1Placed || sh == t1Declined:
			from := calendar.NewDate(2026, time.September, 7)
			created = from.AddDays(g.rng.IntN(max(1, from.DaysUntil(g.today.AddDays(-30)))))
		case sh == flourishReview || sh == transferHeadteacher || sh == refocusSubmitted:
			created = g.today.AddDays(-20 - g.rng.IntN(20))
		default:
			created = g.today.AddDays(-1 - g.rng.IntN(40))
		}
		for !g.sd.IsSchoolDay(created) && created.Before(g.today) {
			created = created.AddDays(1)
		}
		createdAt := at(created, 9, g.rng.IntN(50))
		chain := chainFor(sh)
		step := pathway.Draft
		stepSince := createdAt
		var when []time.Time
		for _, m := range chain {
			t := createdAt.Add(time.Duration(m.days) * 24 * time.Hour)
			if sh == refocusPlaced && m.days == 0 {
				t = at(coh.starts.AddDays(-10+len(when)), 10, 0)
			}
			if t.After(g.now) {
				t = g.now.Add(-time.Duration(len(chain)-len(when)) * time.Hour)
			}
			when = append(when, t)
			step, stepSince = m.to, t
		}
		year := calendar.AcademicYearCode(created)
		var reference, submittedAt, submittedBy any
		version := 0
		if len(chain) > 0 {
			counters[year]++
			if counters[year] > 99999 {
				return fmt.Errorf("more than 99,999 referrals in %s: the reference has five digits", year)
			}
			reference = fmt.Sprintf("CAP-%s-%05d", calendar.ShortCode(year), counters[year])
			submittedAt, submittedBy, version = when[0], sc.coordinator, 1
		}
		var providerID any
		if p.providerID != 0 {
			providerID = p.providerID
		}
		ans := map[string]any{}
		for k, v := range answers[pw.ID] {
			ans[k] = v
		}
		if len(ans) == 0 {
			for k, v := range answers["tier1"] {
				ans[k] = v
			}
		}
		ans["consent_name"] = st.contact
		ans["consent_date"] = created.String()
		ansJSON, err := json.Marshal(ans)
		if err != nil {
			return err
		}
		var interviewOn any
		interviewTime := ""
		if len(chain) >= 3 && chain[2].action == pathway.Interview {
			interviewOn = calendar.DateOf(when[2]).AddDays(2)
			interviewTime = "10:30"
		}
		var roundID any
		var rnd round
		if p.kind != directory.Course && p.kind != directory.Insight && p.kind != directory.Year11Post16 && len(chain) > 0 {
			if sh == refocusPlaced {
				rnd = roundByID[coh.fedBy]
			} else {
				// The rounds whose deadline it met, one of them at random; a meeting hears at most
				// roundCapacity cases, so a referral finds a round with room or goes elsewhere.
				var open []round
				for _, r := range rounds {
					if slices.Contains(r.kinds, string(p.kind)) && !r.deadline.Before(calendar.DateOf(when[0])) &&
						(r.meeting.IsZero() || !r.meeting.Before(g.today) || sh == refocusSubmitted) &&
						casePos[[2]any{r.id, "review"}] < roundCapacity {
						open = append(open, r)
					}
				}
				if len(open) > 0 {
					rnd = pick(g.rng, open[:min(len(open), 3)])
				}
			}
			if rnd.id != 0 {
				roundID = rnd.id
			}
		}
		var snap any
		if len(chain) > 0 {
			snap = p.snapshot
		}
		b.refs = append(b.refs, []any{id, reference, year, sc.id, st.id, p.id, providerID, pw.ID, string(step), stepSince, ansJSON, false,
			snap, int32(version), interviewOn, interviewTime, fmt.Sprintf("scale-%d", id), createdAt, sc.coordinator, stepSince,
			submittedAt, submittedBy, roundID})
		b.audit = append(b.audit, []any{createdAt, sc.coordinator, emails[sc.coordinator], "referral.started", "referral", fmt.Sprint(id),
			"Started a draft referral to " + snapName(p.snapshot), []byte("{}"), "scale"})
		b.docs = append(b.docs, []any{id, "risk_assessment", "risk-assessment.pdf", "application/pdf", int32(len(g.docPDF)), g.docSHA, g.docPDF,
			created.AddDays(-7), "cap", createdAt.Add(20 * time.Minute), sc.coordinator})
		if version == 1 {
			b.versions = append(b.versions, []any{id, int32(1), ansJSON, when[0], sc.coordinator})
		}
		prov := g.provs[p.providerID]
		for k, m := range chain {
			actor, name, orgName := sc.coordinator, sc.coordName, sc.name
			switch m.by {
			case byCAP:
				actor, name, orgName = g.admin, g.adminN, capName
			case byProvider:
				actor, name, orgName = prov.staff, prov.staffName, prov.name
			case byAcademy:
				actor, name, orgName = academyOrg.staff, academyOrg.staffName, academyOrg.name
			}
			b.events = append(b.events, []any{id, when[k], actor, name, orgName, string(m.action), string(m.from), string(m.to)})
			label := string(m.action)
			if a, ok := pw.Action(m.action); ok {
				label = a.Label
			}
			det, _ := json.Marshal(map[string]string{"action": string(m.action), "from": string(m.from), "to": string(m.to)})
			b.audit = append(b.audit, []any{when[k], actor, emails[actor], "referral.moved", "referral", fmt.Sprint(id),
				fmt.Sprintf("Referral %s: %s", reference, label), det, "scale"})
			// Who the step waits on is told.
			info := pw.Info(m.to)
			to := g.admin
			switch info.Waiting {
			case pathway.School, pathway.CAPAndSchool:
				to = sc.coordinator
			case pathway.Provider:
				if prov != nil {
					to = prov.staff
				}
			case pathway.Academy:
				to = academyOrg.staff
			}
			var readAt any
			if g.now.Sub(when[k]) > 7*24*time.Hour {
				readAt = when[k].Add(26 * time.Hour)
			}
			b.notes = append(b.notes, []any{to, when[k], "referral." + string(m.to),
				fmt.Sprintf("CAP referral %s: %s", reference, lowerFirst(info.Title)),
				fmt.Sprintf("Referral %s is now at “%s”. %s Sign in to CAP Portal to see the details and what you need to do.", reference, info.Title, info.Next),
				fmt.Sprintf("/referrals/%s", reference), readAt})
		}
		// Tier 1: the pack, the response and the placement.
		var packID, respID int64
		if len(chain) >= 2 && chain[1].action == pathway.SendPack {
			if packID, err = next("referral_packs", &packNext, &packEnd); err != nil {
				return err
			}
			b.packs = append(b.packs, []any{packID, id, p.providerID, when[1], g.admin})
		}
		var start calendar.Date
		if len(chain) >= 4 && chain[3].action == pathway.Respond {
			if respID, err = next("application_responses", &respNext, &respEnd); err != nil {
				return err
			}
			start = calendar.DateOf(when[3]).AddDays(7)
			for range 60 {
				if g.sd.IsSchoolDay(start) && slices.Contains(p.days, int16(start.Weekday())) {
					break
				}
				start = start.AddDays(1)
			}
			var processedAt, processedBy any
			if len(chain) >= 5 {
				processedAt, processedBy = when[4], g.admin
			}
			if sh == t1Declined {
				b.resps = append(b.resps, []any{respID, id, packID, p.providerID, true, false, true, "decline", nil, []int16{}, "need",
					"We cannot meet the needs the application describes on our site.", when[3], prov.staff, processedAt, processedBy})
			} else {
				b.resps = append(b.resps, []any{respID, id, packID, p.providerID, true, true, true, "accept", start, int16s(p.days), nil, "",
					when[3], prov.staff, processedAt, processedBy})
			}
		}
		var cohortPlaceID any
		if sh == refocusPlaced || sh == flourishReview || sh == transferHeadteacher {
			// The panel's cases: decided ones with their letters shared, and the one waiting.
			panels := map[shape][]string{refocusPlaced: {"review", "multi_agency"}, flourishReview: {"review"}, transferHeadteacher: {"review", "headteacher"}}[sh]
			for k, panel := range panels {
				cid, err := next("panel_cases", &caseNext, &caseEnd)
				if err != nil {
					return err
				}
				if rnd.id == 0 {
					break
				}
				key := [2]any{rnd.id, panel}
				casePos[key]++
				added := when[1+k]
				decided := sh == refocusPlaced || (sh == transferHeadteacher && k == 0)
				if decided {
					dAt := when[2+k]
					due := calendar.DateOf(dAt).AddDays(5)
					b.cases = append(b.cases, []any{cid, rnd.id, panel, id, int32(casePos[key]), false, added, g.admin,
						"The panel read the application and the school’s evidence.", "approved",
						"The school has tried a reduced timetable and mentoring; the panel agrees a time-limited placement is the right next step.",
						"", dAt, g.panelIDs[0], g.panelIDs[:2], due, dAt.Add(24 * time.Hour), g.admin})
				} else {
					b.cases = append(b.cases, []any{cid, rnd.id, panel, id, int32(casePos[key]), g.rng.IntN(2) == 0, added, g.admin,
						"", nil, "", "", nil, nil, []int64{}, nil, nil, nil})
				}
			}
			if sh == refocusPlaced {
				cp, err := next("cohort_places", &cohortNext, &cohortEnd)
				if err != nil {
					return err
				}
				coh.placed++
				b.cohortPlaces = append(b.cohortPlaces, []any{cp, coh.id, id, "placed", int16(0), when[3], when[5]})
				cohortPlaceID = cp
				start = coh.starts
			}
		}
		if sh == t1Placed || sh == refocusPlaced {
			pid, err := next("placements", &placeNext, &placeEnd)
			if err != nil {
				return err
			}
			days := int16s(p.days)
			provider := p.providerID
			var respArg any
			if respID != 0 {
				respArg = respID
			}
			if sh == refocusPlaced {
				respArg = nil
			}
			planned := start.AddDays(7 * 12)
			status, endedOn := "active", any(nil)
			last := yesterday
			py := calendar.AcademicYearCode(start)
			if y, ok := calendar.LookupAcademicYear(py); ok && y.End.Before(g.today) {
				// Last year's placements ran to the summer and ended.
				end := start.AddDays(7 * (16 + g.rng.IntN(20)))
				if end.After(calendar.NewDate(2026, time.July, 22)) {
					end = calendar.NewDate(2026, time.July, 22)
				}
				for !g.sd.IsSchoolDay(end) {
					end = end.AddDays(-1)
				}
				planned, status, endedOn, last = end, "ended", end, end
				b.outcomes = append(b.outcomes, []any{pid, "completed", "", at(end.AddDays(3), 12, 0), g.admin})
			}
			if planned.Before(start) {
				planned = start
			}
			b.placements = append(b.placements, []any{pid, id, respArg, cohortPlaceID, st.id, sc.id, provider, p.id, py, start, days, status,
				g.rng.IntN(4) == 0, when[len(when)-1], g.admin, []string{"am", "pm"}, planned, float64(len(days)) * 5,
				"Attend every session; complete the course's first unit.", g.mo, endedOn})
			for d := start.AddDays(42); d.Before(planned); d = d.AddDays(42) {
				b.reviewDates = append(b.reviewDates, []any{pid, d})
				// Reviews held when they were due (one in twenty late and still to hold).
				if d.Before(g.today) && (g.rng.IntN(20) > 0 || status == "ended") {
					held := d
					for !g.sd.IsSchoolDay(held) && held.After(start) {
						held = held.AddDays(-1)
					}
					b.reviews = append(b.reviews, []any{pid, held, "Student, provider tutor, school coordinator",
						[]byte(`[{"objective": "Attend every session", "progress": "Attending well; punctual most days."}]`),
						"Keep attendance above 90%; finish the first unit.", d.AddDays(42), at(held, 15, 0), g.provs[provider].staff})
				}
			}
			if !last.Before(start) {
				placements = append(placements, plc{id: pid, provider: provider, school: sc.id, student: st.id, referral: id, start: start,
					last: last, days: days, by: g.provs[provider].staff})
			}
			g.res.Placements++
		}
		g.res.Referrals++
		if (i+1)%batch == 0 || i == n-1 {
			if err := flush(); err != nil {
				return err
			}
			g.progress("referrals: %d of %d (%d placements)", i+1, n, g.res.Placements)
		}
	}
	g.progress("copy times: %v", g.timings)
	for y, last := range counters {
		if _, err := g.pool.Exec(ctx, `INSERT INTO referral_counters (academic_year, last_number) VALUES ($1, $2)
			ON CONFLICT (academic_year) DO UPDATE SET last_number = greatest(referral_counters.last_number, EXCLUDED.last_number)`, y, last); err != nil {
			return err
		}
	}
	// Each round with cases has its meetings.
	if _, err := g.pool.Exec(ctx, `INSERT INTO panel_meetings (round_id, panel, held_on, chair_id, created_at, created_by, updated_at)
		SELECT DISTINCT c.round_id, c.panel, coalesce(r.headteacher_meeting, r.referral_deadline + 7), $1::bigint, now(), $2::bigint, now()
		FROM panel_cases c JOIN panel_rounds r ON r.id = c.round_id
		ON CONFLICT (round_id, panel) DO NOTHING`, g.panelIDs[0], g.admin); err != nil {
		return fmt.Errorf("panel meetings: %w", err)
	}
	var cases int
	if err := g.pool.QueryRow(ctx, `SELECT count(*) FROM panel_cases`).Scan(&cases); err != nil {
		return err
	}
	g.res.Cases = cases
	return g.registers(ctx, placements, emails)
}

func snapName(b []byte) string {
	var s struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(b, &s)
	return s.Name
}

func (g *gen) loadEmails(ctx context.Context, m map[int64]string) error {
	rows, err := g.pool.Query(ctx, `SELECT id, email FROM users`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return err
		}
		m[id] = e
	}
	return rows.Err()
}

// registers writes each provider's registers for the days its learners had marks, and the marks:
// both sessions of every school day of each placement's days, from its start to its last day (or
// yesterday), streamed with COPY.
func (g *gen) registers(ctx context.Context, ps []plc, emails map[int64]string) error {
	days := g.schoolDaysBetween(calendar.NewDate(2025, time.September, 1), g.today.AddDays(-1))
	dayIdx := map[calendar.Date]int{}
	for i, d := range days {
		dayIdx[d] = i
	}
	type provReg struct{ used []bool }
	need := map[int64]*provReg{}
	for _, p := range ps {
		pr := need[p.provider]
		if pr == nil {
			pr = &provReg{used: make([]bool, len(days))}
			need[p.provider] = pr
		}
		for d := p.start; !d.After(p.last); d = d.AddDays(1) {
			if i, ok := dayIdx[d]; ok && slices.Contains(p.days, int16(d.Weekday())) {
				pr.used[i] = true
			}
		}
	}
	// Registers the demo already took are used as they are.
	existing := map[[3]any]int64{}
	rows, err := g.pool.Query(ctx, `SELECT id, provider_id, on_date, session FROM registers`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, pid int64
		var day calendar.Date
		var sess string
		if err := rows.Scan(&id, &pid, &day, &sess); err != nil {
			return err
		}
		existing[[3]any{pid, day, sess}] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	total := 0
	for pid, pr := range need {
		for i, u := range pr.used {
			for _, sess := range []string{"am", "pm"} {
				if _, ok := existing[[3]any{pid, days[i], sess}]; u && !ok {
					total++
				}
			}
		}
	}
	first, err := g.reserve(ctx, "registers", total)
	if err != nil {
		return err
	}
	regID := map[int64][][2]int64{} // provider → day → the am and pm registers' ids
	var regRows, auditRows [][]any
	nextID := first
	provIDs := make([]int64, 0, len(need))
	for id := range need {
		provIDs = append(provIDs, id)
	}
	slices.Sort(provIDs)
	for _, pid := range provIDs {
		pr := need[pid]
		ids := make([][2]int64, len(days))
		staff := g.provs[pid].staff
		for i, u := range pr.used {
			if !u {
				continue
			}
			for s, sess := range []string{"am", "pm"} {
				if id, ok := existing[[3]any{pid, days[i], sess}]; ok {
					ids[i][s] = id
					continue
				}
				ids[i][s] = nextID
				t := at(days[i], 9+4*s, 15)
				regRows = append(regRows, []any{nextID, pid, days[i], sess, t, staff})
				auditRows = append(auditRows, []any{t, staff, emails[staff], placement.ActionRegister, "register", fmt.Sprintf("%d/%s/%s", pid, days[i], sess),
					fmt.Sprintf("Took the %s register of %s", map[string]string{"am": "morning", "pm": "afternoon"}[sess], days[i].Format()), []byte("{}"), "scale"})
				nextID++
			}
		}
		regID[pid] = ids
	}
	if err := g.copyRows(ctx, "registers", []string{"id", "provider_id", "on_date", "session", "taken_at", "taken_by"}, regRows); err != nil {
		return err
	}
	if err := g.copyRows(ctx, "audit_log", []string{"at", "actor_user_id", "actor_email", "action", "subject_type", "subject_id", "summary", "details", "request_id"}, auditRows); err != nil {
		return err
	}
	g.res.Registers = len(regRows)
	g.res.Audit += len(auditRows)
	g.progress("registers: %d", len(regRows))
	// The marks, streamed.
	pi, d := 0, calendar.Date{}
	sess := 0
	var rng *rand.Rand
	count := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		for pi < len(ps) {
			p := ps[pi]
			if d.IsZero() {
				d, sess = p.start, 0
				rng = rand.New(rand.NewPCG(uint64(p.id), 7))
			}
			for !d.After(p.last) {
				i, ok := dayIdx[d]
				if !ok || !slices.Contains(p.days, int16(d.Weekday())) {
					d, sess = d.AddDays(1), 0
					continue
				}
				s := sess
				if sess == 1 {
					d, sess = d.AddDays(1), 0
				} else {
					sess = 1
				}
				status, reason := placement.Present, placement.Reason("")
				var late any
				r := rng.IntN(100)
				switch {
				case r < 5:
					status, late = placement.Late, int32(5+rng.IntN(30))
				case r < 8:
					status, reason = placement.Absent, placement.Illness
				case r < 9:
					status, reason = placement.Absent, placement.Medical
				case r < 11:
					status, reason = placement.Absent, placement.Unauthorised
				}
				var reasonArg any
				if reason != "" {
					reasonArg = string(reason)
				}
				count++
				if count%500000 == 0 {
					g.progress("marks: %d", count)
				}
				day := days[i]
				return []any{p.id, regID[p.provider][i][s], day, []string{"am", "pm"}[s], string(status), late, reasonArg,
					placement.Code(status, reason), at(day, 9+4*s, 15), p.by}, nil
			}
			pi++
			d = calendar.Date{}
		}
		return nil, nil
	})
	// The marks are most of the data, and COPY checks each mark's three foreign keys one row at a
	// time at the end of the statement (most of the load's time). attendance_marks has no trigger but
	// those checks and the attendance tally's (migration 0025), so a superuser loads the marks with them
	// off, then checks every mark's keys in one pass (a hash anti-join), refusing the load if one is
	// missing, and works the tallies out again from all the marks in one pass; anyone else loads them
	// with the per-row checks and the per-row tally (the rebuild then changes nothing).
	conn, err := g.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var markFloor int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM attendance_marks`).Scan(&markFloor); err != nil {
		return err
	}
	bulk := false
	if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err == nil {
		bulk = true
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"attendance_marks"}, []string{"placement_id", "register_id", "on_date", "session", "status",
		"late_minutes", "absence_reason", "code", "recorded_at", "recorded_by"}, src)
	if bulk {
		if _, rerr := conn.Exec(ctx, `RESET session_replication_role`); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil {
		return fmt.Errorf("copy attendance_marks: %w", err)
	}
	if bulk {
		var broken int64
		err := conn.QueryRow(ctx, `SELECT count(*) FROM attendance_marks m
			WHERE m.id > $1 AND (NOT EXISTS (SELECT 1 FROM placements p WHERE p.id = m.placement_id)
			   OR NOT EXISTS (SELECT 1 FROM registers r WHERE r.id = m.register_id)
			   OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.recorded_by))`, markFloor).Scan(&broken)
		if err != nil {
			return fmt.Errorf("check the marks' keys: %w", err)
		}
		if broken > 0 {
			return fmt.Errorf("%d generated marks point at a placement, register or user that does not exist", broken)
		}
		g.progress("marks' foreign keys checked in one pass")
	}
	if _, err := conn.Exec(ctx, `SELECT attendance_tallies_rebuild()`); err != nil {
		return fmt.Errorf("tally the marks: %w", err)
	}
	g.progress("attendance tallies worked out from the marks")
	g.res.Marks = count
	g.progress("marks: %d", count)
	return nil
}
