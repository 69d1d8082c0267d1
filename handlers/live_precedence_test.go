package handlers_test

import (
	"strings"
	"sync"
	"testing"

	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// waitingOrder names the waiting speakers of item in st, in order.
func waitingOrder(st livetest.State, item uint) string {
	var names []string
	if it := st.Item(item); it != nil {
		for _, sp := range it.Speakers {
			if sp.State == models.SpeakerWaiting {
				names = append(names, sp.Name)
			}
		}
	}
	return strings.Join(names, " ")
}

func TestInPrecedenceOrderAStateRequestingAfterNGOsSpeaksBeforeThem(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	var m struct {
		SpeakerOrder string `json:"speaker_order"`
	}
	lm.admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"speaker_order": "precedence"}, 200, &m)
	if m.SpeakerOrder != "precedence" {
		t.Fatalf("speaker_order %q after PATCH", m.SpeakerOrder)
	}
	r := lm.admin.Do("PATCH", "/api/meetings/m", map[string]any{"speaker_order": "alphabetical"})
	if r.Status != 422 || !strings.Contains(string(r.Body), "speaker_order") {
		t.Fatalf("a bad speaker_order: %d %s", r.Status, r.Body)
	}
	pub := liveConnect(t, e, lm.slug)
	staff := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	_, nia := lm.participant(t, "Nia", "ngo", models.StatusApproved)
	_, pia := lm.participant(t, "Pia", "private_sector", models.StatusApproved)
	_, igo := lm.participant(t, "Ivo", "intergovernmental", models.StatusApproved)
	_, sg := lm.participant(t, "David", models.KindMemberState, models.StatusApproved)
	_, br := lm.participant(t, "Bia", models.KindMemberState, models.StatusApproved)
	_, hs := lm.participant(t, "Hugo", models.KindObserverState, models.StatusApproved)
	speak := func(tok string) {
		e.Participant(tok).MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, nil)
	}
	speak(nia)
	speak(pia)
	speak(igo)
	speak(sg)
	// Two States and an observer at once: the States keep their group
	// ahead of the observer whatever the order the requests commit in.
	var wg sync.WaitGroup
	for _, tok := range []string{hs, br} {
		wg.Add(1)
		go func() { defer wg.Done(); speak(tok) }()
	}
	wg.Wait()
	want := lm.state(t)
	got := waitingOrder(want, lm.items[0])
	if got != "David Bia Hugo Ivo Nia Pia" {
		t.Fatalf("waiting %q, want David Bia Hugo Ivo Nia Pia", got)
	}
	for _, v := range []*liveViewer{pub, staff} {
		v.untilSeq(want.Seq)
		if v.state.Canonical() != want.Canonical() {
			t.Fatalf("a viewer's state differs from GET .../live:\n%s\n%s", v.state.Canonical(), want.Canonical())
		}
	}
}

func TestTheVocabularyNamesStatesAsGroupsInTheOrderOfPrecedence(t *testing.T) {
	e := testenv.New(t)
	var voc struct {
		Categories []struct {
			Key        string `json:"key"`
			Label      string `json:"label"`
			GroupLabel string `json:"group_label"`
		} `json:"categories"`
	}
	e.Anon().MustJSON("GET", "/api/vocabulary", nil, 200, &voc)
	var got []string
	for _, c := range voc.Categories[:3] {
		got = append(got, c.Key+"="+c.GroupLabel)
	}
	want := "member_state=Member States observer_state=Observer States intergovernmental=Intergovernmental organizations"
	if strings.Join(got, " ") != want {
		t.Fatalf("first categories %v, want %s", got, want)
	}
	for _, c := range voc.Categories {
		if c.Label == "" || c.GroupLabel == "" || c.GroupLabel == c.Key {
			t.Fatalf("category %+v has no name", c)
		}
	}
}
