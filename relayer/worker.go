package relayer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// drive moves one record through as many steps as it can take now. It
// stops when the record waits (for confirmation, for a retry, for its turn
// on an ordered route), when it is done, or when the engine stops. Between
// steps it checks runCtx, so a shutdown waits for at most one step per
// record; the step itself runs under workCtx.
func (r *routeRunner) drive(runCtx, workCtx context.Context, e Entry) {
	for runCtx.Err() == nil {
		more, err := r.step(workCtx, &e)
		if err != nil {
			if workCtx.Err() == nil {
				r.eng.fatal(fmt.Errorf("route %s, record %s: %w", r.route.Name, e.Record.ID, err))
			}
			return
		}
		if !more {
			return
		}
	}
}

// work is what a worker does next with a record. It is decided in one
// place, nextWork, from the record's stored state and the route's policy.
type work int

const (
	workNone        work = iota // terminal, dead, or waiting for something else
	workProve                   // observed: prove and verify
	workSubmit                  // verified, never sent: prepare and submit
	workAskThenSend             // it may have landed already: ask the destination first
	workConfirm                 // submitted: check that it is final
	workBatch                   // verified on a batching route: the batch loop's
)

// nextWork decides what a worker does with e. A verified record that was
// attempted before, or has a destination transaction, may have landed on
// an earlier attempt, so the destination is asked before anything is sent.
func (r *routeRunner) nextWork(e *Entry) work {
	switch e.State {
	case StateObserved:
		return workProve
	case StateVerified:
		switch {
		case r.batching():
			return workBatch
		case e.DestTx != "" || e.Attempts > 0:
			return workAskThenSend
		}
		return workSubmit
	case StateSubmitting:
		return workAskThenSend
	case StateSubmitted:
		return workConfirm
	}
	return workNone
}

// step performs the record's next work. It returns whether the record can
// take another step at once, and an error only when the store failed.
func (r *routeRunner) step(ctx context.Context, e *Entry) (bool, error) {
	w := r.nextWork(e)
	if (w == workSubmit || w == workAskThenSend) && e.State == StateVerified {
		// Sending from verified waits for the record's turn (ordered).
		if ok, err := r.myTurn(ctx, e); err != nil || !ok {
			return false, err
		}
	}
	switch w {
	case workProve:
		return r.proveAndVerify(ctx, e)
	case workSubmit:
		return r.startSubmission(ctx, e, Transition{From: StateVerified})
	case workAskThenSend:
		return r.resume(ctx, e)
	case workConfirm:
		return r.confirm(ctx, e)
	}
	return false, nil // workNone, workBatch
}

// myTurn reports whether the record may be submitted now: always on an
// unordered route, only as the route's head on an ordered one.
func (r *routeRunner) myTurn(ctx context.Context, e *Entry) (bool, error) {
	if r.pol.Ordering == Unordered {
		return true, nil
	}
	head, err := r.eng.store.Head(ctx, r.route.Name)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return head.Record.ID == e.Record.ID, nil
}

