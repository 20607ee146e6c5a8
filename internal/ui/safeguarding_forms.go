package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// sgFieldSpec is one field of a safeguarding form: how it is asked and how it is shown afterwards.
type sgFieldSpec struct {
	Type  string // "text", "textarea" or "date"
	Name  string
	Label string
	Key   string // its name in the record as shown
	Hint  string
	Rows  int
}

// sgFields are each kind's fields, in order: what good safeguarding records hold.
var sgFields = map[safeguarding.Kind][]sgFieldSpec{
	safeguarding.Concern: {
		{"textarea", "summary", "Summary of the concern", "Summary", "A clear account of what happened or was seen, heard or disclosed", 6},
		{"date", "happened", "When it happened or was disclosed", "When", "", 0},
		{"text", "time", "Time (optional)", "Time", "For example, 2:30pm", 0},
		{"text", "where", "Where it happened", "Where", "", 0},
		{"text", "raised_by", "Who raised the concern", "Raised by", "Their name and role", 0},
		{"textarea", "others", "Who else was involved (optional)", "Others involved", "Other children or adults, and how", 3},
		{"textarea", "child_words", "The child’s words (optional)", "The child’s words", "What the child said, in their own words, where they gave any", 4},
		{"textarea", "immediate_action", "Immediate action taken", "Immediate action", "", 4},
		{"textarea", "decisions", "Decisions and the reasons for them (optional)", "Decisions and reasons", "", 4},
		{"textarea", "who_told", "Who was told, and when (optional)", "Who was told", "For example, the school’s DSL by phone at 3pm, the parent or carer", 3},
		{"textarea", "outcome", "Outcome (optional)", "Outcome", "If it is not known yet, add it later as an update", 3},
	},
	safeguarding.Update: {
		{"textarea", "text", "Action taken or update", "Action or update", "", 5},
		{"textarea", "decisions", "Decisions and the reasons for them (optional)", "Decisions and reasons", "", 4},
		{"textarea", "outcome", "Outcome (optional)", "Outcome", "", 3},
	},
	safeguarding.MASH: {
		{"text", "made_by", "Who made the referral", "Made by", "Their name and organisation", 0},
		{"date", "made", "Date of the referral", "Date", "", 0},
		{"text", "reference", "MASH reference (optional)", "Reference", "", 0},
		{"textarea", "outcome", "Outcome (optional)", "Outcome", "If it is not known yet, add it later as an update", 3},
	},
	safeguarding.CPOMS: {
		{"text", "reference", "CPOMS reference", "CPOMS reference", "When the concern is also recorded on CPOMS", 0},
	},
	safeguarding.Police: {
		{"textarea", "text", "How the police are involved", "Involvement", "", 4},
		{"text", "made_by", "Force or officer (optional)", "Force or officer", "", 0},
		{"text", "reference", "Crime or incident reference (optional)", "Reference", "", 0},
	},
	safeguarding.Correction: {
		{"textarea", "text", "The corrected information", "Corrected information", "", 5},
		{"textarea", "reason", "Why it is being corrected", "Reason", "", 3},
	},
	safeguarding.FIB: {
		{"text", "made_by", "Who sent the FIB form", "Sent by", "Their name and organisation", 0},
		{"date", "made", "Date it was sent to West Midlands Police", "Sent on", "", 0},
	},
	safeguarding.CETool: {
		{"textarea", "text", "Summary (optional)", "Summary", "Anything else about the concerns of exploitation", 4},
	},
}

func textOf(b *safeguarding.Body, name string) *string {
	switch name {
	case "summary":
		return &b.Summary
	case "time":
		return &b.HappenedAt
	case "where":
		return &b.Where
	case "raised_by":
		return &b.RaisedBy
	case "others":
		return &b.Others
	case "child_words":
		return &b.ChildWords
	case "immediate_action":
		return &b.ImmediateAction
	case "decisions":
		return &b.Decisions
	case "who_told":
		return &b.WhoTold
	case "outcome":
		return &b.Outcome
	case "text":
		return &b.Text
	case "made_by":
		return &b.MadeBy
	case "reference":
		return &b.Reference
	case "reason":
		return &b.Reason
	}
	panic("safeguarding form: no field " + name)
}

