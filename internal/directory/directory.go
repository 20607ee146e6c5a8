// Package directory is the CAP Directory: the training providers CAP works with and the programmes
// they run, from Tier 1 courses to Tier 3 placements. It searches them, reads them, and keeps them
// (create, edit and retire, each audited in the same transaction). No HTTP here.
package directory

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Audit actions written by the directory.
const (
	ProgrammeCreated = "programme.created"
	ProgrammeUpdated = "programme.updated"
	ProgrammeRetired = "programme.retired"
	ProviderCreated  = "provider.created"
	ProviderUpdated  = "provider.updated"
	ProviderRetired  = "provider.retired"
)

// ErrRetired is returned when a change is asked of a retired programme or provider: they are kept
// as they were so that referrals still show what they were for.
var ErrRetired = errors.New("retired records cannot be changed")

// ErrDuplicate is returned when the provider already runs a current programme of that name, or a
// current provider already has that name. ID is the one that exists. Same, set only when adding,
// reports that the existing record has every detail that was submitted: the form was sent twice.
type ErrDuplicate struct {
	ID   int64
	Same bool
}

// Error says which record is already there.
func (e ErrDuplicate) Error() string { return fmt.Sprintf("already in the directory as %d", e.ID) }

// ErrIdentifierTaken is returned when another organisation already has the UKPRN or URN; Field says
// which ("ukprn" or "urn").
type ErrIdentifierTaken struct{ Field string }

// Error says which identifier is taken.
func (e ErrIdentifierTaken) Error() string { return "another organisation already has this " + e.Field }

// Actor is who makes a change, for the audit log (the same shape as users.Actor).
type Actor struct {
	UserID    *int64
	Email     string
	RequestID string
}

// Store reads and changes the directory. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB    db.DBTX
	Clock calendar.Clock
}

// On is the store over a pool or a transaction, for reads inside a caller's transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Kind is the type of programme; it fixes the tier.
type Kind string

// The kinds of programme in the CAP graduated model.
const (
	Course            Kind = "course"
	Insight           Kind = "insight"
	Flourish          Kind = "flourish"
	SupportedTransfer Kind = "supported_transfer"
	Refocus           Kind = "refocus"
	Focus11           Kind = "focus11"
	Year11Post16      Kind = "year11_post16"
)

// Kinds lists every kind, in the order of the graduated model.
var Kinds = []Kind{Course, Year11Post16, Insight, Flourish, SupportedTransfer, Refocus, Focus11}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k.Tier() != 0 }

// Tier is the tier a kind of programme belongs to; 0 for an unknown kind. Year 11 Post-16
// programmes are referred like Tier 1 courses, at any time of year, by any school.
func (k Kind) Tier() int {
	switch k {
	case Course, Year11Post16:
		return 1
	case Insight, Flourish:
		return 2
	case SupportedTransfer, Refocus, Focus11:
		return 3
	}
	return 0
}

// Label names the kind for people.
func (k Kind) Label() string {
	switch k {
	case Course:
		return "Course"
	case Insight:
		return "Insight"
	case Flourish:
		return "Flourish"
	case SupportedTransfer:
		return "Supported Transfer"
	case Refocus:
		return "Refocus"
	case Focus11:
		return "Focus 11"
	case Year11Post16:
		return "Year 11 Post-16 programme"
	}
	return string(k)
}

// NeedsProvider reports whether programmes of the kind are run by a training provider.
func (k Kind) NeedsProvider() bool { return k != SupportedTransfer }

// Categories are the five categories of the Tier 1 Universal Offer.
var Categories = []string{"Vocational Learning", "Practical Skill Development", "Personal Development", "Curriculum Support", "Employability"}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// TierLabel names a tier as the welcome pack does.
func TierLabel(tier int) string {
	switch tier {
	case 1:
		return "Tier 1: Universal support"
	case 2:
		return "Tier 2: Targeted support"
	case 3:
		return "Tier 3: Time-limited support"
	}
	return ""
}

// Fee bases: what a fee pays for.
const (
	PerDay    = "day"
	PerWeek   = "week"
	PerCourse = "course"
)

