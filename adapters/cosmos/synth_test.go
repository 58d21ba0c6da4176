package cosmos

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/store/metrics"
	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	commitmenttypes "github.com/cosmos/ibc-go/v10/modules/core/23-commitment/types"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// synthChain is an in-process CometBFT chain for the prover's tests: real
// headers, commits signed by ed25519 validators that can rotate, and a real
// SDK multistore (IAVL, one "records" store) whose commit hashes are the
// headers' app hashes, so that its ICS-23 proofs are real. Blocks are
// deterministic: two synthChains with the same keys, schedule and writes
// have identical blocks, and a fork is one whose writes differ from some
// height on.
type synthChain struct {
	t       testing.TB
	chainID string
	keys    []ed25519.PrivKey
	setAt   func(h uint64) []int // indexes into keys of the validators of height h
	t0      time.Time

	ms      *rootmulti.Store
	key     *storetypes.KVStoreKey
	blocks  map[uint64]*lightBlock
	prevApp []byte // app hash for the next header
	prevID  cmttypes.BlockID
	latest  uint64
	// unsigned lists heights whose commits carry no signatures from the
	// validators at these key indexes.
	unsigned map[uint64]map[int]bool
}

const synthChainID = "synth-1"

var synthT0 = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)

// synthKeys returns n deterministic validator keys.
func synthKeys(n int) []ed25519.PrivKey {
	keys := make([]ed25519.PrivKey, n)
	for i := range keys {
		seed := sha256.Sum256([]byte(fmt.Sprintf("liaison synth validator %d", i)))
		keys[i] = ed25519.GenPrivKeyFromSecret(seed[:])
	}
	return keys
}

// newSynthChain starts a chain with the given validator schedule and no
// blocks.
func newSynthChain(t testing.TB, keys []ed25519.PrivKey, setAt func(uint64) []int) *synthChain {
	t.Helper()
	c := &synthChain{t: t, chainID: synthChainID, keys: keys, setAt: setAt, t0: synthT0,
		blocks: map[uint64]*lightBlock{}, unsigned: map[uint64]map[int]bool{}}
	c.ms = rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger(), metrics.NewNoOpMetrics())
	c.key = storetypes.NewKVStoreKey(StoreName)
	c.ms.MountStoreWithDB(c.key, storetypes.StoreTypeIAVL, nil)
	if err := c.ms.LoadLatestVersion(); err != nil {
		t.Fatal(err)
	}
	genesis := sha256.Sum256([]byte("genesis"))
	c.prevApp = genesis[:]
	return c
}

func (c *synthChain) valSet(h uint64) *cmttypes.ValidatorSet {
	var vals []*cmttypes.Validator
	for _, i := range c.setAt(h) {
		vals = append(vals, cmttypes.NewValidator(c.keys[i].PubKey(), 10))
	}
	return cmttypes.NewValidatorSet(vals)
}

func (c *synthChain) keyOf(addr []byte) (ed25519.PrivKey, int) {
	for i, k := range c.keys {
		if string(k.PubKey().Address()) == string(addr) {
			return k, i
		}
	}
	c.t.Fatalf("no key for validator %X", addr)
	return nil, 0
}

