package load

import (
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: each power of two is split into
// 1<<subBits linear buckets, so a recorded value is known to within 1/128
// (0.8%) of itself, enough for a p99.
const subBits = 7

const (
	subCount = 1 << subBits
	// bucketCount covers every non-negative int64: values below subCount are
	// exact, and each of the 64-subBits higher powers of two has subCount
	// buckets.
	bucketCount = subCount + (64-subBits)*subCount
)

// histogram records latencies in log-linear buckets (as HdrHistogram does):
// constant memory whatever the number of samples, and a relative error below
// 1%. The zero value is not usable; use newHistogram. Not safe for concurrent
// use: each worker keeps its own and they are merged at the end.
type histogram struct {
	counts []uint64
	total  uint64
	max    time.Duration
}

func newHistogram() *histogram {
	return &histogram{counts: make([]uint64, bucketCount)}
}

// bucketOf returns the index of the bucket holding v nanoseconds.
func bucketOf(v int64) int {
	if v < subCount {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	e := bits.Len64(uint64(v)) - subBits - 1 // v>>e is in [subCount, 2*subCount)
	return subCount + e*subCount + int(v>>e) - subCount
}

// bucketHigh returns the largest value that falls into bucket i.
func bucketHigh(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	e := (i - subCount) / subCount
	m := int64((i-subCount)%subCount + subCount)
	return (m+1)<<e - 1
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(int64(d))]++
	h.total++
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
	h.max = max(h.max, o.max)
}

// quantile returns the value at or below which a fraction q of the samples
// lie: the upper edge of the bucket that holds it, never more than the largest
// sample, so that quantiles are ordered and none exceeds the maximum.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q*float64(h.total) + 0.5)
	rank = min(max(rank, 1), h.total)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(bucketHigh(i)), h.max)
		}
	}
	return h.max
}
