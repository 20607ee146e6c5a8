package auth_test

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/auth"
)

func TestCheckPasswordAcceptsTheRightPasswordAndRefusesAWrongOne(t *testing.T) {
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := auth.CheckPassword(hash, "correct horse battery staple")
	if err != nil || !ok {
		t.Errorf("right password: ok=%v err=%v, want true and no error", ok, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "} {
		ok, err := auth.CheckPassword(hash, wrong)
		if err != nil || ok {
			t.Errorf("wrong password %q: ok=%v err=%v, want false and no error", wrong, ok, err)
		}
	}
}

func TestHashPasswordSaltsEveryHashDifferently(t *testing.T) {
	a, err := auth.HashPassword("the same password")
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.HashPassword("the same password")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two hashes of one password are identical: the salt is not random")
	}
	saltA, saltB := strings.Split(a, "$")[4], strings.Split(b, "$")[4]
	if saltA == saltB {
		t.Errorf("two hashes share the salt %q", saltA)
	}
	for _, h := range []string{a, b} {
		if ok, err := auth.CheckPassword(h, "the same password"); !ok || err != nil {
			t.Errorf("hash %q does not verify its own password: ok=%v err=%v", h, ok, err)
		}
	}
}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)

func TestHashPasswordWritesArgon2idInPHCFormatWithOWASPParameters(t *testing.T) {
	hash, err := auth.HashPassword("a password of some length")
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(hash)
	if m == nil {
		t.Fatalf("hash %q is not $argon2id$v=19$m=19456,t=2,p=1$salt$key", hash)
	}
	salt, err := base64.RawStdEncoding.DecodeString(m[1])
	if err != nil || len(salt) != 16 {
		t.Errorf("salt %q: %d bytes (err %v), want 16 bytes of unpadded base64", m[1], len(salt), err)
	}
	key, err := base64.RawStdEncoding.DecodeString(m[2])
	if err != nil || len(key) != 32 {
		t.Errorf("key %q: %d bytes (err %v), want 32 bytes of unpadded base64", m[2], len(key), err)
	}
}

func TestCheckPasswordReturnsAnErrorForAMalformedHash(t *testing.T) {
	good, err := auth.HashPassword("a password of some length")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..., salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	cases := map[string]string{
		"empty":                   "",
		"bcrypt":                  "$2a$10$abcdefghijklmnopqrstuuZ1Wcq0z9nZxq8gZP1qS3e1h7bQJjv2K",
		"argon2i not argon2id":    with(1, "argon2i"),
		"too few parts":           strings.Join(parts[:5], "$"),
		"too many parts":          good + "$extra",
		"other version":           with(2, "v=16"),
		"no version":              with(2, "version"),
		"no parameters":           with(3, "m=,t=,p="),
		"parameters out of order": with(3, "t=2,m=19456,p=1"),
		"salt not base64":         with(4, "!!!!"),
		"key not base64":          with(5, "!!!!"),
		"no key":                  with(5, ""),
		"no salt":                 with(4, ""),
		"no lanes":                with(3, "m=19456,t=2,p=0"),
		"no iterations":           with(3, "m=19456,t=0,p=1"),
		"no memory":               with(3, "m=0,t=2,p=1"),
		"absurd memory":           with(3, "m=4294967295,t=2,p=1"),
	}
	for name, hash := range cases {
		t.Run(name, func(t *testing.T) {
			var ok bool
			var err error
			func() {
				defer func() {
					if v := recover(); v != nil {
						t.Fatalf("CheckPassword panicked on %q: %v", hash, v)
					}
				}()
				ok, err = auth.CheckPassword(hash, "a password of some length")
			}()
			if err == nil {
				t.Errorf("CheckPassword(%q) gave no error (ok=%v)", hash, ok)
			}
			if ok {
				t.Errorf("CheckPassword(%q) accepted the password", hash)
			}
		})
	}
}

func principal(roles ...auth.Role) *auth.Principal {
	p := &auth.Principal{UserID: 1, Email: "someone@cap.example"}
	for _, r := range roles {
		p.Memberships = append(p.Memberships, auth.Membership{OrgID: 1, Role: r})
	}
	return p
}

