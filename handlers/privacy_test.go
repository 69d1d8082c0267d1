package handlers_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

type privacyMeeting struct {
	PrivacyNotice        string `json:"privacy_notice"`
	PrivacyNoticeVersion int    `json:"privacy_notice_version"`
	RetentionDays        int    `json:"retention_days"`
	Counts               map[string]int64
}

func TestPrivacyNoticeVersionMovesOnlyWhenItsTextChanges(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	var m privacyMeeting
	admin.MustJSON("POST", "/api/meetings", meetingInput("m"), 201, &m)
	if m.PrivacyNotice != "" || m.PrivacyNoticeVersion != 0 || m.RetentionDays != 180 {
		t.Fatalf("a new meeting: %+v, want no notice (version 0) and 180 days of retention", m)
	}
	steps := []struct {
		edit    map[string]any
		version int
	}{
		{map[string]any{"privacy_notice": "## Your data\n\nThe secretariat keeps them."}, 1},
		{map[string]any{"privacy_notice": "## Your data\n\nThe secretariat keeps them."}, 1}, // same text
		{map[string]any{"retention_days": 30}, 1},
		{map[string]any{"privacy_notice": "## Your data\n\nKept 30 days after the meeting."}, 2},
	}
	for i, s := range steps {
		admin.MustJSON("PATCH", "/api/meetings/m", s.edit, 200, &m)
		if m.PrivacyNoticeVersion != s.version {
			t.Fatalf("step %d: version %d, want %d", i, m.PrivacyNoticeVersion, s.version)
		}
	}
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, &m)
	if m.RetentionDays != 30 || !strings.Contains(m.PrivacyNotice, "Kept 30 days") {
		t.Fatalf("after the edits: %+v", m)
	}
	for name, bad := range map[string]map[string]any{
		"negative retention": {"retention_days": -1},
		"retention too long": {"retention_days": 3651},
		"bidi in the notice": {"privacy_notice": "a\u202eb"},
		"notice too long":    {"privacy_notice": strings.Repeat("x", 20001)},
	} {
		var eb errorBody
		admin.MustJSON("PATCH", "/api/meetings/m", bad, 422, &eb)
		for k := range bad {
			if eb.Fields[k] == "" {
				t.Errorf("%s: no message for %s: %+v", name, k, eb)
			}
		}
	}
	// The audit log keeps every text of the notice, so the text any
	// registration agreed to can be found again.
	var log struct {
		Events []struct{ Action, Detail json.RawMessage }
	}
	admin.MustJSON("GET", "/api/meetings/m/audit?limit=100", nil, 200, &log)
	texts := 0
	for _, ev := range log.Events {
		if strings.Contains(string(ev.Detail), `"privacy_notice"`) {
			texts++
		}
	}
	if texts != 2 {
		t.Fatalf("%d audited changes of the notice, want 2: %+v", texts, log.Events)
	}
}

func TestRegistrationRecordsTheNoticeVersionAndRefusesAStaleOrMissingOne(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	in := meetingInput("m")
	in["privacy_notice"] = "We keep your name."
	admin.MustJSON("POST", "/api/meetings", in, 201, nil)
	body := func(email string, version any) map[string]any {
		b := testenv.RegistrationBody("Access Now", "Ana Souza", email)
		if version != nil {
			b["consent_version"] = version
		}
		return b
	}
	var eb errorBody
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body("a@example.org", nil), 422, &eb)
	if !strings.Contains(eb.Fields["consent_version"], "privacy notice") {
		t.Fatalf("no version sent: %+v", eb)
	}
	var r testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body("a@example.org", 1), 201, &r)
	var v struct {
		ConsentVersion int       `json:"consent_version"`
		ConsentAt      time.Time `json:"consent_at"`
	}
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.ConsentVersion != 1 || v.ConsentAt.IsZero() {
		t.Fatalf("the registration recorded %+v, want version 1 and a time", v)
	}
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"privacy_notice": "We keep your name and title."}, 200, nil)
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body("b@example.org", 1), 422, &eb)
	if !strings.Contains(eb.Fields["consent_version"], "version 1") || !strings.Contains(eb.Fields["consent_version"], "version 2") {
		t.Fatalf("a stale version: %+v", eb)
	}
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body("b@example.org", 2), 201, &r)
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.ConsentVersion != 2 {
		t.Fatalf("recorded version %d, want 2", v.ConsentVersion)
	}
	// The form posted without script says the same, on its page.
	res := e.Anon().DoHeaders("POST", "/m/m/register", "org_name=Access+Now&org_type=ngo&org_country=KE&name=Ana&email=c%40example.org&consent=on&consent_version=1",
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
	if res.Status != 422 || !strings.Contains(string(res.Body), "Privacy notice") || !strings.Contains(string(res.Body), "version 2") {
		t.Fatalf("stale form post: %d %s", res.Status, res.Body)
	}
}

