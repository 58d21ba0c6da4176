package tendermint

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every failure of Verify, NewTrustedState and CheckConflict
// is a *VerifyError whose Reason wraps exactly one of these (signature
// failures through a *SignatureError, voting-power shortfalls through a
// *VotingPowerError); a detected conflict is a *ConflictError instead. Test
// with errors.Is and read the fields with errors.As.
//
// None of them is transient: verification is a pure function of its inputs,
// so the same light block, trusted state and time always give the same
// answer. What the caller should do differs:
//
//   - ErrBadTrustedState: the anchor is unusable; fix the configuration or
//     the persisted state. No light block can verify against it.
//   - ErrExpired: the anchor is too old to trust; re-anchor by other means
//     (see ExpiresAt, to renew it in time). Retrying cannot help.
//   - ErrInsufficientTrustedVotingPower: too much of the trusted set has
//     changed since the anchor; verify a light block in between first
//     (bisection), then skip from there.
//   - ErrClockDrift: the header claims a time in the future of now; the
//     caller's clock or the source is wrong. It may verify later.
//   - everything else: the light block is malformed, forged, from another
//     chain or fork, or inconsistent; drop it, and fetch the same height from
//     another endpoint if needed.
var (
	// ErrBadTrustedState means the trusted state itself is unusable: a field
	// is missing or out of range, the trust parameters are invalid, or its
	// next validator set does not decode or hash to NextValidatorsHash.
	ErrBadTrustedState = errors.New("tendermint: invalid trusted state")

	// ErrDecode means a signed header or validator set is not the canonical
	// protobuf encoding of a well-formed message (see LightBlock), is larger
	// than the limits, or holds a validator whose key is of an unsupported
	// type or whose address is not derived from its key.
	ErrDecode = errors.New("tendermint: malformed light block")

	// ErrInvalidHeader means the signed header fails the checks CometBFT
	// calls ValidateBasic: wrong block protocol version, a hash of the
	// wrong length, a commit for another height or another block (a header
	// changed after signing, for example a forged app hash, fails here), or
	// a malformed commit signature entry.
	ErrInvalidHeader = errors.New("tendermint: invalid header")

	// ErrChainID means the header belongs to another chain than the trusted
	// state (or, in CheckConflict, than the other header).
	ErrChainID = errors.New("tendermint: chain ID mismatch")

	// ErrNotMonotonic means the header is not strictly above the trusted
	// height, or its time is not strictly after the trusted time. It is
	// usually a stale or replayed header.
	ErrNotMonotonic = errors.New("tendermint: height or time does not increase")

	// ErrClockDrift means the header time is not before now plus the
	// maximum clock drift.
	ErrClockDrift = errors.New("tendermint: header time too far in the future")

	// ErrExpired means the trusting period of the trusted state has ended:
	// now is not before ExpiresAt(trusted).
	ErrExpired = errors.New("tendermint: trusting period expired")

	// ErrValidatorSetMismatch means a validator set does not match what the
	// header commits to (ValidatorsHash, NextValidatorsHash), an adjacent
	// header's validator set is not the trusted next validator set, or the
	// commit does not line up with the validator set (count or addresses).
	ErrValidatorSetMismatch = errors.New("tendermint: validator set mismatch")

	// ErrInsufficientVotingPower means the validators of the header's own
	// set that signed the block hold no more than two thirds of its voting
	// power.
	ErrInsufficientVotingPower = errors.New("tendermint: insufficient voting power of the header's validator set")

	// ErrInsufficientTrustedVotingPower means, for a non-adjacent header,
	// that the validators of the trusted set that signed the block hold no
	// more than the trust level of the trusted set's voting power.
	ErrInsufficientTrustedVotingPower = errors.New("tendermint: insufficient voting power of the trusted validator set")

	// ErrInvalidSignature means a commit signature does not verify.
	ErrInvalidSignature = errors.New("tendermint: invalid commit signature")

	// ErrHashMismatch means NewTrustedState got a light block whose header
	// hash is not the expected one.
	ErrHashMismatch = errors.New("tendermint: header hash mismatch")

	// ErrConflict means two validly signed headers of one chain contradict
	// each other (see CheckConflict). It is only ever wrapped by a
	// *ConflictError. It is evidence of a fork or of byzantine validators:
	// stop relaying from the chain and alert an operator.
	ErrConflict = errors.New("tendermint: conflicting headers")
)

