package models

// Owners names, for every model (and so every table), the one package
// that reads and writes it through GORM or SQL. Other packages ask the
// owner through a narrow exported function, or through a small interface
// they declare themselves. internal/architecture's test holds the code to
// this table, and the README's "How it is built" shows it.
//
// Apart from the owners: store runs the migrations and copy-db over every
// table, and tests set up what they test.
var Owners = map[string]string{
	"User":                 "auth",
	"Session":              "auth",
	"Meeting":              "meetings",
	"AgendaItem":           "meetings",
	"Organization":         "registration",
	"Registration":         "registration",
	"SeatCount":            "registration",
	"RateLimit":            "ratelimit",
	"LiveMeeting":          "live",
	"SpeakerList":          "live",
	"SpeakerEntry":         "live",
	"LiveEvent":            "live",
	"SpeakerNote":          "summary",
	"SummaryVersion":       "summary",
	"SummaryRevision":      "summary",
	"Circulation":          "summary",
	"CirculationRecipient": "summary",
	"OutboxMessage":        "outbox",
	"OutboxBlob":           "outbox",
	"OutboxAttachment":     "outbox",
}
