// Package app wires Rostrum together: configuration, database, mail
// outbox, live hub, routes and the server's lifecycle.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"
	"gorm.io/gorm"

	"rostrum/accreditation"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/delegations"
	"rostrum/documents"
	"rostrum/door"
	"rostrum/handlers"
	"rostrum/lists"
	"rostrum/live"
	"rostrum/meetings"
	"rostrum/outbox"
	"rostrum/pgfeed"
	"rostrum/privacy"
	"rostrum/ratelimit"
	"rostrum/registration"
	"rostrum/safely"
	"rostrum/store"
	"rostrum/summary"
)

// App is a running Rostrum: its database, its capabilities' services,
// each built once in New, and the HTTP server that serves them.
type App struct {
	Config Config
	Log    *slog.Logger
	DB     *gorm.DB // for its lifecycle (and tests); the services own its tables

	Auth          *auth.Service
	Meetings      *meetings.Service
	Registrations *registration.Service
	Live          *live.Service
	Hub           *live.Hub
	Summary       *summary.Service
	// Delegations is the States' missions and their focal points.
	Delegations *delegations.Service
	// Accreditation closes non-objection notices at their deadline.
	Accreditation *accreditation.Service
	// Outbox delivers queued mail; call Outbox.Notify after committing a
	// transaction that enqueued some.
	Outbox *outbox.Worker
	// Privacy exports and erases personal data; Sweeper anonymizes
	// registrations after retention.
	Privacy *privacy.Service
	Sweeper *privacy.Sweeper

	Handler *handlers.Handler
	Fiber   *fiber.App

	pgFeed *pgfeed.Feed       // the cross-instance change feed, on PostgreSQL
	group  *store.GroupCommit // registrations' shared write transactions, on SQLite

	// background work started by Start and stopped by Shutdown
	cancel context.CancelFunc
	done   []chan struct{}
}

