package qbft_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

// readRPC loads one eth_getBlockByNumber result from testdata.
func readRPC(tb testing.TB, name string) qbft.RPCHeader {
	tb.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	hs, err := qbft.LoadRPCHeaders(raw)
	if err != nil {
		tb.Fatal(err)
	}
	if len(hs) != 1 {
		tb.Fatalf("%s: %d headers", name, len(hs))
	}
	return hs[0]
}

// storageProofHeaders returns the header and parent of the storage-proof
// vector: GoQuorum blocks 138 and 139 of a network whose list has five
// validators, one of which (0x…aa) has no node, so four seals are a quorum.
func storageProofHeaders(tb testing.TB) (parent, header qbft.RPCHeader) {
	tb.Helper()
	raw, err := os.ReadFile("testdata/goquorum_qbft_storage_proof.json")
	if err != nil {
		tb.Fatal(err)
	}
	var v struct {
		Header       json.RawMessage `json:"header"`
		ParentHeader json.RawMessage `json:"parentHeader"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatal(err)
	}
	load := func(m json.RawMessage) qbft.RPCHeader {
		hs, err := qbft.LoadRPCHeaders(m)
		if err != nil {
			tb.Fatal(err)
		}
		return hs[0]
	}
	return load(v.ParentHeader), load(v.Header)
}

func readHex(tb testing.TB, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// besuHeader is Besu block 7528 (round 1, three seals of four validators).
func besuHeader(tb testing.TB) *types.Header {
	tb.Helper()
	h, err := ethheader.DecodeRLPHeader(readHex(tb, "besu_qbft_block7528_sealed.hex"))
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// besuTrust is a trusted state for block 7527 built from what block 7528
// says about it (its parentHash and, with no vote, the same list): enough to
// exercise VerifyAdjacent on the real header.
func besuTrust(tb testing.TB, h *types.Header) qbft.TrustedState {
	tb.Helper()
	e, err := qbft.ParseExtra(qbft.QBFT, h.Extra)
	if err != nil {
		tb.Fatal(err)
	}
	// Block 7527's time is not known; it is at most 7528's.
	return qbft.TrustedState{Variant: qbft.QBFT, Height: h.Number.Uint64() - 1, Hash: h.ParentHash, Time: h.Time,
		Validators: e.Validators, Params: qbfttest.Params()}
}

// genNow is the time at which the generated headers (time = number) are
// verified; see qbfttest.Now.
var genNow = qbfttest.Now()

// at returns the time a minute after h was made: when a light client
// following the chain would verify it.
func at(h *types.Header) time.Time { return time.Unix(int64(h.Time), 0).Add(time.Minute) }

// goQuorumTrust is the trusted state of GoQuorum block 1, anchored on its
// published hash.
func goQuorumTrust(tb testing.TB) (qbft.TrustedState, qbft.RPCHeader, qbft.RPCHeader, qbft.RPCHeader) {
	tb.Helper()
	b1, b2, b3 := readRPC(tb, "goquorum_qbft_block1.json"), readRPC(tb, "goquorum_qbft_block2.json"), readRPC(tb, "goquorum_qbft_block3.json")
	ts, err := qbft.NewTrustedState(qbft.QBFT, b1.Header, b1.Hash, qbfttest.Params())
	if err != nil {
		tb.Fatal(err)
	}
	return ts, b1, b2, b3
}

// wantErr fails unless err wraps sentinel and is a *qbft.VerifyError.
func wantErr(tb testing.TB, err, sentinel error) *qbft.VerifyError {
	tb.Helper()
	if !errors.Is(err, sentinel) {
		tb.Fatalf("got %v, want %v", err, sentinel)
	}
	var ve *qbft.VerifyError
	if !errors.As(err, &ve) {
		tb.Fatalf("%T is not a *qbft.VerifyError", err)
	}
	return ve
}

func mustSealer(tb testing.TB, n int) *qbfttest.Sealer {
	tb.Helper()
	s, err := qbfttest.NewSealer(n)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustGenesis(tb testing.TB, s *qbfttest.Sealer, v qbft.Variant) (*types.Header, qbft.TrustedState) {
	tb.Helper()
	g, ts, err := s.Genesis(v)
	if err != nil {
		tb.Fatal(err)
	}
	return g, ts
}

func mustChild(tb testing.TB, s *qbfttest.Sealer, v qbft.Variant, parent *types.Header, vals []common.Address, vote *qbft.Vote, round uint32, signers []int) *types.Header {
	tb.Helper()
	h, err := s.Child(v, parent, vals, vote, round, signers)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// rewriteExtra returns a copy of h whose parsed extra data was changed by f
// and re-encoded (seals kept as they are).
func rewriteExtra(tb testing.TB, v qbft.Variant, h *types.Header, f func(e *qbft.Extra)) *types.Header {
	tb.Helper()
	e, err := qbft.ParseExtra(v, h.Extra)
	if err != nil {
		tb.Fatal(err)
	}
	f(e)
	cpy := types.CopyHeader(h)
	if cpy.Extra, err = qbft.EncodeExtra(v, e); err != nil {
		tb.Fatal(err)
	}
	return cpy
}

func keyAddress(tb testing.TB, hexKey string) common.Address {
	tb.Helper()
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		tb.Fatal(err)
	}
	return crypto.PubkeyToAddress(k.PublicKey)
}
