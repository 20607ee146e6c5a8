package ui

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// importMemory is how much of an upload is held in memory; the rest of the (at most 10 MB) body
// goes to a temporary file that is removed when the request ends.
const importMemory = 1 << 20

func (s *Server) studentImportShow(w http.ResponseWriter, r *http.Request) {
	s.renderStudentImport(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderStudentImport(w http.ResponseWriter, r *http.Request, status int, school string, errs components.Errors) {
	v := pages.StudentImportView{
		SchoolOptions: schoolChoiceOptions(auth.FromContext(r.Context()), school),
		MaxRows:       student.MaxImportRows,
		Errors:        errs,
	}
	for _, c := range student.Columns {
		v.Columns = append(v.Columns, pages.ImportColumn{Header: c.Header, Values: c.Values, Required: c.Required})
	}
	lp := s.page(r, "Import students from your MIS")
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.StudentImport(lp, v))
}

func (s *Server) studentImportPreview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	fileError := func(status int, school, msg string) {
		var errs components.Errors
		errs.Add("file", msg)
		s.renderStudentImport(w, r, status, school, errs)
	}
	if err := r.ParseMultipartForm(importMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fileError(http.StatusRequestEntityTooLarge, "", "The selected file must be smaller than 10 MB")
			return
		}
		fileError(http.StatusUnprocessableEntity, "", "Select a CSV file of your students")
		return
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temporary files; nothing to do if removal fails
	// The file's content is decoded and checked by the import itself; the other fields are text.
	if !readableValues(r.MultipartForm.Value) || !readableValues(r.URL.Query()) {
		s.unreadableForm(w, r)
		return
	}
	cleanForm(r)
	chosen := r.FormValue("school")
	school, ok := schoolChoice(p, chosen)
	if !ok {
		var errs components.Errors
		errs.Add("school", "Choose the school the students are at")
		s.renderStudentImport(w, r, http.StatusUnprocessableEntity, chosen, errs)
		return
	}
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		fileError(http.StatusUnprocessableEntity, chosen, "Select a CSV file of your students")
		return
	}
	if err != nil {
		s.serverError(w, r, fmt.Errorf("read upload: %w", err))
		return
	}
	defer file.Close()
	if msg := checkUploadName(header); msg != "" {
		fileError(http.StatusUnprocessableEntity, chosen, msg)
		return
	}
	data, err := io.ReadAll(file)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("read upload: %w", err))
		return
	}
	if len(data) == 0 {
		fileError(http.StatusUnprocessableEntity, chosen, "The selected file is empty")
		return
	}
	im, err := s.students.Preview(ctx, studentActor(r), school.OrgID, filepath.Base(header.Filename), data)
	var fe student.FileError
	switch {
	case errors.As(err, &fe):
		fileError(http.StatusUnprocessableEntity, chosen, fe.Error())
		return
	case s.failed(w, r, err):
		return
	}
	s.render(w, r, http.StatusOK, pages.StudentImportPreview(s.page(r, "Check the students before you import them"), previewView(im, school.OrgName)))
}

// checkUploadName refuses files that are plainly not CSVs, by name, before reading them.
func checkUploadName(h *multipart.FileHeader) string {
	if !readableText(h.Filename) {
		// The name is stored with the import, and the database cannot store these characters.
		return "The selected file’s name contains characters the portal cannot read: rename the file and try again"
	}
	switch strings.ToLower(filepath.Ext(h.Filename)) {
	case ".csv", ".txt":
		return ""
	case ".xlsx", ".xls", ".ods":
		return "The selected file is a spreadsheet: in your MIS or spreadsheet, save or export it as ‘CSV (comma delimited)’ and upload that"
	}
	return "The selected file must be a CSV"
}

func previewView(im student.Import, schoolName string) pages.ImportPreviewView {
	v := pages.ImportPreviewView{
		ID: im.ID, FileName: im.FileName, SchoolName: schoolName,
		New: im.Counts.New, Update: im.Counts.Update, Unchanged: im.Counts.Unchanged, Error: im.Counts.Error,
		Ignored: im.Ignored,
	}
	if !im.SameFileAppliedAt.IsZero() {
		v.SameFileAppliedOn = components.FormatDateTime(im.SameFileAppliedAt)
	}
	for _, c := range student.Columns {
		if !c.Required && !slices.Contains(im.Present, c.Key) {
			v.LeftOut = append(v.LeftOut, "‘"+c.Header+"’")
		}
	}
	for _, r := range im.Rows {
		row := pages.ImportPreviewRow{Line: r.Line, UPN: r.UPN, Name: r.Name}
		switch r.Status {
		case student.RowNew:
			row.Status, row.TagColour, row.Outcome = "New", "green", "Will be added"
		case student.RowUpdate:
			row.Status, row.TagColour, row.Outcome = "Update", "blue", "Will change: "+strings.Join(r.Changes, ", ")
		case student.RowUnchanged:
			row.Status, row.TagColour, row.Outcome = "Unchanged", "grey", "Already up to date"
		default:
			row.Status, row.TagColour, row.Reasons = "Error", "red", r.Problems
		}
		v.Rows = append(v.Rows, row)
	}
	n := im.Counts.Applicable()
	switch {
	case n > 0:
		v.CanConfirm = true
		v.ConfirmText = fmt.Sprintf("Import %d %s", n, plural(n, "student", "students"))
	case im.Counts.Error == 0:
		v.NothingToImport = "Every student in this file is already in the portal with these details: there is nothing to import."
	case im.Counts.Unchanged == 0:
		v.NothingToImport = "No rows in this file can be imported. Correct the problems below in your MIS, export the file again and upload it."
	default:
		v.NothingToImport = "There is nothing to import: the other students in this file are already up to date, and the rows with problems below cannot be imported. Correct them in your MIS, export the file again and upload it."
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Server) studentImportConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	res, err := s.students.Confirm(ctx, studentActor(r), id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	case errors.Is(err, student.ErrAlreadyApplied):
		s.flash(ctx, "This import was already done: "+importOutcome(res)+" Nothing more was changed.")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, "Students imported: "+importOutcome(res))
	}
	http.Redirect(w, r, "/students", http.StatusSeeOther)
}

// importOutcome says what an import did, in a sentence or two.
func importOutcome(res student.Result) string {
	msg := fmt.Sprintf("%d added, %d updated, %d already up to date.", res.Created, res.Updated, res.Unchanged)
	if res.Errors > 0 {
		msg += fmt.Sprintf(" %d %s with problems %s left out.", res.Errors, plural(res.Errors, "row", "rows"), plural(res.Errors, "was", "were"))
	}
	if n := len(res.Skipped); n > 0 {
		msg += fmt.Sprintf(" %d %s skipped because the portal changed after the preview: upload the file again to see why.", n, plural(n, "row was", "rows were"))
	}
	return msg
}