// NewLogger builds the structured logger the configuration asks for.
func NewLogger(cfg Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// New opens the database, runs migrations, creates the configured admin,
// builds every service once and the HTTP server on them. It starts
// nothing; Start does.
func New(cfg Config, log *slog.Logger) (*App, error) {
	db, err := store.Open(cfg.DB, log)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(db); err != nil {
		_ = store.Close(db)
		return nil, fmt.Errorf("migrate: %w", err)
	}
	a, err := build(cfg, log, db)
	if err != nil {
		_ = store.Close(db)
		return nil, err
	}
	if created, err := a.Auth.EnsureAdmin(context.Background(), cfg.AdminEmail, cfg.AdminPassword); err != nil {
		a.closeServices()
		return nil, fmt.Errorf("create admin %s: %w", cfg.AdminEmail, err)
	} else if created {
		log.Info("created secretariat admin", "email", cfg.AdminEmail)
	}
	return a, nil
}

// build makes the services on db, each once, in the order they need
// each other, then the handlers and the HTTP server.
func build(cfg Config, log *slog.Logger, db *gorm.DB) (*App, error) {
	a := &App{Config: cfg, Log: log, DB: db}
	var err error
	a.Outbox, err = outbox.NewWorker(db, outbox.Config{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, From: cfg.SMTPFrom,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS,
		Timeout: cfg.SMTPTimeout, MaxAttempts: cfg.SMTPMaxAttempts, RetryBase: cfg.SMTPRetryBase,
	}, log)
	if err != nil {
		return nil, err
	}
	var limits ratelimit.Counter
	if store.Postgres(db) {
		// Several instances may share the database: one throttle count for
		// all of them.
		limits = &ratelimit.Postgres{DB: db}
	} else {
		limits = ratelimit.NewMemory()
		// SQLite has one writer: registrations share its transactions. A
		// group of 64 holds the write lock for about 20 ms, which bounds
		// what a moderator's command waits during a rush.
		a.group = store.NewGroupCommit(db, 64)
	}
	a.Registrations = &registration.Service{DB: db, PublicURL: cfg.PublicURL(), Notify: a.Outbox.Notify, Group: a.group}
	a.Meetings = &meetings.Service{DB: db, Registrations: a.Registrations}
	a.Auth = auth.NewService(db, cfg.SessionTTL, a.Registrations)
	a.Auth.PublicURL, a.Auth.Notify = cfg.PublicURL(), a.Outbox.Notify
	var feed live.Feed = live.NewLocalFeed()
	if store.Postgres(db) {
		// Several instances share one database: changes cross between them
		// over LISTEN/NOTIFY.
		a.pgFeed = pgfeed.NewFeed(db, cfg.DB, log)
		feed = a.pgFeed
	}
	a.Live = live.NewService(db, feed, a.Registrations, log)
	a.Hub = live.NewHub(a.Live, feed, log)
	a.Hub.SendBuffer, a.Hub.PingInterval, a.Hub.CheckInterval = cfg.LiveSendBuffer, cfg.LivePingInterval, cfg.LiveCheckInterval
	a.Hub.Prepare = handlers.PrepareLiveMessage
	a.Hub.StaffAllowed = handlers.StaffSocketAllowed(a.Auth, log)
	docs := &documents.Service{DB: db}
	a.Delegations = &delegations.Service{DB: db, PublicURL: cfg.PublicURL(), Notify: a.Outbox.Notify,
		Delegates: a.Registrations}
	dists := &lists.Service{DB: db, Missions: missionAddresses(a.Delegations)}
	a.Summary = newSummary(cfg, log, &summary.Service{DB: db, Agenda: a.Meetings, Registry: a.Registrations, Attendance: a.Registrations,
		Speakers: summary.FromLive{Live: a.Live, Registry: a.Registrations}, Library: docs, Lists: dists,
		Meetings: a.Meetings, Notify: a.Outbox.Notify})
	a.Accreditation = &accreditation.Service{DB: db, PublicURL: cfg.PublicURL(), Notify: a.Outbox.Notify,
		Registrations: a.Registrations, Missions: a.Delegations, Log: log}
	auditLog := &audit.Service{DB: db}
	a.Privacy = &privacy.Service{DB: db, Registrations: a.Registrations, Live: a.Live, Notes: a.Summary,
		Audit: auditLog, Notify: a.Outbox.Notify}
	a.Sweeper = &privacy.Sweeper{DB: db, Service: a.Privacy, Meetings: a.Meetings, Log: log,
		Interval: cfg.RetentionSweepInterval}
	a.Handler = &handlers.Handler{
		Log: log,
		Opts: handlers.Options{PublicURL: cfg.PublicURL(), SecureCookies: cfg.SecureCookies,
			RegistrationRateLimit: cfg.RegistrationRateLimit, ParticipantCommandRate: cfg.ParticipantCommandRate,
			ScreenNextSpeakers: cfg.ScreenNextSpeakers},
		Health:        func(ctx context.Context) error { return store.Ping(ctx, db) },
		Auth:          a.Auth,
		Meetings:      a.Meetings,
		Registrations: a.Registrations,
		Live:          a.Live,
		Hub:           a.Hub,
		Summary:       a.Summary,
		Door:          &door.Service{Participants: a.Registrations, Fonts: a.Summary.Fonts},
		Audit:         auditLog,
		Privacy:       a.Privacy,
		Delegations:   a.Delegations,
		Accreditation: a.Accreditation,
		Documents:     docs,
		Lists:         dists,
		Limits:        limits,
	}
	a.Fiber = newServer(cfg, log)
	a.Handler.Routes(a.Fiber)
	return a, nil
}

// newServer builds the HTTP server with its limits and middleware.
func newServer(cfg Config, log *slog.Logger) *fiber.App {
	f := fiber.New(fiber.Config{
		AppName:      "Rostrum",
		ErrorHandler: handlers.ErrorHandler(log),
		BodyLimit:    cfg.BodyLimit,
		ReadTimeout:  cfg.ReadTimeout,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  cfg.IdleTimeout,
		Concurrency:  cfg.MaxConnections,
		// The client's address for the rate limits, from the proxy's
		// header only when the request comes from a trusted proxy.
		ProxyHeader:             cfg.ProxyHeader,
		EnableTrustedProxyCheck: cfg.ProxyHeader != "",
		TrustedProxies:          cfg.TrustedProxyList(),
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
		// Fiber reuses request memory; immutable strings let services keep
		// what handlers pass them.
		Immutable: true,
		// fasthttp hands a websocket its connection's 4 KB request reader
		// unless this lets it return the reader to its pool once a request
		// is read; that is about 5 KB for every live viewer, for little
		// cost on ordinary requests (BENCHMARKS.md, live fan-out). Serve
		// then sets the first request's read deadline itself.
		ReduceMemoryUsage: true,
	})
	// Fiber does not expose fasthttp's per-address limit; set it on the
	// server it will listen with.
	f.Server().MaxConnsPerIP = cfg.MaxConnectionsPerIP
	// A document may be up to 20 MB, every other body at most body_limit:
	// fasthttp reads a body before any handler runs, so the larger limit
	// is given per request as its header arrives, and only to an upload
	// that carries a staff session and a CSRF token (the handler then
	// checks both); anyone else's upload stops at body_limit.
	f.Server().HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if documentUpload(h) && cfg.BodyLimit < documentBodyLimit {
			return fasthttp.RequestConfig{MaxRequestBodySize: documentBodyLimit}
		}
		return fasthttp.RequestConfig{}
	}
	// A websocket's hijacked connection is closed by its handler, exactly
	// once (handlers.liveSocket), not a second time by fasthttp when the
	// handler returns: a double close through the per-address counter
	// brought the process down before fasthttp v1.78.
	f.Server().KeepHijackedConns = true
	// A panic in a handler is logged with its stack and answered 500.
	f.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		safely.Log(log, c.Method()+" "+c.Route().Path, e)
	}}))
	f.Use(requestLogger(log))
	f.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy:     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
		CrossOriginEmbedderPolicy: "unsafe-none",
	}))
	return f
}

