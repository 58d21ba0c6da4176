package relayer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/time/rate"

	"github.com/liaison-gw/liaison/internal/boundedcache"
)

// routeRunner drives one route: an observer that reads the source and a
// scheduler that hands due records to a bounded set of workers.
type routeRunner struct {
	eng     *Engine
	route   Route
	pol     RoutePolicy
	log     *slog.Logger
	limiter *rate.Limiter
	attrs   attribute.Set

	wake chan struct{}
	// pollNow cuts the observer's wait between polls short (PollNow).
	pollNow chan struct{}
	// bdst is the destination as a BatchDestination when the route
	// batches, else nil; batchWake wakes its batch loop.
	bdst      BatchDestination
	batchWake chan struct{}

	mu sync.Mutex // guards inflight, wakeAt and split
	// inflight counts, per record, the workers and batches holding it.
	inflight map[RecordID]int
	wakeAt   time.Time
	batchAt  time.Time // when the batch loop must look again
	// resumeAt is when the batch loop must next look for stored batches
	// to resume; zero means at once.
	resumeAt time.Time
	// split limits the batches a record goes in after one that did not
	// land (see unlandBatch).
	split map[RecordID]int
	// batchesInFlight are the stored batches a job drives; partial and
	// partialDue describe the not-yet-due batch the last scan saw, and
	// verifiedSince counts records verified since that scan (see
	// partialPending).
	batchesInFlight map[string]bool
	partial         int
	partialDue      time.Time
	verifiedSince   atomic.Int64
	// decoded holds decoded evidence bundles by hash (see delivery).
	decoded *boundedcache.Cache[Hash32, *Evidence]

	unavailable atomic.Int64 // consecutive ErrUnavailable failures, for backoff
	halted      atomic.Bool  // the source failed permanently; observing stopped

	head    atomic.Uint64 // source final height at the last poll
	reached atomic.Uint64 // source height the cursor stands for

	// progressAt is when a record of the route last moved towards its
	// destination (Unix nanoseconds; the engine's start before any did).
	progressAt atomic.Int64
}

func newRouteRunner(e *Engine, r Route) *routeRunner {
	p := r.Policy.WithDefaults()
	rr := &routeRunner{
		eng:             e,
		route:           r,
		pol:             p,
		log:             e.log.With("route", r.Name),
		wake:            make(chan struct{}, 1),
		pollNow:         make(chan struct{}, 1),
		inflight:        map[RecordID]int{},
		split:           map[RecordID]int{},
		batchesInFlight: map[string]bool{},
		decoded:         boundedcache.New[Hash32, *Evidence](p.Parallelism + 4*max(p.Batch.MaxRecords, 1)*max(p.Batch.Concurrency, 1)),
		attrs:           attribute.NewSet(attribute.String("route", r.Name)),
	}
	rr.progressAt.Store(e.now().UnixNano())
	if p.RatePerSecond > 0 {
		rr.limiter = rate.NewLimiter(rate.Limit(p.RatePerSecond), p.Burst)
	}
	if bd, ok := r.Destination.(BatchDestination); ok && p.Batch.Enabled() {
		rr.bdst, rr.batchWake = bd, make(chan struct{}, 1)
	}
	return rr
}

// batching reports whether the route delivers in batches.
func (r *routeRunner) batching() bool { return r.bdst != nil }

// signal wakes the scheduler without blocking.
func (r *routeRunner) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// wakeNoLaterThan asks the scheduler, and the batch loop if the route
// batches, to look again by t.
func (r *routeRunner) wakeNoLaterThan(t time.Time) {
	r.mu.Lock()
	if r.wakeAt.IsZero() || t.Before(r.wakeAt) {
		r.wakeAt = t
	}
	if r.batchAt.IsZero() || t.Before(r.batchAt) {
		r.batchAt = t
	}
	if t.Before(r.resumeAt) {
		r.resumeAt = t
	}
	r.mu.Unlock()
	r.signal()
	if r.batching() {
		r.signalBatches()
	}
}

