package cosmos

import (
	"bytes"
	"fmt"
	"time"

	"github.com/liaison-gw/liaison/proofs/ics23"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// VerifierOption pins a verifier to more than what a bundle says about
// itself.
type VerifierOption func(*verifier)

// WithChain makes the verifier refuse records and anchors of any other
// source chain.
func WithChain(name relayer.ChainID) VerifierOption {
	return func(v *verifier) { v.chain = name }
}

// WithChainID makes the verifier refuse anchors of any other CometBFT chain
// id.
func WithChainID(chainID string) VerifierOption {
	return func(v *verifier) { v.chainID = chainID }
}

// NewVerifier returns the pure verifier of Cosmos evidence bundles. It uses
// no network and no clock but the now it is given. Without options it
// checks a bundle against the anchor it is given only; a Chain's Verifier
// pins the chain name and the CometBFT chain id too.
func NewVerifier(opts ...VerifierOption) relayer.Verifier {
	v := &verifier{}
	for _, o := range opts {
		o(v)
	}
	return v
}

// TrustModels are the Cosmos trust models, as the verifier judges them.
var TrustModels = []relayer.TrustModel{
	{Name: SchemeTendermint, Scheme: SchemeTendermint, Consensus: true,
		Checked: "Tendermint light client: commits of more than 2/3 of each validator set (and more than 1/3 of the trusted one across a skip) within the trusting period, and an ICS-23 proof of the record's value against the app hash"},
}

// Ledger implements relayer.Verifier.
func (v *verifier) Ledger() relayer.Ledger { return relayer.LedgerCosmos }

// TrustModels implements relayer.Verifier.
func (v *verifier) TrustModels() []relayer.TrustModel { return TrustModels }

type verifier struct {
	chain   relayer.ChainID // "" accepts any
	chainID string          // "" accepts any
}

// Verify checks ev against trusted at time now and returns the anchor it
// justifies: the light client's state at the last light block (the header
// above the proof), or trusted itself when the bundle carries none.
//
// Checks, in order (cheap first; signatures, the expensive step, on input
// already bounded); each failure is a *relayer.VerifyError naming the check:
//
//  1. form: version, ledger "cosmos", trust model "tendermint" equal to the
//     anchor's scheme (ErrMalformed);
//  2. anchor: trusted's digest matches its state, ev.Anchor is trusted, it
//     is the record's chain (and the pinned one), its state is a valid
//     TrustedState at the anchor's height and of the pinned chain id
//     (ErrAnchorMismatch);
//  3. record: Record.Check (relayer.ErrRecordMismatch), the emitter is the
//     port "records" (ErrWrongEmitter);
//  4. inclusion: parses strictly (ErrMalformed), store "records" and key
//     0x06‖id (ErrWrongKey), the value decodes with the module's rules to
//     exactly the record (ErrWrongValue);
//  5. header: at most MaxLightBlocks light blocks, their validator sets in
//     the normalized form (no proposer, no priorities; ErrMalformed), the
//     last at the proof's
//     version+1 and the chain id the anchor's (ErrWrongHeight), each
//     accepted by tendermint.Verify from the state the one before left,
//     with now (tendermint sentinels: ErrExpired, ErrInvalidHeader,
//     ErrValidatorSetMismatch, ErrInsufficientVotingPower, …); or none,
//     when the anchor itself is the header above the proof;
//  6. store proof: ics23.VerifyMembership of records/key = value against
//     that header's app hash (ics23 sentinels).
func (v *verifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	if ev == nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckForm, Reason: fmt.Errorf("%w: no bundle", ErrMalformed)}
	}
	if err := checkForm(ev, trusted); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckForm, Reason: err}
	}
	st, err := v.checkAnchor(ev, trusted)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckAnchor, Reason: err}
	}
	rec := &ev.Record
	if err := v.checkRecord(rec); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckRecord, Reason: err}
	}
	inc, err := checkInclusion(ev, rec)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckInclusion, Reason: err}
	}
	top, err := checkLightBlocks(ev, st, inc.Version, now)
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckHeader, Height: inc.Version, Reason: err}
	}
	if err := ics23.VerifyMembership(top.AppHash, inc.Proof, inc.Store, inc.Key, inc.Value); err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckStoreProof, Height: inc.Version, Reason: err}
	}
	if top.Height <= uint64(trusted.Height) {
		return trusted, nil
	}
	next, err := trusted.Advance(relayer.Height(top.Height), mustJSON(top))
	if err != nil {
		return relayer.Anchor{}, &relayer.VerifyError{Ledger: relayer.LedgerCosmos, Check: CheckHeader, Height: inc.Version, Reason: err}
	}
	return next, nil
}

func checkForm(ev *relayer.Evidence, trusted relayer.Anchor) error {
	switch {
	case ev.Version != relayer.EvidenceVersion:
		return fmt.Errorf("%w: version %q, want %q", ErrMalformed, ev.Version, relayer.EvidenceVersion)
	case ev.Ledger != relayer.LedgerCosmos:
		return fmt.Errorf("%w: ledger %q, want %q", ErrMalformed, ev.Ledger, relayer.LedgerCosmos)
	case ev.TrustModel != SchemeTendermint:
		return fmt.Errorf("%w: trust model %q, want %q", ErrMalformed, ev.TrustModel, SchemeTendermint)
	case trusted.Scheme != SchemeTendermint:
		return fmt.Errorf("%w: the trusted anchor's scheme is %q, want %q", ErrMalformed, trusted.Scheme, SchemeTendermint)
	}
	return nil
}

