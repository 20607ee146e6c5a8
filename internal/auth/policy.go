package auth

import "strings"

// Policy says who may use a route. Every route declares one in internal/ui/routes.go.
type Policy struct {
	public bool
	roles  []Role
}

// Public lets anyone use the route, signed in or not.
func Public() Policy { return Policy{public: true} }

// SignedIn lets any signed-in person use the route.
func SignedIn() Policy { return Policy{} }

// AnyOf lets a signed-in person who holds at least one of the roles use the route.
func AnyOf(roles ...Role) Policy {
	if len(roles) == 0 {
		panic("auth.AnyOf needs at least one role: use SignedIn for any signed-in person")
	}
	return Policy{roles: roles}
}

// IsPublic reports whether the route needs no sign-in.
func (p Policy) IsPublic() bool { return p.public }

// Allows reports whether the principal (nil when signed out) may use the route.
func (p Policy) Allows(pr *Principal) bool {
	if p.public {
		return true
	}
	if pr == nil {
		return false
	}
	return len(p.roles) == 0 || pr.HasAny(p.roles...)
}

// String describes the policy for the route listing and error messages.
func (p Policy) String() string {
	switch {
	case p.public:
		return "public"
	case len(p.roles) == 0:
		return "signed in"
	}
	names := make([]string, len(p.roles))
	for i, r := range p.roles {
		names[i] = string(r)
	}
	return "roles: " + strings.Join(names, ", ")
}
