package live

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"rostrum/apperr"
	"rostrum/models"
)

var t0 = time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)

// newFloor returns a meeting with two items (180 s and 60 s) and no
// speakers.
func newFloor() *Floor {
	return &Floor{MeetingID: 1, Lists: []*ListOfSpeakers{
		{ItemID: 10, Title: "Threats", SpeakingTimeSeconds: 180},
		{ItemID: 20, Title: "Law", SpeakingTimeSeconds: 60},
	}}
}

var nextID uint = 100

// add adds an approved speaker and gives the entry an id as storage
// would.
func add(t *testing.T, f *Floor, item uint, name, typ, kind string, replyTo uint) *Entry {
	t.Helper()
	e, err := f.AddSpeaker(t0, item, Speaker{RegistrationID: regID(name), Name: name, Organization: name + " Org", StakeholderType: typ, Approved: true}, kind, replyTo)
	if err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
	nextID++
	e.ID = nextID
	return e
}

func regID(name string) uint {
	var h uint = 7
	for _, r := range name {
		h = h*31 + uint(r)
	}
	return h % 100000
}

func waitingNames(f *Floor, item uint) string {
	l, _ := f.List(item)
	var names []string
	for _, e := range l.Waiting() {
		names = append(names, e.Name)
	}
	return fmt.Sprint(names)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Kind != apperr.KindConflict {
		t.Fatalf("got %v, want conflict %s", err, code)
	}
}

func TestStatementsKeepRequestOrder(t *testing.T) {
	f := newFloor()
	for _, n := range []string{"Ana", "Ben", "Chen"} {
		add(t, f, 10, n, "ngo", models.KindStatement, 0)
	}
	if got := waitingNames(f, 10); got != "[Ana Ben Chen]" {
		t.Fatal(got)
	}
	l, _ := f.List(10)
	for i, e := range l.Waiting() {
		if e.Position != (i+1)*PositionStep || e.TimeLimitSeconds != 180 || e.RequestedAt != t0 {
			t.Fatalf("entry %+v", e)
		}
	}
}

func TestPointsOfOrderGoToTheTopAfterEarlierOnes(t *testing.T) {
	f := newFloor()
	add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	add(t, f, 10, "Poo1", "ngo", models.KindPointOfOrder, 0)
	add(t, f, 10, "Poo2", "ngo", models.KindPointOfOrder, 0)
	if got := waitingNames(f, 10); got != "[Poo1 Poo2 Ana Ben]" {
		t.Fatal(got)
	}
}

func TestRepliesFollowTheEntryTheyAnswerAfterEarlierReplies(t *testing.T) {
	f := newFloor()
	ana := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	add(t, f, 10, "R1", "ngo", models.KindReply, ana.ID)
	add(t, f, 10, "R2", "ngo", models.KindReply, ana.ID)
	if got := waitingNames(f, 10); got != "[Ana R1 R2 Ben]" {
		t.Fatal(got)
	}
	// A reply to the speaker goes to the top, after points of order.
	if _, err := f.Start(t0, ana.ID); err != nil {
		t.Fatal(err)
	}
	add(t, f, 10, "Poo", "ngo", models.KindPointOfOrder, 0)
	add(t, f, 10, "R3", "ngo", models.KindReply, ana.ID)
	if got := waitingNames(f, 10); got != "[Poo R1 R2 R3 Ben]" {
		t.Fatal(got)
	}
	// A reply to a withdrawn request, or to another list's entry, is refused.
	ben := add(t, f, 10, "Dan", "ngo", models.KindStatement, 0)
	if _, err := f.Remove(ben.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 1, Name: "X", Approved: true}, models.KindReply, ben.ID)
	wantCode(t, err, CodeReplyTarget)
	other := add(t, f, 20, "Eve", "ngo", models.KindStatement, 0)
	if _, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 1, Name: "X", Approved: true}, models.KindReply, other.ID); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("reply across lists: %v", err)
	}
}

func TestOnlyApprovedRegistrationsSpeak(t *testing.T) {
	f := newFloor()
	_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 1, Name: "X", Approved: false}, models.KindStatement, 0)
	wantCode(t, err, CodeNotApproved)
	l, _ := f.List(10)
	if len(l.Entries) != 0 {
		t.Fatal("entry added")
	}
}

