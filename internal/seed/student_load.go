package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/student"
)

// DemoStudent is a fictional student at a demo school. Their UPN is built from Coventry's LA number
// (331), an invented establishment number, a year and a serial, with the real DfE check letter.
type DemoStudent struct {
	SchoolKey         string
	Serial            string // the UPN's last 5 characters: 2-digit year and 3-character serial
	First, Last       string
	PreferredFirst    string
	DOB               calendar.Date
	Sex               student.Sex
	Year              int
	SEN               student.SEN
	FSM, LookedAfter  bool
	CPCIN             student.CPCIN
	Ethnicity         string
	Address, Postcode string
	Contact           student.Contact
	Professional      *student.Professional
	SecondContact     *student.Contact
}

// demoEstablishments are invented establishment numbers for the schools that have demo students.
var demoEstablishments = map[string]string{"whitmore": "2901", "canleybrook": "2902", "radfordmeadows": "2903"}

// UPN is the student's UPN with its computed check letter.
func (d DemoStudent) UPN() string {
	rest := "331" + demoEstablishments[d.SchoolKey] + d.Serial
	letter, ok := student.CheckLetter(rest)
	if !ok {
		panic("seed: bad demo UPN " + rest)
	}
	return string(letter) + rest
}

func studentDOB(y int, m time.Month, d int) calendar.Date { return calendar.NewDate(y, m, d) }

func demoMother(name, phone, email string) student.Contact {
	return student.Contact{Name: name, Relationship: "Mother", Phone: phone, Email: email, ParentalResponsibility: true}
}

func demoFather(name, phone, email string) student.Contact {
	return student.Contact{Name: name, Relationship: "Father", Phone: phone, Email: email, ParentalResponsibility: true}
}

