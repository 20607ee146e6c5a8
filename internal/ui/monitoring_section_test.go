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
