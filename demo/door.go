package demo

import (
	"context"

	"rostrum/auth"
	"rostrum/models"
)

const demoRegistrarEmail = "registrar@rostrum.example"

// demoCheckIns checks participants in at the door, as the registrar
// would have on the first morning: everyone who has taken the floor, and
// three in four of the other approved participants (the rest have not
// come, which release-no-shows would then see). It does nothing when
// anyone is checked in already, and returns how many it checked in.
func (a *loader) demoCheckIns(ctx context.Context, m *models.Meeting, approved []models.Registration) (int, error) {
	att, err := a.Registrations.AttendanceOf(ctx, m.ID)
	if err != nil || att.CheckedIn > 0 {
		return 0, err
	}
	registrar, err := a.demoUser(ctx, demoRegistrarEmail)
	if err != nil {
		return 0, err
	}
	st, err := a.Live.State(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	spoke := map[uint]bool{}
	for _, it := range st.Items {
		for _, e := range it.Speakers {
			spoke[e.RegistrationID] = true
		}
	}
	n := 0
	for i, r := range approved {
		if !spoke[r.ID] && i%4 == 3 {
			continue
		}
		if _, err := a.Registrations.CheckInAt(ctx, auth.Actor{User: registrar}, m.ID, "", r.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
