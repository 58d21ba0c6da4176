package relayer_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

// batchHarness is a harness whose destination delivers batches.
func batchHarness(t *testing.T, o relayer.Ordering, maxRecords int) (*harness, *relayertest.BatchingDestination) {
	t.Helper()
	h := newHarness(t, o)
	b := relayertest.NewBatchingDestination("dept-b")
	h.fake, h.dst = b.Destination, b
	h.policy.Batch = relayer.BatchPolicy{MaxRecords: maxRecords, MaxWait: 5 * time.Millisecond, Concurrency: 2}
	return h, b
}

// runUntilOnePoisoned runs the engine until all but one of n records are
// confirmed and that one is dead.
func (h *harness) runUntilOnePoisoned(t *testing.T, n int) {
	t.Helper()
	stop := h.start(h.store)
	waitFor(t, fmt.Sprintf("%d confirmed and the poison record dead", n-1), func() bool {
		st := h.states(h.store)
		return st[relayer.StateConfirmed] == n-1 && st[relayer.StateDead] == 1
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestBatchesDeliverEverythingOnce(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 10)
	b.PendingConfirms = 1
	recs := h.src.Publish("dept-b", 95)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 95)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(recs)
	sizes := b.Sizes()
	if len(sizes) >= 95 || slices.Max(sizes) > 10 {
		t.Errorf("batch sizes %v: want fewer batches than records, none above 10", sizes)
	}
	if n := b.Replays.Load(); n != 0 {
		t.Errorf("%d members were sent again after landing", n)
	}
	// The timeline names the batch, its transaction and its size.
	tl, err := h.store.Timeline(context.Background(), relayer.Key{Route: "a-to-b", ID: recs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	var prepared, confirmed *relayer.Event
	for i := range tl {
		switch tl[i].Stage {
		case relayer.StagePrepared:
			prepared = &tl[i]
		case relayer.StageConfirmed:
			confirmed = &tl[i]
		}
	}
	if prepared == nil || !strings.HasPrefix(prepared.TxID, "batch-tx-") || !strings.Contains(prepared.Detail, "batch ") || !strings.Contains(prepared.Detail, " records") {
		t.Errorf("prepared event %+v: want the batch, its transaction and size", prepared)
	}
	if confirmed == nil || confirmed.TxID != prepared.TxID {
		t.Errorf("confirmed event %+v: want the batch's transaction %s", confirmed, prepared.TxID)
	}
}

func TestBatchesOrdered(t *testing.T) {
	h, b := batchHarness(t, relayer.Ordered, 8)
	b.PendingConfirms = 1
	recs := h.src.Publish("dept-b", 40)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 40)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(recs)
	for i, id := range h.fake.Order() {
		if id != recs[i].ID {
			t.Fatalf("landing %d is not record %d", i, i+1)
		}
	}
	if n := len(b.Sizes()); n >= 40 {
		t.Errorf("%d batch transactions for 40 records: an ordered route still waits one per record", n)
	}
}

// TestBatchGasLimitPrefix: a destination that takes only part of a batch
// (what fits in a block) gets the rest in later batches.
func TestBatchGasLimitPrefix(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 20)
	b.MaxPerBatch = 3
	recs := h.src.Publish("dept-b", 25)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 25)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(recs)
	if m := slices.Max(b.Sizes()); m > 3 {
		t.Errorf("a batch of %d went out; the destination takes 3", m)
	}
}

// TestBatchRevertSplits: a batch that reverts as a whole because of one
// record is split until that record is alone; the others are delivered
// and none is dead-lettered for the batch's failure. The poison record,
// alone, spends its attempts and is dead-lettered.
func TestBatchRevertSplits(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 8)
	h.policy.Retry.MaxAttempts = 3
	recs := h.src.Publish("dept-b", 16)
	poison := recs[5].ID
	b.Revert = func(ids []relayer.RecordID) bool { return slices.Contains(ids, poison) }
	h.runUntilOnePoisoned(t, 16)
	for _, r := range recs {
		want := 1
		if r.ID == poison {
			want = 0
		}
		if n := h.fake.Landed(r.ID); n != want {
			t.Errorf("record %d landed %d times, want %d", r.Source.Sequence, n, want)
		}
	}
	es, err := h.store.Get(context.Background(), poison)
	if err != nil {
		t.Fatal(err)
	}
	if es[0].State != relayer.StateDead || es[0].Attempts != 3 {
		t.Errorf("poison record: %s after %d attempts, want dead after 3", es[0].State, es[0].Attempts)
	}
}

