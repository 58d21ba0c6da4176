package cosmos

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

const (
	// defaultPollLimit bounds a batch when the engine passes no limit.
	defaultPollLimit = 256
	// lookupsPerRecord bounds the sequences one Poll reads per record it
	// may return, so that a selector that skips most records still returns
	// (and the engine stores) progress regularly.
	lookupsPerRecord = 4
)

// source reads the records the module published, by sequence. See cursor
// for the cursor format and Poll for the rules.
type source struct {
	c     *Chain
	sel   config.Selector
	start uint64
}

var _ relayer.Source = (*source)(nil)

// Poll returns the records published after the cursor, up to limit, in
// sequence order, from the state at the newest height H whose proof the
// light client can check (the node's latest height minus one: a proof of
// version H needs the header at H+1). It reads the module's next sequence
// at H, then each new record with PublishedBySequence at H, and the
// publishing transaction's hash from the block that holds it. Records
// that the selector, or the gateway client filter, does not select are
// skipped, and the cursor moves past them.
//
// All calls of one Poll go to one node; an unreachable node makes it try
// the next, and when none answers the error wraps relayer.ErrUnavailable
// and the engine keeps its cursor. A block read earlier that has another
// hash now is a *relayer.ForkError (relayer.ErrPermanent); after misbehaviour was
// detected Poll returns the *MisbehaviourError. Batch.Head is H;
// Batch.Reached is H when every record up to H was read, else the height
// of the last record returned.
func (s *source) Poll(ctx context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	if err := s.c.halted(); err != nil {
		return relayer.Batch{}, err
	}
	s.c.checkExpiry()
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
	if err != nil {
		return relayer.Batch{}, fmt.Errorf("chain %s: poll: %w", s.c.name, err)
	}
	return batch, nil
}

func (s *source) poll(ctx context.Context, ep *endpoint, cur cursor, after relayer.Cursor, limit int) (relayer.Batch, error) {
	_, latest, err := ep.status(ctx)
	if err != nil {
		return relayer.Batch{}, err
	}
	head := latest - 1
	unchanged := relayer.Batch{Next: after, Reached: relayer.Height(cur.height), Head: relayer.Height(head)}
	if head == 0 || cur.height >= head {
		return unchanged, nil // nothing provable beyond the cursor on this node yet
	}
	if len(cur.hash) > 0 {
		h, err := ep.headerHash(ctx, cur.height)
		if err != nil {
			return relayer.Batch{}, err
		}
		if !bytes.Equal(h, cur.hash) {
			return relayer.Batch{}, &relayer.ForkError{Chain: s.c.name, Height: cur.height, Was: cur.hash, Now: h, Endpoint: "node " + ep.name}
		}
	}
	nextRaw, err := ep.storeValue(ctx, StoreName, []byte{prefixNextSequence}, head)
	if err != nil {
		return relayer.Batch{}, err
	}
	next := uint64(1)
	if len(nextRaw) == 8 {
		next = binary.BigEndian.Uint64(nextRaw)
	} else if len(nextRaw) != 0 {
		return relayer.Batch{}, fmt.Errorf("node %s: records next sequence at %d is %x, not 8 bytes", ep.name, head, nextRaw)
	}
	var (
		recs    []relayer.Record
		seq     = cur.next
		reached = head
	)
	for lookups := 0; seq < next && len(recs) < limit && lookups < lookupsPerRecord*limit; lookups++ {
		p, err := s.published(ctx, ep, seq, head)
		if err != nil {
			return relayer.Batch{}, err
		}
		seq++
		if s.selects(&p) {
			recs = append(recs, p.record)
			reached = p.height
		}
	}
	if seq == next {
		reached = head
	}
	if err := s.fromBlocks(ctx, ep, recs); err != nil {
		return relayer.Batch{}, err
	}
	hash, err := ep.headerHash(ctx, head)
	if err != nil {
		return relayer.Batch{}, err
	}
	nc := cursor{next: seq, height: head, hash: hash}
	return relayer.Batch{Records: recs, Next: nc.encode(), Reached: relayer.Height(reached), Head: relayer.Height(head)}, nil
}

