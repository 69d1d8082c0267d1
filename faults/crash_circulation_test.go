package faults_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// TestCrashDuringCirculationDeliversExactlyOneMessagePerRecipient
// circulates an approved summary to 40 participants and two extra
// addresses and kills the server with SIGKILL three times while the mail
// goes out. After the last restart every recipient has exactly one
// message (one Message-ID: a receiver that drops repeated Message-IDs
// shows one) and the circulation's progress says sent for everyone.
func TestCrashDuringCirculationDeliversExactlyOneMessagePerRecipient(t *testing.T) {
	const participants = 24
	kills := []int{5, 11, 18} // circulation messages received before each SIGKILL
	mail := mailtest.Start(t)
	srv := startProcess(t, "ROSTRUM_SMTP_HOST="+mail.Host(), "ROSTRUM_SMTP_PORT="+strconv.Itoa(mail.Port()),
		// Retries and leases short, so that mail claimed by the killed
		// process is taken over within seconds.
		"ROSTRUM_SMTP_RETRY_BASE=100ms", "ROSTRUM_SMTP_TIMEOUT=250ms")
	admin, want := approvedSummaryFor(t, srv.URL, participants)

	var mu sync.Mutex
	received := 0
	reached := make(chan int, 16)
	mail.OnMessage(func(m *mailtest.Message) {
		if isCirculation(m) {
			mu.Lock()
			received++
			reached <- received
			mu.Unlock()
		}
	})
	var c struct {
		ID    uint `json:"id"`
		Total int  `json:"total"`
	}
	if _, err := admin.Do("POST", "/api/meetings/circ/summary/1/circulate", map[string]any{"extra": []string{"press@un.example.org", "archive@un.example.org"}}, &c); err != nil {
		t.Fatal(err)
	}
	if c.Total != len(want) {
		t.Fatalf("circulation to %d recipients, want %d", c.Total, len(want))
	}
	start := time.Now()
	for round, at := range kills {
		deadline := time.After(60 * time.Second)
	wait:
		for {
			select {
			case n := <-reached:
				if n >= at {
					break wait
				}
			case <-deadline:
				t.Fatalf("round %d: only %d messages before the kill", round+1, received)
			}
		}
		srv.Kill() // SIGKILL in the middle of the circulation
		if err := srv.Restart(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: killed after %d circulation messages, restarted (%s)", round+1, at, time.Since(start))
	}
	mail.OnMessage(nil)
	admin = adminClient(t, srv.URL) // the session survives, but log in afresh as a secretariat would
	var progress struct {
		Total, Sent, Failed, Pending int
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		if _, err := admin.Do("GET", fmt.Sprintf("/api/meetings/circ/circulations/%d", c.ID), nil, &progress); err != nil {
			t.Fatal(err)
		}
		if progress.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("circulation still pending after the crashes: %+v", progress)
		}
		time.Sleep(100 * time.Millisecond) // polling the progress endpoint, as the desk does
	}
	if progress.Sent != len(want) || progress.Failed != 0 {
		t.Fatalf("progress %+v, want all %d sent", progress, len(want))
	}
	redelivered := 0
	for _, addr := range want {
		ids := map[string]bool{}
		for _, m := range mail.To(addr) {
			if isCirculation(m) {
				if ids[m.MessageID] {
					redelivered++
				}
				ids[m.MessageID] = true
			}
		}
		if len(ids) != 1 {
			t.Errorf("%s received %d distinct circulation messages, want exactly 1", addr, len(ids))
		}
	}
	t.Logf("FIGURE crash-circulation rounds=%d recipients=%d same-Message-ID-redeliveries=%d", len(kills), len(want), redelivered)
}

func isCirculation(m *mailtest.Message) bool { return strings.HasPrefix(m.Subject, "Chair's Summary") }

