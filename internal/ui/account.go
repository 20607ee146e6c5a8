package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) passwordShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.Password(s.page(r, "Change your password"), pages.PasswordView{}))
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if !s.parseForm(w, r) {
		return
	}
	current, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
	var v pages.PasswordView
	if current == "" {
		v.Errors.Add("current", "Enter your current password")
	} else if err := s.signIn.Reauthenticate(ctx, p.Email, current, r.RemoteAddr, RequestID(ctx)); err != nil {
		if errors.Is(err, auth.ErrThrottled) {
			v.Errors.Add("current", "You have entered a wrong password too many times. Wait 15 minutes, then try again")
		} else if errors.Is(err, auth.ErrBadCredentials) {
			v.Errors.Add("current", "Your current password is not correct")
		} else {
			s.serverError(w, r, err)
			return
		}
	}
	switch {
	case len(next) < auth.MinPasswordLength:
		v.Errors.Add("new", "Enter a new password of at least 12 characters")
	case next == current:
		v.Errors.Add("new", "Enter a new password that is different from your current one")
	case confirm != next:
		v.Errors.Add("confirm", "Enter the same new password twice")
	}
	if v.Errors.Any() {
		lp := s.page(r, "Change your password")
		lp.HasErrors = true
		s.render(w, r, http.StatusUnprocessableEntity, pages.Password(lp, v))
		return
	}
	if err := s.users.SetPassword(ctx, actor(r), p.UserID, next); err != nil {
		s.serverError(w, r, err)
		return
	}
	// Other sessions end with the epoch bump; this one carries on under a new token.
	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Sessions.Put(ctx, sessEpoch, p.SessionEpoch+1)
	s.flash(ctx, "Your password has been changed. You have been signed out everywhere else.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
