// Package components holds templ wrappers around GOV.UK Frontend and MOJ
// Frontend components. Props live in plain Go structs; the .templ files only
// hold markup, following the Nunjucks templates shipped with GOV.UK Frontend 5
// and MOJ Frontend 5 so that the CSS and JavaScript from those packages apply.
package components

import "slices"

// FieldError is one problem with one form field, in form order.
type FieldError struct {
	// Field is the form field name the problem belongs to.
	Field string
	// Message is the GOV.UK-style error message shown to the user.
	Message string
	// Anchor is the id the error summary links to; it defaults to Field.
	// Date inputs should set it to Field+"-day" (or the first part in error).
	Anchor string
}

// Href is the fragment link the error summary uses for this problem.
func (f FieldError) Href() string {
	if f.Anchor != "" {
		return "#" + f.Anchor
	}
	return "#" + f.Field
}

// Errors is the ordered list of problems on a form.
type Errors []FieldError

// Add records a problem with field, linked to the element whose id is field.
func (e *Errors) Add(field, message string) {
	*e = append(*e, FieldError{Field: field, Message: message})
}

// AddAt records a problem with field whose summary link goes to the id anchor.
func (e *Errors) AddAt(field, anchor, message string) {
	*e = append(*e, FieldError{Field: field, Message: message, Anchor: anchor})
}

// For returns the first message recorded for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Has reports whether any problem is recorded for field.
func (e Errors) Has(field string) bool {
	for _, fe := range e {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Any reports whether any problem is recorded.
func (e Errors) Any() bool {
	return len(e) > 0
}

// InOrder is the problems as the error summary lists them: one per field (the first recorded), in
// the order the fields appear on the page; problems with fields not named keep their place after.
func (e Errors) InOrder(fields []string) Errors {
	seen := map[string]bool{}
	var first Errors
	for _, fe := range e {
		if !seen[fe.Field] {
			seen[fe.Field] = true
			first = append(first, fe)
		}
	}
	rank := map[string]int{}
	for i, f := range fields {
		if _, ok := rank[f]; !ok {
			rank[f] = i
		}
	}
	pos := func(fe FieldError) int {
		if r, ok := rank[fe.Field]; ok {
			return r
		}
		return len(fields)
	}
	out := append(Errors(nil), first...)
	slices.SortStableFunc(out, func(a, b FieldError) int { return pos(a) - pos(b) })
	return out
}
