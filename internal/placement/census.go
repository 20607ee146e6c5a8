package placement

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// Audit actions for the census.
const (
	ActionCensusExported = "placement.census_exported"
	ActionCensusViewed   = "placement.census_viewed"
	ActionCensusRecorded = "placement.census_recorded"
)

// CensusCode is a census code with what it means.
type CensusCode struct {
	Code, Label string
}

// CensusReasons are the reasons a placement was arranged, as the export writes them (README.md,
// "The census export"). The school records one for each placement.
var CensusReasons = []CensusCode{
	{"BEH", "To improve behaviour or re-engage the pupil off-site"},
	{"SUS", "During or after a suspension"},
	{"MED", "Physical or mental health needs"},
	{"SEN", "Special educational needs"},
	{"VOC", "Vocational or curriculum provision the school does not offer"},
	{"TRN", "Supported transfer to another school"},
	{"OTH", "Another reason"},
}

// CensusAssociations are the pupil's association with the setting, as the export writes them.
var CensusAssociations = []CensusCode{
	{"SNG", "On the school’s roll only: attends the setting off-site"},
	{"DUA", "Dual registered: also on the setting’s roll"},
}

// SettingTypes are the setting types the census takes for a setting with neither a URN nor a UKPRN.
var SettingTypes = []CensusCode{
	{"NFE", "Non-maintained further education provision"},
	{"OOT", "One-on-one tuition"},
	{"WBP", "Work-based placement"},
	{"OTH", "Other unregistered provider"},
}

func validCode(codes []CensusCode, c string) bool {
	return slices.ContainsFunc(codes, func(x CensusCode) bool { return x.Code == c })
}

// CodeLabel is what a code means, or "" for an unknown one.
func CodeLabel(codes []CensusCode, c string) string {
	for _, x := range codes {
		if x.Code == c {
			return x.Label
		}
	}
	return ""
}

// SettingTypeCode is the census setting type of a provider with neither a URN nor a UKPRN: the
// code its recorded setting type names (a code, or one of the census descriptions), otherwise
// OTH, an other unregistered provider.
func SettingTypeCode(settingType string) string {
	t := strings.TrimSpace(settingType)
	for _, c := range SettingTypes {
		if strings.EqualFold(t, c.Code) || strings.EqualFold(t, c.Label) {
			return c.Code
		}
	}
	return "OTH"
}

// CensusRow is one placement in the school census shape.
type CensusRow struct {
	PlacementID       int64
	Reference         string
	SchoolID          int64
	SchoolURN         string
	SchoolName        string
	UPN               string
	Surname           string // legal names, as the census asks
	Forename          string
	DateOfBirth       calendar.Date
	ProviderName      string
	URN               string // the setting's URN, or
	UKPRN             string // its UKPRN when it has no URN, or
	SettingType       string // its setting type when it has neither
	EntryDate         calendar.Date
	LeavingDate       calendar.Date // zero while the placement runs
	SessionsPerWeek   int
	AttendancePattern string // FT or PT
	Reason            string // "" until the school records it
	Association       string
}

// CensusColumns are the export's columns in order (README.md documents each).
var CensusColumns = []string{"SchoolURN", "UPN", "Surname", "Forename", "DateOfBirth", "URN", "UKPRN", "SettingType",
	"EntryDate", "LeavingDate", "SessionsPerWeek", "AttendancePattern", "PlacementReason", "Association", "ProviderName", "CAPReference"}

// FullTimeSessions is a full week of sessions: every morning and afternoon, Monday to Friday.
const FullTimeSessions = 10

// CensusFilter chooses the placements of a census export.
type CensusFilter struct {
	Year     string // academic year, such as "2026/27": placements running at any time in it
	SchoolID int64  // one school; 0 for every school the actor may see
}

// censusSchools is whose placements the principal downloads census files of: CAP's staff every
// school, a school's coordinators and headteachers for their own.
func censusSchools(p *auth.Principal) (all bool, schools []int64) {
	if p == nil {
		return false, nil
	}
	if p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead) {
		return true, nil
	}
	for _, r := range []auth.Role{auth.Coordinator, auth.Headteacher} {
		schools = append(schools, p.OrgIDsWith(r)...)
	}
	return false, schools
}

