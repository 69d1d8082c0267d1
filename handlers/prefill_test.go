package handlers_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"rostrum/app"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

var prefillLink = regexp.MustCompile(`https?://\S+/m/([a-z0-9-]+)/register#prefill=([A-Za-z0-9_-]+)`)

// prefillProcess makes process "oewg" with meetings "first" and "second",
// another meeting "elsewhere" outside it, and Ana's registration for
// "first" (job title and organization as given).
func prefillProcess(t *testing.T, e *testenv.Env) {
	t.Helper()
	e.Admin().MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs", "acronym": "OEWG"}, 201, nil)
	processMeeting(t, e, "first", "oewg", "substantive_session", "2030-02-10", "America/New_York")
	processMeeting(t, e, "second", "oewg", "substantive_session", "2030-07-06", "America/New_York")
	registrationMeeting(t, e, "elsewhere", 0, 0)
	mustRegister(t, e, "first", sampleRegistration("ana@example.org"))
}

// TestPrefillAnswersAlikeWhetherOrNotTheAddressIsKnown: asking for a
// pre-fill link answers 202 with the same body for an address that
// registered in the process, one that registered only outside it and one
// never seen; only the first is mailed.
func TestPrefillAnswersAlikeWhetherOrNotTheAddressIsKnown(t *testing.T) {
	e := testenv.New(t)
	prefillProcess(t, e)
	mustRegister(t, e, "elsewhere", testenv.RegistrationBody("Other Org", "Bo", "bo@example.org"))
	anon := e.Anon()
	var bodies []string
	for _, addr := range []string{" Ana@Example.org ", "bo@example.org", "nobody@example.org"} {
		res := anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": addr}, 202, nil)
		bodies = append(bodies, string(res.Body))
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("content type %q", ct)
		}
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Fatalf("the answers differ:\n%s\n%s\n%s", bodies[0], bodies[1], bodies[2])
	}
	// A meeting outside any process answers alike too.
	if res := anon.MustJSON("POST", "/api/meetings/elsewhere/prefill", map[string]string{"email": "ana@example.org"}, 202, nil); string(res.Body) != bodies[0] {
		t.Fatalf("outside a process: %s", res.Body)
	}
	var mails []models.OutboxMessage
	e.App.DB.Where("kind = ?", "registration_prefill").Find(&mails)
	if len(mails) != 1 || mails[0].ToAddr != "ana@example.org" {
		t.Fatalf("pre-fill mails %+v, want one to ana@example.org", mails)
	}
	anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": "not an address"}, 422, nil)
	anon.MustJSON("POST", "/api/meetings/nope/prefill", map[string]string{"email": "ana@example.org"}, 404, nil)
}

// TestPrefillLinkFillsOnceAndExpires: the mailed link gives the
// organization and job title of the earlier registration once (409
// link_used after), only for its meeting, and not after 24 hours (410
// link_expired); the database keeps its hash only, and the outbox
// forgets the link once it is delivered.
func TestPrefillLinkFillsOnceAndExpires(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	prefillProcess(t, e)
	anon := e.Anon()
	anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": "ana@example.org"}, 202, nil)
	mail := srv.WaitTo("ana@example.org", 2, 15*time.Second)[1]
	got := prefillLink.FindStringSubmatch(mail.Text)
	if got == nil || got[1] != "second" {
		t.Fatalf("pre-fill mail %q:\n%s", mail.Subject, mail.Text)
	}
	token := got[2]
	waitSent(t, e)
	if where := databaseHolds(t, e.App.DB, token); len(where) > 0 {
		t.Fatalf("the pre-fill token is in the database, in %v", where)
	}

	// Another meeting's form does not take it.
	anon.MustJSON("POST", "/api/meetings/first/prefill/open", map[string]string{"token": token}, 404, nil)
	var p struct {
		Email        string `json:"email"`
		JobTitle     string `json:"job_title"`
		Organization struct {
			Name, Type, Country, Website string
		} `json:"organization"`
		From struct{ Slug string } `json:"from"`
	}
	anon.MustJSON("POST", "/api/meetings/second/prefill/open", map[string]string{"token": token}, 200, &p)
	if p.Email != "ana@example.org" || p.JobTitle != "Policy lead" || p.Organization.Name != "Kenya ICT Action Network" ||
		p.Organization.Type != "ngo" || p.Organization.Country != "KE" || p.Organization.Website != "https://www.kictanet.or.ke" || p.From.Slug != "first" {
		t.Fatalf("pre-filled %+v", p)
	}
	res := anon.Do("POST", "/api/meetings/second/prefill/open", map[string]string{"token": token})
	if res.Status != 409 || !strings.Contains(string(res.Body), `"link_used"`) {
		t.Fatalf("a used link: %d %s", res.Status, res.Body)
	}

	// A link a day old no longer works.
	anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": "ana@example.org"}, 202, nil)
	token = prefillLink.FindStringSubmatch(srv.WaitTo("ana@example.org", 3, 15*time.Second)[2].Text)[2]
	if err := e.App.DB.Model(&models.PrefillLink{}).Where("used_at IS NULL").
		Update("expires_at", time.Now().Add(-time.Second)).Error; err != nil {
		t.Fatal(err)
	}
	res = anon.Do("POST", "/api/meetings/second/prefill/open", map[string]string{"token": token})
	if res.Status != 410 || !strings.Contains(string(res.Body), `"link_expired"`) {
		t.Fatalf("an expired link: %d %s", res.Status, res.Body)
	}
	anon.MustJSON("POST", "/api/meetings/second/prefill/open", map[string]string{"token": "no-such-link"}, 404, nil)
	var link models.PrefillLink
	e.App.DB.First(&link)
	if d := link.ExpiresAt.Sub(link.CreatedAt); d < 23*time.Hour || d > 25*time.Hour {
		t.Fatalf("a link lives %v, want 24 hours", d)
	}
}

// TestPrefillRequestsAreThrottled: as registration, per client address
// (registration_rate_limit a minute, then 429), and one address is
// mailed at most three pre-fill links an hour per meeting; failed
// attempts to open a link count per client address as well.
func TestPrefillRequestsAreThrottled(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.RegistrationRateLimit = 6 })
	prefillProcess(t, e)
	anon := e.Anon()
	for i := range 5 {
		anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": "ana@example.org"}, 202, nil)
		var n int64
		e.App.DB.Model(&models.OutboxMessage{}).Where("kind = ?", "registration_prefill").Count(&n)
		if want := min(i+1, 3); n != int64(want) {
			t.Fatalf("after %d requests, %d links mailed, want %d", i+1, n, want)
		}
	}
	anon.MustJSON("POST", "/api/meetings/second/prefill", map[string]string{"email": "bo@example.org"}, 202, nil)
	res := anon.Do("POST", "/api/meetings/second/prefill", map[string]string{"email": "cy@example.org"})
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("7th request in a minute: %d %s", res.Status, res.Body)
	}
	// Guessing links: failures to open one count per client address too.
	guesser := e.Anon()
	for range 6 {
		guesser.MustJSON("POST", "/api/meetings/second/prefill/open", map[string]string{"token": "guess"}, 404, nil)
	}
	if res := guesser.Do("POST", "/api/meetings/second/prefill/open", map[string]string{"token": "guess"}); res.Status != 429 {
		t.Fatalf("7th failed attempt in a minute: %d %s", res.Status, res.Body)
	}
}
