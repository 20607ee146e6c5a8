package student

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
)

// Column is one column an import file may have.
type Column struct {
	// Key identifies the column in stored imports.
	Key string
	// Header is the column's name as the import page documents it.
	Header string
	// Values says what the column holds, for the import page.
	Values string
	// Required columns must be in the file.
	Required bool
	// aliases are other headers MIS exports use for the column.
	aliases []string
}

// The column keys.
const (
	colUPN            = "upn"
	colLegalFirst     = "legal_forename"
	colLegalLast      = "legal_surname"
	colPreferredFirst = "preferred_forename"
	colPreferredLast  = "preferred_surname"
	colDOB            = "dob"
	colSex            = "sex"
	colYear           = "year"
	colSEN            = "sen"
	colFSM            = "fsm"
	colLookedAfter    = "looked_after"
	colCPCIN          = "cp_cin"
	colEthnicity      = "ethnicity"
	colAddress        = "address"
	colPostcode       = "postcode"
	colC1Name         = "contact1_name"
	colC1Relationship = "contact1_relationship"
	colC1Phone        = "contact1_phone"
	colC1Email        = "contact1_email"
	colC1PR           = "contact1_pr"
)

// Columns are the columns an import file may have, in the order the import page lists them. Headers
// match whatever their case, spacing or punctuation, and anything in brackets is ignored, so
// "DOB (dd/mm/yyyy)" is the DOB column.
var Columns = []Column{
	{Key: colUPN, Header: "UPN", Values: "13 characters; temporary UPNs (ending in a letter) are accepted", Required: true, aliases: []string{"uniquepupilnumber"}},
	{Key: colLegalFirst, Header: "Legal forename", Values: "text", Required: true, aliases: []string{"legalfirstname", "forename", "firstname"}},
	{Key: colLegalLast, Header: "Legal surname", Values: "text", Required: true, aliases: []string{"legallastname", "surname", "lastname"}},
	{Key: colPreferredFirst, Header: "Preferred forename", Values: "text, or empty", aliases: []string{"preferredfirstname"}},
	{Key: colPreferredLast, Header: "Preferred surname", Values: "text, or empty", aliases: []string{"preferredlastname"}},
	{Key: colDOB, Header: "DOB", Values: "dd/mm/yyyy, like 27/03/2012", Required: true, aliases: []string{"dateofbirth"}},
	{Key: colSex, Header: "Sex", Values: "F, M or U", Required: true, aliases: []string{"gender"}},
	{Key: colYear, Header: "Year", Values: "7 to 13", Required: true, aliases: []string{"yeargroup", "ncyear", "ncyearactual"}},
	{Key: colSEN, Header: "SEN", Values: "N (none), K (SEN support) or E (EHCP)", aliases: []string{"senstatus", "senprovision"}},
	{Key: colFSM, Header: "FSM", Values: "Y or N", aliases: []string{"freeschoolmeals", "fsmeligible"}},
	{Key: colLookedAfter, Header: "Looked after", Values: "Y or N", aliases: []string{"lac", "cla", "inlacare", "incare"}},
	{Key: colCPCIN, Header: "CP/CIN", Values: "CP, CIN, or N or empty for neither", aliases: []string{"cpcinstatus"}},
	{Key: colEthnicity, Header: "Ethnicity", Values: "text, or empty", aliases: []string{"ethnicgroup"}},
	{Key: colAddress, Header: "Address", Values: "text, or empty"},
	{Key: colPostcode, Header: "Postcode", Values: "a UK postcode, or empty", aliases: []string{"postalcode"}},
	{Key: colC1Name, Header: "Contact 1 name", Values: "text, or empty", aliases: []string{"contact1"}},
	{Key: colC1Relationship, Header: "Contact 1 relationship", Values: "text, like Mother or Foster carer"},
	{Key: colC1Phone, Header: "Contact 1 phone", Values: "a phone number, or empty"},
	{Key: colC1Email, Header: "Contact 1 email", Values: "an email address, or empty"},
	{Key: colC1PR, Header: "Contact 1 parental responsibility", Values: "Y or N", aliases: []string{"contact1pr"}},
}

// MaxImportRows bounds one file; a large secondary school has under 2,000 students.
const MaxImportRows = 5000

// FileError is a problem with a whole import file, worded for the coordinator who uploaded it.
type FileError string

// Error returns the sentence shown to the coordinator.
func (e FileError) Error() string { return string(e) }

// ParsedFile is an import file read into rows, before it is compared with the portal.
type ParsedFile struct {
	// Present lists the keys of the columns the file has; a column left out leaves that detail as it is.
	Present []string
	// Ignored are the headers the portal does not use.
	Ignored []string
	Rows    []ImportRow
}

