package ui

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/web"
)

// Routes registers handlers with their policy, so that every route states who may use it and the
// navigation can ask the same question.
type Routes struct {
	r        chi.Router
	policies map[string]auth.Policy // "METHOD /pattern"
	s        *Server
}

// DefaultBodyLimit caps request bodies; routes that take uploads declare their own with HandleUpload.
const DefaultBodyLimit = 1 << 20

// Handle registers a route behind its policy.
func (rt *Routes) Handle(method, pattern string, p auth.Policy, h http.HandlerFunc) {
	rt.HandleUpload(method, pattern, p, DefaultBodyLimit, h)
}

// HandleUpload registers a route behind its policy with a larger body limit, for file uploads.
func (rt *Routes) HandleUpload(method, pattern string, p auth.Policy, limit int64, h http.HandlerFunc) {
	rt.policies[method+" "+pattern] = p
	rt.r.With(rt.s.requirePolicy(p), limitBody(limit), rt.s.oncePerForm).Method(method, pattern, h)
}

// Step registers a pathway action at /referrals/{ref}/{action}: the policy admits the roles that may
// take it on any pathway (its By), then the step's guard (referral scoped to the principal, the role
// with respect to this referral, the step it follows, its checks), then the handler.
func (rt *Routes) Step(method string, action pathway.ActionID, h http.HandlerFunc) {
	pattern := "/referrals/{ref}/" + string(action)
	p := auth.AnyOf(pathway.RolesFor(action)...)
	rt.policies[method+" "+pattern] = p
	rt.r.With(rt.s.requirePolicy(p), limitBody(DefaultBodyLimit), rt.s.oncePerForm, rt.s.stepGuard(action)).Method(method, pattern, h)
}

// Policy returns the declared policy of a route and whether it has one.
func (rt *Routes) Policy(method, pattern string) (auth.Policy, bool) {
	p, ok := rt.policies[method+" "+pattern]
	return p, ok
}

// Policies returns every declared route and its policy.
func (rt *Routes) Policies() map[string]auth.Policy { return rt.policies }

// Router returns the chi router, for walking in tests.
func (rt *Routes) Router() chi.Router { return rt.r }

// Routes returns the route table.
func (s *Server) Routes() *Routes { return s.routes }

// The groups of roles that share pages.
var (
	capAdmins   = auth.AnyOf(auth.CAPAdmin)
	auditors    = auth.AnyOf(auth.CAPAdmin, auth.ServiceLead)
	capStaff    = auth.AnyOf(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	schoolStaff = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL)
	// Students: a school's own staff, and CAP's staff; each store query scopes further.
	studentViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	coordinators   = auth.AnyOf(auth.Coordinator)
	// Schools: CAP's staff see every school; a school's staff see their own (scoped in the store).
	schoolViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead)
	// The panel calendar: the schools' staff who refer, CAP's staff, the panel members, and providers'
	// staff (Coventry AP Academy's open their cohorts from it).
	panelCalendarViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.PanelMember,
		auth.ProviderStaff)
	// Panel meetings and agendas: CAP's staff and the panel members.
	panelViewers = auth.AnyOf(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.PanelMember)
	// Cohort pages: CAP's staff and the panel members, and provider staff, of whom the handler then
	// admits only the staff of the provider that runs the cohort's programme (Coventry AP Academy).
	cohortViewers = auth.AnyOf(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.PanelMember, auth.ProviderStaff)
	// Referrals: the store scopes each to what the principal may see.
	referralViewers = auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL,
		auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.ProviderStaff, auth.ProviderDSL, auth.PanelMember)
)

