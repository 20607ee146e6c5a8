package document

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is an error whose text is written for the person uploading: a page shows it as the field's
// error message as it stands.
type Problem struct{ Message string }

// Error returns the message meant for the user.
func (p *Problem) Error() string { return p.Message }

// The ways an upload is refused. Compare with errors.Is; show with err.Error().
var (
	ErrNoFile      = &Problem{"Select a file"}
	ErrEmpty       = &Problem{"The selected file is empty"}
	ErrTooLarge    = &Problem{"The selected file must be smaller than 10 MB"}
	ErrWrongType   = &Problem{"The selected file must be a PDF, Word document, or a PNG or JPEG image"}
	ErrMacros      = &Problem{"The selected file must not contain macros: save it as a Word document (.docx) or a PDF"}
	ErrDescription = &Problem{fmt.Sprintf("Description must be %d characters or fewer", MaxDescription)}
)

// ProblemMessage returns the user-facing message of a refused upload, and false for any other error
// (which must not be shown: it may carry internal detail).
func ProblemMessage(err error) (string, bool) {
	var p *Problem
	if errors.As(err, &p) {
		return p.Message, true
	}
	return "", false
}

// Checked is an upload that passed Validate: what will be stored alongside its bytes.
type Checked struct {
	// FileName is safe to store and to offer as a download name: no directory part, no leading dot,
	// and an extension that matches ContentType.
	FileName    string
	ContentType string
	Size        int
	// SHA256 is the lower-case hex digest of the content, for spotting the same file uploaded twice.
	SHA256 string
}

// ReadAll reads an upload without ever holding more than MaxSize+1 bytes, so an oversized file is
// refused (ErrTooLarge) without being read to the end.
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// Validate decides whether an upload can be kept. The type comes from the bytes alone: a program
// named report.pdf is refused, and a PNG named scan.pdf is kept as scan.png.
func Validate(fileName string, data []byte) (Checked, error) {
	if len(data) == 0 {
		// A form posted with no file chosen sends an empty part with an empty name.
		if strings.TrimSpace(fileName) == "" {
			return Checked{}, ErrNoFile
		}
		return Checked{}, ErrEmpty
	}
	if len(data) > MaxSize {
		return Checked{}, ErrTooLarge
	}
	contentType, err := DetectType(data)
	if err != nil {
		return Checked{}, err
	}
	sum := sha256.Sum256(data)
	return Checked{
		FileName:    CleanName(fileName, contentType),
		ContentType: contentType,
		Size:        len(data),
		SHA256:      hex.EncodeToString(sum[:]),
	}, nil
}

var (
	magicPDF  = []byte("%PDF-")
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicOLE  = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicZIP  = []byte("PK\x03\x04")
	// The name of the stream every Word 97–2003 file holds, as the compound file's directory spells it
	// (UTF-16LE). Excel and PowerPoint files share the OLE header but not this stream.
	wordStreamName = utf16LE("WordDocument")
)

// DetectType returns the content type of data, or ErrWrongType (or ErrMacros) when it is none of the
// five the service keeps.
func DetectType(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, magicPDF):
		return TypePDF, nil
	case bytes.HasPrefix(data, magicPNG):
		// Only a header that decodes is an image: the PDF builder draws these as pages.
		if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
			return "", ErrWrongType
		}
		return TypePNG, nil
	case bytes.HasPrefix(data, magicJPEG):
		if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil {
			return "", ErrWrongType
		}
		return TypeJPEG, nil
	case bytes.HasPrefix(data, magicOLE):
		if !bytes.Contains(data, wordStreamName) {
			return "", ErrWrongType
		}
		return TypeDOC, nil
	case bytes.HasPrefix(data, magicZIP):
		return detectDOCX(data)
	}
	return "", ErrWrongType
}

// detectDOCX accepts a zip only when it has the parts of a Word document. Only the central directory
// is read, so a zip bomb costs nothing here.
func detectDOCX(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", ErrWrongType
	}
	var types, body, macros bool
	for _, f := range zr.File {
		switch strings.ToLower(f.Name) {
		case "[content_types].xml":
			types = true
		case "word/document.xml":
			body = true
		case "word/vbaproject.bin":
			macros = true
		}
	}
	if !types || !body {
		return "", ErrWrongType
	}
	if macros {
		// A .docm renamed .docx: macros are code, and a pack goes to people outside the school.
		return "", ErrMacros
	}
	return TypeDOCX, nil
}

func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// maxNameRunes bounds a stored file name, extension included, so lists and headers stay readable.
const maxNameRunes = 120

// extensions lists the extensions each type may carry; the first is the one added when a name has none.
var extensions = map[string][]string{
	TypePDF:  {".pdf"},
	TypeDOC:  {".doc"},
	TypeDOCX: {".docx"},
	TypePNG:  {".png"},
	TypeJPEG: {".jpg", ".jpeg"},
}

// documentExtensions are replaced (not kept before the right one) when they name the wrong type, so a
// PNG called scan.pdf becomes scan.png rather than scan.pdf.png.
var documentExtensions = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".png": true, ".jpg": true, ".jpeg": true,
}

// CleanName makes an uploaded name safe to store and to offer back as a download:
//   - only the last path element is kept, whether the browser sent / or \ separators;
//   - control and invisible formatting characters (such as right-to-left overrides) are removed, and
//     characters Windows forbids in names become "_";
//   - runs of dots collapse to one and leading dots and spaces go, so the name is never "..", never
//     hidden and never starts with "..";
//   - the extension always tells the truth: a name whose extension is another document or image type
//     has it replaced, any other name has the right one added (notes.txt holding a PDF → notes.txt.pdf);
//   - the result is at most 120 characters, extension included, and never empty ("document.pdf").
func CleanName(name, contentType string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	var b strings.Builder
	lastSpace, lastDot := false, false
	for _, r := range name {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			if !lastSpace {
				b.WriteByte(' ')
			}
			lastSpace, lastDot = true, false
			continue
		case r == '.':
			if !lastDot {
				b.WriteByte('.')
			}
			lastSpace, lastDot = false, true
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		b.WriteRune(r)
		lastSpace, lastDot = false, false
	}
	name = strings.Trim(b.String(), " .")

	ext := strings.ToLower(path.Ext(name))
	base := strings.TrimSuffix(name, path.Ext(name))
	allowed := extensions[contentType]
	switch {
	case len(allowed) == 0:
		// Not a type Validate accepts: keep the name as cleaned, without pretending to know its type.
		ext, base = "", name
	case slices.Contains(allowed, ext):
		// Keep the user's spelling of a right extension (.jpeg stays .jpeg), in lower case.
	case documentExtensions[ext]:
		ext = allowed[0]
	default:
		base, ext = name, allowed[0]
	}
	base = strings.TrimRight(base, " .")
	if base == "" {
		base = "document"
	}
	if n := maxNameRunes - utf8.RuneCountInString(ext); utf8.RuneCountInString(base) > n {
		base = strings.TrimRight(string([]rune(base)[:n]), " .")
	}
	return base + ext
}
