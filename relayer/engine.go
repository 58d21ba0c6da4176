package relayer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// Options configure an Engine. Store and Routes are required.
type Options struct {
	Store  EngineStore
	Routes []Route
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// TracerProvider and MeterProvider default to no-op providers.
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	// Clock is the engine's time, for timestamps, due times and the
	// timers it sleeps on; nil means the wall clock. Give the store the
	// same clock.
	Clock Clock
	// ShutdownGrace is how long in-flight steps may run after Run's
	// context ends before they are cancelled; default 10s.
	ShutdownGrace time.Duration
	// CommitBatch bounds transitions per store transaction; default 1024.
	CommitBatch int
}

// Engine runs routes: it observes records on sources, proves and verifies
// them, and delivers them exactly once, keeping every step in the store so
// that a crash at any point loses and duplicates nothing.
type Engine struct {
	store   EngineStore
	routes  []*routeRunner
	log     *slog.Logger
	tracer  trace.Tracer
	metrics *engineMetrics
	clock   Clock
	grace   time.Duration
	trust   *trustKeeper
	commit  *committer
	ready   atomic.Bool

	fatalOnce sync.Once
	fatalErr  error
	cancelRun context.CancelFunc
}

// NewEngine checks the options and returns an engine ready to Run.
func NewEngine(opts Options) (*Engine, error) {
	if opts.Store == nil {
		return nil, errors.New("engine: a store is required")
	}
	if len(opts.Routes) == 0 {
		return nil, errors.New("engine: at least one route is required")
	}
	e := &Engine{
		store: opts.Store,
		log:   opts.Logger,
		clock: opts.Clock,
		grace: opts.ShutdownGrace,
		trust: newTrustKeeper(opts.Store),
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.clock == nil {
		e.clock = SystemClock()
	}
	if e.grace <= 0 {
		e.grace = 10 * time.Second
	}
	if opts.CommitBatch <= 0 {
		opts.CommitBatch = 1024
	}
	e.commit = newCommitter(opts.Store, opts.CommitBatch)
	tp := opts.TracerProvider
	if tp == nil {
		tp = tracenoop.NewTracerProvider()
	}
	e.tracer = tp.Tracer("github.com/liaison-gw/liaison/relayer")
	mp := opts.MeterProvider
	if mp == nil {
		mp = metricnoop.NewMeterProvider()
	}
	seen := map[string]bool{}
	var errs []error
	for i := range opts.Routes {
		r := opts.Routes[i]
		if err := r.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[r.Name] {
			errs = append(errs, fmt.Errorf("route %q is defined twice", r.Name))
			continue
		}
		seen[r.Name] = true
		e.routes = append(e.routes, newRouteRunner(e, r))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	m, err := newEngineMetrics(mp.Meter("github.com/liaison-gw/liaison/relayer"), e)
	if err != nil {
		return nil, fmt.Errorf("engine: metrics: %w", err)
	}
	e.metrics = m
	return e, nil
}

// now is the engine's clock's time.
func (e *Engine) now() time.Time { return e.clock.Now() }

// Ready reports whether Run has bootstrapped trust and started every route.
func (e *Engine) Ready() bool { return e.ready.Load() }

// RouteStatus is what the engine knows of a route while it runs.
type RouteStatus struct {
	Route       string
	SourceChain ChainID
	DestChain   ChainID
	Ordering    Ordering
	Batching    bool
	// Head is the source's final height at the last poll and Reached the
	// height the route's cursor stands for.
	Head, Reached uint64
	// Halted: the route stopped reading its source on a permanent error.
	Halted bool
	// LastProgress is when a record last moved towards its destination
	// (the engine's start until one did).
	LastProgress time.Time
}

// PollNow makes the named routes (every route when none is named) read
// their sources at once instead of at their next poll: for a caller that
// knows a record was just published. It returns the routes it woke, and
// an error naming an unknown route. A route reads only what its source's
// finality rule allows, as on every poll.
func (e *Engine) PollNow(routes ...string) ([]string, error) {
	var woke []string
	for _, name := range routes {
		if !slices.ContainsFunc(e.routes, func(r *routeRunner) bool { return r.route.Name == name }) {
			return nil, fmt.Errorf("%w: no route %q", ErrNotFound, name)
		}
	}
	for _, r := range e.routes {
		if len(routes) > 0 && !slices.Contains(routes, r.route.Name) {
			continue
		}
		select {
		case r.pollNow <- struct{}{}:
		default:
		}
		woke = append(woke, r.route.Name)
	}
	return woke, nil
}

// Routes reports the status of every route, in configuration order.
func (e *Engine) Routes() []RouteStatus {
	out := make([]RouteStatus, len(e.routes))
	for i, r := range e.routes {
		out[i] = RouteStatus{Route: r.route.Name, SourceChain: r.route.SourceChain, DestChain: r.route.DestChain,
			Ordering: r.pol.Ordering, Batching: r.batching(), Head: r.head.Load(), Reached: r.reached.Load(),
			Halted: r.halted.Load(), LastProgress: time.Unix(0, r.progressAt.Load()).UTC()}
	}
	return out
}

// Run works until ctx ends or a fatal error (the store failing) occurs.
// When ctx ends it stops taking new work, lets in-flight steps finish for
// up to the shutdown grace, then cancels them; it returns nil after a
// clean shutdown. A step cut short is repeated safely after a restart.
func (e *Engine) Run(ctx context.Context) error {
	if err := e.bootstrapTrust(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	e.cancelRun = cancelRun
	defer cancelRun()
	// workCtx outlives runCtx by the grace period.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()

	stop := make(chan struct{})
	committerDone := make(chan struct{})
	go func() {
		defer close(committerDone)
		e.commit.run(stop)
	}()

	var wg sync.WaitGroup
	for _, r := range e.routes {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.observe(runCtx)
		}()
		go func() {
			defer wg.Done()
			r.schedule(runCtx, workCtx)
		}()
		if r.batching() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.batchLoop(runCtx, workCtx)
			}()
		}
	}
	e.ready.Store(true)
	e.log.Info("engine started", "routes", len(e.routes))

	<-runCtx.Done()
	e.ready.Store(false)
	workersDone := make(chan struct{})
	go func() {
		if sleepOn(e.clock, e.grace, workersDone) {
			cancelWork()
		}
	}()
	wg.Wait() // schedulers wait for their workers
	close(workersDone)
	close(stop)
	<-committerDone
	if e.fatalErr != nil {
		return e.fatalErr
	}
	e.log.Info("engine stopped")
	return nil
}

