// Package door is what the registration desk prints: the participants'
// badges (with their check-in QR codes) and the list of participants. It
// owns no table: it asks registration for the approved participants
// (Participants, which app wires to registration.Service) and draws with
// the Chair's summary's fonts, fallback and Arabic shaping (summary.Fonts,
// summary.PDFText) and its document renderers (summary.Render).
package door

import (
	"context"

	"rostrum/models"
)

// Participants is what the door asks of registration: the meeting's
// approved registrations, each with its organization.
type Participants interface {
	Approved(ctx context.Context, meetingID uint) ([]models.Registration, error)
}
