package directory

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/eligibility"
)

// Problem is one thing wrong with a programme or provider someone wants to save, said so that they
// can put it right. Field names the form field; Row is the 1-based window or site it is about (0 for
// the programme or provider itself).
type Problem struct {
	Field   string
	Row     int
	Message string
}

// PanelKinds are the kinds of programme that go to panel, in the order the panel calendar lists them.
var PanelKinds = []Kind{Flourish, SupportedTransfer, Refocus, Focus11}

// GoesToPanel reports whether referrals to programmes of the kind are decided by a panel: Flourish
// goes to the Review and Authorisation Panel, and every Tier 3 programme to it and beyond. Tier 1
// courses, Year 11 Post-16 programmes and Insight are processed by CAP directly.
func (k Kind) GoesToPanel() bool {
	switch k {
	case Flourish, SupportedTransfer, Refocus, Focus11:
		return true
	}
	return false
}

// ProgrammeInput is what CAP admins enter for a programme. The tier and whether it goes to a panel
// follow from the kind.
type ProgrammeInput struct {
	Kind              Kind
	Name              string
	ProviderID        int64
	Category          string
	Description       string
	Qualifications    string
	Duration          string
	DurationWeeks     int
	DaysPerWeek       int
	Days              []time.Weekday
	FeePence          *int
	FeeBasis          string
	YearGroups        []int
	CapacityPerCohort int
	Windows           []WindowInput
}

// WindowInput is one referral window as entered; ID is 0 for a new one.
type WindowInput struct {
	ID           int64
	AcademicYear string
	Opens        calendar.Date
	Closes       calendar.Date
	Label        string
}

// Normalise tidies what was typed and puts days and year groups in order.
func (in *ProgrammeInput) Normalise() {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Category = strings.TrimSpace(in.Category)
	in.Description = strings.TrimSpace(in.Description)
	in.Qualifications = strings.TrimSpace(in.Qualifications)
	in.Duration = strings.Join(strings.Fields(in.Duration), " ")
	slices.Sort(in.Days)
	in.Days = slices.Compact(in.Days)
	slices.Sort(in.YearGroups)
	in.YearGroups = slices.Compact(in.YearGroups)
	if in.FeePence == nil {
		in.FeeBasis = ""
	}
	for i := range in.Windows {
		in.Windows[i].Label = strings.Join(strings.Fields(in.Windows[i].Label), " ")
	}
}