func (s *Server) buildRoutes() http.Handler {
	root := chi.NewRouter()
	root.Use(s.requestID, s.observe, s.recoverPanic, s.securityHeaders)
	// Unknown pages still know who is signed in, so the 404 shows their navigation.
	withSession := func(h http.HandlerFunc) http.HandlerFunc {
		return s.Sessions.LoadAndSave(s.loadPrincipal(noStore(h))).ServeHTTP
	}
	root.NotFound(withSession(s.notFound))
	root.MethodNotAllowed(withSession(s.methodNotAllowed))
	rt := &Routes{r: root, policies: map[string]auth.Policy{}, s: s}
	s.routes = rt

	// Machine and asset routes: no session, no body.
	rt.Handle(http.MethodGet, "/healthz", auth.Public(), s.healthz)
	rt.Handle(http.MethodGet, "/readyz", auth.Public(), s.readyz)
	rt.Handle(http.MethodGet, "/metrics", auth.Public(), s.metricsHandler())
	rt.Handle(http.MethodGet, "/assets/*", auth.Public(), assets(web.Static()))
	rt.Handle(http.MethodGet, "/robots.txt", auth.Public(), assets(web.Static()))

	// Pages: sessions, the principal, and protection against cross-site requests.
	root.Group(func(r chi.Router) {
		r.Use(s.crossOrigin, s.Sessions.LoadAndSave, s.loadPrincipal, noStore, s.readableQuery, s.requireSecondFactor)
		pages := &Routes{r: r, policies: rt.policies, s: s}

		// Anyone.
		pages.Handle(http.MethodGet, "/login", auth.Public(), s.loginShow)
		pages.Handle(http.MethodPost, "/login", auth.Public(), s.loginSubmit)
		pages.Handle(http.MethodGet, signInCodePath, auth.Public(), s.signInCodeShow) // issue 13: the code after the password
		pages.Handle(http.MethodPost, signInCodePath, auth.Public(), s.signInCodeSubmit)
		pages.Handle(http.MethodGet, "/accessibility", auth.Public(), s.accessibility)
		pages.Handle(http.MethodGet, "/privacy", auth.Public(), s.privacy)

		// Anyone signed in.
		pages.Handle(http.MethodGet, "/", auth.SignedIn(), s.dashboard)
		pages.Handle(http.MethodPost, "/logout", auth.SignedIn(), s.logout)
		pages.Handle(http.MethodGet, "/account/password", auth.SignedIn(), s.passwordShow)
		pages.Handle(http.MethodPost, "/account/password", auth.SignedIn(), s.passwordSubmit)
		pages.Handle(http.MethodGet, "/notifications", auth.SignedIn(), s.notificationList)
		pages.Handle(http.MethodPost, "/notifications/read-all", auth.SignedIn(), s.notificationReadAll)
		pages.Handle(http.MethodPost, "/notifications/{id}/read", auth.SignedIn(), s.notificationRead)

		// CAP admins: users and roles.
		pages.Handle(http.MethodGet, "/admin/users", capAdmins, s.userList)
		pages.Handle(http.MethodGet, "/admin/users/new", capAdmins, s.userNew)
		pages.Handle(http.MethodPost, "/admin/users", capAdmins, s.userCreate)
		pages.Handle(http.MethodGet, "/admin/users/{id}", capAdmins, s.userShow)
		pages.Handle(http.MethodPost, "/admin/users/{id}/roles", capAdmins, s.userRoleGrant)
		pages.Handle(http.MethodPost, "/admin/users/{id}/roles/revoke", capAdmins, s.userRoleRevoke)
		pages.Handle(http.MethodPost, "/admin/users/{id}/deactivate", capAdmins, s.userDeactivate)
		pages.Handle(http.MethodPost, "/admin/users/{id}/reactivate", capAdmins, s.userReactivate)

		// CAP admins and the service lead: the audit log.
		pages.Handle(http.MethodGet, "/admin/audit", auditors, s.auditSearch)

		// The CAP Directory: everyone signed in searches it; CAP admins keep it.
		pages.Handle(http.MethodGet, "/directory", auth.SignedIn(), s.directorySearch)
		pages.Handle(http.MethodGet, "/directory/programmes/{id}", auth.SignedIn(), s.programmeShow)
		pages.Handle(http.MethodGet, "/directory/providers/{id}", auth.SignedIn(), s.providerShow)
		pages.Handle(http.MethodGet, "/admin/programmes/new", capAdmins, s.programmeNew)
		pages.Handle(http.MethodPost, "/admin/programmes", capAdmins, s.programmeCreate)
		pages.Handle(http.MethodGet, "/admin/programmes/{id}/edit", capAdmins, s.programmeEdit)
		pages.Handle(http.MethodPost, "/admin/programmes/{id}", capAdmins, s.programmeUpdate)
		pages.Handle(http.MethodPost, "/admin/programmes/{id}/retire", capAdmins, s.programmeRetire)
		pages.Handle(http.MethodGet, "/admin/providers/new", capAdmins, s.providerNew)
		pages.Handle(http.MethodPost, "/admin/providers", capAdmins, s.providerCreate)
		pages.Handle(http.MethodGet, "/admin/providers/{id}/edit", capAdmins, s.providerEdit)
		pages.Handle(http.MethodPost, "/admin/providers/{id}", capAdmins, s.providerUpdate)
		pages.Handle(http.MethodPost, "/admin/providers/{id}/retire", capAdmins, s.providerRetire)

		// Panels: the panel calendar for everyone who refers and CAP's staff; CAP admins keep it.
		pages.Handle(http.MethodGet, "/panels", panelCalendarViewers, s.panelCalendar)
		pages.Handle(http.MethodGet, "/panels/rounds/{id}/edit", capAdmins, s.panelRoundEdit)
		pages.Handle(http.MethodPost, "/panels/rounds/{id}/edit", capAdmins, s.panelRoundUpdate)

		// Schools and their SLAs.
		pages.Handle(http.MethodGet, "/schools", capStaff, s.schoolList)
		pages.Handle(http.MethodGet, "/schools/{id}", schoolViewers, s.schoolShow)
		pages.Handle(http.MethodGet, "/schools/{id}/sla/{year}", schoolViewers, s.slaShow)
		pages.Handle(http.MethodPost, "/schools/{id}/sla/{year}", capAdmins, s.slaSave)

		// Academic-year rollover.
		pages.Handle(http.MethodGet, "/admin/rollover", capAdmins, s.rolloverShow)
		pages.Handle(http.MethodPost, "/admin/rollover", capAdmins, s.rolloverCopy)
		pages.Handle(http.MethodPost, "/admin/rollover/confirm", capAdmins, s.rolloverConfirm)

		// Students: a school's own; coordinators manage them.
		pages.Handle(http.MethodGet, "/students", studentViewers, s.studentList)
		pages.Handle(http.MethodGet, "/students/new", coordinators, s.studentNew)
		pages.Handle(http.MethodPost, "/students", coordinators, s.studentCreate)
		pages.Handle(http.MethodGet, "/students/import", coordinators, s.studentImportShow)
		pages.HandleUpload(http.MethodPost, "/students/import", coordinators, 10<<20, s.studentImportPreview)
		pages.Handle(http.MethodPost, "/students/import/{id}/confirm", coordinators, s.studentImportConfirm)
		pages.Handle(http.MethodGet, "/students/{id}", studentViewers, s.studentShow)
		pages.Handle(http.MethodGet, "/students/{id}/edit", coordinators, s.studentEdit)
		pages.Handle(http.MethodPost, "/students/{id}", coordinators, s.studentUpdate)

		// Referrals: the application, then the pathway. Each step's guard comes from its pathway.
		pages.Handle(http.MethodGet, "/referrals", referralViewers, s.referralList)
		pages.Handle(http.MethodGet, "/referrals/new", coordinators, s.referralNew)
		pages.Handle(http.MethodPost, "/referrals", coordinators, s.referralStart)
		pages.Handle(http.MethodGet, "/referrals/{ref}", referralViewers, s.referralShow)
		pages.Handle(http.MethodGet, "/referrals/{ref}/application", coordinators, s.referralApplication)
		pages.Handle(http.MethodGet, "/referrals/{ref}/sections/{section}", coordinators, s.referralSectionShow)
		pages.Handle(http.MethodPost, "/referrals/{ref}/sections/{section}", coordinators, s.referralSectionSave)
		pages.Handle(http.MethodGet, "/referrals/{ref}/documents", coordinators, s.referralDocumentsShow)
		pages.HandleUpload(http.MethodPost, "/referrals/{ref}/documents", coordinators, document.MaxSize+(1<<20), s.referralDocumentUpload)
		pages.Handle(http.MethodPost, "/referrals/{ref}/documents/{doc}/remove", coordinators, s.referralDocumentRemove)
		pages.Handle(http.MethodGet, "/referrals/{ref}/documents/{doc}", referralViewers, s.referralDocumentDownload)
		pages.Handle(http.MethodGet, "/referrals/{ref}/pack.pdf", referralViewers, s.referralPack)
		pages.Handle(http.MethodGet, "/referrals/{ref}/delete", coordinators, s.referralDeleteShow)
		pages.Handle(http.MethodPost, "/referrals/{ref}/delete", coordinators, s.referralDelete)
		pages.Handle(http.MethodGet, "/referrals/{ref}/check", coordinators, s.referralCheck)
		pages.Step(http.MethodPost, pathway.Submit, s.referralSubmit)
		pages.Handle(http.MethodGet, "/referrals/{ref}/confirmation", coordinators, s.referralConfirmation)
		pages.Step(http.MethodPost, pathway.Resubmit, s.referralResubmit)
		pages.Step(http.MethodGet, pathway.Return, s.referralReturnShow)
		pages.Step(http.MethodPost, pathway.Return, s.referralReturn)
		pages.Step(http.MethodGet, pathway.SendPack, s.referralSendPackShow)
		pages.Step(http.MethodPost, pathway.SendPack, s.referralSendPack)
		pages.Step(http.MethodGet, pathway.Interview, s.referralInterviewShow)
		pages.Step(http.MethodPost, pathway.Interview, s.referralInterview)
		pages.Step(http.MethodGet, pathway.Respond, s.referralRespondShow)
		pages.Step(http.MethodPost, pathway.Respond, s.referralRespond)
		pages.Step(http.MethodGet, pathway.Process, s.referralProcessShow)
		pages.Step(http.MethodPost, pathway.Process, s.referralProcess)
		pages.Step(http.MethodGet, pathway.SetUpPlacement, s.referralPlacementShow)
		pages.Step(http.MethodPost, pathway.SetUpPlacement, s.referralPlacement)
		pages.Step(http.MethodGet, pathway.Redirect, s.referralRedirectShow)
		pages.Step(http.MethodPost, pathway.Redirect, s.referralRedirect)

		// The panel steps: CAP adds a checked application to the agenda or defers it; one case page
		// for the three panels, where the action names the panel the referral waits on.
		pages.Step(http.MethodGet, pathway.JoinAgenda, s.referralAgendaShow)
		pages.Step(http.MethodPost, pathway.JoinAgenda, s.referralAgenda)
		pages.Step(http.MethodGet, pathway.Defer, s.referralDeferShow)
		pages.Step(http.MethodPost, pathway.Defer, s.referralDefer)
		for _, action := range []pathway.ActionID{pathway.Decide, pathway.DecideMAP, pathway.Allocate} {
			pages.Step(http.MethodGet, action, s.referralCaseShow)
			pages.Step(http.MethodPost, action, s.referralCaseDecide)
		}
		// Outcome letters; Coventry AP Academy's onboarding into a cohort; the Supported Transfer placement.
		pages.Handle(http.MethodGet, "/referrals/{ref}/letters/{case}", referralViewers, s.referralLetter)
		pages.Handle(http.MethodPost, "/referrals/{ref}/letters/{case}/share", capAdmins, s.referralLetterShare)
		pages.Step(http.MethodGet, pathway.Onboard, s.referralOnboardShow)
		pages.Step(http.MethodPost, pathway.Onboard, s.referralOnboard)
		pages.Step(http.MethodGet, pathway.PlaceInCohort, s.referralCohortShow)
		pages.Step(http.MethodPost, pathway.PlaceInCohort, s.referralCohort)
		pages.Step(http.MethodGet, pathway.ReviewTransfer, s.referralTransferReviewShow)
		pages.Step(http.MethodPost, pathway.ReviewTransfer, s.referralTransferReview)
		pages.Step(http.MethodGet, pathway.RecordOutcome, s.referralTransferOutcomeShow)
		pages.Step(http.MethodPost, pathway.RecordOutcome, s.referralTransferOutcome)

		// Panel rounds, meetings, agendas and cohorts.
		pages.Handle(http.MethodGet, "/panels/rounds/{id}", panelViewers, s.panelRoundShow)
		pages.Handle(http.MethodGet, "/panels/rounds/{id}/{panel}", panelViewers, s.panelAgendaShow)
		pages.Handle(http.MethodGet, "/panels/rounds/{id}/{panel}/meeting", capAdmins, s.panelMeetingEdit)
		pages.Handle(http.MethodPost, "/panels/rounds/{id}/{panel}/meeting", capAdmins, s.panelMeetingSave)
		pages.Handle(http.MethodPost, "/panels/cases/{id}/move", capAdmins, s.panelCaseMove)
		pages.Handle(http.MethodGet, "/panels/cohorts/{id}", cohortViewers, s.panelCohortShow)
		pages.Handle(http.MethodPost, "/panels/cohorts/{id}/offer", capAdmins, s.panelCohortOffer)

		// Placements and their daily registers: the store scopes each placement (a school its
		// students', a provider its own learners, CAP all); a register is for the people who take
		// that provider's registers (placement.TakesRegisters), anyone else gets a 404.
		pages.Handle(http.MethodGet, "/placements", placementViewers, s.placementList)
		pages.Handle(http.MethodGet, "/placements/{id}", placementViewers, s.placementShow)
		pages.Handle(http.MethodGet, "/placements/{id}/plan", planChangers, s.placementPlanShow)
		pages.Handle(http.MethodPost, "/placements/{id}/plan", planChangers, s.placementPlanSave)
		pages.Handle(http.MethodGet, "/registers", registerTakers, s.registerList)
		pages.Handle(http.MethodGet, "/registers/{provider}/{date}/{session}", registerTakers, s.registerShow)
		pages.Handle(http.MethodPost, "/registers/{provider}/{date}/{session}", registerTakers, s.registerTake)
		pages.Handle(http.MethodGet, "/marks/{id}/correct", registerTakers, s.markCorrectShow)
		pages.Handle(http.MethodPost, "/marks/{id}/correct", registerTakers, s.markCorrect)

		// Placements, monitored: progress reviews, behaviour incidents, attendance and behaviour meetings
		// and their actions. The school (its students'), the provider (its own learners only) and CAP's
		// staff read them; the provider's staff and CAP record reviews and incidents; a monitoring officer,
		// or the provider's staff when no Monitoring Officer was present, records a meeting; an action's
		// owner marks it done. Each store query scopes further.
		monitoringViewers := auth.AnyOf(auth.Coordinator, auth.Headteacher, auth.SchoolDSL,
			auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead, auth.ProviderStaff, auth.ProviderDSL)
		progressRecorders := auth.AnyOf(auth.ProviderStaff, auth.CAPAdmin, auth.MonitoringOfficer)
		meetingRecorders := auth.AnyOf(auth.MonitoringOfficer, auth.ProviderStaff)
		actionOwners := auth.AnyOf(auth.ProviderStaff, auth.ProviderDSL, auth.Coordinator, auth.MonitoringOfficer)
		pages.Handle(http.MethodGet, "/placements/{id}/monitoring", monitoringViewers, s.placementMonitoring)
		pages.Handle(http.MethodGet, "/placements/{id}/reviews/new", progressRecorders, s.reviewNew)
		pages.Handle(http.MethodPost, "/placements/{id}/reviews/new", progressRecorders, s.reviewCreate)
		pages.Handle(http.MethodGet, "/placements/{id}/incidents/new", progressRecorders, s.incidentNew)
		pages.Handle(http.MethodPost, "/placements/{id}/incidents/new", progressRecorders, s.incidentCreate)
		pages.Handle(http.MethodGet, "/placements/{id}/meetings/new", meetingRecorders, s.meetingNew)
		pages.Handle(http.MethodPost, "/placements/{id}/meetings/new", meetingRecorders, s.meetingCreate)
		pages.Handle(http.MethodGet, "/meetings/{id}", monitoringViewers, s.meetingShow)
		pages.Handle(http.MethodPost, "/actions/{id}/done", actionOwners, s.actionDone)

		// Changes and endings: change of day, withdrawal, outcomes, post-16 destinations, full-time
		// hours and the census export. Each store call scopes to the person (a provider never sees
		// another provider's requests) and says which side may take each step.
		pages.Handle(http.MethodGet, "/placements/{id}/change-of-day", placementSides, s.changeNew)
		pages.Handle(http.MethodPost, "/placements/{id}/change-of-day", placementSides, s.changeStart)
		pages.Handle(http.MethodGet, "/changes", requestViewers, s.changeQueue)
		pages.Handle(http.MethodGet, "/changes/{id}", requestViewers, s.changeShow)
		pages.Handle(http.MethodPost, "/changes/{id}/agree", placementSides, s.changeAgree)
		pages.Handle(http.MethodPost, "/changes/{id}/submit", schoolReps, s.changeSubmit)
		pages.Handle(http.MethodPost, "/changes/{id}/apply", capAdmins, s.changeApply)
		pages.Handle(http.MethodPost, "/changes/{id}/cancel", requestCancellers, s.changeCancel)
		pages.Handle(http.MethodGet, "/placements/{id}/withdraw", placementSides, s.withdrawNew)
		pages.Handle(http.MethodPost, "/placements/{id}/withdraw", placementSides, s.withdrawStart)
		pages.Handle(http.MethodGet, "/withdrawals", requestViewers, s.withdrawalQueue)
		pages.Handle(http.MethodGet, "/withdrawals/{id}", requestViewers, s.withdrawalShow)
		pages.Handle(http.MethodPost, "/withdrawals/{id}/meeting", withdrawalMeetingRecorders, s.withdrawalMeeting)
		pages.Handle(http.MethodPost, "/withdrawals/{id}/submit", placementSides, s.withdrawalSubmit)
		pages.Handle(http.MethodPost, "/withdrawals/{id}/process", capAdmins, s.withdrawalProcess)
		pages.Handle(http.MethodPost, "/withdrawals/{id}/cancel", requestCancellers, s.withdrawalCancel)
		pages.Handle(http.MethodGet, "/placements/{id}/outcome", requestViewers, s.outcomeShow)
		pages.Handle(http.MethodPost, "/placements/{id}/outcome", capAdmins, s.outcomeSave)
		pages.Handle(http.MethodPost, "/placements/{id}/qualifications", qualificationRecorders, s.qualificationAdd)
		pages.Handle(http.MethodGet, "/students/{id}/destination", studentViewers, s.destinationShow)
		pages.Handle(http.MethodPost, "/students/{id}/destination", destinationRecorders, s.destinationSave)
		pages.Handle(http.MethodGet, "/students/{id}/hours", studentViewers, s.hoursShow)
		pages.Handle(http.MethodPost, "/students/{id}/hours", timetableRecorders, s.hoursSave)
		pages.Handle(http.MethodGet, "/neet-risk", neetViewers, s.neetRisk)
		pages.Handle(http.MethodPost, "/neet-risk/date", capAdmins, s.neetDateSave)
		pages.Handle(http.MethodGet, "/census", censusViewers, s.censusShow)
		pages.Handle(http.MethodPost, "/census", censusRecorders, s.censusSave)
		pages.Handle(http.MethodGet, "/census.csv", censusViewers, s.censusCSV)

		// The second factor (issue 13): enrolment, its status and new recovery codes for anyone signed
		// in; the confirmation that opens safeguarding records for 15 minutes; a CAP admin's reset.
		pages.Handle(http.MethodGet, secondFactorPath, auth.SignedIn(), s.secondFactorShow)
		pages.Handle(http.MethodPost, secondFactorPath, auth.SignedIn(), s.secondFactorEnrol)
		pages.Handle(http.MethodPost, secondFactorPath+"/recovery-codes", auth.SignedIn(), s.recoveryCodesReplace)
		pages.Handle(http.MethodGet, stepUpConfirmPath, auth.SignedIn(), s.stepUpShow)
		pages.Handle(http.MethodPost, stepUpConfirmPath, auth.SignedIn(), s.stepUpSubmit)
		pages.Handle(http.MethodPost, "/admin/users/{id}/second-factor/reset", capAdmins, s.secondFactorReset)

		// Safeguarding records (issue 13): only the safeguarding roles, each scoped further in
		// internal/safeguarding; sgRecords answers anyone else the ordinary 404 and asks everyone
		// else for a second-factor confirmation within 15 minutes. LADO reports: the Service Lead's
		// only. The team page holds no records and is for everyone signed in.
		pages.Handle(http.MethodGet, "/safeguarding", sgListers, s.sgRecords(sgListers, s.safeguardingList))
		pages.Handle(http.MethodGet, "/safeguarding/team", auth.SignedIn(), s.safeguardingTeam)
		pages.Handle(http.MethodGet, "/students/{id}/safeguarding", auth.SignedIn(), s.sgRecords(safeguarders, s.chronologyShow))
		pages.Handle(http.MethodGet, "/students/{id}/safeguarding/new", auth.SignedIn(), s.sgRecords(safeguarders, s.recordNew))
		pages.Handle(http.MethodPost, "/students/{id}/safeguarding/new", auth.SignedIn(), s.sgRecords(safeguarders, s.recordCreate))
		pages.Handle(http.MethodGet, "/safeguarding/records/{id}", auth.SignedIn(), s.sgRecords(safeguarders, s.recordShow))
		pages.Handle(http.MethodGet, "/safeguarding/records/{id}/add", auth.SignedIn(), s.sgRecords(safeguarders, s.entryNew))
		pages.Handle(http.MethodPost, "/safeguarding/records/{id}/add", auth.SignedIn(), s.sgRecords(safeguarders, s.entryCreate))
		pages.Handle(http.MethodGet, "/safeguarding/lado", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoList))
		pages.Handle(http.MethodGet, "/safeguarding/lado/new", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoNew))
		pages.Handle(http.MethodPost, "/safeguarding/lado/new", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoCreate))
		pages.Handle(http.MethodGet, "/safeguarding/lado/{id}", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoShow))
		pages.Handle(http.MethodGet, "/safeguarding/lado/{id}/add", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoEntryNew))
		pages.Handle(http.MethodPost, "/safeguarding/lado/{id}/add", auth.SignedIn(), s.sgRecords(ladoReaders, s.ladoEntryCreate))

		if s.extraRoutes != nil {
			s.extraRoutes(pages)
		}
	})
	return root
}

// navigation lists the service's sections; each shows only to people its route's policy allows.
var navigation = []struct{ Text, Href string }{
	{"Home", "/"},
	{"Notifications", "/notifications"},
	{"Students", "/students"},
	{"Referrals", "/referrals"},
	{"Placements", "/placements"},
	{"Registers", "/registers"},
	{"CAP Directory", "/directory"},
	{"Panel dates", "/panels"},
	{"Schools", "/schools"},
	{"Changes of day", "/changes"},
	{"Withdrawals", "/withdrawals"},
	{"NEET risk", "/neet-risk"},
	{"Census", "/census"},
	{"Safeguarding", "/safeguarding"},
	{"Users", "/admin/users"},
	{"Audit log", "/admin/audit"},
	{"Your password", "/account/password"},
	{"Second factor", "/account/second-factor"},
}
