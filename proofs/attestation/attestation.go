// Package attestation is the committee's statement over a batch of records,
// version 1: what M of N departments sign so that a destination ledger
// delivers the records on their word together, never on one operator's.
//
// # Format
//
// An attestation names one destination and lists records:
//
//	struct Entry       { bytes32 id; bytes32 digest; bytes32 evidenceHash; }
//	struct Attestation { bytes32 destination; uint64 nonce; Entry[] records; }
//
//	data          = abi.encode(Attestation)               // Solidity ABI, tuple-wrapped
//	signing input = sha256(0x4c ‖ sha256(data))
//	signature     = r ‖ s ‖ v (65 bytes), secp256k1, v ∈ {27, 28} (0 and 1 accepted)
//
// This follows the attestations light client of ibc-go v11 (ABI encoding,
// SHA-256, 65-byte secp256k1 signatures, a type tag before the data's hash),
// so that one attestor key serves the three ledgers. The tag 0x4c ('L')
// differs from that client's 0x01 (state) and 0x02 (packet): a signature
// over a record attestation is never a valid state or packet attestation,
// nor the reverse.
//
//   - id is the record ID and digest the destination ledger's own digest
//     of the record (the EVM Inbox's digestOf, the chaincode's RecordDigest):
//     the destination recomputes both from the record it is given and
//     compares.
//   - evidenceHash is the SHA-256 of the evidence bundle the signer
//     verified, byte for byte as stored.
//   - destination binds the attestation to one deployment (EVMDestination,
//     FabricDestination); nonce names the batch. Destinations do not enforce
//     the nonce: a replayed attestation is harmless, because delivering a
//     record twice is a no-op on every destination. A record ID may appear
//     twice in one attestation; the second is then a replay of the first.
//
// # Verification
//
// Verify accepts signatures that are 65 bytes long, have v in {0, 1, 27,
// 28}, r and s in [1, n-1] and s ≤ n/2 (the signer's canonical form; a
// malleated copy of a signature is refused, not counted), recover to a
// member of the attestor set, and are from distinct signers; at least
// threshold of them. Any signature that fails these rules fails the whole
// attestation, as in ibc-go's client. Decode accepts only the canonical
// encoding: exactly the bytes Encode produces.
package attestation

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Tag is the type tag hashed before the data's hash in the signing input.
const Tag byte = 0x4c

// MaxRecords bounds the records of one attestation.
const MaxRecords = 1024

// SignatureLength is the length of a signature: r ‖ s ‖ v.
const SignatureLength = 65

// Entry is one record in an attestation.
type Entry struct {
	ID           [32]byte
	Digest       [32]byte
	EvidenceHash [32]byte
}

// Attestation is a batch of records for one destination.
type Attestation struct {
	Destination [32]byte
	Nonce       uint64
	Records     []Entry
}

// Errors that Decode and Verify wrap.
var (
	// ErrEncoding: the data is not a canonical encoding of an Attestation.
	ErrEncoding = errors.New("attestation: not a canonical encoding")
	// ErrSignature: a signature is malformed or does not recover.
	ErrSignature = errors.New("attestation: bad signature")
	// ErrUnknownSigner: a signature recovers to an address outside the
	// attestor set.
	ErrUnknownSigner = errors.New("attestation: signer is not an attestor")
	// ErrDuplicateSigner: two signatures recover to the same attestor.
	ErrDuplicateSigner = errors.New("attestation: duplicate signer")
	// ErrQuorum: fewer valid signatures than the threshold.
	ErrQuorum = errors.New("attestation: below threshold")
	// ErrSet: the attestor set or threshold is unusable.
	ErrSet = errors.New("attestation: bad attestor set")
)

const word = 32

// headLen is the fixed part of the encoding: the outer offset, the
// destination, the nonce, the records' offset and their count.
const headLen = 5 * word

const entryLen = 3 * word

// Encode returns abi.encode(a) as Solidity computes it for the struct
// above. It panics on more than MaxRecords records or none: those are
// caller errors, never data from outside.
func (a *Attestation) Encode() []byte {
	if len(a.Records) == 0 || len(a.Records) > MaxRecords {
		panic(fmt.Sprintf("attestation: %d records, want 1 to %d", len(a.Records), MaxRecords))
	}
	out := make([]byte, headLen+entryLen*len(a.Records))
	putUint(out[0:word], word)                          // offset of the tuple
	copy(out[word:2*word], a.Destination[:])            // destination
	putUint(out[2*word:3*word], a.Nonce)                // nonce
	putUint(out[3*word:4*word], 3*word)                 // offset of records, from the tuple's start
	putUint(out[4*word:5*word], uint64(len(a.Records))) // length of records
	for i, e := range a.Records {
		p := out[headLen+i*entryLen:]
		copy(p[0:word], e.ID[:])
		copy(p[word:2*word], e.Digest[:])
		copy(p[2*word:3*word], e.EvidenceHash[:])
	}
	return out
}

