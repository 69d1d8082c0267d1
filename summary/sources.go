package summary

import (
	"context"

	"rostrum/live"
	"rostrum/models"
)

// What a summary is drafted from lives in other rooms: the agenda in
// meetings, the interventions and their speaking time in live, the
// participants and their organizations in registration. The summary
// declares here what it asks of each; app hands it the owners.

// Agenda lists a meeting's agenda in order (meetings.Service).
type Agenda interface {
	Items(ctx context.Context, meetingID uint) ([]models.AgendaItem, error)
}

// Registry is what the summary asks of the registrations
// (registration.Service): the organizations of registrations, and the
// approved participants, who are the summary's recipients and whose
// organizations its annex lists.
type Registry interface {
	OrganizationsOf(ctx context.Context, registrationIDs []uint) (map[uint]models.Organization, error)
	Approved(ctx context.Context, meetingID uint) ([]models.Registration, error)
}

// Attendance is who was checked in at the meeting's door
// (registration.Service): none when nobody was.
type Attendance interface {
	Attended(ctx context.Context, meetingID uint) ([]models.Registration, error)
}

// LiveList lists a meeting's interventions with their speaking time
// (live.Service).
type LiveList interface {
	Interventions(ctx context.Context, meetingID uint) ([]live.Intervention, error)
}

// FromLive is Speakers on the live list, with each speaker's country
// from their organization's record.
type FromLive struct {
	Live     LiveList
	Registry Registry
}

// SpeakerEntries implements Speakers.
func (f FromLive) SpeakerEntries(ctx context.Context, meetingID uint) ([]SpeakerEntry, error) {
	ivs, err := f.Live.Interventions(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	var ids []uint
	for _, iv := range ivs {
		if iv.RegistrationID != 0 {
			ids = append(ids, iv.RegistrationID)
		}
	}
	orgs, err := f.Registry.OrganizationsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]SpeakerEntry, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, SpeakerEntry{ID: iv.ID, AgendaItemID: iv.AgendaItemID, Kind: iv.Kind, State: iv.State,
			StartedAt: iv.StartedAt, EndedAt: iv.EndedAt, SpeakingTime: iv.SpeakingTime,
			Organization: Organization{Name: iv.Organization, Type: iv.StakeholderType, Country: orgs[iv.RegistrationID].Country}})
	}
	return out, nil
}
