package components

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// render renders c to a string, failing the test on error.
func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// doc renders c and parses it, checking the invariants every component must
// keep: unique ids, labels tied to existing controls and aria references that
// resolve.
func doc(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	html := render(t, c)
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	checkIDsUnique(t, d)
	checkLabelsTied(t, d)
	checkARIARefs(t, d)
	return d, html
}

func checkIDsUnique(t *testing.T, d *goquery.Document) {
	t.Helper()
	seen := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" {
			t.Errorf("empty id attribute on <%s>", goquery.NodeName(s))
		}
		if seen[id] {
			t.Errorf("duplicate id %q", id)
		}
		seen[id] = true
	})
}

func checkLabelsTied(t *testing.T, d *goquery.Document) {
	t.Helper()
	d.Find("label").Each(func(_ int, s *goquery.Selection) {
		forID, ok := s.Attr("for")
		if !ok || forID == "" {
			t.Errorf("label %q has no for attribute", s.Text())
			return
		}
		ctl := d.Find("#" + cssEscape(forID))
		if ctl.Length() != 1 {
			t.Errorf("label for=%q matches %d elements", forID, ctl.Length())
			return
		}
		switch goquery.NodeName(ctl) {
		case "input", "select", "textarea":
		default:
			t.Errorf("label for=%q points at <%s>", forID, goquery.NodeName(ctl))
		}
	})
	d.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if id == "" || d.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("control %s (id %q) has no label", goquery.NodeName(s), id)
		}
	})
}

func checkARIARefs(t *testing.T, d *goquery.Document) {
	t.Helper()
	d.Find("[aria-describedby], [aria-labelledby]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"aria-describedby", "aria-labelledby"} {
			v, ok := s.Attr(attr)
			if !ok {
				continue
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("empty %s on <%s>", attr, goquery.NodeName(s))
			}
			for _, id := range strings.Fields(v) {
				if d.Find("#"+cssEscape(id)).Length() != 1 {
					t.Errorf("%s refers to missing id %q", attr, id)
				}
			}
		}
	})
}

// cssEscape is enough escaping for the ids used in these tests.
func cssEscape(id string) string {
	return strings.NewReplacer(".", `\.`, ":", `\:`, "[", `\[`, "]", `\]`).Replace(id)
}

func attr(t *testing.T, s *goquery.Selection, name string) string {
	t.Helper()
	if s.Length() == 0 {
		t.Fatalf("no element to read %s from", name)
	}
	v, ok := s.Attr(name)
	if !ok {
		t.Fatalf("<%s> has no %s attribute", goquery.NodeName(s), name)
	}
	return v
}

func wantAttr(t *testing.T, s *goquery.Selection, name, want string) {
	t.Helper()
	if got := attr(t, s, name); got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func wantNoAttr(t *testing.T, s *goquery.Selection, name string) {
	t.Helper()
	if v, ok := s.Attr(name); ok {
		t.Errorf("unexpected %s=%q on <%s>", name, v, goquery.NodeName(s))
	}
}

func wantCount(t *testing.T, d *goquery.Document, sel string, n int) *goquery.Selection {
	t.Helper()
	s := d.Find(sel)
	if s.Length() != n {
		t.Errorf("%q matched %d elements, want %d", sel, s.Length(), n)
	}
	return s
}

func wantClass(t *testing.T, s *goquery.Selection, class string, want bool) {
	t.Helper()
	if s.Length() == 0 {
		t.Fatalf("no element to check class %q on", class)
	}
	if got := s.HasClass(class); got != want {
		c, _ := s.Attr("class")
		t.Errorf("class %q present = %v, want %v (class=%q)", class, got, want, c)
	}
}

func text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

func boolPtr(b bool) *bool { return &b }

// ---------------------------------------------------------------------------

func TestErrors(t *testing.T) {
	var e Errors
	if e.Any() {
		t.Fatal("empty Errors reports Any")
	}
	e.Add("name", "Enter your name")
	e.Add("name", "Name must be 100 characters or fewer")
	e.AddAt("dob", "dob-month", "Date of birth must include a month")
	if !e.Any() || len(e) != 3 {
		t.Fatalf("Errors = %+v", e)
	}
	if got := e.For("name"); got != "Enter your name" {
		t.Errorf("For(name) = %q, want the first message", got)
	}
	if got := e.For("email"); got != "" {
		t.Errorf("For(email) = %q, want empty", got)
	}
	if !e.Has("dob") || e.Has("email") {
		t.Error("Has is wrong")
	}
	if got := e[0].Href(); got != "#name" {
		t.Errorf("Href default = %q", got)
	}
	if got := e[2].Href(); got != "#dob-month" {
		t.Errorf("Href with anchor = %q", got)
	}
}

func TestFormatDates(t *testing.T) {
	cases := []struct {
		in             time.Time
		date, dateTime string
	}{
		// BST: 13:05 UTC is 2:05pm in London.
		{time.Date(2025, 9, 17, 13, 5, 0, 0, time.UTC), "17 September 2025", "17 September 2025 at 2:05pm"},
		// GMT: no offset in winter.
		{time.Date(2025, 1, 3, 9, 30, 0, 0, time.UTC), "3 January 2025", "3 January 2025 at 9:30am"},
		// Late UTC evening in summer is the next day in London.
		{time.Date(2025, 9, 16, 23, 30, 0, 0, time.UTC), "17 September 2025", "17 September 2025 at 12:30am"},
		{time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC), "1 December 2025", "1 December 2025 at 12:00pm"},
	}
	for _, c := range cases {
		if got := FormatDate(c.in); got != c.date {
			t.Errorf("FormatDate(%v) = %q, want %q", c.in, got, c.date)
		}
		if got := FormatDateTime(c.in); got != c.dateTime {
			t.Errorf("FormatDateTime(%v) = %q, want %q", c.in, got, c.dateTime)
		}
	}
	if London().String() != "Europe/London" {
		t.Errorf("London() = %v", London())
	}
}