// Programme is one entry of the CAP Directory.
type Programme struct {
	ID                int64
	Slug              string
	Tier              int
	Kind              Kind
	Name              string
	ProviderID        int64 // 0 for Supported Transfer
	ProviderName      string
	Category          string // "" when it has none
	Description       string
	Qualifications    string
	Duration          string // as people say it: "One term (12 weeks)"
	DurationWeeks     int    // 0 when it is not a fixed number of weeks
	DaysPerWeek       int
	Days              []time.Weekday // the weekdays it runs on, Monday to Friday
	FeePence          *int           // nil when there is no fee
	FeeBasis          string         // PerDay, PerWeek or PerCourse; "" without a fee
	YearGroups        []int
	CapacityPerCohort int // 0 when it has no cohort limit
	GoesToPanel       bool
	Active            bool
	RetiredAt         *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Windows           []Window // filled by GetProgramme
}

// Window is a period in which a programme takes referrals.
type Window struct {
	ID           int64
	AcademicYear string
	Opens        calendar.Date
	Closes       calendar.Date
	Label        string
	Draft        bool // copied by rollover and not yet confirmed: not in effect
}

// Provider is a training provider with its directory details.
type Provider struct {
	ID          int64
	Slug        string
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
	Active      bool
	RetiredAt   *time.Time
	Sites       []Site      // filled by GetProvider
	Programmes  []Programme // filled by GetProvider, current ones first
}

// Site is a place where a provider delivers.
type Site struct {
	ID       int64
	Name     string
	Address  string
	Postcode string
}

// Identifier is how the provider is known: its UKPRN, its URN, or else its type of setting.
func (p Provider) Identifier() string {
	var parts []string
	if p.UKPRN != "" {
		parts = append(parts, "UKPRN "+p.UKPRN)
	}
	if p.URN != "" {
		parts = append(parts, "URN "+p.URN)
	}
	if len(parts) == 0 && p.SettingType != "" {
		parts = append(parts, p.SettingType)
	}
	return strings.Join(parts, ", ")
}

// DaysText lists the days as people say them: "Monday to Friday", "Tuesday and Thursday".
func DaysText(days []time.Weekday) string {
	if len(days) == 0 {
		return ""
	}
	consecutive := len(days) > 2
	for i := 1; i < len(days); i++ {
		if days[i] != days[i-1]+1 {
			consecutive = false
		}
	}
	if consecutive {
		return days[0].String() + " to " + days[len(days)-1].String()
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.String()
	}
	return andList(names)
}

// EveryDaysText lists the days as a pattern: "Tuesdays and Wednesdays", "Monday to Friday".
func EveryDaysText(days []time.Weekday) string {
	text := DaysText(days)
	if strings.Contains(text, " to ") || len(days) == 0 {
		return text
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.String() + "s"
	}
	return andList(names)
}

// YearGroupsText lists year groups as people say them: "Year 11", "Years 9 to 11", "Years 7 and 9".
func YearGroupsText(years []int) string {
	switch len(years) {
	case 0:
		return ""
	case 1:
		return "Year " + strconv.Itoa(years[0])
	}
	consecutive := len(years) > 2
	for i := 1; i < len(years); i++ {
		if years[i] != years[i-1]+1 {
			consecutive = false
		}
	}
	if consecutive {
		return fmt.Sprintf("Years %d to %d", years[0], years[len(years)-1])
	}
	names := make([]string, len(years))
	for i, y := range years {
		names[i] = strconv.Itoa(y)
	}
	return "Years " + andList(names)
}

// FeeText shows a fee as people say it: "£65 a day", "£1,250.50 for the programme", "No fee".
func (p Programme) FeeText() string {
	if p.FeePence == nil {
		return "No fee"
	}
	s := Pounds(*p.FeePence)
	switch p.FeeBasis {
	case PerDay:
		return s + " a day"
	case PerWeek:
		return s + " a week"
	default:
		return s + " for the programme"
	}
}

// Pounds formats pence as "£1,250" or "£1,250.50".
func Pounds(pence int) string {
	whole := strconv.Itoa(pence / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if p := pence % 100; p != 0 {
		return fmt.Sprintf("£%s.%02d", b.String(), p)
	}
	return "£" + b.String()
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
