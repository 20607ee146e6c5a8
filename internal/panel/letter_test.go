package panel_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pdfdoc"
)

// The letter is due three working days after the meeting, and bank holidays are not working days.
func TestLetterDueCountsThreeWorkingDaysAcrossBankHolidays(t *testing.T) {
	wd := calendar.EnglandWalesWorkingDays()
	holidays := map[calendar.Date]string{}
	for _, h := range calendar.BankHolidaysEnglandWales() {
		holidays[h.Date] = h.Name
	}
	// Christmas 2026: Friday 25 December, and Monday 28 December for Boxing Day (a Saturday).
	for _, d := range []calendar.Date{calendar.NewDate(2026, time.December, 25), calendar.NewDate(2026, time.December, 28)} {
		if holidays[d] == "" {
			t.Fatalf("%s is not a bank holiday in the calendar: the cases below assume it is", d.Format())
		}
	}
	cases := []struct {
		meeting, due calendar.Date
		why          string
	}{
		// Thursday 24th: the 25th and 28th are bank holidays, the 26th and 27th a weekend, so the
		// three working days are Tuesday 29th, Wednesday 30th and Thursday 31st.
		{calendar.NewDate(2026, time.December, 24), calendar.NewDate(2026, time.December, 31), "across Christmas Day and the Boxing Day substitute"},
		// Tuesday 22nd: Wednesday 23rd, Thursday 24th, then (skipping 25th to 28th) Tuesday 29th.
		{calendar.NewDate(2026, time.December, 22), calendar.NewDate(2026, time.December, 29), "a meeting before Christmas"},
		// An ordinary week: Tuesday 15 December 2026 → Friday 18th.
		{calendar.NewDate(2026, time.December, 15), calendar.NewDate(2026, time.December, 18), "no holiday"},
		// Thursday 25 March 2027: Good Friday 26th, Easter Monday 29th → Tuesday 30th, Wednesday 31st, Thursday 1 April.
		{calendar.NewDate(2027, time.March, 25), calendar.NewDate(2027, time.April, 1), "across Easter"},
	}
	for _, c := range cases {
		if got := panel.LetterDue(wd, c.meeting); got != c.due {
			t.Errorf("%s: meeting on %s %s → due %s %s, want %s %s", c.why, c.meeting.Weekday(), c.meeting.Format(),
				got.Weekday(), got.Format(), c.due.Weekday(), c.due.Format())
		}
	}
	// Late is the day after the due day, not the due day itself.
	decided := time.Date(2026, time.December, 24, 12, 0, 0, 0, calendar.London())
	c := panel.Case{Decision: panel.Approved, DecidedAt: &decided, LetterDue: calendar.NewDate(2026, time.December, 31)}
	if c.LetterLate(calendar.NewDate(2026, time.December, 31)) {
		t.Error("late on its due day")
	}
	if !c.LetterLate(calendar.NewDate(2027, time.January, 1)) {
		t.Error("not late the day after its due day")
	}
}

// plLetter is a Multi-Agency Panel approval with a place in Refocus Cohort 2.
func plLetter() panel.Letter {
	decided := time.Date(2026, time.December, 8, 11, 0, 0, 0, calendar.London())
	return panel.Letter{
		Case: panel.Case{ID: 7, Panel: panel.MultiAgencyPanel, Reference: "CAP-2627-00042", StudentName: "Kai Adeyemi-Brown",
			SchoolName: "Whitmore Park Academy", Programme: "Refocus", Kind: directory.Refocus, Decision: panel.Approved,
			Rationale: "Strategies at school have been exhausted.", Conditions: "Weekly review with the home school.",
			DecidedAt: &decided, TookPart: []int64{1, 2}, Excluded: []int64{3}},
		Meeting: panel.Meeting{ID: 1, Panel: panel.MultiAgencyPanel, HeldOn: calendar.NewDate(2026, time.December, 8), ChairID: 1,
			Attendees: []panel.Member{{UserID: 1, Name: "Gareth Llewellyn", OrgNames: "Coventry Alternative Provision"},
				{UserID: 2, Name: "Fiona Castleton"}, {UserID: 3, Name: "Rachel Thornbury", OrgNames: "Whitmore Park Academy"}}},
		Round:  panel.Round{ID: 14, Position: 4, Deadline: calendar.NewDate(2026, time.December, 2)},
		Dated:  calendar.NewDate(2026, time.December, 9),
		Cohort: panel.Start{ID: 10, Kind: directory.Refocus, Name: "Cohort 2", Starts: calendar.NewDate(2027, time.January, 11), Capacity: 25},
	}
}

