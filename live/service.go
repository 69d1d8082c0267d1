package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/store"
)

// Actions of commands, the same over REST and websocket.
const (
	ActAddSpeaker    = "add_speaker"
	ActRemoveSpeaker = "remove_speaker"
	ActReorder       = "reorder"
	ActNext          = "next"
	ActStart         = "start"
	ActStop          = "stop"
	ActPause         = "pause"
	ActResume        = "resume"
	ActExtend        = "extend"
	ActClose         = "close"
	ActReopen        = "reopen"
	ActSetCurrent    = "set_current"
)

// Actions lists every command action.
var Actions = []string{ActAddSpeaker, ActRemoveSpeaker, ActReorder, ActNext, ActStart, ActStop,
	ActPause, ActResume, ActExtend, ActClose, ActReopen, ActSetCurrent}

// Command is one change of a meeting's live list, as REST and websocket
// clients send it. Which fields matter depends on Action.
type Command struct {
	Action         string `json:"action"`
	ItemID         uint   `json:"item_id,omitempty"`
	SpeakerID      uint   `json:"speaker_id,omitempty"`
	RegistrationID uint   `json:"registration_id,omitempty"`
	Kind           string `json:"kind,omitempty"`
	ReplyTo        uint   `json:"reply_to,omitempty"`
	IDs            []uint `json:"ids,omitempty"`
	Seconds        int    `json:"seconds,omitempty"`
}

// Result is the answer to a command: the seq its change got and, for the
// commands that concern one entry, that entry.
type Result struct {
	Seq     int64  `json:"seq"`
	Speaker *Entry `json:"speaker,omitempty"`
}

// Service runs the commands of the live list and reads its state.
type Service struct {
	DB       *gorm.DB
	Feed     Feed
	Registry Registry
	Log      *slog.Logger
	// Now is the server's clock (tests may stop it).
	Now func() time.Time

	cacheMu sync.Mutex
	cache   map[uint]cachedState
	loadMu  sync.Mutex

	floorMu sync.Mutex
	floors  map[uint]*Floor // see keepFloor
}

// NewService returns a Service on db publishing on feed, asking registry
// who participants are.
func NewService(db *gorm.DB, feed Feed, registry Registry, log *slog.Logger) *Service {
	return &Service{DB: db, Feed: feed, Registry: registry, Log: log, Now: func() time.Time { return time.Now().UTC() }}
}

// authorize says whether a may run cmd on the meeting's live list as far
// as it can be told before reading the list: staff need the moderator or
// admin role; a participant of the meeting may only ask for the floor for
// themselves and withdraw (their own entries, checked in apply), and only
// while their registration is approved.
func authorize(a auth.Actor, meetingID uint, cmd *Command) error {
	switch {
	case a.User != nil:
		if !a.IsStaff(models.RoleModerator, models.RoleAdmin) {
			return apperr.Say(apperr.KindForbidden, "err.live.needs_moderator")
		}
		return nil
	case a.Registration != nil:
		if a.Registration.MeetingID != meetingID {
			return apperr.Say(apperr.KindForbidden, "err.live.other_meeting")
		}
		// A registration withdrawn, rejected or sent back to the waiting
		// list after its holder joined the list no longer acts on it; the
		// moderator deals with any request it left.
		if a.Registration.Status != models.StatusApproved {
			return say(CodeNotApproved, "err.live.not_approved_list")
		}
		switch cmd.Action {
		case ActAddSpeaker:
			if cmd.RegistrationID == 0 {
				cmd.RegistrationID = a.Registration.ID
			}
			if cmd.RegistrationID != a.Registration.ID {
				return apperr.Say(apperr.KindForbidden, "err.live.for_themselves")
			}
			return nil
		case ActRemoveSpeaker:
			return nil // own entries only: checked against the entry
		}
		return apperr.Say(apperr.KindForbidden, "err.live.moderator_only", "Action", cmd.Action)
	}
	return apperr.Say(apperr.KindUnauthorized, "err.live.log_in")
}

// Do runs cmd for actor a on the meeting: it checks the actor and the
// rules against the state, writes the change with the meeting's next seq
// and an audit row in one transaction, and after commit publishes it on
// the feed. A refused command changes nothing.
func (s *Service) Do(ctx context.Context, a auth.Actor, meetingID uint, cmd Command) (Result, error) {
	if err := authorize(a, meetingID, &cmd); err != nil {
		return Result{}, err
	}
	var res Result
	var f *Floor
	seq, err := s.change(ctx, meetingID, func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error) {
		var err error
		if f, err = s.takeFloor(tx, lm); err != nil {
			return 0, err
		}
		if res.Speaker, err = s.apply(tx, f, a, now, &cmd); err != nil {
			return 0, err
		}
		return writeChange(tx, f, lm, a, now, cmd)
	})
	if err != nil {
		return Result{}, err
	}
	if res.Speaker != nil {
		// The kept floor is the next command's to change; the answer
		// holds its own copy.
		e := *res.Speaker
		res.Speaker = &e
	}
	s.keepFloor(f)
	res.Seq = seq
	return res, nil
}

