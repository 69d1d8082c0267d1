package handlers_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

type errorBody struct {
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

func TestMeetingEditChangesTheFieldsItNamesAndIsValidatedAsOnCreate(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", meetingInput("m"), 201, nil)
	edit := map[string]any{"title": "Second informal meeting", "venue": "Conference Room 4", "capacity": 50}
	e.Anon().MustJSON("PATCH", "/api/meetings/m", edit, 401, nil)
	e.Staff(models.RoleModerator).MustJSON("PATCH", "/api/meetings/m", edit, 403, nil)
	var got models.Meeting
	admin.MustJSON("PATCH", "/api/meetings/m", edit, 200, &got)
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, &got)
	if got.Title != "Second informal meeting" || got.Venue != "Conference Room 4" || got.Capacity != 50 ||
		got.Timezone != "America/New_York" || got.Attribution != models.AttributionChathamHouse {
		t.Fatalf("after the edit: %+v", got)
	}
	for name, bad := range map[string]map[string]any{
		"ends before it starts": {"ends_at": "2030-12-01T10:00:00-05:00"},
		"unknown time zone":     {"timezone": "Mars/Olympus"},
		"empty title":           {"title": " "},
		"bidi in the chair":     {"chair": "Chair\u202e"},
		"new slug":              {"slug": "other"},
		"negative capacity":     {"capacity": -1},
	} {
		if res := admin.Do("PATCH", "/api/meetings/m", bad); res.Status != 422 {
			t.Errorf("%s: status %d, want 422", name, res.Status)
		}
	}
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"seats": 3}, 400, nil) // unknown field
	admin.MustJSON("PATCH", "/api/meetings/nope", edit, 404, nil)
}

func TestLimitsCannotDropBelowWhatIsHeld(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	for i, org := range []string{"Org A", "Org A", "Org B"} {
		mustRegister(t, e, "m", testenv.RegistrationBody(org, "P", fmt.Sprintf("p%d@example.org", i)))
	}
	admin := e.Admin()
	var eb errorBody
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"capacity": 2}, 409, &eb)
	if eb.Code != "below_held" || eb.Fields["capacity"] == "" {
		t.Fatalf("capacity below held: %+v", eb)
	}
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"max_per_organization": 1}, 409, &eb)
	if eb.Code != "below_held" || eb.Fields["max_per_organization"] == "" {
		t.Fatalf("limit below held: %+v", eb)
	}
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"capacity": 3, "max_per_organization": 2}, 200, nil)
	// The new limits hold for the next registrations.
	var r testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("Org C", "P", "p9@example.org"), 201, &r)
	if r.Status != models.StatusWaitlisted {
		t.Fatalf("registration past the new capacity is %s", r.Status)
	}
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("Org A", "P", "p10@example.org"), 409, nil)
	// No limit is never below what is held.
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"capacity": 0, "max_per_organization": 0}, 200, nil)
}

func TestCapacityCannotDropBelowHeldWhileRegistrationsRace(t *testing.T) {
	capacityRace(t, testenv.New(t))
}

func TestCapacityCannotDropBelowHeldWhileRegistrationsRaceOnPostgres(t *testing.T) {
	capacityRace(t, testenv.New(t, testenv.WithDB(testenv.PostgresDSN(t))))
}

// While registrations come in, the secretariat flips the capacity between
// no limit and 20: a drop to 20 may only commit while at most 20 seats are
// held, so whenever 20 is the capacity, at most 20 registrations hold a
// seat, however the two interleave.
func capacityRace(t *testing.T, e *testenv.Env) {
	const n, capacity = 150, 20
	registrationMeeting(t, e, "race", 0, 0)
	admin := e.Admin()
	var done atomic.Bool
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := e.Anon().Do("POST", "/api/meetings/race/registrations", testenv.RegistrationBody(fmt.Sprintf("Org %02d", i), "P", fmt.Sprintf("p%02d@example.org", i)))
			if res.Status != 201 {
				t.Errorf("registration %d: status %d", i, res.Status)
			}
		}()
	}
	drops := 0
	flips := make(chan struct{})
	go func() {
		defer close(flips)
		for !done.Load() {
			admin.MustJSON("PATCH", "/api/meetings/race", map[string]any{"capacity": 0}, 200, nil)
			switch res := admin.Do("PATCH", "/api/meetings/race", map[string]any{"capacity": capacity}); res.Status {
			case 200:
				drops++
				if held := heldSeats(t, e, "race"); held > capacity {
					t.Errorf("capacity %d with %d seats held", capacity, held)
				}
			case 409:
			default:
				t.Errorf("drop: status %d", res.Status)
			}
		}
	}()
	close(start)
	wg.Wait()
	done.Store(true)
	<-flips
	res := admin.Do("PATCH", "/api/meetings/race", map[string]any{"capacity": capacity})
	held := heldSeats(t, e, "race")
	if (res.Status == 200) != (held <= capacity) {
		t.Fatalf("drop to %d answered %d with %d seats held", capacity, res.Status, held)
	}
	t.Logf("%d drops committed during the race; %d seats held", drops, held)
}

// heldSeats counts the meeting's pending and approved registrations,
// and fails when the capacity is below them.
func heldSeats(t *testing.T, e *testenv.Env, slug string) int {
	t.Helper()
	var m struct {
		Capacity int              `json:"capacity"`
		Counts   map[string]int64 `json:"counts"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/"+slug, nil, 200, &m)
	held := int(m.Counts[models.StatusPending] + m.Counts[models.StatusApproved])
	if m.Capacity > 0 && held > m.Capacity {
		t.Errorf("capacity %d below %d held seats", m.Capacity, held)
	}
	return held
}