// What happens next depends on the panel and the decision.
func TestLetterSaysWhatHappensNext(t *testing.T) {
	placed := plLetter()
	waiting := plLetter()
	waiting.WaitingPosition = 3
	notApproved := plLetter()
	notApproved.Case.Decision = panel.NotApproved
	deferred := plLetter()
	deferred.Case.Decision = panel.Deferred
	deferred.NextRound = panel.Round{ID: 17, Position: 7, Deadline: calendar.NewDate(2027, time.March, 10)}
	allocated := plLetter()
	allocated.Case.Panel, allocated.Case.Kind, allocated.Case.ReceivingSchoolName = panel.HeadteacherPanel, directory.SupportedTransfer, "Canley Brook Academy"
	allocated.TransferStart, allocated.TransferWeeks = calendar.NewDate(2027, time.January, 4), 12
	toMAP := plLetter()
	toMAP.Case.Panel = panel.ReviewPanel
	cases := []struct {
		name string
		l    panel.Letter
		want string
	}{
		{"MAP approved with a place", placed, "Coventry AP Academy will start onboarding Kai Adeyemi-Brown into Refocus Cohort 2, which starts on Monday 11 January 2027."},
		{"MAP approved on the waiting list", waiting, "Refocus Cohort 2 is full: Kai Adeyemi-Brown is number 3 on its waiting list"},
		{"not approved", notApproved, "CAP will contact Whitmore Park Academy to explore alternatives for Kai Adeyemi-Brown."},
		{"deferred", deferred, "considered again by the Multi-Agency Panel in the next round: round 7, referral deadline 10 March 2027."},
		{"receiving school allocated", allocated, "Kai Adeyemi-Brown will transfer to Canley Brook Academy for a 12-week placement, starting on Monday 4 January 2027."},
		{"review panel approved Refocus", toMAP, "prepared for the Multi-Agency Panel of this round"},
	}
	for _, c := range cases {
		if got := strings.Join(c.l.NextSteps(), " "); !strings.Contains(got, c.want) {
			t.Errorf("%s: next steps %q, want %q", c.name, got, c.want)
		}
	}
	took := strings.Join(placed.TookPartText(), " ")
	if !strings.Contains(took, "Gareth Llewellyn (Coventry Alternative Provision), chair; Fiona Castleton.") ||
		!strings.Contains(took, "as they work at the referring school: Rachel Thornbury (Whitmore Park Academy).") {
		t.Errorf("who took part: %q", took)
	}
}

// The PDF reads as a letter with the decision in it.
func TestLetterPDFContainsTheDecision(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	for _, c := range []struct {
		decision, label string
	}{{panel.Approved, "Approved"}, {panel.NotApproved, "Not approved"}} {
		l := plLetter()
		l.Case.Decision = c.decision
		out, err := pdfdoc.Render(l.Doc(time.Date(2026, time.December, 9, 10, 0, 0, 0, calendar.London())))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), l.FileName())
		if err := os.WriteFile(file, out, 0o600); err != nil {
			t.Fatal(err)
		}
		raw, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(raw)), " ")
		for _, want := range []string{
			"Outcome of the Multi-Agency Panel", "CAP-2627-00042", "Kai Adeyemi-Brown", "Whitmore Park Academy",
			"Tuesday 8 December 2026", "Decision " + c.label, "Strategies at school have been exhausted.",
			"Weekly review with the home school.", "What happens next", "Who took part", "Gareth Llewellyn",
			"OFFICIAL-SENSITIVE",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s letter: %q not found in:\n%s", c.label, want, text)
			}
		}
	}
}
