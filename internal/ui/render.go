package ui

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/layout"
	"github.com/coventry-cap/capportal/web/pages"
)

// render writes a page with the status, rendering into a buffer first so a template error can still
// become a proper 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page prepares the layout for the request: navigation for the principal's roles and the flash.
func (s *Server) page(r *http.Request, title string) layout.Page {
	ctx := r.Context()
	lp := layout.Page{Title: title}
	// Both are taken, so neither lingers to a later page; a problem outranks a success.
	ok, problem := s.Sessions.PopString(ctx, sessFlash), s.Sessions.PopString(ctx, sessFlashError)
	switch {
	case problem != "":
		lp.Flash, lp.FlashError = problem, true
	case ok != "":
		lp.Flash = ok
	}
	p := auth.FromContext(ctx)
	if p == nil {
		return lp
	}
	lp.UserName = p.Name
	var labels []string
	for _, role := range p.Roles() {
		labels = append(labels, role.Label())
	}
	lp.UserRoles = strings.Join(labels, ", ")
	mustEnrol := s.mustEnrol(p)
	for _, n := range navigation {
		pol, ok := s.routes.Policy(http.MethodGet, n.Href)
		if !ok || !pol.Allows(p) || (mustEnrol && !enrolmentAllows(n.Href)) {
			continue
		}
		current := r.URL.Path == n.Href || (n.Href != "/" && strings.HasPrefix(r.URL.Path, n.Href+"/"))
		item := layout.NavItem{Text: n.Text, Href: n.Href, Current: current}
		if n.Href == "/notifications" {
			item.Note = unreadNote(p.Unread)
		}
		lp.Nav = append(lp.Nav, item)
	}
	return lp
}

// unreadNote is the navigation's "3 unread" beside Notifications, from the count read with the
// signed-in person.
func unreadNote(n int) string {
	switch {
	case n == 0:
		return ""
	case n > notify.UnreadCap:
		return strconv.Itoa(notify.UnreadCap) + "+ unread"
	}
	return strconv.Itoa(n) + " unread"
}

// flash shows a success message on the next page.
func (s *Server) flash(ctx context.Context, msg string) { s.Sessions.Put(ctx, sessFlash, msg) }

// flashError shows a problem on the next page.
func (s *Server) flashError(ctx context.Context, msg string) {
	s.Sessions.Put(ctx, sessFlashError, msg)
}

// renderError answers with the styled error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, heading string, paragraphs ...string) {
	lp := s.safePage(r, heading)
	v := pages.ErrorView{Status: status, Heading: heading, Paragraph: paragraphs, Links: []pages.Link{{Text: "Go to the home page", Href: "/"}}}
	s.render(w, r, status, pages.Error(lp, v))
}

// safePage builds the layout even when the session middleware has not run (asset and machine routes).
func (s *Server) safePage(r *http.Request, title string) (lp layout.Page) {
	defer func() {
		if recover() != nil {
			lp = layout.Page{Title: title}
		}
	}()
	return s.page(r, title)
}

