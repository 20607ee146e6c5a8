package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/users"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) userShow(w http.ResponseWriter, r *http.Request) {
	s.renderUser(w, r, http.StatusOK, pages.UserView{})
}

// renderUser shows a user's page, keeping the grant form's choices and errors when there are some.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, v pages.UserView) {
	ctx := r.Context()
	u, ok := load(s, w, r, "id", s.users.Get)
	if !ok {
		return
	}
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.ID, v.Name, v.Email, v.Active = u.ID, u.Name, u.Email, u.Active
	v.Created = components.FormatDate(u.CreatedAt)
	v.IsSelf = auth.FromContext(ctx).UserID == u.ID
	sf, err := s.secondFactors.Status(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case sf.Enrolled:
		v.SecondFactor = "Set up on " + components.FormatDate(sf.EnrolledAt) + ", " + strconv.Itoa(sf.RecoveryLeft) + " recovery codes left"
	case sf.PendingSetUp:
		v.SecondFactor = "Being set up"
	default:
		v.SecondFactor = "Not set up"
	}
	v.CanResetSecondFactor = sf.Enrolled || sf.PendingSetUp
	for _, m := range u.Memberships {
		v.Memberships = append(v.Memberships, pages.MembershipRow{
			OrgID: m.OrgID, OrgName: m.OrgName, OrgKind: org.Organisation{Kind: m.OrgKind}.KindLabel(),
			Role: string(m.Role), Label: m.Role.Label(),
		})
	}
	v.RoleOptions = roleOptions(v.GrantRole, "Choose a role")
	v.OrgOptions = orgOptions(orgs, v.GrantOrg, "Choose an organisation")
	lp := s.page(r, u.Name)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.User(lp, v))
}

func (s *Server) userRoleGrant(w http.ResponseWriter, r *http.Request) {
	s.changeRole(w, r, true)
}

func (s *Server) userRoleRevoke(w http.ResponseWriter, r *http.Request) {
	s.changeRole(w, r, false)
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request, grant bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	v := pages.UserView{GrantRole: r.PostForm.Get("role"), GrantOrg: r.PostForm.Get("org")}
	role := auth.Role(v.GrantRole)
	orgID, err := strconv.ParseInt(v.GrantOrg, 10, 64)
	if !role.Valid() {
		v.Errors.Add("role", "Choose a role")
	}
	if err != nil {
		v.Errors.AddAt("org", "grant-org", "Choose an organisation")
	}
	if v.Errors.Any() {
		s.renderUser(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if grant {
		err = s.users.Grant(ctx, actor(r), id, orgID, role)
	} else {
		err = s.users.Revoke(ctx, actor(r), id, orgID, role)
	}
	switch {
	case errors.Is(err, users.ErrRoleNotAllowed):
		v.Errors.Add("role", role.Label()+" cannot be held in that organisation: school roles are for schools, provider roles for training providers and CAP roles for CAP")
		s.renderUser(w, r, http.StatusUnprocessableEntity, v)
		return
	case errors.Is(err, users.ErrLastAdmin):
		s.flashError(ctx, "You cannot remove the last CAP admin role. Give another person the role first.")
	case s.failed(w, r, err):
		return
	case grant:
		s.flash(ctx, "Role granted: "+role.Label())
	default:
		s.flash(ctx, "Role revoked: "+role.Label())
	}
	http.Redirect(w, r, "/admin/users/"+itoa(id), http.StatusSeeOther)
}

func (s *Server) userDeactivate(w http.ResponseWriter, r *http.Request) { s.setActive(w, r, false) }

func (s *Server) userReactivate(w http.ResponseWriter, r *http.Request) { s.setActive(w, r, true) }

func (s *Server) setActive(w http.ResponseWriter, r *http.Request, active bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !active && auth.FromContext(ctx).UserID == id {
		s.flashError(ctx, "You cannot deactivate your own account. Ask another CAP admin to do it.")
		http.Redirect(w, r, "/admin/users/"+itoa(id), http.StatusSeeOther)
		return
	}
	err := s.users.SetActive(ctx, actor(r), id, active)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	case errors.Is(err, users.ErrLastAdmin):
		s.flashError(ctx, "You cannot deactivate the last CAP admin. Give another person the role first.")
	case err != nil:
		s.serverError(w, r, err)
		return
	case active:
		s.flash(ctx, "User reactivated: they can sign in again")
	default:
		s.flash(ctx, "User deactivated: they have been signed out and cannot sign in")
	}
	http.Redirect(w, r, "/admin/users/"+itoa(id), http.StatusSeeOther)
}
