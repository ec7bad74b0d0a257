package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/httpapi"
	"github.com/okrahq/okra/internal/jobs"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/web"
	"github.com/okrahq/okra/internal/xapi"
)

// Main is a running okra: its store, use cases and HTTP server. End-to-end
// tests start it on ":0" the way the serve command does.
type Main struct {
	DB    DBFlags
	Addr  string
	Log   *slog.Logger
	Clock func() time.Time
	// InsecureCookies lets the web UI sign in over plain HTTP on a host
	// other than localhost (see web.Config).
	InsecureCookies bool
	// Sessions bounds browser sessions; zero fields take the defaults.
	Sessions app.SessionLimits
	// Jobs runs the background workers (reminders, digests, e-mail,
	// webhooks) in this process, polling every JobsPoll (default 5 s).
	Jobs     bool
	JobsPoll time.Duration
	// SMTP is the mail server; an empty Host sends no e-mail (e-mail jobs
	// complete as skipped).
	SMTP jobs.SMTPConfig
	// PublicURL is the address people reach okra at, for links in e-mails.
	PublicURL string
	// SecretKeyFile holds the key that seals webhook signing secrets; empty
	// on SQLite is <data>/secret.key, created on first start.
	SecretKeyFile string
	// Runner schedules and runs the background jobs; Run starts it when
	// Jobs is set, and tests may Tick it themselves.
	Runner *jobs.Runner

	Store    *store.Store
	App      *app.App
	server   *http.Server
	listener net.Listener
	done     chan error
}

// Open opens the database (applying migrations) and builds the use cases.
func (m *Main) Open(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.Default()
	}
	s, err := store.Open(ctx, store.Config{DataDir: m.DB.Data, DatabaseURL: m.DB.DatabaseURL, SynchronousFull: m.DB.SyncFull, Now: m.Clock})
	if err != nil {
		return err
	}
	m.Store = s
	m.App = app.New(s, m.Log)
	m.App.SetSessionLimits(m.Sessions)
	key, err := loadSecretKey(m.SecretKeyFile, m.DB)
	if err != nil {
		s.Close()
		return err
	}
	m.App.SetJobsConfig(app.JobsConfig{SecretKey: key, PublicURL: strings.TrimRight(m.PublicURL, "/")})
	var mailer jobs.Mailer
	if m.SMTP.Host != "" {
		sm, err := jobs.NewSMTPMailer(m.SMTP)
		if err != nil {
			s.Close()
			return err
		}
		mailer = sm
	}
	m.Runner = jobs.New(jobs.Config{App: m.App, Log: m.Log, Mailer: mailer, Now: m.Clock, Poll: m.JobsPoll})
	return nil
}

// Run opens okra if needed and starts serving HTTP on Addr in the background.
func (m *Main) Run(ctx context.Context) error {
	if m.App == nil {
		if err := m.Open(ctx); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Addr, err)
	}
	ui, err := web.New(web.Config{App: m.App, Log: m.Log, InsecureCookies: m.InsecureCookies})
	if err != nil {
		ln.Close()
		return fmt.Errorf("web UI: %w", err)
	}
	m.listener = ln
	m.server = &http.Server{
		Handler:           routes(httpapi.New(m.App, m.Log), xapi.New(m.App, m.Log), ui),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if m.Jobs {
		m.Runner.Start(context.WithoutCancel(ctx))
	}
	m.done = make(chan error, 1)
	go func() {
		err := m.server.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		m.done <- err
	}()
	return nil
}

// routes splits the traffic between the surfaces: the API under /api/ and
// the health check, the Learning Record Store under /xapi/, the web UI
// everywhere else.
func routes(api, lrs, ui http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/xapi/", lrs)
	mux.Handle("/", ui)
	return mux
}

// URL is the server's base URL, e.g. http://127.0.0.1:41234.
func (m *Main) URL() string {
	if m.listener == nil {
		return ""
	}
	return "http://" + m.listener.Addr().String()
}

// Wait blocks until ctx ends or the server fails.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.done:
		return err
	}
}

// Close stops the background jobs (letting running ones finish), stops
// accepting requests, lets running ones finish (up to 10 s), and closes the
// database.
func (m *Main) Close() error {
	var err error
	if m.Runner != nil {
		m.Runner.Stop() // lets the running jobs finish
	}
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = m.server.Shutdown(ctx)
	}
	if m.Store != nil {
		err = errors.Join(err, m.Store.Close())
	}
	return err
}
