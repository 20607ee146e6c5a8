package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/secondfactor"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The second factor's pages (issue 13).
const (
	secondFactorPath = "/account/second-factor"
	signInCodePath   = "/login/second-factor"
)

// The half-signed-in state: the password was right and the code is still to come. It holds no
// sessUserID, so loadPrincipal finds nobody and every page but the second step treats the person as
// signed out.
const (
	sessPendingUserID = "pending_user_id"
	sessPendingAt     = "pending_at"
	sessPendingNext   = "pending_next"
)

// pendingTimeout is how long the second step waits for a code after the password.
const pendingTimeout = 10 * time.Minute

// requireSecondFactor keeps CAP staff and DSLs who have not enrolled away from every page but
// enrolment and signing out, unless the demo setting turned the requirement off.
func (s *Server) requireSecondFactor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if !s.mustEnrol(p) || enrolmentAllows(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		target := secondFactorPath
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

// mustEnrol reports whether the person may reach nothing until they enrol.
func (s *Server) mustEnrol(p *auth.Principal) bool {
	return !s.secondFactorOptional && p.NeedsSecondFactor()
}

// enrolmentAllows lists what a person who must enrol may still reach (static files and health checks
// are outside the pages and need no session).
func enrolmentAllows(path string) bool {
	switch path {
	case secondFactorPath, stepUpConfirmPath, "/logout", "/login", signInCodePath:
		return true
	}
	return false
}

// pendingUser is the person half-way through signing in, or 0.
func (s *Server) pendingUser(ctx context.Context) int64 {
	uid := s.Sessions.GetInt64(ctx, sessPendingUserID)
	if uid == 0 {
		return 0
	}
	at := time.Unix(s.Sessions.GetInt64(ctx, sessPendingAt), 0)
	if s.Clock.Now().Sub(at) > pendingTimeout {
		s.clearPending(ctx)
		return 0
	}
	return uid
}

func (s *Server) clearPending(ctx context.Context) {
	for _, k := range []string{sessPendingUserID, sessPendingAt, sessPendingNext} {
		s.Sessions.Remove(ctx, k)
	}
}

// codeError is what the page says when a code was refused, or false for an error the page cannot
// explain.
func codeError(err error) (string, bool) {
	switch {
	case errors.Is(err, secondfactor.ErrWrongCode):
		return "The code is not correct. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes", true
	case errors.Is(err, secondfactor.ErrCodeUsed):
		return "That code has already been used. Wait for your authenticator app to show a new code, then enter it", true
	case errors.Is(err, auth.ErrThrottled):
		return "You have entered a wrong code too many times. Wait 15 minutes, then try again", true
	}
	return "", false
}

func (s *Server) attemptFor(r *http.Request, userID int64, email string) secondfactor.Attempt {
	return secondfactor.Attempt{UserID: userID, Email: email, Addr: r.RemoteAddr, RequestID: RequestID(r.Context())}
}

// startPending holds the person at the second step after a correct password.
func (s *Server) startPending(ctx context.Context, uid int64, next string) error {
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	// A sign-in started while signed in ends that session's sign-in and its step-up first.
	s.Sessions.Remove(ctx, sessUserID)
	s.Sessions.Remove(ctx, sessSecondFactorAt)
	s.Sessions.Put(ctx, sessPendingUserID, uid)
	s.Sessions.Put(ctx, sessPendingAt, s.Clock.Now().Unix())
	s.Sessions.Put(ctx, sessPendingNext, next)
	return nil
}

func (s *Server) signInCodeShow(w http.ResponseWriter, r *http.Request) {
	if s.pendingUser(r.Context()) == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, pages.SecondFactorCode(s.page(r, "Enter your code"), signInCodeView()))
}

func signInCodeView() pages.SecondFactorCodeView {
	return pages.SecondFactorCodeView{
		Action: signInCodePath, Heading: "Enter the code from your authenticator app", Button: "Continue",
		Intro:      "You have set up a second factor for your account. Open your authenticator app and enter the 6-digit code it shows for CAP Portal.",
		CancelText: "Sign in as someone else", CancelHref: "/login",
	}
}

