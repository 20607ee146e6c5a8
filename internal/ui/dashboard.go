package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// dashboard shows each of the viewer's roles what needs doing. Every figure is counted from real
// records; a tile whose records do not exist in the portal yet is left out.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	today := calendar.Today(s.Clock)
	pos, err := s.calendar.LoadPosition(ctx, today)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.DashboardView{Name: p.Name, TermRows: termRows(pos)}

	var yours []components.SummaryRow
	for _, m := range p.Memberships {
		yours = append(yours, components.SummaryRow{Key: m.Role.Label(), Value: m.OrgName})
	}
	if len(yours) == 0 {
		v.Sections = append(v.Sections, pages.DashboardSection{
			Heading:   "Your roles",
			Paragraph: []string{"Your account has no roles yet, so there is nothing for you to do here. Ask a CAP admin to give you the role you need."},
		})
	} else {
		v.Sections = append(v.Sections, pages.DashboardSection{Heading: "Your roles", Rows: yours})
	}

	// Today's monitoring first: registers to take, absences to follow up, what is overdue.
	monitoring, err := s.monitoringSections(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Sections = append(v.Sections, monitoring...)

	// Change-of-day and withdrawal requests: CAP's to process, a school's or a provider's to agree or submit.
	if sec, ok, err := s.requestsSection(r); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok {
		v.Sections = append(v.Sections, sec)
	}

	if p.Has(auth.CAPAdmin) {
		sec, err := s.adminSection(r, pos)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, sec)
		queue, err := s.workQueueSections(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, queue...)
		letters, err := s.lettersToShareSection(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, letters)
	} else if p.Has(auth.ServiceLead) && pos.AcademicYear != "" {
		n, err := s.schools.CountWithoutSignedSLA(ctx, pos.AcademicYear)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, pages.DashboardSection{
			Heading:   "Oversight",
			Paragraph: []string{strconv.Itoa(n) + plural(n, " school has", " schools have") + " no signed SLA for " + pos.AcademicYear + ". Tier 3 is only open to schools with the SLA."},
			Links:     []pages.Link{{Text: "Schools without a signed SLA", Href: "/schools?sla=unsigned"}, {Text: "Search the audit log", Href: "/admin/audit"}},
		})
	}

	if p.HasAny(auth.PanelMember, auth.CAPAdmin) {
		sec, err := s.panelMeetingsSection(r, today)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, sec)
	}

	seen := map[int64]bool{}
	for _, m := range p.Memberships {
		if m.OrgKind != auth.School || seen[m.OrgID] || pos.AcademicYear == "" {
			continue
		}
		seen[m.OrgID] = true
		students, err := s.students.CountAtSchool(ctx, m.OrgID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sec := pages.DashboardSection{Heading: m.OrgName, Links: []pages.Link{
			{Text: "Your school’s CAP SLA for " + pos.AcademicYear, Href: slaHref(m.OrgID, pos.AcademicYear)},
			{Text: "Your school’s details and contacts", Href: "/schools/" + itoa(m.OrgID)},
			{Text: "Search the CAP Directory", Href: "/directory"},
		}}
		sec.Tiles = []pages.Tile{{Label: plural(students, "student", "students") + " in the portal", Count: students, Href: "/students",
			Hint: "Add them one by one or import them from your MIS."}}
		open, drafts, err := s.referrals.CountForSchool(ctx, m.OrgID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sec.Tiles = append(sec.Tiles,
			pages.Tile{Label: plural(open, "open referral", "open referrals"), Count: open, Href: "/referrals", Hint: "Submitted and not yet a placement."})
		// Only coordinators can open a draft, so only they are shown the school's drafts.
		if coordinatesSchool(p, m.OrgID) {
			sec.Tiles = append(sec.Tiles,
				pages.Tile{Label: plural(drafts, "draft referral", "draft referrals"), Count: drafts, Href: "/referrals?step=draft", Hint: "Started and not yet submitted."})
			sec.Links = append([]pages.Link{{Text: "Refer a student", Href: "/referrals/new"}}, sec.Links...)
		}
		sla, err := s.schools.SLAOf(ctx, m.OrgID, pos.AcademicYear)
		switch {
		case err != nil:
			s.serverError(w, r, err)
			return
		case !sla.Signed:
			sec.Paragraph = []string{
				m.OrgName + " has no signed CAP SLA for " + pos.AcademicYear + ".",
				"Without the SLA your school can still use Tier 1 courses and Tier 2 programmes, but Tier 3 (Supported Transfer and Refocus) is only for SLA schools, and SLA schools' Tier 2 cases come first. Call the CAP team on 024 7697 2062 to sign it.",
			}
		default:
			signed := "Signed"
			if !sla.SignedOn.IsZero() {
				signed = "Signed on " + sla.SignedOn.Format()
			}
			sec.Rows = []components.SummaryRow{
				{Key: "CAP SLA " + pos.AcademicYear, Value: signed},
				{Key: "Tier 1", Value: "Open access, with 15 paid-for quality-assured placements"},
				{Key: "Tier 2", Value: "Unlimited, with priority over schools without the SLA"},
				{Key: "Tier 3", Value: "Supported Transfer and Refocus, only for SLA schools"},
			}
		}
		v.Sections = append(v.Sections, sec)
		if coordinatesSchool(p, m.OrgID) {
			now, err := s.needsYouSection(r, m.OrgID)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if len(now.Rows) > 0 {
				v.Sections = append(v.Sections, now)
			}
		}
	}
	if p.Has(auth.ProviderStaff) {
		sec, err := s.providerQueueSection(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Sections = append(v.Sections, sec)
	}
	s.render(w, r, http.StatusOK, pages.Dashboard(s.page(r, "Home"), v))
}

// coordinatesSchool reports whether the principal is a coordinator at the school.
func coordinatesSchool(p *auth.Principal, schoolID int64) bool {
	for _, m := range p.OrgsWith(auth.Coordinator) {
		if m.OrgID == schoolID {
			return true
		}
	}
	return false
}

// queueOldest is how many of each queue's oldest referrals the dashboard lists.
const queueOldest = 5

// workQueueSections are CAP's work queue: how many referrals wait at each step CAP acts on, and the
// oldest few of each with how long they have waited in working days.
func (s *Server) workQueueSections(r *http.Request) ([]pages.DashboardSection, error) {
	q, err := s.referrals.WorkQueue(r.Context(), referralActor(r), queueOldest)
	if err != nil {
		return nil, err
	}
	// Each tile's link lists exactly the referrals it counts.
	groups := []struct {
		one, many, heading string
		filter             string
		steps              []pathway.Step
		items              []referral.Summary
	}{
		{"referral waiting for review", "referrals waiting for review", "Oldest waiting for review",
			string(pathway.Submitted), []pathway.Step{pathway.Submitted}, q.Review},
		{"pack waiting for a provider’s response", "packs waiting for a provider’s response", "Oldest packs waiting for a response",
			refAwaitingProvider, refAwaitingProviderSteps, q.AwaitingResponse},
		{"response to process", "responses to process", "Oldest responses to process",
			string(pathway.ResponseReceived), []pathway.Step{pathway.ResponseReceived}, q.ToProcess},
		{"decline to resolve", "declines to resolve", "Oldest declines to resolve",
			string(pathway.ExploringAlternatives), []pathway.Step{pathway.ExploringAlternatives}, q.Declines},
		{"training record to set up", "training records to set up", "Oldest training records to set up",
			string(pathway.StartConfirmed), []pathway.Step{pathway.StartConfirmed}, q.ToSetUp},
	}
	today := calendar.Today(s.Clock)
	head := pages.DashboardSection{Heading: "Referrals: CAP’s work queue", Links: []pages.Link{{Text: "All referrals", Href: "/referrals"}}}
	var out []pages.DashboardSection
	for _, g := range groups {
		n, more := 0, false
		for _, st := range g.steps {
			c := q.Counts[st]
			if c > referral.QueueCountCap {
				c, more = referral.QueueCountCap, true
			}
			n += c
		}
		head.Tiles = append(head.Tiles, pages.Tile{Label: plural(n, g.one, g.many), Count: n, More: more, Href: "/referrals?sort=waiting&step=" + g.filter})
		if len(g.items) == 0 {
			continue
		}
		sec := pages.DashboardSection{Heading: g.heading}
		for _, it := range g.items {
			sec.Rows = append(sec.Rows, queueRow(it, today))
		}
		out = append(out, sec)
	}
	if q.Counts[pathway.InterviewArranged] > 0 {
		head.Links = append(head.Links, pages.Link{Text: "Packs whose interview is arranged", Href: "/referrals?sort=waiting&step=" + string(pathway.InterviewArranged)})
	}
	return append([]pages.DashboardSection{head}, out...), nil
}

// queueRow is one waiting referral: its reference, what it is, and how long it has waited ("since
// today" only when it reached its step today).
func queueRow(it referral.Summary, today calendar.Date) components.SummaryRow {
	waiting := "waiting " + refAge(calendar.DateOf(it.StepSince), today)
	if calendar.DateOf(it.StepSince) == today {
		waiting = "since today"
	}
	return components.SummaryRow{Key: it.Key(),
		Value:   it.StudentName + " (" + it.SchoolName + "), " + it.Programme + ": " + it.StepTitle() + ", " + waiting,
		Actions: []components.Action{{Href: "/referrals/" + it.Key(), Text: "Open", VisuallyHidden: "referral " + it.Key()}}}
}

// lettersShown bounds the outcome letters CAP's dashboard lists.
const lettersShown = 10

// lettersToShareSection is CAP's decided panel cases whose outcome letter the school has not been
// sent yet, the earliest due first, each tagged when it is past its due day.
func (s *Server) lettersToShareSection(r *http.Request) (pages.DashboardSection, error) {
	sec := pages.DashboardSection{Heading: "Outcome letters to share"}
	today := calendar.Today(s.Clock)
	queue, err := s.panels.LettersToShare(r.Context(), today, lettersShown)
	if err != nil {
		return sec, err
	}
	list, late := queue.Cases, queue.Late
	switch {
	case queue.Total == 0:
		sec.Paragraph = []string{"No outcome letters are waiting to be shared with schools."}
	default:
		text := strconv.Itoa(queue.Total) + " " + plural(queue.Total, "outcome letter is", "outcome letters are") + " waiting to be shared with the school, earliest due first."
		if late > 0 {
			text += " " + strconv.Itoa(late) + " " + plural(late, "is", "are") + " late, past the three working days after the meeting."
		}
		sec.Paragraph = []string{text}
		if queue.Total > lettersShown {
			sec.Paragraph = append(sec.Paragraph, "The first "+strconv.Itoa(lettersShown)+":")
		}
	}
	for _, c := range list {
		text := c.StudentName + " (" + c.SchoolName + "), " + panel.PanelName(c.Panel) + ": " + panel.DecisionLabel(c.Decision) +
			", due by " + c.LetterDue.Format()
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: c.Reference, ValueHTML: pages.LetterQueueValue(text, c.LetterLate(today)),
			Actions: []components.Action{{Href: "/referrals/" + c.Reference, Text: "Open", VisuallyHidden: "referral " + c.Reference}}})
	}
	return sec, nil
}

