// Command capportal is the CAP Portal: the web server and its administration commands.
//
//	capportal serve                       run the portal (migrates first unless CAP_MIGRATE_ON_START=false)
//	capportal migrate up|down N|version   manage the schema
//	capportal seed demo                   load the demo data (only adds what is missing)
//	capportal backup FILE                 pg_dump the database to FILE (custom format)
//	capportal restore [-clean] FILE       pg_restore FILE into an empty database
//	capportal seed scale --factor N       generate a large dataset on top of the demo (the benchmark's)
//	capportal users create|list|deactivate
//
// -h or --help after any command prints its usage and does nothing else; a command used wrongly
// prints its usage on stderr and exits 2.
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
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/golang-migrate/migrate/v4"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/app"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/scale"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/users"
)

const usage = `usage:
  capportal serve
  capportal migrate up | down N | version
  capportal seed demo
  capportal backup FILE
  capportal restore [-clean] FILE
  capportal seed scale --factor N [--national]
  capportal users create -email EMAIL -name NAME -org ORG-SLUG -roles ROLE[,ROLE] (password from CAP_USER_PASSWORD or stdin)
  capportal users list
  capportal users deactivate -email EMAIL
  capportal COMMAND --help   (or capportal help COMMAND) for a command's own usage

Configuration comes from the environment; see README.md.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// CAP_CPU_PROFILE names a file for a Go CPU profile of the whole run (for working on speed with
	// make bench's pages: go tool pprof bin/capportal FILE).
	if path := os.Getenv("CAP_CPU_PROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f) // stopped (and written out) before the exit below
		}
	}
	code := runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// runMain runs the command and returns its exit status, saying on stderr what went wrong: 1 when
// the command failed, 2 when it was used wrongly (with the command's usage).
func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	err := run(ctx, args, stdin, stdout, getenv)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "capportal:", err)
	var misuse usageError
	if errors.As(err, &misuse) {
		return 2
	}
	return 1
}

// usageError is a command used wrongly.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// misuse says what is wrong with how a command was used, followed by its usage.
func misuse(command, problem string) error {
	u, ok := commandUsage[command]
	if !ok {
		u = usage
	}
	if problem == "" {
		return usageError{u}
	}
	return usageError{problem + "\n\n" + u}
}

// commandUsage is each command's own usage, which --help prints.
var commandUsage = map[string]string{
	"serve": `usage: capportal serve

Runs the portal until it is interrupted (Ctrl-C or SIGTERM), migrating the database first unless
CAP_MIGRATE_ON_START=false. Configuration comes from the environment; see README.md.`,
	"migrate": `usage: capportal migrate up | down N | version

  up        apply every migration not yet applied, and River's job tables
  down N    undo the last N migrations (N ≥ 1)
  version   print the schema's version`,
	"seed": `usage: capportal seed demo
       capportal seed scale --factor N [--national]

seed demo loads the demo organisations, users, SLAs and referrals, adding only what is missing. The
demo accounts' password is CAP_DEMO_PASSWORD (default ` + seed.DefaultDemoPassword + `).

seed scale generates, on top of the demo (run seed demo first, on a fresh database), N times one
local authority's decade: 25 schools, 60 providers, 20,000 students and referrals, 12,000
placements and their registers, panel cases, notifications and audit rows per unit of N. Factors
above 10 need --national. Generated accounts take the demo password.`,
	"backup": `usage: capportal backup FILE

Writes the whole database to FILE with pg_dump's custom format (compressed; read back by capportal
restore or pg_restore), over CAP_MIGRATE_DATABASE_URL (default DATABASE_URL). The file is readable by
its owner only: it holds children's records. pg_dump must match the server's major version (Debian's
/usr/lib/postgresql/N/bin, PATH, or CAP_PG_BIN).`,
	"restore": `usage: capportal restore [-clean] FILE

Loads a backup made by capportal backup into the database of CAP_MIGRATE_DATABASE_URL (default
DATABASE_URL), in one transaction: all of it or nothing. The database must be empty (createdb NAME)
unless -clean is given, which drops and replaces what the backup holds. Objects are owned by the
restoring role, and the portal's role (capportal_app) is granted its privileges again.

` + flagDefaults(restoreFlags(new(bool))),
	"users": `usage:
  capportal users create -email EMAIL -name NAME -org ORG-SLUG -roles ROLE[,ROLE]
  capportal users list
  capportal users deactivate -email EMAIL`,
	"users create": `usage: capportal users create -email EMAIL -name NAME -org ORG-SLUG -roles ROLE[,ROLE]

Creates an account. Its password comes from CAP_USER_PASSWORD, or is read from stdin.

` + flagDefaults(createFlags(&createArgs{})),
	"users list": `usage: capportal users list

Prints every account, active or not, as CSV: email, name, organisations and roles.`,
	"users deactivate": `usage: capportal users deactivate -email EMAIL

Deactivates the account and ends its sessions.

` + flagDefaults(deactivateFlags(new(string))),
}

