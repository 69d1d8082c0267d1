package handlers_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// popplerText is a PDF's text by pdftotext, without the bidirectional
// marks it adds and with Arabic's joined forms read back as letters.
func popplerText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v: %s", err, out)
	}
	s := strings.Map(func(r rune) rune {
		if r >= 0x202A && r <= 0x202E || r == 0x200E || r == 0x200F {
			return -1
		}
		return r
	}, string(out))
	return norm.NFKC.String(strings.Join(strings.Fields(s), " "))
}

// popplerInfo is a PDF's page count and page size by pdfinfo.
func popplerInfo(t *testing.T, pdf []byte) (pages int, size string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(string(out)); m != nil {
		fmt.Sscan(m[1], &pages)
	}
	if m := regexp.MustCompile(`(?m)^Page size:\s+(.+)$`).FindStringSubmatch(string(out)); m != nil {
		size = strings.TrimSpace(m[1])
	}
	return pages, size
}

// doorMeeting is a meeting with nine approved participants, among them
// an Arabic and a Chinese name, and one pending.
func doorMeeting(t *testing.T, e *testenv.Env) (arabic, chinese testenv.Registered) {
	t.Helper()
	registrationMeeting(t, e, "m", 0, 0)
	arabic = approvedIn(t, e, "m", "منظمة الإنترنت العربية", "ليلى حداد")
	chinese = approvedIn(t, e, "m", "北京大学网络法研究中心", "王小明")
	for i := 1; i <= 7; i++ {
		approvedIn(t, e, "m", fmt.Sprintf("Org %d", i), fmt.Sprintf("Person%d Example", i))
	}
	mustRegister(t, e, "m", testenv.RegistrationBody("Pending Org", "Pat Pending", "pat@example.org"))
	return arabic, chinese
}

func TestBadgesPrintEightToAnA4SheetWithEveryScriptAndItsCode(t *testing.T) {
	e := testenv.New(t)
	arabic, chinese := doorMeeting(t, e)
	door := e.Staff(models.RoleRegistrar)
	res := door.MustJSON("GET", "/api/meetings/m/badges.pdf?status=approved", nil, 200, nil)
	pages, size := popplerInfo(t, res.Body)
	if pages != 2 || !strings.Contains(size, "(A4)") {
		t.Fatalf("nine badges: %d pages of %s, want 2 A4 sheets", pages, size)
	}
	text := popplerText(t, res.Body)
	for _, want := range []string{"ليلى حداد", "منظمة الإنترنت العربية", "王小明", "北京大学网络法研究中心",
		"Person7 Example", "NON-GOVERNMENTAL ORGANIZATION", participantDoor(t, e, arabic.Token()).CheckinCode,
		participantDoor(t, e, chinese.Token()).CheckinCode} {
		if !strings.Contains(text, want) {
			t.Errorf("the badges lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Pat Pending") {
		t.Error("a pending registration has a badge")
	}
	// One a page, A6, for the chosen registrations only.
	res = e.Admin().MustJSON("GET", fmt.Sprintf("/api/meetings/m/badges.pdf?format=a6&ids=%d,%d", arabic.ID, chinese.ID), nil, 200, nil)
	pages, size = popplerInfo(t, res.Body)
	if pages != 2 || !strings.HasPrefix(size, "297.6") || !strings.Contains(size, "419.5") {
		t.Fatalf("two A6 badges: %d pages of %s", pages, size)
	}
	if text := popplerText(t, res.Body); strings.Contains(text, "Person1") || !strings.Contains(text, "王小明") {
		t.Fatalf("chosen badges:\n%s", text)
	}
	// Bad requests say what is wrong.
	var eb errBody
	door.MustJSON("GET", "/api/meetings/m/badges.pdf?format=a3", nil, 422, &eb)
	if eb.Fields["format"] == "" {
		t.Fatalf("%+v", eb)
	}
	door.MustJSON("GET", "/api/meetings/m/badges.pdf?ids=1,x", nil, 422, nil)
	door.MustJSON("GET", "/api/meetings/m/badges.pdf?status=pending", nil, 422, nil)
	door.MustJSON("GET", "/api/meetings/m/badges.pdf?ids=99999", nil, 422, nil)
}
