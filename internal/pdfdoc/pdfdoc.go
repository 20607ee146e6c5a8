// Package pdfdoc builds the portal's PDF documents — the application pack a training provider downloads,
// and later the outcome letters — from plain data: a title, key/value rows, sections of rows and
// paragraphs, and attached files. Layout lives here once, so every document the service issues looks
// the same. Text is set in an embedded Liberation Sans (Arial's metrics), subset to the characters each
// document uses, so names in Latin, Greek and Cyrillic scripts print exactly as written.
package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	_ "image/png" // registered for image.Decode when an image must be re-encoded
	"math"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Author is written into every document's metadata as its author and creator.
const Author = "Coventry Alternative Provision"

// Doc is one document to render.
type Doc struct {
	Title    string
	Subtitle string
	// Meta rows sit under the title: reference, student, school, date sent.
	Meta     []Row
	Sections []Section
	// Attachments travel inside the PDF as embedded files; PNG and JPEG ones are also drawn as pages.
	Attachments []Attachment
	// Footer is printed at the foot of every page beside the page number, e.g. a protective marking.
	Footer string
	// Created is the document's creation date in its metadata; zero means the time of rendering.
	Created time.Time
	// Letter leaves out the list of included documents a pack ends with (a letter has none).
	Letter bool
}

// Section is a headed part of the document: rows first, then paragraphs.
type Section struct {
	Heading    string
	Rows       []Row
	Paragraphs []string
}

// Row is one question and its answer. Long values wrap; a value with line breaks keeps them.
type Row struct{ Key, Value string }

// Attachment is a file carried inside the document.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Page geometry in millimetres: A4 with margins wide enough for hole punching and the footer.
const (
	margin     = 20.0
	footerGap  = 20.0
	keyWidth   = 62.0
	lineHeight = 5.5
	// Larger PNGs are attached but not drawn: drawing one means inflating every pixel in memory.
	maxPixels = 25_000_000
)

// Render lays out d as an A4 PDF and returns its bytes.
func Render(d Doc) (out []byte, err error) {
	// fpdf reports most problems through Error(), but a malformed image can still panic inside its
	// parsers; one bad upload must fail this document, not the process.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render pdf: %v", r)
		}
	}()

	glyphs, err := drawable()
	if err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	r := newRenderer(d, glyphs)
	r.title(d)
	if len(d.Meta) > 0 {
		r.rows(d.Meta)
		r.pdf.Ln(4)
	}
	for _, s := range d.Sections {
		r.section(s)
	}
	if len(d.Attachments) > 0 || !d.Letter {
		shownOn := r.imagePages(d.Attachments)
		r.contents(d.Attachments, shownOn)
	}

	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return buf.Bytes(), nil
}

type renderer struct {
	pdf *fpdf.Fpdf
	// tr makes text printable in the embedded fonts; every string drawn on a page goes through it.
	tr func(string) string
	// The type sizes (points) and line height (mm): a letter is set a size smaller than a pack, so
	// that it fits on one page.
	body, head, titleSize, lh float64
}

