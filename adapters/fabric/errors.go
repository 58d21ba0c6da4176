package fabric

import (
	"errors"
	"fmt"

	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *VerifyError whose Reason wraps one of these, or an error of
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

	// ErrWrongEmitter means the record's emitter is not the anchor's (or
	// the pinned) chaincode name.
	ErrWrongEmitter = errors.New("record emitter is not the chaincode")

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

// Check names the stage of verification that failed, in the order the
// verifier runs them.
type Check uint8

// The checks, cheapest first.
const (
	// CheckForm is the bundle's version, ledger and trust model.
	CheckForm Check = iota + 1
	// CheckAnchor is the anchor: the trusted one, for this chain, with a
	// usable channel config, policy and chaincode.
	CheckAnchor
	// CheckRecord is Record.Check and the emitter.
	CheckRecord
	// CheckInclusion is the form of the inclusion and consensus documents.
	CheckInclusion
	// CheckConsensus is the config blocks from the anchor to the block
	// (proofs/fabric VerifyChain).
	CheckConsensus
	// CheckBlock is the block: data hash, orderer signatures under the
	// channel config (proofs/fabric VerifyBlock), its number and the
	// transaction ID.
	CheckBlock
	// CheckTransaction is the transaction: creator and endorsement
	// signatures, the endorsement policy, the validation flag
	// (proofs/fabric VerifyTransaction).
	CheckTransaction
	// CheckWrite is the write set: StateKey(id) = RecordDigest(record) in
	// the chaincode's namespace, and the RecordPublished event.
	CheckWrite
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
	case CheckConsensus:
		return "config chain"
	case CheckBlock:
		return "block"
	case CheckTransaction:
		return "transaction"
	case CheckWrite:
		return "write set"
	}
	return fmt.Sprintf("check(%d)", uint8(c))
}

// VerifyError is the error the verifier returns. It wraps
// relayer.ErrEvidence and Reason, so both errors.Is(err,
// relayer.ErrEvidence) and errors.Is(err, fabproof.ErrDataHash) (say) hold.
// Retrying with the same bundle gives the same answer; the engine counts an
// attempt and proves again, possibly from another peer.
type VerifyError struct {
	Check  Check
	Height uint64 // the proven block, when known
	TxID   string // the proven transaction, when known
	Reason error
}

// Error reads like "evidence rejected: fabric transaction at block 9 (tx
// 14af…): fabric: endorsement policy not satisfied: …".
func (e *VerifyError) Error() string {
	switch {
	case e.TxID != "":
		return fmt.Sprintf("%v: fabric %v at block %d (tx %s): %v", relayer.ErrEvidence, e.Check, e.Height, e.TxID, e.Reason)
	case e.Height > 0:
		return fmt.Sprintf("%v: fabric %v at block %d: %v", relayer.ErrEvidence, e.Check, e.Height, e.Reason)
	}
	return fmt.Sprintf("%v: fabric %v: %v", relayer.ErrEvidence, e.Check, e.Reason)
}

// Unwrap returns relayer.ErrEvidence and Reason.
func (e *VerifyError) Unwrap() []error { return []error{relayer.ErrEvidence, e.Reason} }

// LedgerError reports that a block the source read does not link to the
// block it read before: the peer now serves another ledger under the
// channel's name (the network was re-created, or the peer is not the one
// the cursor came from). Fabric blocks are final, so this is not a
// reorganisation. It wraps relayer.ErrPermanent: the cursor cannot be
// trusted any more, and an operator must look (and reset the route's
// cursor if the new ledger is the right one).
type LedgerError struct {
	Chain  relayer.ChainID
	Height uint64 // the block whose hash changed
	Was    []byte // its header hash when it was read
	Now    []byte // the previous hash the next block carries now
	Peer   string
}

// Error names the chain, the block, both hashes and the peer.
func (e *LedgerError) Error() string {
	return fmt.Sprintf("chain %s: block %d was read with hash %x, but peer %s now serves a block %d that links to %x: "+
		"the peer serves another ledger than the one read before; the source stops here: %v",
		e.Chain, e.Height, e.Was, e.Peer, e.Height+1, e.Now, relayer.ErrPermanent)
}

// Unwrap returns relayer.ErrPermanent.
func (e *LedgerError) Unwrap() error { return relayer.ErrPermanent }
