package models

// All is every model, each a table: what the last migration must have
// built, and what Owners must cover.
func All() []any {
	all := []any{&User{}, &Session{}, &Meeting{}, &AgendaItem{},
		&Organization{}, &Registration{}, &SeatCount{}, &RateLimit{}, &PasswordReset{}, &AuditEvent{}, &RetentionSweep{}}
	all = append(all, OutboxTables()...)
	all = append(all, LiveTables()...)
	all = append(all, DelegationTables()...)
	all = append(all, AccreditationTables()...)
	all = append(all, ProcessTables()...)
	all = append(all, LetterTables()...)
	all = append(all, ListTables()...)
	return append(all, SummaryTables()...)
}

// Owners names, for every model (and so every table), the one package
// that reads and writes it through GORM or SQL. Other packages ask the
// owner through a narrow exported function, or through a small interface
// they declare themselves. internal/architecture's test holds the code to
// this table, and the README's "How it is built" shows it.
//
// Apart from the owners: store runs the migrations and copy-db over every
// table, and tests set up what they test.
var Owners = map[string]string{
	"User":                  "auth",
	"Session":               "auth",
	"PasswordReset":         "auth",
	"AuditEvent":            "audit",
	"Meeting":               "meetings",
	"AgendaItem":            "meetings",
	"Process":               "meetings",
	"PrefillLink":           "registration",
	"Organization":          "registration",
	"Registration":          "registration",
	"SeatCount":             "registration",
	"RateLimit":             "ratelimit",
	"LiveMeeting":           "live",
	"SpeakerList":           "live",
	"SpeakerEntry":          "live",
	"LiveEvent":             "live",
	"SpeakerNote":           "summary",
	"SummaryVersion":        "summary",
	"SummaryRevision":       "summary",
	"Circulation":           "summary",
	"CirculationRecipient":  "summary",
	"OutboxMessage":         "outbox",
	"OutboxBlob":            "outbox",
	"OutboxAttachment":      "outbox",
	"Mission":               "delegations",
	"MissionInvitation":     "delegations",
	"NonObjectionNotice":    "accreditation",
	"NonObjectionEntry":     "accreditation",
	"NonObjectionRecipient": "accreditation",
	"Objection":             "accreditation",
	"RetentionSweep":        "privacy",
	"Document":              "documents",
	"Letter":                "summary",
	"DistributionList":      "lists",
	"DistributionAddress":   "lists",
}
