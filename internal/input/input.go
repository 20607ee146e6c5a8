// Package input reads what people type into the portal: numbers as plain digits within a range, and
// text without the invisible characters that can disguise it. The domain packages and the ui both use
// it, so a field reads the same way from a form, an import file or a test.
package input
