//go:build e2e

package e2e

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// batchRoutes is the batch policy of the batching tests: up to 25 records
// per attestBatch transaction.
const batchRoutes = "    batch: {max_records: 25, max_wait: 500ms, concurrency: 2}\n"

// TestEVMBatchesKill relays in batches between two real geth --dev nodes,
// A→B unordered and B→A ordered, and kills liaison with SIGKILL several
// times at random moments while records flow (between a batch's
// preparation and its submission, among others). On chain: every record
// attested exactly once, in fewer transactions than records, and B→A in
// source order.
//
// LIAISON_KILL_N sets the records per route (default 150); `make
// soak-kill` runs it with 2,000 and more kills.
func TestEVMBatchesKill(t *testing.T) {
	// Runs beside the other geth-only tests: it mostly waits on blocks.
	t.Parallel()
	perRoute, kills := 150, 4
	if s := os.Getenv("LIAISON_KILL_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("LIAISON_KILL_N=%q: want a positive number", s)
		}
		perRoute, kills = n, max(4, n/200)
	}
	x := setupEVMEVMWith(t, "ordered", batchRoutes)
	ab := x.a.publish(t, x.outA, "chain-b", perRoute, "batch-ab")
	ba := x.b.publish(t, x.outB, "chain-a", perRoute, "batch-ba")
	done := func() bool {
		return len(x.b.attestations(t, x.inB)) == perRoute && len(x.a.attestations(t, x.inA)) == perRoute
	}
	killed := 0
	for ; killed < kills && !done(); killed++ {
		lp := x.startLiaison(t)
		time.Sleep(time.Duration(500+rand.IntN(2500)) * time.Millisecond)
		lp.stop(t, syscall.SIGKILL)
	}
	t.Logf("liaison killed %d times", killed)
	lp := x.startLiaison(t)
	waitFor(t, "every record attested on both chains", max(5*time.Minute, time.Duration(perRoute)*200*time.Millisecond), done)
	if code := lp.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("liaison exited %d on SIGTERM", code)
	}
	for _, c := range []struct {
		n     *gethNode
		inbox common.Address
		ids   [][32]byte
	}{{x.b, x.inB, ab}, {x.a, x.inA, ba}} {
		att := c.n.attestations(t, c.inbox)
		for _, id := range c.ids {
			if att[id] != 1 {
				t.Errorf("%s: record %x attested %d times, want 1", c.n.name, id, att[id])
			}
		}
		txs, order := c.n.attestationTxs(t, c.inbox)
		if len(txs) >= len(c.ids) {
			t.Errorf("%s: %d records in %d transactions: not batched", c.n.name, len(c.ids), len(txs))
		}
		t.Logf("%s: %d records attested in %d transactions", c.n.name, len(c.ids), len(txs))
		if c.n == x.a {
			for i, id := range order {
				if id != ba[i] {
					t.Fatalf("ordered route: attestation %d is not record %d", i, i+1)
				}
			}
		}
	}
}

// attestationTxs returns the transactions that carry the Inbox's Attested
// events, and the attested record IDs in chain order.
func (n *gethNode) attestationTxs(t testing.TB, inbox common.Address) (map[common.Hash]bool, [][32]byte) {
	t.Helper()
	logs, err := n.client.FilterLogs(context.Background(), ethereumFilter(inbox))
	if err != nil {
		t.Fatalf("%s: logs: %v", n.name, err)
	}
	ib := contracts.NewInbox()
	txs := map[common.Hash]bool{}
	var order [][32]byte
	for _, l := range logs {
		if ev, err := ib.UnpackAttestedEvent(&l); err == nil {
			txs[l.TxHash] = true
			order = append(order, ev.Id)
		}
	}
	return txs, order
}
