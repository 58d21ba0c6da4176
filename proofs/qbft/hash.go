package qbft

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// BlockHash returns the on-chain hash of a QBFT or IBFT 2.0 header: the hash
// that the next header's parentHash and eth_getBlockByNumber's "hash" carry.
// It is keccak256(RLP(header)) with the extra data replaced by
//
//	QBFT:  [vanity, validators, vote, 0x80 (round 0), 0xc0 (no seals)]
//	IBFT2: [vanity, validators, vote]
//
// go-ethereum's Header.Hash hashes the unmodified extra data and is wrong for
// these chains. Like Besu, the genesis header (number 0) is hashed unmodified;
// GoQuorum filters it too, which gives the same hash for every genesis whose
// extra data already has round 0 and no seals, as genesis tools write it.
// Errors wrap ErrBadHeader, ErrBadExtra or ErrVariant.
func BlockHash(variant Variant, h *types.Header) (common.Hash, error) {
	return headerHash(variant, h, false)
}

// SealHash returns the hash that each committed seal signs: keccak256(RLP(
// header)) with the extra data replaced by
//
//	QBFT:  [vanity, validators, vote, round, 0xc0 (no seals)]
//	IBFT2: [vanity, validators, vote, round]
//
// The round is part of the preimage, so a seal made in another round does not
// verify. Errors wrap ErrBadHeader, ErrBadExtra or ErrVariant.
func SealHash(variant Variant, h *types.Header) (common.Hash, error) {
	return headerHash(variant, h, true)
}

func headerHash(variant Variant, h *types.Header, seal bool) (common.Hash, error) {
	if err := checkHeaderShape(h); err != nil {
		return common.Hash{}, err
	}
	if h.Number.Sign() == 0 {
		if !variant.Valid() {
			return common.Hash{}, fmt.Errorf("%w: %v", ErrVariant, variant)
		}
		return rlpHash(h)
	}
	e, err := ParseExtra(variant, h.Extra)
	if err != nil {
		return common.Hash{}, err
	}
	return e.headerHash(h, seal)
}

// headerHash hashes h with its extra data replaced by e's hash form. e must be
// the parsed extra data of h.
func (e *Extra) headerHash(h *types.Header, seal bool) (common.Hash, error) {
	if h.Number.Sign() == 0 {
		return rlpHash(h)
	}
	cpy := *h // a shallow copy: only Extra is replaced, nothing is mutated
	cpy.Extra = e.hashExtra(seal)
	return rlpHash(&cpy)
}

func rlpHash(h *types.Header) (common.Hash, error) {
	enc, err := rlp.EncodeToBytes(h)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%w: %w", ErrBadHeader, err)
	}
	return crypto.Keccak256Hash(enc), nil
}

// checkHeaderShape rejects a nil header and one whose number is missing or
// does not fit a uint64: such a header has no height to verify.
func checkHeaderShape(h *types.Header) error {
	switch {
	case h == nil:
		return fmt.Errorf("%w: nil header", ErrBadHeader)
	case h.Number == nil || h.Number.Sign() < 0 || !h.Number.IsUint64():
		return fmt.Errorf("%w: number missing or out of range", ErrBadHeader)
	}
	return nil
}
