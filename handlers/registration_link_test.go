package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/app"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// databaseHolds reports where in the database (table.column) secret
// occurs, reading every row of every table.
func databaseHolds(t *testing.T, db *gorm.DB, secret string) []string {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, table := range tables {
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for _, row := range rows {
			for col, v := range row {
				if strings.Contains(fmt.Sprint(v), secret) || strings.Contains(fmt.Sprintf("%s", v), secret) {
					found = append(found, table+"."+col)
				}
			}
		}
	}
	return found
}

// waitSent waits until every mail in the outbox has been delivered and
// recorded.
func waitSent(t *testing.T, e *testenv.Env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		changed := e.App.Outbox.Changed()
		var pending int64
		if err := e.App.DB.Model(&models.OutboxMessage{}).Where("status <> ?", models.OutboxSent).Count(&pending).Error; err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("%d messages still not sent", pending)
		}
	}
}

var manageLink = regexp.MustCompile(`https?://\S+/r/([A-Za-z0-9_-]+)`)

// TestNoParticipantLinkIsLeftInTheDatabaseOnceItsMailIsDelivered: the
// database stores only the hash of a participant's token, and the
// outbox forgets the link once the mail carrying it is delivered. A copy
// of the database then holds no link that works.
func TestNoParticipantLinkIsLeftInTheDatabaseOnceItsMailIsDelivered(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	ana := mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "ana@example.org"))
	decide(e.Admin(), ana.ID, "approve", 200)
	mails := srv.WaitTo("ana@example.org", 2, 15*time.Second)
	if !strings.Contains(mails[0].Text, ana.ManageURL) {
		t.Fatalf("the confirmation lacks the link:\n%s", mails[0].Text)
	}
	waitSent(t, e)
	if where := databaseHolds(t, e.App.DB, ana.Token()); len(where) > 0 {
		t.Fatalf("the participant's token is still in the database, in %v", where)
	}
	// The link works all the same.
	e.Participant(ana.Token()).MustJSON("GET", "/api/participant", nil, 200, nil)
}

// TestANewLinkIsMailedOnRequestAndTheOldOneStopsWorking asks for a new
// link as a participant who lost theirs: the answer is the same whether
// the address is registered or not, the registered address gets a new
// link, and the old one no longer works.
func TestANewLinkIsMailedOnRequestAndTheOldOneStopsWorking(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	ana := mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "ana@example.org"))
	srv.WaitTo("ana@example.org", 1, 15*time.Second)

	anon := e.Anon()
	unknown := anon.MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "nobody@example.org"}, 202, nil)
	known := anon.MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": " Ana@Example.org "}, 202, nil)
	if string(unknown.Body) != string(known.Body) {
		t.Fatalf("the answers differ: %s / %s", unknown.Body, known.Body)
	}
	var toNobody int64
	e.App.DB.Model(&models.OutboxMessage{}).Where("to_addr = ?", "nobody@example.org").Count(&toNobody)
	if toNobody != 0 {
		t.Fatal("mail queued for an address that is not registered")
	}
	m := srv.WaitTo("ana@example.org", 2, 15*time.Second)[1]
	got := manageLink.FindStringSubmatch(m.Text)
	if !strings.HasPrefix(m.Subject, "Your new link") || got == nil || got[1] == ana.Token() {
		t.Fatalf("new link mail: %q\n%s", m.Subject, m.Text)
	}
	e.Participant(ana.Token()).MustJSON("GET", "/api/participant", nil, 401, nil)
	var view struct {
		Email     string `json:"email"`
		ManageURL string `json:"manage_url"`
	}
	e.Participant(got[1]).MustJSON("GET", "/api/participant", nil, 200, &view)
	if view.Email != "ana@example.org" || view.ManageURL != got[0] {
		t.Fatalf("%+v, want the manage URL %s", view, got[0])
	}
	waitSent(t, e)
	if where := databaseHolds(t, e.App.DB, got[1]); len(where) > 0 {
		t.Fatalf("the new token is in the database, in %v", where)
	}

	anon.MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "not an address"}, 422, nil)
	anon.MustJSON("POST", "/api/meetings/nope/registrations/resend-link", map[string]string{"email": "ana@example.org"}, 404, nil)
}

// TestNewLinkRequestsAreThrottled: a client address may ask as often a
// minute as it may register (registration_rate_limit), then gets 429;
// and one participant's address is sent at most three new links an hour,
// so that whoever knows the address cannot keep ending their link.
func TestNewLinkRequestsAreThrottled(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.RegistrationRateLimit = 6 })
	registrationMeeting(t, e, "m", 0, 0)
	mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "ana@example.org"))
	anon := e.Anon()
	for i := range 5 {
		anon.MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "ana@example.org"}, 202, nil)
		var links int64
		e.App.DB.Model(&models.OutboxMessage{}).Where("kind = ?", "registration_link").Count(&links)
		if want := min(i+1, 3); links != int64(want) {
			t.Fatalf("after %d requests, %d new links sent, want %d", i+1, links, want)
		}
	}
	anon.MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "bo@example.org"}, 202, nil)
	res := anon.Do("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "cy@example.org"})
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("7th request in a minute: %d %s", res.Status, res.Body)
	}
}
