package ui

import (
	"errors"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/users"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) {
	s.renderUserForm(w, r, http.StatusOK, pages.UserFormView{})
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, v pages.UserFormView) {
	orgs, err := s.orgs.List(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.OrgOptions = orgOptions(orgs, v.Org, "Choose an organisation")
	for _, role := range auth.AllRoles {
		v.RoleItems = append(v.RoleItems, components.Choice{Value: string(role), Label: role.Label(), Checked: slices.Contains(v.Roles, string(role))})
	}
	lp := s.page(r, "Add a user")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.UserNew(lp, v))
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	v := pages.UserFormView{
		Name:  strings.TrimSpace(r.PostForm.Get("name")),
		Email: strings.TrimSpace(r.PostForm.Get("email")),
		Org:   r.PostForm.Get("org"),
		Roles: r.PostForm["roles"],
	}
	password := r.PostForm.Get("password")
	if v.Name == "" {
		v.Errors.Add("name", "Enter their full name")
	}
	if v.Email == "" {
		v.Errors.Add("email", "Enter their email address")
	} else if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != v.Email || !strings.Contains(v.Email, ".") {
		v.Errors.Add("email", "Enter an email address in the correct format, like name@example.com")
	}
	var o org.Organisation
	orgID, perr := strconv.ParseInt(v.Org, 10, 64)
	if perr == nil {
		var err error
		o, err = s.orgs.Get(ctx, orgID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
	}
	if o.ID == 0 || !o.Active {
		v.Errors.Add("org", "Choose the organisation they work for")
	}
	var roles []auth.Role
	for _, name := range v.Roles {
		role := auth.Role(name)
		if !role.Valid() {
			continue
		}
		roles = append(roles, role)
	}
	if len(roles) == 0 {
		v.Errors.Add("roles", "Choose at least one role")
	} else if o.ID != 0 {
		for _, role := range roles {
			if !role.AllowedIn(o.Kind) {
				v.Errors.Add("roles", role.Label()+" cannot be held at "+o.Name+": choose a role for a "+strings.ToLower(o.KindLabel()))
				break
			}
		}
	}
	if len(password) < auth.MinPasswordLength {
		v.Errors.Add("password", "Enter a first password of at least 12 characters")
	}
	if !v.Errors.Any() {
		id, err := s.users.Create(ctx, actor(r), users.NewUser{Email: v.Email, Name: v.Name, Password: password, OrgID: orgID, Roles: roles})
		switch {
		case errors.Is(err, users.ErrEmailTaken):
			// A double submit lands here too: point at the account that exists rather than failing.
			if existing, gerr := s.users.GetByEmail(ctx, v.Email); gerr == nil && existing.Name == v.Name {
				s.flash(ctx, "The user "+existing.Name+" has already been added")
				http.Redirect(w, r, "/admin/users/"+itoa(existing.ID), http.StatusSeeOther)
				return
			}
			v.Errors.Add("email", "A user with this email address already exists")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.flash(ctx, "User "+v.Name+" added")
			http.Redirect(w, r, "/admin/users/"+itoa(id), http.StatusSeeOther)
			return
		}
	}
	s.renderUserForm(w, r, http.StatusUnprocessableEntity, v)
}
