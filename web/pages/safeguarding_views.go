package pages

import "github.com/coventry-cap/capportal/web/components"

// SGLink is a link with its text.
type SGLink struct {
	Href, Text string
}

// SGListView is the safeguarding page: the newest records the person may see, and for a provider's
// DSL the learners placed with their provider.
type SGListView struct {
	Records  [][]components.TableCell // nil for the Service Lead, who sees no records
	More     string                   // the next page's address
	LADOHref string                   // the LADO reports, for the Service Lead
	Learners [][]components.TableCell
	TeamHref string
}

// SGEntryView is one entry as shown: its heading, who and when, and what it records.
type SGEntryView struct {
	ID      string // the anchor
	Heading string
	Byline  string
	Rows    []components.SummaryRow
	Correct string // the address of the form correcting it; empty when it cannot be corrected here
}

// SGRecordView is a record with its entries.
type SGRecordView struct {
	SGEntryView
	Href  string
	Told  string
	Added []SGEntryView
	Add   []SGLink
}

// SGChronologyView is a student's chronology.
type SGChronologyView struct {
	Student     string
	School      string
	StudentHref string // the student's page, for those who see it
	Raise       []SGLink
	Records     []SGRecordView
}

// SGRecordPageView is one record's page.
type SGRecordPageView struct {
	Student        string
	ChronologyHref string
	Record         SGRecordView
}

// SGField is one field of a safeguarding form.
type SGField struct {
	Type  string // "text", "textarea" or "date"
	Name  string
	Label string
	Hint  string
	Value string
	Rows  int
	Day   string
	Month string
	Year  string
	Parts []string
	Error string
}

// SGIndicatorView is one indicator of the CE tool in the form.
type SGIndicatorView struct {
	Code     string
	Text     string
	Checked  bool
	Evidence string
	Error    string
}

// SGIndicatorGroupView is one group of the CE tool's indicators.
type SGIndicatorGroupView struct {
	Title      string
	Indicators []SGIndicatorView
}

// SGFormView is a safeguarding form: a record, something added to one, or a LADO report.
type SGFormView struct {
	Caption  string
	Heading  string
	Intro    []string
	Quote    []components.SummaryRow // what a correction corrects
	Action   string
	Back     string
	BackText string
	Token    string
	Submit   string
	Fields   []SGField
	Groups   []SGIndicatorGroupView
	Errors   components.Errors
}

// SGTeamMember is one of the CAP safeguarding team.
type SGTeamMember struct {
	Name, Email string
}

// SGTeamView is the CAP safeguarding team page.
type SGTeamView struct {
	Members  []SGTeamMember
	Phone    string
	LADOHref string // for the Service Lead
}

// LADOListView is the Service Lead's LADO reports.
type LADOListView struct {
	Rows [][]components.TableCell
}

// LADOReportView is one LADO report.
type LADOReportView struct {
	Heading string
	Rows    []components.SummaryRow
	Entries []SGEntryView
	Add     []SGLink
}

func teamRows(ms []SGTeamMember) [][]components.TableCell {
	var rows [][]components.TableCell
	for _, m := range ms {
		rows = append(rows, []components.TableCell{{Text: m.Name, Header: true}, {Text: m.Email}})
	}
	return rows
}
