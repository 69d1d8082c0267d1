package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"rostrum/meetings"
	"rostrum/models"
)

// Reading the live state: the full state (GET /api/meetings/{slug}/live,
// the websocket's state message), consistent without a write lock and
// encoded once per seq; the patches of single changes; the changes after
// a seq, which the hub replays.

// ItemHeader is what a patch says about a list besides its entries.
type ItemHeader struct {
	ID     uint   `json:"id"`
	Closed bool   `json:"closed"`
	Timer  *Timer `json:"timer"`
	// Title and SpeakingTimeSeconds come when an edit of the item
	// changed them (EditItem); a viewer takes them when present.
	Title               string `json:"title,omitempty"`
	SpeakingTimeSeconds int    `json:"speaking_time_seconds,omitempty"`
}

func headerOf(l *ListOfSpeakers) ItemHeader {
	h := ItemHeader{ID: l.ItemID, Closed: l.Closed}
	for _, e := range l.Entries {
		if e.State == models.SpeakerSpeaking {
			h.Timer = TimerOf(e)
		}
	}
	return h
}

// Patch is one change as viewers receive it: the entries it created or
// changed (whole), the lists whose closed flag or timer it changed, the
// current item, and the balance when it changed. A viewer upserts the
// speakers by id into their item's list and sorts each list again (see
// CompareEntries).
//
// AddedItems are agenda items appended to the agenda (their lists empty),
// which a viewer appends to its items.
type Patch struct {
	CurrentItemID *uint        `json:"current_item_id"`
	Items         []ItemHeader `json:"items,omitempty"`
	// Speakers are the entries that changed: a new one in full; else its
	// id, item_id and the fields that changed, which a viewer merges into
	// its copy (a withdrawn one says so, and leaves the list).
	Speakers []json.RawMessage `json:"speakers,omitempty"`
	// Balance holds the stakeholder types whose share changed; a viewer
	// replaces those.
	Balance    Balance     `json:"balance,omitempty"`
	AddedItems []ItemState `json:"added_items,omitempty"`
	// Order is the waiting order of a respaced list (a reorder, or an
	// insert that found no room): its entries' positions become
	// (i+1)·PositionStep in this order, without the entries being sent.
	Order []ListOrder `json:"order,omitempty"`
	// AgendaOrder is the agenda's new order (ReorderItems), every item's
	// id once: a viewer orders its items so.
	AgendaOrder []uint `json:"agenda_order,omitempty"`
	// RemovedItems are agenda items deleted (RemoveItem), with their
	// lists: a viewer drops them.
	RemovedItems []uint `json:"removed_items,omitempty"`
}

// ListOrder is the waiting order of one item's list, as entry ids.
type ListOrder struct {
	ItemID uint   `json:"item_id"`
	IDs    []uint `json:"ids"`
}

// ItemState is one agenda item's list in the full state.
type ItemState struct {
	ID                  uint     `json:"id"`
	Title               string   `json:"title"`
	SpeakingTimeSeconds int      `json:"speaking_time_seconds"`
	Closed              bool     `json:"closed"`
	Speakers            []*Entry `json:"speakers"`
	Timer               *Timer   `json:"timer"`
}

// State is the full live state of a meeting (GET /api/meetings/{slug}/live
// and the websocket's state message). It holds names, organizations and
// states; never tokens or the audit log.
type State struct {
	Seq           int64       `json:"seq"`
	ServerTime    time.Time   `json:"server_time"`
	CurrentItemID *uint       `json:"current_item_id"`
	Items         []ItemState `json:"items"`
	Balance       Balance     `json:"balance"`
}

// StateOf builds the full state of f.
func StateOf(f *Floor, now time.Time) *State {
	st := &State{Seq: f.Seq, ServerTime: now, Items: []ItemState{}, Balance: BalanceOf(f)}
	if f.CurrentItemID != 0 {
		id := f.CurrentItemID
		st.CurrentItemID = &id
	}
	for _, l := range f.Lists {
		h := headerOf(l)
		sp := l.Ordered()
		if sp == nil {
			sp = []*Entry{}
		}
		st.Items = append(st.Items, ItemState{ID: l.ItemID, Title: l.Title, SpeakingTimeSeconds: l.SpeakingTimeSeconds,
			Closed: l.Closed, Speakers: sp, Timer: h.Timer})
	}
	return st
}

