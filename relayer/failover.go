package relayer

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// Failover spreads an adapter's calls over the equivalent endpoints of one
// ledger (RPC URLs, peers, nodes). A call starts on the endpoint that
// answered last and moves on to the next only when it fails with
// ErrUnavailable, so such a failure must mean the call took no effect. The
// zero value is ready; it is safe for concurrent use. The adapter keeps its
// endpoints and hands Failover their count and a call by index.
type Failover struct {
	preferred atomic.Int32 // index of the endpoint that answered last
}

// Do runs call(ctx, i) for the n endpoints in turn, starting at the one
// that answered last, until one succeeds or fails with an error other than
// ErrUnavailable, or ctx ends. When every endpoint is unavailable, it
// returns the last error, prefixed with how many failed when there were
// several; noun names them in that message ("endpoints", "peers").
func (f *Failover) Do(ctx context.Context, n int, noun string, call func(ctx context.Context, i int) error) error {
	start := f.Preferred(n)
	var err error
	for k := range n {
		i := (start + k) % n
		if err = call(ctx, i); err == nil {
			f.preferred.Store(int32(i))
			return nil
		}
		if !errors.Is(err, ErrUnavailable) || ctx.Err() != nil {
			return err
		}
	}
	if n > 1 {
		return fmt.Errorf("all %d %s failed, the last with: %w", n, noun, err)
	}
	return err
}

// Preferred returns the index, below n, of the endpoint that answered
// last (0 before any answer).
func (f *Failover) Preferred(n int) int {
	if n <= 0 {
		return 0
	}
	return int(f.preferred.Load()) % n
}
