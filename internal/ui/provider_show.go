package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// providerShow is a training provider's page, current or retired, with its programmes.
func (s *Server) providerShow(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", s.directory.GetProvider)
	if !ok {
		return
	}
	v := pages.ProviderView{
		Name: p.Name, Retired: !p.Active, Rows: providerRows(p),
		CanManage:        s.routeAllows(r, http.MethodPost, "/admin/providers/{id}/retire"),
		EditHref:         "/admin/providers/" + itoa(p.ID) + "/edit",
		RetireAction:     "/admin/providers/" + itoa(p.ID) + "/retire",
		AddProgrammeHref: "/admin/programmes/new?provider=" + itoa(p.ID),
	}
	if !p.Active {
		v.RetiredText = "CAP no longer works with this provider"
		if p.RetiredAt != nil {
			v.RetiredText += ": it was retired on " + components.FormatDate(*p.RetiredAt)
		}
		v.RetiredText += ". Its page stays so referrals and placements still show where they were."
	}
	for _, site := range p.Sites {
		v.Sites = append(v.Sites, pages.SiteRow{Name: site.Name, Address: joinAddress(site.Address, site.Postcode)})
	}
	for _, prog := range p.Programmes {
		v.Programmes = append(v.Programmes, programmeRow(prog))
	}
	s.render(w, r, http.StatusOK, pages.Provider(s.page(r, p.Name), v))
}

func joinAddress(address, postcode string) string {
	return strings.TrimSuffix(strings.TrimSpace(address+", "+postcode), ",")
}

// providerRows are a provider's details as a summary list.
func providerRows(p directory.Provider) []components.SummaryRow {
	var rows []components.SummaryRow
	if p.UKPRN != "" {
		rows = append(rows, components.SummaryRow{Key: "UKPRN", Value: p.UKPRN})
	}
	if p.URN != "" {
		rows = append(rows, components.SummaryRow{Key: "URN", Value: p.URN})
	}
	if p.SettingType != "" {
		rows = append(rows, components.SummaryRow{Key: "Type of setting", Value: p.SettingType})
	}
	registered := "Yes"
	if !p.Registered {
		registered = "No, it is an unregistered provider"
	}
	rows = append(rows,
		components.SummaryRow{Key: "Registered", Value: registered},
		components.SummaryRow{Key: "Address", Value: joinAddress(p.Address, p.Postcode)},
		components.SummaryRow{Key: "Phone", Value: p.Phone},
	)
	email := components.SummaryRow{Key: "Email", Value: p.Email}
	if p.Email != "" {
		email.ValueHTML = pages.DirectoryLink("mailto:"+p.Email, p.Email)
	}
	rows = append(rows, email)
	dsl := components.SummaryRow{Key: "Designated safeguarding lead", Value: "Not recorded: CAP must add one"}
	if p.DSLName != "" {
		dsl.ValueHTML = pages.DirectoryLines([]string{p.DSLName, p.DSLEmail, p.DSLPhone})
	}
	rows = append(rows, dsl)
	current := 0
	for _, prog := range p.Programmes {
		if prog.Active {
			current++
		}
	}
	runs := strconv.Itoa(current) + " current programmes"
	if current == 1 {
		runs = "1 current programme"
	}
	return append(rows, components.SummaryRow{Key: "Programmes", Value: runs})
}

// providerRetire asks for confirmation, then retires the provider and every programme it runs.
// Retiring a retired provider changes nothing and says so.
func (s *Server) providerRetire(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.directory.GetProvider(ctx, id)
	if s.failed(w, r, err) {
		return
	}
	back := providerHref(id)
	if r.PostForm.Get("confirm") != "yes" && p.Active {
		var current []string
		for _, prog := range p.Programmes {
			if prog.Active {
				current = append(current, prog.Name)
			}
		}
		paras := []string{p.Name + " will no longer appear in the CAP Directory, and its staff will no longer be able to sign in to its pages."}
		switch len(current) {
		case 0:
			paras = append(paras, "It runs no current programmes.")
		case 1:
			paras = append(paras, "Its programme "+current[0]+" will be retired too.")
		default:
			paras = append(paras, "Its "+strconv.Itoa(len(current))+" current programmes will be retired too: "+strings.Join(current, "; ")+".")
		}
		paras = append(paras, "Its page and its programmes’ pages stay, so referrals and placements still show where they were.")
		v := pages.RetireView{
			Caption: p.Name, Heading: "Are you sure you want to retire this provider?", Paragraphs: paras,
			Action: "/admin/providers/" + itoa(id) + "/retire", Button: "Yes, retire provider", CancelHref: back,
		}
		s.render(w, r, http.StatusOK, pages.RetireConfirm(s.page(r, "Retire "+p.Name), v))
		return
	}
	retired, n, err := s.directory.RetireProvider(ctx, dirActor(r), id)
	switch {
	case s.failed(w, r, err):
		return
	case !retired:
		s.flash(ctx, p.Name+" was already retired")
	case n == 1:
		s.flash(ctx, p.Name+" and its 1 current programme have been retired")
	default:
		s.flash(ctx, p.Name+" and its "+strconv.Itoa(n)+" current programmes have been retired")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
