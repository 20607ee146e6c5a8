package student_test

import (
	"errors"
	"testing"

	"github.com/coventry-cap/capportal/internal/student"
)

// The valid UPNs below had their check letters worked out by hand from the DfE rule (weights 2 to 13,
// sum modulo 23, letters without I, O and S), independently of the code under test.
// B801200005001 is also the example python-stdnum gives.
func TestParseUPNAcceptsPermanentUPNsWithTheRightCheckLetter(t *testing.T) {
	for _, in := range []string{"B801200005001", "L331410115001", "A331410115002", "D331410118007", "W331410125001", "H331410225003", "B331410325009"} {
		u, err := student.ParseUPN(in)
		if err != nil {
			t.Errorf("ParseUPN(%q): %v, want valid", in, err)
			continue
		}
		if u.Value != in || u.Temporary {
			t.Errorf("ParseUPN(%q) = %+v, want the same value, permanent", in, u)
		}
	}
}

func TestParseUPNNormalisesCaseAndSpaces(t *testing.T) {
	u, err := student.ParseUPN("  l331 4101 15001 ")
	if err != nil || u.Value != "L331410115001" {
		t.Fatalf("ParseUPN = %+v, %v; want L331410115001", u, err)
	}
}

func TestParseUPNAcceptsTemporaryUPNsAndMarksThem(t *testing.T) {
	for _, in := range []string{"G33141012500A", "N33141032500B"} {
		u, err := student.ParseUPN(in)
		if err != nil {
			t.Fatalf("ParseUPN(%q): %v, want a valid temporary UPN", in, err)
		}
		if !u.Temporary {
			t.Errorf("ParseUPN(%q).Temporary = false, want true", in)
		}
	}
}

func TestParseUPNRefusesProblemsWithASentence(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
		message  string
	}{
		{"wrong check letter", "A801200005001", student.ErrUPNCheckLetter, "The UPN’s check letter does not match: check it was typed correctly"},
		{"check letter of another UPN", "L331410115002", student.ErrUPNCheckLetter, ""},
		{"temporary with wrong check letter", "A33141012500A", student.ErrUPNCheckLetter, ""},
		{"too short", "B80120000500", student.ErrUPNLength, "Enter a UPN that is 13 characters long"},
		{"too long", "B8012000050011", student.ErrUPNLength, ""},
		{"empty", "  ", student.ErrUPNMissing, "Enter the student’s UPN"},
		{"letter in the middle", "B80120000A001", student.ErrUPNCharacters, ""},
		{"starts with a digit", "1801200005001", student.ErrUPNCharacters, ""},
		{"starts with I", "I801200005001", student.ErrUPNCharacters, ""},
		{"ends with O", "B80120000500O", student.ErrUPNCharacters, ""},
		{"punctuation", "B80120000500-", student.ErrUPNCharacters, ""},
		{"accented letter", "É801200005001", student.ErrUPNCharacters, ""},
		{"accented letter, 12 characters", "É80120000500", student.ErrUPNLength, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := student.ParseUPN(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseUPN(%q) = %v, want %v", tt.in, err, tt.want)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("message = %q, want %q", err.Error(), tt.message)
			}
		})
	}
}

func TestCheckLetterFollowsTheDfERule(t *testing.T) {
	for rest, want := range map[string]byte{"801200005001": 'B', "331410115001": 'L', "33141012500A": 'G', "33141032500B": 'N'} {
		got, ok := student.CheckLetter(rest)
		if !ok || got != want {
			t.Errorf("CheckLetter(%q) = %c, %v; want %c", rest, got, ok, want)
		}
	}
	if _, ok := student.CheckLetter("3314101150"); ok {
		t.Error("CheckLetter accepted 10 characters")
	}
	if _, ok := student.CheckLetter("3314A0115001"); ok {
		t.Error("CheckLetter accepted a letter before the last character")
	}
}