// parseTrustedState decodes and validates an anchor state.
func parseTrustedState(a relayer.Anchor) (tendermint.TrustedState, error) {
	var st tendermint.TrustedState
	if err := relayer.DecodeStrict(a.State, &st); err != nil {
		return st, fmt.Errorf("%w: state: %v", ErrAnchorMismatch, err)
	}
	if err := st.Validate(); err != nil {
		return st, fmt.Errorf("%w: state: %w", ErrAnchorMismatch, err)
	}
	if st.Height != uint64(a.Height) {
		return st, fmt.Errorf("%w: state is at height %d, the anchor says %d", ErrAnchorMismatch, st.Height, a.Height)
	}
	return st, nil
}

func (v *verifier) checkAnchor(ev *relayer.Evidence, trusted relayer.Anchor) (tendermint.TrustedState, error) {
	if err := trusted.CheckDigest(); err != nil {
		return tendermint.TrustedState{}, fmt.Errorf("%w: trusted anchor: %v", ErrAnchorMismatch, err)
	}
	switch {
	case ev.Anchor.Digest != trusted.Digest:
		return tendermint.TrustedState{}, fmt.Errorf("%w: the bundle names anchor %s, the trusted one is %s", ErrAnchorMismatch, ev.Anchor.Digest, trusted.Digest)
	case trusted.Chain != ev.Record.Source.Chain:
		return tendermint.TrustedState{}, fmt.Errorf("%w: anchor of chain %q, record from %q", ErrAnchorMismatch, trusted.Chain, ev.Record.Source.Chain)
	case v.chain != "" && trusted.Chain != v.chain:
		return tendermint.TrustedState{}, fmt.Errorf("%w: anchor of chain %q, this verifier checks %q", ErrAnchorMismatch, trusted.Chain, v.chain)
	}
	st, err := parseTrustedState(trusted)
	if err != nil {
		return st, err
	}
	if v.chainID != "" && st.ChainID != v.chainID {
		return st, fmt.Errorf("%w: anchor of CometBFT chain %q, this verifier checks %q", ErrAnchorMismatch, st.ChainID, v.chainID)
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
	if string(rec.Source.Emitter) != PortID {
		return fmt.Errorf("%w: emitter %x, the records module's port is %q", ErrWrongEmitter, []byte(rec.Source.Emitter), PortID)
	}
	return nil
}

func checkInclusion(ev *relayer.Evidence, rec *relayer.Record) (*Inclusion, error) {
	var inc Inclusion
	if err := relayer.DecodeStrict(ev.Inclusion, &inc); err != nil {
		return nil, fmt.Errorf("%w: inclusion: %v", ErrMalformed, err)
	}
	if inc.Store != StoreName {
		return nil, fmt.Errorf("%w: proof of store %q, records are in %q", ErrWrongKey, inc.Store, StoreName)
	}
	if want := RecordValueKey(rec.ID); !bytes.Equal(inc.Key, want) {
		return nil, fmt.Errorf("%w: proof of key %x, the record's value is at %x", ErrWrongKey, inc.Key, want)
	}
	got, err := DecodeRecordValue(inc.Value)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWrongValue, err)
	}
	if f := sameContent(rec, &got); f != "" {
		return nil, fmt.Errorf("%w: the stored record's %s differs from the bundle's record", ErrWrongValue, f)
	}
	if inc.Version == 0 || inc.Version >= 1<<62 {
		return nil, fmt.Errorf("%w: store version %d", ErrMalformed, inc.Version)
	}
	return &inc, nil
}

// checkLightBlocks runs the light client from st to the header above
// version and returns its state there.
func checkLightBlocks(ev *relayer.Evidence, st tendermint.TrustedState, version uint64, now time.Time) (tendermint.TrustedState, error) {
	var c Consensus
	if err := relayer.DecodeStrict(ev.Consensus, &c); err != nil {
		return st, fmt.Errorf("%w: consensus: %v", ErrMalformed, err)
	}
	if len(c.LightBlocks) > MaxLightBlocks {
		return st, fmt.Errorf("%w: %d light blocks, at most %d", ErrMalformed, len(c.LightBlocks), MaxLightBlocks)
	}
	if c.ChainID != st.ChainID {
		return st, fmt.Errorf("%w: consensus of chain %q, the anchor is of %q", ErrWrongHeight, c.ChainID, st.ChainID)
	}
	if len(c.LightBlocks) == 0 {
		if st.Height != version+1 {
			return st, fmt.Errorf("%w: no light blocks, and the anchor at height %d is not above version %d", ErrWrongHeight, st.Height, version)
		}
		// The anchor was trusted at some time; it must still be.
		if exp := tendermint.ExpiresAt(st); !exp.After(now) {
			return st, fmt.Errorf("%w: trusted header %d expired at %s", tendermint.ErrExpired, st.Height, exp.UTC().Format(time.RFC3339))
		}
		return st, nil
	}
	for i, lb := range c.LightBlocks {
		for _, vs := range [][]byte{lb.ValidatorSet, lb.NextValidatorSet} {
			if err := checkNormalized(vs); len(vs) > 0 && err != nil {
				return st, fmt.Errorf("%w: light block %d of %d: %v", ErrMalformed, i+1, len(c.LightBlocks), err)
			}
		}
	}
	cur := st
	for i, lb := range c.LightBlocks {
		next, err := tendermint.Verify(cur, lb, now)
		if err != nil {
			return st, fmt.Errorf("light block %d of %d: %w", i+1, len(c.LightBlocks), err)
		}
		cur = next
	}
	if cur.Height != version+1 {
		return st, fmt.Errorf("%w: light blocks end at height %d, the proof is of version %d", ErrWrongHeight, cur.Height, version)
	}
	return cur, nil
}
