package evm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/proofs/mpt"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

// VerifierOption pins a verifier to more than what a bundle says about
// itself.
type VerifierOption func(*verifier)

// WithChain makes the verifier refuse records of any other source chain.
func WithChain(name relayer.ChainID) VerifierOption {
	return func(v *verifier) { v.chain = name }
}

// WithOutbox makes the verifier refuse records whose emitter is not outbox.
// Without it, a valid proof from any contract that stores a matching
// commitment would pass; the chain's own verifier always pins its Outbox.
func WithOutbox(outbox common.Address) VerifierOption {
	return func(v *verifier) { a := outbox; v.outbox = &a }
}

// NewVerifier returns the pure verifier of EVM evidence bundles in all three
// trust models. It uses no network and no clock. Without options it checks
// a bundle against the anchor it is given only; a Chain's Verifier pins the
// chain name and the Outbox too.
func NewVerifier(opts ...VerifierOption) relayer.Verifier {
	v := &verifier{}
	for _, o := range opts {
		o(v)
	}
	return v
}

// TrustModels are the EVM trust models, as the verifier judges them.
var TrustModels = []relayer.TrustModel{
	{Name: SchemeQBFT, Scheme: SchemeQBFT, Consensus: true,
		Checked: "QBFT committed seals of more than 2/3 of the trusted validators over every header from the anchor, and a storage proof against the last header's state root"},
	{Name: SchemeIBFT2, Scheme: SchemeIBFT2, Consensus: true,
		Checked: "IBFT 2.0 committed seals of more than 2/3 of the trusted validators over every header from the anchor, and a storage proof against the last header's state root"},
	{Name: SchemeRPCFinality, Scheme: SchemeRPCFinality, Consensus: false,
		Checked: "no consensus signature: the header only hashes to the block hash the bundle itself names, so a made-up header and state trie pass; it proves what the RPC endpoints said, to those who trust them"},
}

// Ledger implements relayer.Verifier.
func (v *verifier) Ledger() relayer.Ledger { return relayer.LedgerEVM }

// TrustModels implements relayer.Verifier.
func (v *verifier) TrustModels() []relayer.TrustModel { return TrustModels }

type verifier struct {
	chain  relayer.ChainID // "" accepts any
	outbox *common.Address // nil accepts any
}

// Verify checks ev against trusted and returns the anchor it justifies: for
// qbft and ibft2 the light client's state at the proof block, for
// rpc-finality the same anchor. now matters for qbft and ibft2 only: their
// anchors expire after the trusting period they carry, and headers may not
// be dated in the future of now. rpc-finality evidence does not expire.
//
// Checks, in order (cheap first, the attacker-sized proof last); each
// failure is a *relayer.VerifyError naming the check:
//
//  1. form: version, ledger "evm", a known trust model equal to the
//     anchor's scheme (ErrMalformed);
//  2. anchor: trusted's digest matches its state, ev.Anchor is trusted, the
//     chain is the record's (and the pinned one), the state parses
//     (ErrAnchorMismatch);
//  3. record: Record.Check (relayer.ErrRecordMismatch), emitter is 20 bytes
//     and the pinned Outbox (ErrWrongEmitter);
//  4. inclusion: parses strictly (ErrMalformed), address is the emitter
//     (ErrWrongAddress), slot is CommitmentSlot(id) (ErrWrongSlot), value is
//     RecordDigest(record) (ErrWrongValue);
//  5. header: rpc-finality: the header RLP decodes, hashes to block_hash
//     (ErrHeaderHash), is at the proof's block and the chain id is the
//     anchor's (ErrWrongBlock); qbft/ibft2: at most MaxConsensusHeaders
//     headers, each decodes, the last is at the proof's block
//     (ErrWrongBlock), the anchor has not expired at now
//     (qbft.ErrExpired), and qbft.VerifyChain accepts them from the anchor
//     at now (qbft sentinels), or the one header is the anchor's own
//     (qbft.ErrHashMismatch);
//  6. storage proof: mpt.VerifyStorageValue against the header's state root
//     (mpt sentinels).
func (v *verifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	if ev == nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckForm, Reason: fmt.Errorf("%w: no bundle", ErrMalformed)}
	}
	mode, err := v.checkForm(ev, trusted)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckForm, Reason: err}
	}
	anchorState, err := v.checkAnchor(ev, trusted, mode)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckAnchor, Reason: err}
	}
	rec := &ev.Record
	if err := v.checkRecord(rec); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckRecord, Reason: err}
	}
	inc, err := checkInclusion(ev.Inclusion, rec)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckInclusion, Reason: err}
	}
	var (
		header *types.Header
		next   = trusted
	)
	if mode == modeFinality {
		header, err = checkFinalityHeader(ev.Consensus, inc.BlockNumber, anchorState.(FinalityAnchor))
	} else {
		var st qbft.TrustedState
		header, st, err = checkBFTHeaders(ev.Consensus, inc.BlockNumber, anchorState.(qbft.TrustedState), now)
		if err == nil && st.Height > uint64(trusted.Height) {
			next, err = trusted.Advance(relayer.Height(st.Height), mustJSON(st))
		}
	}
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckHeader, Height: inc.BlockNumber, Reason: err}
	}
	if err := mpt.VerifyStorageValue(header.Root, inc.Address, toBytes(inc.AccountProof), inc.Slot, toBytes(inc.StorageProof), inc.Value); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerEVM, Check: CheckStorage, Height: inc.BlockNumber, Reason: err}
	}
	return next, nil
}

