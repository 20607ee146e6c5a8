package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/input"
)

// typedExactly are the fields whose values are used exactly as typed: passwords, which are compared
// with what was typed when they were set, so cleaning them would lock out anyone whose password has a
// character cleaning removes.
var typedExactly = map[string]bool{"password": true, "current": true, "new": true, "confirm": true}

// cleanForm removes from every value of a parsed form the invisible characters that can disguise
// text (input.Multiline says which, and why they are removed rather than refused), and makes every
// line break "\n". It runs where forms are read (parseForm, and the two upload forms), so no handler
// can forget it; line breaks are kept because only the handler knows which fields are multi-line, and a
// browser never sends one in a single-line field.
func cleanForm(r *http.Request) {
	lists := []map[string][]string{r.Form, r.PostForm}
	if r.MultipartForm != nil {
		lists = append(lists, r.MultipartForm.Value)
	}
	for _, vs := range lists {
		for k, list := range vs {
			if typedExactly[k] {
				continue
			}
			for i, v := range list {
				list[i] = input.Multiline(v)
			}
		}
	}
}