// Census is the placements of the academic year in the school census shape: every school's for CAP,
// its own for a school, none for a provider; in school, name and start order. It names students,
// so it is recorded in the audit log (what, for whom).
func (s Store) Census(ctx context.Context, a Actor, f CensusFilter) ([]CensusRow, error) {
	all, schools := censusSchools(a.Principal)
	if !all && len(schools) == 0 {
		return nil, nil
	}
	if f.SchoolID != 0 && !all && !slices.Contains(schools, f.SchoolID) {
		return nil, db.ErrNotFound
	}
	y, ok := calendar.LookupAcademicYear(f.Year)
	if !ok {
		return nil, db.ErrNotFound
	}
	today := calendar.DateOf(s.Clock.Now())
	list, err := collectPlacements(s.DB.Query(ctx, selectPlacement+`
		WHERE ($1::boolean OR p.school_id = ANY($2)) AND ($3::bigint = 0 OR p.school_id = $3)
		  AND p.start_date <= $5 AND coalesce(p.ended_on, p.planned_end_date, 'infinity'::date) >= $4
		ORDER BY sc.name, lower(st.legal_last_name), lower(st.legal_first_name), p.start_date, p.id`,
		all, nonNil(schools), f.SchoolID, y.Start, y.End))
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	rows, err := s.DB.Query(ctx, `SELECT p.id, coalesce(sc.urn, ''), st.upn, st.legal_last_name, st.legal_first_name, st.date_of_birth,
			coalesce(pv.urn, ''), coalesce(pv.ukprn, ''), coalesce(pv.setting_type, ''), coalesce(c.reason, ''), coalesce(c.association, '')
		FROM placements p JOIN students st ON st.id = p.student_id JOIN organisations sc ON sc.id = p.school_id
		JOIN organisations pv ON pv.id = p.provider_id LEFT JOIN placement_census c ON c.placement_id = p.id
		WHERE p.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read census details: %w", err)
	}
	type details struct {
		schoolURN, upn, surname, forename, urn, ukprn, setting, reason, association string
		dob                                                                         calendar.Date
	}
	byID := map[int64]details{}
	for rows.Next() {
		var id int64
		var d details
		if err := rows.Scan(&id, &d.schoolURN, &d.upn, &d.surname, &d.forename, &d.dob, &d.urn, &d.ukprn, &d.setting, &d.reason, &d.association); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read census details: %w", err)
		}
		byID[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read census details: %w", err)
	}
	out := make([]CensusRow, 0, len(list))
	for _, p := range list {
		d := byID[p.ID]
		r := CensusRow{PlacementID: p.ID, Reference: p.Reference, SchoolID: p.SchoolID, SchoolURN: d.schoolURN, SchoolName: p.SchoolName,
			UPN: d.upn, Surname: d.surname, Forename: d.forename, DateOfBirth: d.dob, ProviderName: p.ProviderName,
			EntryDate: p.Start, Reason: d.reason, Association: d.association}
		// One of URN, UKPRN or setting type, in that order, as the census asks.
		switch {
		case d.urn != "":
			r.URN = d.urn
		case d.ukprn != "":
			r.UKPRN = d.ukprn
		default:
			r.SettingType = SettingTypeCode(d.setting)
		}
		// The leaving date: the last day once it has ended, or the planned end once it has passed.
		switch {
		case !p.EndedOn.IsZero():
			r.LeavingDate = p.EndedOn
		case !p.PlannedEnd.IsZero() && p.PlannedEnd.Before(today):
			r.LeavingDate = p.PlannedEnd
		}
		// Sessions a week as they stand today, or on the last day for a placement that has left.
		on := today
		if !r.LeavingDate.IsZero() && r.LeavingDate.Before(on) {
			on = r.LeavingDate
		}
		if on.Before(p.Start) {
			on = p.Start
		}
		r.SessionsPerWeek = p.SessionsPerWeek(on)
		r.AttendancePattern = "PT"
		if r.SessionsPerWeek >= FullTimeSessions {
			r.AttendancePattern = "FT"
		}
		out = append(out, r)
	}
	if len(out) > 0 {
		err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionCensusExported, SubjectType: "placement", Summary: fmt.Sprintf("Census of %s: %d placements", f.Year, len(out)),
			Details: map[string]any{"year": f.Year, "school": f.SchoolID, "shown": ids}, RequestID: a.RequestID})
		if err != nil {
			return nil, fmt.Errorf("audit census: %w", err)
		}
	}
	return out, nil
}

// WriteCensusCSV writes the rows as CSV with a header row: dates as YYYY-MM-DD, blanks where the
// census takes no value. A cell that a spreadsheet would read as a formula is prefixed with an
// apostrophe.
func WriteCensusCSV(w io.Writer, rows []CensusRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CensusColumns); err != nil {
		return err
	}
	date := func(d calendar.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	for _, r := range rows {
		rec := []string{r.SchoolURN, r.UPN, r.Surname, r.Forename, date(r.DateOfBirth), r.URN, r.UKPRN, r.SettingType,
			date(r.EntryDate), date(r.LeavingDate), strconv.Itoa(r.SessionsPerWeek), r.AttendancePattern, r.Reason, r.Association,
			r.ProviderName, r.Reference}
		for i, v := range rec {
			rec[i] = safeCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// CensusEntry is what the school records for one placement's census row.
type CensusEntry struct {
	PlacementID int64
	Reason      string
	Association string
}

// CensusReasonField and CensusAssociationField are a placement's fields in the census form.
func CensusReasonField(placementID int64) string      { return fieldOf("reason", placementID) }
func CensusAssociationField(placementID int64) string { return fieldOf("association", placementID) }

// RecordCensus records the reason and association of placements of the actor's schools (CAP's
// admins: any): each entry with a reason or an association needs both, from the codes above.
// Entries left blank are skipped; all are saved in one transaction, or none.
func (s Store) RecordCensus(ctx context.Context, a Actor, entries []CensusEntry) (int, error) {
	all, schools := censusSchools(a.Principal)
	if !IsCAPAdmin(a.Principal) {
		all = false
	}
	if !all && len(schools) == 0 {
		return 0, forbidden("The school records why its placements were arranged.", "Ask the school’s CAP coordinator.")
	}
	var ps input.Problems
	var keep []CensusEntry
	for _, e := range entries {
		if e.Reason == "" && e.Association == "" {
			continue
		}
		if !validCode(CensusReasons, e.Reason) {
			ps = append(ps, input.FieldProblem{Field: CensusReasonField(e.PlacementID), Message: "Select why the placement was arranged"})
		}
		if !validCode(CensusAssociations, e.Association) {
			ps = append(ps, input.FieldProblem{Field: CensusAssociationField(e.PlacementID), Message: "Select the pupil’s association with the setting"})
		}
		keep = append(keep, e)
	}
	if len(ps) > 0 {
		return 0, ps
	}
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		for _, e := range keep {
			var schoolID int64
			err := tx.QueryRow(ctx, `SELECT school_id FROM placements WHERE id = $1`, e.PlacementID).Scan(&schoolID)
			if err != nil || (!all && !slices.Contains(schools, schoolID)) {
				return db.ErrNotFound
			}
			var was struct{ reason, association string }
			err = tx.QueryRow(ctx, `SELECT reason, association FROM placement_census WHERE placement_id = $1`, e.PlacementID).Scan(&was.reason, &was.association)
			if err == nil && was.reason == e.Reason && was.association == e.Association {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO placement_census (placement_id, reason, association, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (placement_id) DO UPDATE SET reason = EXCLUDED.reason, association = EXCLUDED.association,
					recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
				e.PlacementID, e.Reason, e.Association, now, a.userID()); err != nil {
				return fmt.Errorf("record census details: %w", err)
			}
			if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
				Action: ActionCensusRecorded, SubjectType: "placement", SubjectID: fmt.Sprint(e.PlacementID),
				Summary: "Recorded the census reason " + e.Reason + " and association " + e.Association, RequestID: a.RequestID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(keep), nil
}

// CensusFileName is the download's name: "cap-ap-placements-2026-27-2026-11-23.csv".
func CensusFileName(year string, at time.Time) string {
	return "cap-ap-placements-" + strings.ReplaceAll(year, "/", "-") + "-" + calendar.DateOf(at).String() + ".csv"
}
