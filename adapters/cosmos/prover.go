package cosmos

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/liaison-gw/liaison/proofs/ics23"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// prover builds evidence for records of its chain's records module.
type prover struct {
	c *Chain
}

var (
	_ relayer.Prover            = (*prover)(nil)
	_ relayer.TrustBootstrapper = (*prover)(nil)
)

// Prove builds the evidence that rec is in the records store: the ICS-23
// proof of its permanent value (records/0x06‖id) at the newest provable
// version H (the node's latest height minus one, never below the record's
// own height: the value never changes, so a newer version proves it as
// well and keeps the anchor moving), and the light blocks that take the
// light client from trusted to the header at H+1, whose app hash the proof
// is checked against. It skips from the anchor with the trust level and
// bisects when the validator set changed too much.
//
// Before it returns, it checks the node against the anchor (the node's
// block at the anchor's height must be the anchor's) and, with more than
// one node, the header at H+1 against every other node. Two headers that
// the light client accepts but that conflict are a *MisbehaviourError
// (relayer.ErrPermanent), after which the Chain is halted.
//
// Errors: relayer.ErrPermanent for a record or anchor that does not belong
// to this chain, an expired anchor (re-anchor in the configuration), a
// record the store does not hold (not published here), or a light-block
// chain longer than MaxLightBlocks; relayer.ErrUnavailable when the nodes
// cannot be reached or are not at the record's height yet; any other error
// when a node served data that does not check out.
func (p *prover) Prove(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	c := p.c
	if err := c.halted(); err != nil {
		return nil, err
	}
	switch {
	case rec == nil:
		return nil, fmt.Errorf("%w: no record", relayer.ErrPermanent)
	case rec.Source.Chain != c.name:
		return nil, fmt.Errorf("%w: record from chain %q, this prover is for %q", relayer.ErrPermanent, rec.Source.Chain, c.name)
	case string(rec.Source.Emitter) != PortID:
		return nil, fmt.Errorf("%w: record emitter %x is not the records module's port %q", relayer.ErrPermanent, []byte(rec.Source.Emitter), PortID)
	case trusted.Chain != c.name || trusted.Scheme != SchemeTendermint:
		return nil, fmt.Errorf("%w: anchor is %s of chain %q; chain %s uses %s", relayer.ErrPermanent, trusted.Scheme, trusted.Chain, c.name, SchemeTendermint)
	}
	st, err := parseTrustedState(trusted)
	if err != nil {
		return nil, fmt.Errorf("%w: chain %s: %w", relayer.ErrPermanent, c.name, err)
	}
	if st.ChainID != c.cfg.ChainID {
		return nil, fmt.Errorf("%w: anchor of CometBFT chain %q, chain %s is %q", relayer.ErrPermanent, st.ChainID, c.name, c.cfg.ChainID)
	}
	now := c.now()
	c.noteTrusted(st)
	if exp := tendermint.ExpiresAt(st); !exp.After(now) {
		return nil, fmt.Errorf("%w: %w: chain %s: the trusted header %d expired at %s (trusting period %s): "+
			"re-anchor by setting trust.height and trust.hash to a recent block", relayer.ErrPermanent, tendermint.ErrExpired,
			c.name, st.Height, exp.UTC().Format(time.RFC3339), st.TrustingPeriod)
	}
	var ev *relayer.Evidence
	err = c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		ev, err = p.prove(ctx, ep, rec, trusted, st, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("chain %s, record %s (height %d): %w", c.name, rec.ID, rec.Source.Height, err)
	}
	return ev, nil
}

