package relayer_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// TestStageTimes fills a store with the real engine and fake ledgers, on
// two routes: a-to-b, whose source tells the commit time and whose
// destination confirms a submission only on the second look, and c-to-b,
// whose source does not tell the time and one of whose records is forged
// (dead). It then checks StageTimes against each record's own timeline,
// for several windows.
func TestStageTimes(t *testing.T) {
	ctx := context.Background()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "liaison.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, c := relayertest.NewChain("dept-a"), relayertest.NewChain("dept-c")
	c.Clock = func() time.Time { return time.Time{} }
	slow := relayertest.NewDestination("dept-b")
	slow.PendingConfirms = 1
	// The last record of c is forged, so that the ordered route is not
	// stopped behind it.
	forged, _ := relayer.ComputeRecordID(c.ID, c.Emitter, 6)
	routes := []relayer.Route{
		{Name: "a-to-b", SourceChain: "dept-a", DestChain: "dept-b", Source: &relayertest.Source{Chain: a},
			Prover: &relayertest.Prover{Chain: a}, Verifier: relayertest.Verifier{}, Destination: slow, Policy: fastPolicy(relayer.Unordered)},
		{Name: "c-to-b", SourceChain: "dept-c", DestChain: "dept-b", Source: &relayertest.Source{Chain: c},
			Prover:   &relayertest.Prover{Chain: c, Forge: func(r *relayer.Record) bool { return r.ID == forged }},
			Verifier: relayertest.Verifier{}, Destination: relayertest.NewDestination("dept-b"), Policy: fastPolicy(relayer.Ordered)},
	}
	eng, err := relayer.NewEngine(relayer.Options{Store: store, Routes: routes, ShutdownGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	count := func(route string, st relayer.State) int {
		es, err := store.List(ctx, relayer.Filter{Route: route, States: []relayer.State{st}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}

	published := map[relayer.RecordID]relayer.Record{}
	for _, r := range a.Publish("dept-b", 10) {
		published[r.ID] = r
	}
	waitFor(t, "first batch", func() bool { return count("a-to-b", relayer.StateConfirmed) == 10 })
	cut := time.Now()
	time.Sleep(2 * time.Millisecond) // store times are in nanoseconds: keep the batches apart
	for _, r := range a.Publish("dept-b", 10) {
		published[r.ID] = r
	}
	c.Publish("dept-b", 6)
	waitFor(t, "second batch", func() bool {
		return count("a-to-b", relayer.StateConfirmed) == 20 && count("c-to-b", relayer.StateConfirmed) == 5 && count("c-to-b", relayer.StateDead) == 1
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	ids := func(route string, since, until time.Time) map[relayer.RecordID]bool {
		es, err := store.List(ctx, relayer.Filter{Route: route, States: []relayer.State{relayer.StateConfirmed}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		out := map[relayer.RecordID]bool{}
		for _, e := range es {
			if !e.UpdatedAt.Before(since) && (until.IsZero() || e.UpdatedAt.Before(until)) {
				out[e.Record.ID] = true
			}
		}
		return out
	}
	tests := []struct {
		name       string
		q          relayer.StageQuery
		want       int
		sourceTime bool
	}{
		{"whole route", relayer.StageQuery{Route: "a-to-b"}, 20, true},
		{"since the cut", relayer.StageQuery{Route: "a-to-b", Since: cut}, 10, true},
		{"until the cut", relayer.StageQuery{Route: "a-to-b", Until: cut}, 10, true},
		{"an empty window", relayer.StageQuery{Route: "a-to-b", Since: cut, Until: cut}, 0, true},
		{"in the future", relayer.StageQuery{Route: "a-to-b", Since: time.Now().Add(time.Hour)}, 0, true},
		{"no source time, a dead record", relayer.StageQuery{Route: "c-to-b"}, 5, false},
		{"a route that never ran", relayer.StageQuery{Route: "x-to-y"}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.StageTimes(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			want := ids(tc.q.Route, tc.q.Since, tc.q.Until)
			if len(got) != tc.want || len(want) != tc.want {
				t.Fatalf("%d records (confirmed in the window by List: %d), want %d", len(got), len(want), tc.want)
			}
			for _, st := range got {
				if !want[st.ID] {
					t.Fatalf("record %s is not confirmed in the window", st.ID)
				}
				// The one-query answer agrees with the record's timeline.
				tl, err := store.Timeline(ctx, relayer.Key{Route: tc.q.Route, ID: st.ID})
				if err != nil {
					t.Fatal(err)
				}
				if oracle := fromTimeline(st.ID, tl); !sameTimes(st, oracle) {
					t.Fatalf("record %s: StageTimes %+v, its timeline says %+v", st.ID, st, oracle)
				}
				if st.Observed.IsZero() || st.Proven.Before(st.Observed) || st.Verified.Before(st.Proven) ||
					st.Submitted.Before(st.Verified) || st.Confirmed.Before(st.Submitted) {
					t.Fatalf("record %s: stages out of order: %+v", st.ID, st)
				}
				if tc.sourceTime {
					if !st.Source.Equal(published[st.ID].Source.Time) || st.Source.After(st.Observed) {
						t.Fatalf("record %s: source time %v, published at %v, observed %v", st.ID, st.Source, published[st.ID].Source.Time, st.Observed)
					}
				} else if !st.Source.IsZero() {
					t.Fatalf("record %s: source time %v from a source that does not tell", st.ID, st.Source)
				}
			}
			sum := relayer.SummarizeStages(tc.q.Route, got)
			for _, p := range sum.Stages {
				n := tc.want
				if p.Stage == relayer.LatencySourceFinality && !tc.sourceTime {
					n = 0
				}
				if p.N != n {
					t.Errorf("%s: n %d, want %d", p.Stage, p.N, n)
				}
			}
			if tc.want > 1 && sum.PerSecond <= 0 {
				t.Errorf("records/s %v", sum.PerSecond)
			}
		})
	}
	if _, err := store.StageTimes(ctx, relayer.StageQuery{}); err == nil {
		t.Error("StageTimes without a route: no error")
	}
}

// fromTimeline reads the stage times off a timeline, one record at a time:
// the slow way that StageTimes must agree with.
func fromTimeline(id relayer.RecordID, tl []relayer.Event) relayer.StageTimes {
	st := relayer.StageTimes{ID: id}
	last := func(dst *time.Time, at time.Time) {
		if at.After(*dst) {
			*dst = at
		}
	}
	for _, e := range tl {
		switch e.Stage {
		case relayer.StageObserved:
			if st.Observed.IsZero() || e.At.Before(st.Observed) {
				st.Observed = e.At
			}
		case relayer.StageProven:
			last(&st.Proven, e.At)
		case relayer.StageVerified:
			last(&st.Verified, e.At)
		case relayer.StageSubmitted:
			last(&st.Submitted, e.At)
		case relayer.StageConfirmed, relayer.StageFound:
			last(&st.Confirmed, e.At)
		}
	}
	return st
}

func sameTimes(a, b relayer.StageTimes) bool {
	return a.Observed.Equal(b.Observed) && a.Proven.Equal(b.Proven) && a.Verified.Equal(b.Verified) &&
		a.Submitted.Equal(b.Submitted) && a.Confirmed.Equal(b.Confirmed)
}
