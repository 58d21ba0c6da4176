package relayertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/liaison-gw/liaison/relayer"
)

// Destination is a fake destination ledger. A submission lands at once;
// Confirm can be made to answer ErrPending a few times first.
type Destination struct {
	Chain relayer.ChainID

	// FailSubmit, when set, is asked before a submission lands; an error
	// means it did not land.
	FailSubmit func(rec *relayer.Record) error
	// LandThenFail, when set and true for a record, lands the submission
	// and then returns an error, as a node does when the connection drops
	// after it accepted a transaction.
	LandThenFail func(rec *relayer.Record) bool
	// PendingConfirms is how many times Confirm answers ErrPending for
	// each transaction before it answers final.
	PendingConfirms int
	// Alive, when set and false, makes every call fail with ErrUnavailable
	// before it reaches the ledger: the process that made it is dead.
	Alive func() bool

	mu      sync.Mutex
	landed  map[relayer.RecordID]int // landings per record
	order   []relayer.RecordID       // first landings, in order
	txs     map[string]relayer.RecordID
	pending map[string]int

	// Submits counts submissions that reached the ledger, and Duplicates
	// those that landed a record a second time (a new transaction for a
	// record already delivered).
	Submits    atomic.Int64
	Duplicates atomic.Int64
}

// NewDestination returns an empty fake destination.
func NewDestination(chain relayer.ChainID) *Destination {
	return &Destination{Chain: chain, landed: map[relayer.RecordID]int{}, txs: map[string]relayer.RecordID{}, pending: map[string]int{}}
}

func (d *Destination) alive() error {
	if d.Alive != nil && !d.Alive() {
		return fmt.Errorf("%w: the relayer process is dead", relayer.ErrUnavailable)
	}
	return nil
}

// Submit implements relayer.Destination.
func (d *Destination) Submit(ctx context.Context, del relayer.Delivery) (string, error) {
	if err := d.alive(); err != nil {
		return "", err
	}
	if d.FailSubmit != nil {
		if err := d.FailSubmit(del.Record); err != nil {
			return "", err
		}
	}
	d.mu.Lock()
	tx := fmt.Sprintf("dst-tx-%s-%d", del.Record.ID.String()[:8], len(d.txs)+1)
	if len(del.Prepared) > 0 {
		tx = string(del.Prepared)
		if _, known := d.txs[tx]; known {
			d.mu.Unlock()
			return tx, nil // the same transaction again: "already known"
		}
	}
	d.land(tx, del.Record.ID)
	d.mu.Unlock()
	if d.LandThenFail != nil && d.LandThenFail(del.Record) {
		return "", fmt.Errorf("connection reset after the node accepted %s", tx)
	}
	return tx, nil
}

// land records a landing; d.mu must be held.
func (d *Destination) land(tx string, id relayer.RecordID) {
	d.Submits.Add(1)
	d.txs[tx] = id
	d.pending[tx] = d.PendingConfirms
	if d.landed[id] > 0 {
		d.Duplicates.Add(1)
	} else {
		d.order = append(d.order, id)
	}
	d.landed[id]++
}

// Delivered implements relayer.Destination.
func (d *Destination) Delivered(ctx context.Context, rec *relayer.Record) (bool, error) {
	if err := d.alive(); err != nil {
		return false, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.landed[rec.ID] > 0, nil
}

// Confirm implements relayer.Destination.
func (d *Destination) Confirm(ctx context.Context, rec *relayer.Record, txID string) error {
	if err := d.alive(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	id, ok := d.txs[txID]
	if !ok || id != rec.ID {
		return fmt.Errorf("%w: transaction %q is unknown", relayer.ErrNotLanded, txID)
	}
	if d.pending[txID] > 0 {
		d.pending[txID]--
		return relayer.ErrPending
	}
	return nil
}

// FinalizeAll makes every transaction landed so far final.
func (d *Destination) FinalizeAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for tx := range d.pending {
		d.pending[tx] = 0
	}
}

// Landed returns how many times the record landed.
func (d *Destination) Landed(id relayer.RecordID) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.landed[id]
}

