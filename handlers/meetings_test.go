package handlers_test

import (
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

func meetingInput(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "title": "Informal intersessional consultative meeting",
		"venue": "UN Headquarters, Conference Room 1", "starts_at": "2030-12-02T10:00:00-05:00",
		"ends_at": "2030-12-04T18:00:00-05:00", "timezone": "America/New_York",
		"registration_closes_at": "2030-11-25T23:59:00-05:00", "capacity": 0,
		"max_per_organization": 0, "attribution": "chatham_house",
	}
}

func TestHealthzAnswersWhileDatabaseAnswers(t *testing.T) {
	e := testenv.New(t)
	e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
}

func TestLoginWrongPasswordIs401(t *testing.T) {
	e := testenv.New(t)
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": testenv.AdminEmail, "password": "nope"}, 401, nil)
}

func TestCreateMeetingNeedsAdminAndCSRF(t *testing.T) {
	e := testenv.New(t)
	in := meetingInput("oewg-2019")
	e.Anon().MustJSON("POST", "/api/meetings", in, 401, nil)
	e.Staff(models.RoleModerator).MustJSON("POST", "/api/meetings", in, 403, nil)
	e.Staff(models.RoleRapporteur).MustJSON("POST", "/api/meetings", in, 403, nil)
	admin := e.Admin()
	noCSRF := *admin
	noCSRF.CSRF = ""
	noCSRF.MustJSON("POST", "/api/meetings", in, 403, nil)
	var m struct {
		Slug   string           `json:"slug"`
		Counts map[string]int64 `json:"counts"`
	}
	admin.MustJSON("POST", "/api/meetings", in, 201, &m)
	if m.Slug != "oewg-2019" {
		t.Fatalf("slug %q", m.Slug)
	}
	admin.MustJSON("POST", "/api/meetings", in, 422, nil) // slug taken
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2019", nil, 200, &m)
	if _, ok := m.Counts["waitlisted"]; !ok {
		t.Fatalf("counts lack states: %v", m.Counts)
	}
	e.Anon().MustJSON("GET", "/api/meetings/nope", nil, 404, nil)
}

func TestAgendaItemsKeepTheirOrder(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", meetingInput("m"), 201, nil)
	for _, title := range []string{"Existing and potential threats", "International law"} {
		admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": title, "speaking_time_seconds": 180}, 201, nil)
	}
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": ""}, 422, nil)
	var out struct {
		Items []models.AgendaItem `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/m/agenda", nil, 200, &out)
	if len(out.Items) != 2 || out.Items[0].Title != "Existing and potential threats" || out.Items[1].Position != 2 {
		t.Fatalf("agenda %+v", out.Items)
	}
}
