package evm

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

func deliveries(recs []relayer.Record) []relayer.Delivery {
	out := make([]relayer.Delivery, len(recs))
	for i := range recs {
		out[i] = delivery(&recs[i])
	}
	return out
}

// submitBatch prepares and submits a batch, as the engine does, and waits
// for it in the pool.
func submitBatch(t testing.TB, n *testNet, d *destination, ds []relayer.Delivery) (relayer.Prepared, int) {
	t.Helper()
	p, k, err := d.PrepareBatch(context.Background(), ds)
	if err != nil {
		t.Fatalf("prepare batch: %v", err)
	}
	txID, err := d.SubmitBatch(context.Background(), p.Data)
	if err != nil {
		t.Fatalf("submit batch: %v", err)
	}
	if txID != p.TxID {
		t.Fatalf("submit returned %s, prepared %s", txID, p.TxID)
	}
	waitSent(t, n, d, p)
	return p, k
}

// TestDestinationBatch: two attestors of a 2-of-3 Inbox each send one
// batch of 30 records; after the second, every record is delivered, for
// the third attestor too. A batch sent again is one transaction, and a
// batch of records already delivered is a no-op that lands.
func TestDestinationBatch(t *testing.T) {
	n := newTestNet(t)
	recs := publishN(t, n, string(dstName), 30)
	var d [3]*destination
	for i := range d {
		_, d[i] = attestor(t, n, n.att[i], Options{})
	}
	ds := deliveries(recs)
	p0, k := submitBatch(t, n, d[0], ds)
	if k != len(ds) {
		t.Fatalf("prepared %d of %d records", k, len(ds))
	}
	// The same bytes again: "already known", the same transaction.
	if again, err := d[0].SubmitBatch(context.Background(), p0.Data); err != nil || again != p0.TxID {
		t.Fatalf("resubmit: %s, %v", again, err)
	}
	n.commit(2)
	if err := confirm(t, d[0], &recs[0], p0.TxID); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	for i := range recs {
		if !delivered(t, d[0], &recs[i]) || delivered(t, d[2], &recs[i]) {
			t.Fatalf("record %d: after one batch only attestor 1's delivery is done", i)
		}
	}
	p1, _ := submitBatch(t, n, d[1], ds)
	n.commit(2)
	if err := confirm(t, d[1], &recs[29], p1.TxID); err != nil {
		t.Fatalf("confirm second batch: %v", err)
	}
	for i := range recs {
		if !delivered(t, d[2], &recs[i]) {
			t.Fatalf("record %d not delivered after two of three attestors", i)
		}
	}
	// A batch of delivered records (a resumed batch whose members landed
	// meanwhile) lands and changes nothing.
	p2, _ := submitBatch(t, n, d[2], ds[:5])
	n.commit(2)
	if err := confirm(t, d[2], &recs[0], p2.TxID); err != nil {
		t.Fatalf("replay batch: %v", err)
	}
	r := n.mined(txOf(t, p2))
	if len(r.Logs) != 0 {
		t.Fatalf("a batch of delivered records emitted %d logs", len(r.Logs))
	}
}

// TestDestinationBatchGasBudget: on a chain whose blocks hold 4M gas, a
// batch of 60 records is cut to what fits half a block; the rest goes in
// the next batch, and every batch lands.
func TestDestinationBatchGasBudget(t *testing.T) {
	const blockGas = 4_000_000
	n := newTestNet(t, simulated.WithBlockGasLimit(blockGas))
	recs := publishN(t, n, string(dstName), 60)
	_, d := attestor(t, n, n.att[0], Options{})
	ds := deliveries(recs)
	var sizes []int
	for len(ds) > 0 {
		p, k := submitBatch(t, n, d, ds)
		if tx := txOf(t, p); tx.Gas() > blockGas/2 {
			t.Fatalf("a batch of %d records asks %d gas, over half the block's %d", k, tx.Gas(), blockGas)
		}
		n.commit(1)
		if r := n.mined(txOf(t, p)); r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("batch of %d reverted", k)
		}
		sizes = append(sizes, k)
		ds = ds[k:]
	}
	if len(sizes) < 2 {
		t.Fatalf("batch sizes %v: 60 records should not fit half a 4M block", sizes)
	}
	n.commit(2)
	for i := range recs {
		if !delivered(t, d, &recs[i]) {
			t.Fatalf("record %d not attested", i)
		}
	}
	t.Logf("batch sizes under a %d gas block: %v", blockGas, sizes)
}

// TestDestinationBatchRefused: a batch with a record for another chain is
// refused as a whole before any nonce is used, as ErrPermanent (the
// engine splits it).
func TestDestinationBatchRefused(t *testing.T) {
	n := newTestNet(t)
	recs := publishN(t, n, string(dstName), 3)
	_, d := attestor(t, n, n.att[0], Options{})
	recs[1].Destination = "elsewhere"
	_, _, err := d.PrepareBatch(context.Background(), deliveries(recs))
	if !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("got %v, want ErrPermanent", err)
	}
	// No nonce was spent: the next batch uses the first.
	recs[1].Destination = dstName
	p, _, err := d.PrepareBatch(context.Background(), deliveries(recs))
	if err != nil {
		t.Fatal(err)
	}
	if tx := txOf(t, p); tx.Nonce() != 0 {
		t.Fatalf("nonce %d after a refused batch, want 0", tx.Nonce())
	}
}

func txOf(t testing.TB, p relayer.Prepared) *types.Transaction {
	t.Helper()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(p.Data); err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestSourceReadsPublishBatch: records published by one publishBatch
// transaction are read as separate records, in sequence order, with the
// same transaction, and each proves and verifies on its own.
func TestSourceReadsPublishBatch(t *testing.T) {
	n := newTestNet(t)
	c := newChain(t, srcName, n.evmConfig("finality", 1), Options{})
	anchor := bootstrap(t, c)
	ob := contracts.NewOutbox()
	var msgs []contracts.OutboxMessage
	for i := range 4 {
		msgs = append(msgs, contracts.OutboxMessage{Destination: string(dstName), Receiver: "r", ContentType: "text/plain", Payload: []byte(fmt.Sprintf("batched %d", i))})
	}
	receipt := n.send(n.deployer, n.outbox, ob.PackPublishBatch(msgs))
	n.commit(2)
	reader := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	b, err := reader.Source(config.Selector{}, receipt.BlockNumber.Uint64()).Poll(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Records) != 4 {
		t.Fatalf("read %d records, want 4", len(b.Records))
	}
	for i, rec := range b.Records {
		if string(rec.Payload) != fmt.Sprintf("batched %d", i) || rec.Source.TxID != receipt.TxHash.Hex() ||
			i > 0 && rec.Source.Sequence != b.Records[i-1].Source.Sequence+1 {
			t.Fatalf("record %d: %+v", i, rec.Source)
		}
		proveAndCheck(t, c, &b.Records[i], anchor)
	}
}
