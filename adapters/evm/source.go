package evm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

const (
	// defaultPollLimit bounds a batch when the engine passes no limit.
	defaultPollLimit = 256
	// maxRangesPerPoll bounds the eth_getLogs calls of one Poll, so that a
	// source far behind returns (and the engine stores) its progress
	// regularly.
	maxRangesPerPoll = 16
)

// source reads RecordPublished logs of the Outbox. See the cursor type for
// the cursor format and Poll for the finality rule.
type source struct {
	c     *Chain
	sel   config.Selector
	start uint64
}

// Poll returns the records the Outbox published after the cursor, up to
// limit, from blocks the chain's trust mode treats as final (see
// Chain.finalHeight), reading at most MaxBlockRange blocks per eth_getLogs
// call. All calls of one Poll go to one endpoint; an unreachable endpoint
// makes it try the next, and when none answers the error wraps
// relayer.ErrUnavailable and the engine keeps its cursor.
//
// A record whose log carries an ID that does not follow from the chain
// name, the Outbox address and the sequence is returned as it is (and
// logged): Record.Check fails for it, so the engine dead-letters it where
// an operator sees it. A block read earlier that now has another hash is a
// *relayer.ForkError (relayer.ErrPermanent).
func (s *source) Poll(ctx context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	if s.c.outbox == nil {
		return relayer.Batch{}, fmt.Errorf("%w: chain %s: reading records needs outbox in the configuration", relayer.ErrPermanent, s.c.name)
	}
	cur, err := parseCursor(after, s.start)
	if err != nil {
		return relayer.Batch{}, err
	}
	if limit <= 0 {
		limit = defaultPollLimit
	}
	var batch relayer.Batch
	err = s.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		b, err := s.poll(ctx, ep, cur, after, limit)
		batch = b
		return err
	})
	return batch, err
}

func (s *source) poll(ctx context.Context, ep *endpoint, cur cursor, after relayer.Cursor, limit int) (relayer.Batch, error) {
	final, err := s.c.finalHeight(ctx, ep)
	if err != nil {
		return relayer.Batch{}, err
	}
	reached := uint64(0)
	if cur.next > 0 {
		reached = cur.next - 1
	}
	if cur.next > final+1 {
		// This endpoint is behind the cursor: nothing new here yet.
		return relayer.Batch{Next: after, Reached: relayer.Height(reached), Head: relayer.Height(final)}, nil
	}
	if cur.next > 0 && cur.hash != ([32]byte{}) {
		ref, err := ep.block(ctx, rpc.BlockNumber(cur.next-1))
		if err != nil {
			return relayer.Batch{}, err
		}
		if ref.Hash != cur.hash {
			return relayer.Batch{}, &relayer.ForkError{Chain: s.c.name, Height: cur.next - 1, Was: cur.hash[:], Now: ref.Hash[:], Endpoint: "endpoint " + ep.name}
		}
	}
	var recs []relayer.Record
	next := cur
	full := false
	times := map[uint64]time.Time{} // block timestamps read in this poll
	topic := s.c.outboxABI.GetABI().Events["RecordPublished"].ID
	for ranges := 0; next.next <= final && ranges < maxRangesPerPoll && !full && len(recs) < limit; ranges++ {
		to := min(final, next.next+s.c.cfg.MaxBlockRange-1)
		logs, err := ep.logs(ctx, *s.c.outbox, topic, next.next, to)
		if err != nil {
			return relayer.Batch{}, err
		}
		sort.SliceStable(logs, func(i, j int) bool {
			if logs[i].BlockNumber != logs[j].BlockNumber {
				return logs[i].BlockNumber < logs[j].BlockNumber
			}
			return logs[i].Index < logs[j].Index
		})
		for i := range logs {
			l := &logs[i]
			if l.BlockNumber < next.next || l.BlockNumber > to {
				continue // outside the asked range: a misbehaving endpoint
			}
			if l.BlockNumber == next.next && uint64(l.Index) < next.skip {
				continue // returned by the previous batch
			}
			if len(recs) == limit {
				next = cursor{next: l.BlockNumber, skip: uint64(l.Index)}
				full = true
				break
			}
			rec, err := s.decode(l)
			if err != nil {
				return relayer.Batch{}, err
			}
			if s.selects(rec) {
				if rec.Source.Time, err = blockTime(ctx, ep, l, times); err != nil {
					return relayer.Batch{}, err
				}
				recs = append(recs, *rec)
			}
		}
		if !full {
			next = cursor{next: to + 1}
		}
	}
	if next == cur {
		return relayer.Batch{Next: after, Reached: relayer.Height(reached), Head: relayer.Height(final)}, nil
	}
	if next.next > 0 {
		ref, err := ep.block(ctx, rpc.BlockNumber(next.next-1))
		if err != nil {
			return relayer.Batch{}, err
		}
		next.hash = ref.Hash
		reached = next.next - 1
	}
	return relayer.Batch{Records: recs, Next: next.encode(), Reached: relayer.Height(reached), Head: relayer.Height(final)}, nil
}

