package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	if auth.FromContext(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	v := pages.LoginView{Next: r.URL.Query().Get("next"), SecondFactorOptional: s.secondFactorOptional}
	s.render(w, r, http.StatusOK, pages.Login(s.page(r, "Sign in"), v))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	v := pages.LoginView{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: r.PostForm.Get("next"), SecondFactorOptional: s.secondFactorOptional}
	password := r.PostForm.Get("password")
	if v.Email == "" {
		v.Errors.Add("email", "Enter your email address")
	}
	if password == "" {
		v.Errors.Add("password", "Enter your password")
	}
	if !v.Errors.Any() {
		uid, err := s.signIn.Attempt(ctx, v.Email, password, r.RemoteAddr, RequestID(ctx))
		switch {
		case errors.Is(err, auth.ErrBadCredentials):
			v.Errors = components.Errors{{Field: "email", Message: "Enter a correct email address and password"}}
		case errors.Is(err, auth.ErrThrottled):
			v.Errors = components.Errors{{Field: "email", Message: "You have tried to sign in too many times. Wait 15 minutes, then try again"}}
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			p, err := s.auth.LoadPrincipal(ctx, uid)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			// Someone with a second factor gives a code before they are signed in (issue 13).
			if p.SecondFactor {
				if err := s.startPending(ctx, uid, v.Next); err != nil {
					s.serverError(w, r, err)
					return
				}
				http.Redirect(w, r, signInCodePath, http.StatusSeeOther)
				return
			}
			// A new token at every change of privilege, so a planted session ID is worthless.
			if err := s.Sessions.RenewToken(ctx); err != nil {
				s.serverError(w, r, err)
				return
			}
			now := s.Clock.Now().Unix()
			s.clearPending(ctx)
			s.Sessions.Remove(ctx, sessSecondFactorAt)
			s.Sessions.Put(ctx, sessUserID, uid)
			s.Sessions.Put(ctx, sessEpoch, p.SessionEpoch)
			s.Sessions.Put(ctx, sessSignedInAt, now)
			s.Sessions.Put(ctx, sessLastSeen, now)
			http.Redirect(w, r, safeNext(v.Next), http.StatusSeeOther)
			return
		}
	}
	lp := s.page(r, "Sign in")
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.Login(lp, v))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if err := s.audit.Write(ctx, audit.Entry{
		At: s.Clock.Now(), ActorUserID: &p.UserID, ActorEmail: p.Email, RequestID: RequestID(ctx),
		Action: audit.SignedOut, SubjectType: "user", SubjectID: itoa(p.UserID), Summary: "Signed out",
	}); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.endSession(ctx)
	s.flash(ctx, "You have signed out")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
