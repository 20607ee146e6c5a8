package student_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/student"
)

// today is the testapp clock's day: Monday 23 November 2026.
var today = calendar.NewDate(2026, time.November, 23)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parse(t *testing.T, data []byte) student.ParsedFile {
	t.Helper()
	pf, err := student.ParseCSV(data, today)
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return pf
}

func TestParseCSVReadsTheDocumentedColumns(t *testing.T) {
	pf := parse(t, readTestdata(t, "mis_export.csv"))
	if len(pf.Rows) != 7 {
		t.Fatalf("got %d rows, want 7", len(pf.Rows))
	}
	kai := pf.Rows[0]
	if kai.Line != 2 || len(kai.Problems) != 0 {
		t.Fatalf("first row = line %d, problems %v; want line 2 and none", kai.Line, kai.Problems)
	}
	want := student.Record{
		Details: student.Details{
			UPN: "C331290115001", LegalFirstName: "Kai", LegalLastName: "Adeyemi-Brown",
			DateOfBirth: calendar.NewDate(2011, time.October, 14), Sex: student.Male, YearGroup: 10,
			SEN: student.SENSupport, FSM: true, CPCIN: student.CPCINNone, Ethnicity: "Mixed White and Black Caribbean",
			Address: "14 Lockhart Road, Coventry", Postcode: "CV6 4QY",
		},
		Contacts: []student.Contact{{Name: "Tanya Brown", Relationship: "Mother", Phone: "07700 900301", Email: "tanya.brown@family.example", ParentalResponsibility: true}},
	}
	if !reflect.DeepEqual(kai.Record, want) {
		t.Errorf("first row record =\n%+v\nwant\n%+v", kai.Record, want)
	}
	if got := pf.Rows[2].Record.Postcode; got != "CV6 2JG" {
		t.Errorf("postcode = %q, want it upper-cased as CV6 2JG", got)
	}
	young := pf.Rows[6]
	if len(young.Problems) != 0 || young.Record.SEN != student.SENEHCP || !young.Record.LookedAfter || young.Record.CPCIN != student.CIN || young.Name != "Brad Young" {
		t.Errorf("last row = %+v, want EHCP, looked after, CIN, called Brad Young, no problems", young)
	}
}

func TestParseCSVAcceptsHeadersInAnyOrderAndCaseWithBOMAndCRLF(t *testing.T) {
	plain := parse(t, readTestdata(t, "mis_export.csv"))
	reordered := parse(t, readTestdata(t, "reordered_bom_crlf.csv"))
	if !reflect.DeepEqual(plain.Rows, reordered.Rows) {
		t.Errorf("the reordered file read differently:\n%+v\nwant\n%+v", reordered.Rows, plain.Rows)
	}
	if !reflect.DeepEqual(reordered.Ignored, []string{"Tutor group"}) {
		t.Errorf("ignored = %q, want the unknown Tutor group column", reordered.Ignored)
	}
	if len(reordered.Present) != len(student.Columns) {
		t.Errorf("recognised %d columns, want all %d", len(reordered.Present), len(student.Columns))
	}
}

func TestParseCSVAcceptsABOMBeforeQuotedHeaders(t *testing.T) {
	pf := parse(t, []byte("\xef\xbb\xbf\"UPN\",\"Legal forename\",\"Legal surname\",\"DOB\",\"Sex\",\"Year\"\r\n\"C331290115001\",\"Kai\",\"Ames\",\"14/10/2011\",\"M\",\"10\"\r\n"))
	if r := pf.Rows[0]; r.UPN != "C331290115001" || len(r.Problems) != 0 {
		t.Errorf("row = %+v", r)
	}
}

func TestParseCSVKeepsEachRowsProblemsOnTheRow(t *testing.T) {
	pf := parse(t, readTestdata(t, "mis_export.csv"))
	problems := func(i int) string { return strings.Join(pf.Rows[i].Problems, " | ") }
	if got := problems(3); !strings.Contains(got, "check letter does not match") {
		t.Errorf("row with a wrong check letter: %q", got)
	}
	got := problems(5)
	for _, want := range []string{"The legal surname is missing", "The date of birth ‘31/02/2012’ is not a real date"} {
		if !strings.Contains(got, want) {
			t.Errorf("row without a surname and with 31 February: %q, want it to include %q", got, want)
		}
	}
	for _, i := range []int{0, 1, 2, 4, 6} {
		if p := problems(i); p != "" {
			t.Errorf("row %d has problems %q, want none", pf.Rows[i].Line, p)
		}
	}
}

