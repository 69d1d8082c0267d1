package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

var noticeLink = regexp.MustCompile(`https?://\S+/d/([A-Za-z0-9_-]+)/non-objection/(\d+)`)

// noticeFixture is a meeting "m" with Singapore and Kenya invited and two
// organizations registered on the non-objection track: Alpha (which gave
// a description and a website) and Beta.
type noticeFixture struct {
	e           *testenv.Env
	mail        *mailtest.Server
	admin       *testenv.Client
	focal       map[string]string // focal-point tokens by country
	alpha, beta testenv.Registered
	alphaOrg    uint
	betaOrg     uint
}

func newNoticeFixture(t *testing.T, opts ...testenv.Option) *noticeFixture {
	t.Helper()
	mail := mailtest.Start(t)
	e := testenv.New(t, append([]testenv.Option{testenv.WithSMTP(mail.Host(), mail.Port())}, opts...)...)
	return noticeFixtureOn(t, e, mail)
}

func noticeFixtureOn(t *testing.T, e *testenv.Env, mail *mailtest.Server) *noticeFixture {
	t.Helper()
	registrationMeeting(t, e, "m", 0, 0)
	importMissions(t, e, singapore, kenya)
	f := &noticeFixture{e: e, mail: mail, admin: e.Admin()}
	f.focal = invite(t, e, mail, "m", singapore, kenya)
	a := testenv.RegistrationBody("Alpha Digital Rights", "Ana Alpha", "ana@alpha.example.org")
	org := a["organization"].(map[string]any)
	org["website"], org["description"], org["ecosoc_status"] = "alpha.example.org", "Defends privacy online in East Africa.", "special"
	f.alpha = mustRegister(t, e, "m", a)
	f.beta = mustRegister(t, e, "m", testenv.RegistrationBody("Beta Labs", "Ben Beta", "ben@beta.example.org"))
	f.alphaOrg = participantOrg(t, e, f.alpha)
	f.betaOrg = participantOrg(t, e, f.beta)
	return f
}

func participantOrg(t *testing.T, e *testenv.Env, r testenv.Registered) uint {
	t.Helper()
	var me struct{ Organization struct{ ID uint } }
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	return me.Organization.ID
}

type createdNotice struct {
	ID            uint      `json:"id"`
	Deadline      time.Time `json:"deadline"`
	Missions      int       `json:"missions"`
	Organizations []struct {
		ID          uint   `json:"id"`
		Name        string `json:"name"`
		CountryName string `json:"country_name"`
		Type        string `json:"type"`
		Website     string `json:"website"`
		Description string `json:"description"`
	} `json:"organizations"`
}

// circulate makes a notice of orgs with a deadline in d and returns it
// with each mission's notice link token, read from its mail.
func (f *noticeFixture) circulate(t *testing.T, d time.Duration, orgs ...uint) (createdNotice, map[string]string) {
	t.Helper()
	before := map[string]int{}
	for _, m := range []missionRow{singapore, kenya} {
		before[m.Email] = len(f.mail.To(m.Email))
	}
	var n createdNotice
	f.admin.MustJSON("POST", "/api/meetings/m/non-objection", map[string]any{
		"organization_ids": orgs, "deadline": time.Now().Add(d).UTC().Format(time.RFC3339Nano)}, 201, &n)
	links := map[string]string{}
	for _, m := range []missionRow{singapore, kenya} {
		mails := f.mail.WaitTo(m.Email, before[m.Email]+1, 15*time.Second)
		got := noticeLink.FindStringSubmatch(mails[len(mails)-1].Text)
		if got == nil || got[2] != fmt.Sprint(n.ID) {
			t.Fatalf("no link to notice %d in %q", n.ID, mails[len(mails)-1].Text)
		}
		links[m.Country] = got[1]
	}
	return n, links
}

type missionNotices struct {
	State   string `json:"state"`
	Notices []struct {
		ID            uint              `json:"id"`
		Open          bool              `json:"open"`
		Objected      map[string]string `json:"objected"`
		Organizations []struct {
			ID          uint   `json:"id"`
			Name        string `json:"name"`
			CountryName string `json:"country_name"`
			Description string `json:"description"`
		} `json:"organizations"`
	} `json:"notices"`
}