// Order returns the records in the order they first landed.
func (d *Destination) Order() []relayer.RecordID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]relayer.RecordID(nil), d.order...)
}

// PreparingDestination is a Destination that prepares its submissions, as
// the EVM adapter signs a transaction ahead: submitting the same prepared
// bytes twice is one transaction.
type PreparingDestination struct {
	*Destination
	prepared atomic.Int64
}

// NewPreparingDestination returns an empty preparing fake destination.
func NewPreparingDestination(chain relayer.ChainID) *PreparingDestination {
	return &PreparingDestination{Destination: NewDestination(chain)}
}

// Prepare implements relayer.Preparer.
func (p *PreparingDestination) Prepare(ctx context.Context, del relayer.Delivery) (relayer.Prepared, error) {
	if err := p.alive(); err != nil {
		return relayer.Prepared{}, err
	}
	tx := fmt.Sprintf("signed-tx-%s-%d", del.Record.ID.String()[:8], p.prepared.Add(1))
	return relayer.Prepared{Data: []byte(tx), TxID: tx}, nil
}

// IsPreparedTx reports whether a transaction id came from Prepare.
func IsPreparedTx(tx string) bool { return strings.HasPrefix(tx, "signed-tx-") }

// BatchingDestination is a Destination that also delivers batches, as the
// EVM Inbox's batch entry point does: one transaction delivers each member
// with its single-record semantics, so a member already delivered is a
// no-op, not a second landing. The prepared bytes name the transaction and
// its members; sending them twice is one transaction.
type BatchingDestination struct {
	*Destination
	// MaxPerBatch, when positive, is how many records PrepareBatch takes
	// (a gas limit).
	MaxPerBatch int
	// Revert, when set and true for a batch's members, makes the batch's
	// transaction land and revert as a whole: Confirm answers ErrNotLanded
	// and no member is delivered.
	Revert func(ids []relayer.RecordID) bool
	// FailSubmitBatch, when set, is asked with the members of a batch
	// before it is sent; an error is SubmitBatch's, and the batch did not
	// reach the ledger.
	FailSubmitBatch func(ids []relayer.RecordID) error
	// FailPrepareBatch, when set, is asked with the members of a batch
	// before it is prepared; an error is PrepareBatch's.
	FailPrepareBatch func(ids []relayer.RecordID) error

	nextBatch atomic.Int64
	// Batches counts batch transactions that reached the ledger; Sizes
	// holds their sizes; Replays counts members that were already
	// delivered when their batch landed (no-ops on the ledger).
	Batches atomic.Int64
	Replays atomic.Int64

	bmu      sync.Mutex
	sizes    []int
	reverted map[string]bool
	members  map[string][]relayer.RecordID
}

// NewBatchingDestination returns an empty batching fake destination.
func NewBatchingDestination(chain relayer.ChainID) *BatchingDestination {
	return BatchingFor(NewDestination(chain))
}

// BatchingFor returns a batching fake destination on the ledger of d, for
// a test that turns batches on for a destination it used without.
func BatchingFor(d *Destination) *BatchingDestination {
	return &BatchingDestination{Destination: d, reverted: map[string]bool{}, members: map[string][]relayer.RecordID{}}
}

