package ui

import (
	"net/http"
	"slices"

	"github.com/a-h/templ"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// Safeguarding records (issue 13). Who may see what is decided in internal/safeguarding; here every
// page is behind sgRecords, which answers the ordinary 404 to anyone without the role (a record's
// address tells them nothing) and then asks for a fresh second-factor confirmation.

var (
	// safeguarders are the safeguarding roles: a school's DSL, a provider's DSL, the CAP team.
	safeguarders = auth.AnyOf(safeguarding.Safeguarders...)
	// ladoReaders is the CAP Service Lead, the only one who sees LADO reports.
	ladoReaders = auth.AnyOf(auth.ServiceLead)
	// sgListers open the safeguarding page: the safeguarding roles for their records, the Service
	// Lead for the way to the LADO reports.
	sgListers = auth.AnyOf(append(slices.Clone(safeguarding.Safeguarders), auth.ServiceLead)...)
)

// sgRecords guards a page that shows or changes safeguarding records: people the policy does not
// admit get the same 404 as for a record that does not exist; the rest must have confirmed a
// second-factor code in the last 15 minutes.
func (s *Server) sgRecords(p auth.Policy, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !p.Allows(auth.FromContext(r.Context())) {
			s.notFound(w, r)
			return
		}
		if !s.requireStepUp(w, r) {
			return
		}
		h(w, r)
	}
}

func sgActor(r *http.Request) safeguarding.Actor {
	return safeguarding.Actor{Principal: auth.FromContext(r.Context()), RequestID: RequestID(r.Context())}
}

// sgListPage is how many records the safeguarding page lists at a time.
const sgListPage = 50

