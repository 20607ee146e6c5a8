package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// deleteDraftHref is a draft's delete page; a submitted referral cannot be deleted.
func deleteDraftHref(ref referral.Referral) string {
	if ref.Step != pathway.Draft {
		return ""
	}
	return ref.URL() + "/delete"
}

// referralDeleteShow asks the coordinator to confirm deleting a draft started by mistake.
func (s *Server) referralDeleteShow(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.viewApplication(w, r, "delete draft")
	if !ok {
		return
	}
	if ref.Step != pathway.Draft {
		s.refuse(w, r, ref, &pathway.Refusal{Reason: "Only a draft can be deleted: this application has been submitted.",
			Do: "If it is no longer needed, tell the CAP admin team."})
		return
	}
	v := pages.DeleteDraftView{Caption: applicationCaption(ref), Action: ref.URL() + "/delete", Back: applicationURL(ref)}
	s.render(w, r, http.StatusOK, pages.DeleteDraft(s.page(r, "Delete this draft"), v))
}

// referralDelete deletes the draft and its documents.
func (s *Server) referralDelete(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	err := s.referrals.DeleteDraft(r.Context(), referralActor(r), ref)
	if errors.Is(err, referral.ErrNotEditable) || errors.Is(err, referral.ErrMoved) {
		s.refuse(w, r, ref, &pathway.Refusal{Reason: "Only a draft can be deleted, by its school’s coordinator: this one has been submitted or is not yours.",
			Do: "Open the referral to see where it is."})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r.Context(), "The draft application for "+ref.StudentName+" to "+ref.Programme+" has been deleted")
	http.Redirect(w, r, "/referrals", http.StatusSeeOther)
}
