package models

// The words people read for the values stored in the columns below live
// here, beside the values, so that every page and document names a value
// the same way: the pages read them from GET /api/vocabulary, the
// registration form is rendered with them, and the Chair's summary writes
// them. The order of each list is the order people read it in.

// Term is a stored value and its name.
type Term struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// StakeholderType is a type of organization (Organization.Type) and the
// ways Rostrum names it.
type StakeholderType struct {
	Key string
	// Label names one organization of the type: forms, tables.
	Label string
	// Group names the type's organizations together: the console's
	// balance of the floor, the summary's headings and statistics.
	Group string
	// One and Several complete the summary's "A participant from …" and
	// "Several participants from …".
	One, Several string
	// From completes the summary's "Participants from …" and "Representatives
	// of 14 organizations, among them 6 from …": "civil society".
	From string
	// CountOne and CountMany follow a number in the summary: "1 private
	// sector entity", "3 private sector entities".
	CountOne, CountMany string
}

// StakeholderTypes are the types of organizations, in display order.
var StakeholderTypes = []StakeholderType{{
	Key: "ngo", From: "civil society", Label: "Non-governmental organization", Group: "Non-governmental organizations",
	One: "a non-governmental organization", Several: "non-governmental organizations",
	CountOne: "non-governmental organization", CountMany: "non-governmental organizations",
}, {
	Key: "private_sector", From: "the private sector", Label: "Private sector", Group: "Private sector",
	One: "the private sector", Several: "the private sector",
	CountOne: "private sector entity", CountMany: "private sector entities",
}, {
	Key: "academia", From: "academia", Label: "Academia", Group: "Academic and research institutions",
	One: "academia", Several: "academia",
	CountOne: "academic or research institution", CountMany: "academic and research institutions",
}, {
	Key: "technical_community", From: "the technical community", Label: "Technical community", Group: "Technical community",
	One: "the technical community", Several: "the technical community",
	CountOne: "technical community organization", CountMany: "technical community organizations",
}, {
	Key: "intergovernmental", From: "intergovernmental organizations", Label: "Intergovernmental organization", Group: "Intergovernmental organizations",
	One: "an intergovernmental organization", Several: "intergovernmental organizations",
	CountOne: "intergovernmental organization", CountMany: "intergovernmental organizations",
}, {
	Key: "other", From: "other stakeholder groups", Label: "Other", Group: "Other stakeholders",
	One: "another stakeholder group", Several: "other stakeholder groups",
	CountOne: "other stakeholder", CountMany: "other stakeholders",
}}

// OrganizationTypes are the keys of StakeholderTypes, in the same order.
var OrganizationTypes = func() []string {
	out := make([]string, len(StakeholderTypes))
	for i, t := range StakeholderTypes {
		out[i] = t.Key
	}
	return out
}()

// StakeholderTypeOf returns the type with key, or "other" for a key that
// is not a type (which validation keeps out of the database).
func StakeholderTypeOf(key string) StakeholderType {
	for _, t := range StakeholderTypes {
		if t.Key == key {
			return t
		}
	}
	return StakeholderTypes[len(StakeholderTypes)-1]
}

// ECOSOCStatusTerms are the ECOSOC consultative statuses (Organization.ECOSOCStatus).
var ECOSOCStatusTerms = []Term{
	{"general", "General consultative status"},
	{"special", "Special consultative status"},
	{"roster", "Roster"},
	{"none", "None"},
}

// ECOSOCStatuses are the keys of ECOSOCStatusTerms.
var ECOSOCStatuses = keys(ECOSOCStatusTerms)

// RegistrationStatusTerms are the registration states (Registration.Status),
// in the order the secretariat reads them.
var RegistrationStatusTerms = []Term{
	{StatusPending, "Pending"},
	{StatusApproved, "Approved"},
	{StatusWaitlisted, "Waitlisted"},
	{StatusRejected, "Rejected"},
	{StatusWithdrawn, "Withdrawn"},
}

// RegistrationStatuses are the keys of RegistrationStatusTerms.
var RegistrationStatuses = keys(RegistrationStatusTerms)

func keys(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Key
	}
	return out
}

// MeetingKindTerms are the kinds of meeting (Meeting.Kind) as a
// process's page names them.
var MeetingKindTerms = []Term{
	{MeetingKindSubstantive, "Substantive session"},
	{MeetingKindIntersessional, "Intersessional meeting"},
	{MeetingKindOther, "Meeting"},
}

// MeetingKinds are the keys of MeetingKindTerms.
var MeetingKinds = keys(MeetingKindTerms)

// StateKindTerms are the kinds of State (Mission.Kind), in the order the
// floor is given to them.
var StateKindTerms = []Term{
	{KindMemberState, "Member State"},
	{KindObserverState, "Observer State"},
}

// CategoryTerms are the participant categories, in the order of the UN's
// precedence: Member States, observer States, intergovernmental
// organizations and UN entities, then the other stakeholder types in
// their order. A category's key is the Type of the organization record
// its participants register under.
var CategoryTerms = func() []Term {
	out := append([]Term{}, StateKindTerms...)
	igo := StakeholderTypeOf("intergovernmental")
	out = append(out, Term{igo.Key, "Intergovernmental organizations and UN entities"})
	for _, t := range StakeholderTypes {
		if t.Key != igo.Key {
			out = append(out, Term{t.Key, t.Group})
		}
	}
	return out
}()

// stateGroups name the States as StakeholderType names an organization's
// type, for the balance of the floor and the Chair's summary.
var stateGroups = []StakeholderType{{
	Key: KindMemberState, Label: "Member State", Group: "Member States",
	One: "a Member State", Several: "Member States", From: "Member States",
	CountOne: "Member State", CountMany: "Member States",
}, {
	Key: KindObserverState, Label: "Observer State", Group: "Observer States",
	One: "an observer State", Several: "observer States", From: "observer States",
	CountOne: "observer State", CountMany: "observer States",
}}

// CategoryOf returns the names of participant category key: a State's
// kind or a stakeholder type ("other" for a key that is neither).
func CategoryOf(key string) StakeholderType {
	for _, t := range stateGroups {
		if t.Key == key {
			return t
		}
	}
	return StakeholderTypeOf(key)
}

// IsState reports whether category key is a State's (Member or observer).
func IsState(key string) bool { return key == KindMemberState || key == KindObserverState }

// Categories are the keys of CategoryTerms, in the same order.
var Categories = keys(CategoryTerms)

// CategoryLabel names category key, or returns the key when it is none.
func CategoryLabel(key string) string {
	for _, t := range CategoryTerms {
		if t.Key == key {
			return t.Label
		}
	}
	return key
}