func TestTextInputValid(t *testing.T) {
	d, _ := doc(t, TextInput(TextInputProps{Field: Field{Name: "full-name", Label: "Full name"}, Value: "Ada"}))
	group := wantCount(t, d, "div.govuk-form-group", 1)
	wantClass(t, group, "govuk-form-group--error", false)
	in := wantCount(t, d, "input", 1)
	wantAttr(t, in, "id", "full-name") // ID defaults to Name
	wantAttr(t, in, "name", "full-name")
	wantAttr(t, in, "type", "text")
	wantAttr(t, in, "value", "Ada")
	wantAttr(t, in, "class", "govuk-input")
	wantNoAttr(t, in, "aria-describedby")
	wantNoAttr(t, in, "spellcheck")
	wantNoAttr(t, in, "autocomplete")
	wantAttr(t, d.Find("label.govuk-label"), "for", "full-name")
	wantCount(t, d, ".govuk-error-message", 0)
	wantCount(t, d, ".govuk-hint", 0)
	wantCount(t, d, "h1", 0)
}

func TestTextInputErrorAndHint(t *testing.T) {
	d, html := doc(t, TextInput(TextInputProps{
		Field:        Field{ID: "applicant-name", Name: "name", Label: "Full name", Hint: "As on your passport", Error: "Enter your full name", LabelIsPageHeading: true},
		Value:        `<script>alert("x")</script>`,
		Type:         "email",
		Autocomplete: "name",
		Inputmode:    "text",
		Width:        "govuk-input--width-20",
		Spellcheck:   boolPtr(false),
	}))
	if strings.Contains(html, "<script>") {
		t.Errorf("value not escaped: %s", html)
	}
	group := d.Find("div.govuk-form-group")
	wantClass(t, group, "govuk-form-group--error", true)
	in := d.Find("input")
	wantAttr(t, in, "id", "applicant-name")
	wantAttr(t, in, "name", "name")
	wantAttr(t, in, "type", "email")
	wantAttr(t, in, "value", `<script>alert("x")</script>`)
	wantAttr(t, in, "aria-describedby", "applicant-name-hint applicant-name-error")
	wantAttr(t, in, "autocomplete", "name")
	wantAttr(t, in, "inputmode", "text")
	wantAttr(t, in, "spellcheck", "false")
	wantClass(t, in, "govuk-input--error", true)
	wantClass(t, in, "govuk-input--width-20", true)
	wantAttr(t, d.Find("#applicant-name-hint"), "class", "govuk-hint")
	if got := text(d.Find("#applicant-name-hint")); got != "As on your passport" {
		t.Errorf("hint = %q", got)
	}
	msg := d.Find("p#applicant-name-error.govuk-error-message")
	if got := text(msg); got != "Error: Enter your full name" {
		t.Errorf("error message = %q", got)
	}
	if got := text(msg.Find("span.govuk-visually-hidden")); got != "Error:" {
		t.Errorf("visually hidden prefix = %q", got)
	}
	lbl := d.Find("h1.govuk-label-wrapper > label.govuk-label")
	wantAttr(t, lbl, "for", "applicant-name")
	wantClass(t, lbl, "govuk-label--l", true)
	// GOV.UK order: label, hint, error, input.
	var order []string
	group.Children().Each(func(_ int, s *goquery.Selection) {
		c, _ := s.Attr("class")
		order = append(order, goquery.NodeName(s)+"."+strings.Fields(c)[0])
	})
	want := "h1.govuk-label-wrapper div.govuk-hint p.govuk-error-message input.govuk-input"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("child order = %q, want %q", got, want)
	}
}

func TestTextInputHintOnlyDescribedBy(t *testing.T) {
	d, _ := doc(t, TextInput(TextInputProps{Field: Field{Name: "email", Label: "Email", Hint: "We will only use this to contact you"}}))
	wantAttr(t, d.Find("input"), "aria-describedby", "email-hint")
	wantClass(t, d.Find("input"), "govuk-input--error", false)
	d, _ = doc(t, TextInput(TextInputProps{Field: Field{Name: "email", Label: "Email", Error: "Enter an email address"}}))
	wantAttr(t, d.Find("input"), "aria-describedby", "email-error")
}

func TestTextarea(t *testing.T) {
	d, html := doc(t, Textarea(TextareaProps{Field: Field{Name: "details", Label: "Details"}, Value: "a <b>bold</b> & more"}))
	ta := wantCount(t, d, "textarea", 1)
	wantAttr(t, ta, "id", "details")
	wantAttr(t, ta, "rows", "5")
	wantAttr(t, ta, "class", "govuk-textarea")
	wantNoAttr(t, ta, "aria-describedby")
	if ta.Text() != "a <b>bold</b> & more" {
		t.Errorf("textarea value = %q", ta.Text())
	}
	if strings.Contains(html, "<b>") {
		t.Errorf("textarea value not escaped: %s", html)
	}
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", false)
	wantCount(t, d, ".govuk-error-message", 0)

	d, _ = doc(t, Textarea(TextareaProps{Field: Field{ID: "more-detail", Name: "more", Label: "More", Hint: "Do not include personal details", Error: "Enter more detail"}, Rows: 8}))
	ta = d.Find("textarea")
	wantAttr(t, ta, "id", "more-detail")
	wantAttr(t, ta, "name", "more")
	wantAttr(t, ta, "rows", "8")
	wantAttr(t, ta, "aria-describedby", "more-detail-hint more-detail-error")
	wantClass(t, ta, "govuk-textarea--error", true)
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", true)
	if got := text(d.Find("#more-detail-error")); got != "Error: Enter more detail" {
		t.Errorf("error = %q", got)
	}
}

