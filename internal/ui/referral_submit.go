package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// Check your answers, submission (and resubmission after CAP sent the application back), and the
// confirmation with the reference.

// redirectSubmittedDraft answers a request for draft-N after that draft was submitted (the back
// button, a second tab, a double click on Submit): its key is now its reference. A GET goes to the
// same page under the reference, a second submit to the confirmation, any other POST to the
// referral's page. It reports false, writing nothing, when there is no such referral for this person,
// and true when it answered: the redirect, or the error page when the look-up failed.
func (s *Server) redirectSubmittedDraft(w http.ResponseWriter, r *http.Request) bool {
	ctx := r.Context()
	old := chi.URLParam(r, "ref")
	_, draftID, ok := referral.ParseKey(old)
	if !ok || draftID == 0 {
		return false
	}
	key, err := s.referrals.KeyOf(ctx, draftID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && key == old) {
		return false
	}
	if err != nil {
		s.serverError(w, r, err)
		return true
	}
	// Only someone who may see the referral learns where it went.
	ref, err := s.referrals.Get(ctx, referralActor(r), key)
	if errors.Is(err, db.ErrNotFound) {
		return false
	}
	if err != nil {
		s.serverError(w, r, err)
		return true
	}
	prefix := "/referrals/" + old
	target := ref.URL()
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix):
		target += strings.TrimPrefix(r.URL.Path, prefix)
	case strings.HasSuffix(r.URL.Path, "/submit"):
		target += "/confirmation"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return true
}

func (s *Server) referralCheck(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.viewApplication(w, r, "check your answers")
	if !ok {
		return
	}
	s.renderApplicationCheck(w, r, http.StatusOK, ref, "", nil)
}

// checkLinks says where each pathway check is put right.
func checkLinks(ref referral.Referral) map[string]string {
	return map[string]string{
		pathway.ApplicationComplete.Name:    applicationURL(ref),
		pathway.RiskAssessmentInDate.Name:   ref.URL() + "/documents",
		pathway.CommissioningAgreement.Name: ref.URL() + "/documents",
		pathway.Eligible.Name:               "/referrals/new?programme=" + strconv.FormatInt(ref.ProgrammeID, 10),
	}
}

func (s *Server) renderApplicationCheck(w http.ResponseWriter, r *http.Request, status int, ref referral.Referral, reason string, errs components.Errors) {
	facts, docs, studentRows, note, err := s.applicationParts(r, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	plan, err := s.panelPlan(r.Context(), ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.ApplicationCheckView{
		Caption: applicationCaption(ref), ReturnedNote: note, StudentRows: studentRows,
		DocumentsRef: ref.URL() + "/documents", BackHref: applicationURL(ref), Reason: reason, Errors: errs, Panel: plan,
	}
	for _, sec := range ref.Sections() {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		cs := pages.ApplicationCheckSection{ID: sec.ID, Title: sec.Title}
		for _, f := range sec.Fields {
			if !f.Visible(ref.Answers) {
				continue
			}
			row := components.SummaryRow{Key: f.Short,
				Actions: []components.Action{{Href: ref.URL() + "/sections/" + sec.ID + "#" + applicationAnchor(f), Text: "Change", VisuallyHidden: strings.ToLower(f.Short)}}}
			if f.Type == referral.TextArea {
				row.ValueHTML = pages.ApplicationAnswer(f.Display(ref.Answers[f.Name]))
			} else {
				row.Value = f.Display(ref.Answers[f.Name])
			}
			cs.Rows = append(cs.Rows, row)
		}
		v.Sections = append(v.Sections, cs)
	}
	for _, d := range docs {
		value := d.FileName
		if d.Kind == document.RiskAssessment {
			value += ", completed on " + d.CompletedOn.Format()
		}
		v.DocumentRows = append(v.DocumentRows, components.SummaryRow{Key: d.Kind.Label(), Value: value})
	}
	if commissioningEncouraged(ref) && !facts.HasCommissioning && ref.NoCommissioningConfirmed {
		v.DocumentRows = append(v.DocumentRows, components.SummaryRow{Key: "Commissioning agreement",
			Value: "Not attached: you confirmed you are submitting without one"})
	}
	action := pathway.Submit
	if ref.Step == pathway.ReturnedToSchool {
		action = pathway.Resubmit
	}
	if act, ok := ref.Pathway().Action(action); ok {
		links := checkLinks(ref)
		for _, c := range act.Checks {
			if err := c.Fn(facts); err != nil {
				v.Problems = append(v.Problems, pages.Link{Text: err.Error(), Href: links[c.Name]})
			}
		}
	}
	if action == "resubmit" {
		v.ResubmitAction = ref.URL() + "/resubmit"
	} else {
		v.SubmitAction = ref.URL() + "/submit"
	}
	lp := s.page(r, "Check your answers")
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.ApplicationCheck(lp, v))
}

// applicationAnchor is the id of a question's input on its section's form.
func applicationAnchor(f referral.Field) string {
	if f.Type == referral.DateOf {
		return f.Name + "-day"
	}
	return f.Name
}

func (s *Server) referralSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	done, err := s.referrals.Submit(ctx, referralActor(r), ref)
	if errors.Is(err, referral.ErrMoved) {
		// Submitted already — by a double click, a second tab or the back button: it is submitted, so
		// show it rather than an error.
		key, kerr := s.referrals.KeyOf(ctx, ref.ID)
		if kerr != nil {
			s.serverError(w, r, kerr)
			return
		}
		if key == ref.Key() {
			s.refuse(w, r, ref, err)
			return
		}
		http.Redirect(w, r, "/referrals/"+key+"/confirmation", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	http.Redirect(w, r, done.URL()+"/confirmation", http.StatusSeeOther)
}

func (s *Server) referralConfirmation(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	if ref.Reference == "" {
		http.Redirect(w, r, applicationURL(ref), http.StatusSeeOther)
		return
	}
	plan, err := s.panelPlan(r.Context(), ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.ApplicationConfirmationView{
		Reference: ref.Reference, StudentName: ref.StudentName, Programme: ref.Programme,
		Next: ref.Pathway().Info(pathway.Submitted).Next, ReferralHref: ref.URL(), Panel: plan,
	}
	if _, interviews := ref.Pathway().Action(pathway.Interview); interviews && ref.ProviderName != "" {
		// Step 4 of the pack's process: the school arranges the interview with the provider.
		v.Interview = "When CAP has sent the application pack to " + ref.ProviderName + ", you will be told: then contact " +
			ref.ProviderName + " to arrange the student’s interview, and record its date on the referral."
	}
	s.render(w, r, http.StatusOK, pages.ApplicationConfirmation(s.page(r, "Application submitted"), v))
}

func (s *Server) referralResubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	reason := r.PostForm.Get("reason")
	var errs components.Errors
	switch trimmed := strings.TrimSpace(reason); {
	case trimmed == "":
		errs.Add("reason", "Enter what you have changed and why")
	case len([]rune(trimmed)) > referral.MaxAnswer:
		errs.Add("reason", "The reason must be "+strconv.Itoa(referral.MaxAnswer)+" characters or fewer")
	}
	if errs.Any() {
		s.renderApplicationCheck(w, r, http.StatusUnprocessableEntity, ref, reason, errs)
		return
	}
	if err := s.referrals.Resubmit(ctx, referralActor(r), ref, strings.TrimSpace(reason)); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Application resubmitted to CAP")
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
