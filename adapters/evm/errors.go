package evm

import (
	"errors"

	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *relayer.VerifyError whose Reason wraps one of these, or an error of proofs/mpt,
// proofs/qbft or proofs/ethheader (test with errors.Is on those packages'
// sentinels). None is transient: the same bundle always fails the same way.
var (
	// ErrMalformed means a part of the bundle does not parse: unknown
	// fields, trailing data, bad hex, a wrong length, too many headers.
	ErrMalformed = errors.New("malformed evidence")

	// ErrAnchorMismatch means the bundle's anchor is not the trusted one,
	// is for another chain or trust model, or its state is unusable.
	ErrAnchorMismatch = errors.New("anchor mismatch")

	// ErrWrongEmitter is relayer.ErrWrongEmitter: the record is not from
	// the program its anchor vouches for.
	ErrWrongEmitter = relayer.ErrWrongEmitter

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

// The checks, cheapest first, as relayer.VerifyError.Check names them.
const (
	// CheckForm is the bundle's version, ledger and trust model.
	CheckForm = "form"
	// CheckAnchor is the anchor: the trusted one, for this chain and scheme.
	CheckAnchor = "anchor"
	// CheckRecord is Record.Check and the emitter pin.
	CheckRecord = "record"
	// CheckInclusion is the claimed address, slot and value against the
	// record.
	CheckInclusion = "inclusion"
	// CheckHeader is the consensus part: the header hash (rpc-finality) or
	// the light client (qbft, ibft2).
	CheckHeader = "header"
	// CheckStorage is the account and storage proof against the header's
	// state root.
	CheckStorage = "storage proof"
)
