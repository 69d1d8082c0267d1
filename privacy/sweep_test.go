package privacy_test

import (
	"context"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/privacy"
)

// clock is a fake clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2040, 1, 1, 3, 0, 0, 0, time.UTC)} }
func sweeper(e *testenv.Env, instance string, c *clock) *privacy.Sweeper {
	return &privacy.Sweeper{DB: e.App.DB, Service: e.App.Privacy, Meetings: e.App.Meetings, Log: testenv.Logger(e.T),
		Interval: 24 * time.Hour, Lease: time.Hour, Instance: instance, Now: c.now}
}

func runs(t *testing.T, s *privacy.Sweeper) bool {
	t.Helper()
	ran, _, err := s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ran
}

func TestSweepRunsOnceAcrossInstancesAndOncePerInterval(t *testing.T) {
	e := testenv.New(t)
	c := newClock()
	a, b := sweeper(e, "a", c), sweeper(e, "b", c)
	if !runs(t, a) {
		t.Fatal("the first instance did not run the due sweep")
	}
	if runs(t, b) {
		t.Fatal("a second instance ran the sweep the first had run")
	}
	c.add(23 * time.Hour)
	if runs(t, a) || runs(t, b) {
		t.Fatal("the sweep ran again before its interval")
	}
	c.add(time.Hour)
	if !runs(t, b) {
		t.Fatal("the sweep did not run once its interval had passed")
	}
	if runs(t, a) {
		t.Fatal("the sweep ran twice in one interval")
	}
}

func TestAClaimWhoseRunDiedIsTakenOverAfterItsLease(t *testing.T) {
	e := testenv.New(t)
	c := newClock()
	a, b := sweeper(e, "a", c), sweeper(e, "b", c)
	mark, err := a.Claim(context.Background()) // a claims, then dies before finishing
	if err != nil || mark == "" {
		t.Fatalf("claim: %q %v", mark, err)
	}
	c.add(59 * time.Minute)
	if runs(t, b) {
		t.Fatal("another instance ran the sweep while the claim held")
	}
	c.add(time.Minute)
	if !runs(t, b) {
		t.Fatal("the sweep of a dead instance was not taken over after its lease")
	}
}

func TestARestartedInstanceDoesNotRunTheSweepAgain(t *testing.T) {
	e := testenv.New(t)
	c := newClock()
	if !runs(t, sweeper(e, "a", c)) {
		t.Fatal("the due sweep did not run")
	}
	c.add(time.Minute)
	if runs(t, sweeper(e, "a", c)) { // the same instance, started again
		t.Fatal("a restarted instance ran the sweep again within its interval")
	}
}

func TestRetentionEndsWholeDaysAfterTheMeetingEnds(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", map[string]any{
		"slug": "m", "title": "Informal consultative meeting", "starts_at": "2030-12-02T10:00:00-05:00",
		"ends_at": "2030-12-04T18:00:00-05:00", "timezone": "America/New_York",
		"registration_closes_at": "2030-11-25T23:59:00-05:00", "retention_days": 2,
	}, 201, nil)
	var r testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org"), 201, &r)
	ends := time.Date(2030, 12, 4, 23, 0, 0, 0, time.UTC)
	s := sweeper(e, "a", newClock())
	n, err := s.Sweep(context.Background(), ends.Add(48*time.Hour-time.Second))
	if err != nil || n != 0 {
		t.Fatalf("a second before retention ends: %d anonymized (%v)", n, err)
	}
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, nil)
	n, err = s.Sweep(context.Background(), ends.Add(48*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("when retention ends: %d anonymized (%v), want 1", n, err)
	}
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 401, nil)
	if n, _ := s.Sweep(context.Background(), ends.Add(72*time.Hour)); n != 0 {
		t.Fatalf("a registration was anonymized twice: %d", n)
	}
}
