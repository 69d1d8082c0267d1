package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"rostrum/auth"
	"rostrum/live"
	"rostrum/models"
)

// The demo's meeting in session: the first two themes discussed (every
// intervention done, with the rapporteur's note), the third under way with
// a speaker who has the floor now and a queue behind them, and a first
// draft of the Chair's summary. Everything goes through the capabilities:
// every change of the list is a live.Command run by the demo moderator
// (the same path as the console), notes are saved as the demo rapporteur,
// and the draft is built from that record.

// Demo staff accounts that run the list and write the notes.
const (
	demoModeratorEmail  = "moderator@rostrum.example"
	demoRapporteurEmail = "rapporteur@rostrum.example"
)

// demoItemScript is how the discussion of one past agenda item went.
type demoItemScript struct {
	statements int    // requests for the floor before the Chair opens the list
	extra      string // a point of order or a reply that comes up during the debate
	extraAt    int    // during which speech (0-based) the extra request comes
	pauseAt    int    // which speech the Chair pauses for a moment (-1: none)
	extendAt   int    // which speech gets more time (-1: none)
}

var demoPastItems = []demoItemScript{
	{statements: 9, extra: models.KindPointOfOrder, extraAt: 3, pauseAt: 2, extendAt: -1},
	{statements: 10, extra: models.KindReply, extraAt: 4, pauseAt: -1, extendAt: 6},
}

// Speaking times of statements, in seconds: most close to the three
// minutes allowed, a few over.
var demoSpeechSeconds = []int{172, 158, 186, 141, 176, 193, 133, 167, 149, 181, 162, 154}

// demoNowWaiting is how many statements wait on the current item, besides
// the speaker and the point of order raised just now.
const demoNowWaiting = 5

// demoLiveReport says what demoLive found or did.
type demoLiveReport struct {
	ListCreated  bool
	NotesAdded   int
	DraftCreated bool
	CheckedIn    int                  // participants checked in at the door now
	Participant  *models.Registration // an approved participant who may ask for the floor now
}

