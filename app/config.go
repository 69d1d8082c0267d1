package app

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"

	"rostrum/auth"
)

// Config is Rostrum's configuration: defaults in code, then config.yaml,
// then ROSTRUM_<KEY> environment variables (ROSTRUM_SMTP_HOST sets
// smtp_host).
type Config struct {
	Listen        string        `koanf:"listen"`
	DB            string        `koanf:"db"`
	BaseURL       string        `koanf:"base_url"`
	SMTPHost      string        `koanf:"smtp_host"`
	SMTPPort      int           `koanf:"smtp_port"`
	SMTPFrom      string        `koanf:"smtp_from"`
	SMTPUsername  string        `koanf:"smtp_username"`
	SMTPPassword  string        `koanf:"smtp_password"`
	SMTPTLS       string        `koanf:"smtp_tls"`
	AdminEmail    string        `koanf:"admin_email"`
	AdminPassword string        `koanf:"admin_password"`
	LogLevel      string        `koanf:"log_level"`
	LogFormat     string        `koanf:"log_format"`
	BodyLimit     int           `koanf:"body_limit"`
	SecureCookies bool          `koanf:"secure_cookies"`
	SessionTTL    time.Duration `koanf:"session_ttl"`
	// RegistrationRateLimit is how many registrations one client address
	// may send a minute (429 with Retry-After beyond); 0 disables it.
	RegistrationRateLimit int `koanf:"registration_rate_limit"`
	// ParticipantCommandRate is how many commands on the live list one
	// participant (registration) may send a minute, REST and websocket
	// together (429, or a rate_limited error frame, beyond); 0 disables it.
	ParticipantCommandRate int `koanf:"participant_command_rate"`

	// Connection limits against slow and abandoned clients: a request's
	// headers and body must arrive within read_timeout, a kept-alive
	// connection may idle for idle_timeout, at most max_connections HTTP
	// connections are served at once and at most max_connections_per_ip
	// (websocket viewers included) come from one address (0: no limit).
	ReadTimeout         time.Duration `koanf:"read_timeout"`
	IdleTimeout         time.Duration `koanf:"idle_timeout"`
	MaxConnections      int           `koanf:"max_connections"`
	MaxConnectionsPerIP int           `koanf:"max_connections_per_ip"`
	// Behind a reverse proxy or load balancer: the header that carries the
	// client's address (one the proxy overwrites, such as X-Real-IP) and
	// the proxies trusted to set it (comma-separated IPs or CIDRs). The
	// registration and login limits count per client address only when
	// these are set; otherwise every client counts as the proxy.
	ProxyHeader    string `koanf:"proxy_header"`
	TrustedProxies string `koanf:"trusted_proxies"`

	// Outbox delivery: attempts per message, the wait after the first
	// failed attempt (doubling after each further one, at most 12h) and
	// the time allowed for each SMTP step.
	SMTPMaxAttempts int           `koanf:"smtp_max_attempts"`
	SMTPRetryBase   time.Duration `koanf:"smtp_retry_base"`
	SMTPTimeout     time.Duration `koanf:"smtp_timeout"`

	// LiveSendBuffer is how many changes may wait for one websocket viewer
	// before that viewer is dropped (it reconnects and resyncs).
	LiveSendBuffer int `koanf:"live_send_buffer"`
	// LivePingInterval is how often websocket viewers are pinged.
	LivePingInterval time.Duration `koanf:"live_ping_interval"`
	// LiveCheckInterval is how often each instance compares the seq of the
	// meetings it serves with the database, healing change notices that
	// were lost (the cross-instance feed is best effort).
	LiveCheckInterval time.Duration `koanf:"live_check_interval"`
	// ScreenNextSpeakers is how many next speakers the room's screen lists.
	ScreenNextSpeakers int `koanf:"screen_next_speakers"`

	// PprofListen, when set, serves Go's profiler (net/http/pprof) on
	// that address, apart from the public listener; for measuring only.
	PprofListen string `koanf:"pprof_listen"`

	// SummaryFontDir is searched for the TrueType fonts the summary PDF embeds.
	SummaryFontDir string `koanf:"summary_font_dir"`

	// RetentionSweepInterval is how often the anonymization of
	// registrations past their meeting's retention runs, once across all
	// instances (package privacy).
	RetentionSweepInterval time.Duration `koanf:"retention_sweep_interval"`
}

