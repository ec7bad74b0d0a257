package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchMeasuresEveryPath runs a small okra bench end to end: every
// ceiling and every okra path answers, the JSON holds them all, and the
// table and the targets are printed.
func TestBenchMeasuresEveryPath(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a benchmark for a few seconds")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "bench.json")
	stdout, stderr, code := okraCmd(t, "bench", "--people", "200", "--duration", "300ms", "--warmup", "100ms",
		"--workers", "2", "--data", filepath.Join(dir, "data"), "--json", out)
	if code != 0 {
		t.Fatalf("okra bench exited %d: %s\n%s", code, stderr, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		People       int    `json:"people"`
		Engine       string `json:"engine"`
		GOMAXPROCS   int    `json:"gomaxprocs"`
		Organization struct {
			People     int `json:"people"`
			KeyResults int `json:"key_results"`
		} `json:"organization"`
		Results []struct {
			Name     string  `json:"name"`
			Ceiling  string  `json:"ceiling"`
			Requests int64   `json:"requests"`
			Errors   int64   `json:"errors"`
			Non2xx   int64   `json:"non_2xx"`
			P50      float64 `json:"p50_ms"`
		} `json:"results"`
		TreeRows          float64          `json:"tree_rows_encode_ms"`
		CheckInsPerCommit float64          `json:"check_ins_per_commit"`
		Memory            map[string]int64 `json:"memory_kib"`
		MemoryAtRest      map[string]int64 `json:"memory_at_rest_kib"`
		Targets           []struct {
			Name string `json:"name"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	if rep.People != 200 || rep.Organization.People != 200 || rep.Organization.KeyResults < 200 || rep.Engine != "sqlite" || rep.GOMAXPROCS < 1 {
		t.Errorf("report header: %+v", rep)
	}
	want := map[string]string{"json": "", "sqlite-insert": "", "sqlite-select": "", "okra-checkin": "sqlite-insert",
		"okra-objective": "sqlite-select", "okra-tree": "", "okra-dashboard": "", "okra-gaps": ""}
	for _, r := range rep.Results {
		ceiling, ok := want[r.Name]
		if !ok {
			t.Errorf("unexpected result %q", r.Name)
			continue
		}
		delete(want, r.Name)
		if r.Ceiling != ceiling {
			t.Errorf("%s: ceiling %q, want %q", r.Name, r.Ceiling, ceiling)
		}
		if r.Requests == 0 || r.Errors != 0 || r.Non2xx != 0 || r.P50 <= 0 {
			t.Errorf("%s: %d requests, %d errors, %d non-2xx, p50 %vms", r.Name, r.Requests, r.Errors, r.Non2xx, r.P50)
		}
	}
	for name := range want {
		t.Errorf("no result for %s", name)
	}
	if rep.TreeRows <= 0 || len(rep.Targets) < 3 {
		t.Errorf("tree baseline %vms, %d targets", rep.TreeRows, len(rep.Targets))
	}
	if rep.CheckInsPerCommit < 1 || rep.Memory["VmHWM"] <= 0 || rep.MemoryAtRest["VmRSS"] <= 0 {
		t.Errorf("check-ins per commit %v, memory %v, at rest %v", rep.CheckInsPerCommit, rep.Memory, rep.MemoryAtRest)
	}
	for _, s := range []string{"p99/p50", "okra-checkin", "% of sqlite-insert", "× rows+encode", "check-ins per commit",
		"at the peak while serving", "Generated 200 people"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, stdout)
		}
	}
}

// TestBenchOnly: --only measures the named paths alone, --cpuprofile writes
// a profile of okra's, and an unknown name is refused with the known ones.
func TestBenchOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a benchmark")
	}
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	stdout, stderr, code := okraCmd(t, "bench", "--people", "50", "--duration", "200ms", "--warmup", "50ms", "--workers", "2",
		"--only", "sqlite-select,okra-objective", "--cpuprofile", prof)
	if code != 0 {
		t.Fatalf("okra bench exited %d: %s\n%s", code, stderr, stdout)
	}
	for _, s := range []string{"sqlite-select", "okra-objective", "% of sqlite-select"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, stdout)
		}
	}
	for _, s := range []string{"okra-checkin", "okra-tree", "sqlite-insert", "rows+encode"} {
		if strings.Contains(stdout, s) {
			t.Errorf("output has %q, which --only left out:\n%s", s, stdout)
		}
	}
	if fi, err := os.Stat(prof); err != nil || fi.Size() == 0 {
		t.Errorf("CPU profile: %v", err)
	}
	_, stderr, code = okraCmd(t, "bench", "--people", "10", "--duration", "100ms", "--only", "okra-everything")
	if code == 0 || !strings.Contains(stderr, "okra-everything") || !strings.Contains(stderr, "okra-tree") {
		t.Errorf("--only okra-everything: exit %d, %s", code, stderr)
	}
}