// demoLive brings the demo meeting to life. Each part runs only when its
// result is missing: the list of speakers when the meeting's live list
// has never changed (seq 0), a note for every finished intervention on
// the first two items that has none, the draft when the summary has no
// version yet.
func (a *loader) demoLive(ctx context.Context, m *models.Meeting) (demoLiveReport, error) {
	var rep demoLiveReport
	moderator, err := a.demoUser(ctx, demoModeratorEmail)
	if err != nil {
		return rep, err
	}
	rapporteur, err := a.demoUser(ctx, demoRapporteurEmail)
	if err != nil {
		return rep, err
	}
	items, err := a.Meetings.Items(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	if len(items) < len(demoPastItems)+1 {
		return rep, fmt.Errorf("demo live list: the meeting has %d agenda items", len(items))
	}
	approved, err := a.Registrations.Approved(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	queue := demoSpeakerQueue(approved)

	// The list has run once the meeting has any speaker (its agenda's
	// items are live changes too, so the seq alone does not tell).
	before, err := a.Live.State(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	speakers := 0
	for _, it := range before.Items {
		speakers += len(it.Speakers)
	}
	if speakers == 0 {
		if err := a.demoRunList(ctx, m.ID, auth.Actor{User: moderator}, items, queue); err != nil {
			return rep, fmt.Errorf("demo live list: %w", err)
		}
		rep.ListCreated = true
	}

	if rep.NotesAdded, err = a.demoNotes(ctx, m, items, rapporteur.ID); err != nil {
		return rep, fmt.Errorf("demo notes: %w", err)
	}

	// The door has admitted most of them before the summary counts who
	// attended.
	if rep.CheckedIn, err = a.demoCheckIns(ctx, m, approved); err != nil {
		return rep, fmt.Errorf("demo check-ins: %w", err)
	}

	versions, err := a.Summary.Versions(ctx, m)
	if err != nil {
		return rep, err
	}
	if len(versions) == 0 {
		if _, err := a.Summary.CreateVersion(ctx, m, auth.Actor{User: rapporteur}); err != nil {
			return rep, fmt.Errorf("demo summary draft: %w", err)
		}
		rep.DraftCreated = true
	}

	// Someone to try the participant's side with: approved, and neither
	// speaking nor waiting on the current item.
	st, err := a.Live.State(ctx, m.ID)
	if err != nil {
		return rep, err
	}
	onFloor := map[uint]bool{}
	for _, it := range st.Items {
		if st.CurrentItemID == nil || it.ID != *st.CurrentItemID {
			continue
		}
		for _, e := range it.Speakers {
			if e.State == models.SpeakerWaiting || e.State == models.SpeakerSpeaking {
				onFloor[e.RegistrationID] = true
			}
		}
	}
	for i := len(queue) - 1; i >= 0; i-- {
		if !onFloor[queue[i].ID] {
			rep.Participant = &queue[i]
			break
		}
	}
	if p := rep.Participant; p != nil {
		// Only the hash of a link is stored: print a new link (the one
		// printed by an earlier run stops working).
		if p.Token, err = a.Registrations.NewLink(ctx, p.ID); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (a *loader) demoUser(ctx context.Context, email string) (*models.User, error) {
	u, err := a.Auth.UserByEmail(ctx, email)
	if err != nil {
		return nil, fmt.Errorf("demo account %s: %w", email, err)
	}
	return u, nil
}

// demoSpeakerQueue orders the approved participants so that consecutive
// speakers come from different stakeholder types, NGOs and businesses
// more often, as in the room; each person comes once.
func demoSpeakerQueue(approved []models.Registration) []models.Registration {
	byType := map[string][]models.Registration{}
	for _, r := range approved {
		byType[r.Organization.Type] = append(byType[r.Organization.Type], r)
	}
	pattern := []string{"ngo", "private_sector", "academia", "ngo", "technical_community",
		"private_sector", "ngo", "intergovernmental", "academia", "other"}
	var q []models.Registration
	for len(q) < len(approved) {
		before := len(q)
		for _, t := range pattern {
			if len(byType[t]) > 0 {
				q = append(q, byType[t][0])
				byType[t] = byType[t][1:]
			}
		}
		for _, t := range models.OrganizationTypes { // types the pattern does not name
			if !slices.Contains(pattern, t) {
				q = append(q, byType[t]...)
				byType[t] = nil
			}
		}
		if len(q) == before { // only unknown types left
			break
		}
	}
	return q
}

// demoClock runs live commands as the moderator on a simulated clock.
type demoClock struct {
	ctx       context.Context
	live      *live.Service
	actor     auth.Actor
	meetingID uint
	at        time.Time
}

func (d *demoClock) wait(seconds int) { d.at = d.at.Add(time.Duration(seconds) * time.Second) }

func (d *demoClock) do(cmd live.Command) (live.Result, error) {
	res, err := d.live.Do(d.ctx, d.actor, d.meetingID, cmd)
	if err != nil {
		return res, fmt.Errorf("%s: %w", cmd.Action, err)
	}
	return res, nil
}

// demoRunList plays the meeting so far through live.Service.Do: the first
// items discussed on a clock that ends a little before now, then the
// current item, whose speaker is given the floor at the real now so that
// the screen's countdown runs.
func (a *loader) demoRunList(ctx context.Context, meetingID uint, moderator auth.Actor, items []models.AgendaItem, queue []models.Registration) error {
	realNow := a.Live.Now
	d := &demoClock{ctx: ctx, live: a.Live, actor: moderator, meetingID: meetingID,
		at: realNow().Add(-2 * time.Hour).Truncate(time.Minute)}
	// The demo runs alone (go run . demo): nothing else reads the clock
	// while it is swapped.
	a.Live.Now = func() time.Time { return d.at }
	defer func() { a.Live.Now = realNow }()

	next := 0
	speaker := func() uint {
		r := queue[next%len(queue)]
		next++
		return r.ID
	}
	for k, script := range demoPastItems {
		if err := demoDiscuss(d, items[k].ID, script, speaker); err != nil {
			return fmt.Errorf("item %d: %w", k+1, err)
		}
		d.wait(240) // the Chair sums up and introduces the next theme
	}

	// The current item: requests came in over the last minutes...
	cur := items[len(demoPastItems)].ID
	if d.at.Before(realNow().Add(-5 * time.Minute)) {
		d.at = realNow().Add(-5 * time.Minute)
	}
	if _, err := d.do(live.Command{Action: live.ActSetCurrent, ItemID: cur}); err != nil {
		return err
	}
	for range demoNowWaiting + 1 {
		d.wait(25)
		if _, err := d.do(live.Command{Action: live.ActAddSpeaker, ItemID: cur, RegistrationID: speaker()}); err != nil {
			return err
		}
	}
	// ...the first has the floor from now on, and a point of order has
	// just been raised: it goes to the top of the list.
	a.Live.Now = realNow
	if _, err := a.Live.Do(ctx, moderator, meetingID, live.Command{Action: live.ActNext, ItemID: cur}); err != nil {
		return fmt.Errorf("next: %w", err)
	}
	_, err := a.Live.Do(ctx, moderator, meetingID, live.Command{Action: live.ActAddSpeaker, ItemID: cur,
		RegistrationID: speaker(), Kind: models.KindPointOfOrder})
	return err
}

// demoDiscuss plays the debate of one agenda item: it becomes current,
// the speakers queue, each is given the floor in turn and stopped after
// their speech, and the list is closed at the end.
func demoDiscuss(d *demoClock, itemID uint, s demoItemScript, speaker func() uint) error {
	if _, err := d.do(live.Command{Action: live.ActSetCurrent, ItemID: itemID}); err != nil {
		return err
	}
	added := 0
	for range s.statements {
		d.wait(15)
		if _, err := d.do(live.Command{Action: live.ActAddSpeaker, ItemID: itemID, RegistrationID: speaker()}); err != nil {
			return err
		}
		added++
	}
	var prev uint // the entry that spoke last, which a reply answers
	for i := 0; i < added; i++ {
		d.wait(20)
		res, err := d.do(live.Command{Action: live.ActNext, ItemID: itemID})
		if err != nil {
			return err
		}
		e := res.Speaker
		length := demoSpeechSeconds[(int(itemID)+i)%len(demoSpeechSeconds)]
		switch e.Kind {
		case models.KindPointOfOrder:
			length = 42
		case models.KindReply:
			length = 68
		}
		spoken := 0
		speak := func(seconds int) { d.wait(seconds); spoken += seconds }
		if i == s.extraAt {
			speak(60)
			cmd := live.Command{Action: live.ActAddSpeaker, ItemID: itemID, RegistrationID: speaker(), Kind: s.extra}
			if s.extra == models.KindReply {
				cmd.ReplyTo = prev
			}
			if _, err := d.do(cmd); err != nil {
				return err
			}
			added++
		}
		if i == s.pauseAt {
			speak(70 - spoken)
			if _, err := d.do(live.Command{Action: live.ActPause, SpeakerID: e.ID}); err != nil {
				return err
			}
			d.wait(25) // the interpretation drops out, and comes back
			if _, err := d.do(live.Command{Action: live.ActResume, SpeakerID: e.ID}); err != nil {
				return err
			}
		}
		if i == s.extendAt {
			speak(150 - spoken)
			if _, err := d.do(live.Command{Action: live.ActExtend, SpeakerID: e.ID, Seconds: 60}); err != nil {
				return err
			}
			length = 214
		}
		speak(length - spoken)
		if _, err := d.do(live.Command{Action: live.ActStop, SpeakerID: e.ID}); err != nil {
			return err
		}
		prev = e.ID
	}
	d.wait(30)
	_, err := d.do(live.Command{Action: live.ActClose, ItemID: itemID})
	return err
}

// demoNotes writes the rapporteur's note on every finished intervention
// of the past items that has none, and returns how many it wrote.
func (a *loader) demoNotes(ctx context.Context, m *models.Meeting, items []models.AgendaItem, author uint) (int, error) {
	theme := map[uint]int{}
	for k := range demoPastItems {
		theme[items[k].ID] = k
	}
	notes, err := a.Summary.Notes(ctx, m)
	if err != nil {
		return 0, err
	}
	added := 0
	for i, n := range notes {
		k, past := theme[n.AgendaItemID]
		if !past || n.State != models.SpeakerDone || n.Text != "" || len(n.KeyPoints) > 0 {
			continue
		}
		if _, err := a.Summary.SaveNote(ctx, m, n.SpeakerID, demoNote(k, n.Type, n.Kind, i), author); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// demoLivePrint tells the newcomer where the meeting in session is seen.
func (a *loader) demoLivePrint(w io.Writer, base, slug string, rep demoLiveReport) {
	list, draft := "already there", "already there"
	if rep.ListCreated {
		list = "played now"
	}
	if rep.DraftCreated {
		draft = "version 1 drafted now"
	}
	fmt.Fprintf(w, "\nIn session: items 1–2 discussed, item 3 under way (live list %s; notes added now: %d; summary %s):\n",
		list, rep.NotesAdded, draft)
	fmt.Fprintf(w, "  %s/m/%s/console         moderator's console (list of speakers)\n", base, slug)
	fmt.Fprintf(w, "  %s/m/%s/screen          the room's screen (speaker and countdown)\n", base, slug)
	fmt.Fprintf(w, "  %s/m/%s/notes           rapporteur's notes\n", base, slug)
	fmt.Fprintf(w, "  %s/m/%s/summary/desk    Chair's summary desk\n", base, slug)
	fmt.Fprintf(w, "  %s/m/%s/checkin         check-in at the door (checked in now: %d)\n", base, slug, rep.CheckedIn)
	fmt.Fprintf(w, "  %s/api/meetings/%s/badges.pdf   badges, eight to an A4 sheet (logged in as registrar or admin)\n", base, slug)
	fmt.Fprintf(w, "  %s/api/meetings/%s/participants.pdf   list of participants (staff)\n", base, slug)
	if p := rep.Participant; p != nil {
		fmt.Fprintf(w, "  %s/r/%s\n      participant's page of %s (%s): ask for the floor from there\n",
			base, p.Token, p.Name, p.Organization.Name)
	}
}
