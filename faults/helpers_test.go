package faults_test

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"rostrum/internal/testenv"
)

// meetingInput is a meeting open for registration.
func meetingInput(slug string, capacity, perOrg int) map[string]any {
	return map[string]any{
		"slug": slug, "title": "Informal intersessional consultative meeting",
		"venue": "UN Headquarters, Conference Room 1", "starts_at": "2030-12-02T10:00:00-05:00",
		"ends_at": "2030-12-04T18:00:00-05:00", "timezone": "America/New_York",
		"registration_closes_at": "2030-11-25T23:59:00-05:00", "capacity": capacity,
		"max_per_organization": perOrg, "attribution": "attributed",
	}
}

func createMeeting(t testing.TB, admin *testenv.Client, slug string, capacity, perOrg int) {
	t.Helper()
	admin.MustJSON("POST", "/api/meetings", meetingInput(slug, capacity, perOrg), 201, nil)
}

var regSeq int

// register registers a new person for slug and returns the answer.
func register(t testing.TB, e *testenv.Env, slug string) testenv.Registered {
	t.Helper()
	regSeq++
	var out testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/"+slug+"/registrations",
		testenv.RegistrationBody(fmt.Sprintf("Org %d", regSeq), fmt.Sprintf("Person %d", regSeq), fmt.Sprintf("p%d@example.org", regSeq)), 201, &out)
	return out
}

type errBody struct {
	Error  string            `json:"error"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }
