package relayer

import (
	"testing"
	"time"
)

func TestSummarizeStages(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	// rec builds stage times from offsets in ms; -1 leaves a stage out.
	rec := func(src, obs, prov, ver, sub, conf int) StageTimes {
		var st StageTimes
		for _, p := range []struct {
			dst *time.Time
			ms  int
		}{{&st.Source, src}, {&st.Observed, obs}, {&st.Proven, prov}, {&st.Verified, ver}, {&st.Submitted, sub}, {&st.Confirmed, conf}} {
			if p.ms >= 0 {
				*p.dst = at(p.ms)
			}
		}
		return st
	}
	type want struct {
		stage              LatencyStage
		n                  int
		p50, p95, p99, max time.Duration
	}
	tests := []struct {
		name    string
		in      []StageTimes
		records int
		perSec  float64
		skew    ClockSkew
		want    []want
	}{
		{name: "empty", in: nil, want: []want{{stage: LatencySourceFinality}, {stage: LatencyEndToEnd}}},
		{
			name: "one record", in: []StageTimes{rec(0, 1000, 1200, 1210, 1500, 3500)}, records: 1, perSec: 1 / 2.5,
			want: []want{
				{LatencySourceFinality, 1, ms(1000), ms(1000), ms(1000), ms(1000)},
				{LatencyProofFetch, 1, ms(200), ms(200), ms(200), ms(200)},
				{LatencyVerification, 1, ms(10), ms(10), ms(10), ms(10)},
				{LatencySubmission, 1, ms(290), ms(290), ms(290), ms(290)},
				{LatencyDestinationCommit, 1, ms(2000), ms(2000), ms(2000), ms(2000)},
				{LatencyRelayer, 1, ms(500), ms(500), ms(500), ms(500)},
				{LatencyEndToEnd, 1, ms(3500), ms(3500), ms(3500), ms(3500)},
			},
		},
		{
			// 100 records, source finality 1..100 ms: nearest rank.
			name: "nearest rank", records: 100,
			in: func() []StageTimes {
				var out []StageTimes
				for i := 100; i >= 1; i-- { // any order
					out = append(out, rec(0, i, i, i, i, 1000))
				}
				return out
			}(),
			perSec: 100 / 0.999,
			want: []want{
				{LatencySourceFinality, 100, ms(50), ms(95), ms(99), ms(100)},
				{LatencyEndToEnd, 100, ms(1000), ms(1000), ms(1000), ms(1000)},
			},
		},
		{
			// No source time: no source finality, end to end from the
			// observation. Found delivered: no submission.
			name: "unknown ends", records: 2, perSec: 2 / 0.4,
			in: []StageTimes{rec(-1, 100, 150, 160, 200, 300), rec(-1, 200, 250, 260, -1, 500)},
			want: []want{
				{LatencySourceFinality, 0, 0, 0, 0, 0},
				{LatencySubmission, 1, ms(40), ms(40), ms(40), ms(40)},
				{LatencyDestinationCommit, 1, ms(100), ms(100), ms(100), ms(100)},
				{LatencyEndToEnd, 2, ms(200), ms(300), ms(300), ms(300)},
			},
		},
		{
			// A source clock ahead of the relayer's shows as a negative
			// source time after the observation: counted as skew, left
			// out of the legs that start at the source time.
			name: "skewed source clock", records: 2, perSec: 2 / 0.6, skew: ClockSkew{Records: 1, Max: ms(100)},
			in: []StageTimes{rec(500, 400, 400, 400, 400, 400), rec(0, 300, 400, 500, 600, 900)},
			want: []want{
				{LatencySourceFinality, 1, ms(300), ms(300), ms(300), ms(300)},
				{LatencyProofFetch, 2, 0, ms(100), ms(100), ms(100)},
				{LatencyEndToEnd, 1, ms(900), ms(900), ms(900), ms(900)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SummarizeStages("r", tc.in)
			if got.Route != "r" || got.Records != tc.records || len(got.Stages) != len(LatencyStages) {
				t.Fatalf("route %q, %d records, %d stages", got.Route, got.Records, len(got.Stages))
			}
			if got.Skew != tc.skew {
				t.Errorf("skew %+v, want %+v", got.Skew, tc.skew)
			}
			if d := got.PerSecond - tc.perSec; d > 1e-9 || d < -1e-9 {
				t.Errorf("per second %v, want %v", got.PerSecond, tc.perSec)
			}
			for i, st := range got.Stages {
				if st.Stage != LatencyStages[i] {
					t.Fatalf("stage %d is %s, want %s", i, st.Stage, LatencyStages[i])
				}
			}
			for _, w := range tc.want {
				var st Percentiles
				for _, s := range got.Stages {
					if s.Stage == w.stage {
						st = s
					}
				}
				if st.N != w.n || st.P50 != w.p50 || st.P95 != w.p95 || st.P99 != w.p99 || st.Max != w.max {
					t.Errorf("%s: %+v, want %+v", w.stage, st, w)
				}
			}
		})
	}
}
