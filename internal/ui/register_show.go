package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// registerAddress is the register a request names: /registers/{provider}/{date}/{session}.
type registerAddress struct {
	ProviderID   int64
	ProviderName string
	Day          calendar.Date
	Session      placement.Session
}

func (ra registerAddress) href() string { return registerHref(ra.ProviderID, ra.Day, ra.Session) }

// registerFor reads the register's address, answering 404 for one that is not a provider's register
// or that the person does not take (another provider's, say), so nobody learns what is there.
func (s *Server) registerFor(w http.ResponseWriter, r *http.Request) (registerAddress, bool) {
	var ra registerAddress
	id, ok := idParam(r, "provider")
	day, err := calendar.ParseDate(chi.URLParam(r, "date"))
	ra.Session = placement.Session(chi.URLParam(r, "session"))
	if !ok || err != nil || !ra.Session.Valid() || !placement.TakesRegisters(auth.FromContext(r.Context()), id) {
		s.notFound(w, r)
		return ra, false
	}
	o, err := s.orgs.Get(r.Context(), id)
	if err == nil && o.Kind != auth.Provider {
		err = db.ErrNotFound
	}
	if s.failed(w, r, err) {
		return ra, false
	}
	ra.ProviderID, ra.ProviderName, ra.Day = id, o.Name, day
	return ra, true
}

// registerClosed says why no register is taken on the day, or "" when it is.
func (s *Server) registerClosed(r *http.Request, ra registerAddress) (string, error) {
	if ra.Day.After(calendar.Today(s.Clock)) {
		return "This register can be taken on the day, " + weekdayDate(ra.Day) + ".", nil
	}
	sd, err := s.calendar.SchoolDays(r.Context())
	if err != nil {
		return "", err
	}
	if !sd.IsSchoolDay(ra.Day) {
		return "There is no register on " + weekdayDate(ra.Day) + ": it is not a school day.", nil
	}
	return "", nil
}

// registerShow is one register: once taken, every mark with its DfE code, who took it and when, and
// a link to correct each; the form for every learner not yet marked (all of them before it is
// taken). The learners are listed by name, so the view is audited.
func (s *Server) registerShow(w http.ResponseWriter, r *http.Request) {
	ra, ok := s.registerFor(w, r)
	if !ok {
		return
	}
	v, ok := s.registerView(w, r, ra, nil)
	if !ok {
		return
	}
	if r.URL.Query().Get("present") == "all" {
		v.AllPresent = true
		for i := range v.Learners {
			v.Learners[i].Mark = string(placement.Present)
		}
	}
	s.render(w, r, http.StatusOK, pages.Register(s.page(r, v.Heading), v))
}

// registerView prepares the register's page; typed are the values sent, kept on the form.
func (s *Server) registerView(w http.ResponseWriter, r *http.Request, ra registerAddress, typed url.Values) (pages.RegisterView, bool) {
	v := pages.RegisterView{Heading: ra.Session.Label() + " register", Caption: ra.ProviderName + ", " + weekdayDate(ra.Day),
		Back:   "/registers?" + url.Values{"provider": {itoa(ra.ProviderID)}, "date": {ra.Day.String()}}.Encode(),
		Action: ra.href()}
	closed, err := s.registerClosed(r, ra)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	if closed != "" {
		v.Closed = closed
		return v, true
	}
	reg, err := s.placements.Register(r.Context(), placementActor(r), ra.ProviderID, ra.Day, ra.Session)
	if s.failed(w, r, registerErr(err)) {
		return v, false
	}
	v.None = "Nobody is expected at " + ra.ProviderName + " on the " + strings.ToLower(ra.Session.Label()) + " of " + weekdayDate(ra.Day) + "."
	if reg.Taken() {
		v.Taken = "Taken by " + reg.TakenBy + " on " + components.FormatDateTime(reg.TakenAt) + "."
	}
	reasons := func(chosen string) []components.Option {
		out := []components.Option{{Value: "", Label: "Select a reason", Selected: chosen == ""}}
		for _, rs := range placement.Reasons {
			out = append(out, components.Option{Value: string(rs), Label: rs.Label(), Selected: chosen == string(rs)})
		}
		return out
	}
	for _, l := range reg.Lines {
		pl := l.Placement
		if l.Mark != nil {
			row := markRow(*l.Mark, nil, true, pl.StudentName)
			row.Date, row.Session = pl.StudentName, pl.Programme
			if l.Mark.Version > 1 {
				row.Mark += " (corrected)"
			}
			v.Marked = append(v.Marked, row)
			continue
		}
		id := itoa(pl.ID)
		learner := pages.RegisterLearner{ID: id, Legend: pl.StudentName, Hint: pl.Programme + ", Year " + strconv.Itoa(pl.YearGroup)}
		if typed != nil {
			learner.Mark, learner.Late, learner.Note, learner.NoSession = typed.Get("mark-"+id), typed.Get("late-"+id), typed.Get("note-"+id), typed.Get("nosession-"+id)
			learner.Reason = typed.Get("reason-" + id)
		}
		learner.Reasons = reasons(learner.Reason)
		v.Learners = append(v.Learners, learner)
	}
	if len(v.Learners) > 1 {
		v.AllPresentHref = ra.href() + "?present=all"
	}
	return v, true
}