func (p *prover) prove(ctx context.Context, ep *endpoint, rec *relayer.Record, trusted relayer.Anchor, st tendermint.TrustedState, now time.Time) (*relayer.Evidence, error) {
	c := p.c
	latest, err := ep.state.latestHeight(ctx)
	if err != nil {
		return nil, err
	}
	if latest < uint64(rec.Source.Height)+1 || latest < st.Height {
		return nil, fmt.Errorf("%w: node %s is at height %d; the record (height %d) needs the header above it, and the anchor is at %d",
			relayer.ErrUnavailable, ep.name, latest, rec.Source.Height, st.Height)
	}
	if err := p.checkAnchor(ctx, ep, st, now); err != nil {
		return nil, err
	}
	var (
		blocks []*lightBlock
		top    = st
		note   string
	)
	if latest > st.Height {
		var steps int
		blocks, top, steps, err = p.lightPath(ctx, ep, st, latest, now)
		if err != nil {
			return nil, err
		}
		if err := p.crossCheck(ctx, ep, st, blocks[len(blocks)-1], now); err != nil {
			return nil, err
		}
		note = fmt.Sprintf("tendermint: %d light block(s) from the anchor at height %d to header %d, each signed by more than 2/3 of its "+
			"validator set and, when skipping, by more than %d/%d of the trusted set", len(blocks), st.Height, top.Height,
			st.TrustLevel.Numerator, st.TrustLevel.Denominator)
		if steps > 1 {
			note += fmt.Sprintf(" (bisected into %d steps)", steps)
		}
	} else {
		note = fmt.Sprintf("tendermint: the header above the proof is the anchor's own, at height %d", st.Height)
	}
	c.noteTrusted(top)
	version := top.Height - 1
	key := RecordValueKey(rec.ID)
	value, proof, err := ep.state.storeProof(ctx, StoreName, key, version)
	if err != nil {
		return nil, err
	}
	if value == nil {
		return nil, fmt.Errorf("%w: node %s: the records store holds no value for record %s at version %d: "+
			"the record was not published on this chain (forged, or read from another fork)", relayer.ErrPermanent, ep.name, rec.ID, version)
	}
	stored, err := DecodeRecordValue(value)
	if err != nil {
		return nil, fmt.Errorf("node %s: records/%x at version %d: %w", ep.name, key, version, err)
	}
	if f := sameContent(rec, &stored); f != "" {
		return nil, fmt.Errorf("%w: the chain stores record %s with another %s than the observed record", relayer.ErrPermanent, rec.ID, f)
	}
	if err := ics23.VerifyMembership(top.AppHash, proof, StoreName, key, value); err != nil {
		return nil, fmt.Errorf("node %s: the proof of records/%x at version %d does not verify against the app hash of header %d: %w",
			ep.name, key, version, top.Height, err)
	}
	cons := Consensus{ChainID: st.ChainID, LightBlocks: make([]tendermint.LightBlock, len(blocks))}
	for i, b := range blocks {
		cons.LightBlocks[i] = b.tm
	}
	inc := Inclusion{Store: StoreName, Key: key, Value: value, Version: version, Proof: proof}
	return &relayer.Evidence{
		Version:    relayer.EvidenceVersion,
		Ledger:     relayer.LedgerCosmos,
		TrustModel: SchemeTendermint,
		Record:     *rec,
		Inclusion:  mustJSON(inc),
		Consensus:  mustJSON(cons),
		Anchor:     trusted,
		Notes: []string{note, fmt.Sprintf("records/0x06‖id proven at store version %d against the app hash of header %d "+
			"(the value is written once when the record is published and never changes)", version, top.Height)},
		ProvenAt: now.UTC(),
	}, nil
}

