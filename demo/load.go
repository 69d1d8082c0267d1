package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"rostrum/accreditation"
	"rostrum/app"
	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/delegations"
	"rostrum/documents"
	"rostrum/lists"
	"rostrum/live"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/summary"
)

// Slug names the demo meeting.
const Slug = "oewg-informal-2019"

// demoAgenda is the programme of the December 2019 meeting.
var demoAgenda = []string{
	"Existing and potential threats",
	"International law",
	"Rules, norms and principles",
	"Confidence-building measures",
	"Capacity-building",
	"Regular institutional dialogue",
}

// Demo seats: 145, and two representatives per organization.
const (
	demoCapacity = 145
	demoPerOrg   = 2
)

// demoDates returns the meeting's dates: 2 to 4 December, as in 2019, of
// the first year in which 2 December is at least two weeks away, so that
// the meeting is open for registration and listed on the home page. The
// title keeps the record of when the real meeting took place.
func demoDates(now time.Time) (starts, ends, closes time.Time) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.UTC
	}
	year := now.Year()
	for time.Date(year, 12, 2, 10, 0, 0, 0, ny).Before(now.AddDate(0, 0, 14)) {
		year++
	}
	starts = time.Date(year, 12, 2, 10, 0, 0, 0, ny)
	ends = time.Date(year, 12, 4, 18, 0, 0, 0, ny)
	closes = time.Date(year, 11, 30, 23, 59, 0, 0, ny)
	return
}

// demoEmail derives a representative's address: the Latin name without
// accents, or the given local part, at the organization's invented domain.
func demoEmail(name, local string, org int) string {
	if local == "" {
		var b strings.Builder
		for _, r := range norm.NFD.String(strings.ToLower(name)) {
			switch {
			case r == ' ' || r == '-':
				b.WriteByte('.')
			case r == 'ß':
				b.WriteString("ss")
			case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				b.WriteRune(r)
			case r == 'ı':
				b.WriteByte('i')
			case r == 'ł':
				b.WriteByte('l')
			case r == 'đ':
				b.WriteByte('d')
			}
		}
		local = b.String()
	}
	return fmt.Sprintf("%s@org%03d.example", local, org+1)
}

func demoWebsite(org int) string { return fmt.Sprintf("https://www.org%03d.example/", org+1) }

// demoPlan lists the registrations in order: each organization's first
// representative, then second representatives of every other organization,
// each with what happens to it. The seats held after the first 150 stay
// below capacity; the last 18 fill the remaining seats and then wait.
type demoStep struct {
	org, person int
	action      string // approve, reject, withdraw, or "" to leave it as registered
}

func demoPlan() []demoStep {
	var steps []demoStep
	n := len(demoOrganizations)
	for i := 0; i < n; i++ {
		steps = append(steps, demoStep{org: i})
	}
	for i := 0; i < 80 && i < n; i += 2 {
		steps = append(steps, demoStep{org: i})
	}
	for i := range steps {
		steps[i].person = i
		switch {
		case i%19 == 3:
			steps[i].action = "reject"
		case i%21 == 5:
			steps[i].action = "withdraw"
		case i%10 == 7: // left pending
		default:
			steps[i].action = "approve"
		}
	}
	// Late registrations: pending while seats remain, then waitlisted.
	for i := 1; i < 37 && i < n && len(steps) < len(demoPeople); i += 2 {
		steps = append(steps, demoStep{org: i, person: len(steps)})
	}
	return steps
}

var demoRejectReasons = []string{
	"The organization's work does not relate to the mandate of the Working Group.",
	"We could not verify the organization; please write to the secretariat with its statutes.",
}

// Services are the capabilities the demo fills the database through, the
// same the API calls (and so the demo queues the same mail).
type Services struct {
	Auth          *auth.Service
	Meetings      *meetings.Service
	Registrations *registration.Service
	Live          *live.Service
	Summary       *summary.Service
	Documents     *documents.Service
	Lists         *lists.Service
	Delegations   *delegations.Service
	Accreditation *accreditation.Service
	// PublicURL is where the printed links point.
	PublicURL string
	// AdminEmail is the configured admin's address, when set: the demo
	// then creates no admin of its own.
	AdminEmail string
}

// ServicesOf takes the services of a built App.
func ServicesOf(a *app.App) Services {
	return Services{Auth: a.Auth, Meetings: a.Meetings, Registrations: a.Registrations, Live: a.Live,
		Summary: a.Summary, Documents: a.Handler.Documents, Lists: a.Handler.Lists, Delegations: a.Delegations, Accreditation: a.Accreditation,
		PublicURL: a.Config.PublicURL(), AdminEmail: a.Config.AdminEmail}
}

type loader struct{ Services }

// Load fills the database with the informal intersessional consultative
// meeting of December 2019 of the Open-ended Working Group on ICTs: its
// six themes as agenda items, about 110 organizations of every
// stakeholder type and their representatives in every registration
// state, and demo staff accounts. It goes through the same services as
// the API (and so queues the same mail). Running it again adds only what
// is missing.
func Load(ctx context.Context, s Services, w io.Writer) error {
	return (&loader{s}).load(ctx, w)
}

