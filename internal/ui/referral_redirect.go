package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// redirectSearch is the directory search on the redirect page, from the address or the form.
type redirectSearch struct {
	Query string
	Tier  string
	Page  int
}

func readRedirectSearch(v url.Values) redirectSearch {
	rs := redirectSearch{Query: strings.TrimSpace(v.Get("q")), Tier: v.Get("tier"), Page: 1}
	if t, err := strconv.Atoi(rs.Tier); err != nil || t < 1 || t > 3 {
		rs.Tier = ""
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		rs.Page = n
	}
	return rs
}

func (rs redirectSearch) href(base string, page int) string {
	q := url.Values{}
	if rs.Query != "" {
		q.Set("q", rs.Query)
	}
	if rs.Tier != "" {
		q.Set("tier", rs.Tier)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// referralRedirectShow lets CAP or the school choose another programme or provider for a referral
// the provider declined: a search of the CAP Directory narrowed to the student's year group.
func (s *Server) referralRedirectShow(w http.ResponseWriter, r *http.Request) {
	ref := referralFrom(r.Context())
	v, ok := s.redirectView(w, r, ref, readRedirectSearch(r.URL.Query()), "", "")
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralRedirect(s.stepLayout(r, v.StepPage), v))
}

// redirectView builds the page for a search, keeping the chosen programme and the note.
func (s *Server) redirectView(w http.ResponseWriter, r *http.Request, ref referral.Referral, rs redirectSearch, chosen, note string) (pages.RedirectView, bool) {
	v := pages.RedirectView{StepPage: refStepPage(ref, "Redirect the referral to another programme or provider", pathway.Redirect),
		Query: rs.Query, Tier: rs.Tier, Page: rs.Page, Note: note, Current: ref.Programme}
	var tiers []components.Option
	for t := 1; t <= 3; t++ {
		tiers = append(tiers, components.Option{Value: strconv.Itoa(t), Label: directory.TierLabel(t)})
	}
	v.TierOptions = refWithAny("Any tier", rs.Tier, tiers)
	f := directory.Filter{Text: rs.Query}
	f.Tier, _ = strconv.Atoi(rs.Tier)
	if ref.YearGroup >= 7 && ref.YearGroup <= 11 {
		f.YearGroup = ref.YearGroup
	}
	why, err := s.redirectReason(r, ref)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	if why != "" {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Why it is being redirected", Value: why})
	}
	res, err := s.directory.Search(r.Context(), f, rs.Page)
	if err != nil {
		s.serverError(w, r, err)
		return v, false
	}
	v.Total, v.Page = res.Total, res.Page
	// Before any search, the likely alternatives come first: programmes in the same category as the
	// one that was declined, for the student's year group.
	likely := map[int64]bool{}
	if rs.Query == "" && rs.Tier == "" && rs.Page <= 1 && ref.Snapshot != nil && ref.Snapshot.Category != "" {
		same, err := s.directory.Search(r.Context(), directory.Filter{Category: ref.Snapshot.Category, YearGroup: f.YearGroup}, 1)
		if err != nil {
			s.serverError(w, r, err)
			return v, false
		}
		g := pages.ProgrammeGroup{Tier: "Likely alternatives: " + ref.Snapshot.Category}
		for _, p := range same.Programmes {
			if p.ID == ref.ProgrammeID || len(g.Choices) == 8 {
				continue
			}
			likely[p.ID] = true
			g.Choices = append(g.Choices, redirectChoice(p, chosen))
		}
		if len(g.Choices) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	groups := map[int]*pages.ProgrammeGroup{}
	for _, p := range res.Programmes {
		if p.ID == ref.ProgrammeID || likely[p.ID] {
			continue
		}
		g, ok := groups[p.Tier]
		if !ok {
			g = &pages.ProgrammeGroup{Tier: directory.TierLabel(p.Tier)}
			groups[p.Tier] = g
		}
		g.Choices = append(g.Choices, redirectChoice(p, chosen))
	}
	for t := 1; t <= 3; t++ {
		if g, ok := groups[t]; ok {
			v.Groups = append(v.Groups, *g)
		}
	}
	v.NoResults = len(v.Groups) == 0
	base := ref.URL() + "/redirect"
	if res.Page < res.Pages {
		v.NextHref = rs.href(base, res.Page+1)
	}
	if res.Page > 1 {
		v.PrevHref = rs.href(base, res.Page-1)
	}
	return v, true
}

// referralRedirect moves the referral to the chosen programme with everything already given. A
// programme the school may not refer this student to is refused on the form, with the reasons.
func (s *Server) referralRedirect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	rs := readRedirectSearch(r.PostForm)
	chosen, note := r.PostForm.Get("programme"), r.PostForm.Get("note")
	var errs components.Errors
	var reasons []string
	id, err := strconv.ParseInt(chosen, 10, 64)
	switch {
	case chosen == "":
		errs.Add("programme", "Select the programme to move the referral to")
	case err != nil || id <= 0:
		errs.Add("programme", "Select a programme from the list")
	}
	if utf8.RuneCountInString(strings.TrimSpace(note)) > referral.MaxAnswer {
		errs.Add("note", "The note must be "+strconv.Itoa(referral.MaxAnswer)+" characters or fewer")
	}
	if !errs.Any() {
		var to pathway.Step
		to, err = s.referrals.Redirect(ctx, referralActor(r), ref, id, note)
		var refusal *pathway.Refusal
		switch {
		case err == nil:
			title, kerr := s.redirectedTitle(r, id)
			if kerr != nil {
				s.serverError(w, r, kerr)
				return
			}
			next := "it is back with CAP for review"
			if to == pathway.ReturnedToSchool {
				next = "the school now answers the questions that programme asks, then resubmits"
			}
			s.flash(ctx, ref.Title()+" was redirected to "+title+": "+next)
			http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
			return
		case errors.Is(err, db.ErrNotFound):
			errs.Add("programme", "Select a programme from the list")
		case errors.Is(err, referral.ErrProgrammeRefused) && errors.As(err, &refusal):
			// The programme's own refusal (not eligible, or the one it is already for): choose again.
			errs.Add("programme", refusal.Reason)
			reasons = refusal.Checks
		default:
			s.refuse(w, r, ref, err)
			return
		}
	}
	v, ok := s.redirectView(w, r, ref, rs, chosen, note)
	if !ok {
		return
	}
	v.Errors, v.Reasons = errs, reasons
	s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralRedirect(s.stepLayout(r, v.StepPage), v))
}

