package handlers_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/qr"
)

type participantDoorView struct {
	Status      string     `json:"status"`
	CheckinCode string     `json:"checkin_code"`
	CheckinQR   string     `json:"checkin_qr"`
	CheckedInAt *time.Time `json:"checked_in_at"`
}

type checkinAnswer struct {
	Registration struct {
		ID          uint       `json:"id"`
		Name        string     `json:"name"`
		Status      string     `json:"status"`
		CheckedInAt *time.Time `json:"checked_in_at"`
	} `json:"registration"`
	First  bool `json:"first"`
	Counts struct {
		CheckedIn int `json:"checked_in"`
		Approved  int `json:"approved"`
	} `json:"counts"`
}

func participantDoor(t *testing.T, e *testenv.Env, token string) participantDoorView {
	t.Helper()
	var v participantDoorView
	e.Participant(token).MustJSON("GET", "/api/participant", nil, 200, &v)
	return v
}

// approvedIn registers name in meeting slug and approves it.
func approvedIn(t *testing.T, e *testenv.Env, slug, org, name string) testenv.Registered {
	t.Helper()
	r := mustRegister(t, e, slug, testenv.RegistrationBody(org, name, strings.ToLower(strings.Fields(name)[0])+"@"+slug+".example.org"))
	decide(e.Admin(), r.ID, "approve", 200)
	return r
}

func TestCheckinCodeComesWithApprovalAndIsApartFromThePrivateLink(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	ana := mustRegister(t, e, "m", testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org"))
	if v := participantDoor(t, e, ana.Token()); v.CheckinCode != "" || v.CheckinQR != "" {
		t.Fatalf("a pending registration shows a check-in code: %+v", v)
	}
	decide(e.Admin(), ana.ID, "approve", 200)
	v := participantDoor(t, e, ana.Token())
	if len(v.CheckinCode) != 20 || !strings.HasPrefix(v.CheckinQR, "data:image/png;base64,") {
		t.Fatalf("approved without a code and its QR code: %+v", v)
	}
	code := v.CheckinCode
	// The QR code carries the code: the page's image is the code's.
	want, _ := qr.DataURL(code, 320)
	if v.CheckinQR != want {
		t.Fatal("the page's QR code is not the check-in code's")
	}
	// The staff list shows it too.
	var list struct {
		Registrations []struct {
			ID          uint   `json:"id"`
			CheckinCode string `json:"checkin_code"`
		} `json:"registrations"`
	}
	e.Staff(models.RoleRegistrar).MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	if len(list.Registrations) != 1 || list.Registrations[0].CheckinCode != code {
		t.Fatalf("staff list: %+v", list)
	}
	// Knowing one gives nothing of the other: the code is no token, the
	// token no code, neither holds the other, and a new link keeps the code.
	tok := ana.Token()
	if strings.Contains(strings.ToUpper(tok), code) || strings.Contains(code, strings.ToUpper(tok)) {
		t.Fatal("the code and the token share their text")
	}
	e.Participant(code).MustJSON("GET", "/api/participant", nil, 401, nil)
	e.Staff(models.RoleRegistrar).MustJSON("POST", "/api/meetings/m/checkins", map[string]string{"code": tok}, 404, nil)
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations/resend-link", map[string]string{"email": "ana@example.org"}, 202, nil)
	// The approval mail shows the code and carries its QR code.
	mails := srv.WaitTo("ana@example.org", 3, 10*time.Second)
	var approval *mailtest.Message
	for i := range mails {
		if strings.HasPrefix(mails[i].Subject, "Registration approved") {
			approval = mails[i]
		}
	}
	if approval == nil || !strings.Contains(approval.Text, code) || !strings.Contains(approval.Text, "Ana Souza") ||
		!strings.Contains(approval.Text, "Informal intersessional consultative meeting") {
		t.Fatalf("approval mail without the code, name and meeting: %+v", approval)
	}
	png, _ := qr.PNG(code, 320)
	if len(approval.Attachments) != 1 || approval.Attachments[0].Filename != "checkin-code.png" ||
		approval.Attachments[0].ContentType != "image/png" || !bytes.Equal(approval.Attachments[0].Data, png) {
		t.Fatalf("approval mail's QR code: %+v", approval.Attachments)
	}
	newLink := mails[len(mails)-1].Text
	newToken := newLink[strings.Index(newLink, "/r/")+3:]
	newToken = strings.Fields(newToken)[0]
	if got := participantDoor(t, e, newToken).CheckinCode; got != code {
		t.Fatalf("a new link changed the check-in code: %q, was %q", got, code)
	}
	// Another registration's code is its own.
	bo := approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	if participantDoor(t, e, bo.Token()).CheckinCode == code {
		t.Fatal("two registrations share a code")
	}
}

func TestCheckInIs201ThenAgain200WithTheFirstTime(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	code := participantDoor(t, e, ana.Token()).CheckinCode
	door := e.Staff(models.RoleRegistrar)
	var first, again checkinAnswer
	// Scanned codes arrive as the QR code holds them; typed ones may come
	// in small letters with spaces.
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]string{"code": code}, 201, &first)
	if !first.First || first.Registration.ID != ana.ID || first.Registration.CheckedInAt == nil ||
		first.Counts.CheckedIn != 1 || first.Counts.Approved != 2 {
		t.Fatalf("first check-in: %+v", first)
	}
	typed := strings.ToLower(code[:10]) + " " + code[10:]
	e.Admin().MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"code": typed}, 200, &again)
	if again.First || again.Registration.CheckedInAt == nil || !again.Registration.CheckedInAt.Equal(*first.Registration.CheckedInAt) {
		t.Fatalf("second check-in: %+v, first at %v", again, first.Registration.CheckedInAt)
	}
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 200, &again)
	if again.First || again.Counts.CheckedIn != 1 {
		t.Fatalf("by id, again: %+v", again)
	}
	if v := participantDoor(t, e, ana.Token()); v.CheckedInAt == nil {
		t.Fatal("the participant does not see the check-in")
	}
	// Saying nobody is a field error, and changes nothing.
	var eb errBody
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{}, 422, &eb)
	if eb.Fields["code"] == "" {
		t.Fatalf("%+v", eb)
	}
}

