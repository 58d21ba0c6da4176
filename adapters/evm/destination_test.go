package evm

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// attestor returns the destination of attestor i (0..2) on the test net,
// in finality mode with one confirmation.
func attestor(t testing.TB, n *testNet, a account, opts Options) (*Chain, *destination) {
	t.Helper()
	c := newChain(t, dstName, withKey(t, n.evmConfig("finality", 1), a), opts)
	d, err := c.Destination()
	if err != nil {
		t.Fatal(err)
	}
	return c, d.(*destination)
}

// publishN publishes k records to dest, ten per block, and reads them.
func publishN(t testing.TB, n *testNet, dest string, k int) []relayer.Record {
	t.Helper()
	for i := range k {
		n.publish(dest, "receiver", "text/plain", []byte(fmt.Sprintf("record %d to %s", i, dest)))
		if i%10 == 9 || i == k-1 {
			n.commit(1)
		}
	}
	reader := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	recs, _ := pollAll(t, reader.Source(config.Selector{Destination: dest}, 0), k)
	return recs
}

func delivery(rec *relayer.Record) relayer.Delivery {
	return relayer.Delivery{Record: rec, EvidenceHash: sha256.Sum256([]byte("evidence of " + rec.ID.String()))}
}

// submit prepares and submits a delivery, as the engine does.
func submit(t testing.TB, n *testNet, d *destination, rec *relayer.Record) (relayer.Prepared, string) {
	t.Helper()
	del := delivery(rec)
	p, err := d.Prepare(context.Background(), del)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	del.Prepared = p.Data
	txID, err := d.Submit(context.Background(), del)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if txID != p.TxID {
		t.Fatalf("submit returned %s, prepared %s", txID, p.TxID)
	}
	waitSent(t, n, d, p)
	return p, txID
}

// waitSent waits until the pool holds the prepared transaction as pending
// (see testNet.waitPending).
func waitSent(t testing.TB, n *testNet, d *destination, p relayer.Prepared) {
	t.Helper()
	var tx types.Transaction
	if err := tx.UnmarshalBinary(p.Data); err != nil {
		t.Fatal(err)
	}
	n.waitPending(d.s.addr, tx.Nonce()+1)
}

func confirm(t testing.TB, d *destination, rec *relayer.Record, txID string) error {
	t.Helper()
	return d.Confirm(context.Background(), rec, txID)
}

func delivered(t testing.TB, d *destination, rec *relayer.Record) bool {
	t.Helper()
	ok, err := d.Delivered(context.Background(), rec)
	if err != nil {
		t.Fatalf("delivered: %v", err)
	}
	return ok
}

func TestDestinationTwoOfThree(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	var d [3]*destination
	for i := range d {
		_, d[i] = attestor(t, n, n.att[i], Options{})
	}
	_, tx1 := submit(t, n, d[0], rec)
	if err := confirm(t, d[0], rec, tx1); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("before mining: got %v, want ErrPending", err)
	}
	n.commit(1)
	if err := confirm(t, d[0], rec, tx1); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("mined, not final: got %v, want ErrPending", err)
	}
	if delivered(t, d[0], rec) {
		t.Fatal("Delivered read a state that is not final")
	}
	n.commit(1)
	if err := confirm(t, d[0], rec, tx1); err != nil {
		t.Fatalf("final: %v", err)
	}
	if !delivered(t, d[0], rec) || delivered(t, d[1], rec) || delivered(t, d[2], rec) {
		t.Fatal("after one attestation, only attestor 1's delivery is done")
	}
	_, tx2 := submit(t, n, d[1], rec)
	n.commit(2)
	if err := confirm(t, d[1], rec, tx2); err != nil {
		t.Fatalf("second attestation: %v", err)
	}
	if !delivered(t, d[2], rec) {
		t.Fatal("after two of three attestations the record is delivered, also for the third attestor")
	}
	out, err := d[2].c.eps[0].ethCall(context.Background(), n.deployer.addr, n.inbox, d[2].c.inboxABI.PackIsDelivered(rec.ID), -2)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := d[2].c.inboxABI.UnpackIsDelivered(out); err != nil || !ok {
		t.Fatalf("Inbox.isDelivered: %v, %v", ok, err)
	}
}

