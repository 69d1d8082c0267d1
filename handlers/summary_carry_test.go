package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// paragraphWith is the paragraph (block between blank lines) of md that
// contains s.
func paragraphWith(t *testing.T, md, s string) string {
	t.Helper()
	for _, p := range strings.Split(md, "\n\n") {
		if strings.Contains(p, s) {
			return strings.Trim(p, "\n")
		}
	}
	t.Fatalf("no paragraph with %q in:\n%s", s, md)
	return ""
}

func keyPoint(theme, text string) map[string]any {
	return map[string]any{"text": text, "key_points": []map[string]string{{"theme": theme, "text": text}}}
}

// TestANewVersionKeepsTheSecretariatsEdits: version 2, built after a new
// note, has the new note's paragraph and still the paragraph the
// secretariat rewrote in version 1.
func TestANewVersionKeepsTheSecretariatsEdits(t *testing.T) {
	for _, builtBefore0014 := range []bool{false, true} {
		t.Run(fmt.Sprintf("version 1 built before its generated text was kept: %v", builtBefore0014), func(t *testing.T) {
			keepsTheSecretariatsEdits(t, builtBefore0014)
		})
	}
}

func keepsTheSecretariatsEdits(t *testing.T, builtBefore0014 bool) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "carry", models.AttributionChathamHouse)
	admin := e.Admin()
	note := func(i int, theme, text string) {
		admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/carry/speakers/%d/note", r.speakers[i]), keyPoint(theme, text), 200, nil)
	}
	note(0, "Critical infrastructure", "Protect hospitals")
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/carry/summary", nil, 201, &v)
	if builtBefore0014 {
		// Then the merge's base is the version's first revision.
		if err := e.App.DB.Table("summary_versions").Where("number = 1").Update("generated", "").Error; err != nil {
			t.Fatal(err)
		}
	}
	old := paragraphWith(t, v.Markdown, "protecting hospitals")
	num := old[:strings.Index(old, " ")]
	mine := num + " The Chair heard a call to keep hospitals out of harm's way."
	admin.MustJSON("PUT", "/api/meetings/carry/summary/1", map[string]string{"markdown": strings.Replace(v.Markdown, old, mine, 1)}, 200, nil)

	note(1, "Capacity building", "Train the trainers") // under the second agenda item
	admin.MustJSON("POST", "/api/meetings/carry/summary", nil, 201, &v)
	if v.Version != 2 {
		t.Fatalf("version %d", v.Version)
	}
	if !strings.Contains(v.Markdown, "\n\n"+mine+"\n\n") {
		t.Errorf("version 2 lost the secretariat's edit:\n%s", v.Markdown)
	}
	if strings.Contains(v.Markdown, "protecting hospitals") {
		t.Errorf("version 2 has the paragraph the secretariat rewrote:\n%s", v.Markdown)
	}
	if !strings.Contains(strings.ToLower(v.Markdown), "the trainers") {
		t.Errorf("version 2 lacks the new note:\n%s", v.Markdown)
	}
	if strings.Contains(v.Markdown, "<!-- conflict") {
		t.Errorf("a clean merge has conflict markers:\n%s", v.Markdown)
	}
	admin.MustJSON("POST", "/api/meetings/carry/summary/2/approve", nil, 200, nil)
}

