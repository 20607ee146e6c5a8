package pathway

// Tier1 is the pathway of Tier 1 courses, Insight ("processed the same as Tier 1") and Year 11 Post-16
// programmes: submitted → CAP reviews the pack → pack sent to the provider → interview arranged →
// application response received → response processed and start date confirmed → training record set
// up. A decline goes to CAP exploring alternatives.
var Tier1 = Pathway{
	ID:   "tier1",
	Name: "Tier 1, Insight and Year 11 Post-16",
	Main: []Step{Submitted, PackSent, InterviewArranged, ResponseReceived, StartConfirmed, PlacementActive},
	Steps: []StepInfo{
		draftInfo,
		{Step: Submitted, Title: "CAP reviews the application pack", Waiting: CAP,
			Next:   "CAP checks the pack is complete and the risk assessment in date, then sends it to the training provider.",
			Notify: []Party{CAP}},
		packSentInfo, interviewInfo, responseInfo, startInfo, placementInfo, returnedInfo, alternativesInfo,
	},
	Actions: []Action{
		submit.with(CommissioningAgreement),
		returnToSchool,
		resubmit.with(CommissioningAgreement),
		sendPack.from(Submitted),
		recordInterview,
		respond,
		processResponse,
		setUpPlacement,
		redirect,
	},
}