// observe polls the source and stores what it finds together with the new
// cursor. A record is observed once: the store ignores keys it already has.
func (r *routeRunner) observe(ctx context.Context) {
	cursor, err := r.eng.store.Cursor(ctx, r.route.Name)
	if err != nil {
		if ctx.Err() == nil {
			r.eng.fatal(fmt.Errorf("route %s: read cursor: %w", r.route.Name, err))
		}
		return
	}
	failures := 0
	for {
		if ctx.Err() != nil {
			return
		}
		b, err := r.route.Source.Poll(ctx, cursor, r.pol.BatchSize)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if errors.Is(err, ErrPermanent) {
				// The source cannot go on without an operator (a fork
				// below finality, a ledger that does not link): stop
				// reading, keep delivering what was already observed.
				r.halted.Store(true)
				r.log.Error("route halted: its source cannot continue; fix the cause and restart liaison",
					"chain", r.route.SourceChain, "cursor", string(cursor), "err", err)
				return
			}
			failures++
			delay := r.pol.Retry.Backoff(failures)
			if failures == 1 || failures%10 == 0 {
				r.log.Warn("source poll failed", "chain", r.route.SourceChain, "failures", failures, "retry_in", delay.Round(time.Millisecond), "err", err)
			}
			r.sleep(ctx, delay)
			continue
		}
		if failures > 0 {
			r.log.Info("source reachable again", "chain", r.route.SourceChain, "after_failures", failures)
			failures = 0
		}
		r.head.Store(uint64(b.Head))
		r.reached.Store(uint64(b.Reached))
		if len(b.Records) > 0 || b.Next != cursor {
			news := make([]NewRecord, len(b.Records))
			now := r.eng.now()
			for i := range b.Records {
				rec := b.Records[i]
				rec.Route = r.route.Name
				news[i] = NewRecord{Record: rec, TraceParent: r.startTrace(ctx, &rec), Event: Event{
					At: now, Stage: StageObserved, Chain: rec.Source.Chain, TxID: rec.Source.TxID,
					Detail: observedDetail(&rec.Source),
				}}
			}
			if err := r.eng.store.Observe(ctx, r.route.Name, news, b.Next); err != nil {
				if ctx.Err() == nil {
					r.eng.fatal(fmt.Errorf("route %s: store observed records: %w", r.route.Name, err))
				}
				return
			}
			if len(news) > 0 {
				r.eng.metrics.observed.Add(ctx, int64(len(news)), r.metricOpt())
				r.signal()
			}
			cursor = b.Next
		}
		if len(b.Records) < r.pol.BatchSize {
			t := r.eng.clock.NewTimer(r.pol.PollInterval)
			select {
			case <-t.C():
			case <-r.pollNow:
			case <-ctx.Done():
			}
			t.Stop()
		}
	}
}

// observedDetail describes where the source committed a record, for the
// observed event of its timeline.
func observedDetail(src *SourceRef) string {
	d := fmt.Sprintf("height %d, sequence %d", src.Height, src.Sequence)
	if !src.Time.IsZero() {
		d += ", committed at " + src.Time.UTC().Format(time.RFC3339Nano)
	}
	return d
}

// startTrace opens the record's trace with its observe span and returns the
// traceparent to store with the record.
func (r *routeRunner) startTrace(ctx context.Context, rec *Record) string {
	_, span := r.eng.tracer.Start(context.WithoutCancel(ctx), "liaison.observe", trace.WithNewRoot(),
		trace.WithAttributes(r.recordAttrs(rec)...))
	if !rec.Source.Time.IsZero() {
		span.SetAttributes(attribute.String("liaison.source.time", rec.Source.Time.UTC().Format(time.RFC3339Nano)))
	}
	span.End()
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(trace.ContextWithSpan(context.Background(), span), carrier)
	return carrier["traceparent"]
}

func (r *routeRunner) recordAttrs(rec *Record) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String("liaison.route", r.route.Name),
		attribute.String("liaison.record_id", rec.ID.String()),
		attribute.String("liaison.source.chain", string(rec.Source.Chain)),
		attribute.Int64("liaison.source.height", int64(rec.Source.Height)),
		attribute.String("liaison.source.tx", rec.Source.TxID),
		attribute.Int64("liaison.source.sequence", int64(rec.Source.Sequence)),
		attribute.String("liaison.destination.chain", string(r.route.DestChain)),
	}
}

