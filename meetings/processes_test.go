package meetings

import (
	"errors"
	"testing"

	"rostrum/apperr"
	"rostrum/models"
)

func validInput() Input {
	return Input{Slug: "m", Title: "Second substantive session", StartsAt: "2030-02-10T10:00", EndsAt: "2030-02-14T18:00",
		RegistrationClosesAt: "2030-02-03T23:59", Timezone: "America/New_York"}
}

// fieldOf is the message on field of err, "" when none.
func fieldOf(err error, field string) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field]
}

func TestAMeetingsKindDefaultsToMeetingAndMustBeKnown(t *testing.T) {
	m, err := validInput().Validate()
	if err != nil || m.Kind != models.MeetingKindOther {
		t.Fatalf("default kind: %v %v", m, err)
	}
	in := validInput()
	in.Kind = "plenary"
	if _, err := in.Validate(); fieldOf(err, "kind") == "" {
		t.Fatalf("an unknown kind: %v", err)
	}
}

func TestABodysAcronymNeedsTheFullName(t *testing.T) {
	in := validInput()
	in.BodyAcronym = "OEWG"
	if _, err := in.Validate(); fieldOf(err, "body_acronym") == "" {
		t.Fatalf("an acronym without the body: %v", err)
	}
	in.Body = "  Open-ended Working Group on ICTs "
	m, err := in.Validate()
	if err != nil || m.Body != "Open-ended Working Group on ICTs" || m.BodyAcronym != "OEWG" {
		t.Fatalf("%+v %v", m, err)
	}
	in.Body = "Group\u202E"
	if _, err := in.Validate(); fieldOf(err, "body") == "" {
		t.Fatalf("a body with a bidi control: %v", err)
	}
}

func TestAProcessNeedsASlugAndATitle(t *testing.T) {
	if _, err := (ProcessInput{Slug: "Bad Slug"}).Validate(); fieldOf(err, "slug") == "" || fieldOf(err, "title") == "" {
		t.Fatalf("%v", err)
	}
	p, err := ProcessInput{Slug: "oewg", Title: " OEWG on ICTs ", Acronym: "OEWG"}.Validate()
	if err != nil || p.Title != "OEWG on ICTs" {
		t.Fatalf("%+v %v", p, err)
	}
}
