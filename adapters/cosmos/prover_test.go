package cosmos

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// fixedSet is a schedule with the same n validators at every height.
func fixedSet(n int) func(uint64) []int {
	return func(uint64) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
}

// rotating replaces two of four validators every four heights, so that
// the set at a height shares nothing with the set twelve heights earlier.
func rotating(h uint64) []int {
	base := int(h/4) * 2
	return []int{base, base + 1, base + 2, base + 3}
}

// proveAndVerify proves rec against anchor and verifies the bundle as the
// engine would; it returns the bundle and the next anchor.
func proveAndVerify(t *testing.T, c *Chain, rec *relayer.Record, anchor relayer.Anchor) (*relayer.Evidence, relayer.Anchor) {
	t.Helper()
	ev, err := c.Prover().Prove(context.Background(), rec, anchor)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := relayer.EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := relayer.DecodeEvidence(raw)
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.Verifier().Verify(decoded, anchor, c.now())
	if err != nil {
		t.Fatal(err)
	}
	return ev, next
}

func lightBlocksOf(t *testing.T, ev *relayer.Evidence) int {
	t.Helper()
	var c Consensus
	if err := json.Unmarshal(ev.Consensus, &c); err != nil {
		t.Fatal(err)
	}
	return len(c.LightBlocks)
}

// TestProveSkip proves a record with one light block from an anchor whose
// validators still sign the head.
func TestProveSkip(t *testing.T) {
	sc := newSynthChain(t, synthKeys(4), fixedSet(4))
	sc.blocksTo(3)
	rec := sc.publish(testRecord(1, `{"licence":1}`))
	sc.blocksTo(20)
	c := testChain(t, sc.now, &synthNode{c: sc})
	ev, next := proveAndVerify(t, c, &rec, sc.anchor(2, testParams))
	if n := lightBlocksOf(t, ev); n != 1 {
		t.Fatalf("%d light blocks, want 1 (a skip)", n)
	}
	if next.Height != 20 {
		t.Fatalf("next anchor at %d, want the head 20", next.Height)
	}
	var inc Inclusion
	_ = json.Unmarshal(ev.Inclusion, &inc)
	if inc.Version != 19 {
		t.Fatalf("proof of version %d, want 19", inc.Version)
	}
}

// TestProveBisects proves across a validator set that changed completely
// since the anchor: the prover bisects, and the verifier accepts the chain
// of light blocks.
func TestProveBisects(t *testing.T) {
	sc := newSynthChain(t, synthKeys(40), rotating)
	sc.blocksTo(5)
	rec := sc.publish(testRecord(7, "tender"))
	sc.blocksTo(60)
	node := &synthNode{c: sc}
	c := testChain(t, sc.now, node)
	ev, next := proveAndVerify(t, c, &rec, sc.anchor(2, testParams))
	n := lightBlocksOf(t, ev)
	if n < 3 || !strings.Contains(strings.Join(ev.Notes, " "), "bisected") {
		t.Fatalf("%d light blocks, notes %q: want bisection", n, ev.Notes)
	}
	if next.Height != 60 {
		t.Fatalf("next anchor at %d", next.Height)
	}
	// The verifier refuses the bundle with a middle light block dropped.
	short := clone(t, ev)
	editJSON(t, &short.Consensus, func(c *Consensus) { c.LightBlocks = append(c.LightBlocks[:1], c.LightBlocks[2:]...) })
	if _, err := c.Verifier().Verify(short, ev.Anchor, sc.now()); !errors.Is(err, tendermint.ErrInsufficientTrustedVotingPower) {
		t.Fatalf("middle light block dropped: %v", err)
	}
	// From the new anchor, the next record needs no bisection.
	rec2 := sc.publish(testRecord(8, "tender 2"))
	sc.blocksTo(62)
	ev2, _ := proveAndVerify(t, c, &rec2, next)
	if n := lightBlocksOf(t, ev2); n != 1 {
		t.Fatalf("from the moved anchor: %d light blocks", n)
	}
}

// TestProveTooLittleVotingPower checks that a head signed by too little of
// its own validator set is not used: the prover reports the node's light
// block as invalid.
func TestProveTooLittleVotingPower(t *testing.T) {
	sc := newSynthChain(t, synthKeys(4), fixedSet(4))
	sc.blocksTo(3)
	rec := sc.publish(testRecord(1, "x"))
	sc.unsigned[10] = map[int]bool{0: true, 1: true}
	sc.blocksTo(10)
	c := testChain(t, sc.now, &synthNode{c: sc})
	_, err := c.Prover().Prove(context.Background(), &rec, sc.anchor(2, testParams))
	if !errors.Is(err, tendermint.ErrInsufficientTrustedVotingPower) && !errors.Is(err, tendermint.ErrInsufficientVotingPower) {
		t.Fatalf("got %v, want insufficient voting power", err)
	}
}

