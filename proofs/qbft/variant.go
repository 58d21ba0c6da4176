package qbft

import "fmt"

// Variant selects the extra-data codec and the hashing rules of a BFT chain.
// The zero value is not a valid variant, so a forgotten field fails loudly.
type Variant uint8

const (
	// QBFT is the QBFT protocol of Hyperledger Besu and GoQuorum: the round is
	// an RLP scalar, "no vote" is 0xc0, a drop vote carries 0x80, and both
	// hashes keep five extra-data items.
	QBFT Variant = iota + 1
	// IBFT2 is IBFT 2.0 of Hyperledger Besu: the round is a fixed four-byte
	// string, "no vote" is 0x80, a drop vote carries 0x00, the seal hash
	// omits the seals item and the block hash omits the round and the seals.
	IBFT2
)

// String returns "qbft" or "ibft2".
func (v Variant) String() string {
	switch v {
	case QBFT:
		return "qbft"
	case IBFT2:
		return "ibft2"
	default:
		return fmt.Sprintf("variant(%d)", uint8(v))
	}
}

// Valid reports whether v is QBFT or IBFT2.
func (v Variant) Valid() bool { return v == QBFT || v == IBFT2 }

// MarshalText encodes the variant as "qbft" or "ibft2". It fails for an
// invalid variant so that a broken trust anchor is never persisted.
func (v Variant) MarshalText() ([]byte, error) {
	if !v.Valid() {
		return nil, fmt.Errorf("qbft: cannot encode %v", v)
	}
	return []byte(v.String()), nil
}

// UnmarshalText accepts "qbft" or "ibft2".
func (v *Variant) UnmarshalText(b []byte) error {
	switch string(b) {
	case "qbft":
		*v = QBFT
	case "ibft2":
		*v = IBFT2
	default:
		return fmt.Errorf("qbft: unknown variant %q (want \"qbft\" or \"ibft2\")", b)
	}
	return nil
}

// Quorum returns ceil(2n/3), the number of distinct committed seals from a
// header's own validator list that Besu and GoQuorum require. It returns 0
// for n <= 0.
func Quorum(n int) int {
	if n <= 0 {
		return 0
	}
	return (2*n + 2) / 3
}

// SkipThreshold returns the smallest k with 3k > 2n: the number of seals
// from a trusted set of n validators that VerifySkip requires (strictly
// more than two thirds). It returns 0 for n <= 0.
func SkipThreshold(n int) int {
	if n <= 0 {
		return 0
	}
	return 2*n/3 + 1
}
