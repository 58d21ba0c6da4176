package relayer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Batches. On a route whose policy batches, workers take records only as
// far as verified; the route's batch loop delivers them, several per
// destination submission:
//
//	verified ──prepare──▶ submitting (batch B) ──send──▶ submitted (B) ──▶ confirmed
//
// The rules that make this crash-safe are the single-record ones, applied
// to the batch as a whole:
//   - the prepared batch (bytes and transaction id) is stored, with every
//     member moved to submitting and naming it, in one store transaction
//     before it is first sent;
//   - a batch found in submitting after a crash is first asked about, per
//     member (Delivered): members already delivered, by an earlier attempt
//     or by another attestor, are confirmed without a new submission, and
//     the same prepared bytes are sent again for the rest (a member that
//     landed meanwhile is a no-op on the ledger);
//   - only a batch known never to land (ErrNotLanded) releases its members
//     that are not delivered back to verified, to be batched again; a batch
//     of several that failed that way is split, so one bad record cannot
//     keep the others from landing, and only a record alone spends an
//     attempt on it.
//
// Members of a batch share one retry time, so a batch stays together.

// batchLoop forms and drives the route's batches until ctx ends, then
// waits for those in flight. Batches run under workCtx.
func (r *routeRunner) batchLoop(ctx, workCtx context.Context) {
	sem := make(chan struct{}, r.pol.Batch.Concurrency)
	var jobs sync.WaitGroup
	defer jobs.Wait()
	for ctx.Err() == nil {
		wait, err := r.startBatches(ctx, workCtx, sem, &jobs)
		if err != nil {
			if ctx.Err() == nil {
				r.eng.fatal(fmt.Errorf("route %s: batches: %w", r.route.Name, err))
			}
			return
		}
		t := r.eng.clock.NewTimer(wait)
		select {
		case <-r.batchWake:
		case <-t.C():
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// resumeScanEvery is how often, at the least, the batch loop looks for
// stored batches that became due without its knowing: an operator's retry
// from the CLI, which writes the store from another process.
const resumeScanEvery = time.Second

// signalBatches wakes the batch loop without blocking.
func (r *routeRunner) signalBatches() {
	select {
	case r.batchWake <- struct{}{}:
	default:
	}
}

// startBatches resumes the batches that are due and forms new ones while
// it has room; it returns how long the loop may sleep.
func (r *routeRunner) startBatches(ctx, workCtx context.Context, sem chan struct{}, jobs *sync.WaitGroup) (time.Duration, error) {
	wait := r.pol.PollInterval
	r.mu.Lock()
	if !r.batchAt.IsZero() {
		wait = min(wait, max(0, r.batchAt.Sub(r.eng.now())))
		r.batchAt = time.Time{}
	}
	r.mu.Unlock()
	launch := func(members []Entry, run func(context.Context, []Entry) error) bool {
		select {
		case sem <- struct{}{}:
		default:
			return false
		}
		r.claim(members)
		jobs.Add(1)
		go func() {
			defer func() {
				r.release(members)
				<-sem
				jobs.Done()
				r.signalBatches()
			}()
			if err := run(workCtx, members); err != nil && workCtx.Err() == nil {
				r.eng.fatal(fmt.Errorf("route %s: %w", r.route.Name, err))
			}
		}()
		return true
	}

	// Batches in flight after a restart, a retry time or an operator's
	// retry. (Records an earlier configuration submitted one by one are
	// the scheduler's: see due.) The store is asked at start, when a
	// stored batch's retry or confirmation time comes (wakeNoLaterThan),
	// and every resumeScanEvery for what an operator did elsewhere; not
	// every time a record is verified.
	now := r.eng.now()
	r.mu.Lock()
	running := len(r.batchesInFlight)
	scan := !now.Before(r.resumeAt)
	if scan {
		r.resumeAt = now.Add(max(r.pol.PollInterval, resumeScanEvery))
	}
	r.mu.Unlock()
	if scan {
		ids, err := r.eng.store.DueBatches(ctx, DueQuery{Route: r.route.Name, Now: now, Limit: cap(sem) + running,
			States: []State{StateSubmitting, StateSubmitted}})
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			r.mu.Lock()
			busy := r.batchesInFlight[id]
			r.mu.Unlock()
			if busy {
				continue
			}
			if !launch(nil, func(ctx context.Context, _ []Entry) error { return r.resumeBatch(ctx, id) }) {
				// No room: look again when a batch finishes.
				r.mu.Lock()
				r.resumeAt = time.Time{}
				r.mu.Unlock()
				return wait, nil
			}
		}
	}

	// New batches of verified records. (On an ordered route the
	// semaphore holds one: a batch at a time, in order.)
	for len(sem) < cap(sem) {
		if r.partialPending(now) {
			// The partial batch seen last cannot have filled up yet: wait
			// for its time instead of reading the store again.
			r.mu.Lock()
			wait = min(wait, max(time.Millisecond, r.partialDue.Sub(now)))
			r.mu.Unlock()
			break
		}
		busy := r.inflightIDs()
		r.verifiedSince.Store(0)
		members, next, err := r.nextBatch(ctx, now, busy)
		if err != nil {
			return 0, err
		}
		r.mu.Lock()
		r.partial, r.partialDue = 0, time.Time{}
		if !next.IsZero() {
			wait = min(wait, max(time.Millisecond, next.Sub(now)))
			r.partial, r.partialDue = len(members), next
		}
		r.mu.Unlock()
		if !next.IsZero() || len(members) == 0 || !launch(members, r.newBatch) {
			break
		}
	}
	return wait, nil
}

// nextBatch picks the verified records of the next batch. When they are
// not due yet (neither a full batch nor one whose oldest member was
// verified MaxWait ago), it also returns when they will be; the caller
// must not send them before.
func (r *routeRunner) nextBatch(ctx context.Context, now time.Time, busy map[RecordID]struct{}) ([]Entry, time.Time, error) {
	max := r.pol.Batch.MaxRecords
	var cand []Entry
	if r.pol.Ordering == Ordered {
		// A run of consecutive sequences from the head, all verified.
		open, err := r.eng.store.Open(ctx, r.route.Name, max)
		if err != nil {
			return nil, time.Time{}, err
		}
		for _, e := range open {
			if e.State != StateVerified || e.NextAt.After(now) {
				break
			}
			cand = append(cand, e)
		}
	} else {
		var err error
		if cand, err = r.eng.store.Due(ctx, DueQuery{Route: r.route.Name, Now: now, Limit: max, Exclude: busy, States: []State{StateVerified}}); err != nil {
			return nil, time.Time{}, err
		}
	}
	// A record that was in a batch that could not land goes in smaller
	// ones (see split).
	size := max
	for i, e := range cand {
		size = min(size, r.splitLimit(e.Record.ID))
		if i >= size {
			cand = cand[:i]
			break
		}
	}
	cand = cand[:min(len(cand), size)]
	if len(cand) == 0 {
		return nil, time.Time{}, nil
	}
	oldest := cand[0].UpdatedAt
	for _, e := range cand[1:] {
		if e.UpdatedAt.Before(oldest) {
			oldest = e.UpdatedAt
		}
	}
	if len(cand) < size && now.Sub(oldest) < r.pol.Batch.MaxWait {
		// Not due: the candidates come back for the caller to count.
		return cand, oldest.Add(r.pol.Batch.MaxWait), nil
	}
	return cand, time.Time{}, nil
}

// newBatch prepares a batch of verified records, stores it with its
// members, and sends it.
func (r *routeRunner) newBatch(ctx context.Context, members []Entry) error {
	es := make([]*Entry, 0, len(members))
	ds := make([]Delivery, 0, len(members))
	for i := range members {
		e := &members[i]
		d, err := r.delivery(e)
		if err != nil {
			if _, err := r.fail(ctx, e, StagePrepared, err); err != nil {
				return err
			}
			continue
		}
		es, ds = append(es, e), append(ds, d)
	}
	if len(es) == 0 {
		return nil
	}
	prep, n, err := r.bdst.PrepareBatch(ctx, ds)
	if err == nil && (n < 1 || n > len(es)) {
		err = fmt.Errorf("%w: the destination prepared %d of %d records", ErrPermanent, n, len(es))
	}
	if err != nil {
		if len(es) > 1 && !errors.Is(err, ErrUnavailable) {
			// The destination refuses the batch as a whole (one bad member,
			// say): split it rather than fail records that may be fine.
			half := max(1, len(es)/2)
			for _, e := range es {
				r.setSplit(e.Record.ID, half)
			}
			r.eng.metrics.splits.Add(ctx, 1, r.metricOpt())
			r.log.Warn("could not prepare a batch; splitting it", "records", len(es), "into", half, "err", err)
			r.rescan()
			r.signalBatches()
			return nil
		}
		return r.failAll(ctx, es, StagePrepared, fmt.Errorf("prepare batch: %w", err))
	}
	es = es[:n]
	r.eng.metrics.batchSize.Record(ctx, int64(n), r.metricOpt())
	now := r.eng.now()
	b := BatchInfo{ID: newBatchID(), Route: r.route.Name, DestTx: prep.TxID, Prepared: prep.Data, Size: n, Created: now}
	// Once stored, the batch is what a look for batches to resume finds:
	// mark it as this job's first.
	r.holdBatch(b.ID)
	defer r.dropBatch(b.ID)
	detail := fmt.Sprintf("batch %s of %d records", b.ID, n)
	ts := make([]Transition, n)
	for i, e := range es {
		ts[i] = Transition{Key: e.Key(), From: StateVerified, To: StateSubmitting, Attempts: e.Attempts, LastError: e.LastError,
			DestTx: prep.TxID, Batch: b.ID, Prepared: []byte{},
			Events: []Event{{At: now, Stage: StagePrepared, Chain: r.route.DestChain, TxID: prep.TxID, Detail: detail}}}
	}
	ts[0].NewBatch = &b
	if _, err := r.moveAll(ctx, es, ts); err != nil {
		return err
	}
	return r.sendBatch(ctx, b, inState(es, StateSubmitting))
}

// partialPending reports whether the partial batch the last scan saw is
// neither due nor possibly full yet.
func (r *routeRunner) partialPending(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.partial > 0 && now.Before(r.partialDue) &&
		int(r.verifiedSince.Load()) < r.pol.Batch.MaxRecords-r.partial
}

// rescan makes the next scan read the store whatever it saw last.
func (r *routeRunner) rescan() {
	r.mu.Lock()
	r.partial = 0
	r.mu.Unlock()
}

// holdBatch marks a stored batch as being driven by a job, which the look
// for batches to resume skips; dropBatch ends that.
func (r *routeRunner) holdBatch(id string) {
	r.mu.Lock()
	r.batchesInFlight[id] = true
	r.mu.Unlock()
}

func (r *routeRunner) dropBatch(id string) {
	r.mu.Lock()
	delete(r.batchesInFlight, id)
	r.mu.Unlock()
}

// resumeBatch picks up a stored batch whose members are in submitting or
// submitted: after a crash, a failed step or an operator's retry.
func (r *routeRunner) resumeBatch(ctx context.Context, id string) error {
	r.holdBatch(id)
	defer r.dropBatch(id)
	b, all, err := r.eng.store.Batch(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil // nothing open names it any more
	}
	if err != nil {
		return err
	}
	r.claim(all)
	defer r.release(all)
	es := make([]*Entry, 0, len(all))
	submitting := false
	for i := range all {
		switch all[i].State {
		case StateSubmitting:
			submitting = true
			es = append(es, &all[i])
		case StateSubmitted:
			es = append(es, &all[i])
		}
	}
	if len(es) == 0 {
		return nil
	}
	if !submitting {
		return r.confirmBatch(ctx, b, es)
	}
	// It may have landed, in part or whole, or another attestor may have
	// delivered some members: ask before sending it again.
	rest, err := r.settleDelivered(ctx, es)
	if err != nil || len(rest) == 0 {
		return err
	}
	return r.sendBatch(ctx, b, rest)
}

// settleDelivered asks the destination about each member and confirms
// those it already has. It returns the others; on a failed question it
// records the failure for all and returns none.
func (r *routeRunner) settleDelivered(ctx context.Context, es []*Entry) ([]*Entry, error) {
	var found, rest []*Entry
	for _, e := range es {
		ok, err := r.route.Destination.Delivered(ctx, &e.Record)
		if err != nil {
			return nil, r.failAll(ctx, es, StageSubmitted, fmt.Errorf("ask destination: %w", err))
		}
		if ok {
			found = append(found, e)
		} else {
			rest = append(rest, e)
		}
	}
	if len(found) > 0 {
		now := r.eng.now()
		ts := make([]Transition, len(found))
		for i, e := range found {
			ts[i] = Transition{Key: e.Key(), From: e.State, To: StateConfirmed, Events: []Event{{
				At: now, Stage: StageFound, Chain: r.route.DestChain, TxID: e.DestTx,
				Detail: "the destination already has it; not submitted again",
			}}}
		}
		if _, err := r.moveAll(ctx, found, ts); err != nil {
			return nil, err
		}
		n := int64(len(inState(found, StateConfirmed)))
		r.eng.metrics.delivered.Add(ctx, n, r.metricOpt())
		r.eng.metrics.found.Add(ctx, n, r.metricOpt())
	}
	return rest, nil
}

// sendBatch sends the stored batch b for its members es (in submitting)
// and checks at once whether it is final.
func (r *routeRunner) sendBatch(ctx context.Context, b BatchInfo, es []*Entry) error {
	if len(es) == 0 {
		return nil
	}
	if r.limiter != nil {
		if err := r.limiter.Wait(ctx); err != nil {
			return nil // the engine is stopping
		}
	}
	start := r.eng.now()
	sctx, span := r.batchSpan(ctx, b, es, "liaison.batch.submit")
	txID, err := r.bdst.SubmitBatch(sctx, b.Prepared)
	span.SetAttributes(attribute.String("liaison.destination.tx", txID))
	endSpan(span, err)
	if err != nil {
		if errors.Is(err, ErrNotLanded) {
			return r.unlandBatch(ctx, b, es, err)
		}
		return r.failAll(ctx, es, StageSubmitted, fmt.Errorf("submit batch %s: %w", b.ID, err))
	}
	now := r.eng.now()
	r.eng.metrics.stage(ctx, r, StageSubmitted, now.Sub(start))
	if txID != b.DestTx {
		b.DestTx = txID
	}
	return r.confirmBatch(ctx, b, es, Event{At: now, Stage: StageSubmitted, Chain: r.route.DestChain, TxID: txID,
		Attempt: es[0].Attempts + 1, Detail: fmt.Sprintf("batch %s of %d records", b.ID, len(es))})
}

// confirmBatch checks the batch's transaction for its members es;
// submitted, when given, is the submission just made, written with the
// outcome.
func (r *routeRunner) confirmBatch(ctx context.Context, b BatchInfo, es []*Entry, submitted ...Event) error {
	just := len(submitted) > 0
	began := time.Now()
	err := r.route.Destination.Confirm(ctx, &es[0].Record, b.DestTx)
	now := r.eng.now()
	if !errors.Is(err, ErrPending) {
		_, span := r.batchSpan(ctx, b, es, "liaison.batch.confirm", trace.WithTimestamp(began))
		endSpan(span, err)
	}
	ts := make([]Transition, len(es))
	switch {
	case err == nil:
		for i, e := range es {
			ts[i] = Transition{Key: e.Key(), From: e.State, To: StateConfirmed, DestTx: b.DestTx,
				Events: append(append([]Event(nil), submitted...), Event{At: now, Stage: StageConfirmed, Chain: r.route.DestChain, TxID: b.DestTx,
					Detail: "batch " + b.ID})}
		}
		if _, err := r.moveAll(ctx, es, ts); err != nil {
			return err
		}
		for _, e := range inState(es, StateConfirmed) {
			r.eng.metrics.delivered.Add(ctx, 1, r.metricOpt())
			if !e.ObservedAt.IsZero() {
				r.eng.metrics.latency.Record(ctx, now.Sub(e.ObservedAt).Seconds(), r.metricOpt())
			}
		}
		return nil
	case errors.Is(err, ErrNotLanded) && !just:
		return r.unlandBatch(ctx, b, es, err)
	case errors.Is(err, ErrPending) || just:
		// Not final yet, or the check failed right after sending: store
		// the submission and check again later.
		next := now.Add(r.pol.ConfirmInterval)
		for i, e := range es {
			ts[i] = Transition{Key: e.Key(), From: e.State, To: StateSubmitted, DestTx: b.DestTx, Attempts: e.Attempts,
				NextAt: next, LastError: e.LastError, Events: append([]Event(nil), submitted...)}
		}
		r.wakeNoLaterThan(next)
		_, err := r.moveAll(ctx, es, ts)
		return err
	default:
		return r.failAll(ctx, es, StageConfirmed, fmt.Errorf("confirm batch %s: %w", b.ID, err))
	}
}

// unlandBatch handles a batch that can never land (its nonce went to
// another transaction, or it reverted as a whole): members the destination
// has are confirmed, the others go back to verified to be batched again.
// A batch of several is split: its members go in batches half its size,
// and spend no attempt. A record alone spends one, as it would unbatched.
func (r *routeRunner) unlandBatch(ctx context.Context, b BatchInfo, es []*Entry, cause error) error {
	rest, err := r.settleDelivered(ctx, es)
	if err != nil || len(rest) == 0 {
		return err
	}
	now := r.eng.now()
	msg := cause.Error()
	if len(rest) == 1 && len(es) == 1 {
		e := rest[0]
		if errors.Is(cause, ErrPermanent) || e.Attempts+1 >= r.pol.Retry.MaxAttempts {
			// Refused alone, or out of attempts: an operator's turn.
			return r.failAll(ctx, rest, StageSubmitted, fmt.Errorf("%w: batch %s did not land: %v", ErrPermanent, b.ID, cause))
		}
	}
	half := max(1, len(es)/2)
	if len(es) > 1 {
		r.eng.metrics.splits.Add(ctx, 1, r.metricOpt())
	}
	ts := make([]Transition, len(rest))
	for i, e := range rest {
		t := Transition{Key: e.Key(), From: e.State, To: StateVerified, Attempts: e.Attempts, LastError: msg, ClearBatch: true, Prepared: []byte{},
			Events: []Event{{At: now, Stage: StageNotLanded, Chain: r.route.DestChain, TxID: b.DestTx, Error: msg,
				Detail: fmt.Sprintf("batch %s did not land; its records go in batches of at most %d", b.ID, half)}}}
		if len(es) == 1 {
			t.Attempts = e.Attempts + 1
			t.NextAt = now.Add(r.pol.Retry.Backoff(t.Attempts))
			t.Events[0].Detail = fmt.Sprintf("batch %s did not land; next attempt at %s", b.ID, t.NextAt.UTC().Format(time.RFC3339Nano))
			r.wakeNoLaterThan(t.NextAt)
		}
		r.setSplit(e.Record.ID, half)
		ts[i] = t
	}
	r.eng.metrics.failures.Add(ctx, int64(len(rest)), r.metricOpt())
	_, err = r.moveAll(ctx, rest, ts)
	r.rescan()
	return err
}

// splitLimit is the largest batch the record may go in now.
func (r *routeRunner) splitLimit(id RecordID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n, ok := r.split[id]; ok {
		return n
	}
	return r.pol.Batch.MaxRecords
}

// setSplit limits the batches the record goes in to n records. The limit
// lives in memory: after a restart a record goes in a full batch again,
// which at worst repeats a split.
func (r *routeRunner) setSplit(id RecordID, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.split) >= maxSplits {
		clear(r.split)
	}
	r.split[id] = n
}

// maxSplits bounds the split limits a route remembers.
const maxSplits = 1 << 16

// claim marks records in flight, so that neither the batch loop nor the
// scheduler hands them out again; release undoes it.
func (r *routeRunner) claim(es []Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range es {
		r.inflight[e.Record.ID]++
	}
}

func (r *routeRunner) release(es []Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range es {
		if r.inflight[e.Record.ID]--; r.inflight[e.Record.ID] <= 0 {
			delete(r.inflight, e.Record.ID)
		}
	}
}

// inflightIDs copies the set of records in flight.
func (r *routeRunner) inflightIDs() map[RecordID]struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[RecordID]struct{}, len(r.inflight))
	for id := range r.inflight {
		out[id] = struct{}{}
	}
	return out
}