func TestCheckInOfARegistrationNotApprovedIs409NamingItsState(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	pending := mustRegister(t, e, "m", testenv.RegistrationBody("P Org", "Pat Doe", "pat@example.org"))
	var eb errBody
	e.Admin().MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": pending.ID}, 409, &eb)
	if eb.Code != "not_approved" || !strings.Contains(eb.Error, "pending") {
		t.Fatalf("%+v", eb)
	}
	// Approved, checked in, then withdrawn: the code no longer admits.
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	code := participantDoor(t, e, ana.Token()).CheckinCode
	e.Participant(ana.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	e.Admin().MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"code": code}, 409, &eb)
	if eb.Code != "not_approved" || !strings.Contains(eb.Error, "withdrawn") {
		t.Fatalf("%+v", eb)
	}
}

func TestCheckInWithACodeOrIDOfAnotherMeetingIs404(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	registrationMeeting(t, e, "n", 0, 0)
	other := approvedIn(t, e, "n", "Access Now", "Ana Souza")
	code := participantDoor(t, e, other.Token()).CheckinCode
	door := e.Staff(models.RoleRegistrar)
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"code": code}, 404, nil)
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": other.ID}, 404, nil)
	door.MustJSON("DELETE", fmt.Sprintf("/api/meetings/m/checkins/%d", other.ID), nil, 404, nil)
	if participantDoor(t, e, other.Token()).CheckedInAt != nil {
		t.Fatal("a refused check-in checked in")
	}
}

