package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/bench/load"
	"github.com/okrahq/okra/internal/bench/synth"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// BenchCmd generates a synthetic organization, starts okra on it and measures
// it against the machine's own ceilings (docs/performance.md).
type BenchCmd struct {
	People      int           `help:"Size of the synthetic organization (e.g. 1000, 10000 or 100000)." default:"1000"`
	Duration    time.Duration `help:"How long each measurement lasts." default:"5s"`
	Warmup      time.Duration `help:"Warm-up before each measurement (not recorded)." default:"2s"`
	Workers     int           `help:"Concurrent connections, each with one request in flight (default: twice GOMAXPROCS)."`
	DatabaseURL string        `help:"Benchmark on this PostgreSQL server (postgres://…) instead of SQLite; the ceilings then use it too." name:"database-url"`
	Data        string        `help:"Keep the SQLite databases in this directory (default: a temporary one, removed afterwards)." type:"path"`
	JSON        string        `help:"Also write every result as JSON to this file." name:"json" type:"path"`
	Seed        uint64        `help:"Seed of the synthetic organization and of the request mix." default:"1"`
	Only        []string      `help:"Measure only these (e.g. --only sqlite-insert,okra-checkin); default: all." sep:","`
	CPUProfile  string        `help:"Write a CPU profile of okra's measurements to this file (go tool pprof)." name:"cpuprofile" type:"path"`
}

// Targets of issue 7, in the same run on the same machine.
const (
	targetWriteShare = 0.5 // check-ins ≥ 50% of the bare insert
	targetReadShare  = 0.5 // one objective ≥ 50% of the bare select
	targetTreeFactor = 3.0 // tree < 3× reading its rows and encoding them
	targetSpread     = 10.0
)

// benchReport is what --json writes.
type benchReport struct {
	Machine      benchMachine  `json:"machine"`
	GoVersion    string        `json:"go_version"`
	GOMAXPROCS   int           `json:"gomaxprocs"`
	People       int           `json:"people"`
	Engine       string        `json:"engine"`
	Organization benchOrg      `json:"organization"`
	GenerationMS float64       `json:"generation_ms"`
	Workers      int           `json:"workers"`
	Results      []load.Result `json:"results"`
	TreeRowsMS   float64       `json:"tree_rows_encode_ms"` // median, in process
	Targets      []benchTarget `json:"targets"`
	// CheckInsPerCommit is the mean number of write transactions a commit
	// of SQLite's writer held during the check-in measurement.
	CheckInsPerCommit float64 `json:"check_ins_per_commit,omitempty"`
	// Memory is VmRSS and VmHWM (KiB) of this process: okra, the ceilings
	// and the load generator. At rest is after the organization's generation
	// and a GC; the peak is reset then, so it is that of serving.
	Memory       map[string]int64 `json:"memory_kib,omitempty"`
	MemoryAtRest map[string]int64 `json:"memory_at_rest_kib,omitempty"`
}

type benchMachine struct {
	OS    string `json:"os"`
	Arch  string `json:"arch"`
	CPUs  int    `json:"cpus"`
	Model string `json:"cpu_model,omitempty"`
}

type benchOrg struct {
	People      int `json:"people"`
	Teams       int `json:"teams"`
	Objectives  int `json:"objectives"`
	KeyResults  int `json:"key_results"`
	CheckIns    int `json:"check_ins"`
	Skills      int `json:"skills"`
	Assessments int `json:"assessments"`
	Enrollments int `json:"enrollments"`
}

type benchTarget struct {
	Name  string  `json:"name"`
	Want  string  `json:"want"`
	Value float64 `json:"value"`
	Text  string  `json:"text"`
	Met   bool    `json:"met"`
}