func dateOf(b *safeguarding.Body, name string) *calendar.Date {
	if name == "happened" {
		return &b.HappenedOn
	}
	return &b.MadeOn
}

// sgFormFields reads the kind's fields from the form into the body, adding date errors to errs, and
// returns them as the form shows them (with what was typed).
func (s *Server) sgFormFields(specs []sgFieldSpec, f url.Values, errs *components.Errors, text func(string) *string, date func(string) *calendar.Date) []pages.SGField {
	var out []pages.SGField
	for _, sp := range specs {
		fv := pages.SGField{Type: sp.Type, Name: sp.Name, Label: sp.Label, Hint: sp.Hint, Rows: sp.Rows}
		if sp.Type == "date" {
			if f != nil {
				var d calendar.Date
				d, fv.Day, fv.Month, fv.Year, fv.Parts = formDate(errs, f, sp.Name, sp.Label)
				*date(sp.Name) = d
			}
			if fv.Hint == "" {
				fv.Hint = exampleDateHint(calendar.DateOf(s.Clock.Now()))
			}
		} else if f != nil {
			fv.Value = f.Get(sp.Name)
			*text(sp.Name) = fv.Value
		}
		out = append(out, fv)
	}
	return out
}

// withErrors puts each field's message beside it.
func withErrors(fields []pages.SGField, errs components.Errors) []pages.SGField {
	for i := range fields {
		fields[i].Error = errs.For(fields[i].Name)
	}
	return fields
}

func sgKind(r *http.Request) safeguarding.Kind { return safeguarding.Kind(r.URL.Query().Get("kind")) }

// indicatorGroups is the CE tool as the form shows it, with what was typed.
func indicatorGroups(f url.Values, b *safeguarding.Body, errs components.Errors) []pages.SGIndicatorGroupView {
	checked := map[string]bool{}
	if f != nil {
		for _, c := range f["indicator"] {
			checked[c] = true
		}
	}
	var out []pages.SGIndicatorGroupView
	for _, g := range safeguarding.IndicatorGroups {
		gv := pages.SGIndicatorGroupView{Title: g.Title}
		for _, in := range g.Indicators {
			ev := ""
			if f != nil {
				ev = f.Get("evidence-" + in.Code)
			}
			if b != nil && (checked[in.Code] || strings.TrimSpace(ev) != "") {
				b.Indicators = append(b.Indicators, safeguarding.Indicator{Code: in.Code, Evidence: ev})
			}
			gv.Indicators = append(gv.Indicators, pages.SGIndicatorView{Code: in.Code, Text: in.Text, Checked: checked[in.Code],
				Evidence: ev, Error: errs.For("evidence-" + in.Code)})
		}
		out = append(out, gv)
	}
	return out
}

var sgIntro = map[safeguarding.Kind][]string{
	safeguarding.Concern: {"Record the concern as soon as you can, in the words of those involved. Saving it alerts the student’s school DSLs, the CAP safeguarding team and the DSL of the provider they are placed with, without any details.",
		"Record it on CPOMS too, and add the CPOMS reference to the concern."},
	safeguarding.CETool: {"Complete the tool whenever you have concerns that a young person is being exploited. Select each indicator you have seen and give the evidence for it."},
	safeguarding.FIB:    {"Record who sent the Force Intelligence Bureau form to West Midlands Police, and when. Do not record the intelligence itself here: it goes on the form only."},
}

var sgHeading = map[safeguarding.Kind]string{
	safeguarding.Concern:    "Record a safeguarding concern",
	safeguarding.CETool:     "Child Exploitation Indicator Tool",
	safeguarding.FIB:        "Record a Force Intelligence Bureau submission",
	safeguarding.Update:     "Add an action or update",
	safeguarding.MASH:       "Record a MASH referral",
	safeguarding.CPOMS:      "Add the CPOMS reference",
	safeguarding.Police:     "Record police involvement",
	safeguarding.Correction: "Correct an entry",
}

