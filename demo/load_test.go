package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"rostrum/app"
	"rostrum/demo"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/summary"
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
	if err := demo.Load(context.Background(), demo.ServicesOf(a), &first); err != nil {
		t.Fatal(err)
	}
	type tally struct {
		meetings, items, orgs, regs, users, mails               int64
		seq, entries, lists, events, notes, versions, revisions int64
		documents, letters, distribution, addresses             int64
	}
	count := func() tally {
		var c tally
		a.DB.Model(&models.Meeting{}).Count(&c.meetings)
		a.DB.Model(&models.AgendaItem{}).Count(&c.items)
		a.DB.Model(&models.Organization{}).Count(&c.orgs)
		a.DB.Model(&models.Registration{}).Count(&c.regs)
		a.DB.Model(&models.User{}).Count(&c.users)
		a.DB.Model(&models.OutboxMessage{}).Count(&c.mails)
		a.DB.Model(&models.LiveMeeting{}).Select("COALESCE(SUM(seq), 0)").Scan(&c.seq)
		a.DB.Model(&models.SpeakerEntry{}).Count(&c.entries)
		a.DB.Model(&models.SpeakerList{}).Count(&c.lists)
		a.DB.Model(&models.LiveEvent{}).Count(&c.events)
		a.DB.Model(&models.SpeakerNote{}).Count(&c.notes)
		a.DB.Model(&models.SummaryVersion{}).Count(&c.versions)
		a.DB.Model(&models.SummaryRevision{}).Count(&c.revisions)
		a.DB.Model(&models.Document{}).Count(&c.documents)
		a.DB.Model(&models.Letter{}).Count(&c.letters)
		a.DB.Model(&models.DistributionList{}).Count(&c.distribution)
		a.DB.Model(&models.DistributionAddress{}).Count(&c.addresses)
		return c
	}
	once := count()
	if err := demo.Load(context.Background(), demo.ServicesOf(a), &second); err != nil {
		t.Fatal(err)
	}
	if twice := count(); twice != once {
		t.Fatalf("second run changed the database: %+v → %+v", once, twice)
	}
	if once.meetings != 1 || once.items != 6 || once.orgs < 100 || once.orgs > 120 || once.regs < 150 || once.users != 3 {
		t.Fatalf("demo holds %+v", once)
	}
	m, err := a.Meetings.BySlug(context.Background(), demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if m.Chair != "Mr. David Koh (Singapore)" || !strings.Contains(m.Venue, "Conference Room 1") || m.Capacity == 0 {
		t.Fatalf("meeting %+v", m)
	}
	counts, err := a.Registrations.Count(context.Background(), m.ID)
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
	for _, want := range []string{"/m/" + demo.Slug + "/register", "/admin",
		"/m/" + demo.Slug + "/console", "/m/" + demo.Slug + "/screen", "/m/" + demo.Slug + "/notes",
		"/m/" + demo.Slug + "/summary/desk", "/r/", "moderator@rostrum.example  password ", "rapporteur@rostrum.example  password "} {
		if !strings.Contains(out, want) {
			t.Errorf("first run does not print %q:\n%s", want, out)
		}
	}
	if !strings.Contains(second.String(), "registrations added now: 0") {
		t.Errorf("second run:\n%s", second.String())
	}
	t.Log(out)
}

