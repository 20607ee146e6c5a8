package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// uploadMemory is how much of an upload is held in memory; the rest of the body (at most the route's
// limit, 11 MB) goes to a temporary file removed when the request ends.
const uploadMemory = 1 << 20

// documentForm is the upload form as typed (the file itself cannot be kept by a browser).
type documentForm struct {
	Kind, Day, Month, Year, Template, Description string
	DateErrorParts                                []string
}

// commissioningEncouraged reports whether the referral's pathway asks for a commissioning agreement
// (or the coordinator's confirmation that there is none) before submission: Tier 1.
func commissioningEncouraged(ref referral.Referral) bool {
	act, ok := ref.Pathway().Action("submit")
	if !ok {
		return false
	}
	for _, c := range act.Checks {
		if c.Name == pathway.CommissioningAgreement.Name {
			return true
		}
	}
	return false
}

func (s *Server) referralDocumentsShow(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.viewApplication(w, r, "application documents")
	if !ok {
		return
	}
	s.renderApplicationDocuments(w, r, http.StatusOK, ref, documentForm{}, nil)
}

func (s *Server) renderApplicationDocuments(w http.ResponseWriter, r *http.Request, status int, ref referral.Referral, f documentForm, errs components.Errors) {
	ctx := r.Context()
	docs, err := s.referrals.Documents(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	facts, err := s.referrals.Facts(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.ApplicationDocumentsView{
		Caption: applicationCaption(ref), Action: ref.URL() + "/documents", BackHref: applicationURL(ref),
		Kind: f.Kind, Day: f.Day, Month: f.Month, Year: f.Year, Template: f.Template, Description: f.Description,
		DateErrorParts: f.DateErrorParts, Errors: errs,
		CommissioningEncouraged: commissioningEncouraged(ref), HasCommissioning: facts.HasCommissioning,
		NoCommissioning: ref.NoCommissioningConfirmed,
	}
	switch {
	case !facts.HasRiskAssessment:
		v.RiskAssessment = "Upload the student’s risk assessment (the CAP template or the school’s own) with the date it was completed."
	case facts.RiskAssessmentProblem != "":
		v.RiskAssessment = facts.RiskAssessmentProblem
	}
	for _, d := range docs {
		row := pages.ApplicationDocument{
			ID: itoa(d.ID), Name: d.FileName, Href: fmt.Sprintf("%s/documents/%d", ref.URL(), d.ID),
			Kind: d.Kind.Label(), Size: document.SizeText(d.Size), Type: document.TypeLabel(d.ContentType),
			UploadedBy: d.UploadedBy, UploadedAt: components.FormatDate(d.UploadedAt),
			RemoveAction: fmt.Sprintf("%s/documents/%d/remove", ref.URL(), d.ID),
		}
		if d.Kind == document.RiskAssessment {
			row.Completed = d.CompletedOn.Format() + " (" + d.Template.Label() + ")"
		}
		v.Documents = append(v.Documents, row)
	}
	for _, k := range document.Kinds {
		v.KindItems = append(v.KindItems, components.Choice{Value: string(k), Label: k.Label(), Checked: f.Kind == string(k)})
	}
	for _, t := range document.Templates {
		v.TemplateItems = append(v.TemplateItems, components.Choice{Value: string(t), Label: t.Label(), Checked: f.Template == string(t)})
	}
	lp := s.page(r, "Documents")
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.ApplicationDocuments(lp, v))
}

func (s *Server) referralDocumentUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	if !ref.Editable() {
		s.refuse(w, r, ref, referral.ErrNotEditable)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(uploadMemory); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				var errs components.Errors
				errs.Add("file", document.ErrTooLarge.Message)
				s.renderApplicationDocuments(w, r, http.StatusRequestEntityTooLarge, ref, documentForm{}, errs)
				return
			}
			s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back, reload the page and try again.")
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files; nothing to do if removal fails
		if !readableValues(r.MultipartForm.Value) {
			s.unreadableForm(w, r)
			return
		}
		cleanForm(r)
	} else if !s.parseForm(w, r) {
		return
	}
	if r.FormValue("intent") == "no_commissioning" {
		s.saveNoCommissioning(w, r, ref)
		return
	}
	f := documentForm{
		Kind: strings.TrimSpace(r.FormValue("kind")), Template: strings.TrimSpace(r.FormValue("template")),
		Day: strings.TrimSpace(r.FormValue("completed-day")), Month: strings.TrimSpace(r.FormValue("completed-month")),
		Year: strings.TrimSpace(r.FormValue("completed-year")), Description: strings.TrimSpace(r.FormValue("description")),
	}
	up, errs, err := s.readUpload(r, &f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if errs.Any() {
		status := http.StatusUnprocessableEntity
		if errs.For("file") == document.ErrTooLarge.Message {
			status = http.StatusRequestEntityTooLarge
		}
		s.renderApplicationDocuments(w, r, status, ref, f, errs)
		return
	}
	// A second press of Upload (or the same file chosen again) must not attach two copies.
	if existing, same, err := s.documents.SameContent(ctx, ref.ID, up.Kind, up.Checked); err != nil {
		s.serverError(w, r, err)
		return
	} else if same {
		s.flash(ctx, "This file was already attached as the "+strings.ToLower(up.Kind.Label())+" ("+existing.FileName+"), so it was not added again.")
		http.Redirect(w, r, ref.URL()+"/documents", http.StatusSeeOther)
		return
	}
	if _, err := s.referrals.AddDocument(ctx, referralActor(r), ref, up); err != nil {
		if msg, ok := document.ProblemMessage(err); ok {
			errs.Add("description", msg)
			s.renderApplicationDocuments(w, r, http.StatusUnprocessableEntity, ref, f, errs)
			return
		}
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, up.Kind.Label()+" uploaded: "+up.Checked.FileName)
	http.Redirect(w, r, ref.URL()+"/documents", http.StatusSeeOther)
}

