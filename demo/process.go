package demo

import (
	"context"
	"time"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
)

// The demo meeting belongs to a process: the Open-ended Working Group's
// sessions. Its second substantive session follows in February, open for
// registration, so that a representative of the December meeting can ask
// for the form pre-filled.

// ProcessSlug names the demo's process, SecondSessionSlug its second
// substantive session.
const (
	ProcessSlug       = "oewg-ict"
	SecondSessionSlug = "oewg-second-session"
)

// demoBody is the body the demo's meetings serve, and demoAcronym its
// acronym, which the Chair's summary defines at its first mention.
const (
	demoBody    = "Open-ended Working Group on developments in the field of information and telecommunications in the context of international security"
	demoAcronym = "OEWG"
)

// process returns the demo's process, creating it the first time.
func (a *loader) process(ctx context.Context) (*models.Process, error) {
	p, err := a.Meetings.ProcessBySlug(ctx, ProcessSlug)
	if !apperr.Is(err, apperr.KindNotFound) {
		return p, err
	}
	return a.Meetings.CreateProcess(ctx, meetings.ProcessInput{Slug: ProcessSlug, Title: demoBody, Acronym: demoAcronym})
}

// joinProcess puts m, made by a demo of before processes, into the
// process with its body named.
func (a *loader) joinProcess(ctx context.Context, m *models.Meeting) (*models.Meeting, error) {
	if m.ProcessID != nil {
		return m, nil
	}
	return a.Meetings.Edit(ctx, auth.Actor{}, m.Slug, func(in *meetings.Input) error {
		in.Process, in.Kind, in.Body, in.BodyAcronym = ProcessSlug, models.MeetingKindIntersessional, demoBody, demoAcronym
		return nil
	})
}

// secondSession makes sure the second substantive session exists: 10 to
// 14 February of the year after the demo meeting, as in 2020.
func (a *loader) secondSession(ctx context.Context, first *models.Meeting) (*models.Meeting, error) {
	m, err := a.Meetings.BySlug(ctx, SecondSessionSlug)
	if !apperr.Is(err, apperr.KindNotFound) {
		return m, err
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.UTC
	}
	year := first.StartsAt.In(ny).Year() + 1
	return a.Meetings.Create(ctx, meetings.Input{
		Slug:                 SecondSessionSlug,
		Title:                "Second substantive session of the OEWG (demo of the session of 10–14 February 2020)",
		Venue:                "United Nations Headquarters, New York, Conference Room 4",
		Chair:                "Ambassador Jürg Lauber (Switzerland)",
		StartsAt:             time.Date(year, 2, 10, 10, 0, 0, 0, ny).Format(time.RFC3339),
		EndsAt:               time.Date(year, 2, 14, 18, 0, 0, 0, ny).Format(time.RFC3339),
		Timezone:             "America/New_York",
		RegistrationClosesAt: time.Date(year, 2, 3, 23, 59, 0, 0, ny).Format(time.RFC3339),
		MaxPerOrganization:   demoPerOrg,
		Attribution:          models.AttributionChathamHouse,
		Body:                 demoBody,
		BodyAcronym:          demoAcronym,
		Process:              ProcessSlug,
		Kind:                 models.MeetingKindSubstantive,
	})
}
