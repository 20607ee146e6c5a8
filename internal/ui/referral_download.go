package ui

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pdfdoc"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/web/components"
)

// referralDocumentDownload sends one of the referral's documents as an attachment. The referral is
// loaded in the viewer's scope first, and the document must be one of its own: a document of another
// referral is a 404 like a referral the viewer may not see. The download is audited.
func (s *Server) referralDocumentDownload(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	docID, ok := idParam(r, "doc")
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.referrals.Document(r.Context(), referralActor(r), ref, docID)
	if s.failed(w, r, err) {
		return
	}
	writeAttachment(w, d.FileName, d.ContentType, d.Content)
}

// packFooter marks every page of the pack: it carries a child's personal data.
const packFooter = "OFFICIAL-SENSITIVE: personal data about a child. Keep it secure and do not forward it."

// referralPack sends the whole application pack as one PDF: the referral, the student's record a
// provider needs, every answer, and every document attached inside it. The download is audited.
func (s *Server) referralPack(w http.ResponseWriter, r *http.Request) {
	if s.redirectReferenceCase(w, r) {
		return
	}
	ctx := r.Context()
	store := s.referrals
	ref, err := store.View(ctx, referralActor(r), chi.URLParam(r, "ref"), "application pack, downloaded as a PDF")
	if s.failed(w, r, err) {
		return
	}
	st, err := store.PackStudent(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	docs, err := store.PackDocuments(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out, err := pdfdoc.Render(s.packDoc(ref, st, docs))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeAttachment(w, ref.Key()+"-pack.pdf", "application/pdf", out)
}

// packDoc lays the pack out as a document.
func (s *Server) packDoc(ref referral.Referral, st student.Student, docs []document.Doc) pdfdoc.Doc {
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	d := pdfdoc.Doc{
		Title:    "CAP application pack",
		Subtitle: ref.Title() + ": " + ref.Programme,
		Footer:   packFooter,
		Created:  now,
	}
	if ref.Reference != "" {
		d.Meta = append(d.Meta, pdfdoc.Row{Key: "Reference", Value: ref.Reference})
	}
	d.Meta = append(d.Meta,
		pdfdoc.Row{Key: "Student", Value: st.Name()},
		pdfdoc.Row{Key: "School", Value: ref.SchoolName})
	for _, row := range refProgrammeRows(ref) {
		d.Meta = append(d.Meta, pdfdoc.Row{Key: row.Key, Value: row.Value})
	}
	if ref.SubmittedAt != nil {
		d.Meta = append(d.Meta, pdfdoc.Row{Key: "Submitted", Value: components.FormatDate(*ref.SubmittedAt)})
	}
	if !ref.InterviewOn.IsZero() {
		when := ref.InterviewOn.Format()
		if ref.InterviewTime != "" {
			when += " at " + ref.InterviewTime
		}
		d.Meta = append(d.Meta, pdfdoc.Row{Key: "Interview", Value: when})
	}
	d.Meta = append(d.Meta, pdfdoc.Row{Key: "Pack produced", Value: components.FormatDateTime(now)})

	preferred := "None"
	if st.PreferredFirstName != "" || st.PreferredLastName != "" {
		preferred = st.Name()
	}
	upn := st.UPN
	if st.IsTemporaryUPN() {
		upn += " (temporary)"
	}
	d.Sections = append(d.Sections, pdfdoc.Section{Heading: "The student", Rows: []pdfdoc.Row{
		{Key: "Legal name", Value: st.LegalName()},
		{Key: "Preferred name", Value: preferred},
		{Key: "Date of birth", Value: st.DateOfBirth.Format() + " (age " + strconv.Itoa(st.Age(today)) + ")"},
		{Key: "Sex", Value: st.Sex.Label()},
		{Key: "Year group", Value: "Year " + strconv.Itoa(st.YearGroup)},
		{Key: "UPN", Value: upn},
		{Key: "Special educational needs", Value: st.SEN.Label()},
		{Key: "Free school meals", Value: yesNo(st.FSM)},
		{Key: "Looked after", Value: yesNo(st.LookedAfter)},
		{Key: "Child in need or child protection", Value: st.CPCIN.Label()},
		{Key: "Ethnicity", Value: orNotRecorded(st.Ethnicity)},
		{Key: "Address", Value: orNotRecorded(st.Address)},
		{Key: "Postcode", Value: orNotRecorded(st.Postcode)},
	}})
	contacts := pdfdoc.Section{Heading: "Parents and carers"}
	if len(st.Contacts) == 0 {
		contacts.Paragraphs = []string{"None recorded."}
	}
	for _, c := range st.Contacts {
		contacts.Rows = append(contacts.Rows,
			pdfdoc.Row{Key: c.Name, Value: orNotRecorded(c.Relationship) + packParental(c)},
			pdfdoc.Row{Key: "Phone", Value: orNotRecorded(c.Phone)},
			pdfdoc.Row{Key: "Email", Value: orNotRecorded(c.Email)},
			pdfdoc.Row{Key: "Address", Value: orText(c.Address, "Same as the student’s")})
	}
	d.Sections = append(d.Sections, contacts)
	profs := pdfdoc.Section{Heading: "Professionals on the student’s record"}
	if len(st.Professionals) == 0 {
		profs.Paragraphs = []string{"None recorded."}
	}
	for _, p := range st.Professionals {
		profs.Rows = append(profs.Rows, pdfdoc.Row{Key: p.Name, Value: refJoin(", ", p.Role, p.Agency, p.Phone, p.Email)})
	}
	d.Sections = append(d.Sections, profs)

	for _, sec := range ref.Sections() {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		ps := pdfdoc.Section{Heading: sec.Title}
		for _, row := range refAnswerRows(sec, ref.Answers) {
			ps.Rows = append(ps.Rows, pdfdoc.Row{Key: row.Key, Value: row.Value})
		}
		d.Sections = append(d.Sections, ps)
	}

	files := pdfdoc.Section{Heading: "Documents"}
	if len(docs) == 0 {
		files.Paragraphs = []string{"No documents are attached."}
	} else {
		files.Paragraphs = []string{"Each document is attached to this PDF file; images are also shown on the pages that follow."}
	}
	for _, doc := range docs {
		files.Rows = append(files.Rows, pdfdoc.Row{Key: doc.Kind.Label(), Value: doc.FileName + " (" + refDocumentDetail(doc.Meta) + ")"})
		d.Attachments = append(d.Attachments, pdfdoc.Attachment{Name: doc.FileName, ContentType: doc.ContentType, Data: doc.Content})
	}
	d.Sections = append(d.Sections, files)
	return d
}

func packParental(c student.Contact) string {
	if c.ParentalResponsibility {
		return ", has parental responsibility"
	}
	return ", no parental responsibility"
}

func refJoin(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	if out == "" {
		return "No details recorded"
	}
	return out
}
