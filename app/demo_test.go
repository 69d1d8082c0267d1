package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"rostrum/app"
	"rostrum/internal/testenv"
	"rostrum/models"
)

func TestDemoFillsAFreshDatabaseOnceEvenWhenRunTwice(t *testing.T) {
	cfg := testenv.Config(t)
	a, err := app.New(cfg, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(0)
	a.Auth.Cost = 4
	var first, second bytes.Buffer
	if err := a.Demo(context.Background(), &first); err != nil {
		t.Fatal(err)
	}
	type tally struct{ meetings, items, orgs, regs, users, mails int64 }
	count := func() tally {
		var c tally
		a.DB.Model(&models.Meeting{}).Count(&c.meetings)
		a.DB.Model(&models.AgendaItem{}).Count(&c.items)
		a.DB.Model(&models.Organization{}).Count(&c.orgs)
		a.DB.Model(&models.Registration{}).Count(&c.regs)
		a.DB.Model(&models.User{}).Count(&c.users)
		a.DB.Model(&models.OutboxMessage{}).Count(&c.mails)
		return c
	}
	once := count()
	if err := a.Demo(context.Background(), &second); err != nil {
		t.Fatal(err)
	}
	if twice := count(); twice != once {
		t.Fatalf("second run changed the database: %+v → %+v", once, twice)
	}
	if once.meetings != 1 || once.items != 6 || once.orgs < 100 || once.orgs > 120 || once.regs < 150 || once.users != 3 {
		t.Fatalf("demo holds %+v", once)
	}
	m, err := a.Handler.Meetings.BySlug(context.Background(), app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	if m.Chair != "Mr. David Koh (Singapore)" || !strings.Contains(m.Venue, "Conference Room 1") || m.Capacity == 0 {
		t.Fatalf("meeting %+v", m)
	}
	counts, err := a.Handler.Registrations.Count(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range models.RegistrationStatuses {
		if counts.ByStatus[st] == 0 {
			t.Errorf("no %s registration: %v", st, counts.ByStatus)
		}
	}
	for _, ty := range models.OrganizationTypes {
		if counts.ByType[ty]["total"] == 0 {
			t.Errorf("no %s organization", ty)
		}
	}
	if held := counts.ByStatus["pending"] + counts.ByStatus["approved"]; held != int64(m.Capacity) {
		t.Errorf("%d seats held of %d, yet people wait", held, m.Capacity)
	}
	// Every registration is valid by the rules the API applies.
	var bad int64
	a.DB.Model(&models.Organization{}).Where("length(country) <> 2 OR name_key = ''").Count(&bad)
	if bad != 0 {
		t.Errorf("%d organizations with bad data", bad)
	}
	out := first.String()
	for _, want := range []string{"/m/" + app.DemoSlug + "/register", "/admin", "moderator@rostrum.example  password ", "rapporteur@rostrum.example  password "} {
		if !strings.Contains(out, want) {
			t.Errorf("first run does not print %q:\n%s", want, out)
		}
	}
	if !strings.Contains(second.String(), "registrations added now: 0") {
		t.Errorf("second run:\n%s", second.String())
	}
	t.Log(out)
}
