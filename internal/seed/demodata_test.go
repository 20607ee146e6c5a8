package seed

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	schoolRoles   = []string{RoleCoordinator, RoleDSL, RoleHeadteacher}
	providerRoles = []string{RoleProviderStaff, RoleProviderDSL}
	capRoles      = []string{RoleCAPAdmin, RoleMonitoringOfficer, RoleCAPDSL, RoleServiceLead}
	anyOrgRoles   = []string{RolePanelMember}

	// wantLoginOrder is the order the brief fixes for DemoRoleLogins.
	wantLoginOrder = []string{
		"cap_admin", "monitoring_officer", "cap_dsl", "service_lead", "panel_member",
		"coordinator", "dsl", "headteacher", "provider_staff", "provider_dsl",
	}

	realProviderNames = []string{
		"Coventry AP Academy", "Work 'N' Learn", "Lumen Academy", "MW Impact",
		"Intuitive Thinking Skills", "Outdoor Education Service", "Pet-Xi",
	}

	// Real people named in the CAP welcome pack; none may appear in demo data.
	realPeople = []string{"Donna Wood", "Catherine Harding", "Jemma Walton", "Lynette Whitehouse", "Janet Gilmore"}

	keyRe      = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	urnRe      = regexp.MustCompile(`^1[0-9]{5}$`)
	ukprnRe    = regexp.MustCompile(`^1[0-9]{7}$`)
	postcodeRe = regexp.MustCompile(`^CV[0-9]{1,2} [0-9][A-Z]{2}$`)
	landlineRe = regexp.MustCompile(`^024 7696 0[0-9]{3}$`)
	dramaRe    = regexp.MustCompile(`^(024 7696 0[0-9]{3}|07700 900[0-9]{3})$`)
	emailRe    = regexp.MustCompile(`^[a-z0-9.]+@[a-z0-9.-]+\.example$`)
)

func allRoles() []string {
	return slices.Concat(capRoles, anyOrgRoles, schoolRoles, providerRoles)
}

type orgKind int

const (
	kindCAP orgKind = iota + 1
	kindSchool
	kindProvider
)

func orgKinds(t *testing.T) map[string]orgKind {
	t.Helper()
	kinds := map[string]orgKind{CAPOrgKey: kindCAP}
	for _, s := range DemoSchools {
		if _, dup := kinds[s.Key]; dup {
			t.Errorf("duplicate org key %q (school)", s.Key)
		}
		kinds[s.Key] = kindSchool
	}
	for _, p := range DemoProviders {
		if _, dup := kinds[p.Key]; dup {
			t.Errorf("duplicate org key %q (provider)", p.Key)
		}
		kinds[p.Key] = kindProvider
	}
	return kinds
}

func userByEmail(email string) (DemoUser, bool) {
	i := slices.IndexFunc(DemoUsers, func(u DemoUser) bool { return u.Email == email })
	if i < 0 {
		return DemoUser{}, false
	}
	return DemoUsers[i], true
}

func TestKeysUnique(t *testing.T) {
	kinds := orgKinds(t)
	if want := 1 + len(DemoSchools) + len(DemoProviders); len(kinds) != want {
		t.Errorf("got %d distinct org keys, want %d", len(kinds), want)
	}
	for key := range kinds {
		if !keyRe.MatchString(key) {
			t.Errorf("org key %q is not a lower-case DNS label", key)
		}
	}
}

func TestEmailsUniqueAndReserved(t *testing.T) {
	seen := map[string]string{}
	check := func(email, what string) {
		t.Helper()
		if !emailRe.MatchString(email) || !strings.HasSuffix(email, ".example") {
			t.Errorf("%s: email %q is not a lower-case address on a .example domain", what, email)
		}
		if prev, dup := seen[email]; dup {
			t.Errorf("%s: email %q already used by %s", what, email, prev)
		}
		seen[email] = what
	}
	check(CAPEmail, "CAP")
	for _, s := range DemoSchools {
		check(s.Email, "school "+s.Key)
	}
	for _, p := range DemoProviders {
		check(p.Email, "provider "+p.Key)
		// A provider's DSL email may be the same address as its provider_dsl user.
		if !strings.HasSuffix(p.DSLEmail, ".example") || !emailRe.MatchString(p.DSLEmail) {
			t.Errorf("provider %s: DSL email %q is not on a .example domain", p.Key, p.DSLEmail)
		}
	}
	users := map[string]bool{}
	for _, u := range DemoUsers {
		if users[u.Email] {
			t.Errorf("duplicate user email %q", u.Email)
		}
		users[u.Email] = true
		check(u.Email, "user "+u.Name)
	}
}

