package evm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// Proving many records at once. The engine proves each record in its own
// worker; on a busy route dozens of workers ask the same endpoint for the
// same final height, the same header and a storage proof each, at the same
// block. The reads below let them share: a worker that asks while an equal
// read is in flight waits for its answer, a header stays shared for a
// short while, and the storage slots asked for at one block go out
// together in one eth_getProof. What each record's evidence holds is
// unchanged: its own storage proof, the header of the block, checked by
// the verifier as before. Sharing trusts the endpoint no more than asking
// it once per record did; it only asks less often.

const (
	// headerTTL is how long a fetched header is handed out again. Headers
	// are read only at final heights, which do not change; the bound lets a
	// reorganisation below "final" (an anomaly) heal by itself.
	headerTTL = 2 * time.Second
	// maxProofKeys bounds the storage slots of one eth_getProof, and so
	// the size of its answer (about 5 KiB of proof a slot).
	maxProofKeys = 64
)

// flight is one read that several callers may wait for.
type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
	at   time.Time // when it completed
}

// shared runs a read once for the callers that ask for the same key while
// it is in flight, and keeps a successful answer for ttl (zero: not kept).
// Failures are not kept. The read runs without the first caller's
// cancellation, bounded by the endpoint's own timeout, so that one worker
// giving up does not fail the others.
type shared[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[K]*flight[V]
}

func (s *shared[K, V]) get(ctx context.Context, key K, read func(context.Context) (V, error)) (V, error) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[K]*flight[V]{}
	}
	f, ok := s.m[key]
	if ok && f.at != (time.Time{}) && time.Since(f.at) >= s.ttl {
		ok = false
	}
	if !ok {
		s.prune()
		f = &flight[V]{done: make(chan struct{})}
		s.m[key] = f
		go s.run(context.WithoutCancel(ctx), key, f, read)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.v, f.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

func (s *shared[K, V]) run(ctx context.Context, key K, f *flight[V], read func(context.Context) (V, error)) {
	v, err := read(ctx)
	s.mu.Lock()
	f.v, f.err, f.at = v, err, time.Now()
	if err != nil || s.ttl == 0 {
		if s.m[key] == f {
			delete(s.m, key)
		}
	}
	s.mu.Unlock()
	close(f.done)
}

// prune drops expired answers once the map has grown; s.mu is held.
func (s *shared[K, V]) prune() {
	if len(s.m) < 64 {
		return
	}
	for k, f := range s.m {
		if f.at != (time.Time{}) && time.Since(f.at) >= s.ttl {
			delete(s.m, k)
		}
	}
}

// reads is an endpoint's shared reads for the prover.
type reads struct {
	final   shared[struct{}, uint64]
	headers shared[uint64, headerAt]
	proofs  proofQueue
}

type headerAt struct {
	h    *types.Header
	hash common.Hash
}

// sharedFinalHeight is c.finalHeight(ep), shared with the callers that ask
// while it is in flight. An answer below atLeast (read before the caller's
// record was final) is not used: the caller reads again on its own.
func (c *Chain) sharedFinalHeight(ctx context.Context, ep *endpoint, atLeast uint64) (uint64, error) {
	f, err := ep.reads.final.get(ctx, struct{}{}, func(ctx context.Context) (uint64, error) { return c.finalHeight(ctx, ep) })
	if err != nil || f >= atLeast {
		return f, err
	}
	return c.finalHeight(ctx, ep)
}

// sharedHeader is ep.headers.HeaderByNumber(n), shared for headerTTL. The
// header is shared, not copied: callers must not change it.
func (ep *endpoint) sharedHeader(ctx context.Context, n uint64) (*types.Header, common.Hash, error) {
	r, err := ep.reads.headers.get(ctx, n, func(ctx context.Context) (headerAt, error) {
		h, hash, err := ep.headers.HeaderByNumber(ctx, rpc.BlockNumber(n))
		return headerAt{h, hash}, err
	})
	return r.h, r.hash, err
}

// proofQueue gathers the storage slots asked for at each block and reads
// them in as few eth_getProof calls as it can: while a call for a block is
// in flight, the slots asked for meanwhile wait, and the next call takes up
// to maxProofKeys of them.
type proofQueue struct {
	mu      sync.Mutex
	waiting map[uint64][]*slotRead // by block
}

type slotRead struct {
	slot common.Hash
	done chan struct{}
	res  *proofResult // the account proof and this slot's proof only
	err  error
}

// proof returns the proof of one slot of address at block n, read together
// with the other slots asked for at n at about the same time.
func (ep *endpoint) proof(ctx context.Context, address common.Address, slot common.Hash, n uint64) (*proofResult, error) {
	q := &ep.reads.proofs
	r := &slotRead{slot: slot, done: make(chan struct{})}
	q.mu.Lock()
	if q.waiting == nil {
		q.waiting = map[uint64][]*slotRead{}
	}
	w, busy := q.waiting[n]
	q.waiting[n] = append(w, r)
	q.mu.Unlock()
	if !busy {
		go ep.readProofs(context.WithoutCancel(ctx), address, n)
	}
	select {
	case <-r.done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readProofs serves the slots waiting at block n until none are left. The
// key stays in q.waiting while it runs, which tells proof that a reader is
// at work.
func (ep *endpoint) readProofs(ctx context.Context, address common.Address, n uint64) {
	q := &ep.reads.proofs
	for {
		q.mu.Lock()
		w := q.waiting[n]
		if len(w) == 0 {
			delete(q.waiting, n)
			q.mu.Unlock()
			return
		}
		take := w[:min(len(w), maxProofKeys)]
		q.waiting[n] = w[len(take):len(w):len(w)]
		q.mu.Unlock()
		ep.proofCall(ctx, address, n, take)
	}
}

// proofCall reads the proofs of the slots of rs at block n in one call.
func (ep *endpoint) proofCall(ctx context.Context, address common.Address, n uint64, rs []*slotRead) {
	slots := make([]common.Hash, len(rs))
	for i, r := range rs {
		slots[i] = r.slot
	}
	var res proofResult
	err := ep.call(ctx, &res, "eth_getProof", address, slots, hexutil.Uint64(n))
	if err == nil && len(res.StorageProof) != len(slots) {
		err = fmt.Errorf("endpoint %s: eth_getProof returned %d storage proofs for %d slots", ep.name, len(res.StorageProof), len(slots))
	}
	for i, r := range rs {
		switch {
		case err != nil:
			r.err = err
		case common.BytesToHash(res.StorageProof[i].Key) != r.slot:
			r.err = fmt.Errorf("endpoint %s: eth_getProof answered slot %x in the place of %s", ep.name, []byte(res.StorageProof[i].Key), r.slot.Hex())
		default:
			one := res
			one.StorageProof = res.StorageProof[i : i+1 : i+1]
			r.res = &one
		}
		close(r.done)
	}
}
