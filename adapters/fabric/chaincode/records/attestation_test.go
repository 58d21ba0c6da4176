package records

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
)

// attestationVector is the part of the relayer's committee attestation
// test vector (proofs/attestation/testdata/vector.json) that the chaincode
// checks.
type attestationVector struct {
	Attestors []struct {
		Key     string `json:"key"`
		Address string `json:"address"`
	} `json:"attestors"`
	Fabric struct {
		Channel     string `json:"channel"`
		Chaincode   string `json:"chaincode"`
		ChainName   string `json:"chain_name"`
		Destination string `json:"destination"`
	} `json:"fabric_destination"`
	Attestation struct {
		Destination string `json:"destination"`
		Nonce       uint64 `json:"nonce"`
		Records     []struct {
			ID           string `json:"id"`
			Digest       string `json:"digest"`
			EvidenceHash string `json:"evidence_hash"`
		} `json:"records"`
	} `json:"attestation"`
	Data         string   `json:"data"`
	SigningInput string   `json:"signing_input"`
	Signatures   []string `json:"signatures"`
	Signers      []string `json:"signers"`
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadAttestationVector(t testing.TB) attestationVector {
	t.Helper()
	b, err := os.ReadFile("../../../../proofs/attestation/testdata/vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v attestationVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAttestationVector(t *testing.T) {
	v := loadAttestationVector(t)
	data := unhex(t, v.Data)
	a, err := decodeAttestation(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Destination[:], unhex(t, v.Attestation.Destination)) || a.Nonce != v.Attestation.Nonce || len(a.Records) != len(v.Attestation.Records) {
		t.Fatalf("decoded %+v", a)
	}
	for i, r := range v.Attestation.Records {
		e := a.Records[i]
		if !bytes.Equal(e.ID[:], unhex(t, r.ID)) || !bytes.Equal(e.Digest[:], unhex(t, r.Digest)) || !bytes.Equal(e.EvidenceHash[:], unhex(t, r.EvidenceHash)) {
			t.Fatalf("record %d decoded as %x", i, e)
		}
	}
	if !bytes.Equal(encodeAttestation(a), data) {
		t.Fatal("encodeAttestation does not give back the vector's data")
	}
	h := attestationSigningInput(data)
	if !bytes.Equal(h[:], unhex(t, v.SigningInput)) {
		t.Fatalf("signing input %x, vector %s", h, v.SigningInput)
	}
	for i, s := range v.Signatures {
		addr, err := recoverAttestor(h, unhex(t, s))
		if err != nil || !bytes.Equal(addr[:], unhex(t, v.Signers[i])) {
			t.Fatalf("signature %d recovers %x (%v), vector %s", i, addr, err, v.Signers[i])
		}
		raw := unhex(t, s)
		raw[64] -= 27
		if addr2, err := recoverAttestor(h, raw); err != nil || addr2 != addr {
			t.Fatalf("signature %d with v as 0/1: %x (%v)", i, addr2, err)
		}
	}
	d := fabricDestination(v.Fabric.Channel, v.Fabric.Chaincode, v.Fabric.ChainName)
	if !bytes.Equal(d[:], unhex(t, v.Fabric.Destination)) {
		t.Fatalf("destination %x, vector %s", d, v.Fabric.Destination)
	}
}

func TestAttestationRefusals(t *testing.T) {
	v := loadAttestationVector(t)
	data := unhex(t, v.Data)
	for name, mut := range map[string]func([]byte) []byte{
		"truncated":        func(d []byte) []byte { return d[:len(d)-1] },
		"trailing word":    func(d []byte) []byte { return append(d, make([]byte, 32)...) },
		"tuple offset":     func(d []byte) []byte { d[31] = 0x40; return d },
		"records offset":   func(d []byte) []byte { d[127] = 0x80; return d },
		"nonce high bytes": func(d []byte) []byte { d[64] = 1; return d },
		"count mismatch":   func(d []byte) []byte { d[159] = 4; return d },
		"count zero":       func(d []byte) []byte { d[159] = 0; return d },
	} {
		if _, err := decodeAttestation(mut(bytes.Clone(data))); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: decoded (%v)", name, err)
		}
	}
	h := attestationSigningInput(data)
	sig := unhex(t, v.Signatures[0])
	high := bytes.Clone(sig)
	// s' = n - s, with v flipped, recovers the same key: refused.
	s := new(big.Int).SetBytes(high[32:64])
	s.Sub(secpN, s)
	s.FillBytes(high[32:64])
	high[64] ^= 1
	for name, bad := range map[string][]byte{
		"short":     sig[:64],
		"v is 2":    append(bytes.Clone(sig[:64]), 2),
		"v is 29":   append(bytes.Clone(sig[:64]), 29),
		"r is zero": append(make([]byte, 32), sig[32:]...),
		"high s":    high,
	} {
		if addr, err := recoverAttestor(h, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: recovered %x (%v)", name, addr, err)
		}
	}
	// Every byte of the data and of a signature matters.
	want := unhex(t, v.Signers[0])
	for i := range data {
		d := bytes.Clone(data)
		d[i] ^= 1
		if addr, err := recoverAttestor(attestationSigningInput(d), sig); err == nil && bytes.Equal(addr[:], want) {
			t.Fatalf("data byte %d flipped: same signer", i)
		}
	}
	for i := range sig {
		b := bytes.Clone(sig)
		b[i] ^= 1
		if addr, err := recoverAttestor(h, b); err == nil && bytes.Equal(addr[:], want) {
			t.Fatalf("signature byte %d flipped: same signer", i)
		}
	}
}

// FuzzAttestation feeds the chaincode's decoder and signer recovery
// arbitrary data and a signature, seeded from the shared vector. Decoding
// must round-trip exactly; a signature that recovers one of the vector's
// signers must be over the vector's data.
//
//	cd adapters/fabric/chaincode && go test -fuzz FuzzAttestation ./records/
func FuzzAttestation(f *testing.F) {
	v := loadAttestationVector(f)
	data := unhex(f, v.Data)
	for _, s := range v.Signatures {
		f.Add(data, unhex(f, s))
	}
	f.Add(data[:len(data)-96], unhex(f, v.Signatures[0]))
	signers := map[string]bool{}
	for _, s := range v.Signers {
		signers[strings.ToLower(s)] = true
	}
	f.Fuzz(func(t *testing.T, data, sig []byte) {
		if a, err := decodeAttestation(data); err == nil {
			if !bytes.Equal(encodeAttestation(a), data) {
				t.Fatalf("decodeAttestation accepted a non-canonical encoding %x", data)
			}
		} else if !errors.Is(err, ErrInvalid) {
			t.Fatalf("decodeAttestation: %v, not ErrInvalid", err)
		}
		addr, err := recoverAttestor(attestationSigningInput(data), sig)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("recoverAttestor: %v, not ErrInvalid", err)
			}
			return
		}
		if signers["0x"+hex.EncodeToString(addr[:])] && !bytes.Equal(data, unhex(t, v.Data)) {
			t.Fatalf("a vector signer's signature recovered over other data %x", data)
		}
	})
}