// has reports whether the file has the column.
func (p ParsedFile) has(key string) bool {
	for _, k := range p.Present {
		if k == key {
			return true
		}
	}
	return false
}

var headerJunk = regexp.MustCompile(`\([^)]*\)|[^a-z0-9]`)

// headerKey matches a header to a column key, or "".
func headerKey(h string) string {
	n := headerJunk.ReplaceAllString(strings.ToLower(h), "")
	for _, c := range Columns {
		if n == headerJunk.ReplaceAllString(strings.ToLower(c.Header), "") {
			return c.Key
		}
		for _, a := range c.aliases {
			if n == a {
				return c.Key
			}
		}
	}
	return ""
}

// ParseCSV reads an MIS export. A problem with the file as a whole is a FileError; a problem with
// a row is kept on the row, so the good rows can still be imported. today bounds dates of birth.
func ParseCSV(data []byte, today calendar.Date) (ParsedFile, error) {
	var pf ParsedFile
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")) {
		return pf, FileError("The selected file is a spreadsheet, not a CSV: in your MIS or spreadsheet, save or export it as ‘CSV (comma delimited)’")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return pf, FileError("The selected file must be a CSV")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		// Older MIS exports are in the Windows code page rather than UTF-8.
		data = []byte(decodeWindows1252(data))
	}
	r := newCSVReader(data, false)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return pf, FileError("The selected file is empty")
	}
	if err != nil {
		return pf, csvError(err)
	}
	index := map[string]int{}
	for i, h := range header {
		key := headerKey(h)
		if key == "" {
			if h := strings.TrimSpace(input.Line(h)); h != "" {
				pf.Ignored = append(pf.Ignored, h)
			}
			continue
		}
		if _, dup := index[key]; dup {
			return pf, FileError(fmt.Sprintf("The file has the column ‘%s’ more than once: keep one and upload it again", columnHeader(key)))
		}
		index[key] = i
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := index[c.Key]; ok {
			pf.Present = append(pf.Present, c.Key)
		} else if c.Required {
			missing = append(missing, "‘"+c.Header+"’")
		}
	}
	if len(missing) > 0 {
		return pf, FileError("The file’s first row must name its columns, and it has no " + joinAnd(missing) + " column: check the file is an export of students with the columns listed on this page")
	}
	skipped := 0 // lines of the file before the reader's first, once it has started again after a bad row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			// A stray quotation mark spoils one row, not the file: a bad row never blocks the good ones.
			line = skipped + pe.StartLine
			if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
				// A quoted value that never closed properly took the reader past the row's own line:
				// start again on the next one.
				rec = nil
				r, skipped = newCSVReader(data[lineOffset(data, line+1):], false), line
			} else {
				rec = lazyRecord(data, line, skipped+pe.Line, len(header))
			}
		case err != nil:
			return pf, csvError(err)
		default:
			line, _ = r.FieldPos(0)
			line += skipped
		}
		row := ImportRow{Line: line, Problems: []string{
			"The row could not be read: check its quotation marks, which must come in pairs around a whole value"}}
		if rec != nil {
			cell := func(key string) string {
				i, ok := index[key]
				if !ok || i >= len(rec) {
					return ""
				}
				// Cleaned here, so that a value a problem repeats back is clean too.
				return strings.TrimSpace(input.Multiline(rec[i]))
			}
			if blank(rec) {
				continue
			}
			row = parseRow(line, cell, today)
		}
		if len(pf.Rows) == MaxImportRows {
			return pf, FileError(fmt.Sprintf("The file has more than %d students: split it into smaller files and import each one", MaxImportRows))
		}
		pf.Rows = append(pf.Rows, row)
	}
	if len(pf.Rows) == 0 {
		return pf, FileError("The selected file has no students in it: there is a header row but no rows below it")
	}
	markDuplicates(pf.Rows)
	return pf, nil
}

// newCSVReader reads an import file's rows; lazy keeps a quotation mark that does not open or close a
// value as it is typed.
func newCSVReader(data []byte, lazy bool) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = false
	r.LazyQuotes = lazy
	return r
}

// lazyRecord reads lines from to through of the file again as one row with LazyQuotes, after a
// stray quotation mark stopped the strict reading, so that a quotation mark inside a value (Jo "JJ"
// Smith) is kept as typed. LazyQuotes alone would let a quoted value that does not close properly
// ("Row"x) swallow every row after it, so the row is kept only when it is the whole of those lines
// and has a value for every column; otherwise it is nil.
func lazyRecord(data []byte, from, through, columns int) []string {
	end := lineOffset(data, through+1)
	r := newCSVReader(data[lineOffset(data, from):end], true)
	rec, err := r.Read()
	if err != nil || len(rec) != columns {
		return nil
	}
	if _, err := r.Read(); !errors.Is(err, io.EOF) {
		return nil
	}
	return rec
}

