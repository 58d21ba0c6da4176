package attestation

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

var update = flag.Bool("update", false, "rewrite testdata/vector.json")

// Vector is testdata/vector.json, the format's test vector. The Solidity
// Inbox's tests and the chaincode's tests read the same file.
type Vector struct {
	Comment   string `json:"comment"`
	Attestors []struct {
		Key     hexutil.Bytes  `json:"key"`
		Address common.Address `json:"address"`
	} `json:"attestors"`
	Threshold int `json:"threshold"`
	EVM       struct {
		ChainID     uint64         `json:"chain_id"`
		Inbox       common.Address `json:"inbox"`
		Destination common.Hash    `json:"destination"`
	} `json:"evm_destination"`
	Fabric struct {
		Channel     string      `json:"channel"`
		Chaincode   string      `json:"chaincode"`
		ChainName   string      `json:"chain_name"`
		Destination common.Hash `json:"destination"`
	} `json:"fabric_destination"`
	Attestation struct {
		Destination common.Hash `json:"destination"`
		Nonce       uint64      `json:"nonce"`
		Records     []struct {
			ID           common.Hash `json:"id"`
			Digest       common.Hash `json:"digest"`
			EvidenceHash common.Hash `json:"evidence_hash"`
		} `json:"records"`
	} `json:"attestation"`
	Data         hexutil.Bytes    `json:"data"`
	SigningInput common.Hash      `json:"signing_input"`
	Signatures   []hexutil.Bytes  `json:"signatures"`
	Signers      []common.Address `json:"signers"`
}

func (v *Vector) attestation() *Attestation {
	a := &Attestation{Destination: v.Attestation.Destination, Nonce: v.Attestation.Nonce}
	for _, r := range v.Attestation.Records {
		a.Records = append(a.Records, Entry{ID: r.ID, Digest: r.Digest, EvidenceHash: r.EvidenceHash})
	}
	return a
}

