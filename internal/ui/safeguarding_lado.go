package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// LADO reports: the CAP Service Lead's only (sgRecords answers anyone else 404).

var ladoReportFields = []sgFieldSpec{
	{"textarea", "allegation", "The allegation", "Allegation", "What the adult is alleged to have done, as it was reported", 6},
	{"text", "person_role", "The role of the adult it concerns", "Their role", "For example, tutor, volunteer driver", 0},
	{"text", "person_org", "Their organisation", "Their organisation", "Where they work or volunteer", 0},
	{"text", "reported_by", "Who reported it", "Reported by", "Their name and organisation", 0},
	{"date", "received", "Date the report was received", "Received", "", 0},
	{"textarea", "initial_info", "Initial information gathered (optional)", "Initial information", "", 6},
}

func ladoEntryFields(k safeguarding.LADOKind) []sgFieldSpec {
	switch k {
	case safeguarding.LADOReferral:
		return []sgFieldSpec{
			{"textarea", "text", "What was referred to the LADO", "Referral", "", 5},
			{"date", "on", "Date of the referral", "Date", "", 0},
			{"text", "reference", "LADO reference (optional)", "Reference", "", 0},
		}
	case safeguarding.LADODecision:
		return []sgFieldSpec{
			{"textarea", "text", "The decision", "Decision", "", 4},
			{"textarea", "reason", "The reason for it", "Reason", "", 4},
		}
	case safeguarding.LADOCorrection:
		return []sgFieldSpec{
			{"textarea", "text", "The corrected information", "Corrected information", "Say which entry it corrects", 5},
			{"textarea", "reason", "Why it is being corrected", "Reason", "", 3},
		}
	}
	return []sgFieldSpec{{"textarea", "text", k.Label(), k.Label(), "", 5}}
}

func ladoText(b *safeguarding.LADOBody, name string) *string {
	switch name {
	case "allegation":
		return &b.Allegation
	case "person_role":
		return &b.PersonRole
	case "person_org":
		return &b.PersonOrg
	case "reported_by":
		return &b.ReportedBy
	case "initial_info":
		return &b.InitialInfo
	case "text":
		return &b.Text
	case "reference":
		return &b.Reference
	case "reason":
		return &b.Reason
	}
	panic("LADO form: no field " + name)
}

func ladoDate(b *safeguarding.LADOBody, name string) *calendar.Date {
	if name == "received" {
		return &b.ReceivedOn
	}
	return &b.On
}

func ladoRows(specs []sgFieldSpec, b safeguarding.LADOBody) []components.SummaryRow {
	var rows []components.SummaryRow
	for _, f := range specs {
		val := ""
		if f.Type == "date" {
			if d := *ladoDate(&b, f.Name); !d.IsZero() {
				val = d.Format()
			}
		} else {
			val = *ladoText(&b, f.Name)
		}
		if strings.TrimSpace(val) != "" {
			rows = append(rows, components.SummaryRow{Key: f.Key, Value: val})
		}
	}
	return rows
}

// ladoList is the Service Lead's LADO reports.
func (s *Server) ladoList(w http.ResponseWriter, r *http.Request) {
	list, err := s.safeguarding.LADOReports(r.Context(), sgActor(r))
	if s.failed(w, r, err) {
		return
	}
	var v pages.LADOListView
	for _, l := range list {
		v.Rows = append(v.Rows, []components.TableCell{
			{HTML: linkTo(safeguarding.LADOPath(l.ID), l.Body.ReceivedOn.Format()), Header: true},
			{Text: l.Body.PersonRole + ", " + l.Body.PersonOrg},
			{Text: "Recorded " + components.FormatDate(l.RecordedAt)},
		})
	}
	s.render(w, r, http.StatusOK, pages.LADOList(s.page(r, "LADO reports"), v))
}

// ladoShow is one LADO report with its entries.
func (s *Server) ladoShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	rep, err := s.safeguarding.LADOReportOf(r.Context(), sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	v := pages.LADOReportView{Heading: "LADO report received " + rep.Body.ReceivedOn.Format(), Rows: ladoRows(ladoReportFields, rep.Body)}
	v.Rows = append(v.Rows, components.SummaryRow{Key: "Recorded", Value: "By " + rep.AuthorName + " on " + components.FormatDateTime(rep.RecordedAt)})
	for _, e := range rep.Entries {
		v.Entries = append(v.Entries, pages.SGEntryView{ID: "entry-" + itoa(e.ID), Heading: e.Kind.Label(),
			Byline: "Recorded by " + e.AuthorName + " on " + components.FormatDateTime(e.RecordedAt), Rows: ladoRows(ladoEntryFields(e.Kind), e.Body)})
	}
	for _, k := range safeguarding.LADOKinds {
		v.Add = append(v.Add, pages.SGLink{Href: safeguarding.LADOPath(id) + "/add?kind=" + string(k), Text: "Add: " + strings.ToLower(k.Label())})
	}
	s.render(w, r, http.StatusOK, pages.LADOReport(s.page(r, "LADO report"), v))
}