// The demo meeting is in session: the first two themes discussed (every
// intervention done, timed and noted by the rapporteur), the third under
// way with a speaker whose clock runs from now and a queue led by a point
// of order, and a first draft of the summary built from that record.
func TestDemoMeetingIsInSession(t *testing.T) {
	cfg := testenv.Config(t)
	a, err := app.New(cfg, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(0)
	a.Auth.Cost = 4
	ctx := context.Background()
	before := time.Now()
	var out bytes.Buffer
	if err := demo.Load(ctx, demo.ServicesOf(a), &out); err != nil {
		t.Fatal(err)
	}
	m, err := a.Meetings.BySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.Live.State(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CurrentItemID == nil || len(st.Items) < 3 || *st.CurrentItemID != st.Items[2].ID {
		t.Fatalf("current item %v, want item 3", st.CurrentItemID)
	}
	var rapporteur models.User
	if err := a.DB.Where("email = ?", "rapporteur@rostrum.example").First(&rapporteur).Error; err != nil {
		t.Fatal(err)
	}
	notes, err := a.Summary.Notes(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	noteOf := map[uint]summary.NoteView{}
	for _, n := range notes {
		noteOf[n.SpeakerID] = n
	}

	for k, it := range st.Items[:2] {
		kinds, types := map[string]int{}, map[string]bool{}
		if len(it.Speakers) < 8 || len(it.Speakers) > 12 || !it.Closed {
			t.Errorf("item %d: %d speakers, closed %v; want 8–12 on a closed list", k+1, len(it.Speakers), it.Closed)
		}
		for _, e := range it.Speakers {
			kinds[e.Kind]++
			types[e.StakeholderType] = true
			if e.State != models.SpeakerDone || e.StartedAt == nil || e.EndedAt == nil {
				t.Errorf("item %d: entry %d is %s, want done with its times", k+1, e.ID, e.State)
				continue
			}
			if spoken := time.Duration(e.SpokenMS) * time.Millisecond; spoken < 30*time.Second || spoken > 4*time.Minute ||
				spoken > e.EndedAt.Sub(*e.StartedAt) || !e.EndedAt.Before(before) {
				t.Errorf("item %d: entry %d spoke %v from %v to %v", k+1, e.ID, spoken, e.StartedAt, e.EndedAt)
			}
			n := noteOf[e.ID]
			if strings.Count(n.Text, ". ") < 1 || len(n.KeyPoints) < 1 || len(n.KeyPoints) > 3 || n.AuthorID != rapporteur.ID {
				t.Errorf("item %d: note on entry %d: %+v", k+1, e.ID, n)
			}
		}
		if len(types) < 4 {
			t.Errorf("item %d: speakers of only %d stakeholder types", k+1, len(types))
		}
		if k == 0 && kinds[models.KindPointOfOrder] != 1 || k == 1 && kinds[models.KindReply] != 1 {
			t.Errorf("item %d: kinds %v", k+1, kinds)
		}
	}

	cur := st.Items[2]
	var speaking, waiting []*models.SpeakerEntry
	for _, e := range cur.Speakers {
		switch e.State {
		case models.SpeakerSpeaking:
			speaking = append(speaking, e)
		case models.SpeakerWaiting:
			waiting = append(waiting, e)
		}
	}
	if len(speaking) != 1 || cur.Timer == nil || !cur.Timer.Running || cur.Timer.StartedAt.Before(before.Add(-time.Second)) {
		t.Fatalf("item 3: speaking %d, timer %+v (demo began at %v)", len(speaking), cur.Timer, before)
	}
	if len(waiting) < 5 || len(waiting) > 6 || waiting[0].Kind != models.KindPointOfOrder {
		t.Errorf("item 3: %d waiting, first %+v; want 5–6 led by a point of order", len(waiting), waiting[0])
	}

	versions, err := a.Summary.Versions(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 1 || versions[0].Version != 1 || versions[0].State != models.SummaryDraft {
		t.Fatalf("summary versions %+v", versions)
	}
	v, err := a.Summary.Version(ctx, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Key points are drafted by theme, in reported speech: the draft has
	// a paragraph on the first key point's theme.
	if first := noteOf[st.Items[0].Speakers[0].ID].KeyPoints[0]; !strings.Contains(v.Markdown, "On "+summary.MidSentence(first.Theme, nil)+", ") {
		t.Errorf("the draft has no paragraph on the theme of the notes' key point %+v:\n%s", first, v.Markdown)
	}
}