func (v *verifier) checkForm(ev *relayer.Evidence, trusted relayer.Anchor) (trustMode, error) {
	switch {
	case ev.Version != relayer.EvidenceVersion:
		return 0, fmt.Errorf("%w: version %q, want %q", ErrMalformed, ev.Version, relayer.EvidenceVersion)
	case ev.Ledger != relayer.LedgerEVM:
		return 0, fmt.Errorf("%w: ledger %q, want %q", ErrMalformed, ev.Ledger, relayer.LedgerEVM)
	case ev.TrustModel != trusted.Scheme:
		return 0, fmt.Errorf("%w: trust model %q, but the trusted anchor's scheme is %q", ErrMalformed, ev.TrustModel, trusted.Scheme)
	}
	switch ev.TrustModel {
	case SchemeQBFT:
		return modeQBFT, nil
	case SchemeIBFT2:
		return modeIBFT2, nil
	case SchemeRPCFinality:
		return modeFinality, nil
	}
	return 0, fmt.Errorf("%w: trust model %q: want %s, %s or %s", ErrMalformed, ev.TrustModel, SchemeQBFT, SchemeIBFT2, SchemeRPCFinality)
}

// checkAnchor returns the parsed anchor state: a FinalityAnchor or a
// qbft.TrustedState.
func (v *verifier) checkAnchor(ev *relayer.Evidence, trusted relayer.Anchor, mode trustMode) (any, error) {
	if err := trusted.CheckDigest(); err != nil {
		return nil, fmt.Errorf("%w: trusted anchor: %v", ErrAnchorMismatch, err)
	}
	switch {
	case ev.Anchor.Digest != trusted.Digest:
		return nil, fmt.Errorf("%w: the bundle names anchor %s, the trusted one is %s", ErrAnchorMismatch, ev.Anchor.Digest, trusted.Digest)
	case trusted.Chain != ev.Record.Source.Chain:
		return nil, fmt.Errorf("%w: anchor of chain %q, record from %q", ErrAnchorMismatch, trusted.Chain, ev.Record.Source.Chain)
	case v.chain != "" && trusted.Chain != v.chain:
		return nil, fmt.Errorf("%w: anchor of chain %q, this verifier checks %q", ErrAnchorMismatch, trusted.Chain, v.chain)
	}
	if mode == modeFinality {
		var st FinalityAnchor
		if err := relayer.DecodeStrict(trusted.State, &st); err != nil {
			return nil, fmt.Errorf("%w: state: %v", ErrAnchorMismatch, err)
		}
		if st.ChainID == 0 {
			return nil, fmt.Errorf("%w: state has no chain_id", ErrAnchorMismatch)
		}
		return st, nil
	}
	var st qbft.TrustedState
	if err := relayer.DecodeStrict(trusted.State, &st); err != nil {
		return nil, fmt.Errorf("%w: state: %v", ErrAnchorMismatch, err)
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("%w: state: %w", ErrAnchorMismatch, err)
	}
	want := qbft.QBFT
	if mode == modeIBFT2 {
		want = qbft.IBFT2
	}
	if st.Variant != want || st.Height != uint64(trusted.Height) {
		return nil, fmt.Errorf("%w: state is %v at height %d, anchor says %s at height %d", ErrAnchorMismatch, st.Variant, st.Height, trusted.Scheme, trusted.Height)
	}
	return st, nil
}

func (v *verifier) checkRecord(rec *relayer.Record) error {
	if err := rec.Check(); err != nil {
		return err
	}
	if v.chain != "" && rec.Source.Chain != v.chain {
		return fmt.Errorf("%w: record from chain %q, this verifier checks %q", ErrWrongEmitter, rec.Source.Chain, v.chain)
	}
	if len(rec.Source.Emitter) != common.AddressLength {
		return fmt.Errorf("%w: emitter has %d bytes, an EVM address has 20", ErrWrongEmitter, len(rec.Source.Emitter))
	}
	if v.outbox != nil && !bytes.Equal(rec.Source.Emitter, v.outbox[:]) {
		return fmt.Errorf("%w: emitter %x, the chain's Outbox is %s", ErrWrongEmitter, []byte(rec.Source.Emitter), v.outbox.Hex())
	}
	return nil
}

