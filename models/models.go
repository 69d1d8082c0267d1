// Package models holds the GORM models shared by Rostrum's capabilities:
// staff accounts and sessions, meetings and their agenda, organizations and
// registrations, and the tables of the live list, the summary and the mail
// outbox. Models are plain structs; the rules that govern them live in the
// capability packages (registration, live, summary, outbox).
package models

import "time"

// Roles of staff accounts.
const (
	RoleAdmin      = "admin"      // the secretariat
	RoleModerator  = "moderator"  // runs the list of speakers
	RoleRapporteur = "rapporteur" // writes notes on interventions
	RoleRegistrar  = "registrar"  // checks participants in at the door, prints badges
)

// RoleTerms are the staff roles and their names, in display order.
var RoleTerms = []Term{
	{RoleAdmin, "Admin (secretariat)"},
	{RoleModerator, "Moderator"},
	{RoleRapporteur, "Rapporteur"},
	{RoleRegistrar, "Registrar (at the door)"},
}

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool {
	for _, t := range RoleTerms {
		if t.Key == r {
			return true
		}
	}
	return false
}

// User is a staff account.
type User struct {
	ID           uint   `gorm:"primaryKey" json:"id"`
	Email        string `gorm:"size:254;not null;uniqueIndex" json:"email"`
	Name         string `gorm:"size:200;not null;default:''" json:"name"`
	Role         string `gorm:"size:20;not null" json:"role"`
	PasswordHash string `gorm:"size:100;not null" json:"-"`
	// Disabled accounts cannot log in; disabling one ends its sessions.
	Disabled  bool      `gorm:"not null;default:false" json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// PasswordReset is a one-time link, valid for a day, by which a staff
// member sets a new password. Only the SHA-256 of the link's token is
// stored.
type PasswordReset struct {
	ID        uint      `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	User      User      `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// AuditEvent is one change of a meeting made outside its live list (a
// registration decision, an edit of the meeting or an organization, a
// version of the summary): who, when, what. Changes of the live list
// (agenda edits included) are audited as live events.
type AuditEvent struct {
	ID        uint      `gorm:"primaryKey"`
	MeetingID uint      `gorm:"not null;index:idx_audit_meeting_at"`
	Meeting   Meeting   `gorm:"constraint:OnDelete:CASCADE"`
	At        time.Time `gorm:"not null;index:idx_audit_meeting_at"`
	Actor     string    `gorm:"size:300;not null"`
	UserID    *uint
	Action    string `gorm:"size:40;not null"`
	Detail    string `gorm:"type:text;not null;default:''"`
}

// Session is a staff login. The cookie carries a random token; only its
// SHA-256 is stored, so a copy of the database cannot be used to log in.
// Sessions live in the database so that any instance can answer.
type Session struct {
	ID        uint      `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint      `gorm:"not null;index"`
	User      User      `gorm:"constraint:OnDelete:CASCADE"`
	CSRFToken string    `gorm:"size:64;not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
	CreatedAt time.Time
}

// Attribution modes of the Chair's summary.
const (
	AttributionChathamHouse = "chatham_house"
	AttributionAttributed   = "attributed"
)

// Meeting is one consultation meeting.
type Meeting struct {
	ID    uint   `gorm:"primaryKey" json:"id"`
	Slug  string `gorm:"size:64;not null;uniqueIndex" json:"slug"`
	Title string `gorm:"size:300;not null" json:"title"`
	Venue string `gorm:"size:300;not null;default:''" json:"venue"`
	Chair string `gorm:"size:200;not null;default:''" json:"chair"`
	// Symbol is the document symbol the Chair's summary is issued under,
	// e.g. A/AC.290/2020/INF/1; empty when none was assigned.
	Symbol               string    `gorm:"size:60;not null;default:''" json:"symbol"`
	StartsAt             time.Time `gorm:"not null" json:"starts_at"`
	EndsAt               time.Time `gorm:"not null" json:"ends_at"`
	Timezone             string    `gorm:"size:64;not null;default:'UTC'" json:"timezone"`
	RegistrationClosesAt time.Time `gorm:"not null" json:"registration_closes_at"`
	Capacity             int       `gorm:"not null;default:0" json:"capacity"`
	MaxPerOrganization   int       `gorm:"not null;default:0" json:"max_per_organization"`
	Attribution          string    `gorm:"size:20;not null;default:'chatham_house'" json:"attribution"`
	// MaxPerDelegation is the most members one State's delegation may
	// register (0: no limit); MaxPerOrganization does not apply to them.
	MaxPerDelegation int `gorm:"not null;default:0" json:"max_per_delegation"`
	// Categories are the participant categories that may take part.
	Categories CategorySet `gorm:"size:300;not null;default:''" json:"categories"`
	// SpeakerOrder is how a request for the floor is placed on the list:
	// SpeakerOrderRequest or SpeakerOrderPrecedence.
	SpeakerOrder string `gorm:"size:20;not null;default:'request'" json:"speaker_order"`
	// Body is the full name of the body the meeting serves ("Open-ended
	// Working Group on developments in the field of …") and BodyAcronym
	// the short name the Chair's summary uses once it has given the full
	// one ("OEWG", or "the Committee"); both may be empty.
	Body        string `gorm:"size:300;not null;default:''" json:"body"`
	BodyAcronym string `gorm:"size:60;not null;default:''" json:"body_acronym"`
	// ProcessID is the process of several meetings this one belongs to
	// (nil: none; processes are never deleted, so no foreign key is
	// needed, and SQLite cannot add one to a table without rebuilding it),
	// and Kind what it is in that process (MeetingKinds).
	ProcessID *uint  `gorm:"index" json:"-"`
	Kind      string `gorm:"size:30;not null;default:'meeting'" json:"kind"`
	// PrivacyNotice is the Markdown the registration form shows and a
	// registrant agrees to; PrivacyNoticeVersion counts its texts (0:
	// never had one) and goes up by one whenever the text changes, so a
	// registration records which text it accepted.
	PrivacyNotice        string `gorm:"type:text;not null;default:''" json:"privacy_notice"`
	PrivacyNoticeVersion int    `gorm:"not null;default:0" json:"privacy_notice_version"`
	// RetentionDays is how long after EndsAt the registrations keep their
	// personal data before the daily job anonymizes them (package privacy).
	RetentionDays int `gorm:"not null;default:180" json:"retention_days"`
	// Language is the language of the summary's fixed wording and of the
	// room's screen: a code of locale.Codes.
	Language  string    `gorm:"size:8;not null;default:'en'" json:"language"`
	CreatedAt time.Time `json:"created_at"`
}

// AgendaItem is one item of a meeting's programme; each has its own list
// of speakers.
type AgendaItem struct {
	ID                  uint    `gorm:"primaryKey" json:"id"`
	MeetingID           uint    `gorm:"not null;index;uniqueIndex:idx_agenda_position" json:"meeting_id"`
	Meeting             Meeting `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Position            int     `gorm:"not null;uniqueIndex:idx_agenda_position" json:"position"`
	Title               string  `gorm:"size:300;not null" json:"title"`
	SpeakingTimeSeconds int     `gorm:"not null;default:180" json:"speaking_time_seconds"`
	// StartsAt and EndsAt are the item's slot in the programme of work,
	// when the secretariat has set one.
	StartsAt  *time.Time `json:"starts_at"`
	EndsAt    *time.Time `json:"ends_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// Organization is a stakeholder organization, shared by all its
// representatives. NameKey is the name folded for matching (case and
// spacing ignored); WebsiteKey likewise for the website's host. The record
// is the secretariat's: the registration that creates it gives its first
// values, and after that only the secretariat changes it (what later
// registrants say about it is their OrganizationClaim).
type Organization struct {
	ID           uint   `gorm:"primaryKey" json:"id"`
	Name         string `gorm:"size:300;not null" json:"name"`
	NameKey      string `gorm:"size:300;not null;uniqueIndex" json:"-"`
	Acronym      string `gorm:"size:50;not null;default:''" json:"acronym"`
	Type         string `gorm:"size:30;not null" json:"type"`
	Country      string `gorm:"size:2;not null" json:"country"`
	Website      string `gorm:"size:300;not null;default:''" json:"website"`
	WebsiteKey   string `gorm:"size:300;not null;default:'';index" json:"-"`
	ECOSOCStatus string `gorm:"column:ecosoc_status;size:10;not null;default:'none'" json:"ecosoc_status"`
	// ECOSOCVerified is the status the UN's list of organizations in
	// consultative status gives it (general, special or roster), as last
	// imported, and ECOSOCYear the year the list says it was granted; ""
	// and 0 when the organization is not on the list. ECOSOCStatus is what
	// the record says; ECOSOCVerified is what the list confirms, and it
	// decides the accreditation track.
	ECOSOCVerified string    `gorm:"column:ecosoc_verified;size:10;not null;default:''" json:"ecosoc_verified"`
	ECOSOCYear     int       `gorm:"column:ecosoc_year;not null;default:0" json:"ecosoc_year"`
	CreatedAt      time.Time `json:"created_at"`
}

// Registration states.
const (
	StatusPending    = "pending"
	StatusApproved   = "approved"
	StatusRejected   = "rejected"
	StatusWaitlisted = "waitlisted"
	StatusWithdrawn  = "withdrawn"
)

// Registration is one representative's registration for a meeting.
// TokenHash is the SHA-256 of the participant's secret (the token of the
// manage link and bearer token): the database never holds the secret, so
// a copy of it cannot act as any participant. Token carries the secret in
// memory only, on a registration whose link was just minted (a new
// registration, a new link), for the mail and answer that hand it over.
type Registration struct {
	ID             uint         `gorm:"primaryKey" json:"id"`
	MeetingID      uint         `gorm:"not null;index:idx_reg_meeting_status" json:"meeting_id"`
	Meeting        Meeting      `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	OrganizationID uint         `gorm:"not null;index" json:"organization_id"`
	Organization   Organization `json:"organization"`
	Name           string       `gorm:"size:200;not null" json:"name"`
	Email          string       `gorm:"size:254;not null;index" json:"email"`
	JobTitle       string       `gorm:"size:200;not null;default:''" json:"job_title"`
	Status         string       `gorm:"size:12;not null;index:idx_reg_meeting_status" json:"status"`
	Reason         string       `gorm:"size:1000;not null;default:''" json:"reason"`
	Token          string       `gorm:"-" json:"-"`
	TokenHash      string       `gorm:"size:64;not null;uniqueIndex" json:"-"`
	ConsentAt      time.Time    `gorm:"not null" json:"consent_at"`
	// ConsentVersion is the meeting's PrivacyNoticeVersion the registrant
	// agreed to (0: the form's built-in text, the meeting having no
	// notice, or a delegate registered by their mission).
	ConsentVersion int `gorm:"not null;default:0" json:"consent_version"`
	// AnonymizedAt is when the registration's personal data (name, email,
	// job title) were erased, by the participant or after retention; the
	// organization, category, state and the record of the meeting stay.
	AnonymizedAt *time.Time `json:"anonymized_at,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	CreatedAt    time.Time  `gorm:"index" json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// ClaimedOrg... is the organization as this registrant entered it
	// (validated and normalized like the record). It is kept apart from
	// the shared Organization record, which an anonymous registrant must
	// not change; the secretariat compares the two. Registrations from
	// before migration 0008 have an empty claim.
	ClaimedOrgName         string `gorm:"size:300;not null;default:''" json:"claimed_org_name"`
	ClaimedOrgAcronym      string `gorm:"size:50;not null;default:''" json:"claimed_org_acronym"`
	ClaimedOrgType         string `gorm:"size:30;not null;default:''" json:"claimed_org_type"`
	ClaimedOrgCountry      string `gorm:"size:2;not null;default:''" json:"claimed_org_country"`
	ClaimedOrgWebsite      string `gorm:"size:300;not null;default:''" json:"claimed_org_website"`
	ClaimedOrgECOSOCStatus string `gorm:"column:claimed_org_ecosoc_status;size:10;not null;default:''" json:"claimed_org_ecosoc_status"`
	// ClaimedOrgDescription is the short description of the organization
	// the registrant gave (optional): what Member States read of it in a
	// non-objection notice.
	ClaimedOrgDescription string `gorm:"size:500;not null;default:''" json:"claimed_org_description"`
	// PendingName is the name an approved participant asked to be shown
	// under instead of Name, waiting for the secretariat; "" when none.
	// Name is what the live list, the screen and the summary show.
	PendingName   string     `gorm:"size:200;not null;default:''" json:"pending_name"`
	PendingNameAt *time.Time `json:"pending_name_at,omitempty"`
	// HeadOfDelegation marks the head of a State's delegation (whose
	// Organization is the State's record, of type member_state or
	// observer_state).
	HeadOfDelegation bool `gorm:"not null;default:false" json:"head_of_delegation"`
	// CheckinCode is what the participant's QR code carries to the door:
	// random, drawn apart from the private link's token, so that knowing
	// one tells nothing of the other; it only checks its holder in.
	CheckinCode string `gorm:"size:32;not null;default:'';index:idx_reg_checkin_code" json:"-"`
	// CheckedInAt is when the participant was first checked in at the
	// door (nil: not, or the check-in was undone), and CheckedInBy the
	// staff member who did it.
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	CheckedInBy string     `gorm:"size:300;not null;default:''" json:"-"`
	// Language is the registrant's language (a code of locale.Codes):
	// every mail to them is written in it.
	Language string `gorm:"size:8;not null;default:'en'" json:"language"`
}

