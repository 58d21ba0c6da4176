package evm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
	"github.com/liaison-gw/liaison/relayer"
)

// publishOne publishes a record, mines it and returns it as a source reads
// it (at once: the reader treats the head as final).
func publishOne(t testing.TB, n *testNet, c *Chain, payload string) relayer.Record {
	t.Helper()
	tx := n.publish(string(dstName), "receiver-1", "text/plain", []byte(payload))
	r := n.mined(tx)
	reader := newChain(t, c.name, n.evmConfig("qbft", 0), Options{})
	b, err := reader.Source(config.Selector{}, r.BlockNumber.Uint64()).Poll(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range b.Records {
		if string(rec.Payload) == payload {
			return rec
		}
	}
	t.Fatalf("record %q not read (head %d, %d records)", payload, b.Head, len(b.Records))
	return relayer.Record{}
}

func TestProveVerifyRPCFinality(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	cfg := n.evmConfig("finality", 2)
	cfg.RPC = []string{n.ipc, p.URL()}
	c := newChain(t, srcName, cfg, Options{})
	anchor := bootstrap(t, c)
	if anchor.Scheme != SchemeRPCFinality || anchor.Height != 0 {
		t.Fatalf("anchor %+v", anchor)
	}
	var st FinalityAnchor
	if err := json.Unmarshal(anchor.State, &st); err != nil || st.ChainID != 1337 || st.Genesis == (common.Hash{}) {
		t.Fatalf("anchor state %s: %v", anchor.State, err)
	}
	n.commit(2)
	rec := publishOne(t, n, c, "licence 1")
	if _, err := c.Prover().Prove(context.Background(), &rec, anchor); !errors.Is(err, relayer.ErrUnavailable) {
		t.Fatalf("record 0 blocks deep with confirmations 2: got %v, want ErrUnavailable", err)
	}
	n.commit(3)
	ev, next := proveAndCheck(t, c, &rec, anchor)
	if next.Digest != anchor.Digest {
		t.Fatalf("rpc-finality must not move the anchor: %s -> %s", anchor.Digest, next.Digest)
	}
	if ev.TrustModel != SchemeRPCFinality || ev.Ledger != relayer.LedgerEVM || len(ev.Notes) != 1 ||
		!strings.Contains(ev.Notes[0], "weaker than a light client") || !strings.Contains(ev.Notes[0], "2 endpoint(s)") {
		t.Fatalf("evidence %s %s notes %q", ev.Ledger, ev.TrustModel, ev.Notes)
	}
	var inc Inclusion
	if err := json.Unmarshal(ev.Inclusion, &inc); err != nil {
		t.Fatal(err)
	}
	if inc.BlockNumber != n.head()-2 || inc.BlockNumber < uint64(rec.Source.Height) {
		t.Fatalf("proof at block %d; head %d, record at %d", inc.BlockNumber, n.head(), rec.Source.Height)
	}
}

// TestProveFinalityEndpointsDisagree serves a different header from one of
// two endpoints: Prove must refuse with ErrUnavailable naming both.
func TestProveFinalityEndpointsDisagree(t *testing.T) {
	n := newTestNet(t)
	p := newRPCProxy(t, n.ipc)
	cfg := n.evmConfig("finality", 1)
	cfg.RPC = []string{n.ipc, p.URL()}
	liar := config.RedactURL(p.URL())
	c := newChain(t, srcName, cfg, Options{WrapHeaders: func(name string, r HeaderReader) HeaderReader {
		if name != liar {
			return r
		}
		return headerFunc(func(ctx context.Context, num rpc.BlockNumber) (*types.Header, common.Hash, error) {
			h, _, err := r.HeaderByNumber(ctx, num)
			if err != nil || h.Number.Sign() == 0 {
				return h, h.Hash(), err
			}
			h.Extra = []byte("another fork")
			return h, h.Hash(), nil
		})
	}})
	anchor := bootstrap(t, c)
	rec := publishOne(t, n, c, "x")
	n.commit(2)
	_, err := c.Prover().Prove(context.Background(), &rec, anchor)
	if !errors.Is(err, relayer.ErrUnavailable) || !strings.Contains(err.Error(), n.ipc) || !strings.Contains(err.Error(), liar) ||
		!strings.Contains(err.Error(), "disagree") {
		t.Fatalf("got %v, want ErrUnavailable naming both endpoints", err)
	}
}

type headerFunc func(context.Context, rpc.BlockNumber) (*types.Header, common.Hash, error)

func (f headerFunc) HeaderByNumber(ctx context.Context, n rpc.BlockNumber) (*types.Header, common.Hash, error) {
	return f(ctx, n)
}

func TestProveRefusesForeignOrUnpublishedRecords(t *testing.T) {
	n := newTestNet(t)
	c := newChain(t, srcName, n.evmConfig("finality", 1), Options{})
	anchor := bootstrap(t, c)
	rec := publishOne(t, n, c, "real")
	n.commit(2)
	forged := relayer.NewTestRecord(srcName, n.outbox[:], 99, []byte("never published"))
	forged.Source.Height = rec.Source.Height
	if _, err := c.Prover().Prove(context.Background(), &forged, anchor); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "no commitment") {
		t.Fatalf("unpublished record: got %v, want ErrPermanent", err)
	}
	other := rec
	other.Source.Emitter = common.HexToAddress("0x1234").Bytes()
	if _, err := c.Prover().Prove(context.Background(), &other, anchor); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("another emitter: got %v, want ErrPermanent", err)
	}
	wrongScheme := anchor
	wrongScheme.Scheme = SchemeQBFT
	if _, err := c.Prover().Prove(context.Background(), &rec, wrongScheme); !errors.Is(err, relayer.ErrPermanent) {
		t.Fatalf("qbft anchor for a finality chain: got %v, want ErrPermanent", err)
	}
}

