package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"
)

// Compare runs Rostrum's next scenario and a Centrifugo run of the same
// size alternately (A B A B …), so that both see the same machine at
// nearly the same time, and reports Rostrum's p99 delivery of a Next
// against Centrifugo's p99 delivery of a publication, per round and as
// the median of the rounds. With floor, each round adds a run against
// the floor (a bare socket writer this tool starts, see floor.go) with
// Centrifugo's client and payload, and its p99 against Centrifugo's: how
// far below Centrifugo anything can get on this machine. The meeting is
// set up once; every run connects its own viewers.
func Compare(ctx context.Context, w io.Writer, srv *Server, live FanoutConfig, cf CentrifugoConfig, rounds int, floor bool) error {
	live.Scenario = ScenarioNext
	p, err := newPlay(srv, live)
	if err != nil {
		return err
	}
	fl := cf
	if floor {
		url, pid, stop, err := startFloor(ctx)
		if err != nil {
			return err
		}
		defer stop()
		fl.URL, fl.PID = url, pid
	}
	sum := &Table{Title: fmt.Sprintf("Rostrum next vs Centrifugo %d-byte publish: %d viewers, %d changes a run every %s", cf.Bytes, live.Viewers, live.Commands, live.Interval)}
	var ratios, floors []float64
	for r := 1; r <= rounds && ctx.Err() == nil; r++ {
		ta, oa, err := fanoutRun(ctx, srv, p, live)
		if err != nil {
			return fmt.Errorf("round %d, rostrum: %w", r, err)
		}
		ta.Title = fmt.Sprintf("Round %d A: %s", r, ta.Title)
		ta.Print(w)
		tb, ob, err := CentrifugoFanout(ctx, cf)
		if err != nil {
			return fmt.Errorf("round %d, centrifugo: %w", r, err)
		}
		tb.Title = fmt.Sprintf("Round %d B: %s", r, tb.Title)
		tb.Print(w)
		a, b := oa.p99("next"), ob.p99("publish")
		ratio := float64(a) / float64(max(b, time.Microsecond))
		ratios = append(ratios, ratio)
		sum.Add(fmt.Sprintf("round %d p99 rostrum / centrifugo", r), "%s / %s = %.2f", ms(a), ms(b), ratio)
		if !floor {
			continue
		}
		tc, oc, err := CentrifugoFanout(ctx, fl)
		if err != nil {
			return fmt.Errorf("round %d, floor: %w", r, err)
		}
		tc.Title = fmt.Sprintf("Round %d C: the floor, %s", r, tc.Title)
		tc.Print(w)
		c := oc.p99("publish")
		floors = append(floors, float64(c)/float64(max(b, time.Microsecond)))
		sum.Add(fmt.Sprintf("round %d p99 floor / centrifugo", r), "%s / %s = %.2f", ms(c), ms(b), floors[len(floors)-1])
	}
	if len(ratios) == 0 {
		return ctx.Err()
	}
	sum.Add("median ratio (rostrum p99 / centrifugo p99)", "%.2f", median(ratios))
	if len(floors) > 0 {
		sum.Add("median ratio (floor p99 / centrifugo p99)", "%.2f", median(floors))
	}
	sum.Print(w)
	return nil
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