func TestAMeetingWithoutANoticeNeedsConsentToTheBuiltInText(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	b := testenv.RegistrationBody("Access Now", "Ana Souza", "a@example.org")
	b["consent"] = false
	var eb errorBody
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", b, 422, &eb)
	if eb.Fields["consent"] == "" {
		t.Fatalf("consent not required: %+v", eb)
	}
	r := mustRegister(t, e, "m", testenv.RegistrationBody("Access Now", "Ana Souza", "a@example.org"))
	var v struct {
		ConsentVersion int `json:"consent_version"`
	}
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.ConsentVersion != 0 {
		t.Fatalf("version %d recorded for the built-in text, want 0", v.ConsentVersion)
	}
}

func TestRegisterPageRendersTheNoticeSafelyWithItsVersion(t *testing.T) {
	e := testenv.New(t)
	in := meetingInput("m")
	in["privacy_notice"] = "## Who keeps your data\n\nThe **secretariat**. <script>alert(1)</script> [more](javascript:alert(2))"
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
	res := e.Anon().Do("GET", "/m/m/register", nil)
	page := string(res.Body)
	for _, want := range []string{"<h2>Who keeps your data</h2>", "<strong>secretariat</strong>", "&lt;script&gt;",
		`name="consent_version" value="1"`, "Version 1 of this meeting"} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "javascript:") {
		t.Fatalf("the notice's markup reached the page: %s", page)
	}
	// A meeting without a notice shows the built-in text and sends no version.
	registrationMeeting(t, e, "n", 0, 0)
	page = string(e.Anon().Do("GET", "/m/n/register", nil).Body)
	if strings.Contains(page, `name="consent_version"`) || !strings.Contains(page, "The secretariat keeps your name") {
		t.Fatalf("the form of a meeting without a notice: %s", page)
	}
}

// liveMeeting is a meeting with approved participants who have spoken.
type liveRecord struct {
	item   uint
	regs   []testenv.Registered
	names  []string
	emails []string
}

func recordSpeeches(t *testing.T, e *testenv.Env, slug string, people ...string) liveRecord {
	t.Helper()
	admin := e.Admin()
	var lr liveRecord
	var it struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/"+slug+"/agenda", map[string]any{"title": "Existing threats", "speaking_time_seconds": 180}, 201, &it)
	lr.item = it.ID
	types := []string{"ngo", "academia", "private_sector"}
	for i, name := range people {
		email := fmt.Sprintf("p%d@%s.example.org", i, slug)
		b := testenv.RegistrationBody(fmt.Sprintf("Organization %d", i), name, email)
		b["organization"].(map[string]any)["type"] = types[i%len(types)]
		r := mustRegister(t, e, slug, b)
		decide(admin, r.ID, "approve", 200)
		lr.regs, lr.names, lr.emails = append(lr.regs, r), append(lr.names, name), append(lr.emails, email)
	}
	admin.MustJSON("POST", "/api/meetings/"+slug+"/current", map[string]any{"item_id": lr.item}, 200, nil)
	for i, r := range lr.regs {
		var res struct{ Speaker struct{ ID uint } }
		e.Participant(r.Token()).MustJSON("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers", slug, lr.item), nil, 201, &res)
		admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d/start", slug, lr.item, res.Speaker.ID), nil, 200, nil)
		admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d/stop", slug, lr.item, res.Speaker.ID), nil, 200, nil)
		e.Staff(models.RoleRapporteur).MustJSON("PUT", fmt.Sprintf("/api/meetings/%s/speakers/%d/note", slug, res.Speaker.ID),
			map[string]any{"text": "Statement read by " + strings.ToUpper(lr.names[i]) + ".",
				"key_points": []map[string]string{{"text": "Capacity building matters", "theme": "Capacity building"}}}, 200, nil)
	}
	return lr
}