func (v *Vector) keys(t testing.TB) []*ecdsa.PrivateKey {
	var out []*ecdsa.PrivateKey
	for _, a := range v.Attestors {
		k, err := crypto.ToECDSA(a.Key)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

func (v *Vector) addresses() []common.Address {
	var out []common.Address
	for _, a := range v.Attestors {
		out = append(out, a.Address)
	}
	return out
}

func sigs(v *Vector) [][]byte {
	var out [][]byte
	for _, s := range v.Signatures {
		out = append(out, bytes.Clone(s))
	}
	return out
}

// makeVector builds the vector from fixed inputs.
func makeVector(t testing.TB) *Vector {
	v := &Vector{Comment: "Liaison record attestation v1 (docs/ARCHITECTURE.md, proofs/attestation). " +
		"Test keys only. Regenerate with: go test ./proofs/attestation -run TestVector -update", Threshold: 2}
	for i := range 3 {
		seed := sha256.Sum256(fmt.Appendf(nil, "liaison attestation test key %d", i))
		k, err := crypto.ToECDSA(seed[:])
		if err != nil {
			t.Fatal(err)
		}
		v.Attestors = append(v.Attestors, struct {
			Key     hexutil.Bytes  `json:"key"`
			Address common.Address `json:"address"`
		}{crypto.FromECDSA(k), crypto.PubkeyToAddress(k.PublicKey)})
	}
	v.EVM.ChainID = 1337
	v.EVM.Inbox = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
	v.EVM.Destination = mustEVMDestination(t, new(big.Int).SetUint64(v.EVM.ChainID), v.EVM.Inbox)
	v.Fabric.Channel, v.Fabric.Chaincode, v.Fabric.ChainName = "registry", "records", "business-registry"
	v.Fabric.Destination = FabricDestination(v.Fabric.Channel, v.Fabric.Chaincode, v.Fabric.ChainName)
	v.Attestation.Destination = v.EVM.Destination
	v.Attestation.Nonce = 7
	for i := range 3 {
		h := func(what string) common.Hash { return sha256.Sum256(fmt.Appendf(nil, "%s %d", what, i)) }
		v.Attestation.Records = append(v.Attestation.Records, struct {
			ID           common.Hash `json:"id"`
			Digest       common.Hash `json:"digest"`
			EvidenceHash common.Hash `json:"evidence_hash"`
		}{h("id"), h("digest"), h("evidence")})
	}
	v.Data = v.attestation().Encode()
	v.SigningInput = SigningInput(v.Data)
	for _, k := range v.keys(t) {
		sig, err := Sign(v.Data, k)
		if err != nil {
			t.Fatal(err)
		}
		v.Signatures = append(v.Signatures, sig)
		v.Signers = append(v.Signers, crypto.PubkeyToAddress(k.PublicKey))
	}
	return v
}

func loadVector(t testing.TB) *Vector {
	b, err := os.ReadFile("testdata/vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v Vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// TestVector checks the committed vector against this package: the
// encoding, the destinations, the signing input and the signers.
func TestVector(t *testing.T) {
	if *update {
		b, err := json.MarshalIndent(makeVector(t), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/vector.json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v := loadVector(t)
	if got := v.attestation().Encode(); !bytes.Equal(got, v.Data) {
		t.Fatalf("Encode = %x\nvector  %x", got, v.Data)
	}
	a, err := Decode(v.Data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Encode(), v.Data) || a.Nonce != v.Attestation.Nonce || len(a.Records) != 3 {
		t.Fatalf("Decode round trip: %+v", a)
	}
	if got := mustEVMDestination(t, new(big.Int).SetUint64(v.EVM.ChainID), v.EVM.Inbox); got != v.EVM.Destination {
		t.Fatalf("EVMDestination = %x, vector %x", got, v.EVM.Destination)
	}
	if got := FabricDestination(v.Fabric.Channel, v.Fabric.Chaincode, v.Fabric.ChainName); got != v.Fabric.Destination {
		t.Fatalf("FabricDestination = %x, vector %x", got, v.Fabric.Destination)
	}
	if got := SigningInput(v.Data); got != v.SigningInput {
		t.Fatalf("SigningInput = %x, vector %x", got, v.SigningInput)
	}
	signers, err := Verify(v.Data, sigs(v), v.addresses(), v.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range signers {
		if s != v.Signers[i] {
			t.Fatalf("signature %d from %s, vector %s", i, s, v.Signers[i])
		}
	}
	// The keys sign exactly the vector's signatures (RFC 6979).
	for i, k := range v.keys(t) {
		if sig, err := Sign(v.Data, k); err != nil || !bytes.Equal(sig, v.Signatures[i]) {
			t.Fatalf("Sign with key %d = %x (%v), vector %x", i, sig, err, v.Signatures[i])
		}
	}
}

// TestEncodeMatchesABI checks the hand-written encoding against
// go-ethereum's ABI encoder for the Solidity struct.
func TestEncodeMatchesABI(t *testing.T) {
	typ, err := abi.NewType("tuple", "Attestation", []abi.ArgumentMarshaling{
		{Name: "destination", Type: "bytes32"},
		{Name: "nonce", Type: "uint64"},
		{Name: "records", Type: "tuple[]", Components: []abi.ArgumentMarshaling{
			{Name: "id", Type: "bytes32"}, {Name: "digest", Type: "bytes32"}, {Name: "evidenceHash", Type: "bytes32"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	type entry struct{ Id, Digest, EvidenceHash [32]byte }
	type att struct {
		Destination [32]byte
		Nonce       uint64
		Records     []entry
	}
	for _, n := range []int{1, 2, 5, MaxRecords} {
		a := &Attestation{Nonce: uint64(n) << 40, Destination: sha256.Sum256([]byte{byte(n)})}
		x := att{Destination: a.Destination, Nonce: a.Nonce}
		for i := range n {
			e := Entry{ID: sha256.Sum256([]byte{1, byte(i)}), Digest: sha256.Sum256([]byte{2, byte(i)}), EvidenceHash: sha256.Sum256([]byte{3, byte(i)})}
			a.Records = append(a.Records, e)
			x.Records = append(x.Records, entry{e.ID, e.Digest, e.EvidenceHash})
		}
		want, err := abi.Arguments{{Type: typ}}.Pack(x)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Encode(); !bytes.Equal(got, want) {
			t.Fatalf("%d records: Encode differs from abi.encode:\n%x\n%x", n, got, want)
		}
	}
}

func TestDecodeRefusesNonCanonical(t *testing.T) {
	v := loadVector(t)
	cases := map[string]func([]byte) []byte{
		"empty":            func([]byte) []byte { return nil },
		"truncated":        func(d []byte) []byte { return d[:len(d)-1] },
		"trailing byte":    func(d []byte) []byte { return append(d, 0) },
		"trailing word":    func(d []byte) []byte { return append(d, make([]byte, 32)...) },
		"tuple offset":     func(d []byte) []byte { d[31] = 0x40; return d },
		"records offset":   func(d []byte) []byte { d[4*32-1] = 0x80; return d },
		"nonce high bytes": func(d []byte) []byte { d[2*32] = 1; return d },
		"count high bytes": func(d []byte) []byte { d[4*32] = 1; return d },
		"count too large":  func(d []byte) []byte { d[5*32-1] = 4; return d },
		"count zero":       func(d []byte) []byte { d[5*32-1] = 0; return d[:5*32] },
		"count over limit": func(d []byte) []byte { binaryPut(d[4*32:5*32], MaxRecords+1); return d },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			if a, err := Decode(mut(bytes.Clone(v.Data))); !errors.Is(err, ErrEncoding) {
				t.Fatalf("Decode = %+v, %v; want ErrEncoding", a, err)
			}
		})
	}
}

func binaryPut(w []byte, n uint64) { putUint(w, n) }

// TestEveryByteOfDataMatters flips each byte of the data: the signatures
// no longer verify (the signing input covers every byte).
func TestEveryByteOfDataMatters(t *testing.T) {
	v := loadVector(t)
	for i := range v.Data {
		d := bytes.Clone(v.Data)
		d[i] ^= 0x01
		if _, err := Verify(d, sigs(v), v.addresses(), v.Threshold); err == nil {
			t.Fatalf("byte %d flipped: still verifies", i)
		}
	}
}

// TestEveryByteOfSignaturesMatters flips each byte of each signature.
func TestEveryByteOfSignaturesMatters(t *testing.T) {
	v := loadVector(t)
	for j := range v.Signatures {
		for i := range SignatureLength {
			s := sigs(v)
			s[j][i] ^= 0x01
			if _, err := Verify(v.Data, s, v.addresses(), v.Threshold); err == nil {
				t.Fatalf("signature %d byte %d flipped: still verifies", j, i)
			}
		}
	}
}

func TestVerifyRules(t *testing.T) {
	v := loadVector(t)
	attestors := v.addresses()
	other, _ := crypto.GenerateKey()
	otherSig, err := Sign(v.Data, other)
	if err != nil {
		t.Fatal(err)
	}
	malleate := func(sig []byte) []byte {
		s := bytes.Clone(sig)
		sv := new(big.Int).SetBytes(s[32:64])
		sv.Sub(secpN, sv)
		sv.FillBytes(s[32:64])
		s[64] ^= 1 // 27 <-> 28
		return s
	}
	raw := func(sig []byte) []byte { s := bytes.Clone(sig); s[64] -= 27; return s }
	cases := []struct {
		name      string
		sigs      [][]byte
		attestors []common.Address
		threshold int
		want      error
	}{
		{"two of three", sigs(v)[:2], attestors, 2, nil},
		{"three of three", sigs(v), attestors, 3, nil},
		{"v as 0 or 1", [][]byte{raw(v.Signatures[0]), raw(v.Signatures[2])}, attestors, 2, nil},
		{"one below threshold", sigs(v)[:1], attestors, 2, ErrQuorum},
		{"none", nil, attestors, 1, ErrQuorum},
		{"same signature twice", [][]byte{v.Signatures[0], v.Signatures[0]}, attestors, 2, ErrDuplicateSigner},
		{"same signer, v as 0/1 and 27/28", [][]byte{v.Signatures[1], raw(v.Signatures[1])}, attestors, 2, ErrDuplicateSigner},
		{"malleated copy", [][]byte{v.Signatures[0], malleate(v.Signatures[0])}, attestors, 2, ErrSignature},
		{"unknown signer", [][]byte{v.Signatures[0], otherSig}, attestors, 2, ErrUnknownSigner},
		{"removed attestor", sigs(v)[:2], attestors[1:], 1, ErrUnknownSigner},
		{"short signature", [][]byte{v.Signatures[0][:64], v.Signatures[1]}, attestors, 2, ErrSignature},
		{"v is 2", [][]byte{append(bytes.Clone(v.Signatures[0][:64]), 2), v.Signatures[1]}, attestors, 2, ErrSignature},
		{"r is zero", [][]byte{append(make([]byte, 32), v.Signatures[0][32:]...), v.Signatures[1]}, attestors, 2, ErrSignature},
		{"threshold zero", sigs(v), attestors, 0, ErrSet},
		{"threshold over set", sigs(v), attestors, 4, ErrSet},
		{"attestor listed twice", sigs(v), append(attestors, attestors[0]), 2, ErrSet},
		{"zero attestor", sigs(v), append(attestors, common.Address{}), 2, ErrSet},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Verify(v.Data, c.sigs, c.attestors, c.threshold)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

// TestDestinationsDiffer: the two kinds, and every input, give distinct
// identifiers.
func TestDestinationsDiffer(t *testing.T) {
	seen := map[[32]byte]string{}
	add := func(name string, d [32]byte) {
		if prev, ok := seen[d]; ok {
			t.Fatalf("%s and %s share a destination", name, prev)
		}
		seen[d] = name
	}
	add("evm 1 a", mustEVMDestination(t, big.NewInt(1), common.HexToAddress("0xa")))
	add("evm 2 a", mustEVMDestination(t, big.NewInt(2), common.HexToAddress("0xa")))
	add("evm 1 b", mustEVMDestination(t, big.NewInt(1), common.HexToAddress("0xb")))
	add("fabric c r x", FabricDestination("c", "r", "x"))
	add("fabric c r2 x", FabricDestination("c", "r2", "x"))
	add("fabric cx r ''", FabricDestination("cx", "r", ""))
	add("fabric '' r cx", FabricDestination("", "r", "cx"))
	add("fabric x r c", FabricDestination("x", "r", "c"))
	add("fabric r c x", FabricDestination("r", "c", "x"))
}

func mustEVMDestination(t testing.TB, chainID *big.Int, inbox common.Address) [32]byte {
	t.Helper()
	d, err := EVMDestination(chainID, inbox)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
