package dbtest

import (
	"context"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
)

// AppRoleURL returns dbURL signed in as a login role of its own in the portal's group role
// (db.AppRole), as the portal serves in production; the role is dropped when the test ends. Roles
// belong to the whole server, so each test gets a role with a name of its own.
func AppRoleURL(t testing.TB, dbURL string) string {
	t.Helper()
	server, err := ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer admin.Close(ctx)
	name, password := "capportal_test_web_"+randomHex(6), randomHex(16)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+name+" LOGIN PASSWORD '"+password+"' IN ROLE "+db.AppRole); err != nil {
		t.Fatalf("create the test's login role: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), server)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP ROLE IF EXISTS "+name)
	})
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}
