package ui

import (
	"bytes"
	"context"

	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
)

// A create form is acted on once however often it is sent. Every create form carries a one-time token
// in its form_token field (components.FormToken, or a token the handler issued, as the monitoring
// forms do); oncePerForm, which every POST route runs, claims it before the handler acts. The first
// request acts; the same form sent again, at once or later, waits for the first and is sent where the
// first's answer led, so ten identical posts make one record and all ten answers lead to it. A first
// answer that saved nothing (a form with mistakes, a refusal) gives the token back, so the form can be
// put right and sent again. A form without a token (no create form is one) is handled as it comes.

// formOnceWait bounds how long a repeated form waits for the first to answer.
const formOnceWait = 20 * time.Second

// oncePerForm is the middleware that acts on each form token once.
func (s *Server) oncePerForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr := auth.FromContext(r.Context())
		if r.Method != http.MethodPost || pr == nil {
			next.ServeHTTP(w, r)
			return
		}
		token := peekFormToken(r)
		if !validStartToken(token) {
			next.ServeHTTP(w, r)
			return
		}
		ctx, route := r.Context(), r.URL.Path
		deadline := time.Now().Add(formOnceWait)
		claim, err := s.formOnce.Claim(ctx, token, pr.UserID, route)
		for {
			if s.failed(w, r, err) {
				return
			}
			switch {
			case claim.Mine:
				s.actOnce(w, r, next, token)
				return
			case claim.Foreign:
				s.renderError(w, r, http.StatusConflict, "This form was already used",
					"Go back, reload the page and try again.")
				return
			case claim.Location != "":
				// Said every time, for a form sent again after going back may have been changed.
				s.flash(ctx, "This form had already been sent, so it was not saved again. This is what was saved: if you changed anything before sending it again, make the change here.")
				http.Redirect(w, r, claim.Location, http.StatusSeeOther)
				return
			}
			if time.Now().After(deadline) {
				s.renderError(w, r, http.StatusConflict, "This form is still being sent",
					"The same form was sent a moment ago and has not finished. Wait a minute, then check whether it was saved before sending it again.")
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(25 * time.Millisecond):
			}
			if claim.Gone {
				claim, err = s.formOnce.Claim(ctx, token, pr.UserID, route)
			} else {
				claim, err = s.formOnce.Look(ctx, token, pr.UserID, route)
			}
		}
	})
}

// actOnce runs the handler for the request that claimed the token, keeping where a redirect led, or
// giving the token back when the answer saved nothing (anything but a redirect, or a panic).
func (s *Server) actOnce(w http.ResponseWriter, r *http.Request, next http.Handler, token string) {
	ow := &onceWriter{ResponseWriter: w}
	ctx := context.WithoutCancel(r.Context())
	kept := false
	defer func() {
		if !kept {
			if err := s.formOnce.Release(ctx, token); err != nil {
				s.Logger.ErrorContext(ctx, "release form token", "error", err, "request_id", RequestID(ctx))
			}
		}
	}()
	next.ServeHTTP(ow, r)
	if ow.status >= 300 && ow.status < 400 && ow.location != "" {
		if err := s.formOnce.Done(ctx, token, ow.location); err != nil {
			s.Logger.ErrorContext(ctx, "keep form token's answer", "error", err, "request_id", RequestID(ctx))
			return
		}
		kept = true
	}
}

// onceWriter notes the status and redirect of the answer it passes on.
type onceWriter struct {
	http.ResponseWriter
	status   int
	location string
}

func (o *onceWriter) WriteHeader(code int) {
	if o.status == 0 {
		o.status, o.location = code, o.Header().Get("Location")
	}
	o.ResponseWriter.WriteHeader(code)
}

func (o *onceWriter) Write(b []byte) (int, error) {
	if o.status == 0 {
		o.status = http.StatusOK
	}
	return o.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (o *onceWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// peekFormToken reads the form_token field of a posted form without consuming the body: the body is
// read (within the route's limit) and put back for the handler, which parses it as before. A body that
// cannot be read is put back with its error, so the handler answers it as it would have.
func peekFormToken(r *http.Request) string {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || r.Body == nil || (mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data") {
		return ""
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		return ""
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if mt == "application/x-www-form-urlencoded" {
		vs, _ := url.ParseQuery(string(body))
		return vs.Get("form_token")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if p.FormName() == "form_token" && p.FileName() == "" {
			b, _ := io.ReadAll(io.LimitReader(p, 64))
			return string(b)
		}
	}
}

// errReader fails every read with the error the body first gave.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
