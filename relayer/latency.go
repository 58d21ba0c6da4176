package relayer

import (
	"math"
	"slices"
	"time"
)

// LatencyStage names one leg of a record's way from its source ledger to
// its destination, as `liaison stats` reports it.
type LatencyStage string

// The legs, each between two of the times in StageTimes.
const (
	// LatencySourceFinality runs from the source's commit to the
	// observation: the source's finality rule, the poll interval and the
	// read. Only records whose source tells the time count.
	LatencySourceFinality LatencyStage = "source-finality"
	// LatencyProofFetch runs from the observation to the proof: waiting
	// for a worker, then fetching the inclusion and consensus proofs,
	// retries included.
	LatencyProofFetch LatencyStage = "proof-fetch"
	// LatencyVerification runs from the proof to its verification.
	LatencyVerification LatencyStage = "verification"
	// LatencySubmission runs from the verification to the destination
	// accepting the submission: preparing, the write-ahead, the send and,
	// on an ordered route, waiting for the record's turn.
	LatencySubmission LatencyStage = "submission"
	// LatencyDestinationCommit runs from the submission to its finality on
	// the destination.
	LatencyDestinationCommit LatencyStage = "destination-commit"
	// LatencyRelayer is the relayer's own share: from the observation to
	// the destination accepting the submission, that is end to end less
	// the source's finality and the destination's commit, which are the
	// ledgers'. On a batching route it includes the wait for a batch.
	LatencyRelayer LatencyStage = "relayer"
	// LatencyEndToEnd runs from the source's commit (or the observation,
	// when the source does not tell the time) to the confirmation.
	LatencyEndToEnd LatencyStage = "end-to-end"
)

// LatencyStages lists the legs in pipeline order, end to end last.
var LatencyStages = []LatencyStage{
	LatencySourceFinality, LatencyProofFetch, LatencyVerification,
	LatencySubmission, LatencyDestinationCommit, LatencyRelayer, LatencyEndToEnd,
}

// Percentiles summarises the durations of one leg over a set of records.
// N counts the records whose timeline has both ends of the leg; the
// percentiles are nearest-rank, and all zero when N is zero.
type Percentiles struct {
	Stage              LatencyStage
	N                  int
	P50, P95, P99, Max time.Duration
}

// RouteLatency summarises the confirmed records of one route.
type RouteLatency struct {
	Route   string
	Records int
	// First is the earliest observation and Last the latest confirmation
	// of the records; PerSecond is Records over the time between them,
	// zero when that is not positive.
	First, Last time.Time
	PerSecond   float64
	Stages      []Percentiles // in LatencyStages order
	// Skew counts the records whose source time is after liaison
	// observed them: the source ledger's clock (or its block timestamps)
	// runs ahead of the relayer's. Max is the largest gap. Those records
	// are left out of source-finality and end-to-end, which would be
	// negative or too short.
	Skew ClockSkew
}

// ClockSkew summarises records whose source time is after their
// observation.
type ClockSkew struct {
	Records int
	Max     time.Duration
}

// SummarizeStages computes a route's throughput and the percentiles of
// each leg from its records' stage times (StageTimes). A record whose
// source time is after its observation is counted in Skew instead of the
// legs that start at the source time.
func SummarizeStages(route string, ts []StageTimes) RouteLatency {
	out := RouteLatency{Route: route, Records: len(ts)}
	legs := make(map[LatencyStage][]time.Duration, len(LatencyStages))
	add := func(st LatencyStage, from, to time.Time) {
		if !from.IsZero() && !to.IsZero() {
			legs[st] = append(legs[st], to.Sub(from))
		}
	}
	for i := range ts {
		t := &ts[i]
		if !t.Observed.IsZero() && (out.First.IsZero() || t.Observed.Before(out.First)) {
			out.First = t.Observed
		}
		if t.Confirmed.After(out.Last) {
			out.Last = t.Confirmed
		}
		skewed := !t.Source.IsZero() && !t.Observed.IsZero() && t.Source.After(t.Observed)
		if skewed {
			out.Skew.Records++
			out.Skew.Max = max(out.Skew.Max, t.Source.Sub(t.Observed))
		} else {
			add(LatencySourceFinality, t.Source, t.Observed)
		}
		add(LatencyProofFetch, t.Observed, t.Proven)
		add(LatencyVerification, t.Proven, t.Verified)
		add(LatencySubmission, t.Verified, t.Submitted)
		add(LatencyDestinationCommit, t.Submitted, t.Confirmed)
		add(LatencyRelayer, t.Observed, t.Submitted)
		start := t.Source
		if start.IsZero() {
			start = t.Observed
		}
		if !skewed {
			add(LatencyEndToEnd, start, t.Confirmed)
		}
	}
	if !out.First.IsZero() && out.Last.After(out.First) {
		out.PerSecond = float64(out.Records) / out.Last.Sub(out.First).Seconds()
	}
	for _, st := range LatencyStages {
		out.Stages = append(out.Stages, percentiles(st, legs[st]))
	}
	return out
}

// percentiles sorts ds and reads the nearest-rank percentiles off it.
func percentiles(st LatencyStage, ds []time.Duration) Percentiles {
	p := Percentiles{Stage: st, N: len(ds)}
	if len(ds) == 0 {
		return p
	}
	slices.Sort(ds)
	rank := func(q float64) time.Duration {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	p.P50, p.P95, p.P99, p.Max = rank(0.50), rank(0.95), rank(0.99), ds[len(ds)-1]
	return p
}
