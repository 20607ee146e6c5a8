package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The school coordinator's application: referral_new.go starts it, this file shows its task list,
// referral_section.go, referral_documents.go and referral_submit.go do the rest.

// viewApplication loads the {ref} of the URL for one of the application's pages, recording the view
// (the pages show the student's details). The application is written only while the school may edit
// it; afterwards its pages lead to the referral's own page.
func (s *Server) viewApplication(w http.ResponseWriter, r *http.Request, what string) (referral.Referral, bool) {
	ref, ok := s.viewReferral(w, r, what)
	if !ok {
		return ref, false
	}
	if !ref.Editable() {
		http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
		return ref, false
	}
	return ref, true
}

// applicationParts gathers what the task list and the check page both show besides the answers: the
// pathway facts, the documents, the student's rows from their record and CAP's note when returned.
func (s *Server) applicationParts(r *http.Request, ref referral.Referral) (pathway.Facts, []document.Meta, []components.SummaryRow, string, error) {
	facts, err := s.referrals.Facts(r.Context(), ref)
	if err != nil {
		return facts, nil, nil, "", err
	}
	docs, err := s.referrals.Documents(r.Context(), ref)
	if err != nil {
		return facts, nil, nil, "", err
	}
	rows, err := s.applicationStudentRows(r, ref)
	if err != nil {
		return facts, nil, nil, "", err
	}
	note, err := s.applicationReturnedNote(r, ref)
	return facts, docs, rows, note, err
}

// applicationURL is the address of the application's task list.
func applicationURL(ref referral.Referral) string { return ref.URL() + "/application" }

// applicationCaption names the application in captions: the student and the programme.
func applicationCaption(ref referral.Referral) string {
	return ref.StudentName + " – " + ref.Programme
}

// applicationStudentRows are the student's details the application carries from the student record.
func (s *Server) applicationStudentRows(r *http.Request, ref referral.Referral) ([]components.SummaryRow, error) {
	rows := []components.SummaryRow{
		{Key: "Name", Value: ref.StudentName},
		{Key: "UPN", Value: ref.StudentUPN},
		{Key: "Year group", Value: "Year " + strconv.Itoa(ref.YearGroup)},
		{Key: "Date of birth", Value: ref.DateOfBirth.Format()},
	}
	// The view of the referral is already recorded; reading the record for its SEN status is part of it.
	st, err := s.students.Get(r.Context(), studentActor(r), ref.StudentID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return rows, nil
	case err != nil:
		return nil, err
	}
	return append(rows, components.SummaryRow{Key: "Special educational needs", Value: st.SEN.Label()}), nil
}

// applicationProgrammeRows names the programme and who runs it.
func applicationProgrammeRows(ref referral.Referral) []components.SummaryRow {
	rows := []components.SummaryRow{{Key: "Programme", Value: ref.Programme}}
	if ref.ProviderName != "" {
		rows = append(rows, components.SummaryRow{Key: "Provider", Value: ref.ProviderName})
	}
	return append(rows, components.SummaryRow{Key: "Pathway", Value: ref.Pathway().Name})
}

// applicationReturnedNote is what CAP asked for when it last sent the application back, or "".
func (s *Server) applicationReturnedNote(r *http.Request, ref referral.Referral) (string, error) {
	if ref.Step != pathway.ReturnedToSchool {
		return "", nil
	}
	events, err := s.referrals.Events(r.Context(), ref)
	if err != nil {
		return "", err
	}
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Action == "return" {
			return events[i].Note, nil
		}
	}
	return "", nil
}

// documentsStatus is the documents task's status: complete once a risk assessment in date is attached.
func documentsStatus(f pathway.Facts, documents int) referral.Status {
	switch {
	case f.HasRiskAssessment && f.RiskAssessmentProblem == "":
		return referral.Completed
	case documents > 0:
		return referral.InProgress
	}
	return referral.NotStarted
}

// taskColour shows unfinished tasks as tags and finished ones as plain text, as GOV.UK's task list does.
func taskColour(st referral.Status) string {
	switch st {
	case referral.NotStarted:
		return "blue"
	case referral.InProgress:
		return "light-blue"
	}
	return ""
}

func (s *Server) referralApplication(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.viewApplication(w, r, "application")
	if !ok {
		return
	}
	facts, docs, studentRows, note, err := s.applicationParts(r, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	today := calendar.Today(s.Clock)
	v := pages.ApplicationTaskListView{
		Caption: ref.Programme, Heading: "Application for " + ref.StudentName, ReturnedNote: note,
		StudentRows: studentRows, ProgrammeRows: applicationProgrammeRows(ref), ReferralHref: ref.URL(),
		DeleteHref: deleteDraftHref(ref),
	}
	for _, sec := range ref.Sections() {
		st := ref.SectionStatus(sec, today)
		href := ref.URL() + "/sections/" + sec.ID
		if sec.ID == referral.SectionDocuments {
			st = documentsStatus(facts, len(docs))
			href = ref.URL() + "/documents"
		}
		if st == referral.Completed {
			v.Completed++
		}
		v.Total++
		v.Tasks = append(v.Tasks, components.TaskItem{ID: "task-" + sec.ID, Title: sec.Title, Href: href,
			Status: string(st), StatusColour: taskColour(st)})
	}
	if v.Completed == v.Total {
		v.CheckHref = ref.URL() + "/check"
	}
	s.render(w, r, http.StatusOK, pages.ApplicationTaskList(s.page(r, "Application for "+ref.StudentName), v))
}