func TestParseCSVExplainsEachBadValue(t *testing.T) {
	head := "UPN,Legal forename,Legal surname,DOB,Sex,Year,SEN,FSM,CP/CIN,Postcode,Contact 1 name,Contact 1 email,Contact 1 parental responsibility\n"
	tests := []struct {
		name, row, want string
	}{
		{"short UPN", "C33129011500,Kai,Ames,14/10/2011,M,10,,,,,,,", "The UPN must be 13 characters long"},
		{"missing UPN", ",Kai,Ames,14/10/2011,M,10,,,,,,,", "The UPN is missing"},
		{"letters in UPN", "C3312901150A1,Kai,Ames,14/10/2011,M,10,,,,,,,", "The UPN must be a letter, then 11 numbers"},
		{"missing forename", "C331290115001,,Ames,14/10/2011,M,10,,,,,,,", "The legal forename is missing"},
		{"American date", "C331290115001,Kai,Ames,10/14/2011,M,10,,,,,,,", "is not a real date in the form dd/mm/yyyy"},
		{"date of birth in the future", "C331290115001,Kai,Ames,14/10/2027,M,10,,,,,,,", "is not a secondary school student’s"},
		{"missing date", "C331290115001,Kai,Ames,,M,10,,,,,,,", "The date of birth is missing"},
		{"sex", "C331290115001,Kai,Ames,14/10/2011,X,10,,,,,,,", "Sex must be F, M or U, not ‘X’"},
		{"year 6", "C331290115001,Kai,Ames,14/10/2011,M,6,,,,,,,", "The year group must be a number from 7 to 13, not ‘6’"},
		{"SEN", "C331290115001,Kai,Ames,14/10/2011,M,10,Q,,,,,,", "SEN must be N, K or E, not ‘Q’"},
		{"FSM", "C331290115001,Kai,Ames,14/10/2011,M,10,,maybe,,,,,", "FSM must be Y or N, not ‘maybe’"},
		{"CP/CIN", "C331290115001,Kai,Ames,14/10/2011,M,10,,,CPP?,,,,", "CP/CIN must be CP, CIN or N, not ‘CPP?’"},
		{"postcode", "C331290115001,Kai,Ames,14/10/2011,M,10,,,,NOT A POSTCODE,,,", "is not a real postcode"},
		{"contact email", "C331290115001,Kai,Ames,14/10/2011,M,10,,,,,Ann Ames,ann-at-home,Y", "Contact 1’s email ‘ann-at-home’ is not an email address"},
		{"contact without a name", "C331290115001,Kai,Ames,14/10/2011,M,10,,,,,,ann@family.example,Y", "Contact 1 has details but no name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf := parse(t, []byte(head+tt.row+"\n"))
			got := strings.Join(pf.Rows[0].Problems, " | ")
			if !strings.Contains(got, tt.want) {
				t.Errorf("problems = %q, want one containing %q", got, tt.want)
			}
		})
	}
}

func TestParseCSVAcceptsCommonMISSpellings(t *testing.T) {
	pf := parse(t, []byte("Forename,Surname,Date of birth,Gender,NC Year,UPN,SEN Provision,Free school meals\n"+
		"Kai,Ames,2011-10-14,Male,Year 10,c331 2901 15001,EHCP,Yes\n"))
	r := pf.Rows[0]
	if len(r.Problems) != 0 {
		t.Fatalf("problems: %v", r.Problems)
	}
	if r.Record.DateOfBirth != calendar.NewDate(2011, time.October, 14) || r.Record.Sex != student.Male || r.Record.YearGroup != 10 ||
		r.Record.SEN != student.SENEHCP || !r.Record.FSM || r.UPN != "C331290115001" {
		t.Errorf("record = %+v", r.Record)
	}
}

func TestParseCSVFlagsEveryRowSharingAUPN(t *testing.T) {
	pf := parse(t, []byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\n"+
		"C331290115001,Kai,Ames,14/10/2011,M,10\n"+
		"R331290115002,Amy,Ames,14/10/2011,F,10\n"+
		"C331290115001,Kay,Ames,14/10/2011,M,10\n"))
	if got := strings.Join(pf.Rows[0].Problems, ""); !strings.Contains(got, "also on row 4") {
		t.Errorf("row 2 problems %q, want it to point at row 4", got)
	}
	if got := strings.Join(pf.Rows[2].Problems, ""); !strings.Contains(got, "also on row 2") {
		t.Errorf("row 4 problems %q, want it to point at row 2", got)
	}
	if len(pf.Rows[1].Problems) != 0 {
		t.Errorf("row 3 problems %q, want none", pf.Rows[1].Problems)
	}
}

func TestParseCSVReadsWindows1252Exports(t *testing.T) {
	data := []byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\nC331290115001,Zo\xeb,O\x92Neill,14/10/2011,F,10\n")
	pf := parse(t, data)
	if got := pf.Rows[0].Name; got != "Zoë O’Neill" {
		t.Errorf("name = %q, want Zoë O’Neill", got)
	}
}

