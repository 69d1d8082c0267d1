package live

import (
	"time"

	"rostrum/models"
)

// The timer is server-authoritative. A speech's clock is fully described
// by when it started, its limit, the time spent in earlier pauses and the
// start of the current pause; with the server's clock in every message,
// every screen computes the same remaining time:
//
//	elapsed   = (paused_at, or now when running) − started_at − paused_ms
//	remaining = time_limit_seconds − elapsed   (negative: overtime)
//
// The warning phase starts when remaining falls to WarningThreshold: the
// last 30 seconds, or the last fifth of a limit shorter than 150 seconds,
// so that a one-minute reply warns at 12 seconds and not halfway through.

// Timer is the clock of the speech in progress on a list, as viewers get
// it.
type Timer struct {
	SpeakerID      uint       `json:"speaker_id"`
	StartedAt      time.Time  `json:"started_at"`
	LimitSeconds   int        `json:"limit_seconds"`
	PausedMS       int64      `json:"paused_ms"`
	PausedAt       *time.Time `json:"paused_at"`
	Running        bool       `json:"running"`
	WarningSeconds int        `json:"warning_seconds"`
}

// Elapsed is how long e has been speaking at now, pauses excluded.
func Elapsed(e *models.SpeakerEntry, now time.Time) time.Duration {
	if e.StartedAt == nil {
		return 0
	}
	end := now
	if e.PausedAt != nil {
		end = *e.PausedAt
	}
	if e.EndedAt != nil && e.State == models.SpeakerDone {
		return time.Duration(e.SpokenMS) * time.Millisecond
	}
	d := end.Sub(*e.StartedAt) - time.Duration(e.PausedMS)*time.Millisecond
	if d < 0 {
		return 0
	}
	return d
}

// Remaining is the speaking time left to e at now; negative in overtime.
func Remaining(e *models.SpeakerEntry, now time.Time) time.Duration {
	return time.Duration(e.TimeLimitSeconds)*time.Second - Elapsed(e, now)
}

// WarningThreshold is the remaining time at which the warning phase of a
// speech with limit begins.
func WarningThreshold(limit time.Duration) time.Duration {
	return min(30*time.Second, limit/5)
}

// Phase says where a speech stands at now: "running", "warning" (inside
// the warning threshold) or "overtime".
func Phase(e *models.SpeakerEntry, now time.Time) string {
	r := Remaining(e, now)
	switch {
	case r <= 0:
		return "overtime"
	case r <= WarningThreshold(time.Duration(e.TimeLimitSeconds)*time.Second):
		return "warning"
	}
	return "running"
}

// TimerOf returns the clock of speaking entry e.
func TimerOf(e *models.SpeakerEntry) *Timer {
	if e == nil || e.State != models.SpeakerSpeaking || e.StartedAt == nil {
		return nil
	}
	return &Timer{
		SpeakerID: e.ID, StartedAt: *e.StartedAt, LimitSeconds: e.TimeLimitSeconds,
		PausedMS: e.PausedMS, PausedAt: e.PausedAt, Running: e.PausedAt == nil,
		WarningSeconds: int(WarningThreshold(time.Duration(e.TimeLimitSeconds)*time.Second) / time.Second),
	}
}
