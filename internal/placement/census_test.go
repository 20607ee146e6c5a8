package placement_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// The census export against a known dataset: four placements running in 2026/27 at settings with a
// UKPRN, a URN and neither, one withdrawn, one full-time; one from last year is left out. Each
// column is checked, with the reason and association the school recorded.
func TestTheCensusExportsTheYearsPlacementsInTheCensusShape(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 10), Days: []int32{2, 3, 4, 5}})
	holly := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Holly", Provider: "torquelane", Start: d(2026, time.November, 4), Days: []int32{3}, Sessions: []string{"am"}})
	harvey := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Harvey", Provider: "ridgeway", Start: d(2026, time.November, 9), Days: []int32{1, 2, 3, 4, 5}})
	last := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Ruby", Provider: "ridgeway", Start: d(2026, time.March, 2), Days: []int32{4}})
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET ended_on = '2026-07-17', status = 'ended' WHERE id = $1`, last); err != nil {
		t.Fatal(err)
	}
	if err := f.store.RecordOutcome(f.ctx, f.as(admin), holly, placement.OutcomeInput{Outcome: placement.Withdrawn, LastDay: d(2026, time.November, 18)}); err != nil {
		t.Fatal(err)
	}
	// The school records why Kai's placement was arranged; Harvey's school leaves its own blank.
	var ps input.Problems
	if _, err := f.store.RecordCensus(f.ctx, f.as(coordinator), []placement.CensusEntry{{PlacementID: kai, Reason: "XYZ", Association: "SNG"}}); !errors.As(err, &ps) ||
		ps[0].Field != placement.CensusReasonField(kai) {
		t.Fatalf("an unknown reason: %v", err)
	}
	if _, err := f.store.RecordCensus(f.ctx, f.as(coordinator), []placement.CensusEntry{{PlacementID: harvey, Reason: "BEH", Association: "SNG"}}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("Whitmore recording Canley Brook's placement: %v", err)
	}
	if n, err := f.store.RecordCensus(f.ctx, f.as(coordinator), []placement.CensusEntry{{PlacementID: kai, Reason: "BEH", Association: "SNG"}, {PlacementID: holly}}); err != nil || n != 1 {
		t.Fatalf("record Kai's reason: %d, %v", n, err)
	}

	upn := func(first string) string {
		var u string
		if err := f.pool.QueryRow(f.ctx, `SELECT upn FROM students WHERE legal_first_name = $1`, first).Scan(&u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	ref := func(id int64) string {
		p, err := f.store.Get(f.ctx, f.as(admin), id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Reference
	}
	var tylerID int64
	if err := f.pool.QueryRow(f.ctx, `SELECT p.id FROM placements p JOIN students s ON s.id = p.student_id WHERE s.legal_first_name = 'Tyler'`).Scan(&tylerID); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"SchoolURN,UPN,Surname,Forename,DateOfBirth,URN,UKPRN,SettingType,EntryDate,LeavingDate,SessionsPerWeek,AttendancePattern,PlacementReason,Association,ProviderName,CAPReference",
		"190102," + upn("Harvey") + ",Patel,Harvey,2010-10-02,,19000301,,2026-11-09,,10,FT,,,Ridgeway Motor Skills," + ref(harvey),
		"190101," + upn("Kai") + ",Adeyemi-Brown,Kai,2011-10-14,,19000301,,2026-11-02,,4,PT,BEH,SNG,Ridgeway Motor Skills," + ref(kai),
		"190101," + upn("Tyler") + ",Cooke,Tyler,2010-11-30,190500,,,2026-11-10,,8,PT,,,Coventry AP Academy," + ref(tylerID),
		"190101," + upn("Holly") + ",Fairclough,Holly,2010-09-09,,,OTH,2026-11-04,2026-11-18,1,PT,,,Torque Lane Automotive Training," + ref(holly),
	}, "\n") + "\n"
	rows, err := f.store.Census(f.ctx, f.as(admin), placement.CensusFilter{Year: "2026/27"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := placement.WriteCensusCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(buf.String(), "\r\n", "\n"); got != want {
		t.Errorf("CAP's census:\n%s\nwant:\n%s", got, want)
	}

	// A school downloads its own; a provider nothing; CAP one school on asking.
	for who, n := range map[string]int{coordinator: 3, "coordinator@canleybrook.school.example": 1, ridgewayStaff: 0} {
		rows, err := f.store.Census(f.ctx, f.as(who), placement.CensusFilter{Year: "2026/27"})
		if err != nil || len(rows) != n {
			t.Errorf("%s's census: %d rows, %v; want %d", who, len(rows), err, n)
		}
	}
	if rows, err := f.store.Census(f.ctx, f.as(admin), placement.CensusFilter{Year: "2026/27", SchoolID: f.schoolOf(f.studentID("Harvey"))}); err != nil || len(rows) != 1 {
		t.Errorf("CAP's census of Canley Brook: %d rows, %v", len(rows), err)
	}
	if _, err := f.store.Census(f.ctx, f.as(coordinator), placement.CensusFilter{Year: "2026/27", SchoolID: f.schoolOf(f.studentID("Harvey"))}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Whitmore asking for Canley Brook's census: %v", err)
	}
	if rows, err := f.store.Census(f.ctx, f.as(admin), placement.CensusFilter{Year: "2025/26"}); err != nil || len(rows) != 1 || rows[0].PlacementID != last || rows[0].LeavingDate != d(2026, time.July, 17) {
		t.Errorf("last year's census: %+v, %v", rows, err)
	}
}

// A spreadsheet never runs a name as a formula, and the setting type follows what the provider
// recorded when it names a census type.
func TestTheCensusFileIsSafeInASpreadsheet(t *testing.T) {
	var buf bytes.Buffer
	if err := placement.WriteCensusCSV(&buf, []placement.CensusRow{{Surname: "=HYPERLINK(\"http://x\")", Forename: "+1", ProviderName: "@home"}}); err != nil {
		t.Fatal(err)
	}
	line := strings.Split(buf.String(), "\n")[1]
	if !strings.Contains(line, `"'=HYPERLINK(""http://x"")",'+1`) || !strings.Contains(line, "'@home") {
		t.Errorf("row written as %q", line)
	}
	for setting, code := range map[string]string{"Work-based placement": "WBP", "oot": "OOT", "Community interest company": "OTH", "": "OTH"} {
		if got := placement.SettingTypeCode(setting); got != code {
			t.Errorf("setting type %q: %s, want %s", setting, got, code)
		}
	}
}