func TestDateInput(t *testing.T) {
	d, _ := doc(t, DateInput(DateInputProps{NamePrefix: "dob", Legend: "What is your date of birth?", Hint: "For example, 27 3 2007", Day: "27", Month: "3", Year: "2007"}))
	group := d.Find("div.govuk-form-group").First()
	wantClass(t, group, "govuk-form-group--error", false)
	fs := wantCount(t, d, "fieldset.govuk-fieldset", 1)
	wantAttr(t, fs, "role", "group")
	wantAttr(t, fs, "aria-describedby", "dob-hint")
	if got := text(fs.Find("legend.govuk-fieldset__legend")); got != "What is your date of birth?" {
		t.Errorf("legend = %q", got)
	}
	wantAttr(t, d.Find("div.govuk-date-input"), "id", "dob")
	wantCount(t, d, ".govuk-error-message", 0)
	wantCount(t, d, ".govuk-input--error", 0)
	for _, c := range []struct{ part, label, value, width string }{
		{"day", "Day", "27", "govuk-input--width-2"},
		{"month", "Month", "3", "govuk-input--width-2"},
		{"year", "Year", "2007", "govuk-input--width-4"},
	} {
		in := wantCount(t, d, "input#dob-"+c.part, 1)
		wantAttr(t, in, "name", "dob-"+c.part)
		wantAttr(t, in, "value", c.value)
		wantAttr(t, in, "inputmode", "numeric")
		wantAttr(t, in, "type", "text")
		wantClass(t, in, "govuk-date-input__input", true)
		wantClass(t, in, c.width, true)
		lbl := d.Find(`label[for="dob-` + c.part + `"]`)
		wantClass(t, lbl, "govuk-date-input__label", true)
		if got := text(lbl); got != c.label {
			t.Errorf("label = %q, want %q", got, c.label)
		}
		wantNoAttr(t, in, "autocomplete")
	}
}

func TestDateInputErrors(t *testing.T) {
	// Only the month is wrong.
	d, _ := doc(t, DateInput(DateInputProps{ID: "start", NamePrefix: "start-date", Legend: "Start date", Month: "13", Error: "Start date must be a real date", ErrorParts: []string{"month"}, DateOfBirth: true}))
	wantClass(t, d.Find("div.govuk-form-group").First(), "govuk-form-group--error", true)
	wantAttr(t, d.Find("fieldset"), "aria-describedby", "start-error")
	if got := text(d.Find("p#start-error.govuk-error-message")); got != "Error: Start date must be a real date" {
		t.Errorf("error = %q", got)
	}
	wantClass(t, d.Find("#start-day"), "govuk-input--error", false)
	wantClass(t, d.Find("#start-month"), "govuk-input--error", true)
	wantClass(t, d.Find("#start-year"), "govuk-input--error", false)
	wantAttr(t, d.Find("#start-month"), "name", "start-date-month")
	wantAttr(t, d.Find("#start-month"), "autocomplete", "bday-month")
	wantNoAttr(t, d.Find("#start-day"), "value") // empty values are omitted

	// No parts listed: every part is in error.
	d, _ = doc(t, DateInput(DateInputProps{NamePrefix: "dob", Legend: "Date of birth", Error: "Enter your date of birth", LegendIsPageHeading: true}))
	wantCount(t, d, "input.govuk-input--error", 3)
	wantCount(t, d, "legend.govuk-fieldset__legend--l > h1.govuk-fieldset__heading", 1)
}

func choiceItems() []Choice {
	return []Choice{
		{Value: "email", Label: "Email"},
		{Value: "phone", Label: "Phone", Hint: "We may text you", Checked: true},
		{Value: "post", Label: "Post"},
	}
}

func TestRadios(t *testing.T) {
	d, _ := doc(t, Radios(ChoiceProps{Name: "contact", Legend: "How should we contact you?", Items: choiceItems()}))
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", false)
	fs := wantCount(t, d, "fieldset.govuk-fieldset", 1)
	wantNoAttr(t, fs, "aria-describedby")
	wantNoAttr(t, fs, "role")
	if got := text(fs.Find("legend")); got != "How should we contact you?" {
		t.Errorf("legend = %q", got)
	}
	wrap := wantCount(t, d, "div.govuk-radios", 1)
	wantAttr(t, wrap, "data-module", "govuk-radios")
	wantAttr(t, wrap, "class", "govuk-radios")
	inputs := wantCount(t, d, "input.govuk-radios__input", 3)
	ids := []string{"contact", "contact-2", "contact-3"}
	inputs.Each(func(i int, s *goquery.Selection) {
		wantAttr(t, s, "id", ids[i])
		wantAttr(t, s, "name", "contact")
		wantAttr(t, s, "type", "radio")
		wantAttr(t, s, "value", choiceItems()[i].Value)
		lbl := d.Find(`label.govuk-radios__label[for="` + ids[i] + `"]`)
		if got := text(lbl); got != choiceItems()[i].Label {
			t.Errorf("label %d = %q", i, got)
		}
	})
	if _, ok := d.Find("#contact").Attr("checked"); ok {
		t.Error("first radio checked")
	}
	if _, ok := d.Find("#contact-2").Attr("checked"); !ok {
		t.Error("second radio not checked")
	}
	wantCount(t, d, "input[checked]", 1)
	wantAttr(t, d.Find("#contact-2"), "aria-describedby", "contact-2-item-hint")
	wantNoAttr(t, d.Find("#contact"), "aria-describedby")
	wantClass(t, d.Find("#contact-2-item-hint"), "govuk-radios__hint", true)
	wantCount(t, d, ".govuk-error-message", 0)
}