// safeguardingList is the newest records the person may see and, for a provider's DSL, the learners
// placed with their provider.
func (s *Server) safeguardingList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	v := pages.SGListView{TeamHref: "/safeguarding/team", Records: [][]components.TableCell{}}
	if safeguarding.ReadsLADO(p) {
		v.LADOHref = "/safeguarding/lado"
	}
	if !safeguarding.IsSafeguarder(p) {
		// The Service Lead sees no safeguarding records: only the way to the LADO reports.
		v.Records = nil
		s.render(w, r, http.StatusOK, pages.SGList(s.page(r, "Safeguarding"), v))
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, more, err := s.safeguarding.Recent(ctx, sgActor(r), max(before, 0), sgListPage)
	if s.failed(w, r, err) {
		return
	}
	for _, l := range list {
		v.Records = append(v.Records, []components.TableCell{
			{HTML: linkTo(safeguarding.ChronologyPath(l.StudentID), l.StudentName), Header: true},
			{HTML: linkTo(safeguarding.RecordPath(l.ID), l.Kind.Label())},
			{Text: l.OrgName},
			{Text: components.FormatDate(l.RecordedAt)},
		})
	}
	if more && len(list) > 0 {
		v.More = "/safeguarding?before=" + itoa(list[len(list)-1].ID)
	}
	learners, err := s.safeguarding.Learners(ctx, sgActor(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, l := range learners {
		status := "Ended"
		if l.Active {
			status = "Active"
		}
		v.Learners = append(v.Learners, []components.TableCell{
			{HTML: linkTo(safeguarding.ChronologyPath(l.StudentID), l.Name), Header: true}, {Text: l.SchoolName}, {Text: status},
		})
	}
	s.render(w, r, http.StatusOK, pages.SGList(s.page(r, "Safeguarding"), v))
}

// safeguardingTeam is who the CAP safeguarding team are and how to reach them: no records.
func (s *Server) safeguardingTeam(w http.ResponseWriter, r *http.Request) {
	team, err := s.safeguarding.Team(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.SGTeamView{Phone: team.Phone}
	for _, m := range team.Members {
		v.Members = append(v.Members, pages.SGTeamMember{Name: m.Name, Email: m.Email})
	}
	if safeguarding.ReadsLADO(auth.FromContext(r.Context())) {
		v.LADOHref = "/safeguarding/lado"
	}
	s.render(w, r, http.StatusOK, pages.SGTeam(s.page(r, "CAP safeguarding team"), v))
}

// chronologyShow is a student's chronology: every record the person may see, each with what was
// added to it.
func (s *Server) chronologyShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	c, err := s.safeguarding.Chronology(r.Context(), sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	v := pages.SGChronologyView{Student: c.Student.Name, School: c.Student.SchoolName}
	if pol, ok := s.routes.Policy(http.MethodGet, "/students/{id}"); ok && pol.Allows(auth.FromContext(r.Context())) {
		v.StudentHref = "/students/" + itoa(id)
	}
	base := safeguarding.ChronologyPath(id) + "/new?kind="
	v.Raise = []pages.SGLink{
		{Href: base + string(safeguarding.Concern), Text: "Record a concern"},
		{Href: base + string(safeguarding.CETool), Text: "Complete the Child Exploitation Indicator Tool"},
		{Href: base + string(safeguarding.FIB), Text: "Record an FIB submission"},
	}
	for _, rec := range c.Records {
		v.Records = append(v.Records, recordView(rec))
	}
	s.render(w, r, http.StatusOK, pages.SGChronology(s.page(r, "Safeguarding chronology"), v))
}

// recordShow is one record on its own page (where an alert links).
func (s *Server) recordShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	st, rec, err := s.safeguarding.Record(r.Context(), sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	v := pages.SGRecordPageView{Student: st.Name + ", " + st.SchoolName, ChronologyHref: safeguarding.ChronologyPath(st.ID), Record: recordView(rec)}
	s.render(w, r, http.StatusOK, pages.SGRecordPage(s.page(r, rec.Kind.Label()), v))
}

// recordView is a record as shown, with the links to add to it and to correct each entry.
func recordView(rec safeguarding.Record) pages.SGRecordView {
	byID := map[int64]safeguarding.Entry{rec.ID: rec.Entry}
	for _, e := range rec.Added {
		byID[e.ID] = e
	}
	addBase := safeguarding.RecordPath(rec.ID) + "/add?kind="
	entry := func(e safeguarding.Entry) pages.SGEntryView {
		ev := pages.SGEntryView{ID: "entry-" + itoa(e.ID), Heading: e.Kind.Label(),
			Byline: "Recorded by " + e.AuthorName + ", " + e.OrgName + ", on " + components.FormatDateTime(e.RecordedAt),
			Rows:   entryRows(e.Kind, e.Body), Correct: addBase + string(safeguarding.Correction) + "&corrects=" + itoa(e.ID)}
		if e.Kind == safeguarding.Correction {
			if c, ok := byID[e.CorrectsID]; ok {
				ev.Heading = "Correction of the " + strings.ToLower(c.Kind.Label()) + " recorded on " + components.FormatDateTime(c.RecordedAt)
			}
			ev.Correct = ""
		}
		return ev
	}
	v := pages.SGRecordView{SGEntryView: entry(rec.Entry), Href: safeguarding.RecordPath(rec.ID)}
	var told []string
	for _, t := range rec.Told {
		told = append(told, t.OrgName+" ("+components.FormatDate(t.At)+")")
	}
	if len(told) > 0 {
		v.Told = "Providers whose DSLs may see this record: " + strings.Join(told, ", ")
	}
	for _, e := range rec.Added {
		v.Added = append(v.Added, entry(e))
	}
	for _, k := range safeguarding.Addable(rec.Kind) {
		if k == safeguarding.Correction {
			continue
		}
		v.Add = append(v.Add, pages.SGLink{Href: addBase + string(k), Text: addText[k]})
	}
	return v
}

// addText is the link to add each kind of entry to a record.
var addText = map[safeguarding.Kind]string{
	safeguarding.Update: "Add an action or update",
	safeguarding.MASH:   "Record a MASH referral",
	safeguarding.CPOMS:  "Add the CPOMS reference",
	safeguarding.Police: "Record police involvement",
}

// entryRows are what an entry records, in its form's order, leaving out what was not given.
func entryRows(k safeguarding.Kind, b safeguarding.Body) []components.SummaryRow {
	var rows []components.SummaryRow
	if k == safeguarding.CETool {
		for _, in := range b.Indicators {
			def := safeguarding.IndicatorByCode(in.Code)
			rows = append(rows, components.SummaryRow{Key: safeguarding.GroupOf(in.Code) + ": " + def.Text, Value: in.Evidence})
		}
	}
	for _, f := range sgFields[k] {
		var val string
		if f.Type == "date" {
			if d := *dateOf(&b, f.Name); !d.IsZero() {
				val = d.Format()
			}
		} else {
			val = *textOf(&b, f.Name)
		}
		if strings.TrimSpace(val) != "" {
			rows = append(rows, components.SummaryRow{Key: f.Key, Value: val})
		}
	}
	return rows
}

func linkTo(href, text string) templ.Component { return pages.SGLinkCell(href, text) }
