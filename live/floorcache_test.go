package live

import (
	"context"
	"log/slog"
	"testing"

	"gorm.io/gorm"

	"rostrum/models"
)

// A command starts from the floor the meeting's last command left only
// while nothing else has changed the list: a change made by another
// instance on the same database (here a second Service) bumps the seq,
// and the next command reads the list again.
func TestACommandSeesChangesMadeByAnotherInstance(t *testing.T) {
	l := newLiveDB(t, NewLocalFeed())
	other := NewService(l.svc.DB, NewLocalFeed(), dbRegistry{}, slog.New(slog.DiscardHandler))
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	res, err := other.Do(context.Background(), l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[1]})
	if err != nil {
		t.Fatal(err)
	}
	// The first instance's last floor lacks this request.
	l.do(t, Command{Action: ActRemoveSpeaker, SpeakerID: res.Speaker.ID})
	var e models.SpeakerEntry
	if err := l.svc.DB.First(&e, res.Speaker.ID).Error; err != nil || e.State != models.SpeakerWithdrawn {
		t.Fatalf("the other instance's request: %+v, %v; want withdrawn", e, err)
	}
}

// An erasure changes the names on the list outside a command; the next
// command must not write the erased name back from the floor the
// command before it left.
func TestACommandAfterAnErasureKeepsTheNameErased(t *testing.T) {
	l := newLiveDB(t, NewLocalFeed())
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[1]})
	if err := l.svc.DB.Transaction(func(tx *gorm.DB) error {
		_, err := l.svc.Forget(tx, t0, l.meeting, l.regs[0], []string{"Ana"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	l.do(t, Command{Action: ActNext, ItemID: l.item}) // Ana's entry starts: it is written again
	var names []string
	if err := l.svc.DB.Model(&models.SpeakerEntry{}).Where("registration_id = ?", l.regs[0]).Pluck("name", &names).Error; err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "" {
		t.Fatalf("erased speaker's names on the list: %q, want one empty", names)
	}
}