func newRenderer(d Doc, glyphs *runeSet) *renderer {
	pdf := fpdf.New("P", "mm", "A4", "")
	addFonts(pdf)
	r := &renderer{pdf: pdf, tr: glyphs.printable, body: 11, head: 15, titleSize: 20, lh: lineHeight}
	if d.Letter {
		r.body, r.head, r.titleSize, r.lh = 10, 13, 17, 4.7
	}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, footerGap)
	pdf.SetTitle(pdfString(d.Title), true)
	pdf.SetSubject(pdfString(d.Subtitle), true)
	pdf.SetAuthor(Author, true)
	pdf.SetCreator(Author, true)
	pdf.SetLang("en-GB")
	if !d.Created.IsZero() {
		pdf.SetCreationDate(d.Created)
		pdf.SetModificationDate(d.Created)
	}
	pdf.AliasNbPages("{nb}")
	// The same document always gives the same bytes, so a pack can be compared or checksummed.
	pdf.SetCatalogSort(true)

	title := r.tr(d.Title)
	pdf.SetHeaderFunc(func() {
		// The first page carries the title in full; later pages say what they belong to once printed.
		if pdf.PageNo() > 1 && title != "" {
			pdf.SetFont(fontFamily, "", 8)
			pdf.SetTextColor(80, 80, 80)
			pw, _ := pdf.GetPageSize()
			pdf.SetXY(margin, 10)
			pdf.CellFormat(pw-2*margin, 4, fit(pdf, title, pw-2*margin), "", 0, "L", false, 0, "")
			pdf.SetXY(margin, margin)
			pdf.SetTextColor(0, 0, 0)
		}
	})
	footer := r.tr(d.Footer)
	pdf.SetFooterFunc(func() {
		pw, ph := pdf.GetPageSize()
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(80, 80, 80)
		pdf.SetXY(margin, ph-14)
		page := fmt.Sprintf("Page %d of {nb}", pdf.PageNo())
		pageW := pdf.GetStringWidth(page) + 2
		pdf.CellFormat(pw-2*margin-pageW, 4, fit(pdf, footer, pw-2*margin-pageW-4), "", 0, "L", false, 0, "")
		pdf.CellFormat(pageW, 4, page, "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})

	// Document-level attachments only: per-page attachment annotations would list every file twice in
	// a reader's attachments panel.
	if len(d.Attachments) > 0 {
		files := make([]fpdf.Attachment, len(d.Attachments))
		for i, a := range d.Attachments {
			files[i] = fpdf.Attachment{Content: a.Data, Filename: attachmentName(a.Name, i), Description: typeLabel(a.ContentType)}
		}
		pdf.SetAttachments(files)
	}
	pdf.AddPage()
	return r
}

func (r *renderer) width() float64 {
	pw, _ := r.pdf.GetPageSize()
	return pw - 2*margin
}

func (r *renderer) title(d Doc) {
	pdf := r.pdf
	pdf.SetFont(fontFamily, "B", r.titleSize)
	pdf.MultiCell(r.width(), r.titleSize*0.42, r.tr(d.Title), "", "L", false)
	if d.Subtitle != "" {
		pdf.Ln(1)
		pdf.SetFont(fontFamily, "", 13)
		pdf.SetTextColor(60, 60, 60)
		pdf.MultiCell(r.width(), 6.5, r.tr(d.Subtitle), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(5)
}

// heading starts a section, on a new page when too little room is left for it and a line under it.
func (r *renderer) heading(text string) {
	pdf := r.pdf
	_, ph := pdf.GetPageSize()
	if pdf.GetY() > ph-footerGap-25 {
		pdf.AddPage()
	}
	pdf.Ln(2)
	pdf.SetFont(fontFamily, "B", r.head)
	// Set after the font: fpdf encodes a bookmark as UTF-16 only while a UTF-8 font is current.
	pdf.Bookmark(pdfString(text), 0, -1)
	pdf.MultiCell(r.width(), r.head*0.47, r.tr(text), "", "L", false)
	y := pdf.GetY() + 1
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.6)
	pdf.Line(margin, y, margin+r.width(), y)
	pdf.SetY(y + 2.5)
}

func (r *renderer) section(s Section) {
	if s.Heading != "" {
		r.heading(s.Heading)
	}
	r.rows(s.Rows)
	if len(s.Rows) > 0 && len(s.Paragraphs) > 0 {
		r.pdf.Ln(3)
	}
	r.paragraphs(s.Paragraphs)
	r.pdf.Ln(4)
}

func (r *renderer) paragraphs(ps []string) {
	pdf := r.pdf
	pdf.SetFont(fontFamily, "", r.body)
	for _, p := range ps {
		pdf.MultiCell(r.width(), r.lh, r.tr(p), "", "L", false)
		pdf.Ln(2)
	}
}

// rows prints a two-column list: keys in bold on the left, values wrapping on the right, a rule between.
func (r *renderer) rows(rows []Row) {
	pdf := r.pdf
	_, ph := pdf.GetPageSize()
	usable := ph - margin - footerGap
	valueWidth := r.width() - keyWidth
	for _, row := range rows {
		key, value := r.tr(row.Key), r.tr(row.Value)
		if strings.TrimSpace(value) == "" {
			value = r.tr("Not provided")
		}
		pdf.SetFont(fontFamily, "B", r.body)
		keyLines := lineCount(pdf, key, keyWidth)
		pdf.SetFont(fontFamily, "", r.body)
		valueLines := lineCount(pdf, value, valueWidth)
		height := float64(max(keyLines, valueLines))*r.lh + 3
		if pdf.GetY()+height > ph-footerGap && height <= usable {
			// Keep a row on one page when it fits on one.
			pdf.AddPage()
		}
		top := pdf.GetY() + 1.5
		var end float64
		if height <= usable {
			// Side by side. The row was measured to fit, so no page break may split the two columns
			// (a break inside one MultiCell would leave the other on the previous page).
			pdf.SetAutoPageBreak(false, footerGap)
			pdf.SetXY(margin, top)
			pdf.SetFont(fontFamily, "B", r.body)
			pdf.MultiCell(keyWidth, r.lh, key, "", "L", false)
			keyEnd := pdf.GetY()
			pdf.SetXY(margin+keyWidth, top)
			pdf.SetFont(fontFamily, "", r.body)
			pdf.MultiCell(valueWidth, r.lh, value, "", "L", false)
			end = max(keyEnd, pdf.GetY()) + 1.5
			pdf.SetAutoPageBreak(true, footerGap)
		} else {
			// A value longer than a page: the key above it, full width, and the value flowing across pages.
			pdf.SetXY(margin, top)
			pdf.SetFont(fontFamily, "B", r.body)
			pdf.MultiCell(r.width(), r.lh, key, "", "L", false)
			pdf.SetFont(fontFamily, "", r.body)
			pdf.MultiCell(r.width(), r.lh, value, "", "L", false)
			end = pdf.GetY() + 1.5
		}
		pdf.SetDrawColor(177, 180, 182)
		pdf.SetLineWidth(0.2)
		pdf.Line(margin, end, margin+r.width(), end)
		pdf.SetY(end)
	}
}

// imagePages draws each PNG or JPEG attachment on a page of its own (landscape for a landscape image)
// and returns the page each landed on; 0 means not drawn.
func (r *renderer) imagePages(atts []Attachment) []int {
	pdf := r.pdf
	shownOn := make([]int, len(atts))
	for i, a := range atts {
		info, name := r.registerImage(i, a)
		if info == nil {
			continue
		}
		orientation := "P"
		if info.Width() > info.Height() {
			orientation = "L"
		}
		pdf.AddPageFormat(orientation, pdf.GetPageSizeStr("A4"))
		shownOn[i] = pdf.PageNo()
		label := fmt.Sprintf("Document %d: %s", i+1, displayName(a.Name))
		pdf.SetFont(fontFamily, "B", 13)
		pdf.Bookmark(pdfString(label), 0, -1)
		pdf.MultiCell(0, 6.5, r.tr(label), "", "L", false)
		pdf.Ln(3)

		pw, ph := pdf.GetPageSize()
		maxW, maxH := pw-2*margin, ph-footerGap-pdf.GetY()
		// Never enlarge past the image's own size: a small scan blown up to a page is harder to read.
		scale := min(maxW/info.Width(), maxH/info.Height(), 1)
		w, h := info.Width()*scale, info.Height()*scale
		pdf.ImageOptions(name, margin+(maxW-w)/2, pdf.GetY(), w, h, false, fpdf.ImageOptions{}, 0, "")
	}
	return shownOn
}

// registerImage adds an image attachment to the document, re-encoding it when fpdf cannot read it as it
// is (interlaced or 16-bit PNGs, for example). It returns nil when the image cannot be drawn at all;
// the file is still attached.
func (r *renderer) registerImage(i int, a Attachment) (*fpdf.ImageInfoType, string) {
	var kind string
	switch a.ContentType {
	case "image/png":
		kind = "PNG"
	case "image/jpeg":
		kind = "JPG"
	default:
		return nil, ""
	}
	pdf := r.pdf
	if !pdf.Ok() {
		return nil, ""
	}
	name := fmt.Sprintf("attachment-%d", i)
	if kind == "JPG" || pngDirect(a.Data) {
		info := pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: kind, ReadDpi: true}, bytes.NewReader(a.Data))
		if pdf.Ok() && info != nil && info.Width() > 0 && info.Height() > 0 {
			return info, name
		}
		// A failed registration leaves nothing behind but the error, so clearing it is safe here.
		pdf.ClearError()
	}
	flat, ok := flattenImage(a.Data)
	if !ok {
		return nil, ""
	}
	name += "-flat"
	info := pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(flat))
	if !pdf.Ok() || info == nil || info.Width() <= 0 || info.Height() <= 0 {
		pdf.ClearError()
		return nil, ""
	}
	return info, name
}

