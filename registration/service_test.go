package registration_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/auth"
	"rostrum/internal/testenv"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/store"
)

func openDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "r.db"), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return db
}

func newService(t *testing.T) (*registration.Service, *models.Meeting) {
	db := openDB(t)
	m, err := (&meetings.Service{DB: db}).Create(context.Background(), meetings.Input{
		Slug: "m", Title: "M", StartsAt: "2030-12-02T10:00:00Z", EndsAt: "2030-12-04T18:00:00Z",
		RegistrationClosesAt: "2030-11-30T00:00:00Z", Capacity: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &registration.Service{DB: db, PublicURL: "https://rostrum.example"}, m
}

func input(email string) registration.Input {
	return registration.Input{
		Organization: registration.OrganizationInput{Name: "Org", Type: "ngo", Country: "KE"},
		Name:         "P", Email: email, Consent: true,
	}
}

func count(t *testing.T, db *gorm.DB, model any) int64 {
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A registration whose mail cannot be queued is not stored, and a decision
// whose mail cannot be queued is not taken: change and mail commit together.
func TestRegistrationAndItsMailCommitTogether(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	a, err := s.Register(ctx, "m", input("a@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Register(ctx, "m", input("b@example.org"))
	if err != nil || b.Status != models.StatusWaitlisted {
		t.Fatalf("%v %v", b, err)
	}
	if n := count(t, s.DB, &models.OutboxMessage{}); n != 2 {
		t.Fatalf("%d mails", n)
	}
	if err := s.DB.Exec("ALTER TABLE outbox_messages RENAME TO outbox_gone").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(ctx, "m", input("c@example.org")); err == nil {
		t.Fatal("registered without queueing its mail")
	}
	if _, err := s.Decide(ctx, auth.Actor{}, a.ID, registration.DecisionReject, ""); err == nil {
		t.Fatal("decided without queueing its mail")
	}
	if _, err := s.Withdraw(ctx, a.ID); err == nil {
		t.Fatal("withdrew without queueing its mail")
	}
	var regs []models.Registration
	s.DB.Order("id").Find(&regs)
	if len(regs) != 2 || regs[0].Status != models.StatusPending || regs[1].Status != models.StatusWaitlisted {
		t.Fatalf("registrations %+v", regs)
	}
}

func TestNotifyWakesTheMailWorkerAfterCommit(t *testing.T) {
	s, _ := newService(t)
	woken := 0
	s.Notify = func() {
		// After commit: the mail is visible to another connection.
		var n int64
		s.DB.Model(&models.OutboxMessage{}).Count(&n)
		if n == int64(woken)+1 {
			woken++
		}
	}
	ctx := context.Background()
	r, err := s.Register(ctx, "m", input("a@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, auth.Actor{}, r.ID, registration.DecisionApprove, "welcome"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(ctx, "m", input("a@example.org")); err == nil {
		t.Fatal("duplicate accepted")
	}
	if woken != 2 {
		t.Fatalf("woken %d times, want 2", woken)
	}
}

func TestRegistrationClosesAtItsTime(t *testing.T) {
	s, m := newService(t)
	s.Now = func() time.Time { return m.RegistrationClosesAt.Add(-time.Second) }
	if _, err := s.Register(context.Background(), "m", input("a@example.org")); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return m.RegistrationClosesAt }
	if _, err := s.Register(context.Background(), "m", input("b@example.org")); err == nil {
		t.Fatal("registered at the closing time")
	}
}

// The meeting's seat counter equals its pending and approved registrations
// after every kind of change: registering (pending or waitlisted), each
// decision, withdrawals and the promotions they cause.
func TestSeatCounterFollowsEveryChange(t *testing.T) {
	s, m := newService(t)
	ctx := context.Background()
	if err := s.DB.Model(m).Update("capacity", 3).Error; err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		var counter, held int64
		s.DB.Model(&models.SeatCount{}).Where("meeting_id = ?", m.ID).Select("held").Scan(&counter)
		s.DB.Model(&models.Registration{}).Where("meeting_id = ? AND status IN ?", m.ID, registration.SeatStatuses).Count(&held)
		if counter != held || held > 3 {
			t.Fatalf("after %s: counter %d, held seats %d (capacity 3)", step, counter, held)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var ids []uint
	for i := range 300 {
		switch op := rng.IntN(5); {
		case op == 0 || len(ids) == 0:
			r, err := s.Register(ctx, "m", input(fmt.Sprintf("p%d@example.org", i)))
			if err == nil {
				ids = append(ids, r.ID)
			}
			check("register")
		case op == 4:
			_, _ = s.Withdraw(ctx, ids[rng.IntN(len(ids))])
			check("withdraw")
		default:
			d := []string{"approve", "reject", "waitlist"}[rng.IntN(3)]
			_, _ = s.Decide(ctx, auth.Actor{}, ids[rng.IntN(len(ids))], d, "because")
			check(d)
		}
	}
}

// The first registration of an organization gives the record its values;
// a later one that matches it (by name or website) is stored with its
// claim and leaves the record as it was.
func TestALaterRegistrationNeverChangesTheOrganizationRecord(t *testing.T) {
	s, m := newService(t)
	ctx := context.Background()
	first := input("a@example.org")
	first.Organization = registration.OrganizationInput{Name: "Access Now", Type: "ngo", Country: "US"}
	r1, err := s.Register(ctx, m.Slug, first)
	if err != nil {
		t.Fatal(err)
	}
	later := input("b@example.org")
	later.Organization = registration.OrganizationInput{Name: "ACCESS NOW", Acronym: "AN", Type: "academia", Country: "KE",
		Website: "https://accessnow.example.net/login", ECOSOCStatus: "general"}
	r2, err := s.Register(ctx, m.Slug, later)
	if err != nil {
		t.Fatal(err)
	}
	if r2.OrganizationID != r1.OrganizationID {
		t.Fatalf("matched organization %d, want %d", r2.OrganizationID, r1.OrganizationID)
	}
	var org models.Organization
	s.DB.First(&org, r1.OrganizationID)
	if org.Name != "Access Now" || org.Acronym != "" || org.Type != "ngo" || org.Country != "US" || org.Website != "" || org.WebsiteKey != "" || org.ECOSOCStatus != "none" {
		t.Fatalf("the record changed: %+v", org)
	}
	var stored models.Registration
	s.DB.First(&stored, r2.ID)
	if stored.ClaimedOrgName != "ACCESS NOW" || stored.ClaimedOrgAcronym != "AN" || stored.ClaimedOrgType != "academia" ||
		stored.ClaimedOrgCountry != "KE" || stored.ClaimedOrgWebsite != "https://accessnow.example.net/login" || stored.ClaimedOrgECOSOCStatus != "general" {
		t.Fatalf("claim stored as %+v", stored)
	}
	var firstStored models.Registration
	s.DB.First(&firstStored, r1.ID)
	if firstStored.ClaimedOrgName != "Access Now" || firstStored.ClaimedOrgCountry != "US" || firstStored.ClaimedOrgECOSOCStatus != "none" {
		t.Fatalf("first claim stored as %+v", firstStored)
	}
	// A withdrawal leaves the record as it is, too.
	if _, err := s.Withdraw(ctx, r2.ID); err != nil {
		t.Fatal(err)
	}
	org = models.Organization{}
	s.DB.First(&org, r1.OrganizationID)
	if org.Website != "" || org.ECOSOCStatus != "none" {
		t.Fatalf("the record after the withdrawal: %+v", org)
	}
}

// An approved participant's new name waits as PendingName; the
// secretariat's acceptance makes it the name, its refusal drops it, and
// each queues a mail.
func TestAnApprovedParticipantsRenameIsHeldUntilAccepted(t *testing.T) {
	s, m := newService(t)
	ctx := context.Background()
	r, err := s.Register(ctx, m.Slug, input("a@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, auth.Actor{}, r.ID, "approve", ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateDetails(ctx, r.ID, registration.DetailsInput{Name: "PLEASE LEAVE THE ROOM", JobTitle: "Chair"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "P" || got.PendingName != "PLEASE LEAVE THE ROOM" || got.PendingNameAt == nil || got.JobTitle != "Chair" {
		t.Fatalf("%+v", got)
	}
	mails := count(t, s.DB, &models.OutboxMessage{})
	if got, err = s.DecideNameChange(ctx, auth.Actor{}, r.ID, false, ""); err != nil || got.Name != "P" || got.PendingName != "" {
		t.Fatalf("refused: %+v %v", got, err)
	}
	if _, err := s.UpdateDetails(ctx, r.ID, registration.DetailsInput{Name: "Pat"}); err != nil {
		t.Fatal(err)
	}
	if got, err = s.DecideNameChange(ctx, auth.Actor{}, r.ID, true, "Pat"); err != nil || got.Name != "Pat" || got.PendingName != "" {
		t.Fatalf("accepted: %+v %v", got, err)
	}
	var stored models.Registration
	s.DB.First(&stored, r.ID)
	if stored.Name != "Pat" || stored.PendingName != "" || stored.PendingNameAt != nil {
		t.Fatalf("stored %+v", stored)
	}
	if n := count(t, s.DB, &models.OutboxMessage{}); n != mails+2 {
		t.Fatalf("%d mails queued for two decisions on names", n-mails)
	}
}

// Every change of state is stamped by the service's clock, the one tests
// and the demo may set, not the machine's.
func TestStateChangesUseTheServicesClock(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	at := time.Date(2030, 11, 20, 9, 30, 0, 0, time.UTC)
	s.Now = func() time.Time { return at }
	r, err := s.Register(ctx, "m", input("clock@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	at = at.Add(time.Hour)
	if _, err := s.Decide(ctx, auth.Actor{}, r.ID, "approve", "ok"); err != nil {
		t.Fatal(err)
	}
	var got models.Registration
	if err := s.DB.First(&got, r.ID).Error; err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.Equal(at) || got.DecidedAt == nil || !got.DecidedAt.Equal(at) {
		t.Fatalf("updated %s, decided %v; want both %s", got.UpdatedAt, got.DecidedAt, at)
	}
}
