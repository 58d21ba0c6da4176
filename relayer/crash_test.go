package relayer_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

// TestCrashAtEveryWrite kills the engine at every store write of a run,
// both losing that write and committing it, with and without a preparing
// destination; then it reopens the database file, restarts, and checks
// that every record was delivered exactly once with no duplicate
// submission.
func TestCrashAtEveryWrite(t *testing.T) {
	const records = 10
	for _, preparing := range []bool{false, true} {
		for _, mode := range []relayertest.CrashMode{relayertest.CrashBeforeWrite, relayertest.CrashAfterWrite} {
			t.Run(fmt.Sprintf("preparer=%v/%s", preparing, mode), func(t *testing.T) {
				// A reference run counts the writes a whole run makes.
				ref := crashRun(t, preparing, mode, 0, records)
				if ref < records {
					t.Fatalf("reference run made only %d writes", ref)
				}
				for at := 1; at <= ref+2; at++ {
					crashRun(t, preparing, mode, at, records)
					if t.Failed() {
						t.Fatalf("failed with a crash at write %d of %d", at, ref)
					}
				}
			})
		}
	}
}

// crashRun runs the engine until it crashes at write `at` (or finishes),
// then restarts it on the same database and checks the outcome. It returns
// the writes of the first run.
func crashRun(t *testing.T, preparing bool, mode relayertest.CrashMode, at, records int) int {
	h := newHarness(t, relayer.Unordered)
	h.policy.Parallelism = 3
	if preparing {
		p := relayertest.NewPreparingDestination("dept-b")
		h.fake, h.dst = p.Destination, p
	}
	var alive atomic.Bool
	alive.Store(true)
	h.fake.Alive = alive.Load
	recs := h.src.Publish("dept-b", records)

	cs := runUntilCrash(t, h, at, mode, records, &alive)
	h.assertExactlyOnce(recs)
	if got := h.fake.Submits.Load(); got != int64(records) {
		t.Errorf("crash at write %d: %d submissions reached the ledger, want %d", at, got, records)
	}
	return cs.Writes()
}

// runUntilCrash runs the engine on a store that dies at write `at`, until
// it dies or confirms every record. After a crash it reopens the database,
// revives the ledgers (alive) and runs a new engine until every record is
// confirmed. It returns the crashing store, for its write count.
func runUntilCrash(t *testing.T, h *harness, at int, mode relayertest.CrashMode, records int, alive *atomic.Bool) *relayertest.CrashingStore {
	t.Helper()
	cs := &relayertest.CrashingStore{Store: h.store, At: at, Mode: mode, OnCrash: func() { alive.Store(false) }}
	stop := h.start(cs)
	waitFor(t, "crash or completion", func() bool {
		return cs.Crashed() || h.states(h.store)[relayer.StateConfirmed] == records
	})
	if cs.Crashed() {
		// A dying store stops the engine by itself. Cancelling it here
		// instead would race the failed write: a stop that comes first
		// is a clean one.
		var err error
		select {
		case err = <-h.exited:
		case <-time.After(10 * time.Second):
			t.Fatalf("crash at write %d: the engine kept running on a dead store", at)
		}
		if !errors.Is(err, relayertest.ErrCrashed) {
			t.Fatalf("crash at write %d: Run returned %v, want the crash", at, err)
		}
		// The process is gone: close its database and start a new one.
		h.store.Close()
		h.store = h.open()
		alive.Store(true)
		stop = h.start(h.store)
		h.waitConfirmed(h.store, records)
	}
	if err := stop(); err != nil {
		// The crash may come after every record is confirmed (a later
		// write, such as the cursor moving on an empty poll): the work
		// was done, and the checks that follow still apply.
		if !errors.Is(err, relayertest.ErrCrashed) || h.states(h.store)[relayer.StateConfirmed] != records {
			t.Fatalf("crash at write %d (%d writes): %v", at, cs.Writes(), err)
		}
	}
	return cs
}
