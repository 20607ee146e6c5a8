package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// The referral pages: the application (referral_application.go, referral_section.go,
// referral_documents.go, referral_submit.go), the referral page and list (referral_show.go,
// referral_list.go), and one file per pathway action (referral_return.go, referral_send_pack.go, …).

// referralActor is the principal acting, with the request ID for the audit log.
func referralActor(r *http.Request) referral.Actor {
	return referral.Actor{Principal: auth.FromContext(r.Context()), RequestID: RequestID(r.Context())}
}

type referralKey struct{}

// referralFrom returns the referral a guard loaded for this request.
func referralFrom(ctx context.Context) referral.Referral {
	r, _ := ctx.Value(referralKey{}).(referral.Referral)
	return r
}

// loadReferral reads the {ref} of the URL scoped to the principal for the page the route names, and
// records the view in the audit log: every page under /referrals/{ref} shows the student, so this
// one loader is where their views are accounted for. A referral they may not see is a 404, so nobody
// learns it exists. ok is false when the response has been written.
func (s *Server) loadReferral(w http.ResponseWriter, r *http.Request) (referral.Referral, bool) {
	return s.viewReferral(w, r, referralPageName(r))
}

// referralPageName names the page a request is for, for the audit log: "referral page", or the
// part of the route after the reference ("send-pack", "letters/{case}"), and whether it was sent.
func referralPageName(r *http.Request) string {
	name := "referral page"
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if _, tail, ok := strings.Cut(rc.RoutePattern(), "/referrals/{ref}/"); ok {
			name = tail + " page"
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		name += ", sent"
	}
	return name
}

// viewReferral is loadReferral with the page named.
func (s *Server) viewReferral(w http.ResponseWriter, r *http.Request, what string) (referral.Referral, bool) {
	if s.redirectReferenceCase(w, r) {
		return referral.Referral{}, false
	}
	ref, err := s.referrals.View(r.Context(), referralActor(r), chi.URLParam(r, "ref"), what)
	if errors.Is(err, db.ErrNotFound) {
		// A draft's key changes to its reference when it is submitted: a second submit, the back
		// button or a second tab still asking for draft-N is sent to where the referral is now.
		if !s.redirectSubmittedDraft(w, r) {
			s.notFound(w, r)
		}
		return ref, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return ref, false
	}
	return ref, true
}

// redirectReferenceCase sends a reference typed in lower case (cap-2627-00007, as people copy it
// from an email or type it) to the address with the reference as it is written. It looks nothing up,
// so it tells nobody whether the referral exists. A form sent to the lower-case address is sent on
// with its method kept (308). It reports whether it answered.
func (s *Server) redirectReferenceCase(w http.ResponseWriter, r *http.Request) bool {
	key := chi.URLParam(r, "ref")
	upper := strings.ToUpper(key)
	if upper == key || !referral.ReferenceOK(upper) {
		return false
	}
	u := *r.URL
	u.Path = strings.Replace(u.Path, "/referrals/"+key, "/referrals/"+upper, 1)
	u.RawPath = ""
	status := http.StatusMovedPermanently
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		status = http.StatusPermanentRedirect
	}
	http.Redirect(w, r, u.RequestURI(), status)
	return true
}

// stepGuard is a pathway step as a middleware chain: load the referral scoped to the principal →
// require the role for this step (with respect to this referral) → require the referral to be at a
// step this action follows → require the step's checks. A refusal is a page that says which rule
// failed and what to do; the handler then moves the referral with a compare-and-set in the store.
func (s *Server) stepGuard(action pathway.ActionID) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ref, ok := s.loadReferral(w, r)
			if !ok {
				return
			}
			pw := ref.Pathway()
			act, found := pw.Action(action)
			if !found {
				s.refuse(w, r, ref, &pathway.Refusal{
					Reason: "The " + pw.Name + " pathway has no such step.",
					Do:     "Open the referral to see what happens next and who it is waiting on.",
				})
				return
			}
			facts, err := s.referrals.Facts(r.Context(), ref)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if err := pw.Guard(act, referral.RolesFor(auth.FromContext(r.Context()), ref), ref.Step, facts); err != nil {
				s.refuse(w, r, ref, err)
				return
			}
			ctx := context.WithValue(r.Context(), referralKey{}, ref)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// refuse answers a refused step with a page saying why and what to do: 403 when the person may not
// take the step, 409 when the referral is not ready for it.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, ref referral.Referral, err error) {
	var refusal *pathway.Refusal
	var problems input.Problems
	switch {
	case errors.As(err, &refusal):
	case errors.As(err, &problems):
		// The form checks these first; the store refusing them means the page was bypassed.
		refusal = &pathway.Refusal{Reason: "Some things must be put right first.", Do: "Go back to the form, put these right and try again."}
		for _, p := range problems {
			refusal.Checks = append(refusal.Checks, p.Message)
		}
	case errors.Is(err, referral.ErrMoved):
		refusal = &pathway.Refusal{Reason: "Someone else moved this referral on while you were working on it, so nothing was changed.",
			Do: "Open the referral to see where it is now."}
	case errors.Is(err, referral.ErrNotEditable):
		refusal = &pathway.Refusal{Reason: "The application can no longer be changed here.",
			Do: "Open the referral to see where it is and who it is waiting on."}
	default:
		s.serverError(w, r, err)
		return
	}
	status := http.StatusConflict
	if refusal.Forbidden {
		status = http.StatusForbidden
	}
	v := pages.RefusalView{Title: ref.Title(), Reason: refusal.Reason, Checks: refusal.Checks, Do: refusal.Do, Back: ref.URL()}
	s.render(w, r, status, pages.Refusal(s.page(r, "You cannot do this now"), v))
}