// lightPath returns the light blocks that take the light client from st to
// height target, checked with tendermint.Verify as the verifier will: a
// skip when enough of the trusted validators signed, else bisection. It
// also returns the state at target and the number of steps.
func (p *prover) lightPath(ctx context.Context, ep *endpoint, st tendermint.TrustedState, target uint64, now time.Time) ([]*lightBlock, tendermint.TrustedState, int, error) {
	var (
		path    []*lightBlock
		cur     = st
		pending = []uint64{target}
		fetched = map[uint64]*lightBlock{}
	)
	for len(pending) > 0 {
		h := pending[len(pending)-1]
		lb, ok := fetched[h]
		if !ok {
			var err error
			if lb, err = ep.state.lightBlock(ctx, h); err != nil {
				return nil, st, 0, err
			}
			if lb.height != h {
				return nil, st, 0, fmt.Errorf("node %s: asked for light block %d, got %d", ep.name, h, lb.height)
			}
			fetched[h] = lb
		}
		next, err := tendermint.Verify(cur, lb.tm, now)
		switch {
		case err == nil:
			if h == cur.Height+1 && !bytes.Equal(lb.parent, cur.Hash) {
				// The trusted validators signed a block whose parent is
				// not the trusted block.
				return nil, st, 0, p.c.stop(&MisbehaviourError{Chain: p.c.name, Height: cur.Height, HashA: cur.Hash, NodeA: "the trusted state",
					HashB: lb.parent, NodeB: ep.name + " (parent of header " + fmt.Sprint(h) + ")",
					Reason: errors.New("a header signed by the trusted next validators builds on another block")})
			}
			path = append(path, lb)
			cur = next
			pending = pending[:len(pending)-1]
		case errors.Is(err, tendermint.ErrInsufficientTrustedVotingPower) && h > cur.Height+1:
			pending = append(pending, cur.Height+(h-cur.Height)/2)
		case errors.Is(err, tendermint.ErrExpired):
			return nil, st, 0, fmt.Errorf("%w: %w", relayer.ErrPermanent, err)
		case errors.Is(err, tendermint.ErrClockDrift):
			return nil, st, 0, fmt.Errorf("%w: node %s: header %d is ahead of the local clock (check the clock): %w", relayer.ErrUnavailable, ep.name, h, err)
		default:
			return nil, st, 0, fmt.Errorf("node %s: light block %d does not verify from the trusted height %d: %w", ep.name, h, cur.Height, err)
		}
		if len(path)+len(pending) > MaxLightBlocks {
			return nil, st, 0, fmt.Errorf("%w: more than %d light blocks are needed to reach height %d from the anchor at %d: "+
				"the validator set changed too much; re-anchor closer to the head", relayer.ErrPermanent, MaxLightBlocks, target, st.Height)
		}
	}
	return path, cur, len(path), nil
}

// checkAnchor checks that the node's block at the anchor's height is the
// anchor's. When it is not, the node's next header decides: if the trusted
// next validators signed it, they signed a block on top of another block
// than the trusted one, which is misbehaviour; if not, the node is on
// another chain. A node that has pruned the anchor's block is not checked.
func (p *prover) checkAnchor(ctx context.Context, ep *endpoint, st tendermint.TrustedState, now time.Time) error {
	hash, err := ep.state.blockHash(ctx, st.Height)
	switch {
	case errors.Is(err, relayer.ErrUnavailable):
		return err
	case err != nil:
		p.c.log.Debug("cannot read the anchor's block from the node; not compared", "chain", p.c.name, "node", ep.name, "height", st.Height, "err", err)
		return nil
	case bytes.Equal(hash, st.Hash):
		return nil
	}
	next, err := ep.state.lightBlock(ctx, st.Height+1)
	if err != nil {
		return fmt.Errorf("node %s serves block %X at the anchor's height %d, not the trusted %X: %w", ep.name, hash, st.Height, []byte(st.Hash), err)
	}
	if _, err := tendermint.Verify(st, next.tm, now); err != nil {
		return fmt.Errorf("node %s serves block %X at the anchor's height %d, not the trusted %X, and its next header is not signed by "+
			"the trusted validators (%v): the node follows another chain", ep.name, hash, st.Height, []byte(st.Hash), err)
	}
	return p.c.stop(&MisbehaviourError{Chain: p.c.name, Height: st.Height, HashA: st.Hash, NodeA: "the trusted state", HashB: hash, NodeB: ep.name,
		Reason: fmt.Errorf("the node's header %d is signed by the trusted next validators and builds on %X", st.Height+1, next.parent)})
}

// crossCheck compares the top header with every other node's header at the
// same height. A witness that serves another header which the light client
// accepts from the anchor proves a fork: *MisbehaviourError. A witness that
// is behind, unreachable or serves a header the light client rejects is
// logged and ignored.
func (p *prover) crossCheck(ctx context.Context, primary *endpoint, st tendermint.TrustedState, top *lightBlock, now time.Time) error {
	for _, w := range p.c.eps {
		if w == primary {
			continue
		}
		lb, err := w.state.lightBlock(ctx, top.height)
		if err != nil {
			p.c.log.Debug("witness did not answer; header not cross-checked", "chain", p.c.name, "witness", w.name, "height", top.height, "err", err)
			continue
		}
		if bytes.Equal(lb.hash, top.hash) {
			continue
		}
		if _, _, _, err := p.lightPath(ctx, w, st, top.height, now); err != nil {
			if errors.Is(err, tendermint.ErrConflict) {
				return err
			}
			p.c.log.Warn("witness serves another header that the light client rejects: the witness is faulty or on another chain",
				"chain", p.c.name, "witness", w.name, "height", top.height, "hash", fmt.Sprintf("%X", lb.hash), "primary_hash", fmt.Sprintf("%X", top.hash), "err", err)
			continue
		}
		reason := tendermint.CheckConflict(top.tm, lb.tm)
		if reason == nil {
			reason = errors.New("two headers at one height")
		}
		return p.c.stop(&MisbehaviourError{Chain: p.c.name, Height: top.height, HashA: top.hash, NodeA: primary.name, HashB: lb.hash, NodeB: w.name, Reason: reason})
	}
	return nil
}

