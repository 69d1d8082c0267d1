// Command rostrum-load measures a Rostrum server over its public
// interfaces on loopback: the live list's fan-out to many websocket
// viewers, viewers coming and going for hours (churn), a registration
// rush, the summary of a large meeting and a circulation by mail. It
// builds and starts the server from this checkout
// (on a fresh SQLite database unless -db says otherwise), drives it, and
// prints a summary table; every figure is measured, none is asserted
// except correctness (limits held, nothing lost).
//
// The live fan-out can also drive a running Centrifugo (-target
// centrifugo) with the same viewers, as a yardstick, and compare runs the
// two alternately.
//
// On PostgreSQL (-db postgres://…) every run gets a schema of its own in
// that database, dropped at the end (a URL that names a search_path is
// used as it is). With -instances N (live only, PostgreSQL only) the tool
// starts N server instances on that one schema, one after the other; the
// moderator's and participants' commands go to the first, the others
// learn of each change through PostgreSQL (LISTEN/NOTIFY, package pgfeed),
// and the -viewers are split evenly between them. Each instance's viewers
// live in a viewers process of their own (the tool started again; it ends
// when the tool does), because a process can hold only as many sockets as
// its open-file limit allows (20,000 here, `ulimit -Hn`): one instance and
// one viewers process hold at most that, less about 100. Latency is still
// from the command's send to each viewer's receipt of its seq (the viewers
// processes hand over wall-clock receipt times; one machine, one clock),
// and the table has a column per instance and the total. An instance
// whose share is over 9,000 viewers gets max_connections of its share
// plus 1,000. -cpuprofile and -heapprofile profile the first instance.
//
//	go run ./cmd/rostrum-load rush -clients 50 -duration 10s
//	go run ./cmd/rostrum-load -viewers 1000 live        (the next scenario)
//	go run ./cmd/rostrum-load -scenario addremove live
//	go run ./cmd/rostrum-load -target centrifugo -centrifugo-api-key KEY -bytes 300 live
//	go run ./cmd/rostrum-load -viewers 1000 -rounds 3 -centrifugo-api-key KEY compare
//	go run ./cmd/rostrum-load -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable' -instances 2 -viewers 1000 live
//	go run ./cmd/rostrum-load churn -viewers 500 -duration 1h
//	go run ./cmd/rostrum-load ci        (small sizes, for CI)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/store"
)

func main() {
	run := run
	if os.Getenv(childEnv) == "viewers" {
		run = runViewersProcess
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rostrum-load:", err)
		os.Exit(1)
	}
}

const commandsHelp = "rush|live|churn|summary|circulation|compare|floor|ci"

func usage() error {
	return fmt.Errorf("usage: rostrum-load [flags] %s [flags]  (see -h)", commandsHelp)
}

