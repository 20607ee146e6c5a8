package referral

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
)

func TestMissingAnswersAreAskedForInPlainSentences(t *testing.T) {
	today := calendar.NewDate(2026, time.November, 23)
	sec, _ := SectionByID("course", SectionConsents)
	got := map[string]string{}
	for _, e := range sec.Validate(Answers{"consent_date": "1900-01-01"}, today) {
		got[e.Field] = e.Message
	}
	want := map[string]string{
		"consent_parent": "Confirm that a parent or carer with parental responsibility agrees to this referral",
		"consent_name":   "Select who gave consent",
		"consent_date":   "The date consent was given must be within the last two years: ask the family to confirm their consent again",
	}
	for field, msg := range want {
		if got[field] != msg {
			t.Errorf("%s: %q, want %q", field, got[field], msg)
		}
	}
	needs, _ := SectionByID("course", SectionNeeds)
	for _, e := range needs.Validate(Answers{}, today) {
		if strings.HasPrefix(e.Message, "Enter describe") || strings.HasPrefix(e.Message, "Enter the describe") {
			t.Errorf("%s: %q", e.Field, e.Message)
		}
	}
}

// A percentage question without its range would take only 0: every one says what it accepts.
func TestEveryPercentQuestionSaysWhatItAccepts(t *testing.T) {
	for _, kind := range []directory.Kind{directory.Course, directory.Insight, directory.Flourish, directory.SupportedTransfer, directory.Refocus, directory.Focus11, directory.Year11Post16} {
		for _, sec := range Sections(kind) {
			for _, f := range sec.Fields {
				if f.Type == Percent && (f.Number.What == "" || f.Number.Max != 100 || f.Number.Example == "") {
					t.Errorf("%s %s: %+v", kind, f.Name, f.Number)
				}
			}
		}
	}
}

// The store keeps answers without hidden controls whatever the caller sends: a multi-line answer keeps
// its line breaks, a single-line one has none.
func TestCleanAnswersKeepsLinesOnlyInMultiLineAnswers(t *testing.T) {
	got := CleanAnswers("course", Answers{
		"needs":        "One\r\ntwo\u202E three",
		"consent_name": "Tanya\u202E\nBrown",
		"unknown":      "x\ny",
	})
	want := Answers{"needs": "One\ntwo three", "consent_name": "Tanya Brown", "unknown": "x y"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// A step's title in a notification's subject keeps the capitals of names and acronyms.
func TestLowerFirstKeepsNamesAndAcronyms(t *testing.T) {
	for in, want := range map[string]string{
		"Pack sent to the provider":        "pack sent to the provider",
		"Coventry AP Academy onboarding":   "Coventry AP Academy onboarding",
		"Multi-Agency Panel":               "Multi-Agency Panel",
		"Review and Authorisation Panel":   "Review and Authorisation Panel",
		"CAP exploring alternatives":       "CAP exploring alternatives",
		"Agreed by the Multi-Agency Panel": "agreed by the Multi-Agency Panel",
	} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
