package registration

import (
	"strings"
	"testing"
	"time"

	"rostrum/models"
)

func TestMailEscapesHTMLAndCarriesTheManageLink(t *testing.T) {
	reg := &models.Registration{
		Name: `<img src=x onerror=alert(1)>`, Status: models.StatusApproved, Reason: `<b>welcome</b>`,
		Organization: models.Organization{Name: "Tom & Jerry <Inc>"},
		Meeting: models.Meeting{Title: "Informal intersessional consultative meeting", Venue: "Conference Room 1",
			StartsAt: time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC), EndsAt: time.Date(2019, 12, 4, 23, 0, 0, 0, time.UTC), Timezone: "America/New_York"},
	}
	l := compose(mailDecision, reg, "https://rostrum.example/r/TOKEN", "")
	text, html, err := render(l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "https://rostrum.example/r/TOKEN") || !strings.Contains(html, `href="https://rostrum.example/r/TOKEN"`) {
		t.Fatal("manage link missing")
	}
	if strings.Contains(html, "<img") || strings.Contains(html, "<b>welcome") || !strings.Contains(html, "&lt;img src=x") ||
		!strings.Contains(html, "Tom &amp; Jerry &lt;Inc&gt;") {
		t.Fatalf("HTML not escaped:\n%s", html)
	}
	if !strings.Contains(text, "<img src=x onerror=alert(1)>") || !strings.Contains(text, "2–4 December 2019, New York time (EST)") || !strings.Contains(text, "approved") {
		t.Fatalf("text:\n%s", text)
	}
	if l.Subject != "Registration approved: Informal intersessional consultative meeting" {
		t.Fatal(l.Subject)
	}
}

func TestEveryMailKindHasASubjectAndLead(t *testing.T) {
	for _, c := range []struct{ kind, status string }{
		{mailConfirmation, models.StatusPending}, {mailConfirmation, models.StatusWaitlisted},
		{mailDecision, models.StatusApproved}, {mailDecision, models.StatusRejected}, {mailDecision, models.StatusWaitlisted},
		{mailPromoted, models.StatusPending}, {mailWithdrawn, models.StatusWithdrawn},
		{mailNameChange, models.StatusApproved},
		{mailLink, models.StatusApproved},
	} {
		l := compose(c.kind, &models.Registration{Status: c.status, Meeting: models.Meeting{Title: "M", Timezone: "UTC"}}, "u", "")
		if l.Subject == "" || l.Lead == "" {
			t.Errorf("%s/%s: %+v", c.kind, c.status, l)
		}
	}
}

// A mail without a freshly minted link (a decision, a promotion, a
// withdrawal) carries no private link, only where to ask for a new one.
func TestMailWithoutANewLinkSaysWhereToAskForOne(t *testing.T) {
	reg := &models.Registration{Name: "Ana", Status: models.StatusApproved, Meeting: models.Meeting{Title: "M", Slug: "m", Timezone: "UTC"}}
	text, html, err := render(compose(mailDecision, reg, "", "https://rostrum.example/m/m/link"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "/r/") || strings.Contains(html, "/r/") {
		t.Fatalf("a private link in:\n%s\n%s", text, html)
	}
	if !strings.Contains(text, "\nhttps://rostrum.example/m/m/link\n") || !strings.Contains(html, `href="https://rostrum.example/m/m/link"`) {
		t.Fatalf("no way to a new link in:\n%s\n%s", text, html)
	}
}