// closeServices stops what build started and closes the database, for a
// New that fails after build.
func (a *App) closeServices() {
	if a.group != nil {
		a.group.Close()
	}
	_ = store.Close(a.DB)
}

// requestLogger logs every request with slog, never its query string (it
// may carry a participant's token).
func requestLogger(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status, _ = handlers.Status(err)
		}
		path := c.Path()
		switch {
		case strings.HasPrefix(path, "/r/"):
			path = "/r/…" // the path is the participant's secret
		case strings.HasPrefix(path, "/d/"):
			path = "/d/…" // the path is a mission's secret
		case strings.HasPrefix(path, "/reset/"):
			path = "/reset/…" // the path is a staff member's reset link
		}
		log.Debug("request", "method", c.Method(), "path", path, "status", status,
			"duration", time.Since(start).Round(time.Microsecond), "ip", c.IP())
		return err
	}
}

// circulationCheck is how often each instance looks for scheduled
// circulations that are due: one goes at most this late.
const circulationCheck = time.Second

// Start starts the background workers (mail outbox, scheduled
// circulations, live change feed).
func (a *App) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	outboxDone := make(chan struct{})
	go func() {
		defer close(outboxDone)
		safely.Loop(a.Log, "mail outbox", func() { a.Outbox.Run(ctx) })
	}()
	a.done = append(a.done, outboxDone)
	deadlinesDone := make(chan struct{})
	go func() {
		defer close(deadlinesDone)
		safely.Loop(a.Log, "non-objection deadlines", func() { a.Accreditation.Run(ctx) })
	}()
	a.done = append(a.done, deadlinesDone)
	// The retention sweep claims a due run before the instance serves.
	a.done = append(a.done, a.Sweeper.Start(ctx, func(fn func()) { safely.Loop(a.Log, "retention sweep", fn) }))
	schedulerDone := make(chan struct{})
	go func() {
		defer close(schedulerDone)
		safely.Loop(a.Log, "scheduled circulations", func() { a.Summary.RunScheduler(ctx, circulationCheck, a.Log) })
	}()
	a.done = append(a.done, schedulerDone)
	if a.pgFeed != nil {
		a.pgFeed.Start()
	}
	a.Hub.Start()
}