// ladoNew is the form for a new LADO report.
func (s *Server) ladoNew(w http.ResponseWriter, r *http.Request) { s.ladoForm(w, r, false) }

// ladoCreate records the report, or shows the form again with what to fix (422).
func (s *Server) ladoCreate(w http.ResponseWriter, r *http.Request) { s.ladoForm(w, r, true) }

func (s *Server) ladoForm(w http.ResponseWriter, r *http.Request, post bool) {
	ctx := r.Context()
	v := pages.SGFormView{Caption: "LADO", Heading: "Record a LADO report", Action: "/safeguarding/lado/new", Back: "/safeguarding/lado",
		BackText: "Back to LADO reports", Submit: "Save the report",
		Intro: []string{"A report is made when an adult who works with children, paid or as a volunteer, is alleged to have abused their position of trust. Only the CAP Service Lead sees it."}}
	var f url.Values
	var b safeguarding.LADOBody
	ok := true
	if post {
		if !s.parseForm(w, r) {
			return
		}
		f = r.PostForm
		if v.Token, ok = s.formTokenOf(w, r); !ok {
			return
		}
	} else if v.Token, ok = s.freshFormToken(w, r); !ok {
		return
	}
	v.Fields = s.sgFormFields(ladoReportFields, f, &v.Errors, func(n string) *string { return ladoText(&b, n) }, func(n string) *calendar.Date { return ladoDate(&b, n) })
	if !post {
		s.render(w, r, http.StatusOK, pages.SGForm(s.page(r, v.Heading), v))
		return
	}
	if !v.Errors.Any() {
		id, _, err := s.safeguarding.ReportLADO(ctx, sgActor(r), b, v.Token)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addSGProblems(&v.Errors, ps)
		case s.failed(w, r, err):
			return
		default:
			s.flash(ctx, "LADO report saved")
			http.Redirect(w, r, safeguarding.LADOPath(id), http.StatusSeeOther)
			return
		}
	} else {
		addSGProblems(&v.Errors, b.ReportProblems(s.Clock.Now()))
	}
	s.renderLADOInvalid(w, r, v, ladoReportFields)
}

func (s *Server) renderLADOInvalid(w http.ResponseWriter, r *http.Request, v pages.SGFormView, specs []sgFieldSpec) {
	var order []string
	for _, sp := range specs {
		order = append(order, sp.Name)
	}
	v.Errors = dedupe(v.Errors).InOrder(order)
	v.Fields = withErrors(v.Fields, v.Errors)
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.SGForm(lp, v))
}

// ladoEntryNew is the form to add to a LADO report.
func (s *Server) ladoEntryNew(w http.ResponseWriter, r *http.Request) { s.ladoEntryForm(w, r, false) }

// ladoEntryCreate adds the entry, or shows the form again with what to fix (422).
func (s *Server) ladoEntryCreate(w http.ResponseWriter, r *http.Request) { s.ladoEntryForm(w, r, true) }

func (s *Server) ladoEntryForm(w http.ResponseWriter, r *http.Request, post bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	k := safeguarding.LADOKind(r.URL.Query().Get("kind"))
	valid := false
	for _, x := range safeguarding.LADOKinds {
		valid = valid || x == k
	}
	if !ok || !valid {
		s.notFound(w, r)
		return
	}
	if post && !s.parseForm(w, r) {
		return
	}
	rep, err := s.safeguarding.LADOReportOf(ctx, sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	specs := ladoEntryFields(k)
	v := pages.SGFormView{Caption: "LADO report received " + rep.Body.ReceivedOn.Format(), Heading: "Add to the LADO report: " + strings.ToLower(k.Label()),
		Action: safeguarding.LADOPath(id) + "/add?kind=" + string(k), Back: safeguarding.LADOPath(id), BackText: "Back to the report", Submit: "Save"}
	var f url.Values
	var b safeguarding.LADOBody
	if post {
		f = r.PostForm
		if v.Token, ok = s.formTokenOf(w, r); !ok {
			return
		}
	} else if v.Token, ok = s.freshFormToken(w, r); !ok {
		return
	}
	v.Fields = s.sgFormFields(specs, f, &v.Errors, func(n string) *string { return ladoText(&b, n) }, func(n string) *calendar.Date { return ladoDate(&b, n) })
	if !post {
		s.render(w, r, http.StatusOK, pages.SGForm(s.page(r, v.Heading), v))
		return
	}
	if !v.Errors.Any() {
		_, err := s.safeguarding.AddLADO(ctx, sgActor(r), id, k, b, v.Token)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addSGProblems(&v.Errors, ps)
		case s.failed(w, r, err):
			return
		default:
			s.flash(ctx, k.Label()+" added")
			http.Redirect(w, r, safeguarding.LADOPath(id), http.StatusSeeOther)
			return
		}
	} else {
		addSGProblems(&v.Errors, b.EntryProblems(k, s.Clock.Now()))
	}
	s.renderLADOInvalid(w, r, v, specs)
}
