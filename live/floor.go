// Package live runs the live list of speakers: one list per agenda item,
// the rules that order it, the server-authoritative timer, the balance of
// the floor between stakeholder types, and the single path every change
// takes — command → validate against the current state → write in one
// transaction with the meeting's next seq and an audit row → publish on the
// change feed → the hub fans the change out to every viewer.
//
// The rules (this file, timer.go, balance.go) are plain Go on plain values
// and know nothing of storage or transport; service.go wraps them in
// transactions, hub.go in websockets.
package live

import (
	"slices"
	"time"

	"rostrum/apperr"
	"rostrum/models"
)

// Entry is one request for the floor (stored as models.SpeakerEntry).
type Entry = models.SpeakerEntry

// ListOfSpeakers is the list of one agenda item.
type ListOfSpeakers struct {
	ItemID              uint
	Title               string
	SpeakingTimeSeconds int
	Closed              bool
	// Entries holds the entries of the list that are part of the live
	// state (waiting, speaking and done), in no particular order; Waiting
	// and Ordered give the orders that matter. A withdrawn or removed
	// request leaves the list: the audit log keeps it, the state does not,
	// so that neither the state viewers receive nor the work of a command
	// grows with requests that came and went.
	Entries []*Entry
}

// Floor is the live state of one meeting as the rules see it: its lists in
// agenda order and its current item. Commands change it in place and
// remember what they touched, so that storage writes only that and viewers
// receive only that.
type Floor struct {
	MeetingID     uint
	Seq           int64
	CurrentItemID uint // 0: none chosen yet
	Lists         []*ListOfSpeakers
	// SpeakerOrder is the meeting's models.SpeakerOrderRequest ("" too)
	// or models.SpeakerOrderPrecedence: where a new statement goes.
	SpeakerOrder string
	// Withdrawn, when set, returns the withdrawn request id of the
	// meeting, or nil: the lists no longer hold those (storage answers,
	// by one lookup), and a command that names one is refused by the rule
	// it breaks (not waiting, cannot be answered) rather than "not found".
	Withdrawn func(id uint) *Entry
	// gone holds the requests withdrawn on this floor since it was loaded.
	gone []*Entry

	touchedEntries []*Entry
	touchedLists   []*ListOfSpeakers
	currentChanged bool
	// respaced are the lists whose waiting entries all got new positions
	// (a reorder, or an insert with no room left between two): viewers get
	// their order as ids (Patch.Order), not every entry again.
	respaced []*ListOfSpeakers
	// moved are entries whose only change is a new position in a
	// respaced list: written, but not sent.
	moved []*Entry
	// orig is the floor's entries as loaded (Remember), which a change's
	// patch is the difference from: origAt[e] indexes orig.
	orig   []picture
	origAt map[*Entry]int32
}

// Speaker is who asks for the floor: an approved registration.
type Speaker struct {
	RegistrationID  uint
	Name            string
	Organization    string
	StakeholderType string
	Approved        bool
}

// Conflict codes name the rule a refused command would break.
const (
	CodeNotApproved    = "not_approved"
	CodeAlreadyWaiting = "already_waiting"
	CodeListClosed     = "list_closed"
	CodeOneSpeaker     = "one_speaker"
	CodeNotWaiting     = "not_waiting"
	CodeNotSpeaking    = "not_speaking"
	CodeAlreadyPaused  = "already_paused"
	CodeNotPaused      = "not_paused"
	CodeReorderSet     = "reorder_mismatch"
	CodeNobodyWaiting  = "nobody_waiting"
	CodeAlreadyClosed  = "already_closed"
	CodeNotClosed      = "not_closed"
	CodeAlreadyCurrent = "already_current"
	CodeReplyTarget    = "reply_target"
	CodeOtherItem      = "speaker_on_other_item"
)

// say is the conflict of code, its message id of the catalogues, so
// that each reader reads it in their language.
func say(code, id string, args ...any) error {
	return apperr.Say(apperr.KindConflict, id, args...).WithCode(code)
}

// MaxExtendSeconds bounds one extension of a speaking time.
const MaxExtendSeconds = 3600

// List returns the list of item, or NotFound.
func (f *Floor) List(itemID uint) (*ListOfSpeakers, error) {
	for _, l := range f.Lists {
		if l.ItemID == itemID {
			return l, nil
		}
	}
	return nil, apperr.Say(apperr.KindNotFound, "err.live.no_item", "ID", itemID)
}