func TestUserEmailDomainsMatchOrg(t *testing.T) {
	kinds := orgKinds(t)
	for _, u := range DemoUsers {
		var want string
		switch kinds[u.OrgKey] {
		case kindCAP:
			want = "@cap.example"
		case kindSchool:
			want = "@" + u.OrgKey + ".school.example"
		case kindProvider:
			want = "@" + u.OrgKey + ".provider.example"
		default:
			continue // reported by TestUserOrgsAndRoles
		}
		if !strings.HasSuffix(u.Email, want) {
			t.Errorf("user %s (org %s) email should end %q", u.Email, u.OrgKey, want)
		}
	}
}

func TestIdentifiersUnique(t *testing.T) {
	urns := map[string]string{}
	addURN := func(urn, what string) {
		t.Helper()
		if !urnRe.MatchString(urn) {
			t.Errorf("%s: URN %q is not 6 digits starting 1", what, urn)
		}
		if prev, dup := urns[urn]; dup {
			t.Errorf("%s: URN %s already used by %s", what, urn, prev)
		}
		urns[urn] = what
	}
	for _, s := range DemoSchools {
		addURN(s.URN, "school "+s.Key)
	}
	ukprns := map[string]string{}
	for _, p := range DemoProviders {
		if p.URN != "" {
			addURN(p.URN, "provider "+p.Key)
		}
		if p.UKPRN != "" {
			if !ukprnRe.MatchString(p.UKPRN) {
				t.Errorf("provider %s: UKPRN %q is not 8 digits starting 1", p.Key, p.UKPRN)
			}
			if prev, dup := ukprns[p.UKPRN]; dup {
				t.Errorf("provider %s: UKPRN %s already used by %s", p.Key, p.UKPRN, prev)
			}
			ukprns[p.UKPRN] = p.Key
		}
	}
}

func TestContactDetails(t *testing.T) {
	phones := map[string]string{}
	addPhone := func(phone, what string, re *regexp.Regexp) {
		t.Helper()
		if !re.MatchString(phone) {
			t.Errorf("%s: phone %q is outside the Ofcom drama range", what, phone)
		}
		if prev, dup := phones[phone]; dup {
			t.Errorf("%s: phone %s already used by %s", what, phone, prev)
		}
		phones[phone] = what
	}
	for _, s := range DemoSchools {
		addPhone(s.Phone, "school "+s.Key, landlineRe)
		if !postcodeRe.MatchString(s.Postcode) {
			t.Errorf("school %s: postcode %q is not a CV postcode", s.Key, s.Postcode)
		}
		if s.Name == "" || !strings.HasSuffix(s.Address, "Coventry") {
			t.Errorf("school %s: want a name and a Coventry address, got %q, %q", s.Key, s.Name, s.Address)
		}
	}
	for _, p := range DemoProviders {
		addPhone(p.Phone, "provider "+p.Key, landlineRe)
		addPhone(p.DSLPhone, "provider "+p.Key+" DSL", dramaRe)
		if !postcodeRe.MatchString(p.Postcode) {
			t.Errorf("provider %s: postcode %q is not a CV postcode", p.Key, p.Postcode)
		}
		if p.Name == "" || p.Address == "" || p.DSLName == "" {
			t.Errorf("provider %s: name, address and DSL name are required", p.Key)
		}
	}
}

func TestSchools(t *testing.T) {
	if len(DemoSchools) < 20 {
		t.Fatalf("got %d schools, want at least 20", len(DemoSchools))
	}
	if first := DemoSchools[0]; first.Key != "whitmore" || !first.SLA2526 || !first.SLA2627 {
		t.Errorf("first school = %+v, want key whitmore with both SLAs", first)
	}
	var no2526, no2627 int
	for _, s := range DemoSchools {
		if !s.SLA2526 {
			no2526++
		}
		if !s.SLA2627 {
			no2627++
		}
	}
	if no2526 != 2 {
		t.Errorf("%d schools lack a 2025/26 SLA, want exactly 2", no2526)
	}
	if no2627 < 5 {
		t.Errorf("%d schools lack a 2026/27 SLA, want at least 5", no2627)
	}
}

