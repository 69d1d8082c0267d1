package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"rostrum/internal/apiclient"
)

// RushConfig sizes a registration rush.
type RushConfig struct {
	Clients       int
	Duration      time.Duration
	Capacity      int
	MaxPerOrg     int
	Organizations int
}

// createMeeting creates a meeting open for registration and returns its slug.
func createMeeting(admin *apiclient.Client, prefix string, capacity, maxPerOrg int, attribution string) (string, error) {
	slug := fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	now := time.Now().UTC()
	_, err := admin.Do("POST", "/api/meetings", map[string]any{
		"slug": slug, "title": "Load test: " + prefix, "venue": "Conference Room 1",
		"starts_at": now.Add(24 * time.Hour).Format(time.RFC3339), "ends_at": now.Add(72 * time.Hour).Format(time.RFC3339),
		"timezone": "UTC", "registration_closes_at": now.Add(23 * time.Hour).Format(time.RFC3339),
		"capacity": capacity, "max_per_organization": maxPerOrg, "attribution": attribution,
	}, nil)
	return slug, err
}

var orgTypes = []string{"ngo", "private_sector", "academia", "technical_community", "intergovernmental", "other"}

// registrationBody is a valid registration for person i of organization org.
func registrationBody(run string, i, org int) map[string]any {
	return map[string]any{
		"organization": map[string]any{
			"name": fmt.Sprintf("Load Organization %d", org), "acronym": fmt.Sprintf("LO%d", org),
			"type": orgTypes[org%len(orgTypes)], "country": "CH", "website": fmt.Sprintf("https://org%d.example.org", org),
			"ecosoc_status": "none",
		},
		"name": fmt.Sprintf("Participant %d", i), "email": fmt.Sprintf("p%d.%s@example.org", i, run),
		"job_title": "Policy officer", "consent": true,
	}
}

// registrationsPerAddress stays under the shipped registration_rate_limit
// (20 a minute from one address).
const registrationsPerAddress = 10

// Rush runs C clients registering for T seconds against one meeting with
// limits, then checks that the limits held and that every 201 is stored.
func Rush(ctx context.Context, srv *Server, cfg RushConfig) (*Table, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	slug, err := createMeeting(admin, "rush", cfg.Capacity, cfg.MaxPerOrg, "chatham_house")
	if err != nil {
		return nil, fmt.Errorf("create meeting: %w", err)
	}
	var (
		lat      Latencies
		next     atomic.Int64
		mu       sync.Mutex
		byStatus = map[int]int{}
		created  = map[uint]bool{}
		netErrs  atomic.Int64
	)
	before, _ := ReadProc(srv.PID)
	start := time.Now()
	stop := Progress(time.Second, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("rush: %5.1fs  %6d requests  %6d created", time.Since(start).Seconds(), next.Load(), len(created))
	})
	deadline := start.Add(cfg.Duration)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A client stands for many people registering from their own
			// addresses: it moves to a new one before the shipped
			// throttle (registration_rate_limit) would stop it.
			client := apiclient.New(srv.URL, 1)
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				if n%registrationsPerAddress == 0 {
					client.Reconnect()
				}
				i := int(next.Add(1))
				var out struct {
					ID uint `json:"id"`
				}
				t0 := time.Now()
				status, err := client.Do("POST", "/api/meetings/"+slug+"/registrations", registrationBody(slug, i, i%cfg.Organizations), &out)
				lat.Add(time.Since(t0))
				var apiErr *apiclient.Error
				if err != nil && !errors.As(err, &apiErr) {
					netErrs.Add(1)
					continue
				}
				mu.Lock()
				byStatus[status]++
				if status == 201 {
					created[out.ID] = true
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	stop()
	elapsed := time.Since(start)
	after, _ := ReadProc(srv.PID)

	// Check what the server stored.
	var meeting struct {
		Counts map[string]int `json:"counts"`
	}
	if _, err := admin.Do("GET", "/api/meetings/"+slug, nil, &meeting); err != nil {
		return nil, err
	}
	stored, perOrg, err := storedRegistrations(admin, slug)
	if err != nil {
		return nil, err
	}
	missing := 0
	for id := range created {
		if !stored[id] {
			missing++
		}
	}
	overOrg := 0
	for _, n := range perOrg {
		if cfg.MaxPerOrg > 0 && n > cfg.MaxPerOrg {
			overOrg++
		}
	}
	seats := meeting.Counts["pending"] + meeting.Counts["approved"]
	s := lat.Summary()
	t := &Table{Title: fmt.Sprintf("Registration rush: %d clients for %s, capacity %d, %d per organization", cfg.Clients, cfg.Duration, cfg.Capacity, cfg.MaxPerOrg)}
	t.Add("requests", "%d (%.0f/s)", s.N, float64(s.N)/elapsed.Seconds())
	t.Add("created (201)", "%d (%.0f/s)", byStatus[201], float64(byStatus[201])/elapsed.Seconds())
	for st, n := range byStatus {
		if st != 201 {
			t.Add(fmt.Sprintf("status %d", st), "%d", n)
		}
	}
	t.Add("network errors", "%d", netErrs.Load())
	t.Add("latency p50 / p99 / max", "%s / %s / %s", ms(s.P50), ms(s.P99), ms(s.Max))
	t.Add("seats taken (pending+approved)", "%d of %d  %s", seats, cfg.Capacity, okIf(cfg.Capacity == 0 || seats <= cfg.Capacity))
	t.Add("waitlisted", "%d", meeting.Counts["waitlisted"])
	t.Add("organizations over their limit", "%d  %s", overOrg, okIf(overOrg == 0))
	t.Add("201s missing from the database", "%d  %s", missing, okIf(missing == 0))
	t.Add("server CPU during rush", "%.1fs (%.0f%% of one core)", (after.CPU - before.CPU).Seconds(), 100*(after.CPU-before.CPU).Seconds()/elapsed.Seconds())
	t.Add("server RSS after", "%.1f MiB", float64(after.RSSBytes)/(1<<20))
	if missing > 0 || overOrg > 0 || (cfg.Capacity > 0 && seats > cfg.Capacity) {
		t.Print(os.Stdout)
		return t, errors.New("registration rush: a limit was broken or an acknowledged registration is missing")
	}
	return t, nil
}

func okIf(ok bool) string {
	if ok {
		return "ok"
	}
	return "BROKEN"
}

// storedRegistrations lists every registration of the meeting through the
// staff API, page by page: the ids, and the active (pending, approved,
// waitlisted) registrations per organization.
func storedRegistrations(admin *apiclient.Client, slug string) (map[uint]bool, map[uint]int, error) {
	ids := map[uint]bool{}
	perOrg := map[uint]int{}
	for offset := 0; ; {
		var page struct {
			Registrations []struct {
				ID           uint   `json:"id"`
				Status       string `json:"status"`
				Organization struct {
					ID uint `json:"id"`
				} `json:"organization"`
			} `json:"registrations"`
			Total int `json:"total"`
		}
		path := fmt.Sprintf("/api/meetings/%s/registrations?limit=5000&offset=%d", slug, offset)
		if _, err := admin.Do("GET", path, nil, &page); err != nil {
			return nil, nil, fmt.Errorf("list registrations: %w", err)
		}
		for _, r := range page.Registrations {
			ids[r.ID] = true
			switch r.Status {
			case "pending", "approved", "waitlisted":
				perOrg[r.Organization.ID]++
			}
		}
		offset += len(page.Registrations)
		if len(page.Registrations) == 0 || offset >= page.Total {
			return ids, perOrg, nil
		}
	}
}
