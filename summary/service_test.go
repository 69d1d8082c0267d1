package summary

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/store"
)

// fakeSpeakers stands in for the live list.
type fakeSpeakers []SpeakerEntry

func (f fakeSpeakers) SpeakerEntries(context.Context, uint) ([]SpeakerEntry, error) {
	return f, nil
}

type fixture struct {
	s     *Service
	m     *models.Meeting
	admin auth.Actor
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	// The live list's table exists once the live capability is merged; the
	// service reads speakers through its interface, faked here.
	u := models.User{Email: "chair@example.org", Name: "Secretariat", Role: models.RoleAdmin, PasswordHash: "x"}
	must(t, db.Create(&u).Error)
	start := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	m := models.Meeting{Slug: "oewg", Title: "Informal intersessional meeting", Venue: "New York", Chair: "Mr. David Koh",
		StartsAt: start, EndsAt: start.Add(50 * time.Hour), Timezone: "UTC", RegistrationClosesAt: start,
		Attribution: models.AttributionChathamHouse}
	must(t, db.Create(&m).Error)
	item := models.AgendaItem{MeetingID: m.ID, Position: 1, Title: "Threats"}
	must(t, db.Create(&item).Error)
	orgs := []models.Organization{
		{Name: "Fundación Ñandú", NameKey: "fundación ñandú", Type: "ngo", Country: "AR"},
		{Name: "東京サイバー研究所", NameKey: "東京サイバー研究所", Type: "private_sector", Country: "JP"},
	}
	must(t, db.Create(&orgs).Error)
	regs := []models.Registration{
		{Name: "Ana Pérez", Email: "ana@example.org", Status: models.StatusApproved, OrganizationID: orgs[0].ID},
		{Name: "Ana again", Email: "ANA@EXAMPLE.ORG", Status: models.StatusApproved, OrganizationID: orgs[0].ID},
		{Name: "Kenji Sato", Email: "kenji@example.jp", Status: models.StatusApproved, OrganizationID: orgs[1].ID},
		{Name: "Not yet", Email: "pending@example.org", Status: models.StatusPending, OrganizationID: orgs[1].ID},
	}
	for i := range regs {
		regs[i].MeetingID = m.ID
		regs[i].Token = "t" + regs[i].Email
		regs[i].TokenHash = "h" + regs[i].Email
		regs[i].ConsentAt = start
		must(t, db.Create(&regs[i]).Error)
	}
	t0, t1 := start, start.Add(3*time.Minute)
	speakers := fakeSpeakers{
		{ID: 11, AgendaItemID: item.ID, Organization: Organization{Name: "Fundación Ñandú", Type: "ngo", Country: "AR"},
			Kind: "statement", State: "done", StartedAt: &t0, EndedAt: &t1, SpeakingTime: 3 * time.Minute},
		{ID: 12, AgendaItemID: item.ID, Organization: Organization{Name: "東京サイバー研究所", Type: "private_sector", Country: "JP"},
			Kind: "statement", State: "speaking", StartedAt: &t1},
	}
	fonts, err := SystemFonts()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: &Service{DB: db, Speakers: speakers, Agenda: &meetings.Service{DB: db}, Registry: &registration.Service{DB: db},
		Fonts: fonts, PublicURL: "http://rostrum.test"}, m: &m, admin: auth.Actor{User: &u}, ctx: context.Background()}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err error, k apperr.Kind, code string) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("error %v, want kind %d", err, k)
	}
	var ae *apperr.Error
	if code != "" && (!asAppErr(err, &ae) || ae.Code != code) {
		t.Fatalf("error %v, want code %q", err, code)
	}
}

func asAppErr(err error, out **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	*out = e
	return ok
}

