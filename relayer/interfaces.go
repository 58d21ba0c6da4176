package relayer

import (
	"context"
)

// Cursor is a source's position, opaque to the engine. The engine stores it
// in the same transaction as the records read before it, so a restart never
// skips or re-reads a record. The empty cursor means "from the start the
// source was configured with".
type Cursor string

// Batch is what one Poll returns.
type Batch struct {
	// Records are committed and final on the source, in source order.
	Records []Record
	// Next is the cursor after Records. When Records is empty and Next
	// equals the cursor that was passed in, the source has nothing new.
	Next Cursor
	// Reached is the source height that Next stands for.
	Reached Height
	// Head is the source's final height when it was polled. Head-Reached
	// is the route's lag.
	Head Height
}

// Source reads committed outbound records from a cursor. It returns only
// records at heights its finality policy considers final. A Source serves
// one route: its selector is part of its construction.
//
// Poll returns an error wrapping ErrUnavailable when the ledger cannot be
// reached; the engine retries later and keeps the cursor.
type Source interface {
	Poll(ctx context.Context, after Cursor, limit int) (Batch, error)
}

// Prover builds the evidence that rec was committed on its source ledger,
// relative to the trusted anchor it is given. It talks to the ledger; it does
// not decide whether the evidence is good (Verifier does).
type Prover interface {
	Prove(ctx context.Context, rec *Record, trusted Anchor) (*Evidence, error)
}

// Delivery is what the engine hands to a destination.
type Delivery struct {
	Record       *Record
	Evidence     *Evidence
	EvidenceHash Hash32
	// Prepared is the output of Preparer.Prepare, when the destination is
	// a Preparer. It is stored before Submit is first called, and the same
	// bytes are passed again if the submission is resumed after a crash.
	Prepared []byte
}

// Destination writes records to a ledger.
//
// Submit sends the delivery and returns the transaction id. An error that
// wraps ErrUnavailable promises the submission did not take effect; any
// other error means it might have: the engine asks Delivered before it
// submits again.
//
// Delivered reports whether the record's delivery is final on the
// destination (by this relayer's identity: for an M-of-N inbox, whether our
// attestation is final). It must read final state only.
//
// Confirm waits for nothing: it returns nil when the transaction is final,
// ErrPending while it is not, ErrNotLanded when it is known not to have
// taken effect, or another error.
type Destination interface {
	Submit(ctx context.Context, d Delivery) (txID string, err error)
	Delivered(ctx context.Context, rec *Record) (bool, error)
	Confirm(ctx context.Context, rec *Record, txID string) error
}

// Prepared is a submission built ahead of time: for EVM, a signed
// transaction. TxID must be the id Submit will return for it.
type Prepared struct {
	Data []byte
	TxID string
}

// Preparer is an optional Destination capability. When present, the engine
// prepares a submission and stores it before calling Submit, so that a
// submission resumed after a crash re-sends the same transaction instead of
// a new one.
type Preparer interface {
	Prepare(ctx context.Context, d Delivery) (Prepared, error)
}

// BatchDestination is an optional Destination capability: it delivers
// several records in one submission, each with the semantics it has alone
// (a record already delivered is a no-op, a conflicting one does not fail
// the others). The engine uses it on routes with a batch policy; it
// finds it by type assertion, as it finds Preparer.
//
// A batch is always prepared ahead: the engine stores the prepared bytes
// and the transaction id with every member before SubmitBatch is first
// called, and after a crash sends the same bytes again. Confirm (of
// Destination) is asked with any member and the batch's transaction id;
// its answer is the batch's.
type BatchDestination interface {
	Destination
	// PrepareBatch builds one submission that delivers ds in order. It may
	// take only a prefix of ds, for example what fits in a block: n is how
	// many, at least 1.
	PrepareBatch(ctx context.Context, ds []Delivery) (p Prepared, n int, err error)
	// SubmitBatch sends a prepared batch and returns its transaction id.
	// Errors mean what they mean for Submit: ErrUnavailable promises it
	// did not take effect, ErrNotLanded that it never can.
	SubmitBatch(ctx context.Context, prepared []byte) (txID string, err error)
}

// TrustBootstrapper is an optional Prover capability: it supplies the
// configured trust anchor of its chain. The engine stores it when the store
// holds none, or when the configured anchor is higher than the stored one.
type TrustBootstrapper interface {
	Bootstrap(ctx context.Context) (Anchor, error)
}
