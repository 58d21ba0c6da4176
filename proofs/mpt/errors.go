package mpt

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// Sentinel errors. Every error of this package is a *ProofError whose Reason
// wraps one of them; test with errors.Is. None is transient: the same inputs
// always give the same answer, so a caller should not retry with the same
// proof, but may fetch a new proof (for the same root) from another endpoint.
var (
	// ErrProofInvalid means the proof does not prove anything about the key
	// under the root: too many or too large nodes, a node missing, repeated
	// or not on the key's path, no node hashing to the root, or a node that
	// is not valid trie RLP. The proof is corrupt or was made for another
	// root or key.
	ErrProofInvalid = errors.New("mpt: invalid proof")

	// ErrAccountAbsent means the proof is valid and shows that no account
	// exists at the address under the state root.
	ErrAccountAbsent = errors.New("mpt: account absent")

	// ErrStorageAbsent means the proof is valid and shows that the slot
	// holds no value, i.e. reads as zero (a zero value is never stored).
	ErrStorageAbsent = errors.New("mpt: storage slot absent")

	// ErrStoragePresent means an absence was asked for, but the proof is
	// valid and shows a value in the slot.
	ErrStoragePresent = errors.New("mpt: storage slot present")

	// ErrBadLeaf means the proof is valid but the proven leaf does not decode
	// as an account or a storage value. No EVM client writes such a leaf;
	// the root is probably not an EVM state or storage root.
	ErrBadLeaf = errors.New("mpt: malformed leaf value")

	// ErrValueMismatch means the slot is proven to hold a value other than
	// the wanted one.
	ErrValueMismatch = errors.New("mpt: value mismatch")
)

// Step names which part of a verification failed.
type Step uint8

const (
	// StepAccount is the account proof against the state root.
	StepAccount Step = iota + 1
	// StepStorage is the storage proof against the account's storage root.
	StepStorage
	// StepValue is the comparison of the proven value with the wanted one.
	StepValue
)

// String returns "account proof", "storage proof" or "value".
func (s Step) String() string {
	switch s {
	case StepAccount:
		return "account proof"
	case StepStorage:
		return "storage proof"
	case StepValue:
		return "value"
	default:
		return fmt.Sprintf("step(%d)", uint8(s))
	}
}

// ProofError is the error every function of this package returns.
type ProofError struct {
	Step Step
	Root common.Hash // the root the step verified against
	// Key is the unhashed key: the 20-byte address for StepAccount, the
	// 32-byte slot otherwise.
	Key []byte
	// Node is the index in the proof of the node at fault, or -1 when the
	// failure is not about one node.
	Node   int
	Reason error
}

// Error reads like "mpt: storage proof (root 0x…, key 0x…), node 2: mpt:
// invalid proof: node is not on the path of the key".
func (e *ProofError) Error() string {
	if e.Node >= 0 {
		return fmt.Sprintf("mpt: %v (root %s, key %#x), node %d: %v", e.Step, e.Root.Hex(), e.Key, e.Node, e.Reason)
	}
	return fmt.Sprintf("mpt: %v (root %s, key %#x): %v", e.Step, e.Root.Hex(), e.Key, e.Reason)
}

// Unwrap returns Reason.
func (e *ProofError) Unwrap() error { return e.Reason }