// proveAndVerify fetches the evidence and checks it against the trusted
// anchor it names. The record is stored as verified only if it passed; if
// it may be submitted at once, it is stored straight as submitting, which
// saves a write.
func (r *routeRunner) proveAndVerify(ctx context.Context, e *Entry) (bool, error) {
	chain := r.route.SourceChain
	anchor, err := r.eng.trust.current(ctx, chain)
	if err != nil {
		return r.fail(ctx, e, StageProven, err)
	}
	start := r.eng.now()
	pctx, span := r.spanFor(ctx, e, "liaison.prove")
	ev, err := r.route.Prover.Prove(pctx, &e.Record, anchor)
	endSpan(span, err)
	if err != nil {
		return r.fail(ctx, e, StageProven, fmt.Errorf("prove: %w", err))
	}
	proven := r.eng.now()
	r.eng.metrics.stage(ctx, r, StageProven, proven.Sub(start))

	vctx, span := r.spanFor(ctx, e, "liaison.verify")
	span.SetAttributes(attribute.String("liaison.trust_model", ev.TrustModel), attribute.String("liaison.anchor", ev.Anchor.Digest))
	verdict, err := r.verify(vctx, ev, &e.Record)
	endSpan(span, err)
	if err != nil {
		return r.fail(ctx, e, StageVerified, err)
	}
	raw, err := EncodeEvidence(ev)
	if err != nil {
		return r.fail(ctx, e, StageVerified, fmt.Errorf("%w: encode evidence: %v", ErrPermanent, err))
	}
	verified := r.eng.now()
	r.eng.metrics.stage(ctx, r, StageVerified, verified.Sub(proven))
	t := Transition{From: StateObserved, To: StateVerified, Evidence: raw, Events: []Event{
		{At: proven, Stage: StageProven, Chain: chain, Detail: fmt.Sprintf("%s evidence against anchor at height %d", ev.TrustModel, ev.Anchor.Height)},
		{At: verified, Stage: StageVerified, Chain: chain, Detail: "evidence sha256:" + hexHash(sha256.Sum256(raw))},
	}}
	for _, next := range verdict.Trail {
		moved, err := r.eng.trust.advance(ctx, next)
		if err != nil {
			return false, err
		}
		if moved {
			t.Events = append(t.Events, Event{At: verified, Stage: StageAnchorMove, Chain: chain, Detail: fmt.Sprintf("height %d, %s", next.Height, next.Digest)})
		}
	}
	e.Evidence = raw
	r.decoded.Put(sha256.Sum256(raw), ev)
	if r.batching() {
		if _, err := r.move(ctx, e, t); err != nil {
			return false, err
		}
		r.verifiedSince.Add(1)
		r.signalBatches()
		return false, nil
	}
	if ok, err := r.myTurn(ctx, e); err != nil || !ok {
		if err != nil {
			return false, err
		}
		return r.move(ctx, e, t)
	}
	return r.startSubmission(ctx, e, t)
}

// verify checks the evidence through VerifyEvidence, the path `liaison
// evidence verify` takes too, against the anchor the evidence names, which
// must be one this relayer trusts and, for a revoking trust model, the one
// in force at the record's height. What the engine adds: the evidence is
// for the record it observed, and the route accepts the trust model.
func (r *routeRunner) verify(ctx context.Context, ev *Evidence, rec *Record) (Verdict, error) {
	if !SameRecord(&ev.Record, rec) {
		return Verdict{}, fmt.Errorf("%w: the evidence is for a different record than the one observed", ErrEvidence)
	}
	if !r.pol.accepts(ev.TrustModel) {
		return Verdict{}, fmt.Errorf("%w: route %s accepts trust models %v, the evidence offers %q", ErrPermanent, r.route.Name, r.pol.AcceptTrust, ev.TrustModel)
	}
	trusted, err := r.eng.trust.byDigest(ctx, rec.Source.Chain, ev.Anchor.Digest)
	if err != nil {
		return Verdict{}, err
	}
	if len(r.pol.AcceptTrust) == 0 {
		// No list: only the model of the chain's own current anchor, never
		// one of an anchor the chain had before (say rpc-finality before
		// the operator configured a qbft checkpoint).
		cur, err := r.eng.trust.current(ctx, rec.Source.Chain)
		if err != nil {
			return Verdict{}, err
		}
		if trusted.Scheme != cur.Scheme {
			return Verdict{}, fmt.Errorf("%w: route %s accepts the chain's own trust (%s anchors), the evidence names a %s anchor", ErrPermanent, r.route.Name, cur.Scheme, trusted.Scheme)
		}
	}
	if m, ok := modelOf(r.route.Verifier, ev.TrustModel); ok && m.Revoking {
		// The height the ledger verifier checks is the bundle's: SameRecord
		// does not compare heights.
		if err := r.eng.trust.inForce(ctx, trusted, ev.Record.Source.Height); err != nil {
			return Verdict{}, err
		}
	}
	return VerifyEvidence(ev, trusted, r.route.Verifier, r.eng.now())
}

// startSubmission writes the submission ahead (prepared, when the
// destination can prepare) and then submits. t carries what must be
// written with it (the evidence, when coming straight from verification).
func (r *routeRunner) startSubmission(ctx context.Context, e *Entry, t Transition) (bool, error) {
	d, err := r.delivery(e)
	if err != nil {
		return r.fail(ctx, e, StageSubmitted, err)
	}
	t.To, t.Attempts, t.LastError = StateSubmitting, e.Attempts, e.LastError
	if p, ok := r.route.Destination.(Preparer); ok {
		prep, err := p.Prepare(ctx, d)
		if err != nil {
			if t.From == StateObserved {
				// Keep the verification; retry the preparation.
				if _, err := r.move(ctx, e, Transition{From: t.From, To: StateVerified, Evidence: t.Evidence, Events: t.Events}); err != nil {
					return false, err
				}
			}
			return r.fail(ctx, e, StagePrepared, fmt.Errorf("prepare: %w", err))
		}
		t.Prepared, t.DestTx = prep.Data, prep.TxID
		t.Events = append(t.Events, Event{At: r.eng.now(), Stage: StagePrepared, Chain: r.route.DestChain, TxID: prep.TxID})
	}
	if more, err := r.move(ctx, e, t); err != nil || !more {
		return more, err
	}
	return r.submit(ctx, e)
}

