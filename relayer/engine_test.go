package relayer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// fastPolicy keeps tests quick: short polls and backoffs.
func fastPolicy(o relayer.Ordering) relayer.RoutePolicy {
	return relayer.RoutePolicy{
		Ordering: o, Parallelism: 8, BatchSize: 16,
		PollInterval: 2 * time.Millisecond, ConfirmInterval: time.Millisecond,
		Retry: relayer.RetryPolicy{MaxAttempts: 4, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond},
	}
}

type harness struct {
	t      *testing.T
	path   string
	store  relayer.Store
	src    *relayertest.Chain
	prover *relayertest.Prover
	dst    relayer.Destination
	fake   *relayertest.Destination
	policy relayer.RoutePolicy
	// clock is the engine's and the store's time. start runs it (one
	// millisecond of engine time every 250µs) unless manual is set, in
	// which case the test moves it with Advance.
	clock  *relayertest.Clock
	manual bool
	// exited receives what Run returned when the engine of the last
	// start stops (once).
	exited <-chan error
}

func newHarness(t *testing.T, o relayer.Ordering) *harness {
	t.Helper()
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "liaison.db"), src: relayertest.NewChain("dept-a"), policy: fastPolicy(o),
		clock: relayertest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))}
	h.prover = &relayertest.Prover{Chain: h.src}
	h.fake = relayertest.NewDestination("dept-b")
	h.dst = h.fake
	h.store = h.open()
	t.Cleanup(func() { h.store.Close() })
	return h
}

