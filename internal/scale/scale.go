// Package scale generates a large, realistic dataset on top of the demo, for the benchmark
// (`capportal seed scale --factor N`). Factor 1 is roughly one local authority's decade of work:
// 25 schools, 60 providers, 20,000 students, 20,000 referrals on every pathway and step with their
// events, versions and documents, 12,000 placements, millions of register marks, panel cases,
// notifications and audit rows. Rows go in with COPY, with the ids reserved from each table's own
// sequence, and they are the rows the portal itself writes: the referral events are the demo's
// chains of moves (which the demo made through the referral store), the snapshots are the store's,
// the marks carry the codes placement.Code gives, and every constraint and trigger of the schema
// holds (COPY fires the triggers).
//
// The data stays inside the academic years the portal holds term dates for (2025/26 and 2026/27),
// so every generated placement's pages work as a real one's do; the decade's volume is packed into
// them. A reference number has five digits a year, which caps a year at 99,999 submitted referrals:
// factor 10 fits, the national factor 100 adds earlier years (see years).
package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/student"
)

// Options says how much to generate.
type Options struct {
	Factor   int
	Progress io.Writer
	Clock    calendar.Clock
	// Seed makes the data the same from run to run (0: a fixed default).
	Seed uint64
	// Students, when set, replaces the factor's 20,000 students (and so referrals) per unit: a small
	// dataset of the same shape, for tests.
	Students int
}

// Result counts what was added.
type Result struct {
	Schools, Providers, Users, Students, Referrals, Placements, Registers, Marks, Cases, Notifications, Audit int
}

// ErrAlreadyGenerated is returned when the database already holds a generated dataset.
var ErrAlreadyGenerated = errors.New("this database already holds generated scale data: use a fresh database")

// MarkerSlug is the slug of the first generated school; its presence says the data is there.
const MarkerSlug = "scale-school-1"

type org struct {
	id   int64
	name string
	// users acting for it
	coordinator, staff   int64
	coordName, staffName string
}

type prog struct {
	id         int64
	kind       directory.Kind
	providerID int64
	days       []int16
	years      []int
	snapshot   []byte
}

type gen struct {
	pool     *pgxpool.Pool
	rng      *rand.Rand
	out      io.Writer
	now      time.Time
	today    calendar.Date
	sd       calendar.SchoolDays
	res      Result
	capOrgID int64
	admin    int64
	adminN   string
	mo       int64
	panelIDs []int64
	hash     string
	schools  []*org
	provs    map[int64]*org
	progs    []prog // tier 1 programmes (course, year11_post16, insight)
	panelPg  map[directory.Kind]prog
	flourish []prog
	studs    []stu
	// studentsWanted overrides 20,000 × factor (Options.Students).
	studentsWanted int
	answers        []byte
	docPDF         []byte
	docSHA         string
	started        time.Time
	mu             sync.Mutex
	timings        map[string]time.Duration
}

func (g *gen) progress(format string, args ...any) {
	if g.out != nil {
		fmt.Fprintf(g.out, "  [%5.1fs] "+format+"\n", append([]any{time.Since(g.started).Seconds()}, args...)...)
	}
}