// resume handles a record that may already have been submitted: it asks
// the destination first and submits only if the record is not delivered.
func (r *routeRunner) resume(ctx context.Context, e *Entry) (bool, error) {
	delivered, err := r.route.Destination.Delivered(ctx, &e.Record)
	if err != nil {
		return r.fail(ctx, e, StageSubmitted, fmt.Errorf("ask destination: %w", err))
	}
	if delivered {
		r.eng.metrics.delivered.Add(ctx, 1, r.metricOpt())
		r.eng.metrics.found.Add(ctx, 1, r.metricOpt())
		return r.move(ctx, e, Transition{From: e.State, To: StateConfirmed, Events: []Event{{
			At: r.eng.now(), Stage: StageFound, Chain: r.route.DestChain, TxID: e.DestTx,
			Detail: "the destination already has it; not submitted again",
		}}})
	}
	_, preparer := r.route.Destination.(Preparer)
	if e.State == StateVerified || (preparer && len(e.Prepared) == 0) {
		// Nothing prepared survived (or the last one cannot land):
		// prepare afresh.
		return r.startSubmission(ctx, e, Transition{From: e.State})
	}
	return r.submit(ctx, e)
}

// submit calls the destination for a record in state submitting, then
// checks at once whether the transaction is final, which on fast ledgers
// saves a write.
func (r *routeRunner) submit(ctx context.Context, e *Entry) (bool, error) {
	if r.limiter != nil {
		if err := r.limiter.Wait(ctx); err != nil {
			return false, nil // the engine is stopping
		}
	}
	d, err := r.delivery(e)
	if err != nil {
		return r.fail(ctx, e, StageSubmitted, err)
	}
	start := r.eng.now()
	sctx, span := r.spanFor(ctx, e, "liaison.submit")
	txID, err := r.route.Destination.Submit(sctx, d)
	span.SetAttributes(attribute.String("liaison.destination.tx", txID))
	endSpan(span, err)
	if err != nil {
		if errors.Is(err, ErrNotLanded) {
			// The prepared submission can never land (its nonce is used);
			// prepare a new one after checking delivery.
			return r.move(ctx, e, Transition{From: StateSubmitting, To: StateSubmitting, Prepared: []byte{},
				Attempts: e.Attempts + 1, LastError: err.Error(),
				Events: []Event{{At: r.eng.now(), Stage: StageNotLanded, Chain: r.route.DestChain, TxID: e.DestTx, Error: err.Error()}}})
		}
		return r.fail(ctx, e, StageSubmitted, fmt.Errorf("submit: %w", err))
	}
	now := r.eng.now()
	r.eng.metrics.stage(ctx, r, StageSubmitted, now.Sub(start))
	submitted := Event{At: now, Stage: StageSubmitted, Chain: r.route.DestChain, TxID: txID, Attempt: e.Attempts + 1}
	e.DestTx = txID
	return r.confirmWith(ctx, e, StateSubmitting, submitted)
}

// confirm checks whether the submitted transaction is final.
func (r *routeRunner) confirm(ctx context.Context, e *Entry) (bool, error) {
	return r.confirmWith(ctx, e, StateSubmitted)
}

