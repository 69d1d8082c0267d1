package live

import (
	"context"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"rostrum/models"
)

// rowCounter counts the rows the queries on a database return while it is
// on: what a command reads.
type rowCounter struct {
	on   atomic.Bool
	rows atomic.Int64
}

func countRows(t testing.TB, db *gorm.DB) *rowCounter {
	t.Helper()
	c := &rowCounter{}
	if err := db.Callback().Query().After("gorm:query").Register("test:count_rows", func(tx *gorm.DB) {
		if c.on.Load() {
			c.rows.Add(tx.RowsAffected)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// during returns the rows read while f runs.
func (c *rowCounter) during(f func()) int64 {
	c.rows.Store(0)
	c.on.Store(true)
	f()
	c.on.Store(false)
	return c.rows.Load()
}

// cycle asks for the floor for reg and withdraws the request.
func (l *liveDB) cycle(t testing.TB, reg uint) *Entry {
	t.Helper()
	ctx := context.Background()
	res, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: reg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActRemoveSpeaker, SpeakerID: res.Speaker.ID}); err != nil {
		t.Fatal(err)
	}
	return res.Speaker
}

// Requests that came and went leave the live state, and a command reads
// only the entries that are waiting, speaking or have spoken: after 300
// request/withdraw cycles a moderator's command reads as many rows, and
// the state has as many bytes, as after one.
func TestCommandsAndStateDoNotGrowWithWithdrawnRequests(t *testing.T) {
	l := newLiveDB(t, NewLocalFeed())
	ctx := context.Background()
	rows := countRows(t, l.svc.DB)
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[1]})
	first := l.cycle(t, l.regs[0])

	measure := func() (read int64, stateBytes int) {
		read = rows.during(func() {
			l.do(t, Command{Action: ActClose, ItemID: l.item})
			l.do(t, Command{Action: ActReopen, ItemID: l.item})
		})
		_, body, err := l.svc.StateJSON(ctx, l.meeting)
		if err != nil {
			t.Fatal(err)
		}
		return read, len(body)
	}
	measure() // the first close stores the list's row, which is read from then on
	readBefore, bytesBefore := measure()
	for i := range 300 {
		l.cycle(t, l.regs[i%2*2]) // Ana and Chen by turns; Ben waits
	}
	readAfter, bytesAfter := measure()
	if readAfter != readBefore {
		t.Errorf("a moderator's command read %d rows after 300 withdrawn requests, %d after one", readAfter, readBefore)
	}
	// The seq grows by digits; nothing else may.
	if bytesAfter-bytesBefore > 8 {
		t.Errorf("the state grew from %d to %d bytes with 300 withdrawn requests", bytesBefore, bytesAfter)
	}
	st, err := l.svc.State(ctx, l.meeting)
	if err != nil {
		t.Fatal(err)
	}
	if sp := st.Items[0].Speakers; len(sp) != 1 || sp[0].State != models.SpeakerWaiting {
		t.Fatalf("%d speakers in the state, want Ben waiting alone", len(sp))
	}
	// The audit log keeps every request and withdrawal.
	var withdrawals int64
	l.svc.DB.Model(&models.LiveEvent{}).Where("meeting_id = ? AND action = ?", l.meeting, ActRemoveSpeaker).Count(&withdrawals)
	if withdrawals != 301 {
		t.Fatalf("%d withdrawals in the audit log, want 301", withdrawals)
	}
	// A command naming a withdrawn request is refused by the rule it
	// breaks, as when the state held it.
	_, err = l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActRemoveSpeaker, SpeakerID: first.ID})
	wantCode(t, err, CodeNotWaiting)
	_, err = l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0],
		Kind: models.KindReply, ReplyTo: first.ID})
	wantCode(t, err, CodeReplyTarget)
}