// published reads the record published with sequence seq at height h and
// turns it into a record of this chain.
func (s *source) published(ctx context.Context, ep *endpoint, seq, h uint64) (published, error) {
	var resp rawMsg
	if err := ep.invoke(ctx, queryService+"PublishedBySequence", &rawMsg{b: pbVarint(seq)}, &resp, h); err != nil {
		if errors.Is(err, errNotFound) {
			return published{}, fmt.Errorf("node %s: record %d is below the next sequence at height %d but not found", ep.name, seq, h)
		}
		return published{}, err
	}
	p, err := decodePublished(resp.b)
	if err != nil {
		return published{}, fmt.Errorf("node %s: record %d: %w", ep.name, seq, err)
	}
	rec := &p.record
	switch {
	case rec.Source.Sequence != seq:
		return published{}, fmt.Errorf("node %s: asked for record %d, got %d", ep.name, seq, rec.Source.Sequence)
	case p.height > h:
		return published{}, fmt.Errorf("node %s: record %d is published at height %d, above the state read (%d)", ep.name, seq, p.height, h)
	}
	rec.Source.Height = relayer.Height(p.height)
	if rec.Source.Chain != s.c.name || string(rec.Source.Emitter) != PortID || rec.Check() != nil {
		s.c.log.Error("the records module holds a record that does not follow from this chain's name and port; it will fail verification",
			"chain", s.c.name, "sequence", seq, "record_chain", rec.Source.Chain, "emitter", fmt.Sprintf("%x", []byte(rec.Source.Emitter)), "id", rec.ID.String())
	}
	return p, nil
}

// selects applies the route's selector and the gateway client filter. An
// empty selector field matches anything; config fills Destination with the
// route's destination chain.
func (s *source) selects(p *published) bool {
	rec := &p.record
	if gw := s.c.cfg.Gateway.ClientID; gw != "" && p.sourceClient != gw {
		s.c.log.Debug("record sent on another client than the gateway's; skipped", "chain", s.c.name,
			"sequence", rec.Source.Sequence, "client", p.sourceClient, "gateway", gw)
		return false
	}
	return (s.sel.Destination == "" || string(rec.Destination) == s.sel.Destination) &&
		(s.sel.Receiver == "" || rec.Receiver == s.sel.Receiver) &&
		(s.sel.ContentType == "" || rec.ContentType == s.sel.ContentType)
}

// fromBlocks fills in, from each record's block (read once per block),
// the hash of its publishing transaction, found by the block's
// liaison.record_published events, and its source time, the block time.
func (s *source) fromBlocks(ctx context.Context, ep *endpoint, recs []relayer.Record) error {
	byHeight := map[relayer.Height][]int{}
	for i := range recs {
		byHeight[recs[i].Source.Height] = append(byHeight[recs[i].Source.Height], i)
	}
	for h, idx := range byHeight {
		at, txs, results, err := ep.block(ctx, uint64(h))
		if err != nil {
			return err
		}
		ids := map[string]string{} // record id → tx hash
		for i, res := range results {
			for _, e := range res.Events {
				if e.Type != "liaison.record_published" {
					continue
				}
				for _, a := range e.Attributes {
					if a.Key == "id" {
						sum := sha256.Sum256(txs[i])
						ids[a.Value] = strings.ToUpper(hex.EncodeToString(sum[:]))
					}
				}
			}
		}
		for _, i := range idx {
			recs[i].Source.Time = at
			if tx, ok := ids[recs[i].ID.String()]; ok {
				recs[i].Source.TxID = tx
			} else {
				s.c.log.Warn("no liaison.record_published event for the record in its block; its transaction is not known",
					"chain", s.c.name, "height", h, "id", recs[i].ID.String())
			}
		}
	}
	return nil
}
