package referral_test

import (
	"strconv"
	"testing"

	"github.com/coventry-cap/capportal/internal/referral"
)

// FuzzParseKey: a key is a reference or draft-N with N positive and written plainly, nothing else.
func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"CAP-2627-00042", "draft-17", "draft-0", "draft--1", "draft-017", "draft-+17",
		"draft-99999999999999999999", "CAP-2627-0004x", "cap-2627-00042", "<script>", "draft-17\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, id, ok := referral.ParseKey(s)
		switch {
		case !ok:
			if ref != "" || id != 0 {
				t.Fatalf("ParseKey(%q) refused but returned %q, %d", s, ref, id)
			}
		case ref != "":
			if id != 0 || ref != s || !referral.ReferenceOK(ref) {
				t.Fatalf("ParseKey(%q) = %q, %d", s, ref, id)
			}
		default:
			if id <= 0 || "draft-"+strconv.FormatInt(id, 10) != s {
				t.Fatalf("ParseKey(%q) = draft %d", s, id)
			}
		}
	})
}