// PrepareBatch implements relayer.BatchDestination.
func (b *BatchingDestination) PrepareBatch(ctx context.Context, ds []relayer.Delivery) (relayer.Prepared, int, error) {
	if err := b.alive(); err != nil {
		return relayer.Prepared{}, 0, err
	}
	n := len(ds)
	if b.MaxPerBatch > 0 {
		n = min(n, b.MaxPerBatch)
	}
	if b.FailPrepareBatch != nil {
		ids := make([]relayer.RecordID, n)
		for i, d := range ds[:n] {
			ids[i] = d.Record.ID
		}
		if err := b.FailPrepareBatch(ids); err != nil {
			return relayer.Prepared{}, 0, err
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "batch-tx-%d", b.nextBatch.Add(1))
	for _, d := range ds[:n] {
		sb.WriteString("|" + d.Record.ID.String())
	}
	data := []byte(sb.String())
	return relayer.Prepared{Data: data, TxID: strings.SplitN(sb.String(), "|", 2)[0]}, n, nil
}

// SubmitBatch implements relayer.BatchDestination.
func (b *BatchingDestination) SubmitBatch(ctx context.Context, prepared []byte) (string, error) {
	if err := b.alive(); err != nil {
		return "", err
	}
	if b.FailSubmitBatch != nil {
		if err := b.FailSubmitBatch(batchMembers(prepared)); err != nil {
			return "", err
		}
	}
	return b.Land(prepared)
}

// batchMembers returns the record IDs prepared batch bytes name (none
// for bytes that are not a prepared batch).
func batchMembers(prepared []byte) []relayer.RecordID {
	var ids []relayer.RecordID
	for _, p := range strings.Split(string(prepared), "|")[1:] {
		if id, err := relayer.ParseRecordID(p); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Land lands prepared batch bytes as the ledger would, whoever sends
// them; the same bytes a second time are the same transaction.
func (b *BatchingDestination) Land(prepared []byte) (string, error) {
	parts := strings.Split(string(prepared), "|")
	tx := parts[0]
	if !strings.HasPrefix(tx, "batch-tx-") || len(parts) < 2 {
		return "", fmt.Errorf("%w: %q is not a prepared batch", relayer.ErrNotLanded, prepared)
	}
	ids := make([]relayer.RecordID, 0, len(parts)-1)
	for _, p := range parts[1:] {
		id, err := relayer.ParseRecordID(p)
		if err != nil {
			return "", fmt.Errorf("%w: %v", relayer.ErrNotLanded, err)
		}
		ids = append(ids, id)
	}
	b.bmu.Lock()
	defer b.bmu.Unlock()
	if _, known := b.members[tx]; known {
		return tx, nil // "already known"
	}
	b.members[tx] = ids
	b.Batches.Add(1)
	b.sizes = append(b.sizes, len(ids))
	if b.Revert != nil && b.Revert(ids) {
		b.reverted[tx] = true
		return tx, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Submits.Add(1)
	b.pending[tx] = b.PendingConfirms
	for _, id := range ids {
		if b.landed[id] > 0 {
			b.Replays.Add(1)
			continue
		}
		b.order = append(b.order, id)
		b.landed[id]++
	}
	return tx, nil
}

// Confirm implements relayer.Destination, for single and batch
// transactions.
func (b *BatchingDestination) Confirm(ctx context.Context, rec *relayer.Record, txID string) error {
	if !strings.HasPrefix(txID, "batch-tx-") {
		return b.Destination.Confirm(ctx, rec, txID)
	}
	if err := b.alive(); err != nil {
		return err
	}
	b.bmu.Lock()
	ids, known := b.members[txID]
	reverted := b.reverted[txID]
	b.bmu.Unlock()
	if !known || !slices.Contains(ids, rec.ID) {
		return fmt.Errorf("%w: batch transaction %q is unknown or does not hold the record", relayer.ErrNotLanded, txID)
	}
	if reverted {
		return fmt.Errorf("%w: batch transaction %s reverted", relayer.ErrNotLanded, txID)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending[txID] > 0 {
		b.pending[txID]--
		return relayer.ErrPending
	}
	return nil
}

// PreparedBatches returns how many batches were prepared.
func (b *BatchingDestination) PreparedBatches() int64 { return b.nextBatch.Load() }

// Sizes returns the sizes of the batch transactions that reached the
// ledger, in order.
func (b *BatchingDestination) Sizes() []int {
	b.bmu.Lock()
	defer b.bmu.Unlock()
	return slices.Clone(b.sizes)
}
