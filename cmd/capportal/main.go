// Command capportal is the CAP Portal: the web server and its administration commands.
//
//	capportal serve                       run the portal (migrates first unless CAP_MIGRATE_ON_START=false)
//	capportal migrate up|down N|version   manage the schema
//	capportal seed demo                   load the demo data (only adds what is missing)
//	capportal users create|list|deactivate
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/golang-migrate/migrate/v4"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/app"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/users"
)

const usage = `usage:
  capportal serve
  capportal migrate up | down N | version
  capportal seed demo
  capportal users create -email EMAIL -name NAME -org ORG-SLUG -roles ROLE[,ROLE] (password from CAP_USER_PASSWORD or stdin)
  capportal users list
  capportal users deactivate -email EMAIL

Configuration comes from the environment; see README.md.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "capportal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cfg, cfgErr := app.LoadConfig(getenv)
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if cfgErr != nil {
		return cfgErr
	}
	clock := calendar.System{}
	if args[0] == "serve" {
		return app.Serve(ctx, cfg, logger, clock, nil)
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	switch args[0] {
	case "migrate":
		return migrateCmd(ctx, pool, args[1:], stdout)
	case "seed":
		if len(args) != 2 || args[1] != "demo" {
			return errors.New("usage: capportal seed demo")
		}
		if err := db.MigrateUp(pool); err != nil {
			return err
		}
		password := getenv("CAP_DEMO_PASSWORD")
		if password == "" {
			password = seed.DefaultDemoPassword
		}
		res, err := seed.LoadDemo(ctx, pool, clock, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Demo data: added %d organisations, %d users and %d SLAs (existing records kept as they are).\n", res.Organisations, res.Users, res.SLAs)
		referrals, err := seed.LoadDemoReferrals(ctx, pool, clock)
		if err != nil {
			return err
		}
		if referrals > 0 {
			fmt.Fprintf(stdout, "Demo referrals: %d, from a draft to an active placement.\n", referrals)
		}
		fmt.Fprintf(stdout, "\nSign in at %s/login with password %q as:\n", cfg.BaseURL, password)
		roles := seed.DemoLoginRoles()
		for i, u := range seed.DemoRoleLogins() {
			fmt.Fprintf(stdout, "  %-36s %s (%s)\n", u.Email, auth.Role(roles[i]).Label(), u.Name)
		}
		return nil
	case "users":
		return usersCmd(ctx, pool, clock, args[1:], stdin, stdout, getenv)
	}
	return errors.New(usage)
}

func migrateCmd(ctx context.Context, pool *pgxpool.Pool, args []string, stdout io.Writer) error {
	m, err := db.Migrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	switch {
	case len(args) == 1 && args[0] == "up":
		if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
			return err
		}
		// River's job tables come with the schema; `migrate down` leaves them (River versions them itself).
		if err := db.MigrateRiver(ctx, pool); err != nil {
			return err
		}
	case len(args) == 2 && args[0] == "down":
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return errors.New("usage: capportal migrate down N (N ≥ 1 migrations to undo)")
		}
		if err := m.Steps(-n); err != nil {
			return err
		}
	case len(args) == 1 && args[0] == "version":
	default:
		return errors.New("usage: capportal migrate up | down N | version")
	}
	v, dirty, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		fmt.Fprintln(stdout, "version: none (no migrations applied)")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "version: %d", v)
	if dirty {
		fmt.Fprint(stdout, " (dirty: a migration failed part way; fix it and force the version)")
	}
	fmt.Fprintln(stdout)
	return nil
}

func usersCmd(ctx context.Context, pool *pgxpool.Pool, clock auth.Clock, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	store := users.Store{DB: pool, Clock: clock}
	cli := users.Actor{Email: "capportal users (command line)"}
	switch args[0] {
	case "list":
		w := csv.NewWriter(stdout)
		_ = w.Write([]string{"email", "name", "organisation", "roles"})
		f := users.ListFilter{Inactive: true}
		for {
			page, more, err := store.List(ctx, f, 500)
			if err != nil {
				return err
			}
			for _, u := range page {
				orgs, roles := []string{}, []string{}
				seen := map[string]bool{}
				for _, m := range u.Memberships {
					if !seen[m.OrgName] {
						seen[m.OrgName] = true
						orgs = append(orgs, m.OrgName)
					}
					roles = append(roles, string(m.Role))
				}
				_ = w.Write([]string{u.Email, u.Name, strings.Join(orgs, ";"), strings.Join(roles, ";")})
			}
			if !more {
				break
			}
			last := page[len(page)-1]
			f.AfterName, f.AfterID = last.Name, last.ID
		}
		w.Flush()
		return w.Error()
	case "create":
		fs := flag.NewFlagSet("users create", flag.ContinueOnError)
		email := fs.String("email", "", "email address")
		name := fs.String("name", "", "full name")
		orgSlug := fs.String("org", "", "organisation slug, e.g. cap or whitmore")
		roleList := fs.String("roles", "", "comma-separated roles, e.g. cap_admin,panel_member")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *email == "" || *name == "" || *orgSlug == "" || *roleList == "" {
			return errors.New("users create needs -email, -name, -org and -roles")
		}
		var orgID int64
		if err := pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, *orgSlug).Scan(&orgID); err != nil {
			return fmt.Errorf("no organisation with slug %q", *orgSlug)
		}
		var roles []auth.Role
		for _, r := range strings.Split(*roleList, ",") {
			role := auth.Role(strings.TrimSpace(r))
			if !role.Valid() {
				return fmt.Errorf("unknown role %q", r)
			}
			roles = append(roles, role)
		}
		password := getenv("CAP_USER_PASSWORD")
		if password == "" {
			fmt.Fprint(stdout, "Password (at least 12 characters): ")
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && line == "" {
				return errors.New("no password given: set CAP_USER_PASSWORD or type it")
			}
			password = strings.TrimRight(line, "\r\n")
		}
		if len(password) < auth.MinPasswordLength {
			return errors.New("the password must be at least 12 characters")
		}
		id, err := store.Create(ctx, cli, users.NewUser{Email: *email, Name: *name, Password: password, OrgID: orgID, Roles: roles})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %d %s\n", id, auth.NormaliseEmail(*email))
		return nil
	case "deactivate":
		fs := flag.NewFlagSet("users deactivate", flag.ContinueOnError)
		email := fs.String("email", "", "email address")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		u, err := store.GetByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with email %q", *email)
		}
		if err := store.SetActive(ctx, cli, u.ID, false); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deactivated %s and ended their sessions\n", u.Email)
		return nil
	}
	return errors.New(usage)
}
