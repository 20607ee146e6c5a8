package placement

// Status is what a register records for a learner in a session.
type Status string

// The marks a provider gives.
const (
	Present   Status = "present"
	Late      Status = "late"
	Absent    Status = "absent"
	NoSession Status = "no_session" // the provider did not run the session (the school says where the student was)
)

// Statuses are the marks in the order the register offers them.
var Statuses = []Status{Present, Late, Absent, NoSession}

// Label names the mark.
func (s Status) Label() string {
	switch s {
	case Present:
		return "Present"
	case Late:
		return "Late"
	case Absent:
		return "Absent"
	case NoSession:
		return "No session"
	}
	return string(s)
}

// Valid reports whether s is a mark.
func (s Status) Valid() bool {
	switch s {
	case Present, Late, Absent, NoSession:
		return true
	}
	return false
}

// Reason is why a learner was absent.
type Reason string

// The reasons a provider records for an absence.
const (
	Illness      Reason = "illness"
	Medical      Reason = "medical"      // a medical or dental appointment
	Excluded     Reason = "excluded"     // excluded from the session by the provider
	Unauthorised Reason = "unauthorised" // no reason known: the school is alerted the same day
	OtherReason  Reason = "other"        // another reason, written down
)

// Reasons are the reasons in the order the register offers them.
var Reasons = []Reason{Illness, Medical, Excluded, Unauthorised, OtherReason}

// Label names the reason.
func (r Reason) Label() string {
	switch r {
	case Illness:
		return "Illness"
	case Medical:
		return "Medical or dental appointment"
	case Excluded:
		return "Excluded from the session by the provider"
	case Unauthorised:
		return "Unauthorised (no reason known)"
	case OtherReason:
		return "Other reason"
	}
	return string(r)
}

// Valid reports whether r is a reason.
func (r Reason) Valid() bool {
	switch r {
	case Illness, Medical, Excluded, Unauthorised, OtherReason:
		return true
	}
	return false
}

// Unexplained reports whether an absence has no known reason: the school's coordinators and the
// placement's monitoring officer are alerted the same day.
func (r Reason) Unexplained() bool { return r == Unauthorised }

// Code is the DfE national attendance code (The School Attendance (Pupil Registration) (England)
// Regulations 2024) the school enters in its own register for a session at the placement, so that
// schools copy codes rather than read prose. Attending, on time or late, is B: an approved educational
// activity off the school site, supervised by the provider. An absence takes the code of its reason:
// illness I, an appointment M, no reason known O (unauthorised). An exclusion from the session by the
// provider and another written reason are N (reason not yet established), for the school to settle
// within five school days: only the school can authorise an absence, and E is for the school's own
// suspensions. A session the provider did not run has no code from the provider: the student was
// expected in school.
func Code(s Status, r Reason) string {
	switch s {
	case Present, Late:
		return "B"
	case Absent:
		switch r {
		case Illness:
			return "I"
		case Medical:
			return "M"
		case Unauthorised:
			return "O"
		case Excluded, OtherReason:
			return "N"
		}
	}
	return "–"
}

// CodeMeaning says what a code means, beside it in the school's view.
func CodeMeaning(code string) string {
	switch code {
	case "B":
		return "Attending an approved educational activity off site"
	case "I":
		return "Illness"
	case "M":
		return "Medical or dental appointment"
	case "O":
		return "Absent in other or unknown circumstances (unauthorised)"
	case "N":
		return "Reason not yet established: the school decides the code within five school days"
	case "–":
		return "No session at the provider: record where the student was in the school’s own register"
	}
	return ""
}
