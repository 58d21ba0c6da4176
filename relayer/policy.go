package relayer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Ordering says whether a route must deliver in source-sequence order.
type Ordering int

const (
	// Unordered routes deliver records in parallel, up to Parallelism.
	Unordered Ordering = iota
	// Ordered routes submit a record only after every lower-sequence record
	// of the route is confirmed or skipped. A dead record stops the route
	// until an operator retries or skips it.
	Ordered
)

func (o Ordering) String() string {
	if o == Ordered {
		return "ordered"
	}
	return "unordered"
}

// RetryPolicy controls how failed steps are retried. Failures that wrap
// ErrUnavailable back off the same way but do not spend attempts.
type RetryPolicy struct {
	MaxAttempts    int           // attempts before a record is dead; default 8
	InitialBackoff time.Duration // default 500ms
	MaxBackoff     time.Duration // default 1m
}

// Backoff returns the delay before attempt n+1 after n failures: exponential
// from InitialBackoff, capped at MaxBackoff, with ±20% jitter so that many
// records failing together do not retry together.
func (p RetryPolicy) Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := p.InitialBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	jitter := time.Duration(rand.Int64N(int64(d)/5 + 1))
	if rand.IntN(2) == 0 {
		return d - jitter
	}
	return min(d+jitter, p.MaxBackoff+p.MaxBackoff/5)
}

// RoutePolicy is the engine-side configuration of one route.
type RoutePolicy struct {
	Ordering Ordering
	// Parallelism bounds how many records of the route are worked on at
	// once; default 32.
	Parallelism int
	// BatchSize bounds records read per source poll; default 256.
	BatchSize int
	// PollInterval is the wait between source polls when the source had
	// nothing new; default 1s.
	PollInterval time.Duration
	// ConfirmInterval is the wait between confirmation checks; default 1s.
	ConfirmInterval time.Duration
	Retry           RetryPolicy
	// AcceptTrust lists the trust models this route accepts from its
	// source, for example ["qbft"]. Empty accepts any.
	AcceptTrust []string
	// RatePerSecond limits submissions to the destination; zero is
	// unlimited. Burst defaults to 1.
	RatePerSecond float64
	Burst         int
	// Batch delivers several records per destination submission when
	// Batch.MaxRecords > 1; the destination must be a BatchDestination.
	Batch BatchPolicy
}

// BatchPolicy shapes a route's batches, after cosmos/ibc-relayer's recv
// batch size, timeout and concurrency. A batch is sent when it holds
// MaxRecords verified records or when its oldest has waited MaxWait. On an
// ordered route a batch is a run of consecutive sequences, and one batch
// is in flight at a time.
type BatchPolicy struct {
	MaxRecords  int           // records per submission; 0 or 1: no batches
	MaxWait     time.Duration // default 500ms
	Concurrency int           // batches in flight on an unordered route; default 4
}

// Enabled reports whether the policy batches.
func (b BatchPolicy) Enabled() bool { return b.MaxRecords > 1 }

// Defaults for route policies. They live here and nowhere else.
const (
	DefaultParallelism     = 32
	DefaultBatchSize       = 256
	DefaultPollInterval    = time.Second
	DefaultConfirmInterval = time.Second
	DefaultMaxAttempts     = 8
	DefaultInitialBackoff  = 500 * time.Millisecond
	DefaultMaxBackoff      = time.Minute
	DefaultBatchMaxWait    = 500 * time.Millisecond
	DefaultBatchConcurrent = 4
)

// WithDefaults returns p with zero fields set to their defaults.
func (p RoutePolicy) WithDefaults() RoutePolicy {
	if p.Parallelism <= 0 {
		p.Parallelism = DefaultParallelism
	}
	if p.BatchSize <= 0 {
		p.BatchSize = DefaultBatchSize
	}
	if p.PollInterval <= 0 {
		p.PollInterval = DefaultPollInterval
	}
	if p.ConfirmInterval <= 0 {
		p.ConfirmInterval = DefaultConfirmInterval
	}
	if p.Retry.MaxAttempts <= 0 {
		p.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if p.Retry.InitialBackoff <= 0 {
		p.Retry.InitialBackoff = DefaultInitialBackoff
	}
	if p.Retry.MaxBackoff <= 0 {
		p.Retry.MaxBackoff = DefaultMaxBackoff
	}
	if p.Retry.MaxBackoff < p.Retry.InitialBackoff {
		p.Retry.MaxBackoff = p.Retry.InitialBackoff
	}
	if p.Burst <= 0 {
		p.Burst = 1
	}
	if p.Batch.Enabled() {
		if p.Batch.MaxWait <= 0 {
			p.Batch.MaxWait = DefaultBatchMaxWait
		}
		if p.Batch.Concurrency <= 0 {
			p.Batch.Concurrency = DefaultBatchConcurrent
		}
		if p.Ordering == Ordered {
			p.Batch.Concurrency = 1
		}
	}
	return p
}

// accepts reports whether the policy accepts evidence of the trust model.
func (p RoutePolicy) accepts(model string) bool {
	return len(p.AcceptTrust) == 0 || slices.Contains(p.AcceptTrust, model)
}

// Route is one configured flow of records from a source to a destination.
type Route struct {
	Name        string
	SourceChain ChainID
	DestChain   ChainID
	Source      Source
	Prover      Prover
	Verifier    Verifier
	Destination Destination
	Policy      RoutePolicy
}

func (r *Route) validate() error {
	var errs []error
	if r.Name == "" {
		errs = append(errs, errors.New("route has no name"))
	}
	if r.SourceChain == "" || r.DestChain == "" {
		errs = append(errs, fmt.Errorf("route %q: source and destination chains are required", r.Name))
	}
	if r.Source == nil || r.Prover == nil || r.Verifier == nil || r.Destination == nil {
		errs = append(errs, fmt.Errorf("route %q: source, prover, verifier and destination are all required", r.Name))
	}
	if _, ok := r.Destination.(BatchDestination); r.Policy.Batch.Enabled() && r.Destination != nil && !ok {
		errs = append(errs, fmt.Errorf("route %q: batch.max_records is %d, but its destination %q cannot deliver batches", r.Name, r.Policy.Batch.MaxRecords, r.DestChain))
	}
	return errors.Join(errs...)
}