func TestProveVerifyQBFTSkip(t *testing.T) {
	n := newTestNet(t)
	sealer := mustSealer(t, 4)
	c, _ := qbftChain(t, n, sealer, fixedSet(4))
	anchor := bootstrap(t, c)
	if anchor.Scheme != SchemeQBFT || anchor.Height != 0 {
		t.Fatalf("anchor %+v", anchor)
	}
	rec := publishOne(t, n, c, "licence 1")
	n.commit(2)
	ev, next := proveAndCheck(t, c, &rec, anchor)
	var cons BFTConsensus
	if err := json.Unmarshal(ev.Consensus, &cons); err != nil || len(cons.Headers) != 1 {
		t.Fatalf("consensus %s: want one skipped-to header (%v)", ev.Consensus, err)
	}
	if next.Height != relayer.Height(n.head()) || next.Scheme != SchemeQBFT {
		t.Fatalf("next anchor at %d, want the proof block %d", next.Height, n.head())
	}
	// The engine advances to the returned anchor; the next record is proven
	// from there, including a proof at the anchor's own height.
	ev2, next2 := proveAndCheck(t, c, &rec, next)
	if next2.Digest != next.Digest || !strings.Contains(ev2.Notes[0], "anchor's own height") {
		t.Fatalf("proof at the anchor's height: next %d, notes %q", next2.Height, ev2.Notes)
	}
	rec2 := publishOne(t, n, c, "licence 2")
	_, next3 := proveAndCheck(t, c, &rec2, next)
	if next3.Height <= next.Height {
		t.Fatalf("anchor did not advance: %d -> %d", next.Height, next3.Height)
	}
}

// TestProveVerifyIBFT2 runs the round trip with IBFT 2.0's extra data and
// hash rules.
func TestProveVerifyIBFT2(t *testing.T) {
	n := newTestNet(t)
	c, _ := bftChain(t, n, qbft.IBFT2, mustSealer(t, 4), fixedSet(4))
	anchor := bootstrap(t, c)
	rec := publishOne(t, n, c, "licence 1")
	ev, next := proveAndCheck(t, c, &rec, anchor)
	if ev.TrustModel != SchemeIBFT2 || anchor.Scheme != SchemeIBFT2 || next.Height != relayer.Height(n.head()) {
		t.Fatalf("trust model %s, anchor %s, next at %d", ev.TrustModel, anchor.Scheme, next.Height)
	}
	// The anchor records the variant whose rules the light client applies.
	var st qbft.TrustedState
	if err := json.Unmarshal(anchor.State, &st); err != nil || st.Variant != qbft.IBFT2 {
		t.Fatalf("anchor state %s (%v)", anchor.State, err)
	}
}

// rotation is a validator schedule that starts with keys 0..3, adds 4, 5
// and 6 by votes at heights 3..5, then drops 0, 1 and 2 at heights 6..8: from
// height 9 on the set is {3,4,5,6}, which shares one member with the
// genesis set, so a skip from genesis cannot verify.
func rotation(h uint64) ([]int, *qbft.Vote) {
	sets := [][]int{{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 5},
		{0, 1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6}, {2, 3, 4, 5, 6}, {3, 4, 5, 6}}
	votes := map[uint64]struct {
		key  int
		kind qbft.VoteKind
	}{3: {4, qbft.VoteAdd}, 4: {5, qbft.VoteAdd}, 5: {6, qbft.VoteAdd}, 6: {0, qbft.VoteDrop}, 7: {1, qbft.VoteDrop}, 8: {2, qbft.VoteDrop}}
	set := sets[min(h, uint64(len(sets)-1))]
	v, ok := votes[h]
	if !ok {
		return set, nil
	}
	return set, &qbft.Vote{Address: rotationSealer.Address(v.key), Kind: v.kind}
}