type staffNotice struct {
	ID            uint           `json:"id"`
	State         string         `json:"state"`
	Counts        map[string]int `json:"counts"`
	Organizations []struct {
		ID         uint   `json:"id"`
		Objections int    `json:"objections"`
		Outcome    string `json:"outcome"`
	} `json:"organizations"`
	Objections []struct {
		OrganizationID uint   `json:"organization_id"`
		State          string `json:"state"`
		Reason         string `json:"reason"`
	} `json:"objections"`
}

// TestANoticeReachesEveryInvitedMissionWithWhatTheOrganizationsGave: the
// notice answers 201 with its organizations and deadline; each invited
// mission gets a mail with its own link to the notice's page, and with
// that link reads the organizations: name, country's name, type, website
// and the description a registrant gave.
func TestANoticeReachesEveryInvitedMissionWithWhatTheOrganizationsGave(t *testing.T) {
	f := newNoticeFixture(t)
	n, links := f.circulate(t, time.Hour, f.alphaOrg, f.betaOrg)
	if n.ID == 0 || n.Missions != 2 || len(n.Organizations) != 2 || n.Deadline.IsZero() {
		t.Fatalf("notice %+v", n)
	}
	if links["SG"] == links["KE"] || links["SG"] == f.focal["SG"] {
		t.Fatalf("each mission must get a link of its own")
	}
	var got missionNotices
	f.e.Participant(links["KE"]).MustJSON("GET", "/api/non-objection", nil, 200, &got)
	if got.State != "Kenya" || len(got.Notices) != 1 || !got.Notices[0].Open {
		t.Fatalf("Kenya reads %+v", got)
	}
	a := got.Notices[0].Organizations[0]
	if a.Name != "Alpha Digital Rights" || a.CountryName != "Kenya" || a.Description != "Defends privacy online in East Africa." {
		t.Errorf("Alpha as circulated: %+v", a)
	}
	// The page of the link is the focal point's page.
	if res := f.e.Anon().Do("GET", fmt.Sprintf("/d/%s/non-objection/%d", links["KE"], n.ID), nil); res.Status != 200 || !strings.Contains(string(res.Body), "delegation.js") {
		t.Errorf("notice page: %d", res.Status)
	}
}

// TestAnOrganizationOnTheECOSOCListNeverEntersANotice: 422 ecosoc_track,
// and no notice is made.
func TestAnOrganizationOnTheECOSOCListNeverEntersANotice(t *testing.T) {
	f := newNoticeFixture(t)
	importECOSOC(t, f.admin, "name,status,year\nBeta Labs,roster,2015\n", 200)
	res := f.admin.Do("POST", "/api/meetings/m/non-objection", map[string]any{
		"organization_ids": []uint{f.alphaOrg, f.betaOrg}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)})
	if res.Status != 422 || !strings.Contains(string(res.Body), `"ecosoc_track"`) {
		t.Fatalf("%d %s, want 422 ecosoc_track", res.Status, res.Body)
	}
	var l struct{ Notices []staffNotice }
	f.admin.MustJSON("GET", "/api/meetings/m/non-objection", nil, 200, &l)
	if len(l.Notices) != 0 {
		t.Errorf("a refused notice was stored: %+v", l.Notices)
	}
	// A deadline in the past is refused too.
	if res := f.admin.Do("POST", "/api/meetings/m/non-objection", map[string]any{
		"organization_ids": []uint{f.alphaOrg}, "deadline": time.Now().Add(-time.Minute).Format(time.RFC3339)}); res.Status != 422 {
		t.Errorf("deadline in the past: %d", res.Status)
	}
}

