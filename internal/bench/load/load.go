// Package load is okra bench's load generator and the ceilings it measures
// okra against.
//
// Run drives a closed loop on loopback: a fixed number of workers each send a
// request, wait for the whole response, and send the next, for a duration or
// a number of requests, after a warm-up. Every latency goes into a log-linear
// histogram (under 1% relative error), so p99 is exact enough to compare.
//
// The ceilings (StartJSON, StartSQLiteInsert, StartSQLiteSelect,
// StartPostgresInsert, StartPostgresSelect) are tiny servers in the same
// process doing the least a request can do: answer a small JSON, insert one
// row, select one row by primary key. Measured with the same generator in the
// same run, they say what this machine allows.
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RequestFunc builds the i-th request of a run (i counts from 0 across all
// workers, warm-up included). It is called concurrently by the workers and
// must return a new request each time. An error stops the run.
type RequestFunc func(i int) (*http.Request, error)

// Get returns a RequestFunc that sends GET url.
func Get(url string) RequestFunc {
	return func(int) (*http.Request, error) { return http.NewRequest(http.MethodGet, url, nil) }
}

// Post returns a RequestFunc that sends POST url with the body body(i), of
// content type application/json.
func Post(url string, body func(i int) []byte) RequestFunc {
	return func(i int) (*http.Request, error) {
		r, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body(i))))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// Config describes one measurement.
type Config struct {
	// Name labels the result, e.g. "sqlite-insert" or "okra-checkin".
	Name string
	// Ceiling names the result this one is compared with in WriteTable
	// ("" for a ceiling itself).
	Ceiling string
	// Request builds each request. Required.
	Request RequestFunc
	// Workers is the number of concurrent connections, each with one request
	// in flight; 0 means DefaultWorkers().
	Workers int
	// Duration bounds the measured phase; Requests bounds it by count. When
	// both are set the run stops at whichever comes first; when neither is,
	// it lasts 5 seconds.
	Duration time.Duration
	Requests int
	// Warmup is a phase run before the measurement, whose requests are not
	// recorded (connections opened, caches and statements warmed).
	Warmup time.Duration
	// Timeout bounds each request; 0 means 10 seconds.
	Timeout time.Duration
}

// DefaultWorkers is twice GOMAXPROCS: enough requests in flight to keep the
// server busy on every core while the client waits for responses.
func DefaultWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

// Result is the outcome of one measurement. In JSON, durations are float
// milliseconds (the fields ending in _ms).
type Result struct {
	Name    string
	Ceiling string // the name of the result this one is compared with, if any
	Workers int
	// Requests is the number of requests completed in the measured phase,
	// whatever their outcome.
	Requests int64
	// Errors counts requests that got no response (connection refused, reset,
	// timeout); Non2xx those answered with a status outside 200–299. Both are
	// included in Requests; latencies are recorded for every response, not
	// for errors.
	Errors   int64
	Non2xx   int64
	Duration time.Duration // wall time of the measured phase
	RPS      float64       // Requests / Duration
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
	Max      time.Duration
}

type resultJSON struct {
	Name       string  `json:"name"`
	Ceiling    string  `json:"ceiling,omitempty"`
	Workers    int     `json:"workers"`
	Requests   int64   `json:"requests"`
	Errors     int64   `json:"errors"`
	Non2xx     int64   `json:"non_2xx"`
	DurationMS float64 `json:"duration_ms"`
	RPS        float64 `json:"rps"`
	P50MS      float64 `json:"p50_ms"`
	P95MS      float64 `json:"p95_ms"`
	P99MS      float64 `json:"p99_ms"`
	MaxMS      float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMS(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// MarshalJSON writes r in snake_case with durations as float milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultJSON{Name: r.Name, Ceiling: r.Ceiling, Workers: r.Workers,
		Requests: r.Requests, Errors: r.Errors, Non2xx: r.Non2xx, DurationMS: ms(r.Duration), RPS: r.RPS,
		P50MS: ms(r.P50), P95MS: ms(r.P95), P99MS: ms(r.P99), MaxMS: ms(r.Max)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result{Name: j.Name, Ceiling: j.Ceiling, Workers: j.Workers, Requests: j.Requests, Errors: j.Errors,
		Non2xx: j.Non2xx, Duration: fromMS(j.DurationMS), RPS: j.RPS,
		P50: fromMS(j.P50MS), P95: fromMS(j.P95MS), P99: fromMS(j.P99MS), Max: fromMS(j.MaxMS)}
	return nil
}

// NewClient returns an HTTP/1.1 client for workers concurrent requests to one
// host: keep-alive, one idle connection kept per worker (so no connection is
// ever reopened in the loop), no compression, no proxy.
func NewClient(workers int, timeout time.Duration) *http.Client {
	t := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        workers,
		MaxIdleConnsPerHost: workers,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: t, Timeout: timeout}
}

