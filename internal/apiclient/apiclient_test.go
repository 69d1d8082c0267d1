package apiclient

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// received is what the echo server reports of a request.
type received struct {
	Method, Body, Type, CSRF, Auth string
}

// echo is a server that refuses /full with 409 and otherwise answers with
// what it received.
func echo(t *testing.T) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/full" {
			w.WriteHeader(http.StatusConflict)
			_, _ = io.WriteString(w, `{"code":"full"}`)
			return
		}
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(received{
			Method: r.Method, Body: string(b), Type: r.Header.Get("Content-Type"),
			CSRF: r.Header.Get("X-CSRF-Token"), Auth: r.Header.Get("Authorization"),
		})
	}))
	t.Cleanup(srv.Close)
	return New(srv.URL, 1)
}

func TestDoSendsJSONWithTheSessionsHeadersAndDecodesTheAnswer(t *testing.T) {
	c := echo(t)
	c.CSRF, c.Bearer = "csrf-1", "tok-1"
	var got received
	status, err := c.Do("POST", "/x", map[string]int{"n": 1}, &got)
	if err != nil || status != 200 {
		t.Fatalf("status %d, %v", status, err)
	}
	want := received{Method: "POST", Body: `{"n":1}`, Type: "application/json", CSRF: "csrf-1", Auth: "Bearer tok-1"}
	if got != want {
		t.Fatalf("server received %+v, want %+v", got, want)
	}
}

func TestDoReturnsANon2xxAnswerAsError(t *testing.T) {
	status, err := echo(t).Do("POST", "/full", nil, nil)
	var ae *Error
	if status != 409 || !errors.As(err, &ae) || ae.Status != 409 || ae.Body != `{"code":"full"}` {
		t.Fatalf("status %d, error %v", status, err)
	}
}

func TestSendPassesRawBodiesAndLetsHeadersOverrideOrRemoveTheDefaults(t *testing.T) {
	c := echo(t)
	c.CSRF = "csrf-1"
	for _, tc := range []struct {
		name    string
		body    any
		headers map[string]string
		want    received
	}{
		{"a string as it is", `{"a":`, nil, received{Method: "PUT", Body: `{"a":`, Type: "application/json", CSRF: "csrf-1"}},
		{"bytes as they are", []byte("not json"), map[string]string{"Content-Type": "text/plain"}, received{Method: "PUT", Body: "not json", Type: "text/plain", CSRF: "csrf-1"}},
		{"no body, CSRF removed", nil, map[string]string{"X-CSRF-Token": ""}, received{Method: "PUT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Send("PUT", "/x", tc.body, tc.headers)
			if err != nil || res.Status != 200 {
				t.Fatalf("%+v %v", res, err)
			}
			var got received
			if err := json.Unmarshal(res.Body, &got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("server received %+v, want %+v", got, tc.want)
			}
		})
	}
	if res, err := c.Send("GET", "/full", nil, nil); err != nil || res.Status != 409 {
		t.Fatalf("Send of a refused request: %+v %v (want the answer, no error)", res, err)
	}
}

// The cookies a server set come back as one Cookie header for a websocket
// dial, and the live URL is the same server's ws:// address.
func TestCookieHeaderAndLiveURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "b", Value: "2", Path: "/"})
	}))
	t.Cleanup(srv.Close)
	c := New(srv.URL, 1)
	if got := c.CookieHeader(); got != "" {
		t.Fatalf("before any answer: %q", got)
	}
	if _, err := c.Send("GET", "/", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := c.CookieHeader(); got != "a=1; b=2" {
		t.Fatalf("cookie header %q", got)
	}
	if got, want := LiveURL("http://127.0.0.1:8080", "oewg", "a b+c"), "ws://127.0.0.1:8080/ws/meetings/oewg?token=a+b%2Bc"; got != want {
		t.Fatalf("LiveURL %q, want %q", got, want)
	}
	if got := LiveURL("https://rostrum.example", "m", ""); got != "wss://rostrum.example/ws/meetings/m" {
		t.Fatalf("LiveURL over TLS %q", got)
	}
}
