package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// A section of the application is a form built from its definition in internal/referral: every
// question's type decides its input. Whatever is posted is saved first, so nothing typed is lost,
// then checked.

// applicationSection finds the section named in the URL; the documents section has its own page.
func applicationSection(r *http.Request, kind directory.Kind) (referral.Section, bool) {
	sec, ok := referral.SectionByID(kind, chi.URLParam(r, "section"))
	return sec, ok && sec.ID != referral.SectionDocuments
}

func (s *Server) referralSectionShow(w http.ResponseWriter, r *http.Request) {
	// Every kind has the same sections, so an unknown one is refused before the referral is looked at.
	if _, ok := applicationSection(r, ""); !ok {
		if chi.URLParam(r, "section") == referral.SectionDocuments {
			http.Redirect(w, r, "/referrals/"+chi.URLParam(r, "ref")+"/documents", http.StatusSeeOther)
			return
		}
		s.notFound(w, r)
		return
	}
	ref, ok := s.viewApplication(w, r, "application section")
	if !ok {
		return
	}
	sec, _ := applicationSection(r, ref.Kind)
	s.renderApplicationSection(w, r, http.StatusOK, ref, sec, ref.Answers, nil)
}

func (s *Server) renderApplicationSection(w http.ResponseWriter, r *http.Request, status int, ref referral.Referral,
	sec referral.Section, answers referral.Answers, problems []referral.FieldError) {
	errs := sectionErrors(sec, answers, problems)
	v := pages.ApplicationSectionView{
		Caption: applicationCaption(ref), Heading: sec.Title, Intro: sec.Intro,
		Action: ref.URL() + "/sections/" + sec.ID, BackHref: applicationURL(ref),
		Fields: sectionFields(sec, answers, ref.Record, "/students/"+itoa(ref.StudentID)+"/edit", errs), Errors: errs, Saved: len(problems) > 0,
	}
	lp := s.page(r, sec.Title)
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.ApplicationSection(lp, v))
}

// sectionErrors turns the section's problems into the form's, each linked to its input.
func sectionErrors(sec referral.Section, answers referral.Answers, problems []referral.FieldError) components.Errors {
	var errs components.Errors
	for _, p := range problems {
		f, _ := sectionField(sec, p.Field)
		if f.Type == referral.DateOf {
			msg, parts := dateProblem(f, answers[f.Name], p.Message)
			anchor := f.Name + "-day"
			if len(parts) > 0 {
				anchor = f.Name + "-" + parts[0]
			}
			errs.AddAt(p.Field, anchor, msg)
			continue
		}
		errs.Add(p.Field, p.Message)
	}
	return errs
}

func sectionField(sec referral.Section, name string) (referral.Field, bool) {
	for _, f := range sec.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return referral.Field{}, false
}

// sectionFields lays out the section's questions for the form; a question asked only after a yes/no
// answer is revealed under that answer.
func sectionFields(sec referral.Section, answers referral.Answers, rec referral.Record, studentHref string, errs components.Errors) []pages.ApplicationField {
	var out []pages.ApplicationField
	index := map[string]int{}
	for _, f := range sec.Fields {
		pf := pages.ApplicationField{Name: f.Name, Label: f.Label, Hint: f.Hint, Type: string(f.Type),
			Value: answers[f.Name], Error: errs.For(f.Name), MaxLength: referral.MaxAnswer}
		switch f.Type {
		case referral.FromRecord:
			pf.Record, pf.StudentHref = recordText(f.Record, rec), studentHref
		case referral.Parental:
			pf.Choices, pf.StudentHref = rec.Parental, studentHref
		}
		if c := f.RequiredIf; c != nil {
			if cond, ok := sectionField(sec, c.Name); ok && cond.Type == referral.FromRecord && answers[c.Name] != c.Value {
				continue // the record says it does not apply (no EHCP, no professionals)
			}
		}
		if f.Type == referral.DateOf {
			pf.Year, pf.Month, pf.Day = dateParts(answers[f.Name])
			if pf.Error != "" {
				_, pf.DateErrorParts = dateProblem(f, answers[f.Name], pf.Error)
			}
		}
		if c := f.RequiredIf; c != nil {
			if i, ok := index[c.Name]; ok && out[i].Type == string(referral.YesNo) && (out[i].RevealOn == "" || out[i].RevealOn == c.Value) {
				out[i].Reveal = append(out[i].Reveal, pf)
				out[i].RevealOn = c.Value
				continue
			}
		}
		index[f.Name] = len(out)
		out = append(out, pf)
	}
	return out
}

