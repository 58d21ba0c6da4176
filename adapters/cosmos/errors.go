package cosmos

import (
	"errors"
	"fmt"

	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *VerifyError whose Reason wraps one of these, or an error of
// proofs/tendermint or proofs/ics23 (test with errors.Is on those
// packages' sentinels). None is transient: the same bundle, anchor and time
// always fail the same way.
var (
	// ErrMalformed means a part of the bundle does not parse: unknown
	// fields, trailing data, bad encodings, too many light blocks.
	ErrMalformed = errors.New("malformed evidence")

	// ErrAnchorMismatch means the bundle's anchor is not the trusted one,
	// is for another chain or scheme, or its state is unusable.
	ErrAnchorMismatch = errors.New("anchor mismatch")

	// ErrWrongEmitter means the record's emitter is not the records
	// module's port, or the record is from another chain than the one the
	// verifier was pinned to.
	ErrWrongEmitter = errors.New("record emitter is not the records module")

	// ErrWrongKey means the proof is for another store or key than the
	// record's permanent value, records/0x06‖id.
	ErrWrongKey = errors.New("proof key is not the record's value key")

	// ErrWrongValue means the proven value does not decode to exactly the
	// record: a field was altered, or the proof is of another record.
	ErrWrongValue = errors.New("proof value is not the record")

	// ErrWrongHeight means the light blocks do not end one above the
	// proof's store version (a proof of version H verifies against the app
	// hash of header H+1), or they are of another chain.
	ErrWrongHeight = errors.New("header is not the one above the proof's version")
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
	// CheckRecord is Record.Check and the emitter.
	CheckRecord
	// CheckInclusion is the proof's store, key and value against the record.
	CheckInclusion
	// CheckHeader is the light client: the light blocks from the anchor to
	// the header above the proof's version.
	CheckHeader
	// CheckStoreProof is the ICS-23 proof against that header's app hash.
	CheckStoreProof
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
	case CheckStoreProof:
		return "store proof"
	}
	return fmt.Sprintf("check(%d)", uint8(c))
}

// VerifyError is the error the verifier returns. It wraps
// relayer.ErrEvidence and Reason, so both errors.Is(err,
// relayer.ErrEvidence) and errors.Is(err, tendermint.ErrExpired) (say)
// hold. Retrying with the same bundle gives the same answer; the engine
// counts an attempt and proves again.
type VerifyError struct {
	Check  Check
	Height uint64 // the proof's store version, when known
	Reason error
}

// Error reads like "evidence rejected: cosmos store proof at version 41: ics23: …".
func (e *VerifyError) Error() string {
	if e.Height > 0 {
		return fmt.Sprintf("%v: cosmos %v at version %d: %v", relayer.ErrEvidence, e.Check, e.Height, e.Reason)
	}
	return fmt.Sprintf("%v: cosmos %v: %v", relayer.ErrEvidence, e.Check, e.Reason)
}

// Unwrap returns relayer.ErrEvidence and Reason.
func (e *VerifyError) Unwrap() []error { return []error{relayer.ErrEvidence, e.Reason} }

// MisbehaviourError reports two headers of the chain that cannot both be
// true, each accepted by the light client from the trusted anchor: a fork
// at one height (two different block hashes), or a header signed by the
// trusted validators on top of another block than the trusted one. It
// means that more than the trust level of a validator set signed
// conflicting blocks, or that a node serves a forged chain that the
// trusted validators signed. It wraps relayer.ErrPermanent and
// tendermint.ErrConflict: the chain stops (every later Poll and Prove of
// the Chain returns it) until an operator has looked, because nothing
// proven from it can be trusted. Compare the nodes named here, report the
// misbehaviour to the chain, and restart with a new trust anchor.
type MisbehaviourError struct {
	Chain  relayer.ChainID
	Height uint64
	// HashA and HashB are the conflicting block hashes at Height; for a
	// header on top of another block, HashA is the trusted block and HashB
	// the block the signed header names as its parent.
	HashA, HashB []byte
	// NodeA and NodeB say where each came from ("anchor" for the trusted
	// state), with credentials redacted.
	NodeA, NodeB string
	Reason       error
}

// Error names the chain, the height, both hashes and their sources.
func (e *MisbehaviourError) Error() string {
	return fmt.Sprintf("chain %s: conflicting headers at height %d: %X from %s, %X from %s: %v; "+
		"the chain is halted for this relayer: an operator must compare the nodes, report the misbehaviour "+
		"and re-anchor (%v)", e.Chain, e.Height, e.HashA, e.NodeA, e.HashB, e.NodeB, e.Reason, relayer.ErrPermanent)
}

// Unwrap returns relayer.ErrPermanent, tendermint.ErrConflict and Reason.
func (e *MisbehaviourError) Unwrap() []error {
	return []error{relayer.ErrPermanent, tendermint.ErrConflict, e.Reason}
}

// ForkError reports that a block the source had read has another hash now:
// the node serves another chain or fork than before. It wraps
// relayer.ErrPermanent; unlike MisbehaviourError nothing here was verified
// by the light client, so it may also be a faulty node: compare the nodes.
type ForkError struct {
	Chain  relayer.ChainID
	Height uint64
	Was    []byte // the hash when the block was read
	Now    []byte // the hash the node serves now
	Node   string
}

// Error names the chain, the height, both hashes and the node.
func (e *ForkError) Error() string {
	return fmt.Sprintf("chain %s: block %d was read with hash %X, but node %s now serves %X: "+
		"the node is on another fork or chain; the source stops here: %v", e.Chain, e.Height, e.Was, e.Node, e.Now, relayer.ErrPermanent)
}

// Unwrap returns relayer.ErrPermanent.
func (e *ForkError) Unwrap() error { return relayer.ErrPermanent }
