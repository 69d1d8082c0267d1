package handlers_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/models"
)

type auditLine struct {
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Detail json.RawMessage `json:"detail"`
}

func auditLog(t *testing.T, c *testenv.Client, slug string) []auditLine {
	t.Helper()
	var out struct{ Events []auditLine }
	c.MustJSON("GET", "/api/meetings/"+slug+"/audit", nil, 200, &out)
	return out.Events
}

// TestTheMeetingsAuditLogHasEveryChangeWithWhoAndWhenInTimeOrder makes
// every kind of audited change of a meeting and reads them back, merged
// with the live list's events, newest first.
func TestTheMeetingsAuditLogHasEveryChangeWithWhoAndWhenInTimeOrder(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	registrationMeeting(t, e, "n", 0, 0)
	admin := e.Admin()
	isoc := map[string]any{"name": "Internet Society", "type": "technical_community", "country": "US"}
	typo := map[string]any{"name": "Internet Socety", "type": "technical_community", "country": "US"}
	a := mustRegister(t, e, "m", orgBody(isoc, "Ana", "a@example.org"))
	b := mustRegister(t, e, "m", orgBody(typo, "Bo", "b@example.org"))
	mustRegister(t, e, "n", orgBody(isoc, "Cy", "c@example.org"))

	decide(admin, a.ID, "approve", 200)
	admin.MustJSON("POST", "/api/meetings/m/registrations/decisions", map[string]any{"ids": []uint{b.ID}, "decision": "waitlist", "reason": "later"}, 200, nil)
	e.Participant(a.Token()).MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana Souza"}, 200, nil)
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/name-change", a.ID), map[string]any{"accept": true, "name": "Ana Souza"}, 200, nil)
	keep, gone := orgNamed(t, admin, "society"), orgNamed(t, admin, "socety")
	admin.MustJSON("PATCH", fmt.Sprintf("/api/organizations/%d", keep.ID), map[string]any{"acronym": "ISOC"}, 200, nil)
	admin.MustJSON("POST", fmt.Sprintf("/api/organizations/%d/merge", gone.ID), map[string]any{"into": keep.ID}, 200, nil)
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"title": "Renamed meeting"}, 200, nil)
	var item struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "Threats", "speaking_time_seconds": 120}, 201, &item)
	admin.MustJSON("PATCH", fmt.Sprintf("/api/meetings/m/agenda/%d", item.ID), map[string]any{"title": "Existing threats"}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
	admin.MustJSON("PUT", "/api/meetings/m/summary/1", map[string]any{"markdown": "# Chair's Summary\n\n1. Participants met."}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)

	want := []string{"circulate_summary", "approve_summary", "edit_summary", "create_summary_version", "edit_item", "add_item",
		"edit_meeting", "merge_organization", "edit_organization", "decide_name_change", "decide_registration", "decide_registration"}
	evs := auditLog(t, e.Staff(models.RoleModerator), "m")
	var got []string
	for i, ev := range evs {
		got = append(got, ev.Action)
		if ev.Actor != "staff:"+testenv.AdminEmail || ev.At.IsZero() {
			t.Errorf("%s: by %q at %s", ev.Action, ev.Actor, ev.At)
		}
		if i > 0 && ev.At.After(evs[i-1].At) {
			t.Errorf("%s at %s comes after %s at %s: not newest first", ev.Action, ev.At, evs[i-1].Action, evs[i-1].At)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("the log holds\n%v\nwant\n%v", got, want)
	}
	byAction := map[string]string{}
	for _, ev := range evs {
		byAction[ev.Action] += string(ev.Detail)
	}
	for action, part := range map[string]string{
		"decide_registration": `"bulk":true`, "decide_name_change": `"name":"Ana Souza"`, "edit_organization": `"acronym":"ISOC"`,
		"merge_organization": `"into_name":"Internet Society"`, "edit_meeting": "Renamed meeting", "circulate_summary": `"recipients":1`,
	} {
		if !strings.Contains(byAction[action], part) {
			t.Errorf("%s: %s lacks %s", action, byAction[action], part)
		}
	}
	if evs[4].Seq == 0 || evs[0].Seq != 0 {
		t.Errorf("live events carry their seq, the others none: %+v %+v", evs[4], evs[0])
	}
	// The organization's edit is in each meeting it has registrations in;
	// the merge only where registrations moved.
	var inN []string
	for _, ev := range auditLog(t, admin, "n") {
		inN = append(inN, ev.Action)
	}
	if strings.Join(inN, " ") != "edit_organization" {
		t.Fatalf("meeting n's log: %v", inN)
	}
	// Paging: the lines before the third's time.
	var page struct{ Events []auditLine }
	admin.MustJSON("GET", "/api/meetings/m/audit?limit=2&before="+evs[2].At.Format(time.RFC3339Nano), nil, 200, &page)
	if len(page.Events) != 2 || page.Events[0].Action != evs[3].Action {
		t.Fatalf("page: %+v", page.Events)
	}
	admin.MustJSON("GET", "/api/meetings/m/audit?before=yesterday", nil, 422, nil)
}

// TestARefusedChangeLeavesNoAuditLine: the audit line is written in the
// change's transaction, so a change refused on the way leaves none.
func TestARefusedChangeLeavesNoAuditLine(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 1, 0)
	admin := e.Admin()
	a := mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "a@example.org"))
	decide(admin, a.ID, "approve", 200)
	decide(admin, a.ID, "approve", 409)
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"capacity": 0, "title": ""}, 422, nil)
	if evs := auditLog(t, admin, "m"); len(evs) != 1 || evs[0].Action != "decide_registration" {
		t.Fatalf("%+v", evs)
	}
}
