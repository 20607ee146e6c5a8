package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
)

func renderDoc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The placement page's Monitoring section shows what was recorded, and says so when nothing was.
func TestThePlacementMonitoringSectionShowsWhatWasRecorded(t *testing.T) {
	d := calendar.NewDate
	empty := monitoringSectionOf(placement.Summary{})
	empty.Heading = "Monitoring"
	doc := renderDoc(t, pages.PlacementMonitoringSection(empty))
	if got := doc.Find(".govuk-summary-list").Text(); !strings.Contains(got, "None recorded yet") || !strings.Contains(got, "No review date set") {
		t.Errorf("nothing recorded: %q", got)
	}
	if doc.Find("[data-testid=open-meetings]").Length() != 0 {
		t.Error("open meetings listed when there are none")
	}
	sum := placement.Summary{LatestReview: &placement.Review{HeldOn: d(2026, time.November, 20)}, NextReviewDue: d(2026, time.December, 18),
		Incidents: 3, Meetings: 2, OpenMeetings: []placement.OpenMeeting{{ID: 7, Kind: placement.BehaviourMeeting, HeldOn: d(2026, time.November, 16), Open: 2, Overdue: 1}}}
	v := monitoringSectionOf(sum)
	v.Heading, v.Href = "Monitoring", "/placements/4/monitoring"
	doc = renderDoc(t, pages.PlacementMonitoringSection(v))
	list := doc.Find(".govuk-summary-list").Text()
	for _, want := range []string{"20 November 2026", "18 December 2026", "3 recorded", "2 recorded, 1 with actions still open"} {
		if !strings.Contains(list, want) {
			t.Errorf("section %q lacks %q", list, want)
		}
	}
	link := doc.Find("[data-testid=open-meetings] a")
	if href, _ := link.Attr("href"); href != "/meetings/7" || link.Text() != "Behaviour meeting on 16 November 2026: 2 actions open, 1 overdue" {
		t.Errorf("open meeting %q to %q", link.Text(), href)
	}
}

// The dashboard's actions due say which are overdue, link to their meeting, offer "Mark as done" and
// name no student.
func TestMeetingActionsDueOnTheDashboard(t *testing.T) {
	d := calendar.NewDate
	today := d(2026, time.November, 23)
	v := meetingActionsDueView([]placement.ActionDue{
		{ActionID: 3, MeetingID: 9, Action: "Call home", Due: d(2026, time.November, 20), Kind: placement.AttendanceMeeting, HeldOn: d(2026, time.November, 16),
			Reference: "CAP-2627-00042", Provider: "Ridgeway Motor Skills"},
		{ActionID: 4, MeetingID: 9, Action: "Review the timetable", Due: d(2026, time.November, 27), Kind: placement.AttendanceMeeting, HeldOn: d(2026, time.November, 16),
			Reference: "CAP-2627-00042", Provider: "Ridgeway Motor Skills"},
	}, today, "/")
	doc := renderDoc(t, pages.MeetingActionsDue(v))
	items := doc.Find("[data-testid=meeting-actions-due] li")
	if items.Length() != 2 {
		t.Fatalf("%d items", items.Length())
	}
	first, second := items.Eq(0), items.Eq(1)
	if first.Find(".govuk-tag--red").Text() == "" || !strings.Contains(first.Text(), "due 20 November 2026") {
		t.Errorf("overdue action: %q", first.Text())
	}
	if second.Find(".govuk-tag--yellow").Text() == "" {
		t.Errorf("action due soon: %q", second.Text())
	}
	if href, _ := first.Find("a").Attr("href"); href != "/meetings/9" || !strings.Contains(first.Find("a").Text(), "CAP-2627-00042 at Ridgeway Motor Skills") {
		t.Errorf("meeting link %q", href)
	}
	if action, _ := first.Find("form").Attr("action"); action != "/actions/3/done" {
		t.Errorf("mark as done posts to %q", action)
	}
	if next, _ := first.Find("input[name=next]").Attr("value"); next != "/" {
		t.Errorf("comes back to %q", next)
	}
	none := renderDoc(t, pages.MeetingActionsDue(meetingActionsDueView(nil, today, "/")))
	if !strings.Contains(none.Text(), "no meeting actions due") {
		t.Errorf("no actions: %q", none.Text())
	}
}
