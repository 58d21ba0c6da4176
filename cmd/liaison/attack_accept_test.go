package main

// An attack on the trust models a route accepts. It failed on the
// code it was written against.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/holiman/uint256"

	"github.com/liaison-gw/liaison/adapters/evm"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

type listSource struct {
	mu   sync.Mutex
	recs []relayer.Record
}

func (s *listSource) Poll(_ context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(string(after))
	}
	end := min(len(s.recs), start+limit)
	return relayer.Batch{Records: append([]relayer.Record(nil), s.recs[start:end]...), Next: relayer.Cursor(strconv.Itoa(end)),
		Reached: relayer.Height(end), Head: relayer.Height(len(s.recs))}, nil
}

type bundleProver map[relayer.RecordID]*relayer.Evidence

func (p bundleProver) Prove(_ context.Context, rec *relayer.Record, _ relayer.Anchor) (*relayer.Evidence, error) {
	if ev, ok := p[rec.ID]; ok {
		return ev, nil
	}
	return nil, fmt.Errorf("%w: no bundle", relayer.ErrPermanent)
}

func testdataEvidence(t *testing.T, name string) *relayer.Evidence {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(evmTestdata, name))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := relayer.DecodeEvidence(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestAttackEmptyAcceptTakesAnyModel: config.Route.Proof.Accept says
// "empty accepts the source chain's own" trust model, but the wiring
// (routePolicy) hands the empty list to the engine, where empty accepts
// ANY model the verifier knows, and the engine checks evidence against any
// anchor the store ever held for the chain. The registry chain here runs
// under qbft now; it ran under rpc-finality before (its old anchor is the
// real one of adapters/evm/testdata). A prover fed by one lying endpoint
// names that old rpc-finality anchor with a header and state trie it made
// up, for a record the Outbox never published, and the engine delivers it:
// the route, configured without proof.accept, should have taken qbft
// evidence only.
func TestAttackEmptyAcceptTakesAnyModel(t *testing.T) {
	var route config.Route
	route.Name = "licences"
	route.Source.Chain, route.Destination.Chain = "registry", "procurement"
	pol := routePolicy(route) // no proof.accept, as in the README's first example
	pol.PollInterval, pol.ConfirmInterval = time.Millisecond, time.Millisecond
	pol.Retry = relayer.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond}

	finality := testdataEvidence(t, "evidence_rpc_finality.json")
	qbftNow := testdataEvidence(t, "evidence_qbft_skip.json").Anchor
	oldAnchor := finality.Anchor
	if oldAnchor.Chain != qbftNow.Chain || !bytes.Equal(oldAnchor.Emitter, qbftNow.Emitter) {
		t.Fatal("the testdata anchors are not of one chain and Outbox")
	}
	outbox := common.BytesToAddress(oldAnchor.Emitter)

	// The forgery: a record nobody published, in a state trie and a header
	// the attacker made, named by the hash the bundle itself gives.
	var fc evm.FinalityConsensus
	if err := json.Unmarshal(finality.Consensus, &fc); err != nil {
		t.Fatal(err)
	}
	header, err := ethheader.DecodeRLPHeader(fc.Header)
	if err != nil {
		t.Fatal(err)
	}
	rec := relayer.NewTestRecord("registry", outbox[:], 777, []byte("licence 777 (never issued)"))
	rec.Destination, rec.Receiver, rec.ContentType = "procurement", "receiver-1", "text/plain"
	rec.Source.Height, rec.Source.TxID = relayer.Height(header.Number.Uint64()), "0x02"
	slot, value := evm.CommitmentSlot(rec.ID), evm.RecordDigest(&rec)
	storage := newTrie(t)
	leaf, _ := rlp.EncodeToBytes(bytes.TrimLeft(value[:], "\x00"))
	if err := storage.Update(crypto.Keccak256(slot[:]), leaf); err != nil {
		t.Fatal(err)
	}
	state := newTrie(t)
	acc, _ := rlp.EncodeToBytes(&types.StateAccount{Nonce: 1, Balance: uint256.NewInt(0), Root: storage.Hash(), CodeHash: types.EmptyCodeHash[:]})
	if err := state.Update(crypto.Keccak256(outbox[:]), acc); err != nil {
		t.Fatal(err)
	}
	header.Root = state.Hash()
	hdr, _ := rlp.EncodeToBytes(header)
	con, _ := json.Marshal(evm.FinalityConsensus{ChainID: fc.ChainID, BlockHash: crypto.Keccak256Hash(hdr), Header: hdr})
	inc, _ := json.Marshal(evm.Inclusion{Address: outbox, Slot: slot, Value: value, BlockNumber: header.Number.Uint64(),
		AccountProof: prove(t, state, outbox[:]), StorageProof: prove(t, storage, slot[:])})
	forged := &relayer.Evidence{Version: relayer.EvidenceVersion, Ledger: relayer.LedgerEVM, TrustModel: evm.SchemeRPCFinality,
		Record: rec, Inclusion: inc, Consensus: con, Anchor: oldAnchor, ProvenAt: time.Now().UTC()}

	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "liaison.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	for _, a := range []relayer.Anchor{oldAnchor, qbftNow} { // finality first, then the switch to qbft
		if err := store.SaveAnchor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if cur, _ := store.LatestAnchor(ctx, "registry"); cur.Scheme != evm.SchemeQBFT {
		t.Fatalf("the chain's current anchor is %s, want qbft", cur.Scheme)
	}
	dst := relayertest.NewDestination("procurement")
	eng, err := relayer.NewEngine(relayer.Options{Store: store, ShutdownGrace: time.Second, Routes: []relayer.Route{{
		Name: route.Name, SourceChain: "registry", DestChain: "procurement",
		Source: &listSource{recs: []relayer.Record{rec}}, Prover: bundleProver{rec.ID: forged},
		Verifier:    evm.NewVerifier(evm.WithChain("registry"), evm.WithOutbox(outbox)),
		Destination: dst, Policy: pol,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	var e relayer.Entry
	deadline := time.Now().Add(30 * time.Second)
	for {
		es, err := store.Get(ctx, rec.ID)
		if err == nil && len(es) == 1 && (es[0].State == relayer.StateConfirmed || es[0].State == relayer.StateDead) {
			e = es[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the record did not settle")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if e.State != relayer.StateDead || dst.Landed(rec.ID) != 0 {
		t.Fatalf("a record the Outbox never published, on a made-up header under the chain's old rpc-finality anchor, went %s and landed %d time(s) on a route of a qbft chain configured without proof.accept (%s)",
			e.State, dst.Landed(rec.ID), e.LastError)
	}
}