// TestDestinationDeliveredConflict attests a record altered after it left
// the source (same ID, other receiver): Delivered must then raise the
// conflict instead of answering false forever.
func TestDestinationDeliveredConflict(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	_, d := attestor(t, n, n.att[0], Options{})
	altered := *rec
	altered.Receiver = "mallory"
	_, tx := submit(t, n, d, &altered)
	n.commit(2)
	if err := confirm(t, d, &altered, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Delivered(context.Background(), rec); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("got %v, want ErrPermanent for a conflicting attestation", err)
	}
}

// TestDestinationConcurrentPrepare prepares 50 records at once with one key:
// the nonces must be 50 distinct consecutive numbers, and all land.
func TestDestinationConcurrentPrepare(t *testing.T) {
	n := newTestNet(t)
	recs := publishN(t, n, string(dstName), 50)
	c, d := attestor(t, n, n.att[0], Options{})
	// A second destination of the same chain and key shares the nonces.
	d2, err := c.Destination()
	if err != nil {
		t.Fatal(err)
	}
	start, err := n.client.PendingNonceAt(context.Background(), n.att[0].addr)
	if err != nil {
		t.Fatal(err)
	}
	prepared := make([]relayer.Prepared, len(recs))
	var wg sync.WaitGroup
	errs := make(chan error, len(recs))
	for i := range recs {
		wg.Go(func() {
			dst := relayer.Destination(d)
			if i%2 == 1 {
				dst = d2
			}
			p, err := dst.(relayer.Preparer).Prepare(context.Background(), delivery(&recs[i]))
			prepared[i] = p
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var nonces []uint64
	for _, p := range prepared {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(p.Data); err != nil {
			t.Fatal(err)
		}
		nonces = append(nonces, tx.Nonce())
	}
	slices.Sort(nonces)
	for i, nonce := range nonces {
		if nonce != start+uint64(i) {
			t.Fatalf("nonces %v: want %d consecutive from %d", nonces, len(recs), start)
		}
	}
	for i := range recs {
		del := delivery(&recs[i])
		del.Prepared = prepared[i].Data
		if _, err := d.Submit(context.Background(), del); err != nil {
			t.Fatal(err)
		}
	}
	n.waitPending(n.att[0].addr, start+uint64(len(recs)))
	n.commit(2)
	for i := range recs {
		if err := confirm(t, d, &recs[i], prepared[i].TxID); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
}

// TestDestinationResubmitIsOneTransaction sends the same prepared bytes
// three times (twice pending, once mined): one transaction, one hash.
func TestDestinationResubmitIsOneTransaction(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	_, d := attestor(t, n, n.att[0], Options{})
	p, tx := submit(t, n, d, rec)
	del := delivery(rec)
	del.Prepared = p.Data
	if again, err := d.Submit(context.Background(), del); err != nil || again != tx {
		t.Fatalf("resubmit while pending: %s, %v", again, err)
	}
	n.commit(1)
	block, err := n.client.BlockByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(block.Transactions()) != 1 || block.Transactions()[0].Hash().Hex() != tx {
		t.Fatalf("block has %d transactions, want exactly ours", len(block.Transactions()))
	}
	// Mined: the node now says "nonce too low", and the receipt is ours.
	if again, err := d.Submit(context.Background(), del); err != nil || again != tx {
		t.Fatalf("resubmit after mining: %s, %v", again, err)
	}
	n.commit(1)
	if err := confirm(t, d, rec, tx); err != nil {
		t.Fatal(err)
	}
}

// TestDestinationNonceUsedByAnotherTransaction: the prepared transaction's
// nonce is taken by another one before it is sent.
func TestDestinationNonceUsedByAnotherTransaction(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	_, d := attestor(t, n, n.att[0], Options{})
	del := delivery(rec)
	p, err := d.Prepare(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	var prepared types.Transaction
	if err := prepared.UnmarshalBinary(p.Data); err != nil {
		t.Fatal(err)
	}
	other := selfTransfer(t, n, n.att[0], prepared.Nonce(), big.NewInt(1e12))
	n.mined(other)
	del.Prepared = p.Data
	if _, err := d.Submit(context.Background(), del); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("got %v, want ErrNotLanded", err)
	}
	// The next preparation uses a fresh nonce.
	p2, err := d.Prepare(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	var next types.Transaction
	if err := next.UnmarshalBinary(p2.Data); err != nil || next.Nonce() != prepared.Nonce()+1 {
		t.Fatalf("next nonce %d, want %d (%v)", next.Nonce(), prepared.Nonce()+1, err)
	}
}

// selfTransfer signs a zero-value transfer of a to itself.
func selfTransfer(t testing.TB, n *testNet, a account, nonce uint64, feeCap *big.Int) *types.Transaction {
	t.Helper()
	tx, err := types.SignNewTx(a.key, types.LatestSignerForChainID(n.chainID), &types.DynamicFeeTx{
		ChainID: n.chainID, Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: feeCap, Gas: 21000, To: &a.addr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.client.SendTransaction(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestDestinationReplacesStuckTransaction submits an attest whose fee cap
// is below the base fee: it stays in the pool until Confirm, after
// gas.stuck_after on the injected clock, replaces it with a higher fee.
func TestDestinationReplacesStuckTransaction(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	clock := newFakeClock()
	c, d := attestor(t, n, n.att[0], Options{Now: clock.Now})
	del := delivery(rec)
	nonce, err := n.client.PendingNonceAt(context.Background(), n.att[0].addr)
	if err != nil {
		t.Fatal(err)
	}
	cheap, err := types.SignNewTx(n.att[0].key, types.LatestSignerForChainID(n.chainID), &types.DynamicFeeTx{
		ChainID: n.chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(1), Gas: 400000, To: &n.inbox,
		Data: c.inboxABI.PackAttest(inboxRecord(rec), del.EvidenceHash),
	})
	if err != nil {
		t.Fatal(err)
	}
	del.Prepared, _ = cheap.MarshalBinary()
	txID, err := d.Submit(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	n.waitPending(n.att[0].addr, nonce+1)
	n.commit(1)
	if err := confirm(t, d, rec, txID); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("underpriced: got %v, want ErrPending", err)
	}
	if len(d.s.txsOf(d.s.slotOf(cheap.Hash()))) != 1 {
		t.Fatal("replaced before gas.stuck_after")
	}
	clock.Advance(c.cfg.Gas.StuckAfter + time.Second)
	if err := confirm(t, d, rec, txID); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("stuck: got %v, want ErrPending", err)
	}
	txs := d.s.txsOf(d.s.slotOf(cheap.Hash()))
	if len(txs) != 2 || txs[0].Nonce() != nonce || txs[0].GasFeeCap().Cmp(big.NewInt(1)) <= 0 {
		t.Fatalf("want one replacement with the same nonce and a higher fee, have %d transactions", len(txs))
	}
	n.commit(2)
	if err := confirm(t, d, rec, txID); err != nil {
		t.Fatalf("the replacement landed; confirming the original id: %v", err)
	}
	if !delivered(t, d, rec) {
		t.Fatal("the replacement's attestation is not visible")
	}
}

// TestDestinationFillsNonceGap prepares two transactions and sends only the
// second: after gas.stuck_after, Confirm fills the first nonce with a
// transfer to ourselves, and the first prepared transaction then cannot
// land.
func TestDestinationFillsNonceGap(t *testing.T) {
	n := newTestNet(t)
	recs := publishN(t, n, string(dstName), 2)
	clock := newFakeClock()
	c, d := attestor(t, n, n.att[0], Options{Now: clock.Now})
	delA, delB := delivery(&recs[0]), delivery(&recs[1])
	pA, err := d.Prepare(context.Background(), delA)
	if err != nil {
		t.Fatal(err)
	}
	pB, err := d.Prepare(context.Background(), delB)
	if err != nil {
		t.Fatal(err)
	}
	delB.Prepared = pB.Data
	if _, err := d.Submit(context.Background(), delB); err != nil {
		t.Fatal(err)
	}
	n.commit(1)
	if err := confirm(t, d, &recs[1], pB.TxID); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("waiting above a gap: got %v, want ErrPending", err)
	}
	clock.Advance(c.cfg.Gas.StuckAfter + time.Second)
	if err := confirm(t, d, &recs[1], pB.TxID); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("gap filled: got %v, want ErrPending", err)
	}
	waitSent(t, n, d, pB) // the filler, then B
	if got := len(d.s.txsOf(d.s.slotOf(common.HexToHash(pB.TxID)))); got != 1 {
		t.Fatalf("the transaction above the gap was replaced (%d versions): it waits for the gap, not for its fee", got)
	}
	n.commit(2)
	if err := confirm(t, d, &recs[1], pB.TxID); err != nil {
		t.Fatalf("after the gap was filled: %v", err)
	}
	delA.Prepared = pA.Data
	if _, err := d.Submit(context.Background(), delA); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("the transaction whose nonce was filled: got %v, want ErrNotLanded", err)
	}
}

// TestDestinationRevertedTransaction lets an attestation revert on chain
// (the attestor is removed between Prepare and Submit): Confirm reports
// ErrNotLanded with the decoded reason.
func TestDestinationRevertedTransaction(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	_, d := attestor(t, n, n.att[0], Options{})
	del := delivery(rec)
	p, err := d.Prepare(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	n.send(n.deployer, n.inbox, contracts.NewInbox().PackRemoveAttestor(n.att[0].addr))
	del.Prepared = p.Data
	if _, err := d.Submit(context.Background(), del); err != nil {
		t.Fatal(err)
	}
	waitSent(t, n, d, p)
	n.commit(2)
	err = confirm(t, d, rec, p.TxID)
	if !errors.Is(err, relayer.ErrNotLanded) || !strings.Contains(err.Error(), "NotAttestor("+n.att[0].addr.Hex()+")") {
		t.Fatalf("got %v, want ErrNotLanded naming NotAttestor", err)
	}
}

// TestDestinationPermanentRefusals: the Inbox refuses at estimation, so
// Prepare fails with ErrPermanent naming the contract error.
func TestDestinationPermanentRefusals(t *testing.T) {
	n := newTestNet(t)
	elsewhere := &publishN(t, n, "elsewhere", 1)[0]
	rec := &publishN(t, n, string(dstName), 1)[0]
	_, d := attestor(t, n, n.att[0], Options{})
	if _, err := d.Prepare(context.Background(), delivery(elsewhere)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), `WrongDestination("elsewhere")`) {
		t.Fatalf("record for another destination: got %v", err)
	}
	_, stranger := attestor(t, n, n.stranger, Options{})
	if _, err := stranger.Prepare(context.Background(), delivery(rec)); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "NotAttestor") {
		t.Fatalf("non-attestor key: got %v", err)
	}
	// No nonce was spent on the refusals.
	p, err := d.Prepare(context.Background(), delivery(rec))
	if err != nil {
		t.Fatal(err)
	}
	var tx types.Transaction
	if err := tx.UnmarshalBinary(p.Data); err != nil || tx.Nonce() != 0 {
		t.Fatalf("nonce %d after refusals, want 0 (%v)", tx.Nonce(), err)
	}
}

func TestDestinationNeedsKeyAndInbox(t *testing.T) {
	n := newTestNet(t)
	c := newChain(t, dstName, n.evmConfig("finality", 1), Options{})
	if _, err := c.Destination(); err == nil || !strings.Contains(err.Error(), "signer.key") {
		t.Fatalf("no key: got %v", err)
	}
	cfg := withKey(t, n.evmConfig("finality", 1), n.att[0])
	cfg.Inbox = ""
	c = newChain(t, dstName, cfg, Options{})
	if _, err := c.Destination(); err == nil || !strings.Contains(err.Error(), "inbox") {
		t.Fatalf("no inbox: got %v", err)
	}
}

// TestDestinationSubmitUnavailable sends through an endpoint that is down:
// nothing sent is ErrUnavailable, a connection dropped after the request
// may have landed and is not.
func TestDestinationSubmitUnavailable(t *testing.T) {
	n := newTestNet(t)
	rec := &publishN(t, n, string(dstName), 1)[0]
	p := newRPCProxy(t, n.ipc)
	cfg := withKey(t, n.evmConfig("finality", 1), n.att[0])
	cfg.RPC = []string{p.URL()}
	c := newChain(t, dstName, cfg, Options{})
	dst, err := c.Destination()
	if err != nil {
		t.Fatal(err)
	}
	d := dst.(*destination)
	del := delivery(rec)
	prep, err := d.Prepare(context.Background(), del)
	if err != nil {
		t.Fatal(err)
	}
	del.Prepared = prep.Data
	p.mode.Store(proxy503)
	if _, err := d.Submit(context.Background(), del); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("503: got %v, want ErrUnavailable", err)
	}
	if _, err := d.Delivered(context.Background(), rec); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("Delivered with the endpoint down: got %v, want ErrUnavailable", err)
	}
	if err := d.Confirm(context.Background(), rec, prep.TxID); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("Confirm with the endpoint down: got %v, want ErrUnavailable", err)
	}
	p.mode.Store(proxyHangUp)
	if _, err := d.Submit(context.Background(), del); err == nil || errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("connection dropped after sending: got %v, want an error that is not ErrUnavailable", err)
	}
	p.srv.Close()
	if _, err := d.Submit(context.Background(), del); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("connection refused: got %v, want ErrUnavailable", err)
	}
}