// DemoStudents are the fictional students in the demo: fifteen at Whitmore Park Academy and a few at
// two other schools. Year groups are for 2026/27.
var DemoStudents = []DemoStudent{
	{SchoolKey: "whitmore", Serial: "15001", First: "Kai", Last: "Adeyemi-Brown", DOB: studentDOB(2011, time.October, 14), Sex: student.Male, Year: 10, SEN: student.SENSupport, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "Mixed White and Black Caribbean", Address: "14 Lockhart Road, Coventry", Postcode: "CV6 4QY", Contact: demoMother("Tanya Brown", "07700 900301", "tanya.brown@family.example")},
	{SchoolKey: "whitmore", Serial: "15002", First: "Amelia", Last: "Barker", DOB: studentDOB(2012, time.March, 2), Sex: student.Female, Year: 10, SEN: student.SENNone, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "3 Penny Park Lane, Coventry", Postcode: "CV6 2GR", Contact: demoFather("Stephen Barker", "07700 900302", "s.barker@family.example")},
	{SchoolKey: "whitmore", Serial: "14003", First: "Tyler", Last: "Cooke", DOB: studentDOB(2010, time.November, 30), Sex: student.Male, Year: 11, SEN: student.SENEHCP, FSM: true, CPCIN: student.CIN, Ethnicity: "White British", Address: "Flat 6, Jackers Road, Coventry", Postcode: "CV2 1PF", Contact: demoMother("Donna Cooke", "07700 900303", ""), Professional: &student.Professional{Name: "Priya Sandhu", Role: "Social worker", Agency: "Coventry Children’s Services", Phone: "024 7696 0501", Email: "priya.sandhu@childrens.example"}},
	{SchoolKey: "whitmore", Serial: "15004", First: "Zainab", Last: "Darwish", DOB: studentDOB(2011, time.December, 5), Sex: student.Female, Year: 10, SEN: student.SENNone, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "Any other Arab background", Address: "22 Beake Avenue, Coventry", Postcode: "CV6 3AN", Contact: demoFather("Omar Darwish", "07700 900304", "omar.darwish@family.example")},
	{SchoolKey: "whitmore", Serial: "16005", First: "Jayden", Last: "Ellis", PreferredFirst: "JJ", DOB: studentDOB(2013, time.January, 19), Sex: student.Male, Year: 9, SEN: student.SENSupport, CPCIN: student.CPCINNone, Ethnicity: "Black Caribbean", Address: "8 Ringwood Highway, Coventry", Postcode: "CV2 2GT", Contact: demoMother("Marcia Ellis", "07700 900305", "marcia.ellis@family.example")},
	{SchoolKey: "whitmore", Serial: "14006", First: "Holly", Last: "Fairclough", DOB: studentDOB(2010, time.September, 9), Sex: student.Female, Year: 11, SEN: student.SENNone, LookedAfter: true, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "c/o 41 Holbrook Lane, Coventry", Postcode: "CV6 4AD", Contact: student.Contact{Name: "Janice Pryor", Relationship: "Foster carer", Phone: "07700 900306", Email: "janice.pryor@fostering.example"}, SecondContact: &student.Contact{Name: "Coventry City Council", Relationship: "Corporate parent", Phone: "024 7696 0502", ParentalResponsibility: true}, Professional: &student.Professional{Name: "Gavin Moore", Role: "Virtual school caseworker", Agency: "Coventry Virtual School", Phone: "024 7696 0503", Email: "gavin.moore@virtualschool.example"}},
	{SchoolKey: "whitmore", Serial: "17007", First: "Oskar", Last: "Górski", DOB: studentDOB(2014, time.May, 27), Sex: student.Male, Year: 8, SEN: student.SENNone, CPCIN: student.CPCINNone, Ethnicity: "White Polish", Address: "19 Burnaby Road, Coventry", Postcode: "CV6 4AT", Contact: demoMother("Ewa Górska", "07700 900307", "ewa.gorska@family.example")},
	{SchoolKey: "whitmore", Serial: "15008", First: "Leah", Last: "Hammond", DOB: studentDOB(2012, time.July, 21), Sex: student.Female, Year: 10, SEN: student.SENSupport, FSM: true, CPCIN: student.CP, Ethnicity: "White British", Address: "5 Wheelwright Lane, Coventry", Postcode: "CV6 4HN", Contact: student.Contact{Name: "Pauline Hammond", Relationship: "Grandmother", Phone: "07700 900308", ParentalResponsibility: false}, SecondContact: &student.Contact{Name: "Kerry Hammond", Relationship: "Mother", Phone: "07700 900318", ParentalResponsibility: true}, Professional: &student.Professional{Name: "Rebecca Lowe", Role: "Social worker", Agency: "Coventry Children’s Services", Phone: "024 7696 0504", Email: "rebecca.lowe@childrens.example"}},
	{SchoolKey: "whitmore", Serial: "14009", First: "Mohammed", Last: "Iqbal", DOB: studentDOB(2011, time.February, 11), Sex: student.Male, Year: 11, SEN: student.SENNone, CPCIN: student.CPCINNone, Ethnicity: "Pakistani", Address: "77 Lythalls Lane, Coventry", Postcode: "CV6 6FN", Contact: demoFather("Tariq Iqbal", "07700 900309", "tariq.iqbal@family.example")},
	{SchoolKey: "whitmore", Serial: "16010", First: "Ruby", Last: "Jennings", DOB: studentDOB(2013, time.August, 3), Sex: student.Female, Year: 9, SEN: student.SENEHCP, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "2 Wallace Road, Coventry", Postcode: "CV6 4QL", Contact: demoMother("Claire Jennings", "07700 900310", "claire.jennings@family.example"), Professional: &student.Professional{Name: "Dr Alan Whitby", Role: "Educational psychologist", Agency: "Coventry Educational Psychology Service", Phone: "024 7696 0505"}},
	{SchoolKey: "whitmore", Serial: "15011", First: "Daniel", Last: "Kowalski", PreferredFirst: "Danny", DOB: studentDOB(2011, time.November, 17), Sex: student.Male, Year: 10, SEN: student.SENNone, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "White other", Address: "31 Sadler Road, Coventry", Postcode: "CV6 2LE", Contact: demoMother("Agata Kowalska", "07700 900311", "")},
	{SchoolKey: "whitmore", Serial: "14012", First: "Chloe", Last: "Lindsay", DOB: studentDOB(2010, time.December, 24), Sex: student.Female, Year: 11, SEN: student.SENSupport, CPCIN: student.CPCINNone, Ethnicity: "White Irish", Address: "9 Kingsbury Road, Coventry", Postcode: "CV6 1PJ", Contact: demoFather("Martin Lindsay", "07700 900312", "martin.lindsay@family.example")},
	{SchoolKey: "whitmore", Serial: "18013", First: "Ayaan", Last: "Mistry", DOB: studentDOB(2014, time.October, 8), Sex: student.Male, Year: 7, SEN: student.SENNone, CPCIN: student.CPCINNone, Ethnicity: "Indian", Address: "48 Proffitt Avenue, Coventry", Postcode: "CV6 7AX", Contact: demoMother("Nisha Mistry", "07700 900313", "nisha.mistry@family.example")},
	{SchoolKey: "whitmore", Serial: "16014", First: "Sienna", Last: "Nwosu", DOB: studentDOB(2013, time.April, 16), Sex: student.Female, Year: 9, SEN: student.SENNone, FSM: true, CPCIN: student.CIN, Ethnicity: "Black African", Address: "12 Kirby Road, Coventry", Postcode: "CV5 6HJ", Contact: demoMother("Grace Nwosu", "07700 900314", "grace.nwosu@family.example")},
	// A temporary UPN: the school is still waiting for the permanent one.
	{SchoolKey: "whitmore", Serial: "2601B", First: "Ellis", Last: "Quarry", DOB: studentDOB(2012, time.June, 1), Sex: student.SexUnknown, Year: 10, SEN: student.SENNone, CPCIN: student.CPCINNone, Address: "60 Hen Lane, Coventry", Postcode: "CV6 4LD", Contact: student.Contact{Name: "Sam Quarry", Relationship: "Parent", Phone: "07700 900315", ParentalResponsibility: true}},

	{SchoolKey: "canleybrook", Serial: "15001", First: "Freya", Last: "Oakley", DOB: studentDOB(2012, time.May, 12), Sex: student.Female, Year: 10, SEN: student.SENSupport, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "7 Charter Avenue, Coventry", Postcode: "CV4 8DA", Contact: demoMother("Lisa Oakley", "07700 900321", "lisa.oakley@family.example")},
	{SchoolKey: "canleybrook", Serial: "14002", First: "Harvey", Last: "Patel", DOB: studentDOB(2010, time.October, 2), Sex: student.Male, Year: 11, SEN: student.SENNone, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "Indian", Address: "15 Cannon Hill Road, Coventry", Postcode: "CV4 7BU", Contact: demoFather("Rakesh Patel", "07700 900322", "rakesh.patel@family.example")},
	{SchoolKey: "canleybrook", Serial: "16003", First: "Maisie", Last: "Rowe", DOB: studentDOB(2013, time.February, 28), Sex: student.Female, Year: 9, SEN: student.SENEHCP, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "40 Prior Deram Walk, Coventry", Postcode: "CV4 8FT", Contact: demoMother("Joanne Rowe", "07700 900323", "")},

	{SchoolKey: "radfordmeadows", Serial: "15001", First: "Tomasz", Last: "Szymański", PreferredFirst: "Tom", DOB: studentDOB(2011, time.September, 20), Sex: student.Male, Year: 10, SEN: student.SENNone, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "White Polish", Address: "26 Jubilee Crescent, Coventry", Postcode: "CV6 3EX", Contact: demoMother("Marta Szymańska", "07700 900331", "marta.s@family.example")},
	{SchoolKey: "radfordmeadows", Serial: "14002", First: "Aaliyah", Last: "Thompson", DOB: studentDOB(2011, time.January, 7), Sex: student.Female, Year: 11, SEN: student.SENSupport, CPCIN: student.CIN, Ethnicity: "Mixed White and Black African", Address: "3 Engleton Road, Coventry", Postcode: "CV6 1JF", Contact: demoMother("Simone Thompson", "07700 900332", "simone.t@family.example")},
	{SchoolKey: "radfordmeadows", Serial: "17003", First: "Lewis", Last: "Underwood", DOB: studentDOB(2014, time.March, 15), Sex: student.Male, Year: 8, SEN: student.SENNone, CPCIN: student.CPCINNone, Ethnicity: "White British", Address: "88 Radford Road, Coventry", Postcode: "CV6 3BU", Contact: demoFather("Craig Underwood", "07700 900333", "")},
}

