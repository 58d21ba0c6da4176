package qbfttest_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

func TestSealerOrder(t *testing.T) {
	s, err := qbfttest.NewSealer(7)
	if err != nil {
		t.Fatal(err)
	}
	vals := s.Validators()
	for i := range s.Keys {
		if s.Address(i) != vals[i] {
			t.Fatalf("key %d is not validator %d", i, i)
		}
		if i > 0 && bytes.Compare(vals[i-1][:], vals[i][:]) >= 0 {
			t.Fatal("validators not ascending")
		}
	}
	if _, err := qbfttest.NewSealer(0); err == nil {
		t.Fatal("NewSealer(0) succeeded")
	}
	if _, err := s.TrySeal(qbft.QBFT, qbfttest.Header(1, common.Hash{}), 0, []int{7}); err == nil {
		t.Fatal("out-of-range signer accepted")
	}
}

// TestResealForeignHeaders re-seals headers of another chain (a geth
// simulated chain would give them: foreign extra data, keccak parent hashes)
// as a QBFT chain, which is what an EVM adapter's tests do.
func TestResealForeignHeaders(t *testing.T) {
	for _, v := range []qbft.Variant{qbft.QBFT, qbft.IBFT2} {
		s, err := qbfttest.NewSealer(4)
		if err != nil {
			t.Fatal(err)
		}
		foreign := func(n uint64) *types.Header {
			return &types.Header{Number: new(big.Int).SetUint64(n), Difficulty: new(big.Int), GasLimit: 1, Time: n,
				Extra: []byte("simulated"), Root: common.Hash{byte(n)}, BaseFee: big.NewInt(1)}
		}
		g := s.Seal(v, foreign(0), 0, nil)
		gh, err := qbft.BlockHash(v, g)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := qbft.NewTrustedState(v, g, gh, qbfttest.Params())
		if err != nil {
			t.Fatal(err)
		}
		parent := g
		for n := uint64(1); n <= 3; n++ {
			h := foreign(n)
			if h.ParentHash, err = qbft.BlockHash(v, parent); err != nil {
				t.Fatal(err)
			}
			h = s.Seal(v, h, 0, []int{1, 2, 3})
			if ts, err = qbft.VerifyAdjacent(ts, h, qbfttest.Now()); err != nil {
				t.Fatalf("%v height %d: %v", v, n, err)
			}
			if h.Root != (common.Hash{byte(n)}) {
				t.Fatal("state root changed")
			}
			parent = h
		}
	}
}
