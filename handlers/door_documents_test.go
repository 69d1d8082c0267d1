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
	"time"

	"golang.org/x/text/unicode/norm"

	"rostrum/internal/mailtest"
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

// listMeeting is a meeting with Singapore's delegation (its head and a
// member), an IGO, NGOs and an academic institution, all approved.
func listMeeting(t *testing.T) *testenv.Env {
	t.Helper()
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	importMissions(t, e, singapore)
	tok := invite(t, e, srv, "m", singapore)["SG"]
	focal := e.Participant(tok)
	focal.MustJSON("POST", "/api/delegation/members", map[string]any{"name": "Tan Wei Ling", "email": "tan@example.org", "job_title": "Counsellor"}, 201, nil)
	focal.MustJSON("POST", "/api/delegation/members", map[string]any{"name": "David Koh", "email": "koh@example.org", "job_title": "Ambassador", "head": true}, 201, nil)
	typed := func(org, name, typ string) {
		b := testenv.RegistrationBody(org, name, strings.ToLower(strings.Fields(name)[0])+"@example.org")
		b["organization"].(map[string]any)["type"] = typ
		r := mustRegister(t, e, "m", b)
		decide(e.Admin(), r.ID, "approve", 200)
	}
	typed("Zeta Network", "Zoe Zed", "ngo")
	typed("Access Now", "Ana Souza", "ngo")
	typed("International Telecommunication Union", "Ingrid Olsen", "intergovernmental")
	typed("北京大学网络法研究中心", "王小明", "academia")
	typed("منظمة الإنترنت العربية", "ليلى حداد", "ngo")
	return e
}

// inOrder reports whether each of want appears in text after the one
// before it.
func inOrder(text string, want ...string) bool {
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			return false
		}
		at += i + len(w)
	}
	return true
}

func TestTheListOfParticipantsPutsStatesFirstThenOrganizationsByType(t *testing.T) {
	e := listMeeting(t)
	res := e.Staff(models.RoleRapporteur).MustJSON("GET", "/api/meetings/m/participants.pdf", nil, 200, nil)
	text := popplerText(t, res.Body)
	if !inOrder(text, "List of participants", "Member States", "Singapore", "David Koh, Ambassador (Head of delegation)", "Tan Wei Ling, Counsellor",
		"Intergovernmental organizations and UN entities", "International Telecommunication Union", "Ingrid Olsen, Policy officer",
		"Non-governmental organizations", "Access Now", "Ana Souza, Policy officer", "Zeta Network", "Zoe Zed",
		"Academic and research institutions", "北京大学网络法研究中心", "王小明") {
		t.Fatalf("the list is not in the UN's order:\n%s", text)
	}
	if !strings.Contains(text, "ليلى حداد") || !strings.Contains(text, "منظمة الإنترنت العربية") {
		t.Fatalf("the Arabic names are missing:\n%s", text)
	}
	// The DOCX says the same, as LibreOffice reads it.
	res = e.Admin().MustJSON("GET", "/api/meetings/m/participants.docx", nil, 200, nil)
	docx := libreOfficeText(t, res.Body)
	if !inOrder(docx, "Member States", "Singapore", "David Koh", "Non-governmental organizations", "Access Now", "Ana Souza", "王小明") {
		t.Fatalf("the DOCX in LibreOffice:\n%s", docx)
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/participants.txt", nil, 404, nil)
	e.Anon().MustJSON("GET", "/api/meetings/m/participants.pdf", nil, 401, nil)
}

func TestThePublicListOfParticipantsNamesNoPersonAndWaitsForTheMeeting(t *testing.T) {
	e := listMeeting(t)
	var eb errBody
	e.Anon().MustJSON("GET", "/api/meetings/m/participants.pdf?public=1", nil, 403, &eb)
	if eb.Code != "meeting_not_started" {
		t.Fatalf("%+v", eb)
	}
	// The meeting starts (its dates moved to now).
	now := time.Now().UTC()
	e.Admin().MustJSON("PATCH", "/api/meetings/m", map[string]any{
		"starts_at": now.Add(-time.Hour).Format(time.RFC3339), "ends_at": now.Add(48 * time.Hour).Format(time.RFC3339),
		"registration_closes_at": now.Add(-2 * time.Hour).Format(time.RFC3339),
	}, 200, nil)
	for _, format := range []string{"pdf", "docx"} {
		res := e.Anon().MustJSON("GET", "/api/meetings/m/participants."+format+"?public=1", nil, 200, nil)
		var text string
		if format == "pdf" {
			text = popplerText(t, res.Body)
		} else {
			text = libreOfficeText(t, res.Body)
		}
		if !inOrder(text, "Member States", "Singapore", "Intergovernmental", "International Telecommunication Union", "Non-governmental organizations", "Access Now") {
			t.Fatalf("public %s:\n%s", format, text)
		}
		for _, person := range []string{"David Koh", "Tan Wei Ling", "Ana Souza", "王小明", "ليلى حداد", "Policy officer"} {
			if strings.Contains(text, person) {
				t.Errorf("the public %s names %q", format, person)
			}
		}
	}
}

// libreOfficeText converts a DOCX to PDF with LibreOffice and reads its text.
func libreOfficeText(t *testing.T, docx []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("ROSTRUM_SKIP_LIBREOFFICE") != "" {
			t.Skip("no LibreOffice and ROSTRUM_SKIP_LIBREOFFICE is set")
		}
		t.Fatal("soffice not found: install Debian's libreoffice-writer-nogui (the README's test command does) or set ROSTRUM_SKIP_LIBREOFFICE")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "l.docx"), docx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, "l.docx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "l.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice did not convert the DOCX: %v", err)
	}
	return popplerText(t, pdf)
}