func TestParticipantExportHoldsWhatIsKeptAboutThemAndNoOneElse(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	lr := recordSpeeches(t, e, "m", "Ana Souza", "Ben Okafor")
	res := e.Participant(lr.regs[0].Token()).MustJSON("GET", "/api/participant/export", nil, 200, nil)
	if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the export is not offered as a file: %v", res.Header)
	}
	var x struct {
		Meeting      struct{ Slug string }
		Registration struct {
			Name, Email string
			Claim       *struct{ Name string }
			Status      string
		}
		Requests []struct{ State, Organization string } `json:"requests_for_the_floor"`
		Notes    []struct{ Text string }                `json:"notes_on_interventions"`
		Mail     []struct{ Kind, To, Text string }      `json:"mail"`
		Audit    []struct{ Action string }              `json:"audit_events"`
		Live     []struct{ Action string }              `json:"live_record_events"`
	}
	if err := json.Unmarshal(res.Body, &x); err != nil {
		t.Fatal(err)
	}
	if x.Meeting.Slug != "m" || x.Registration.Name != "Ana Souza" || x.Registration.Email != lr.emails[0] ||
		x.Registration.Claim == nil || x.Registration.Claim.Name != "Organization 0" || x.Registration.Status != "approved" {
		t.Fatalf("registration: %+v", x)
	}
	if len(x.Requests) != 1 || x.Requests[0].State != "done" || len(x.Notes) != 1 {
		t.Fatalf("requests %+v, notes %+v", x.Requests, x.Notes)
	}
	kinds := map[string]bool{}
	for _, m := range x.Mail {
		if m.To != lr.emails[0] {
			t.Fatalf("mail to another: %+v", m)
		}
		kinds[m.Kind] = true
	}
	if len(kinds) < 2 {
		t.Fatalf("mail sent to them: %+v", x.Mail)
	}
	if len(x.Audit) == 0 || x.Audit[0].Action != "decide_registration" || len(x.Live) < 3 {
		t.Fatalf("audit %+v, live %+v", x.Audit, x.Live)
	}
	for _, other := range []string{"Ben Okafor", lr.emails[1], lr.regs[0].Token(), lr.regs[1].Token()} {
		if strings.Contains(string(res.Body), other) {
			t.Fatalf("the export holds %q", other)
		}
	}
}

func TestErasureWithdrawsGivesTheSeatToTheWaitingListAndKillsTheToken(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 2, 0)
	lr := recordSpeeches(t, e, "m", "Ana Souza", "Ben Okafor")
	waiting := mustRegister(t, e, "m", testenv.RegistrationBody("Waiting Org", "Wai Ting", "w@example.org"))
	if waiting.Status != models.StatusWaitlisted {
		t.Fatalf("third registration %s, want waitlisted", waiting.Status)
	}
	ana := e.Participant(lr.regs[0].Token())
	ana.MustJSON("DELETE", "/api/participant", nil, 204, nil)
	for _, path := range []string{"/api/participant", "/api/participant/export", "/api/floor"} {
		ana.MustJSON("GET", path, nil, 401, nil)
	}
	ana.MustJSON("DELETE", "/api/participant", nil, 401, nil)
	var w struct{ Status string }
	e.Participant(waiting.Token()).MustJSON("GET", "/api/participant", nil, 200, &w)
	if w.Status != models.StatusPending {
		t.Fatalf("the waiting registration is %s after the seat was freed, want pending", w.Status)
	}
	admin := e.Admin()
	var list struct {
		Registrations []struct {
			ID           uint
			Name, Email  string
			JobTitle     string `json:"job_title"`
			Status       string
			AnonymizedAt *time.Time `json:"anonymized_at"`
			Organization struct{ Name, Type string }
		}
	}
	admin.MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	found := false
	for _, r := range list.Registrations {
		if r.ID != lr.regs[0].ID {
			continue
		}
		found = true
		if r.Name != "" || r.Email != "" || r.JobTitle != "" || r.AnonymizedAt == nil || r.Status != models.StatusWithdrawn ||
			r.Organization.Name != "Organization 0" || r.Organization.Type != "ngo" {
			t.Fatalf("the erased registration: %+v", r)
		}
	}
	if !found {
		t.Fatal("the erased registration left the list: its organization and state must stay")
	}
	assertNameGone(t, e, "m", lr.names[0], lr.emails[0])
	// Ben, who was not erased, keeps his name everywhere.
	if !strings.Contains(string(e.Anon().Do("GET", "/api/meetings/m/live", nil).Body), "Ben Okafor") {
		t.Fatal("another participant's name was erased from the live record")
	}
}

