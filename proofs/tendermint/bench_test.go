package tendermint_test

import (
	"testing"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

var benchCases = []struct {
	name, file string
	block      int // index in the vector, verified from block 0
}{
	{"adjacent/vals=4", "chain4.json", 1},
	{"skip/vals=4", "chain4.json", 5},
	{"adjacent/vals=100", "chain100.json", 1},
	{"skip/vals=100", "chain100.json", 2},
}

// BenchmarkVerify measures Verify on real light blocks: decoding, hashing
// and every commit signature (ed25519 batch). CometBFT's light.Verify on
// the same vectors is BenchmarkCometLightVerify in
// proofs/cosmoslive.
func BenchmarkVerify(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			v := loadVector(b, c.file)
			lb := v.blocks[c.block]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tendermint.Verify(v.trusted, lb, v.file.Now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
		})
	}
}