func (h *harness) open() relayer.Store {
	s, err := sqlitestore.Open(h.path, sqlitestore.Options{Clock: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func (h *harness) route() relayer.Route {
	return relayer.Route{
		Name: "a-to-b", SourceChain: "dept-a", DestChain: "dept-b",
		Source: &relayertest.Source{Chain: h.src}, Prover: h.prover, Verifier: relayertest.Verifier{},
		Destination: h.dst, Policy: h.policy,
	}
}

// start runs an engine on store s until the returned stop is called; stop
// returns Run's error.
func (h *harness) start(s relayer.Store, opts ...func(*relayer.Options)) (stop func() error) {
	o := relayer.Options{Store: s, Routes: []relayer.Route{h.route()}, ShutdownGrace: time.Second, Clock: h.clock}
	for _, f := range opts {
		f(&o)
	}
	eng, err := relayer.NewEngine(o)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h.exited = done
	stopClock := func() {}
	if !h.manual {
		stopClock = h.clock.Run(time.Millisecond, 250*time.Microsecond)
	}
	go func() { done <- eng.Run(ctx) }()
	return func() error {
		defer stopClock()
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			h.t.Fatal("engine did not stop within 10s")
			return nil
		}
	}
}

// idle waits until the engine's loops all sleep on the clock: n timers
// (an observer and a scheduler per route, while the observer runs).
func (h *harness) idle(n int) {
	h.t.Helper()
	if err := h.clock.BlockUntil(n, 10*time.Second); err != nil {
		h.t.Fatalf("the engine did not go idle: %v", err)
	}
}

// tick moves a manual clock by d, k times, letting the engine go idle
// (n timers) after each step.
func (h *harness) tick(d time.Duration, k, n int) {
	h.t.Helper()
	for range k {
		h.clock.Advance(d)
		h.idle(n)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (h *harness) states(s relayer.Store) map[relayer.State]int {
	out := map[relayer.State]int{}
	es, err := s.List(context.Background(), relayer.Filter{Limit: 100000})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, e := range es {
		out[e.State]++
	}
	return out
}

func (h *harness) waitConfirmed(s relayer.Store, n int) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := h.states(s)
		if st[relayer.StateConfirmed] == n {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %d confirmed records; states: %v", n, st)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (h *harness) assertExactlyOnce(recs []relayer.Record) {
	h.t.Helper()
	for _, r := range recs {
		if n := h.fake.Landed(r.ID); n != 1 {
			h.t.Errorf("record %d landed %d times, want 1", r.Source.Sequence, n)
		}
	}
	if d := h.fake.Duplicates.Load(); d != 0 {
		h.t.Errorf("%d duplicate submissions", d)
	}
}

func TestUnorderedDeliversEverything(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	recs := h.src.Publish("dept-b", 100)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 100)
	more := h.src.Publish("dept-b", 20)
	h.waitConfirmed(h.store, 120)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.assertExactlyOnce(append(recs, more...))
	if got := h.fake.Submits.Load(); got != 120 {
		t.Errorf("submits = %d, want 120", got)
	}
}

func TestOrderedDeliversInSequence(t *testing.T) {
	h := newHarness(t, relayer.Ordered)
	h.fake.PendingConfirms = 2
	// Make some records fail once so that later ones are ready first.
	var failed sync.Map
	h.fake.FailSubmit = func(r *relayer.Record) error {
		if r.Source.Sequence%3 == 0 {
			if _, done := failed.LoadOrStore(r.ID, true); !done {
				return errors.New("transient RPC error")
			}
		}
		return nil
	}
	recs := h.src.Publish("dept-b", 30)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 30)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	order := h.fake.Order()
	for i, id := range order {
		if id != recs[i].ID {
			t.Fatalf("landing %d is not record %d", i, i+1)
		}
	}
	h.assertExactlyOnce(recs)
}

func TestRetriesThenDeliversAndKeepsTimeline(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	var calls atomic.Int64
	h.fake.FailSubmit = func(r *relayer.Record) error {
		if calls.Add(1) <= 2 {
			return errors.New("execution reverted: out of gas")
		}
		return nil
	}
	recs := h.src.Publish("dept-b", 1)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 1)
	stop()
	h.assertExactlyOnce(recs)
	tl, err := h.store.Timeline(context.Background(), relayer.Key{Route: "a-to-b", ID: recs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	var stages []relayer.Stage
	retries := 0
	for _, e := range tl {
		stages = append(stages, e.Stage)
		if e.Stage == relayer.StageRetry {
			retries++
			if e.Error == "" {
				t.Error("retry event without its error")
			}
			if !strings.HasPrefix(e.Detail, "submit failed; next attempt at ") {
				t.Errorf("retry event detail %q, want it to name the failed step", e.Detail)
			}
		}
	}
	if retries != 2 {
		t.Errorf("timeline has %d retries, want 2: %v", retries, stages)
	}
	if stages[0] != relayer.StageObserved || stages[len(stages)-1] != relayer.StageConfirmed {
		t.Errorf("timeline = %v", stages)
	}
}

func TestUnavailableDoesNotSpendAttempts(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.policy.Retry.MaxAttempts = 2
	var calls atomic.Int64
	h.fake.FailSubmit = func(r *relayer.Record) error {
		if calls.Add(1) <= 10 {
			return fmt.Errorf("%w: connection refused", relayer.ErrUnavailable)
		}
		return nil
	}
	h.src.SetDown(true)
	recs := h.src.Publish("dept-b", 3)
	h.manual = true
	stop := h.start(h.store)
	// The source is down for 50ms of engine time: the observer keeps
	// trying, backing off, and nothing is observed.
	h.idle(2)
	h.tick(time.Millisecond, 50, 2)
	if n := len(h.states(h.store)); n != 0 {
		t.Fatalf("records observed while the source is down: %v", h.states(h.store))
	}
	if n := h.src.Polls.Load(); n < 5 || n > 50 {
		t.Fatalf("%d polls in 50ms of a source down, backing off from 1ms to 5ms: want 5 to 50", n)
	}
	h.src.SetDown(false)
	defer h.clock.Run(time.Millisecond, 250*time.Microsecond)()
	h.waitConfirmed(h.store, 3)
	stop()
	h.assertExactlyOnce(recs)
	es, _ := h.store.List(context.Background(), relayer.Filter{})
	for _, e := range es {
		if e.Attempts != 0 {
			t.Errorf("record %d spent %d attempts on unavailability", e.Record.Source.Sequence, e.Attempts)
		}
	}
}

func TestPoisonRecordDeadLettersThenOperatorRetry(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	var fixed atomic.Bool
	recs := h.src.Publish("dept-b", 5)
	poison := recs[2].ID
	h.fake.FailSubmit = func(r *relayer.Record) error {
		if r.ID == poison && !fixed.Load() {
			return fmt.Errorf("%w: receiver contract rejects the record", relayer.ErrPermanent)
		}
		return nil
	}
	stop := h.start(h.store)
	waitFor(t, "4 confirmed and 1 dead", func() bool {
		s := h.states(h.store)
		return s[relayer.StateConfirmed] == 4 && s[relayer.StateDead] == 1
	})
	es, _ := h.store.Get(context.Background(), poison)
	if es[0].State != relayer.StateDead || es[0].LastError == "" {
		t.Fatalf("poison record: state %s, error %q", es[0].State, es[0].LastError)
	}
	fixed.Store(true)
	ctx := context.Background()
	from, to, err := h.store.Retry(ctx, relayer.OperatorAction{Key: es[0].Key(), Actor: "alice", Action: "retry", Reason: "receiver fixed", At: time.Now()})
	// It passed verification, so its send may have landed: it goes back
	// to submitting, and the destination is asked before it is sent again.
	if err != nil || from != relayer.StateDead || to != relayer.StateSubmitting {
		t.Fatalf("retry: %s → %s, %v", from, to, err)
	}
	h.waitConfirmed(h.store, 5)
	stop()
	h.assertExactlyOnce(recs)
	audit, err := h.store.Audit(ctx, 10)
	if err != nil || len(audit) != 1 || audit[0].Actor != "alice" || audit[0].Reason != "receiver fixed" {
		t.Fatalf("audit = %+v, %v", audit, err)
	}
}

func TestForgedEvidenceIsRejected(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	recs := h.src.Publish("dept-b", 4)
	forged := recs[1].ID
	h.prover.Forge = func(r *relayer.Record) bool { return r.ID == forged }
	stop := h.start(h.store)
	waitFor(t, "3 confirmed and 1 dead", func() bool {
		s := h.states(h.store)
		return s[relayer.StateConfirmed] == 3 && s[relayer.StateDead] == 1
	})
	stop()
	if h.fake.Landed(forged) != 0 {
		t.Fatal("a record with forged evidence reached the destination")
	}
	es, _ := h.store.Get(context.Background(), forged)
	if es[0].State != relayer.StateDead || !contains(es[0].LastError, "evidence rejected") || !contains(es[0].LastError, "MAC") {
		t.Fatalf("forged record: %s %q", es[0].State, es[0].LastError)
	}
	if es[0].Attempts != h.policy.Retry.MaxAttempts {
		t.Errorf("attempts = %d, want %d", es[0].Attempts, h.policy.Retry.MaxAttempts)
	}
}

func TestRoutePolicyRefusesWeakerTrust(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.policy.AcceptTrust = []string{"qbft"}
	h.src.Publish("dept-b", 2)
	stop := h.start(h.store)
	waitFor(t, "2 dead", func() bool { return h.states(h.store)[relayer.StateDead] == 2 })
	stop()
	es, _ := h.store.List(context.Background(), relayer.Filter{})
	for _, e := range es {
		if e.Attempts != 1 || !contains(e.LastError, `accepts trust models [qbft]`) {
			t.Errorf("record %d: attempts %d, error %q", e.Record.Source.Sequence, e.Attempts, e.LastError)
		}
	}
	if h.fake.Submits.Load() != 0 {
		t.Fatal("records with refused trust were submitted")
	}
}

func TestPendingConfirmationAndLandThenFail(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.fake.PendingConfirms = 3
	h.fake.LandThenFail = func(r *relayer.Record) bool { return r.Source.Sequence%2 == 0 }
	recs := h.src.Publish("dept-b", 10)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 10)
	stop()
	// Records whose submission landed but reported an error are found
	// delivered and never submitted twice.
	h.assertExactlyOnce(recs)
}

func TestSkipIsAudited(t *testing.T) {
	h := newHarness(t, relayer.Ordered)
	recs := h.src.Publish("dept-b", 3)
	blocked := recs[0].ID
	h.fake.FailSubmit = func(r *relayer.Record) error {
		if r.ID == blocked {
			return fmt.Errorf("%w: not allowed", relayer.ErrPermanent)
		}
		return nil
	}
	h.manual = true
	stop := h.start(h.store)
	h.idle(2)
	for h.states(h.store)[relayer.StateDead] != 1 {
		h.tick(time.Millisecond, 1, 2)
	}
	// The ordered route is stuck behind its dead head, however long it
	// runs.
	h.tick(time.Millisecond, 50, 2)
	if n := h.fake.Submits.Load(); n != 0 {
		t.Fatalf("ordered route submitted %d records past a dead head", n)
	}
	waitFor(t, "the 2 records behind the head verified", func() bool { return h.states(h.store)[relayer.StateVerified] == 2 })
	defer h.clock.Run(time.Millisecond, 250*time.Microsecond)()
	if _, err := h.store.Skip(context.Background(), relayer.OperatorAction{Key: relayer.Key{Route: "a-to-b", ID: blocked}, Actor: "bob", Action: "skip", Reason: "withdrawn licence", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "2 confirmed", func() bool { return h.states(h.store)[relayer.StateConfirmed] == 2 })
	stop()
	if h.fake.Landed(blocked) != 0 {
		t.Fatal("skipped record landed")
	}
	tl, _ := h.store.Timeline(context.Background(), relayer.Key{Route: "a-to-b", ID: blocked})
	last := tl[len(tl)-1]
	if last.Stage != relayer.StageOperator || !contains(last.Detail, "bob") || !contains(last.Detail, "withdrawn licence") {
		t.Fatalf("last event = %+v", last)
	}
}

func TestGracefulShutdownResumes(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	h.fake.PendingConfirms = 1000000 // never final in the first run
	recs := h.src.Publish("dept-b", 20)
	stop := h.start(h.store)
	waitFor(t, "20 submitted", func() bool { return h.states(h.store)[relayer.StateSubmitted] == 20 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.fake.PendingConfirms = 0
	h.store.Close()
	h.store = h.open()
	h.fake.FinalizeAll()
	stop = h.start(h.store)
	h.waitConfirmed(h.store, 20)
	stop()
	h.assertExactlyOnce(recs)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestPermanentSourceErrorHaltsObserving(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	recs := h.src.Publish("dept-b", 3)
	stop := h.start(h.store)
	h.waitConfirmed(h.store, 3)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.src.FailPoll(fmt.Errorf("%w: block 7 was 0xaa and is now 0xbb", relayer.ErrPermanent))
	more := h.src.Publish("dept-b", 2)
	h.manual = true
	before := h.src.Polls.Load()
	stop = h.start(h.store)
	// The observer polls once, fails for good and stops: only the
	// scheduler sleeps on the clock from then on.
	waitFor(t, "the first poll", func() bool { return h.src.Polls.Load() > before })
	h.idle(1)
	polls := h.src.Polls.Load()
	h.tick(time.Millisecond, 30, 1)
	if n := len(h.states(h.store)); n != 1 || h.states(h.store)[relayer.StateConfirmed] != 3 {
		t.Fatalf("records after the source failed permanently: %v", h.states(h.store))
	}
	// The halt is for good: clearing the error does not resume the route
	// until liaison restarts.
	h.src.FailPoll(nil)
	h.tick(time.Millisecond, 30, 1)
	if n := h.src.Polls.Load(); n != polls {
		t.Fatalf("a halted route polled its source %d more times", n-polls)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	h.manual = false
	stop = h.start(h.store)
	h.waitConfirmed(h.store, 5)
	stop()
	h.assertExactlyOnce(append(recs, more...))
}
