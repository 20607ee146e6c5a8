package pages

import (
	"github.com/a-h/templ"

	"github.com/coventry-cap/capportal/web/components"
)

// DirectorySearchView is the CAP Directory's search page: the filters as chosen and a page of results.
type DirectorySearchView struct {
	Text              string
	TierOptions       []components.Option
	CategoryOptions   []components.Option
	ProviderOptions   []components.Option
	ProviderName      *NameFilter // instead of the options when there are too many providers to list
	DayOptions        []components.Option
	YearOptions       []components.Option
	ShowRetiredFilter bool // CAP admins may include retired programmes
	IncludeRetired    bool
	Filtered          bool   // any filter is set, so "Clear filters" is offered
	CountText         string // "24 programmes found"
	TextIgnored       bool   // the words searched for were too common to search by
	Results           []ProgrammeRow
	Pagination        components.PaginationProps
	CanManage         bool
}

// ProgrammeRow is one programme in a list.
type ProgrammeRow struct {
	Href         string
	Name         string
	Provider     string // "" for Supported Transfer
	ProviderHref string
	Tier         string
	Category     string
	Days         string
	YearGroups   string
	Retired      bool
}

// ProgrammeView is a programme's page.
type ProgrammeView struct {
	Name         string
	Caption      string
	Retired      bool
	RetiredText  string
	Rows         []components.SummaryRow
	Windows      []WindowRow
	ProviderName string
	ProviderHref string
	CanManage    bool
	EditHref     string
	RetireAction string
	// Eligibility answers "Can your school refer to this programme?"; nothing is shown when nil.
	Eligibility templ.Component
	// Panel is, for a programme decided by the panels, when its referrals go to them: the next
	// referral deadline, or that none is on the calendar yet.
	Panel string
}

// WindowRow is one period in which a programme takes referrals.
type WindowRow struct {
	Year   string
	Opens  string
	Closes string
	Label  string
	Draft  bool
}

// ProgrammeFormView is the form to add or change a programme, holding what was typed.
type ProgrammeFormView struct {
	Title           string
	Caption         string
	Action          string
	Submit          string
	BackHref        string
	Kind            string
	Name            string
	Category        string
	Description     string
	Qualifications  string
	Duration        string
	DurationWeeks   string
	DaysPerWeek     string
	Fee             string
	Capacity        string
	KindItems       []components.Choice
	ProviderOptions []components.Option
	CategoryOptions []components.Option
	DayItems        []components.Choice
	YearItems       []components.Choice
	FeeBasisItems   []components.Choice
	Windows         []WindowFormRow
	Errors          components.Errors
}

// FieldOrder lists the form's fields in the order the page shows them, for the error summary.
func (v ProgrammeFormView) FieldOrder() []string {
	order := []string{"kind", "name", "provider", "category", "description", "qualifications", "duration", "duration_weeks",
		"days", "days_per_week", "fee", "fee_basis", "year_groups", "capacity"}
	for _, w := range v.Windows {
		for _, part := range []string{"-year", "-opens", "-closes", "-label"} {
			order = append(order, w.Prefix+part)
		}
	}
	return order
}

// WindowFormRow is one referral window in the programme form.
type WindowFormRow struct {
	Prefix      string // "window-1": the row's field names start with it
	ID          string
	Existing    bool // saved before, so it can be removed
	Draft       bool
	Remove      bool
	YearOptions []components.Option
	OpensDay    string
	OpensMonth  string
	OpensYear   string
	ClosesDay   string
	ClosesMonth string
	ClosesYear  string
	Label       string
	YearError   string
	OpensError  string
	ClosesError string
	LabelError  string
}

// RetireView asks a CAP admin to confirm retiring a programme or provider.
type RetireView struct {
	Caption    string
	Heading    string
	Paragraphs []string
	Action     string
	Button     string
	CancelHref string
}

// ProviderView is a training provider's page.
type ProviderView struct {
	Name             string
	Retired          bool
	RetiredText      string
	Rows             []components.SummaryRow
	Sites            []SiteRow
	Programmes       []ProgrammeRow
	CanManage        bool
	EditHref         string
	RetireAction     string
	AddProgrammeHref string
}

// SiteRow is one of a provider's delivery sites.
type SiteRow struct {
	Name    string
	Address string
}

// ProviderFormView is the form to add or change a training provider, holding what was typed.
type ProviderFormView struct {
	Title           string
	Caption         string
	Action          string
	Submit          string
	BackHref        string
	Name            string
	UKPRN           string
	URN             string
	SettingType     string
	Address         string
	Postcode        string
	Phone           string
	Email           string
	DSLName         string
	DSLEmail        string
	DSLPhone        string
	RegisteredItems []components.Choice
	Sites           []SiteFormRow
	Errors          components.Errors
}

// FieldOrder lists the form's fields in the order the page shows them, for the error summary.
func (v ProviderFormView) FieldOrder() []string {
	order := []string{"name", "registered", "ukprn", "urn", "setting_type", "address", "postcode", "phone", "email", "dsl_name", "dsl_email", "dsl_phone"}
	for _, row := range v.Sites {
		order = append(order, row.Prefix+"-name", row.Prefix+"-address", row.Prefix+"-postcode")
	}
	return order
}

// SiteFormRow is one delivery site in the provider form.
type SiteFormRow struct {
	Prefix        string // "site-1": the row's field names start with it
	ID            string
	Existing      bool
	Remove        bool
	Name          string
	Address       string
	Postcode      string
	NameError     string
	AddressError  string
	PostcodeError string
}