// readSection reads a section's answers from the form exactly as typed (a textarea's line breaks are
// kept as \n). A date is stored as 2006-01-02 when it is a real date, and as its parts otherwise, so
// the form can show what was typed again.
func readSection(sec referral.Section, f url.Values) referral.Answers {
	a := referral.Answers{}
	for _, fd := range sec.Fields {
		switch fd.Type {
		case referral.FromRecord:
			continue // not asked: the record says it
		case referral.DateOf:
			a[fd.Name] = dateAnswer(f.Get(fd.Name+"-day"), f.Get(fd.Name+"-month"), f.Get(fd.Name+"-year"))
		case referral.Confirm:
			a[fd.Name] = ""
			if f.Get(fd.Name) == "yes" {
				a[fd.Name] = "yes"
			}
		case referral.YesNo:
			a[fd.Name] = strings.TrimSpace(f.Get(fd.Name))
		default:
			a[fd.Name] = strings.ReplaceAll(f.Get(fd.Name), "\r\n", "\n")
		}
	}
	return a
}

// dateAnswer stores a date input: "" when empty, 2006-01-02 for a real date, otherwise the parts as
// typed (year-month-day), which never pass as a date.
func dateAnswer(day, month, year string) string {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return ""
	}
	if d, ok := parseDateParts(day, month, year); ok && len(year) == 4 {
		return d.String()
	}
	return year + "-" + month + "-" + day
}

// dateParts splits a stored date answer into the parts the date input shows.
func dateParts(v string) (year, month, day string) {
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day())
	}
	parts := strings.SplitN(v, "-", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

// dateProblem words a date's problem the GOV.UK way, naming the missing parts, and says which parts
// are wrong.
func dateProblem(f referral.Field, v, msg string) (string, []string) {
	if v == "" {
		return msg, nil
	}
	year, month, day := dateParts(v)
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch {
	case len(missing) == 2:
		return f.Short + " must include a " + missing[0] + " and " + missing[1], missing
	case len(missing) == 1:
		return f.Short + " must include a " + missing[0], missing
	case len(year) != 4:
		return "Year must include 4 numbers", []string{"year"}
	}
	return msg, nil
}

func (s *Server) referralSectionSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if _, ok := applicationSection(r, ""); !ok {
		s.notFound(w, r)
		return
	}
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	sec, _ := applicationSection(r, ref.Kind)
	if !s.parseForm(w, r) {
		return
	}
	answers := readSection(sec, r.PostForm)
	if err := s.referrals.SaveAnswers(ctx, referralActor(r), ref, answers, nil); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	if r.PostForm.Get("action") == "later" {
		s.flash(ctx, "Your answers to ‘"+sec.Title+"’ have been saved. You can come back to them at any time.")
		http.Redirect(w, r, applicationURL(ref), http.StatusSeeOther)
		return
	}
	// The answers as saved, with what the student's record says (an EHCP, the professionals).
	merged := referral.Answers{}
	for k, v := range ref.Answers {
		merged[k] = v
	}
	for k, v := range answers {
		merged[k] = v
	}
	if problems := ref.SectionProblems(sec, merged, calendar.Today(s.Clock)); len(problems) > 0 {
		s.renderApplicationSection(w, r, http.StatusUnprocessableEntity, ref, sec, merged, problems)
		return
	}
	s.flash(ctx, "‘"+sec.Title+"’ is complete")
	http.Redirect(w, r, applicationURL(ref), http.StatusSeeOther)
}

// recordText is what the student's record says for a fact the application takes from it.
func recordText(fact string, rec referral.Record) []string {
	switch fact {
	case referral.FactEHCP:
		if rec.EHCP {
			return []string{"The student’s record says they have an EHCP."}
		}
		return []string{"The student’s record does not show an EHCP."}
	case referral.FactProfessionals:
		if len(rec.Professionals) == 0 {
			return []string{"No professionals are recorded for the student."}
		}
		return rec.Professionals
	}
	return nil
}