func TestRadiosErrorInlineHeading(t *testing.T) {
	d, _ := doc(t, Radios(ChoiceProps{
		Name: "agree", Legend: "Do you agree?", LegendIsPageHeading: true, Hint: "Select one option",
		Error: "Select yes if you agree", Inline: true, Small: true,
		Items: []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}},
	}))
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", true)
	wantAttr(t, d.Find("fieldset"), "aria-describedby", "agree-hint agree-error")
	if got := text(d.Find("#agree-error")); got != "Error: Select yes if you agree" {
		t.Errorf("error = %q", got)
	}
	wantAttr(t, d.Find("div.govuk-radios"), "class", "govuk-radios govuk-radios--inline govuk-radios--small")
	wantCount(t, d, "legend.govuk-fieldset__legend--l > h1.govuk-fieldset__heading", 1)
	wantCount(t, d, "input[checked]", 0)
}

func TestCheckboxes(t *testing.T) {
	d, _ := doc(t, Checkboxes(ChoiceProps{Name: "services", Legend: "Which services?", Hint: "Select all that apply", Error: "Select at least one service", Small: true, Inline: true, Items: choiceItems()}))
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", true)
	wantAttr(t, d.Find("fieldset"), "aria-describedby", "services-hint services-error")
	wrap := d.Find("div.govuk-checkboxes")
	wantAttr(t, wrap, "data-module", "govuk-checkboxes")
	// Inline is radios-only in GOV.UK: no made-up class for checkboxes.
	wantAttr(t, wrap, "class", "govuk-checkboxes govuk-checkboxes--small")
	inputs := wantCount(t, d, "input.govuk-checkboxes__input[type=checkbox][name=services]", 3)
	wantAttr(t, inputs.Eq(0), "id", "services")
	wantAttr(t, inputs.Eq(1), "id", "services-2")
	wantAttr(t, inputs.Eq(2), "id", "services-3")
	wantCount(t, d, "input[checked]", 1)
	wantAttr(t, d.Find("input[checked]"), "value", "phone")
	wantAttr(t, d.Find("#services-2"), "aria-describedby", "services-2-item-hint")
	wantClass(t, d.Find("#services-2-item-hint"), "govuk-checkboxes__hint", true)
	wantCount(t, d, "label.govuk-checkboxes__label", 3)

	d, _ = doc(t, Checkboxes(ChoiceProps{Name: "services", IDPrefix: "svc", Legend: "Which?", Items: choiceItems()}))
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", false)
	wantCount(t, d, ".govuk-error-message", 0)
	wantAttr(t, d.Find("input").First(), "id", "svc")
	wantAttr(t, d.Find("input").Last(), "id", "svc-3")
	wantNoAttr(t, d.Find("fieldset"), "aria-describedby")
}

func TestSelect(t *testing.T) {
	opts := []Option{{Value: "", Label: "Choose a ward"}, {Value: "earlsdon", Label: "Earlsdon", Selected: true}, {Value: "<x>", Label: "Foleshill & <Stoke>"}}
	d, html := doc(t, Select(SelectProps{Field: Field{Name: "ward", Label: "Ward"}, Options: opts}))
	sel := wantCount(t, d, "select", 1)
	wantAttr(t, sel, "id", "ward")
	wantAttr(t, sel, "name", "ward")
	wantAttr(t, sel, "class", "govuk-select")
	wantNoAttr(t, sel, "aria-describedby")
	wantAttr(t, d.Find("label"), "for", "ward")
	wantCount(t, d, "option", 3)
	wantCount(t, d, "option[selected]", 1)
	wantAttr(t, d.Find("option[selected]"), "value", "earlsdon")
	wantAttr(t, d.Find("option").Eq(0), "value", "")
	wantAttr(t, d.Find("option").Eq(2), "value", "<x>")
	if got := d.Find("option").Eq(2).Text(); got != "Foleshill & <Stoke>" {
		t.Errorf("option text = %q", got)
	}
	if strings.Contains(html, "<Stoke>") || strings.Contains(html, `"<x>"`) {
		t.Errorf("option not escaped: %s", html)
	}
	wantCount(t, d, ".govuk-error-message", 0)

	d, _ = doc(t, Select(SelectProps{Field: Field{ID: "ward-select", Name: "ward", Label: "Ward", Hint: "Where you live", Error: "Select a ward"}, Options: opts}))
	sel = d.Find("select")
	wantAttr(t, sel, "aria-describedby", "ward-select-hint ward-select-error")
	wantClass(t, sel, "govuk-select--error", true)
	wantClass(t, d.Find(".govuk-form-group"), "govuk-form-group--error", true)
	wantAttr(t, d.Find("label"), "for", "ward-select")
}