// VerifyError is the error Verify, NewTrustedState and CheckConflict return
// for a light block they reject. Reason wraps one of the sentinels.
type VerifyError struct {
	ChainID string // chain of the trusted state (or of the header, when no state is involved)
	Height  uint64 // height of the rejected header, 0 if it did not decode
	Reason  error
}

// Error reads like "tendermint: chain-1 header 7: tendermint: trusting
// period expired: ...".
func (e *VerifyError) Error() string {
	return fmt.Sprintf("tendermint: %s header %d: %v", e.ChainID, e.Height, e.Reason)
}

// Unwrap returns Reason.
func (e *VerifyError) Unwrap() error { return e.Reason }

// SignatureError says which commit signature failed. It appears inside
// VerifyError.Reason and wraps ErrInvalidSignature.
type SignatureError struct {
	Index   int    // position of the signature in the commit
	Address []byte // validator address the signature claims
	Reason  error
}

// Error reads like "signature 2 (validator 1A2B…): tendermint: invalid
// commit signature".
func (e *SignatureError) Error() string {
	return fmt.Sprintf("signature %d (validator %X): %v", e.Index, e.Address, e.Reason)
}

// Unwrap returns Reason.
func (e *SignatureError) Unwrap() error { return e.Reason }

// VotingPowerError reports a voting-power shortfall. It appears inside
// VerifyError.Reason and wraps ErrInsufficientVotingPower or
// ErrInsufficientTrustedVotingPower. Signed must exceed Needed.
type VotingPowerError struct {
	Signed int64 // voting power of the set's validators that signed the block
	Needed int64 // the threshold Signed must exceed
	Total  int64 // total voting power of the set
	Reason error
}

// Error reads like "tendermint: insufficient voting power of the header's
// validator set: signed 2 of 4, need more than 2".
func (e *VotingPowerError) Error() string {
	return fmt.Sprintf("%v: signed %d of %d, need more than %d", e.Reason, e.Signed, e.Total, e.Needed)
}

// Unwrap returns Reason.
func (e *VotingPowerError) Unwrap() error { return e.Reason }

// ConflictKind says how two headers conflict.
type ConflictKind uint8

const (
	// ConflictFork is two headers at one height with different hashes.
	ConflictFork ConflictKind = iota + 1
	// ConflictTime is two headers whose times are not in the order of their
	// heights (a violation of BFT time).
	ConflictTime
)

// String returns "fork" or "time".
func (k ConflictKind) String() string {
	switch k {
	case ConflictFork:
		return "fork"
	case ConflictTime:
		return "time"
	default:
		return fmt.Sprintf("conflict(%d)", uint8(k))
	}
}

// ConflictError is the misbehaviour CheckConflict reports: two headers of
// one chain, each signed by more than two thirds of its validator set, that
// cannot both be part of the chain. It wraps ErrConflict. A relayer should
// halt the route, keep both light blocks as evidence, and alert.
type ConflictError struct {
	Kind    ConflictKind
	ChainID string
	HeightA uint64
	HeightB uint64
	HashA   []byte
	HashB   []byte
}

// Error reads like "tendermint: chain-1 fork at height 7: header 1A… vs
// 2B…: tendermint: conflicting headers".
func (e *ConflictError) Error() string {
	if e.Kind == ConflictFork {
		return fmt.Sprintf("tendermint: %s %v at height %d: header %X vs %X: %v",
			e.ChainID, e.Kind, e.HeightA, e.HashA, e.HashB, ErrConflict)
	}
	return fmt.Sprintf("tendermint: %s %v: header %d (%X) is not later than header %d (%X): %v",
		e.ChainID, e.Kind, e.HeightB, e.HashB, e.HeightA, e.HashA, ErrConflict)
}

// Unwrap returns ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }
