package evm

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *VerifyError whose Reason wraps one of these, or an error of proofs/mpt,
// proofs/qbft or proofs/ethheader (test with errors.Is on those packages'
// sentinels). None is transient: the same bundle always fails the same way.
var (
	// ErrMalformed means a part of the bundle does not parse: unknown
	// fields, trailing data, bad hex, a wrong length, too many headers.
	ErrMalformed = errors.New("malformed evidence")

	// ErrAnchorMismatch means the bundle's anchor is not the trusted one,
	// is for another chain or trust model, or its state is unusable.
	ErrAnchorMismatch = errors.New("anchor mismatch")

	// ErrWrongEmitter means the record's emitter is not the Outbox this
	// verifier was pinned to (see WithOutbox), or not a 20-byte address.
	ErrWrongEmitter = errors.New("record emitter is not the outbox")

	// ErrWrongAddress means the storage proof is for an account other than
	// the record's emitter.
	ErrWrongAddress = errors.New("proof address is not the record's emitter")

	// ErrWrongSlot means the storage proof is for a slot other than the
	// record's commitment slot, keccak256(id ‖ uint256(0)).
	ErrWrongSlot = errors.New("proof slot is not the record's commitment slot")

	// ErrWrongValue means the claimed commitment is not the digest
	// recomputed from the record: the record was altered (destination,
	// receiver, content type or payload) or the proof is for another one.
	ErrWrongValue = errors.New("proof value is not the record's digest")

	// ErrHeaderHash means, in rpc-finality mode, that the header does not
	// hash to the block hash the endpoints agreed on.
	ErrHeaderHash = errors.New("header does not hash to the claimed block hash")

	// ErrWrongBlock means the consensus headers end at another height than
	// the storage proof's block, or the chain id differs from the anchor's.
	ErrWrongBlock = errors.New("header is not the proof's block")
)

// Check names the stage of verification that failed, in the order the
// verifier runs them.
type Check uint8

// The checks, cheapest first.
const (
	// CheckForm is the bundle's version, ledger and trust model.
	CheckForm Check = iota + 1
	// CheckAnchor is the anchor: the trusted one, for this chain and scheme.
	CheckAnchor
	// CheckRecord is Record.Check and the emitter pin.
	CheckRecord
	// CheckInclusion is the claimed address, slot and value against the
	// record.
	CheckInclusion
	// CheckHeader is the consensus part: the header hash (rpc-finality) or
	// the light client (qbft, ibft2).
	CheckHeader
	// CheckStorage is the account and storage proof against the header's
	// state root.
	CheckStorage
)

// String returns the check's name as it appears in error messages.
func (c Check) String() string {
	switch c {
	case CheckForm:
		return "form"
	case CheckAnchor:
		return "anchor"
	case CheckRecord:
		return "record"
	case CheckInclusion:
		return "inclusion"
	case CheckHeader:
		return "header"
	case CheckStorage:
		return "storage proof"
	}
	return fmt.Sprintf("check(%d)", uint8(c))
}

// VerifyError is the error the verifier returns. It wraps
// relayer.ErrEvidence and Reason, so both errors.Is(err,
// relayer.ErrEvidence) and errors.Is(err, mpt.ErrProofInvalid) (say) hold.
// Retrying with the same bundle gives the same answer; the engine counts an
// attempt and proves again, possibly from another endpoint.
type VerifyError struct {
	Check  Check
	Height uint64 // the proof's block, when known
	Reason error
}

// Error reads like "evidence rejected: evm storage proof at block 42: mpt: …".
func (e *VerifyError) Error() string {
	if e.Height > 0 {
		return fmt.Sprintf("%v: evm %v at block %d: %v", relayer.ErrEvidence, e.Check, e.Height, e.Reason)
	}
	return fmt.Sprintf("%v: evm %v: %v", relayer.ErrEvidence, e.Check, e.Reason)
}

// Unwrap returns relayer.ErrEvidence and Reason.
func (e *VerifyError) Unwrap() []error { return []error{relayer.ErrEvidence, e.Reason} }

// ReorgError reports that a block the source had already read as final has
// changed: the endpoint follows another fork, or the chain's finality was
// violated. It wraps relayer.ErrPermanent: the cursor cannot be trusted any
// more, and an operator must look (compare the endpoints, check the chain,
// and reset the route's cursor if the records read from the old fork must be
// read again).
type ReorgError struct {
	Chain  relayer.ChainID
	Height uint64
	Was    common.Hash // the hash seen when the block was read
	Now    common.Hash // the hash the endpoint serves now
	// Endpoint is the endpoint that serves Now (credentials redacted).
	Endpoint string
}

// Error names the chain, the height, both hashes and the endpoint.
func (e *ReorgError) Error() string {
	return fmt.Sprintf("chain %s: block %d was read as final with hash %s, but endpoint %s now serves %s: "+
		"the endpoint is on another fork or finality was violated; the source stops here: %v",
		e.Chain, e.Height, e.Was.Hex(), e.Endpoint, e.Now.Hex(), relayer.ErrPermanent)
}

// Unwrap returns relayer.ErrPermanent.
func (e *ReorgError) Unwrap() error { return relayer.ErrPermanent }
