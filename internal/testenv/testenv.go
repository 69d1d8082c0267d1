// Package testenv starts a real Rostrum server for tests: a fresh database
// of its own, the HTTP server on a loopback port, and clients that log in
// as staff or act as participants, all through the public interfaces.
package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"rostrum/app"
	"rostrum/auth"
	"rostrum/internal/apiclient"
	"rostrum/internal/loopback"
)

// AdminEmail and Password are the credentials of the admin every Env has.
const (
	AdminEmail = "secretariat@example.org"
	Password   = "correct horse battery"
)

// Env is one running server with its own database.
type Env struct {
	T      testing.TB
	App    *app.App
	URL    string
	Config app.Config
	cancel context.CancelFunc
	done   chan struct{}
}

// Option changes the configuration before the server starts.
type Option func(*app.Config)

// WithSMTP points outgoing mail at a test SMTP server on addr's port.
func WithSMTP(host string, port int) Option {
	return func(c *app.Config) { c.SMTPHost, c.SMTPPort = host, port }
}

// WithDB runs the server on dsn instead of a fresh SQLite file.
func WithDB(dsn string) Option { return func(c *app.Config) { c.DB = dsn } }

// EngineEnv names the environment variable that moves every test server
// onto PostgreSQL: with ROSTRUM_TEST_ENGINE=postgres (and
// ROSTRUM_TEST_POSTGRES set) each test gets a fresh schema there instead
// of a fresh SQLite file, so the same tests prove both engines.
const EngineEnv = "ROSTRUM_TEST_ENGINE"

// Overridden lists the only keys in which a test server's configuration
// differs from what `go run .` runs with the shipped config.yaml: its own
// database, a free loopback port, and a mail server of the test's (or
// none). Anything else a test changes is what that test is about, and it
// says so by setting the key itself; TestConfigIsTheShippedOne holds this.
var Overridden = []string{"db", "listen", "smtp_host", "smtp_port"}

// ShippedConfigPath is the repository's config.yaml, the file `go run .`
// reads.
func ShippedConfigPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "config.yaml")
}

