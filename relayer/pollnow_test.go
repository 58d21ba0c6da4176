package relayer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// TestPollNow: a route that polls once an hour reads a record published
// after its first poll at once when asked to.
func TestPollNow(t *testing.T) {
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "l.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := relayertest.NewChain("dept-a")
	dst := relayertest.NewDestination("dept-b")
	src.Publish("dept-b", 1)
	eng, err := relayer.NewEngine(relayer.Options{Store: store, Routes: []relayer.Route{{
		Name: "a-to-b", SourceChain: "dept-a", DestChain: "dept-b",
		Source: &relayertest.Source{Chain: src}, Prover: &relayertest.Prover{Chain: src}, Verifier: relayertest.Verifier{},
		Destination: dst, Policy: relayer.RoutePolicy{PollInterval: time.Hour},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	waitSubmits := func(n int64) bool {
		for range 500 {
			if dst.Submits.Load() >= n {
				return true
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	if !waitSubmits(1) {
		t.Fatal("the first record was not delivered")
	}
	src.Publish("dept-b", 2)
	time.Sleep(50 * time.Millisecond)
	if got := dst.Submits.Load(); got != 1 {
		t.Fatalf("%d submissions before PollNow: the route polled on its own", got)
	}
	if _, err := eng.PollNow("nope"); !errors.Is(err, relayer.ErrNotFound) {
		t.Fatalf("PollNow of an unknown route: %v", err)
	}
	woke, err := eng.PollNow("a-to-b")
	if err != nil || len(woke) != 1 {
		t.Fatalf("PollNow: %v, %v", woke, err)
	}
	if !waitSubmits(3) {
		t.Fatalf("after PollNow, %d submissions, want 3", dst.Submits.Load())
	}
}
