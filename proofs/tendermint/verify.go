package tendermint

import (
	"bytes"
	"fmt"
	"time"
)

// Verify verifies an untrusted light block against a trusted state, with
// the rules of CometBFT's light.Verify as ibc-go's 07-tendermint client
// applies them, and returns the trusted state of the new header. now is the
// caller's current time (a pure function reads no clock). On error it
// returns the zero state and a *VerifyError.
//
// A header one above the trusted height is adjacent: its validator set must
// be the trusted next validator set, and more than two thirds of it must
// sign. Any higher header is non-adjacent ("skipping"): validators holding
// more than the trust level of the trusted next validator set's voting
// power must sign it, and more than two thirds of its own set.
//
// Checks, cheapest first, and the sentinel each failure wraps:
//
//  1. trusted is consistent (TrustedState.Validate): ErrBadTrustedState.
//  2. now is before ExpiresAt(trusted): ErrExpired.
//  3. The signed header decodes (canonical protobuf, at most
//     MaxSignedHeaderSize bytes): ErrDecode.
//  4. Its chain ID is trusted.ChainID: ErrChainID.
//  5. Its height is above trusted.Height and its time after trusted.Time:
//     ErrNotMonotonic.
//  6. Its time is before now + MaxClockDrift: ErrClockDrift.
//  7. CometBFT's basic validity, and the commit is for this header's hash
//     at its height: ErrInvalidHeader. One header hash (14 SHA-256 leaves).
//  8. The validator sets decode (ErrDecode) and hash to the header's
//     ValidatorsHash and NextValidatorsHash (ErrValidatorSetMismatch).
//  9. Adjacent only: ValidatorsHash equals trusted.NextValidatorsHash:
//     ErrValidatorSetMismatch.
//  10. The commit lines up with the header's set (ErrValidatorSetMismatch);
//     non-adjacent only, the power of trusted validators that signed
//     exceeds the trust level (ErrInsufficientTrustedVotingPower); the power
//     of the header's own validators that signed exceeds two thirds
//     (ErrInsufficientVotingPower). Counting only, no cryptography.
//  11. Every signature in the commit verifies: ErrInvalidSignature, in a
//     *SignatureError. This is the one expensive step, and it runs last, on
//     input bounded by MaxValidators.
//
// Differences from 07-tendermint: stricter, in ways every block of an
// honest chain meets, so that no byte of an accepted signed header goes
// unchecked and a light block in an evidence bundle has one meaning: every
// commit signature must verify, not only enough of them; commit entries
// must name the validator at their index; the encodings must be canonical;
// ValidatorsHash and NextValidatorsHash must be 32 bytes; and every
// validator's voting power must be positive. More lenient
// in one way that changes nothing verified: a validator set may omit its
// proposer (see LightBlock). Like
// 07-tendermint and unlike a full node, Verify does not check that an
// adjacent header's LastBlockID is the trusted hash: the trusted next
// validators signing it is what binds it to the chain. It also does not
// know the chain's unbonding period; see Params.TrustingPeriod.
func Verify(trusted TrustedState, untrusted LightBlock, now time.Time) (TrustedState, error) {
	var height uint64
	fail := func(err error) (TrustedState, error) {
		return TrustedState{}, &VerifyError{ChainID: trusted.ChainID, Height: height, Reason: err}
	}
	trustedVals, err := trusted.validate()
	if err != nil {
		return fail(err)
	}
	if exp := ExpiresAt(trusted); !exp.After(now) {
		return fail(fmt.Errorf("%w: trusted header %d expired at %s, now is %s",
			ErrExpired, trusted.Height, exp.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano)))
	}
	sh, err := decodeSignedHeader(untrusted.SignedHeader)
	if err != nil {
		return fail(err)
	}
	h := sh.Header
	if h.Height > 0 {
		height = uint64(h.Height)
	}
	switch {
	case h.ChainID != trusted.ChainID:
		return fail(fmt.Errorf("%w: header is for %q", ErrChainID, h.ChainID))
	case h.Height <= 0 || height <= trusted.Height:
		return fail(fmt.Errorf("%w: height %d, trusted %d", ErrNotMonotonic, h.Height, trusted.Height))
	case !h.Time.After(trusted.Time):
		return fail(fmt.Errorf("%w: time %s, trusted %s", ErrNotMonotonic,
			h.Time.UTC().Format(time.RFC3339Nano), trusted.Time.UTC().Format(time.RFC3339Nano)))
	case !h.Time.Before(now.Add(trusted.MaxClockDrift)):
		return fail(fmt.Errorf("%w: time %s, now %s, max drift %v", ErrClockDrift,
			h.Time.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano), trusted.MaxClockDrift))
	}
	b, err := checkBlock(sh)
	if err != nil {
		return fail(err)
	}
	vals, next, err := decodeSets(b, untrusted)
	if err != nil {
		return fail(err)
	}
	var skipFrom *valSet
	if height == trusted.Height+1 {
		if !bytes.Equal(h.ValidatorsHash, trusted.NextValidatorsHash) {
			return fail(fmt.Errorf("%w: adjacent header has validators %X, trusted next validators are %X",
				ErrValidatorSetMismatch, h.ValidatorsHash, []byte(trusted.NextValidatorsHash)))
		}
	} else {
		skipFrom = trustedVals
	}
	if err := verifyCommit(trusted.ChainID, b, vals, skipFrom, trusted.TrustLevel); err != nil {
		return fail(err)
	}
	return newState(b, next, trusted.Params)
}

