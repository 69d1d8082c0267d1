package handlers_test

// The review's smaller findings (issue 15 §4, 9): the icon, the badges'
// capitals, codes on the notes page, one date format, the no-script
// registration's answer.

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func TestFaviconIsServed(t *testing.T) {
	e := testenv.New(t)
	res, err := http.Get(e.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/x-icon" || len(b) < 6 || string(b[:4]) != "\x00\x00\x01\x00" {
		t.Fatalf("/favicon.ico: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
	}
}

func TestNoScriptRegistrationAnswerNamesTheMeeting(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	form := url.Values{"org_name": {"Access Now"}, "org_type": {"ngo"}, "org_country": {"US"},
		"name": {"Peter Micek"}, "email": {"peter@example.org"}, "consent": {"true"}}
	for _, tc := range []struct {
		name   string
		drop   string
		status int
	}{{"received", "", 201}, {"to correct", "org_country", 422}} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				if k != tc.drop {
					f[k] = v
				}
			}
			if tc.drop == "" {
				f.Set("email", "peter."+strings.ReplaceAll(tc.name, " ", "")+"@example.org")
			}
			res, err := http.PostForm(e.URL+"/m/oewg-2019/register", f)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.status || !strings.Contains(string(b), "Informal intersessional consultative meeting") {
				t.Fatalf("%d, the answer does not name the meeting:\n%s", res.StatusCode, b)
			}
		})
	}
}

func TestPagesShowLabelsNotCodesAndOneDateFormat(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, f.e, "#m=a11y")

	// One format for a time across pages: api.js's meetingTime.
	oneTime := regexp.MustCompile(`^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M New York time \(E[SD]T\)$`)
	waitJS(t, ctx, `document.querySelector("#meetings-table tbody tr td:nth-child(3)") !== null`)
	times := map[string]string{
		"secretariat: registration closes": browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#meetings-table tbody tr td:nth-child(3)"))),
	}
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/summary/desk"))
	waitJS(t, ctx, `document.querySelector("#versions tr td:nth-child(4)") !== null`)
	times["desk: last change"] = browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#versions tr td:nth-child(4)")))
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/r/"+f.rec.token))
	waitJS(t, ctx, `[...document.querySelectorAll("#details dt")].some((n) => n.textContent === "Registered on")`)
	times["participant: registered on"] = browser.Value(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#details dt")].find((n) => n.textContent === "Registered on").nextElementSibling.textContent`))
	for where, got := range times {
		if !oneTime.MatchString(strings.TrimSpace(got)) {
			t.Errorf("%s shows %q, not the pages' one format", where, got)
		}
	}

	// "Point of order", not "Point Of Order".
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/console"))
	waitJS(t, ctx, `document.querySelector("#queue .kind-point_of_order") !== null`)
	if got := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#queue .kind-point_of_order").innerText`)); got != "Point of order" {
		t.Errorf("the console shows %q", got)
	}

	// The notes page names types, kinds and states; it shows no codes.
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/notes"))
	waitJS(t, ctx, `document.querySelector("button.entry") !== null`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("button.entry")))
	waitJS(t, ctx, `document.getElementById("editor-meta").textContent !== ""`)
	text := browser.Value(t, ctx, chromedp.Evaluate[string](`document.getElementById("notes-app").innerText`))
	if code := regexp.MustCompile(`\b(ngo|private_sector|academia|point_of_order|statement|done)\b`).FindString(text); code != "" {
		t.Errorf("the notes page shows the code %q:\n%s", code, text)
	}
}