// change is the one path of every change of a meeting's live state: write
// runs in one transaction holding the meeting's lock, writes the change
// and returns its seq (through record); once committed, the change is
// published on the feed. now is the change's time.
func (s *Service) change(ctx context.Context, meetingID uint, write func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error)) (int64, error) {
	var seq int64
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		lm, err := lockMeeting(tx, meetingID)
		if err != nil {
			return err
		}
		// Microseconds: what PostgreSQL stores, so that the patch viewers
		// get and the state read back after a restart are the same to the
		// last digit on every engine.
		seq, err = write(tx, lm, s.Now().Truncate(time.Microsecond))
		return err
	})
	if err != nil {
		return 0, err
	}
	s.publish(ctx, meetingID, seq)
	return seq, nil
}

// publish announces a committed change to the hubs.
func (s *Service) publish(ctx context.Context, meetingID uint, seq int64) {
	if err := s.Feed.Publish(ctx, Change{MeetingID: meetingID, Seq: seq}); err != nil {
		// The change is stored; viewers heal by seq on the next change or
		// the hub's periodic check.
		s.Log.Warn("live: publish change", "meeting", meetingID, "seq", seq, "err", err)
	}
}

// apply runs cmd on f.
func (s *Service) apply(tx *gorm.DB, f *Floor, a auth.Actor, now time.Time, cmd *Command) (*Entry, error) {
	switch cmd.Action {
	case ActAddSpeaker:
		return s.addSpeaker(tx, f, now, cmd)
	case ActRemoveSpeaker:
		e, err := cmd.entry(f)
		if err != nil {
			return nil, err
		}
		if a.User == nil && (a.Registration == nil || e.RegistrationID != a.Registration.ID) {
			return nil, apperr.Say(apperr.KindForbidden, "err.live.own_request")
		}
		return f.Remove(e.ID)
	case ActStart, ActStop, ActPause, ActResume, ActExtend:
		e, err := cmd.entry(f)
		if err != nil {
			return nil, err
		}
		switch cmd.Action {
		case ActStart:
			return f.Start(now, e.ID)
		case ActStop:
			return f.Stop(now, e.ID)
		case ActPause:
			return f.Pause(now, e.ID)
		case ActResume:
			return f.Resume(now, e.ID)
		default:
			return f.Extend(e.ID, cmd.Seconds)
		}
	case ActNext, ActReorder, ActClose, ActReopen, ActSetCurrent:
		if err := cmd.needItem(); err != nil {
			return nil, err
		}
		switch cmd.Action {
		case ActNext:
			return f.Next(now, cmd.ItemID)
		case ActReorder:
			return nil, f.Reorder(cmd.ItemID, cmd.IDs)
		case ActClose:
			return nil, f.Close(cmd.ItemID)
		case ActReopen:
			return nil, f.Reopen(cmd.ItemID)
		default:
			return nil, f.SetCurrent(cmd.ItemID)
		}
	}
	return nil, apperr.Say(apperr.KindBadRequest, "err.live.unknown_action", "Action", strconv.Quote(cmd.Action)).WithCode("unknown_action")
}

// addSpeaker puts the registration the command names on the list, as a
// statement unless it says otherwise.
func (s *Service) addSpeaker(tx *gorm.DB, f *Floor, now time.Time, cmd *Command) (*Entry, error) {
	if err := cmd.needItem(); err != nil {
		return nil, err
	}
	if cmd.RegistrationID == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.live.who").WithField("registration_id", "err.field.required")
	}
	if cmd.Kind == "" {
		cmd.Kind = models.KindStatement
	}
	sp, err := s.speakerOf(tx, f.MeetingID, cmd.RegistrationID)
	if err != nil {
		return nil, err
	}
	return f.AddSpeaker(now, cmd.ItemID, sp, cmd.Kind, cmd.ReplyTo)
}

// needItem refuses a command that names no agenda item.
func (cmd *Command) needItem() error {
	if cmd.ItemID == 0 {
		return apperr.Say(apperr.KindInvalid, "err.live.which_item").WithField("item_id", "err.field.required")
	}
	return nil
}

// entry finds the command's speaker entry on f, on the command's item
// when one is named.
func (cmd *Command) entry(f *Floor) (*Entry, error) {
	if cmd.SpeakerID == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.live.which_entry").WithField("speaker_id", "err.field.required")
	}
	e, _, err := f.Entry(cmd.SpeakerID)
	if err != nil {
		return nil, err
	}
	if cmd.ItemID != 0 && e.AgendaItemID != cmd.ItemID {
		return nil, apperr.Say(apperr.KindNotFound, "err.live.no_entry_on_item", "ID", cmd.SpeakerID, "Item", cmd.ItemID)
	}
	return e, nil
}

