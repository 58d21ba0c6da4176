package fabric

// An attack on the revoking-anchor rule through the engine, with the real
// Fabric verifier. It failed on the code it was written against; it stays as a regression test.

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
	"github.com/liaison-gw/liaison/relayer/sqlitestore"
)

// scriptedSource serves the records the test appends, in order.
type scriptedSource struct {
	mu   sync.Mutex
	recs []relayer.Record
}

func (s *scriptedSource) add(r relayer.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, r)
}

func (s *scriptedSource) Poll(_ context.Context, after relayer.Cursor, limit int) (relayer.Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(string(after))
	}
	end := min(len(s.recs), start+limit)
	recs := append([]relayer.Record(nil), s.recs[start:end]...)
	return relayer.Batch{Records: recs, Next: relayer.Cursor(strconv.Itoa(end)), Reached: relayer.Height(end), Head: relayer.Height(len(s.recs))}, nil
}

// scriptedProver hands out prepared bundles and bootstraps the anchor.
type scriptedProver struct {
	anchor  relayer.Anchor
	bundles map[relayer.RecordID]*relayer.Evidence
}

func (p *scriptedProver) Bootstrap(context.Context) (relayer.Anchor, error) { return p.anchor, nil }

func (p *scriptedProver) Prove(_ context.Context, rec *relayer.Record, _ relayer.Anchor) (*relayer.Evidence, error) {
	ev, ok := p.bundles[rec.ID]
	if !ok {
		return nil, fmt.Errorf("%w: no bundle for %s", relayer.ErrPermanent, rec.ID)
	}
	return ev, nil
}

// txBlock adds a block at the next height, cut under config block last,
// with one PublishRecord of seq created and endorsed by the given
// identities, and returns the record and a bundle that names anchor and
// carries cfgs (with the anchor's block) when there are any.
func (s *synthetic) txBlock(seq, last uint64, creator *fabrictest.Identity, endorsers []*fabrictest.Identity, anchor relayer.Anchor, cfgs [][]byte) (relayer.Record, *relayer.Evidence) {
	s.t.Helper()
	rec := relayer.NewTestRecord("registry", []byte("records"), seq, []byte(fmt.Sprintf("record %d", seq)))
	rec.Destination, rec.Receiver, rec.ContentType = "procurement", "licensing", "text/plain"
	d, _ := RecordDigest(&rec)
	body, _ := json.Marshal(toChaincode(&rec))
	env, txID, err := s.n.EndorserTx(fabrictest.TxSpec{Creator: creator, Chaincode: "records", Endorsers: endorsers,
		Writes: []fabrictest.Write{{Namespace: "records", Key: StateKey(rec.ID), Value: d[:]}},
		Event:  EventRecordPublished, EventBody: body})
	if err != nil {
		s.t.Fatal(err)
	}
	num := s.add(last, env)
	rec.Source.Height, rec.Source.TxID = relayer.Height(num), txID
	cons := Consensus{ConfigBlocks: [][]byte{}}
	if len(cfgs) > 0 {
		cons = Consensus{ConfigBlocks: cfgs, AnchorBlock: s.blocks[anchor.Height]}
	}
	return rec, &relayer.Evidence{
		Version: relayer.EvidenceVersion, Ledger: relayer.LedgerFabric, TrustModel: TrustModel, Record: rec,
		Inclusion: mustMarshal(s.t, Inclusion{Block: s.blocks[num], TxIndex: 0, TxID: txID}),
		Consensus: mustMarshal(s.t, cons),
		Anchor:    anchor,
	}
}

