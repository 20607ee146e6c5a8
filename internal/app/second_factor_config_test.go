package app

import (
	"strings"
	"testing"
)

func TestProductionRefusesTheOptionalSecondFactor(t *testing.T) {
	base := map[string]string{
		"DATABASE_URL":          "postgres://cap@db/capportal",
		"CAP_BASE_URL":          "https://cap.coventry.gov.uk",
		"CAP_ENV":               "production",
		"CAP_SECOND_FACTOR_KEY": strings.Repeat("ab", 32),
	}
	c, err := LoadConfig(env(base))
	if err != nil || c.SecondFactor.Optional || len(c.SecondFactor.Key) != 32 {
		t.Fatalf("production with the default: %+v, %v", c.SecondFactor, err)
	}
	base["CAP_SECOND_FACTOR"] = "optional"
	if _, err := LoadConfig(env(base)); err == nil || !strings.Contains(err.Error(), "CAP_SECOND_FACTOR=optional is for demonstrations only and is refused when CAP_ENV is production") {
		t.Fatalf("production with the second factor optional: %v", err)
	}
	delete(base, "CAP_SECOND_FACTOR")
	delete(base, "CAP_SECOND_FACTOR_KEY")
	if _, err := LoadConfig(env(base)); err == nil || !strings.Contains(err.Error(), "CAP_SECOND_FACTOR_KEY must be set when CAP_ENV is production") {
		t.Fatalf("production without a key: %v", err)
	}
	dev := map[string]string{"DATABASE_URL": "postgres://cap@db/capportal", "CAP_SECOND_FACTOR": "Optional"}
	if c, err := LoadConfig(env(dev)); err != nil || !c.SecondFactor.Optional || c.SecondFactor.Key != nil {
		t.Fatalf("development with the second factor optional: %+v, %v", c.SecondFactor, err)
	}
	dev["CAP_SECOND_FACTOR"] = "sometimes"
	if _, err := LoadConfig(env(dev)); err == nil || !strings.Contains(err.Error(), `CAP_SECOND_FACTOR "sometimes" must be required`) {
		t.Fatalf("an unknown setting: %v", err)
	}
}
