// Package registration is the room for registration and accreditation: who
// may register for a meeting, how organizations are matched, the states a
// registration moves through, the seat and per-organization limits, and
// the mail each step sends. The rules are plain functions on plain values
// (states.go, input.go, fold.go, country.go) tested without HTTP or a
// database; Service (service.go) stores them through GORM, enforcing every
// limit inside the write transaction that depends on it.
package registration

import (
	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
)

// Decisions the secretariat takes on a registration.
const (
	DecisionApprove  = "approve"
	DecisionReject   = "reject"
	DecisionWaitlist = "waitlist"
)

// decisionTarget maps a decision to the state it leads to.
var decisionTarget = map[string]string{
	DecisionApprove:  models.StatusApproved,
	DecisionReject:   models.StatusRejected,
	DecisionWaitlist: models.StatusWaitlisted,
}

// TargetOf returns the state decision leads to, or an Invalid error naming
// the field "decision".
func TargetOf(decision string) (string, error) {
	to, ok := decisionTarget[decision]
	if !ok {
		return "", apperr.Say(apperr.KindInvalid, "err.registration.unknown_decision").WithField("decision", "err.registration.decision")
	}
	return to, nil
}

// allowed lists the transitions the secretariat's decisions and the seat
// rules may make. Withdrawal, which the participant may make from any
// state, is handled by CanTransition itself.
var allowed = map[string][]string{
	models.StatusPending:    {models.StatusApproved, models.StatusRejected, models.StatusWaitlisted},
	models.StatusWaitlisted: {models.StatusPending, models.StatusApproved, models.StatusRejected},
}

// CanTransition returns nil when a registration in state from may move to
// state to, and otherwise a Conflict naming the refused transition.
func CanTransition(from, to string) error {
	if to == models.StatusWithdrawn && from != models.StatusWithdrawn && knownState(from) {
		return nil
	}
	for _, s := range allowed[from] {
		if s == to {
			return nil
		}
	}
	return apperr.Say(apperr.KindConflict, "err.registration.transition", "From", statusWord(from), "To", statusWord(to)).WithCode("invalid_transition")
}

func knownState(s string) bool {
	for _, k := range models.RegistrationStatuses {
		if k == s {
			return true
		}
	}
	return false
}

// HoldsSeat reports whether a registration in state s takes one of the
// meeting's seats: capacity counts pending and approved registrations.
func HoldsSeat(s string) bool {
	return s == models.StatusPending || s == models.StatusApproved
}

// IsActive reports whether a registration in state s counts towards its
// organization's limit and blocks a second registration with its email:
// pending, approved and waitlisted ones do.
func IsActive(s string) bool {
	return HoldsSeat(s) || s == models.StatusWaitlisted
}

// NameChangeNeedsApproval reports whether a participant's new name for a
// registration in state s waits for the secretariat. Once approved, the
// name is what the room sees (the live list, the screen, the summary), so
// the participant may only ask for a change; before that, they correct
// their details freely and the secretariat reads them when it decides.
func NameChangeNeedsApproval(s string) bool {
	return s == models.StatusApproved
}

// ActiveStatuses and SeatStatuses are the states IsActive and HoldsSeat
// accept, for queries.
var (
	ActiveStatuses = []string{models.StatusPending, models.StatusApproved, models.StatusWaitlisted}
	SeatStatuses   = []string{models.StatusPending, models.StatusApproved}
)

// Seats is the seat situation of a meeting: its capacity (0 means no
// limit) and how many seats pending and approved registrations hold.
type Seats struct {
	Capacity int
	Held     int
}

// Full reports whether no seat is left.
func (s Seats) Full() bool { return s.Capacity > 0 && s.Held >= s.Capacity }

// Free returns how many seats are left (a large number when unlimited).
func (s Seats) Free() int {
	if s.Capacity == 0 {
		return int(^uint(0) >> 1)
	}
	if s.Held >= s.Capacity {
		return 0
	}
	return s.Capacity - s.Held
}

// InitialStatus is the state of a new registration: pending while a seat
// is free, waitlisted once the meeting is full.
func (s Seats) InitialStatus() string {
	if s.Full() {
		return models.StatusWaitlisted
	}
	return models.StatusPending
}

// CheckMove checks that a registration may move from one state to another
// given the seats: the transition must be allowed, and a registration that
// does not hold a seat may take one only while one is free.
func (s Seats) CheckMove(from, to string) error {
	if err := CanTransition(from, to); err != nil {
		return err
	}
	if HoldsSeat(to) && !HoldsSeat(from) && s.Full() {
		return apperr.Say(apperr.KindConflict, "err.registration.capacity", "Seats", s.Capacity).WithCode("capacity_reached")
	}
	return nil
}

// CheckOrganizationLimit refuses one more active representative of the
// organization named org when it already has active of them and the
// meeting allows limit per organization (0 means no limit).
func CheckOrganizationLimit(org string, limit, active int) error {
	if limit > 0 && active >= limit {
		return apperr.SayN(apperr.KindConflict, "err.organization_limit", limit, "Organization", org).WithCode("organization_limit")
	}
	return nil
}

// CheckCategory refuses a participant of category (an organization's
// Type, or a State's kind) at a meeting that does not admit it.
func CheckCategory(m *models.Meeting, category string) error {
	if m.Categories.Admits(category) {
		return nil
	}
	return apperr.Say(apperr.KindConflict, "err.category_not_admitted", "Meeting", m.Title, "Category", categoryName(category)).WithCode("category_not_admitted")
}

// statusWords are the messages that name a registration's status, for
// the errors that say it.
var statusWords = map[string]string{
	models.StatusPending: "err.registration.status_pending", models.StatusApproved: "err.registration.status_approved",
	models.StatusRejected: "err.registration.status_rejected", models.StatusWaitlisted: "err.registration.status_waitlisted",
	models.StatusWithdrawn: "err.registration.status_withdrawn",
}

// statusWord is status as an argument of a message: its word in each
// language (the status itself when it is none of the known ones).
func statusWord(status string) any {
	if id, ok := statusWords[status]; ok {
		return apperr.Msg{ID: id}
	}
	return status
}

// categoryName is a category of participants as an argument of a
// message: as the meeting's form names it in English, as the catalogue
// names its group in the other languages.
type categoryName string

func (c categoryName) In(lang string) string {
	if lang == locale.Default {
		return models.CategoryLabel(string(c))
	}
	if c == "intergovernmental" {
		return locale.T(lang, "category.intergovernmental")
	}
	return locale.T(lang, "type."+string(c)+".group")
}