// redirectedTitle names the programme a referral moved to, for the confirmation.
func (s *Server) redirectedTitle(r *http.Request, id int64) (string, error) {
	p, err := s.directory.GetProgramme(r.Context(), id)
	if err != nil {
		return "", err
	}
	if p.ProviderName != "" {
		return p.Name + " at " + p.ProviderName, nil
	}
	return p.Name, nil
}

// redirectChoice is a programme as a choice on the redirect page.
func redirectChoice(p directory.Programme, chosen string) pages.ProgrammeChoice {
	label := p.Name
	if p.ProviderName != "" {
		label += " at " + p.ProviderName
	}
	hint := p.Kind.Label()
	if days := directory.DaysText(p.Days); days != "" {
		hint += ", runs " + days
	}
	return pages.ProgrammeChoice{ID: itoa(p.ID), Label: label, Hint: hint, Checked: itoa(p.ID) == chosen}
}

// redirectReason is why the referral is being redirected: the provider's decline with its reason
// and explanation, or the panel's decision not to approve it.
func (s *Server) redirectReason(r *http.Request, ref referral.Referral) (string, error) {
	responses, err := s.referrals.Responses(r.Context(), referralActor(r), ref)
	if err != nil {
		return "", err
	}
	for i := len(responses) - 1; i >= 0; i-- {
		if x := responses[i]; !x.Accept {
			why := x.ProviderName + " declined: " + referral.DeclineReasonLabel(x.DeclineReason)
			if d := strings.TrimSpace(x.DeclineDetail); d != "" {
				why += ". " + d
			}
			return why, nil
		}
	}
	cases, err := s.panels.CasesOf(r.Context(), ref.ID)
	if err != nil {
		return "", err
	}
	for i := len(cases) - 1; i >= 0; i-- {
		if c := cases[i]; c.Decision == panel.NotApproved {
			return "Not approved by the " + panel.PanelName(c.Panel) + ": " + c.Rationale, nil
		}
	}
	return "", nil
}
