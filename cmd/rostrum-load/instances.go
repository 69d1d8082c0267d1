package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"rostrum/internal/apiclient"
)

// FanoutInstances is Fanout across several Rostrum instances on one
// PostgreSQL database, as a meeting's audience behind a load balancer:
// the viewers are split evenly between the instances (each instance's in
// a viewers process of its own), the moderator and the participants send
// their commands to the first instance only, and the others learn of each
// change through the database (pgfeed's LISTEN/NOTIFY) and send it to
// their viewers. Latency is, as in Fanout, from the command's send to
// each viewer's receipt of its seq; the table has a column per instance
// and the total.
func FanoutInstances(ctx context.Context, servers []*Server, cfg FanoutConfig) (*Table, error) {
	t, _, err := fanoutInstancesRun(ctx, servers, cfg)
	return t, err
}

// viewerShares splits n viewers between k instances, the first ones
// taking one more when it does not divide.
func viewerShares(n, k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = n / k
		if i < n%k {
			s[i]++
		}
	}
	return s
}

// shippedMaxConnections is config.yaml's max_connections.
const shippedMaxConnections = 10000

// instanceEnv is the environment of instance i (from 0) holding viewers
// of the run's viewers: env, without the profiler's address except for
// the first instance, and with max_connections raised when the instance's
// viewers and 1,000 more (the participants, the moderator, reconnects)
// would pass the shipped limit.
func instanceEnv(env []string, i, viewers int) []string {
	e := slices.Clone(env)
	if i > 0 {
		e = slices.DeleteFunc(e, func(v string) bool { return strings.HasPrefix(v, "ROSTRUM_PPROF_LISTEN=") })
	}
	if viewers+1000 > shippedMaxConnections {
		e = append(e, fmt.Sprintf("ROSTRUM_MAX_CONNECTIONS=%d", viewers+1000))
	}
	return e
}