func TestErrorSummary(t *testing.T) {
	if got := render(t, ErrorSummary(nil)); got != "" {
		t.Errorf("empty summary rendered %q", got)
	}
	var errs Errors
	errs.Add("name", "Enter your name")
	errs.AddAt("dob", "dob-day", "Enter your date of birth")
	errs = append(errs, FieldError{Field: "ward", Message: "Select a <ward>"})
	d, html := doc(t, ErrorSummary(errs))
	box := wantCount(t, d, "div.govuk-error-summary", 1)
	wantAttr(t, box, "data-module", "govuk-error-summary")
	alert := box.Find(`div[role="alert"]`)
	if got := text(alert.Find("h2.govuk-error-summary__title")); got != "There is a problem" {
		t.Errorf("title = %q", got)
	}
	links := alert.Find(".govuk-error-summary__body ul.govuk-list.govuk-error-summary__list > li > a")
	if links.Length() != 3 {
		t.Fatalf("got %d links", links.Length())
	}
	want := []struct{ href, text string }{{"#name", "Enter your name"}, {"#dob-day", "Enter your date of birth"}, {"#ward", "Select a <ward>"}}
	links.Each(func(i int, s *goquery.Selection) {
		wantAttr(t, s, "href", want[i].href)
		if got := s.Text(); got != want[i].text {
			t.Errorf("link %d text = %q", i, got)
		}
	})
	if strings.Contains(html, "<ward>") {
		t.Errorf("message not escaped")
	}
	// Not automatic: a date field without Anchor links to the field itself.
	var e2 Errors
	e2.Add("dob", "Enter your date of birth")
	d, _ = doc(t, ErrorSummary(e2))
	wantAttr(t, d.Find("a"), "href", "#dob")
}

func TestSummaryList(t *testing.T) {
	rows := []SummaryRow{
		{Key: "Name", Value: "Ada <Lovelace>", Actions: []Action{{Href: "/name", Text: "Change", VisuallyHidden: "name"}}},
		{Key: "Reference", Value: "CAP-123"},
		{Key: "Status", ValueHTML: Tag("Submitted", "blue"), Actions: []Action{{Href: "/a", Text: "Change", VisuallyHidden: "status"}, {Href: "/b", Text: "Withdraw"}}},
	}
	d, html := doc(t, SummaryList(rows))
	dl := wantCount(t, d, "dl.govuk-summary-list", 1)
	rs := dl.Children()
	if rs.Length() != 3 {
		t.Fatalf("rows = %d", rs.Length())
	}
	wantAttr(t, rs.Eq(0), "class", "govuk-summary-list__row")
	wantAttr(t, rs.Eq(1), "class", "govuk-summary-list__row govuk-summary-list__row--no-actions")
	wantAttr(t, rs.Eq(2), "class", "govuk-summary-list__row")
	if got := text(rs.Eq(0).Find("dt.govuk-summary-list__key")); got != "Name" {
		t.Errorf("key = %q", got)
	}
	if got := rs.Eq(0).Find("dd.govuk-summary-list__value").Text(); got != "Ada <Lovelace>" {
		t.Errorf("value = %q", got)
	}
	if strings.Contains(html, "<Lovelace>") {
		t.Error("value not escaped")
	}
	a := rs.Eq(0).Find("dd.govuk-summary-list__actions > a.govuk-link")
	wantAttr(t, a, "href", "/name")
	if got := a.Text(); got != "Change name" {
		t.Errorf("action text = %q", got)
	}
	if got := a.Find("span.govuk-visually-hidden").Text(); got != " name" {
		t.Errorf("visually hidden = %q", got)
	}
	wantCount(t, d, "div.govuk-summary-list__row:nth-child(2) dd.govuk-summary-list__actions", 0)
	// ValueHTML is used instead of Value.
	wantCount(t, d, "div.govuk-summary-list__row:nth-child(3) dd.govuk-summary-list__value > strong.govuk-tag.govuk-tag--blue", 1)
	items := rs.Eq(2).Find("dd.govuk-summary-list__actions ul.govuk-summary-list__actions-list li.govuk-summary-list__actions-list-item a")
	if items.Length() != 2 {
		t.Fatalf("multi actions = %d", items.Length())
	}
	if items.Eq(1).Find("span").Length() != 0 {
		t.Error("empty visually hidden span rendered")
	}

	// No row has actions: no modifier anywhere.
	d, _ = doc(t, SummaryList([]SummaryRow{{Key: "A", Value: "1"}, {Key: "B", Value: "2"}}))
	wantCount(t, d, ".govuk-summary-list__row--no-actions", 0)
	wantCount(t, d, ".govuk-summary-list__actions", 0)
}

func TestTable(t *testing.T) {
	d, _ := doc(t, Table(TableProps{
		Caption: "Payments",
		Head:    []TableHeader{{Text: "Month"}, {Text: "Amount", Numeric: true}},
		Rows: [][]TableCell{
			{{Text: "January", Header: true}, {Text: "£85", Numeric: true}},
			{{Text: "February", Header: true}, {HTML: Tag("Due", "orange")}},
		},
	}))
	wantAttr(t, d.Find("table"), "class", "govuk-table")
	cap := d.Find("caption")
	wantAttr(t, cap, "class", "govuk-table__caption govuk-table__caption--m")
	if cap.Text() != "Payments" {
		t.Errorf("caption = %q", cap.Text())
	}
	ths := wantCount(t, d, "thead.govuk-table__head tr.govuk-table__row th[scope=col]", 2)
	wantAttr(t, ths.Eq(1), "class", "govuk-table__header govuk-table__header--numeric")
	rowHeads := wantCount(t, d, "tbody.govuk-table__body th[scope=row].govuk-table__header", 2)
	if rowHeads.Eq(0).Text() != "January" {
		t.Errorf("row header = %q", rowHeads.Eq(0).Text())
	}
	wantAttr(t, d.Find("tbody td").Eq(0), "class", "govuk-table__cell govuk-table__cell--numeric")
	wantCount(t, d, "tbody tr:nth-child(2) td.govuk-table__cell > strong.govuk-tag--orange", 1)

	d, _ = doc(t, Table(TableProps{Caption: "Small", CaptionSize: "s", Rows: [][]TableCell{{{Text: "x"}}}}))
	wantAttr(t, d.Find("caption"), "class", "govuk-table__caption govuk-table__caption--s")
	wantCount(t, d, "thead", 0)
	wantCount(t, d, "th", 0)
	d, _ = doc(t, Table(TableProps{Rows: [][]TableCell{{{Text: "x"}}}}))
	wantCount(t, d, "caption", 0)
}