// providerPacksShown bounds the packs a provider's dashboard lists.
const providerPacksShown = 10

// providerQueueSection is a provider's packs waiting for its response.
func (s *Server) providerQueueSection(r *http.Request) (pages.DashboardSection, error) {
	ctx := r.Context()
	sec := pages.DashboardSection{Heading: "Referrals waiting for you", Links: []pages.Link{{Text: "All referrals sent to you", Href: "/referrals"}}}
	// Coventry AP Academy's cases the Multi-Agency Panel agreed wait for it too: onboarding, then a cohort.
	// One list of the four steps, longest waiting first: a provider's referrals are found from its
	// packs (referral_packs_provider_idx) and looked up by key, so one statement serves all four
	// steps as cheaply as one (four statements had cost 3.5 ms a dashboard at scale factor 10).
	items, more, err := s.referrals.List(ctx, referralActor(r), referral.ListFilter{
		Steps: []pathway.Step{pathway.PackSent, pathway.InterviewArranged, pathway.OutcomeShared, pathway.Onboarding},
		Sort:  referral.SortWaiting}, providerPacksShown)
	if err != nil {
		return sec, err
	}
	switch {
	case len(items) == 0:
		sec.Paragraph = []string{"No application packs are waiting for your response, and no agreed cases for you to onboard."}
	case more:
		sec.Paragraph = []string{"More than " + strconv.Itoa(providerPacksShown) + " referrals are waiting for you (application packs to respond to, agreed cases to onboard). The longest waiting:"}
	case len(items) == 1 && items[0].Step != pathway.OutcomeShared && items[0].Step != pathway.Onboarding:
		sec.Paragraph = []string{"1 application pack is waiting for your response."}
	case len(items) == 1:
		sec.Paragraph = []string{"1 case agreed by the Multi-Agency Panel is waiting for you to onboard and place in a cohort."}
	default:
		sec.Paragraph = []string{strconv.Itoa(len(items)) + " referrals are waiting for you (application packs to respond to, agreed cases to onboard), longest waiting first."}
	}
	today := calendar.Today(s.Clock)
	for _, it := range items {
		sec.Rows = append(sec.Rows, queueRow(it, today))
	}
	return sec, nil
}