// Validate checks a programme against the rules of the CAP graduated model, as the welcome pack
// sets them out. It expects Normalise to have run.
func (in ProgrammeInput) Validate() []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{Field: field, Message: msg}) }
	if !in.Kind.Valid() {
		add("kind", "Choose the type of programme")
	}
	if in.Name == "" {
		add("name", "Enter the name of the programme")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		add("name", "Enter a name of 200 characters or fewer")
	}
	switch {
	case !in.Kind.Valid():
	case in.Kind.NeedsProvider() && in.ProviderID == 0:
		add("provider", "Choose the training provider that runs it")
	case !in.Kind.NeedsProvider() && in.ProviderID != 0:
		add("provider", "A Supported Transfer moves the student to another school, so it has no training provider: choose no provider")
	}
	if in.Category != "" && !ValidCategory(in.Category) {
		add("category", "Choose one of the five categories")
	} else if in.Kind == Course && in.Category == "" {
		add("category", "Choose the category of the course")
	}
	if in.Description == "" {
		add("description", "Enter a description that tells schools what students do on it")
	}
	if in.Duration == "" {
		add("duration", "Enter how long it lasts, for example One term (12 weeks)")
	}
	if in.DurationWeeks < 0 || in.DurationWeeks > 52 {
		add("duration_weeks", "Enter the number of weeks as a number from 1 to 52, or leave it blank")
	}
	if len(in.Days) == 0 {
		add("days", "Choose the days of the week it runs on")
	}
	for _, d := range in.Days {
		if d < time.Monday || d > time.Friday {
			add("days", "Choose days from Monday to Friday")
			break
		}
	}
	switch {
	case in.DaysPerWeek < 1 || in.DaysPerWeek > 5:
		add("days_per_week", "Enter how many days a week a student attends, from 1 to 5")
	case len(in.Days) > 0 && in.DaysPerWeek > len(in.Days):
		add("days_per_week", "Days a week cannot be more than the number of days it runs on")
	}
	if in.FeePence != nil && *in.FeePence < 0 {
		add("fee", "Enter a fee of £0 or more, or leave it blank")
	} else if in.FeePence != nil && in.FeeBasis != PerDay && in.FeeBasis != PerWeek && in.FeeBasis != PerCourse {
		add("fee_basis", "Choose whether the fee is a day, a week or for the whole programme")
	}
	if len(in.YearGroups) == 0 {
		add("year_groups", "Choose the year groups it accepts")
	}
	for _, y := range in.YearGroups {
		if y < 7 || y > 11 {
			add("year_groups", "Choose year groups from Year 7 to Year 11")
			break
		}
	}
	if in.CapacityPerCohort < 0 {
		add("capacity", "Enter the places in each cohort as a whole number, or leave it blank")
	}
	// The rules of each kind, from the welcome pack.
	switch in.Kind {
	case Insight:
		if in.DaysPerWeek > 1 {
			add("days_per_week", "Insight courses run one day a week: enter 1")
		}
		if in.DurationWeeks < 6 || in.DurationWeeks > 12 {
			add("duration_weeks", "Insight courses last 6 to 12 weeks: enter the number of weeks")
		}
	case Flourish:
		if in.DaysPerWeek != 2 && in.DaysPerWeek >= 1 && in.DaysPerWeek <= 5 {
			add("days_per_week", "Flourish programmes run two days a week: enter 2")
		}
		if in.DurationWeeks != 12 {
			add("duration_weeks", "Flourish programmes last 12 weeks: enter 12")
		}
	case Year11Post16:
		if in.DaysPerWeek > 2 && in.DaysPerWeek <= 5 {
			add("days_per_week", "Year 11 Post-16 programmes run up to 2 days a week: enter 1 or 2")
		}
		if len(in.YearGroups) > 0 && !slices.Equal(in.YearGroups, []int{11}) {
			add("year_groups", "Year 11 Post-16 programmes are for Year 11 only: choose Year 11")
		}
	case Focus11:
		if len(in.YearGroups) > 0 && !slices.Equal(in.YearGroups, []int{11}) {
			add("year_groups", "Focus 11 is for Year 11 only: choose Year 11")
		}
	}
	for i, w := range in.Windows {
		row := i + 1
		if w.AcademicYear == "" {
			ps = append(ps, Problem{Field: "year", Row: row, Message: "Choose the academic year of the window"})
		}
		if w.Opens.IsZero() {
			ps = append(ps, Problem{Field: "opens", Row: row, Message: "Enter the date the window opens"})
		}
		if w.Closes.IsZero() {
			ps = append(ps, Problem{Field: "closes", Row: row, Message: "Enter the date the window closes"})
		} else if !w.Opens.IsZero() && w.Closes.Before(w.Opens) {
			ps = append(ps, Problem{Field: "closes", Row: row, Message: "The closing date must be the same as or after the opening date"})
		}
		if w.Label == "" {
			ps = append(ps, Problem{Field: "label", Row: row, Message: "Enter how schools will see the window, for example the autumn term of 2025/26"})
		}
		// A window belongs to the year schools refer in, so both its dates fall in that year.
		if start, err := calendar.ParseAcademicYearCode(w.AcademicYear); err == nil {
			first, last := calendar.NewDate(start, time.September, 1), calendar.NewDate(start+1, time.August, 31)
			within := func(d calendar.Date) bool { return !d.Before(first) && !d.After(last) }
			between := " in the " + w.AcademicYear + " academic year, between " + first.Format() + " and " + last.Format()
			if !w.Opens.IsZero() && !within(w.Opens) {
				ps = append(ps, Problem{Field: "opens", Row: row, Message: "The opening date must be" + between})
			}
			if !w.Closes.IsZero() && !within(w.Closes) {
				ps = append(ps, Problem{Field: "closes", Row: row, Message: "The closing date must be" + between})
			}
		}
	}
	return ps
}

// Eligibility is what the eligibility check needs to know of the programme. Draft windows (copied by
// rollover, not yet confirmed) are left out: they are not in effect. Windows come from GetProgramme.
func (p Programme) Eligibility() eligibility.Programme {
	e := eligibility.Programme{
		Name:       p.Name,
		Tier:       p.Tier,
		Kind:       string(p.Kind),
		YearGroups: slices.Clone(p.YearGroups),
		Active:     p.Active,
	}
	for _, w := range p.Windows {
		if w.Draft {
			continue
		}
		e.Windows = append(e.Windows, eligibility.Window{AcademicYear: w.AcademicYear, Opens: w.Opens, Closes: w.Closes, Label: w.Label})
	}
	return e
}

// ProviderInput is what CAP admins enter for a training provider.
type ProviderInput struct {
	Name        string
	UKPRN       string
	URN         string
	SettingType string
	Registered  bool
	Address     string
	Postcode    string
	Phone       string
	Email       string
	DSLName     string
	DSLEmail    string
	DSLPhone    string
	Sites       []SiteInput
}

