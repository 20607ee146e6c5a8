package pages

// RolloverTerm is a term's dates as shown.
type RolloverTerm struct {
	Name     string
	Dates    string
	HalfTerm string
}

// RolloverYear is an academic year as shown on the rollover page.
type RolloverYear struct {
	Code  string
	Dates string
	Draft bool
	Terms []RolloverTerm
	// Warnings are dates in a draft that need a look before it is confirmed.
	Warnings []string
}

// RolloverWindow is a copied referral window.
type RolloverWindow struct {
	Programme string
	Label     string
	Dates     string
	Draft     bool
}

// RolloverView is the academic-year rollover page.
type RolloverView struct {
	From    RolloverYear
	To      *RolloverYear
	Windows []RolloverWindow
}
