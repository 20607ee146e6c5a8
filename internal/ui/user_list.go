package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/users"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const usersPerPage = 25

func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := users.ListFilter{Query: strings.TrimSpace(q.Get("q")), Role: auth.Role(q.Get("role")), Inactive: q.Get("inactive") == "1"}
	if f.Role != "" && !f.Role.Valid() {
		f.Role = ""
	}
	if id, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil {
		f.OrgID = id
	}
	if id, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.AfterID, f.AfterName = id, q.Get("after_name")
	} else if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID, f.BeforeName = id, q.Get("before_name")
	}
	list, more, err := s.users.List(ctx, f, usersPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.UsersView{
		Query: f.Query, Role: string(f.Role), Inactive: f.Inactive,
		RoleOptions: roleOptions(string(f.Role), "All roles"),
		OrgOptions:  orgOptions(orgs, q.Get("org"), "All organisations"),
	}
	for _, u := range list {
		row := pages.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Active: u.Active}
		for _, m := range u.Memberships {
			row.Roles = append(row.Roles, m.Role.Label()+", "+m.OrgName)
		}
		v.Users = append(v.Users, row)
	}
	if len(list) > 0 {
		keep := url.Values{"q": {q.Get("q")}, "role": {q.Get("role")}, "org": {q.Get("org")}, "inactive": {q.Get("inactive")}}
		k := keyset{Path: "/admin/users", Keep: keep, After: f.AfterID != 0, Before: f.BeforeID != 0, More: more}
		first, last := list[0], list[len(list)-1]
		v.PrevHref, v.NextHref = k.links(len(list), nameCursor(first.ID, first.Name), nameCursor(last.ID, last.Name))
	}
	s.render(w, r, http.StatusOK, pages.Users(s.page(r, "Users"), v))
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func roleOptions(selected, all string) []components.Option {
	opts := []components.Option{{Value: "", Label: all, Selected: selected == ""}}
	for _, role := range auth.AllRoles {
		opts = append(opts, components.Option{Value: string(role), Label: role.Label(), Selected: selected == string(role)})
	}
	return opts
}

func orgOptions(orgs []org.Organisation, selected, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == ""}}
	for _, o := range orgs {
		id := itoa(o.ID)
		opts = append(opts, components.Option{Value: id, Label: o.Name + " (" + o.KindLabel() + ")", Selected: selected == id})
	}
	return opts
}