// Defaults are the values used when neither config.yaml nor the
// environment sets a key.
func Defaults() map[string]any {
	return map[string]any{
		"listen":         "127.0.0.1:8080",
		"db":             "data/rostrum.db",
		"base_url":       "",
		"smtp_host":      "127.0.0.1",
		"smtp_port":      1025,
		"smtp_from":      "Rostrum <no-reply@rostrum.localhost>",
		"smtp_username":  "",
		"smtp_password":  "",
		"smtp_tls":       "none",
		"admin_email":    "",
		"admin_password": "",
		"log_level":      "info",
		"log_format":     "text",
		"body_limit":     1 << 20,
		"secure_cookies": false,
		"session_ttl":    12 * time.Hour,

		"registration_rate_limit":  20,
		"participant_command_rate": 10,

		"read_timeout":           10 * time.Second,
		"idle_timeout":           60 * time.Second,
		"max_connections":        10000,
		"max_connections_per_ip": 1000,
		"proxy_header":           "",
		"trusted_proxies":        "",

		"smtp_max_attempts": 10,
		"smtp_retry_base":   3 * time.Minute,
		"smtp_timeout":      30 * time.Second,

		"live_send_buffer":     64,
		"live_ping_interval":   25 * time.Second,
		"live_check_interval":  2 * time.Second,
		"screen_next_speakers": 5,
		"pprof_listen":         "",

		// Where the summary's PDF finds its TrueType fonts (Debian's
		// fonts-dejavu-core, fonts-noto-core, fonts-droid-fallback).
		"summary_font_dir": "/usr/share/fonts/truetype",

		// The daily anonymization of registrations past retention.
		"retention_sweep_interval": 24 * time.Hour,
	}
}

// LoadConfig reads the defaults, then path (when it exists; an empty path
// skips the file), then the environment.
func LoadConfig(path string, environ []string) (Config, error) {
	k := koanf.New(".")
	if err := k.Load(confmap.Provider(Defaults(), "."), nil); err != nil {
		return Config{}, err
	}
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
				return Config{}, fmt.Errorf("config file %s: %w", path, err)
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	known := Defaults()
	envVals := map[string]any{}
	for _, kv := range environ {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "ROSTRUM_") {
			continue
		}
		key := strings.ToLower(strings.TrimPrefix(name, "ROSTRUM_"))
		if _, ok := known[key]; !ok {
			// ROSTRUM_TEST_* and friends belong to tools, not the server.
			continue
		}
		if msg := checkEnvType(known[key], val); msg != "" {
			return Config{}, fmt.Errorf("config: %s (%s): %s, got %q", key, name, msg, val)
		}
		envVals[key] = val
	}
	if err := k.Load(confmap.Provider(envVals, "."), nil); err != nil {
		return Config{}, err
	}
	var cfg Config
	if err := k.UnmarshalWithConf("", &cfg, koanf.UnmarshalConf{Tag: "koanf", FlatPaths: true}); err != nil {
		return Config{}, fmt.Errorf("config: %s", strings.Join(strings.Fields(err.Error()), " "))
	}
	return cfg, cfg.Validate()
}

// checkEnvType says what is wrong with an environment value for a key whose
// default is def, or "" when it parses.
func checkEnvType(def any, val string) string {
	switch def.(type) {
	case int:
		if _, err := strconv.Atoi(val); err != nil {
			return "want a whole number"
		}
	case bool:
		if _, err := strconv.ParseBool(val); err != nil {
			return "want true or false"
		}
	case time.Duration:
		if _, err := time.ParseDuration(val); err != nil {
			return "want a duration such as 12h or 30m"
		}
	}
	return ""
}

// Validate checks every key and returns one line per bad key.
func (c *Config) Validate() error {
	var errs []string
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("config: %s (ROSTRUM_%s): %s", key, strings.ToUpper(key), fmt.Sprintf(format, args...)))
	}
	for _, check := range []func(problem){c.validateServer, c.validateMail, c.validateAccounts, c.validateRuntime, c.validateLimits, c.validateLive} {
		check(bad)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// problem reports one bad key.
type problem func(key, format string, args ...any)

// validateServer checks where the server listens, its database and public address.
func (c *Config) validateServer(bad problem) {
	if _, port, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen", "want host:port, got %q", c.Listen)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("listen", "bad port in %q", c.Listen)
	}
	if strings.TrimSpace(c.DB) == "" {
		bad("db", "must name a SQLite file or a postgres:// URL")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("base_url", "want an absolute http(s) URL, got %q", c.BaseURL)
		}
	}
}

// validateMail checks the mail server and the outbox's retries.
func (c *Config) validateMail(bad problem) {
	if c.SMTPHost == "" {
		bad("smtp_host", "must not be empty")
	}
	if c.SMTPPort <= 0 || c.SMTPPort > 65535 {
		bad("smtp_port", "want a port number, got %d", c.SMTPPort)
	}
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		bad("smtp_from", "want an address such as \"Rostrum <no-reply@example.org>\", got %q", c.SMTPFrom)
	}
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		bad("smtp_tls", "want none, starttls or tls, got %q", c.SMTPTLS)
	}
	if c.SMTPMaxAttempts < 1 || c.SMTPMaxAttempts > 100 {
		bad("smtp_max_attempts", "want 1 to 100 attempts, got %d", c.SMTPMaxAttempts)
	}
	if c.SMTPRetryBase < 10*time.Millisecond || c.SMTPRetryBase > 24*time.Hour {
		bad("smtp_retry_base", "want a duration from 10ms to 24h, got %s", c.SMTPRetryBase)
	}
	if c.SMTPTimeout < 100*time.Millisecond || c.SMTPTimeout > 10*time.Minute {
		bad("smtp_timeout", "want a duration from 100ms to 10m, got %s", c.SMTPTimeout)
	}
}