func (s *Server) signInCodeSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	uid := s.pendingUser(ctx)
	if uid == 0 {
		s.flashError(ctx, "You took too long to enter your code. Sign in again.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	v := signInCodeView()
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if code == "" {
		v.Errors.Add("code", "Enter the 6-digit code from your authenticator app, or a recovery code")
		s.renderCode(w, r, v)
		return
	}
	p, err := s.auth.LoadPrincipal(ctx, uid)
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, auth.ErrInactive) {
		s.clearPending(ctx)
		s.flashError(ctx, "You cannot sign in. Contact the CAP team if you need access.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	method, err := s.secondFactors.Verify(ctx, s.attemptFor(r, uid, p.Email), code)
	if errors.Is(err, secondfactor.ErrNotEnrolled) {
		// Reset by a CAP admin between the password and the code: start again, to enrol.
		s.clearPending(ctx)
		s.flashError(ctx, "Your second factor has been reset. Sign in again to set up a new one.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if msg, ok := codeError(err); ok {
		v.Errors.Add("code", msg)
		s.renderCode(w, r, v)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	next := s.Sessions.GetString(ctx, sessPendingNext)
	s.clearPending(ctx)
	// A new token at every change of privilege, so a planted session ID is worthless.
	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.Clock.Now().Unix()
	s.Sessions.Put(ctx, sessUserID, uid)
	s.Sessions.Put(ctx, sessEpoch, p.SessionEpoch)
	s.Sessions.Put(ctx, sessSignedInAt, now)
	s.Sessions.Put(ctx, sessLastSeen, now)
	s.Sessions.Put(ctx, sessSecondFactorAt, now)
	if method == secondfactor.ByRecoveryCode {
		s.flashRecoveryLeft(ctx, uid)
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// flashRecoveryLeft tells someone who used a recovery code how many they have left.
func (s *Server) flashRecoveryLeft(ctx context.Context, uid int64) {
	st, err := s.secondFactors.Status(ctx, uid)
	if err != nil {
		return // the flash is a courtesy; the account page shows the count
	}
	s.flash(ctx, "You used a recovery code. You have "+strconv.Itoa(st.RecoveryLeft)+" left: you can make new ones on the second factor page.")
}

func (s *Server) renderCode(w http.ResponseWriter, r *http.Request, v pages.SecondFactorCodeView) {
	lp := s.page(r, "Enter your code")
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.SecondFactorCode(lp, v))
}

// secondFactorShow is the account's second factor: its status once set up, otherwise the key to
// set it up with. Showing the key stores it (sealed) until a code confirms it; a reload shows the
// same key, so the GET changes nothing a second time.
func (s *Server) secondFactorShow(w http.ResponseWriter, r *http.Request) {
	s.renderSecondFactor(w, r, http.StatusOK, nil, r.URL.Query().Get("next"))
}

func (s *Server) renderSecondFactor(w http.ResponseWriter, r *http.Request, status int, errs components.Errors, next string) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	st, err := s.secondFactors.Status(ctx, p.UserID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lp := s.page(r, "Your second factor")
	lp.HasErrors = errs.Any()
	if st.Enrolled {
		s.render(w, r, status, pages.SecondFactorStatus(lp, pages.SecondFactorStatusView{
			EnrolledOn: components.FormatDate(st.EnrolledAt), RecoveryLeft: st.RecoveryLeft, Errors: errs,
		}))
		return
	}
	key, err := s.secondFactors.KeyToEnrol(ctx, p.UserID, p.Email)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	qr, err := qrDataURI(key)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lp.Title = "Set up your second factor"
	s.render(w, r, status, pages.SecondFactorSetUp(lp, pages.SecondFactorSetUpView{
		QR: qr, KeyText: groupKey(key.Secret()), Account: p.Email, Next: next, Required: p.HasAny(auth.SecondFactorRoles...) && !s.secondFactorOptional,
		Errors: errs,
	}))
}

// qrDataURI draws the key's QR code on the server, as a PNG in a data: URI (the CSP allows data:
// images), so no script or other site is involved.
func qrDataURI(key *otp.Key) (string, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// groupKey shows the key in groups of four, as authenticator apps accept it typed.
func groupKey(secret string) string {
	var parts []string
	for len(secret) > 4 {
		parts = append(parts, secret[:4])
		secret = secret[4:]
	}
	return strings.Join(append(parts, secret), " ")
}

func (s *Server) secondFactorEnrol(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if !s.parseForm(w, r) {
		return
	}
	next := r.PostForm.Get("next")
	code := strings.TrimSpace(r.PostForm.Get("code"))
	var errs components.Errors
	if code == "" {
		errs.Add("code", "Enter the 6-digit code your authenticator app shows")
		s.renderSecondFactor(w, r, http.StatusUnprocessableEntity, errs, next)
		return
	}
	codes, err := s.secondFactors.Confirm(ctx, s.attemptFor(r, p.UserID, p.Email), code)
	if errors.Is(err, secondfactor.ErrAlreadyEnrolled) {
		http.Redirect(w, r, secondFactorPath, http.StatusSeeOther)
		return
	}
	if msg, ok := codeError(err); ok {
		if errors.Is(err, secondfactor.ErrWrongCode) {
			msg = "The code is not correct. Check the key in your app, then enter the 6-digit code it shows now"
		}
		errs.Add("code", msg)
		s.renderSecondFactor(w, r, http.StatusUnprocessableEntity, errs, next)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Sessions.Put(ctx, sessSecondFactorAt, s.Clock.Now().Unix())
	// This page already shows the person as enrolled (the navigation they may now use).
	enrolled := *p
	enrolled.SecondFactor = true
	r = r.WithContext(auth.WithPrincipal(ctx, &enrolled))
	// Shown in this response and never again: only their hashes are kept.
	s.render(w, r, http.StatusOK, pages.RecoveryCodes(s.page(r, "Your recovery codes"), pages.RecoveryCodesView{
		Codes: codes, Next: safeNext(next), FirstTime: true,
	}))
}

func (s *Server) recoveryCodesReplace(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if !s.parseForm(w, r) {
		return
	}
	code := strings.TrimSpace(r.PostForm.Get("code"))
	var errs components.Errors
	if code == "" {
		errs.Add("code", "Enter the 6-digit code from your authenticator app")
		s.renderSecondFactor(w, r, http.StatusUnprocessableEntity, errs, "")
		return
	}
	codes, err := s.secondFactors.NewRecoveryCodes(ctx, s.attemptFor(r, p.UserID, p.Email), code)
	if errors.Is(err, secondfactor.ErrNotEnrolled) {
		http.Redirect(w, r, secondFactorPath, http.StatusSeeOther)
		return
	}
	if msg, ok := codeError(err); ok {
		errs.Add("code", msg)
		s.renderSecondFactor(w, r, http.StatusUnprocessableEntity, errs, "")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Sessions.Put(ctx, sessSecondFactorAt, s.Clock.Now().Unix())
	s.render(w, r, http.StatusOK, pages.RecoveryCodes(s.page(r, "Your new recovery codes"), pages.RecoveryCodesView{
		Codes: codes, Next: secondFactorPath,
	}))
}

// stepUpView is the confirmation page's form.
func stepUpView(next string) pages.SecondFactorCodeView {
	return pages.SecondFactorCodeView{
		Action: stepUpConfirmPath, Next: next, Heading: "Confirm it is you", Button: "Confirm",
		Intro:      "Safeguarding records need a code from your authenticator app every 15 minutes. Enter the 6-digit code it shows for CAP Portal.",
		CancelText: "Go to your home page", CancelHref: "/",
	}
}

// stepUpShow asks for a code before a safeguarding record; someone with no second factor yet is
// sent to set one up first, and comes back here after.
func (s *Server) stepUpShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if !auth.FromContext(r.Context()).SecondFactor {
		s.toEnrolFirst(w, r, next)
		return
	}
	s.render(w, r, http.StatusOK, pages.SecondFactorCode(s.page(r, "Confirm it is you"), stepUpView(next)))
}

func (s *Server) toEnrolFirst(w http.ResponseWriter, r *http.Request, next string) {
	s.flash(r.Context(), "Set up a second factor to open safeguarding records.")
	http.Redirect(w, r, secondFactorPath+"?next="+url.QueryEscape(next), http.StatusSeeOther)
}

func (s *Server) stepUpSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if !s.parseForm(w, r) {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if !p.SecondFactor {
		s.toEnrolFirst(w, r, next)
		return
	}
	v := stepUpView(next)
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if code == "" {
		v.Errors.Add("code", "Enter the 6-digit code from your authenticator app, or a recovery code")
		s.renderCode(w, r, v)
		return
	}
	method, err := s.secondFactors.Verify(ctx, s.attemptFor(r, p.UserID, p.Email), code)
	if errors.Is(err, secondfactor.ErrNotEnrolled) {
		s.toEnrolFirst(w, r, next)
		return
	}
	if msg, ok := codeError(err); ok {
		v.Errors.Add("code", msg)
		s.renderCode(w, r, v)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.Sessions.Put(ctx, sessSecondFactorAt, s.Clock.Now().Unix())
	if method == secondfactor.ByRecoveryCode {
		s.flashRecoveryLeft(ctx, p.UserID)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// secondFactorReset is a CAP admin removing a user's second factor (a lost phone): audited, and the
// user's sessions end, so they must sign in and enrol again.
func (s *Server) secondFactorReset(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	back := "/admin/users/" + strconv.FormatInt(id, 10)
	switch err := s.secondFactors.Reset(ctx, actor(r), id); {
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	case errors.Is(err, secondfactor.ErrNotEnrolled):
		s.flashError(ctx, "This user has no second factor to reset.")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, "Their second factor has been reset and they have been signed out everywhere. They must set up a new one when they next sign in.")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