func (a *loader) load(ctx context.Context, w io.Writer) error {
	if _, err := a.process(ctx); err != nil {
		return fmt.Errorf("demo process: %w", err)
	}
	m, err := a.meeting(ctx)
	if err != nil {
		return fmt.Errorf("demo meeting: %w", err)
	}
	if m, err = a.joinProcess(ctx, m); err != nil {
		return fmt.Errorf("demo meeting's process: %w", err)
	}
	if _, err := a.secondSession(ctx, m); err != nil {
		return fmt.Errorf("demo second session: %w", err)
	}
	if err := a.agenda(ctx, m); err != nil {
		return err
	}
	added, err := a.registrations(ctx, m)
	if err != nil {
		return err
	}
	tracks, err := a.demoTracks(ctx, m)
	if err != nil {
		return err
	}
	logins, err := a.demoStaff(ctx)
	if err != nil {
		return err
	}
	lv, err := a.demoLive(ctx, m)
	if err != nil {
		return err
	}
	letter, err := a.demoLibrary(ctx, m)
	if err != nil {
		return fmt.Errorf("demo documents: %w", err)
	}
	return a.print(ctx, w, m, added, logins, lv, tracks, letter)
}

// meeting returns the demo meeting, creating it the first time.
func (a *loader) meeting(ctx context.Context) (*models.Meeting, error) {
	m, err := a.Meetings.BySlug(ctx, Slug)
	if !apperr.Is(err, apperr.KindNotFound) {
		return m, err
	}
	starts, ends, closes := demoDates(time.Now())
	return a.Meetings.Create(ctx, meetings.Input{
		Slug:                 Slug,
		Title:                "Informal intersessional consultative meeting of the OEWG (demo of the meeting of 2–4 December 2019)",
		Venue:                "United Nations Headquarters, New York, Conference Room 1",
		Chair:                "Mr. David Koh (Singapore)",
		StartsAt:             starts.Format(time.RFC3339),
		EndsAt:               ends.Format(time.RFC3339),
		Timezone:             "America/New_York",
		RegistrationClosesAt: closes.Format(time.RFC3339),
		Capacity:             demoCapacity,
		MaxPerOrganization:   demoPerOrg,
		Attribution:          models.AttributionChathamHouse,
		Body:                 demoBody,
		BodyAcronym:          demoAcronym,
		Process:              ProcessSlug,
		Kind:                 models.MeetingKindIntersessional,
		PrivacyNotice:        demoPrivacyNotice,
	})
}

// demoPrivacyNotice is the demo meeting's privacy notice, which its
// registrants agree to.
const demoPrivacyNotice = `## How your personal data are used

The secretariat keeps your **name, email, job title and organization** to accredit you,
to run the list of speakers and to list the participating organizations in the Chair's
summary. Your email is never published; approved organizations are listed publicly
(name, type and country).

- Your name and job title are erased 180 days after the meeting ends; your
  organization and the record of the meeting stay, without your name.
- From your personal page you can download everything held about you, or erase it at once.`