// Run generates the organization, starts okra and the ceilings, measures,
// and prints the table.
func (c *BenchCmd) Run(ctx context.Context) error {
	if c.People < 1 {
		return errors.New("--people: give a positive number, e.g. 1000, 10000 or 100000")
	}
	if c.Duration <= 0 {
		return errors.New("--duration: give a positive duration, e.g. 10s")
	}
	if c.Workers <= 0 {
		c.Workers = load.DefaultWorkers()
	}
	engine := "sqlite"
	dir := c.Data
	if c.DatabaseURL != "" {
		engine = "postgres"
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "okra-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	out := os.Stdout
	rep := benchReport{Machine: machine(), GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		People: c.People, Engine: engine, Workers: c.Workers}
	fmt.Fprintf(out, "okra bench: %d people on %s, %s per measurement after %s of warm-up, %d workers, GOMAXPROCS %d, %s\n",
		c.People, engine, c.Duration, c.Warmup, c.Workers, rep.GOMAXPROCS, rep.GoVersion)

	m := &Main{DB: DBFlags{Data: dir, DatabaseURL: c.DatabaseURL}, Addr: "127.0.0.1:0",
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()

	// A fresh slug each run: a kept --data directory or a shared PostgreSQL
	// database may hold an earlier run's organization.
	var b [4]byte
	rand.Read(b[:])
	slug := "bench-" + hex.EncodeToString(b[:])
	t0 := time.Now()
	gen, err := synth.Generate(ctx, m.Store, synth.Config{People: c.People, Seed: c.Seed, Slug: slug})
	if err != nil {
		return err
	}
	genTime := time.Since(t0)
	rep.GenerationMS = float64(genTime) / float64(time.Millisecond)
	rep.Organization = benchOrg{People: gen.People, Teams: gen.Teams, Objectives: gen.Objectives, KeyResults: gen.KeyResults,
		CheckIns: gen.CheckIns, Skills: gen.Skills, Assessments: gen.Assessments, Enrollments: gen.Enrollments}
	fmt.Fprintf(out, "Generated %d people, %d teams (%d levels), %d objectives, %d key results, %d check-ins, %d skills, %d assessments, %d enrollments in %s.\n",
		gen.People, gen.Teams, gen.TeamLevels, gen.Objectives, gen.KeyResults, gen.CheckIns, gen.Skills, gen.Assessments, gen.Enrollments,
		genTime.Round(time.Millisecond))

	// What generating left behind is garbage: free it, and restart the peak
	// so that it is serving's.
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	rep.MemoryAtRest = memory()

	tk, err := m.App.MintToken(ctx, gen.Slug, gen.OwnerEmail, "okra bench", []org.Scope{org.ScopeRead, org.ScopeWrite})
	if err != nil {
		return describe(err)
	}
	if err := m.Run(ctx); err != nil {
		return err
	}

	// What the requests spread over, and the tree's baseline.
	var objectives []okr.Objective
	var krs []okr.KeyResult
	if err := m.Store.Read(ctx, func(tx app.Tx) error {
		var err error
		if objectives, err = tx.ListObjectives(ctx, gen.OrgID, okr.ObjectiveFilter{PeriodID: gen.QuarterID}); err != nil {
			return err
		}
		krs, err = tx.ListKeyResults(ctx, gen.OrgID, okr.KeyResultFilter{PeriodID: gen.QuarterID})
		return err
	}); err != nil {
		return fmt.Errorf("list the quarter's objectives: %w", err)
	}
	var numeric []okr.KeyResult // key results a value checks in
	for _, k := range krs {
		if k.Kind == okr.Increase || k.Kind == okr.Decrease {
			numeric = append(numeric, k)
		}
	}
	if len(objectives) == 0 || len(numeric) == 0 {
		return errors.New("the synthetic organization has no objectives or numeric key results")
	}
	rng := mrand.New(mrand.NewPCG(c.Seed, c.Seed+1))
	rng.Shuffle(len(objectives), func(i, j int) { objectives[i], objectives[j] = objectives[j], objectives[i] })
	rng.Shuffle(len(numeric), func(i, j int) { numeric[i], numeric[j] = numeric[j], numeric[i] })

	// The ceilings.
	var ceilings []*load.Ceiling
	defer func() {
		for _, ce := range ceilings {
			ce.Close()
		}
	}()
	start := func(ce *load.Ceiling, err error) (*load.Ceiling, error) {
		if ce != nil {
			ceilings = append(ceilings, ce)
		}
		return ce, err
	}
	rows := max(1000, len(objectives))
	jsonC, err := start(load.StartJSON())
	if err != nil {
		return err
	}
	var insert, sel *load.Ceiling
	if c.DatabaseURL == "" {
		if insert, err = start(load.StartSQLiteInsert(ctx, dir)); err != nil {
			return err
		}
		if sel, err = start(load.StartSQLiteSelect(ctx, dir, rows)); err != nil {
			return err
		}
	} else {
		if insert, err = start(load.StartPostgresInsert(ctx, c.DatabaseURL)); err != nil {
			return err
		}
		if sel, err = start(load.StartPostgresSelect(ctx, c.DatabaseURL, rows)); err != nil {
			return err
		}
	}

	base := m.URL() + "/api/v1"
	auth := "Bearer " + tk.Secret
	get := func(path func(i int) string) load.RequestFunc {
		return func(i int) (*http.Request, error) {
			r, err := http.NewRequest(http.MethodGet, base+path(i), nil)
			if err == nil {
				r.Header.Set("Authorization", auth)
			}
			return r, err
		}
	}
	checkIn := func(i int) (*http.Request, error) {
		k := numeric[i%len(numeric)]
		// A value between the baseline and the target, moving each time.
		v := math.Round(k.Baseline + (k.Target-k.Baseline)*float64(i%97)/97)
		status := []string{"on_track", "at_risk", "off_track"}[i%3]
		body := fmt.Sprintf(`{"value":%g,"confidence":%.2f,"status":%q,"note":"okra bench"}`, v, 0.5+float64(i%5)/10, status)
		r, err := http.NewRequest(http.MethodPost, base+"/key-results/"+k.ID+"/check-ins", strings.NewReader(body))
		if err == nil {
			r.Header.Set("Authorization", auth)
			r.Header.Set("Content-Type", "application/json")
		}
		return r, err
	}
	quarter := url.QueryEscape(gen.QuarterID)
	runs := []load.Config{
		{Name: jsonC.Name, Request: jsonC.Request},
		{Name: insert.Name, Request: insert.Request},
		{Name: sel.Name, Request: sel.Request},
		{Name: "okra-checkin", Ceiling: insert.Name, Request: checkIn},
		{Name: "okra-objective", Ceiling: sel.Name, Request: get(func(i int) string { return "/objectives/" + objectives[i%len(objectives)].ID })},
		{Name: "okra-tree", Request: get(func(int) string { return "/alignment?period_id=" + quarter })},
		{Name: "okra-dashboard", Request: get(func(int) string { return "/dashboard?period_id=" + quarter })},
		{Name: "okra-gaps", Request: get(func(int) string { return "/gaps?scope=" + url.QueryEscape("team:"+gen.LargestTeamID) })},
	}
	if len(c.Only) > 0 {
		runs = slices.DeleteFunc(runs, func(cfg load.Config) bool { return !slices.Contains(c.Only, cfg.Name) })
		if len(runs) == 0 {
			return fmt.Errorf("--only: none of %s is a measurement (json, %s, %s, okra-checkin, okra-objective, okra-tree, okra-dashboard, okra-gaps)",
				strings.Join(c.Only, ", "), insert.Name, sel.Name)
		}
	}
	var profile *os.File
	stopProfile := func() error {
		if profile == nil {
			return nil
		}
		pprof.StopCPUProfile()
		err := profile.Close()
		profile = nil
		return err
	}
	defer stopProfile()
	for _, cfg := range runs {
		if c.CPUProfile != "" && profile == nil && strings.HasPrefix(cfg.Name, "okra-") {
			if profile, err = os.Create(c.CPUProfile); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
			if err := pprof.StartCPUProfile(profile); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
		}
		cfg.Workers, cfg.Duration, cfg.Warmup = c.Workers, c.Duration, c.Warmup
		// The whole-period reads of a large organization take seconds: let
		// them finish rather than count them as failures.
		cfg.Timeout = 5 * time.Minute
		fmt.Fprintf(out, "measuring %s…\n", cfg.Name)
		g0, w0 := m.Store.GroupCommits()
		r, err := load.Run(ctx, cfg)
		if err != nil {
			return err
		}
		if g, w := m.Store.GroupCommits(); cfg.Name == "okra-checkin" && g > g0 {
			rep.CheckInsPerCommit = float64(w-w0) / float64(g-g0)
		}
		rep.Results = append(rep.Results, r)
	}
	if err := stopProfile(); err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}

	// The tree's baseline: read its rows and encode them, in process.
	var treeRows time.Duration
	if slices.ContainsFunc(runs, func(cfg load.Config) bool { return cfg.Name == "okra-tree" }) {
		if treeRows, err = rowsAndEncode(ctx, m, gen, c.Duration); err != nil {
			return err
		}
	}
	rep.TreeRowsMS = float64(treeRows) / float64(time.Millisecond)
	rep.Memory = memory()

	fmt.Fprintln(out)
	if err := load.WriteTable(out, rep.Results); err != nil {
		return err
	}
	rep.Targets = targets(rep.Results, treeRows)
	if treeRows > 0 {
		fmt.Fprintf(out, "\ntree rows+encode (in process, median): %.3fms\n", rep.TreeRowsMS)
	}
	fmt.Fprintf(out, "\nTargets (same machine, same run):\n")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, t := range rep.Targets {
		met := "met"
		if !t.Met {
			met = "not met"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.Name, t.Want, t.Text, met)
	}
	tw.Flush()
	if rep.CheckInsPerCommit > 0 {
		fmt.Fprintf(out, "\nGroup commit: %.1f check-ins per commit of the writer on average.\n", rep.CheckInsPerCommit)
	}
	if rep.Memory != nil && rep.MemoryAtRest != nil {
		fmt.Fprintf(out, "\nMemory of this process (okra, the ceilings and the load generator): %d MiB at rest after generating, "+
			"%d MiB after the runs, %d MiB at the peak while serving\n",
			rep.MemoryAtRest["VmRSS"]/1024, rep.Memory["VmRSS"]/1024, rep.Memory["VmHWM"]/1024)
	}
	for _, r := range rep.Results {
		if r.Errors > 0 || r.Non2xx > 0 {
			fmt.Fprintf(os.Stderr, "okra bench: %s had %d errors and %d non-2xx responses\n", r.Name, r.Errors, r.Non2xx)
		}
	}
	if c.JSON != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.JSON, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	return nil
}

// rowsAndEncode is the least the alignment tree can cost: read the period's
// objectives and key results and encode them as JSON, in process. It
// repeats for up to budget (at least 5 times) and returns the median.
func rowsAndEncode(ctx context.Context, m *Main, gen synth.Result, budget time.Duration) (time.Duration, error) {
	var times []time.Duration
	deadline := time.Now().Add(budget)
	for len(times) < 5 || (time.Now().Before(deadline) && len(times) < 1000) {
		t0 := time.Now()
		err := m.Store.Read(ctx, func(tx app.Tx) error {
			os, err := tx.ListObjectives(ctx, gen.OrgID, okr.ObjectiveFilter{PeriodID: gen.QuarterID})
			if err != nil {
				return err
			}
			krs, err := tx.ListKeyResults(ctx, gen.OrgID, okr.KeyResultFilter{PeriodID: gen.QuarterID})
			if err != nil {
				return err
			}
			return json.NewEncoder(io.Discard).Encode(struct {
				Objectives []okr.Objective `json:"objectives"`
				KeyResults []okr.KeyResult `json:"key_results"`
			}{os, krs})
		})
		if err != nil {
			return 0, fmt.Errorf("tree rows+encode: %w", err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// targets checks issue 7's targets against the results.
func targets(results []load.Result, treeRows time.Duration) []benchTarget {
	by := map[string]load.Result{}
	for _, r := range results {
		by[r.Name] = r
	}
	var out []benchTarget
	for _, r := range results {
		ce, ok := by[r.Ceiling]
		if r.Ceiling == "" || !ok {
			continue
		}
		want := targetWriteShare
		if r.Name == "okra-objective" {
			want = targetReadShare
		}
		ratio := r.Ratio(ce)
		out = append(out, benchTarget{Name: r.Name + " vs " + ce.Name, Want: fmt.Sprintf("≥ %.0f%%", 100*want), Value: ratio,
			Text: fmt.Sprintf("%.0f%%", 100*ratio), Met: ratio >= want})
	}
	if t, ok := by["okra-tree"]; ok && treeRows > 0 {
		f := float64(t.P50) / float64(treeRows)
		out = append(out, benchTarget{Name: "okra-tree p50 vs rows+encode", Want: fmt.Sprintf("< %.0f×", targetTreeFactor), Value: f,
			Text: fmt.Sprintf("%.1f× rows+encode", f), Met: f < targetTreeFactor})
	}
	for _, r := range results {
		if !strings.HasPrefix(r.Name, "okra-") || r.P50 <= 0 {
			continue
		}
		f := float64(r.P99) / float64(r.P50)
		out = append(out, benchTarget{Name: r.Name + " p99/p50", Want: fmt.Sprintf("< %.0f×", targetSpread), Value: f,
			Text: fmt.Sprintf("%.1f×", f), Met: f < targetSpread})
	}
	return out
}

// machine describes the host.
func machine() benchMachine {
	m := benchMachine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// memory reads the process's resident size and its peak (KiB) from
// /proc/self/status; nil where there is none.
func memory() map[string]int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
			out[k] = n
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
