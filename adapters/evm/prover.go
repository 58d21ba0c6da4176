package evm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

// Notes carried by every bundle of a trust model.
const (
	noteRPCFinality = "rpc-finality: the header was accepted because every configured RPC endpoint returned the same hash for a block " +
		"each of them treats as final; no consensus signature was checked. This trusts the endpoints' view of finality and is weaker " +
		"than a light client: endpoints run by one party, or all fed by one node, can agree on a false header."
	noteBFTSkip     = "%s: the proof block's header carries committed seals from more than two thirds of the anchor's validators (a skip from height %d)."
	noteBFTAdjacent = "%s: %d consecutive headers from height %d, each sealed by a quorum of its validators and linked to its parent."
	noteBFTAnchor   = "%s: the proof is at the anchor's own height %d; its header hashes to the anchor's hash."
)

// prover builds evidence for records of its chain's Outbox.
type prover struct {
	c          *Chain
	maxHeaders int // adjacent headers one bundle may carry
}

// Prove builds the evidence that rec is committed in the Outbox's storage,
// at the latest block that is final on the chain (never below the record's
// own block: the commitment stays in storage, so a newer block proves it as
// well and keeps the anchor at or below the proof).
//
// Errors: relayer.ErrPermanent for a record or anchor that does not belong
// to this chain and mode, or a chain of headers longer than
// MaxConsensusHeaders; relayer.ErrUnavailable when an endpoint cannot be
// reached, is behind the record, or (rpc-finality) the endpoints disagree
// about the block; any other error when an endpoint served data that does
// not check out.
func (p *prover) Prove(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	c := p.c
	switch {
	case rec == nil:
		return nil, fmt.Errorf("%w: no record", relayer.ErrPermanent)
	case c.outbox == nil:
		return nil, fmt.Errorf("%w: chain %s: proving needs outbox in the configuration", relayer.ErrPermanent, c.name)
	case rec.Source.Chain != c.name:
		return nil, fmt.Errorf("%w: record from chain %q, this prover is for %q", relayer.ErrPermanent, rec.Source.Chain, c.name)
	case !bytes.Equal(rec.Source.Emitter, c.outbox[:]):
		return nil, fmt.Errorf("%w: record emitter %x is not the Outbox %s", relayer.ErrPermanent, []byte(rec.Source.Emitter), c.outbox.Hex())
	case trusted.Chain != c.name || trusted.Scheme != c.mode.scheme():
		return nil, fmt.Errorf("%w: anchor is %s of chain %q; chain %s uses %s", relayer.ErrPermanent, trusted.Scheme, trusted.Chain, c.name, c.mode.scheme())
	}
	var (
		ev  *relayer.Evidence
		err error
	)
	if c.mode == modeFinality {
		ev, err = p.proveFinality(ctx, rec, trusted)
	} else {
		ev, err = p.proveBFT(ctx, rec, trusted)
	}
	if err != nil {
		return nil, fmt.Errorf("chain %s, record %s (height %d): %w", c.name, rec.ID, rec.Source.Height, err)
	}
	return ev, nil
}

func (p *prover) evidence(rec *relayer.Record, trusted relayer.Anchor, inc *Inclusion, consensus any, notes ...string) *relayer.Evidence {
	return &relayer.Evidence{
		Version:    relayer.EvidenceVersion,
		Ledger:     relayer.LedgerEVM,
		TrustModel: p.c.mode.scheme(),
		Record:     *rec,
		Inclusion:  mustJSON(inc),
		Consensus:  mustJSON(consensus),
		Anchor:     trusted,
		Notes:      notes,
		ProvenAt:   p.c.now().UTC(),
	}
}

// inclusion fetches the storage proof of rec's commitment at block n.
func (p *prover) inclusion(ctx context.Context, ep *endpoint, rec *relayer.Record, n uint64) (*Inclusion, error) {
	slot := CommitmentSlot(rec.ID)
	res, err := ep.proof(ctx, *p.c.outbox, slot, n)
	if err != nil {
		return nil, err
	}
	sp := res.StorageProof[0]
	if sp.Value == nil || sp.Value.ToInt().Sign() == 0 {
		return nil, fmt.Errorf("%w: endpoint %s: the Outbox holds no commitment for the record at final block %d: "+
			"the record was not published there (forged, or read from another fork)", relayer.ErrPermanent, ep.name, n)
	}
	if sp.Value.ToInt().BitLen() > 256 {
		return nil, fmt.Errorf("endpoint %s: eth_getProof value does not fit 32 bytes", ep.name)
	}
	return &Inclusion{
		Address:      *p.c.outbox,
		Slot:         slot,
		Value:        common.BigToHash(sp.Value.ToInt()),
		BlockNumber:  n,
		AccountProof: res.AccountProof,
		StorageProof: sp.Proof,
	}, nil
}