// reserve takes n ids from a table's identity sequence and returns the first.
func (g *gen) reserve(ctx context.Context, table string, n int) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	var first int64
	err := g.pool.QueryRow(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), nextval(pg_get_serial_sequence($1, 'id')) + $2 - 1) - $2 + 1`,
		table, int64(n)).Scan(&first)
	if err != nil {
		return 0, fmt.Errorf("reserve %d ids in %s: %w", n, table, err)
	}
	return first, nil
}

func (g *gen) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := g.pool.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

// Generate adds the dataset. The demo must be loaded first (capportal seed demo).
func Generate(ctx context.Context, pool *pgxpool.Pool, o Options) (Result, error) {
	if o.Factor < 1 {
		return Result{}, errors.New("the factor must be 1 or more")
	}
	if o.Clock == nil {
		o.Clock = calendar.System{}
	}
	seed := o.Seed
	if seed == 0 {
		seed = 2026
	}
	g := &gen{pool: pool, rng: rand.New(rand.NewPCG(seed, uint64(o.Factor))), out: o.Progress, now: o.Clock.Now(),
		today: calendar.DateOf(o.Clock.Now()), provs: map[int64]*org{}, panelPg: map[directory.Kind]prog{}, started: time.Now(), timings: map[string]time.Duration{}, studentsWanted: o.Students}
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organisations WHERE slug = $1)`, MarkerSlug).Scan(&exists); err != nil {
		return g.res, err
	}
	if exists {
		return g.res, ErrAlreadyGenerated
	}
	if err := g.load(ctx); err != nil {
		return g.res, err
	}
	steps := []struct {
		name string
		fn   func(context.Context, int) error
	}{
		{"organisations and users", g.orgs},
		{"students", g.students},
		{"referrals, placements and registers", g.referrals},
	}
	for _, s := range steps {
		if err := s.fn(ctx, o.Factor); err != nil {
			return g.res, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	g.progress("analysing the tables")
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		return g.res, err
	}
	return g.res, nil
}