// TestBatchPrepareRefusedSplits: a batch the destination refuses to
// prepare because of one member (a revert in the gas estimate) is split
// until that member is alone; the others are delivered, and only the bad
// one is dead-lettered.
func TestBatchPrepareRefusedSplits(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 8)
	recs := h.src.Publish("dept-b", 16)
	poison := recs[9].ID
	b.FailPrepareBatch = func(ids []relayer.RecordID) error {
		if slices.Contains(ids, poison) {
			return fmt.Errorf("%w: the Inbox refuses the batch: WrongDestination", relayer.ErrPermanent)
		}
		return nil
	}
	h.runUntilOnePoisoned(t, 16)
	if n := h.fake.Landed(poison); n != 0 {
		t.Errorf("the poison record landed %d times", n)
	}
}

// TestBatchRefusedAtSubmitSplits: a destination that refuses a batch as a
// whole only when it is sent (Fabric's chaincode runs at endorsement)
// answers ErrNotLanded wrapping ErrPermanent: the batch is split, and the
// record refused alone is dead-lettered at once, the others delivered.
func TestBatchRefusedAtSubmitSplits(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 8)
	recs := h.src.Publish("dept-b", 16)
	poison := recs[3].ID
	b.FailSubmitBatch = func(ids []relayer.RecordID) error {
		if slices.Contains(ids, poison) {
			return fmt.Errorf("%w: %w: the chaincode refuses the batch: wrong destination", relayer.ErrNotLanded, relayer.ErrPermanent)
		}
		return nil
	}
	h.runUntilOnePoisoned(t, 16)
	es, err := h.store.Get(context.Background(), poison)
	if err != nil {
		t.Fatal(err)
	}
	if es[0].State != relayer.StateDead || es[0].Attempts != 1 {
		t.Errorf("poison record: %s after %d attempts, want dead after its first refusal alone", es[0].State, es[0].Attempts)
	}
}

// TestBatchPartlyDeliveredElsewhere: members another attestor delivered
// before the batch was resumed are confirmed without a new transaction;
// the batch's own transaction delivers the rest, and nothing lands twice.
func TestBatchPartlyDeliveredElsewhere(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 10)
	// One batch of all ten: it goes when full, never on time.
	h.policy.Batch.MaxWait = time.Hour
	// The batch transaction is lost on the way until the test has let
	// the other attestor deliver.
	var lose atomic.Bool
	lose.Store(true)
	b.FailSubmitBatch = func([]relayer.RecordID) error {
		if lose.Load() {
			return fmt.Errorf("%w: connection refused", relayer.ErrUnavailable)
		}
		return nil
	}
	recs := h.src.Publish("dept-b", 10)
	stop := h.start(h.store)
	waitFor(t, "a prepared batch", func() bool { return h.states(h.store)[relayer.StateSubmitting] == 10 })
	// Another attestor delivers records 1 and 2 alone.
	for _, r := range recs[:2] {
		if _, err := h.fake.Submit(context.Background(), relayer.Delivery{Record: &r}); err != nil {
			t.Fatal(err)
		}
	}
	lose.Store(false)
	h.waitConfirmed(h.store, 10)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(recs)
	if n := b.Replays.Load(); n != 2 {
		t.Errorf("%d members were no-ops in the batch, want 2 (delivered by the other attestor)", n)
	}
	if n, p := b.Batches.Load(), b.PreparedBatches(); n != 1 || p != 1 {
		t.Errorf("%d batch transactions landed, %d prepared, want the one batch sent again", n, p)
	}
}