func (s *Server) adminSection(r *http.Request, pos calendar.Position) (pages.DashboardSection, error) {
	ctx := r.Context()
	sec := pages.DashboardSection{Heading: "CAP administration"}
	active, err := s.users.CountActive(ctx)
	if err != nil {
		return sec, err
	}
	sec.Tiles = append(sec.Tiles, pages.Tile{Label: plural(active, "active user", "active users"), Count: active, Href: "/admin/users"})
	throttled, err := s.auth.CountThrottledSince(ctx, s.Clock.Now().Add(-24*time.Hour))
	if err != nil {
		return sec, err
	}
	sec.Tiles = append(sec.Tiles, pages.Tile{Label: plural(throttled, "sign-in", "sign-ins") + " refused after too many wrong passwords in the last 24 hours", Count: throttled, Href: "/admin/audit?action=" + audit.SignInThrottled,
		Hint: "An address is paused for up to 15 minutes after 10 wrong passwords for one email, or 50 for any, in 15 minutes. After 10 for one email from anywhere, each further try waits longer, up to 5 minutes."})
	if pos.AcademicYear != "" {
		n, err := s.schools.CountWithoutSignedSLA(ctx, pos.AcademicYear)
		if err != nil {
			return sec, err
		}
		sec.Tiles = append(sec.Tiles, pages.Tile{Label: plural(n, "school", "schools") + " without a signed SLA for " + pos.AcademicYear, Count: n, Href: "/schools?sla=unsigned",
			Hint: "Tier 3 is only open to schools with a signed SLA."})
	}
	sec.Links = []pages.Link{
		{Text: "Add a user", Href: "/admin/users/new"},
		{Text: "Search the audit log", Href: "/admin/audit"},
		{Text: "Add a programme to the CAP Directory", Href: "/admin/programmes/new"},
		{Text: "Academic-year rollover", Href: "/admin/rollover"},
	}
	return sec, nil
}