func TestAPersonWaitsAtMostOncePerList(t *testing.T) {
	f := newFloor()
	ana := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: regID("Ana"), Name: "Ana", Approved: true}, models.KindPointOfOrder, 0)
	wantCode(t, err, CodeAlreadyWaiting)
	add(t, f, 20, "Ana", "ngo", models.KindStatement, 0) // another list
	if _, err := f.Start(t0, ana.ID); err != nil {
		t.Fatal(err)
	}
	add(t, f, 10, "Ana", "ngo", models.KindStatement, 0) // speaking, not waiting
}

func TestAClosedListTakesOnlyPointsOfOrder(t *testing.T) {
	f := newFloor()
	ana := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	if err := f.Close(10); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Close(10), CodeAlreadyClosed)
	for _, k := range []string{models.KindStatement, models.KindReply} {
		_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 5, Name: "Ben", Approved: true}, k, map[string]uint{models.KindReply: ana.ID}[k])
		wantCode(t, err, CodeListClosed)
	}
	add(t, f, 10, "Poo", "ngo", models.KindPointOfOrder, 0)
	if err := f.Reopen(10); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.Reopen(10), CodeNotClosed)
	add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
}

func TestOneSpeakerPerMeeting(t *testing.T) {
	f := newFloor()
	ana := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	ben := add(t, f, 20, "Ben", "ngo", models.KindStatement, 0)
	if _, err := f.Start(t0, ana.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.Start(t0, ben.ID)
	wantCode(t, err, CodeOneSpeaker)
	_, err = f.Next(t0, 20)
	wantCode(t, err, CodeOtherItem)
	if _, err := f.Stop(t0.Add(time.Minute), ana.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Start(t0, ben.ID); err != nil {
		t.Fatal(err)
	}
}

func TestNextEndsTheSpeechAndStartsTheFirstWaiting(t *testing.T) {
	f := newFloor()
	_, err := f.Next(t0, 10)
	wantCode(t, err, CodeNobodyWaiting)
	ana := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	ben := add(t, f, 10, "Ben", "academia", models.KindStatement, 0)
	if e, err := f.Next(t0, 10); err != nil || e != ana || ana.State != models.SpeakerSpeaking || !ana.StartedAt.Equal(t0) || ana.Position != 0 {
		t.Fatalf("first next: %v %+v", err, e)
	}
	if w := waitingNames(f, 10); w != "[Ben]" || ben.Position != 2*PositionStep {
		t.Fatalf("waiting %s, Ben at %d (positions are not renumbered)", w, ben.Position)
	}
	if e, err := f.Next(t0.Add(90*time.Second), 10); err != nil || e != ben || ana.State != models.SpeakerDone || ana.SpokenMS != 90_000 {
		t.Fatalf("second next: %v %+v %+v", err, e, ana)
	}
	// Nobody waits: the speech ends, nobody starts.
	if e, err := f.Next(t0.Add(100*time.Second), 10); err != nil || e != nil || ben.State != models.SpeakerDone {
		t.Fatalf("last next: %v %+v", err, e)
	}
}

func TestReorderOnlyPermutesTheWaitingEntries(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	b := add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	c := add(t, f, 10, "Chen", "ngo", models.KindStatement, 0)
	d := add(t, f, 10, "Dara", "ngo", models.KindStatement, 0)
	if _, err := f.Start(t0, d.ID); err != nil {
		t.Fatal(err)
	}
	for _, ids := range [][]uint{{a.ID, b.ID}, {a.ID, b.ID, c.ID, d.ID}, {a.ID, b.ID, b.ID}, {a.ID, b.ID, 999}, nil} {
		wantCode(t, f.Reorder(10, ids), CodeReorderSet)
	}
	if got := waitingNames(f, 10); got != "[Ana Ben Chen]" {
		t.Fatalf("refused reorder changed the list: %s", got)
	}
	if err := f.Reorder(10, []uint{c.ID, a.ID, b.ID}); err != nil {
		t.Fatal(err)
	}
	if got := waitingNames(f, 10); got != "[Chen Ana Ben]" || c.Position != PositionStep || b.Position != 3*PositionStep || d.Position != 0 {
		t.Fatal(got)
	}
}

// A withdrawn (or removed) request leaves its list and the live state;
// the change still carries it, withdrawn, so that viewers drop it and the
// audit log keeps it.
func TestWithdrawnRequestLeavesTheListAndTheState(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	b := add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	f.touchedEntries = nil
	if _, err := f.Remove(a.ID); err != nil {
		t.Fatal(err)
	}
	l, _ := f.List(10)
	if len(l.Entries) != 1 || l.Entries[0] != b {
		t.Fatalf("list after withdrawal: %+v", l.Entries)
	}
	st := StateOf(f, t0)
	if sp := st.Items[0].Speakers; len(sp) != 1 || sp[0].ID != b.ID {
		t.Fatalf("state after withdrawal: %+v", sp)
	}
	touched, _, _ := f.Touched()
	if !slices.Contains(touched, a) || a.State != models.SpeakerWithdrawn {
		t.Fatalf("the change does not carry the withdrawn request: %+v", touched)
	}
	// A floor loaded later does not hold it; storage answers for it, and
	// the rules still refuse commands that name it by its state.
	later := newFloor()
	later.Withdrawn = func(id uint) *Entry {
		if id == a.ID {
			return a
		}
		return nil
	}
	_, err := later.Remove(a.ID)
	wantCode(t, err, CodeNotWaiting)
	_, err = later.Start(t0, a.ID)
	wantCode(t, err, CodeNotWaiting)
	_, err = later.AddSpeaker(t0, 10, Speaker{RegistrationID: 1, Name: "X", Approved: true}, models.KindReply, a.ID)
	wantCode(t, err, CodeReplyTarget)
	if _, err := later.AddSpeaker(t0, 20, Speaker{RegistrationID: 1, Name: "X", Approved: true}, models.KindReply, a.ID); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("reply on another list to a withdrawn request: %v", err)
	}
}

func TestWithdrawOnlyWaiting(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	b := add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	if _, err := f.Remove(a.ID); err != nil {
		t.Fatal(err)
	}
	if a.State != models.SpeakerWithdrawn || a.Position != 0 || b.Position != 2*PositionStep || waitingNames(f, 10) != "[Ben]" {
		t.Fatalf("%+v %+v", a, b)
	}
	_, err := f.Remove(a.ID)
	wantCode(t, err, CodeNotWaiting)
	if _, err := f.Start(t0, b.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.Remove(b.ID)
	wantCode(t, err, CodeNotWaiting)
	if _, _, err := f.Entry(12345); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal(err)
	}
}

func TestTimerPausesResumesAndExtends(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	if _, err := f.Start(t0, a.ID); err != nil {
		t.Fatal(err)
	}
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	if got := Remaining(a, at(100)); got != 80*time.Second {
		t.Fatalf("remaining %v", got)
	}
	_, err := f.Resume(at(100), a.ID)
	wantCode(t, err, CodeNotPaused)
	if _, err := f.Pause(at(100), a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.Pause(at(101), a.ID)
	wantCode(t, err, CodeAlreadyPaused)
	// Paused: the clock stands still.
	if got := Remaining(a, at(160)); got != 80*time.Second {
		t.Fatalf("remaining while paused %v", got)
	}
	if tm := TimerOf(a); tm.Running || !tm.PausedAt.Equal(at(100)) {
		t.Fatalf("paused timer %+v", tm)
	}
	if _, err := f.Resume(at(160), a.ID); err != nil {
		t.Fatal(err)
	}
	if a.PausedMS != 60_000 || Remaining(a, at(170)) != 70*time.Second {
		t.Fatalf("after resume: paused %d remaining %v", a.PausedMS, Remaining(a, at(170)))
	}
	if _, err := f.Extend(a.ID, 30); err != nil {
		t.Fatal(err)
	}
	if Remaining(a, at(170)) != 100*time.Second || a.TimeLimitSeconds != 210 {
		t.Fatalf("extended: %v", Remaining(a, at(170)))
	}
	for _, s := range []int{0, -5, MaxExtendSeconds + 1} {
		if _, err := f.Extend(a.ID, s); !apperr.Is(err, apperr.KindInvalid) {
			t.Fatalf("extend %d: %v", s, err)
		}
	}
	// Overtime is negative remaining time.
	if Remaining(a, at(400)) >= 0 || Phase(a, at(400)) != "overtime" {
		t.Fatal("no overtime")
	}
	// Stopping while paused counts the time until the pause.
	if _, err := f.Pause(at(200), a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stop(at(250), a.ID); err != nil {
		t.Fatal(err)
	}
	if a.SpokenMS != 140_000 || a.State != models.SpeakerDone || a.PausedAt != nil || TimerOf(a) != nil {
		t.Fatalf("stopped: %+v", a)
	}
	_, err = f.Pause(at(260), a.ID)
	wantCode(t, err, CodeNotSpeaking)
	_, err = f.Stop(at(260), a.ID)
	wantCode(t, err, CodeNotSpeaking)
}

func TestWarningPhaseIsTheLast30SecondsOrFifth(t *testing.T) {
	cases := []struct {
		limit, warn time.Duration
	}{
		{180 * time.Second, 30 * time.Second},
		{150 * time.Second, 30 * time.Second},
		{60 * time.Second, 12 * time.Second},
		{10 * time.Second, 2 * time.Second},
	}
	for _, c := range cases {
		if got := WarningThreshold(c.limit); got != c.warn {
			t.Errorf("limit %v: warning at %v, want %v", c.limit, got, c.warn)
		}
	}
	e := &Entry{State: models.SpeakerSpeaking, StartedAt: &t0, TimeLimitSeconds: 60}
	for s, want := range map[int]string{0: "running", 47: "running", 48: "warning", 59: "warning", 60: "overtime"} {
		if got := Phase(e, t0.Add(time.Duration(s)*time.Second)); got != want {
			t.Errorf("at %ds: %s, want %s", s, got, want)
		}
	}
}

func TestBalanceCountsStatementsAndTimePerStakeholderType(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	p := add(t, f, 10, "Poo", "ngo", models.KindPointOfOrder, 0)
	c := add(t, f, 20, "Chen", "academia", models.KindStatement, 0)
	run := func(e *Entry, secs int) {
		if _, err := f.Start(t0, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Stop(t0.Add(time.Duration(secs)*time.Second), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	run(p, 10)
	run(a, 120)
	if _, err := f.Start(t0, c.ID); err != nil {
		t.Fatal(err)
	}
	b := BalanceOf(f)
	if b["ngo"].Statements != 1 || b["ngo"].SpeakingMS != 130_000 {
		t.Fatalf("ngo %+v", b["ngo"])
	}
	if b["academia"].Statements != 1 || b["academia"].SpeakingMS != 0 {
		t.Fatalf("academia (speaking now) %+v", b["academia"])
	}
	if b["private_sector"] == nil || b["private_sector"].Statements != 0 {
		t.Fatal("types that have not spoken are missing")
	}
}

func TestSuggestNextBalancesTheFloor(t *testing.T) {
	f := newFloor()
	spoke := func(name, typ string, secs int) {
		e := add(t, f, 20, name, typ, models.KindStatement, 0)
		if _, err := f.Start(t0, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Stop(t0.Add(time.Duration(secs)*time.Second), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	// NGOs spoke twice, academia once for long, business once briefly.
	spoke("N1", "ngo", 60)
	spoke("N2", "ngo", 60)
	spoke("A1", "academia", 170)
	spoke("B1", "private_sector", 30)
	if s, _ := SuggestNext(f, 10); s != nil {
		t.Fatal("suggested someone on an empty list")
	}
	n3 := add(t, f, 10, "N3", "ngo", models.KindStatement, 0)
	a2 := add(t, f, 10, "A2", "academia", models.KindStatement, 0)
	b2 := add(t, f, 10, "B2", "private_sector", models.KindStatement, 0)
	b3 := add(t, f, 10, "B3", "private_sector", models.KindStatement, 0)
	// academia and business have one statement each; business spoke less.
	if s, _ := SuggestNext(f, 10); s != b2 {
		t.Fatalf("suggested %s, want B2", s.Name)
	}
	// Tie on statements and time: the earlier waiting entry.
	f2 := newFloor()
	x := add(t, f2, 10, "X", "ngo", models.KindStatement, 0)
	add(t, f2, 10, "Y", "academia", models.KindStatement, 0)
	if s, _ := SuggestNext(f2, 10); s != x {
		t.Fatalf("tie: %s", s.Name)
	}
	// A type that never spoke beats all.
	tc := add(t, f, 10, "T1", "technical_community", models.KindStatement, 0)
	if s, _ := SuggestNext(f, 10); s != tc {
		t.Fatalf("suggested %s, want T1", s.Name)
	}
	// A point of order comes first whatever the balance.
	poo := add(t, f, 10, "P1", "ngo", models.KindPointOfOrder, 0)
	if s, _ := SuggestNext(f, 10); s != poo {
		t.Fatalf("suggested %s, want the point of order", s.Name)
	}
	_, _, _ = n3, a2, b3
}

func TestTouchedRecordsOnlyWhatChanged(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	b := add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	c := add(t, f, 10, "Chen", "ngo", models.KindStatement, 0)
	f.touchedEntries, f.touchedLists = nil, nil
	if err := f.Reorder(10, []uint{a.ID, c.ID, b.ID}); err != nil {
		t.Fatal(err)
	}
	entries, lists, current := f.Touched()
	if len(entries) != 2 || !slices.Contains(entries, b) || !slices.Contains(entries, c) || len(lists) != 0 || current {
		t.Fatalf("touched %d entries, %d lists, current %v", len(entries), len(lists), current)
	}
	if err := f.SetCurrent(20); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.SetCurrent(20), CodeAlreadyCurrent)
	if _, _, current := f.Touched(); !current {
		t.Fatal("current item change not recorded")
	}
	if err := f.SetCurrent(99); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatal(err)
	}
}

// A change moves only the entries it concerns: with 64 waiting, Next,
// a withdrawal and a statement joining the end each touch one or two
// entries, never the rest of the queue.
func TestAChangeTouchesOnlyTheEntriesItConcerns(t *testing.T) {
	f := newFloor()
	var all []*Entry
	for i := range 64 {
		all = append(all, add(t, f, 10, fmt.Sprintf("Speaker %02d", i), "ngo", models.KindStatement, 0))
	}
	for _, step := range []struct {
		name string
		do   func(f *Floor) error
		max  int
	}{
		{"next", func(f *Floor) error { _, err := f.Next(t0, 10); return err }, 1},
		{"next again", func(f *Floor) error { _, err := f.Next(t0.Add(time.Minute), 10); return err }, 2},
		{"withdraw", func(f *Floor) error { _, err := f.Remove(all[40].ID); return err }, 1},
		{"join the end", func(f *Floor) error {
			_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 9999, Name: "Late", Approved: true}, models.KindStatement, 0)
			return err
		}, 1},
		{"point of order at the top", func(f *Floor) error {
			_, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: 9998, Name: "Order", Approved: true}, models.KindPointOfOrder, 0)
			return err
		}, 1},
	} {
		f.touchedEntries, f.moved, f.respaced = nil, nil, nil
		if err := step.do(f); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if n := len(f.Changed()); n == 0 || n > step.max || len(f.Respaced()) != 0 {
			t.Errorf("%s: %d entries changed (at most %d), %d lists respaced", step.name, n, step.max, len(f.Respaced()))
		}
		checkPositions(t, f, step.name)
	}
}

// When two neighbours leave no room between them, the list is respaced:
// the new entry is sent, the rest of the queue goes as its order only.
func TestAnInsertWithNoRoomRespacesTheListAndSendsItsOrder(t *testing.T) {
	f := newFloor()
	a := add(t, f, 10, "Ana", "ngo", models.KindStatement, 0)
	add(t, f, 10, "Ben", "ngo", models.KindStatement, 0)
	// Replies to Ana go right after her, each after the earlier ones:
	// halving the gap runs out after about ten.
	respaced := false
	for i := range 14 {
		f.touchedEntries, f.moved, f.respaced = nil, nil, nil
		e, err := f.AddSpeaker(t0, 10, Speaker{RegistrationID: uint(5000 + i), Name: fmt.Sprintf("Reply %d", i), Approved: true}, models.KindReply, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if changed := f.Changed(); len(changed) != 1 || changed[0] != e {
			t.Fatalf("reply %d: sent %d entries", i, len(changed))
		}
		if len(f.Respaced()) > 0 {
			respaced = true
			l, _ := f.List(10)
			for j, w := range l.Waiting() {
				if w.Position != (j+1)*PositionStep {
					t.Fatalf("respaced entry %d at %d", j, w.Position)
				}
			}
		}
		checkPositions(t, f, fmt.Sprintf("reply %d", i))
	}
	if !respaced {
		t.Fatal("fourteen replies in one gap never respaced the list")
	}
}

// checkPositions fails unless the waiting entries' positions increase in
// their order, and everyone else's is 0.
func checkPositions(t *testing.T, f *Floor, step string) {
	t.Helper()
	for _, l := range f.Lists {
		last := math.MinInt
		for _, e := range l.Waiting() {
			if e.Position <= last {
				t.Fatalf("%s: positions do not increase", step)
			}
			last = e.Position
		}
		for _, e := range l.Entries {
			if e.State != models.SpeakerWaiting && e.Position != 0 {
				t.Fatalf("%s: %s (%s) at %d", step, e.Name, e.State, e.Position)
			}
		}
	}
}