func TestUndoingACheckInIsAuditedAndLetsItHappenAgain(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	door := e.Staff(models.RoleRegistrar)
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 201, nil)
	var undone checkinAnswer
	door.MustJSON("DELETE", fmt.Sprintf("/api/meetings/m/checkins/%d", ana.ID), nil, 200, &undone)
	if undone.Registration.CheckedInAt != nil || undone.Counts.CheckedIn != 0 {
		t.Fatalf("%+v", undone)
	}
	var eb errBody
	door.MustJSON("DELETE", fmt.Sprintf("/api/meetings/m/checkins/%d", ana.ID), nil, 409, &eb)
	if eb.Code != "not_checked_in" {
		t.Fatalf("%+v", eb)
	}
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 201, nil)
	var log struct {
		Events []struct {
			Actor  string `json:"actor"`
			Action string `json:"action"`
		} `json:"events"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/audit", nil, 200, &log)
	var actions []string
	for _, ev := range log.Events {
		if strings.Contains(ev.Action, "check_in") {
			actions = append(actions, ev.Action+" by "+ev.Actor)
		}
	}
	if len(actions) != 3 || !strings.HasPrefix(actions[1], "undo_check_in by staff:") {
		t.Fatalf("audit: %v", actions)
	}
}

func TestRegistrarsCheckingOneCodeAtOnceGetExactlyOneFirst(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	code := participantDoor(t, e, ana.Token()).CheckinCode
	const n = 8
	doors := make([]*testenv.Client, n)
	for i := range doors {
		doors[i] = e.Staff(models.RoleRegistrar)
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range doors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = doors[i].Do("POST", "/api/meetings/m/checkins", map[string]string{"code": code}).Status
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 200:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if created != 1 {
		t.Fatalf("%d first check-ins, want 1: %v", created, statuses)
	}
}

func TestAttendanceCountsByCategoryAndNamesWhoCame(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	acad := mustRegister(t, e, "m", func() map[string]any {
		b := testenv.RegistrationBody("University of Nairobi", "Chidi Okafor", "chidi@example.org")
		b["organization"].(map[string]any)["type"] = "academia"
		return b
	}())
	decide(e.Admin(), acad.ID, "approve", 200)
	mustRegister(t, e, "m", testenv.RegistrationBody("P Org", "Pat Doe", "pat@example.org")) // pending: not counted
	door := e.Staff(models.RoleRegistrar)
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 201, nil)
	door.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": acad.ID}, 201, nil)
	var a struct {
		CheckedIn  int `json:"checked_in"`
		Approved   int `json:"approved"`
		ByCategory map[string]struct {
			Approved  int `json:"approved"`
			CheckedIn int `json:"checked_in"`
		} `json:"by_category"`
		Attended []struct {
			ID           uint   `json:"id"`
			Name         string `json:"name"`
			Organization string `json:"organization"`
			Category     string `json:"category"`
			CheckedInBy  string `json:"checked_in_by"`
		} `json:"attended"`
	}
	e.Staff(models.RoleRapporteur).MustJSON("GET", "/api/meetings/m/attendance", nil, 200, &a)
	if a.CheckedIn != 2 || a.Approved != 3 || a.ByCategory["ngo"].Approved != 2 || a.ByCategory["ngo"].CheckedIn != 1 ||
		a.ByCategory["academia"].CheckedIn != 1 || a.ByCategory["member_state"].Approved != 0 {
		t.Fatalf("counts %+v", a)
	}
	// NGOs come before academia, as in the UN's order.
	if len(a.Attended) != 2 || a.Attended[0].Name != "Ana Souza" || a.Attended[1].Category != "academia" ||
		!strings.HasPrefix(a.Attended[0].CheckedInBy, "staff:registrar-") {
		t.Fatalf("attended %+v", a.Attended)
	}
}

func TestReleasingNoShowsWithdrawsThemAndGivesTheirSeatsToTheWaitingList(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 2, 0)
	came := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	away := approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	waiting := mustRegister(t, e, "m", testenv.RegistrationBody("C Org", "Cai Lun", "cai@example.org"))
	if waiting.Status != "waitlisted" {
		t.Fatalf("%+v", waiting)
	}
	e.Staff(models.RoleRegistrar).MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": came.ID}, 201, nil)
	// Only the secretariat releases seats, and not from the future.
	body := map[string]string{"before": time.Now().UTC().Format(time.RFC3339Nano)}
	e.Staff(models.RoleRegistrar).MustJSON("POST", "/api/meetings/m/release-no-shows", body, 403, nil)
	var eb errBody
	e.Admin().MustJSON("POST", "/api/meetings/m/release-no-shows", map[string]string{"before": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, 422, &eb)
	if eb.Fields["before"] == "" {
		t.Fatalf("%+v", eb)
	}
	e.Admin().MustJSON("POST", "/api/meetings/m/release-no-shows", map[string]string{"before": "yesterday"}, 422, nil)
	if statusOf(t, e, away.Token()) != "approved" {
		t.Fatal("a refused release changed a registration")
	}
	var out struct {
		Released []struct{ ID uint } `json:"released"`
		Promoted []uint              `json:"promoted"`
	}
	e.Admin().MustJSON("POST", "/api/meetings/m/release-no-shows", body, 200, &out)
	if len(out.Released) != 1 || out.Released[0].ID != away.ID || len(out.Promoted) != 1 || out.Promoted[0] != waiting.ID {
		t.Fatalf("%+v", out)
	}
	var v regView
	e.Participant(away.Token()).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Status != "withdrawn" || v.Reason != "no_show" {
		t.Fatalf("released: %+v", v)
	}
	if statusOf(t, e, came.Token()) != "approved" || statusOf(t, e, waiting.Token()) != "pending" {
		t.Fatal("the one who came or the waiting list is wrong")
	}
	mails := srv.WaitTo("bo@m.example.org", 3, 10*time.Second)
	if last := mails[len(mails)-1]; !strings.Contains(last.Text, "not been checked in") {
		t.Fatalf("no-show mail: %q\n%s", last.Subject, last.Text)
	}
	srv.WaitTo("cai@example.org", 2, 10*time.Second) // the promotion's mail
	// Releasing again finds nobody.
	e.Admin().MustJSON("POST", "/api/meetings/m/release-no-shows", body, 200, &out)
	if len(out.Released) != 0 {
		t.Fatalf("%+v", out)
	}
}

func TestTheChairsSummaryCountsWhoAttendedOnceAnyoneWasCheckedIn(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	approvedIn(t, e, "m", "Cai Org", "Cai Lun")
	admin := e.Admin()
	draft := func(v int) string {
		admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
		var out struct{ Markdown string }
		admin.MustJSON("GET", fmt.Sprintf("/api/meetings/m/summary/%d", v), nil, 200, &out)
		return out.Markdown
	}
	if md := draft(1); !strings.Contains(md, "Representatives of 3 organizations took part") || strings.Contains(md, "attended") {
		t.Fatalf("without attendance:\n%s", md)
	}
	admin.MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 201, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
	md := draft(2)
	if !strings.Contains(md, "Representatives of 1 organization took part") || !strings.Contains(md, "In all, 1 participant attended.") ||
		strings.Contains(md, "Bo Org") {
		t.Fatalf("with attendance:\n%s", md)
	}
}