// Entry returns the entry with id and its list, or NotFound. A withdrawn
// request is on no list: it comes back with a nil list, so that the
// rules refuse a command that names it by its state.
func (f *Floor) Entry(id uint) (*Entry, *ListOfSpeakers, error) {
	if id == 0 {
		return nil, nil, apperr.Say(apperr.KindNotFound, "err.live.no_entry", "ID", 0)
	}
	for _, l := range f.Lists {
		for _, e := range l.Entries {
			if e.ID == id {
				return e, l, nil
			}
		}
	}
	for _, e := range f.gone {
		if e.ID == id {
			return e, nil, nil
		}
	}
	if f.Withdrawn != nil {
		if e := f.Withdrawn(id); e != nil {
			return e, nil, nil
		}
	}
	return nil, nil, apperr.Say(apperr.KindNotFound, "err.live.no_entry", "ID", id)
}

// Speaking returns the entry that has the floor in this meeting, if any.
func (f *Floor) Speaking() (*Entry, *ListOfSpeakers) {
	for _, l := range f.Lists {
		for _, e := range l.Entries {
			if e.State == models.SpeakerSpeaking {
				return e, l
			}
		}
	}
	return nil, nil
}

// Touched returns the entries and lists changed since the floor was
// loaded, and whether the current item changed.
func (f *Floor) Touched() (entries []*Entry, lists []*ListOfSpeakers, current bool) {
	return f.touchedEntries, f.touchedLists, f.currentChanged
}

func (f *Floor) touch(e *Entry) {
	if !slices.Contains(f.touchedEntries, e) {
		f.touchedEntries = append(f.touchedEntries, e)
	}
	f.moved = slices.DeleteFunc(f.moved, func(x *Entry) bool { return x == e })
}

// Changed returns the entries a change must send to viewers: those
// touched, less those only moved within a respaced list, whose order
// goes as Respaced.
func (f *Floor) Changed() []*Entry {
	return slices.DeleteFunc(slices.Clone(f.touchedEntries), func(e *Entry) bool { return slices.Contains(f.moved, e) })
}

// Respaced returns the lists whose waiting order viewers get as ids.
func (f *Floor) Respaced() []*ListOfSpeakers { return f.respaced }

func (f *Floor) touchList(l *ListOfSpeakers) {
	if !slices.Contains(f.touchedLists, l) {
		f.touchedLists = append(f.touchedLists, l)
	}
}

// Waiting returns the waiting entries of l in the order they will speak.
func (l *ListOfSpeakers) Waiting() []*Entry {
	var w []*Entry
	for _, e := range l.Entries {
		if e.State == models.SpeakerWaiting {
			w = append(w, e)
		}
	}
	slices.SortStableFunc(w, func(a, b *Entry) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return int(a.ID) - int(b.ID)
	})
	return w
}

// Ordered returns every entry of l in display order: those who have
// spoken (in the order they spoke), the speaker, then the waiting entries
// in order.
func (l *ListOfSpeakers) Ordered() []*Entry {
	out := slices.Clone(l.Entries)
	slices.SortStableFunc(out, CompareEntries)
	return out
}

var stateRank = map[string]int{
	models.SpeakerDone: 0, models.SpeakerSpeaking: 1, models.SpeakerWaiting: 2,
}

// CompareEntries is the display order of a list (static/js/livestate.js
// sorts the same way after applying a patch).
func CompareEntries(a, b *Entry) int {
	if ra, rb := stateRank[a.State], stateRank[b.State]; ra != rb {
		return ra - rb
	}
	switch a.State {
	case models.SpeakerDone:
		if a.StartedAt != nil && b.StartedAt != nil {
			if c := a.StartedAt.Compare(*b.StartedAt); c != 0 {
				return c
			}
		}
	case models.SpeakerWaiting:
		if a.Position != b.Position {
			return a.Position - b.Position
		}
	}
	return int(a.ID) - int(b.ID)
}

// PositionStep is the gap between the positions of waiting entries: an
// entry joins between two others at the midpoint, so that a change of the
// list moves only the entries it concerns. Positions only order; a place
// in the queue is a rank. When no room is left the list is respaced:
// waiting entry i (from 0) gets (i+1)·PositionStep, the rule
// static/js/livestate.js applies to a patch's order.
const PositionStep = 1024