func TestProviders(t *testing.T) {
	if len(DemoProviders) != 50 {
		t.Errorf("got %d providers, want exactly 50", len(DemoProviders))
	}
	names := map[string]bool{}
	for _, p := range DemoProviders {
		if names[p.Name] {
			t.Errorf("duplicate provider name %q", p.Name)
		}
		names[p.Name] = true
	}
	for _, n := range realProviderNames {
		if !names[n] {
			t.Errorf("real provider %q is missing", n)
		}
	}
	i := slices.IndexFunc(DemoProviders, func(p DemoProvider) bool { return p.Key == "capa" })
	if i < 0 {
		t.Fatal(`provider "capa" is missing`)
	}
	capa := DemoProviders[i]
	if capa.Name != "Coventry AP Academy" || capa.SettingType != "Alternative provision academy" || capa.URN == "" || !capa.Registered {
		t.Errorf("capa = %+v, want registered Coventry AP Academy with a URN and setting type", capa)
	}
	if len(DemoProviders) > len(realProviderNames) {
		if first := DemoProviders[len(realProviderNames)]; first.Key != "ridgeway" {
			t.Errorf("first fictional provider key = %q, want ridgeway", first.Key)
		}
	}
}

// TestProviderIdentifierKind checks that each provider is identified in exactly
// one way: by a UKPRN, by a URN, or (unregistered) by a setting type alone.
// Coventry AP Academy is the one URN holder that also states its setting type.
func TestProviderIdentifierKind(t *testing.T) {
	registered := 0
	for _, p := range DemoProviders {
		kinds := 0
		if p.UKPRN != "" {
			kinds++
		}
		if p.URN != "" {
			kinds++
		}
		if kinds == 0 && p.SettingType != "" {
			kinds++
		}
		if kinds != 1 {
			t.Errorf("provider %s has %d identifier kinds (UKPRN %q, URN %q, setting %q), want 1",
				p.Key, kinds, p.UKPRN, p.URN, p.SettingType)
		}
		if p.SettingType != "" && (p.UKPRN != "" || p.URN != "") && p.Key != "capa" {
			t.Errorf("provider %s has a setting type as well as a UKPRN or URN", p.Key)
		}
		if hasReg := p.UKPRN != "" || p.URN != ""; hasReg != p.Registered {
			t.Errorf("provider %s: Registered = %v but UKPRN/URN present = %v", p.Key, p.Registered, hasReg)
		}
		if p.Registered {
			registered++
		}
	}
	if registered < 35 || registered > 45 {
		t.Errorf("%d registered providers, want about 40", registered)
	}
}

func TestUserOrgsAndRoles(t *testing.T) {
	kinds := orgKinds(t)
	known := allRoles()
	seen := map[string]bool{}
	for _, u := range DemoUsers {
		kind, ok := kinds[u.OrgKey]
		if !ok {
			t.Errorf("user %s: unknown org key %q", u.Email, u.OrgKey)
			continue
		}
		if u.Name == "" || len(u.Roles) == 0 {
			t.Errorf("user %s: needs a name and at least one role", u.Email)
		}
		for i, r := range u.Roles {
			if !slices.Contains(known, r) {
				t.Errorf("user %s: unknown role %q", u.Email, r)
			}
			if slices.Contains(u.Roles[:i], r) {
				t.Errorf("user %s: role %q listed twice", u.Email, r)
			}
			seen[r] = true
			switch {
			case slices.Contains(schoolRoles, r) && kind != kindSchool:
				t.Errorf("user %s: school role %q outside a school (org %s)", u.Email, r, u.OrgKey)
			case slices.Contains(providerRoles, r) && kind != kindProvider:
				t.Errorf("user %s: provider role %q outside a provider (org %s)", u.Email, r, u.OrgKey)
			case slices.Contains(capRoles, r) && kind != kindCAP:
				t.Errorf("user %s: CAP role %q outside CAP (org %s)", u.Email, r, u.OrgKey)
			}
		}
	}
	for _, r := range known {
		if !seen[r] {
			t.Errorf("no demo user has role %q", r)
		}
	}
}