func TestPolicyAllows(t *testing.T) {
	cases := []struct {
		name   string
		policy auth.Policy
		who    *auth.Principal
		want   bool
	}{
		{"public, signed out", auth.Public(), nil, true},
		{"public, signed in without roles", auth.Public(), principal(), true},
		{"public, signed in with a role", auth.Public(), principal(auth.Coordinator), true},
		{"signed in, signed out", auth.SignedIn(), nil, false},
		{"signed in, no roles at all", auth.SignedIn(), principal(), true},
		{"signed in, with a role", auth.SignedIn(), principal(auth.ProviderStaff), true},
		{"any of, signed out", auth.AnyOf(auth.CAPAdmin), nil, false},
		{"any of, no roles", auth.AnyOf(auth.CAPAdmin), principal(), false},
		{"any of, another role", auth.AnyOf(auth.CAPAdmin), principal(auth.Coordinator), false},
		{"any of, the role", auth.AnyOf(auth.CAPAdmin), principal(auth.CAPAdmin), true},
		{"any of two, the second", auth.AnyOf(auth.CAPAdmin, auth.ServiceLead), principal(auth.ServiceLead), true},
		{"any of two, neither", auth.AnyOf(auth.CAPAdmin, auth.ServiceLead), principal(auth.PanelMember, auth.CAPDSL), false},
		{"any of, the role among others", auth.AnyOf(auth.ServiceLead), principal(auth.PanelMember, auth.ServiceLead), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.policy.Allows(tc.who); got != tc.want {
				t.Errorf("%s.Allows = %v, want %v", tc.policy, got, tc.want)
			}
		})
	}
}

func TestPolicyIsPublicOnlyForPublic(t *testing.T) {
	if !auth.Public().IsPublic() {
		t.Error("Public() is not public")
	}
	if auth.SignedIn().IsPublic() || auth.AnyOf(auth.CAPAdmin).IsPublic() {
		t.Error("a signed-in policy says it is public")
	}
}

func TestAnyOfWithoutRolesPanics(t *testing.T) {
	// An empty AnyOf would silently mean "anyone signed in"; it must be a programming error instead.
	defer func() {
		if recover() == nil {
			t.Error("AnyOf() with no roles did not panic")
		}
	}()
	auth.AnyOf()
}

func TestRoleAllowedInOnlyItsKindOfOrganisation(t *testing.T) {
	kinds := []auth.OrgKind{auth.LA, auth.School, auth.Provider}
	allowed := map[auth.Role][]auth.OrgKind{
		auth.Coordinator:       {auth.School},
		auth.SchoolDSL:         {auth.School},
		auth.Headteacher:       {auth.School},
		auth.ProviderStaff:     {auth.Provider},
		auth.ProviderDSL:       {auth.Provider},
		auth.CAPAdmin:          {auth.LA},
		auth.MonitoringOfficer: {auth.LA},
		auth.CAPDSL:            {auth.LA},
		auth.ServiceLead:       {auth.LA},
		auth.PanelMember:       {auth.LA, auth.School, auth.Provider},
	}
	if len(allowed) != len(auth.AllRoles) {
		t.Fatalf("the table covers %d roles, AllRoles has %d: add the new role here", len(allowed), len(auth.AllRoles))
	}
	for _, role := range auth.AllRoles {
		want, ok := allowed[role]
		if !ok {
			t.Errorf("role %s is not in the table", role)
			continue
		}
		for _, kind := range kinds {
			wantOK := false
			for _, k := range want {
				wantOK = wantOK || k == kind
			}
			if got := role.AllowedIn(kind); got != wantOK {
				t.Errorf("%s.AllowedIn(%s) = %v, want %v", role, kind, got, wantOK)
			}
		}
	}
	if auth.Role("superuser").AllowedIn(auth.LA) {
		t.Error("an unknown role is allowed in CAP")
	}
	if auth.Role("superuser").Valid() || !auth.CAPAdmin.Valid() {
		t.Error("Valid() does not tell known roles from unknown ones")
	}
}