type createArgs struct{ email, name, org, roles string }

func createFlags(a *createArgs) *flag.FlagSet {
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.email, "email", "", "email address")
	fs.StringVar(&a.name, "name", "", "full name")
	fs.StringVar(&a.org, "org", "", "organisation slug, e.g. cap or whitmore")
	fs.StringVar(&a.roles, "roles", "", "comma-separated roles, e.g. cap_admin,panel_member")
	return fs
}

func deactivateFlags(email *string) *flag.FlagSet {
	fs := flag.NewFlagSet("users deactivate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(email, "email", "", "email address")
	return fs
}

func restoreFlags(clean *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(clean, "clean", false, "replace what a database that is not empty holds (drops the backup's objects first)")
	return fs
}

func flagDefaults(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return strings.TrimRight(b.String(), "\n")
}

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// checkArgs refuses a command used wrongly before anything is done, the database is not touched.
func checkArgs(command string, args []string) error {
	unexpected := func(arg string) error {
		if strings.HasPrefix(arg, "-") {
			return misuse(command, "flag provided but not defined: "+arg)
		}
		return misuse(command, fmt.Sprintf("unexpected argument %q", arg))
	}
	switch command {
	case "serve", "users list":
		if len(args) > 0 {
			return unexpected(args[0])
		}
	case "migrate":
		switch {
		case len(args) == 1 && (args[0] == "up" || args[0] == "version"):
		case len(args) == 2 && args[0] == "down":
			if n, err := strconv.Atoi(args[1]); err != nil || n < 1 {
				return misuse(command, "migrate down needs N ≥ 1, the number of migrations to undo")
			}
		case len(args) == 0:
			return misuse(command, "")
		default:
			return unexpected(args[len(args)-1])
		}
	case "seed":
		if len(args) == 1 && args[0] == "demo" {
			break
		}
		if len(args) == 0 || args[0] != "scale" {
			return misuse(command, "")
		}
		if _, err := scaleFactor(args[1:]); err != nil {
			return misuse(command, err.Error())
		}
	case "backup":
		if len(args) != 1 || strings.HasPrefix(args[0], "-") {
			return misuse(command, "backup needs the FILE to write")
		}
	case "restore":
		fs := restoreFlags(new(bool))
		if err := fs.Parse(args); err != nil {
			return misuse(command, err.Error())
		}
		if fs.NArg() != 1 {
			return misuse(command, "restore needs the FILE to read")
		}
	case "users create", "users deactivate":
		fs := createFlags(&createArgs{})
		if command == "users deactivate" {
			fs = deactivateFlags(new(string))
		}
		if err := fs.Parse(args); err != nil {
			return misuse(command, err.Error())
		}
		if fs.NArg() > 0 {
			return unexpected(fs.Arg(0))
		}
	case "users":
		if len(args) == 0 {
			return misuse(command, "")
		}
		return misuse(command, fmt.Sprintf("unknown users command %q", args[0]))
	}
	return nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{usage}
	}
	// help, help COMMAND, or -h / --help anywhere after a command: print its usage and do nothing
	// else, even without any configuration.
	if args[0] == "help" || isHelp(args[0]) {
		u, ok := commandUsage[strings.Join(args[1:], " ")]
		if !ok {
			u = usage
		}
		fmt.Fprintln(stdout, u)
		return nil
	}
	command, rest := args[0], args[1:]
	if command == "users" && len(rest) > 0 {
		if _, ok := commandUsage["users "+rest[0]]; ok {
			command, rest = "users "+rest[0], rest[1:]
		}
	}
	if _, ok := commandUsage[command]; !ok {
		return usageError{fmt.Sprintf("unknown command %q\n\n%s", command, usage)}
	}
	if slices.ContainsFunc(rest, isHelp) {
		fmt.Fprintln(stdout, commandUsage[command])
		return nil
	}
	if err := checkArgs(command, rest); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	// What libraries write with the standard library's logger (the session store's clean-up, say)
	// joins the JSON log rather than landing beside it as plain text.
	slog.SetDefault(logger)
	clock := calendar.System{}
	if args[0] == "serve" {
		return app.Serve(ctx, cfg, logger, clock, nil)
	}
	switch args[0] {
	case "backup":
		return backupCmd(ctx, cfg.MigrateDatabaseURL, rest[0], stdout)
	case "restore":
		var clean bool
		fs := restoreFlags(&clean)
		_ = fs.Parse(rest)
		return restoreCmd(ctx, cfg.MigrateDatabaseURL, fs.Arg(0), clean, stdout)
	}
	// The schema's owner migrates and seeds; the portal's own role does the rest.
	dbURL := cfg.DatabaseURL
	if args[0] == "migrate" || args[0] == "seed" {
		dbURL = cfg.MigrateDatabaseURL
	}
	pool, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	switch args[0] {
	case "migrate":
		return migrateCmd(ctx, pool, args[1:], stdout)
	case "seed":
		if err := db.MigrateUp(pool); err != nil {
			return err
		}
		if args[1] == "scale" {
			factor, _ := scaleFactor(args[2:])
			fmt.Fprintf(stdout, "Generating scale factor %d…\n", factor)
			res, err := scale.Generate(ctx, pool, scale.Options{Factor: factor, Progress: stdout, Clock: clock})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Scale data: %d schools, %d providers, %d users, %d students, %d referrals, %d placements, %d registers, %d marks, %d panel cases, %d notifications, %d audit rows.\n",
				res.Schools, res.Providers, res.Users, res.Students, res.Referrals, res.Placements, res.Registers, res.Marks, res.Cases, res.Notifications, res.Audit)
			return nil
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
		records, err := seed.LoadDemoSafeguarding(ctx, pool, clock)
		if err != nil {
			return err
		}
		if records > 0 {
			fmt.Fprintf(stdout, "Demo safeguarding records: %d (concerns, a CE tool record, an FIB submission and a LADO report).\n", records)
		}
		fmt.Fprintf(stdout, "\nSign in at %s/login with password %q as:\n", cfg.BaseURL, password)
		roles := seed.DemoLoginRoles()
		for i, u := range seed.DemoRoleLogins() {
			fmt.Fprintf(stdout, "  %-36s %s (%s)\n", u.Email, auth.Role(roles[i]).Label(), u.Name)
		}
		fmt.Fprintf(stdout, "  %-36s %s\n", seed.DemoAcademyLogin, "Provider staff at Coventry AP Academy, which runs Refocus and Focus 11")
		return nil
	case "users":
		return usersCmd(ctx, pool, clock, args[1:], stdin, stdout, getenv)
	}
	return misuse(command, "")
}

