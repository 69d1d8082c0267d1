package live

import (
	"testing"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/models"
)

// A participant acts on the list only while their registration is
// approved: one withdrawn, rejected or waitlisted after they joined the
// list (a websocket opened before the decision) asks for nothing and
// withdraws nothing.
func TestParticipantWhoseRegistrationIsNoLongerApprovedRunsNoCommand(t *testing.T) {
	for _, status := range []string{models.StatusApproved, models.StatusWithdrawn, models.StatusRejected,
		models.StatusWaitlisted, models.StatusPending} {
		for _, action := range []string{ActAddSpeaker, ActRemoveSpeaker} {
			a := auth.Actor{Registration: &models.Registration{ID: 7, MeetingID: 1, Status: status}}
			cmd := Command{Action: action, ItemID: 10, SpeakerID: 3}
			err := authorize(a, 1, &cmd)
			if status == models.StatusApproved {
				if err != nil {
					t.Errorf("approved participant, %s: %v", action, err)
				}
				continue
			}
			if apperr.KindOf(err) != apperr.KindConflict || err.(*apperr.Error).Code != CodeNotApproved {
				t.Errorf("%s participant, %s: got %v, want conflict %s", status, action, err, CodeNotApproved)
			}
		}
	}
}
