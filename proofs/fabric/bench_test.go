package fabric_test

import (
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
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

// BenchmarkConfigBlock verifies a synthetic config block: Org3 joins the
// channel, signed by all three genesis admins (the update changes the
// Application group, whose Admins policy is MAJORITY over the orgs).
func BenchmarkConfigBlock(b *testing.B) {
	s := newSynth(b, fabrictest.Options{})
	s.addOrg3(b)
	u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, s.net.Config())
	if err != nil {
		b.Fatal(err)
	}
	env, err := s.net.ConfigTx(u, s.admins, s.net.OrdererOrg.Orderers[0])
	if err != nil {
		b.Fatal(err)
	}
	raw, err := s.net.Block(fabrictest.BlockSpec{Number: 1, LastConfig: 1, Envelopes: [][]byte{env}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := fabric.VerifyBlock(s.tc, nil, raw); err != nil {
			b.Fatal(err)
		}
	}
}
