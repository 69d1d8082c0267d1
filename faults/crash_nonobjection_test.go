package faults_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

var focalPointLink = regexp.MustCompile(`https?://\S+/d/([A-Za-z0-9_-]+)`)

// TestCrashAroundANoticesDeadlineDecidesEachRegistrationOnce circulates
// three notices of 12 organizations each, with deadlines a third of a
// second apart, and kills the server with SIGKILL as each deadline
// passes (the job looks every second, so a kill lands before it, or while
// it decides), then starts it again on the same database. After the last
// restart every notice is closed and every registration was decided
// exactly once (one audited decision): rejected where Singapore objected,
// approved elsewhere.
func TestCrashAroundANoticesDeadlineDecidesEachRegistrationOnce(t *testing.T) {
	crashAroundNoticeDeadlines(t, "")
}

// The same on PostgreSQL (a fresh schema), when ROSTRUM_TEST_POSTGRES is set.
func TestCrashAroundANoticesDeadlineOnPostgreSQL(t *testing.T) {
	crashAroundNoticeDeadlines(t, testenv.PostgresDSN(t))
}

func crashAroundNoticeDeadlines(t *testing.T, db string) {
	const notices, perNotice = 3, 12
	mail := mailtest.Start(t)
	srv := startProcessOn(t, db, "ROSTRUM_SMTP_HOST="+mail.Host(), "ROSTRUM_SMTP_PORT="+strconv.Itoa(mail.Port()),
		"ROSTRUM_SMTP_RETRY_BASE=100ms")
	admin := adminClient(t, srv.URL)
	createMeetingAt(t, admin, "m", 0, 0)
	must := func(_ int, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(admin.Do("POST", "/api/missions", []map[string]string{
		{"country": "SG", "kind": "member_state", "name": "Permanent Mission of Singapore", "email": "sg@example.org"}}, nil))
	must(admin.Do("POST", "/api/meetings/m/missions/invite", map[string]any{}, nil))
	invitation := mail.WaitTo("sg@example.org", 1, 20*time.Second)[0]
	sg := apiclient.New(srv.URL, 2)
	sg.Bearer = focalPointLink.FindStringSubmatch(invitation.Text)[1]

	type reg struct {
		ID     uint
		Org    uint
		Object bool
	}
	var regs []reg
	start := time.Now().Add(6 * time.Second)
	var deadlines []time.Time
	for n := range notices {
		var orgs []uint
		var batch []reg
		for i := range perNotice {
			var r testenv.Registered
			must(apiclient.New(srv.URL, 1).Do("POST", "/api/meetings/m/registrations",
				testenv.RegistrationBody(fmt.Sprintf("Notice %d Org %d", n, i), "Rep", fmt.Sprintf("rep%d.%d@example.org", n, i)), &r))
			var me struct{ Organization struct{ ID uint } }
			p := apiclient.New(srv.URL, 1)
			p.Bearer = r.Token()
			must(p.Do("GET", "/api/participant", nil, &me))
			batch = append(batch, reg{ID: r.ID, Org: me.Organization.ID, Object: i%3 == 0})
			orgs = append(orgs, me.Organization.ID)
		}
		d := start.Add(time.Duration(n) * 333 * time.Millisecond)
		deadlines = append(deadlines, d)
		var created struct{ ID uint }
		must(admin.Do("POST", "/api/meetings/m/non-objection", map[string]any{"organization_ids": orgs, "deadline": d.UTC().Format(time.RFC3339Nano)}, &created))
		for _, r := range batch {
			if r.Object {
				must(sg.Do("POST", fmt.Sprintf("/api/non-objection/%d/objections", created.ID), map[string]any{"organization_id": r.Org, "reason": "Concerns."}, nil))
			}
		}
		regs = append(regs, batch...)
	}
	if time.Now().After(start) {
		t.Fatalf("the setup outlasted the first deadline; the test would kill nothing in time")
	}
	for _, d := range deadlines {
		time.Sleep(time.Until(d)) // the kill is the event under test: it must come at the deadline
		srv.Kill()
		if err := srv.Restart(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	admin = adminClient(t, srv.URL)
	end := time.Now().Add(60 * time.Second)
	for {
		var l struct{ Notices []struct{ State string } }
		must(admin.Do("GET", "/api/meetings/m/non-objection", nil, &l))
		closed := 0
		for _, n := range l.Notices {
			if n.State == "closed" {
				closed++
			}
		}
		if closed == notices {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%d of %d notices closed a minute after the last restart: the job never fired", closed, notices)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var log struct {
		Events []struct {
			Action string          `json:"action"`
			Detail json.RawMessage `json:"detail"`
		} `json:"events"`
	}
	must(admin.Do("GET", "/api/meetings/m/audit?limit=1000", nil, &log))
	decided := map[uint][]string{}
	for _, ev := range log.Events {
		if ev.Action != "decide_registration" {
			continue
		}
		var d struct {
			RegistrationID uint   `json:"registration_id"`
			To             string `json:"to"`
		}
		_ = json.Unmarshal(ev.Detail, &d)
		decided[d.RegistrationID] = append(decided[d.RegistrationID], d.To)
	}
	for _, r := range regs {
		want := "approved"
		if r.Object {
			want = "rejected"
		}
		if got := decided[r.ID]; len(got) != 1 || got[0] != want {
			t.Errorf("registration %d decided %v, want once %s", r.ID, got, want)
		}
	}
}