// registerErr turns "you do not take this provider's registers" into not found.
func registerErr(err error) error {
	if errors.Is(err, placement.ErrNotProviders) {
		return db.ErrNotFound
	}
	return err
}

// lateMinutes reads the minutes late as typed; anything else is 0, which the mark's rules refuse
// with their own message.
var lateMinutes = input.Number{Min: 1, Max: placement.MaxLateMinutes}

// markInputOf reads one learner's mark from the form.
func markInputOf(f url.Values, id int64) placement.MarkInput {
	key := itoa(id)
	in := placement.MarkInput{PlacementID: id, Status: placement.Status(f.Get("mark-" + key)), Reason: placement.Reason(f.Get("reason-" + key))}
	if n, err := lateMinutes.Int(f.Get("late-" + key)); err == nil {
		in.LateMinutes = n
	}
	switch in.Status {
	case placement.Absent:
		in.Note = f.Get("note-" + key)
	case placement.NoSession:
		in.Note = f.Get("nosession-" + key)
	}
	return in
}

// markErrors are the mark's problems as the form's errors: a note for a session that did not run is
// the "why was there no session" field.
func markErrors(ps input.Problems, status func(id string) placement.Status) components.Errors {
	errs := problemsOf(ps)
	for i, e := range errs {
		if id, ok := strings.CutPrefix(e.Field, "note-"); ok && status(id) == placement.NoSession {
			errs[i].Field = "nosession-" + id
		}
		if strings.HasPrefix(e.Field, "mark-") {
			errs[i].Anchor = e.Field // the first radio's id is the field's name
		}
	}
	return errs
}

// registerTake saves the register in one POST through placement.TakeRegister. Problems come back
// on the form with everything typed kept; a second send of the same register records nothing more
// and leads to the saved register, as the first did.
func (s *Server) registerTake(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ra, ok := s.registerFor(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	var ids []int64
	seen := map[int64]bool{}
	for key := range f {
		for _, prefix := range []string{"mark-", "late-", "reason-", "note-", "nosession-"} {
			if rest, ok := strings.CutPrefix(key, prefix); ok {
				if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 && !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	marks := make([]placement.MarkInput, 0, len(ids))
	for _, id := range ids {
		marks = append(marks, markInputOf(f, id))
	}
	taken, err := s.placements.TakeRegister(ctx, placementActor(r), ra.ProviderID, ra.Day, ra.Session, marks)
	var ps input.Problems
	switch {
	case err == nil:
		if len(taken.New) == 0 {
			s.flash(ctx, "The "+strings.ToLower(ra.Session.Label())+" register was already saved")
		} else {
			s.flash(ctx, fmt.Sprintf("The %s register was saved: %d %s", strings.ToLower(ra.Session.Label()), len(taken.New), plural(len(taken.New), "mark", "marks")))
		}
		http.Redirect(w, r, ra.href(), http.StatusSeeOther)
		return
	case errors.As(err, &ps):
		v, ok := s.registerView(w, r, ra, f)
		if !ok {
			return
		}
		v.Errors = markErrors(ps, func(id string) placement.Status { return placement.Status(f.Get("mark-" + id)) })
		lp := s.page(r, v.Heading)
		lp.HasErrors = true
		s.render(w, r, http.StatusUnprocessableEntity, pages.Register(lp, v))
	case errors.Is(err, placement.ErrMarked):
		s.flashError(ctx, "Marks were already saved for this register, some different from yours. Check them, and correct any that are wrong.")
		http.Redirect(w, r, ra.href(), http.StatusSeeOther)
	case errors.Is(err, placement.ErrNotExpected):
		// The register changed since the form was opened: show it as it is now, keeping what was typed.
		v, ok := s.registerView(w, r, ra, f)
		if !ok {
			return
		}
		lp := s.page(r, v.Heading)
		lp.Flash, lp.FlashError = "The register changed since you opened it: a learner is no longer expected. Check the marks and save again.", true
		s.render(w, r, http.StatusConflict, pages.Register(lp, v))
	case errors.Is(err, placement.ErrClosedDay):
		s.renderError(w, r, http.StatusUnprocessableEntity, "No register is taken on that day",
			"Registers are taken on school days, on the day or afterwards.")
	default:
		s.failed(w, r, registerErr(err))
	}
}