// TestAttackIntermediateConfigNeverRevokes: a bundle that crosses several
// config blocks moves the engine's trust straight to the LAST one; the
// configs in between are never stored. inForce asks the store which anchor
// was in force at a record's height, so for every height between the first
// and the last of those config blocks it still answers "the old anchor",
// and the changes those configs made revoke nothing there.
//
// The channel: Org1, Org2, Org3 under the chaincode policy "any org"
// (as records-any in the captured vectors). Block 1 removes Org3 (its keys
// leaked; the other admins vote it out). Block 3 adds Org4. Block 4 is a
// genuine record, relayed with config blocks 1 and 3: the engine moves
// from the genesis anchor to block 3's. Then the attacker, who holds
// Org3's keys and the Raft orderer's (one orderer signs any block under
// ANY Writers), cuts block 2 again: a PublishRecord created and endorsed by
// Org3, cut under config 0. The verifier checks it under the genesis
// config, where Org3 is a member, and the engine lets it: inForce(genesis,
// 2) finds no anchor between heights 0 and 2. Under the config that was in
// force at block 2 (block 1's), Org3 endorses nothing.
func TestAttackIntermediateConfigNeverRevokes(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{AppOrgs: 3})
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	tc, err := fabproof.ParseConfigBlock(g)
	if err != nil {
		t.Fatal(err)
	}
	a0, err := newAnchor("registry", "records", fabproof.AnyOrg(), tc)
	if err != nil {
		t.Fatal(err)
	}
	s := &synthetic{t: t, n: n, blocks: [][]byte{g}, anchor: a0}
	leaked := n.AppOrgs[2]

	// Block 1: Org3 is removed, by the admins of Org1 and Org2.
	n.AppOrgs = n.AppOrgs[:2]
	env, err := n.UpdateTx(nil)
	if err != nil {
		t.Fatal(err)
	}
	c1 := s.add(uint64(len(s.blocks)), env)
	// Block 2: whatever the channel had there (here: a genuine record).
	s.txBlock(100, c1, n.AppOrgs[0].Client, []*fabrictest.Identity{n.AppOrgs[0].Peer()}, a0, nil)
	// Block 3: Org4 joins.
	org4, err := fabrictest.NewOrg("Org4MSP", true, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	n.AppOrgs = append(n.AppOrgs, org4)
	if env, err = n.UpdateTx(nil); err != nil {
		t.Fatal(err)
	}
	c3 := s.add(uint64(len(s.blocks)), env)
	// Block 4: a genuine record, proven from the genesis anchor across
	// config blocks 1 and 3, as the prover does.
	genuine, genuineEv := s.txBlock(1, c3, n.AppOrgs[0].Client, []*fabrictest.Identity{n.AppOrgs[0].Peer()}, a0, [][]byte{s.blocks[c1], s.blocks[c3]})

	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	next, err := relayer.VerifyEvidence(genuineEv, a0, v, time.Now())
	if err != nil {
		t.Fatalf("the genuine record: %v", err)
	}
	if next.Next.Height != relayer.Height(c3) {
		t.Fatalf("next anchor at %d, want %d", next.Next.Height, c3)
	}

	// The forgery: block 2 again, cut under config 0, by Org3's keys.
	s.blocks = s.blocks[:2]
	forged, forgedEv := s.txBlock(2, 0, leaked.Client, []*fabrictest.Identity{leaked.Peer()}, a0, nil)
	if forged.Source.Height != 2 {
		t.Fatalf("forged block at %d", forged.Source.Height)
	}
	// The verifier alone accepts it under the genesis anchor: that is what
	// the revoking rule is there to stop.
	if _, err := relayer.VerifyEvidence(forgedEv, a0, v, time.Now()); err != nil {
		t.Fatalf("the forged block does not even verify under the genesis anchor: %v", err)
	}

	// Control: had the engine stored block 1's config as an anchor, the
	// rule would refuse the forgery. It did not, because the bundle of
	// block 4 moved trust from block 0 straight to block 3.
	tc1, err := fabproof.ParseConfigBlock(s.blocks[c1])
	if err != nil {
		t.Fatal(err)
	}
	a1, err := newAnchor("registry", "records", fabproof.AnyOrg(), tc1)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("control: block 1's anchor stored", func(t *testing.T) {
		e, landed := relayForged(t, a0, v, nil, nil, forged, forgedEv, c3, []relayer.Anchor{a0, a1, next.Next})
		if e.State != relayer.StateDead || landed != 0 {
			t.Fatalf("refused only if block 1's anchor is known, but it was %s (%s)", e.State, e.LastError)
		}
	})
	e, landed := relayForged(t, a0, v, &genuine, genuineEv, forged, forgedEv, c3, nil)
	if e.State != relayer.StateDead || landed != 0 {
		t.Fatalf("a record created and endorsed only by Org3, in block %d, after the config of block %d removed Org3, was %s and landed %d time(s) (%s)",
			forged.Source.Height, c1, e.State, landed, e.LastError)
	}
}

// relayForged runs an engine that relays the genuine record, then the
// forged one, and returns the forged record's entry and how often it
// landed. The anchors in known are stored as trusted first; without a
// genuine record, the engine starts from them.
func relayForged(t *testing.T, a0 relayer.Anchor, v relayer.Verifier, genuine *relayer.Record, genuineEv *relayer.Evidence,
	forged relayer.Record, forgedEv *relayer.Evidence, c3 uint64, known []relayer.Anchor) (relayer.Entry, int) {
	t.Helper()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "liaison.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, a := range known {
		if err := store.SaveAnchor(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	src := &scriptedSource{}
	dst := relayertest.NewDestination("procurement")
	prover := &scriptedProver{anchor: a0, bundles: map[relayer.RecordID]*relayer.Evidence{forged.ID: forgedEv}}
	if genuine != nil {
		prover.bundles[genuine.ID] = genuineEv
	}
	eng, err := relayer.NewEngine(relayer.Options{Store: store, ShutdownGrace: time.Second, Routes: []relayer.Route{{
		Name: "registry-to-procurement", SourceChain: "registry", DestChain: "procurement",
		Source: src, Prover: prover, Verifier: v, Destination: dst,
		Policy: relayer.RoutePolicy{PollInterval: time.Millisecond, ConfirmInterval: time.Millisecond,
			Retry: relayer.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	settled := func(id relayer.RecordID) relayer.Entry {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if es, err := store.Get(ctx, id); err == nil && len(es) == 1 && (es[0].State == relayer.StateConfirmed || es[0].State == relayer.StateDead) {
				return es[0]
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("record %s did not settle", id)
		return relayer.Entry{}
	}
	if genuine != nil {
		src.add(*genuine)
		if e := settled(genuine.ID); e.State != relayer.StateConfirmed {
			t.Fatalf("the genuine record: %s (%s)", e.State, e.LastError)
		}
	}
	if cur, err := store.LatestAnchor(ctx, "registry"); err != nil || cur.Height != relayer.Height(c3) {
		t.Fatalf("trust did not move to block %d: %+v %v", c3, cur.Height, err)
	}
	src.add(forged)
	e := settled(forged.ID)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return e, dst.Landed(forged.ID)
}