// Serve starts the workers and serves HTTP on ln until ctx ends, then shuts
// down gracefully within grace.
func (a *App) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	a.Outbox.Instance = instanceName(ln)
	a.Sweeper.Instance = a.Outbox.Instance
	a.Start()
	errc := make(chan error, 1)
	go func() { errc <- a.Fiber.Listener(firstRequestDeadline{ln, a.Config.ReadTimeout}) }()
	select {
	case err := <-errc:
		a.Shutdown(grace)
		return err
	case <-ctx.Done():
	}
	a.Shutdown(grace)
	// When the context ends before the listener goroutine has started
	// serving, Fiber's shutdown finds no server to stop and the listener
	// would then serve forever: closing it ends Listener in every case.
	_ = ln.Close()
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// instanceName names this server instance for the outbox's leases (see
// outbox.Worker.Instance): the host and the address it listens on. Both
// stay the same when the process is restarted on the same host, so a
// restart after a crash takes back the mail it had claimed at once; no
// two running processes of one host can listen on the same address, and
// instances on other hosts have other host names, so no instance takes
// back another's mail.
func instanceName(ln net.Listener) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return host + "/" + ln.Addr().String()
}

// firstRequestDeadline gives every accepted connection the read timeout
// before its first byte. fasthttp sets read deadlines itself, except
// with ReduceMemoryUsage for the first byte of a connection's first
// request: a client that connects and sends nothing would hold its
// connection forever (the faults suite's abandoned connections).
type firstRequestDeadline struct {
	net.Listener
	timeout time.Duration
}

func (l firstRequestDeadline) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		_ = c.SetReadDeadline(time.Now().Add(l.timeout))
	}
	return c, err
}

// Shutdown stops accepting requests, closes websocket viewers, drains the
// workers and closes the database, all within grace.
func (a *App) Shutdown(grace time.Duration) {
	// Websocket viewers first: they hold hijacked connections that the
	// HTTP server's shutdown does not end; they get a going-away frame.
	viewersCtx, cancelViewers := context.WithTimeout(context.Background(), grace)
	a.Hub.Close(viewersCtx)
	cancelViewers()
	if a.pgFeed != nil {
		a.pgFeed.Stop()
	}
	if err := a.Fiber.ShutdownWithTimeout(grace); err != nil {
		a.Log.Warn("shutdown", "err", err)
	}
	if a.group != nil {
		a.group.Close()
	}
	if a.cancel != nil {
		a.cancel()
	}
	for _, d := range a.done {
		select {
		case <-d:
		case <-time.After(grace):
		}
	}
	if err := store.Close(a.DB); err != nil {
		a.Log.Warn("close database", "err", err)
	}
}

// newSummary builds the Chair's summary service. Missing PDF fonts are
// reported at start; everything but the PDF (and circulation, which
// attaches it) keeps working.
func newSummary(cfg Config, log *slog.Logger, s *summary.Service) *summary.Service {
	fonts, err := summary.LoadFonts(cfg.SummaryFontDir)
	if err != nil {
		log.Warn("summary PDF fonts unavailable", "err", err)
	}
	s.Fonts, s.PublicURL = fonts, cfg.PublicURL()
	return s
}

// documentBodyLimit is the largest body of a document upload: the file
// and the form around it.
const documentBodyLimit = documents.MaxSize + 1<<20

// documentUpload reports whether h is the header of a staff upload to a
// meeting's document library (POST /api/meetings/{slug}/documents with
// a session cookie and an X-CSRF-Token).
func documentUpload(h *fasthttp.RequestHeader) bool {
	if string(h.Method()) != fiber.MethodPost || len(h.Peek("X-CSRF-Token")) == 0 || len(h.Cookie(handlers.SessionCookie)) == 0 {
		return false
	}
	p := string(h.RequestURI())
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	rest, ok := strings.CutPrefix(p, "/api/meetings/")
	slug, tail, _ := strings.Cut(rest, "/")
	return ok && slug != "" && tail == "documents"
}

// missionAddresses gives package lists the Permanent Missions' addresses,
// as package delegations holds them.
func missionAddresses(d *delegations.Service) func(ctx context.Context) ([]lists.Address, error) {
	return func(ctx context.Context) ([]lists.Address, error) {
		ms, err := d.Missions(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]lists.Address, 0, len(ms))
		for _, m := range ms {
			out = append(out, lists.Address{Name: m.Name, Email: m.Email})
		}
		return out, nil
	}
}