func TestTag(t *testing.T) {
	for _, c := range TagColours {
		d, _ := doc(t, Tag("Status", c))
		wantAttr(t, d.Find("strong"), "class", "govuk-tag govuk-tag--"+c)
	}
	d, _ := doc(t, Tag("<b>New</b>", ""))
	s := d.Find("strong")
	wantAttr(t, s, "class", "govuk-tag")
	if text(s) != "<b>New</b>" {
		t.Errorf("tag text = %q", text(s))
	}
	d, _ = doc(t, Tag("x", `red" onclick="x`))
	wantAttr(t, d.Find("strong"), "class", "govuk-tag")
}

func TestButton(t *testing.T) {
	d, _ := doc(t, Button(ButtonProps{Text: "Continue"}))
	b := wantCount(t, d, "button", 1)
	wantAttr(t, b, "type", "submit")
	wantAttr(t, b, "class", "govuk-button")
	wantAttr(t, b, "data-module", "govuk-button")
	wantNoAttr(t, b, "data-prevent-double-click")
	wantNoAttr(t, b, "name")
	wantNoAttr(t, b, "value")
	wantNoAttr(t, b, "id")
	wantNoAttr(t, b, "disabled")
	if text(b) != "Continue" {
		t.Errorf("text = %q", text(b))
	}

	d, _ = doc(t, Button(ButtonProps{Text: "Save draft", Type: "button", Name: "action", Value: "draft", Secondary: true, PreventDoubleClick: true, ID: "save-draft"}))
	b = d.Find("button")
	wantAttr(t, b, "type", "button")
	wantAttr(t, b, "class", "govuk-button govuk-button--secondary")
	wantAttr(t, b, "name", "action")
	wantAttr(t, b, "value", "draft")
	wantAttr(t, b, "id", "save-draft")
	wantAttr(t, b, "data-prevent-double-click", "true")

	d, _ = doc(t, Button(ButtonProps{Text: "Delete", Warning: true, Disabled: true}))
	wantAttr(t, d.Find("button"), "class", "govuk-button govuk-button--warning")
	wantAttr(t, d.Find("button"), "aria-disabled", "true")

	d, _ = doc(t, ButtonLink("/apply/start", "Start now", false))
	a := d.Find("a")
	wantAttr(t, a, "href", "/apply/start")
	wantAttr(t, a, "role", "button")
	wantAttr(t, a, "draggable", "false")
	wantAttr(t, a, "class", "govuk-button")
	wantAttr(t, a, "data-module", "govuk-button")
	d, _ = doc(t, ButtonLink("/back", "Cancel", true))
	wantAttr(t, d.Find("a"), "class", "govuk-button govuk-button--secondary")
}

func TestPaginationHidden(t *testing.T) {
	for name, p := range map[string]PaginationProps{
		"empty":       {},
		"single page": {Items: []PageItem{{Number: 1, Href: "?page=1", Current: true}}},
	} {
		if got := render(t, Pagination(p)); got != "" {
			t.Errorf("%s: rendered %q", name, got)
		}
	}
}

func TestPagination(t *testing.T) {
	d, _ := doc(t, Pagination(PaginationProps{
		PrevHref: "?page=1", NextHref: "?page=3",
		Items: []PageItem{{Number: 1, Href: "?page=1"}, {Number: 2, Href: "?page=2", Current: true}, {Ellipsis: true}, {Number: 10, Href: "?page=10"}},
	}))
	nav := wantCount(t, d, "nav", 1)
	wantAttr(t, nav, "class", "govuk-pagination")
	wantAttr(t, nav, "aria-label", "Pagination")
	prev := d.Find("div.govuk-pagination__prev a.govuk-link.govuk-pagination__link")
	wantAttr(t, prev, "href", "?page=1")
	wantAttr(t, prev, "rel", "prev")
	if text(prev) != "Previous page" {
		t.Errorf("prev text = %q", text(prev))
	}
	next := d.Find("div.govuk-pagination__next a")
	wantAttr(t, next, "rel", "next")
	if text(next) != "Next page" {
		t.Errorf("next text = %q", text(next))
	}
	wantCount(t, d, "svg[aria-hidden=true][focusable=false]", 2)
	lis := wantCount(t, d, "ul.govuk-pagination__list > li.govuk-pagination__item", 4)
	wantClass(t, lis.Eq(1), "govuk-pagination__item--current", true)
	wantClass(t, lis.Eq(0), "govuk-pagination__item--current", false)
	wantAttr(t, lis.Eq(1).Find("a"), "aria-current", "page")
	wantAttr(t, lis.Eq(1).Find("a"), "aria-label", "Page 2")
	wantNoAttr(t, lis.Eq(0).Find("a"), "aria-current")
	wantClass(t, lis.Eq(2), "govuk-pagination__item--ellipsis", true)
	if lis.Eq(2).Find("a").Length() != 0 || strings.TrimSpace(lis.Eq(2).Text()) != "⋯" {
		t.Errorf("ellipsis item = %q", lis.Eq(2).Text())
	}
	wantAttr(t, lis.Eq(3).Find("a"), "href", "?page=10")
	if text(lis.Eq(3).Find("a")) != "10" {
		t.Errorf("page number = %q", text(lis.Eq(3).Find("a")))
	}

	// Two pages without prev/next still show.
	d, _ = doc(t, Pagination(PaginationProps{Label: "Search results pages", Items: []PageItem{{Number: 1, Href: "?page=1", Current: true}, {Number: 2, Href: "?page=2"}}}))
	wantAttr(t, d.Find("nav"), "aria-label", "Search results pages")
	wantCount(t, d, ".govuk-pagination__prev, .govuk-pagination__next", 0)

	// Only next, no numbers: GOV.UK's block style.
	d, _ = doc(t, Pagination(PaginationProps{NextHref: "?page=2"}))
	wantAttr(t, d.Find("nav"), "class", "govuk-pagination govuk-pagination--block")
	wantClass(t, d.Find(".govuk-pagination__link-title"), "govuk-pagination__link-title--decorated", true)
	wantCount(t, d, "ul", 0)
}