// approvedSummaryFor sets up the meeting "circ" with n approved
// participants and an approved version 1 of its summary, and returns an
// admin client and the addresses a circulation with the two extra
// addresses press@ and archive@un.example.org reaches.
func approvedSummaryFor(t *testing.T, url string, participants int) (*apiclient.Client, []string) {
	t.Helper()
	admin := adminClient(t, url)
	createMeetingAt(t, admin, "circ", 0, 0)
	var ids []uint
	var want []string
	for i := range participants {
		var r testenv.Registered
		email := fmt.Sprintf("delegate%02d@example.org", i)
		if _, err := apiclient.New(url, 2).Do("POST", "/api/meetings/circ/registrations", testenv.RegistrationBody(fmt.Sprintf("Circulation Org %d", i), fmt.Sprintf("Delegate %d", i), email), &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		want = append(want, email)
	}
	if _, err := admin.Do("POST", "/api/meetings/circ/registrations/decisions", map[string]any{"ids": ids, "decision": "approve", "reason": "accredited"}, nil); err != nil {
		t.Fatal(err)
	}
	want = append(want, "press@un.example.org", "archive@un.example.org")
	if _, err := admin.Do("POST", "/api/meetings/circ/summary", nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Do("POST", "/api/meetings/circ/summary/1/approve", nil, nil); err != nil {
		t.Fatal(err)
	}
	return admin, want
}

// TestInstanceRestartedAfterACrashSendsItsClaimedMailAtOnce kills the
// only instance with SIGKILL while a circulation goes out, with the rest
// of the circulation claimed by it, and starts it again. The lease is
// 6 × smtp_timeout, 30 minutes here, far past the test's deadline: the
// rest arrives within seconds only because the restarted instance takes
// back its own leases at once. Every recipient gets one message (one
// Message-ID; the message in flight at the kill may arrive twice with
// the same Message-ID, SMTP's unavoidable window).
func TestInstanceRestartedAfterACrashSendsItsClaimedMailAtOnce(t *testing.T) {
	const participants, killAt = 12, 3
	mail := mailtest.Start(t)
	srv := startProcess(t, "ROSTRUM_SMTP_HOST="+mail.Host(), "ROSTRUM_SMTP_PORT="+strconv.Itoa(mail.Port()),
		"ROSTRUM_SMTP_RETRY_BASE=100ms", "ROSTRUM_SMTP_TIMEOUT=5m")
	admin, want := approvedSummaryFor(t, srv.URL, participants)

	reached := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	received := 0
	mail.OnMessage(func(m *mailtest.Message) {
		if isCirculation(m) {
			mu.Lock()
			received++
			if received >= killAt {
				once.Do(func() { close(reached) })
			}
			mu.Unlock()
		}
	})
	var c struct {
		ID    uint `json:"id"`
		Total int  `json:"total"`
	}
	if _, err := admin.Do("POST", "/api/meetings/circ/summary/1/circulate", map[string]any{"extra": []string{"press@un.example.org", "archive@un.example.org"}}, &c); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(60 * time.Second):
		t.Fatal("the circulation did not start")
	}
	srv.Kill() // SIGKILL while the instance holds the rest of the circulation
	mail.OnMessage(nil)
	if err := srv.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()

	// Every recipient's message arrives well within the lease.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		missing := 0
		for _, addr := range want {
			found := false
			for _, m := range mail.To(addr) {
				found = found || isCirculation(m)
			}
			if !found {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if _, err := mail.Wait(ctx, mail.Count()+1); err != nil {
			t.Fatalf("%d of %d recipients still without the summary %s after the restart (the lease is 30 minutes): %v",
				missing, len(want), time.Since(restarted).Round(time.Second), err)
		}
	}
	t.Logf("FIGURE crash-restart-circulation recipients=%d all-delivered-after-restart=%s", len(want), time.Since(restarted).Round(10*time.Millisecond))
	for _, addr := range want {
		ids := map[string]bool{}
		for _, m := range mail.To(addr) {
			if isCirculation(m) {
				ids[m.MessageID] = true
			}
		}
		if len(ids) != 1 {
			t.Errorf("%s received %d distinct circulation messages, want exactly 1", addr, len(ids))
		}
	}
	// And the circulation's progress says so, once the last is recorded.
	var progress struct{ Total, Sent, Failed, Pending int }
	for {
		if _, err := adminClient(t, srv.URL).Do("GET", fmt.Sprintf("/api/meetings/circ/circulations/%d", c.ID), nil, &progress); err != nil {
			t.Fatal(err)
		}
		if progress.Sent == len(want) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("progress %+v, want all %d sent", progress, len(want))
		}
		time.Sleep(50 * time.Millisecond) // polling the progress endpoint, as the desk does
	}
}
