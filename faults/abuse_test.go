package faults_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/app"
	"rostrum/auth"
	"rostrum/internal/apiclient"
	"rostrum/internal/testenv"
)

// clientFrom returns an HTTP client whose connections leave from the
// loopback address src (127.0.0.2 is another client address to the
// server, without leaving the machine).
func clientFrom(src string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

func postJSON(t *testing.T, c *http.Client, url string, body any) *http.Response {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := c.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestRegistrationIsRateLimitedPerClientAddressWith429AndRetryAfter(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RegistrationRateLimit = 3
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	url := e.URL + "/api/meetings/m/registrations"
	one := clientFrom("127.0.0.1")
	for i := range 3 {
		// Failed attempts count too: a script cannot probe for free.
		body := testenv.RegistrationBody("Org", "P", fmt.Sprintf("a%d@example.org", i))
		if i == 2 {
			body["consent"] = false
		}
		want := map[bool]int{true: 422, false: 201}[i == 2]
		if res := postJSON(t, one, url, body); res.StatusCode != want {
			t.Fatalf("attempt %d: %d, want %d", i+1, res.StatusCode, want)
		}
	}
	b, _ := json.Marshal(testenv.RegistrationBody("Org", "P", "over@example.org"))
	res, err := one.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var eb errBody
	_ = json.NewDecoder(res.Body).Decode(&eb)
	res.Body.Close()
	if res.StatusCode != 429 {
		t.Fatalf("4th registration from one address: %d, want 429", res.StatusCode)
	}
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q, want 1 to 60 seconds", res.Header.Get("Retry-After"))
	}
	if !strings.Contains(eb.Error, "too many registrations") {
		t.Fatalf("error %q does not say why", eb.Error)
	}
	// Nothing was written by the refused request.
	var list struct{ Total int }
	e.Admin().MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	if list.Total != 2 {
		t.Fatalf("%d registrations stored, want 2", list.Total)
	}
	// The HTML form shares the count: it cannot be used to get round it.
	form := "org_name=Org&org_type=ngo&org_country=KE&org_ecosoc_status=none&name=F&email=form%40example.org&consent=on"
	fres, err := one.Post(e.URL+"/m/m/register", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	fres.Body.Close()
	if fres.StatusCode != 429 || fres.Header.Get("Retry-After") == "" {
		t.Fatalf("the HTML form after the limit: %d, want 429 with Retry-After", fres.StatusCode)
	}
	// Another address is not held back by the first one's count.
	if res := postJSON(t, clientFrom("127.0.0.2"), url, testenv.RegistrationBody("Org", "Q", "other@example.org")); res.StatusCode != 201 {
		t.Fatalf("registration from another address: %d, want 201", res.StatusCode)
	}
	// Reading is not limited.
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, nil)
}

func postFromBehind(t *testing.T, c *http.Client, url, realIP string, body any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Real-IP", realIP)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Behind a trusted proxy the limit counts each client by the proxy's
// header; a client elsewhere cannot dodge it by sending that header.
func TestRegistrationRateLimitCountsClientsBehindATrustedProxy(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RegistrationRateLimit = 2
	cfg.ProxyHeader, cfg.TrustedProxies = "X-Real-IP", "127.0.0.1"
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	url := e.URL + "/api/meetings/m/registrations"
	proxy := clientFrom("127.0.0.1")
	n := 0
	body := func() any {
		n++
		return testenv.RegistrationBody(fmt.Sprintf("Org %d", n), "P", fmt.Sprintf("proxy%d@example.org", n))
	}
	for i, want := range []int{201, 201, 429} {
		if got := postFromBehind(t, proxy, url, "203.0.113.5", body()); got != want {
			t.Fatalf("client A behind the proxy, attempt %d: %d, want %d", i+1, got, want)
		}
	}
	if got := postFromBehind(t, proxy, url, "203.0.113.6", body()); got != 201 {
		t.Fatalf("client B behind the proxy: %d, want 201", got)
	}
	// 127.0.0.9 is no trusted proxy: its header is ignored.
	direct := clientFrom("127.0.0.9")
	for i, want := range []int{201, 201, 429} {
		if got := postFromBehind(t, direct, url, fmt.Sprintf("198.51.100.%d", i), body()); got != want {
			t.Fatalf("untrusted client changing X-Real-IP, attempt %d: %d, want %d", i+1, got, want)
		}
	}
}

func TestRegistrationRateLimitZeroLetsARushThrough(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RegistrationRateLimit = 0
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	for range 30 {
		register(t, e, "m")
	}
}

func TestLoginIsThrottledAfterFailedAttempts(t *testing.T) {
	cfg := testenv.Config(t)
	e := testenv.Start(t, cfg)
	anon := e.Anon()
	// Successful logins do not count towards the limit.
	for range 3 {
		e.Admin()
	}
	bad := map[string]string{"email": testenv.AdminEmail, "password": "wrong password"}
	for i := range 10 {
		if res := anon.Do("POST", "/api/login", bad); res.Status != 401 {
			t.Fatalf("failed login %d: %d, want 401", i+1, res.Status)
		}
	}
	res := anon.Do("POST", "/api/login", bad)
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th failed login: %d Retry-After %q, want 429 with Retry-After", res.Status, res.Header.Get("Retry-After"))
	}
	// The right password from the same address is held back too: guessing
	// cannot go on by slipping in a good one.
	if res := anon.Do("POST", "/api/login", map[string]string{"email": testenv.AdminEmail, "password": testenv.Password}); res.Status != 429 {
		t.Fatalf("login after throttle: %d, want 429", res.Status)
	}
	// Another address still logs in.
	b, _ := json.Marshal(map[string]string{"email": testenv.AdminEmail, "password": testenv.Password})
	r2, err := clientFrom("127.0.0.3").Post(e.URL+"/api/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 200 {
		t.Fatalf("login from another address: %d", r2.StatusCode)
	}
}

func TestTokensAreLongRandomAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := auth.NewToken()
		if len(tok) < 43 || seen[tok] {
			t.Fatalf("token %q short or repeated", tok)
		}
		seen[tok] = true
	}
	if !auth.EqualTokens("abc", "abc") || auth.EqualTokens("abc", "abd") || auth.EqualTokens("abc", "abcd") {
		t.Fatal("EqualTokens compares wrongly")
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestTokensAndSecretsNeverReachTheLogs(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := testenv.StartLogging(t, testenv.Config(t), log)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	r := register(t, e, "m")
	tok := r.Token()
	p := e.Participant(tok)
	p.MustJSON("GET", "/api/participant", nil, 200, nil)
	p.MustJSON("PUT", "/api/participant", map[string]string{"name": "Renamed", "job_title": "x"}, 200, nil)
	e.Anon().MustJSON("GET", "/r/"+tok, nil, 200, nil)
	e.Anon().Do("GET", "/api/participant?token="+tok, nil)
	e.Anon().Do("GET", "/ws/meetings/m?token="+tok, nil)
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", r.ID), map[string]string{"decision": "approve", "reason": "ok"}, 200, nil)
	// The live list: the token in a websocket address, a command over it,
	// and a forged token refused at the upgrade.
	var it struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "Item", "speaking_time_seconds": 60}, 201, &it)
	ws, _, err := websocket.DefaultDialer.Dial(apiclient.LiveURL(e.URL, "m", tok), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := wsCommand(t, ws, "floor", map[string]any{"action": "add_speaker", "item_id": it.ID}); r.Type != "ack" {
		t.Fatalf("participant's command: %+v", r)
	}
	ws.Close()
	if _, res, _ := websocket.DefaultDialer.Dial(apiclient.LiveURL(e.URL, "m", auth.NewToken()), nil); res == nil || res.StatusCode != 401 {
		t.Fatalf("forged token on the websocket: %v", res)
	}
	// A wrong token and a wrong password are secrets of their senders too.
	wrong := auth.NewToken()
	e.Participant(wrong).Do("GET", "/api/participant", nil)
	e.Anon().Do("POST", "/api/login", map[string]string{"email": testenv.AdminEmail, "password": "my-secret-guess"})
	p.MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)

	out := logs.String()
	if !strings.Contains(out, "request") {
		t.Fatalf("captured no request logs; the test would prove nothing:\n%s", out)
	}
	cookies := admin.HTTP.Jar.Cookies(mustURL(e.URL))
	secrets := map[string]string{"participant token": tok, "wrong token": wrong, "token hash": auth.HashToken(tok),
		"password": testenv.Password, "guessed password": "my-secret-guess", "CSRF token": admin.CSRF}
	for _, c := range cookies {
		secrets["cookie "+c.Name] = c.Value
	}
	for what, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the %s appears in the logs", what)
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Behind several instances on one PostgreSQL database the throttles keep
// one count: a client that spreads its attempts over the instances gets
// no more than its allowance (each instance counting apart would give it
// that much at each).
func TestThrottlesCountAcrossInstancesOnPostgres(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	limit := func(c *app.Config) { c.RegistrationRateLimit = 3 }
	a := testenv.New(t, testenv.WithDB(dsn), limit)
	b := testenv.New(t, testenv.WithDB(dsn), limit)
	createMeeting(t, a.Admin(), "m", 0, 0)
	one := clientFrom("127.0.0.1")
	urls := []string{a.URL, b.URL, a.URL, b.URL}
	for i, u := range urls {
		res := postJSON(t, one, u+"/api/meetings/m/registrations", testenv.RegistrationBody("Org", "P", fmt.Sprintf("spread%d@example.org", i)))
		want := map[bool]int{true: 429, false: 201}[i == 3]
		if res.StatusCode != want {
			t.Fatalf("registration %d (instance %d): %d, want %d", i+1, i%2+1, res.StatusCode, want)
		}
	}
	// Failed logins likewise: ten in all, spread over both, then 429 on
	// either.
	// One client, one address, talking to both instances.
	onA := a.Anon()
	onB := *onA
	onB.Base = b.URL
	clients := []*testenv.Client{onA, &onB}
	bad := map[string]string{"email": testenv.AdminEmail, "password": "wrong password"}
	for i := range 10 {
		if res := clients[i%2].Do("POST", "/api/login", bad); res.Status != 401 {
			t.Fatalf("failed login %d: %d, want 401", i+1, res.Status)
		}
	}
	for i, c := range clients {
		if res := c.Do("POST", "/api/login", bad); res.Status != 429 {
			t.Fatalf("instance %d after ten failures on both: %d, want 429", i+1, res.Status)
		}
	}
}