// Run measures cfg.Request under cfg.Workers concurrent workers. It returns an
// error if the configuration is invalid, a request cannot be built, or ctx is
// cancelled; failed requests are counted in the result, not returned.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Request == nil {
		return Result{}, errors.New("load: no request function")
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = DefaultWorkers()
	}
	if cfg.Duration <= 0 && cfg.Requests <= 0 {
		cfg.Duration = 5 * time.Second
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := NewClient(workers, timeout)
	defer client.CloseIdleConnections()

	var next atomic.Int64 // request index, shared by both phases
	if cfg.Warmup > 0 {
		if _, err := phase(ctx, client, cfg.Request, workers, &next, cfg.Warmup, 0); err != nil {
			return Result{}, fmt.Errorf("%s: warm-up: %w", cfg.Name, err)
		}
	}
	p, err := phase(ctx, client, cfg.Request, workers, &next, cfg.Duration, cfg.Requests)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", cfg.Name, err)
	}
	r := Result{Name: cfg.Name, Ceiling: cfg.Ceiling, Workers: workers, Requests: p.requests,
		Errors: p.errors, Non2xx: p.non2xx, Duration: p.elapsed,
		P50: p.hist.quantile(0.50), P95: p.hist.quantile(0.95), P99: p.hist.quantile(0.99), Max: p.hist.max}
	if p.elapsed > 0 {
		r.RPS = float64(p.requests) / p.elapsed.Seconds()
	}
	return r, nil
}

type phaseResult struct {
	requests, errors, non2xx int64
	elapsed                  time.Duration
	hist                     *histogram
}

// phase runs workers closed loops until dur has passed (if > 0) or count
// requests have been started (if > 0). Elapsed runs until the last response
// is in, so that requests/elapsed is the throughput.
func phase(ctx context.Context, client *http.Client, req RequestFunc, workers int, next *atomic.Int64,
	dur time.Duration, count int) (phaseResult, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	var deadline time.Time
	if dur > 0 {
		deadline = start.Add(dur)
	}
	first := next.Load()
	type workerResult struct {
		requests, errors, non2xx int64
		hist                     *histogram
		err                      error
	}
	results := make([]workerResult, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			res := &results[w]
			res.hist = newHistogram()
			for wctx.Err() == nil {
				if !deadline.IsZero() && !time.Now().Before(deadline) {
					return
				}
				i := next.Add(1) - 1
				if count > 0 && i-first >= int64(count) {
					return
				}
				r, err := req(int(i))
				if err != nil {
					res.err = fmt.Errorf("build request %d: %w", i, err)
					cancel()
					return
				}
				t0 := time.Now()
				resp, err := client.Do(r.WithContext(wctx))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat := time.Since(t0)
				if wctx.Err() != nil {
					return // cancelled mid-request: not a server failure
				}
				res.requests++
				switch {
				case err != nil:
					res.errors++
				case resp.StatusCode < 200 || resp.StatusCode > 299:
					res.non2xx++
					res.hist.record(lat)
				default:
					res.hist.record(lat)
				}
			}
		})
	}
	wg.Wait()
	p := phaseResult{elapsed: time.Since(start), hist: newHistogram()}
	for _, r := range results {
		if r.err != nil {
			return p, r.err
		}
		p.requests += r.requests
		p.errors += r.errors
		p.non2xx += r.non2xx
		p.hist.merge(r.hist)
	}
	return p, ctx.Err()
}