// TestAnObjectionIsReadByTheSecretariatAlone: Singapore objects to Alpha.
// Singapore sees its own objection; Kenya does not see it; Alpha's and
// Beta's participants cannot read notices; a moderator cannot read the
// notice; the secretariat reads it with the State named.
func TestAnObjectionIsReadByTheSecretariatAlone(t *testing.T) {
	f := newNoticeFixture(t)
	n, links := f.circulate(t, time.Hour, f.alphaOrg, f.betaOrg)
	path := fmt.Sprintf("/api/non-objection/%d/objections", n.ID)
	// The focal-point link of the invitation acts as well as the notice's.
	f.e.Participant(f.focal["SG"]).MustJSON("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": "Not relevant to the mandate."}, 201, nil)
	if res := f.e.Participant(links["SG"]).Do("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": "Twice"}); res.Status != 409 {
		t.Errorf("a second objection of one State to one organization: %d", res.Status)
	}

	var sg, ke missionNotices
	f.e.Participant(links["SG"]).MustJSON("GET", "/api/non-objection", nil, 200, &sg)
	f.e.Participant(links["KE"]).MustJSON("GET", "/api/non-objection", nil, 200, &ke)
	if r := sg.Notices[0].Objected[fmt.Sprint(f.alphaOrg)]; r != "Not relevant to the mandate." {
		t.Errorf("Singapore does not see its own objection: %+v", sg.Notices[0].Objected)
	}
	if len(ke.Notices[0].Objected) != 0 {
		t.Errorf("Kenya sees another State's objection: %+v", ke.Notices[0].Objected)
	}
	for _, tok := range []string{f.alpha.Token(), f.beta.Token()} {
		p := f.e.Participant(tok)
		for _, req := range [][2]string{{"GET", "/api/non-objection"}, {"GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", n.ID)}, {"GET", "/api/meetings/m/non-objection"}} {
			if res := p.Do(req[0], req[1], nil); res.Status != 401 && res.Status != 403 {
				t.Errorf("an organization's participant %s %s: %d", req[0], req[1], res.Status)
			}
		}
		var me map[string]any
		p.MustJSON("GET", "/api/participant", nil, 200, &me)
		if b := fmt.Sprint(me); strings.Contains(b, "Singapore") || strings.Contains(b, "mandate") {
			t.Errorf("a participant's own page shows the objection: %s", b)
		}
	}
	for _, staff := range []*testenv.Client{f.e.Staff(models.RoleModerator), f.e.Staff(models.RoleRapporteur)} {
		if res := staff.Do("GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", n.ID), nil); res.Status != 403 {
			t.Errorf("staff other than the secretariat read the notice: %d", res.Status)
		}
	}
	var sn staffNotice
	f.admin.MustJSON("GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", n.ID), nil, 200, &sn)
	if sn.State != "open" || sn.Counts["objections"] != 1 || sn.Counts["objected"] != 1 || len(sn.Objections) != 1 ||
		sn.Objections[0].State != "Singapore" || sn.Objections[0].OrganizationID != f.alphaOrg {
		t.Errorf("the secretariat reads %+v", sn)
	}
	// An organization not in the notice, and an empty reason, are field errors.
	if res := f.e.Participant(links["KE"]).Do("POST", path, map[string]any{"organization_id": 999999, "reason": "x"}); res.Status != 422 {
		t.Errorf("objection to an organization outside the notice: %d", res.Status)
	}
	if res := f.e.Participant(links["KE"]).Do("POST", path, map[string]any{"organization_id": f.betaOrg, "reason": " "}); res.Status != 422 {
		t.Errorf("objection without reason: %d", res.Status)
	}
}

