package relayer

import (
	"errors"
	"fmt"
)

// Sentinel errors. Adapters translate foreign errors (RPC text, gRPC status)
// into these at their edge so that the engine never parses strings. Wrap them
// with %w and add the chain, height and transaction in the message.
var (
	// ErrUnavailable means the ledger or its endpoint could not be reached,
	// or answered "try later". The call did not take effect. The engine
	// retries without spending an attempt.
	ErrUnavailable = errors.New("ledger unavailable")

	// ErrPermanent means retrying cannot help (a record the destination
	// refuses by rule, a malformed record). The engine dead-letters the
	// record at once; an operator may still retry it after fixing the cause.
	ErrPermanent = errors.New("permanent failure")

	// ErrPending is returned by Destination.Confirm while a submitted
	// transaction is not final yet. It is not a failure.
	ErrPending = errors.New("not final yet")

	// ErrNotLanded is returned by Destination.Confirm when the submitted
	// transaction is known not to have taken effect (reverted, invalidated,
	// dropped after its nonce was used by another transaction). The engine
	// may submit again, after asking Delivered.
	ErrNotLanded = errors.New("submission did not take effect")

	// ErrRecordMismatch means a record's ID or payload hash does not follow
	// from its fields: it was altered after it left the source.
	ErrRecordMismatch = errors.New("record fields do not match its id or payload hash")

	// ErrEvidence means an evidence bundle failed verification. The wrapped
	// error names the failed check.
	ErrEvidence = errors.New("evidence rejected")

	// ErrNotFound is returned by stores for an unknown record or chain.
	ErrNotFound = errors.New("not found")

	// ErrBadQuery is a query a store cannot answer as asked: a cursor
	// it did not give, say.
	ErrBadQuery = errors.New("bad query")

	// ErrConflict is an operator action the record's state refuses:
	// retrying a confirmed record, skipping one that may be delivered.
	ErrConflict = errors.New("refused in the record's state")
)

// ErrWrongEmitter means a record comes from another chain or another
// program than the one its trust anchor vouches for (Anchor.Emitter): a
// copy of the Outbox, another chaincode or module. Its proofs may be
// perfectly valid; they prove the wrong thing.
var ErrWrongEmitter = errors.New("record emitter is not the anchor's")

// VerifyError is the one error envelope of evidence verification, for
// every ledger: which check failed, where, and why. It wraps ErrEvidence
// and Reason, so both errors.Is(err, ErrEvidence) and errors.Is(err,
// <a proofs package's sentinel>) hold. None is transient: the same bundle,
// anchor and time always fail the same way; the engine counts an attempt
// and proves again, possibly from another endpoint.
type VerifyError struct {
	Ledger Ledger // "" when the failure is before the ledger is known
	// Check names the failed check, as the ledger's verifier documents
	// it: "form", "anchor", "record", "inclusion", "header", ...
	Check  string
	Height uint64 // the proven block or version, when known
	TxID   string // the proven transaction, when known
	Reason error
}

// Error reads like "evidence rejected: fabric transaction at block 9 (tx
// 14af…): …".
func (e *VerifyError) Error() string {
	what := e.Check
	if e.Ledger != "" {
		what = string(e.Ledger) + " " + e.Check
	}
	switch {
	case e.TxID != "":
		return fmt.Sprintf("%v: %s at block %d (tx %s): %v", ErrEvidence, what, e.Height, e.TxID, e.Reason)
	case e.Height > 0:
		return fmt.Sprintf("%v: %s at height %d: %v", ErrEvidence, what, e.Height, e.Reason)
	}
	return fmt.Sprintf("%v: %s: %v", ErrEvidence, what, e.Reason)
}

// Unwrap returns ErrEvidence and Reason.
func (e *VerifyError) Unwrap() []error { return []error{ErrEvidence, e.Reason} }

// ForkError reports that a block the source had already read has another
// hash now: the endpoint follows another fork or serves another ledger
// under the chain's name, or the chain's finality was violated. It wraps
// ErrPermanent: the cursor cannot be trusted any more, and an operator must
// look (compare the endpoints, check the chain, and reset the route's
// cursor if the records read from the old fork must be read again).
type ForkError struct {
	Chain  ChainID
	Height uint64
	Was    []byte // the block's hash when it was read
	Now    []byte // the hash the endpoint serves (or the next block links to) now
	// Endpoint says which endpoint serves Now, with credentials redacted.
	Endpoint string
	// Detail says what differs, in the ledger's words; empty for a plain
	// change of hash.
	Detail string
}

// Error names the chain, the height, both hashes and the endpoint.
func (e *ForkError) Error() string {
	detail := e.Detail
	if detail == "" {
		detail = "the endpoint is on another fork or finality was violated"
	}
	return fmt.Sprintf("chain %s: block %d was read with hash 0x%x, but %s now serves 0x%x: %s; the source stops here: %v",
		e.Chain, e.Height, e.Was, e.Endpoint, e.Now, detail, ErrPermanent)
}

// Unwrap returns ErrPermanent.
func (e *ForkError) Unwrap() error { return ErrPermanent }
