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

func TestAxeFindsAnUnlabelledFieldAndPassesALabelledOne(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		label := `<label for="q">Search</label>`
		if r.URL.Path == "/bad" {
			label = ""
		}
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>t</title><main><h1>Rostrum</h1>` + label + `<input id="q"></main></html>`))
	}))
	defer srv.Close()
	ctx := browser.New(t)
	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/bad"), chromedp.WaitVisible(chromedp.CSS("#q")))
	var ids []string
	for _, v := range browser.Axe(t, ctx) {
		ids = append(ids, v.ID)
	}
	if len(ids) != 1 || ids[0] != "label" {
		t.Fatalf("violations %v, want [label]", ids)
	}
	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/good"), chromedp.WaitVisible(chromedp.CSS("#q")))
	browser.NoAxeViolations(t, ctx, "the labelled page")
}
