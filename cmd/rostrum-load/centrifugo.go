package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// The Centrifugo target drives a running Centrifugo v6 with the same
// audience as Rostrum's live list, as a yardstick: viewers connect to its
// websocket (JSON client protocol) and subscribe to one channel, and the
// moderator publishes a payload of a given size through its HTTP API every
// interval; each payload carries a seq, so the latency from the publish
// to each viewer and the bytes each viewer received are measured as for
// Rostrum.
//
// centrifugoConfigHelp is what the server must allow, shown by -h: a
// minimal config (memory engine, the default) that lets anonymous clients
// connect and subscribe to the namespace ns, sets the API key, and keeps
// the server on loopback. Both subscribe permissions are needed: an
// anonymous subscriber is a client too. The viewers send no Origin
// header, which Centrifugo lets in without an allowed_origins list.
const centrifugoConfigHelp = `{
  "client": {"allow_anonymous_connect_without_token": true},
  "channel": {"namespaces": [{"name": "ns", "allow_subscribe_for_client": true,
                              "allow_subscribe_for_anonymous": true}]},
  "http_api": {"key": "KEY"},
  "http_server": {"address": "127.0.0.1", "port": 8000}
}`

// CentrifugoConfig sizes a run against Centrifugo.
type CentrifugoConfig struct {
	URL      string // http://host:port of the server
	APIKey   string // its http_api.key
	Channel  string // e.g. ns:meeting
	Bytes    int    // size of each publication's data (JSON)
	PID      int    // the server's process, for its memory and CPU (0: not reported)
	Viewers  int
	Messages int           // publications
	Interval time.Duration // between publications
}

// centrifugoViewer connects one viewer: connect, then subscribe, each
// answered before the next; from then on every publication counts.
func centrifugoViewer(wsURL, channel string) dialViewer {
	return func(ctx context.Context, d *websocket.Dialer) (*viewer, func(), error) {
		c, _, err := d.DialContext(ctx, wsURL, nil)
		if err != nil {
			return nil, nil, err
		}
		sub, _ := json.Marshal(map[string]any{"id": 2, "subscribe": map[string]string{"channel": channel}})
		for i, cmd := range [][]byte{[]byte(`{"id":1,"connect":{}}`), sub} {
			if err := c.WriteMessage(websocket.TextMessage, cmd); err != nil {
				c.Close()
				return nil, nil, err
			}
			if err := awaitReply(c, uint32(i+1)); err != nil {
				c.Close()
				return nil, nil, err
			}
		}
		v := newViewer(c, 0)
		return v, func() { readCentrifugo(v) }, nil
	}
}

// awaitReply reads until the reply to command id, answering pings.
// Centrifugo may put several replies in one frame, one JSON object a line.
func awaitReply(c *websocket.Conn, id uint32) error {
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return err
		}
		for _, line := range bytes.Split(msg, []byte("\n")) {
			if bytes.Equal(bytes.TrimSpace(line), []byte("{}")) {
				if err := c.WriteMessage(websocket.TextMessage, []byte("{}")); err != nil {
					return err
				}
				continue
			}
			var r struct {
				ID    uint32 `json:"id"`
				Error *struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(line, &r) != nil || r.ID != id {
				continue
			}
			if r.Error != nil {
				return fmt.Errorf("centrifugo: command %d: %d %s", id, r.Error.Code, r.Error.Message)
			}
			return nil
		}
	}
}

// readCentrifugo reads a viewer's frames until its connection ends: a
// push with a seq is one change (its bytes are its line of the frame); an
// empty object is the server's ping, answered with one (the reader is
// the connection's only writer once subscribed).
func readCentrifugo(v *viewer) {
	for {
		msg, err := v.read()
		if err != nil {
			v.closed.Store(true)
			return
		}
		now := time.Now()
		for line := range bytes.SplitSeq(msg, []byte("\n")) {
			switch {
			case bytes.Equal(bytes.TrimSpace(line), []byte("{}")):
				_ = v.conn.WriteMessage(websocket.TextMessage, []byte("{}"))
			case bytes.Contains(line, []byte(`"push"`)):
				if _, seq, ok := seqOf(line); ok {
					v.change(seq, len(line), now)
				}
			}
		}
	}
}

// payload is the data of publication seq, size bytes of JSON (or the
// least that holds the seq).
func payload(seq int64, size int) []byte {
	b := []byte(`{"seq":` + strconv.FormatInt(seq, 10) + `,"pad":"`)
	b = append(b, bytes.Repeat([]byte("x"), max(0, size-len(b)-2))...)
	return append(b, `"}`...)
}

// centrifugoAPI publishes through Centrifugo's HTTP API.
type centrifugoAPI struct {
	url, key string
	http     *http.Client
}

