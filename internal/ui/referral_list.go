package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// refPageSize is how many referrals a page of the list shows.
const refPageSize = 50

// refAges are the "waiting more than N working days at its step" filters.
var refAges = []int{5, 10, 20}

// referralList is the referrals the viewer may see — a school its own (drafts too), a provider the
// ones whose packs are open to it, CAP every submitted one — filtered, sorted and paged by the
// address, so a filtered list can be bookmarked and shared.
func (s *Server) referralList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	scope := referral.ScopeFor(p)
	q := r.URL.Query()
	today := calendar.Today(s.Clock)

	// Only coordinators can open a draft, so only their schools' drafts are listed.
	var draftSchools []int64
	for _, m := range p.OrgsWith(auth.Coordinator) {
		draftSchools = append(draftSchools, m.OrgID)
	}
	f := referral.ListFilter{DraftSchools: draftSchools}
	// A mangled cursor (an edited or truncated address) shows the first page, not an empty list.
	if after := q.Get("after"); referral.CursorOK(after) {
		f.After = after
	}
	steps := refStepOptions(len(draftSchools) > 0)
	switch st := q.Get("step"); {
	case st == refAwaitingProvider:
		f.Steps = refAwaitingProviderSteps
	case st != "" && refHasStep(steps, st):
		f.Step = pathway.Step(st)
	}
	if k := directory.Kind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	if t, err := strconv.Atoi(q.Get("tier")); err == nil && t >= 1 && t <= 3 {
		f.Tier = t
	}
	showProviders := scope.All || len(scope.Schools) > 0
	age := 0
	if n, err := strconv.Atoi(q.Get("age")); err == nil {
		for _, a := range refAges {
			if a == n {
				age = n
				f.WaitingBefore = refWaitingBefore(today, n).Time()
			}
		}
	}
	switch q.Get("sort") {
	case referral.SortOldest, referral.SortWaiting:
		f.Sort = q.Get("sort")
	default:
		f.Sort = referral.SortNewest
	}

	// The schools and providers to filter by: a select when there are few enough to choose from, a
	// name to type when there are more (a national service has hundreds), so that the page does not
	// grow with the directory.
	var schoolOpts, providerOpts []components.Option
	var schoolName, providerName *pages.NameFilter
	if scope.All {
		schools, err := s.orgFilter(ctx, q, orgFilter{kind: "school", what: "school", shown: "referrals", param: "school", anyLabel: "Any school"})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		schoolOpts, schoolName, f.SchoolID, f.SchoolIDs = schools.options, schools.name, schools.chosen, schools.ids
	}
	if showProviders {
		providers, err := s.orgFilter(ctx, q, orgFilter{kind: "provider", what: "training provider", shown: "referrals", param: "provider",
			anyLabel: "Any provider", retired: true})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		providerOpts, providerName, f.ProviderID, f.ProviderIDs = providers.options, providers.name, providers.chosen, providers.ids
	}

	list, more, err := s.referrals.List(ctx, referralActor(r), f, refPageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.ReferralsView{Heading: "Referrals", ShowSchool: scope.All || len(scope.Schools) > 1 || len(scope.Providers) > 0,
		CanRefer: p.Has(auth.Coordinator)}
	v.Filtered = f.Step != "" || len(f.Steps) > 0 || f.Kind != "" || f.Tier != 0 || f.SchoolID != 0 || f.ProviderID != 0 || age != 0 ||
		f.SchoolIDs != nil || f.ProviderIDs != nil
	for _, x := range list {
		provider := x.ProviderName
		if provider == "" {
			provider = "None"
		}
		v.Rows = append(v.Rows, pages.ReferralRow{Key: x.Key(), Href: "/referrals/" + x.Key(), Draft: x.Reference == "",
			Student: x.StudentName, School: x.SchoolName, Programme: x.Programme, Provider: provider,
			Step: x.StepTitle(), Since: s.refSince(x.StepSince)})
	}

	// The filters keep what was chosen; the pages keep the filters.
	keep := url.Values{}
	for _, k := range []string{"step", "kind", "tier", "school", "provider", "school_name", "provider_name", "age", "sort"} {
		if val := q.Get(k); val != "" {
			keep.Set(k, val)
		}
	}
	k := keyset{Path: "/referrals", Keep: keep, After: f.After != "", More: more}
	if len(list) > 0 {
		v.NextHref = k.nextOnly(len(list), url.Values{"after": {list[len(list)-1].Cursor}})
	}
	if f.After != "" {
		v.FirstHref = k.href(nil)
	}

	v.StepOptions = refWithAny("Any step", q.Get("step"), steps)
	var kinds []components.Option
	for _, k := range directory.Kinds {
		kinds = append(kinds, components.Option{Value: string(k), Label: k.Label()})
	}
	v.KindOptions = refWithAny("Any type", string(f.Kind), kinds)
	var tiers []components.Option
	for t := 1; t <= 3; t++ {
		tiers = append(tiers, components.Option{Value: strconv.Itoa(t), Label: directory.TierLabel(t)})
	}
	v.TierOptions = refWithAny("Any tier", q.Get("tier"), tiers)
	v.SchoolOptions, v.ProviderOptions = schoolOpts, providerOpts
	v.SchoolName, v.ProviderName = schoolName, providerName
	var ages []components.Option
	for _, n := range refAges {
		ages = append(ages, components.Option{Value: strconv.Itoa(n), Label: "More than " + strconv.Itoa(n) + " working days"})
	}
	v.AgeOptions = refWithAny("Any time", q.Get("age"), ages)
	v.SortOptions = refMarkSelected(f.Sort, []components.Option{
		{Value: referral.SortNewest, Label: "Newest first"},
		{Value: referral.SortOldest, Label: "Oldest first"},
		{Value: referral.SortWaiting, Label: "Longest waiting at its step"},
	})
	s.render(w, r, http.StatusOK, pages.Referrals(s.page(r, "Referrals"), v))
}