func TestNotesAttachOnlyToInterventionsOfTheMeeting(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.SaveNote(f.ctx, f.m, 999, NoteInput{Text: "x"}, f.admin.User.ID)
	wantKind(t, err, apperr.KindNotFound, "")
	_, err = f.s.SaveNote(f.ctx, f.m, 11, NoteInput{Text: strings.Repeat("a", MaxNoteText+1)}, f.admin.User.ID)
	wantKind(t, err, apperr.KindInvalid, "")
	n, err := f.s.SaveNote(f.ctx, f.m, 11, NoteInput{Text: "First.", KeyPoints: []KeyPoint{{Text: " "}, {Text: "Capacity", Theme: " Capacity  building "}}}, f.admin.User.ID)
	must(t, err)
	if n.Text != "First." || len(n.KeyPoints) != 1 || n.KeyPoints[0] != (KeyPoint{Text: "Capacity", Theme: "Capacity building"}) {
		t.Fatalf("note %+v", n)
	}
	// Saving again replaces the note (saves as you type).
	_, err = f.s.SaveNote(f.ctx, f.m, 11, NoteInput{Text: "Second."}, f.admin.User.ID)
	must(t, err)
	notes, err := f.s.Notes(f.ctx, f.m)
	must(t, err)
	if len(notes) != 2 || notes[0].Text != "Second." || len(notes[0].KeyPoints) != 0 || notes[1].Text != "" || notes[1].SpeakingSeconds != 0 || notes[0].SpeakingSeconds != 180 {
		t.Fatalf("notes %+v", notes)
	}
}

func TestDraftVersionFromTheRecordIsEditableUntilApproved(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.SaveNote(f.ctx, f.m, 11, NoteInput{Text: "Warned of ransomware."}, f.admin.User.ID)
	must(t, err)
	v, err := f.s.CreateVersion(f.ctx, f.m, f.admin)
	must(t, err)
	if v.Version != 1 || v.State != models.SummaryDraft || v.Revisions != 1 {
		t.Fatalf("version %+v", v)
	}
	if !strings.Contains(v.Markdown, "A participant from civil society warned of ransomware.") ||
		strings.Contains(body(v.Markdown), "Ñandú") {
		t.Fatalf("draft:\n%s", v.Markdown)
	}
	if !strings.Contains(v.Markdown, "| Fundación Ñandú | Argentina |") || strings.Contains(v.Markdown, "Ana") {
		t.Fatalf("annex II or a person's name:\n%s", v.Markdown)
	}
	edited := strings.Replace(v.Markdown, "warned of ransomware.", "warned of ransomware against hospitals.", 1)
	v, err = f.s.SaveMarkdown(f.ctx, f.m, 1, edited, f.admin)
	must(t, err)
	if v.Revisions != 2 || v.Markdown != edited {
		t.Fatalf("after edit %+v", v)
	}
	// Saving the same text again adds no revision.
	v, err = f.s.SaveMarkdown(f.ctx, f.m, 1, edited, f.admin)
	must(t, err)
	if v.Revisions != 2 {
		t.Fatalf("revisions %d", v.Revisions)
	}
	d, err := f.s.Diff(f.ctx, f.m, 1, 1, 2)
	must(t, err)
	if !strings.Contains(d, "-6. A participant from civil society warned of ransomware.") ||
		!strings.Contains(d, "+6. A participant from civil society warned of ransomware against hospitals.") {
		t.Fatalf("diff:\n%s", d)
	}
	_, err = f.s.Diff(f.ctx, f.m, 1, 1, 9)
	wantKind(t, err, apperr.KindNotFound, "")

	_, err = f.s.Circulate(f.ctx, f.m, 1, nil, f.admin)
	wantKind(t, err, apperr.KindConflict, "not_approved")
	v, err = f.s.Approve(f.ctx, f.m, 1, f.admin)
	must(t, err)
	if v.State != models.SummaryApproved || v.ApprovedAt == nil {
		t.Fatalf("approved %+v", v)
	}
	_, err = f.s.SaveMarkdown(f.ctx, f.m, 1, "changed", f.admin)
	wantKind(t, err, apperr.KindConflict, "version_frozen")
	_, err = f.s.Approve(f.ctx, f.m, 1, f.admin)
	wantKind(t, err, apperr.KindConflict, "not_draft")
	got, err := f.s.Version(f.ctx, f.m, 1)
	must(t, err)
	if got.Markdown != edited {
		t.Fatal("a frozen version changed")
	}
	// Edits after approval start a new version.
	v2, err := f.s.CreateVersion(f.ctx, f.m, f.admin)
	must(t, err)
	if v2.Version != 2 || v2.State != models.SummaryDraft {
		t.Fatalf("v2 %+v", v2)
	}
	list, err := f.s.Versions(f.ctx, f.m)
	must(t, err)
	if len(list) != 2 || list[0].Version != 2 || list[1].State != models.SummaryApproved || list[0].Markdown != "" {
		t.Fatalf("versions %+v", list)
	}
}

