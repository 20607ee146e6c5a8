package pages

import (
	"strconv"

	"github.com/coventry-cap/capportal/web/components"
)

// selectedLabel is the label of the option chosen, or "Not recorded".
func selectedLabel(options []components.Option) string {
	for _, o := range options {
		if o.Selected && o.Value != "" {
			return o.Label
		}
	}
	return "Not recorded"
}

// itoa is strconv.Itoa for templates.
func itoa(n int) string { return strconv.Itoa(n) }