func run(args []string) error {
	fs := flag.NewFlagSet("rostrum-load", flag.ContinueOnError)
	db := fs.String("db", "", "database for the server (default: a fresh SQLite file); on PostgreSQL (postgres://…) a fresh schema in it, dropped afterwards")
	clients := fs.Int("clients", 50, "rush: concurrent registering clients")
	duration := fs.Duration("duration", 10*time.Second, "rush: how long to register; churn: how long viewers come and go")
	capacity := fs.Int("capacity", 5000, "rush: the meeting's seats")
	perOrg := fs.Int("per-org", 5, "rush: representatives per organization")
	orgs := fs.Int("orgs", 10000, "rush: organizations the clients register for (enough that a 10 s rush does not fill them all)")
	viewers := fs.Int("viewers", 1000, "live, compare: websocket viewers (with -instances, split between them); churn: viewers present at once")
	instances := fs.Int("instances", 1, "live: Rostrum instances on the one PostgreSQL database of -db; the viewers are split between them, each instance's in a viewers process of its own, and the commands go to the first")
	commands := fs.Int("commands", 40, "live, compare: rounds (the moderator's Next, command or publication) per run")
	interval := fs.Duration("interval", 500*time.Millisecond, "live, compare, churn: time between moderator commands")
	scenario := fs.String("scenario", ScenarioNext, "live: next (a list of -waiting speakers, the moderator's Next each round, participants asking for the floor and withdrawing between rounds) or addremove (the moderator adds a speaker and removes them)")
	waiting := fs.Int("waiting", 64, "live, compare: speakers waiting on the list in the next scenario")
	target := fs.String("target", "rostrum", "live: rostrum (built and started from this checkout) or centrifugo (a running Centrifugo v6; see below)")
	cfURL := fs.String("centrifugo-url", "http://127.0.0.1:8000", "centrifugo: the server's address (its websocket is /connection/websocket, its API /api)")
	cfKey := fs.String("centrifugo-api-key", "", "centrifugo: the server's http_api.key")
	cfChannel := fs.String("centrifugo-channel", "ns:meeting", "centrifugo: the channel the viewers subscribe to")
	cfPID := fs.Int("centrifugo-pid", 0, "centrifugo: the server's process id, to report its memory and CPU (0: not reported)")
	size := fs.Int("bytes", 300, "centrifugo: size of each publication's data in bytes")
	rounds := fs.Int("rounds", 3, "compare: rounds, each a Rostrum run then a Centrifugo run")
	withFloor := fs.Bool("floor", false, "compare: a third run each round, against the floor (a bare socket writer, see floor) started by the tool")
	floorListen := fs.String("floor-listen", "127.0.0.1:8001", "floor: the address to serve on")
	interventions := fs.Int("interventions", 1000, "summary: interventions with notes")
	summaryOrgs := fs.Int("summary-orgs", 300, "summary: organizations speaking")
	recipients := fs.Int("recipients", 1000, "circulation: approved participants to mail")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the server during the measured phase to this file")
	heapprofile := fs.String("heapprofile", "", "live: write a heap profile of the server with every viewer connected to this file")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: rostrum-load [flags] %s [flags]\n\n", commandsHelp)
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nThe centrifugo target and compare expect a running Centrifugo v6 (memory engine)\n"+
			"that lets anonymous clients connect and subscribe to the channel's namespace, e.g.\n"+
			"centrifugo --config config.json with this config.json:\n\n%s\n", centrifugoConfigHelp)
		fmt.Fprintf(w, "\nThe floor command serves the least a Go server can do for the same viewers (Centrifugo's\n"+
			"connect and subscribe, each publication written straight to every socket): a yardstick of\n"+
			"what the machine and the load client cost. Drive it with live -target centrifugo\n"+
			"-centrifugo-url http://<floor-listen> -centrifugo-api-key any, or add it to compare with -floor.\n")
	}
	// Flags may come before the command, after it, or both.
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() < 1 {
		return usage()
	}
	cmd := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != 0 {
		return usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Printf("machine: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())

	centrifugo := CentrifugoConfig{URL: *cfURL, APIKey: *cfKey, Channel: *cfChannel, Bytes: *size, PID: *cfPID,
		Viewers: *viewers, Messages: *commands, Interval: *interval}
	switch {
	case cmd == "floor":
		if err := raiseOpenFiles(*viewers + openFilesSpare); err != nil {
			return err
		}
		fmt.Printf("floor: serving on %s\n", *floorListen)
		return serveFloor(ctx, *floorListen)
	case cmd == "live" && *target == "centrifugo":
		t, _, err := CentrifugoFanout(ctx, centrifugo)
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
		return nil
	case cmd == "live" && *target != "rostrum":
		return fmt.Errorf("unknown target %q (want rostrum or centrifugo)", *target)
	case cmd == "compare" && (*cfURL == "" || *cfKey == ""):
		return fmt.Errorf("compare needs -centrifugo-url and -centrifugo-api-key")
	}

	// Instances beyond the first share the first one's database and learn
	// of its changes through PostgreSQL (pgfeed); each holds its share of
	// the viewers, and so does a viewers process of its own: the share
	// must fit under the open-file limit of one process.
	shares := []int{*viewers}
	switch {
	case *instances < 1:
		return fmt.Errorf("-instances %d: want 1 or more", *instances)
	case *instances > 1 && cmd != "live":
		return fmt.Errorf("-instances applies to live only")
	case *instances > 1 && !store.IsPostgres(*db):
		return fmt.Errorf("-instances %d needs -db postgres://…: instances share one PostgreSQL database and its LISTEN/NOTIFY feed", *instances)
	case *instances > 1:
		shares = viewerShares(*viewers, *instances)
	}
	if err := raiseOpenFiles(shares[0] + openFilesSpare); err != nil && (cmd == "live" || cmd == "compare" || cmd == "churn") {
		return err
	}

	// The server runs the shipped config.yaml; its clients come from
	// addresses of their own (internal/loopback), as people in a room do.
	// Only the connection limit follows what is measured: it must hold
	// every viewer of the instance at once.
	var env []string
	pprofAddr := ""
	if *cpuprofile != "" || *heapprofile != "" {
		port, err := freePort()
		if err != nil {
			return err
		}
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", port)
		env = append(env, "ROSTRUM_PPROF_LISTEN="+pprofAddr)
	}
	// A local SMTP server takes the server's mail (registration, decisions,
	// circulation) and counts it.
	mail, err := mailtest.Listen()
	if err != nil {
		return err
	}
	defer mail.Stop()
	env = append(env, fmt.Sprintf("ROSTRUM_SMTP_PORT=%d", mail.Port()), "ROSTRUM_SMTP_HOST="+mail.Host())
	// On PostgreSQL the run gets a fresh schema, dropped at the end.
	dsn, drop, err := freshSchema(*db)
	if err != nil {
		return err
	}
	defer func() {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, "rostrum-load:", err)
		}
	}()
	servers, err := StartInstances(ctx, dsn, len(shares), func(i int) []string { return instanceEnv(env, i, shares[i]) })
	if err != nil {
		return err
	}
	defer stopAll(servers)
	srv := servers[0]

	fanout := FanoutConfig{Scenario: *scenario, Viewers: *viewers, Commands: *commands, Interval: *interval, Waiting: *waiting}
	switch cmd {
	case "rush":
		wait := profileServer(pprofAddr, *cpuprofile, *duration)
		t, err := Rush(ctx, srv, RushConfig{Clients: *clients, Duration: *duration, Capacity: *capacity, MaxPerOrg: *perOrg, Organizations: *orgs})
		wait()
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
	case "live":
		fanout.Profile = func() func() { return profileServer(pprofAddr, *cpuprofile, time.Duration(*commands)*(*interval)) }
		fanout.Connected = func() (goroutines, mem string) {
			mem = memStats(pprofAddr)
			heapProfile(pprofAddr, *heapprofile)
			return goroutineCount(pprofAddr), mem
		}
		var t *Table
		if len(servers) > 1 {
			t, err = FanoutInstances(ctx, servers, fanout)
		} else {
			t, err = Fanout(ctx, srv, fanout)
		}
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
	case "compare":
		return Compare(ctx, os.Stdout, srv, fanout, centrifugo, *rounds, *withFloor)
	case "churn":
		t, err := Churn(ctx, srv, ChurnConfig{Viewers: *viewers, Duration: *duration, Interval: *interval})
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
	case "summary":
		t, err := SummaryAtScale(ctx, srv, *interventions, *summaryOrgs)
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
	case "circulation":
		t, err := Circulation(ctx, srv, mail, *recipients)
		if err != nil {
			return err
		}
		t.Print(os.Stdout)
	case "ci":
		// Small sizes so the tool cannot rot; the figures are reported,
		// never asserted, but limits and lost messages are checked.
		rush, err := Rush(ctx, srv, RushConfig{Clients: 20, Duration: 5 * time.Second, Capacity: 300, MaxPerOrg: 2, Organizations: 400})
		if err != nil {
			return err
		}
		live, err := Fanout(ctx, srv, FanoutConfig{Scenario: ScenarioNext, Viewers: 200, Waiting: 16, Commands: 10, Interval: 500 * time.Millisecond})
		if err != nil {
			return err
		}
		sum, err := SummaryAtScale(ctx, srv, 60, 30)
		if err != nil {
			return err
		}
		circ, err := Circulation(ctx, srv, mail, 50)
		if err != nil {
			return err
		}
		churn, err := Churn(ctx, srv, ChurnConfig{Viewers: 100, Duration: 10 * time.Second, Interval: 200 * time.Millisecond})
		if err != nil {
			return err
		}
		for _, t := range []*Table{rush, live, churn, sum, circ} {
			t.Print(os.Stdout)
		}
	default:
		return usage()
	}
	return nil
}
