package pathway

import "github.com/coventry-cap/capportal/internal/auth"

// The Tier 2 and Tier 3 pathways go through the CAP Review and Authorisation Panel, then (by pathway)
// the Multi-Agency Panel or the Supported Transfer Headteacher Placement Meeting. The panels' decisions
// are recorded by the meeting's chair on the case (internal/referral's Decide), which moves the
// referral through the action of the panel it waits on: decide, map or allocate.

var (
	joinAgenda = Action{ID: JoinAgenda, Label: "Add to the panel agenda", From: []Step{Submitted}, To: []Step{ReviewPanel},
		By: []auth.Role{auth.CAPAdmin}, Checks: []Check{ApplicationComplete, RiskAssessmentInDate}}
	panelSubmittedInfo = StepInfo{Step: Submitted, Title: "CAP checks the application", Waiting: CAP,
		Next:   "CAP checks the pack is complete; it then joins the agenda of the next panel whose deadline it meets.",
		Notify: []Party{CAP}}
	reviewPanelInfo = StepInfo{Step: ReviewPanel, Title: "Review and Authorisation Panel", Waiting: Panel,
		Next: "The panel decides the case: approved, not approved or deferred.", Notify: []Party{School}}
	outcomeSharedInfo = StepInfo{Step: OutcomeShared, Title: "Approved by the panel", Waiting: CAP,
		Next: "CAP shares the outcome letter with the school and sends the pack to the provider so the interview can be scheduled.", Notify: []Party{School}}
)

// deferCase is CAP moving a case the panel has not decided to the same panel's agenda in the next
// round (the panel itself defers by its decision).
func deferCase(panels ...Step) Action {
	return Action{ID: Defer, Label: "Defer to the next round", From: panels, To: panels, By: []auth.Role{auth.CAPAdmin}}
}

// Flourish: submitted → Review and Authorisation Panel → outcome shared → (approved) pack to the
// provider, interview → application response → start date confirmed → placement in the round's
// Flourish start; (not approved) CAP explores alternatives with the school.
var Flourish = Pathway{
	ID:   "flourish",
	Name: "Flourish",
	Main: []Step{Submitted, ReviewPanel, OutcomeShared, PackSent, InterviewArranged, ResponseReceived, StartConfirmed, PlacementActive},
	Steps: []StepInfo{draftInfo, panelSubmittedInfo, reviewPanelInfo, outcomeSharedInfo,
		packSentInfo, interviewInfo, responseInfo, startInfo, placementInfo, returnedInfo, alternativesInfo},
	Actions: []Action{
		submit, returnToSchool, resubmit, joinAgenda, deferCase(ReviewPanel),
		{ID: Decide, Label: "Record the panel’s decision", From: []Step{ReviewPanel}, To: []Step{OutcomeShared, ExploringAlternatives, ReviewPanel},
			By: []auth.Role{auth.PanelMember}},
		sendPack.from(OutcomeShared),
		recordInterview, respond, processResponse, setUpPlacement, redirect,
	},
}

// SupportedTransfer: submitted → Review and Authorisation Panel (QA approval) → (approved) a receiving
// school allocated at the Headteacher Placement Meeting → 12-week transfer placement → review →
// outcome: stays at the new school or returns home.
var SupportedTransfer = Pathway{
	ID:   "supported_transfer",
	Name: "Supported Transfer",
	Main: []Step{Submitted, ReviewPanel, HeadteacherPanel, TransferPlacement, TransferReview, TransferOutcome},
	Steps: []StepInfo{draftInfo, panelSubmittedInfo,
		{Step: ReviewPanel, Title: "Review and Authorisation Panel (QA approval)", Waiting: Panel,
			Next: "The panel decides whether the case goes to the Headteacher Placement Meeting.", Notify: []Party{School}},
		{Step: HeadteacherPanel, Title: "Supported Transfer Headteacher Placement Meeting", Waiting: Panel,
			Next: "The headteachers allocate a receiving school.", Notify: []Party{School}},
		{Step: TransferPlacement, Title: "Transfer placement (12 weeks)", Waiting: School,
			Next: "The student attends the receiving school for twelve weeks, then the placement is reviewed.", Notify: []Party{School}},
		{Step: TransferReview, Title: "Transfer placement review", Waiting: School,
			Next: "The schools decide whether the student stays or returns to the home school.", Notify: []Party{School, CAP}},
		{Step: TransferOutcome, Title: "Transfer outcome recorded", Waiting: Nobody,
			Next: "The student stays at the new school or has returned to the home school.", Notify: []Party{School, CAP}},
		returnedInfo, alternativesInfo},
	Actions: []Action{
		submit, returnToSchool, resubmit, joinAgenda, deferCase(ReviewPanel, HeadteacherPanel),
		{ID: Decide, Label: "Record the panel’s decision", From: []Step{ReviewPanel}, To: []Step{HeadteacherPanel, ExploringAlternatives, ReviewPanel},
			By: []auth.Role{auth.PanelMember}},
		{ID: Allocate, Label: "Record the Headteacher Placement Meeting’s decision", From: []Step{HeadteacherPanel},
			To: []Step{TransferPlacement, ExploringAlternatives, HeadteacherPanel}, By: []auth.Role{auth.PanelMember}},
		{ID: ReviewTransfer, Label: "Record the placement review", From: []Step{TransferPlacement}, To: []Step{TransferReview},
			By: []auth.Role{auth.CAPAdmin}},
		{ID: RecordOutcome, Label: "Record the transfer outcome", From: []Step{TransferReview}, To: []Step{TransferOutcome},
			By: []auth.Role{auth.CAPAdmin}},
		redirect,
	},
}

