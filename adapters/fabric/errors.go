package fabric

import (
	"errors"

	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *relayer.VerifyError whose Reason wraps one of these, or an error of
// proofs/fabric (test with errors.Is on that package's sentinels). None is
// transient: the same bundle always fails the same way.
var (
	// ErrMalformed means a part of the bundle does not parse: unknown
	// fields, trailing data, bad base64, too many config blocks.
	ErrMalformed = errors.New("malformed evidence")

	// ErrAnchorMismatch means the bundle's anchor is not the trusted one,
	// is for another chain or scheme, or its state is unusable (the
	// channel config, the endorsement policy or the chaincode name).
	ErrAnchorMismatch = errors.New("anchor mismatch")

	// ErrWrongEmitter is relayer.ErrWrongEmitter: the record is not from
	// the program its anchor vouches for.
	ErrWrongEmitter = relayer.ErrWrongEmitter

	// ErrWrongBlock means the proven block or transaction is not the one
	// the record names (Source.Height, Source.TxID).
	ErrWrongBlock = errors.New("proof is not for the record's block and transaction")

	// ErrWrongWrite means the transaction does not write the record's
	// digest under its state key in the chaincode's namespace: the record
	// was altered (destination, receiver, content type or payload) or the
	// transaction published another one.
	ErrWrongWrite = errors.New("transaction does not write the record's digest")

	// ErrWrongEvent means the transaction's chaincode event is not the
	// chaincode's RecordPublished event of exactly this record.
	ErrWrongEvent = errors.New("transaction's event is not the record")
)

// The checks, cheapest first, as relayer.VerifyError.Check names them.
const (
	// CheckForm is the bundle's version, ledger and trust model.
	CheckForm = "form"
	// CheckAnchor is the anchor: the trusted one, for this chain, with a
	// usable channel config, policy and chaincode.
	CheckAnchor = "anchor"
	// CheckRecord is Record.Check and the emitter.
	CheckRecord = "record"
	// CheckInclusion is the form of the inclusion and consensus documents.
	CheckInclusion = "inclusion"
	// CheckConsensus is the config blocks from the anchor to the block
	// (proofs/fabric VerifyBlock on each).
	CheckConsensus = "config chain"
	// CheckBlock is the block: data hash, orderer signatures under the
	// channel config (proofs/fabric VerifyBlock), its number and the
	// transaction ID.
	CheckBlock = "block"
	// CheckTransaction is the transaction: creator and endorsement
	// signatures, the endorsement policy, the validation flag
	// (proofs/fabric VerifyTransaction).
	CheckTransaction = "transaction"
	// CheckWrite is the write set: StateKey(id) = RecordDigest(record) in
	// the chaincode's namespace, and the RecordPublished event.
	CheckWrite = "write set"
)
