package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const auditPerPage = 50

func (s *Server) auditSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := pages.AuditView{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")), Subject: strings.TrimSpace(q.Get("subject")),
		FromDay: q.Get("from-day"), FromMon: q.Get("from-month"), FromYear: q.Get("from-year"),
		ToDay: q.Get("to-day"), ToMon: q.Get("to-month"), ToYear: q.Get("to-year"),
	}
	f := audit.Filter{Actor: v.Actor, Action: v.Action, Subject: v.Subject}
	// Safeguarding views and records are hidden from those who may not see every record (issue 13):
	// that someone looked is itself a sign that a record exists.
	p := auth.FromContext(r.Context())
	if !p.Has(auth.CAPDSL) {
		f.Hidden = append(f.Hidden, safeguarding.AuditPrefix)
	}
	if !safeguarding.ReadsLADO(p) {
		f.Hidden = append(f.Hidden, safeguarding.LADOAuditPrefix)
	}
	from, ok := parseDateParts(v.FromDay, v.FromMon, v.FromYear)
	if !ok {
		v.Errors.AddAt("from", "from-day", "Enter a real ‘from’ date, like 27 3 2026, or leave it empty")
	} else if !from.IsZero() {
		f.From = from.Time()
	}
	to, ok := parseDateParts(v.ToDay, v.ToMon, v.ToYear)
	if !ok {
		v.Errors.AddAt("to", "to-day", "Enter a real ‘to’ date, like 28 3 2026, or leave it empty")
	} else if !to.IsZero() {
		f.To = to.AddDays(1).Time()
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Errors.AddAt("to", "to-day", "The ‘to’ date must be the same as or after the ‘from’ date")
	}
	if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID = id
	}
	status := http.StatusOK
	if v.Errors.Any() {
		status = http.StatusUnprocessableEntity
	} else {
		entries, more, err := s.audit.Search(r.Context(), f, auditPerPage)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, e := range entries {
			subject := e.SubjectID
			if e.SubjectType != "" && subject != "" {
				subject = e.SubjectType + " " + subject
			}
			v.Rows = append(v.Rows, pages.AuditRow{When: components.FormatDateTime(e.At), Actor: e.ActorEmail, Action: e.Action, Subject: subject, Summary: e.Summary})
		}
		if len(entries) > 0 {
			keep := url.Values{}
			for k, vs := range q {
				if k != "before" {
					keep[k] = vs
				}
			}
			k := keyset{Path: "/admin/audit", Keep: keep, More: more}
			v.NextHref = k.nextOnly(len(entries), url.Values{"before": {itoa(entries[len(entries)-1].ID)}})
		}
	}
	lp := s.page(r, "Audit log")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.Audit(lp, v))
}