// recordNew is the form for a new record (a concern, the CE tool, an FIB submission) on a student.
func (s *Server) recordNew(w http.ResponseWriter, r *http.Request) { s.recordForm(w, r, false) }

// recordCreate saves the new record, or shows the form again with what to fix (422).
func (s *Server) recordCreate(w http.ResponseWriter, r *http.Request) { s.recordForm(w, r, true) }

func (s *Server) recordForm(w http.ResponseWriter, r *http.Request, post bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	kind := sgKind(r)
	if !ok || !kind.IsRecord() {
		s.notFound(w, r)
		return
	}
	if post && !s.parseForm(w, r) {
		return
	}
	// Reading the chronology checks the person may record on this student, and audits it: the form
	// names the student.
	c, err := s.safeguarding.Chronology(ctx, sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	action := safeguarding.ChronologyPath(id) + "/new?kind=" + string(kind)
	v := pages.SGFormView{Caption: c.Student.Name + ", " + c.Student.SchoolName, Heading: sgHeading[kind], Intro: sgIntro[kind],
		Action: action, Back: safeguarding.ChronologyPath(id), BackText: "Back to the chronology", Submit: "Save"}
	var f url.Values
	var b safeguarding.Body
	if post {
		f = r.PostForm
		if v.Token, ok = s.formTokenOf(w, r); !ok {
			return
		}
	} else if v.Token, ok = s.freshFormToken(w, r); !ok {
		return
	}
	v.Fields = s.sgFormFields(sgFields[kind], f, &v.Errors, func(n string) *string { return textOf(&b, n) }, func(n string) *calendar.Date { return dateOf(&b, n) })
	if !post {
		if kind == safeguarding.CETool {
			v.Groups = indicatorGroups(nil, nil, nil)
		}
		s.render(w, r, http.StatusOK, pages.SGForm(s.page(r, v.Heading), v))
		return
	}
	if kind == safeguarding.CETool {
		indicatorGroups(f, &b, nil)
	}
	if !v.Errors.Any() {
		recID, created, err := s.safeguarding.Raise(ctx, sgActor(r), id, kind, b, v.Token)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addSGProblems(&v.Errors, ps)
		case errors.Is(err, safeguarding.ErrNotAllowed):
			s.renderError(w, r, http.StatusConflict, "This form was already used", "Go back to the chronology and open the form again.")
			return
		case s.failed(w, r, err):
			return
		default:
			msg := kind.Label() + " saved"
			if !created {
				msg = "This was already saved"
			}
			s.flash(ctx, msg)
			http.Redirect(w, r, safeguarding.RecordPath(recID), http.StatusSeeOther)
			return
		}
	} else {
		addSGProblems(&v.Errors, b.Problems(kind, s.Clock.Now()))
	}
	s.renderInvalid(w, r, v, kind, f)
}

func (s *Server) renderInvalid(w http.ResponseWriter, r *http.Request, v pages.SGFormView, kind safeguarding.Kind, f url.Values) {
	var order []string
	for _, sp := range sgFields[kind] {
		order = append(order, sp.Name)
	}
	if kind == safeguarding.CETool {
		order = append([]string{"indicators"}, order...)
		for _, g := range safeguarding.IndicatorGroups {
			for _, in := range g.Indicators {
				order = append(order, "evidence-"+in.Code)
			}
		}
	}
	v.Errors = dedupe(v.Errors).InOrder(order)
	v.Fields = withErrors(v.Fields, v.Errors)
	if kind == safeguarding.CETool {
		v.Groups = indicatorGroups(f, nil, v.Errors)
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.SGForm(lp, v))
}

// dedupe keeps the first message of each field (a date's own message and the store's).
func dedupe(errs components.Errors) components.Errors {
	seen := map[string]bool{}
	var out components.Errors
	for _, e := range errs {
		if seen[e.Field] {
			continue
		}
		seen[e.Field] = true
		out = append(out, e)
	}
	return out
}

