package sqlitestore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// BenchmarkStoreLifecycle measures the store alone doing a record's writes
// as the engine does them on an unordered route without batches: observed
// in polls of 100, then observed → submitting (with ~1 KiB of evidence and
// the prepared submission), submitting → submitted, submitted → confirmed,
// each transition with its timeline events, in store transactions of
// `group` transitions (the engine's group commit). No engine, no fakes:
// this is the ceiling the store puts on the engine's records/s.
//
//	go test -run '^$' -bench StoreLifecycle -benchtime 20000x ./relayer/sqlitestore/
func BenchmarkStoreLifecycle(b *testing.B) {
	for _, group := range []int{8, 32, 128} {
		b.Run(fmt.Sprintf("group=%d", group), func(b *testing.B) {
			s, err := Open(filepath.Join(b.TempDir(), "s.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			evidence := make([]byte, 1024)
			for i := range evidence {
				evidence[i] = byte('a' + i%26)
			}
			prepared := make([]byte, 300)
			now := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for first := 0; first < b.N; first += 100 {
				n := min(100, b.N-first)
				news := make([]relayer.NewRecord, n)
				for i := range news {
					r := relayer.NewTestRecord("a", []byte("e"), uint64(first+i+1), []byte(`{"licence":1}`))
					news[i] = relayer.NewRecord{Record: r, Event: relayer.Event{At: now, Stage: relayer.StageObserved, Detail: "height 1, sequence 1"}}
				}
				if err := s.Observe(ctx, "r", news, relayer.Cursor(fmt.Sprint(first))); err != nil {
					b.Fatal(err)
				}
				for _, step := range []struct {
					from, to relayer.State
					t        func(k relayer.Key) relayer.Transition
				}{
					{relayer.StateObserved, relayer.StateSubmitting, func(k relayer.Key) relayer.Transition {
						return relayer.Transition{Key: k, From: relayer.StateObserved, To: relayer.StateSubmitting, Evidence: evidence, Prepared: prepared,
							DestTx: "0x" + k.ID.String(), Events: []relayer.Event{{At: now, Stage: relayer.StageProven}, {At: now, Stage: relayer.StageVerified},
								{At: now, Stage: relayer.StagePrepared}}}
					}},
					{relayer.StateSubmitting, relayer.StateSubmitted, func(k relayer.Key) relayer.Transition {
						return relayer.Transition{Key: k, From: relayer.StateSubmitting, To: relayer.StateSubmitted, Events: []relayer.Event{{At: now, Stage: relayer.StageSubmitted}}}
					}},
					{relayer.StateSubmitted, relayer.StateConfirmed, func(k relayer.Key) relayer.Transition {
						return relayer.Transition{Key: k, From: relayer.StateSubmitted, To: relayer.StateConfirmed, Events: []relayer.Event{{At: now, Stage: relayer.StageConfirmed}}}
					}},
				} {
					for g := 0; g < n; g += group {
						ts := make([]relayer.Transition, 0, group)
						for i := g; i < min(g+group, n); i++ {
							ts = append(ts, step.t(relayer.Key{Route: "r", ID: news[i].Record.ID}))
						}
						if _, err := s.Apply(ctx, ts); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "records/s")
		})
	}
}
