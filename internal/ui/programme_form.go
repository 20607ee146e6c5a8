package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// maxFormRows bounds the repeated rows (referral periods, sites) a form may send.
const maxFormRows = 20

// programmeForm is the programme form as typed: the strings to show again, and what they mean.
type programmeForm struct {
	v         pages.ProgrammeFormView
	provider  string
	days      []string
	years     []string
	feeBasis  string
	in        directory.ProgrammeInput
	rowPrefix []string // the form prefix of each window in in.Windows
	errs      components.Errors
}

func (s *Server) programmeNew(w http.ResponseWriter, r *http.Request) {
	f := programmeForm{provider: r.URL.Query().Get("provider")}
	f.v.Windows = []pages.WindowFormRow{{Prefix: "window-1"}}
	s.renderProgrammeForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) programmeEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.editableProgramme(w, r)
	if !ok {
		return
	}
	f := programmeForm{}
	if p.ProviderID != 0 {
		f.provider = itoa(p.ProviderID)
	}
	f.v.Kind, f.v.Name, f.v.Category = string(p.Kind), p.Name, p.Category
	f.v.Description, f.v.Qualifications, f.v.Duration = p.Description, p.Qualifications, p.Duration
	if p.DurationWeeks != 0 {
		f.v.DurationWeeks = strconv.Itoa(p.DurationWeeks)
	}
	f.v.DaysPerWeek = strconv.Itoa(p.DaysPerWeek)
	for _, d := range p.Days {
		f.days = append(f.days, strconv.Itoa(int(d)))
	}
	for _, y := range p.YearGroups {
		f.years = append(f.years, strconv.Itoa(y))
	}
	if p.FeePence != nil {
		f.v.Fee, f.feeBasis = dirPoundsValue(*p.FeePence), p.FeeBasis
	}
	if p.CapacityPerCohort != 0 {
		f.v.Capacity = strconv.Itoa(p.CapacityPerCohort)
	}
	for i, win := range p.Windows {
		f.v.Windows = append(f.v.Windows, pages.WindowFormRow{
			Prefix: "window-" + strconv.Itoa(i+1), ID: itoa(win.ID), Existing: true, Draft: win.Draft,
			OpensDay: strconv.Itoa(win.Opens.Day), OpensMonth: strconv.Itoa(int(win.Opens.Month)), OpensYear: strconv.Itoa(win.Opens.Year),
			ClosesDay: strconv.Itoa(win.Closes.Day), ClosesMonth: strconv.Itoa(int(win.Closes.Month)), ClosesYear: strconv.Itoa(win.Closes.Year),
			Label: win.Label,
			// The chosen year; renderProgrammeForm lists the others around it.
			YearOptions: []components.Option{{Value: win.AcademicYear}},
		})
	}
	f.v.Windows = append(f.v.Windows, pages.WindowFormRow{Prefix: "window-" + strconv.Itoa(len(p.Windows)+1)})
	s.renderProgrammeForm(w, r, http.StatusOK, p.ID, f)
}

// editableProgramme loads the programme named in the route, answering 404 when there is none and a
// page saying why when it is retired.
func (s *Server) editableProgramme(w http.ResponseWriter, r *http.Request) (directory.Programme, bool) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return directory.Programme{}, false
	}
	p, err := s.directory.GetProgramme(r.Context(), id)
	if s.failed(w, r, err) {
		return p, false
	}
	if !p.Active {
		s.refusedRetiredProgramme(w, r, p.ID)
		return p, false
	}
	return p, true
}

func (s *Server) refusedRetiredProgramme(w http.ResponseWriter, r *http.Request, id int64) {
	s.dirRefused(w, r, http.StatusConflict, "This programme has been retired",
		pages.Link{Text: "Go back to the programme", Href: programmeHref(id)},
		"A retired programme cannot be changed, so that referrals to it still show what they were for.",
		"If it is running again, add it to the directory as a new programme.")
}