func checkInclusion(raw json.RawMessage, rec *relayer.Record) (*Inclusion, error) {
	var inc Inclusion
	if err := relayer.DecodeStrict(raw, &inc); err != nil {
		return nil, fmt.Errorf("%w: inclusion: %v", ErrMalformed, err)
	}
	if !bytes.Equal(inc.Address[:], rec.Source.Emitter) {
		return nil, fmt.Errorf("%w: proof for %s, emitter %x", ErrWrongAddress, inc.Address.Hex(), []byte(rec.Source.Emitter))
	}
	if want := CommitmentSlot(rec.ID); inc.Slot != want {
		return nil, fmt.Errorf("%w: proof for slot %s, the commitment of %s is at %s", ErrWrongSlot, inc.Slot.Hex(), rec.ID, want.Hex())
	}
	if want := RecordDigest(rec); inc.Value != want {
		return nil, fmt.Errorf("%w: proof value %s, the record's digest is %s", ErrWrongValue, inc.Value.Hex(), want.Hex())
	}
	return &inc, nil
}

func checkFinalityHeader(raw json.RawMessage, block uint64, anchor FinalityAnchor) (*types.Header, error) {
	var c FinalityConsensus
	if err := relayer.DecodeStrict(raw, &c); err != nil {
		return nil, fmt.Errorf("%w: consensus: %v", ErrMalformed, err)
	}
	if c.ChainID != anchor.ChainID {
		return nil, fmt.Errorf("%w: consensus is for chain id %d, the anchor for %d", ErrWrongBlock, c.ChainID, anchor.ChainID)
	}
	h, err := ethheader.DecodeRLPHeader(c.Header)
	if err != nil {
		return nil, err
	}
	if got := crypto.Keccak256Hash(c.Header); got != c.BlockHash {
		return nil, fmt.Errorf("%w: keccak256 of the header is %s, the endpoints' hash is %s", ErrHeaderHash, got.Hex(), c.BlockHash.Hex())
	}
	if !h.Number.IsUint64() || h.Number.Uint64() != block {
		return nil, fmt.Errorf("%w: header %s, proof at block %d", ErrWrongBlock, h.Number, block)
	}
	return h, nil
}

func checkBFTHeaders(raw json.RawMessage, block uint64, trusted qbft.TrustedState, now time.Time) (*types.Header, qbft.TrustedState, error) {
	var c BFTConsensus
	if err := relayer.DecodeStrict(raw, &c); err != nil {
		return nil, qbft.TrustedState{}, fmt.Errorf("%w: consensus: %v", ErrMalformed, err)
	}
	switch n := len(c.Headers); {
	case n == 0:
		return nil, qbft.TrustedState{}, fmt.Errorf("%w: no headers", ErrMalformed)
	case n > MaxConsensusHeaders:
		return nil, qbft.TrustedState{}, fmt.Errorf("%w: %d headers, at most %d", ErrMalformed, n, MaxConsensusHeaders)
	}
	headers := make([]*types.Header, len(c.Headers))
	for i, enc := range c.Headers {
		h, err := ethheader.DecodeRLPHeader(enc)
		if err != nil {
			return nil, qbft.TrustedState{}, fmt.Errorf("header %d of %d: %w", i, len(c.Headers), err)
		}
		headers[i] = h
	}
	last := headers[len(headers)-1]
	if !last.Number.IsUint64() || last.Number.Uint64() != block {
		return nil, qbft.TrustedState{}, fmt.Errorf("%w: last header %s, proof at block %d", ErrWrongBlock, last.Number, block)
	}
	if exp := qbft.ExpiresAt(trusted); !exp.After(now) {
		// Checked here too for a proof at the anchor's own height.
		return nil, qbft.TrustedState{}, fmt.Errorf("%w: the anchor at height %d expired at %s: configure a newer trust.checkpoint",
			qbft.ErrExpired, trusted.Height, exp.UTC().Format(time.RFC3339))
	}
	if block == trusted.Height {
		// The proof is at the anchor's own height: its header must be the
		// anchor's header.
		if len(headers) != 1 {
			return nil, qbft.TrustedState{}, fmt.Errorf("%w: %d headers for a proof at the anchor's height", ErrMalformed, len(headers))
		}
		got, err := qbft.BlockHash(trusted.Variant, last)
		if err != nil {
			return nil, qbft.TrustedState{}, err
		}
		if got != trusted.Hash {
			return nil, qbft.TrustedState{}, fmt.Errorf("%w: header %d hashes to %s, the anchor is %s", qbft.ErrHashMismatch, block, got.Hex(), trusted.Hash.Hex())
		}
		return last, trusted, nil
	}
	st, err := qbft.VerifyChain(trusted, headers, now)
	if err != nil {
		return nil, qbft.TrustedState{}, err
	}
	return last, st, nil
}
