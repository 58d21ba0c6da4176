package fabric_test

import (
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
)

// The benchmarks verify real captured blocks of one transaction with two
// endorsements (Org1, Org2): raft/publish-1 (one orderer signature) and
// bft/publish-1 (three of four consenters). They report blocks/s on one
// goroutine, with one TrustedConfig reused across iterations, as a relayer
// reuses its anchor, so certificate chains are validated once and each
// block costs its signatures plus decoding. BenchmarkRawSignatures
// (bench_raw_test.go) measures the signatures alone.

func benchBlock(b *testing.B, net string, withTx bool) {
	tc := trusted(b, net)
	raw := readVector(b, net+"/publish-1.block")
	policy := fabric.MajorityOrgs()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	report := fabric.BenchRate(b)
	for b.Loop() {
		blk, err := fabric.VerifyBlock(tc, nil, raw)
		if err != nil {
			b.Fatal(err)
		}
		if withTx {
			if _, err := fabric.VerifyTransaction(tc, blk, 0, policy); err != nil {
				b.Fatal(err)
			}
		}
	}
	report()
}

func BenchmarkVerifyBlock(b *testing.B) {
	b.Run("raft", func(b *testing.B) { benchBlock(b, "raft", false) })
	b.Run("bft", func(b *testing.B) { benchBlock(b, "bft", false) })
}

func BenchmarkVerifyBlockAndTransaction(b *testing.B) {
	b.Run("raft", func(b *testing.B) { benchBlock(b, "raft", true) })
	b.Run("bft", func(b *testing.B) { benchBlock(b, "bft", true) })
}

// BenchmarkParseConfigBlock parses the raft genesis block (three MSPs).
func BenchmarkParseConfigBlock(b *testing.B) {
	raw := readVector(b, "raft/config.block")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fabric.ParseConfigBlock(raw); err != nil {
			b.Fatal(err)
		}
	}
}
