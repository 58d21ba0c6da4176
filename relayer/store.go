package relayer

import (
	"context"
	"fmt"
	"time"
)

// State is where a record is in its route's pipeline.
//
//	observed → verified → submitting → submitted → confirmed
//	    ↘          ↘           ↘            ↘
//	                       dead  (attempts exhausted or permanent error)
//	                       skipped (operator)
//
// "proven" is recorded as an event; a record is stored as verified only
// after its evidence has been checked. "submitting" is written before the
// destination is called, so that after a crash the engine knows to ask the
// destination before it submits again.
type State string

// The record states.
const (
	StateObserved   State = "observed"
	StateVerified   State = "verified"
	StateSubmitting State = "submitting"
	StateSubmitted  State = "submitted"
	StateConfirmed  State = "confirmed"
	StateDead       State = "dead"
	StateSkipped    State = "skipped"
)

// Terminal reports whether a record in state s needs no more work.
func (s State) Terminal() bool { return s == StateConfirmed || s == StateSkipped }

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	switch s {
	case StateObserved, StateVerified, StateSubmitting, StateSubmitted, StateConfirmed, StateDead, StateSkipped:
		return true
	}
	return false
}

// Stage names a step of the timeline shown by `liaison trace`.
type Stage string

// Timeline stages.
const (
	StageObserved   Stage = "observed"
	StageProven     Stage = "proven"
	StageVerified   Stage = "verified"
	StagePrepared   Stage = "prepared"
	StageSubmitted  Stage = "submitted"
	StageConfirmed  Stage = "confirmed"
	StageFound      Stage = "found-delivered"
	StageRetry      Stage = "retry-scheduled"
	StageDead       Stage = "dead"
	StageOperator   Stage = "operator"
	StageSkipped    Stage = "skipped"
	StageNotLanded  Stage = "not-landed"
	StageAnchorMove Stage = "anchor-advanced"
)

