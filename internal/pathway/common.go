package pathway

import "github.com/coventry-cap/capportal/internal/auth"

// The actions and steps every pathway shares: the school writes and submits the application, CAP can
// send it back for what is missing, and a declined or refused case goes to CAP exploring alternatives,
// from where it is redirected to another programme or provider with everything already given.

var (
	submit = Action{ID: Submit, Label: "Submit the application", From: []Step{Draft}, To: []Step{Submitted},
		By: []auth.Role{auth.Coordinator}, Checks: []Check{ApplicationComplete, RiskAssessmentInDate, Eligible}}
	returnToSchool = Action{ID: Return, Label: "Send it back to the school", From: []Step{Submitted}, To: []Step{ReturnedToSchool},
		By: []auth.Role{auth.CAPAdmin}}
	resubmit = Action{ID: Resubmit, Label: "Resubmit the application", From: []Step{ReturnedToSchool}, To: []Step{Submitted},
		By: []auth.Role{auth.Coordinator}, Checks: []Check{ApplicationComplete, RiskAssessmentInDate, Eligible}}
	// A redirect goes back to CAP's review, or to the school when the new programme asks questions the
	// application has not answered yet.
	redirect = Action{ID: Redirect, Label: "Redirect to another programme or provider", From: []Step{ExploringAlternatives}, To: []Step{Submitted, ReturnedToSchool},
		By: []auth.Role{auth.CAPAdmin, auth.Coordinator}}
	sendPack = Action{ID: SendPack, Label: "Send the pack to the provider", To: []Step{PackSent},
		By: []auth.Role{auth.CAPAdmin}, Checks: []Check{ApplicationComplete, RiskAssessmentInDate}}
	recordInterview = Action{ID: Interview, Label: "Record the interview date", From: []Step{PackSent, InterviewArranged}, To: []Step{InterviewArranged},
		By: []auth.Role{auth.Coordinator, auth.ProviderStaff}, Checks: []Check{OpenPack}}
	respond = Action{ID: Respond, Label: "Return the application response", From: []Step{InterviewArranged}, To: []Step{ResponseReceived},
		By: []auth.Role{auth.ProviderStaff}, Checks: []Check{OpenPack, InterviewHeld}}
	processResponse = Action{ID: Process, Label: "Process the application response", From: []Step{ResponseReceived}, To: []Step{StartConfirmed, ExploringAlternatives},
		By: []auth.Role{auth.CAPAdmin}, Checks: []Check{ResponseToProcess}}
	setUpPlacement = Action{ID: SetUpPlacement, Label: "Set up the training record", From: []Step{StartConfirmed}, To: []Step{PlacementActive},
		By: []auth.Role{auth.CAPAdmin}, Checks: []Check{AcceptedResponse}}
)

// from returns a copy of the action that starts at the given steps.
func (a Action) from(steps ...Step) Action {
	a.From = steps
	return a
}

// with returns a copy of the action with more checks.
func (a Action) with(checks ...Check) Action {
	a.Checks = append(append([]Check(nil), a.Checks...), checks...)
	return a
}

// The steps as the school, CAP and the provider see them; a pathway may word one differently.
var (
	draftInfo = StepInfo{Step: Draft, Title: "Application being written", Waiting: School,
		Next: "The school completes every section and submits the application."}
	returnedInfo = StepInfo{Step: ReturnedToSchool, Title: "Returned to the school", Waiting: School,
		Next: "The school puts right what CAP asked for and resubmits the application.", Notify: []Party{School}}
	packSentInfo = StepInfo{Step: PackSent, Title: "Pack sent to the provider", Waiting: School,
		Next:   "The school contacts the training provider to arrange the interview; either of them records the date.",
		Notify: []Party{School, Provider}}
	interviewInfo = StepInfo{Step: InterviewArranged, Title: "Interview arranged", Waiting: Provider,
		Next: "After the interview the training provider returns its application response.", Notify: []Party{Provider, School}}
	responseInfo = StepInfo{Step: ResponseReceived, Title: "Application response received", Waiting: CAP,
		Next: "CAP processes the response and sends it to the school.", Notify: []Party{CAP}}
	startInfo = StepInfo{Step: StartConfirmed, Title: "Start date confirmed to the school", Waiting: CAP,
		Next: "CAP sets up the training record and the placement begins.", Notify: []Party{School, Provider}}
	placementInfo = StepInfo{Step: PlacementActive, Title: "Placement active", Waiting: Nobody,
		Next: "The student attends the provider on the agreed days.", Notify: []Party{School, Provider}}
	alternativesInfo = StepInfo{Step: ExploringAlternatives, Title: "CAP exploring alternatives", Waiting: CAPAndSchool,
		Next:   "CAP and the school choose another provider or programme; the referral moves there with everything already given.",
		Notify: []Party{School, CAP}}
)
