package fabric

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

const (
	// defaultPollLimit bounds a batch when the engine passes no limit.
	defaultPollLimit = 256
	// maxBlocksPerPoll bounds the blocks one Poll reads, so that a source
	// far behind returns (and the engine stores) its progress regularly.
	maxBlocksPerPoll = 500
)

// blockSource is what a poll reads: the ledger height and a stream of
// blocks. A peer implements it through the gateway (peerBlocks); tests
// use a fake.
type blockSource interface {
	// height returns the number of blocks on the channel.
	height(ctx context.Context) (uint64, error)
	// blocks streams blocks from number from on, in order, until ctx ends.
	// The channel is closed when the stream ends or fails.
	blocks(ctx context.Context, from uint64) (<-chan *common.Block, error)
	name() string
}

// source reads RecordPublished events of the records chaincode from the
// channel's blocks. See cursor for the cursor format and Poll for the rules.
type source struct {
	c     *Chain
	sel   config.Selector
	start uint64
}

// Poll returns the records the chaincode published after the cursor, up
// to limit, from the blocks the peer has committed (a committed Fabric
// block is final). It asks for the ledger height first (qscc
// GetChainInfo) and reads blocks only below it, at most maxBlocksPerPoll
// of them, so it never waits for a block that does not exist yet. Only
// transactions the peer flagged VALID count, and of them only those whose
// chaincode event is the chaincode's RecordPublished.
//
// An unreachable peer makes it try the next one; when none answers the
// error wraps relayer.ErrUnavailable and the engine keeps its cursor. A
// block that does not link to the hash in the cursor is a *relayer.ForkError
// (relayer.ErrPermanent). A record whose ID does not follow from the chain
// name, the chaincode name and the sequence is returned as it is (and
// logged): Record.Check fails for it, so the engine dead-letters it where
// an operator sees it.
func (s *source) Poll(ctx context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	cur, err := parseCursor(after, s.start)
	if err != nil {
		return relayer.Batch{}, err
	}
	if limit <= 0 {
		limit = defaultPollLimit
	}
	var batch relayer.Batch
	err = s.c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		b, err := s.poll(ctx, peerBlocks{c: s.c, ep: ep}, cur, after, limit)
		batch = b
		return err
	})
	if err != nil {
		return relayer.Batch{}, fmt.Errorf("chain %s: poll from %s: %w", s.c.name, cur.encode(), err)
	}
	return batch, nil
}

func (s *source) poll(ctx context.Context, bs blockSource, cur cursor, after relayer.Cursor, limit int) (relayer.Batch, error) {
	height, err := bs.height(ctx)
	if err != nil {
		return relayer.Batch{}, err
	}
	reached := relayer.Height(0)
	if cur.next > 0 {
		reached = relayer.Height(cur.next - 1)
	}
	if height == 0 || cur.next >= height {
		// Nothing committed beyond the cursor (yet).
		head := relayer.Height(0)
		if height > 0 {
			head = relayer.Height(height - 1)
		}
		return relayer.Batch{Next: after, Reached: reached, Head: head}, nil
	}
	final := height - 1
	to := min(final, cur.next+maxBlocksPerPoll-1)

	sctx, cancel := context.WithCancel(ctx)
	ch, err := bs.blocks(sctx, cur.next)
	if err != nil {
		cancel()
		return relayer.Batch{}, err
	}
	defer func() {
		// Stop the stream and let its goroutine finish.
		cancel()
		for range ch {
		}
	}()

	var (
		recs     []relayer.Record
		next     = cur
		prevHash = cur.hash
		wait     = time.NewTimer(s.c.cfg.Timeouts.Evaluate)
	)
	defer wait.Stop()
	full := false
	for n := cur.next; n <= to && !full; n++ {
		var b *common.Block
		select {
		case blk, ok := <-ch:
			if !ok {
				return s.partial(bs, next, after, recs, final, fmt.Errorf("%w: peer %s: the block stream ended before block %d", relayer.ErrUnavailable, bs.name(), n))
			}
			b = blk
		case <-wait.C:
			return s.partial(bs, next, after, recs, final, fmt.Errorf("%w: peer %s: block %d did not arrive within %s although the ledger height is %d",
				relayer.ErrUnavailable, bs.name(), n, s.c.cfg.Timeouts.Evaluate, height))
		case <-ctx.Done():
			return relayer.Batch{}, ctx.Err()
		}
		wait.Reset(s.c.cfg.Timeouts.Evaluate)
		if got := b.GetHeader().GetNumber(); got != n {
			return relayer.Batch{}, fmt.Errorf("peer %s: asked for block %d, got block %d", bs.name(), n, got)
		}
		if prevHash != nil && !bytes.Equal(b.GetHeader().GetPreviousHash(), prevHash) {
			return relayer.Batch{}, &relayer.ForkError{Chain: s.c.name, Height: n - 1, Was: prevHash, Now: b.GetHeader().GetPreviousHash(), Endpoint: "peer " + bs.name(),
				Detail: "the next block links to another hash: the peer serves another ledger than the one read before (Fabric blocks are final, so this is not a reorganisation)"}
		}
		txs, err := blockTxs(b)
		if err != nil {
			return relayer.Batch{}, fmt.Errorf("peer %s: %w", bs.name(), err)
		}
		for _, tx := range txs {
			if n == cur.next && tx.index < cur.skip {
				continue // returned by the previous batch
			}
			if !s.published(&tx) {
				continue
			}
			if len(recs) >= limit {
				// The cursor stands between transactions: a
				// PublishRecords transaction's records come in one poll,
				// which may pass limit by fewer than MaxPublishBatch.
				next = cursor{next: n, skip: tx.index, hash: prevHash}
				full = true
				break
			}
			txRecs, err := s.decode(n, &tx)
			if err != nil {
				return relayer.Batch{}, err
			}
			for _, rec := range txRecs {
				if s.selects(rec) {
					recs = append(recs, *rec)
				}
			}
		}
		if full {
			break
		}
		h, err := headerHash(b.GetHeader())
		if err != nil {
			return relayer.Batch{}, fmt.Errorf("peer %s: block %d: %w", bs.name(), n, err)
		}
		prevHash = h
		next = cursor{next: n + 1, hash: h}
	}
	return s.batch(next, after, recs, final), nil
}