// Event is one row of a record's timeline.
type Event struct {
	At      time.Time `json:"at"`
	Stage   Stage     `json:"stage"`
	Chain   ChainID   `json:"chain,omitempty"`
	TxID    string    `json:"tx_id,omitempty"`
	Attempt int       `json:"attempt,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Error   string    `json:"error,omitempty"`
}

// Key identifies one record on one route. The same record may travel on
// several routes (fan-out); each is delivered once.
type Key struct {
	Route string
	ID    RecordID
}

func (k Key) String() string { return fmt.Sprintf("%s/%s", k.Route, k.ID) }

// Entry is a record with its pipeline state, as stored.
type Entry struct {
	Record      Record
	State       State
	Attempts    int
	NextAt      time.Time // zero: due now
	Evidence    []byte    // encoded bundle, set from verified on
	Prepared    []byte    // Preparer output, set from submitting on
	DestTx      string    // destination transaction, once known
	Batch       string    // the batch delivering it, from submitting on; "" if none
	LastError   string
	TraceParent string // W3C traceparent of the record's trace
	ObservedAt  time.Time
	UpdatedAt   time.Time
}

// Key returns the entry's key.
func (e *Entry) Key() Key { return Key{Route: e.Record.Route, ID: e.Record.ID} }

// Transition moves one record from one state to another and appends events
// to its timeline. Stores apply it only if the record is still in From; a
// transition whose From no longer matches (an operator acted meanwhile) is
// dropped and reported in Applied.
type Transition struct {
	Key      Key
	From, To State
	Attempts int
	NextAt   time.Time
	// Evidence, Prepared and DestTx replace the stored values when non-nil
	// (non-empty for DestTx). LastError always replaces the stored value.
	Evidence  []byte
	Prepared  []byte
	DestTx    string
	LastError string
	Events    []Event
	// Batch, when non-empty, replaces the record's batch; ClearBatch
	// empties it. NewBatch, when set, is stored (once, by its ID) in the
	// same store transaction before the record is moved.
	Batch      string
	ClearBatch bool
	NewBatch   *BatchInfo
}

// BatchInfo is a batch submission as stored before it is first sent: the
// prepared bytes and their transaction id, shared by its members.
type BatchInfo struct {
	ID       string
	Route    string
	DestTx   string
	Prepared []byte
	Size     int // members when it was prepared
	Created  time.Time
}

// NewRecord is a record the source just observed.
type NewRecord struct {
	Record      Record
	TraceParent string
	Event       Event
}

// Filter selects entries for List and ListPage. Every field set must
// match; newest records come first.
type Filter struct {
	Route  string
	States []State
	Limit  int // zero means 100
	// SourceTx and DestTx match the record's source or destination
	// transaction exactly.
	SourceTx, DestTx string
	// Since and Until bound when the record was observed, [Since, Until);
	// a zero bound is open.
	Since, Until time.Time
	// After continues a listing: the Next of the page before.
	After string
	// PayloadField and PayloadValue, when PayloadField is set, keep the
	// records whose payload is a JSON object with that field (names
	// joined by dots for nested objects) equal to PayloadValue as text.
	// Stores scan for it: it is for an operator's search.
	PayloadField, PayloadValue string
}

// DueQuery selects the records of a route that are due for work: up to
// Limit entries in a non-terminal, non-dead state (or in one of States,
// when given) whose NextAt is at or before Now, earliest NextAt and then
// lowest sequence first, skipping the IDs in Exclude.
type DueQuery struct {
	Route   string
	Now     time.Time
	Limit   int
	Exclude map[RecordID]struct{}
	States  []State
	// Unbatched keeps only records that name no batch.
	Unbatched bool
}

// RecordStore holds records and their pipeline state. Returned slices and
// entries are owned by the caller.
type RecordStore interface {
	// Observe inserts records in state observed (ignoring keys already
	// stored) and sets the route's cursor, in one transaction.
	Observe(ctx context.Context, route string, recs []NewRecord, next Cursor) error
	// Cursor returns the route's stored cursor, or "" if none.
	Cursor(ctx context.Context, route string) (Cursor, error)
	// Due returns the entries q asks for.
	Due(ctx context.Context, q DueQuery) ([]Entry, error)
	// DueBatches returns the batches (up to q.Limit, earliest due first)
	// that have a member in submitting or submitted that q would return;
	// q.Exclude is ignored.
	DueBatches(ctx context.Context, q DueQuery) ([]string, error)
	// Apply applies transitions in one transaction and returns, for each,
	// whether it applied.
	Apply(ctx context.Context, ts []Transition) (applied []bool, err error)
	// Head returns the route's lowest-sequence record that is not
	// confirmed or skipped, or ErrNotFound.
	Head(ctx context.Context, route string) (Entry, error)
	// Open returns up to limit of the route's records that are not
	// confirmed or skipped, lowest sequence first (Head is the first).
	Open(ctx context.Context, route string, limit int) ([]Entry, error)
	// Batch returns a stored batch and its members that are not confirmed
	// or skipped, lowest sequence first; ErrNotFound if there is no such
	// batch.
	Batch(ctx context.Context, id string) (BatchInfo, []Entry, error)
}

// TrustStore keeps every anchor the relayer has trusted, per chain.
type TrustStore interface {
	// SaveAnchor stores a, unless an anchor with the same digest exists.
	SaveAnchor(ctx context.Context, a Anchor) error
	// LatestAnchor returns the chain's highest anchor, or ErrNotFound.
	LatestAnchor(ctx context.Context, chain ChainID) (Anchor, error)
	// AnchorByDigest returns a stored anchor of the chain, or ErrNotFound.
	AnchorByDigest(ctx context.Context, chain ChainID, digest string) (Anchor, error)
	// ReplaceAnchors stores a as the chain's only anchor, forgetting
	// every other, in one transaction.
	ReplaceAnchors(ctx context.Context, a Anchor) error
	// AnchorAt returns the chain's highest anchor at or below height h
	// (the latest stored among anchors of one height), or ErrNotFound.
	AnchorAt(ctx context.Context, chain ChainID, h Height) (Anchor, error)
}

// Inspector reads what operators look at.
type Inspector interface {
	Get(ctx context.Context, id RecordID) ([]Entry, error)
	List(ctx context.Context, f Filter) ([]Entry, error)
	// ListPage is List with the cursor of the next page, "" after the
	// last one. A cursor is opaque and stays valid while records are
	// added.
	ListPage(ctx context.Context, f Filter) (es []Entry, next string, err error)
	Timeline(ctx context.Context, key Key) ([]Event, error)
	Stats(ctx context.Context) ([]RouteStats, error)
	// StageTimes returns the stage times of the route's records whose
	// confirmation was stored in the query's window, earliest confirmation
	// first, in one read however many records it returns.
	StageTimes(ctx context.Context, q StageQuery) ([]StageTimes, error)
}

// StageQuery selects the confirmed records of one route for StageTimes.
type StageQuery struct {
	Route string // required
	// Since and Until bound when the confirmation was stored, [Since,
	// Until); a zero bound is open.
	Since, Until time.Time
}

// StageTimes is when one confirmed record passed each stage of its
// pipeline, read from its timeline. A zero time means the timeline has no
// such stage: Source is unknown for sources that cannot tell, and a record
// found delivered after a restart may have no submission.
type StageTimes struct {
	ID        RecordID
	Source    time.Time // committed on the source ledger (SourceRef.Time)
	Observed  time.Time // the observed event
	Proven    time.Time // the last proven event (proof fetched)
	Verified  time.Time // the last verified event
	Submitted time.Time // the last submitted event
	Confirmed time.Time // the confirmed or found-delivered event
}

// RouteStats summarises one route for metrics.
type RouteStats struct {
	Route         string
	Pending       int       // records not confirmed, skipped or dead
	Dead          int       // records waiting for an operator
	OldestPending time.Time // observation time of the oldest pending record; zero if none
}

// OperatorAction is an audited operator command.
type OperatorAction struct {
	Key    Key
	Actor  string
	Action string // "retry" or "skip"
	Reason string
	At     time.Time
}

// AuditEntry is one row of the audit table.
type AuditEntry struct {
	OperatorAction
	From, To State
}

// Operator applies audited operator commands.
type Operator interface {
	// Retry moves a dead record (or one in any non-terminal state) back to
	// the start of its pipeline with fresh attempts. If it had reached
	// submitting or submitted, it goes back there, so that the engine asks
	// the destination before submitting again.
	Retry(ctx context.Context, a OperatorAction) (from, to State, err error)
	// Skip marks a non-terminal record skipped; it will not be delivered.
	Skip(ctx context.Context, a OperatorAction) (from State, err error)
	// Audit lists operator actions, newest last.
	Audit(ctx context.Context, limit int) ([]AuditEntry, error)
}

// EngineStore is what the engine uses: records, anchors, and the route
// statistics its metrics read.
type EngineStore interface {
	RecordStore
	TrustStore
	Stats(ctx context.Context) ([]RouteStats, error)
}

// Store is everything the engine and the CLI need from storage.
type Store interface {
	RecordStore
	TrustStore
	Inspector
	Operator
	Close() error
}
