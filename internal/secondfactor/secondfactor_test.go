package secondfactor

import (
	"strings"
	"testing"
	"time"
)

func TestASealedKeyOpensOnlyForItsUserAndKey(t *testing.T) {
	s := Store{}
	sealed, err := s.seal(7, "JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "JBSWY3DPEHPK3PXP") {
		t.Fatal("the key is readable in its sealed form")
	}
	if got, err := s.open(7, sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := s.open(8, sealed); err == nil {
		t.Error("a key copied to another user's row opened")
	}
	other := Store{Key: make([]byte, 32)}
	if _, err := other.open(7, sealed); err == nil {
		t.Error("a key opened under another portal key")
	}
}

func TestACodeMatchesTheStepBeforeNowAndAfterOnly(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	now := time.Unix(1_800_000_015, 0) // 15 seconds into a step
	step := now.Unix() / 30
	for _, c := range []struct {
		at   time.Time
		want int64
		ok   bool
	}{
		{now.Add(-30 * time.Second), step - 1, true},
		{now, step, true},
		{now.Add(30 * time.Second), step + 1, true},
		{now.Add(-60 * time.Second), 0, false},
		{now.Add(60 * time.Second), 0, false},
	} {
		code, err := CodeAt(secret, c.at)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := matchStep(secret, code, now)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("code for %s: step %d, %v; want %d, %v", c.at.Sub(now), got, ok, c.want, c.ok)
		}
	}
}

func TestCodesAreReadAsTyped(t *testing.T) {
	if got := normalise(" ABCDE-fghjk "); got != "abcdefghjk" {
		t.Errorf("recovery code: %q", got)
	}
	if !isAppCode(normalise("123 456")) || isAppCode("12345") || isAppCode("12345a") {
		t.Error("app codes misread")
	}
}