// SeatCount counts a meeting's held seats: its pending and approved
// registrations. Package registration owns it and changes it in the
// transaction that changes a registration's state, so that checking a
// seat costs one row's read however many have registered; its row is
// also the lock that orders a meeting's registrations on PostgreSQL.
type SeatCount struct {
	MeetingID uint    `gorm:"primaryKey;autoIncrement:false"`
	Meeting   Meeting `gorm:"constraint:OnDelete:CASCADE"`
	Held      int     `gorm:"not null;default:0"`
}

// RateLimit is one key's current window of the throttles shared by
// several instances (ratelimit.Postgres): its hits and when it ends.
type RateLimit struct {
	Key    string    `gorm:"primaryKey;size:200"`
	Hits   int       `gorm:"not null"`
	EndsAt time.Time `gorm:"not null;index"`
}

// A meeting's speaker_order: in order of request (one mixed list, as
// informal meetings often keep), or in the UN's order of precedence
// (Member States, observer States, intergovernmental organizations, then
// the other stakeholders, each group in order of request).
const (
	SpeakerOrderRequest    = "request"
	SpeakerOrderPrecedence = "precedence"
)

// RetentionSweep is the claim on one run of a job that must run once
// across instances and restarts (package privacy: the daily
// anonymization of registrations past retention). An instance runs the
// job only after claiming the row, in one UPDATE, while NextAt has
// passed and nobody holds an unexpired claim; it then sets NextAt one
// interval later.
type RetentionSweep struct {
	Name         string     `gorm:"primaryKey;size:40"`
	NextAt       time.Time  `gorm:"not null"`
	ClaimedBy    string     `gorm:"size:200;not null;default:''"`
	ClaimedUntil *time.Time ``
	LastRunAt    *time.Time ``
	LastCount    int        `gorm:"not null;default:0"`
}