// Decode parses the canonical encoding of an Attestation.
func Decode(data []byte) (*Attestation, error) {
	if len(data) < headLen+entryLen {
		return nil, fmt.Errorf("%w: %d bytes, want at least %d", ErrEncoding, len(data), headLen+entryLen)
	}
	if v, ok := getUint(data[0:word]); !ok || v != word {
		return nil, fmt.Errorf("%w: tuple offset is not 32", ErrEncoding)
	}
	if v, ok := getUint(data[3*word : 4*word]); !ok || v != 3*word {
		return nil, fmt.Errorf("%w: records offset is not 96", ErrEncoding)
	}
	nonce, ok := getUint(data[2*word : 3*word])
	if !ok {
		return nil, fmt.Errorf("%w: nonce is not a uint64", ErrEncoding)
	}
	n, ok := getUint(data[4*word : 5*word])
	if !ok || n == 0 || n > MaxRecords {
		return nil, fmt.Errorf("%w: record count must be 1 to %d", ErrEncoding, MaxRecords)
	}
	if want := headLen + entryLen*int(n); len(data) != want {
		return nil, fmt.Errorf("%w: %d bytes for %d records, want %d", ErrEncoding, len(data), n, want)
	}
	a := &Attestation{Nonce: nonce, Records: make([]Entry, n)}
	copy(a.Destination[:], data[word:2*word])
	for i := range a.Records {
		p := data[headLen+i*entryLen:]
		copy(a.Records[i].ID[:], p[0:word])
		copy(a.Records[i].Digest[:], p[word:2*word])
		copy(a.Records[i].EvidenceHash[:], p[2*word:3*word])
	}
	return a, nil
}

// putUint writes v as a 32-byte big-endian word.
func putUint(w []byte, v uint64) {
	clear(w[:word-8])
	binary.BigEndian.PutUint64(w[word-8:word], v)
}

// getUint reads a 32-byte word that must hold a uint64.
func getUint(w []byte) (uint64, bool) {
	for _, b := range w[:word-8] {
		if b != 0 {
			return 0, false
		}
	}
	return binary.BigEndian.Uint64(w[word-8 : word]), true
}

// SigningInput is the hash an attestor signs: sha256(Tag ‖ sha256(data)).
func SigningInput(data []byte) [32]byte {
	inner := sha256.Sum256(data)
	var pre [1 + sha256.Size]byte
	pre[0] = Tag
	copy(pre[1:], inner[:])
	return sha256.Sum256(pre[:])
}

// Sign signs data (an encoded Attestation) with key: r ‖ s ‖ v, v in {27,
// 28}, s in the lower half of the curve order.
func Sign(data []byte, key *ecdsa.PrivateKey) ([]byte, error) {
	h := SigningInput(data)
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

var (
	secpN     = crypto.S256().Params().N
	secpHalfN = new(big.Int).Rsh(secpN, 1)
)

// recoverHash returns the address that signed h with sig, after checking
// the signature's form (see the package comment).
func recoverHash(h [32]byte, sig []byte) (common.Address, error) {
	if len(sig) != SignatureLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want %d", ErrSignature, len(sig), SignatureLength)
	}
	v := sig[64]
	switch v {
	case 0, 1:
	case 27, 28:
		v -= 27
	default:
		return common.Address{}, fmt.Errorf("%w: v is %d, want 0, 1, 27 or 28", ErrSignature, sig[64])
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(secpN) >= 0 || s.Cmp(secpN) >= 0 {
		return common.Address{}, fmt.Errorf("%w: r or s out of range", ErrSignature)
	}
	if s.Cmp(secpHalfN) > 0 {
		return common.Address{}, fmt.Errorf("%w: s is in the upper half of the curve order (a malleated signature)", ErrSignature)
	}
	raw := make([]byte, SignatureLength)
	copy(raw, sig)
	raw[64] = v
	pub, err := crypto.SigToPub(h[:], raw)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Verify checks that at least threshold distinct members of attestors
// signed data, and that every signature is well formed and from a member.
// It returns the signers in the order of sigs. It does not decode data:
// callers decode it (Decode) and compare its records with theirs.
func Verify(data []byte, sigs [][]byte, attestors []common.Address, threshold int) ([]common.Address, error) {
	if threshold < 1 || threshold > len(attestors) {
		return nil, fmt.Errorf("%w: threshold %d of %d attestors", ErrSet, threshold, len(attestors))
	}
	set := make(map[common.Address]bool, len(attestors))
	for _, a := range attestors {
		if a == (common.Address{}) || set[a] {
			return nil, fmt.Errorf("%w: attestor %s is zero or listed twice", ErrSet, a)
		}
		set[a] = true
	}
	if len(sigs) < threshold {
		return nil, fmt.Errorf("%w: %d signatures, want at least %d", ErrQuorum, len(sigs), threshold)
	}
	if len(sigs) > len(attestors) {
		// They cannot all be distinct members; refused before any work
		// in proportion to their number.
		return nil, fmt.Errorf("%w: %d signatures for %d attestors", ErrDuplicateSigner, len(sigs), len(attestors))
	}
	h := SigningInput(data)
	seen := make(map[common.Address]bool, len(sigs))
	signers := make([]common.Address, len(sigs))
	for i, sig := range sigs {
		a, err := recoverHash(h, sig)
		if err != nil {
			return nil, fmt.Errorf("signature %d: %w", i, err)
		}
		if !set[a] {
			return nil, fmt.Errorf("signature %d: %w: %s", i, ErrUnknownSigner, a)
		}
		if seen[a] {
			return nil, fmt.Errorf("signature %d: %w: %s", i, ErrDuplicateSigner, a)
		}
		seen[a] = true
		signers[i] = a
	}
	return signers, nil
}
