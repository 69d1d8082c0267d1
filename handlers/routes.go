package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"rostrum/live"
	"rostrum/models"
	"rostrum/static"
)

// Routes registers every route, in the order Fiber matches them: read it
// top to bottom as the table of contents of Rostrum's surface. The
// middleware before each handler says who may call it:
//
//	(none)       anyone
//	participant  a participant's token (acting for themselves only)
//	mission      a mission's focal-point token (acting for its delegation only)
//	anyStaff     any staff session; admin, moderator, notes, door: those roles
//	throttled    counted per client address (429 with Retry-After)
func (h *Handler) Routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)

	// Every API answer is for its requester alone (a CSRF token, a
	// registration, a draft): none is stored by a browser or a proxy,
	// unless its handler says it is public (the circulated summary).
	api := app.Group("/api", noStore, h.identify)
	admin := h.staff(models.RoleAdmin)
	anyStaff := h.staff()
	moderator := h.moderator()
	notes := h.staff(models.RoleRapporteur, models.RoleAdmin)
	door := h.staff(models.RoleRegistrar, models.RoleAdmin)
	participant := h.participant

	// What the pages call the values the API sends.
	api.Get("/vocabulary", h.vocabulary)

	// Staff accounts.
	api.Post("/login", h.loginThrottle(), answerNow, h.login)
	api.Post("/logout", h.logout)
	api.Get("/me", h.me)
	api.Post("/users", admin, h.createUser)
	api.Get("/users", admin, h.listUsers)
	api.Patch("/users/:id", admin, h.changeUser)
	api.Post("/users/:id/reset", admin, h.sendReset)
	api.Post("/me/password", anyStaff, h.passwordThrottle(), answerNow, h.changePassword)
	api.Post("/password-reset/check", h.resetThrottle(), answerNow, h.checkReset) // the link's token is the key
	api.Post("/password-reset", h.resetThrottle(), answerNow, h.resetPassword)

	// Meetings and agenda.
	api.Get("/meetings", h.listMeetings)
	api.Post("/meetings", admin, h.createMeeting)
	api.Get("/meetings/:slug", h.getMeeting)
	api.Patch("/meetings/:slug", admin, h.editMeeting)
	api.Get("/meetings/:slug/agenda", h.listAgenda)
	api.Post("/meetings/:slug/agenda", admin, h.addAgendaItem)
	api.Post("/meetings/:slug/agenda/order", admin, h.orderAgenda)
	api.Patch("/meetings/:slug/agenda/:id", admin, h.editAgendaItem)
	api.Delete("/meetings/:slug/agenda/:id", admin, h.deleteAgendaItem)

	// Processes of several meetings (sessions of one body).
	api.Get("/processes", h.listProcesses)
	api.Post("/processes", admin, h.createProcess)
	api.Get("/processes/:slug", h.getProcess)

	// Registration: anyone registers, asks for a new link and sees which
	// organizations are accredited; every staff role reads the list
	// (moderators add speakers from the approved); only the secretariat
	// decides.
	api.Post("/meetings/:slug/registrations", h.registrationThrottle(), h.register)
	api.Post("/meetings/:slug/registrations/resend-link", h.newLinkThrottle(), h.resendLink)
	api.Post("/meetings/:slug/prefill", h.prefillThrottle(), h.sendPrefill)                     // another meeting of the process: mail a link that fills the form
	api.Post("/meetings/:slug/prefill/open", h.prefillOpenThrottle(), answerNow, h.openPrefill) // the link's token is the key
	api.Get("/meetings/:slug/organizations", h.approvedOrganizations)
	api.Get("/meetings/:slug/registrations", anyStaff, h.listRegistrations)
	api.Get("/meetings/:slug/registrations.csv", anyStaff, h.exportRegistrations)
	api.Post("/meetings/:slug/registrations/decisions", admin, h.decideMany)
	api.Post("/registrations/:id/decision", admin, h.decide)
	api.Post("/registrations/:id/name-change", admin, h.decideNameChange)

	// At the door: registrars and the secretariat check participants in;
	// staff read who came; the secretariat releases the seats of those
	// who did not.
	api.Post("/meetings/:slug/checkins", door, h.checkIn)
	api.Delete("/meetings/:slug/checkins/:id", door, h.undoCheckIn)
	api.Get("/meetings/:slug/attendance", anyStaff, h.attendance)
	api.Post("/meetings/:slug/release-no-shows", admin, h.releaseNoShows)
	api.Get("/meetings/:slug/badges.pdf", door, h.badges)
	api.Get("/meetings/:slug/participants.:format", unlessPublic(anyStaff), h.participantsList) // ?public=1: anyone, once the meeting has started

	// The participant, by the token of their private link.
	api.Get("/participant", participant, h.getParticipant)
	api.Put("/participant", participant, h.updateParticipant)
	api.Post("/participant/withdraw", participant, h.withdraw)
	api.Get("/participant/export", participant, h.exportParticipant) // everything held about them
	api.Delete("/participant", participant, h.eraseParticipant)      // erase it now; the token dies

	// States: the secretariat imports their Permanent Missions and
	// invites them; a mission's focal point, by the token of its link,
	// registers and withdraws its delegation's members.
	api.Post("/missions", admin, h.importMissions)
	api.Get("/missions", anyStaff, h.listMissions)
	api.Post("/meetings/:slug/missions/invite", admin, h.inviteMissions)
	api.Get("/delegation/members", h.mission, h.listDelegates)
	api.Post("/delegation/members", h.mission, h.registerDelegate)
	api.Delete("/delegation/members/:id", h.mission, h.withdrawDelegate)

	// The non-objection procedure: the secretariat circulates
	// organizations to the invited missions; a mission objects, by the
	// token of its link; only the secretariat reads objections.
	api.Post("/meetings/:slug/non-objection", admin, h.createNotice)
	api.Get("/meetings/:slug/non-objection", admin, h.listNotices)
	api.Get("/meetings/:slug/non-objection/:id", admin, h.getNotice)
	api.Get("/non-objection", h.mission, h.missionNotices)
	api.Post("/non-objection/:id/objections", h.mission, h.object)

	// Organization records: the secretariat's, never a registrant's.
	api.Get("/organizations", anyStaff, h.listOrganizations)
	api.Patch("/organizations/:id", admin, h.updateOrganization)
	api.Post("/organizations/:id/merge", admin, h.mergeOrganizations)
	api.Post("/ecosoc/import", admin, h.importECOSOC) // the UN's list of organizations in consultative status

	// The live list of speakers. A participant asks for the floor and
	// withdraws for themselves; the rest is the moderator's.
	api.Get("/meetings/:slug/live", h.liveState)
	api.Get("/meetings/:slug/audit", moderator, h.meetingAudit) // the live list's events and the meeting's other changes
	api.Get("/meetings/:slug/agenda/:item/suggest", moderator, h.suggestNext)
	api.Post("/meetings/:slug/agenda/:item/speakers/order", moderator, h.liveCmd(live.ActReorder))
	api.Post("/meetings/:slug/agenda/:item/speakers", h.liveCmd(live.ActAddSpeaker))
	api.Delete("/meetings/:slug/agenda/:item/speakers/:id", h.liveCmd(live.ActRemoveSpeaker))
	api.Post("/meetings/:slug/agenda/:item/speakers/:id/start", moderator, h.liveCmd(live.ActStart))
	api.Post("/meetings/:slug/agenda/:item/speakers/:id/stop", moderator, h.liveCmd(live.ActStop))
	api.Post("/meetings/:slug/agenda/:item/speakers/:id/pause", moderator, h.liveCmd(live.ActPause))
	api.Post("/meetings/:slug/agenda/:item/speakers/:id/resume", moderator, h.liveCmd(live.ActResume))
	api.Post("/meetings/:slug/agenda/:item/speakers/:id/extend", moderator, h.liveCmd(live.ActExtend))
	api.Post("/meetings/:slug/agenda/:item/next", moderator, h.liveCmd(live.ActNext))
	api.Post("/meetings/:slug/agenda/:item/close", moderator, h.liveCmd(live.ActClose))
	api.Post("/meetings/:slug/agenda/:item/reopen", moderator, h.liveCmd(live.ActReopen))
	api.Post("/meetings/:slug/current", moderator, h.liveCmd(live.ActSetCurrent))
	api.Get("/floor", participant, h.floorIdentity)
	app.Get("/ws/meetings/:slug", h.identify, h.liveUpgrade, h.liveSocket()) // who it is decides what it may send

	// Rapporteurs' notes on interventions.
	api.Get("/meetings/:slug/notes", notes, h.listNotes)
	api.Put("/meetings/:slug/speakers/:id/note", notes, h.putNote)

	// Versions of the Chair's summary, and their circulation by mail.
	api.Post("/meetings/:slug/summary", admin, h.createSummary)
	api.Get("/meetings/:slug/summary", anyStaff, h.listSummaries)
	api.Get("/meetings/:slug/summary/latest", h.latestSummary) // the latest circulated version
	api.Post("/meetings/:slug/summary/preview", anyStaff, h.previewSummary)
	api.Get("/meetings/:slug/summary/:version.:format", h.summaryDocument) // public once circulated
	api.Get("/meetings/:slug/summary/:version", anyStaff, h.getSummary)
	api.Put("/meetings/:slug/summary/:version", admin, h.putSummary)
	api.Get("/meetings/:slug/summary/:version/revisions", anyStaff, h.listRevisions)
	api.Get("/meetings/:slug/summary/:version/diff", anyStaff, h.diffRevisions)
	api.Post("/meetings/:slug/summary/:version/approve", admin, h.approveSummary)
	api.Post("/meetings/:slug/summary/:version/circulate", admin, h.circulateSummary)
	api.Post("/meetings/:slug/circulations", admin, h.sendCirculation) // a letter, the summary, documents: now or scheduled
	api.Get("/meetings/:slug/circulations", anyStaff, h.listCirculations)
	api.Get("/meetings/:slug/circulations/:id", anyStaff, h.getCirculation)
	api.Delete("/meetings/:slug/circulations/:id", admin, h.cancelCirculation) // only before it goes
	api.Post("/meetings/:slug/circulations/:id/resend", admin, h.resendCirculation)

	// The meeting's document library (published documents are public),
	// and the chair's letters that enclose them.
	api.Post("/meetings/:slug/documents", admin, h.uploadDocument) // a larger body: app.documentUpload
	api.Get("/meetings/:slug/documents", h.listDocuments)
	api.Post("/meetings/:slug/documents/:id/publish", admin, h.publishDocument)
	api.Get("/meetings/:slug/documents/:id/file", h.documentFile)
	api.Post("/meetings/:slug/letters", admin, h.createLetter)
	api.Get("/meetings/:slug/letters", anyStaff, h.listLetters)
	api.Get("/meetings/:slug/letters/:id.:format", anyStaff, h.letterDocument)

	// The secretariat's distribution lists, shared by every meeting.
	api.Post("/lists", admin, h.saveList)
	api.Get("/lists", admin, h.listLists)
	api.Get("/lists/:id", admin, h.getList)

	// Pages. The public ones are rendered on the server in the reader's
	// language (?lang=, the switch's cookie, Accept-Language) and read
	// without script; scripts add live behaviour. The staff's are shells
	// whose scripts call the API above (they log in themselves); the
	// registration form also posts without JavaScript.
	app.Get("/", h.homePage)
	app.Get("/i18n/:lang.json", h.catalogue)            // a language's messages, as the pages embed them
	app.Get("/i18n/staff/:lang.json", h.staffCatalogue) // and a staff page's
	app.Get("/admin", staffPage("admin.html", "admin.title"))
	app.Get("/m/:slug/register", h.registerPage)
	app.Post("/m/:slug/register", h.registrationThrottle(), h.registerForm)
	app.Get("/m/:slug/programme", h.programmePage)
	app.Get("/m/:slug/organizations", h.organizationsPage)
	app.Get("/r/:token", noStore, localized("participant.html", "participant.title"))                 // its address is the participant's key
	app.Get("/d/:token", noStore, localized("delegation.html", "delegation.title"))                   // its address is the mission's key
	app.Get("/d/:token/non-objection/:id", noStore, localized("delegation.html", "delegation.title")) // the focal point's page, at one notice
	app.Get("/m/:slug/link", h.linkPage)                                                              // lost your link?
	app.Get("/reset/:token", noStore, staffPage("reset.html", "reset.title"))                         // a staff member's one-time link
	app.Get("/m/:slug/console", staffPage("console.html", "console.title"))
	app.Get("/m/:slug/screen", h.screenPage)
	app.Get("/m/:slug/notes", staffPage("notes.html", "notes.title"))
	app.Get("/m/:slug/checkin", staffPage("checkin.html", "checkin.title")) // registrars at the door
	app.Get("/m/:slug/summary/desk", staffPage("summary-desk.html", "desk.title"))
	app.Get("/m/:slug/summary", h.summaryPage)
	app.Get("/m/:slug/documents", localized("documents.html", "documents.heading"))
	app.Get("/m/:slug/calendar.ics", h.meetingCalendar)             // the agenda's slots, for a calendar
	app.Get("/p/:slug", localized("process.html", "process.title")) // a process's meetings and summaries
	app.Get("/favicon.ico", favicon)                                // browsers ask for it on every page
	app.Use("/static", filesystem.New(filesystem.Config{Root: static.HTTP(), MaxAge: 3600}))
}

// noStore marks the answer as not to be stored by any cache. A handler
// whose answer is public and cacheable sets its own Cache-Control.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// notModified sets etag as the answer's validator and reports whether
// the client already holds it (If-None-Match), so that 304 will do.
func notModified(c *fiber.Ctx, etag string) bool {
	c.Set(fiber.HeaderETag, etag)
	inm := c.Get(fiber.HeaderIfNoneMatch)
	if inm == "" || etag == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// healthz answers 200 while the database answers.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if err := pingDB(c, h); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "database unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
