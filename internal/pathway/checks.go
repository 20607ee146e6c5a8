package pathway

import (
	"errors"
	"strings"
)

// The checks the pathways use. Each reads Facts and says, in a sentence, what is missing.
var (
	// ApplicationComplete: every section of the application has been completed.
	ApplicationComplete = Check{Name: "application complete", Fn: func(f Facts) error {
		if len(f.IncompleteSections) == 0 {
			return nil
		}
		return errors.New("Complete these sections of the application: " + andList(f.IncompleteSections) + ".")
	}}
	// RiskAssessmentInDate: a risk assessment is attached and was completed no more than three months ago.
	RiskAssessmentInDate = Check{Name: "risk assessment in date", Fn: func(f Facts) error {
		if !f.HasRiskAssessment {
			return errors.New("Upload the student’s risk assessment (the CAP template or the school’s own) with the date it was completed.")
		}
		if f.RiskAssessmentProblem != "" {
			return errors.New(f.RiskAssessmentProblem)
		}
		return nil
	}}
	// Eligible: the school may refer this student to this programme today.
	Eligible = Check{Name: "eligible", Fn: func(f Facts) error {
		if len(f.EligibilityProblems) == 0 {
			return nil
		}
		return errors.New(strings.Join(f.EligibilityProblems, " "))
	}}
	// CommissioningAgreement: Tier 1 schools are encouraged to attach one; without it they must confirm.
	CommissioningAgreement = Check{Name: "commissioning agreement", Fn: func(f Facts) error {
		if f.HasCommissioning || f.CommissioningConfirmed {
			return nil
		}
		return errors.New("Upload the commissioning agreement, or confirm that you are submitting without one.")
	}}
	// OpenPack: the pack has been sent to the provider and not withdrawn.
	OpenPack = Check{Name: "pack sent", Fn: func(f Facts) error {
		if f.HasOpenPack {
			return nil
		}
		return errors.New("The application pack has not been sent to a training provider.")
	}}
	// InterviewHeld: the provider returns its response after the interview it held with the student
	// and the school (the pack's order: the interview is held, then the response is sent).
	InterviewHeld = Check{Name: "interview held", Fn: func(f Facts) error {
		if f.InterviewOn.IsZero() || !f.InterviewOn.After(f.Today) {
			return nil
		}
		return errors.New("The interview is on " + f.InterviewOn.Weekday().String() + " " + f.InterviewOn.Format() +
			": return the application response after it has been held.")
	}}
	// ResponseToProcess: the provider has returned an application response that CAP has not processed.
	ResponseToProcess = Check{Name: "application response received", Fn: func(f Facts) error {
		if f.HasResponse {
			return nil
		}
		return errors.New("CAP cannot process this referral without the provider’s application response.")
	}}
	// AcceptedResponse: no placement without an accepted application response, and only one placement.
	AcceptedResponse = Check{Name: "accepted application response", Fn: func(f Facts) error {
		if f.HasPlacement {
			return errors.New("A placement has already been set up for this referral.")
		}
		if !f.ResponseAccepted {
			return errors.New("No placement can be set up without an application response in which the provider accepts the student.")
		}
		return nil
	}}
)

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