// lineOffset is where line n (from 1) of the file starts, or its end when it has fewer lines.
func lineOffset(data []byte, n int) int {
	off := 0
	for ; n > 1; n-- {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return len(data)
		}
		off += i + 1
	}
	return off
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return FileError(fmt.Sprintf("The file could not be read as a CSV at row %d: check that row, especially its quotation marks, and upload it again", pe.StartLine))
	}
	return FileError("The file could not be read as a CSV")
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func columnHeader(key string) string {
	for _, c := range Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// parseRow turns one line of the file into a row with its values and problems.
func parseRow(line int, cell func(string) string, today calendar.Date) ImportRow {
	row := ImportRow{Line: line}
	var problems []string
	bad := func(msg string) { problems = append(problems, msg) }
	d := &row.Record.Details
	reported := map[string]bool{}

	d.UPN = NormaliseUPN(cell(colUPN))
	row.UPN = d.UPN
	if _, err := ParseUPN(d.UPN); err != nil {
		reported[FieldUPN] = true
		switch err {
		case ErrUPNMissing:
			bad("The UPN is missing")
		case ErrUPNLength:
			bad("The UPN must be 13 characters long")
		case ErrUPNCheckLetter:
			bad("The UPN’s check letter does not match: check it was typed correctly in your MIS")
		default:
			bad("The UPN must be a letter, then 11 numbers, then a number or (for a temporary UPN) a letter")
		}
	}
	d.LegalFirstName, d.LegalLastName = cell(colLegalFirst), cell(colLegalLast)
	d.PreferredFirstName, d.PreferredLastName = cell(colPreferredFirst), cell(colPreferredLast)
	if collapseSpaces(d.LegalFirstName) == "" {
		reported[FieldLegalFirstName] = true
		bad("The legal forename is missing")
	}
	if collapseSpaces(d.LegalLastName) == "" {
		reported[FieldLegalLastName] = true
		bad("The legal surname is missing")
	}
	if v := cell(colDOB); v == "" {
		reported[FieldDateOfBirth] = true
		bad("The date of birth is missing")
	} else if dob, ok := parseDMY(v); !ok {
		reported[FieldDateOfBirth] = true
		bad(fmt.Sprintf("The date of birth ‘%s’ is not a real date in the form dd/mm/yyyy, like 27/03/2012", v))
	} else {
		d.DateOfBirth = dob
		if msg := DateOfBirthProblem(dob, today); msg != "" {
			reported[FieldDateOfBirth] = true
			bad(fmt.Sprintf("The date of birth %s is not a secondary school student’s: check the year", dob.Format()))
		}
	}
	if v := cell(colSex); v == "" {
		reported[FieldSex] = true
		bad("Sex is missing: it must be F, M or U")
	} else if s, ok := parseSex(v); !ok {
		reported[FieldSex] = true
		bad(fmt.Sprintf("Sex must be F, M or U, not ‘%s’", v))
	} else {
		d.Sex = s
	}
	if v := cell(colYear); v == "" {
		reported[FieldYearGroup] = true
		bad("The year group is missing")
	} else if y, ok := parseYear(v); !ok {
		reported[FieldYearGroup] = true
		bad(fmt.Sprintf("The year group must be a number from 7 to 13, not ‘%s’", v))
	} else {
		d.YearGroup = y
	}
	d.SEN = SENNone
	if v := cell(colSEN); v != "" {
		if sen, ok := parseSEN(v); ok {
			d.SEN = sen
		} else {
			reported[FieldSEN] = true
			bad(fmt.Sprintf("SEN must be N, K or E, not ‘%s’", v))
		}
	}
	yn := func(key, label string) bool {
		v := cell(key)
		b, ok := parseYN(v)
		if !ok {
			bad(fmt.Sprintf("%s must be Y or N, not ‘%s’", label, v))
		}
		return b
	}
	d.FSM = yn(colFSM, "FSM")
	d.LookedAfter = yn(colLookedAfter, "Looked after")
	d.CPCIN = CPCINNone
	if v := cell(colCPCIN); v != "" {
		if c, ok := parseCPCIN(v); ok {
			d.CPCIN = c
		} else {
			reported[FieldCPCIN] = true
			bad(fmt.Sprintf("CP/CIN must be CP, CIN or N, not ‘%s’", v))
		}
	}
	d.Ethnicity, d.Address, d.Postcode = cell(colEthnicity), cell(colAddress), cell(colPostcode)
	c := Contact{Name: cell(colC1Name), Relationship: cell(colC1Relationship), Phone: cell(colC1Phone), Email: cell(colC1Email)}
	c.ParentalResponsibility = yn(colC1PR, "Contact 1 parental responsibility")
	if c != (Contact{}) {
		row.Record.Contacts = []Contact{c}
	}
	row.Record.Normalise()
	for _, p := range row.Record.Problems(today) {
		if reported[p.Field] {
			continue
		}
		switch p.Field {
		case FieldPostcode:
			bad(fmt.Sprintf("The postcode ‘%s’ is not a real postcode", d.Postcode))
		case ContactField(1, "name"):
			bad("Contact 1 has details but no name")
		case ContactField(1, "email"):
			bad(fmt.Sprintf("Contact 1’s email ‘%s’ is not an email address", c.Email))
		case ContactField(1, "phone"):
			bad(fmt.Sprintf("Contact 1’s phone ‘%s’ is not a phone number", c.Phone))
		default:
			bad(p.Message)
		}
	}
	row.Name = strings.TrimSpace(d.Name())
	row.Problems = problems
	return row
}

// markDuplicates gives every row whose UPN appears more than once a problem naming the other rows:
// the portal cannot tell which one is right.
func markDuplicates(rows []ImportRow) {
	lines := map[string][]int{}
	for _, r := range rows {
		if r.UPN != "" {
			lines[r.UPN] = append(lines[r.UPN], r.Line)
		}
	}
	for i := range rows {
		ls := lines[rows[i].UPN]
		if len(ls) < 2 {
			continue
		}
		var others []string
		for _, l := range ls {
			if l != rows[i].Line {
				others = append(others, strconv.Itoa(l))
			}
		}
		rows[i].Problems = append(rows[i].Problems, "The same UPN is also on row "+joinAnd(others)+": keep one row for each student")
	}
}

var dmyRe = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)