// waitClosed waits until notice id is closed, as the secretariat reads it.
func waitClosed(t *testing.T, admin *testenv.Client, id uint) staffNotice {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var sn staffNotice
		admin.MustJSON("GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", id), nil, 200, &sn)
		if sn.State == "closed" {
			return sn
		}
		if time.Now().After(deadline) {
			t.Fatalf("notice %d still %s 30 s after its deadline: the deadline job never fired", id, sn.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// decisionMails counts the decision mails queued to addr.
func decisionMails(t *testing.T, e *testenv.Env, addr string) []models.OutboxMessage {
	t.Helper()
	var ms []models.OutboxMessage
	if err := e.App.DB.Where("kind = ? AND to_addr = ?", "registration_decision", addr).Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	return ms
}

func regStatus(t *testing.T, e *testenv.Env, r testenv.Registered) (status, reason string) {
	t.Helper()
	var me struct{ Status, Reason string }
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	return me.Status, me.Reason
}

// TestAtTheDeadlineTheObjectedAreRejectedAndTheOthersApprovedOnce: the
// job fires by itself; Alpha (objected) is rejected with the reason that
// names no State, Beta approved; each gets exactly one decision mail,
// also when the job is run again at once from eight goroutines; an
// objection after the deadline is 409 deadline_passed.
func TestAtTheDeadlineTheObjectedAreRejectedAndTheOthersApprovedOnce(t *testing.T) {
	f := newNoticeFixture(t)
	n, links := f.circulate(t, 2*time.Second, f.alphaOrg, f.betaOrg)
	path := fmt.Sprintf("/api/non-objection/%d/objections", n.ID)
	f.e.Participant(links["SG"]).MustJSON("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": "Singapore has concerns."}, 201, nil)

	sn := waitClosed(t, f.admin, n.ID)
	if sn.Counts["approved"] != 1 || sn.Counts["rejected"] != 1 {
		t.Errorf("counts %+v", sn.Counts)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if closed, err := f.e.App.Accreditation.CloseDue(context.Background()); err != nil || closed != 0 {
				t.Errorf("a later pass closed %d notices (%v), want none", closed, err)
			}
		}()
	}
	wg.Wait()

	if st, reason := regStatus(t, f.e, f.alpha); st != "rejected" || reason != "an objection was raised by a Member State" {
		t.Errorf("Alpha: %s %q", st, reason)
	}
	if st, _ := regStatus(t, f.e, f.beta); st != "approved" {
		t.Errorf("Beta: %s, want approved", st)
	}
	for addr, want := range map[string]string{"ana@alpha.example.org": "not been approved", "ben@beta.example.org": "approved"} {
		ms := decisionMails(t, f.e, addr)
		if len(ms) != 1 {
			t.Fatalf("%s got %d decision mails, want exactly 1", addr, len(ms))
		}
		if !strings.Contains(ms[0].Text, want) || strings.Contains(ms[0].Text, "Singapore") {
			t.Errorf("%s's mail: %s", addr, ms[0].Text)
		}
	}
	res := f.e.Participant(links["KE"]).Do("POST", path, map[string]any{"organization_id": f.betaOrg, "reason": "Too late"})
	if res.Status != 409 || !strings.Contains(string(res.Body), `"deadline_passed"`) {
		t.Errorf("objection after the deadline: %d %s", res.Status, res.Body)
	}
}

// TestTwoInstancesOnPostgresCloseANoticeOnce: two instances share one
// PostgreSQL database; both run the deadline job, and the test drives
// both at once too. The notice is closed once: one decision (one mail,
// one audit line) per registration.
func TestTwoInstancesOnPostgresCloseANoticeOnce(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	mail := mailtest.Start(t)
	a := testenv.New(t, testenv.WithDB(dsn), testenv.WithSMTP(mail.Host(), mail.Port()))
	b := testenv.New(t, testenv.WithDB(dsn), testenv.WithSMTP(mail.Host(), mail.Port()))
	f := noticeFixtureOn(t, a, mail)
	n, _ := f.circulate(t, 2*time.Second, f.alphaOrg, f.betaOrg)

	total := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, inst := range []*testenv.Env{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
				closed, err := inst.App.Accreditation.CloseDue(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				total += closed
				mu.Unlock()
				var sn staffNotice
				inst.Admin().MustJSON("GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", n.ID), nil, 200, &sn)
				if sn.State == "closed" {
					return
				}
			}
		}()
	}
	wg.Wait()
	waitClosed(t, f.admin, n.ID)
	if total > 1 {
		t.Errorf("the test's passes closed the notice %d times", total)
	}
	for _, addr := range []string{"ana@alpha.example.org", "ben@beta.example.org"} {
		if ms := decisionMails(t, a, addr); len(ms) != 1 {
			t.Errorf("%s: %d decision mails, want 1", addr, len(ms))
		}
	}
	var audits int64
	a.App.DB.Model(&models.AuditEvent{}).Where("action = ?", "decide_registration").Count(&audits)
	if audits != 2 {
		t.Errorf("%d decisions audited, want 2", audits)
	}
}
