package handlers_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// renderCounter counts the renderings of a meeting's documents by
// version and format, through the summary service's hook.
type renderCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func countRenders(e *testenv.Env) *renderCounter {
	rc := &renderCounter{n: map[string]int{}}
	e.App.Handler.Summary.OnRender = func(_ uint, version int, format string) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.n[fmt.Sprintf("%d.%s", version, format)]++
	}
	return rc
}

func (rc *renderCounter) get(key string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.n[key]
}

// circulateVersion drafts, approves and circulates the next version.
func circulateVersion(t testing.TB, admin *testenv.Client, slug string) int {
	t.Helper()
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/"+slug+"/summary", nil, 201, &v)
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/summary/%d/approve", slug, v.Version), nil, 200, nil)
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/summary/%d/circulate", slug, v.Version), nil, 202, nil)
	return v.Version
}

// TestPrivateAnswersAreNeverStored checks Cache-Control route by route
// (finding 10 of the security review): every API answer is no-store
// unless it is the public, circulated summary.
func TestPrivateAnswersAreNeverStored(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "cc", models.AttributionAttributed)
	admin := e.Admin()
	circulateVersion(t, admin, "cc") // version 1: public
	admin.MustJSON("POST", "/api/meetings/cc/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/cc/summary/2/approve", nil, 200, nil) // version 2: approved, staff only
	admin.MustJSON("POST", "/api/meetings/cc/summary", nil, 201, nil)           // version 3: a draft
	admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/cc/speakers/%d/note", r.speakers[0]), map[string]any{"text": "A note."}, 200, nil)

	anon, participant := e.Anon(), e.Participant(r.token)
	const private, public = "no-store", "public, no-cache"
	for _, c := range []struct {
		who          string
		client       *testenv.Client
		method, path string
		body         any
		status       int
		cache        string
	}{
		{"anonymous", anon, "GET", "/api/me", nil, 401, private},
		{"admin", admin, "GET", "/api/me", nil, 200, private}, // carries the CSRF token
		{"participant", participant, "GET", "/api/participant", nil, 200, private},
		{"participant", participant, "GET", "/api/floor", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/registrations", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/registrations.csv", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/notes", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary/3", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary/3/revisions", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary/3.pdf", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary/2.html", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/summary/2.docx", nil, 200, private},
		{"admin", admin, "POST", "/api/meetings/cc/summary/preview", map[string]string{"markdown": "# x"}, 200, private},
		{"admin", admin, "GET", "/api/meetings/cc/circulations/1", nil, 200, private},
		{"admin", admin, "GET", "/api/meetings", nil, 200, private},
		{"anonymous", anon, "GET", "/api/meetings/nowhere", nil, 404, private},
		{"anonymous", anon, "GET", "/api/meetings/cc/summary/2.pdf", nil, 401, private},
		{"anonymous", anon, "GET", "/r/" + r.token, nil, 200, private},
		{"anonymous", anon, "GET", "/api/meetings/cc/summary/latest", nil, 200, public},
		{"anonymous", anon, "GET", "/api/meetings/cc/summary/1.pdf", nil, 200, public},
		{"admin", admin, "GET", "/api/meetings/cc/summary/1.docx", nil, 200, public},
		{"anonymous", anon, "GET", "/m/cc/summary", nil, 200, "no-cache"},
	} {
		res := c.client.Do(c.method, c.path, c.body)
		if res.Status != c.status {
			t.Errorf("%s %s %s: status %d, want %d: %.200s", c.who, c.method, c.path, res.Status, c.status, res.Body)
		}
		if got := res.Header.Get("Cache-Control"); got != c.cache {
			t.Errorf("%s %s %s: Cache-Control %q, want %q", c.who, c.method, c.path, got, c.cache)
		}
	}
}