// NewTrustedState builds a trust anchor from a light block the caller
// trusts by other means: it returns the state for lb if the header hashes to
// wantHash, the validator sets match the header, and more than two thirds
// of the header's validator set signed it. The trust comes from wantHash
// alone, so it must come from configuration, governance or a previous
// verification, never from the same source as lb. The header time is not
// compared with any clock; Verify rejects an anchor that is already expired.
//
// Errors: *VerifyError wrapping ErrBadTrustedState (invalid p, or a header
// without chain ID), ErrDecode, ErrInvalidHeader, ErrHashMismatch,
// ErrValidatorSetMismatch, ErrInsufficientVotingPower or
// ErrInvalidSignature.
func NewTrustedState(lb LightBlock, wantHash []byte, p Params) (TrustedState, error) {
	if err := p.Validate(); err != nil {
		return TrustedState{}, &VerifyError{Reason: fmt.Errorf("%w: %v", ErrBadTrustedState, err)}
	}
	b, vs, err := decodeSelf(lb)
	if err != nil {
		return TrustedState{}, err
	}
	fail := func(err error) (TrustedState, error) {
		return TrustedState{}, &VerifyError{ChainID: b.header.ChainID, Height: b.height(), Reason: err}
	}
	if !bytes.Equal(b.hash, wantHash) {
		return fail(fmt.Errorf("%w: header hash %X, want %X", ErrHashMismatch, b.hash, wantHash))
	}
	if err := selfVerify(b, vs.vals); err != nil {
		return TrustedState{}, err
	}
	s, err := newState(b, vs.next, p)
	if err != nil {
		return s, err
	}
	// The state must also satisfy Validate (for example, a chain ID).
	if err := s.Validate(); err != nil {
		return fail(err)
	}
	return s, nil
}

// sets are the decoded validator sets of a light block.
type sets struct{ vals, next *valSet }

// decodeSelf decodes lb and checks its basic validity and its validator
// sets against its own header, verifying no signature. Errors are
// *VerifyError.
func decodeSelf(lb LightBlock) (*block, sets, error) {
	var chainID string
	var height uint64
	fail := func(err error) (*block, sets, error) {
		return nil, sets{}, &VerifyError{ChainID: chainID, Height: height, Reason: err}
	}
	sh, err := decodeSignedHeader(lb.SignedHeader)
	if err != nil {
		return fail(err)
	}
	chainID = sh.Header.ChainID
	if sh.Header.Height > 0 {
		height = uint64(sh.Header.Height)
	}
	b, err := checkBlock(sh)
	if err != nil {
		return fail(err)
	}
	vals, next, err := decodeSets(b, lb)
	if err != nil {
		return fail(err)
	}
	return b, sets{vals, next}, nil
}

// selfVerify checks that more than two thirds of vals, the block's own
// validator set, signed b. It trusts nothing: the caller must get trust in
// the set elsewhere. Errors are *VerifyError.
func selfVerify(b *block, vals *valSet) error {
	if err := verifyCommit(b.header.ChainID, b, vals, nil, TrustLevel{}); err != nil {
		return &VerifyError{ChainID: b.header.ChainID, Height: b.height(), Reason: err}
	}
	return nil
}

// decodeSets decodes the validator sets of lb and checks them against the
// header's hashes. Errors wrap ErrDecode or ErrValidatorSetMismatch.
func decodeSets(b *block, lb LightBlock) (vals, next *valSet, err error) {
	h := b.header
	vals, err = decodeValSet(lb.ValidatorSet)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: validator set: %v", ErrDecode, err)
	}
	if !bytes.Equal(vals.hash, h.ValidatorsHash) {
		return nil, nil, fmt.Errorf("%w: validator set hashes to %X, header has %X",
			ErrValidatorSetMismatch, vals.hash, h.ValidatorsHash)
	}
	if len(lb.NextValidatorSet) == 0 {
		if !bytes.Equal(h.NextValidatorsHash, h.ValidatorsHash) {
			return nil, nil, fmt.Errorf("%w: next validator set missing, and it differs from the validator set",
				ErrValidatorSetMismatch)
		}
		return vals, vals, nil
	}
	next, err = decodeValSet(lb.NextValidatorSet)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: next validator set: %v", ErrDecode, err)
	}
	if !bytes.Equal(next.hash, h.NextValidatorsHash) {
		return nil, nil, fmt.Errorf("%w: next validator set hashes to %X, header has %X",
			ErrValidatorSetMismatch, next.hash, h.NextValidatorsHash)
	}
	return vals, next, nil
}

// newState returns the trusted state of a verified block.
func newState(b *block, next *valSet, p Params) (TrustedState, error) {
	enc, err := next.normalize()
	if err != nil {
		return TrustedState{}, &VerifyError{ChainID: b.header.ChainID, Height: b.height(),
			Reason: fmt.Errorf("%w: next validator set: %v", ErrDecode, err)}
	}
	h := b.header
	return TrustedState{
		ChainID:            h.ChainID,
		Height:             b.height(),
		Time:               h.Time.UTC(),
		Hash:               bytes.Clone(b.hash),
		AppHash:            bytes.Clone(h.AppHash),
		NextValidatorsHash: bytes.Clone(h.NextValidatorsHash),
		NextValidators:     enc,
		Params:             p,
	}, nil
}