// proveFinality proves at the lowest height that every endpoint treats as
// final, with the header every endpoint returns for it.
func (p *prover) proveFinality(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	c := p.c
	var st FinalityAnchor
	if err := relayer.DecodeStrict(trusted.State, &st); err != nil || st.ChainID != c.cfg.ChainID {
		return nil, fmt.Errorf("%w: anchor state %s is not chain id %d's", relayer.ErrPermanent, trusted.State, c.cfg.ChainID)
	}
	final := uint64(0)
	for i, ep := range c.eps {
		f, err := c.sharedFinalHeight(ctx, ep, uint64(rec.Source.Height))
		if err != nil {
			return nil, err
		}
		if i == 0 || f < final {
			final = f
		}
	}
	if final < uint64(rec.Source.Height) {
		return nil, fmt.Errorf("%w: block %d is not final on every endpoint yet (lowest final height %d)", relayer.ErrUnavailable, rec.Source.Height, final)
	}
	var (
		enc      []byte
		hash     common.Hash
		seen     []string
		disagree bool
	)
	for i, ep := range c.eps {
		h, claimed, err := ep.sharedHeader(ctx, final)
		if err != nil {
			return nil, err
		}
		e, err := rlp.EncodeToBytes(h)
		if err != nil {
			return nil, fmt.Errorf("endpoint %s: header %d: %w", ep.name, final, err)
		}
		if got := crypto.Keccak256Hash(e); got != claimed {
			return nil, fmt.Errorf("endpoint %s: header %d re-encodes to hash %s but the endpoint claims %s: "+
				"this chain's header format or hash rule is not go-ethereum's (a QBFT or IBFT 2.0 chain needs trust mode qbft or ibft2)",
				ep.name, final, got.Hex(), claimed.Hex())
		}
		seen = append(seen, fmt.Sprintf("%s has %s", ep.name, claimed.Hex()))
		if i == 0 {
			enc, hash = e, claimed
		} else if claimed != hash {
			disagree = true
		}
	}
	if disagree {
		err := fmt.Errorf("%w: endpoints disagree on final block %d (%s); this is usually transient near the head "+
			"(an endpoint lagging or in a short reorganisation) and is retried; if it lasts, one endpoint follows another fork "+
			"or serves false headers", relayer.ErrUnavailable, final, strings.Join(seen, ", "))
		c.log.Error("rpc endpoints disagree on a final block", "chain", c.name, "height", final, "err", err)
		return nil, err
	}
	var inc *Inclusion
	err := c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		inc, err = p.inclusion(ctx, ep, rec, final)
		return err
	})
	if err != nil {
		return nil, err
	}
	cons := FinalityConsensus{ChainID: st.ChainID, BlockHash: hash, Header: enc}
	note := fmt.Sprintf("%s (%d endpoint(s) agreed on block %d, %s)", noteRPCFinality, len(c.eps), final, hash.Hex())
	return p.evidence(rec, trusted, inc, cons, note), nil
}

// proveBFT proves at the endpoint's head with the headers that take the
// light client from the anchor there: a skip when more than two thirds of
// the anchor's validators sealed the head, else every header in between.
func (p *prover) proveBFT(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	c := p.c
	var st qbft.TrustedState
	if err := relayer.DecodeStrict(trusted.State, &st); err != nil {
		return nil, fmt.Errorf("%w: anchor state: %v", relayer.ErrPermanent, err)
	}
	if err := st.Validate(); err != nil || st.Height != uint64(trusted.Height) {
		return nil, fmt.Errorf("%w: anchor state at height %d is not usable for anchor height %d (an anchor stored before "+
			"trusting periods existed needs a newer trust.checkpoint): %v", relayer.ErrPermanent, st.Height, trusted.Height, err)
	}
	now := c.now()
	c.expiry.note(c, st)
	if exp := qbft.ExpiresAt(st); !exp.After(now) {
		return nil, fmt.Errorf("%w: %w: chain %s: the trusted header %d expired at %s (trusting period %s): "+
			"configure a newer trust.checkpoint (height, hash and validators of a recent block)", relayer.ErrPermanent, qbft.ErrExpired,
			c.name, st.Height, exp.UTC().Format(time.RFC3339), st.TrustingPeriod)
	}
	var ev *relayer.Evidence
	err := c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		final, err := c.sharedFinalHeight(ctx, ep, max(uint64(rec.Source.Height), st.Height))
		if err != nil {
			return err
		}
		if final < uint64(rec.Source.Height) || final < st.Height {
			return fmt.Errorf("%w: endpoint %s is at height %d, below the record (%d) or the anchor (%d)",
				relayer.ErrUnavailable, ep.name, final, rec.Source.Height, st.Height)
		}
		headers, note, err := p.bftHeaders(ctx, ep, st, final, now)
		if err != nil {
			return err
		}
		inc, err := p.inclusion(ctx, ep, rec, final)
		if err != nil {
			return err
		}
		cons := BFTConsensus{Headers: make([]hexutil.Bytes, len(headers))}
		for i, h := range headers {
			if cons.Headers[i], err = rlp.EncodeToBytes(h); err != nil {
				return fmt.Errorf("encode header %d: %w", h.Number, err)
			}
		}
		ev = p.evidence(rec, trusted, inc, cons, note)
		return nil
	})
	return ev, err
}

