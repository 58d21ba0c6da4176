package evm

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

// publishBlock publishes k records in one block, mines two more, and
// returns the records as a source reads them.
func publishBlock(t *testing.T, n *testNet, c *Chain, k int) []relayer.Record {
	t.Helper()
	from := n.head() + 1
	for i := range k {
		n.publish(string(dstName), "receiver-1", "text/plain", []byte{byte('a' + i%26), byte(i)})
	}
	n.commit(3) // the block and two above it: final with confirmations up to 2
	b, err := c.Source(config.Selector{}, from).Poll(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Records) != k {
		t.Fatalf("read %d records, published %d", len(b.Records), k)
	}
	return b.Records
}

// proveAll proves recs at once, as the engine's workers do.
func proveAll(c *Chain, recs []relayer.Record, anchor relayer.Anchor) ([]*relayer.Evidence, []error) {
	evs, errs := make([]*relayer.Evidence, len(recs)), make([]error, len(recs))
	var wg sync.WaitGroup
	for i := range recs {
		wg.Go(func() { evs[i], errs[i] = c.Prover().Prove(context.Background(), &recs[i], anchor) })
	}
	wg.Wait()
	return evs, errs
}

// TestProveManySharesReads proves the records of one block at once: they
// share final-height reads, the header and eth_getProof calls, and each
// bundle still proves its own record.
func TestProveManySharesReads(t *testing.T) {
	for _, mode := range []string{"finality", "qbft"} {
		t.Run(mode, func(t *testing.T) {
			n := newTestNet(t)
			p := newRPCProxy(t, n.ipc)
			cfg := n.evmConfig("finality", 0)
			cfg.Trust.Confirmations = 1
			var anchor relayer.Anchor
			var c *Chain
			if mode == "qbft" {
				sealer := mustSealer(t, 4)
				cfg = n.evmConfig("qbft", 0)
				for i := range 4 {
					cfg.Trust.Validators = append(cfg.Trust.Validators, sealer.Address(i).Hex())
				}
				cfg.RPC = []string{p.URL()}
				c = newChain(t, srcName, cfg, Options{WrapHeaders: func(_ string, r HeaderReader) HeaderReader {
					return newResealer(r, qbft.QBFT, sealer, fixedSet(4))
				}})
			} else {
				cfg.RPC = []string{p.URL()}
				c = newChain(t, srcName, cfg, Options{})
			}
			anchor = bootstrap(t, c)
			const k = 150
			recs := publishBlock(t, n, c, k)
			evs, errs := proveAll(c, recs, anchor)
			for i, err := range errs {
				if err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
				ev := evs[i]
				var inc Inclusion
				if err := json.Unmarshal(ev.Inclusion, &inc); err != nil {
					t.Fatal(err)
				}
				if inc.Slot != CommitmentSlot(recs[i].ID) {
					t.Fatalf("record %d: evidence proves slot %s, want %s", i, inc.Slot.Hex(), CommitmentSlot(recs[i].ID).Hex())
				}
				if _, err := relayer.VerifyEvidence(ev, anchor, c.Verifier(), ev.ProvenAt); err != nil {
					t.Fatalf("record %d: verify: %v", i, err)
				}
			}
			proofs := p.callsOf("eth_getProof")
			keys := 0
			for _, call := range proofs {
				var slots []string
				if err := json.Unmarshal(call.Params[1], &slots); err != nil {
					t.Fatal(err)
				}
				if len(slots) > maxProofKeys {
					t.Fatalf("one eth_getProof asked for %d slots, the bound is %d", len(slots), maxProofKeys)
				}
				keys += len(slots)
			}
			headers := len(p.callsOf("eth_getBlockByNumber")) + len(p.callsOf("eth_blockNumber"))
			t.Logf("%d records: %d eth_getProof calls for %d slots; %d block and head reads", k, len(proofs), keys, headers)
			if keys != k || len(proofs) >= k/2 || len(proofs) < (k+maxProofKeys-1)/maxProofKeys {
				t.Fatalf("%d eth_getProof calls for %d slots, %d records: the workers did not share them", len(proofs), keys, k)
			}
			if headers >= k {
				t.Fatalf("%d header and head reads for %d records: the workers did not share them", headers, k)
			}
		})
	}
}

// TestProveManyRefusesShuffledProofs: an endpoint that answers a
// multi-slot eth_getProof with the storage proofs in another order must
// not get a record proven with another record's proof.
func TestProveManyRefusesShuffledProofs(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	cfg := n.evmConfig("finality", 1)
	cfg.RPC = []string{p.URL()}
	c := newChain(t, srcName, cfg, Options{})
	anchor := bootstrap(t, c)
	recs := publishBlock(t, n, c, 40)
	swap := func(method string, result json.RawMessage) json.RawMessage {
		if method != "eth_getProof" {
			return result
		}
		var res map[string]json.RawMessage
		var sp []json.RawMessage
		if json.Unmarshal(result, &res) != nil || json.Unmarshal(res["storageProof"], &sp) != nil || len(sp) < 2 {
			return result
		}
		sp[0], sp[1] = sp[1], sp[0]
		res["storageProof"], _ = json.Marshal(sp)
		out, _ := json.Marshal(res)
		return out
	}
	p.rewrite.Store(&swap)
	_, errs := proveAll(c, recs, anchor)
	refused := 0
	for i, err := range errs {
		switch {
		case err == nil:
		case strings.Contains(err.Error(), "in the place of"):
			refused++
		default:
			t.Fatalf("record %d: %v", i, err)
		}
	}
	if refused == 0 {
		t.Fatal("no record was refused: the swapped proofs went unnoticed (or no call carried two slots)")
	}
}