// Bootstrap returns the configured trust anchor: the light client state at
// trust.height, whose validator sets are read from a node and must produce
// trust.hash (the hash comes from the configuration, never from the node).
// It warns when the trusting period is not shorter than the chain's
// unbonding period, and fails when the configured block is already older
// than the trusting period.
func (p *prover) Bootstrap(ctx context.Context) (relayer.Anchor, error) {
	c := p.c
	want, err := hex.DecodeString(strings.TrimPrefix(c.cfg.Trust.Hash, "0x"))
	if err != nil || len(want) != 32 {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.hash %q is not a 32-byte hex hash", c.name, c.cfg.Trust.Hash)
	}
	var st tendermint.TrustedState
	err = c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		lb, err := ep.state.lightBlock(ctx, c.cfg.Trust.Height)
		if err != nil {
			return err
		}
		st, err = tendermint.NewTrustedState(lb.tm, want, c.params)
		if errors.Is(err, tendermint.ErrHashMismatch) {
			return fmt.Errorf("node %s: block %d has hash %X, but trust.hash is %X: the configured block is wrong or the node follows another chain",
				ep.name, c.cfg.Trust.Height, lb.hash, want)
		}
		if err != nil {
			return fmt.Errorf("node %s: light block %d: %w", ep.name, c.cfg.Trust.Height, err)
		}
		p.checkUnbonding(ctx, ep)
		return nil
	})
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust anchor: %w", c.name, err)
	}
	if st.ChainID != c.cfg.ChainID {
		return relayer.Anchor{}, fmt.Errorf("chain %s: the trusted block is of chain %q, not %q", c.name, st.ChainID, c.cfg.ChainID)
	}
	if exp := tendermint.ExpiresAt(st); !exp.After(c.now()) {
		return relayer.Anchor{}, fmt.Errorf("chain %s: the trusted block %d (%s) is older than the trusting period %s: configure a recent block",
			c.name, st.Height, st.Time.UTC().Format(time.RFC3339), st.TrustingPeriod)
	}
	c.noteTrusted(st)
	return relayer.NewAnchor(c.name, SchemeTendermint, []byte(PortID), relayer.Height(st.Height), mustJSON(st))
}

// checkUnbonding warns when the trusting period is not shorter than the
// staking module's unbonding period (then validators who sign a fork may
// have left before anyone can slash them). Chains without the staking
// module are not checked.
func (p *prover) checkUnbonding(ctx context.Context, ep *endpoint) {
	if ep.conn == nil {
		return // a node without gRPC (tests)
	}
	var resp rawMsg
	if err := ep.invoke(ctx, "/cosmos.staking.v1beta1.Query/Params", &rawMsg{}, &resp, 0); err != nil {
		p.c.log.Debug("cannot read the unbonding period", "chain", p.c.name, "err", err)
		return
	}
	outer, err := pbFields(resp.b)
	if err != nil {
		return
	}
	params, err := pbFields(pbBytes(outer, 1))
	if err != nil {
		return
	}
	d, err := pbFields(pbBytes(params, 1)) // unbonding_time: google.protobuf.Duration
	if err != nil {
		return
	}
	unbonding := time.Duration(int64(pbUint(d, protowire.Number(1))))*time.Second + time.Duration(int64(pbUint(d, 2)))
	if unbonding > 0 && p.c.params.TrustingPeriod >= unbonding {
		p.c.log.Warn("trust.trusting_period is not shorter than the chain's unbonding period: a fork signed by validators that "+
			"have already unbonded could not be punished; use at most two thirds of it",
			"chain", p.c.name, "trusting_period", p.c.params.TrustingPeriod, "unbonding_period", unbonding)
	}
}
