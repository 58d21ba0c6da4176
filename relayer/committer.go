package relayer

import (
	"context"
)

// committer groups the transitions that concurrent workers produce into few
// store transactions (group commit). A worker's apply call returns only
// after its transitions are durable, so the write-ahead rule (store
// "submitting" before calling the destination) holds.
type committer struct {
	store RecordStore
	reqs  chan commitReq
	max   int
}

type commitReq struct {
	ts   []Transition
	done chan commitRes
}

type commitRes struct {
	applied []bool
	err     error
}

func newCommitter(s RecordStore, max int) *committer {
	return &committer{store: s, reqs: make(chan commitReq, 1024), max: max}
}

// apply blocks until ts are committed or failed. It returns for each
// transition whether it applied. Callers are the engine's workers and
// batchers, which Run waits for before it stops the committer, so the
// committer always runs while apply is called.
func (c *committer) apply(ctx context.Context, ts ...Transition) ([]bool, error) {
	req := commitReq{ts: ts, done: make(chan commitRes, 1)}
	select {
	case c.reqs <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: the write may
	// already be on its way to disk.
	res := <-req.done
	return res.applied, res.err
}

// run commits queued requests until stop is closed and the queue is empty.
// It uses its own context for the store: a write that started completes.
func (c *committer) run(stop <-chan struct{}) {
	ctx := context.Background()
	for {
		var first commitReq
		select {
		case first = <-c.reqs:
		case <-stop:
			// Drain what was queued before stop.
			for {
				select {
				case r := <-c.reqs:
					c.commit(ctx, []commitReq{r})
				default:
					return
				}
			}
		}
		batch := []commitReq{first}
		n := len(first.ts)
	gather:
		for n < c.max {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
				n += len(r.ts)
			default:
				break gather
			}
		}
		c.commit(ctx, batch)
	}
}

func (c *committer) commit(ctx context.Context, batch []commitReq) {
	var all []Transition
	for _, r := range batch {
		all = append(all, r.ts...)
	}
	applied, err := c.store.Apply(ctx, all)
	off := 0
	for _, r := range batch {
		res := commitRes{err: err}
		if err == nil {
			res.applied = applied[off : off+len(r.ts)]
		}
		off += len(r.ts)
		r.done <- res
	}
}