// pngDirect reports whether fpdf's own PNG reader draws data correctly: 8 bits or fewer per channel
// (its alpha split assumes one byte a channel and silently garbles 16-bit images), not interlaced
// (which it refuses), and small enough to inflate.
func pngDirect(data []byte) bool {
	// Signature (8), IHDR length and type (8), then width, height, bit depth, colour type, compression,
	// filter and interlace method.
	if len(data) < 29 || string(data[12:16]) != "IHDR" {
		return false
	}
	w, h := binary.BigEndian.Uint32(data[16:20]), binary.BigEndian.Uint32(data[20:24])
	return data[24] <= 8 && data[28] == 0 && uint64(w)*uint64(h) <= maxPixels
}

// flattenImage re-encodes an image as a baseline JPEG on white, which fpdf always reads.
func flattenImage(data []byte) ([]byte, bool) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, false
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	canvas := image.NewRGBA(img.Bounds())
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(canvas, canvas.Bounds(), img, img.Bounds().Min, draw.Over)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, canvas, &jpeg.Options{Quality: 90}); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// contents closes the document with the list of documents it carries and how to open them.
func (r *renderer) contents(atts []Attachment, shownOn []int) {
	pdf := r.pdf
	for _, p := range shownOn {
		if p > 0 {
			// The last page is an image's own: the list starts a fresh one.
			pdf.AddPage()
			break
		}
	}
	r.heading("Documents included")
	if len(atts) == 0 {
		r.paragraphs([]string{"No documents were included."})
		return
	}
	r.paragraphs([]string{"These documents are attached to this PDF file. To open one, use your PDF reader’s " +
		"attachments panel (in Adobe Acrobat Reader, the paperclip icon)."})
	for i, a := range atts {
		where := "attached to this file"
		if shownOn[i] > 0 {
			where = fmt.Sprintf("shown on page %d and attached to this file", shownOn[i])
		}
		detail := fmt.Sprintf("%s, %s, %s", typeLabel(a.ContentType), sizeText(len(a.Data)), where)
		pdf.SetFont(fontFamily, "B", 11)
		_, ph := pdf.GetPageSize()
		if pdf.GetY()+2*lineHeight+3 > ph-footerGap {
			pdf.AddPage()
		}
		pdf.MultiCell(r.width(), lineHeight, r.tr(fmt.Sprintf("%d. %s", i+1, displayName(a.Name))), "", "L", false)
		pdf.SetFont(fontFamily, "", 10)
		pdf.MultiCell(r.width(), lineHeight, r.tr(detail), "", "L", false)
		pdf.Ln(2)
	}
}