func TestCirculationQueuesOneMessagePerAddressOnce(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.CreateVersion(f.ctx, f.m, f.admin)
	must(t, err)
	_, err = f.s.Approve(f.ctx, f.m, 1, f.admin)
	must(t, err)
	_, err = f.s.Circulate(f.ctx, f.m, 1, []string{"not an address"}, f.admin)
	wantKind(t, err, apperr.KindInvalid, "")
	c, err := f.s.Circulate(f.ctx, f.m, 1, []string{"Kenji@Example.JP", "chair@un.org", "Chair <chair@UN.org>"}, f.admin)
	must(t, err)
	// ana (twice, case differs) once, kenji (also an extra) once, chair once; pending registrations are left out
	if c.Total != 3 || c.Pending != 3 || len(c.Recipients) != 3 {
		t.Fatalf("circulation %+v", c)
	}
	var msgs []models.OutboxMessage
	must(t, f.s.DB.Where("kind = ?", "circulation").Find(&msgs).Error)
	if len(msgs) != 3 {
		t.Fatalf("%d outbox messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		if m.Ref == nil || !strings.HasPrefix(*m.Ref, "circulation:") || !strings.Contains(m.Text, "http://rostrum.test/m/oewg/summary") {
			t.Fatalf("message %+v", m)
		}
		if m.ToAddr == "pending@example.org" {
			t.Fatal("a pending registration was sent the summary")
		}
	}
	v, err := f.s.Version(f.ctx, f.m, 1)
	must(t, err)
	if v.State != models.SummaryCirculated || v.CirculationID != c.ID {
		t.Fatalf("version %+v", v)
	}
	_, err = f.s.Circulate(f.ctx, f.m, 1, nil, f.admin)
	wantKind(t, err, apperr.KindConflict, "already_circulated")
	var n int64
	must(t, f.s.DB.Model(&models.OutboxMessage{}).Count(&n).Error)
	if n != 3 {
		t.Fatalf("%d messages after a second request, want 3", n)
	}

	// A failed message goes back in the queue on re-send; sent ones stay.
	must(t, f.s.DB.Model(&models.OutboxMessage{}).Where("id = ?", msgs[0].ID).Updates(map[string]any{"status": models.OutboxFailed, "last_error": "550 no such user", "attempts": 5}).Error)
	must(t, f.s.DB.Model(&models.OutboxMessage{}).Where("id = ?", msgs[1].ID).Update("status", models.OutboxSent).Error)
	c, err = f.s.Circulation(f.ctx, f.m, c.ID)
	must(t, err)
	if c.Failed != 1 || c.Sent != 1 || c.Pending != 1 {
		t.Fatalf("progress %+v", c)
	}
	c, err = f.s.Resend(f.ctx, f.m, c.ID)
	must(t, err)
	if c.Failed != 0 || c.Sent != 1 || c.Pending != 2 {
		t.Fatalf("after resend %+v", c)
	}
	// The documents of a circulated version are cached and identical.
	d1, err := f.s.Document(f.ctx, f.m, 1, "pdf")
	must(t, err)
	d2, err := f.s.Document(f.ctx, f.m, 1, "pdf")
	must(t, err)
	if &d1.Data[0] != &d2.Data[0] || d1.Filename != "oewg-chairs-summary-v1.pdf" {
		t.Fatal("a frozen version's PDF was rendered twice")
	}
}
