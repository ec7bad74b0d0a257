package load_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/okrahq/okra/internal/bench/load"
)

// started fails tb if the ceiling did not start and closes it when tb ends.
func started(tb testing.TB) func(*load.Ceiling, error) *load.Ceiling {
	return func(c *load.Ceiling, err error) *load.Ceiling {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			if err := c.Close(); err != nil {
				tb.Errorf("close %s: %v", c.Name, err)
			}
		})
		return c
	}
}

func checkOrdered(t *testing.T, r load.Result) {
	t.Helper()
	if !(0 < r.P50 && r.P50 <= r.P95 && r.P95 <= r.P99 && r.P99 <= r.Max) {
		t.Errorf("%s: quantiles out of order: p50 %v p95 %v p99 %v max %v", r.Name, r.P50, r.P95, r.P99, r.Max)
	}
}

func TestRunJSONCeiling(t *testing.T) {
	c := started(t)(load.StartJSON())
	r, err := load.Run(context.Background(), load.Config{Name: c.Name, Request: c.Request, Workers: 4,
		Duration: time.Second, Warmup: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Requests <= 0 || r.Errors != 0 || r.Non2xx != 0 {
		t.Fatalf("requests %d, errors %d, non-2xx %d: want requests and no failures", r.Requests, r.Errors, r.Non2xx)
	}
	checkOrdered(t, r)
	if r.Duration < time.Second || r.Duration > 2*time.Second {
		t.Errorf("duration %v, want about 1s", r.Duration)
	}
	if want := float64(r.Requests) / r.Duration.Seconds(); math.Abs(r.RPS-want) > 1e-6*want {
		t.Errorf("rps %f, want requests/duration = %f", r.RPS, want)
	}
	if r.Workers != 4 {
		t.Errorf("workers %d, want 4", r.Workers)
	}
}

func TestSQLiteInsertCeilingInsertsOneRowPerRequest(t *testing.T) {
	ctx := context.Background()
	c := started(t)(load.StartSQLiteInsert(ctx, t.TempDir()))
	r, err := load.Run(ctx, load.Config{Name: c.Name, Request: c.Request, Workers: 4, Requests: 400,
		Warmup: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 400 || r.Errors != 0 || r.Non2xx != 0 {
		t.Fatalf("requests %d, errors %d, non-2xx %d: want 400 requests without failures", r.Requests, r.Errors, r.Non2xx)
	}
	checkOrdered(t, r)
	n, err := c.Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The warm-up inserted too: count it by running a fixed number of
	// requests without one.
	before := n
	r, err = load.Run(ctx, load.Config{Name: c.Name, Request: c.Request, Workers: 3, Requests: 250})
	if err != nil {
		t.Fatal(err)
	}
	if n, err = c.Rows(ctx); err != nil {
		t.Fatal(err)
	}
	ok := r.Requests - r.Errors - r.Non2xx
	if ok != 250 || n-before != ok {
		t.Errorf("%d successful requests inserted %d rows, want 250 and 250", ok, n-before)
	}
	if before < 400 {
		t.Errorf("%d rows after 400 measured inserts and a warm-up", before)
	}
}

func TestSQLiteSelectCeiling(t *testing.T) {
	ctx := context.Background()
	c := started(t)(load.StartSQLiteSelect(ctx, t.TempDir(), 100))
	if n, err := c.Rows(ctx); err != nil || n != 100 {
		t.Fatalf("rows %d, %v; want 100", n, err)
	}
	resp, err := http.Get(c.URL + "/rows/42")
	if err != nil {
		t.Fatal(err)
	}
	var row struct {
		ID        int64     `json:"id"`
		CreatedAt time.Time `json:"created_at"`
	}
	err = json.NewDecoder(resp.Body).Decode(&row)
	resp.Body.Close()
	if err != nil || row.ID != 42 || row.CreatedAt.IsZero() {
		t.Fatalf("GET /rows/42: %+v, %v", row, err)
	}
	r, err := load.Run(ctx, load.Config{Name: c.Name, Request: c.Request, Workers: 4, Requests: 300})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 300 || r.Errors != 0 || r.Non2xx != 0 {
		t.Fatalf("requests %d, errors %d, non-2xx %d: want 300 without failures", r.Requests, r.Errors, r.Non2xx)
	}
	checkOrdered(t, r)
}

func TestNon2xxAndErrorsAreCounted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer srv.Close()
	r, err := load.Run(context.Background(), load.Config{Name: "broken", Request: load.Get(srv.URL), Workers: 2,
		Requests: 50})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 50 || r.Non2xx != 50 || r.Errors != 0 {
		t.Errorf("requests %d, non-2xx %d, errors %d; want 50, 50, 0", r.Requests, r.Non2xx, r.Errors)
	}

	// Nobody listens there any more: every request fails to connect.
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	r, err = load.Run(context.Background(), load.Config{Name: "dead", Request: load.Get(url), Workers: 2, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 10 || r.Errors != 10 || r.Non2xx != 0 {
		t.Errorf("requests %d, errors %d, non-2xx %d; want 10, 10, 0", r.Requests, r.Errors, r.Non2xx)
	}
}

func TestResultJSONAndTable(t *testing.T) {
	ceiling := load.Result{Name: "sqlite-insert", Requests: 1000, Duration: time.Second, RPS: 1000,
		P50: 1500 * time.Microsecond, P95: 2 * time.Millisecond, P99: 3 * time.Millisecond, Max: 9 * time.Millisecond}
	okra := load.Result{Name: "okra-checkin", Ceiling: "sqlite-insert", Requests: 600, Duration: time.Second, RPS: 600,
		P50: 2 * time.Millisecond, P95: 3 * time.Millisecond, P99: 4 * time.Millisecond, Max: 10 * time.Millisecond}
	b, err := json.Marshal(okra)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"name":"okra-checkin"`, `"ceiling":"sqlite-insert"`, `"p50_ms":2`, `"p99_ms":4`, `"rps":600`, `"non_2xx":0`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back load.Result
	if err := json.Unmarshal(b, &back); err != nil || back != okra {
		t.Errorf("round trip: %+v, %v; want %+v", back, err, okra)
	}
	var sb strings.Builder
	if err := load.WriteTable(&sb, []load.Result{ceiling, okra}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "60% of sqlite-insert") {
		t.Errorf("table lacks the ratio:\n%s", sb.String())
	}
}

func TestPostgresCeilings(t *testing.T) {
	url := os.Getenv("OKRA_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("OKRA_TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	ins, err := load.StartPostgresInsert(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := load.StartPostgresSelect(ctx, url, 200)
	if err != nil {
		ins.Close()
		t.Fatal(err)
	}
	r, err := load.Run(ctx, load.Config{Name: ins.Name, Request: ins.Request, Workers: 4, Requests: 200})
	if err != nil {
		t.Fatal(err)
	}
	n, err := ins.Rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 200 || r.Errors != 0 || r.Non2xx != 0 || n != 200 {
		t.Errorf("insert: requests %d, errors %d, non-2xx %d, rows %d; want 200, 0, 0, 200", r.Requests, r.Errors, r.Non2xx, n)
	}
	r, err = load.Run(ctx, load.Config{Name: sel.Name, Request: sel.Request, Workers: 4, Requests: 400})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 400 || r.Errors != 0 || r.Non2xx != 0 {
		t.Errorf("select: requests %d, errors %d, non-2xx %d; want 400, 0, 0", r.Requests, r.Errors, r.Non2xx)
	}
	checkOrdered(t, r)

	// Close drops the scratch tables.
	var tables int
	count := func() {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE tablename LIKE 'okra\_bench\_%'`).Scan(&tables); err != nil {
			t.Fatal(err)
		}
	}
	count()
	before := tables
	if err := ins.Close(); err != nil {
		t.Error(err)
	}
	if err := sel.Close(); err != nil {
		t.Error(err)
	}
	count()
	if before-tables != 2 {
		t.Errorf("closing dropped %d scratch tables, want 2", before-tables)
	}
}
