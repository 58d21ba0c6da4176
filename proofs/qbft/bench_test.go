package qbft_test

import (
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

// BenchmarkVerifyAdjacent verifies a generated header carrying exactly a
// quorum of seals (3 of 4, 5 of 7): one seal hash, one recovery per seal,
// one block hash.
func BenchmarkVerifyAdjacent(b *testing.B) {
	for _, n := range []int{4, 7} {
		b.Run(fmt.Sprintf("validators=%d", n), func(b *testing.B) {
			s := mustSealer(b, n)
			g, ts := mustGenesis(b, s, qbft.QBFT)
			h := mustChild(b, s, qbft.QBFT, g, s.Validators(), nil, 0, qbfttest.All(qbft.Quorum(n)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := qbft.VerifyAdjacent(ts, h, genNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyAdjacentGoQuorum verifies real GoQuorum block 2 (3 seals,
// 4 validators) from block 1.
func BenchmarkVerifyAdjacentGoQuorum(b *testing.B) {
	ts1, _, b2, _ := goQuorumTrust(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qbft.VerifyAdjacent(ts1, b2.Header, at(b2.Header)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifySkip skips 1000 heights with 7 validators, 5 seals.
func BenchmarkVerifySkip(b *testing.B) {
	s := mustSealer(b, 7)
	_, ts := mustGenesis(b, s, qbft.QBFT)
	h, err := qbfttest.WithExtra(qbft.QBFT, qbfttest.Header(1000, common.Hash{1}), s.Validators(), nil)
	if err != nil {
		b.Fatal(err)
	}
	h = s.Seal(qbft.QBFT, h, 0, qbfttest.All(5))
	b.Run("validators=7", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := qbft.VerifySkip(ts, h, genNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBlockHash is the codec and hashing cost alone, on the real block.
func BenchmarkBlockHash(b *testing.B) {
	_, _, b2, _ := goQuorumTrust(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qbft.BlockHash(qbft.QBFT, b2.Header); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyChain verifies 100 adjacent headers with 4 validators.
func BenchmarkVerifyChain(b *testing.B) {
	s := mustSealer(b, 4)
	g, ts := mustGenesis(b, s, qbft.QBFT)
	var hs []*types.Header
	parent := g
	for i := 0; i < 100; i++ {
		parent = mustChild(b, s, qbft.QBFT, parent, s.Validators(), nil, 0, []int{0, 1, 2})
		hs = append(hs, parent)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qbft.VerifyChain(ts, hs, genNow); err != nil {
			b.Fatal(err)
		}
	}
}