// block applies writes to the store, commits the next version and makes
// the block of that height.
func (c *synthChain) block(writes map[string][]byte) uint64 {
	c.t.Helper()
	h := c.latest + 1
	kv := c.ms.GetKVStore(c.key)
	for k, v := range writes {
		kv.Set([]byte(k), v)
	}
	if len(writes) == 0 { // IAVL needs a change for a new root; keep versions distinct
		kv.Set([]byte{0x01}, binary.BigEndian.AppendUint64(nil, h))
	}
	commit := c.ms.Commit()
	if uint64(commit.Version) != h {
		c.t.Fatalf("store version %d at height %d", commit.Version, h)
	}
	vs, next := c.valSet(h), c.valSet(h+1)
	fill := func(tag string) []byte { s := sha256.Sum256([]byte(fmt.Sprintf("%s %d", tag, h))); return s[:] }
	hdr := cmttypes.Header{
		Version:            cmtversion.Consensus{Block: 11},
		ChainID:            c.chainID,
		Height:             int64(h),
		Time:               c.t0.Add(time.Duration(h) * time.Second),
		LastBlockID:        c.prevID,
		LastCommitHash:     fill("last commit"),
		DataHash:           fill("data"),
		ValidatorsHash:     vs.Hash(),
		NextValidatorsHash: next.Hash(),
		ConsensusHash:      fill("consensus"),
		AppHash:            c.prevApp,
		LastResultsHash:    fill("results"),
		EvidenceHash:       fill("evidence"),
		ProposerAddress:    vs.Validators[0].Address,
	}
	id := cmttypes.BlockID{Hash: hdr.Hash(), PartSetHeader: cmttypes.PartSetHeader{Total: 1, Hash: fill("parts")}}
	sigs := make([]cmttypes.CommitSig, len(vs.Validators))
	for i, v := range vs.Validators {
		k, idx := c.keyOf(v.Address)
		if c.unsigned[h][idx] {
			sigs[i] = cmttypes.NewCommitSigAbsent()
			continue
		}
		vote := &cmtproto.Vote{Type: cmtproto.PrecommitType, Height: int64(h), BlockID: id.ToProto(), Timestamp: hdr.Time,
			ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
		sig, err := k.Sign(cmttypes.VoteSignBytes(c.chainID, vote))
		if err != nil {
			c.t.Fatal(err)
		}
		sigs[i] = cmttypes.CommitSig{BlockIDFlag: cmttypes.BlockIDFlagCommit, ValidatorAddress: v.Address, Timestamp: hdr.Time, Signature: sig}
	}
	lb := &cmttypes.LightBlock{
		SignedHeader: &cmttypes.SignedHeader{Header: &hdr, Commit: &cmttypes.Commit{Height: int64(h), BlockID: id, Signatures: sigs}},
		ValidatorSet: vs,
	}
	var nextSet *cmttypes.ValidatorSet
	if string(hdr.NextValidatorsHash) != string(hdr.ValidatorsHash) {
		nextSet = next
	}
	b, err := newLightBlock(lb, nextSet)
	if err != nil {
		c.t.Fatal(err)
	}
	c.blocks[h], c.prevApp, c.prevID, c.latest = b, commit.Hash, id, h
	return h
}

// blocksTo adds empty blocks up to height h.
func (c *synthChain) blocksTo(h uint64) {
	for c.latest < h {
		c.block(nil)
	}
}

// publish stores rec's value (records/0x06‖id) in a new block and returns
// rec with that height.
func (c *synthChain) publish(rec relayer.Record) relayer.Record {
	c.t.Helper()
	v, err := EncodeRecordValue(&rec)
	if err != nil {
		c.t.Fatal(err)
	}
	rec.Source.Height = relayer.Height(c.block(map[string][]byte{string(RecordValueKey(rec.ID)): v}))
	return rec
}

// now is a time just after the latest block.
func (c *synthChain) now() time.Time { return c.t0.Add(time.Duration(c.latest+1) * time.Second) }

// trusted returns the light client's state at height h.
func (c *synthChain) trusted(h uint64, p tendermint.Params) tendermint.TrustedState {
	c.t.Helper()
	b := c.blocks[h]
	st, err := tendermint.NewTrustedState(b.tm, b.hash, p)
	if err != nil {
		c.t.Fatal(err)
	}
	return st
}

// anchor returns the relayer anchor at height h.
func (c *synthChain) anchor(h uint64, p tendermint.Params) relayer.Anchor {
	c.t.Helper()
	a, err := relayer.NewAnchor("finance", SchemeTendermint, []byte(PortID), relayer.Height(h), mustJSON(c.trusted(h, p)))
	if err != nil {
		c.t.Fatal(err)
	}
	return a
}

// synthNode serves a synthChain as a node would, up to a height.
type synthNode struct {
	c     *synthChain
	upTo  uint64 // 0: the chain's latest
	calls int
}

var _ stateReader = (*synthNode)(nil)

func (n *synthNode) top() uint64 {
	if n.upTo > 0 {
		return n.upTo
	}
	return n.c.latest
}

func (n *synthNode) latestHeight(context.Context) (uint64, error) { return n.top(), nil }

func (n *synthNode) blockHash(_ context.Context, h uint64) ([]byte, error) {
	b, ok := n.c.blocks[h]
	if !ok || h > n.top() {
		return nil, fmt.Errorf("%w: no block %d", relayer.ErrUnavailable, h)
	}
	return b.hash, nil
}

func (n *synthNode) lightBlock(_ context.Context, h uint64) (*lightBlock, error) {
	n.calls++
	b, ok := n.c.blocks[h]
	if !ok || h > n.top() {
		return nil, fmt.Errorf("%w: no light block %d", relayer.ErrUnavailable, h)
	}
	return b, nil
}

func (n *synthNode) storeProof(_ context.Context, store string, key []byte, v uint64) ([]byte, []byte, error) {
	res, err := n.c.ms.Query(&storetypes.RequestQuery{Path: "/" + store + "/key", Data: key, Height: int64(v), Prove: true})
	if err != nil {
		return nil, nil, err
	}
	if len(res.Value) == 0 {
		return nil, nil, nil
	}
	mp, err := commitmenttypes.ConvertProofs(res.ProofOps)
	if err != nil {
		return nil, nil, err
	}
	proof, err := mp.Marshal()
	return res.Value, proof, err
}

// testParams are the light client parameters of the synthetic chains.
var testParams = tendermint.Params{TrustingPeriod: time.Hour, TrustLevel: tendermint.DefaultTrustLevel, MaxClockDrift: 10 * time.Second}

// testChain is a Chain whose nodes are the given state readers, with the
// clock now.
func testChain(t testing.TB, now func() time.Time, nodes ...stateReader) *Chain {
	t.Helper()
	c := &Chain{
		name:   "finance",
		cfg:    config.Cosmos{ChainID: synthChainID, Trust: config.CosmosTrust{TrustingPeriod: testParams.TrustingPeriod, ExpiryWarning: 20 * time.Minute}},
		params: testParams,
		log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:    now,
	}
	for i, n := range nodes {
		c.eps = append(c.eps, &endpoint{name: fmt.Sprintf("node%d", i), state: n})
	}
	return c
}

// testRecord is a record of the chain "finance" with sequence seq.
func testRecord(seq uint64, payload string) relayer.Record {
	r := relayer.NewTestRecord("finance", []byte(PortID), seq, []byte(payload))
	r.Destination, r.Receiver, r.ContentType = "registry", "licences", "application/json"
	return r
}

func hexString(b []byte) string { return fmt.Sprintf("%x", b) }
