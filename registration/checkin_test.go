package registration

import (
	"strings"
	"testing"
)

func TestCheckinCodesAreTwentyCapitalsOrDigitsAndDoNotRepeat(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		c := NewCheckinCode()
		if len(c) != 20 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Fatalf("code %q", c)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice", c)
		}
		seen[c] = true
	}
}

func TestATypedCodeReadsAsTheScannedOne(t *testing.T) {
	if got := NormalizeCode(" abcd-EFGH ijkl\n"); got != "ABCDEFGHIJKL" {
		t.Fatalf("%q", got)
	}
}
