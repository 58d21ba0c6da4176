package ics23

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error of this package is a *ProofError whose Reason
// wraps exactly one of them; test with errors.Is. None is transient: the
// same inputs always give the same answer, so a caller should not retry
// with the same proof, but may fetch a new one (for the same height, whose
// app hash it trusts) from another endpoint.
var (
	// ErrInvalidArgument means a caller-supplied argument is unusable: an
	// app hash that is not 32 bytes, an empty store name or key, or an
	// empty value (an SDK store never holds one). It is a bug in the caller, not a property
	// of the proof.
	ErrInvalidArgument = errors.New("ics23: invalid argument")

	// ErrProofDecode means the proof is not the canonical protobuf encoding
	// of an ibc.core.commitment.v1.MerkleProof with two proofs (the store's
	// and the multistore's), or is larger than MaxProofSize. The endpoint
	// sent garbage or a proof of another shape (a compressed or batch
	// proof, a proof from a chain with another store layout).
	ErrProofDecode = errors.New("ics23: malformed proof")

	// ErrMembership means an existence proof does not prove its key and
	// value under the spec: wrong key or value, a leaf or inner node that
	// violates the spec, or a step that cannot be computed. At level 0 it
	// is the claim itself that fails (wrong key or value); at level 1 it is
	// the link from the store's root to the app hash.
	ErrMembership = errors.New("ics23: membership not proven")

	// ErrNonMembership means the level-0 proof of an absence check is not
	// a valid non-existence proof for the key: it is an existence proof
	// (the key may well be present), its neighbours do not bracket the key,
	// or they are not adjacent in the tree.
	ErrNonMembership = errors.New("ics23: non-membership not proven")

	// ErrRootMismatch means the proof is internally valid but leads to
	// another root than the app hash: it was made at another height, for
	// another chain, or the app hash is from the wrong header (a proof of
	// store version H verifies against the app hash of header H+1).
	ErrRootMismatch = errors.New("ics23: proof does not lead to the app hash")
)

// Level names the tree a proof step is about: LevelStore is the IAVL tree
// of the store (for example "ibc"), LevelMultistore the simple Merkle tree of store roots
// under the app hash. LevelNone marks a failure that concerns the whole
// proof.
type Level int

const (
	LevelNone       Level = -1
	LevelStore      Level = 0
	LevelMultistore Level = 1
)

// String returns "store", "multistore" or "whole".
func (l Level) String() string {
	switch l {
	case LevelStore:
		return "store"
	case LevelMultistore:
		return "multistore"
	default:
		return "whole"
	}
}

// ProofError is the error every verifier of this package returns.
type ProofError struct {
	Level Level  // which tree failed
	Store string // the store the key is in, "ibc" for the packet functions
	Key   []byte // the key within the store that was to be proven
	// AppHash is the root the proof was checked against.
	AppHash []byte
	Reason  error
}

// Error reads like "ics23: store proof for ibc/30372d… (app hash 756F…):
// ics23: membership not proven: provided value doesn't match proof".
func (e *ProofError) Error() string {
	if e.Level == LevelNone {
		return fmt.Sprintf("ics23: proof for %s/%x (app hash %X): %v", e.Store, e.Key, e.AppHash, e.Reason)
	}
	return fmt.Sprintf("ics23: %v proof for %s/%x (app hash %X): %v", e.Level, e.Store, e.Key, e.AppHash, e.Reason)
}

// Unwrap returns Reason.
func (e *ProofError) Unwrap() error { return e.Reason }