// readUpload checks the upload form: what the document is, the file (its type from its content, its
// name cleaned), and for a risk assessment when it was completed — no more than three months before
// today, the day it would be submitted — and on whose template.
func (s *Server) readUpload(r *http.Request, f *documentForm) (document.Upload, components.Errors, error) {
	var errs components.Errors
	up := document.Upload{Kind: document.Kind(f.Kind), Description: f.Description}
	if !up.Kind.Valid() {
		errs.Add("kind", "Select what the document is")
	}
	if up.Kind == document.RiskAssessment {
		completed, msg, parts := riskAssessmentDate(f.Day, f.Month, f.Year, calendar.Today(s.Clock))
		if msg != "" {
			anchor := "completed-day"
			if len(parts) > 0 {
				anchor = "completed-" + parts[0]
			}
			errs.AddAt("completed", anchor, msg)
			f.DateErrorParts = parts
		}
		up.CompletedOn = completed
		up.Template = document.Template(f.Template)
		if !up.Template.Valid() {
			errs.Add("template", "Select whose risk assessment it is: the CAP template or the school’s own")
		}
	}
	file, header, err := r.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		errs.Add("file", document.ErrNoFile.Message)
	case err != nil:
		return up, errs, fmt.Errorf("read upload: %w", err)
	default:
		defer file.Close()
		data, err := document.ReadAll(file)
		if msg, ok := document.ProblemMessage(err); ok {
			errs.Add("file", msg)
			break
		}
		if err != nil {
			return up, errs, err
		}
		checked, err := document.Validate(header.Filename, data)
		if msg, ok := document.ProblemMessage(err); ok {
			errs.Add("file", msg)
			break
		}
		if err != nil {
			return up, errs, err
		}
		up.Checked, up.Data = checked, data
	}
	if utf8.RuneCountInString(f.Description) > document.MaxDescription {
		errs.Add("description", document.ErrDescription.Message)
	}
	return up, errs, nil
}

// riskAssessmentDate reads the date a risk assessment was completed and says what is wrong with it:
// missing parts, not a real date, in the future, or more than three months before today.
func riskAssessmentDate(day, month, year string, today calendar.Date) (calendar.Date, string, []string) {
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch len(missing) {
	case 3:
		return calendar.Date{}, "Enter the date the risk assessment was completed", nil
	case 2:
		return calendar.Date{}, "The date the risk assessment was completed must include a " + missing[0] + " and " + missing[1], missing
	case 1:
		return calendar.Date{}, "The date the risk assessment was completed must include a " + missing[0], missing
	}
	if len(year) != 4 {
		return calendar.Date{}, "Year must include 4 numbers", []string{"year"}
	}
	d, ok := parseDateParts(day, month, year)
	if !ok {
		return calendar.Date{}, "The date the risk assessment was completed must be a real date", nil
	}
	if msg := document.RiskAssessmentProblem(d, today); msg != "" {
		return d, msg, nil
	}
	return d, "", nil
}

// saveNoCommissioning records the Tier 1 coordinator's choice to submit without a commissioning
// agreement (or takes it back).
func (s *Server) saveNoCommissioning(w http.ResponseWriter, r *http.Request, ref referral.Referral) {
	ctx := r.Context()
	if !commissioningEncouraged(ref) {
		s.notFound(w, r)
		return
	}
	confirmed := r.FormValue("no_commissioning") == "yes"
	if err := s.referrals.SaveAnswers(ctx, referralActor(r), ref, referral.Answers{}, &confirmed); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if confirmed {
		s.flash(ctx, "You will submit the application without a commissioning agreement")
	} else {
		s.flash(ctx, "The application will need a commissioning agreement, or your confirmation that there is none")
	}
	http.Redirect(w, r, ref.URL()+"/documents", http.StatusSeeOther)
}

func (s *Server) referralDocumentRemove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	docID, ok := idParam(r, "doc")
	if !ok {
		s.notFound(w, r)
		return
	}
	err := s.referrals.RemoveDocument(ctx, referralActor(r), ref, docID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		// Pressed twice, or removed in another tab: it is gone either way.
		s.flash(ctx, "The document has already been removed")
	case err != nil:
		s.refuse(w, r, ref, err)
		return
	default:
		s.flash(ctx, "Document removed")
	}
	http.Redirect(w, r, ref.URL()+"/documents", http.StatusSeeOther)
}
