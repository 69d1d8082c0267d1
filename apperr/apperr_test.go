package apperr

import (
	"errors"
	"testing"
)

func TestEveryKindHasItsOwnCode(t *testing.T) {
	seen := map[string]Kind{}
	for k := KindInvalid; k <= KindGone; k++ {
		c := Code(k)
		if c == "" || c == CodeInternal {
			t.Errorf("kind %d has no code", k)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("kinds %d and %d share the code %q", other, k, c)
		}
		seen[c] = k
	}
	if len(Kinds()) != len(seen) {
		t.Errorf("Kinds() lists %d kinds, want %d", len(Kinds()), len(seen))
	}
}

func TestAnErrorsOwnCodeComesBeforeItsKinds(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{NotFound("no such meeting"), "not_found"},
		{Conflict("the list is closed").WithCode("list_closed"), "list_closed"},
		{errors.New("disk full"), CodeInternal},
	} {
		if got := CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
