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
// the median of the rounds. The meeting is set up once; every run
// connects its own viewers.
func Compare(ctx context.Context, w io.Writer, srv *Server, live FanoutConfig, cf CentrifugoConfig, rounds int) error {
	live.Scenario = ScenarioNext
	p, err := newPlay(srv, live)
	if err != nil {
		return err
	}
	sum := &Table{Title: fmt.Sprintf("Rostrum next vs Centrifugo %d-byte publish: %d viewers, %d changes a run every %s", cf.Bytes, live.Viewers, live.Commands, live.Interval)}
	var ratios []float64
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
	}
	if len(ratios) == 0 {
		return ctx.Err()
	}
	sum.Add("median ratio (rostrum p99 / centrifugo p99)", "%.2f", median(ratios))
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