// batchSpan starts a span for a batch step, in a trace of its own linked
// to each member's trace.
func (r *routeRunner) batchSpan(ctx context.Context, b BatchInfo, es []*Entry, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	links := make([]trace.Link, 0, len(es))
	for _, e := range es {
		if e.TraceParent == "" {
			continue
		}
		sc := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(),
			propagation.MapCarrier{"traceparent": e.TraceParent}))
		if sc.IsValid() {
			links = append(links, trace.Link{SpanContext: sc, Attributes: []attribute.KeyValue{attribute.String("liaison.record_id", e.Record.ID.String())}})
		}
	}
	opts = append(opts, trace.WithNewRoot(), trace.WithLinks(links...), trace.WithAttributes(
		attribute.String("liaison.route", r.route.Name),
		attribute.String("liaison.batch", b.ID),
		attribute.Int("liaison.batch.size", len(es)),
		attribute.String("liaison.destination.chain", string(r.route.DestChain)),
		attribute.String("liaison.destination.tx", b.DestTx),
	))
	return r.eng.tracer.Start(ctx, name, opts...)
}

// inState returns the entries of es now in state s.
func inState(es []*Entry, s State) []*Entry {
	out := make([]*Entry, 0, len(es))
	for _, e := range es {
		if e.State == s {
			out = append(out, e)
		}
	}
	return out
}

// newBatchID returns a fresh batch id: 12 random bytes in hex. A batch
// that is prepared again is a new batch, with a new id.
func newBatchID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