// place gives e, just put in waiting at index at, a position between its
// neighbours; when there is no room it respaces the list.
func (f *Floor) place(l *ListOfSpeakers, waiting []*Entry, at int) {
	e := waiting[at]
	switch {
	case len(waiting) == 1:
		e.Position = PositionStep
		return
	case at == len(waiting)-1:
		e.Position = waiting[at-1].Position + PositionStep
		return
	case at == 0:
		e.Position = waiting[1].Position - PositionStep
		return
	}
	if lo, hi := waiting[at-1].Position, waiting[at+1].Position; hi-lo > 1 {
		e.Position = lo + (hi-lo)/2
		return
	}
	f.respace(l, waiting)
}

// respace gives the waiting entries of l, in order, positions
// (i+1)·PositionStep; viewers get the order as ids.
func (f *Floor) respace(l *ListOfSpeakers, waiting []*Entry) {
	for i, e := range waiting {
		if e.Position != (i+1)*PositionStep {
			e.Position = (i + 1) * PositionStep
			if !slices.Contains(f.touchedEntries, e) {
				f.touchedEntries = append(f.touchedEntries, e)
				f.moved = append(f.moved, e)
			}
		}
	}
	if !slices.Contains(f.respaced, l) {
		f.respaced = append(f.respaced, l)
	}
}

