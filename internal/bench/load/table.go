package load

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Ratio returns r's throughput as a fraction of c's (r.RPS / c.RPS), or 0 when
// c has none.
func (r Result) Ratio(c Result) float64 {
	if c.RPS <= 0 {
		return 0
	}
	return r.RPS / c.RPS
}

// WriteTable prints results as an aligned table: requests per second, p50,
// p95, p99, max, failures, for a result whose Ceiling names another result in
// the list its throughput as a percentage of that ceiling's, and the spread
// p99/p50.
func WriteTable(w io.Writer, results []Result) error {
	byName := make(map[string]Result, len(results))
	for _, r := range results {
		byName[r.Name] = r
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "name\trequests\treq/s\tp50\tp95\tp99\tmax\terrors\tnon-2xx\tvs ceiling\tp99/p50\t")
	for _, r := range results {
		vs := "-"
		if c, ok := byName[r.Ceiling]; ok && r.Ceiling != "" {
			vs = fmt.Sprintf("%.0f%% of %s", 100*r.Ratio(c), c.Name)
		}
		spread := "-"
		if r.P50 > 0 {
			spread = fmt.Sprintf("%.1f×", float64(r.P99)/float64(r.P50))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t\n", r.Name, r.Requests, fmtRPS(r.RPS),
			fmtDur(r.P50), fmtDur(r.P95), fmtDur(r.P99), fmtDur(r.Max), r.Errors, r.Non2xx, vs, spread)
	}
	return tw.Flush()
}

// fmtDur prints a latency in milliseconds with three significant decimals.
func fmtDur(d time.Duration) string { return fmt.Sprintf("%.3fms", ms(d)) }

// fmtRPS prints a throughput in whole requests per second, with one decimal
// below 10 (the slow whole-period reads).
func fmtRPS(rps float64) string {
	if rps < 10 {
		return fmt.Sprintf("%.1f", rps)
	}
	return fmt.Sprintf("%.0f", rps)
}