// TestBatchCrashAtEveryWrite kills the engine at every store write of a
// batching run, losing the write or committing it, then restarts it on the
// same database: every record lands exactly once, and each batch
// transaction is the one prepared (never prepared anew while it could
// still land).
func TestBatchCrashAtEveryWrite(t *testing.T) {
	const records = 12
	for _, mode := range []relayertest.CrashMode{relayertest.CrashBeforeWrite, relayertest.CrashAfterWrite} {
		t.Run(mode.String(), func(t *testing.T) {
			ref := batchCrashRun(t, mode, 0, records)
			for at := 1; at <= ref+2; at++ {
				batchCrashRun(t, mode, at, records)
				if t.Failed() {
					t.Fatalf("failed with a crash at write %d of %d", at, ref)
				}
			}
		})
	}
}

func batchCrashRun(t *testing.T, mode relayertest.CrashMode, at, records int) int {
	h, b := batchHarness(t, relayer.Unordered, 5)
	var alive atomic.Bool
	alive.Store(true)
	b.Alive = alive.Load
	recs := h.src.Publish("dept-b", records)
	cs := runUntilCrash(t, h, at, mode, records, &alive)
	h.assertExactlyOnce(recs)
	if n := b.Replays.Load(); n != 0 {
		t.Errorf("crash at write %d: %d members sent again in a new transaction after landing", at, n)
	}
	return cs.Writes()
}

// TestBatchNeedsBatchDestination: a batch policy on a route whose
// destination cannot batch is a configuration error, not a silent fall
// back to one record per submission.
func TestBatchNeedsBatchDestination(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.policy.Batch.MaxRecords = 10
	_, err := relayer.NewEngine(relayer.Options{Store: h.store, Routes: []relayer.Route{h.route()}})
	if err == nil || !strings.Contains(err.Error(), "cannot deliver batches") {
		t.Fatalf("got %v, want a refusal naming the destination", err)
	}
}

// TestBatchesTurnedOnMidFlight: records submitted one by one, then the
// route restarted with batches: the records already submitted are
// confirmed on the single-record path, the rest go in batches, and none
// lands twice.
func TestBatchesTurnedOnMidFlight(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.fake.PendingConfirms = 1 << 30 // nothing is final in the first run
	recs := h.src.Publish("dept-b", 10)
	stop := h.start(h.store)
	waitFor(t, "10 submitted one by one", func() bool { return h.states(h.store)[relayer.StateSubmitted] == 10 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	more := h.src.Publish("dept-b", 20)
	h.fake.PendingConfirms = 0
	h.fake.FinalizeAll()
	b := relayertest.BatchingFor(h.fake)
	h.dst = b
	h.policy.Batch = relayer.BatchPolicy{MaxRecords: 10, MaxWait: 5 * time.Millisecond}
	stop = h.start(h.store)
	h.waitConfirmed(h.store, 30)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(append(recs, more...))
	if n := b.Batches.Load(); n == 0 || n >= 20 {
		t.Errorf("%d batch transactions for the 20 new records", n)
	}
}

// A batch being sent for the first time is stored in submitting, so it is
// what a look for batches to resume finds. The batch loop must leave it to
// the job sending it: resuming it as well sent the same batch twice at
// once.
func TestBatchInFlightIsNotResumedAlongside(t *testing.T) {
	h, b := batchHarness(t, relayer.Unordered, 4)
	var mu sync.Mutex
	sends := map[string]int{} // by the batch's members
	var first sync.Once
	again := make(chan struct{})
	b.FailSubmitBatch = func(ids []relayer.RecordID) error {
		mu.Lock()
		key := fmt.Sprint(ids)
		sends[key]++
		n := sends[key]
		mu.Unlock()
		if n > 1 {
			close(again)
			return nil
		}
		first.Do(func() {
			// Hold the first send across many poll intervals, each of
			// which looks for batches to resume.
			select {
			case <-again:
			case <-time.After(100 * time.Millisecond):
			}
		})
		return nil
	}
	recs := h.src.Publish("dept-b", 4)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 4)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(recs)
	for members, n := range sends {
		if n != 1 {
			t.Errorf("batch %s was sent %d times, want once", members, n)
		}
	}
}
