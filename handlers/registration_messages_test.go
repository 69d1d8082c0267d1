package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

// TestRegistrationErrorsAreWrittenForPeopleNotInCodes: the review found
// "one of ngo, private_sector, …" and "a two-letter ISO 3166-1 country
// code" beside the form's menus. A person chose from a menu; the message
// says what to do.
func TestRegistrationErrorsAreWrittenForPeopleNotInCodes(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	for _, tc := range []struct {
		name, typ, country, ecosoc string
		want                       map[string]string
	}{
		{"nothing chosen", "", "", "", map[string]string{
			"organization.type": "Choose the type of your organization", "organization.country": "Choose a country"}},
		{"not in the lists", "lobby", "XX", "observer", map[string]string{
			"organization.type":          "Choose the type of your organization from the list",
			"organization.country":       "Choose a country from the list",
			"organization.ecosoc_status": "Choose a consultative status from the list"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := sampleRegistration("grace@example.org")
			org := reg["organization"].(map[string]any)
			org["type"], org["country"], org["ecosoc_status"] = tc.typ, tc.country, tc.ecosoc
			res := e.Anon().Do("POST", "/api/meetings/oewg-2019/registrations", reg)
			var body struct {
				Fields map[string]string `json:"fields"`
			}
			if err := json.Unmarshal(res.Body, &body); err != nil || res.Status != 422 {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
			for field, want := range tc.want {
				if body.Fields[field] != want {
					t.Errorf("%s: %q, want %q", field, body.Fields[field], want)
				}
			}
			for field, msg := range body.Fields {
				for _, code := range []string{"ISO", "ngo", "private_sector", "one of", "_"} {
					if strings.Contains(msg, code) {
						t.Errorf("%s speaks in codes: %q", field, msg)
					}
				}
			}
		})
	}
}