// agenda adds the items of demoAgenda that m lacks, as live changes.
func (a *loader) agenda(ctx context.Context, m *models.Meeting) error {
	items, err := a.Meetings.Items(ctx, m.ID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, it := range items {
		have[it.Title] = true
	}
	for _, title := range demoAgenda {
		if have[title] {
			continue
		}
		item, err := meetings.ItemInput{Title: title, SpeakingTimeSeconds: 180}.Item(m.ID)
		if err == nil {
			_, err = a.Live.AddItem(ctx, auth.Actor{}, item)
		}
		if err != nil {
			return fmt.Errorf("agenda item %q: %w", title, err)
		}
	}
	return nil
}

// registrations registers the people of demoPlan who have not registered
// yet and takes the secretariat's decision the plan gives each; it
// returns how many it registered.
func (a *loader) registrations(ctx context.Context, m *models.Meeting) (int, error) {
	regs := a.Registrations
	added := 0
	notice := m.PrivacyNoticeVersion // every demo registrant agrees to the notice in force
	for _, s := range demoPlan() {
		o, p := demoOrganizations[s.org], demoPeople[s.person]
		email := demoEmail(p.Name, p.Local, s.org)
		if done, err := regs.HasRegistered(ctx, m.ID, email); err != nil {
			return added, err
		} else if done {
			continue
		}
		reg, err := regs.Register(ctx, Slug, registration.Input{
			Organization: registration.OrganizationInput{
				Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country,
				Website: demoWebsite(s.org), ECOSOCStatus: o.ECOSOC, Description: demoDescription(o),
			},
			Name: p.Name, Email: email, JobTitle: demoJobTitle(o.Type, s.person), Consent: true,
			ConsentVersion: &notice,
		})
		if err != nil {
			return added, fmt.Errorf("demo registration of %s: %w", email, err)
		}
		added++
		switch s.action {
		case "approve":
			_, err = regs.Decide(ctx, auth.Actor{}, reg.ID, registration.DecisionApprove, "")
		case "reject":
			_, err = regs.Decide(ctx, auth.Actor{}, reg.ID, registration.DecisionReject, demoRejectReasons[s.person%len(demoRejectReasons)])
		case "withdraw":
			_, err = regs.Withdraw(ctx, reg.ID)
		}
		if err != nil {
			return added, fmt.Errorf("demo %s of %s: %w", s.action, email, err)
		}
	}
	return added, nil
}

// print tells what the demo holds and where to look.
func (a *loader) print(ctx context.Context, w io.Writer, m *models.Meeting, added int, logins []string, lv demoLiveReport, tr demoTracksReport, letter uint) error {
	counts, err := a.Registrations.Count(ctx, m.ID)
	if err != nil {
		return err
	}
	orgs, err := a.Registrations.OrganizationCount(ctx, m.ID)
	if err != nil {
		return err
	}
	base := a.PublicURL
	fmt.Fprintf(w, "Demo meeting %q: %d organizations; registrations added now: %d\n", m.Slug, orgs, added)
	fmt.Fprintf(w, "  by state:")
	for _, st := range models.RegistrationStatuses {
		fmt.Fprintf(w, " %s %d", st, counts.ByStatus[st])
	}
	fmt.Fprintf(w, "\n\nStart the server (go run .) and open:\n")
	fmt.Fprintf(w, "  %s/                          open meetings\n", base)
	fmt.Fprintf(w, "  %s/m/%s/register  registration form\n", base, m.Slug)
	fmt.Fprintf(w, "  %s/admin                     secretariat console\n", base)
	fmt.Fprintf(w, "  %s/p/%s                 the process: this meeting and the second substantive session\n", base, ProcessSlug)
	a.demoLivePrint(w, base, m.Slug, lv)
	a.demoTracksPrint(w, tr)
	if letter != 0 {
		fmt.Fprintf(w, "  %s/m/%s/documents  the six enclosures of the Chair's letter\n", base, m.Slug)
		fmt.Fprintf(w, "  %s/api/meetings/%s/letters/%d.pdf  the Chair's letter (staff)\n", base, m.Slug, letter)
	}
	fmt.Fprintf(w, "\nLogins:\n")
	for _, l := range logins {
		fmt.Fprintln(w, "  "+l)
	}
	return nil
}

func demoJobTitle(orgType string, i int) string {
	titles := map[string][]string{
		"ngo":                 {"Executive Director", "Policy Officer", "Programme Manager", "Advocacy Lead"},
		"private_sector":      {"Head of Government Affairs", "Chief Information Security Officer", "Public Policy Manager", "Legal Counsel"},
		"academia":            {"Professor of International Law", "Research Fellow", "Senior Lecturer", "Doctoral Researcher"},
		"technical_community": {"Chief Technology Officer", "Security Engineer", "Board Member", "Community Manager"},
		"intergovernmental":   {"Programme Officer", "Senior Adviser", "Head of Unit", "Liaison Officer"},
		"other":               {"Coordinator", "Secretary-General", "Rapporteur", "Member"},
	}
	t := titles[orgType]
	return t[i%len(t)]
}

// demoStaff makes sure the demo's staff accounts exist: a secretariat
// admin (the configured one when admin_email is set), a moderator and a
// rapporteur. A new account gets a random password, printed once.
func (a *loader) demoStaff(ctx context.Context) ([]string, error) {
	type account struct{ email, role string }
	accounts := []account{
		{"moderator@rostrum.example", models.RoleModerator},
		{"rapporteur@rostrum.example", models.RoleRapporteur},
		{demoRegistrarEmail, models.RoleRegistrar},
	}
	var lines []string
	if a.AdminEmail != "" {
		lines = append(lines, fmt.Sprintf("admin       %s  (password from admin_password / ROSTRUM_ADMIN_PASSWORD)", a.AdminEmail))
	} else {
		accounts = append([]account{{"admin@rostrum.example", models.RoleAdmin}}, accounts...)
	}
	for _, acc := range accounts {
		password := auth.NewToken()[:16]
		_, err := a.Auth.CreateUser(ctx, auth.NewUserInput{Email: acc.email, Name: "Demo " + acc.role, Role: acc.role, Password: password})
		switch {
		case err == nil:
			lines = append(lines, fmt.Sprintf("%-11s %s  password %s", acc.role, acc.email, password))
		case apperr.Is(err, apperr.KindConflict):
			lines = append(lines, fmt.Sprintf("%-11s %s  (exists; its password was printed when it was created)", acc.role, acc.email))
		default:
			return nil, fmt.Errorf("demo %s account: %w", acc.role, err)
		}
	}
	return lines, nil
}
