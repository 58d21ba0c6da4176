package contracts_test

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
)

// attestationVector is the part of proofs/attestation/testdata/vector.json,
// the committee attestation's test vector, that the Inbox checks.
type attestationVector struct {
	Data         hexutil.Bytes    `json:"data"`
	SigningInput common.Hash      `json:"signing_input"`
	Signatures   []hexutil.Bytes  `json:"signatures"`
	Signers      []common.Address `json:"signers"`
}

func loadAttestationVector(t *testing.T) attestationVector {
	t.Helper()
	b, err := os.ReadFile("../../../proofs/attestation/testdata/vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v attestationVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func (v attestationVector) sigs() [][]byte {
	out := make([][]byte, len(v.Signatures))
	for i, s := range v.Signatures {
		out[i] = bytes.Clone(s)
	}
	return out
}

// TestInboxAttestationVector: the Inbox computes the vector's signing
// input and recovers its signers, and its own destination identifier is
// the one the Go code computes for its chain ID and address.
func TestInboxAttestationVector(t *testing.T) {
	f := newInboxFixture(t)
	v := loadAttestationVector(t)
	in := view(t, f.bound, f.inbox.PackAttestationSigningInput(v.Data), f.inbox.UnpackAttestationSigningInput)
	if in != v.SigningInput {
		t.Fatalf("attestationSigningInput = %x, vector %x", in, v.SigningInput)
	}
	signers := view(t, f.bound, f.inbox.PackAttestationSigners(v.Data, v.sigs()), f.inbox.UnpackAttestationSigners)
	if len(signers) != len(v.Signers) {
		t.Fatalf("%d signers, want %d", len(signers), len(v.Signers))
	}
	for i := range signers {
		if signers[i] != v.Signers[i] {
			t.Fatalf("signer %d = %s, vector %s", i, signers[i], v.Signers[i])
		}
	}
	dest := view(t, f.bound, f.inbox.PackAttestationDestination(), f.inbox.UnpackAttestationDestination)
	if want := evmDestination(t, f.chain.chainID, f.bound.Address()); dest != want {
		t.Fatalf("attestationDestination = %x, Go computes %x", dest, want)
	}
	if other := evmDestination(t, new(big.Int).Add(f.chain.chainID, big.NewInt(1)), f.bound.Address()); dest == other {
		t.Fatal("the destination does not depend on the chain ID")
	}
}

// TestInboxAttestationSignatureRules: the Inbox refuses the signatures
// that the Go verifier refuses, and accepts v as 0 or 1.
func TestInboxAttestationSignatureRules(t *testing.T) {
	f := newInboxFixture(t)
	v := loadAttestationVector(t)
	n := new(big.Int).SetBytes(common.FromHex("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"))
	malleated := bytes.Clone(v.Signatures[0])
	s := new(big.Int).Sub(n, new(big.Int).SetBytes(malleated[32:64]))
	s.FillBytes(malleated[32:64])
	malleated[64] ^= 1
	badSig := contracts.InboxBadSignatureErrorID()
	for name, sig := range map[string][]byte{
		"short":     v.Signatures[0][:64],
		"long":      append(bytes.Clone(v.Signatures[0]), 0),
		"v is 2":    append(bytes.Clone(v.Signatures[0][:64]), 2),
		"v is 29":   append(bytes.Clone(v.Signatures[0][:64]), 29),
		"r is zero": append(make([]byte, 32), v.Signatures[0][32:]...),
		"s is zero": append(append(bytes.Clone(v.Signatures[0][:32]), make([]byte, 32)...), v.Signatures[0][64]),
		"r is n":    append(append(n.FillBytes(make([]byte, 32)), v.Signatures[0][32:64]...), v.Signatures[0][64]),
		"high s":    malleated,
		"empty":     {},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := bind.Call(f.bound, &bind.CallOpts{}, f.inbox.PackAttestationSigners(v.Data, [][]byte{v.Signatures[1], sig}),
				f.inbox.UnpackAttestationSigners)
			requireRevert(t, err, badSig)
			// The error names the bad signature's position.
			data, _ := revertData(err)
			if len(data) != 36 || data[35] != 1 {
				t.Fatalf("revert data %x, want BadSignature(1)", data)
			}
		})
	}
	raw := bytes.Clone(v.Signatures[2])
	raw[64] -= 27
	signers := view(t, f.bound, f.inbox.PackAttestationSigners(v.Data, [][]byte{raw}), f.inbox.UnpackAttestationSigners)
	if len(signers) != 1 || signers[0] != v.Signers[2] {
		t.Fatalf("v as 0/1: signers %v, want %s", signers, v.Signers[2])
	}
	// One flipped byte of the data: another signer, not the vector's.
	d := bytes.Clone(v.Data)
	d[len(d)-1] ^= 1
	signers = view(t, f.bound, f.inbox.PackAttestationSigners(d, v.sigs()[:1]), f.inbox.UnpackAttestationSigners)
	if signers[0] == v.Signers[0] {
		t.Fatal("a changed attestation recovers the same signer")
	}
}
