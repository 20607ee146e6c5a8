package ui_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// pageForm finds the POST form on the page whose action is the path (or, when none is, the first POST
// form with a field) and reads it as a browser would send it untouched: hidden and typed values, the
// ticked boxes and chosen radios, each select's chosen option, and the text of each text area. names
// lists every field the form has, sent or not.
func pageForm(t *testing.T, r testapp.Response, action string) (values url.Values, names []string, ok bool) {
	t.Helper()
	doc := r.Doc(t)
	var form *goquery.Selection
	doc.Find(`form[method="post"]`).EachWithBreak(func(_ int, f *goquery.Selection) bool {
		if a, _ := f.Attr("action"); a == action || strings.SplitN(a, "#", 2)[0] == action {
			form = f
			return false
		}
		return true
	})
	if form == nil {
		return nil, nil, false
	}
	values = url.Values{}
	seen := map[string]bool{}
	note := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	form.Find("input, select, textarea").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		if name == "" {
			return
		}
		note(name)
		switch goquery.NodeName(in) {
		case "select":
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			v, _ := opt.Attr("value")
			values.Add(name, v)
		case "textarea":
			values.Add(name, in.Text())
		default:
			typ, _ := in.Attr("type")
			v, _ := in.Attr("value")
			switch typ {
			case "checkbox", "radio":
				if _, checked := in.Attr("checked"); checked {
					values.Add(name, v)
				}
			case "file", "submit":
			default:
				values.Add(name, v)
			}
		}
	})
	return values, names, true
}

// fieldChoices are the values a radio, checkbox or select field offers.
func fieldChoices(t *testing.T, r testapp.Response, name string) []string {
	t.Helper()
	var out []string
	doc := r.Doc(t)
	doc.Find(`input[name="` + name + `"][type="radio"], input[name="` + name + `"][type="checkbox"], select[name="` + name + `"] option`).Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("value"); v != "" {
			out = append(out, v)
		}
	})
	return out
}
