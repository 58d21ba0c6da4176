package fabric

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/sha3"
	"errors"
	"fmt"
	"hash"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// hashFamily is an MSP's signature hash family (FabricCryptoConfig): Fabric
// hashes the message with SHA-256 (family SHA2) or SHA3-256 (SHA3) and signs
// the digest, whatever the curve.
type hashFamily uint8

const (
	hashSHA2 hashFamily = iota
	hashSHA3
)

func parseHashFamily(s string) (hashFamily, error) {
	switch s {
	case "", "SHA2":
		return hashSHA2, nil
	case "SHA3":
		return hashSHA3, nil
	}
	return 0, fmt.Errorf("signature hash family %q is not supported", s)
}

func (f hashFamily) String() string {
	if f == hashSHA3 {
		return "SHA3"
	}
	return "SHA2"
}

func (f hashFamily) new() hash.Hash {
	if f == hashSHA3 {
		return sha3.New256()
	}
	return sha256.New()
}

// digest hashes the concatenation of parts.
func (f hashFamily) digest(parts ...[]byte) []byte {
	h := f.new()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

var errBadSignature = errors.New("signature does not verify")

// verifyECDSA checks a DER-encoded ECDSA signature over digest the way
// Fabric's BCCSP does: strict DER, r and s in [1, n-1], and s in the lower
// half of the order (Fabric rejects high-S signatures, so each signature
// has one encoding only).
func verifyECDSA(pub *ecdsa.PublicKey, digest, sig []byte) error {
	var r, s big.Int
	in := cryptobyte.String(sig)
	var inner cryptobyte.String
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !in.Empty() ||
		!inner.ReadASN1Integer(&r) || !inner.ReadASN1Integer(&s) || !inner.Empty() {
		return errors.New("signature is not a DER ECDSA signature")
	}
	n := pub.Curve.Params().N
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(n) >= 0 || s.Cmp(n) >= 0 {
		return errors.New("signature values out of range")
	}
	halfN := new(big.Int).Rsh(n, 1)
	if s.Cmp(halfN) > 0 {
		return errors.New("signature has a high S value")
	}
	if !ecdsa.VerifyASN1(pub, digest, sig) { // the same r and s, parsed again
		return errBadSignature
	}
	return nil
}

// headerBytes returns the DER form of a block header that Fabric hashes
// and the orderers sign: SEQUENCE { INTEGER number, OCTET STRING
// previous_hash, OCTET STRING data_hash }.
func headerBytes(number uint64, prev, dataHash []byte) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Uint64(number)
		b.AddASN1OctetString(prev)
		b.AddASN1OctetString(dataHash)
	})
	return b.Bytes()
}
