package summary

import (
	"testing"

	"rostrum/apperr"
	"rostrum/models"
)

// The whole life of a version, as a table: what each stage allows.
func TestSummaryLifecycle(t *testing.T) {
	type allows struct{ edit, approve, circulate, frozen, public bool }
	for _, c := range []struct {
		state string
		want  allows
		codes [3]string // the error codes of edit, approve, circulate when refused
	}{
		{models.SummaryDraft, allows{edit: true, approve: true}, [3]string{"", "", "not_approved"}},
		{models.SummaryApproved, allows{circulate: true, frozen: true}, [3]string{"version_frozen", "not_draft", ""}},
		{models.SummaryCirculated, allows{frozen: true, public: true}, [3]string{"version_frozen", "not_draft", "already_circulated"}},
	} {
		s := Stage{Number: 2, State: c.state}
		for i, got := range []error{s.Editable(), s.Approvable(), s.Circulable()} {
			want := []bool{c.want.edit, c.want.approve, c.want.circulate}[i]
			if (got == nil) != want {
				t.Errorf("%s: rule %d allowed=%v, want %v", c.state, i, got == nil, want)
			}
			if got != nil {
				var ae *apperr.Error
				if !asAppErr(got, &ae) || ae.Kind != apperr.KindConflict || ae.Code != c.codes[i] {
					t.Errorf("%s: rule %d refused with %v, want conflict %s", c.state, i, got, c.codes[i])
				}
			}
		}
		if s.Frozen() != c.want.frozen || s.Public() != c.want.public {
			t.Errorf("%s: frozen %v public %v, want %v %v", c.state, s.Frozen(), s.Public(), c.want.frozen, c.want.public)
		}
	}
	// The transitions, in order, and no other.
	s := Stage{Number: 1, State: models.SummaryDraft}
	if next, err := s.Next("approve"); err != nil || next != models.SummaryApproved {
		t.Fatalf("approve a draft: %s %v", next, err)
	}
	if _, err := s.Next("circulate"); err == nil {
		t.Fatal("a draft was circulated")
	}
	s.State = models.SummaryApproved
	if next, err := s.Next("circulate"); err != nil || next != models.SummaryCirculated {
		t.Fatalf("circulate an approved version: %s %v", next, err)
	}
	if _, err := s.Next("publish"); err == nil {
		t.Fatal("an unknown action passed")
	}
}