// TestProveExpiredAnchor checks that an anchor older than the trusting
// period is a permanent error naming the re-anchoring, and that the chain
// warns before that.
func TestProveExpiredAnchor(t *testing.T) {
	sc := newSynthChain(t, synthKeys(4), fixedSet(4))
	sc.blocksTo(3)
	rec := sc.publish(testRecord(1, "x"))
	sc.blocksTo(6)
	anchor := sc.anchor(2, testParams)
	now := sc.now()
	var warned []time.Time
	c := testChain(t, func() time.Time { return now }, &synthNode{c: sc})
	c.onExp = func(_ relayer.ChainID, at time.Time) { warned = append(warned, at) }

	now = sc.t0.Add(2*time.Second + testParams.TrustingPeriod - 10*time.Minute) // within the warning period
	if _, err := c.Prover().Prove(context.Background(), &rec, anchor); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 {
		t.Fatalf("%d expiry warnings, want 1", len(warned))
	}
	now = sc.t0.Add(2*time.Second + testParams.TrustingPeriod)
	_, err := c.Prover().Prove(context.Background(), &rec, anchor)
	if !errors.Is(err, relayer.ErrPermanent) || !errors.Is(err, tendermint.ErrExpired) || !strings.Contains(err.Error(), "re-anchor") {
		t.Fatalf("got %v, want a permanent expiry error", err)
	}
}

// TestProveWitnessFork runs two nodes that serve two forks signed by the
// same validators: the cross-check finds two light blocks at one height
// that both verify from the anchor, and the chain halts.
func TestProveWitnessFork(t *testing.T) {
	keys := synthKeys(4)
	a, b := newSynthChain(t, keys, fixedSet(4)), newSynthChain(t, keys, fixedSet(4))
	rec := testRecord(1, "x")
	for _, sc := range []*synthChain{a, b} {
		sc.blocksTo(3)
		rec = sc.publish(rec)
		sc.blocksTo(8)
	}
	a.block(map[string][]byte{"fork": []byte("a")})
	b.block(map[string][]byte{"fork": []byte("b")})
	a.blocksTo(12)
	b.blocksTo(12)
	if string(a.blocks[8].hash) != string(b.blocks[8].hash) || string(a.blocks[12].hash) == string(b.blocks[12].hash) {
		t.Fatal("the synthetic chains do not fork at 9")
	}
	c := testChain(t, a.now, &synthNode{c: a}, &synthNode{c: b})
	_, err := c.Prover().Prove(context.Background(), &rec, a.anchor(2, testParams))
	var mis *MisbehaviourError
	if !errors.As(err, &mis) || !errors.Is(err, relayer.ErrPermanent) || !errors.Is(err, tendermint.ErrConflict) {
		t.Fatalf("got %v, want a *MisbehaviourError", err)
	}
	if mis.Height != 12 || mis.NodeA != "node0" || mis.NodeB != "node1" {
		t.Fatalf("misbehaviour %+v", mis)
	}
	// The chain stays halted.
	if _, err := c.Prover().Prove(context.Background(), &rec, a.anchor(2, testParams)); !errors.As(err, &mis) {
		t.Fatalf("after halting: %v", err)
	}
}

// TestProveAnchorConflict checks a node whose block at the anchor's height
// is another one than the anchor's, while its next header is signed by the
// anchor's next validators: misbehaviour.
func TestProveAnchorConflict(t *testing.T) {
	keys := synthKeys(4)
	a, b := newSynthChain(t, keys, fixedSet(4)), newSynthChain(t, keys, fixedSet(4))
	a.block(map[string][]byte{"fork": []byte("a")})
	b.block(map[string][]byte{"fork": []byte("b")})
	a.blocksTo(3)
	b.blocksTo(3)
	rec := a.publish(testRecord(1, "x"))
	a.blocksTo(8)
	c := testChain(t, a.now, &synthNode{c: a})
	_, err := c.Prover().Prove(context.Background(), &rec, b.anchor(2, testParams))
	var mis *MisbehaviourError
	if !errors.As(err, &mis) || mis.Height != 2 || mis.NodeA != "the trusted state" {
		t.Fatalf("got %v, want misbehaviour at the anchor's height", err)
	}
}