// withdrawnEntry reads entry id of the meeting if it is a withdrawn
// request, which the floor does not hold (see Floor.Withdrawn): one
// lookup by primary key, only when a command names an entry the floor
// lacks.
func withdrawnEntry(db *gorm.DB, meetingID, id uint) *Entry {
	var es []*Entry
	if err := db.Where("id = ? AND meeting_id = ? AND state = ?", id, meetingID, models.SpeakerWithdrawn).
		Limit(1).Find(&es).Error; err != nil || len(es) == 0 {
		return nil
	}
	return es[0]
}

// Registry is what the live list asks of the registrations (package
// registration owns them): who registration id of a meeting is, with
// their organization, read inside the command's transaction; a NotFound
// error when the meeting has no such registration.
type Registry interface {
	Registration(tx *gorm.DB, meetingID, id uint) (*models.Registration, error)
}

// speakerOf asks who registration id is, for a request for the floor.
func (s *Service) speakerOf(tx *gorm.DB, meetingID, id uint) (Speaker, error) {
	r, err := s.Registry.Registration(tx, meetingID, id)
	if err != nil {
		return Speaker{}, err
	}
	return Speaker{
		RegistrationID: r.ID, Name: r.Name, Organization: r.Organization.Name,
		StakeholderType: r.Organization.Type, Approved: r.Status == models.StatusApproved,
	}, nil
}

// lockMeeting returns the meeting's live row, creating it on first use,
// locked for the rest of the transaction (FOR UPDATE on PostgreSQL; on
// SQLite the write transaction holds the database lock from BEGIN).
func lockMeeting(tx *gorm.DB, meetingID uint) (*models.LiveMeeting, error) {
	m, err := meetings.ByID(tx, meetingID) // NotFound for a meeting that does not exist
	if err != nil {
		return nil, err
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Omit(clause.Associations).
		Create(&models.LiveMeeting{MeetingID: meetingID}).Error; err != nil {
		return nil, err
	}
	var lm models.LiveMeeting
	if err := store.LockForUpdate(tx).Where("meeting_id = ?", meetingID).First(&lm).Error; err != nil {
		return nil, err
	}
	lm.Meeting = *m // read once: loadFloor takes its settings from here
	return &lm, nil
}

// liveStates are the states of the entries the live state holds.
var liveStates = []string{models.SpeakerWaiting, models.SpeakerSpeaking, models.SpeakerDone}

// loadFloor reads the whole live state of lm's meeting.
func loadFloor(db *gorm.DB, lm *models.LiveMeeting) (*Floor, error) {
	// Withdrawn requests are not part of the live state (see
	// ListOfSpeakers.Entries): leaving them out here, by the index on
	// (meeting_id, state), keeps what a command reads to the entries that
	// are waiting, speaking or have spoken, however many requests came
	// and went before.
	var entries []*Entry
	if err := db.Where("meeting_id = ? AND state IN ?", lm.MeetingID, liveStates).Order("id").Find(&entries).Error; err != nil {
		return nil, err
	}
	return assembleFloor(db, lm, entries)
}

// assembleFloor builds lm's floor from entries (in id order) and the
// meeting's agenda items and lists, read from db.
func assembleFloor(db *gorm.DB, lm *models.LiveMeeting, entries []*Entry) (*Floor, error) {
	items, err := meetings.ItemsIn(db, lm.MeetingID)
	if err != nil {
		return nil, err
	}
	var lists []models.SpeakerList
	if err := db.Where("meeting_id = ?", lm.MeetingID).Find(&lists).Error; err != nil {
		return nil, err
	}
	m := &lm.Meeting // set by lockMeeting on a command's path
	if m.ID == 0 {
		if m, err = meetings.ByID(db, lm.MeetingID); err != nil {
			return nil, err
		}
	}
	f := &Floor{MeetingID: lm.MeetingID, Seq: lm.Seq, SpeakerOrder: m.SpeakerOrder,
		Withdrawn: func(id uint) *Entry { return withdrawnEntry(db, lm.MeetingID, id) }}
	if lm.CurrentItemID != nil {
		f.CurrentItemID = *lm.CurrentItemID
	}
	byItem := map[uint]*ListOfSpeakers{}
	for _, it := range items {
		l := &ListOfSpeakers{ItemID: it.ID, Title: it.Title, SpeakingTimeSeconds: it.SpeakingTimeSeconds}
		byItem[it.ID] = l
		f.Lists = append(f.Lists, l)
	}
	for _, sl := range lists {
		if l := byItem[sl.AgendaItemID]; l != nil {
			l.Closed = sl.Closed
		}
	}
	for _, e := range entries {
		if l := byItem[e.AgendaItemID]; l != nil {
			l.Entries = append(l.Entries, e)
		}
	}
	f.Remember()
	return f, nil
}

// writeChange writes what the command touched, the next seq and the audit
// row with the patch viewers will receive, inside the command's
// transaction (Service.change commits it).
func writeChange(tx *gorm.DB, f *Floor, lm *models.LiveMeeting, a auth.Actor, now time.Time, cmd Command) (int64, error) {
	entries, lists, current := f.Touched()
	for _, e := range entries {
		q := tx.Omit(clause.Associations)
		var err error
		if e.ID == 0 {
			err = q.Create(e).Error
		} else {
			err = q.Save(e).Error
		}
		if err != nil {
			return 0, err
		}
	}
	balanceChanged := false
	var headers []ItemHeader
	for _, l := range lists {
		row := models.SpeakerList{AgendaItemID: l.ItemID, MeetingID: f.MeetingID, Closed: l.Closed}
		if err := tx.Omit(clause.Associations).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "agenda_item_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"closed"}),
		}).Create(&row).Error; err != nil {
			return 0, err
		}
		headers = append(headers, headerOf(l))
	}
	for _, e := range entries {
		if e.State == models.SpeakerSpeaking || e.State == models.SpeakerDone {
			balanceChanged = true
		}
	}
	if current {
		id := f.CurrentItemID
		lm.CurrentItemID = &id
	}
	// Viewers get what changed: the entries themselves, and a respaced
	// list's order as ids, which they turn into the same positions.
	changes, err := f.EntryChanges()
	if err != nil {
		return 0, err
	}
	p := Patch{CurrentItemID: lm.CurrentItemID, Items: headers, Speakers: changes}
	for _, l := range f.Respaced() {
		o := ListOrder{ItemID: l.ItemID, IDs: []uint{}}
		for _, e := range l.Waiting() {
			o.IDs = append(o.IDs, e.ID)
		}
		p.Order = append(p.Order, o)
	}
	if balanceChanged {
		p.Balance = f.BalanceChanges()
	}
	seq, err := record(tx, lm, a, now, cmd.Action, cmd, p)
	f.Seq = seq
	return seq, err
}

