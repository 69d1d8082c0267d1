package faults_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"rostrum/internal/testenv"
)

// registrationCount is how many registrations meeting m holds.
func registrationCount(t *testing.T, admin *testenv.Client) int {
	t.Helper()
	var list struct{ Total int }
	admin.MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	return list.Total
}

func TestBadRegistrationInputGetsAClearErrorAndWritesNothing(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	valid := `{"organization":{"name":"Org","acronym":"","type":"ngo","country":"KE","website":"","ecosoc_status":"none"},"name":"Ana","email":"ana@example.org","job_title":"","consent":true}`
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	cases := []struct {
		name        string
		contentType string
		body        string
		status      int
	}{
		{"empty body", "application/json", "", 400},
		{"not JSON", "application/json", "name=Ana", 400},
		{"truncated JSON", "application/json", valid[:40], 400},
		{"trailing data", "application/json", valid + valid, 400},
		{"an array", "application/json", "[" + valid + "]", 400},
		{"unknown field", "application/json", strings.Replace(valid, `"consent":true`, `"consent":true,"status":"approved"`, 1), 400},
		{"unknown nested field", "application/json", strings.Replace(valid, `"type":"ngo"`, `"type":"ngo","id":1`, 1), 400},
		{"wrong type", "application/json", strings.Replace(valid, `"consent":true`, `"consent":"yes"`, 1), 400},
		{"huge nesting", "application/json", strings.Replace(valid, `"Ana"`, deep, 1), 413},
		{"deep nesting under the limit", "application/json", strings.Replace(valid, `"Ana"`, strings.Repeat("[", 10001)+strings.Repeat("]", 10001), 1), 400},
		{"invalid UTF-8 in a string", "application/json", strings.Replace(valid, "Ana", "An\xff\xfea", 1), 400},
		{"invalid UTF-8 in a key", "application/json", strings.Replace(valid, `"name":"Ana"`, `"na\xffme":"Ana"`, 1), 400},
		{"a NUL character", "application/json", strings.Replace(valid, "Ana", `An\u0000a`, 1), 422},
		{"text/plain", "text/plain", valid, 400},
		{"XML", "application/xml", "<registration/>", 400},
		{"no content type", "", valid, 400},
		{"oversized", "application/json", strings.Replace(valid, `"Ana"`, `"`+strings.Repeat("A", 70<<10)+`"`, 1), 413},
		{"a form with invalid UTF-8", "application/x-www-form-urlencoded", "org_name=Org&org_type=ngo&org_country=KE&org_ecosoc_status=none&name=An%FFa&email=ana%40example.org&consent=on", 422},
	}
	anon := e.Anon()
	for _, tc := range cases {
		h := map[string]string{"Content-Type": tc.contentType}
		res := anon.DoHeaders("POST", "/api/meetings/m/registrations", []byte(tc.body), h)
		if res.Status != tc.status {
			t.Errorf("%s: %d, want %d: %.300s", tc.name, res.Status, tc.status, res.Body)
			continue
		}
		var eb errBody
		res.Decode(t, &eb)
		if eb.Error == "" || strings.Contains(eb.Error, "\xff") || len(eb.Error) > 300 {
			t.Errorf("%s: error %q is not a clear, short message", tc.name, eb.Error)
		}
	}
	if n := registrationCount(t, admin); n != 0 {
		t.Fatalf("bad input stored %d registrations", n)
	}
	// The server is healthy and the valid body still registers.
	anon.MustJSON("POST", "/api/meetings/m/registrations", []byte(valid), 201, nil)
}

func TestMultipartRegistrationWithHugeFieldsIsRefused(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"org_name": strings.Repeat("O", 100<<10), "org_type": "ngo", "org_country": "KE",
		"org_ecosoc_status": "none", "name": "Ana", "email": "ana@example.org", "consent": "on"} {
		_ = w.WriteField(k, v)
	}
	w.Close()
	res := e.Anon().DoHeaders("POST", "/api/meetings/m/registrations", buf.Bytes(), map[string]string{"Content-Type": w.FormDataContentType()})
	if res.Status != 413 {
		t.Fatalf("%d, want 413: %s", res.Status, res.Body)
	}
	if n := registrationCount(t, admin); n != 0 {
		t.Fatalf("stored %d", n)
	}
}

func TestBadStaffInputGetsAClearErrorAndWritesNothing(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	for name, body := range map[string]string{
		"huge nesting":  `{"slug":"x","title":` + deep + `}`,
		"invalid UTF-8": `{"slug":"x","title":"T\xc3\x28"}`,
		"unknown field": `{"slug":"x","title":"T","owner":"me"}`,
		"not an object": `"x"`,
	} {
		res := admin.DoHeaders("POST", "/api/meetings", []byte(body), nil)
		if res.Status != 400 && res.Status != 413 {
			t.Errorf("%s: %d, want 400 or 413: %.200s", name, res.Status, res.Body)
		}
	}
	var list struct{ Meetings []any }
	admin.MustJSON("GET", "/api/meetings", nil, 200, &list)
	if len(list.Meetings) != 0 {
		t.Fatalf("bad input created %d meetings", len(list.Meetings))
	}
}

// A body announced larger than body_limit is refused with 413 before it
// is read (a client that insists on writing it sees the connection close).
func TestBodyOverTheServerLimitIsRefusedBeforeItIsRead(t *testing.T) {
	e := testenv.New(t)
	c, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/meetings/m/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", 50<<20)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 413 || !strings.Contains(string(b), "too large") {
		t.Fatalf("%d %s, want 413 saying the body is too large", res.StatusCode, b)
	}
	e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
}
