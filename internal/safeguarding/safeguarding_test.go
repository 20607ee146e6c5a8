package safeguarding

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

func TestEachKindAsksForWhatItsRecordMustHold(t *testing.T) {
	now := time.Date(2026, time.November, 23, 10, 0, 0, 0, calendar.London())
	today := calendar.DateOf(now)
	cases := []struct {
		kind Kind
		body Body
		want []string // the fields with a problem
	}{
		{Concern, Body{}, []string{"summary", "happened", "where", "raised_by", "immediate_action"}},
		{Concern, Body{Summary: "s", HappenedOn: today.AddDays(1), Where: "w", RaisedBy: "r", ImmediateAction: "a"}, []string{"happened"}},
		{Concern, Body{Summary: "s", HappenedOn: today, Where: "w", RaisedBy: "r", ImmediateAction: "a"}, nil},
		{Concern, Body{Summary: strings.Repeat("x", MaxText+1), HappenedOn: today, Where: "w", RaisedBy: "r", ImmediateAction: "a"}, []string{"summary"}},
		{Update, Body{}, []string{"text"}},
		{MASH, Body{}, []string{"made_by", "made"}},
		{CPOMS, Body{}, []string{"reference"}},
		{Police, Body{}, []string{"text"}},
		{Correction, Body{Text: "t"}, []string{"reason"}},
		{FIB, Body{MadeBy: "m", MadeOn: today}, nil},
		{CETool, Body{}, []string{"indicators"}},
		{CETool, Body{Indicators: []Indicator{{Code: "phones"}}}, []string{"evidence-phones"}},
		{CETool, Body{Indicators: []Indicator{{Code: "no-such", Evidence: "e"}}}, []string{"indicators"}},
		{CETool, Body{Indicators: []Indicator{{Code: "phones", Evidence: "two phones"}}}, nil},
	}
	for i, tc := range cases {
		var got []string
		for _, p := range tc.body.Problems(tc.kind, now) {
			got = append(got, p.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("case %d (%s): problems with %v, want %v", i, tc.kind, got, tc.want)
		}
	}
}

func TestOnlyWhatBelongsToARecordCanBeAddedToIt(t *testing.T) {
	for _, k := range []Kind{Concern, CETool, FIB} {
		for _, a := range Addable(k) {
			if a.IsRecord() {
				t.Errorf("%s can be added to a %s", a, k)
			}
		}
	}
	if len(Addable(Update)) != 0 {
		t.Error("entries can be added to an update")
	}
}

func TestEveryIndicatorHasAUniqueCodeInOneGroup(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range IndicatorGroups {
		if g.Title == "" || len(g.Indicators) == 0 {
			t.Errorf("group %q is empty", g.Title)
		}
		for _, in := range g.Indicators {
			if seen[in.Code] || in.Code == "" || in.Text == "" {
				t.Errorf("indicator %q repeated or blank", in.Code)
			}
			seen[in.Code] = true
			if GroupOf(in.Code) != g.Title {
				t.Errorf("indicator %q in %q", in.Code, GroupOf(in.Code))
			}
		}
	}
}