// assertNameGone fails when name or email is still anywhere the meeting
// keeps: the live state, the audit log, the notes, the registrations, the
// outbox.
func assertNameGone(t *testing.T, e *testenv.Env, slug, name, email string) {
	t.Helper()
	admin := e.Admin()
	for _, path := range []string{"/api/meetings/" + slug + "/live", "/api/meetings/" + slug + "/audit?limit=1000",
		"/api/meetings/" + slug + "/notes", "/api/meetings/" + slug + "/registrations", "/api/meetings/" + slug + "/registrations.csv"} {
		body := strings.ToLower(string(admin.Do("GET", path, nil).Body))
		if strings.Contains(body, strings.ToLower(name)) || strings.Contains(body, email) {
			t.Errorf("%s still holds %q or %q", path, name, email)
		}
	}
	var n int64
	if err := e.App.DB.Model(&models.OutboxMessage{}).Where("to_addr = ? OR to_name = ? OR text LIKE ? OR subject LIKE ?",
		email, name, "%"+name+"%", "%"+name+"%").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d outbox messages still hold %q", n, name)
	}
	var evs int64
	if err := e.App.DB.Model(&models.LiveEvent{}).Where("patch LIKE ? OR actor LIKE ?", "%"+name+"%", "%"+name+"%").Count(&evs).Error; err != nil {
		t.Fatal(err)
	}
	if evs != 0 {
		t.Errorf("%d live events still hold %q", evs, name)
	}
}

