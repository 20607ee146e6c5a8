package pages

import (
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/web/components"
)

// AttendanceView is attendance over a period, with a bar chart by school week and the same figures
// as a table.
type AttendanceView struct {
	// ID prefixes the chart's element ids, so a page can show two.
	ID      string
	Heading string
	// Summary is the whole period: the rate, the sessions with no session run, those not marked.
	Summary []components.SummaryRow
	// Weeks are the school weeks charted, oldest first.
	Weeks []AttendanceWeek
	// Note says which weeks the chart shows, when not all of them.
	Note string
	// Empty is said instead of a chart when nothing was recorded.
	Empty string
}

// AttendanceWeek is one school week's figures.
type AttendanceWeek struct {
	Short     string // "19 Oct", under the bar
	Long      string // "Week beginning 19 October 2026"
	Attended  int
	Recorded  int
	NoSession int
	Unmarked  int
	// Rate is "66.7%", empty when nothing was recorded that week; Percent is the same as a number.
	Rate    string
	Percent float64
}

// The chart's geometry, in SVG user units.
const (
	chartLeft     = 44
	chartTop      = 24
	chartPlot     = 150
	chartStep     = 56
	chartBar      = 32
	chartBottom   = 44
	chartMinWidth = 320
)

// ChartWidth is the SVG's width: a column for each week.
func (v AttendanceView) ChartWidth() int {
	return max(chartMinWidth, chartLeft+chartStep*len(v.Weeks)+12)
}

// ChartHeight is the SVG's height.
func (v AttendanceView) ChartHeight() int { return chartTop + chartPlot + chartBottom }

// ViewBox is the SVG's viewBox.
func (v AttendanceView) ViewBox() string {
	return "0 0 " + strconv.Itoa(v.ChartWidth()) + " " + strconv.Itoa(v.ChartHeight())
}

// TitleID and DescID name the chart's title and description, which label it.
func (v AttendanceView) TitleID() string { return v.ID + "-chart-title" }

// DescID names the chart's description.
func (v AttendanceView) DescID() string { return v.ID + "-chart-desc" }

// Description says what the chart shows, week by week, for people who cannot see it.
func (v AttendanceView) Description() string {
	var parts []string
	for _, w := range v.Weeks {
		if w.Rate == "" {
			parts = append(parts, w.Long+": no sessions recorded")
			continue
		}
		parts = append(parts, w.Long+": "+w.Rate+" ("+strconv.Itoa(w.Attended)+" of "+strconv.Itoa(w.Recorded)+" sessions)")
	}
	return "Attendance by school week. " + strings.Join(parts, ". ") + "."
}

// ChartLine is a horizontal guide line at a percentage, with its label.
type ChartLine struct {
	Y      int
	Label  string
	Dashed bool
}

// Lines are the chart's guides: 0%, 50%, 100%, and 90% dashed (the level CAP watches).
func (v AttendanceView) Lines() []ChartLine {
	var out []ChartLine
	for _, p := range []int{0, 50, 90, 100} {
		out = append(out, ChartLine{Y: chartY(float64(p)), Label: strconv.Itoa(p) + "%", Dashed: p == 90})
	}
	return out
}

// ChartBar is one week's bar and its labels.
type ChartBar struct {
	X, Y, W, H     int
	LabelX, LabelY int
	ValueY         int
	Label, Value   string
	Recorded       bool
}

// Bars are the weeks' bars, with the rate over each and the week under it.
func (v AttendanceView) Bars() []ChartBar {
	var out []ChartBar
	for i, w := range v.Weeks {
		x := chartLeft + i*chartStep + (chartStep-chartBar)/2
		b := ChartBar{X: x, W: chartBar, LabelX: x + chartBar/2, LabelY: chartTop + chartPlot + 18, Label: w.Short, Recorded: w.Rate != ""}
		if b.Recorded {
			b.Y = chartY(w.Percent)
			b.H = chartTop + chartPlot - b.Y
			b.Value = w.Rate
		} else {
			b.Y, b.Value = chartTop+chartPlot, "none"
		}
		b.ValueY = b.Y - 6
		out = append(out, b)
	}
	return out
}

// AxisX is where the guides start and end.
func (v AttendanceView) AxisX() (int, int) { return chartLeft, v.ChartWidth() - 8 }

func chartY(percent float64) int {
	return chartTop + chartPlot - int(percent*chartPlot/100+0.5)
}