func TestRequiredUsers(t *testing.T) {
	want := []struct {
		email, org string
		roles      []string
	}{
		{"admin@cap.example", "cap", []string{RoleCAPAdmin}},
		{"monitoring@cap.example", "cap", []string{RoleMonitoringOfficer}},
		{"safeguarding@cap.example", "cap", []string{RoleCAPDSL}},
		{"lead@cap.example", "cap", []string{RoleServiceLead, RolePanelMember}},
		{"panel@cap.example", "cap", []string{RolePanelMember}},
		{"coordinator@whitmore.school.example", "whitmore", []string{RoleCoordinator}},
		{"dsl@whitmore.school.example", "whitmore", []string{RoleDSL}},
		{"headteacher@whitmore.school.example", "whitmore", []string{RoleHeadteacher, RolePanelMember}},
		{"staff@ridgeway.provider.example", "ridgeway", []string{RoleProviderStaff}},
		{"dsl@ridgeway.provider.example", "ridgeway", []string{RoleProviderDSL}},
		{"staff@capa.provider.example", "capa", []string{RoleProviderStaff}},
	}
	for _, s := range DemoSchools {
		want = append(want, struct {
			email, org string
			roles      []string
		}{"coordinator@" + s.Key + ".school.example", s.Key, []string{RoleCoordinator}})
	}
	for _, p := range DemoProviders {
		want = append(want, struct {
			email, org string
			roles      []string
		}{"staff@" + p.Key + ".provider.example", p.Key, []string{RoleProviderStaff}})
	}
	for _, w := range want {
		u, ok := userByEmail(w.email)
		if !ok {
			t.Errorf("required user %s is missing", w.email)
			continue
		}
		if u.OrgKey != w.org {
			t.Errorf("user %s: org %q, want %q", w.email, u.OrgKey, w.org)
		}
		for _, r := range w.roles {
			if !slices.Contains(u.Roles, r) {
				t.Errorf("user %s: roles %v lack %q", w.email, u.Roles, r)
			}
		}
	}

	count := func(org, role string) int {
		n := 0
		for _, u := range DemoUsers {
			if u.OrgKey == org && slices.Contains(u.Roles, role) {
				n++
			}
		}
		return n
	}
	if n := count(CAPOrgKey, RoleCAPAdmin); n < 2 {
		t.Errorf("CAP has %d cap_admin users, want at least 2", n)
	}
	if n := count("ridgeway", RoleProviderStaff); n < 2 {
		t.Errorf("ridgeway has %d provider_staff users, want at least 2", n)
	}
	if n := count("capa", RoleProviderDSL); n < 1 {
		t.Error("capa has no provider_dsl user")
	}
}

// TestPeopleFictional guards against accidental reuse of real people's names
// and keeps every fictional person distinct.
func TestPeopleFictional(t *testing.T) {
	owner := map[string]string{} // person name -> email or provider DSL slot
	for _, u := range DemoUsers {
		if prev, dup := owner[u.Name]; dup {
			t.Errorf("name %q used by both %s and %s", u.Name, prev, u.Email)
		}
		owner[u.Name] = u.Email
	}
	for _, p := range DemoProviders {
		prev, dup := owner[p.DSLName]
		if dup && prev != p.DSLEmail {
			t.Errorf("provider %s DSL name %q already belongs to %s", p.Key, p.DSLName, prev)
		}
		if dup {
			if u, _ := userByEmail(prev); !slices.Contains(u.Roles, RoleProviderDSL) || u.OrgKey != p.Key {
				t.Errorf("provider %s DSL %q matches user %s, who is not its provider_dsl", p.Key, p.DSLName, prev)
			}
		}
		owner[p.DSLName] = p.DSLEmail
	}
	for name := range owner {
		for _, real := range realPeople {
			if strings.EqualFold(name, real) {
				t.Errorf("demo data uses the real name %q", name)
			}
		}
	}
}

func TestDemoRoleLogins(t *testing.T) {
	logins := DemoRoleLogins()
	roles := DemoLoginRoles()
	if !slices.Equal(roles, wantLoginOrder) {
		t.Errorf("DemoLoginRoles() = %v, want %v", roles, wantLoginOrder)
	}
	if len(logins) != len(wantLoginOrder) {
		t.Fatalf("DemoRoleLogins() returned %d users, want %d", len(logins), len(wantLoginOrder))
	}
	covered := map[string]bool{}
	for i, u := range logins {
		role := wantLoginOrder[i]
		if !slices.Contains(u.Roles, role) {
			t.Errorf("login %d (%s) has roles %v, want %q", i, u.Email, u.Roles, role)
		}
		if _, ok := userByEmail(u.Email); !ok {
			t.Errorf("login %s is not in DemoUsers", u.Email)
		}
		covered[role] = true
	}
	for _, r := range allRoles() {
		if !covered[r] {
			t.Errorf("DemoRoleLogins does not cover role %q", r)
		}
	}
	// The returned users must not alias DemoUsers' role slices.
	logins[0].Roles[0] = "mutated"
	if u, _ := userByEmail(logins[0].Email); slices.Contains(u.Roles, "mutated") {
		t.Error("DemoRoleLogins shares Roles slices with DemoUsers")
	}
}