// fit shortens printable single-line text with "..." until it fits width w, a character at a time
// (never part of one).
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && pdf.GetStringWidth(string(rs)+"...") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "..."
}

// lineCount is how many lines MultiCell takes to print printable text s at width w in the current
// font, following its line breaking (at spaces, or mid-word when a word is wider than the line).
// fpdf's SplitLines measures bytes, not characters, and SplitText also breaks at other spaces.
func lineCount(pdf *fpdf.Fpdf, s string, w float64) int {
	_, size := pdf.GetFontSize()
	limit := int(math.Ceil((w - 2*pdf.GetCellMargin()) * 1000 / size))
	rs := []rune(strings.ReplaceAll(s, "\r", ""))
	for len(rs) > 0 && rs[len(rs)-1] == '\n' {
		rs = rs[:len(rs)-1]
	}
	lines, sep, width := 1, -1, 0
	for i, start := 0, 0; i < len(rs); {
		c := rs[i]
		if c == '\n' {
			lines++
			i++
			sep, start, width = -1, i, 0
			continue
		}
		if c == ' ' {
			sep = i
		}
		width += pdf.GetStringSymbolWidth(string(c))
		if width <= limit {
			i++
			continue
		}
		lines++
		switch {
		case sep >= 0:
			i = sep + 1
		case i == start:
			i++
		}
		sep, start, width = -1, i, 0
	}
	return lines
}

// displayName is the last path element of an attachment's name, the way the closing list shows it.
func displayName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimSpace(path.Base("/" + name))
	if name == "/" || name == "." || name == "" {
		return "Untitled document"
	}
	return name
}

// attachmentName is the file name embedded in the PDF: no directory part, valid UTF-8 within the
// Basic Multilingual Plane (fpdf's UTF-16 encoder handles no more), never empty.
func attachmentName(name string, i int) string {
	n := pdfString(displayName(name))
	if n == "Untitled document" {
		n = fmt.Sprintf("document-%d", i+1)
	}
	return n
}

// pdfString makes text safe for fpdf's UTF-16 encoder (metadata and bookmarks, which the reader shows in
// its own fonts), which reads past the end of invalid UTF-8 and mangles characters outside the Basic
// Multilingual Plane. Invisible format characters go, as they do from the page text (printable): a
// right-to-left override in a title would show it to the reader reordered.
func pdfString(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '_'
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

func typeLabel(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "PDF"
	case "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return "Word document"
	case "image/png":
		return "PNG image"
	case "image/jpeg":
		return "JPEG image"
	}
	return "File"
}

func sizeText(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	default:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1024*1024)), ".0 MB", " MB", 1)
	}
}