func TestTaskList(t *testing.T) {
	d, _ := doc(t, TaskList([]TaskItem{
		{Title: "Your details", Href: "/details", Hint: "Name and address", Status: "Completed"},
		{Title: "Upload evidence", Href: "/evidence", Status: "Incomplete", StatusColour: "blue"},
		{Title: "Check answers", Status: "Cannot start yet"},
		{Title: "Declaration", Href: "/declare", Status: "Not yet started", StatusColour: "default", ID: "declaration"},
	}))
	lis := wantCount(t, d, "ul.govuk-task-list > li.govuk-task-list__item", 4)

	first := lis.Eq(0)
	wantClass(t, first, "govuk-task-list__item--with-link", true)
	a := first.Find(".govuk-task-list__name-and-hint a.govuk-link.govuk-task-list__link")
	wantAttr(t, a, "href", "/details")
	wantAttr(t, a, "aria-describedby", "task-list-1-hint task-list-1-status")
	wantAttr(t, first.Find(".govuk-task-list__hint"), "id", "task-list-1-hint")
	st := first.Find("div.govuk-task-list__status")
	wantAttr(t, st, "id", "task-list-1-status")
	if text(st) != "Completed" || st.Find("strong").Length() != 0 {
		t.Errorf("completed status = %q", text(st))
	}

	second := lis.Eq(1)
	wantAttr(t, second.Find("a"), "aria-describedby", "task-list-2-status")
	wantAttr(t, second.Find("#task-list-2-status > strong"), "class", "govuk-tag govuk-tag--blue")

	third := lis.Eq(2)
	wantClass(t, third, "govuk-task-list__item--with-link", false)
	if third.Find("a").Length() != 0 {
		t.Error("item that cannot start has a link")
	}
	wantAttr(t, third.Find(".govuk-task-list__status"), "class", "govuk-task-list__status govuk-task-list__status--cannot-start-yet")

	fourth := lis.Eq(3)
	wantAttr(t, fourth.Find("a"), "aria-describedby", "declaration-status")
	wantAttr(t, fourth.Find("#declaration-status > strong"), "class", "govuk-tag")
}

func TestTimeline(t *testing.T) {
	d, _ := doc(t, Timeline([]TimelineItem{
		{Title: "Application submitted", By: "Ada Lovelace", When: time.Date(2025, 9, 17, 13, 5, 0, 0, time.UTC), Description: "Reference <CAP-1>"},
		{Title: "Created", When: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)},
	}))
	items := wantCount(t, d, "div.moj-timeline > div.moj-timeline__item", 2)
	first := items.Eq(0)
	if text(first.Find(".moj-timeline__header > h2.moj-timeline__title")) != "Application submitted" {
		t.Error("title missing")
	}
	if got := text(first.Find("p.moj-timeline__byline")); got != "by Ada Lovelace" {
		t.Errorf("byline = %q", got)
	}
	tm := first.Find("p.moj-timeline__date > time")
	if got := tm.Text(); got != "17 September 2025 at 2:05pm" {
		t.Errorf("date = %q", got)
	}
	wantAttr(t, tm, "datetime", "2025-09-17T14:05:00+01:00")
	if got := first.Find("div.moj-timeline__description").Text(); got != "Reference <CAP-1>" {
		t.Errorf("description = %q", got)
	}
	if items.Eq(1).Find(".moj-timeline__byline").Length() != 0 {
		t.Error("empty byline rendered")
	}
	if got := items.Eq(1).Find("time").Text(); got != "2 January 2025 at 9:00am" {
		t.Errorf("winter date = %q", got)
	}
}

func TestNotificationBanner(t *testing.T) {
	d, _ := doc(t, NotificationBanner(NotificationBannerProps{Heading: "Your application is due in 3 days"}))
	b := wantCount(t, d, "div.govuk-notification-banner", 1)
	wantAttr(t, b, "class", "govuk-notification-banner")
	wantAttr(t, b, "role", "region")
	wantAttr(t, b, "data-module", "govuk-notification-banner")
	wantAttr(t, b, "aria-labelledby", "govuk-notification-banner-title")
	title := b.Find(".govuk-notification-banner__header h2.govuk-notification-banner__title#govuk-notification-banner-title")
	if text(title) != "Important" {
		t.Errorf("title = %q", text(title))
	}
	if got := text(b.Find(".govuk-notification-banner__content p.govuk-notification-banner__heading")); got != "Your application is due in 3 days" {
		t.Errorf("heading = %q", got)
	}

	d, _ = doc(t, NotificationBanner(NotificationBannerProps{Success: true, Heading: "Application sent", Body: "We have emailed you", TitleID: "done-title"}))
	b = d.Find("div.govuk-notification-banner")
	wantAttr(t, b, "class", "govuk-notification-banner govuk-notification-banner--success")
	wantAttr(t, b, "role", "alert")
	wantAttr(t, b, "aria-labelledby", "done-title")
	if text(d.Find("#done-title")) != "Success" {
		t.Errorf("success title = %q", text(d.Find("#done-title")))
	}
	if text(d.Find(".govuk-notification-banner__heading")) != "Application sent" || text(d.Find("p.govuk-body")) != "We have emailed you" {
		t.Error("content missing")
	}

	d, _ = doc(t, NotificationBanner(NotificationBannerProps{Success: true, Title: "Done", Heading: "x"}))
	if text(d.Find(".govuk-notification-banner__title")) != "Done" {
		t.Error("custom title ignored")
	}
}

