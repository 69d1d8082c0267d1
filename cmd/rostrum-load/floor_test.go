package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// The floor serves the tool's own Centrifugo viewers: each one connects
// and subscribes, and every publication reaches every viewer once, with
// its seq, in frames of every length class (RFC 6455 5.2: 7-bit, 16-bit
// and 64-bit lengths).
func TestTheFloorDeliversEveryPublicationToEveryViewer(t *testing.T) {
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = serveFloor(ctx, addr) }()
	url := "http://" + addr
	a := waitForFloor(t, ctx, url)
	cfg := CentrifugoConfig{URL: url, APIKey: "any", Channel: "ns:meeting", Viewers: 20}
	aud := connectAudience(ctx, cfg.Viewers, centrifugoViewer("ws://"+addr+"/connection/websocket", cfg.Channel))
	defer aud.close()
	if aud.connected != cfg.Viewers {
		t.Fatalf("%d of %d viewers connected", aud.connected, cfg.Viewers)
	}
	c := newChanges()
	for i, size := range []int{50, 300, 70_000} {
		seq := int64(i + 1)
		c.add(seq, time.Now(), "publish")
		if err := a.publish(cfg.Channel, payload(seq, size)); err != nil {
			t.Fatal(err)
		}
	}
	aud.waitFor(3, 10*time.Second)
	o := aud.tally(c)
	if o.lost != 0 || o.gaps != 0 || o.byKind["publish"].n != 3*int64(cfg.Viewers) {
		t.Fatalf("lost %d, gaps %d, received %d of %d", o.lost, o.gaps, o.byKind["publish"].n, 3*cfg.Viewers)
	}
}

// waitForFloor returns the floor's API once it answers a publication.
func waitForFloor(t *testing.T, ctx context.Context, url string) *centrifugoAPI {
	t.Helper()
	a := &centrifugoAPI{url: url, key: "any", http: &http.Client{Timeout: 5 * time.Second}}
	deadline := time.Now().Add(10 * time.Second)
	for a.publish("ns:meeting", payload(0, 10)) != nil {
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatal("the floor did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return a
}
