package qbft

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// Sentinel errors. Every failure of the verifiers is a *VerifyError whose
// Reason wraps exactly one of these (seal failures through a *SealError), so
// callers test with errors.Is and read the fields with errors.As.
//
// None of them is transient: verification is a pure function of its inputs,
// so retrying with the same header and time gives the same answer. A
// rejected header is either malformed, forged, from another chain or fork,
// or not provable from the trust anchor in one step; the caller should drop
// it, and may fetch the same height from another endpoint or, for
// ErrInsufficientOverlap and ErrNotAdjacent, verify intermediate headers
// first. Two depend on now: ErrExpired (the anchor is too old; only a newer
// anchor helps) and ErrClockDrift (the header may verify later, or the
// caller's clock is wrong).
var (
	// ErrVariant means the variant is neither QBFT nor IBFT2: a
	// configuration bug, not a property of the header.
	ErrVariant = errors.New("qbft: unknown variant")

	// ErrBadTrustedState means the trust anchor itself is unusable (unknown
	// variant, missing or invalid trust parameters, zero hash, empty or
	// unsorted validator list, invalid vote).
	// Fix the configuration or the persisted state; no header can verify
	// against it.
	ErrBadTrustedState = errors.New("qbft: invalid trusted state")

	// ErrBadHeader means the header is nil, has no number, or cannot be
	// RLP-encoded.
	ErrBadHeader = errors.New("qbft: malformed header")

	// ErrBadExtra means the extra data does not decode with the variant's
	// codec (see ParseExtra).
	ErrBadExtra = errors.New("qbft: malformed extra data")

	// ErrNoValidators means the header lists no validators, as a chain in
	// contract-validator mode writes. This light client cannot follow such a
	// chain from headers alone; the set must be proven from the validator
	// contract's storage instead.
	ErrNoValidators = errors.New("qbft: header lists no validators")

	// ErrHeightNotIncreasing means the header is not above the trusted
	// height. It is usually a stale or replayed header.
	ErrHeightNotIncreasing = errors.New("qbft: header height does not increase")

	// ErrExpired means the trusted state's trusting period has ended: now
	// is not before ExpiresAt(trusted). Its validators may have left the set
	// long ago and can no longer be held to anything, so nothing is verified
	// from it. The operator must configure a newer checkpoint (a recent
	// block's height, hash and validators); retrying cannot help.
	ErrExpired = errors.New("qbft: trusting period of the trusted header expired")

	// ErrTimeDecreasing means the header's timestamp is before the trusted
	// header's. No honest chain goes back in time.
	ErrTimeDecreasing = errors.New("qbft: header time is before the trusted time")

	// ErrClockDrift means the header's timestamp is not before now plus
	// the maximum clock drift. The caller's clock or the chain's is wrong,
	// or the header is forged to extend its trusting period; it may verify
	// later.
	ErrClockDrift = errors.New("qbft: header time too far in the future")

	// ErrNotAdjacent means VerifyAdjacent got a header that is not exactly
	// one above the trusted height; use VerifySkip or VerifyChain.
	ErrNotAdjacent = errors.New("qbft: header is not adjacent to the trusted height")

	// ErrParentMismatch means the header's parentHash is not the trusted
	// hash: it belongs to another fork or chain.
	ErrParentMismatch = errors.New("qbft: parent hash does not match the trusted hash")

	// ErrValidatorSetChange means the header's validator list is not one that
	// the trusted header can lead to (see VerifyAdjacent for the rule).
	ErrValidatorSetChange = errors.New("qbft: validator set change not allowed")

	// ErrTooManySeals means there are more seals than listed validators, so
	// they cannot all come from distinct validators. It is checked before any
	// signature is recovered.
	ErrTooManySeals = errors.New("qbft: more seals than validators")

	// ErrInsufficientSeals means fewer than Quorum(n) distinct validators of
	// the header's own list sealed it.
	ErrInsufficientSeals = errors.New("qbft: insufficient committed seals")

	// ErrBadSeal means a seal is not a recoverable secp256k1 signature:
	// recovery id not 0 or 1, r or s out of range, or recovery failed.
	ErrBadSeal = errors.New("qbft: malformed committed seal")

	// ErrNonValidatorSeal means a seal recovers to an address that is not in
	// the header's validator list. A seal over a different preimage (another
	// round, any changed header field) recovers to an unrelated address and
	// fails the same way; the two cases cannot be told apart.
	ErrNonValidatorSeal = errors.New("qbft: seal from non-validator")

	// ErrDuplicateSeal means two seals recover to the same validator.
	ErrDuplicateSeal = errors.New("qbft: duplicate seal")

	// ErrInsufficientOverlap means a skipped-to header is not sealed by more
	// than two thirds of the trusted validators. Verify an intermediate
	// header first (bisection), then skip from there.
	ErrInsufficientOverlap = errors.New("qbft: insufficient seals from the trusted validator set")

	// ErrHashMismatch means a header does not hash to the hash it was
	// claimed to have.
	ErrHashMismatch = errors.New("qbft: block hash mismatch")
)

// VerifyError is the error every verifier in this package returns. It names
// the header that failed; Reason wraps one of the sentinels.
type VerifyError struct {
	Height uint64      // number of the rejected header (0 if it had none)
	Hash   common.Hash // its BlockHash, or zero if it could not be computed
	Reason error
}

// Error reads like "qbft: header 2 (0x…): seal 1 (signer 0x…): qbft: seal
// from non-validator".
func (e *VerifyError) Error() string {
	if e.Hash == (common.Hash{}) {
		return fmt.Sprintf("qbft: header %d: %v", e.Height, e.Reason)
	}
	return fmt.Sprintf("qbft: header %d (%s): %v", e.Height, e.Hash.Hex(), e.Reason)
}

// Unwrap returns Reason.
func (e *VerifyError) Unwrap() error { return e.Reason }

// SealError says which committed seal failed. It appears inside
// VerifyError.Reason for ErrBadSeal, ErrNonValidatorSeal and ErrDuplicateSeal.
type SealError struct {
	Index  int            // position of the seal in the extra data
	Signer common.Address // recovered signer; zero when recovery failed
	Reason error
}

// Error reads like "seal 1 (signer 0x…): qbft: duplicate seal".
func (e *SealError) Error() string {
	if e.Signer == (common.Address{}) {
		return fmt.Sprintf("seal %d: %v", e.Index, e.Reason)
	}
	return fmt.Sprintf("seal %d (signer %s): %v", e.Index, e.Signer.Hex(), e.Reason)
}

// Unwrap returns Reason.
func (e *SealError) Unwrap() error { return e.Reason }
