package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// ServeCmd runs the server.
type ServeCmd struct {
	DBFlags
	LogFlags
	JobFlags
	Addr            string        `help:"Address to listen on." default:"127.0.0.1:8080" env:"OKRA_ADDR"`
	InsecureCookies bool          `help:"Let browsers sign in over plain HTTP on a host other than localhost (session cookie without Secure). For trials only: put okra behind HTTPS." env:"OKRA_INSECURE_COOKIES" name:"insecure-cookies"`
	SessionIdle     time.Duration `help:"A browser session ends after this long without a request." default:"72h" env:"OKRA_SESSION_IDLE" name:"session-idle"`
	SessionMax      time.Duration `help:"A browser session ends this long after sign-in, however active." default:"720h" env:"OKRA_SESSION_MAX" name:"session-max"`
}

// Run serves until interrupted.
func (c *ServeCmd) Run(ctx context.Context) error {
	m := &Main{DB: c.DBFlags, Addr: c.Addr, Log: c.logger(), InsecureCookies: c.InsecureCookies,
		Sessions: app.SessionLimits{Idle: c.SessionIdle, Absolute: c.SessionMax}}
	if err := c.JobFlags.apply(m); err != nil {
		return err
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	m.Log.Info("okra is serving", "url", m.URL(), "database", m.Store.Engine(), "version", version(), "jobs", m.Jobs, "smtp", m.SMTP.Host != "")
	if n, err := m.App.CountOrganizations(ctx); err == nil && n == 0 {
		m.Log.Warn("the database has no organization yet: create one with `okra init --org NAME --email OWNER` (same --data or --database-url)")
	}
	err := m.Wait(ctx)
	m.Log.Info("okra is stopping")
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return err
}

// MigrateCmd applies migrations.
type MigrateCmd struct {
	DBFlags
}

// Run migrates and prints the schema version.
func (c *MigrateCmd) Run(ctx context.Context) error {
	m := &Main{DB: c.DBFlags}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	v, err := m.Store.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%s database is at schema version %d\n", m.Store.Engine(), v)
	return nil
}

// InitCmd creates an organization and its owner.
type InitCmd struct {
	DBFlags
	Org          string `help:"The organization's name." required:"" env:"OKRA_INIT_ORG"`
	Slug         string `help:"The organization's slug (default: from the name)."`
	Email        string `help:"The owner's e-mail." required:"" env:"OKRA_INIT_EMAIL"`
	Name         string `help:"The owner's name (default: from the e-mail)."`
	TimeZone     string `help:"The organization's time zone, e.g. Europe/Berlin." default:"UTC" name:"time-zone"`
	PasswordFile string `help:"A file holding the owner's password (for the web sign-in)." type:"existingfile" name:"password-file"`
}

// Run creates the organization and prints the owner token last.
func (c *InitCmd) Run(ctx context.Context) error {
	m := &Main{DB: c.DBFlags}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	var password string
	if c.PasswordFile != "" {
		b, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return err
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	res, err := m.App.Init(ctx, app.InitInput{OrgName: c.Org, OrgSlug: c.Slug, TimeZone: c.TimeZone, Email: c.Email, Name: c.Name, Password: password})
	if err != nil {
		return describe(err)
	}
	fmt.Printf("Created organization %q (slug %s) with owner %s.\n", res.Org.Name, res.Org.Slug, res.Owner.Email)
	fmt.Println("The owner's API token follows; it is shown only once:")
	fmt.Println(res.Token)
	return nil
}

// TokenCmd mints a token as the operator, with the database as authority.
type TokenCmd struct {
	DBFlags
	Org    string      `help:"The organization's slug." required:""`
	Email  string      `help:"The member's e-mail." required:""`
	Name   string      `help:"What the token is for." default:"okra token (command line)"`
	Scopes []org.Scope `help:"Scopes: read, write, admin (comma-separated)." default:"read,write"`
}

// Run mints the token and prints it last.
func (c *TokenCmd) Run(ctx context.Context) error {
	m := &Main{DB: c.DBFlags}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	for _, s := range c.Scopes {
		if s != org.ScopeRead && s != org.ScopeWrite && s != org.ScopeAdmin {
			return fmt.Errorf("--scopes: %q is not a scope; use read, write or admin", s)
		}
	}
	tk, err := m.App.MintToken(ctx, c.Org, c.Email, c.Name, c.Scopes)
	if err != nil {
		return describe(err)
	}
	fmt.Printf("Minted token %s for %s in %s (scopes %v); it is shown only once:\n", tk.ID, c.Email, c.Org, c.Scopes)
	fmt.Println(tk.Secret)
	return nil
}

// DemoCmd starts the server with the demo organization.
type DemoCmd struct {
	LogFlags
	Data            string `help:"Data directory for the demo's SQLite database." default:"./okra-demo-data" env:"OKRA_DEMO_DATA" type:"path"`
	Addr            string `help:"Address to listen on." default:"127.0.0.1:8080" env:"OKRA_ADDR"`
	InsecureCookies bool   `help:"Let browsers sign in over plain HTTP on a host other than localhost." env:"OKRA_INSECURE_COOKIES" name:"insecure-cookies"`
}

// Run seeds the demo (once per data directory) and serves it.
func (c *DemoCmd) Run(ctx context.Context) error {
	clock := &demo.Clock{}
	m := &Main{DB: DBFlags{Data: c.Data}, Addr: c.Addr, Log: c.logger(), Clock: clock.Now, InsecureCookies: c.InsecureCookies, Jobs: true}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	var token, slug, email string
	res, err := demo.Seed(ctx, m.App, clock, time.Now())
	switch {
	case err == nil:
		token, slug, email = res.Token, res.OrgSlug, res.OwnerEmail
		fmt.Printf("Seeded the demo organization %q into %s.\n", res.OrgSlug, c.Data)
	case demo.Exists(err):
		// Seeded on an earlier run: mint a fresh token for the owner.
		slug, email = demo.OrgSlug, demo.OwnerEmail
		tk, err := m.App.MintToken(ctx, slug, email, "okra demo", []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin})
		if err != nil {
			return describe(err)
		}
		token = tk.Secret
		fmt.Printf("Using the demo organization %q already in %s.\n", slug, c.Data)
	default:
		return describe(err)
	}
	quarter, err := activeQuarter(ctx, m.App, token)
	if err != nil {
		return err
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Printf(`
okra demo is running at %[1]s  (Ctrl-C stops it)

  Open it:     %[7]s/alignment?period=%[6]s
  Sign in as:  %[2]s  password: %[3]s  (the owner of Northwind Group)
  Learning:    %[7]s/learning/dashboard  (skills, gaps and learning; a team's heatmap under Teams → Skills)
  The rhythm:  %[7]s/kpis  %[7]s/inbox  %[7]s/lessons  %[7]s/kudos
  The review:  the quarter before this one is closed: pick it in the period menu, then Dashboard → Period review
  Who am I:    curl -H "Authorization: Bearer $OKRA_TOKEN" %[1]s/api/v1/me
  The tree:    curl -H "Authorization: Bearer $OKRA_TOKEN" "%[1]s/api/v1/alignment?period_id=%[6]s"
  Objectives:  curl -H "Authorization: Bearer $OKRA_TOKEN" "%[1]s/api/v1/objectives?period_id=%[6]s"
  Skill gaps:  curl -H "Authorization: Bearer $OKRA_TOKEN" "%[1]s/api/v1/gaps?scope=org"
  OpenAPI:     %[1]s/api/v1/openapi.json

export OKRA_TOKEN=%[5]s   # the owner of %[4]s
`, m.URL(), email, demo.OwnerPassword, slug, token, quarter, browserURL(m.URL()))
	return m.Wait(ctx)
}

// browserURL is the address to open in a browser: on loopback, "localhost",
// where browsers keep okra's Secure session cookie over plain HTTP.
func browserURL(u string) string {
	return strings.Replace(u, "://127.0.0.1:", "://localhost:", 1)
}

// activeQuarter finds the demo's active quarter, the one with the history.
func activeQuarter(ctx context.Context, a *app.App, token string) (string, error) {
	actor, err := a.Authenticate(ctx, token, "demo")
	if err != nil {
		return "", err
	}
	page, err := a.ListPeriods(ctx, actor, app.PageRequest{Limit: 200})
	if err != nil {
		return "", err
	}
	id, start := "", okr.Date("")
	for _, p := range page.Items {
		if p.State == okr.PeriodActive && p.Kind == okr.PeriodQuarterly && p.StartDate > start {
			id, start = p.ID, p.StartDate
		}
	}
	return id, nil
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Run prints the version.
func (VersionCmd) Run() error {
	fmt.Println("okra", version())
	return nil
}

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			return "dev-" + rev + dirty
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

// describe spells out an okra error for the terminal, one field per line.
func describe(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", flagOf(f.Field), f.Message)
	}
	return errors.New(b.String())
}

// flagOf names the flag behind an input field of okra init.
func flagOf(field string) string {
	switch field {
	case "password":
		return "--password-file"
	case "time_zone":
		return "--time-zone"
	}
	return "--" + strings.ReplaceAll(field, "_", "-")
}