// validateAccounts checks the configured admin and staff sessions.
func (c *Config) validateAccounts(bad problem) {
	if c.AdminEmail != "" {
		if _, err := mail.ParseAddress(c.AdminEmail); err != nil {
			bad("admin_email", "not an email address: %q", c.AdminEmail)
		}
		if msg := auth.PasswordProblem(c.AdminPassword, c.AdminEmail); msg != "" {
			bad("admin_password", "set with admin_email; the password %s", msg)
		}
	}
	if c.SessionTTL < time.Minute {
		bad("session_ttl", "want a duration of at least 1m, got %s", c.SessionTTL)
	}
}

// validateRuntime checks logging, the profiler and the PDF fonts.
func (c *Config) validateRuntime(bad problem) {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", "want text or json, got %q", c.LogFormat)
	}
	if c.PprofListen != "" {
		if _, _, err := net.SplitHostPort(c.PprofListen); err != nil {
			bad("pprof_listen", "want host:port or empty, got %q", c.PprofListen)
		}
	}
	if strings.TrimSpace(c.SummaryFontDir) == "" {
		bad("summary_font_dir", "must name the directory searched for the PDF's TrueType fonts")
	}
}

// validateLimits checks the limits on requests, throttles and connections.
func (c *Config) validateLimits(bad problem) {
	if c.BodyLimit < 1024 {
		bad("body_limit", "want at least 1024 bytes, got %d", c.BodyLimit)
	}
	if c.RegistrationRateLimit < 0 || c.RegistrationRateLimit > 100000 {
		bad("registration_rate_limit", "want registrations per minute per address from 0 (no limit) to 100000, got %d", c.RegistrationRateLimit)
	}
	if c.ParticipantCommandRate < 0 || c.ParticipantCommandRate > 100000 {
		bad("participant_command_rate", "want commands per minute per participant from 0 (no limit) to 100000, got %d", c.ParticipantCommandRate)
	}
	if c.ReadTimeout < 100*time.Millisecond || c.ReadTimeout > 10*time.Minute {
		bad("read_timeout", "want a duration from 100ms to 10m, got %s", c.ReadTimeout)
	}
	if c.IdleTimeout < 100*time.Millisecond || c.IdleTimeout > time.Hour {
		bad("idle_timeout", "want a duration from 100ms to 1h, got %s", c.IdleTimeout)
	}
	if c.MaxConnections < 10 || c.MaxConnections > 1000000 {
		bad("max_connections", "want 10 to 1000000 connections, got %d", c.MaxConnections)
	}
	if c.MaxConnectionsPerIP < 0 {
		bad("max_connections_per_ip", "want 0 (no limit) or more, got %d", c.MaxConnectionsPerIP)
	}
	if c.ProxyHeader != "" && len(c.TrustedProxyList()) == 0 {
		bad("trusted_proxies", "name the proxies allowed to set %s (IPs or CIDRs), or any client could pick its own address", c.ProxyHeader)
	}
	for _, p := range c.TrustedProxyList() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("trusted_proxies", "%q is neither an IP address nor a CIDR range", p)
			}
		}
	}
}

// validateLive checks the live list's fan-out settings.
func (c *Config) validateLive(bad problem) {
	if c.LiveSendBuffer < 1 || c.LiveSendBuffer > 100_000 {
		bad("live_send_buffer", "want between 1 and 100000 messages, got %d", c.LiveSendBuffer)
	}
	if c.LivePingInterval < 10*time.Millisecond || c.LivePingInterval > 10*time.Minute {
		bad("live_ping_interval", "want a duration between 10ms and 10m, got %s", c.LivePingInterval)
	}
	if c.LiveCheckInterval < 10*time.Millisecond || c.LiveCheckInterval > 24*time.Hour {
		bad("live_check_interval", "want a duration between 10ms and 24h, got %s", c.LiveCheckInterval)
	}
	if c.RetentionSweepInterval < time.Second || c.RetentionSweepInterval > 7*24*time.Hour {
		bad("retention_sweep_interval", "want a duration between 1s and 168h, got %s", c.RetentionSweepInterval)
	}
	if c.ScreenNextSpeakers < 1 || c.ScreenNextSpeakers > 12 {
		bad("screen_next_speakers", "want between 1 and 12 speakers, got %d", c.ScreenNextSpeakers)
	}
}

// TrustedProxyList is trusted_proxies as a list.
func (c *Config) TrustedProxyList() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// PublicURL is the address links in mail and pages point to.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return "http://" + c.Listen
}
