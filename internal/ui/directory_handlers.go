package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The CAP Directory's pages share these helpers: directory_search.go, programme_*.go and provider_*.go
// hold the handlers.

// dirActor is the principal as the author of a directory change.
func dirActor(r *http.Request) directory.Actor { return directory.Actor(actor(r)) }

// routeAllows asks the route table whether the principal may use a route, so that a page offers a
// button only to people whose request would be let through.
func (s *Server) routeAllows(r *http.Request, method, pattern string) bool {
	pol, ok := s.routes.Policy(method, pattern)
	return ok && pol.Allows(auth.FromContext(r.Context()))
}

func programmeHref(id int64) string { return "/directory/programmes/" + itoa(id) }
func providerHref(id int64) string  { return "/directory/providers/" + itoa(id) }

// directoryDays are the weekdays programmes run on, as they appear in URLs.
var directoryDays = []struct {
	Value string
	Day   time.Weekday
}{
	{"monday", time.Monday}, {"tuesday", time.Tuesday}, {"wednesday", time.Wednesday}, {"thursday", time.Thursday}, {"friday", time.Friday},
}

// programmeRow shows a programme as a line of a list.
func programmeRow(p directory.Programme) pages.ProgrammeRow {
	row := pages.ProgrammeRow{
		Href: programmeHref(p.ID), Name: p.Name, Tier: "Tier " + strconv.Itoa(p.Tier), Category: p.Category,
		Days: directory.DaysText(p.Days), YearGroups: directory.YearGroupsText(p.YearGroups), Retired: !p.Active,
	}
	if p.Category == "" {
		row.Category = p.Kind.Label()
	}
	if p.DaysPerWeek < len(p.Days) {
		row.Days = daysAWeek(p.DaysPerWeek) + ": " + row.Days
	}
	if p.ProviderID != 0 {
		row.Provider, row.ProviderHref = p.ProviderName, providerHref(p.ProviderID)
	} else {
		row.Provider = "No provider: a move to another school"
	}
	return row
}

// daysAWeek says "1 day a week" or "4 days a week".
func daysAWeek(n int) string {
	if n == 1 {
		return "1 day a week"
	}
	return strconv.Itoa(n) + " days a week"
}

// programmePanelText says who decides referrals to a kind of programme, from the pathways in the welcome pack.
func programmePanelText(k directory.Kind) string {
	switch k {
	case directory.Flourish:
		return "Yes: the Review and Authorisation Panel decides"
	case directory.SupportedTransfer:
		return "Yes: the Review and Authorisation Panel, then the Supported Transfer Headteacher Placement Meeting"
	case directory.Refocus, directory.Focus11:
		return "Yes: the Review and Authorisation Panel, then the Multi-Agency Panel"
	}
	return "No: CAP processes referrals and sends them to the provider"
}

// directoryCategoryOptions lists the five categories for a select.
func directoryCategoryOptions(selected, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == ""}}
	for _, c := range directory.Categories {
		opts = append(opts, components.Option{Value: c, Label: c, Selected: selected == c})
	}
	return opts
}

// directoryProviderOptions lists providers for a select.
func directoryProviderOptions(list []directory.ProviderOption, selected, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == ""}}
	for _, p := range list {
		id := itoa(p.ID)
		label := p.Name
		if !p.Active {
			label += " (retired)"
		}
		opts = append(opts, components.Option{Value: id, Label: label, Selected: selected == id})
	}
	return opts
}

// directoryYearChoices are checkboxes for Years 7 to 11.
func directoryYearChoices(checked []string) []components.Choice {
	var items []components.Choice
	for y := 7; y <= 11; y++ {
		v := strconv.Itoa(y)
		items = append(items, components.Choice{Value: v, Label: "Year " + v, Checked: dirContains(checked, v)})
	}
	return items
}

// directoryDayChoices are checkboxes for Monday to Friday, valued 1 to 5.
func directoryDayChoices(checked []string) []components.Choice {
	var items []components.Choice
	for _, d := range directoryDays {
		v := strconv.Itoa(int(d.Day))
		items = append(items, components.Choice{Value: v, Label: d.Day.String(), Checked: dirContains(checked, v)})
	}
	return items
}

func dirContains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// parsePoundsToPence reads a fee typed in pounds ("65", "£1,250.50") as pence: a pound sign and
// commas between thousands are allowed, and the rest is read as any number field is.
func parsePoundsToPence(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	whole, frac, hasFrac := strings.Cut(s, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if len(g) != 3 && (i > 0 || len(g) == 0 || len(g) > 3) {
				return 0, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if hasFrac {
		whole += "." + frac
	}
	v, err := programmeFee.Parse(whole)
	return int(v.Units), err == nil
}

// programmeFee is a fee in pounds and pence, up to £9,999,999.99.
var programmeFee = input.Number{Max: 9_999_999, Places: 2}

// dirPoundsValue shows pence as a form value: "65" or "1250.50".
func dirPoundsValue(pence int) string {
	if pence%100 == 0 {
		return strconv.Itoa(pence / 100)
	}
	return strconv.Itoa(pence/100) + "." + strconv.Itoa(pence%100/10) + strconv.Itoa(pence%10)
}

// dirRefused shows a page that says why an action cannot be done and links back to the record.
func (s *Server) dirRefused(w http.ResponseWriter, r *http.Request, status int, heading string, back pages.Link, paragraphs ...string) {
	lp := s.page(r, heading)
	v := pages.ErrorView{Status: status, Heading: heading, Paragraph: paragraphs, Links: []pages.Link{back}}
	s.render(w, r, status, pages.Error(lp, v))
}
