package faults_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/serverproc"
	"rostrum/internal/testenv"
)

// startProcess starts the real server binary on its own SQLite file and
// kills it when the test ends.
func startProcess(t *testing.T, env ...string) *serverproc.Server {
	t.Helper()
	return startProcessOn(t, "", env...)
}

// startProcessOn is startProcess on the database db ("" for a fresh
// SQLite file).
func startProcessOn(t *testing.T, db string, env ...string) *serverproc.Server {
	t.Helper()
	env = append([]string{"ROSTRUM_SMTP_PORT=1"}, env...) // no mail server
	srv, err := serverproc.Start(context.Background(), serverproc.Config{Bin: rostrumBinary(t), Dir: t.TempDir(), DB: db, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Kill)
	return srv
}

func adminClient(t *testing.T, url string) *apiclient.Client {
	t.Helper()
	c := apiclient.New(url, 4)
	if err := c.Login(serverproc.AdminEmail, serverproc.AdminPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

type ackedRegistration struct {
	ID     uint
	Email  string
	Org    string
	Status string
}

type storedRegistration struct {
	ID           uint   `json:"id"`
	Status       string `json:"status"`
	Email        string `json:"email"`
	Organization struct {
		ID   uint   `json:"id"`
		Name string `json:"name"`
	} `json:"organization"`
}

// TestCrashDuringRegistrationRushLosesNoAnsweredRegistration kills the
// server with SIGKILL while 16 clients register at once, several times,
// and checks after each restart that every registration answered 201 is
// stored once with the state it was answered with, and that neither the
// seat limit nor the per-organization limit was exceeded.
func TestCrashDuringRegistrationRushLosesNoAnsweredRegistration(t *testing.T) {
	crashDuringRegistrationRush(t, "")
}

// The same on PostgreSQL (a fresh schema), when ROSTRUM_TEST_POSTGRES is set.
func TestCrashDuringRegistrationRushOnPostgreSQL(t *testing.T) {
	crashDuringRegistrationRush(t, testenv.PostgresDSN(t))
}

func crashDuringRegistrationRush(t *testing.T, db string) {
	const (
		rounds   = 5
		clients  = 16
		capacity = 40
		perOrg   = 2
		orgs     = 60
	)
	srv := startProcessOn(t, db)
	createMeetingAt(t, adminClient(t, srv.URL), "rush", capacity, perOrg)

	var (
		mu       sync.Mutex
		acked    = map[uint]ackedRegistration{}
		refused  int
		inFlight int // requests cut by the kill: stored or not, never answered
		seq      atomic.Int64
	)
	for round := 1; round <= rounds; round++ {
		client := apiclient.New(srv.URL, clients)
		ctx, stop := context.WithCancel(context.Background())
		killAfter := int64(10 + 3*round)
		var answered atomic.Int64
		enough := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					n := seq.Add(1)
					email := fmt.Sprintf("rush%d@example.org", n)
					org := fmt.Sprintf("Rush Organization %d", n*7%orgs)
					var out testenv.Registered
					status, err := client.Do("POST", "/api/meetings/rush/registrations", testenv.RegistrationBody(org, fmt.Sprintf("Person %d", n), email), &out)
					mu.Lock()
					var ae *apiclient.Error
					switch {
					case err == nil && status == 201:
						acked[out.ID] = ackedRegistration{ID: out.ID, Email: email, Org: org, Status: out.Status}
						if answered.Add(1) >= killAfter {
							once.Do(func() { close(enough) })
						}
					case errors.As(err, &ae) && ae.Status == 409:
						// Answers too: late rounds, with most organizations
						// full, are mostly refusals.
						refused++
						if answered.Add(1) >= killAfter {
							once.Do(func() { close(enough) })
						}
					case errors.As(err, &ae):
						mu.Unlock()
						t.Errorf("registration answered %d: %s", ae.Status, ae.Body)
						return
					default:
						inFlight++
					}
					mu.Unlock()
				}
			}()
		}
		select {
		case <-enough:
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: only %d registrations answered in 30s", round, answered.Load())
		}
		stop()
		srv.Kill() // SIGKILL in the middle of the rush
		wg.Wait()
		client.HTTP.CloseIdleConnections()
		if err := srv.Restart(context.Background()); err != nil {
			t.Fatalf("round %d: restart: %v", round, err)
		}
		checkRushSurvived(t, srv.URL, acked, capacity, perOrg)
		t.Logf("round %d: killed after %d answers; %d registrations answered 201 in all, %d refused by the limits, %d cut by the kill",
			round, answered.Load(), len(acked), refused, inFlight)
	}
	if refused == 0 {
		t.Error("no registration was refused by the per-organization limit: the test did not exercise it")
	}
	t.Logf("FIGURE crash-registration rounds=%d answered=%d", rounds, len(acked))
}

func createMeetingAt(t *testing.T, admin *apiclient.Client, slug string, capacity, perOrg int) {
	t.Helper()
	if _, err := admin.Do("POST", "/api/meetings", meetingInput(slug, capacity, perOrg), nil); err != nil {
		t.Fatal(err)
	}
}

func checkRushSurvived(t *testing.T, url string, acked map[uint]ackedRegistration, capacity, perOrg int) {
	t.Helper()
	var list struct {
		Registrations []storedRegistration `json:"registrations"`
		Total         int                  `json:"total"`
	}
	if _, err := adminClient(t, url).Do("GET", "/api/meetings/rush/registrations?limit=5000", nil, &list); err != nil {
		t.Fatal(err)
	}
	byID := map[uint]storedRegistration{}
	byEmail := map[string]int{}
	seats, perOrgCount := 0, map[uint]int{}
	for _, r := range list.Registrations {
		if _, dup := byID[r.ID]; dup {
			t.Errorf("registration %d listed twice", r.ID)
		}
		byID[r.ID] = r
		byEmail[r.Email]++
		switch r.Status {
		case "pending", "approved":
			seats++
			perOrgCount[r.Organization.ID]++
		case "waitlisted":
			perOrgCount[r.Organization.ID]++
		}
	}
	for id, a := range acked {
		r, ok := byID[id]
		switch {
		case !ok:
			t.Errorf("registration %d (%s) was answered 201 but is gone after the crash", id, a.Email)
		case r.Email != a.Email || r.Status != a.Status || r.Organization.Name != a.Org:
			t.Errorf("registration %d: stored %s %s %q, answered %s %s %q", id, r.Email, r.Status, r.Organization.Name, a.Email, a.Status, a.Org)
		}
	}
	for email, n := range byEmail {
		if n > 1 {
			t.Errorf("%s is registered %d times", email, n)
		}
	}
	if seats > capacity {
		t.Errorf("%d pending or approved registrations for %d seats", seats, capacity)
	}
	for org, n := range perOrgCount {
		if n > perOrg {
			t.Errorf("organization %d has %d active representatives, limit %d", org, n, perOrg)
		}
	}
}