func termRows(pos calendar.Position) []components.SummaryRow {
	rows := []components.SummaryRow{{Key: "Today", Value: pos.Day.Format()}}
	if pos.AcademicYear != "" {
		rows = append(rows, components.SummaryRow{Key: "Academic year", Value: pos.AcademicYear})
	}
	if t := pos.Term; t != nil {
		v := t.Name + " term, " + t.Start.Format() + " to " + t.End.Format()
		if t.InHalfTerm(pos.Day) {
			v += " (half term now)"
		}
		rows = append(rows, components.SummaryRow{Key: "Term", Value: v},
			components.SummaryRow{Key: "Half term", Value: t.HalfTermStart.Format() + " to " + t.HalfTermEnd.Format()})
	} else if pos.AcademicYear != "" {
		rows = append(rows, components.SummaryRow{Key: "Term", Value: "School holidays"})
	}
	if h := pos.NextHoliday; h != nil {
		rows = append(rows, components.SummaryRow{Key: "Next bank holiday", Value: h.Name + ", " + h.Date.Format()})
	}
	return rows
}

// meetingsShown bounds the panel meetings the dashboard lists.
const meetingsShown = 8

// panelMeetingsSection lists the panels' meetings to come, and earlier ones still with cases to decide.
func (s *Server) panelMeetingsSection(r *http.Request, today calendar.Date) (pages.DashboardSection, error) {
	sec := pages.DashboardSection{Heading: "Panel meetings", Links: []pages.Link{{Text: "Panel dates", Href: "/panels"}}}
	list, err := s.panels.MeetingsFrom(r.Context(), today, meetingsShown)
	if err != nil {
		return sec, err
	}
	if len(list) == 0 {
		sec.Paragraph = []string{"No panel meetings are scheduled, and no earlier meeting has cases left to decide."}
		return sec, nil
	}
	sec.Paragraph = []string{"Meetings to come, and earlier meetings with cases still to decide, soonest first."}
	for _, m := range list {
		when := m.HeldOn.Weekday().String() + " " + m.HeldOn.Format()
		text := strconv.Itoa(m.Cases) + plural(m.Cases, " case", " cases")
		if m.Undecided > 0 && m.Undecided != m.Cases {
			text += ", " + strconv.Itoa(m.Undecided) + " to decide"
		} else if m.Undecided == 0 && m.Cases > 0 {
			text += ", all decided"
		}
		href := "/panels/rounds/" + strconv.FormatInt(m.RoundID, 10) + "/" + m.Panel
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: when,
			Value:   panel.PanelName(m.Panel) + ", round " + strconv.Itoa(m.RoundPosition) + " of " + m.AcademicYear + ": " + text,
			Actions: []components.Action{{Href: href, Text: "Agenda", VisuallyHidden: panel.PanelName(m.Panel) + " on " + when}}})
	}
	return sec, nil
}

