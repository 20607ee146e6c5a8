package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const notificationsPerPage = 25

// Marking notifications read is not audited: it is the reader's own inbox state, changes nothing
// anyone else sees, and would otherwise fill the audit log with page visits.

// notificationList shows the signed-in person's notifications, newest first, in pages going back.
func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	var before int64
	if id, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && id > 0 {
		before = id
	}
	list, more, err := s.notifications.List(ctx, p.UserID, before, notificationsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// "Mark all as read" shows whenever anything is unread, on older pages too (the count read with
	// the person at the start of this request).
	v := pages.NotificationsView{Unread: p.Unread}
	for _, n := range list {
		v.Items = append(v.Items, pages.NotificationItem{
			ID: n.ID, Subject: n.Subject, Body: n.Body, Link: safeNext(n.Link),
			Received: components.FormatDateTime(n.CreatedAt), Unread: n.Unread(),
		})
	}
	if len(list) > 0 {
		k := keyset{Path: "/notifications", More: more}
		v.NextHref = k.nextOnly(len(list), url.Values{"before": {itoa(list[len(list)-1].ID)}})
	}
	if before > 0 {
		v.PrevHref = "/notifications"
	}
	s.render(w, r, http.StatusOK, pages.Notifications(s.page(r, "Notifications"), v))
}

// notificationRead marks one of the person's notifications read and follows its link. Someone
// else's notification is "not found", so IDs reveal nothing.
func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	n, err := s.notifications.MarkRead(ctx, p.UserID, id, s.Clock.Now())
	if s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, safeNext(n.Link), http.StatusSeeOther)
}

// notificationReadAll marks every notification of the person read.
func (s *Server) notificationReadAll(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	if _, err := s.notifications.MarkAllRead(ctx, p.UserID, s.Clock.Now()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "All your notifications are marked as read")
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