// entryNew is the form to add to a record: an action or update, a MASH referral, the CPOMS
// reference, police involvement, or a correction of one of its entries.
func (s *Server) entryNew(w http.ResponseWriter, r *http.Request) { s.entryForm(w, r, false) }

// entryCreate adds the entry, or shows the form again with what to fix (422).
func (s *Server) entryCreate(w http.ResponseWriter, r *http.Request) { s.entryForm(w, r, true) }

func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, post bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	kind := sgKind(r)
	if !ok || !kind.Valid() || kind.IsRecord() {
		s.notFound(w, r)
		return
	}
	corrects, _ := strconv.ParseInt(r.URL.Query().Get("corrects"), 10, 64)
	if post && !s.parseForm(w, r) {
		return
	}
	st, rec, err := s.safeguarding.Record(ctx, sgActor(r), id)
	if s.failed(w, r, err) {
		return
	}
	addable := false
	for _, k := range safeguarding.Addable(rec.Kind) {
		addable = addable || k == kind
	}
	if !addable {
		s.notFound(w, r)
		return
	}
	action := safeguarding.RecordPath(id) + "/add?kind=" + string(kind)
	v := pages.SGFormView{Caption: st.Name + ", " + st.SchoolName, Heading: sgHeading[kind], Action: action,
		Back: safeguarding.RecordPath(id), BackText: "Back to the record", Submit: "Save"}
	if kind == safeguarding.Correction {
		var target *safeguarding.Entry
		if corrects == rec.ID {
			target = &rec.Entry
		}
		for i := range rec.Added {
			if rec.Added[i].ID == corrects && rec.Added[i].Kind != safeguarding.Correction {
				target = &rec.Added[i]
			}
		}
		if target == nil {
			s.notFound(w, r)
			return
		}
		v.Action += "&corrects=" + itoa(corrects)
		v.Intro = []string{"The entry stays as it was written. Your correction is added beside it, with the reason, so everyone reading the chronology sees both."}
		v.Quote = append([]components.SummaryRow{{Key: target.Kind.Label(), Value: "Recorded by " + target.AuthorName + " on " + components.FormatDateTime(target.RecordedAt)}},
			entryRows(target.Kind, target.Body)...)
	}
	var f url.Values
	var b safeguarding.Body
	if post {
		f = r.PostForm
		if v.Token, ok = s.formTokenOf(w, r); !ok {
			return
		}
	} else if v.Token, ok = s.freshFormToken(w, r); !ok {
		return
	}
	v.Fields = s.sgFormFields(sgFields[kind], f, &v.Errors, func(n string) *string { return textOf(&b, n) }, func(n string) *calendar.Date { return dateOf(&b, n) })
	if !post {
		s.render(w, r, http.StatusOK, pages.SGForm(s.page(r, v.Heading), v))
		return
	}
	if !v.Errors.Any() {
		created, err := s.safeguarding.Add(ctx, sgActor(r), id, kind, corrects, b, v.Token)
		var ps input.Problems
		switch {
		case errors.As(err, &ps):
			addSGProblems(&v.Errors, ps)
		case errors.Is(err, safeguarding.ErrNotAllowed), errors.Is(err, db.ErrNotFound):
			s.notFound(w, r)
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			msg := kind.Label() + " added"
			if !created {
				msg = "This was already added"
			}
			s.flash(ctx, msg)
			http.Redirect(w, r, safeguarding.RecordPath(id), http.StatusSeeOther)
			return
		}
	} else {
		addSGProblems(&v.Errors, b.Problems(kind, s.Clock.Now()))
	}
	s.renderInvalid(w, r, v, kind, f)
}

// addSGProblems adds the store's problems beside their fields; a date's links to its day.
func addSGProblems(errs *components.Errors, ps input.Problems) {
	for _, p := range ps {
		switch p.Field {
		case "happened", "made", "received", "on":
			errs.AddAt(p.Field, p.Field+"-day", p.Message)
		default:
			errs.Add(p.Field, p.Message)
		}
	}
}
