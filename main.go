// Command rostrum runs the Rostrum server: registration and accreditation,
// the live list of speakers and the Chair's summary for multistakeholder
// consultation meetings.
//
//	rostrum [-config config.yaml] [serve]   run the server
//	rostrum [-config config.yaml] demo      fill the database with a sample meeting
//	rostrum [-config config.yaml] copy-db postgres://...
//	                                        copy every row into an empty PostgreSQL database
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"rostrum/app"
	"rostrum/demo"
	"rostrum/safely"
	"rostrum/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("rostrum", flag.ContinueOnError)
	configPath := fs.String("config", "config.yaml", "configuration file (keys can be overridden by ROSTRUM_<KEY>)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(*configPath, os.Environ())
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg)
	cmd := fs.Arg(0)
	switch cmd {
	case "", "serve":
		return serve(cfg)
	case "demo":
		a, err := app.New(cfg, log)
		if err != nil {
			return err
		}
		defer a.Shutdown(5 * time.Second)
		return demo.Load(context.Background(), demo.ServicesOf(a), os.Stdout)
	case "copy-db":
		if fs.NArg() != 2 || !store.IsPostgres(fs.Arg(1)) {
			return fmt.Errorf("usage: rostrum copy-db postgres://user@host:5432/db (copies the configured database, %s, into it)", cfg.DB)
		}
		src, err := store.Open(cfg.DB, log)
		if err != nil {
			return err
		}
		defer store.Close(src)
		if err := store.Migrate(src); err != nil {
			return err
		}
		dst, err := store.Open(fs.Arg(1), log)
		if err != nil {
			return err
		}
		defer store.Close(dst)
		if err := store.Copy(context.Background(), src, dst, log); err != nil {
			return err
		}
		fmt.Println("copied", cfg.DB, "into PostgreSQL; start Rostrum with ROSTRUM_DB set to that URL")
		return nil
	default:
		return fmt.Errorf("unknown command %q (want serve, demo or copy-db)", cmd)
	}
}

func serve(cfg app.Config) error {
	log := app.NewLogger(cfg)
	a, err := app.New(cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		a.Shutdown(time.Second)
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	if cfg.PprofListen != "" {
		// net/http/pprof registers on the default mux; serve only that, and
		// only on the separate address.
		safely.Go(log, "profiler", func() {
			log.Info("profiler listening", "addr", cfg.PprofListen)
			if err := http.ListenAndServe(cfg.PprofListen, nil); err != nil {
				log.Warn("profiler", "err", err)
			}
		})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Info("Rostrum is running", "url", "http://"+ln.Addr().String(), "database", cfg.DB)
	fmt.Printf("Rostrum is running at http://%s\n", ln.Addr())
	return a.Serve(ctx, ln, 10*time.Second)
}
