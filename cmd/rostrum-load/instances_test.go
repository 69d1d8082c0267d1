package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// TestMain lets the test binary be a viewers process too, as the tool is
// when it starts itself again (startViewersProcess runs os.Executable).
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "viewers" {
		if err := runViewersProcess(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "rostrum-load viewers process:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestViewersAreSplitEvenlyBetweenInstances(t *testing.T) {
	for _, c := range []struct {
		n, k int
		want []int
	}{{20000, 2, []int{10000, 10000}}, {101, 2, []int{51, 50}}, {7, 3, []int{3, 2, 2}}, {500, 1, []int{500}}} {
		if got := viewerShares(c.n, c.k); !slices.Equal(got, c.want) {
			t.Errorf("viewerShares(%d, %d) = %v, want %v", c.n, c.k, got, c.want)
		}
	}
}

// Each instance's connection limit holds its own share of the viewers;
// the profiler listens on the first instance only.
func TestEachInstanceGetsTheConnectionsOfItsShare(t *testing.T) {
	base := []string{"ROSTRUM_SMTP_PORT=25", "ROSTRUM_PPROF_LISTEN=127.0.0.1:6060"}
	for _, c := range []struct {
		i, viewers int
		want       []string
	}{
		{0, 10000, append(slices.Clone(base), "ROSTRUM_MAX_CONNECTIONS=11000")},
		{1, 10000, []string{"ROSTRUM_SMTP_PORT=25", "ROSTRUM_MAX_CONNECTIONS=11000"}},
		{0, 9000, base},
		{1, 500, []string{"ROSTRUM_SMTP_PORT=25"}},
	} {
		if got := instanceEnv(base, c.i, c.viewers); !slices.Equal(got, c.want) {
			t.Errorf("instance %d with %d viewers: %v, want %v", c.i+1, c.viewers, got, c.want)
		}
	}
	if len(base) != 2 {
		t.Fatalf("instanceEnv changed its argument: %v", base)
	}
}

// What a viewers process hands over, through gob, adds up to what its
// viewers would have added up to in the parent.
func TestAViewersProcessReportTalliesAsItsViewers(t *testing.T) {
	t0 := time.Now()
	v := newViewer(nil, 10)
	v.change(11, 500, t0.Add(time.Millisecond))
	v.state(14, 20000, t0.Add(2*time.Millisecond))
	v.change(15, 500, t0.Add(3*time.Millisecond))
	w := newViewer(nil, 10)
	w.change(11, 400, t0.Add(5*time.Millisecond))
	w.closed.Store(true)
	local := &audience{viewers: []*viewer{v, w}}

	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(local.report()); err != nil {
		t.Fatal(err)
	}
	var r audienceReport
	if err := gob.NewDecoder(&buf).Decode(&r); err != nil {
		t.Fatal(err)
	}
	want, got := local.tally(sentAt(t0)), r.audience(audienceHello{Connected: 2}).tally(sentAt(t0))
	if got.lost != want.lost || got.dropped != want.dropped || got.resyncs != want.resyncs || got.gaps != want.gaps ||
		!slices.Equal(got.perViewer, want.perViewer) || got.lost != 4 || got.dropped != 1 {
		t.Fatalf("from the report: lost %d, dropped %d, resyncs %d, gaps %d, bytes %v; in place: %d, %d, %d, %d, %v",
			got.lost, got.dropped, got.resyncs, got.gaps, got.perViewer, want.lost, want.dropped, want.resyncs, want.gaps, want.perViewer)
	}
	g, l := got.byKind["next"].lat.Summary(), want.byKind["next"].lat.Summary()
	if g != l {
		t.Fatalf("latencies from the report %+v, in place %+v", g, l)
	}
}

// Two instances on one PostgreSQL database, the viewers split between
// them (each instance's in a viewers process), the commands sent to the
// first: every viewer of both gets every change, nobody is dropped. Runs
// when ROSTRUM_TEST_POSTGRES is set (the run's figures are logged, never
// asserted).
func TestEveryViewerOfTwoInstancesGetsEveryChange(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	mail, err := mailtest.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mail.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	servers, err := StartInstances(ctx, dsn, 2, func(int) []string {
		return []string{fmt.Sprintf("ROSTRUM_SMTP_PORT=%d", mail.Port()), "ROSTRUM_SMTP_HOST=" + mail.Host()}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopAll(servers) }) // before the schema is dropped

	const viewers = 100
	table, outcomes, err := fanoutInstancesRun(ctx, servers, FanoutConfig{Scenario: ScenarioNext, Viewers: viewers, Waiting: 8, Commands: 4, Interval: 300 * time.Millisecond})
	if table != nil {
		var out bytes.Buffer
		table.Print(&out)
		t.Log(out.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outcomes[:2] {
		changes, deliveries := 0, 0
		for _, d := range o.byKind {
			changes += d.changes
			deliveries += d.lat.Summary().N
		}
		if len(o.perViewer) != viewers/2 || o.lost != 0 || o.dropped != 0 || changes == 0 || deliveries != changes*viewers/2 {
			t.Errorf("instance %d: %d viewers, %d lost, %d dropped, %d deliveries of %d changes; want %d viewers each with every change",
				i+1, len(o.perViewer), o.lost, o.dropped, deliveries, changes, viewers/2)
		}
	}
}