// Shipped returns the configuration `go run .` runs with: the defaults in
// code, then the shipped config.yaml (no environment).
func Shipped(t testing.TB) app.Config {
	t.Helper()
	cfg, err := app.LoadConfig(ShippedConfigPath(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Config returns the shipped configuration with a fresh SQLite database in
// t's temporary directory (or PostgreSQL schema, see EngineEnv), a free
// loopback port, and no mail server (nothing listens on port 1 unless a
// test says so).
func Config(t testing.TB) app.Config {
	cfg := Shipped(t)
	cfg.DB = filepath.Join(t.TempDir(), "rostrum.db")
	if os.Getenv(EngineEnv) == "postgres" {
		cfg.DB = PostgresDSN(t)
	}
	cfg.Listen = "127.0.0.1:0"
	cfg.SMTPPort = 1
	return cfg
}

// WithQuickMailRetries makes the outbox retry within a fraction of a
// second and take back the mail of a crashed server within seconds, for
// tests about mail that stop and restart their mail server.
func WithQuickMailRetries() Option {
	return func(c *app.Config) {
		c.SMTPRetryBase = 100 * time.Millisecond
		// The outbox lease is 6 × the SMTP timeout.
		c.SMTPTimeout = 2 * time.Second
	}
}

// Logger returns a logger that writes to the test log when ROSTRUM_TEST_LOG
// is set and discards otherwise.
func Logger(t testing.TB) *slog.Logger {
	if os.Getenv("ROSTRUM_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// New starts a server and stops it when the test ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	cfg := Config(t)
	for _, o := range opts {
		o(&cfg)
	}
	return Start(t, cfg)
}

// Start starts a server with cfg (its Listen may be host:0).
func Start(t testing.TB, cfg app.Config) *Env {
	t.Helper()
	return StartLogging(t, cfg, Logger(t))
}

// StartLogging is Start with the server's logs going to log (a test that
// checks what is logged, or never logged, captures them).
func StartLogging(t testing.TB, cfg app.Config, log *slog.Logger) *Env {
	t.Helper()
	a, err := app.New(cfg, log)
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	a.Auth.Cost = bcrypt.MinCost
	if _, err := a.Auth.EnsureAdmin(context.Background(), AdminEmail, Password); err != nil {
		t.Fatalf("create admin: %v", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Env{T: t, App: a, URL: "http://" + ln.Addr().String(), Config: cfg, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		if err := a.Serve(ctx, ln, 5*time.Second); err != nil {
			t.Logf("serve: %v", err)
		}
	}()
	t.Cleanup(e.Stop)
	return e
}

// Stop shuts the server down and waits for it.
func (e *Env) Stop() {
	e.cancel()
	<-e.done
}

// Client is an apiclient.Client (cookie jar, CSRF token once logged in,
// optionally a participant's bearer token) whose methods fail the test
// instead of returning an error. Its Do, which returns the whole answer,
// hides apiclient's Do; c.Client.Do is still there.
//
// A test may copy a Client and change the copy's CSRF, Bearer or Base:
// the copy shares the original's HTTP client and cookie jar, nothing else.
type Client struct {
	apiclient.Client
	T testing.TB
}

// Anon returns a client that is not logged in.
// Like a person in the room, it has an address of its own (see
// internal/loopback), so the server's per-address limits count it apart
// from every other client.
func (e *Env) Anon() *Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{DialContext: loopback.Dialer(loopback.Next()).DialContext, IdleConnTimeout: 30 * time.Second}
	e.T.Cleanup(tr.CloseIdleConnections)
	return &Client{T: e.T, Client: apiclient.Client{Base: e.URL, HTTP: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second}}}
}

// Participant returns a client carrying a participant's token.
func (e *Env) Participant(token string) *Client {
	c := e.Anon()
	c.Bearer = token
	return c
}

// Login returns a client logged in as email.
func (e *Env) Login(email, password string) *Client {
	e.T.Helper()
	c := e.Anon()
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	c.MustJSON("POST", "/api/login", map[string]string{"email": email, "password": password}, 200, &out)
	c.CSRF = out.CSRF
	return c
}

// Admin returns a client logged in as the secretariat admin.
func (e *Env) Admin() *Client { return e.Login(AdminEmail, Password) }

// Staff creates a staff account with role and returns a client logged in
// as it.
func (e *Env) Staff(role string) *Client {
	e.T.Helper()
	email := fmt.Sprintf("%s-%s@example.org", role, auth.NewToken()[:8])
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{Email: email, Role: role, Password: Password, Name: role}); err != nil {
		e.T.Fatal(err)
	}
	return e.Login(email, Password)
}

// Response is a finished request.
type Response apiclient.Response

// Decode unmarshals the body into v.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do sends a request. body may be nil, []byte/string (sent as is, JSON
// content type) or any value (encoded as JSON).
func (c *Client) Do(method, path string, body any) *Response {
	c.T.Helper()
	return c.DoHeaders(method, path, body, nil)
}

// DoHeaders is Do with extra headers (which may override the defaults;
// an empty value removes one).
func (c *Client) DoHeaders(method, path string, body any, headers map[string]string) *Response {
	c.T.Helper()
	res, err := c.Send(method, path, body, headers)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	return (*Response)(res)
}

// MustJSON sends a request, fails the test unless the answer has status
// want, and decodes the body into out (when out is not nil).
func (c *Client) MustJSON(method, path string, body any, want int, out any) *Response {
	c.T.Helper()
	res := c.Do(method, path, body)
	if res.Status != want {
		c.T.Fatalf("%s %s: status %d, want %d: %s", method, path, res.Status, want, res.Body)
	}
	if out != nil {
		res.Decode(c.T, out)
	}
	return res
}
