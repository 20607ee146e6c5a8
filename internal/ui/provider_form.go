package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// providerForm is the provider form as typed: the strings to show again, and what they mean.
type providerForm struct {
	v          pages.ProviderFormView
	registered string // "yes", "no" or ""
	in         directory.ProviderInput
	rowPrefix  []string // the form prefix of each site in in.Sites
	errs       components.Errors
}

func (s *Server) providerNew(w http.ResponseWriter, r *http.Request) {
	f := providerForm{}
	f.v.Sites = []pages.SiteFormRow{{Prefix: "site-1"}}
	s.renderProviderForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) providerEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", s.directory.GetProvider)
	if !ok {
		return
	}
	if !p.Active {
		s.refusedRetiredProvider(w, r, p.ID)
		return
	}
	f := providerForm{registered: "no"}
	if p.Registered {
		f.registered = "yes"
	}
	f.v.Name, f.v.UKPRN, f.v.URN, f.v.SettingType = p.Name, p.UKPRN, p.URN, p.SettingType
	f.v.Address, f.v.Postcode, f.v.Phone, f.v.Email = p.Address, p.Postcode, p.Phone, p.Email
	f.v.DSLName, f.v.DSLEmail, f.v.DSLPhone = p.DSLName, p.DSLEmail, p.DSLPhone
	for i, site := range p.Sites {
		f.v.Sites = append(f.v.Sites, pages.SiteFormRow{
			Prefix: "site-" + strconv.Itoa(i+1), ID: itoa(site.ID), Existing: true,
			Name: site.Name, Address: site.Address, Postcode: site.Postcode,
		})
	}
	f.v.Sites = append(f.v.Sites, pages.SiteFormRow{Prefix: "site-" + strconv.Itoa(len(p.Sites)+1)})
	s.renderProviderForm(w, r, http.StatusOK, p.ID, f)
}

func (s *Server) refusedRetiredProvider(w http.ResponseWriter, r *http.Request, id int64) {
	s.dirRefused(w, r, http.StatusConflict, "This provider has been retired",
		pages.Link{Text: "Go back to the provider", Href: providerHref(id)},
		"A retired provider cannot be changed, so that referrals and placements still show where they were.",
		"If CAP works with them again, add them as a new provider.")
}

// renderProviderForm shows the form for a new provider (id 0) or a change to one.
func (s *Server) renderProviderForm(w http.ResponseWriter, r *http.Request, status int, id int64, f providerForm) {
	v := f.v
	if id == 0 {
		v.Title, v.Submit, v.Action, v.BackHref = "Add a training provider", "Add provider", "/admin/providers", "/directory"
	} else {
		v.Title, v.Caption, v.Submit, v.Action, v.BackHref = "Change provider", v.Name, "Save changes", "/admin/providers/"+itoa(id), providerHref(id)
		if f.errs.Has("name") {
			v.Caption = ""
		}
	}
	v.RegisteredItems = []components.Choice{
		{Value: "yes", Label: "Yes", Checked: f.registered == "yes"},
		{Value: "no", Label: "No", Checked: f.registered == "no"},
	}
	lp := s.page(r, v.Title)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.ProviderForm(lp, v))
}

// readProviderForm reads the posted form as typed, to show again.
func readProviderForm(pf url.Values) providerForm {
	get := func(k string) string { return strings.TrimSpace(pf.Get(k)) }
	f := providerForm{registered: get("registered")}
	f.v.Name, f.v.UKPRN, f.v.URN, f.v.SettingType = get("name"), get("ukprn"), get("urn"), get("setting_type")
	f.v.Address, f.v.Postcode, f.v.Phone, f.v.Email = get("address"), get("postcode"), get("phone"), get("email")
	f.v.DSLName, f.v.DSLEmail, f.v.DSLPhone = get("dsl_name"), get("dsl_email"), get("dsl_phone")
	rows, _ := strconv.Atoi(pf.Get("site_rows"))
	rows = min(max(rows, 0), maxFormRows)
	for i := 1; i <= rows; i++ {
		prefix := "site-" + strconv.Itoa(i)
		row := pages.SiteFormRow{
			Prefix: prefix, ID: get(prefix + "-id"), Remove: pf.Get(prefix+"-remove") == "1",
			Name: get(prefix + "-name"), Address: get(prefix + "-address"), Postcode: get(prefix + "-postcode"),
		}
		id, _ := strconv.ParseInt(row.ID, 10, 64)
		row.Existing = id > 0
		f.v.Sites = append(f.v.Sites, row)
	}
	if n := len(f.v.Sites); n < maxFormRows && (n == 0 || f.v.Sites[n-1].Existing || f.v.Sites[n-1].Name+f.v.Sites[n-1].Address+f.v.Sites[n-1].Postcode != "") {
		f.v.Sites = append(f.v.Sites, pages.SiteFormRow{Prefix: "site-" + strconv.Itoa(n+1)})
	}
	return f
}

