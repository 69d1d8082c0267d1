package app_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/app"
	"rostrum/internal/logtest"
	"rostrum/internal/testenv"
)

// A panic in a request's handler is answered 500 without its details,
// logged with its stack, and the server goes on answering.
func TestAPanicInAHandlerIsLoggedWithItsStackAndTheServerGoesOn(t *testing.T) {
	log, logs := logtest.New()
	a, err := app.New(testenv.Config(t), log)
	if err != nil {
		t.Fatal(err)
	}
	a.Fiber.Get("/boom", func(*fiber.Ctx) error { panic("secret detail of a bug") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, 5*time.Second) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 500 || strings.Contains(body.String(), "secret detail") {
		t.Errorf("panic answered %d %q", res.StatusCode, body.String())
	}
	res, err = http.Get(base + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("after the panic /healthz: %v %v", res, err)
	}
	res.Body.Close()
	out := logs.String()
	for _, want := range []string{"panic recovered", "GET /boom", "secret detail of a bug", "panic_test.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
