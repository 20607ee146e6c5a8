// Package input reads what people type into the portal: numbers as plain digits within a range, and
// text without the invisible characters that can disguise it. The domain packages and the ui both use
// it, so a field reads the same way from a form, an import file or a test.
package input

// FieldProblem is what is wrong with one field of what a person entered, in words they can act on.
type FieldProblem struct {
	Field   string
	Message string
}

// Problems is what is wrong with a whole form, in the order of its fields. As an error it says
// the first problem; errors.As finds it to show every one beside its field.
type Problems []FieldProblem

func (ps Problems) Error() string {
	if len(ps) == 0 {
		return "no problems"
	}
	return ps[0].Message
}