// schedule hands due records to workers until ctx ends, then waits for the
// workers. Workers run under workCtx, which outlives ctx by the grace
// period.
//
// It reads due records from the store a few times the route's parallelism
// at a time and hands them out as workers free up, so that the store is
// read once per chunk rather than once per record. Only this loop hands
// out the records it queued, so they stay due while they wait; a record
// an operator changes meanwhile is caught by the store's state check when
// its worker writes.
func (r *routeRunner) schedule(ctx, workCtx context.Context) {
	sem := make(chan struct{}, r.pol.Parallelism)
	var workers sync.WaitGroup
	defer workers.Wait()
	var queue []Entry
	dispatch := func(e Entry) bool {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		r.claim([]Entry{e})
		workers.Add(1)
		go func(e Entry) {
			defer func() {
				r.release([]Entry{e})
				<-sem
				workers.Done()
				r.signal()
			}()
			r.drive(ctx, workCtx, e)
		}(e)
		return true
	}
	for ctx.Err() == nil {
		if cap(sem) > len(sem) && r.pol.Ordering == Ordered && !r.batching() {
			head, ok, err := r.dueHead(ctx)
			if err != nil {
				if ctx.Err() == nil {
					r.eng.fatal(fmt.Errorf("route %s: read the route's head: %w", r.route.Name, err))
				}
				return
			}
			if ok && !dispatch(head) {
				return
			}
		}
		if free := cap(sem) - len(sem); free > 0 && len(queue) == 0 {
			var err error
			queue, err = r.due(ctx, free+2*r.pol.Parallelism)
			if err != nil {
				if ctx.Err() == nil {
					r.eng.fatal(fmt.Errorf("route %s: read due records: %w", r.route.Name, err))
				}
				return
			}
		}
		for len(queue) > 0 && cap(sem) > len(sem) {
			e := queue[0]
			queue = queue[1:]
			if !dispatch(e) {
				return
			}
		}
		r.mu.Lock()
		wait := r.pol.PollInterval // a worker that frees up signals
		if !r.wakeAt.IsZero() {
			wait = min(wait, max(0, r.wakeAt.Sub(r.eng.now())))
			r.wakeAt = time.Time{}
		}
		r.mu.Unlock()
		t := r.eng.clock.NewTimer(wait)
		select {
		case <-r.wake:
		case <-t.C():
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// due returns up to n records to work on now, other than those in
// flight. Batching routes hand out observed records and finish those an
// earlier configuration submitted one by one; ordered routes hand out
// observed records (the head goes through dueHead); unordered ones
// everything due.
func (r *routeRunner) due(ctx context.Context, n int) ([]Entry, error) {
	exclude := r.inflightIDs()
	now := r.eng.now()
	q := DueQuery{Route: r.route.Name, Now: now, Limit: n, Exclude: exclude}
	switch {
	case r.batching():
		q.States = []State{StateObserved}
		out, err := r.eng.store.Due(ctx, q)
		if err != nil || len(out) >= n {
			return out, err
		}
		q.Limit, q.States, q.Unbatched = n-len(out), []State{StateSubmitting, StateSubmitted}, true
		more, err := r.eng.store.Due(ctx, q)
		return append(out, more...), err
	case r.pol.Ordering == Ordered:
		q.States = []State{StateObserved}
	}
	return r.eng.store.Due(ctx, q)
}

// dueHead returns the head of an ordered route if it is due and no worker
// holds it. The head alone may be submitted; an observed head is handed
// out by due, like every observed record.
func (r *routeRunner) dueHead(ctx context.Context) (Entry, bool, error) {
	head, err := r.eng.store.Head(ctx, r.route.Name)
	if errors.Is(err, ErrNotFound) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	now := r.eng.now()
	if head.NextAt.After(now) {
		r.wakeNoLaterThan(head.NextAt)
		return Entry{}, false, nil
	}
	r.mu.Lock()
	busy := r.inflight[head.Record.ID] > 0
	r.mu.Unlock()
	return head, !busy && head.State != StateObserved && head.State != StateDead, nil
}

func (r *routeRunner) metricOpt() metricAttrOption { return metricAttrs(r.attrs) }

// sleep waits for d of engine time or until ctx ends.
func (r *routeRunner) sleep(ctx context.Context, d time.Duration) {
	sleepOn(r.eng.clock, d, ctx.Done())
}

// spanFor starts a stage span inside the record's trace.
func (r *routeRunner) spanFor(ctx context.Context, e *Entry, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if e.TraceParent != "" {
		ctx = propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": e.TraceParent})
	}
	opts = append(opts, trace.WithAttributes(r.recordAttrs(&e.Record)...),
		trace.WithAttributes(attribute.Int("liaison.attempt", e.Attempts+1)))
	return r.eng.tracer.Start(ctx, name, opts...)
}

func endSpan(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}