// TestDestinationConfirmAfterRestart confirms with a fresh Chain, which
// knows none of the transactions: a mined one by its receipt, a pending one
// from the node's pool, an unknown one as not landed.
func TestDestinationConfirmAfterRestart(t *testing.T) {
	n := newTestNet(t)
	recs := publishN(t, n, string(dstName), 2)
	_, d := attestor(t, n, n.att[0], Options{})
	_, mined := submit(t, n, d, &recs[0])
	n.commit(2)
	_, pending := submit(t, n, d, &recs[1])

	_, fresh := attestor(t, n, n.att[0], Options{})
	if err := confirm(t, fresh, &recs[0], mined); err != nil {
		t.Fatalf("mined before the restart: %v", err)
	}
	if err := confirm(t, fresh, &recs[1], pending); !errors.Is(err, relayer.ErrPending) {
		t.Fatalf("pending before the restart: got %v, want ErrPending", err)
	}
	if err := confirm(t, fresh, &recs[1], common.HexToHash("0x1234").Hex()); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("unknown transaction: got %v, want ErrNotLanded", err)
	}
	if err := confirm(t, fresh, &recs[1], "not-a-hash"); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("malformed id: got %v, want ErrNotLanded", err)
	}
	// A prepared transaction signed by another key cannot be ours.
	_, other := attestor(t, n, n.att[1], Options{})
	op, err := other.Prepare(context.Background(), delivery(&recs[1]))
	if err != nil {
		t.Fatal(err)
	}
	del := delivery(&recs[1])
	del.Prepared = op.Data
	if _, err := fresh.Submit(context.Background(), del); !errors.Is(err, relayer.ErrNotLanded) {
		t.Fatalf("another key's transaction: got %v, want ErrNotLanded", err)
	}
}