func TestParseCSVRefusesFilesItCannotUse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "The selected file is empty"},
		{"header only", "UPN,Legal forename,Legal surname,DOB,Sex,Year\r\n", "has no students in it"},
		{"missing columns", "UPN,Name\nC331290115001,Kai Ames\n", "it has no ‘Legal forename’, ‘Legal surname’, ‘DOB’, ‘Sex’ or ‘Year’ column"},
		{"spreadsheet", "PK\x03\x04rest of a zip", "is a spreadsheet, not a CSV"},
		{"binary", "UPN\x00\x01", "must be a CSV"},
		{"column twice", "UPN,Legal forename,Legal surname,DOB,Sex,Year,upn\n", "has the column ‘UPN’ more than once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := student.ParseCSV([]byte(tt.data), today)
			var fe student.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FileError", err)
			}
			if !strings.Contains(fe.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", fe.Error(), tt.want)
			}
		})
	}
}

func TestParseCSVRefusesMoreThanTheRowLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("UPN,Legal forename,Legal surname,DOB,Sex,Year\n")
	for range student.MaxImportRows + 1 {
		b.WriteString("C331290115001,Kai,Ames,14/10/2011,M,10\n")
	}
	_, err := student.ParseCSV([]byte(b.String()), today)
	if err == nil || !strings.Contains(err.Error(), "more than 5000 students") {
		t.Fatalf("err = %v, want the row limit", err)
	}
}

func TestParseCSVKeepsReadingAfterARowWithAStrayQuote(t *testing.T) {
	const head = "UPN,Legal forename,Legal surname,DOB,Sex,Year,Address\n"
	lines := func(pf student.ParsedFile) (good, bad []int) {
		for _, r := range pf.Rows {
			if len(r.Problems) == 0 {
				good = append(good, r.Line)
			} else {
				bad = append(bad, r.Line)
			}
		}
		return good, bad
	}
	t.Run("text after a closing quote", func(t *testing.T) {
		pf := parse(t, []byte(head+
			"C331290115001,Kai,Ames,14/10/2011,M,10,1 High Street\n"+
			"R331290115002,\"Row\"x,Ames,14/10/2011,F,10,2 High Street\n"+
			"H331290119101,Poppy,Vance,04/06/2012,F,9,\"3 High Street, Coventry\"\n"))
		good, bad := lines(pf)
		if !reflect.DeepEqual(good, []int{2, 4}) || !reflect.DeepEqual(bad, []int{3}) {
			t.Fatalf("good rows %v and bad %v, want 2 and 4 good and 3 bad", good, bad)
		}
		if got := strings.Join(pf.Rows[1].Problems, " "); !strings.Contains(got, "check its quotation marks") {
			t.Errorf("the bad row's problem = %q, want it to point at the quotation marks", got)
		}
		if got := pf.Rows[2].Record.Address; got != "3 High Street, Coventry" {
			t.Errorf("the row after the bad one has address %q, want 3 High Street, Coventry", got)
		}
	})
	t.Run("a quote inside a value", func(t *testing.T) {
		pf := parse(t, []byte(head+"C331290115001,Kai,Ames,14/10/2011,M,10,Flat 2 \"The Limes\" Road\n"))
		if r := pf.Rows[0]; len(r.Problems) != 0 || r.Record.Address != `Flat 2 "The Limes" Road` {
			t.Errorf("row = problems %q, address %q; want none, and the quotes kept as typed", r.Problems, r.Record.Address)
		}
	})
	t.Run("a quote that never closes", func(t *testing.T) {
		pf := parse(t, []byte(head+
			"C331290115001,\"Kai,Ames,14/10/2011,M,10,1 High Street\n"+
			"R331290115002,Amelia,Barker,02/03/2012,F,10,2 High Street\n"+
			"H331290119101,Poppy,Vance,04/06/2012,F,9,3 High Street\n"))
		good, bad := lines(pf)
		if !reflect.DeepEqual(good, []int{3, 4}) || !reflect.DeepEqual(bad, []int{2}) {
			t.Errorf("good rows %v and bad %v, want 3 and 4 good and 2 bad", good, bad)
		}
	})
}

// An import file's names and addresses are cleaned as the form's are, and so is what a problem repeats
// back from a cell.
func TestParseCSVRemovesHiddenControlCharacters(t *testing.T) {
	data := "UPN,Legal forename,Legal surname,DOB,Sex,Year,Address,CP/CIN,Note\u202E\n" +
		"H331290119101,Pop\u202Epy,\uFEFFVance,04/06/2012,F,9,\"11 Keresley Road\r\nCoventry\u2066\",N,\n" +
		"A331290119102,Reece,Walker,12/12/2011,M,10,,X\u202EY,\n"
	pf := parse(t, []byte(data))
	poppy := pf.Rows[0]
	if poppy.Name != "Poppy Vance" || poppy.Record.LegalFirstName != "Poppy" || poppy.Record.Address != "11 Keresley Road\nCoventry" {
		t.Errorf("row 2 = %q, %+v", poppy.Name, poppy.Record.Details)
	}
	if len(pf.Ignored) != 1 || pf.Ignored[0] != "Note" {
		t.Errorf("ignored headers %q", pf.Ignored)
	}
	if got := strings.Join(pf.Rows[1].Problems, "; "); !strings.Contains(got, "CP/CIN must be CP, CIN or N, not ‘XY’") {
		t.Errorf("row 3's problems: %q", got)
	}
}