// bftHeaders returns the consensus headers from st to height target, which
// it checks with the light client, as of now, before returning them.
func (p *prover) bftHeaders(ctx context.Context, ep *endpoint, st qbft.TrustedState, target uint64, now time.Time) ([]*types.Header, string, error) {
	scheme := p.c.mode.scheme()
	h, err := p.header(ctx, ep, st.Variant, target)
	if err != nil {
		return nil, "", err
	}
	if target == st.Height {
		got, _ := qbft.BlockHash(st.Variant, h)
		if got != st.Hash {
			return nil, "", fmt.Errorf("endpoint %s: block %d has hash %s, the trusted anchor %s: the endpoint is on another fork",
				ep.name, target, got.Hex(), st.Hash.Hex())
		}
		return []*types.Header{h}, fmt.Sprintf(noteBFTAnchor, scheme, target), nil
	}
	_, err = qbft.VerifySkip(st, h, now)
	if err == nil {
		return []*types.Header{h}, fmt.Sprintf(noteBFTSkip, scheme, st.Height), nil
	}
	if !errors.Is(err, qbft.ErrInsufficientOverlap) {
		return nil, "", fmt.Errorf("endpoint %s: header %d does not verify from the anchor at %d: %w", ep.name, target, st.Height, err)
	}
	n := target - st.Height
	if n > uint64(p.maxHeaders) {
		return nil, "", fmt.Errorf("%w: the validator set changed too much since the anchor at height %d to skip to %d, and the %d headers in between "+
			"exceed the limit of %d: move trust.checkpoint (height, hash, validators) closer to the head", relayer.ErrPermanent, st.Height, target, n, p.maxHeaders)
	}
	p.c.log.Info("validator set changed since the anchor; proving with adjacent headers", "chain", p.c.name, "from", st.Height, "to", target, "headers", n)
	headers := make([]*types.Header, 0, n)
	for height := st.Height + 1; height < target; height++ {
		hh, err := p.header(ctx, ep, st.Variant, height)
		if err != nil {
			return nil, "", err
		}
		headers = append(headers, hh)
	}
	headers = append(headers, h)
	if _, err := qbft.VerifyChain(st, headers, now); err != nil {
		return nil, "", fmt.Errorf("endpoint %s: headers %d..%d do not verify from the anchor: %w", ep.name, st.Height+1, target, err)
	}
	return headers, fmt.Sprintf(noteBFTAdjacent, scheme, len(headers), st.Height+1), nil
}

// header fetches one header and checks that the endpoint's claimed hash is
// its BFT block hash: a mismatch means the endpoint is inconsistent or the
// chain uses the other variant.
func (p *prover) header(ctx context.Context, ep *endpoint, variant qbft.Variant, n uint64) (*types.Header, error) {
	h, claimed, err := ep.sharedHeader(ctx, n)
	if err != nil {
		return nil, err
	}
	got, err := qbft.BlockHash(variant, h)
	if err != nil {
		return nil, fmt.Errorf("endpoint %s: header %d: %w", ep.name, n, err)
	}
	if got != claimed {
		return nil, fmt.Errorf("endpoint %s: header %d hashes to %s under %v rules, the endpoint claims %s (is trust.mode right?)",
			ep.name, n, got.Hex(), variant, claimed.Hex())
	}
	return h, nil
}

