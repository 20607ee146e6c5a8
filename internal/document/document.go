// Package document holds the files attached to a referral: the risk assessment, the commissioning
// agreement and anything else the school uploads. It checks an upload from its content (never its
// name), keeps it in PostgreSQL and applies the rule that a risk assessment is at most three months
// old on the day the referral is submitted. It knows nothing of HTTP: who may see a referral's
// documents is decided by whoever loaded the referral.
package document

import (
	"fmt"
	"math"
)

// MaxSize is the largest upload accepted, matching the size_bytes CHECK in the migration.
const MaxSize = 10 << 20

// MaxDescription is the longest description, in characters, a document may carry.
const MaxDescription = 500

// The five content types the referral_documents table accepts. Each is decided from the file's bytes.
const (
	TypePDF  = "application/pdf"
	TypeDOC  = "application/msword"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
)

// TypeLabel names a content type the way a page or a letter shows it ("PDF", "Word document").
func TypeLabel(contentType string) string {
	switch contentType {
	case TypePDF:
		return "PDF"
	case TypeDOC, TypeDOCX:
		return "Word document"
	case TypePNG:
		return "PNG image"
	case TypeJPEG:
		return "JPEG image"
	default:
		return "File"
	}
}

// Kind is what a document is for in the referral.
type Kind string

// The kinds of document a referral holds; the values are stored in referral_documents.kind.
const (
	RiskAssessment         Kind = "risk_assessment"
	CommissioningAgreement Kind = "commissioning_agreement"
	Other                  Kind = "other"
)

// Kinds lists every kind in the order a form offers them.
var Kinds = []Kind{RiskAssessment, CommissioningAgreement, Other}

// Valid reports whether k is one of the stored kinds, so form input can be checked before SQL sees it.
func (k Kind) Valid() bool {
	switch k {
	case RiskAssessment, CommissioningAgreement, Other:
		return true
	}
	return false
}

// Label is how a page names the kind.
func (k Kind) Label() string {
	switch k {
	case RiskAssessment:
		return "Risk assessment"
	case CommissioningAgreement:
		return "Commissioning agreement"
	case Other:
		return "Other document"
	default:
		return string(k)
	}
}

// Template says whose form a risk assessment was written on.
type Template string

// The risk assessment templates; the values are stored in referral_documents.template.
const (
	CAPTemplate    Template = "cap"
	SchoolTemplate Template = "school"
)

// Templates lists every template in the order a form offers them.
var Templates = []Template{CAPTemplate, SchoolTemplate}

// Valid reports whether t is one of the stored templates.
func (t Template) Valid() bool { return t == CAPTemplate || t == SchoolTemplate }

// Label is how a page names the template.
func (t Template) Label() string {
	switch t {
	case CAPTemplate:
		return "CAP student risk assessment template"
	case SchoolTemplate:
		return "The school’s own risk assessment"
	default:
		return string(t)
	}
}

// SizeText writes a size the way GOV.UK attachment lists do: "350 KB", "1.2 MB", "10 MB".
func SizeText(n int) string {
	const kb, mb = 1024, 1024 * 1024
	switch {
	case n < 0:
		return "0 bytes"
	case n == 1:
		return "1 byte"
	case n < kb:
		return fmt.Sprintf("%d bytes", n)
	case n < mb:
		k := int(math.Round(float64(n) / kb))
		if k < kb {
			return fmt.Sprintf("%d KB", k)
		}
		// 1023.5 KB and up round to a whole megabyte rather than showing "1024 KB".
		return "1 MB"
	default:
		s := fmt.Sprintf("%.1f MB", float64(n)/mb)
		if len(s) > 5 && s[len(s)-5:] == ".0 MB" {
			s = s[:len(s)-5] + " MB"
		}
		return s
	}
}