// blockTime returns the timestamp of the log's block, the record's source
// time: the log's own blockTimestamp when the node sends it (geth does
// since 1.16), else the block header's, read once per block and kept in
// times for the rest of the poll. A zero timestamp is left unknown.
func blockTime(ctx context.Context, ep *endpoint, l *types.Log, times map[uint64]time.Time) (time.Time, error) {
	if l.BlockTimestamp != 0 {
		return time.Unix(int64(l.BlockTimestamp), 0).UTC(), nil
	}
	if t, ok := times[l.BlockNumber]; ok {
		return t, nil
	}
	ref, err := ep.block(ctx, rpc.BlockNumber(l.BlockNumber))
	if err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if ref.Timestamp != 0 {
		t = time.Unix(int64(ref.Timestamp), 0).UTC()
	}
	times[l.BlockNumber] = t
	return t, nil
}

// decode turns a RecordPublished log into a record of this chain.
func (s *source) decode(l *types.Log) (*relayer.Record, error) {
	ev, err := s.c.outboxABI.UnpackRecordPublishedEvent(l)
	if err != nil {
		return nil, fmt.Errorf("%w: chain %s: block %d, tx %s, log %d: not a RecordPublished event of the Outbox: %v",
			relayer.ErrPermanent, s.c.name, l.BlockNumber, l.TxHash.Hex(), l.Index, err)
	}
	rec := &relayer.Record{
		ID: relayer.RecordID(ev.Id),
		Source: relayer.SourceRef{
			Chain:    s.c.name,
			Height:   relayer.Height(l.BlockNumber),
			TxID:     l.TxHash.Hex(),
			Emitter:  relayer.HexBytes(s.c.outbox.Bytes()),
			Sequence: ev.Sequence,
		},
		Destination: relayer.ChainID(ev.Destination),
		Receiver:    ev.Receiver,
		ContentType: ev.ContentType,
		Payload:     ev.Payload,
		PayloadHash: relayer.HexHash(ev.PayloadHash),
	}
	if want, err := relayer.ComputeRecordID(s.c.name, rec.Source.Emitter, rec.Source.Sequence); err != nil || want != rec.ID {
		s.c.log.Error("outbox log carries a record id that does not follow from chain name, outbox and sequence; "+
			"is the Outbox deployed with another chain name? The record will fail verification",
			"chain", s.c.name, "block", l.BlockNumber, "tx", l.TxHash.Hex(), "sequence", ev.Sequence,
			"log_id", rec.ID.String(), "expected_id", want.String())
	} else if relayer.PayloadDigest(rec.Payload) != [32]byte(rec.PayloadHash) {
		s.c.log.Error("outbox log carries a payload hash that is not sha256 of the payload; the record will fail verification",
			"chain", s.c.name, "block", l.BlockNumber, "tx", l.TxHash.Hex(), "sequence", ev.Sequence)
	}
	return rec, nil
}

// selects applies the route's selector. An empty field matches anything;
// config fills Destination with the route's destination chain.
func (s *source) selects(rec *relayer.Record) bool {
	return (s.sel.Destination == "" || string(rec.Destination) == s.sel.Destination) &&
		(s.sel.Receiver == "" || rec.Receiver == s.sel.Receiver) &&
		(s.sel.ContentType == "" || rec.ContentType == s.sel.ContentType)
}