// serverError answers a failure with the styled error page and the request ID as its reference, and
// logs the error once, on the request's access-log line (or on a line of its own outside observe).
// A database that cannot be reached is a 503, "the service is unavailable", which passes by itself
// when the database comes back; anything else is a 500. Internal text never reaches the user. It is
// also the session manager's ErrorFunc, for a session that cannot be loaded or saved.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	ref := RequestID(r.Context())
	sw, _ := r.Context().Value(statusWriterKey{}).(*statusWriter)
	switch {
	case sw == nil:
		s.Logger.LogAttrs(r.Context(), slog.LevelError, "server error", slog.String("request_id", ref), slog.String("error", err.Error()))
	case sw.err == nil:
		sw.err = err
	}
	status := http.StatusInternalServerError
	heading := "Sorry, there is a problem with the service"
	paragraphs := []string{"Try again later. Anything you had already saved is safe; if you were submitting a form, check whether it went through before you send it again."}
	if db.Unavailable(err) {
		status = http.StatusServiceUnavailable
		heading = "Sorry, the service is unavailable"
		paragraphs = []string{"You will be able to use the service later. Try again in a few minutes.",
			"Anything you had already saved is safe; if you were submitting a form, check whether it went through before you send it again."}
	}
	lp := layout.Page{Title: heading}
	v := pages.ErrorView{
		Status:    status,
		Heading:   heading,
		Paragraph: paragraphs,
		Reference: ref,
		Links:     []pages.Link{{Text: "Go to the home page", Href: "/"}},
	}
	var buf bytes.Buffer
	if rerr := pages.Error(lp, v).Render(r.Context(), &buf); rerr != nil {
		http.Error(w, heading+". Reference: "+ref, status)
		return
	}
	h := w.Header()
	// What the failed handler meant to send goes: a redirect's target, a download's name and length.
	for _, k := range []string{"Location", "Content-Disposition", "Content-Length"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	if sw != nil {
		// The page is the whole answer: the failed handler's own page, or a second error page when
		// saving the session fails as this one is written, is dropped.
		sw.sealed = true
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "Page not found",
		"If you typed the web address, check it is correct.",
		"If you pasted the web address, check you copied the entire address.",
		"If the page was a record, it may not exist or you may not have access to it.")
}

// methodNotAllowed answers a method the address does not take, with the Allow header listing the
// ones it does.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if allow := allowedMethods(r); allow != "" {
		w.Header().Set("Allow", allow)
	}
	s.renderError(w, r, http.StatusMethodNotAllowed, "This page cannot be used that way",
		"Go back to the page you came from and use its buttons and links.")
}

// allowedMethods lists the methods the router has a route for at the request's path, as the Allow
// header writes them.
func allowedMethods(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return ""
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		if rctx.Routes.Match(chi.NewRouteContext(), m, path) {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func slogString(k, v string) slog.Attr  { return slog.String(k, v) }
func slogInt(k string, v int) slog.Attr { return slog.Int(k, v) }
func slogDuration(k string, v time.Duration) slog.Attr {
	return slog.Float64(k+"_ms", float64(v.Microseconds())/1000)
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// parseForm reads a posted form, answering with a page that says what went wrong when it cannot:
// too large for the body limit, or not a form at all.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	if err == nil {
		if !readableValues(r.Form) {
			s.unreadableForm(w, r)
			return false
		}
		cleanForm(r)
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "What you sent is too large",
			"The form was larger than the portal accepts. Go back, shorten what you typed and try again.")
		return false
	}
	s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back, reload the page and try again.")
	return false
}

// unreadableForm refuses a form carrying text PostgreSQL cannot store (a NUL byte or bytes that are
// not UTF-8), which would otherwise fail deep in a query as a server error.
func (s *Server) unreadableForm(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusUnprocessableEntity, "Some of what you typed cannot be saved",
		"It contains unusual characters, often from text copied from another program. Go back, remove them or type the text again, and try again.")
}

// readableValues reports whether every name and value is UTF-8 without NUL bytes: text the
// database can store and the pages can show.
func readableValues(vs map[string][]string) bool {
	for k, list := range vs {
		if !readableText(k) {
			return false
		}
		for _, v := range list {
			if !readableText(v) {
				return false
			}
		}
	}
	return true
}

func readableText(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }

// failed answers a store's error: nothing for nil, the 404 page for a record that is not there (or
// that the person may not see), the 500 page for anything else. It reports whether it answered.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return true
}

// load reads the record the {param} of the address names: the 404 page for an ID that is not a
// positive number or a record not found, the 500 page for any other failure. ok is false when the
// response has been written.
func load[T any](s *Server, w http.ResponseWriter, r *http.Request, param string, get func(ctx context.Context, id int64) (T, error)) (T, bool) {
	var zero T
	id, ok := idParam(r, param)
	if !ok {
		s.notFound(w, r)
		return zero, false
	}
	v, err := get(r.Context(), id)
	if s.failed(w, r, err) {
		return zero, false
	}
	return v, true
}

// problemsOf are a domain's problems with what was typed, as the form's errors.
func problemsOf(ps input.Problems) components.Errors {
	var errs components.Errors
	for _, p := range ps {
		errs.Add(p.Field, p.Message)
	}
	return errs
}