// Floor reads the meeting's live state consistently without a write
// lock: it reads the seq, the state, and the seq again, and retries when
// a change slipped in between (every change bumps the seq in the same
// transaction as its rows).
func (s *Service) Floor(ctx context.Context, meetingID uint) (*Floor, error) {
	db := s.DB.WithContext(ctx)
	for range 10 {
		before, err := s.Seq(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		lm := &models.LiveMeeting{MeetingID: meetingID}
		if err := db.Where("meeting_id = ?", meetingID).Limit(1).Find(lm).Error; err != nil {
			return nil, err
		}
		f, err := loadFloor(db, lm)
		if err != nil {
			return nil, err
		}
		after, err := s.Seq(ctx, meetingID)
		if err != nil {
			return nil, err
		}
		if before == after && lm.Seq == before {
			return f, nil
		}
	}
	return nil, fmt.Errorf("live: meeting %d changes too fast to read", meetingID)
}

// Seq returns the meeting's last seq (0 before the first change).
func (s *Service) Seq(ctx context.Context, meetingID uint) (int64, error) {
	var seqs []int64
	err := s.DB.WithContext(ctx).Model(&models.LiveMeeting{}).Where("meeting_id = ?", meetingID).Limit(1).Pluck("seq", &seqs).Error
	if err != nil || len(seqs) == 0 {
		return 0, err
	}
	return seqs[0], nil
}

// State returns the meeting's full state now.
func (s *Service) State(ctx context.Context, meetingID uint) (*State, error) {
	f, err := s.Floor(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	return StateOf(f, s.Now()), nil
}

// Suggest proposes the next speaker on item (see SuggestNext); nil when
// nobody waits.
func (s *Service) Suggest(ctx context.Context, meetingID, itemID uint) (*Entry, error) {
	f, err := s.Floor(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	return SuggestNext(f, itemID)
}

// Events returns the meeting's changes after seq, oldest first, at most
// limit.
func (s *Service) Events(ctx context.Context, meetingID uint, after int64, limit int) ([]models.LiveEvent, error) {
	var evs []models.LiveEvent
	err := s.DB.WithContext(ctx).Where("meeting_id = ? AND seq > ?", meetingID, after).
		Order("seq").Limit(limit).Find(&evs).Error
	return evs, err
}

// cachedState is a meeting's full state encoded without its seq and
// server time, shared by every viewer that joins at that seq.
type cachedState struct {
	seq   int64
	items int64
	tail  []byte // `"current_item_id":…,"items":…,"balance":…}`
}

// StateJSON returns the meeting's full state as JSON (the body of GET
// /api/meetings/{slug}/live) and its seq. The state is encoded once per
// seq: viewers joining in a crowd share it.
func (s *Service) StateJSON(ctx context.Context, meetingID uint) (int64, []byte, error) {
	ver, err := s.version(ctx, meetingID)
	if err != nil {
		return 0, nil, err
	}
	c, ok := s.cached(meetingID, ver)
	if !ok {
		s.loadMu.Lock()
		c, ok = s.cached(meetingID, ver)
		if !ok {
			c, err = s.encodeState(ctx, meetingID)
		}
		s.loadMu.Unlock()
		if err != nil {
			return 0, nil, err
		}
	}
	b := make([]byte, 0, len(c.tail)+80)
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, c.seq, 10)
	b = append(b, `,"server_time":`...)
	b = s.Now().AppendFormat(append(b, '"'), time.RFC3339Nano)
	b = append(b, `",`...)
	b = append(b, c.tail...)
	return c.seq, b, nil
}

// stateVersion tells whether a cached state is still good: changes of the
// list bump seq; the agenda only grows (meetings.AddItem), which the
// number of items tells.
type stateVersion struct {
	seq   int64
	items int64
}

func (s *Service) version(ctx context.Context, meetingID uint) (stateVersion, error) {
	db := s.DB.WithContext(ctx)
	var seq int64
	if err := db.Raw(`SELECT COALESCE((SELECT seq FROM live_meetings WHERE meeting_id = ?), 0)`, meetingID).Scan(&seq).Error; err != nil {
		return stateVersion{}, err
	}
	items, err := meetings.ItemCount(db, meetingID)
	return stateVersion{seq, items}, err
}

func (s *Service) cached(meetingID uint, v stateVersion) (cachedState, bool) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	c, ok := s.cache[meetingID]
	// A change bumps seq (an item deleted too); at one seq, the count
	// of items tells a state read before an item was appended outside a
	// change.
	return c, ok && (c.seq > v.seq || (c.seq == v.seq && c.items >= v.items))
}

func (s *Service) encodeState(ctx context.Context, meetingID uint) (cachedState, error) {
	f, err := s.Floor(ctx, meetingID)
	if err != nil {
		return cachedState{}, err
	}
	st := StateOf(f, time.Time{})
	tail, err := json.Marshal(struct {
		CurrentItemID *uint       `json:"current_item_id"`
		Items         []ItemState `json:"items"`
		Balance       Balance     `json:"balance"`
	}{st.CurrentItemID, st.Items, st.Balance})
	if err != nil {
		return cachedState{}, err
	}
	c := cachedState{seq: f.Seq, items: int64(len(f.Lists)), tail: tail[1:]}
	s.cacheMu.Lock()
	if s.cache == nil {
		s.cache = map[uint]cachedState{}
	}
	if old, ok := s.cache[meetingID]; !ok || old.seq < c.seq || (old.seq == c.seq && old.items <= c.items) {
		s.cache[meetingID] = c
	}
	s.cacheMu.Unlock()
	return c, nil
}
