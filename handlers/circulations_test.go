package handlers_test

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

type sendOut struct {
	ID     uint       `json:"id"`
	Total  int        `json:"total"`
	State  string     `json:"state"`
	SendAt *time.Time `json:"send_at"`
}

// circulationFixture is a meeting with approved participants, two
// published documents and a letter enclosing them.
func circulationFixture(t *testing.T, e *testenv.Env, slug string, docSize int) (participants []string, docs []documentView, letter uint) {
	t.Helper()
	pagesMeeting(t, e, slug)
	participants = addParticipants(t, e, slug, 3)
	admin := e.Admin()
	for _, title := range []string{"Draft Programme of work", "Chair's working paper"} {
		data := append(append([]byte{}, testenv.TinyPDF...), bytes.Repeat([]byte{' '}, docSize)...)
		d := uploadDocument(t, admin, slug, title, title+".pdf", data)
		admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/documents/%d/publish", slug, d.ID), nil, 200, nil)
		docs = append(docs, d)
	}
	var l letterView
	admin.MustJSON("POST", "/api/meetings/"+slug+"/letters", chairsLetter(docs[0].ID, docs[1].ID), 201, &l)
	return participants, docs, l.ID
}

func byRecipient(msgs []*mailtest.Message) map[string][]*mailtest.Message {
	out := map[string][]*mailtest.Message{}
	for _, m := range msgs {
		for _, to := range m.To {
			out[strings.ToLower(to)] = append(out[strings.ToLower(to)], m)
		}
	}
	return out
}

func TestACirculationSendsTheLetterAndItsEnclosuresToEachAddressOnce(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	participants, docs, letter := circulationFixture(t, e, "circ", 100)
	admin := e.Admin()
	var pm listView
	admin.MustJSON("POST", "/api/lists", map[string]any{"name": "Permanent Missions", "addresses": []map[string]string{
		{"name": "Permanent Mission of Kenya", "email": "pm.ke@example.org"},
		{"name": "A participant, again", "email": strings.ToUpper(participants[0])},
	}}, 201, &pm)

	var c sendOut
	admin.MustJSON("POST", "/api/meetings/circ/circulations", map[string]any{
		"letter": letter, "documents": []uint{docs[0].ID, docs[1].ID},
		"to": map[string]any{"participants": true, "lists": []uint{pm.ID}, "extra": []string{"press@un.example.org", "PM.KE@example.org"}},
	}, 202, &c)
	want := append(append([]string{}, participants...), "pm.ke@example.org", "press@un.example.org")
	if c.Total != len(want) || c.State != "sent" || c.SendAt != nil {
		t.Fatalf("circulation %+v, want %d recipients sent now", c, len(want))
	}
	got := byRecipient(mail.WaitFor(len(want), 60*time.Second))
	var addrs []string
	for a, ms := range got {
		addrs = append(addrs, a)
		if len(ms) != 1 {
			t.Errorf("%s got %d messages", a, len(ms))
		}
		m := ms[0]
		if !strings.HasPrefix(m.Subject, "Letter of the Chair") || !strings.Contains(m.Text, "Excellency,") || !strings.Contains(m.Text, "Enclosures:") {
			t.Errorf("%s: the message is not the letter: %q %q", a, m.Subject, m.Text)
		}
		var names []string
		for _, at := range m.Attachments {
			names = append(names, at.Filename)
		}
		if len(names) != 3 || !strings.Contains(names[0], "letter") {
			t.Errorf("%s: attachments %v, want the letter and its two enclosures", a, names)
		}
	}
	sort.Strings(addrs)
	sort.Strings(want)
	if strings.Join(addrs, " ") != strings.ToLower(strings.Join(want, " ")) {
		t.Errorf("went to %v, want %v", addrs, want)
	}
}

func TestEnclosuresOverTenMegabytesAreLinkedNotAttached(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	_, docs, letter := circulationFixture(t, e, "big", 6<<20) // two of 6 MB: 12 MB together
	var c sendOut
	// The letter alone: what it encloses goes with it.
	e.Admin().MustJSON("POST", "/api/meetings/big/circulations", map[string]any{
		"letter": letter, "to": map[string]any{"extra": []string{"one@example.org"}},
	}, 202, &c)
	m := mail.WaitFor(1, 60*time.Second)[0]
	if len(m.Attachments) != 1 || !strings.Contains(m.Attachments[0].Filename, "letter") {
		t.Errorf("attachments %d, want the letter alone", len(m.Attachments))
	}
	for _, d := range docs {
		if link := fmt.Sprintf("/api/meetings/big/documents/%d/file", d.ID); !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
			t.Errorf("the message does not link %s", link)
		}
	}
}