// problems interprets what was typed as the provider (f.in) and records what is wrong.
func (f *providerForm) problems() {
	in := directory.ProviderInput{
		Name: f.v.Name, UKPRN: f.v.UKPRN, URN: f.v.URN, SettingType: f.v.SettingType, Registered: f.registered == "yes",
		Address: f.v.Address, Postcode: f.v.Postcode, Phone: f.v.Phone, Email: f.v.Email,
		DSLName: f.v.DSLName, DSLEmail: f.v.DSLEmail, DSLPhone: f.v.DSLPhone,
	}
	if f.registered != "yes" && f.registered != "no" {
		f.errs.Add("registered", "Select whether the provider is registered")
		f.registered = ""
	}
	for _, row := range f.v.Sites {
		id, _ := strconv.ParseInt(row.ID, 10, 64)
		blank := row.Name == "" && row.Address == "" && row.Postcode == ""
		if (row.Existing && row.Remove) || (!row.Existing && blank) {
			continue
		}
		in.Sites = append(in.Sites, directory.SiteInput{ID: id, Name: row.Name, Address: row.Address, Postcode: row.Postcode})
		f.rowPrefix = append(f.rowPrefix, row.Prefix)
	}
	in.Normalise()
	problems := in.Validate()
	if f.registered == "" {
		// Unanswered, so keep only the problems that hold whichever the answer: without one, asking
		// for a UKPRN or a type of setting would only confuse.
		other := in
		other.Registered = !in.Registered
		alsoOther := map[directory.Problem]bool{}
		for _, p := range other.Validate() {
			alsoOther[p] = true
		}
		problems = slices.DeleteFunc(problems, func(p directory.Problem) bool { return !alsoOther[p] })
	}
	for _, p := range problems {
		field := p.Field
		if p.Row > 0 {
			field = f.rowPrefix[p.Row-1] + "-" + p.Field
		}
		f.errs.Add(field, p.Message)
	}
	f.in = in
}

// withErrors puts the problems into the view, in the order of the form.
func (f providerForm) withErrors() providerForm {
	for i := range f.v.Sites {
		row := &f.v.Sites[i]
		row.NameError = f.errs.For(row.Prefix + "-name")
		row.AddressError = f.errs.For(row.Prefix + "-address")
		row.PostcodeError = f.errs.For(row.Prefix + "-postcode")
	}
	f.v.Errors = f.errs.InOrder(f.v.FieldOrder())
	return f
}

func (s *Server) providerCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	f := readProviderForm(r.PostForm)
	f.problems()
	if !f.errs.Any() {
		id, err := s.directory.CreateProvider(ctx, dirActor(r), f.in)
		var dup directory.ErrDuplicate
		var taken directory.ErrIdentifierTaken
		switch {
		case errors.As(err, &dup) && dup.Same:
			// The form sent twice: show the provider the first send added.
			s.flash(ctx, f.in.Name+" is already in the CAP Directory")
			http.Redirect(w, r, providerHref(dup.ID), http.StatusSeeOther)
			return
		case errors.As(err, &dup):
			// A different provider with the same name: keep what was typed rather than lose it.
			f.errs.Add("name", "A provider called "+f.in.Name+" is already in the CAP Directory")
		case errors.As(err, &taken):
			f.errs.Add(taken.Field, "Another organisation already has this "+strings.ToUpper(taken.Field)+": check it")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.flash(ctx, f.in.Name+" has been added to the CAP Directory")
			http.Redirect(w, r, providerHref(id), http.StatusSeeOther)
			return
		}
	}
	s.renderProviderForm(w, r, http.StatusUnprocessableEntity, 0, f.withErrors())
}

func (s *Server) providerUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := readProviderForm(r.PostForm)
	f.problems()
	if !f.errs.Any() {
		changed, err := s.directory.UpdateProvider(ctx, dirActor(r), id, f.in)
		var dup directory.ErrDuplicate
		var taken directory.ErrIdentifierTaken
		switch {
		case errors.Is(err, db.ErrNotFound):
			s.notFound(w, r)
			return
		case errors.Is(err, directory.ErrRetired):
			s.refusedRetiredProvider(w, r, id)
			return
		case errors.As(err, &dup):
			f.errs.Add("name", "Another current provider is already called "+f.in.Name+": choose another name")
		case errors.As(err, &taken):
			f.errs.Add(taken.Field, "Another organisation already has this "+strings.ToUpper(taken.Field)+": check it")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			if changed {
				s.flash(ctx, "Your changes to "+f.in.Name+" have been saved")
			} else {
				s.flash(ctx, "Nothing was changed")
			}
			http.Redirect(w, r, providerHref(id), http.StatusSeeOther)
			return
		}
	}
	s.renderProviderForm(w, r, http.StatusUnprocessableEntity, id, f.withErrors())
}