// record writes a change's next seq (with lm's current item) and its
// audit row: who, the action, its detail and the patch viewers receive.
func record(tx *gorm.DB, lm *models.LiveMeeting, a auth.Actor, now time.Time, action string, detail any, p Patch) (int64, error) {
	lm.Seq++
	if err := tx.Model(&models.LiveMeeting{}).Where("meeting_id = ?", lm.MeetingID).
		Updates(map[string]any{"seq": lm.Seq, "current_item_id": lm.CurrentItemID, "updated_at": now}).Error; err != nil {
		return 0, err
	}
	patch, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	d, err := json.Marshal(detail)
	if err != nil {
		return 0, err
	}
	ev := models.LiveEvent{
		MeetingID: lm.MeetingID, Seq: lm.Seq, At: now, Actor: actorLabel(a),
		Action: action, Detail: string(d), Patch: string(patch),
	}
	if a.User != nil {
		ev.UserID = &a.User.ID
	}
	if a.Registration != nil {
		ev.RegistrationID = &a.Registration.ID
	}
	if err := tx.Omit(clause.Associations).Create(&ev).Error; err != nil {
		return 0, err
	}
	return lm.Seq, nil
}

// actorLabel names who made a change in the audit log: a staff account by
// email, a participant by registration (never by token).
func actorLabel(a auth.Actor) string {
	switch {
	case a.User != nil:
		return "staff:" + a.User.Email
	case a.Registration != nil:
		return "participant:" + strconv.FormatUint(uint64(a.Registration.ID), 10) + " " + a.Registration.Name
	}
	return "system" // Rostrum itself (the demo's set-up): commands always have an actor
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Detail json.RawMessage `json:"detail"`
}

// Audit returns the meeting's audit log, newest first, at most limit rows
// from before the time before (zero: from the newest).
func (s *Service) Audit(ctx context.Context, meetingID uint, before time.Time, limit int) ([]AuditEntry, error) {
	q := s.DB.WithContext(ctx).Where("meeting_id = ?", meetingID).Order("seq desc").Limit(limit)
	if !before.IsZero() {
		q = q.Where("at < ?", before)
	}
	var evs []models.LiveEvent
	if err := q.Find(&evs).Error; err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(evs))
	for _, ev := range evs {
		out = append(out, AuditEntry{Seq: ev.Seq, At: ev.At, Actor: ev.Actor, Action: ev.Action, Detail: json.RawMessage(ev.Detail)})
	}
	return out, nil
}