// confirmWith checks the record's destination transaction, moving it from
// state from; extra events (the submission) are written with the outcome.
func (r *routeRunner) confirmWith(ctx context.Context, e *Entry, from State, extra ...Event) (bool, error) {
	// A check that finds the transaction not yet final gets no span: a
	// record polled every confirm_interval would otherwise fill its trace
	// with them. The span of the check that decides is started after the
	// fact, at the time that check began.
	began := time.Now()
	err := r.route.Destination.Confirm(ctx, &e.Record, e.DestTx)
	now := r.eng.now()
	if !errors.Is(err, ErrPending) {
		_, span := r.spanFor(ctx, e, "liaison.confirm", trace.WithTimestamp(began))
		span.SetAttributes(attribute.String("liaison.destination.tx", e.DestTx))
		endSpan(span, err)
	}
	switch {
	case err == nil:
		r.eng.metrics.delivered.Add(ctx, 1, r.metricOpt())
		if !e.ObservedAt.IsZero() {
			r.eng.metrics.latency.Record(ctx, now.Sub(e.ObservedAt).Seconds(), r.metricOpt())
		}
		return r.move(ctx, e, Transition{From: from, To: StateConfirmed, DestTx: e.DestTx,
			Events: append(extra, Event{At: now, Stage: StageConfirmed, Chain: r.route.DestChain, TxID: e.DestTx})})
	case errors.Is(err, ErrNotLanded) && from == StateSubmitted:
		// Ask Delivered before anything is submitted again.
		r.eng.metrics.failures.Add(ctx, 1, r.metricOpt())
		next := now.Add(r.pol.Retry.Backoff(e.Attempts + 1))
		r.wakeNoLaterThan(next)
		return r.move(ctx, e, Transition{From: from, To: StateSubmitting, Attempts: e.Attempts + 1, LastError: err.Error(),
			Prepared: []byte{}, NextAt: next,
			Events: append(extra, Event{At: now, Stage: StageNotLanded, Chain: r.route.DestChain, TxID: e.DestTx, Error: err.Error()})})
	case errors.Is(err, ErrPending) || from == StateSubmitting:
		// Not final yet, or the check failed right after submitting:
		// store the submission and check again later.
		next := now.Add(r.pol.ConfirmInterval)
		r.wakeNoLaterThan(next)
		return r.move(ctx, e, Transition{From: from, To: StateSubmitted, DestTx: e.DestTx, Attempts: e.Attempts,
			NextAt: next, LastError: e.LastError, Events: extra})
	default:
		return r.fail(ctx, e, StageConfirmed, fmt.Errorf("confirm: %w", err))
	}
}

// fail records a failed step. ErrUnavailable backs off without spending an
// attempt; ErrPermanent and the last attempt make the record dead.
func (r *routeRunner) fail(ctx context.Context, e *Entry, stage Stage, cause error) (bool, error) {
	return false, r.failAll(ctx, []*Entry{e}, stage, cause)
}

// failAll records a step that failed for every one of es (a batch) with
// one cause. They share one retry time, so that a batch stays together.
func (r *routeRunner) failAll(ctx context.Context, es []*Entry, stage Stage, cause error) error {
	if ctx.Err() != nil || len(es) == 0 {
		return nil // interrupted by shutdown, not a failure
	}
	now := r.eng.now()
	msg := cause.Error()
	unavailable := errors.Is(cause, ErrUnavailable)
	var streak int
	var retryAt time.Time
	if unavailable {
		// Unavailability is not the records' fault: back off on the
		// route's streak of such failures without spending attempts.
		streak = int(r.unavailable.Add(1))
		retryAt = now.Add(r.pol.Retry.Backoff(streak))
	} else {
		retryAt = now.Add(r.pol.Retry.Backoff(es[0].Attempts + 1))
	}
	ts := make([]Transition, len(es))
	for i, e := range es {
		log := r.log.With("record_id", e.Record.ID.String(), "trace_id", traceID(e.TraceParent), "state", string(e.State), "attempts", e.Attempts)
		t := Transition{Key: e.Key(), From: e.State, To: e.State, Attempts: e.Attempts, LastError: msg}
		switch {
		case unavailable:
			t.NextAt = retryAt
			if i == 0 && (streak == 1 || streak%50 == 0) {
				log.Warn("ledger unavailable; will retry", "stage", string(stage), "streak", streak, "records", len(es), "err", msg)
			}
		case errors.Is(cause, ErrPermanent) || e.Attempts+1 >= r.pol.Retry.MaxAttempts:
			t.To, t.Attempts = StateDead, e.Attempts+1
			t.Events = []Event{{At: now, Stage: StageDead, Attempt: t.Attempts, Error: msg, Detail: stepOf(stage) + " failed"}}
			r.eng.metrics.dead.Add(ctx, 1, r.metricOpt())
			log.Error("record dead-lettered", "stage", string(stage), "err", msg)
		default:
			t.Attempts, t.NextAt = e.Attempts+1, retryAt
			t.Events = []Event{{At: now, Stage: StageRetry, Attempt: t.Attempts, Error: msg,
				Detail: fmt.Sprintf("%s failed; next attempt at %s", stepOf(stage), t.NextAt.UTC().Format(time.RFC3339Nano))}}
			log.Warn("step failed; will retry", "stage", string(stage), "err", msg, "next_at", t.NextAt)
		}
		ts[i] = t
	}
	r.eng.metrics.failures.Add(ctx, int64(len(es)), r.metricOpt())
	if !retryAt.IsZero() {
		r.wakeNoLaterThan(retryAt)
	}
	_, err := r.moveAll(ctx, es, ts)
	return err
}

