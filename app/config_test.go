package app

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaultsAreValid(t *testing.T) {
	cfg, err := LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:8080" || cfg.DB != "data/rostrum.db" || cfg.SessionTTL != 12*time.Hour {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestConfigFileThenEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("listen: 0.0.0.0:9000\nsmtp_port: 2525\nbase_url: https://file.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path, []string{"ROSTRUM_BASE_URL=https://env.example", "ROSTRUM_SMTP_HOST=mail.example", "PATH=/bin"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "0.0.0.0:9000" || cfg.SMTPPort != 2525 {
		t.Fatalf("file values not applied: %+v", cfg)
	}
	if cfg.BaseURL != "https://env.example" || cfg.SMTPHost != "mail.example" {
		t.Fatalf("environment does not override the file: %+v", cfg)
	}
}

func TestConfigEveryKeyHasAnEnvironmentVariable(t *testing.T) {
	samples := map[string]string{
		"listen": "127.0.0.1:9999", "db": "x/y.db", "base_url": "https://meet.example",
		"smtp_host": "mail.example", "smtp_port": "2526", "smtp_from": "A <a@example.org>",
		"smtp_username": "u", "smtp_password": "p", "smtp_tls": "starttls",
		"admin_email": "boss@example.org", "admin_password": "long enough indeed", "log_level": "debug",
		"log_format": "json", "body_limit": "4096", "secure_cookies": "true", "session_ttl": "90m",
		"smtp_max_attempts": "7", "smtp_retry_base": "45s", "smtp_timeout": "20s",
		"registration_rate_limit": "12", "participant_command_rate": "5", "read_timeout": "5s", "idle_timeout": "30s",
		"max_connections": "500", "max_connections_per_ip": "50",
		"proxy_header": "X-Real-IP", "trusted_proxies": "10.0.0.0/8",
		"live_send_buffer": "16", "live_ping_interval": "40s", "live_check_interval": "3s", "screen_next_speakers": "8", "summary_font_dir": "/srv/fonts", "pprof_listen": "127.0.0.1:6060", "retention_sweep_interval": "12h0m0s",
	}
	var env []string
	for key := range Defaults() {
		v, ok := samples[key]
		if !ok {
			t.Fatalf("no sample value for key %s: add one", key)
		}
		env = append(env, "ROSTRUM_"+strings.ToUpper(key)+"="+v)
	}
	cfg, err := LoadConfig("", env)
	if err != nil {
		t.Fatal(err)
	}
	rv := reflect.ValueOf(cfg)
	for i := 0; i < rv.NumField(); i++ {
		key := rv.Type().Field(i).Tag.Get("koanf")
		if got := fmt.Sprint(rv.Field(i).Interface()); got != samples[key] && !(key == "session_ttl" && got == "1h30m0s") {
			t.Errorf("ROSTRUM_%s: field is %q, want %q", strings.ToUpper(key), got, samples[key])
		}
	}
}

