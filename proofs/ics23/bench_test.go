package ics23_test

import (
	"testing"

	"github.com/liaison-gw/liaison/proofs/ics23"
)

// BenchmarkVerifyPacketCommitment verifies the real membership proof of a
// packet commitment (decoding, two levels, root). ibc-go's own check on the
// same vector is BenchmarkIBCGoVerifyMembership in
// proofs/cosmoslive.
func BenchmarkVerifyPacketCommitment(b *testing.B) {
	v := loadVector(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := ics23.VerifyPacketCommitment(v.AppHash, v.Proof, v.Key, v.Value); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}

// BenchmarkVerifyPacketAbsence verifies the real absence proof.
func BenchmarkVerifyPacketAbsence(b *testing.B) {
	v := loadVector(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := ics23.VerifyPacketAbsence(v.AppHash, v.AbsenceProof, v.AbsentKey); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
