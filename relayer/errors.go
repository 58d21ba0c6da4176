package relayer

import "errors"

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
)