func TestBadConfigValueNamesTheKey(t *testing.T) {
	cases := map[string]string{
		"ROSTRUM_LISTEN=nonsense":             "listen (ROSTRUM_LISTEN)",
		"ROSTRUM_SMTP_PORT=99999":             "smtp_port (ROSTRUM_SMTP_PORT)",
		"ROSTRUM_SMTP_PORT=abc":               "smtp_port",
		"ROSTRUM_BASE_URL=ftp://x":            "base_url (ROSTRUM_BASE_URL)",
		"ROSTRUM_SMTP_FROM=not an addr":       "smtp_from (ROSTRUM_SMTP_FROM)",
		"ROSTRUM_SESSION_TTL=forever":         "session_ttl (ROSTRUM_SESSION_TTL)",
		"ROSTRUM_LOG_LEVEL=loud":              "log_level (ROSTRUM_LOG_LEVEL)",
		"ROSTRUM_SMTP_TLS=maybe":              "smtp_tls (ROSTRUM_SMTP_TLS)",
		"ROSTRUM_DB=":                         "db (ROSTRUM_DB)",
		"ROSTRUM_REGISTRATION_RATE_LIMIT=-1":  "registration_rate_limit (ROSTRUM_REGISTRATION_RATE_LIMIT)",
		"ROSTRUM_PARTICIPANT_COMMAND_RATE=-1": "participant_command_rate (ROSTRUM_PARTICIPANT_COMMAND_RATE)",
		"ROSTRUM_READ_TIMEOUT=0s":             "read_timeout (ROSTRUM_READ_TIMEOUT)",
		"ROSTRUM_MAX_CONNECTIONS=1":           "max_connections (ROSTRUM_MAX_CONNECTIONS)",
		"ROSTRUM_TRUSTED_PROXIES=10.0.0.300":  "trusted_proxies (ROSTRUM_TRUSTED_PROXIES)",
		"ROSTRUM_MAX_CONNECTIONS_PER_IP=-5":   "max_connections_per_ip (ROSTRUM_MAX_CONNECTIONS_PER_IP)",
		"ROSTRUM_LIVE_SEND_BUFFER=0":          "live_send_buffer (ROSTRUM_LIVE_SEND_BUFFER)",
		"ROSTRUM_LIVE_PING_INTERVAL=1h":       "live_ping_interval (ROSTRUM_LIVE_PING_INTERVAL)",
	}
	for env, want := range cases {
		_, err := LoadConfig("", []string{env})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to name %q", env, err, want)
			continue
		}
		if strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("%s: want one line, got %q", env, err)
		}
	}
}

func TestProxyHeaderNeedsTrustedProxies(t *testing.T) {
	_, err := LoadConfig("", []string{"ROSTRUM_PROXY_HEADER=X-Real-IP"})
	if err == nil || !strings.Contains(err.Error(), "trusted_proxies") {
		t.Fatalf("got %v", err)
	}
	cfg, err := LoadConfig("", []string{"ROSTRUM_PROXY_HEADER=X-Real-IP", "ROSTRUM_TRUSTED_PROXIES=127.0.0.1, 10.0.0.0/8"})
	if err != nil || len(cfg.TrustedProxyList()) != 2 {
		t.Fatalf("%v %q", err, cfg.TrustedProxyList())
	}
}

func TestAdminEmailNeedsAPassword(t *testing.T) {
	_, err := LoadConfig("", []string{"ROSTRUM_ADMIN_EMAIL=a@example.org", "ROSTRUM_ADMIN_PASSWORD=short"})
	if err == nil || !strings.Contains(err.Error(), "admin_password") {
		t.Fatalf("got %v", err)
	}
}

// config.yaml documents every key, with its default value.
func TestConfigYAMLListsEveryKeyWithItsDefault(t *testing.T) {
	fromFile, err := LoadConfig("../config.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for key := range Defaults() {
		if !strings.Contains(string(b), "\n"+key+":") {
			t.Errorf("config.yaml does not list %s", key)
		}
	}
	if !reflect.DeepEqual(fromFile, defaults) {
		t.Errorf("config.yaml differs from the defaults:\nfile     %+v\ndefaults %+v", fromFile, defaults)
	}
}

// The configured admin's password follows the rule of every staff
// password (auth.PasswordProblem): eight characters, a common password or
// the admin's own address do not start the server.
func TestAdminPasswordFollowsTheStaffPasswordRule(t *testing.T) {
	for _, pw := range []string{"        ", "longenough", "qwerty123456", "a@example.org-admin"} {
		_, err := LoadConfig("", []string{"ROSTRUM_ADMIN_EMAIL=a@example.org", "ROSTRUM_ADMIN_PASSWORD=" + pw})
		if err == nil || !strings.Contains(err.Error(), "admin_password") {
			t.Errorf("admin_password %q: got %v", pw, err)
		}
	}
	if _, err := LoadConfig("", []string{"ROSTRUM_ADMIN_EMAIL=a@example.org", "ROSTRUM_ADMIN_PASSWORD=correct horse battery"}); err != nil {
		t.Fatal(err)
	}
}
