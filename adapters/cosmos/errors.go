package cosmos

import (
	"errors"
	"fmt"

	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// Sentinel errors of the verifier. Every verification failure is a
// *relayer.VerifyError whose Reason wraps one of these, or an error of
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

	// ErrWrongEmitter is relayer.ErrWrongEmitter: the record is not from
	// the program its anchor vouches for.
	ErrWrongEmitter = relayer.ErrWrongEmitter

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

// The checks, cheapest first, as relayer.VerifyError.Check names them.
const (
	// CheckForm is the bundle's version, ledger and trust model.
	CheckForm = "form"
	// CheckAnchor is the anchor: the trusted one, for this chain and scheme.
	CheckAnchor = "anchor"
	// CheckRecord is Record.Check and the emitter.
	CheckRecord = "record"
	// CheckInclusion is the proof's store, key and value against the record.
	CheckInclusion = "inclusion"
	// CheckHeader is the light client: the light blocks from the anchor to
	// the header above the proof's version.
	CheckHeader = "header"
	// CheckStoreProof is the ICS-23 proof against that header's app hash.
	CheckStoreProof = "store proof"
)

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