// load reads what the demo left: CAP's people, the schools and providers with their programmes, a
// demo application's answers and risk assessment, and the school calendar.
func (g *gen) load(ctx context.Context) error {
	err := g.pool.QueryRow(ctx, `SELECT u.id, u.name, u.password_hash, m.organisation_id FROM users u
		JOIN memberships m ON m.user_id = u.id AND m.role = 'cap_admin' WHERE u.email = 'admin@cap.example'`).Scan(&g.admin, &g.adminN, &g.hash, &g.capOrgID)
	if err != nil {
		return fmt.Errorf("the demo is not loaded (run capportal seed demo first): %w", err)
	}
	if err := g.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'monitoring@cap.example'`).Scan(&g.mo); err != nil {
		return fmt.Errorf("demo monitoring officer: %w", err)
	}
	rows, err := g.pool.Query(ctx, `SELECT DISTINCT user_id FROM memberships WHERE role = 'panel_member' ORDER BY 1`)
	if err != nil {
		return err
	}
	if g.panelIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return err
	}
	if len(g.panelIDs) < 2 {
		return errors.New("the demo has fewer than two panel members")
	}
	// Each organisation and the first of its people in the role that acts for it.
	rows, err = g.pool.Query(ctx, `SELECT o.id, o.kind, o.name,
		coalesce((SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = o.id
		          AND m.role IN ('coordinator', 'provider_staff') ORDER BY u.id LIMIT 1), 0),
		coalesce((SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = o.id
		          AND m.role IN ('coordinator', 'provider_staff') ORDER BY u.id LIMIT 1), '')
		FROM organisations o WHERE o.kind IN ('school', 'provider') AND o.active ORDER BY o.id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o org
		var kind string
		var uid int64
		var uname string
		if err := rows.Scan(&o.id, &kind, &o.name, &uid, &uname); err != nil {
			return err
		}
		if kind == "school" {
			o.coordinator, o.coordName = uid, uname
			g.schools = append(g.schools, &o)
		} else {
			o.staff, o.staffName = uid, uname
			g.provs[o.id] = &o
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := g.loadProgrammes(ctx); err != nil {
		return err
	}
	err = g.pool.QueryRow(ctx, `SELECT v.answers FROM referral_versions v JOIN referrals r ON r.id = v.referral_id
		WHERE r.pathway = 'tier1' ORDER BY v.referral_id LIMIT 1`).Scan(&g.answers)
	if err != nil {
		return fmt.Errorf("the demo's referrals are missing (run capportal seed demo first): %w", err)
	}
	err = g.pool.QueryRow(ctx, `SELECT content, sha256 FROM referral_documents ORDER BY id LIMIT 1`).Scan(&g.docPDF, &g.docSHA)
	if err != nil {
		return fmt.Errorf("demo risk assessment: %w", err)
	}
	g.sd, err = calendar.On(g.pool).SchoolDays(ctx)
	return err
}

func (g *gen) loadProgrammes(ctx context.Context) error {
	g.progs, g.flourish = g.progs[:0], g.flourish[:0]
	rows, err := g.pool.Query(ctx, `SELECT id FROM programmes WHERE active ORDER BY id`)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	dir := directory.On(g.pool)
	for _, id := range ids {
		p, err := dir.GetProgramme(ctx, id)
		if err != nil {
			return err
		}
		snap, err := json.Marshal(referral.Snapshot{Name: p.Name, Kind: p.Kind, Tier: p.Tier, ProviderID: p.ProviderID,
			ProviderName: p.ProviderName, Duration: p.Duration, Days: directory.DaysText(p.Days), Fee: p.FeeText(), Category: p.Category})
		if err != nil {
			return err
		}
		x := prog{id: p.ID, kind: p.Kind, providerID: p.ProviderID, snapshot: snap, years: p.YearGroups}
		n := p.DaysPerWeek
		if n < 1 || n > len(p.Days) {
			n = len(p.Days)
		}
		for _, d := range p.Days[:n] {
			x.days = append(x.days, int16(d))
		}
		switch p.Kind {
		case directory.Course, directory.Year11Post16, directory.Insight:
			if _, ok := g.provs[p.ProviderID]; ok {
				g.progs = append(g.progs, x)
			}
		default:
			if p.Kind == directory.Flourish {
				g.flourish = append(g.flourish, x)
			}
			if _, ok := g.panelPg[p.Kind]; !ok {
				g.panelPg[p.Kind] = x
			}
		}
	}
	return nil
}

// orgs adds schools (to 25 × factor) and providers (to 60 × factor), each with a coordinator or
// staff member and a headteacher, the schools' SLAs, and two courses per provider.
func (g *gen) orgs(ctx context.Context, f int) error {
	newSchools := max(0, 25*f-len(g.schools))
	newProvs := max(0, 60*f-len(g.provs))
	n := newSchools + newProvs
	first, err := g.reserve(ctx, "organisations", n)
	if err != nil {
		return err
	}
	ufirst, err := g.reserve(ctx, "users", 2*n)
	if err != nil {
		return err
	}
	var orgRows, userRows, memRows, detailRows, slaRows [][]any
	var years []string
	rows, err := g.pool.Query(ctx, `SELECT code FROM academic_years WHERE NOT draft ORDER BY code`)
	if err != nil {
		return err
	}
	if years, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	var provIDs []int64
	for i := range n {
		id, u1, u2 := first+int64(i), ufirst+int64(2*i), ufirst+int64(2*i+1)
		first1, last1 := pick(g.rng, firstNames), pick(g.rng, lastNames)
		first2, last2 := pick(g.rng, firstNames), pick(g.rng, lastNames)
		if i < newSchools {
			k := i + 1
			name := fmt.Sprintf("%s %s", pick(g.rng, placeNames), pick(g.rng, []string{"Academy", "School", "High School", "Community College"}))
			slug := fmt.Sprintf("scale-school-%d", k)
			orgRows = append(orgRows, []any{id, "school", slug, name + fmt.Sprintf(" (%d)", k), fmt.Sprintf("9%05d", k), nil, "Academy",
				fmt.Sprintf("%d School Lane, Coventry", k), "CV1 1AA", "024 7600 0000", slug + "@school.example"})
			e1 := fmt.Sprintf("coordinator@%s.school.example", slug)
			e2 := fmt.Sprintf("headteacher@%s.school.example", slug)
			userRows = append(userRows, []any{u1, e1, first1 + " " + last1, g.hash}, []any{u2, e2, first2 + " " + last2, g.hash})
			memRows = append(memRows, []any{u1, id, "coordinator"}, []any{u2, id, "headteacher"})
			for _, y := range years {
				signed := g.rng.IntN(10) < 7
				var on any
				if signed {
					on = calendar.NewDate(yearStart(y), time.September, 10)
				}
				slaRows = append(slaRows, []any{id, y, signed, on, g.admin, g.now})
			}
			g.schools = append(g.schools, &org{id: id, name: name + fmt.Sprintf(" (%d)", k), coordinator: u1, coordName: first1 + " " + last1})
			g.res.Schools++
		} else {
			k := i - newSchools + 1
			name := fmt.Sprintf("%s %s (%d)", pick(g.rng, placeNames), pick(g.rng, []string{"Training", "Skills Centre", "Learning", "Works", "Academy of Trades"}), k)
			slug := fmt.Sprintf("scale-provider-%d", k)
			orgRows = append(orgRows, []any{id, "provider", slug, name, nil, fmt.Sprintf("18%06d", k), "Independent training provider",
				fmt.Sprintf("Unit %d, Trade Park, Coventry", k), "CV6 5RE", "024 7600 1111", slug + "@provider.example"})
			e1 := fmt.Sprintf("staff@%s.provider.example", slug)
			e2 := fmt.Sprintf("dsl@%s.provider.example", slug)
			userRows = append(userRows, []any{u1, e1, first1 + " " + last1, g.hash}, []any{u2, e2, first2 + " " + last2, g.hash})
			memRows = append(memRows, []any{u1, id, "provider_staff"}, []any{u2, id, "provider_dsl"})
			detailRows = append(detailRows, []any{id, first2 + " " + last2, e2, "024 7600 2222"})
			g.provs[id] = &org{id: id, name: name, staff: u1, staffName: first1 + " " + last1}
			provIDs = append(provIDs, id)
			g.res.Providers++
		}
		g.res.Users += 2
	}
	if err := g.copyRows(ctx, "organisations", []string{"id", "kind", "slug", "name", "urn", "ukprn", "setting_type", "address", "postcode", "phone", "email"}, orgRows); err != nil {
		return err
	}
	if err := g.copyRows(ctx, "users", []string{"id", "email", "name", "password_hash"}, userRows); err != nil {
		return err
	}
	if err := g.copyRows(ctx, "memberships", []string{"user_id", "organisation_id", "role"}, memRows); err != nil {
		return err
	}
	if err := g.copyRows(ctx, "provider_details", []string{"organisation_id", "dsl_name", "dsl_email", "dsl_phone"}, detailRows); err != nil {
		return err
	}
	if err := g.copyRows(ctx, "slas", []string{"school_id", "academic_year", "signed", "signed_on", "recorded_by", "updated_at"}, slaRows); err != nil {
		return err
	}
	// Two courses per new provider, modelled on the demo's (the trigger fills in the provider's name).
	var progRows [][]any
	for _, pid := range provIDs {
		for j, c := range courseTemplates(g.rng) {
			name := c.name
			if j == 1 {
				name += " Plus"
			}
			progRows = append(progRows, []any{int16(1), "course", name,
				pid, c.category, c.description, c.quals, "One term (12 weeks)", int16(12), int16(len(c.days)), c.days,
				int32(5000 + 500*g.rng.IntN(10)), "day", []int{8, 9, 10, 11}, int32(12)})
		}
	}
	if err := g.copyRows(ctx, "programmes", []string{"tier", "kind", "name", "organisation_id", "category", "description", "qualifications",
		"duration", "duration_weeks", "days_per_week", "days_offered", "fee_pence", "fee_basis", "year_groups", "capacity_per_cohort"}, progRows); err != nil {
		return err
	}
	g.progress("%d schools, %d providers with %d courses, %d users", g.res.Schools, g.res.Providers, len(progRows), g.res.Users)
	return g.loadProgrammes(ctx)
}

type course struct {
	name, category, description, quals string
	days                               []int
}

func courseTemplates(rng *rand.Rand) []course {
	all := []course{
		{"Construction Skills", "Vocational Learning", "Bricklaying, carpentry and site safety in a working workshop.", "CSCS card; Entry Level 3 Construction", nil},
		{"Hair and Beauty", "Vocational Learning", "Salon skills with real clients under supervision.", "VTCT Level 1", nil},
		{"Motor Vehicle Basics", "Practical Skill Development", "Servicing, tyres and safe use of tools in a garage.", "IMI Entry Level 3", nil},
		{"Catering and Hospitality", "Vocational Learning", "Cooking for a café that serves the public.", "Level 1 Food Hygiene", nil},
		{"Sport and Fitness Leadership", "Personal Development", "Coaching younger children and leading sessions.", "Sports Leaders Level 1", nil},
		{"English and Maths Catch-up", "Curriculum Support", "Small-group functional skills with a tutor.", "Functional Skills Entry 3 / Level 1", nil},
		{"Work Ready", "Employability", "CVs, interviews and a week's work experience.", "Employability Award", nil},
	}
	out := make([]course, 2)
	for i := range out {
		c := all[rng.IntN(len(all))]
		n := 2 + rng.IntN(3)
		start := 1 + rng.IntN(6-n)
		c.days = nil
		for d := start; d < start+n; d++ {
			c.days = append(c.days, d)
		}
		out[i] = c
	}
	return out
}

type stu struct {
	id, school int64
	year       int
	contact    string
}

// students adds 20,000 × factor students across every school, each with a parent.
func (g *gen) students(ctx context.Context, f int) error {
	n := 20000 * f
	if g.studentsWanted > 0 {
		n = g.studentsWanted
	}
	first, err := g.reserve(ctx, "students", n)
	if err != nil {
		return err
	}
	g.studs = make([]stu, n)
	const batch = 20000
	for start := 0; start < n; start += batch {
		end := min(n, start+batch)
		var rows, contacts [][]any
		for i := start; i < end; i++ {
			id := first + int64(i)
			sc := g.schools[i%len(g.schools)]
			yg := 7 + g.rng.IntN(5)
			fn, ln := pick(g.rng, firstNames), pick(g.rng, lastNames)
			rest := fmt.Sprintf("88%09d%d", i, i%10)
			letter, _ := student.CheckLetter(rest)
			upn := string(letter) + rest
			born := calendar.NewDate(2026-yg-5, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28))
			sex := []string{"F", "M"}[g.rng.IntN(2)]
			sen := []string{"none", "none", "none", "sen_support", "ehcp"}[g.rng.IntN(5)]
			rows = append(rows, []any{id, sc.id, upn, fn, ln, born, sex, int16(yg), sen, g.rng.IntN(3) == 0, g.rng.IntN(20) == 0,
				"none", "White British", fmt.Sprintf("%d Park Road, Coventry", 1+i%300), "CV2 4AB", g.now, g.now, sc.coordinator, sc.coordinator})
			pn := pick(g.rng, firstNames) + " " + ln
			contacts = append(contacts, []any{id, int16(1), pn, "Parent", "07700 900" + fmt.Sprintf("%03d", i%1000), "", true})
			g.studs[i] = stu{id: id, school: sc.id, year: yg, contact: pn + " (Parent)"}
		}
		if err := g.copyRows(ctx, "students", []string{"id", "school_id", "upn", "legal_first_name", "legal_last_name", "date_of_birth", "sex",
			"year_group", "sen_status", "fsm", "looked_after", "cp_cin_status", "ethnicity", "address", "postcode", "created_at", "updated_at",
			"created_by", "updated_by"}, rows); err != nil {
			return err
		}
		if err := g.copyRows(ctx, "student_contacts", []string{"student_id", "priority", "name", "relationship", "phone", "email", "parental_responsibility"}, contacts); err != nil {
			return err
		}
		g.res.Students = end
		g.progress("students: %d of %d", end, n)
	}
	return nil
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func yearStart(code string) int {
	y, _ := calendar.ParseAcademicYearCode(code)
	return y
}

// schoolDaysBetween lists the school days from a to b inclusive.
func (g *gen) schoolDaysBetween(a, b calendar.Date) []calendar.Date {
	var out []calendar.Date
	for d := a; !d.After(b); d = d.AddDays(1) {
		if g.sd.IsSchoolDay(d) {
			out = append(out, d)
		}
	}
	return out
}

// at is a time on a school day in London.
func at(d calendar.Date, hour, minute int) time.Time {
	return d.In(calendar.London()).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func int16s(xs []int16) []int16 { return slices.Clone(xs) }

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