// scaleFactor reads seed scale's flags: --factor N (1 to 10, or up to 100 with --national).
func scaleFactor(args []string) (int, error) {
	fs := flag.NewFlagSet("seed scale", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	factor := fs.Int("factor", 1, "how many times one authority's decade")
	national := fs.Bool("national", false, "allow factors above 10 (national scale)")
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	if fs.NArg() > 0 {
		return 0, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case *factor < 1:
		return 0, errors.New("--factor must be 1 or more")
	case *factor > 10 && !*national:
		return 0, errors.New("a factor above 10 is national scale: add --national")
	case *factor > 100:
		return 0, errors.New("--factor must be 100 or less")
	}
	return *factor, nil
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
			return misuse("migrate", "migrate down needs N ≥ 1, the number of migrations to undo")
		}
		if err := m.Steps(-n); err != nil {
			return err
		}
	case len(args) == 1 && args[0] == "version":
	default:
		return misuse("migrate", "")
	}
	v, dirty, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		fmt.Fprintln(stdout, "version: none (no migrations applied)")
		return nil
	}
	if err != nil {
		return err
	}
	if len(args) == 1 && args[0] == "up" {
		fmt.Fprintf(stdout, "The database schema is up to date (version %d)", v)
	} else {
		fmt.Fprintf(stdout, "version: %d", v)
	}
	if dirty {
		fmt.Fprint(stdout, " (dirty: a migration failed part way; fix it and force the version)")
	}
	fmt.Fprintln(stdout)
	return nil
}

func usersCmd(ctx context.Context, pool *pgxpool.Pool, clock calendar.Clock, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return misuse("users", "")
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
		var a createArgs
		if err := createFlags(&a).Parse(args[1:]); err != nil {
			return misuse("users create", err.Error())
		}
		email, name, orgSlug, roleList := &a.email, &a.name, &a.org, &a.roles
		if *email == "" || *name == "" || *orgSlug == "" || *roleList == "" {
			return misuse("users create", "users create needs -email, -name, -org and -roles")
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
		email := new(string)
		if err := deactivateFlags(email).Parse(args[1:]); err != nil {
			return misuse("users deactivate", err.Error())
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
	return misuse("users", "")
}
