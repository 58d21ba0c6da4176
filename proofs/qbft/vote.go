package qbft

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// VoteKind says whether a header's vote proposes to add or to drop a
// validator. The zero value is invalid.
type VoteKind uint8

const (
	// VoteAdd proposes to add Vote.Address to the validator set. It is the
	// byte 0xff in both variants.
	VoteAdd VoteKind = iota + 1
	// VoteDrop proposes to remove Vote.Address. QBFT encodes it as the empty
	// string 0x80 (Besu also reads a raw 0x00); IBFT 2.0 as the byte 0x00.
	VoteDrop
)

// String returns "add" or "drop".
func (k VoteKind) String() string {
	switch k {
	case VoteAdd:
		return "add"
	case VoteDrop:
		return "drop"
	default:
		return fmt.Sprintf("votekind(%d)", uint8(k))
	}
}

// MarshalText encodes the kind as "add" or "drop".
func (k VoteKind) MarshalText() ([]byte, error) {
	if k != VoteAdd && k != VoteDrop {
		return nil, fmt.Errorf("qbft: cannot encode %v", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText accepts "add" or "drop".
func (k *VoteKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "add":
		*k = VoteAdd
	case "drop":
		*k = VoteDrop
	default:
		return fmt.Errorf("qbft: unknown vote kind %q (want \"add\" or \"drop\")", b)
	}
	return nil
}

// Vote is the validator vote a proposer may put into its header. One vote is
// one ballot; Besu and GoQuorum change the set only when the ballots for the
// same proposal reach a majority (see VerifyAdjacent).
type Vote struct {
	Address common.Address `json:"address"`
	Kind    VoteKind       `json:"kind"`
}

// String returns e.g. "add 0x…" for logs and error messages.
func (v *Vote) String() string {
	if v == nil {
		return "no vote"
	}
	return v.Kind.String() + " " + v.Address.Hex()
}
