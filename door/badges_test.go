package door

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"rostrum/models"
	"rostrum/summary"
)

// TestBadgesRenderEveryCategory draws a badge of each category (and, with
// ROSTRUM_BADGES_OUT set, keeps the PDF to look at).
func TestBadgesRenderEveryCategory(t *testing.T) {
	fonts, err := summary.SystemFonts()
	if err != nil {
		t.Skip(err)
	}
	var bs []Badge
	names := []string{"Ambassador Marie-Claire Dubois-Lefèvre", "ليلى حداد", "王小明", "Grace Mutung'u", "김민지", "Аркадий Петров", "נועה פרץ", "Ana Souza"}
	orgs := []string{"Singapore", "State of Palestine", "International Telecommunication Union", "Kenya ICT Action Network", "Samsung Electronics", "北京大学网络法研究中心", "Internet Society", "منظمة الإنترنت العربية"}
	for i, c := range []string{"member_state", "observer_state", "intergovernmental", "ngo", "private_sector", "academia", "technical_community", "other"} {
		bs = append(bs, Badge{Name: names[i], Organization: orgs[i], Category: c, Code: "ABCDEFGHIJKLMNOPQRST"})
	}
	for _, f := range []string{FormatSheet, FormatA6} {
		b, err := BadgesPDF(bs, "Informal intersessional consultative meeting of the Open-ended Working Group", "en", f, fonts)
		if err != nil {
			t.Fatal(err)
		}
		if out := os.Getenv("ROSTRUM_BADGES_OUT"); out != "" {
			_ = os.WriteFile(out+"-"+f+".pdf", b, 0o644)
		}
	}
}

func TestListOfParticipantsRenders(t *testing.T) {
	fonts, err := summary.SystemFonts()
	if err != nil {
		t.Skip(err)
	}
	m := &models.Meeting{Title: "Informal intersessional consultative meeting", Venue: "UN Headquarters", Timezone: "America/New_York",
		StartsAt: time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC), EndsAt: time.Date(2019, 12, 4, 23, 0, 0, 0, time.UTC)}
	regs := []models.Registration{
		{ID: 1, OrganizationID: 1, Name: "David Koh", JobTitle: "Ambassador", HeadOfDelegation: true, Organization: models.Organization{ID: 1, Name: "Singapore", Type: "member_state"}},
		{ID: 2, OrganizationID: 2, Name: "Ana Souza", JobTitle: "Policy officer", Organization: models.Organization{ID: 2, Name: "Access Now", Acronym: "AN", Type: "ngo"}},
		{ID: 3, OrganizationID: 3, Name: "Ingrid Olsen", Organization: models.Organization{ID: 3, Name: "International Telecommunication Union", Acronym: "ITU", Type: "intergovernmental"}},
	}
	for _, public := range []bool{false, true} {
		md := ListOfParticipants(m, regs, public)
		if strings.Contains(md, "Ana Souza") == public {
			t.Fatalf("public %v:\n%s", public, md)
		}
		b, err := summary.Render(md, "pdf", fonts, "List of participants")
		if err != nil {
			t.Fatal(err)
		}
		if out := os.Getenv("ROSTRUM_BADGES_OUT"); out != "" {
			_ = os.WriteFile(fmt.Sprintf("%s-list-%v.pdf", out, public), b, 0o644)
		}
	}
}

// The list of participants and the badges are the meeting's documents:
// written in its language, as its summary is.
func TestTheListAndTheBadgesSpeakTheMeetingsLanguage(t *testing.T) {
	m := &models.Meeting{Title: "Réunion informelle", Language: "fr", Timezone: "Europe/Paris",
		StartsAt: time.Date(2019, 12, 2, 9, 0, 0, 0, time.UTC), EndsAt: time.Date(2019, 12, 4, 17, 0, 0, 0, time.UTC)}
	regs := []models.Registration{
		{ID: 1, OrganizationID: 1, Name: "David Koh", HeadOfDelegation: true, Organization: models.Organization{ID: 1, Name: "Singapour", Type: "member_state"}},
		{ID: 2, OrganizationID: 2, Name: "Ingrid Olsen", Organization: models.Organization{ID: 2, Name: "UIT", Type: "intergovernmental"}},
		{ID: 3, OrganizationID: 3, Name: "Ana Souza", Organization: models.Organization{ID: 3, Name: "Access Now", Type: "ngo"}},
	}
	md := ListOfParticipants(m, regs, false)
	for _, want := range []string{"# Liste des participants", "## États Membres", "David Koh (Chef de délégation)",
		"## Organisations intergouvernementales", "## Organisations non gouvernementales", "décembre 2019"} {
		if !strings.Contains(md, want) {
			t.Errorf("the French list lacks %q:\n%s", want, md)
		}
	}
	if none := ListOfParticipants(&models.Meeting{Title: "X", Language: "es", Timezone: "UTC"}, nil, true); !strings.Contains(none, "Todavía no hay ningún participante acreditado.") {
		t.Errorf("an empty Spanish list:\n%s", none)
	}
	for lang, want := range map[string]string{"es": "Organización no gubernamental", "en": "Non-governmental organization", "fr": "État Membre"} {
		cat := "ngo"
		if lang == "fr" {
			cat = "member_state"
		}
		if got := bandLabel(lang, cat); got != want {
			t.Errorf("the %s band of %s reads %q, want %q", lang, cat, got, want)
		}
	}
	if got := bandLabel("en", "unknown"); got != "Other" {
		t.Errorf("an unknown category's band: %q", got)
	}
}