func TestSmallComponents(t *testing.T) {
	d, _ := doc(t, InsetText("It can take up to 8 weeks"))
	if text(d.Find("div.govuk-inset-text")) != "It can take up to 8 weeks" {
		t.Error("inset text")
	}

	d, _ = doc(t, WarningText("You can be fined"))
	w := d.Find("div.govuk-warning-text")
	wantAttr(t, w.Find("span.govuk-warning-text__icon"), "aria-hidden", "true")
	if got := text(w.Find("strong.govuk-warning-text__text")); got != "Warning You can be fined" {
		t.Errorf("warning = %q", got)
	}
	if text(w.Find("strong span.govuk-visually-hidden")) != "Warning" {
		t.Error("warning fallback text")
	}

	d, _ = doc(t, BackLink("/dashboard", "Back to dashboard"))
	wantAttr(t, d.Find("a.govuk-back-link"), "href", "/dashboard")
	if text(d.Find("a")) != "Back to dashboard" {
		t.Error("back link text")
	}
	d, _ = doc(t, BackLink("", ""))
	wantAttr(t, d.Find("a.govuk-back-link"), "href", "#")
	if text(d.Find("a")) != "Back" {
		t.Error("back link default text")
	}
	d, _ = doc(t, BackLink("javascript:alert(1)", "Back"))
	if attr(t, d.Find("a"), "href") == "javascript:alert(1)" {
		t.Error("unsafe href not sanitised")
	}

	d, _ = doc(t, Details("Help with <this>", InsetText("Call us")))
	det := d.Find("details.govuk-details")
	if text(det.Find("summary.govuk-details__summary > span.govuk-details__summary-text")) != "Help with <this>" {
		t.Error("details summary")
	}
	wantCount(t, d, "details div.govuk-details__text > div.govuk-inset-text", 1)
	d, _ = doc(t, Details("Help", nil))
	wantCount(t, d, "div.govuk-details__text", 1)
}

// TestFormPageIDsUnique renders several fields together, as a page would, and
// checks the combined output still has unique ids and tied labels.
func TestFormPageIDsUnique(t *testing.T) {
	var errs Errors
	errs.Add("name", "Enter your name")
	errs.AddAt("dob", "dob-day", "Enter your date of birth")
	errs.Add("contact", "Select how to contact you")
	page := templ.Join(
		ErrorSummary(errs),
		TextInput(TextInputProps{Field: Field{Name: "name", Label: "Name", Error: errs.For("name")}}),
		DateInput(DateInputProps{NamePrefix: "dob", Legend: "Date of birth", Hint: "For example, 27 3 2007", Error: errs.For("dob")}),
		Radios(ChoiceProps{Name: "contact", Legend: "Contact", Error: errs.For("contact"), Items: choiceItems()}),
		Checkboxes(ChoiceProps{Name: "services", Legend: "Services", Items: choiceItems()}),
		Select(SelectProps{Field: Field{Name: "ward", Label: "Ward"}, Options: []Option{{Value: "a", Label: "A"}}}),
		Textarea(TextareaProps{Field: Field{Name: "more", Label: "More"}}),
		Button(ButtonProps{Text: "Continue", PreventDoubleClick: true}),
	)
	d, _ := doc(t, page)
	// Every error summary link lands on an element on the page.
	d.Find(".govuk-error-summary a").Each(func(_ int, s *goquery.Selection) {
		href := attr(t, s, "href")
		if d.Find(href).Length() != 1 {
			t.Errorf("summary link %s has no target", href)
		}
	})
	wantCount(t, d, ".govuk-form-group--error", 3)
}

func TestErrorsInOrderKeepsTheFirstProblemOfEachFieldInPageOrder(t *testing.T) {
	var e Errors
	e.Add("fee", "Enter the fee in pounds")
	e.AddAt("window-1-opens", "window-1-opens-day", "The opening date must be a real date")
	e.Add("name", "Enter the name")
	e.Add("fee", "A second problem with the fee")
	e.Add("other", "Not on the page list")
	got := e.InOrder([]string{"name", "fee", "window-1-opens"})
	want := Errors{{Field: "name", Message: "Enter the name"}, {Field: "fee", Message: "Enter the fee in pounds"},
		{Field: "window-1-opens", Message: "The opening date must be a real date", Anchor: "window-1-opens-day"},
		{Field: "other", Message: "Not on the page list"}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestOrgPossessive(t *testing.T) {
	for in, want := range map[string]string{"Ridgeway Motor Skills": "Ridgeway Motor Skills’", "Whitmore Park Academy": "Whitmore Park Academy’s"} {
		if got := OrgPossessive(in); got != want {
			t.Errorf("OrgPossessive(%q) = %q, want %q", in, got, want)
		}
	}
}
