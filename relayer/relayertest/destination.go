package relayertest

import (
	"context"
	"fmt"
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
