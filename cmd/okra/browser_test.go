package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/okrahq/okra/internal/demo"
	"github.com/okrahq/okra/internal/org"
)

// The browser tests drive the real okra (Main on ":0", SQLite in a temp dir,
// the demo organization) with Debian's headless Chromium. Without a browser
// they skip, except under CI, where they fail.

// browserPath finds Chromium: $OKRA_CHROMIUM, then the usual names.
func browserPath() string {
	if p := os.Getenv("OKRA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func isCI() bool {
	switch os.Getenv("CI") {
	case "true", "TRUE", "True", "1", "t", "T":
		return true
	}
	return false
}

// site is a running okra with the demo organization, and a browser on it.
type site struct {
	t    *testing.T
	m    *Main
	base string
	ctx  context.Context // the browser tab
	demo demo.Result
}

// startSite starts okra with the demo organization and a fresh browser.
func startSite(t *testing.T) *site {
	t.Helper()
	path := browserPath()
	if path == "" {
		if isCI() {
			t.Fatal("no Chromium found (CI must have one: .ci/run installs Debian's chromium)")
		}
		t.Skip("no Chromium found: install Debian's chromium (or set OKRA_CHROMIUM) to run the browser tests")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	clock := &demo.Clock{}
	m := &Main{DB: DBFlags{Data: t.TempDir()}, Addr: "127.0.0.1:0", Clock: clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, m.App, clock, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := strings.Replace(m.URL(), "127.0.0.1", "localhost", 1)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return &site{t: t, m: m, base: base, ctx: tab, demo: res}
}

// do performs browser steps with a deadline, failing the test on error.
func (s *site) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	get(s, what, chromedp.Steps(steps...))
}

// get runs one browser action with a deadline and returns its value.
func get[T any](s *site, what string, a chromedp.Action[T]) T {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(s.ctx, chromedp.Location())
		s.t.Fatalf("%s (at %s): %v", what, loc, err)
	}
	return v
}

// visit opens a page of okra and waits for its main landmark.
func (s *site) visit(path string) {
	s.t.Helper()
	s.do("visit "+path, chromedp.Navigate(s.base+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// text returns the text of the first element matching a CSS selector.
func (s *site) text(sel string) string {
	s.t.Helper()
	return get(s, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

// ownerActor is the demo owner as the use cases know them (through the demo's token).
func (s *site) ownerActor() org.Actor {
	s.t.Helper()
	a, err := s.m.App.Authenticate(context.Background(), s.demo.Token, "browser-test")
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// signIn signs in through the form.
func (s *site) signIn(email, password string) {
	s.t.Helper()
	s.visit("/signin")
	s.do("sign in",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitReady(chromedp.CSS(".sidebar")),
	)
}

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAccessibility runs axe-core (from testdata, injected into the page)
// against WCAG 2.2 A and AA and fails on a serious or critical violation.
func (s *site) checkAccessibility(page string) {
	s.t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-4.14.1.min.js"))
	if err != nil {
		s.t.Fatal(err)
	}
	get(s, "load axe", chromedp.Evaluate[chromedp.Void](string(src)))
	out := get(s, "axe on "+page, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, resultTypes: ["violations"]})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(1, 2).join(""))}))))`,
		chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		s.t.Fatalf("axe on %s: %v", page, err)
	}
	for _, v := range vs {
		msg := fmt.Sprintf("axe on %s: %s (%s): %s\n    %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			s.t.Error(msg)
		} else {
			s.t.Log(msg)
		}
	}
}

// screenshotDir is where the screenshots go: $OKRA_SCREENSHOT_DIR, else
// .ci/logs/screenshots at the top of the repository (kept by CI).
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("OKRA_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", ".ci", "logs", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// clearViewport ends a viewport emulation: the page lays out in the
// browser window again (1280 × 900).
func clearViewport() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
		return err
	})
}

// screenshots saves the current page at desktop width and at a 390-pixel
// phone width, and fails if the phone view scrolls sideways.
func (s *site) screenshots(name string) {
	s.t.Helper()
	dir := screenshotDir(s.t)
	s.do("desktop viewport", clearViewport())
	desktop := get(s, "desktop screenshot of "+name, chromedp.FullScreenshot(100))
	s.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Sleep(150*time.Millisecond))
	scrollWidth := get(s, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	innerWidth := get(s, "window width", chromedp.Evaluate[int](`window.innerWidth`))
	phone := get(s, "phone screenshot of "+name, chromedp.FullScreenshot(100))
	s.do("back to the window's own viewport", clearViewport())
	if w := get(s, "window width", chromedp.Evaluate[int](`window.innerWidth`)); w < 1000 {
		s.t.Fatalf("after the phone screenshot of %s the window is %d px wide, want the desktop width again", name, w)
	}
	if scrollWidth > innerWidth {
		s.t.Errorf("%s scrolls sideways on a 390-pixel phone: the page is %d px wide", name, scrollWidth)
	}
	for file, b := range map[string][]byte{name + "-desktop.png": desktop, name + "-phone.png": phone} {
		if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
}

func TestBrowserSignInAndOut(t *testing.T) {
	s := startSite(t)
	s.visit("/account/password")
	if got := s.text("h1"); got != "Sign in" {
		t.Fatalf("a signed-out visit shows %q, want the sign-in page", got)
	}
	s.checkAccessibility("sign-in")
	s.screenshots("signin")

	// A wrong password says so, without saying which part was wrong.
	s.do("wrong password",
		chromedp.SendKeys(chromedp.CSS("#email"), demo.OwnerEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), "not-the-password"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(".form-error")),
	)
	if got := s.text(".form-error"); !strings.Contains(got, "e-mail or password is wrong") {
		t.Fatalf("wrong password shows %q", got)
	}

	s.signIn(demo.OwnerEmail, demo.OwnerPassword)
	s.visit("/account/password")
	if got := s.text("h1"); got != "Change password" {
		t.Fatalf("signed in, /account/password shows %q", got)
	}
	s.checkAccessibility("change-password")

	// Sign out ends the session on the server: the old cookie no longer works.
	s.do("sign out",
		chromedp.Click(chromedp.CSS(".user-menu summary")),
		chromedp.Click(chromedp.CSS(`.user-menu form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	s.visit("/account/password")
	if got := s.text("h1"); got != "Sign in" {
		t.Fatalf("after sign-out, /account/password shows %q", got)
	}
}