func TestAScheduledCirculationGoesOnceAtItsTimeAndIsCancelledOnlyBefore(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	participants, docs, letter := circulationFixture(t, e, "later", 100)
	admin := e.Admin()
	body := func(at time.Time) map[string]any {
		return map[string]any{"letter": letter, "documents": []uint{docs[0].ID}, "to": map[string]any{"participants": true},
			"send_at": at.UTC().Format(time.RFC3339)}
	}
	var soon, far sendOut
	admin.MustJSON("POST", "/api/meetings/later/circulations", body(time.Now().Add(2*time.Second)), 202, &soon)
	admin.MustJSON("POST", "/api/meetings/later/circulations", body(time.Now().Add(30*24*time.Hour)), 202, &far)
	if soon.State != "scheduled" || soon.SendAt == nil || soon.Total != len(participants) {
		t.Fatalf("scheduled circulation %+v", soon)
	}
	// The far one is cancelled before it goes.
	var cancelled sendOut
	admin.MustJSON("DELETE", fmt.Sprintf("/api/meetings/later/circulations/%d", far.ID), nil, 200, &cancelled)
	if cancelled.State != "cancelled" {
		t.Errorf("cancelled: %+v", cancelled)
	}
	admin.MustJSON("DELETE", fmt.Sprintf("/api/meetings/later/circulations/%d", far.ID), nil, 409, nil)

	got := byRecipient(mail.WaitFor(len(participants), 60*time.Second))
	for _, p := range participants {
		if len(got[p]) != 1 {
			t.Errorf("%s got %d messages", p, len(got[p]))
		}
	}
	var list struct{ Circulations []sendOut }
	admin.MustJSON("GET", "/api/meetings/later/circulations", nil, 200, &list)
	states := map[uint]string{}
	for _, c := range list.Circulations {
		states[c.ID] = c.State
	}
	if states[soon.ID] != "sent" || states[far.ID] != "cancelled" {
		t.Errorf("states %v", states)
	}
	// Once it went, it cannot be cancelled.
	res := admin.Do("DELETE", fmt.Sprintf("/api/meetings/later/circulations/%d", soon.ID), nil)
	if res.Status != 409 || !bytes.Contains(res.Body, []byte("not_scheduled")) {
		t.Errorf("cancelling a sent circulation: %d %s", res.Status, res.Body)
	}
	if n := mail.Count(); n != len(participants) {
		t.Errorf("%d messages in all, want %d: the cancelled circulation went too", n, len(participants))
	}
}

func TestACirculationRefusesWhatItCannotSend(t *testing.T) {
	e := testenv.New(t)
	_, docs, letter := circulationFixture(t, e, "bad", 10)
	admin := e.Admin()
	draft := uploadDocument(t, admin, "bad", "An unpublished draft", "d.pdf", testenv.TinyPDF)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"nothing to send", map[string]any{"to": map[string]any{"participants": true}}, "letter"},
		{"nobody to send to", map[string]any{"letter": letter, "to": map[string]any{}}, "to"},
		{"an unpublished document", map[string]any{"documents": []uint{draft.ID}, "to": map[string]any{"participants": true}}, "documents[0]"},
		{"a letter of no one", map[string]any{"letter": 999, "to": map[string]any{"participants": true}}, "letter"},
		{"a list that does not exist", map[string]any{"letter": letter, "to": map[string]any{"lists": []uint{42}}}, "to.lists"},
		{"a bad extra address", map[string]any{"letter": letter, "to": map[string]any{"extra": []string{"nope"}}}, "to.extra[0]"},
		{"a time gone by", map[string]any{"letter": letter, "to": map[string]any{"participants": true}, "send_at": "2020-01-20T10:00:00Z"}, "send_at"},
		{"a document twice", map[string]any{"documents": []uint{docs[0].ID, docs[0].ID}, "to": map[string]any{"participants": true}}, "documents[1]"},
	} {
		res := admin.Do("POST", "/api/meetings/bad/circulations", tc.body)
		var out struct{ Fields map[string]string }
		res.Decode(t, &out)
		if res.Status != 422 || out.Fields[tc.field] == "" {
			t.Errorf("%s: %d %s, want 422 naming %s", tc.name, res.Status, res.Body, tc.field)
		}
	}
	var list struct{ Circulations []sendOut }
	admin.MustJSON("GET", "/api/meetings/bad/circulations", nil, 200, &list)
	if len(list.Circulations) != 0 {
		t.Errorf("refused circulations were stored: %+v", list.Circulations)
	}
}