// TestAConflictingEditBlocksApprovalUntilResolved: the secretariat and the
// generator both changed a paragraph; version 2 keeps both between
// markers, lists the conflict, and is approved only once the secretariat
// has kept one text.
func TestAConflictingEditBlocksApprovalUntilResolved(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "clash", models.AttributionChathamHouse)
	admin := e.Admin()
	note := func(i int, theme, text string) {
		admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/clash/speakers/%d/note", r.speakers[i]), keyPoint(theme, text), 200, nil)
	}
	note(0, "Critical infrastructure", "Protect hospitals")
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/clash/summary", nil, 201, &v)
	old := paragraphWith(t, v.Markdown, "protecting hospitals")
	mine := old[:strings.Index(old, " ")] + " The Chair heard a call to keep hospitals out of harm's way."
	admin.MustJSON("PUT", "/api/meetings/clash/summary/1", map[string]string{"markdown": strings.Replace(v.Markdown, old, mine, 1)}, 200, nil)

	note(2, "Critical infrastructure", "Protect water utilities") // the same theme, the same item: the same paragraph
	var v2 struct {
		versionOut
		Conflicts []struct {
			Number int `json:"number"`
			Line   int `json:"line"`
		} `json:"conflicts"`
	}
	admin.MustJSON("POST", "/api/meetings/clash/summary", nil, 201, &v2)
	md := v2.Markdown
	if len(v2.Conflicts) != 1 || !strings.Contains(md, "<!-- conflict 1: the secretariat's text -->\n\n"+mine+"\n\n<!-- conflict 1: the text generated for version 2 -->") {
		t.Fatalf("conflicts %+v in:\n%s", v2.Conflicts, md)
	}
	if got := strings.Split(md, "\n")[v2.Conflicts[0].Line-1]; !strings.HasPrefix(got, "<!-- conflict 1:") {
		t.Errorf("the conflict's line is %q", got)
	}
	res := admin.Do("POST", "/api/meetings/clash/summary/2/approve", nil)
	if res.Status != 409 || !strings.Contains(string(res.Body), `"code":"unresolved_conflicts"`) {
		t.Fatalf("approve with a conflict: %d %s", res.Status, res.Body)
	}
	var html struct {
		HTML string `json:"html"`
	}
	admin.MustJSON("POST", "/api/meetings/clash/summary/preview", map[string]string{"markdown": md}, 200, &html)
	if strings.Contains(html.HTML, "&lt;!--") || !strings.Contains(html.HTML, "[conflict 1: the secretariat") {
		t.Errorf("the preview shows the markers as: %s", html.HTML)
	}

	// The secretariat keeps its own text and removes the generated one.
	start := strings.Index(md, "<!-- conflict 1: the secretariat's text -->")
	mid := strings.Index(md, "<!-- conflict 1: the text generated")
	end := strings.Index(md, "<!-- end of conflict 1 -->")
	resolved := md[:start] + mine + md[end+len("<!-- end of conflict 1 -->"):]
	if !strings.Contains(md[mid:end], "water utilities") {
		t.Errorf("the generated side lacks the new note: %s", md[mid:end])
	}
	admin.MustJSON("PUT", "/api/meetings/clash/summary/2", map[string]string{"markdown": resolved}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/clash/summary/2/approve", nil, 200, nil)
}

// TestTheDeskListsTheConflictsOfTheOpenVersion: the desk counts the
// conflicts of a merged draft, jumps to each, and forgets one once the
// secretariat has resolved it.
func TestTheDeskListsTheConflictsOfTheOpenVersion(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "deskc", models.AttributionChathamHouse)
	admin := e.Admin()
	note := func(i int, theme, text string) {
		admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/deskc/speakers/%d/note", r.speakers[i]), keyPoint(theme, text), 200, nil)
	}
	note(0, "Critical infrastructure", "Protect hospitals")
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/deskc/summary", nil, 201, &v)
	old := paragraphWith(t, v.Markdown, "protecting hospitals")
	mine := old[:strings.Index(old, " ")] + " The Chair heard a call to keep hospitals out of harm's way."
	admin.MustJSON("PUT", "/api/meetings/deskc/summary/1", map[string]string{"markdown": strings.Replace(v.Markdown, old, mine, 1)}, 200, nil)
	note(2, "Critical infrastructure", "Protect water utilities")
	admin.MustJSON("POST", "/api/meetings/deskc/summary", nil, 201, nil)

	ctx := browser.New(t)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/deskc/summary/desk"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="email"]`), testenv.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="password"]`), testenv.Password),
		chromedp.Click(chromedp.CSS(`#login button`)),
		chromedp.WaitVisible(chromedp.CSS("#conflicts")),
	)
	waitJS(t, ctx, `document.getElementById('version-h').textContent === 'Version 2 · draft' && document.getElementById('conflicts-count').textContent.startsWith('1 conflict') && document.querySelectorAll('#conflicts-list button').length === 1`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#conflicts-list button")))
	waitJS(t, ctx, `(() => { const ta = document.getElementById('markdown'); return document.activeElement === ta && ta.value.slice(ta.selectionStart, ta.selectionEnd) === "<!-- conflict 1: the secretariat's text -->"; })()`)
	browser.Value(t, ctx, chromedp.Evaluate[bool](`(() => {
		const ta = document.getElementById('markdown');
		ta.value = ta.value.replace(/<!-- (end of )?conflict 1[^\n]*-->\n\n/g, '');
		ta.dispatchEvent(new Event('input'));
		return true;
	})()`))
	waitJS(t, ctx, `document.getElementById('conflicts').hidden`)
}