// loadStudents adds the demo students that are not there yet, with their contacts and professionals.
func loadStudents(ctx context.Context, tx pgx.Tx, now time.Time, orgIDs map[string]int64) error {
	for _, d := range DemoStudents {
		schoolID, ok := orgIDs[d.SchoolKey]
		if !ok {
			return fmt.Errorf("seed student %s: unknown school %q", d.Serial, d.SchoolKey)
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO students (school_id, upn, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name,
			                      date_of_birth, sex, year_group, sen_status, fsm, looked_after, cp_cin_status, ethnicity,
			                      address, postcode, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
			ON CONFLICT (upn) DO NOTHING RETURNING id`,
			schoolID, d.UPN(), d.First, d.Last, d.PreferredFirst, d.DOB, d.Sex, d.Year, d.SEN, d.FSM, d.LookedAfter,
			d.CPCIN, d.Ethnicity, d.Address, d.Postcode, now).Scan(&id)
		if err == pgx.ErrNoRows {
			continue // already there: keep whatever has changed since
		}
		if err != nil {
			return fmt.Errorf("seed student %s %s: %w", d.First, d.Last, err)
		}
		contacts := []student.Contact{d.Contact}
		if d.SecondContact != nil {
			contacts = append(contacts, *d.SecondContact)
		}
		for i, c := range contacts {
			if _, err := tx.Exec(ctx, `
				INSERT INTO student_contacts (student_id, priority, name, relationship, phone, email, address, parental_responsibility)
				VALUES ($1, $2, $3, $4, $5, $6, '', $7)`, id, i+1, c.Name, c.Relationship, c.Phone, c.Email, c.ParentalResponsibility); err != nil {
				return fmt.Errorf("seed contact of %s %s: %w", d.First, d.Last, err)
			}
		}
		if p := d.Professional; p != nil {
			if _, err := tx.Exec(ctx, `
				INSERT INTO student_professionals (student_id, position, name, role, agency, phone, email)
				VALUES ($1, 1, $2, $3, $4, $5, $6)`, id, p.Name, p.Role, p.Agency, p.Phone, p.Email); err != nil {
				return fmt.Errorf("seed professional of %s %s: %w", d.First, d.Last, err)
			}
		}
	}
	return nil
}