// liveShape is the live state without names: what the record and its
// statistics count.
func liveShape(t *testing.T, e *testenv.Env, slug string) string {
	t.Helper()
	var st struct {
		Items []struct {
			Speakers []struct {
				RegistrationID  uint   `json:"registration_id"`
				Organization    string `json:"organization"`
				StakeholderType string `json:"stakeholder_type"`
				State           string `json:"state"`
				StartedAt       string `json:"started_at"`
				EndedAt         string `json:"ended_at"`
			} `json:"speakers"`
		} `json:"items"`
		Balance json.RawMessage `json:"balance"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/"+slug+"/live", nil, 200, &st)
	b, _ := json.Marshal(st)
	return string(b)
}

func TestAnonymizationAfterRetentionKeepsTheSummaryAndTheLiveRecordTrue(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RetentionSweepInterval = time.Second // the setting this test is about: the sweep runs every second
	e := testenv.Start(t, cfg)
	admin := e.Admin()
	in := meetingInput("m")
	in["attribution"] = models.AttributionAttributed
	admin.MustJSON("POST", "/api/meetings", in, 201, nil)
	lr := recordSpeeches(t, e, "m", "Ana Souza", "Ben Okafor", "Chen Wei")
	// The meeting took place in 2020; its retention, ten years for now,
	// becomes 30 days below: long past.
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"retention_days": 3650, "starts_at": "2020-01-06T10:00:00-05:00",
		"ends_at": "2020-01-07T18:00:00-05:00", "registration_closes_at": "2020-01-05T18:00:00-05:00"}, 200, nil)
	var before, after privacyMeeting
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, &before)
	shape := liveShape(t, e, "m")
	var v1 versionOut
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, &v1)
	// Circulated to every participant: the circulation's list of
	// recipients holds their addresses until they are erased.
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/m/summary/%d/approve", v1.Version), nil, 200, nil)
	var circ struct{ ID uint }
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/m/summary/%d/circulate", v1.Version), map[string]any{"extra": []string{}}, 202, &circ)
	circPath := fmt.Sprintf("/api/meetings/m/circulations/%d", circ.ID)
	if body := string(admin.Do("GET", circPath, nil).Body); !strings.Contains(body, lr.emails[0]) {
		t.Fatalf("the circulation does not list its recipients: %s", body)
	}

	// Their badges' check-in codes, which must check nobody in afterwards.
	codes := make([]string, len(lr.regs))
	for i := range lr.regs {
		var p struct {
			CheckinCode string `json:"checkin_code"`
		}
		e.Participant(lr.regs[i].Token()).MustJSON("GET", "/api/participant", nil, 200, &p)
		if p.CheckinCode == "" {
			t.Fatalf("participant %d has no check-in code", i)
		}
		codes[i] = p.CheckinCode
	}

	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"retention_days": 30}, 200, nil)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var list struct {
			Registrations []struct {
				AnonymizedAt *time.Time `json:"anonymized_at"`
			}
		}
		admin.MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
		done := 0
		for _, r := range list.Registrations {
			if r.AnonymizedAt != nil {
				done++
			}
		}
		if done == len(lr.regs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d registrations anonymized after retention", done, len(lr.regs))
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, &after)
	if fmt.Sprint(before.Counts) != fmt.Sprint(after.Counts) {
		t.Fatalf("counts by state changed: %v, then %v", before.Counts, after.Counts)
	}
	if got := liveShape(t, e, "m"); got != shape {
		t.Fatalf("the live record changed:\n%s\n%s", shape, got)
	}
	var v2 versionOut
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, &v2)
	if v1.Markdown == "" || v1.Markdown != v2.Markdown {
		t.Fatalf("the summary drafted after anonymization differs:\n%s\n----\n%s", v1.Markdown, v2.Markdown)
	}
	circulation := string(admin.Do("GET", circPath, nil).Body)
	for i := range lr.names {
		assertNameGone(t, e, "m", lr.names[i], lr.emails[i])
		if strings.Contains(circulation, lr.emails[i]) || strings.Contains(circulation, lr.names[i]) {
			t.Errorf("the circulation still lists %s: %s", lr.emails[i], circulation)
		}
		e.Participant(lr.regs[i].Token()).MustJSON("GET", "/api/participant", nil, 401, nil)
		admin.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"code": codes[i]}, 404, nil)
	}
	var log struct{ Events []struct{ Action string } }
	admin.MustJSON("GET", "/api/meetings/m/audit?limit=1000", nil, 200, &log)
	runs := 0
	for _, ev := range log.Events {
		if ev.Action == "anonymize_registrations" {
			runs++
		}
	}
	if runs != 1 {
		t.Fatalf("%d anonymization lines in the audit log, want 1", runs)
	}
}

func TestLiveViewersSeeAnErasedParticipantLoseTheirNameAndNothingElse(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	lr := recordSpeeches(t, e, "m", "Ana Souza", "Ben Okafor")
	v := liveConnect(t, e, "m")
	named := func(name string) bool {
		for _, it := range v.state.Items {
			for _, s := range it.Speakers {
				if s.Name == name {
					return true
				}
			}
		}
		return false
	}
	if !named("Ana Souza") {
		t.Fatal("the viewer's first state does not name the speaker")
	}
	before, _ := json.Marshal(v.state.Balance)
	e.Participant(lr.regs[0].Token()).MustJSON("DELETE", "/api/participant", nil, 204, nil)
	for named("Ana Souza") {
		v.read() // the erasure reaches the viewer as a change, with the next seq
	}
	if after, _ := json.Marshal(v.state.Balance); !named("Ben Okafor") || string(before) != string(after) {
		t.Fatalf("the erasure changed more than a name: %+v", v.state)
	}
	var fresh livetest.State
	e.Anon().MustJSON("GET", "/api/meetings/m/live", nil, 200, &fresh)
	if fresh.Canonical() != v.state.Canonical() {
		t.Fatalf("the viewer's copy and the server's state differ after the erasure:\n%s\n%s", v.state.Canonical(), fresh.Canonical())
	}
}