// AddSpeaker puts sp on the list of item. Rules: only approved
// registrations speak; a person is at most once waiting on a list; a
// closed list takes only points of order; a point of order goes to the top
// of the waiting list (after earlier points of order there), a reply right
// after the entry it answers (after earlier replies to it; at the top when
// the answered entry is speaking or has spoken), a statement at the end —
// or, when the meeting keeps the order of precedence, at the end of its
// group (statementAt).
func (f *Floor) AddSpeaker(now time.Time, itemID uint, sp Speaker, kind string, replyTo uint) (*Entry, error) {
	l, err := f.List(itemID)
	if err != nil {
		return nil, err
	}
	fields := apperr.Fields{}
	switch kind {
	case models.KindStatement, models.KindPointOfOrder:
		if replyTo != 0 {
			fields.Say("reply_to", "err.live.reply_only")
		}
	case models.KindReply:
		if replyTo == 0 {
			fields.Say("reply_to", "err.live.reply_names")
		}
	default:
		fields.Say("kind", "err.live.kind")
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if !sp.Approved {
		return nil, say(CodeNotApproved, "err.live.not_approved")
	}
	for _, e := range l.Entries {
		if e.RegistrationID == sp.RegistrationID && e.State == models.SpeakerWaiting {
			return nil, say(CodeAlreadyWaiting, "err.live.already_waiting", "Name", sp.Name)
		}
	}
	if l.Closed && kind != models.KindPointOfOrder {
		return nil, say(CodeListClosed, "err.live.list_closed")
	}
	waiting := l.Waiting()
	leadingPoO := 0
	for leadingPoO < len(waiting) && waiting[leadingPoO].Kind == models.KindPointOfOrder {
		leadingPoO++
	}
	at := len(waiting)
	var replyPtr *uint
	switch kind {
	case models.KindStatement:
		if f.SpeakerOrder == models.SpeakerOrderPrecedence {
			at = statementAt(waiting, sp.StakeholderType)
		}
	case models.KindPointOfOrder:
		at = leadingPoO
	case models.KindReply:
		target, tl, err := f.Entry(replyTo)
		if err == nil && target.State == models.SpeakerWithdrawn && target.AgendaItemID == l.ItemID {
			return nil, say(CodeReplyTarget, "err.live.reply_withdrawn")
		}
		if err != nil || tl != l {
			return nil, apperr.Say(apperr.KindInvalid, "err.live.no_reply_target").WithField("reply_to", "err.live.entry_of_list")
		}
		at = leadingPoO
		if i := slices.Index(waiting, target); i >= 0 {
			at = i + 1
		}
		for at < len(waiting) && waiting[at].Kind == models.KindReply && waiting[at].ReplyTo != nil && *waiting[at].ReplyTo == replyTo {
			at++
		}
		id := replyTo
		replyPtr = &id
	}
	e := &Entry{
		MeetingID: f.MeetingID, AgendaItemID: l.ItemID, RegistrationID: sp.RegistrationID,
		Name: sp.Name, Organization: sp.Organization, StakeholderType: sp.StakeholderType,
		Kind: kind, ReplyTo: replyPtr, State: models.SpeakerWaiting, RequestedAt: now,
		TimeLimitSeconds: l.SpeakingTimeSeconds,
	}
	l.Entries = append(l.Entries, e)
	f.place(l, slices.Insert(waiting, at, e), at)
	f.touch(e)
	return e, nil
}

// PrecedenceRank is the group of a participant category in the UN's order
// of precedence: Member States (0), observer States (1),
// intergovernmental organizations (2), then every other stakeholder
// type together (3), as one group in order of request.
func PrecedenceRank(category string) int {
	switch category {
	case models.KindMemberState:
		return 0
	case models.KindObserverState:
		return 1
	case "intergovernmental":
		return 2
	}
	return 3
}

// statementAt is where a statement of category goes on a waiting list
// kept in the order of precedence: right after the last waiting statement
// of its group or a group before it (and the replies that follow that
// statement, which answer it), or, when there is none, after the points
// of order and replies that lead the list. Entries the moderator moved by
// hand stay where they are: the new one only goes after every earlier
// request of its group and the groups ahead of it.
func statementAt(waiting []*Entry, category string) int {
	rank := PrecedenceRank(category)
	at := 0
	for at < len(waiting) && waiting[at].Kind != models.KindStatement {
		at++
	}
	for i := len(waiting) - 1; i >= at; i-- {
		if waiting[i].Kind == models.KindStatement && PrecedenceRank(waiting[i].StakeholderType) <= rank {
			at = i + 1
			for at < len(waiting) && waiting[at].Kind == models.KindReply {
				at++
			}
			break
		}
	}
	return at
}

// Remove withdraws a waiting entry (the participant withdraws, or the
// moderator removes it): it becomes withdrawn and leaves the list; the
// change still carries it, so that viewers drop it and the audit log
// keeps it. A speech in progress is ended with Stop instead.
func (f *Floor) Remove(id uint) (*Entry, error) {
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerWaiting {
		return nil, say(CodeNotWaiting, "err.live.withdraw_waiting", "State", entryState(e.State))
	}
	e.State, e.Position = models.SpeakerWithdrawn, 0
	l.Entries = slices.DeleteFunc(l.Entries, func(x *Entry) bool { return x == e })
	f.gone = append(f.gone, e)
	f.touch(e)
	return e, nil
}

// Reorder puts the waiting entries of item in the order of ids, which must
// name exactly the waiting entries, each once.
func (f *Floor) Reorder(itemID uint, ids []uint) error {
	l, err := f.List(itemID)
	if err != nil {
		return err
	}
	waiting := l.Waiting()
	byID := make(map[uint]*Entry, len(waiting))
	for _, e := range waiting {
		byID[e.ID] = e
	}
	if len(ids) != len(waiting) {
		return say(CodeReorderSet, "err.live.reorder", "Count", len(waiting))
	}
	order := make([]*Entry, 0, len(ids))
	for _, id := range ids {
		e, ok := byID[id]
		if !ok {
			return say(CodeReorderSet, "err.live.reorder", "Count", len(waiting))
		}
		delete(byID, id)
		order = append(order, e)
	}
	f.respace(l, order)
	return nil
}

// Start gives the floor to a waiting entry; nobody else may be speaking
// in the meeting.
func (f *Floor) Start(now time.Time, id uint) (*Entry, error) {
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerWaiting {
		return nil, say(CodeNotWaiting, "err.live.floor_waiting", "State", entryState(e.State))
	}
	if cur, _ := f.Speaking(); cur != nil {
		return nil, say(CodeOneSpeaker, "err.live.still_speaking", "Name", cur.Name)
	}
	t := now
	e.State, e.StartedAt, e.PausedAt, e.PausedMS, e.Position = models.SpeakerSpeaking, &t, nil, 0, 0
	f.touch(e)
	f.touchList(l)
	return e, nil
}

// Stop ends a speech, recording how long it lasted without its pauses.
func (f *Floor) Stop(now time.Time, id uint) (*Entry, error) {
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerSpeaking {
		return nil, say(CodeNotSpeaking, "err.live.not_speaking", "State", entryState(e.State))
	}
	end := now
	if e.PausedAt != nil {
		end = *e.PausedAt
	}
	e.SpokenMS = Elapsed(e, end).Milliseconds()
	t := now
	e.State, e.EndedAt = models.SpeakerDone, &t
	if e.PausedAt != nil {
		e.PausedMS += now.Sub(*e.PausedAt).Milliseconds()
		e.PausedAt = nil
	}
	f.touch(e)
	f.touchList(l)
	return e, nil
}

// Next ends the speech in progress on item (if any) and gives the floor
// to the first waiting entry (if any). It returns the new speaker.
func (f *Floor) Next(now time.Time, itemID uint) (*Entry, error) {
	l, err := f.List(itemID)
	if err != nil {
		return nil, err
	}
	cur, cl := f.Speaking()
	if cur != nil && cl != l {
		return nil, say(CodeOtherItem, "err.live.speaking_elsewhere", "Name", cur.Name)
	}
	waiting := l.Waiting()
	if cur == nil && len(waiting) == 0 {
		return nil, say(CodeNobodyWaiting, "err.live.nobody")
	}
	if cur != nil {
		if _, err := f.Stop(now, cur.ID); err != nil {
			return nil, err
		}
	}
	if len(waiting) == 0 {
		return nil, nil
	}
	return f.Start(now, waiting[0].ID)
}

// Pause stops the clock of a speech.
func (f *Floor) Pause(now time.Time, id uint) (*Entry, error) {
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerSpeaking {
		return nil, say(CodeNotSpeaking, "err.live.not_speaking", "State", entryState(e.State))
	}
	if e.PausedAt != nil {
		return nil, say(CodeAlreadyPaused, "err.live.paused")
	}
	t := now
	e.PausedAt = &t
	f.touch(e)
	f.touchList(l)
	return e, nil
}

// Resume restarts the clock of a paused speech.
func (f *Floor) Resume(now time.Time, id uint) (*Entry, error) {
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerSpeaking {
		return nil, say(CodeNotSpeaking, "err.live.not_speaking", "State", entryState(e.State))
	}
	if e.PausedAt == nil {
		return nil, say(CodeNotPaused, "err.live.not_paused")
	}
	e.PausedMS += now.Sub(*e.PausedAt).Milliseconds()
	e.PausedAt = nil
	f.touch(e)
	f.touchList(l)
	return e, nil
}

// Extend gives a waiting or speaking entry more time.
func (f *Floor) Extend(id uint, seconds int) (*Entry, error) {
	if seconds < 1 || seconds > MaxExtendSeconds {
		return nil, apperr.Say(apperr.KindInvalid, "err.live.bad_extension").WithField("seconds", "err.live.extension_range")
	}
	e, l, err := f.Entry(id)
	if err != nil {
		return nil, err
	}
	if e.State != models.SpeakerSpeaking && e.State != models.SpeakerWaiting {
		return nil, say(CodeNotSpeaking, "err.live.extend_state", "State", entryState(e.State))
	}
	e.TimeLimitSeconds += seconds
	f.touch(e)
	f.touchList(l)
	return e, nil
}

// Close closes the list of item to new requests (points of order still
// come in).
func (f *Floor) Close(itemID uint) error {
	l, err := f.List(itemID)
	if err != nil {
		return err
	}
	if l.Closed {
		return say(CodeAlreadyClosed, "err.live.already_closed")
	}
	l.Closed = true
	f.touchList(l)
	return nil
}

// Reopen opens a closed list again.
func (f *Floor) Reopen(itemID uint) error {
	l, err := f.List(itemID)
	if err != nil {
		return err
	}
	if !l.Closed {
		return say(CodeNotClosed, "err.live.open")
	}
	l.Closed = false
	f.touchList(l)
	return nil
}

// SetCurrent makes item the one the meeting is discussing.
func (f *Floor) SetCurrent(itemID uint) error {
	if _, err := f.List(itemID); err != nil {
		return err
	}
	if f.CurrentItemID == itemID {
		return say(CodeAlreadyCurrent, "err.live.already_current")
	}
	f.CurrentItemID = itemID
	f.currentChanged = true
	return nil
}

// stateWords are the messages that name a speaker entry's state, for
// the errors that say it.
var stateWords = map[string]string{
	models.SpeakerWaiting: "err.live.state_waiting", models.SpeakerSpeaking: "err.live.state_speaking",
	models.SpeakerDone: "err.live.state_done", models.SpeakerWithdrawn: "err.live.state_withdrawn",
}

// entryState is state as an argument of a message: its word in each
// language.
func entryState(state string) apperr.Msg { return apperr.Msg{ID: stateWords[state]} }
