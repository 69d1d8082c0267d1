package browser_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
)

func TestBrowserRendersALocalPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><h1 id="h">Rostrum</h1>`))
	}))
	defer srv.Close()
	ctx := browser.New(t)
	browser.Do(t, ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#h")))
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#h"))); got != "Rostrum" {
		t.Fatalf("text %q", got)
	}
}
