package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/layout"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralShow is a referral's page. A draft belongs to the application pages; everyone else's view
// is recorded in the audit log before anything is shown, and a referral outside the viewer's scope
// (another school's, or one whose pack was never sent to this provider) is a 404.
func (s *Server) referralShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := referralActor(r)
	if s.redirectReferenceCase(w, r) {
		return
	}
	key := chi.URLParam(r, "ref")
	if _, draftID, ok := referral.ParseKey(key); ok && draftID != 0 {
		// A draft opens at its application; one submitted since is sent on under its reference.
		draft, ok := s.loadReferral(w, r)
		if ok {
			http.Redirect(w, r, applicationURL(draft), http.StatusSeeOther)
		}
		return
	}
	ref, ok := s.viewReferral(w, r, "referral page")
	if !ok {
		return
	}
	v, err := s.refPageView(ctx, a, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Referral(s.page(r, ref.Title()), v))
}

// refPageView gathers everything the referral page shows.
func (s *Server) refPageView(ctx context.Context, a referral.Actor, ref referral.Referral) (pages.ReferralView, error) {
	store := s.referrals
	pw := ref.Pathway()
	info := pw.Info(ref.Step)
	v := pages.ReferralView{Heading: ref.Title(), Caption: ref.StudentName, StepName: info.Title, Next: info.Next,
		Details: refDetailRows(ref)}
	if info.Waiting != pathway.Nobody {
		v.Waiting = "Waiting on " + info.Waiting.Label() + "."
	}

	// The referral's events, documents, responses, placement and versions, in one round trip.
	data, err := store.PageData(ctx, a, ref)
	if err != nil {
		return v, err
	}
	events := data.Events
	var reached []pathway.Step
	for _, e := range events {
		reached = append(reached, e.To)
	}
	for _, p := range pw.Progress(ref.Step, reached) {
		step := pages.ProgressStep{Title: p.Info.Title}
		switch p.State {
		case "done":
			step.State, step.Colour = "Done", "green"
		case "current":
			step.State, step.Colour = "Now", "blue"
		default:
			step.State, step.Colour = "To come", "grey"
		}
		v.Progress = append(v.Progress, step)
	}
	if ref.Step == pathway.ReturnedToSchool {
		for i := len(events) - 1; i >= 0; i-- {
			if events[i].Action == "return" {
				v.ReturnNote = events[i].Note
				break
			}
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		by := e.ActorName
		if e.ActorOrg != "" {
			by += ", " + e.ActorOrg
		}
		v.Timeline = append(v.Timeline, components.TimelineItem{Title: refEventTitle(pw, e), By: by, When: e.At, Description: e.Note})
	}

	if err := s.refActions(ctx, a, ref, &v); err != nil {
		return v, err
	}
	if v.Contacts, err = s.refContacts(ctx, a, ref); err != nil {
		return v, err
	}
	if ref.GoesToPanel() {
		if v.Panel, err = s.refPanelSection(ctx, a, ref); err != nil {
			return v, err
		}
	}

	for _, sec := range ref.Sections() {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		v.Sections = append(v.Sections, pages.AnswerSection{Title: sec.Title, Rows: refAnswerRows(sec, ref.Answers)})
	}
	v.Documents = refDocumentLinks(ref, data.Documents)
	v.PackHref = ref.URL() + "/pack.pdf"

	responses := data.Responses
	today := calendar.DateOf(s.Clock.Now())
	for _, resp := range responses {
		v.Responses = append(v.Responses, refResponseBlock(resp))
		if resp.Accept && resp.ProcessedAt != nil && !resp.StartDate.IsZero() {
			v.Starts = refStarts(resp.StartDate, resp.Days, today)
		}
	}
	if data.Placement != nil {
		pl := *data.Placement
		v.Starts = refStarts(pl.StartDate, pl.Days, today)
		v.Placement = &pages.RowBlock{Heading: "Placement", Rows: []components.SummaryRow{
			{Key: "Training provider", Value: pl.ProviderName},
			{Key: "Start date", Value: pl.StartDate.Format()},
			{Key: "Days", Value: directory.DaysText(pl.Days)},
			{Key: "Status", Value: refPlacementStatus(pl.Status, pl.StartDate, today)},
			{Key: "SLA quality-assured placement", Value: yesNo(pl.QAPlacement)},
			{Key: "Set up on", Value: components.FormatDate(pl.CreatedAt)},
		}}
		// The placement's own page, for those who may see it (not a panel member, say).
		if own, err := s.placements.OfReferral(ctx, placement.Actor{Principal: a.Principal, RequestID: a.RequestID}, ref.ID); err != nil {
			return v, err
		} else if len(own) > 0 {
			v.Placement.Rows = append(v.Placement.Rows, components.SummaryRow{Key: "Placement record",
				ValueHTML: pages.DirectoryLink(placementHref(own[0].ID), "Attendance, plan and marks")})
		}
		// A Refocus or Focus 11 placement runs in phases: seven weeks at the Academy, then the
		// three-week Back to School Phase.
		if (ref.Kind == directory.Refocus || ref.Kind == directory.Focus11) && pl.Status == "active" {
			sd, err := s.calendar.SchoolDays(ctx)
			if err != nil {
				return v, err
			}
			phase := placement.RefocusPhase(sd, pl.StartDate, calendar.DateOf(s.Clock.Now()))
			v.Placement.Rows = append(v.Placement.Rows, components.SummaryRow{Key: "Phase", Value: phase.Text()})
		}
	}
	for _, ver := range data.Versions {
		reason := ver.Reason
		if reason == "" {
			reason = "No reason given"
		}
		v.Versions = append(v.Versions, components.SummaryRow{Key: "Version " + strconv.Itoa(ver.Number),
			Value: reason + ", by " + ver.By + " on " + components.FormatDate(ver.At)})
	}
	return v, nil
}

// refActions fills the actions the viewer may take now: the pathway's actions from this step
// that have routes, that the viewer's roles for this referral allow, and whose checks hold. An action
// the viewer could take but for its checks is listed with what must be put right.
func (s *Server) refActions(ctx context.Context, a referral.Actor, ref referral.Referral, v *pages.ReferralView) error {
	pw := ref.Pathway()
	roles := referral.RolesFor(a.Principal, ref)
	var candidates []pathway.Action
	for _, act := range pw.From(ref.Step) {
		// Submitting and resubmitting happen from the application pages.
		if act.AllowedBy(roles) && act.ID != pathway.Submit && act.ID != pathway.Resubmit {
			candidates = append(candidates, act)
		}
	}
	if ref.Step == pathway.ReturnedToSchool && slices.Contains(roles, auth.Coordinator) {
		v.ApplicationHref = ref.URL() + "/application"
	}
	if len(candidates) == 0 {
		return nil
	}
	// The facts cost a few queries; only someone who may act needs them.
	facts, err := s.referrals.Facts(ctx, ref)
	if err != nil {
		return err
	}
	// Sending the application back is the exception, not the way forward: it comes last, so the
	// primary button is the step that moves the referral on.
	slices.SortStableFunc(candidates, func(x, y pathway.Action) int {
		return refReturnLast(x) - refReturnLast(y)
	})
	for _, act := range candidates {
		err := pw.Guard(act, roles, ref.Step, facts)
		var refusal *pathway.Refusal
		switch {
		case err == nil:
			v.Actions = append(v.Actions, pages.ReferralAction{Text: act.Label, Href: ref.URL() + "/" + string(act.ID)})
		case errors.As(err, &refusal) && len(refusal.Checks) > 0:
			v.Blocked = append(v.Blocked, pages.BlockedAction{Text: act.Label, Checks: refusal.Checks})
		}
	}
	return nil
}

func refReturnLast(a pathway.Action) int {
	if a.ID == pathway.Return {
		return 1
	}
	return 0
}

// refEventTitles name what happened, by the action that did it.
var refEventTitles = map[string]string{
	"submit":    "Application submitted",
	"return":    "Returned to the school",
	"resubmit":  "Application resubmitted",
	"send-pack": "Pack sent to the provider",
	"interview": "Interview date recorded",
	"respond":   "Application response returned",
	"placement": "Training record set up",
	"redirect":  "Redirected to another programme",
	"agenda":    "Added to the panel agenda",
	"defer":     "Deferred to the next round",
	"decide":    "Review and Authorisation Panel decision",
	"map":       "Multi-Agency Panel outcome",
	"allocate":  "Headteacher Placement Meeting decision",
	"onboard":   "Coventry AP Academy onboarding started",
	"cohort":    "Placed in a cohort",
	"review":    "Transfer placement reviewed",
	"outcome":   "Transfer outcome recorded",
}

func refEventTitle(pw pathway.Pathway, e referral.Event) string {
	if e.Action == "process" {
		if e.To == pathway.ExploringAlternatives {
			return "Response processed: CAP exploring alternatives"
		}
		return "Response processed: start date confirmed"
	}
	if t, ok := refEventTitles[e.Action]; ok {
		return t
	}
	return pw.Info(e.To).Title
}

// refDetailRows are the referral's facts: who, where, what.
func refDetailRows(ref referral.Referral) []components.SummaryRow {
	rows := []components.SummaryRow{}
	if ref.Reference != "" {
		rows = append(rows, components.SummaryRow{Key: "Reference", Value: ref.Reference})
	}
	rows = append(rows,
		components.SummaryRow{Key: "Student", Value: ref.StudentName},
		components.SummaryRow{Key: "UPN", Value: ref.StudentUPN},
		components.SummaryRow{Key: "Year group", Value: "Year " + strconv.Itoa(ref.YearGroup)},
		components.SummaryRow{Key: "School", Value: ref.SchoolName},
	)
	rows = append(rows, refProgrammeRows(ref)...)
	if ref.SubmittedAt != nil {
		rows = append(rows, components.SummaryRow{Key: "Submitted", Value: components.FormatDate(*ref.SubmittedAt)})
	}
	if !ref.InterviewOn.IsZero() {
		when := ref.InterviewOn.Format()
		if ref.InterviewTime != "" {
			when += " at " + ref.InterviewTime
		}
		rows = append(rows, components.SummaryRow{Key: "Interview", Value: when})
	}
	return rows
}

// refProgrammeRows describes the programme as it was when the referral was submitted (or as it is,
// for a draft).
func refProgrammeRows(ref referral.Referral) []components.SummaryRow {
	provider := ref.ProviderName
	kind := directory.Kind(ref.Kind).Label()
	tier := ref.Tier
	rows := []components.SummaryRow{{Key: "Programme", Value: ref.Programme}}
	if sn := ref.Snapshot; sn != nil {
		provider, kind, tier = sn.ProviderName, directory.Kind(sn.Kind).Label(), sn.Tier
	}
	rows = append(rows, components.SummaryRow{Key: "Type", Value: kind + ", " + directory.TierLabel(tier)})
	if provider == "" {
		provider = "None"
	}
	rows = append(rows, components.SummaryRow{Key: "Training provider", Value: provider})
	if sn := ref.Snapshot; sn != nil {
		if sn.Days != "" {
			rows = append(rows, components.SummaryRow{Key: "Days it runs on", Value: sn.Days})
		}
		if sn.Fee != "" {
			rows = append(rows, components.SummaryRow{Key: "Fee", Value: sn.Fee})
		}
	}
	return rows
}

// refAnswerRows are a section's answers as people read them; follow-up questions that do not apply are
// left out.
func refAnswerRows(sec referral.Section, answers referral.Answers) []components.SummaryRow {
	var rows []components.SummaryRow
	for _, f := range sec.Fields {
		if !f.Visible(answers) {
			continue
		}
		key := f.Short
		if key == "" {
			key = f.Label
		}
		row := components.SummaryRow{Key: key, Value: f.Display(answers[f.Name])}
		if f.Type == referral.TextArea && strings.Contains(row.Value, "\n") {
			row.ValueHTML = pages.MultiLine(row.Value)
		}
		rows = append(rows, row)
	}
	return rows
}

// refDocumentLinks lists a referral's documents with their download links.
func refDocumentLinks(ref referral.Referral, docs []document.Meta) []pages.DocumentLink {
	out := make([]pages.DocumentLink, 0, len(docs))
	for _, d := range docs {
		out = append(out, pages.DocumentLink{Name: d.FileName, Href: ref.URL() + "/documents/" + itoa(d.ID),
			Kind: d.Kind.Label(), Detail: refDocumentDetail(d)})
	}
	return out
}

func refDocumentDetail(d document.Meta) string {
	detail := document.TypeLabel(d.ContentType) + ", " + document.SizeText(d.Size)
	if d.Kind == document.RiskAssessment && !d.CompletedOn.IsZero() {
		detail += ", completed on " + d.CompletedOn.Format() + " (" + refLowerFirstRune(d.Template.Label()) + ")"
	}
	if d.Description != "" {
		detail += ". " + d.Description
	}
	return detail
}

func refLowerFirstRune(s string) string {
	if s == "" || strings.HasPrefix(s, "CAP") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// refResponseBlock shows an application response in full.
func refResponseBlock(resp referral.Response) pages.RowBlock {
	b := pages.RowBlock{Heading: "From " + resp.ProviderName + ", returned on " + components.FormatDate(resp.SubmittedAt)}
	decision := "Declined"
	if resp.Accept {
		decision = "Accepted"
	}
	b.Rows = []components.SummaryRow{
		{Key: "Receipt of the documents acknowledged", Value: yesNo(resp.ReceiptAcknowledged)},
		{Key: "Can meet the student’s identified needs", Value: yesNo(resp.CanMeetNeeds)},
		{Key: "Can manage the student’s risk level", Value: yesNo(resp.CanManageRisk)},
		{Key: "Decision", Value: decision},
	}
	if resp.Accept {
		b.Rows = append(b.Rows,
			components.SummaryRow{Key: "Start date", Value: resp.StartDate.Format()},
			components.SummaryRow{Key: "Days", Value: directory.DaysText(resp.Days)})
	} else {
		b.Rows = append(b.Rows,
			components.SummaryRow{Key: "Reason for declining", Value: referral.DeclineReasonLabel(resp.DeclineReason)},
			refMultiLineRow("Explanation", resp.DeclineDetail))
	}
	if resp.Notes != "" {
		b.Rows = append(b.Rows, refMultiLineRow("Notes", resp.Notes))
	}
	b.Rows = append(b.Rows, components.SummaryRow{Key: "Returned by", Value: resp.SubmittedBy})
	processed := "Not yet"
	if resp.ProcessedAt != nil {
		processed = "On " + components.FormatDate(*resp.ProcessedAt)
	}
	b.Rows = append(b.Rows, components.SummaryRow{Key: "Processed by CAP", Value: processed})
	return b
}

func refMultiLineRow(key, value string) components.SummaryRow {
	row := components.SummaryRow{Key: key, Value: value}
	if strings.Contains(value, "\n") {
		row.ValueHTML = pages.MultiLine(value)
	}
	return row
}

// refStarts says when the placement starts and on which days: "Starts Tuesday 5 January 2027,
// Tuesdays and Wednesdays", or once begun "Started on …".
func refStarts(start calendar.Date, days []time.Weekday, today calendar.Date) string {
	verb := "Starts"
	if !today.Before(start) {
		verb = "Started on"
	}
	return verb + " " + start.Weekday().String() + " " + start.Format() + ", " + directory.EveryDaysText(days)
}

// refPlacementStatus is the placement's status on the referral's page: "Starts on …" until its first day.
func refPlacementStatus(status string, start, today calendar.Date) string {
	switch status {
	case "active":
		if today.Before(start) {
			return "Starts on " + start.Weekday().String() + " " + start.Format()
		}
		return "Active"
	case "ended":
		return "Ended"
	}
	return status
}

// refStepPage is the top of a step page for the referral.
func refStepPage(ref referral.Referral, heading string, action pathway.ActionID) pages.StepPage {
	return pages.StepPage{
		Reference: ref.Title() + ": " + ref.StudentName, Heading: heading, Action: ref.URL() + "/" + string(action), Back: ref.URL(),
		Summary: append([]components.SummaryRow{
			{Key: "Student", Value: ref.StudentName + " (Year " + strconv.Itoa(ref.YearGroup) + ")"},
			{Key: "School", Value: ref.SchoolName},
		}, refProgrammeRows(ref)...),
	}
}

// stepLayout is the layout of a step page, its title marked when the form has problems.
func (s *Server) stepLayout(r *http.Request, p pages.StepPage) layout.Page {
	lp := s.page(r, p.Heading)
	lp.HasErrors = p.Errors.Any()
	return lp
}

// refWorkingDays is England and Wales' working-day calendar, built once: it is read-only.
var refWorkingDays = calendar.EnglandWalesWorkingDays()

// refSince is when a referral reached its step, with how long ago in working days: "today" only
// when that is today's date, and "less than a working day" when no working day has ended since
// (a Friday seen at the weekend).
func (s *Server) refSince(t time.Time) string {
	return components.FormatDate(t) + " (" + refAge(calendar.DateOf(t), calendar.Today(s.Clock)) + ")"
}

// refAge is how long ago from today a day was, in working days.
func refAge(day, today calendar.Date) string {
	if day == today {
		return "today"
	}
	switch days := refWorkingDays.WorkingDaysBetween(day, today); days {
	case 0:
		return "less than a working day"
	case 1:
		return "1 working day"
	default:
		return strconv.Itoa(days) + " working days"
	}
}

// refContacts are who the viewer gets in touch with about the referral: the school (at "pack sent"
// it must contact the provider) and CAP see the provider's phone, email and safeguarding lead; the
// provider and CAP see who referred the student and the school's phone.
func (s *Server) refContacts(ctx context.Context, a referral.Actor, ref referral.Referral) ([]pages.RowBlock, error) {
	roles := referral.RolesFor(a.Principal, ref)
	has := func(rs ...auth.Role) bool {
		return slices.ContainsFunc(rs, func(r auth.Role) bool { return slices.Contains(roles, r) })
	}
	capStaff := has(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	school := has(auth.Coordinator, auth.Headteacher, auth.SchoolDSL)
	provider := has(auth.ProviderStaff, auth.ProviderDSL)
	var out []pages.RowBlock
	if (school || capStaff) && ref.ProviderID != 0 {
		pv, err := s.directory.GetProvider(ctx, ref.ProviderID)
		if err != nil {
			return nil, err
		}
		rows := []components.SummaryRow{refContactRow("Phone", pv.Phone, false), refContactRow("Email", pv.Email, true)}
		if pv.DSLName != "" || pv.DSLEmail != "" || pv.DSLPhone != "" {
			rows = append(rows,
				refContactRow("Designated safeguarding lead", pv.DSLName, false),
				refContactRow("Safeguarding lead’s email", pv.DSLEmail, true),
				refContactRow("Safeguarding lead’s phone", pv.DSLPhone, false))
		}
		out = append(out, pages.RowBlock{Heading: "The training provider: " + pv.Name, Rows: rows})
	}
	if provider || capStaff {
		sc, err := s.referrals.SchoolContactOf(ctx, ref)
		if err != nil {
			return nil, err
		}
		out = append(out, pages.RowBlock{Heading: "The school: " + sc.SchoolName, Rows: []components.SummaryRow{
			refContactRow("Referred by", sc.ReferrerName, false),
			refContactRow("Their email", sc.ReferrerEmail, true),
			refContactRow("School phone", sc.SchoolPhone, false),
			refContactRow("School email", sc.SchoolEmail, true),
		}})
	}
	return out, nil
}

// refContactRow is one contact detail, an email as a link; one not on record says so.
func refContactRow(key, value string, email bool) components.SummaryRow {
	row := components.SummaryRow{Key: key, Value: value}
	switch {
	case strings.TrimSpace(value) == "":
		row.Value = "Not on record"
	case email:
		row.ValueHTML = pages.EmailLink(value)
	}
	return row
}