func (a *centrifugoAPI) publish(channel string, data []byte) error {
	ch, _ := json.Marshal(channel)
	body := append(append(append([]byte(`{"channel":`), ch...), `,"data":`...), data...)
	body = append(body, '}')
	req, err := http.NewRequest("POST", a.url+"/api/publish", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", a.key)
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("centrifugo publish: status %d: %s", res.StatusCode, bytes.TrimSpace(out))
	}
	var r struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(out, &r) == nil && r.Error != nil {
		return fmt.Errorf("centrifugo publish: %d %s", r.Error.Code, r.Error.Message)
	}
	return nil
}

// CentrifugoFanout measures one run against Centrifugo: the viewers
// connect and subscribe, the moderator publishes cfg.Messages payloads,
// every publication is checked at every viewer.
func CentrifugoFanout(ctx context.Context, cfg CentrifugoConfig) (*Table, *outcome, error) {
	if cfg.URL == "" || cfg.APIKey == "" {
		return nil, nil, fmt.Errorf("the centrifugo target needs -centrifugo-url and -centrifugo-api-key")
	}
	base := strings.TrimRight(cfg.URL, "/")
	api := &centrifugoAPI{url: base, key: cfg.APIKey, http: &http.Client{Timeout: 10 * time.Second}}
	// A first publication checks the key and the channel before the
	// viewers come (nobody is subscribed yet, so no viewer sees it).
	if err := api.publish(cfg.Channel, payload(0, cfg.Bytes)); err != nil {
		return nil, nil, err
	}
	idle, _ := readProcIf(cfg.PID)
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/connection/websocket"
	a := connectAudience(ctx, cfg.Viewers, centrifugoViewer(wsURL, cfg.Channel))
	defer a.close()
	if a.connected == 0 {
		return nil, nil, fmt.Errorf("centrifugo: no viewer could connect and subscribe to %s at %s", cfg.Channel, wsURL)
	}
	loaded, _ := readProcIf(cfg.PID)

	c := newChanges()
	var publish Latencies
	before, _ := readProcIf(cfg.PID)
	selfBefore, _ := ReadProc(os.Getpid())
	start := time.Now()
	stop := Progress(time.Second, func() string {
		return fmt.Sprintf("publications: %4d of %d sent", len(c.sent), cfg.Messages)
	})
	tick := time.NewTicker(cfg.Interval)
	var err error
	for i := int64(1); i <= int64(cfg.Messages) && ctx.Err() == nil; i++ {
		<-tick.C
		t0 := time.Now()
		if err = api.publish(cfg.Channel, payload(i, cfg.Bytes)); err != nil {
			break
		}
		publish.Add(time.Since(t0))
		c.add(i, t0, "publish")
	}
	tick.Stop()
	stop()
	elapsed := time.Since(start)
	after, _ := readProcIf(cfg.PID)
	selfAfter, _ := ReadProc(os.Getpid())
	if err != nil {
		return nil, nil, err
	}

	a.waitFor(c.last(), 10*time.Second)
	o := a.tally(c)
	cs, ps := a.connect.Summary(), publish.Summary()
	t := &Table{Title: fmt.Sprintf("Centrifugo fan-out: %d viewers, %d publications of %d bytes every %s", cfg.Viewers, cfg.Messages, cfg.Bytes, cfg.Interval)}
	t.Add("viewers connected", "%d (%d failed) in %s", a.connected, a.failed, a.took.Round(time.Millisecond))
	t.Add("connect + subscribe p50 / p99 / max", "%s / %s / %s", ms(cs.P50), ms(cs.P99), ms(cs.Max))
	o.addRows(t)
	t.Add("publish API call p50 / p99", "%s / %s", ms(ps.P50), ms(ps.P99))
	if cfg.PID > 0 {
		t.Add("server RSS idle / with viewers", "%.1f MiB / %.1f MiB (%.1f KB per viewer)", mib(idle.RSSBytes),
			mib(loaded.RSSBytes), float64(loaded.RSSBytes-idle.RSSBytes)/1024/float64(a.connected))
		t.Add("server CPU while publishing", "%.2fs over %s (%.0f%% of one core)", (after.CPU - before.CPU).Seconds(),
			elapsed.Round(time.Millisecond), 100*(after.CPU-before.CPU).Seconds()/elapsed.Seconds())
	}
	var server time.Duration // unknown without its process
	if cfg.PID > 0 {
		server = after.CPU - before.CPU
	}
	o.addCPU(t, server, selfAfter.CPU-selfBefore.CPU)
	if o.lost > 0 {
		t.Print(os.Stdout)
		return t, o, fmt.Errorf("centrifugo fan-out: %d messages lost", o.lost)
	}
	return t, o, nil
}

// readProcIf reads process pid's figures, when there is one.
func readProcIf(pid int) (ps procStats, err error) {
	if pid <= 0 {
		return ps, nil
	}
	return ReadProc(pid)
}
