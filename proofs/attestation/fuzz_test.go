package attestation

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzVerify feeds Decode and Verify arbitrary data and two signatures,
// seeded from the vector. Whatever they accept must be consistent: a
// decoded attestation re-encodes to the same bytes, and accepted signers
// are distinct attestors, at least threshold of them.
//
//	go test -fuzz FuzzVerify ./proofs/attestation/
func FuzzVerify(f *testing.F) {
	v := loadVector(f)
	f.Add([]byte(v.Data), []byte(v.Signatures[0]), []byte(v.Signatures[1]))
	f.Add([]byte(v.Data), []byte(v.Signatures[2]), []byte(v.Signatures[2]))
	f.Add([]byte(v.Data[:len(v.Data)-96]), []byte(v.Signatures[0]), []byte(v.Signatures[1]))
	attestors := v.addresses()
	f.Fuzz(func(t *testing.T, data, s0, s1 []byte) {
		if a, err := Decode(data); err == nil && !bytes.Equal(a.Encode(), data) {
			t.Fatalf("Decode accepted a non-canonical encoding %x", data)
		}
		signers, err := Verify(data, [][]byte{s0, s1}, attestors, 2)
		if err != nil {
			return
		}
		if signers[0] == signers[1] {
			t.Fatalf("one signer counted twice: %s", signers[0])
		}
		for _, s := range signers {
			if !contains(attestors, s) {
				t.Fatalf("accepted signer %s is not an attestor", s)
			}
		}
		if !bytes.Equal(data, v.Data) {
			t.Fatalf("signatures of the vector's attestors verified over other data %x", data)
		}
	})
}

func contains(list []common.Address, a common.Address) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}
