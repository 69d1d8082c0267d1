package registration

import (
	"strings"
	"testing"

	"rostrum/apperr"
	"rostrum/models"
)

const (
	pending    = models.StatusPending
	approved   = models.StatusApproved
	rejected   = models.StatusRejected
	waitlisted = models.StatusWaitlisted
	withdrawn  = models.StatusWithdrawn
)

func TestEveryTransitionIsAllowedOrRefusedAsTheStateMachineSays(t *testing.T) {
	allowed := map[[2]string]bool{
		{pending, approved}: true, {pending, rejected}: true, {pending, waitlisted}: true,
		{waitlisted, pending}: true, {waitlisted, approved}: true, {waitlisted, rejected}: true,
		{pending, withdrawn}: true, {approved, withdrawn}: true, {waitlisted, withdrawn}: true, {rejected, withdrawn}: true,
	}
	for _, from := range models.RegistrationStatuses {
		for _, to := range models.RegistrationStatuses {
			err := CanTransition(from, to)
			if allowed[[2]string{from, to}] {
				if err != nil {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			if !apperr.Is(err, apperr.KindConflict) {
				t.Errorf("%s → %s: got %v, want a conflict", from, to, err)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, from) || !strings.Contains(msg, to) {
				t.Errorf("%s → %s: message %q does not name the transition", from, to, msg)
			}
		}
	}
}

func TestUnknownStateCannotBeWithdrawn(t *testing.T) {
	if err := CanTransition("archived", withdrawn); err == nil {
		t.Fatal("an unknown state was withdrawn")
	}
}

func TestDecisionsLeadToTheirStates(t *testing.T) {
	for d, want := range map[string]string{"approve": approved, "reject": rejected, "waitlist": waitlisted} {
		if got, err := TargetOf(d); err != nil || got != want {
			t.Errorf("%s → %q, %v", d, got, err)
		}
	}
	for _, d := range []string{"", "withdraw", "pending", "APPROVE"} {
		_, err := TargetOf(d)
		var ae *apperr.Error
		if !apperr.Is(err, apperr.KindInvalid) || !errorsAs(err, &ae) || ae.Fields["decision"] == "" {
			t.Errorf("decision %q: %v", d, err)
		}
	}
}

func errorsAs(err error, ae **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	*ae = e
	return ok
}

func TestSeatsDecideTheInitialStatus(t *testing.T) {
	cases := []struct {
		capacity, held int
		want           string
	}{
		{0, 0, pending}, {0, 10_000, pending}, {3, 0, pending}, {3, 2, pending}, {3, 3, waitlisted}, {3, 4, waitlisted},
	}
	for _, c := range cases {
		if got := (Seats{c.capacity, c.held}).InitialStatus(); got != c.want {
			t.Errorf("capacity %d held %d: %s, want %s", c.capacity, c.held, got, c.want)
		}
	}
}

func TestApprovingAWaitlistedRegistrationNeedsAFreeSeat(t *testing.T) {
	full := Seats{Capacity: 2, Held: 2}
	err := full.CheckMove(waitlisted, approved)
	if !apperr.Is(err, apperr.KindConflict) || !strings.Contains(err.Error(), "capacity") || !strings.Contains(err.Error(), "2 seats") {
		t.Fatalf("approving past capacity: %v", err)
	}
	if err := full.CheckMove(pending, approved); err != nil {
		t.Fatalf("a pending registration already holds its seat: %v", err)
	}
	if err := full.CheckMove(waitlisted, pending); err == nil {
		t.Fatal("a waitlisted registration took a seat of a full meeting")
	}
	if err := (Seats{Capacity: 2, Held: 1}).CheckMove(waitlisted, approved); err != nil {
		t.Fatal(err)
	}
	if err := (Seats{}).CheckMove(approved, rejected); !apperr.Is(err, apperr.KindConflict) {
		t.Fatalf("approved → rejected: %v", err)
	}
}

func TestOrganizationLimitNamesTheOrganizationAndTheLimit(t *testing.T) {
	if err := CheckOrganizationLimit("Access Now", 0, 50); err != nil {
		t.Fatal("no limit refused")
	}
	if err := CheckOrganizationLimit("Access Now", 2, 1); err != nil {
		t.Fatal(err)
	}
	err := CheckOrganizationLimit("Access Now", 2, 2)
	if !apperr.Is(err, apperr.KindConflict) || !strings.Contains(err.Error(), "Access Now") || !strings.Contains(err.Error(), "2 representatives") {
		t.Fatalf("got %v", err)
	}
}

func TestSeatHoldingAndActiveStates(t *testing.T) {
	for _, s := range models.RegistrationStatuses {
		wantSeat := s == pending || s == approved
		wantActive := wantSeat || s == waitlisted
		if HoldsSeat(s) != wantSeat || IsActive(s) != wantActive {
			t.Errorf("%s: seat %v active %v", s, HoldsSeat(s), IsActive(s))
		}
	}
}

func TestANewNameWaitsForTheSecretariatOnlyOnceApproved(t *testing.T) {
	want := map[string]bool{
		models.StatusPending: false, models.StatusWaitlisted: false, models.StatusRejected: false,
		models.StatusApproved: true, models.StatusWithdrawn: false,
	}
	for _, st := range models.RegistrationStatuses {
		if got := NameChangeNeedsApproval(st); got != want[st] {
			t.Errorf("%s: %v, want %v", st, got, want[st])
		}
	}
}
