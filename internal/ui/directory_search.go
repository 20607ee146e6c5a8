package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// maxSearchText bounds the words searched for; anything longer is cut, not refused.
const maxSearchText = 200

// directorySearch is the CAP Directory: free text and filters from the URL, so a search can be
// shared, and a page of what they find. A filter value that is not one of the choices is ignored
// rather than refused, as the form can only send valid ones.
func (s *Server) directorySearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := directory.Filter{Text: strings.TrimSpace(q.Get("q"))}
	for utf8.RuneCountInString(f.Text) > maxSearchText {
		f.Text = string([]rune(f.Text)[:maxSearchText])
	}
	if t, err := strconv.Atoi(q.Get("tier")); err == nil && t >= 1 && t <= 3 {
		f.Tier = t
	}
	if c := q.Get("category"); directory.ValidCategory(c) {
		f.Category = c
	}
	canManage := s.routeAllows(r, http.MethodGet, "/admin/programmes/new")
	f.IncludeRetired = canManage && q.Get("retired") == "1"
	// The providers to choose from: a select when there are few enough, a name to type past that.
	providers, err := s.orgFilter(ctx, q, orgFilter{kind: "provider", what: "provider", shown: "programmes",
		param: "provider", anyLabel: "Any provider", retired: f.IncludeRetired})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f.ProviderID, f.ProviderIDs = providers.chosen, providers.ids
	providerOpts, providerName := providers.options, providers.name
	day := ""
	for _, d := range directoryDays {
		if q.Get("day") == d.Value {
			f.Day, day = d.Day, d.Value
		}
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 7 && y <= 11 {
		f.YearGroup = y
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	res, err := s.directory.Search(ctx, f, page)
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	// The search as it was understood, for the form and the page links.
	base := url.Values{}
	set := func(k, v string) {
		if v != "" {
			base.Set(k, v)
		}
	}
	set("q", f.Text)
	if f.Tier != 0 {
		set("tier", strconv.Itoa(f.Tier))
	}
	set("category", f.Category)
	if f.ProviderID != 0 {
		set("provider", itoa(f.ProviderID))
	}
	if providerName != nil {
		set("provider_name", providerName.Value)
	}
	set("day", day)
	if f.YearGroup != 0 {
		set("year", strconv.Itoa(f.YearGroup))
	}
	if f.IncludeRetired {
		set("retired", "1")
	}

	v := pages.DirectorySearchView{
		Text:              f.Text,
		CategoryOptions:   directoryCategoryOptions(f.Category, "Any category"),
		ProviderOptions:   refMarkSelected(base.Get("provider"), providerOpts),
		ProviderName:      providerName,
		ShowRetiredFilter: canManage,
		IncludeRetired:    f.IncludeRetired,
		Filtered:          len(base) > 0,
		TextIgnored:       res.TextIgnored,
		CanManage:         canManage,
	}
	v.TierOptions = []components.Option{{Value: "", Label: "Any tier", Selected: f.Tier == 0}}
	for t := 1; t <= 3; t++ {
		v.TierOptions = append(v.TierOptions, components.Option{Value: strconv.Itoa(t), Label: directory.TierLabel(t), Selected: f.Tier == t})
	}
	v.DayOptions = []components.Option{{Value: "", Label: "Any day", Selected: day == ""}}
	for _, d := range directoryDays {
		v.DayOptions = append(v.DayOptions, components.Option{Value: d.Value, Label: d.Day.String(), Selected: day == d.Value})
	}
	v.YearOptions = []components.Option{{Value: "", Label: "Any year group", Selected: f.YearGroup == 0}}
	for y := 7; y <= 11; y++ {
		v.YearOptions = append(v.YearOptions, components.Option{Value: strconv.Itoa(y), Label: "Year " + strconv.Itoa(y), Selected: f.YearGroup == y})
	}
	switch res.Total {
	case 0:
		v.CountText = "No programmes found"
	case 1:
		v.CountText = "1 programme found"
	default:
		v.CountText = strconv.Itoa(res.Total) + " programmes found"
	}
	for _, p := range res.Programmes {
		v.Results = append(v.Results, programmeRow(p))
	}
	v.Pagination = directoryPagination(base, res.Page, res.Pages)

	title := "CAP Directory"
	if len(base) > 0 {
		title = v.CountText + " – CAP Directory"
	}
	if res.Pages > 1 {
		title += " (page " + strconv.Itoa(res.Page) + " of " + strconv.Itoa(res.Pages) + ")"
	}
	s.render(w, r, http.StatusOK, pages.DirectorySearch(s.page(r, title), v))
}

// directoryPagination numbers the pages GOV.UK's way: the first, the last, and the ones either side
// of the current page, with gaps between.
func directoryPagination(base url.Values, page, pages int) components.PaginationProps {
	p := components.PaginationProps{Label: "Pages of programmes"}
	if pages <= 1 {
		return p
	}
	href := func(n int) string {
		v := cloneValues(base)
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/directory"
		}
		return "/directory?" + v.Encode()
	}
	if page > 1 {
		p.PrevHref = href(page - 1)
	}
	if page < pages {
		p.NextHref = href(page + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-1 && n <= page+1) {
			p.Items = append(p.Items, components.PageItem{Number: n, Href: href(n), Current: n == page})
			gap = false
		} else if !gap {
			p.Items = append(p.Items, components.PageItem{Ellipsis: true})
			gap = true
		}
	}
	return p
}