// SiteInput is one delivery site as entered; ID is 0 for a new one.
type SiteInput struct {
	ID       int64
	Name     string
	Address  string
	Postcode string
}

var (
	ukprnRe    = regexp.MustCompile(`^1[0-9]{7}$`)
	urnRe      = regexp.MustCompile(`^[0-9]{6}$`)
	postcodeRe = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)
	phoneRe    = regexp.MustCompile(`^\+?[0-9 ()-]+$`)
)

// NormalisePostcode upper-cases a postcode and puts the single space before its last three characters.
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) > 3 {
		s = s[:len(s)-3] + " " + s[len(s)-3:]
	}
	return s
}

// Normalise tidies what was typed.
func (in *ProviderInput) Normalise() {
	tidy := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	in.Name = tidy(in.Name)
	in.UKPRN = strings.ReplaceAll(in.UKPRN, " ", "")
	in.URN = strings.ReplaceAll(in.URN, " ", "")
	in.SettingType = tidy(in.SettingType)
	in.Address = tidy(in.Address)
	in.Postcode = NormalisePostcode(in.Postcode)
	in.Phone = tidy(in.Phone)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.DSLName = tidy(in.DSLName)
	in.DSLEmail = strings.ToLower(strings.TrimSpace(in.DSLEmail))
	in.DSLPhone = tidy(in.DSLPhone)
	for i := range in.Sites {
		in.Sites[i].Name = tidy(in.Sites[i].Name)
		in.Sites[i].Address = tidy(in.Sites[i].Address)
		in.Sites[i].Postcode = NormalisePostcode(in.Sites[i].Postcode)
	}
}

// Validate checks a provider's details. It expects Normalise to have run.
func (in ProviderInput) Validate() []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{Field: field, Message: msg}) }
	if in.Name == "" {
		add("name", "Enter the provider’s name")
	}
	if in.UKPRN != "" && !ukprnRe.MatchString(in.UKPRN) {
		add("ukprn", "Enter a UKPRN of 8 digits starting with 1, like 10012345")
	}
	if in.URN != "" && !urnRe.MatchString(in.URN) {
		add("urn", "Enter a URN of 6 digits, like 190500")
	}
	if in.Registered && in.UKPRN == "" && in.URN == "" {
		add("ukprn", "Enter the provider’s UKPRN or URN: a registered provider has one")
	}
	if !in.Registered && in.SettingType == "" {
		add("setting_type", "Enter the type of setting of an unregistered provider, for example Community interest company")
	}
	if in.Address == "" {
		add("address", "Enter the provider’s address")
	}
	if !postcodeRe.MatchString(in.Postcode) {
		add("postcode", "Enter a real postcode, like CV1 2GN")
	}
	checkPhone := func(field, v, missing string) {
		digits := 0
		for _, r := range v {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		switch {
		case v == "":
			add(field, missing)
		case !phoneRe.MatchString(v) || digits < 10 || digits > 13:
			add(field, "Enter a phone number, like 024 7697 2062 or 07700 900123")
		}
	}
	checkEmail := func(field, v, missing string) {
		if v == "" {
			add(field, missing)
		} else if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
			add(field, "Enter an email address in the correct format, like name@example.com")
		}
	}
	checkPhone("phone", in.Phone, "Enter the provider’s phone number")
	checkEmail("email", in.Email, "Enter the provider’s email address")
	if in.DSLName == "" {
		add("dsl_name", "Enter the name of the provider’s designated safeguarding lead")
	}
	checkEmail("dsl_email", in.DSLEmail, "Enter the designated safeguarding lead’s email address")
	checkPhone("dsl_phone", in.DSLPhone, "Enter the designated safeguarding lead’s phone number")
	seen := map[string]bool{}
	for i, s := range in.Sites {
		row := i + 1
		if s.Name == "" {
			ps = append(ps, Problem{Field: "name", Row: row, Message: "Enter the name of the site"})
		} else if seen[strings.ToLower(s.Name)] {
			ps = append(ps, Problem{Field: "name", Row: row, Message: "Give each site a different name"})
		}
		seen[strings.ToLower(s.Name)] = true
		if s.Address == "" {
			ps = append(ps, Problem{Field: "address", Row: row, Message: "Enter the site’s address"})
		}
		if !postcodeRe.MatchString(s.Postcode) {
			ps = append(ps, Problem{Field: "postcode", Row: row, Message: "Enter the site’s postcode, like CV1 2GN"})
		}
	}
	return ps
}