// academyPathway is Refocus and Focus 11: submitted → Review and Authorisation Panel (QA approval) →
// outcome prepared for the Multi-Agency Panel → discussed there → outcome shared with the school →
// Coventry AP Academy onboarding → placement in a cohort.
func academyPathway(id, name string) Pathway {
	return Pathway{
		ID:   id,
		Name: name,
		Main: []Step{Submitted, ReviewPanel, MultiAgencyPanel, OutcomeShared, Onboarding, PlacementActive},
		Steps: []StepInfo{draftInfo, panelSubmittedInfo,
			{Step: ReviewPanel, Title: "Review and Authorisation Panel (QA approval)", Waiting: Panel,
				Next: "The panel decides; an approved case's outcome is prepared for the Multi-Agency Panel.", Notify: []Party{School}},
			{Step: MultiAgencyPanel, Title: "Multi-Agency Panel", Waiting: Panel,
				Next: "The Multi-Agency Panel discusses the case.", Notify: []Party{School}},
			{Step: OutcomeShared, Title: "Agreed by the Multi-Agency Panel", Waiting: Academy,
				Next: "CAP shares the outcome letter with the school; Coventry AP Academy starts onboarding the student into a cohort.", Notify: []Party{School, Academy}},
			{Step: Onboarding, Title: "Coventry AP Academy onboarding", Waiting: Academy,
				Next: "The Academy places the student in a cohort.", Notify: []Party{School}},
			{Step: PlacementActive, Title: "Placement in a cohort", Waiting: Nobody,
				Next:   "Seven weeks at the Academy four days a week (Mondays at the home school), then the three-week Back to School Phase.",
				Notify: []Party{School}},
			returnedInfo, alternativesInfo},
		Actions: []Action{
			submit, returnToSchool, resubmit, joinAgenda, deferCase(ReviewPanel, MultiAgencyPanel),
			{ID: Decide, Label: "Record the panel’s decision", From: []Step{ReviewPanel}, To: []Step{MultiAgencyPanel, ExploringAlternatives, ReviewPanel},
				By: []auth.Role{auth.PanelMember}},
			{ID: DecideMAP, Label: "Record the Multi-Agency Panel’s outcome", From: []Step{MultiAgencyPanel},
				To: []Step{OutcomeShared, ExploringAlternatives, MultiAgencyPanel}, By: []auth.Role{auth.PanelMember}},
			{ID: Onboard, Label: "Start onboarding", From: []Step{OutcomeShared}, To: []Step{Onboarding},
				By: []auth.Role{auth.ProviderStaff, auth.CAPAdmin}},
			{ID: PlaceInCohort, Label: "Place in the cohort", From: []Step{Onboarding}, To: []Step{PlacementActive},
				By: []auth.Role{auth.ProviderStaff, auth.CAPAdmin}},
			redirect,
		},
	}
}

// Refocus and Focus 11 are run by Coventry AP Academy in cohorts.
var (
	Refocus = academyPathway("refocus", "Refocus")
	Focus11 = academyPathway("focus11", "Focus 11")
)