var rotationSealer *qbfttest.Sealer // set by the tests that use rotation

func TestProveVerifyQBFTValidatorRotation(t *testing.T) {
	n := newTestNet(t)
	rotationSealer = mustSealer(t, 7)
	c, _ := qbftChain(t, n, rotationSealer, rotation)
	anchor := bootstrap(t, c)
	n.commit(10)
	rec := publishOne(t, n, c, "after rotation")
	ev, next := proveAndCheck(t, c, &rec, anchor)
	var cons BFTConsensus
	if err := json.Unmarshal(ev.Consensus, &cons); err != nil {
		t.Fatal(err)
	}
	if len(cons.Headers) != int(n.head()) {
		t.Fatalf("%d headers, want every header from 1 to %d", len(cons.Headers), n.head())
	}
	var st qbft.TrustedState
	if err := json.Unmarshal(next.State, &st); err != nil {
		t.Fatal(err)
	}
	if want := rotationSealer.Subset(3, 4, 5, 6); len(st.Validators) != 4 || st.Validators[0] != want[0] || st.Validators[3] != want[3] {
		t.Fatalf("next anchor's validators %v, want %v", st.Validators, want)
	}

	// Beyond the bound, the prover refuses with a clear permanent error.
	p := c.Prover().(*prover)
	p.maxHeaders = 5
	if _, err := p.Prove(context.Background(), &rec, anchor); !errors.Is(err, relayer.ErrPermanent) || !strings.Contains(err.Error(), "trust.checkpoint") {
		t.Fatalf("over the header bound: got %v, want ErrPermanent naming trust.checkpoint", err)
	}
}

func TestBootstrapQBFTCheckpoint(t *testing.T) {
	n := newTestNet(t)
	sealer := mustSealer(t, 4)
	c, rs := qbftChain(t, n, sealer, fixedSet(4))
	n.commit(3)
	_, hash3, err := rs.HeaderByNumber(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.cfg
	cfg.Trust.Checkpoint.Height = 3
	cfg.Trust.Checkpoint.Hash = hash3.Hex()
	// Share the first chain's resealer: it dates headers no later than the
	// wall clock when it first seals them, so a second resealer started a
	// second later could seal block 3 with another time, hence another hash.
	wrap := func(string, HeaderReader) HeaderReader { return rs }
	good := newChain(t, srcName, cfg, Options{WrapHeaders: wrap})
	a := bootstrap(t, good)
	var st qbft.TrustedState
	if err := json.Unmarshal(a.State, &st); err != nil || st.Hash != hash3 || a.Height != 3 {
		t.Fatalf("anchor %+v (%v)", a, err)
	}
	cfg.Trust.Checkpoint.Hash = common.HexToHash("0xbad").Hex()
	bad := newChain(t, srcName, cfg, Options{WrapHeaders: wrap})
	if _, err := bad.Prover().(relayer.TrustBootstrapper).Bootstrap(context.Background()); err == nil || !strings.Contains(err.Error(), "trust.checkpoint.hash") {
		t.Fatalf("wrong checkpoint hash: got %v", err)
	}
}

func mustSealer(t testing.TB, n int) *qbfttest.Sealer {
	t.Helper()
	s, err := qbfttest.NewSealer(n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRecordDigestMatchesChain compares RecordDigest with Inbox.digestOf
// and with the commitment the Outbox stored.
func TestRecordDigestMatchesChain(t *testing.T) {
	n := newTestNet(t)
	c := newChain(t, srcName, n.evmConfig("qbft", 0), Options{})
	long := strings.Repeat("ü", 70)
	tx := n.publish(string(dstName)+long, "", "application/ld+json; profile="+long, []byte(long))
	n.mined(tx)
	recs, _ := pollAll(t, c.Source(config.Selector{}, 0), 1)
	rec := recs[0]
	want := RecordDigest(&rec)
	ib := c.inboxABI
	out, err := c.eps[0].ethCall(context.Background(), n.deployer.addr, n.inbox, ib.PackDigestOf(inboxRecord(&rec)), rpc.LatestBlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ib.UnpackDigestOf(out)
	if err != nil || common.Hash(got) != want {
		t.Fatalf("Inbox.digestOf %x, RecordDigest %s (%v)", got, want, err)
	}
	out, err = c.eps[0].ethCall(context.Background(), n.deployer.addr, n.outbox, c.outboxABI.PackCommitments(rec.ID), rpc.LatestBlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := c.outboxABI.UnpackCommitments(out)
	if err != nil || common.Hash(stored) != want {
		t.Fatalf("Outbox.commitments %x, RecordDigest %s (%v)", stored, want, err)
	}
	if CommitmentSlot(rec.ID) != crypto.Keccak256Hash(rec.ID[:], common.Hash{}.Bytes()) {
		t.Fatal("CommitmentSlot")
	}
}