// parseDMY reads dd/mm/yyyy (also with dashes or dots), or an ISO yyyy-mm-dd date.
func parseDMY(s string) (calendar.Date, bool) {
	// Spreadsheets sometimes add a midnight time to dates.
	s = strings.TrimSuffix(strings.TrimSpace(s), " 00:00:00")
	s = strings.TrimSuffix(s, " 00:00")
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	m := dmyRe.FindStringSubmatch(s)
	if m == nil {
		return calendar.Date{}, false
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	d := calendar.NewDate(year, time.Month(month), day)
	if d.Day != day || int(d.Month) != month || d.Year != year {
		return calendar.Date{}, false // 31/02 would otherwise roll into March
	}
	return d, true
}

func parseSex(s string) (Sex, bool) {
	switch strings.ToUpper(s) {
	case "F", "FEMALE":
		return Female, true
	case "M", "MALE":
		return Male, true
	case "U", "UNKNOWN", "NOT KNOWN":
		return SexUnknown, true
	}
	return "", false
}

var yearRe = regexp.MustCompile(`^(?:Y|YR|YEAR|YEAR GROUP)?\s*(\d{1,2})$`)

func parseYear(s string) (int, bool) {
	m := yearRe.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return 0, false
	}
	y, _ := strconv.Atoi(m[1])
	return y, y >= MinYearGroup && y <= MaxYearGroup
}

func parseSEN(s string) (SEN, bool) {
	switch strings.ToUpper(s) {
	case "N", "NONE", "NO":
		return SENNone, true
	case "K", "SEN SUPPORT":
		return SENSupport, true
	case "E", "EHCP", "EHC PLAN":
		return SENEHCP, true
	}
	return "", false
}

// parseYN reads a yes/no cell; empty means no.
func parseYN(s string) (bool, bool) {
	switch strings.ToUpper(s) {
	case "", "N", "NO", "FALSE", "0":
		return false, true
	case "Y", "YES", "TRUE", "1", "T":
		return true, true
	}
	return false, false
}

func parseCPCIN(s string) (CPCIN, bool) {
	switch strings.ToUpper(strings.Join(strings.Fields(s), " ")) {
	case "N", "NONE", "NO", "NEITHER":
		return CPCINNone, true
	case "CIN", "CHILD IN NEED":
		return CIN, true
	case "CP", "CPP", "CHILD PROTECTION", "CHILD PROTECTION PLAN":
		return CP, true
	}
	return "", false
}

// windows1252 maps the bytes 0x80–0x9F, where Windows-1252 differs from Latin-1.
var windows1252 = [32]rune{
	'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ',
}

func decodeWindows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(windows1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}
