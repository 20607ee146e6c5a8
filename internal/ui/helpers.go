package ui

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/users"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// idParam reads a numeric route parameter; ok is false when it is not a positive number.
func idParam(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	return id, err == nil && id > 0
}

// actor is the principal as the author of a change.
func actor(r *http.Request) users.Actor {
	p := auth.FromContext(r.Context())
	a := users.Actor{RequestID: RequestID(r.Context())}
	if p != nil {
		a.UserID, a.Email = &p.UserID, p.Email
	}
	return a
}
