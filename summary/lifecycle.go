package summary

import (
	"rostrum/apperr"
	"rostrum/models"
	"strconv"
)

// Stage is where a version of the Chair's summary stands in its life:
//
//	draft ──approve──▶ approved ──circulate──▶ circulated
//
// A draft is edited (each save a revision) and approved; an approved
// version is frozen and waits to be circulated; a circulated version has
// been sent to every participant and is public. Later edits start a new
// version. Every rule about what a version allows is here, as plain Go;
// the service and the handlers ask, they do not compare states.
type Stage struct {
	Number int    // the version's number, for messages
	State  string // models.SummaryDraft, SummaryApproved or SummaryCirculated
}

// StageOf is v's stage.
func StageOf(v *models.SummaryVersion) Stage { return Stage{Number: v.Number, State: v.State} }

// The messages that say a version is past its draft, one per state so
// that each language agrees the state's word with "version".
var (
	frozenMsg  = map[string]string{models.SummaryApproved: "err.summary.frozen_approved", models.SummaryCirculated: "err.summary.frozen_circulated"}
	alreadyMsg = map[string]string{models.SummaryApproved: "err.summary.already_approved", models.SummaryCirculated: "err.summary.already_circulated_state"}
)

// Editable: only a draft's text may change.
func (s Stage) Editable() error {
	if s.State == models.SummaryDraft {
		return nil
	}
	return apperr.Say(apperr.KindConflict, frozenMsg[s.State], "Version", s.Number).WithCode("version_frozen")
}

// Approvable: only a draft is approved.
func (s Stage) Approvable() error {
	if s.State == models.SummaryDraft {
		return nil
	}
	return apperr.Say(apperr.KindConflict, alreadyMsg[s.State], "Version", s.Number).WithCode("not_draft")
}

// Circulable: an approved version is circulated, once.
func (s Stage) Circulable() error {
	switch s.State {
	case models.SummaryApproved:
		return nil
	case models.SummaryCirculated:
		return apperr.Say(apperr.KindConflict, "err.summary.already_circulated", "Version", s.Number).WithCode("already_circulated")
	}
	return apperr.Say(apperr.KindConflict, "err.summary.draft", "Version", s.Number).WithCode("not_approved")
}

// Frozen reports whether the version's text can no longer change, so that
// its rendered documents may be kept.
func (s Stage) Frozen() bool { return s.State != models.SummaryDraft }

// Public reports whether anyone may read the version: once circulated.
func (s Stage) Public() bool { return s.State == models.SummaryCirculated }

// Next is the state a version moves to by action ("approve",
// "circulate"), or the error saying why it may not.
func (s Stage) Next(action string) (string, error) {
	switch action {
	case "approve":
		return models.SummaryApproved, s.Approvable()
	case "circulate":
		return models.SummaryCirculated, s.Circulable()
	}
	return "", apperr.Say(apperr.KindBadRequest, "err.summary.unknown_action", "Action", strconv.Quote(action))
}