// fatal stops the engine because continuing could lose or duplicate
// records (the store failed). Run returns err.
func (e *Engine) fatal(err error) {
	e.fatalOnce.Do(func() {
		e.fatalErr = fmt.Errorf("engine stopped: %w", err)
		e.log.Error("engine stopping on a store failure", "err", err)
		if e.cancelRun != nil {
			e.cancelRun()
		}
	})
}

func (e *Engine) bootstrapTrust(ctx context.Context) error {
	done := map[ChainID]bool{}
	for _, r := range e.routes {
		chain := r.route.SourceChain
		if done[chain] {
			continue
		}
		done[chain] = true
		if b, ok := r.route.Prover.(TrustBootstrapper); ok {
			a, err := e.trust.bootstrap(ctx, b)
			if err != nil {
				return fmt.Errorf("trust anchor of chain %q: %w", chain, err)
			}
			if a.Chain != chain {
				return fmt.Errorf("trust anchor of chain %q: the prover returned an anchor for %q", chain, a.Chain)
			}
			e.log.Info("trust anchor", "chain", chain, "scheme", a.Scheme, "height", a.Height, "digest", a.Digest)
		}
		if _, err := e.trust.current(ctx, chain); err != nil {
			return fmt.Errorf("route %q: %w", r.route.Name, err)
		}
	}
	return nil
}