// renderProgrammeForm shows the form for a new programme (id 0) or a change to one.
func (s *Server) renderProgrammeForm(w http.ResponseWriter, r *http.Request, status int, id int64, f programmeForm) {
	ctx := r.Context()
	providers, err := s.directory.ListProviders(ctx, false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	years, err := s.directory.AcademicYearCodes(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := f.v
	if id == 0 {
		v.Title, v.Submit, v.Action, v.BackHref = "Add a programme", "Add programme", "/admin/programmes", "/directory"
	} else {
		v.Title, v.Caption, v.Submit, v.Action, v.BackHref = "Change programme", v.Name, "Save changes", "/admin/programmes/"+itoa(id), programmeHref(id)
		if f.errs.Has("name") {
			v.Caption = "" // the name typed is wrong; the heading should not repeat it
		}
	}
	for _, k := range directory.Kinds {
		v.KindItems = append(v.KindItems, components.Choice{Value: string(k), Label: k.Label(), Hint: kindHint(k), Checked: v.Kind == string(k)})
	}
	v.ProviderOptions = directoryProviderOptions(providers, f.provider, "No provider (Supported Transfer only)")
	v.CategoryOptions = directoryCategoryOptions(v.Category, "No category")
	v.DayItems = directoryDayChoices(f.days)
	v.YearItems = directoryYearChoices(f.years)
	for _, b := range []struct{ value, label string }{{directory.PerDay, "A day"}, {directory.PerWeek, "A week"}, {directory.PerCourse, "The whole programme"}} {
		v.FeeBasisItems = append(v.FeeBasisItems, components.Choice{Value: b.value, Label: b.label, Checked: f.feeBasis == b.value})
	}
	for i := range v.Windows {
		row := &v.Windows[i]
		chosen := ""
		if len(row.YearOptions) == 1 {
			chosen = row.YearOptions[0].Value
		}
		row.YearOptions = []components.Option{{Value: "", Label: "Choose a year", Selected: chosen == ""}}
		for _, y := range years {
			row.YearOptions = append(row.YearOptions, components.Option{Value: y, Label: y, Selected: chosen == y})
		}
	}
	lp := s.page(r, v.Title)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.ProgrammeForm(lp, v))
}

// kindHint says what each kind of programme is, from the welcome pack.
func kindHint(k directory.Kind) string {
	switch k {
	case directory.Course:
		return "Tier 1 Universal Offer: referrals at any time"
	case directory.Year11Post16:
		return "Tier 1, Year 11 only, up to 2 days a week, approved providers"
	case directory.Insight:
		return "Tier 2: 6 to 12 weeks, one day a week, processed like Tier 1"
	case directory.Flourish:
		return "Tier 2: 12 weeks, two days a week, decided by the panel"
	case directory.SupportedTransfer:
		return "Tier 3: a transfer to another school, decided by the panels"
	case directory.Refocus:
		return "Tier 3: 10-week cohorts at Coventry AP Academy, decided by the panels"
	case directory.Focus11:
		return "Tier 3: Year 11, 10 weeks at Coventry AP Academy, decided by the panels"
	}
	return ""
}

// The programme form's number fields.
var (
	programmeWeeks       = input.Number{What: "the number of weeks", Min: 1, Max: 52, Example: "12", Optional: true}
	programmeDaysPerWeek = input.Number{What: "the days a week", Min: 1, Max: 5, Example: "2"}
	programmeCapacity    = input.Number{What: "the places in each cohort", Min: 1, Max: 999, Example: "25", Optional: true}
)

// readProgrammeForm reads the posted form as typed, to show again.
func readProgrammeForm(pf url.Values) programmeForm {
	var f programmeForm
	get := func(k string) string { return strings.TrimSpace(pf.Get(k)) }
	f.v.Kind, f.v.Name, f.v.Category = get("kind"), get("name"), get("category")
	f.v.Description, f.v.Qualifications, f.v.Duration = get("description"), get("qualifications"), get("duration")
	f.v.DurationWeeks, f.v.DaysPerWeek, f.v.Fee, f.v.Capacity = get("duration_weeks"), get("days_per_week"), get("fee"), get("capacity")
	f.provider, f.feeBasis = get("provider"), get("fee_basis")
	f.days, f.years = pf["days"], pf["year_groups"]
	rows, _ := strconv.Atoi(pf.Get("window_rows"))
	rows = min(max(rows, 0), maxFormRows)
	for i := 1; i <= rows; i++ {
		prefix := "window-" + strconv.Itoa(i)
		row := pages.WindowFormRow{
			Prefix: prefix, ID: get(prefix + "-id"), Remove: pf.Get(prefix+"-remove") == "1",
			OpensDay: get(prefix + "-opens-day"), OpensMonth: get(prefix + "-opens-month"), OpensYear: get(prefix + "-opens-year"),
			ClosesDay: get(prefix + "-closes-day"), ClosesMonth: get(prefix + "-closes-month"), ClosesYear: get(prefix + "-closes-year"),
			Label: get(prefix + "-label"),
		}
		row.YearOptions = []components.Option{{Value: get(prefix + "-year")}}
		id, _ := strconv.ParseInt(row.ID, 10, 64)
		row.Existing = id > 0
		f.v.Windows = append(f.v.Windows, row)
	}
	// Offer a blank row to add a period, unless the last one sent was already blank.
	if n := len(f.v.Windows); n == 0 || f.v.Windows[n-1].Existing || !blankWindow(f.v.Windows[n-1]) {
		if n < maxFormRows {
			f.v.Windows = append(f.v.Windows, pages.WindowFormRow{Prefix: "window-" + strconv.Itoa(n+1)})
		}
	}
	return f
}

// problems interprets what was typed as the programme (f.in), against the current providers and the
// academic years on file, and records what is wrong, in the page's order.
func (f *programmeForm) problems(providers []directory.ProviderOption, years []string) {
	in := directory.ProgrammeInput{
		Kind: directory.Kind(f.v.Kind), Name: f.v.Name, Category: f.v.Category, Description: f.v.Description,
		Qualifications: f.v.Qualifications, Duration: f.v.Duration,
	}
	if f.provider != "" {
		id, _ := strconv.ParseInt(f.provider, 10, 64)
		for _, p := range providers {
			if p.ID == id {
				in.ProviderID = id
			}
		}
		if in.ProviderID == 0 {
			f.add("provider", "", "Choose a current training provider from the list")
		}
	}
	if f.v.DurationWeeks != "" {
		n, err := programmeWeeks.Int(f.v.DurationWeeks)
		if err != nil {
			f.add("duration_weeks", "", err.Error())
		}
		in.DurationWeeks = n
	}
	for _, d := range f.days {
		if n, err := strconv.Atoi(d); err == nil && n >= 1 && n <= 5 {
			in.Days = append(in.Days, time.Weekday(n))
		}
	}
	if f.v.DaysPerWeek == "" {
		f.add("days_per_week", "", "Enter how many days a week a student attends, from 1 to 5")
	} else if n, err := programmeDaysPerWeek.Int(f.v.DaysPerWeek); err != nil {
		f.add("days_per_week", "", err.Error())
	} else {
		in.DaysPerWeek = n
	}
	if f.v.Fee != "" {
		pence, ok := parsePoundsToPence(f.v.Fee)
		if !ok {
			f.add("fee", "", "Enter the fee in pounds, like 65 or 1,250.50, or leave it blank")
		} else {
			in.FeePence, in.FeeBasis = &pence, f.feeBasis
		}
	}
	for _, y := range f.years {
		if n, err := strconv.Atoi(y); err == nil && n >= 7 && n <= 11 {
			in.YearGroups = append(in.YearGroups, n)
		}
	}
	if f.v.Capacity != "" {
		n, err := programmeCapacity.Int(f.v.Capacity)
		if err != nil {
			f.add("capacity", "", err.Error())
		}
		in.CapacityPerCohort = n
	}

	for _, row := range f.v.Windows {
		if (row.Existing && row.Remove) || (!row.Existing && blankWindow(row)) {
			continue
		}
		prefix, year := row.Prefix, row.YearOptions[0].Value
		id, _ := strconv.ParseInt(row.ID, 10, 64)
		wi := directory.WindowInput{ID: id, Label: row.Label}
		if year != "" {
			if dirContains(years, year) {
				wi.AcademicYear = year
			} else {
				f.add(prefix+"-year", "", "Choose the academic year from the list")
			}
		}
		var ok bool
		if wi.Opens, ok = parseDateParts(row.OpensDay, row.OpensMonth, row.OpensYear); !ok {
			f.add(prefix+"-opens", prefix+"-opens-day", "The opening date must be a real date, like 1 9 2026")
		}
		if wi.Closes, ok = parseDateParts(row.ClosesDay, row.ClosesMonth, row.ClosesYear); !ok {
			f.add(prefix+"-closes", prefix+"-closes-day", "The closing date must be a real date, like 18 12 2026")
		}
		in.Windows = append(in.Windows, wi)
		f.rowPrefix = append(f.rowPrefix, prefix)
	}

	in.Normalise()
	for _, p := range in.Validate() {
		field, anchor := p.Field, ""
		if p.Row > 0 {
			prefix := f.rowPrefix[p.Row-1]
			field = prefix + "-" + p.Field
			if p.Field == "opens" || p.Field == "closes" {
				anchor = field + "-day"
			}
		}
		f.add(field, anchor, p.Message)
	}
	f.in = in
}

// add records a problem with a field; anchor is the id the error summary links to ("" for the field).
func (f *programmeForm) add(field, anchor, msg string) {
	if anchor == "" {
		anchor = field
	}
	f.errs.AddAt(field, anchor, msg)
}

// readProgramme reads and checks the posted programme form; ok is false when the response has been written.
func (s *Server) readProgramme(w http.ResponseWriter, r *http.Request) (programmeForm, bool) {
	f := readProgrammeForm(r.PostForm)
	providers, err := s.directory.ListProviders(r.Context(), false)
	if err != nil {
		s.serverError(w, r, err)
		return f, false
	}
	years, err := s.directory.AcademicYearCodes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return f, false
	}
	f.problems(providers, years)
	return f, true
}

