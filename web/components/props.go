package components

import (
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
)

// joinNonEmpty joins the non-empty parts with single spaces (for class and
// aria-describedby attribute values).
func joinNonEmpty(parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// itoa is strconv.Itoa for templates.
func itoa(n int) string { return strconv.Itoa(n) }

// ifStr returns s when cond holds, otherwise "".
func ifStr(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// boolAttr renders an optional true/false attribute value ("" when unset).
func boolAttr(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// formGroupClass is the wrapper class of every form field.
func formGroupClass(hasError bool) string {
	return joinNonEmpty("govuk-form-group", ifStr(hasError, "govuk-form-group--error"))
}

// headingLabelClass picks the label/legend size modifier, defaulting to the
// large style GOV.UK uses when a label or legend is the page heading.
func headingLabelClass(explicit string, isHeading bool, large string) string {
	if explicit != "" {
		return explicit
	}
	if isHeading {
		return large
	}
	return ""
}

// ---------------------------------------------------------------------------
// Text input

// Field is what every labelled form control shares: its id and name, label, hint and error message,
// and the ids the label, hint and error link by.
type Field struct {
	// ID is the input id; it defaults to Name.
	ID string
	// Name is the form field name.
	Name string
	// Label is the visible label text.
	Label string
	// LabelClass is an extra label class such as "govuk-label--l".
	LabelClass string
	// LabelIsPageHeading wraps the label in an h1 (and defaults LabelClass to govuk-label--l).
	LabelIsPageHeading bool
	// Hint is optional hint text shown under the label.
	Hint string
	// Error is the error message; empty means the field is valid.
	Error string
}

func (f Field) id() string {
	if f.ID != "" {
		return f.ID
	}
	return f.Name
}
func (f Field) hintID() string  { return f.id() + "-hint" }
func (f Field) errorID() string { return f.id() + "-error" }
func (f Field) describedBy() string {
	return joinNonEmpty(ifStr(f.Hint != "", f.hintID()), ifStr(f.Error != "", f.errorID()))
}
func (f Field) labelClass() string {
	return headingLabelClass(f.LabelClass, f.LabelIsPageHeading, "govuk-label--l")
}

// TextInputProps configures TextInput (govukInput).
type TextInputProps struct {
	Field
	// Value is the current value, kept when redisplaying the form.
	Value string
	// Type is the input type; it defaults to "text".
	Type string
	// Autocomplete is the optional autocomplete token, e.g. "email".
	Autocomplete string
	// Inputmode is the optional inputmode, e.g. "numeric".
	Inputmode string
	// Width is an optional width class, e.g. "govuk-input--width-20".
	Width string
	// Spellcheck sets spellcheck="true|false" when non-nil.
	Spellcheck *bool
}

func (p TextInputProps) inputType() string {
	if p.Type != "" {
		return p.Type
	}
	return "text"
}
func (p TextInputProps) class() string {
	return joinNonEmpty("govuk-input", p.Width, ifStr(p.Error != "", "govuk-input--error"))
}

// ---------------------------------------------------------------------------
// Textarea

// TextareaProps configures Textarea (govukTextarea).
type TextareaProps struct {
	Field
	// Value is the current value, kept when redisplaying the form.
	Value string
	// Rows is the visible number of rows; it defaults to 5.
	Rows int
	// Autocomplete is the optional autocomplete token.
	Autocomplete string
	// Spellcheck sets spellcheck="true|false" when non-nil.
	Spellcheck *bool
}

func (p TextareaProps) rows() string {
	if p.Rows > 0 {
		return strconv.Itoa(p.Rows)
	}
	return "5"
}
func (p TextareaProps) class() string {
	return joinNonEmpty("govuk-textarea", ifStr(p.Error != "", "govuk-textarea--error"))
}

// ---------------------------------------------------------------------------
// Date input

// DateInputProps configures DateInput (govukDateInput inside a fieldset).
type DateInputProps struct {
	// ID is the id of the govuk-date-input div and the prefix of the part ids; it defaults to NamePrefix.
	ID string
	// NamePrefix prefixes the part names: NamePrefix+"-day", "-month", "-year".
	NamePrefix string
	// Legend is the fieldset legend text.
	Legend string
	// LegendClass is an extra legend class such as "govuk-fieldset__legend--m".
	LegendClass string
	// LegendIsPageHeading wraps the legend text in an h1 (and defaults LegendClass to --l).
	LegendIsPageHeading bool
	// Hint is optional hint text, e.g. "For example, 27 3 2007".
	Hint string
	// Day is the current day value.
	Day string
	// Month is the current month value.
	Month string
	// Year is the current year value.
	Year string
	// Error is the error message; empty means the field is valid.
	Error string
	// ErrorParts lists which of "day", "month", "year" get the error class; all when empty and Error is set.
	ErrorParts []string
	// DateOfBirth adds autocomplete="bday-day|bday-month|bday-year" to the parts.
	DateOfBirth bool
}

// dateInputPart is one of the three inputs of a date input.
type dateInputPart struct {
	ID, Name, Label, Value, Class, Autocomplete string
}

func (p DateInputProps) id() string {
	if p.ID != "" {
		return p.ID
	}
	return p.NamePrefix
}
func (p DateInputProps) hintID() string  { return p.id() + "-hint" }
func (p DateInputProps) errorID() string { return p.id() + "-error" }
func (p DateInputProps) describedBy() string {
	return joinNonEmpty(ifStr(p.Hint != "", p.hintID()), ifStr(p.Error != "", p.errorID()))
}
func (p DateInputProps) legendClass() string {
	return headingLabelClass(p.LegendClass, p.LegendIsPageHeading, "govuk-fieldset__legend--l")
}
func (p DateInputProps) partHasError(part string) bool {
	if p.Error == "" {
		return false
	}
	if len(p.ErrorParts) == 0 {
		return true
	}
	for _, e := range p.ErrorParts {
		if strings.EqualFold(e, part) {
			return true
		}
	}
	return false
}
func (p DateInputProps) parts() []dateInputPart {
	defs := []struct{ name, label, value, width string }{
		{"day", "Day", p.Day, "govuk-input--width-2"},
		{"month", "Month", p.Month, "govuk-input--width-2"},
		{"year", "Year", p.Year, "govuk-input--width-4"},
	}
	out := make([]dateInputPart, 0, len(defs))
	for _, d := range defs {
		name := d.name
		if p.NamePrefix != "" {
			name = p.NamePrefix + "-" + d.name
		}
		out = append(out, dateInputPart{
			ID:           p.id() + "-" + d.name,
			Name:         name,
			Label:        d.label,
			Value:        d.value,
			Class:        joinNonEmpty("govuk-input", "govuk-date-input__input", d.width, ifStr(p.partHasError(d.name), "govuk-input--error")),
			Autocomplete: ifStr(p.DateOfBirth, "bday-"+d.name),
		})
	}
	return out
}

// ---------------------------------------------------------------------------
// Radios and checkboxes

// Choice is one radio button or checkbox.
type Choice struct {
	// Value is the submitted value.
	Value string
	// Label is the visible label text.
	Label string
	// Hint is optional hint text for this item.
	Hint string
	// Checked marks the item as selected.
	Checked bool
	// ID overrides the generated item id.
	ID string
}

// ChoiceProps configures Radios and Checkboxes.
type ChoiceProps struct {
	// Name is the form field name shared by every item.
	Name string
	// IDPrefix prefixes item, hint and error ids; it defaults to Name.
	IDPrefix string
	// Legend is the fieldset legend text.
	Legend string
	// LegendClass is an extra legend class such as "govuk-fieldset__legend--m".
	LegendClass string
	// LegendIsPageHeading wraps the legend text in an h1 (and defaults LegendClass to --l).
	LegendIsPageHeading bool
	// Hint is optional hint text for the whole group.
	Hint string
	// Error is the error message; empty means the field is valid.
	Error string
	// Inline lays radios out in a row (radios only: GOV.UK has no inline checkboxes).
	Inline bool
	// Small uses the small radios or checkboxes style.
	Small bool
	// Items are the choices in display order.
	Items []Choice
}

func (p ChoiceProps) idPrefix() string {
	if p.IDPrefix != "" {
		return p.IDPrefix
	}
	return p.Name
}
func (p ChoiceProps) hintID() string  { return p.idPrefix() + "-hint" }
func (p ChoiceProps) errorID() string { return p.idPrefix() + "-error" }
func (p ChoiceProps) describedBy() string {
	return joinNonEmpty(ifStr(p.Hint != "", p.hintID()), ifStr(p.Error != "", p.errorID()))
}
func (p ChoiceProps) legendClass() string {
	return headingLabelClass(p.LegendClass, p.LegendIsPageHeading, "govuk-fieldset__legend--l")
}

// itemID follows GOV.UK: the first item's id is the prefix itself (so the
// error summary can link to it), later ones are prefix-2, prefix-3, ...
func (p ChoiceProps) itemID(i int) string {
	if id := p.Items[i].ID; id != "" {
		return id
	}
	if i == 0 {
		return p.idPrefix()
	}
	return p.idPrefix() + "-" + strconv.Itoa(i+1)
}
func (p ChoiceProps) itemHintID(i int) string { return p.itemID(i) + "-item-hint" }
func (p ChoiceProps) radiosClass() string {
	return joinNonEmpty("govuk-radios", ifStr(p.Inline, "govuk-radios--inline"), ifStr(p.Small, "govuk-radios--small"))
}
func (p ChoiceProps) checkboxesClass() string {
	return joinNonEmpty("govuk-checkboxes", ifStr(p.Small, "govuk-checkboxes--small"))
}

// ---------------------------------------------------------------------------
// Select

// Option is one option of a Select.
type Option struct {
	// Value is the submitted value.
	Value string
	// Label is the visible option text.
	Label string
	// Selected marks the option as chosen.
	Selected bool
}

// SelectProps configures Select (govukSelect).
type SelectProps struct {
	Field
	// Options are the options in display order.
	Options []Option
}

func (p SelectProps) class() string {
	return joinNonEmpty("govuk-select", ifStr(p.Error != "", "govuk-select--error"))
}

// ---------------------------------------------------------------------------
// Summary list

// Action is a link in the actions column of a summary list row.
type Action struct {
	// Href is the link target.
	Href string
	// Text is the visible link text, e.g. "Change".
	Text string
	// VisuallyHidden completes the link text for screen readers, e.g. "name".
	VisuallyHidden string
}

// SummaryRow is one key/value row of a summary list.
type SummaryRow struct {
	// Key is the row key (dt) text.
	Key string
	// Value is the row value (dd) text.
	Value string
	// ValueHTML is rendered instead of Value when set.
	ValueHTML templ.Component
	// Actions are the row's links, e.g. Change.
	Actions []Action
}

// summaryListHasActions reports whether any row has actions.
func summaryListHasActions(rows []SummaryRow) bool {
	for _, r := range rows {
		if len(r.Actions) > 0 {
			return true
		}
	}
	return false
}

// summaryRowClass adds the no-actions modifier GOV.UK uses in a list where
// other rows have actions.
func summaryRowClass(anyActions bool, r SummaryRow) string {
	return joinNonEmpty("govuk-summary-list__row", ifStr(anyActions && len(r.Actions) == 0, "govuk-summary-list__row--no-actions"))
}

// ---------------------------------------------------------------------------
// Table

// TableHeader is one column heading of a Table.
type TableHeader struct {
	// Text is the heading text.
	Text string
	// Numeric right-aligns the column heading.
	Numeric bool
}

// TableCell is one cell of a Table body row.
type TableCell struct {
	// Text is the cell text.
	Text string
	// HTML is rendered instead of Text when set.
	HTML templ.Component
	// Numeric right-aligns the cell.
	Numeric bool
	// Header renders the cell as a row header (th scope="row"); use it on the first cell.
	Header bool
}

// TableProps configures Table (govukTable).
type TableProps struct {
	// Caption is the optional table caption.
	Caption string
	// CaptionSize is "s", "m" or "l"; it defaults to "m".
	CaptionSize string
	// Head are the column headings; no thead is rendered when empty.
	Head []TableHeader
	// Rows are the body rows.
	Rows [][]TableCell
}

func (p TableProps) captionClass() string {
	size := p.CaptionSize
	switch size {
	case "s", "m", "l", "xl":
	default:
		size = "m"
	}
	return "govuk-table__caption govuk-table__caption--" + size
}

func (h TableHeader) class() string {
	return joinNonEmpty("govuk-table__header", ifStr(h.Numeric, "govuk-table__header--numeric"))
}

func (c TableCell) class() string {
	if c.Header {
		return joinNonEmpty("govuk-table__header", ifStr(c.Numeric, "govuk-table__header--numeric"))
	}
	return joinNonEmpty("govuk-table__cell", ifStr(c.Numeric, "govuk-table__cell--numeric"))
}

// ---------------------------------------------------------------------------
// Tag

// TagColours are the tag colours GOV.UK Frontend 5 provides.
var TagColours = []string{"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange", "yellow"}

// tagClass returns the tag classes; unknown colours get the default tag.
func tagClass(colour string) string {
	for _, c := range TagColours {
		if c == colour {
			return "govuk-tag govuk-tag--" + c
		}
	}
	return "govuk-tag"
}

// ---------------------------------------------------------------------------
// Buttons

// ButtonProps configures Button (govukButton as a <button>).
type ButtonProps struct {
	// Text is the button text.
	Text string
	// Type is the button type; it defaults to "submit".
	Type string
	// Name is the optional name submitted with the form.
	Name string
	// Value is the optional value submitted with Name.
	Value string
	// Secondary uses the secondary (grey) style.
	Secondary bool
	// Warning uses the warning (red) style.
	Warning bool
	// Disabled disables the button (disabled and aria-disabled="true").
	Disabled bool
	// PreventDoubleClick adds data-prevent-double-click="true".
	PreventDoubleClick bool
	// ID is the optional button id.
	ID string
}

func (p ButtonProps) buttonType() string {
	if p.Type != "" {
		return p.Type
	}
	return "submit"
}
func (p ButtonProps) class() string {
	return joinNonEmpty("govuk-button", ifStr(p.Secondary, "govuk-button--secondary"), ifStr(p.Warning, "govuk-button--warning"))
}

// ---------------------------------------------------------------------------
// Pagination

// PageItem is one numbered page link (or an ellipsis) in Pagination.
type PageItem struct {
	// Number is the page number shown.
	Number int
	// Href is the link to the page.
	Href string
	// Current marks the page being shown.
	Current bool
	// Ellipsis renders a "⋯" gap instead of a link.
	Ellipsis bool
}

// PaginationProps configures Pagination (govukPagination).
type PaginationProps struct {
	// PrevHref links to the previous page; empty hides the link.
	PrevHref string
	// NextHref links to the next page; empty hides the link.
	NextHref string
	// Items are the numbered pages; with none, block-style prev/next links are used.
	Items []PageItem
	// Label is the nav aria-label; it defaults to "Pagination".
	Label string
}

func (p PaginationProps) visible() bool {
	return p.PrevHref != "" || p.NextHref != "" || len(p.Items) > 1
}
func (p PaginationProps) blockLevel() bool {
	return len(p.Items) == 0 && (p.PrevHref != "" || p.NextHref != "")
}
func (p PaginationProps) label() string {
	if p.Label != "" {
		return p.Label
	}
	return "Pagination"
}
func (p PaginationProps) class() string {
	return joinNonEmpty("govuk-pagination", ifStr(p.blockLevel(), "govuk-pagination--block"))
}
func (p PaginationProps) linkTitleClass() string {
	return joinNonEmpty("govuk-pagination__link-title", ifStr(p.blockLevel(), "govuk-pagination__link-title--decorated"))
}

func (i PageItem) class() string {
	return joinNonEmpty("govuk-pagination__item", ifStr(i.Current, "govuk-pagination__item--current"), ifStr(i.Ellipsis, "govuk-pagination__item--ellipsis"))
}

// ---------------------------------------------------------------------------
// Task list

// TaskItem is one task in a TaskList.
type TaskItem struct {
	// Title is the task name.
	Title string
	// Href links to the task; "" when it cannot be started yet.
	Href string
	// Hint is optional hint text under the title.
	Hint string
	// Status is the status text, e.g. "Completed" or "Not yet started".
	Status string
	// StatusColour is "" for plain status text, otherwise a tag colour (unknown values give the default tag).
	StatusColour string
	// ID prefixes the hint and status ids (ID+"-hint", ID+"-status"); it defaults to "task-list-N".
	ID string
}

func (t TaskItem) idPrefix(i int) string {
	if t.ID != "" {
		return t.ID
	}
	return "task-list-" + strconv.Itoa(i+1)
}
func (t TaskItem) hintID(i int) string   { return t.idPrefix(i) + "-hint" }
func (t TaskItem) statusID(i int) string { return t.idPrefix(i) + "-status" }
func (t TaskItem) describedBy(i int) string {
	return joinNonEmpty(ifStr(t.Hint != "", t.hintID(i)), t.statusID(i))
}
func (t TaskItem) class() string {
	return joinNonEmpty("govuk-task-list__item", ifStr(t.Href != "", "govuk-task-list__item--with-link"))
}
func (t TaskItem) statusClass() string {
	return joinNonEmpty("govuk-task-list__status", ifStr(t.Href == "" && t.StatusColour == "", "govuk-task-list__status--cannot-start-yet"))
}

// ---------------------------------------------------------------------------
// Timeline

// TimelineItem is one event in an MOJ Timeline.
type TimelineItem struct {
	// Title is the event heading.
	Title string
	// By names who did it; shown as "by {By}" when set.
	By string
	// When is the event time, shown in Europe/London time.
	When time.Time
	// Description is optional text under the date.
	Description string
}

// ---------------------------------------------------------------------------
// Notification banner

// NotificationBannerProps configures NotificationBanner (govukNotificationBanner).
type NotificationBannerProps struct {
	// Success uses the green success style and role="alert".
	Success bool
	// Title is the banner title; it defaults to "Important" or "Success".
	Title string
	// TitleID is the title id (aria-labelledby); it defaults to "govuk-notification-banner-title".
	TitleID string
	// Heading is the main banner message.
	Heading string
	// Body is optional extra text under the heading.
	Body string
}

func (p NotificationBannerProps) class() string {
	return joinNonEmpty("govuk-notification-banner", ifStr(p.Success, "govuk-notification-banner--success"))
}
func (p NotificationBannerProps) role() string {
	if p.Success {
		return "alert"
	}
	return "region"
}
func (p NotificationBannerProps) title() string {
	switch {
	case p.Title != "":
		return p.Title
	case p.Success:
		return "Success"
	default:
		return "Important"
	}
}
func (p NotificationBannerProps) titleID() string {
	if p.TitleID != "" {
		return p.TitleID
	}
	return "govuk-notification-banner-title"
}

// ---------------------------------------------------------------------------
// Small helpers

// backLinkHref defaults a back link's href to "#" like GOV.UK.
func backLinkHref(href string) string {
	if href == "" {
		return "#"
	}
	return href
}

// backLinkText defaults a back link's text to "Back" like GOV.UK.
func backLinkText(text string) string {
	if text == "" {
		return "Back"
	}
	return text
}
