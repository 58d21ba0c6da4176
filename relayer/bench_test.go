package relayer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// BenchmarkEngine measures records per second through every stage
// (observe, prove, verify, submit, confirm) with fake ledgers and the real
// SQLite store, and allocations per record. Run it with a fixed count:
//
//	go test -run '^$' -bench Engine -benchtime 10000x ./relayer/
//
// The batch variants deliver up to 100 records per destination submission.
func BenchmarkEngine(b *testing.B) {
	for _, o := range []relayer.Ordering{relayer.Unordered, relayer.Ordered} {
		for _, sync := range []string{"full", "normal"} {
			b.Run(fmt.Sprintf("%s/synchronous=%s", o, sync), func(b *testing.B) {
				benchEngine(b, o, sync, 0)
			})
		}
		b.Run(fmt.Sprintf("%s/synchronous=full,batch=100", o), func(b *testing.B) {
			benchEngine(b, o, "full", 100)
		})
	}
}

func benchEngine(b *testing.B, o relayer.Ordering, sync string, batch int) {
	store, err := sqlitestore.Open(filepath.Join(b.TempDir(), "bench.db"), sqlitestore.Options{Synchronous: sync})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	src := relayertest.NewChain("dept-a")
	var dst relayer.Destination
	var landed func() int
	if batch > 1 {
		bd := relayertest.NewBatchingDestination("dept-b")
		dst, landed = bd, func() int { return len(bd.Order()) }
	} else {
		pd := relayertest.NewPreparingDestination("dept-b")
		dst, landed = pd, func() int { return int(pd.Submits.Load()) }
	}
	src.Publish("dept-b", b.N)
	eng, err := relayer.NewEngine(relayer.Options{Store: store, Routes: []relayer.Route{{
		Name: "bench", SourceChain: "dept-a", DestChain: "dept-b",
		Source: &relayertest.Source{Chain: src}, Prover: &relayertest.Prover{Chain: src}, Verifier: relayertest.Verifier{},
		Destination: dst, Policy: relayer.RoutePolicy{Ordering: o, PollInterval: time.Millisecond,
			Batch: relayer.BatchPolicy{MaxRecords: batch, MaxWait: 5 * time.Millisecond}},
	}}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	go func() { done <- eng.Run(ctx) }()
	for landed() < b.N {
		time.Sleep(time.Millisecond)
	}
	// Wait for the last confirmations to be stored.
	for {
		st, err := store.Stats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(st) == 1 && st[0].Pending == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
}