// fanoutInstancesRun measures one run and returns each instance's outcome
// and (last) the total's.
func fanoutInstancesRun(ctx context.Context, servers []*Server, cfg FanoutConfig) (*Table, []*outcome, error) {
	p, err := newPlay(servers[0], cfg)
	if err != nil {
		return nil, nil, err
	}
	shares := viewerShares(cfg.Viewers, len(servers))
	idle := readProcs(servers)

	// Every instance's viewers connect at once, as a hall fills up.
	procs := make([]*viewersProcess, len(servers))
	defer func() {
		for _, vp := range procs {
			if vp != nil {
				vp.stop()
			}
		}
	}()
	for i, s := range servers {
		if procs[i], err = startViewersProcess(ctx, i+1, apiclient.LiveURL(s.URL, p.meeting(), ""), shares[i]); err != nil {
			return nil, nil, err
		}
	}
	if err := eachProcess(procs, func(vp *viewersProcess) error { return vp.connected() }); err != nil {
		return nil, nil, err
	}
	loaded := readProcs(servers)
	goroutines, mem := "n/a", "n/a"
	if cfg.Connected != nil {
		goroutines, mem = cfg.Connected()
	}

	c := newChanges()
	before := readProcs(servers)
	waitProfile := func() {}
	if cfg.Profile != nil {
		waitProfile = cfg.Profile()
	}
	elapsed, err := playRounds(ctx, p, cfg, c)
	after := readProcs(servers)
	waitProfile()
	if err != nil {
		return nil, nil, err
	}

	// Each process waits (bounded) for the last change to reach its
	// viewers still connected, then hands over their records.
	auds := make([]*audience, len(procs))
	err = eachProcess(procs, func(vp *viewersProcess) error {
		a, err := vp.collect(c.last())
		auds[vp.instance-1] = a
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	all := &audience{}
	var outcomes []*outcome
	for _, a := range auds {
		outcomes = append(outcomes, a.tally(c))
		all.viewers = append(all.viewers, a.viewers...)
		all.connected += a.connected
		all.failed += a.failed
		all.took = max(all.took, a.took)
		all.connect.d = append(all.connect.d, a.connect.d...)
	}
	total := all.tally(c)
	outcomes = append(outcomes, total)
	auds = append(auds, all)

	t := &Table{Title: p.title(cfg) + fmt.Sprintf(", %d instances on PostgreSQL", len(servers))}
	for i := range servers {
		name := fmt.Sprintf("instance %d", i+1)
		if i == 0 {
			name += " (commands)"
		}
		t.Header = append(t.Header, name)
	}
	t.Header = append(t.Header, "total")
	column := func(f func(i int) string) []string {
		var cells []string
		for i := range auds {
			cells = append(cells, f(i))
		}
		return cells
	}
	t.AddRow("viewers connected", column(func(i int) string {
		return fmt.Sprintf("%d (%d failed) in %s", auds[i].connected, auds[i].failed, auds[i].took.Round(time.Millisecond))
	})...)
	t.AddRow("connect p50 / p99 / max", column(func(i int) string {
		cs := auds[i].connect.Summary()
		return fmt.Sprintf("%s / %s / %s", ms(cs.P50), ms(cs.P99), ms(cs.Max))
	})...)
	// The outcomes' rows, side by side: every outcome has the same rows,
	// as every audience saw the same kinds of change.
	parts := make([]*Table, len(outcomes))
	for i, o := range outcomes {
		parts[i] = &Table{}
		o.addRows(parts[i])
	}
	for r, row := range parts[0].Rows {
		t.AddRow(row[0], column(func(i int) string { return parts[i].Rows[r][1] })...)
	}
	sum := func(f func(i int) int64) int64 {
		var n int64
		for i := range servers {
			n += f(i)
		}
		return n
	}
	rss := func(i int) string {
		if i == len(servers) { // the total
			return fmt.Sprintf("%.1f MiB / %.1f MiB (%.1f KB per viewer)", mib(sum(func(i int) int64 { return idle[i].RSSBytes })),
				mib(sum(func(i int) int64 { return loaded[i].RSSBytes })),
				float64(sum(func(i int) int64 { return loaded[i].RSSBytes - idle[i].RSSBytes }))/1024/float64(max(1, auds[i].connected)))
		}
		return fmt.Sprintf("%.1f MiB / %.1f MiB (%.1f KB per viewer)", mib(idle[i].RSSBytes), mib(loaded[i].RSSBytes),
			float64(loaded[i].RSSBytes-idle[i].RSSBytes)/1024/float64(max(1, auds[i].connected)))
	}
	t.AddRow("server RSS idle / with viewers", column(rss)...)
	t.AddRow("server CPU while commanding", column(func(i int) string {
		cpu := func(i int) time.Duration { return after[i].CPU - before[i].CPU }
		d := time.Duration(sum(func(i int) int64 { return int64(cpu(i)) }))
		if i < len(servers) {
			d = cpu(i)
		}
		return fmt.Sprintf("%.2fs over %s (%.0f%% of one core)", d.Seconds(), elapsed.Round(time.Millisecond), 100*d.Seconds()/elapsed.Seconds())
	})...)
	if cfg.Connected != nil {
		t.Add("instance 1: goroutines with viewers", "%s", goroutines)
		t.Add("instance 1: heap / stacks in use", "%s", mem)
	}
	p.report(t)
	if total.lost > 0 {
		t.Print(os.Stdout)
		return t, outcomes, fmt.Errorf("live fan-out across instances: %d messages lost", total.lost)
	}
	return t, outcomes, nil
}

// readProcs reads each server's memory and CPU.
func readProcs(servers []*Server) []procStats {
	ps := make([]procStats, len(servers))
	for i, s := range servers {
		ps[i], _ = ReadProc(s.PID)
	}
	return ps
}

// eachProcess runs f for every process at once and joins their errors.
func eachProcess(procs []*viewersProcess, f func(*viewersProcess) error) error {
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, vp := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(vp)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