// partial returns the progress of a poll whose block stream failed: the
// records of the blocks read completely, or the error when there are none.
func (s *source) partial(bs blockSource, next cursor, after relayer.Cursor, recs []relayer.Record, final uint64, err error) (relayer.Batch, error) {
	if len(recs) == 0 {
		return relayer.Batch{}, err
	}
	s.c.log.Warn("block stream failed; returning the blocks read so far", "chain", s.c.name, "peer", bs.name(), "err", err)
	return s.batch(next, after, recs, final), nil
}

func (s *source) batch(next cursor, after relayer.Cursor, recs []relayer.Record, final uint64) relayer.Batch {
	b := relayer.Batch{Records: recs, Next: next.encode(), Head: relayer.Height(final)}
	if next.next > 0 {
		b.Reached = relayer.Height(next.next - 1)
	}
	if after != "" {
		if prev, err := parseCursor(after, s.start); err == nil && prev.equal(next) {
			b.Next = after
		}
	}
	return b
}

// published reports whether tx is a valid transaction whose event is the
// chaincode's RecordPublished or RecordsPublished.
func (s *source) published(tx *blockTx) bool {
	if tx.code != peer.TxValidationCode_VALID || tx.event == nil || tx.event.GetChaincodeId() != s.c.cfg.Chaincode {
		return false
	}
	name := tx.event.GetEventName()
	return name == EventRecordPublished || name == EventRecordsPublished
}

// decode turns a publishing event into the records of this chain it
// carries.
func (s *source) decode(block uint64, tx *blockTx) ([]*relayer.Record, error) {
	recs, crs, err := decodeEventRecords(tx.event.GetEventName(), tx.event.GetPayload())
	if err != nil {
		return nil, fmt.Errorf("%w: chain %s: block %d, tx %s: %v", relayer.ErrPermanent, s.c.name, block, tx.txID, err)
	}
	for i, rec := range recs {
		cr := &crs[i]
		rec.Source.Chain = s.c.name
		rec.Source.Height = relayer.Height(block)
		rec.Source.TxID = tx.txID
		rec.Source.Time = tx.time
		want, idErr := relayer.ComputeRecordID(s.c.name, []byte(s.c.cfg.Chaincode), rec.Source.Sequence)
		switch {
		case cr.SourceChain != string(s.c.name) || !bytes.Equal(rec.Source.Emitter, []byte(s.c.cfg.Chaincode)) || idErr != nil || want != rec.ID:
			s.c.log.Error("a publishing event carries a record of another chain name or emitter; is the chaincode initialized with another "+
				"chain name? The record will fail verification",
				"chain", s.c.name, "block", block, "tx", tx.txID, "sequence", rec.Source.Sequence,
				"event_chain", cr.SourceChain, "event_emitter", cr.Emitter, "event_id", rec.ID.String(), "expected_id", want.String())
		case relayer.PayloadDigest(rec.Payload) != [32]byte(rec.PayloadHash):
			s.c.log.Error("a publishing event carries a payload hash that is not sha256 of the payload; the record will fail verification",
				"chain", s.c.name, "block", block, "tx", tx.txID, "sequence", rec.Source.Sequence)
		}
	}
	return recs, nil
}

// selects applies the route's selector. An empty field matches anything;
// config fills Destination with the route's destination chain.
func (s *source) selects(rec *relayer.Record) bool {
	return (s.sel.Destination == "" || string(rec.Destination) == s.sel.Destination) &&
		(s.sel.Receiver == "" || rec.Receiver == s.sel.Receiver) &&
		(s.sel.ContentType == "" || rec.ContentType == s.sel.ContentType)
}

// peerBlocks reads blocks from one gateway peer.
type peerBlocks struct {
	c  *Chain
	ep *endpoint
}

func (p peerBlocks) name() string { return p.ep.addr }

// height asks qscc GetChainInfo for the channel's height.
func (p peerBlocks) height(ctx context.Context) (uint64, error) {
	return p.c.height(ctx, p.ep)
}

// blocks opens the peer's block event stream at from.
func (p peerBlocks) blocks(ctx context.Context, from uint64) (<-chan *common.Block, error) {
	ch, err := p.ep.network.BlockEvents(ctx, client.WithStartBlock(from))
	if err != nil {
		return nil, readError(ctx, p.ep, "block events", err)
	}
	return ch, nil
}

// height returns the number of blocks ep has committed on the channel.
func (c *Chain) height(ctx context.Context, ep *endpoint) (uint64, error) {
	raw, err := c.evaluate(ctx, ep, ep.qscc, "GetChainInfo", c.cfg.Channel)
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, fmt.Errorf("peer %s: GetChainInfo: %w", ep.addr, err)
	}
	return info.GetHeight(), nil
}
