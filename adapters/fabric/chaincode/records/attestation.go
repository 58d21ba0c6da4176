package records

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"
)

// The committee's record attestation, version 1 (docs/ARCHITECTURE.md,
// "Committee attestations"; the relayer's proofs/attestation package is the
// reference). The chaincode has its own implementation, with no dependency
// on go-ethereum, checked against the same test vector:
//
//	data          = abi.encode((bytes32 destination, uint64 nonce,
//	                            (bytes32 id, bytes32 digest, bytes32 evidenceHash)[] records))
//	signing input = sha256(0x4c ‖ sha256(data))
//	signature     = r ‖ s ‖ v, secp256k1, v ∈ {0, 1, 27, 28}, s ≤ n/2
//	destination   = sha256(abi.encode("liaison/fabric/v1", channel, chaincode, chainName))

const (
	attestationTag        = 0x4c
	maxAttestationRecords = 1024
	abiWord               = 32
	attHead               = 5 * abiWord
	attEntry              = 3 * abiWord
)

// attEntryT is one record of an attestation.
type attEntryT struct {
	ID, Digest, EvidenceHash [32]byte
}

// attestationT is a decoded attestation.
type attestationT struct {
	Destination [32]byte
	Nonce       uint64
	Records     []attEntryT
}

// decodeAttestation parses the canonical encoding only: any other byte
// string, even one a lenient ABI decoder would accept, is ErrInvalid.
func decodeAttestation(data []byte) (*attestationT, error) {
	bad := func(why string) error { return fmt.Errorf("%w: attestation: %s", ErrInvalid, why) }
	if len(data) < attHead+attEntry {
		return nil, bad("too short")
	}
	if v, ok := abiUint(data[0:abiWord]); !ok || v != abiWord {
		return nil, bad("tuple offset is not 32")
	}
	if v, ok := abiUint(data[3*abiWord : 4*abiWord]); !ok || v != 3*abiWord {
		return nil, bad("records offset is not 96")
	}
	nonce, ok := abiUint(data[2*abiWord : 3*abiWord])
	if !ok {
		return nil, bad("nonce is not a uint64")
	}
	n, ok := abiUint(data[4*abiWord : 5*abiWord])
	if !ok || n == 0 || n > maxAttestationRecords {
		return nil, bad(fmt.Sprintf("record count must be 1 to %d", maxAttestationRecords))
	}
	if len(data) != attHead+attEntry*int(n) {
		return nil, bad("length does not match the record count")
	}
	a := &attestationT{Nonce: nonce, Records: make([]attEntryT, n)}
	copy(a.Destination[:], data[abiWord:2*abiWord])
	for i := range a.Records {
		p := data[attHead+i*attEntry:]
		copy(a.Records[i].ID[:], p[0:abiWord])
		copy(a.Records[i].Digest[:], p[abiWord:2*abiWord])
		copy(a.Records[i].EvidenceHash[:], p[2*abiWord:3*abiWord])
	}
	return a, nil
}

// encodeAttestation is abi.encode(a), the canonical encoding that
// decodeAttestation reads.
func encodeAttestation(a *attestationT) []byte {
	out := make([]byte, attHead+attEntry*len(a.Records))
	putWord := func(w []byte, v uint64) { binary.BigEndian.PutUint64(w[abiWord-8:abiWord], v) }
	putWord(out[0:abiWord], abiWord)
	copy(out[abiWord:2*abiWord], a.Destination[:])
	putWord(out[2*abiWord:3*abiWord], a.Nonce)
	putWord(out[3*abiWord:4*abiWord], 3*abiWord)
	putWord(out[4*abiWord:5*abiWord], uint64(len(a.Records)))
	for i, e := range a.Records {
		p := out[attHead+i*attEntry:]
		copy(p[0:abiWord], e.ID[:])
		copy(p[abiWord:2*abiWord], e.Digest[:])
		copy(p[2*abiWord:3*abiWord], e.EvidenceHash[:])
	}
	return out
}

// abiUint reads a 32-byte word that must hold a uint64.
func abiUint(w []byte) (uint64, bool) {
	for _, b := range w[:abiWord-8] {
		if b != 0 {
			return 0, false
		}
	}
	return binary.BigEndian.Uint64(w[abiWord-8:]), true
}

// attestationSigningInput is sha256(0x4c ‖ sha256(data)).
func attestationSigningInput(data []byte) [32]byte {
	inner := sha256.Sum256(data)
	return sha256.Sum256(append([]byte{attestationTag}, inner[:]...))
}

var (
	secpN     = secp256k1.S256().N
	secpHalfN = new(big.Int).Rsh(secpN, 1)
)

// recoverAttestor returns the Ethereum-style address (the last 20 bytes
// of keccak256 of the uncompressed public key) that signed h with sig,
// after the format's checks on sig.
func recoverAttestor(h [32]byte, sig []byte) ([20]byte, error) {
	var addr [20]byte
	if len(sig) != 65 {
		return addr, fmt.Errorf("%w: signature of %d bytes, want 65", ErrInvalid, len(sig))
	}
	v := sig[64]
	if v >= 27 {
		v -= 27
	}
	if v > 1 {
		return addr, fmt.Errorf("%w: signature v is %d, want 0, 1, 27 or 28", ErrInvalid, sig[64])
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(secpN) >= 0 || s.Cmp(secpHalfN) > 0 {
		return addr, fmt.Errorf("%w: signature r or s out of range (s must be at most n/2)", ErrInvalid)
	}
	compact := make([]byte, 65)
	compact[0] = 27 + v
	copy(compact[1:], sig[:64])
	pub, _, err := ecdsa.RecoverCompact(compact, h[:])
	if err != nil {
		return addr, fmt.Errorf("%w: signature does not recover: %v", ErrInvalid, err)
	}
	k := sha3.NewLegacyKeccak256()
	k.Write(pub.SerializeUncompressed()[1:])
	copy(addr[:], k.Sum(nil)[12:])
	return addr, nil
}

// fabricDestination is the destination identifier of the records
// chaincode deployed as chaincode on channel with chain name chainName:
// sha256(abi.encode("liaison/fabric/v1", channel, chaincode, chainName)).
// The chaincode name tells two deployments on one channel apart.
func fabricDestination(channel, chaincode, chainName string) [32]byte {
	parts := []string{"liaison/fabric/v1", channel, chaincode, chainName}
	head := make([]byte, 0, len(parts)*abiWord)
	var tail []byte
	for _, p := range parts {
		head = binary.BigEndian.AppendUint64(append(head, make([]byte, abiWord-8)...), uint64(len(parts)*abiWord+len(tail)))
		tail = binary.BigEndian.AppendUint64(append(tail, make([]byte, abiWord-8)...), uint64(len(p)))
		tail = append(tail, p...)
		if r := len(p) % abiWord; r != 0 {
			tail = append(tail, make([]byte, abiWord-r)...)
		}
	}
	return sha256.Sum256(append(head, tail...))
}