// TestPublicSummaryIsRenderedOncePerVersion checks that the public page's
// summary and its documents are rendered once per circulated version,
// carry an ETag, answer 304 to a client that holds it, and change when a
// new version is circulated.
func TestPublicSummaryIsRenderedOncePerVersion(t *testing.T) {
	e := testenv.New(t)
	seedRecordedMeeting(t, e, "pub", models.AttributionAttributed)
	renders := countRenders(e)
	admin := e.Admin()
	circulateVersion(t, admin, "pub")
	anon := e.Anon()

	for _, path := range []string{"/api/meetings/pub/summary/latest", "/api/meetings/pub/summary/1.pdf", "/api/meetings/pub/summary/1.docx"} {
		first := anon.Do("GET", path, nil)
		second := anon.Do("GET", path, nil)
		tag := first.Header.Get("ETag")
		if first.Status != 200 || second.Status != 200 || tag == "" || second.Header.Get("ETag") != tag || string(first.Body) != string(second.Body) {
			t.Fatalf("GET %s twice: %d %d, ETags %q %q", path, first.Status, second.Status, tag, second.Header.Get("ETag"))
		}
		again := anon.DoHeaders("GET", path, nil, map[string]string{"If-None-Match": tag})
		if again.Status != 304 || len(again.Body) != 0 || again.Header.Get("ETag") != tag {
			t.Errorf("GET %s with If-None-Match %s: %d, %d bytes", path, tag, again.Status, len(again.Body))
		}
		if other := anon.DoHeaders("GET", path, nil, map[string]string{"If-None-Match": `"something-else"`}); other.Status != 200 {
			t.Errorf("GET %s with another ETag: %d", path, other.Status)
		}
	}
	for _, key := range []string{"1.fragment", "1.pdf", "1.docx"} {
		if n := renders.get(key); n != 1 {
			t.Errorf("version %s rendered %d times, want once", key, n)
		}
	}

	old := anon.Do("GET", "/api/meetings/pub/summary/latest", nil).Header.Get("ETag")
	circulateVersion(t, admin, "pub")
	var latest versionOut
	res := anon.DoHeaders("GET", "/api/meetings/pub/summary/latest", nil, map[string]string{"If-None-Match": old})
	if res.Status != 200 {
		t.Fatalf("after version 2 circulated, the old ETag got %d", res.Status)
	}
	res.Decode(t, &latest)
	if latest.Version != 2 || res.Header.Get("ETag") == old || res.Header.Get("ETag") == "" {
		t.Errorf("after version 2 circulated: version %d, ETag %q (was %q)", latest.Version, res.Header.Get("ETag"), old)
	}
	if n := renders.get("2.fragment"); n != 1 {
		t.Errorf("version 2 rendered %d times", n)
	}
}

// BenchmarkPublicSummary is the public summary's requests, as a reader's
// browser makes them, for a summary of 1,000 numbered paragraphs.
func BenchmarkPublicSummary(b *testing.B) {
	e := testenv.New(b)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", meetingInput("bench"), 201, nil)
	var md strings.Builder
	md.WriteString("# Chair's Summary\n\n")
	for i := range 1000 {
		fmt.Fprintf(&md, "%d. The representative of Organización %d (東京, Ελλάδα) stressed **capacity-building** and the [norms](https://un.org/%d).\n", i+1, i, i)
	}
	admin.MustJSON("POST", "/api/meetings/bench/summary", nil, 201, nil)
	admin.MustJSON("PUT", "/api/meetings/bench/summary/1", map[string]string{"markdown": md.String()}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/bench/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/bench/summary/1/circulate", map[string]any{"extra": []string{"reader@example.org"}}, 202, nil)
	anon := e.Anon()
	for _, path := range []string{"/api/meetings/bench/summary/latest", "/api/meetings/bench/summary/1.pdf", "/api/meetings/bench/summary/1.docx"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				res := anon.Do("GET", path, nil)
				if res.Status != 200 {
					b.Fatalf("%d", res.Status)
				}
				size = len(res.Body)
			}
			b.ReportMetric(float64(size), "body-bytes")
		})
	}
}