// TestProveFaultyWitness checks that a witness that is behind or serves
// a header the light client rejects is ignored.
func TestProveFaultyWitness(t *testing.T) {
	keys := synthKeys(4)
	a := newSynthChain(t, keys, fixedSet(4))
	a.blocksTo(3)
	rec := a.publish(testRecord(1, "x"))
	a.blocksTo(10)
	other := newSynthChain(t, synthKeys(8)[4:], fixedSet(4)) // other validators: not verifiable from the anchor
	other.blocksTo(10)
	c := testChain(t, a.now, &synthNode{c: a}, &synthNode{c: a, upTo: 5}, &synthNode{c: other})
	proveAndVerify(t, c, &rec, a.anchor(2, testParams))
}

// TestProveFailover checks that an unavailable node is skipped.
func TestProveFailover(t *testing.T) {
	a := newSynthChain(t, synthKeys(4), fixedSet(4))
	a.blocksTo(3)
	rec := a.publish(testRecord(1, "x"))
	a.blocksTo(10)
	c := testChain(t, a.now, &synthNode{c: a, upTo: 3}, &synthNode{c: a})
	ev, _ := proveAndVerify(t, c, &rec, a.anchor(2, testParams))
	if ev == nil || c.failover.Preferred(len(c.eps)) != 1 {
		t.Fatalf("preferred node %d", c.failover.Preferred(len(c.eps)))
	}
}

// TestProveRefusals checks what the prover refuses before and after
// talking to the nodes.
func TestProveRefusals(t *testing.T) {
	a := newSynthChain(t, synthKeys(4), fixedSet(4))
	a.blocksTo(3)
	rec := a.publish(testRecord(1, "x"))
	a.blocksTo(10)
	c := testChain(t, a.now, &synthNode{c: a})
	anchor := a.anchor(2, testParams)
	ctx := context.Background()

	notPublished := testRecord(2, "never published")
	notPublished.Source.Height = 4
	if _, err := c.Prover().Prove(ctx, &notPublished, anchor); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "not published") {
		t.Fatalf("unpublished record: %v", err)
	}
	altered := rec
	altered.Receiver = "mallory"
	if _, err := c.Prover().Prove(ctx, &altered, anchor); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "receiver") {
		t.Fatalf("altered record: %v", err)
	}
	future := rec
	future.Source.Height = 10
	if _, err := c.Prover().Prove(ctx, &future, anchor); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("record at the head: %v, want ErrUnavailable (needs the header above it)", err)
	}
	other := rec
	other.Source.Chain = "registry"
	if _, err := c.Prover().Prove(ctx, &other, anchor); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("record of another chain: %v", err)
	}
	wrong := anchor
	wrong.Scheme = "qbft"
	if _, err := c.Prover().Prove(ctx, &rec, wrong); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("anchor of another scheme: %v", err)
	}
}

// TestBootstrap builds the anchor from the configured height and hash.
func TestBootstrap(t *testing.T) {
	a := newSynthChain(t, synthKeys(4), fixedSet(4))
	a.blocksTo(5)
	c := testChain(t, a.now, &synthNode{c: a})
	c.cfg.Trust.Height = 3
	c.cfg.Trust.Hash = strings.ToUpper(hexString(a.blocks[3].hash))
	anchor, err := c.Prover().(*prover).Bootstrap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if anchor.Height != 3 || anchor.Digest != a.anchor(3, testParams).Digest {
		t.Fatalf("anchor %+v", anchor)
	}
	c.cfg.Trust.Hash = hexString(a.blocks[4].hash)
	if _, err := c.Prover().(*prover).Bootstrap(context.Background()); err == nil || !strings.Contains(err.Error(), "trust.hash") {
		t.Fatalf("wrong hash: %v", err)
	}
	late := testChain(t, func() time.Time { return a.now().Add(2 * time.Hour) }, &synthNode{c: a})
	late.cfg.Trust = c.cfg.Trust
	late.cfg.Trust.Hash = hexString(a.blocks[3].hash)
	if _, err := late.Prover().(*prover).Bootstrap(context.Background()); err == nil || !strings.Contains(err.Error(), "older than the trusting period") {
		t.Fatalf("expired configured block: %v", err)
	}
}

// BenchmarkProve measures the prover against an in-process chain of four
// validators: a skip from the anchor, the store proof and its check.
func BenchmarkProve(b *testing.B) {
	sc := newSynthChain(b, synthKeys(4), fixedSet(4))
	sc.blocksTo(3)
	rec := sc.publish(testRecord(1, "x"))
	sc.blocksTo(20)
	c := testChain(b, sc.now, &synthNode{c: sc})
	anchor := sc.anchor(2, testParams)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Prover().Prove(context.Background(), &rec, anchor); err != nil {
			b.Fatal(err)
		}
	}
}