// requestsSection counts the change-of-day and withdrawal requests waiting for the person: CAP's
// submitted ones (late ones first), and the open ones a school or a provider must agree to or submit.
// Nothing shows when there are none.
func (s *Server) requestsSection(r *http.Request) (pages.DashboardSection, bool, error) {
	d, err := s.placements.Due(r.Context(), placementActor(r))
	if err != nil {
		return pages.DashboardSection{}, false, err
	}
	sec := pages.DashboardSection{Heading: "Changes of day and withdrawals"}
	add := func(n int, one, many, href, hint string) {
		if n > 0 {
			sec.Tiles = append(sec.Tiles, pages.Tile{Label: plural(n, one, many), Count: n, Href: href, Hint: hint})
		}
	}
	add(d.ChangesLate, "change of day past its two working days", "changes of day past their two working days", "/changes", "")
	add(d.ChangesDueToday, "change of day due today", "changes of day due today", "/changes", "")
	add(d.ChangesWaiting, "change of day waiting for CAP", "changes of day waiting for CAP", "/changes", "CAP has two working days from submission.")
	add(d.WithdrawalsLate, "withdrawal past its five working days", "withdrawals past their five working days", "/withdrawals", "")
	add(d.WithdrawalsDueToday, "withdrawal due today", "withdrawals due today", "/withdrawals", "")
	add(d.WithdrawalsWaiting, "withdrawal waiting for CAP", "withdrawals waiting for CAP", "/withdrawals", "CAP has five working days from submission.")
	add(d.ChangesToAgree, "change of day for you to agree", "changes of day for you to agree", "/changes", "Both the school and the provider agree before the school submits it.")
	add(d.ChangesToSubmit, "change of day for you to submit", "changes of day for you to submit", "/changes", "")
	add(d.WithdrawalsToSubmit, "withdrawal for you to submit", "withdrawals for you to submit", "/withdrawals", "")
	return sec, len(sec.Tiles) > 0, nil
}

// needsYouSection lists what a school's referrals wait on its coordinator for now: an interview to
// arrange with the provider, an application CAP sent back to put right, a declined or refused one to
// redirect, a draft to finish. Each row links to where to act. It names students, so the list it
// reads is audited.
func (s *Server) needsYouSection(r *http.Request, schoolID int64) (pages.DashboardSection, error) {
	sec := pages.DashboardSection{Heading: "Needs you now"}
	list, _, err := s.referrals.List(r.Context(), referralActor(r), referral.ListFilter{SchoolID: schoolID, DraftSchools: []int64{schoolID},
		Steps: []pathway.Step{pathway.PackSent, pathway.ReturnedToSchool, pathway.ExploringAlternatives, pathway.Draft}, Sort: referral.SortWaiting}, 20)
	if err != nil {
		return sec, err
	}
	for _, x := range list {
		var what, href string
		switch x.Step {
		case pathway.PackSent:
			what, href = "Arrange the interview with "+x.ProviderName+" and record its date", "/referrals/"+x.Key()+"/interview"
		case pathway.ReturnedToSchool:
			what, href = "Put right what CAP asked for and resubmit", "/referrals/"+x.Key()+"/application"
		case pathway.ExploringAlternatives:
			what, href = "Choose another programme or provider with CAP", "/referrals/"+x.Key()
		case pathway.Draft:
			what, href = "Finish and submit the application", "/referrals/"+x.Key()+"/application"
		}
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: x.StudentName + ", " + x.Programme, Value: what,
			Actions: []components.Action{{Text: "Go", Href: href, VisuallyHidden: " to " + x.StudentName + "’s referral"}}})
	}
	// The outcome letters CAP shared in the last fortnight, for the coordinator to read.
	letters, err := s.panels.LettersSharedWith(r.Context(), schoolID, s.Clock.Now().AddDate(0, 0, -14), 10)
	if err != nil {
		return sec, err
	}
	for _, c := range letters {
		sec.Rows = append(sec.Rows, components.SummaryRow{Key: c.StudentName + ", " + c.Programme,
			Value:   "Read the " + panel.PanelName(c.Panel) + "’s outcome letter, shared on " + components.FormatDate(*c.LetterSharedAt),
			Actions: []components.Action{{Text: "Read", Href: "/referrals/" + c.Reference + "/letters/" + itoa(c.ID), VisuallyHidden: " the letter about " + c.StudentName}}})
	}
	return sec, nil
}