func blankWindow(w pages.WindowFormRow) bool {
	return w.ID == "" && w.Label == "" && (len(w.YearOptions) == 0 || w.YearOptions[0].Value == "") &&
		w.OpensDay+w.OpensMonth+w.OpensYear+w.ClosesDay+w.ClosesMonth+w.ClosesYear == ""
}

// withErrors puts the problems into the view: the summary and each field's message.
func (f programmeForm) withErrors() programmeForm {
	f.v.Errors = f.errs.InOrder(f.v.FieldOrder())
	for i := range f.v.Windows {
		row := &f.v.Windows[i]
		row.YearError = f.errs.For(row.Prefix + "-year")
		row.OpensError = f.errs.For(row.Prefix + "-opens")
		row.ClosesError = f.errs.For(row.Prefix + "-closes")
		row.LabelError = f.errs.For(row.Prefix + "-label")
	}
	return f
}

func (s *Server) programmeCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	f, ok := s.readProgramme(w, r)
	if !ok {
		return
	}
	if !f.errs.Any() {
		id, err := s.directory.CreateProgramme(ctx, dirActor(r), f.in)
		var dup directory.ErrDuplicate
		switch {
		case errors.As(err, &dup) && dup.Same:
			// The form sent twice: show the programme the first send added.
			s.flash(ctx, f.in.Name+" is already in the CAP Directory")
			http.Redirect(w, r, programmeHref(dup.ID), http.StatusSeeOther)
			return
		case errors.As(err, &dup):
			// A different programme with the same name: keep what was typed rather than lose it.
			msg := "A programme called " + f.in.Name + " from this provider is already in the CAP Directory"
			if f.in.ProviderID == 0 {
				msg = "A programme called " + f.in.Name + " is already in the CAP Directory"
			}
			f.add("name", "", msg)
		case errors.Is(err, directory.ErrProviderUnavailable):
			f.add("provider", "", "That provider has just been retired: choose a current one")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.flash(ctx, f.in.Name+" has been added to the CAP Directory")
			http.Redirect(w, r, programmeHref(id), http.StatusSeeOther)
			return
		}
	}
	s.renderProgrammeForm(w, r, http.StatusUnprocessableEntity, 0, f.withErrors())
}

func (s *Server) programmeUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f, ok := s.readProgramme(w, r)
	if !ok {
		return
	}
	if !f.errs.Any() {
		changed, err := s.directory.UpdateProgramme(ctx, dirActor(r), id, f.in)
		var dup directory.ErrDuplicate
		switch {
		case errors.Is(err, db.ErrNotFound):
			s.notFound(w, r)
			return
		case errors.Is(err, directory.ErrRetired):
			s.refusedRetiredProgramme(w, r, id)
			return
		case errors.As(err, &dup):
			f.add("name", "", "The provider already runs a programme called "+f.in.Name+": choose another name")
		case errors.Is(err, directory.ErrProviderUnavailable):
			f.add("provider", "", "That provider has been retired: choose a current one")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			if changed {
				s.flash(ctx, "Your changes to "+f.in.Name+" have been saved")
			} else {
				s.flash(ctx, "Nothing was changed")
			}
			http.Redirect(w, r, programmeHref(id), http.StatusSeeOther)
			return
		}
	}
	s.renderProgrammeForm(w, r, http.StatusUnprocessableEntity, id, f.withErrors())
}
