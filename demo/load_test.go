package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rostrum/app"
	"rostrum/demo"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/registration"
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
		meetings, items, orgs, regs, users, mails, processes    int64
		seq, entries, lists, events, notes, versions, revisions int64
		documents, letters, distribution, addresses             int64
	}
	count := func() tally {
		var c tally
		a.DB.Model(&models.Meeting{}).Count(&c.meetings)
		a.DB.Model(&models.Process{}).Count(&c.processes)
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
	// The demo meeting and the second substantive session, in one process.
	if once.meetings != 2 || once.processes != 1 || once.items != 6 || once.orgs < 130 || once.orgs > 160 || once.regs < 150 || once.users != 4 { // admin, moderator, rapporteur, registrar
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
	// Every seat is held while people wait; States' delegations hold
	// seats besides (capacity does not turn a State away).
	var delegates int64
	a.DB.Model(&models.Registration{}).Joins("JOIN organizations ON organizations.id = registrations.organization_id").
		Where("organizations.type IN ? AND registrations.status = ?", []string{models.KindMemberState, models.KindObserverState}, models.StatusApproved).Count(&delegates)
	if held := counts.ByStatus["pending"] + counts.ByStatus["approved"] - delegates; held != int64(m.Capacity) {
		t.Errorf("%d seats held by organizations of %d, yet people wait", held, m.Capacity)
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

// TestDemoProcessHoldsTheMeetingAndTheSecondSubstantiveSession: the
// demo's process is the OEWG's, with the December meeting (intersessional)
// and the February session (substantive, open for registration), both
// naming the body in full with its acronym.
func TestDemoProcessHoldsTheMeetingAndTheSecondSubstantiveSession(t *testing.T) {
	a, err := app.New(testenv.Config(t), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(0)
	a.Auth.Cost = 4
	ctx := context.Background()
	var out bytes.Buffer
	if err := demo.Load(ctx, demo.ServicesOf(a), &out); err != nil {
		t.Fatal(err)
	}
	p, err := a.Meetings.ProcessBySlug(ctx, demo.ProcessSlug)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := a.Meetings.MeetingsOf(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Slug != demo.Slug || ms[0].Kind != models.MeetingKindIntersessional ||
		ms[1].Slug != demo.SecondSessionSlug || ms[1].Kind != models.MeetingKindSubstantive {
		t.Fatalf("the process's meetings: %+v", ms)
	}
	for _, m := range ms {
		if !strings.HasPrefix(m.Body, "Open-ended Working Group on developments") || m.BodyAcronym != "OEWG" {
			t.Errorf("%s names the body %q (%q)", m.Slug, m.Body, m.BodyAcronym)
		}
	}
	if !ms[1].RegistrationClosesAt.After(time.Now()) || !ms[1].StartsAt.After(ms[0].EndsAt) {
		t.Errorf("the second session is not open for registration after the first: %+v", ms[1])
	}
	if !strings.Contains(out.String(), "/p/"+demo.ProcessSlug) {
		t.Errorf("the demo does not print the process's page:\n%s", out.String())
	}
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

// loadedDemo is a fresh app with the demo loaded, its meeting, and what
// the demo printed.
func loadedDemo(t *testing.T) (*app.App, context.Context, *models.Meeting, *bytes.Buffer) {
	t.Helper()
	cfg := testenv.Config(t)
	a, err := app.New(cfg, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Shutdown(0) })
	a.Auth.Cost = 4
	ctx := context.Background()
	var out bytes.Buffer
	if err := demo.Load(ctx, demo.ServicesOf(a), &out); err != nil {
		t.Fatal(err)
	}
	m, err := a.Meetings.BySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return a, ctx, m, &out
}

// TestDemoHasDelegationsAnECOSOCListAndANoticeInProgress: 30 Member
// States' and 2 observer States' delegations, intergovernmental
// organizations, the ECOSOC list imported (registrations on both tracks,
// one claim the list does not confirm) and one notice open until a
// deadline in the future.
func TestDemoHasDelegationsAnECOSOCListAndANoticeInProgress(t *testing.T) {
	a, ctx, m, _ := loadedDemo(t)
	counts, err := a.Registrations.Count(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int64{}
	for _, k := range []string{models.KindMemberState, models.KindObserverState} {
		var n int64
		a.DB.Model(&models.Organization{}).Where("type = ?", k).Count(&n)
		states[k] = n
	}
	if states[models.KindMemberState] != 30 || states[models.KindObserverState] != 2 || counts.ByType["intergovernmental"]["total"] < 4 {
		t.Errorf("States %v, IGO registrations %d; want 30 Member States, 2 observer States, at least 4 IGOs", states, counts.ByType["intergovernmental"]["total"])
	}
	for _, tr := range registration.Tracks {
		regs, total, err := a.Registrations.List(ctx, m.ID, registration.Filter{Track: tr})
		if err != nil || total == 0 {
			t.Errorf("no registration on the %s track (%v)", tr, err)
		}
		if tr == registration.TrackNonObjection {
			unverified := 0
			for i := range regs {
				if registration.ClaimUnverified(&regs[i], &regs[i].Organization) {
					unverified++
				}
			}
			if unverified == 0 {
				t.Errorf("no claim of a status the list does not confirm")
			}
		}
	}
	notices, err := a.Accreditation.Notices(ctx, m.ID)
	if err != nil || len(notices) != 1 || notices[0].State != "open" || !notices[0].Deadline.After(time.Now()) || len(notices[0].Organizations) == 0 {
		t.Fatalf("notices %+v (%v), want one open with a deadline in the future", notices, err)
	}
	if notices[0].Missions != 32 {
		t.Errorf("the notice went to %d missions, want 32", notices[0].Missions)
	}
}

// The demo's door has admitted most approved participants (all who spoke),
// the Chair's summary counts them as attended, and their badges print.
func TestDemoHasCheckedInParticipantsAndPrintsTheirBadges(t *testing.T) {
	a, ctx, m, out := loadedDemo(t)
	att, err := a.Registrations.AttendanceOf(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if att.CheckedIn == 0 || att.CheckedIn >= att.Approved {
		t.Fatalf("demo attendance: %d of %d checked in", att.CheckedIn, att.Approved)
	}
	vs, err := a.Summary.Versions(ctx, m)
	if err != nil || len(vs) == 0 {
		t.Fatalf("versions %v %v", vs, err)
	}
	v, err := a.Summary.Version(ctx, m, vs[0].Version)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("In all, %d participants attended.", att.CheckedIn); !strings.Contains(v.Markdown, want) {
		t.Errorf("the draft does not say %q", want)
	}
	pdf, err := a.Handler.Door.Badges(ctx, m, nil, "a4")
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("badges: %v", err)
	}
	if !strings.Contains(out.String(), "/checkin") {
		t.Errorf("the demo does not print the check-in page:\n%s", out.String())
	}
}
