package ics23_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/liaison-gw/liaison/proofs/ics23"
)

// FuzzVerifyMembership mutates real proofs, keys and values and verifies
// them against the real app hash, for presence and for absence. It must
// never panic, every error must be a *ProofError, presence may be accepted
// only for the real key and value, and absence never for the present key.
func FuzzVerifyMembership(f *testing.F) {
	v := loadVector(f)
	f.Add(v.Proof, v.Key, v.Value)
	f.Add(v.AbsenceProof, v.AbsentKey, v.Value)
	f.Add(v.Proof, v.AbsentKey, v.Value)
	f.Fuzz(func(t *testing.T, proof, key, value []byte) {
		check := func(err error) bool {
			if err == nil {
				return true
			}
			var pe *ics23.ProofError
			if !errors.As(err, &pe) {
				t.Fatalf("%T: %v", err, err)
			}
			return false
		}
		if check(ics23.VerifyPacketCommitment(v.AppHash, proof, key, value)) {
			if !bytes.Equal(key, v.Key) || !bytes.Equal(value, v.Value) {
				t.Fatalf("proved %x = %x", key, value)
			}
		}
		if check(ics23.VerifyPacketAbsence(v.AppHash, proof, key)) && bytes.Equal(key, v.Key) {
			t.Fatalf("proved the absence of the present key %x", key)
		}
	})
}