// refAwaitingProvider is the step filter for packs waiting for the provider's response, which are
// at one of two steps: the pack sent, and the interview arranged.
const refAwaitingProvider = "awaiting-provider"

var refAwaitingProviderSteps = []pathway.Step{pathway.PackSent, pathway.InterviewArranged}

// refWaitingBefore is the instant a referral must have reached its step before to have waited more
// than n working days by today: counting back from the last working day on or before today, so that
// on a weekend or bank holiday the threshold is the same as on the working day before it. A
// referral that reached its step on that day has waited exactly n, which is not more than n.
func refWaitingBefore(today calendar.Date, n int) calendar.Date {
	last := today
	for !refWorkingDays.IsWorkingDay(last) {
		last = last.AddDays(-1)
	}
	return refWorkingDays.AddWorkingDays(last, -n)
}

// refStepOptions are the steps referrals can be at, named as their pathways name them, with the
// two steps of a pack waiting for the provider also as one choice; drafts only for coordinators,
// the only ones to see them.
func refStepOptions(drafts bool) []components.Option {
	var out []components.Option
	seen := map[pathway.Step]bool{pathway.Draft: !drafts}
	for _, pw := range pathway.All {
		for _, info := range pw.Steps {
			if seen[info.Step] {
				continue
			}
			seen[info.Step] = true
			out = append(out, components.Option{Value: string(info.Step), Label: info.Title})
			if info.Step == pathway.InterviewArranged {
				out = append(out, components.Option{Value: refAwaitingProvider,
					Label: "Waiting for the provider’s response (pack sent or interview arranged)"})
			}
		}
	}
	return out
}

func refHasStep(opts []components.Option, step string) bool {
	for _, o := range opts {
		if o.Value == step {
			return true
		}
	}
	return false
}

// refWithAny puts an "any" option first and marks the chosen one.
func refWithAny(anyLabel, chosen string, opts []components.Option) []components.Option {
	return refMarkSelected(chosen, append([]components.Option{{Value: "", Label: anyLabel}}, opts...))
}

func refMarkSelected(chosen string, opts []components.Option) []components.Option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == chosen
	}
	return opts
}