// Bootstrap returns the configured trust anchor of the chain.
//
// rpc-finality: {"chain_id", "genesis"} at height 0, with the genesis hash
// that every endpoint must report alike.
//
// qbft/ibft2: the light client state at trust.checkpoint with
// trust.validators and the trust parameters (trusting period, clock drift).
// The checkpoint header is read from the endpoints, for its timestamp,
// which starts the trusting period: an endpoint that cannot serve it is an
// error. When the checkpoint hash is not configured, it is taken from the
// endpoint (and logged as such): configure it to not trust the endpoint for
// it. When it is configured, a disagreeing endpoint is an error. A
// checkpoint already older than the trusting period is returned with an
// error log, not refused: the relayer may hold a newer anchor, which it
// then uses; if it does not, Prove refuses with qbft.ErrExpired.
func (p *prover) Bootstrap(ctx context.Context) (relayer.Anchor, error) {
	c := p.c
	if c.outbox == nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: no outbox configured: a trust anchor vouches for one Outbox's records, so a source chain needs evm.outbox", c.name)
	}
	if c.mode == modeFinality {
		var genesis common.Hash
		for i, ep := range c.eps {
			_, hash, err := ep.headers.HeaderByNumber(ctx, 0)
			if err != nil {
				return relayer.Anchor{}, err
			}
			if i > 0 && hash != genesis {
				return relayer.Anchor{}, fmt.Errorf("chain %s: endpoints disagree on the genesis block: %s has %s, %s has %s",
					c.name, c.eps[0].name, genesis.Hex(), ep.name, hash.Hex())
			}
			genesis = hash
		}
		return relayer.NewAnchor(c.name, SchemeRPCFinality, c.outbox.Bytes(), 0, mustJSON(FinalityAnchor{ChainID: c.cfg.ChainID, Genesis: genesis}))
	}
	variant := qbft.QBFT
	if c.mode == modeIBFT2 {
		variant = qbft.IBFT2
	}
	cp := c.cfg.Trust.Checkpoint
	st := qbft.TrustedState{Variant: variant, Height: cp.Height,
		Params: qbft.Params{TrustingPeriod: c.cfg.Trust.TrustingPeriod, MaxClockDrift: c.cfg.Trust.MaxClockDrift}}
	for i, s := range c.cfg.Trust.Validators {
		if !common.IsHexAddress(s) {
			return relayer.Anchor{}, fmt.Errorf("chain %s: trust.validators[%d] %q is not an address", c.name, i, s)
		}
		st.Validators = append(st.Validators, common.HexToAddress(s))
	}
	slices.SortFunc(st.Validators, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	var (
		h       *types.Header
		fetched common.Hash
	)
	err := c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		h, err = p.header(ctx, ep, variant, cp.Height)
		if err != nil {
			return err
		}
		fetched, err = qbft.BlockHash(variant, h)
		return err
	})
	switch {
	case err != nil && cp.Hash == "":
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.checkpoint.hash is not configured and block %d could not be read: %w", c.name, cp.Height, err)
	case err != nil:
		return relayer.Anchor{}, fmt.Errorf("chain %s: checkpoint block %d could not be read to learn its timestamp: %w", c.name, cp.Height, err)
	case cp.Hash == "":
		st.Hash = fetched
		c.log.Warn("trust checkpoint hash taken from the RPC endpoint, not from configuration: set trust.checkpoint.hash to pin it",
			"chain", c.name, "height", cp.Height, "hash", fetched.Hex())
	default:
		st.Hash = common.HexToHash(cp.Hash)
		if fetched != st.Hash {
			return relayer.Anchor{}, fmt.Errorf("chain %s: block %d has hash %s on the endpoints, but trust.checkpoint.hash is %s: "+
				"the checkpoint is wrong or the endpoints follow another chain", c.name, cp.Height, fetched.Hex(), st.Hash.Hex())
		}
	}
	if e, err := qbft.ParseExtra(variant, h.Extra); err == nil && !slices.Equal(e.Validators, st.Validators) {
		c.log.Warn("the checkpoint header lists other validators than trust.validators (fine if a vote changed the set there)",
			"chain", c.name, "height", cp.Height, "header", e.Validators, "configured", st.Validators)
	}
	// The header hashes to st.Hash (configured, or the endpoint's own
	// claim checked by p.header), so its timestamp is the checkpoint's.
	st.Time = h.Time
	if err := st.Validate(); err != nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust anchor: %w", c.name, err)
	}
	if exp := qbft.ExpiresAt(st); !exp.After(c.now()) {
		c.log.Error("the configured trust checkpoint is older than the trusting period: unless the relayer holds a newer anchor, "+
			"nothing can be proven until trust.checkpoint and trust.validators name a recent block",
			"chain", c.name, "height", cp.Height, "expired_at", exp, "trusting_period", st.TrustingPeriod)
	} else {
		c.expiry.note(c, st)
	}
	return relayer.NewAnchor(c.name, c.mode.scheme(), c.outbox.Bytes(), relayer.Height(cp.Height), mustJSON(st))
}