// move applies t to e through the group committer and updates e. It
// returns whether the record can take another step now.
func (r *routeRunner) move(ctx context.Context, e *Entry, t Transition) (bool, error) {
	t.Key = e.Key()
	more, err := r.moveAll(ctx, []*Entry{e}, []Transition{t})
	return more[0], err
}

// moveAll applies ts[i] to es[i], in one store transaction, and updates
// the entries that changed. It returns, for each, whether the record can
// take another step now (false for one an operator changed meanwhile).
func (r *routeRunner) moveAll(ctx context.Context, es []*Entry, ts []Transition) ([]bool, error) {
	applied, err := r.eng.commit.apply(ctx, ts...)
	if err != nil {
		return make([]bool, len(es)), err
	}
	more := make([]bool, len(es))
	signal := false
	for i, e := range es {
		t := &ts[i]
		if t.To != StateDead && t.LastError == "" {
			r.unavailable.Store(0)
		}
		if !applied[i] {
			r.log.Info("record changed under the engine (operator action); dropping its step", "record_id", e.Record.ID.String())
			continue
		}
		e.State, e.Attempts, e.NextAt, e.LastError = t.To, t.Attempts, t.NextAt, t.LastError
		if t.Evidence != nil {
			e.Evidence = t.Evidence
		}
		if t.Prepared != nil {
			e.Prepared = t.Prepared
		}
		if t.DestTx != "" {
			e.DestTx = t.DestTx
		}
		switch {
		case t.ClearBatch:
			e.Batch = ""
		case t.Batch != "":
			e.Batch = t.Batch
		}
		if t.From != t.To && t.To != StateDead {
			r.progressAt.Store(r.eng.now().UnixNano())
		}
		signal = signal || t.To.Terminal() && r.pol.Ordering == Ordered
		more[i] = !t.To.Terminal() && t.To != StateDead && t.NextAt.IsZero()
	}
	if signal {
		r.signal() // the next record may now be the head
	}
	return more, nil
}

// delivery builds what the destination receives. Evidence is decoded once
// per bundle: the route keeps the bundles it decoded or verified lately,
// by hash.
func (r *routeRunner) delivery(e *Entry) (Delivery, error) {
	h := sha256.Sum256(e.Evidence)
	ev, ok := r.decoded.Get(h)
	if !ok {
		var err error
		if ev, err = DecodeEvidence(e.Evidence); err != nil {
			return Delivery{}, fmt.Errorf("%w: stored evidence: %v", ErrPermanent, err)
		}
		r.decoded.Put(h, ev)
	}
	return Delivery{Record: &e.Record, Evidence: ev, EvidenceHash: h, Prepared: e.Prepared}, nil
}

// SameRecord reports whether a and b are the same record, field by field.
// It ignores the route, the source height and transaction (where the
// record was found, not what it is) and the source time, which no
// commitment covers.
func SameRecord(a, b *Record) bool {
	return a.ID == b.ID && a.Source.Chain == b.Source.Chain && bytes.Equal(a.Source.Emitter, b.Source.Emitter) &&
		a.Source.Sequence == b.Source.Sequence && a.Destination == b.Destination && a.Receiver == b.Receiver &&
		a.ContentType == b.ContentType && bytes.Equal(a.Payload, b.Payload) && a.PayloadHash == b.PayloadHash
}

func traceID(traceparent string) string {
	// traceparent is "00-<32 hex trace id>-<16 hex span id>-<flags>".
	if len(traceparent) >= 35 {
		return traceparent[3:35]
	}
	return ""
}

func hexHash(h Hash32) string { return fmt.Sprintf("%x", h[:]) }

// stepOf names the step that leads to stage, for timeline details: a
// failure "at submitted" was a submit that failed, with nothing submitted.
func stepOf(stage Stage) string {
	switch stage {
	case StageProven:
		return "prove"
	case StageVerified:
		return "verify"
	case StagePrepared:
		return "prepare"
	case StageSubmitted:
		return "submit"
	case StageConfirmed:
		return "confirm"
	}
	return string(stage)
}
