package pages

import "github.com/coventry-cap/capportal/web/components"

// SecondFactorSetUpView is the page to set up a second factor: the QR code drawn on the server, the
// key as text for those who cannot scan, and the code that proves the app has it.
type SecondFactorSetUpView struct {
	QR       string // a data: URI of a PNG
	KeyText  string // the key in groups of four
	Account  string // what the app labels it
	Next     string
	Required bool // the person's roles require it before anything else
	Errors   components.Errors
}

// SecondFactorStatusView is the second factor page once set up.
type SecondFactorStatusView struct {
	EnrolledOn   string
	RecoveryLeft int
	Errors       components.Errors
}

// RecoveryCodesView shows recovery codes, once.
type RecoveryCodesView struct {
	Codes     []string
	Next      string // where Continue leads
	FirstTime bool   // straight after enrolment
}

// SecondFactorCodeView asks for a code: at sign-in's second step, or to confirm before a
// safeguarding record.
type SecondFactorCodeView struct {
	Action     string
	Next       string
	Heading    string
	Intro      string
	Button     string
	CancelText string
	CancelHref string
	Errors     components.Errors
}
