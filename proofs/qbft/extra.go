package qbft

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
)

const (
	// VanityLength is the length of the vanity item that both Besu and
	// GoQuorum require.
	VanityLength = 32
	// SealLength is the length of a committed seal: r ‖ s ‖ v, v in {0,1}.
	SealLength = 65
	// MaxExtraSize bounds the extra data a verifier will parse: 64 KiB holds
	// the list and the seals of about 750 validators, far above any real
	// network. Larger input is rejected before any decoding work.
	MaxExtraSize = 64 << 10
)

// RLP of the items that the hashes substitute and that encode "no vote".
const (
	rlpEmptyList   = 0xc0
	rlpEmptyString = 0x80
)

// Extra is the decoded extra data of a QBFT or IBFT 2.0 header:
// RLP([vanity, validators, vote, round, seals]).
//
// An Extra returned by ParseExtra also remembers the exact RLP of the vanity,
// validator, vote and round items, and the hashes are computed from those
// bytes, not from a re-encoding of the decoded fields. Changing the exported
// fields of a parsed Extra therefore does not change any hash; build a new
// header with EncodeExtra for that.
type Extra struct {
	Vanity     []byte           // VanityLength bytes
	Validators []common.Address // strictly ascending byte order
	Vote       *Vote            // nil when the header carries no vote
	Round      uint32           // the consensus round the block was committed in
	Seals      [][]byte         // committed seals, SealLength bytes each

	variant Variant
	raw     [4][]byte // RLP items: vanity, validators, vote, round
}

// Variant returns the variant the extra data was parsed or built with.
func (e *Extra) Variant() Variant { return e.variant }

// ParseExtra decodes extra data with the codec of variant. It checks the
// syntax only: five items, a 32-byte vanity, 20-byte validators in strictly
// ascending byte order (both clients reject any other order), a vote and a
// round in the variant's encoding, and 65-byte seals. It does not check that
// the list is non-empty (a contract-validator chain writes an empty list)
// nor anything about the seals beyond their length.
//
// Errors wrap ErrBadExtra, or ErrVariant for an unknown variant. The
// returned Extra shares no memory with extra.
func ParseExtra(variant Variant, extra []byte) (*Extra, error) {
	if !variant.Valid() {
		return nil, fmt.Errorf("%w: %v", ErrVariant, variant)
	}
	if len(extra) > MaxExtraSize {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d-byte limit", ErrBadExtra, len(extra), MaxExtraSize)
	}
	content, rest, err := rlp.SplitList(extra)
	if err != nil {
		return nil, fmt.Errorf("%w: not an RLP list: %w", ErrBadExtra, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the RLP list", ErrBadExtra, len(rest))
	}
	var items [5][]byte
	n := 0
	for len(content) > 0 {
		_, _, tail, err := rlp.Split(content)
		if err != nil {
			return nil, fmt.Errorf("%w: item %d: %w", ErrBadExtra, n, err)
		}
		if n == len(items) {
			return nil, fmt.Errorf("%w: more than %d items", ErrBadExtra, len(items))
		}
		items[n] = content[:len(content)-len(tail)]
		content = tail
		n++
	}
	if n != len(items) {
		return nil, fmt.Errorf("%w: %d items, want %d", ErrBadExtra, n, len(items))
	}

	e := &Extra{variant: variant}
	if e.Vanity, err = parseVanity(items[0]); err != nil {
		return nil, err
	}
	if e.Validators, err = parseValidators(items[1]); err != nil {
		return nil, err
	}
	if e.Vote, err = parseVote(variant, items[2]); err != nil {
		return nil, err
	}
	if e.Round, err = parseRound(variant, items[3]); err != nil {
		return nil, err
	}
	if e.Seals, err = parseSeals(items[4]); err != nil {
		return nil, err
	}
	for i := range e.raw {
		e.raw[i] = bytes.Clone(items[i])
	}
	return e, nil
}

func parseVanity(item []byte) ([]byte, error) {
	kind, val, _, err := rlp.Split(item)
	if err != nil {
		return nil, fmt.Errorf("%w: vanity: %w", ErrBadExtra, err)
	}
	if kind == rlp.List || len(val) != VanityLength {
		return nil, fmt.Errorf("%w: vanity must be a %d-byte string", ErrBadExtra, VanityLength)
	}
	return bytes.Clone(val), nil
}

func parseValidators(item []byte) ([]common.Address, error) {
	content, _, err := rlp.SplitList(item)
	if err != nil {
		return nil, fmt.Errorf("%w: validators: %w", ErrBadExtra, err)
	}
	var out []common.Address
	for len(content) > 0 {
		kind, val, tail, err := rlp.Split(content)
		if err != nil {
			return nil, fmt.Errorf("%w: validator %d: %w", ErrBadExtra, len(out), err)
		}
		if kind == rlp.List || len(val) != common.AddressLength {
			return nil, fmt.Errorf("%w: validator %d is not a 20-byte string", ErrBadExtra, len(out))
		}
		a := common.BytesToAddress(val)
		if len(out) > 0 && bytes.Compare(out[len(out)-1][:], a[:]) >= 0 {
			return nil, fmt.Errorf("%w: validator %d (%s) is not above the one before: the list must be strictly ascending",
				ErrBadExtra, len(out), a.Hex())
		}
		out = append(out, a)
		content = tail
	}
	return out, nil
}

func parseVote(variant Variant, item []byte) (*Vote, error) {
	kind, val, _, err := rlp.Split(item)
	if err != nil {
		return nil, fmt.Errorf("%w: vote: %w", ErrBadExtra, err)
	}
	// "No vote" is an empty list in QBFT and an empty string in IBFT 2.0.
	switch {
	case variant == QBFT && kind == rlp.List && len(val) == 0:
		return nil, nil
	case variant == IBFT2 && kind == rlp.String && len(val) == 0:
		return nil, nil
	case kind != rlp.List:
		return nil, fmt.Errorf("%w: vote is neither empty nor a list", ErrBadExtra)
	}
	addrKind, addr, rest, err := rlp.Split(val)
	if err != nil {
		return nil, fmt.Errorf("%w: vote address: %w", ErrBadExtra, err)
	}
	if addrKind == rlp.List || len(addr) != common.AddressLength {
		return nil, fmt.Errorf("%w: vote address is not a 20-byte string", ErrBadExtra)
	}
	typKind, typ, rest, err := rlp.Split(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: vote type: %w", ErrBadExtra, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: vote has more than two items", ErrBadExtra)
	}
	v := &Vote{Address: common.BytesToAddress(addr)}
	switch {
	case typKind == rlp.List:
		return nil, fmt.Errorf("%w: vote type is a list", ErrBadExtra)
	case len(typ) == 1 && typ[0] == 0xff:
		v.Kind = VoteAdd
	case len(typ) == 1 && typ[0] == 0x00:
		// IBFT 2.0 writes drop as the byte 0x00; Besu's QBFT codec reads it too.
		v.Kind = VoteDrop
	case len(typ) == 0 && variant == QBFT:
		v.Kind = VoteDrop
	default:
		return nil, fmt.Errorf("%w: vote type 0x%x is neither add nor drop for %v", ErrBadExtra, typ, variant)
	}
	return v, nil
}

func parseRound(variant Variant, item []byte) (uint32, error) {
	kind, val, _, err := rlp.Split(item)
	if err != nil {
		return 0, fmt.Errorf("%w: round: %w", ErrBadExtra, err)
	}
	if kind == rlp.List {
		return 0, fmt.Errorf("%w: round is a list", ErrBadExtra)
	}
	switch variant {
	case IBFT2:
		if len(val) != 4 {
			return 0, fmt.Errorf("%w: IBFT 2.0 round must be a 4-byte string, got %d bytes", ErrBadExtra, len(val))
		}
		return binary.BigEndian.Uint32(val), nil
	default:
		if len(val) > 4 {
			return 0, fmt.Errorf("%w: round has %d bytes, more than a uint32", ErrBadExtra, len(val))
		}
		if len(val) > 0 && val[0] == 0 {
			return 0, fmt.Errorf("%w: round has a leading zero byte", ErrBadExtra)
		}
		var r uint32
		for _, b := range val {
			r = r<<8 | uint32(b)
		}
		return r, nil
	}
}

func parseSeals(item []byte) ([][]byte, error) {
	content, _, err := rlp.SplitList(item)
	if err != nil {
		return nil, fmt.Errorf("%w: seals: %w", ErrBadExtra, err)
	}
	var out [][]byte
	for len(content) > 0 {
		kind, val, tail, err := rlp.Split(content)
		if err != nil {
			return nil, fmt.Errorf("%w: seal %d: %w", ErrBadExtra, len(out), err)
		}
		if kind == rlp.List || len(val) != SealLength {
			return nil, fmt.Errorf("%w: seal %d is not a %d-byte string", ErrBadExtra, len(out), SealLength)
		}
		out = append(out, bytes.Clone(val))
		content = tail
	}
	return out, nil
}

// EncodeExtra returns the canonical extra data for e's exported fields in
// the codec of variant. It is the inverse of ParseExtra and fails on input
// ParseExtra would reject (wrong vanity or seal length, unsorted or
// duplicate validators, an unknown vote kind). The raw items remembered by a
// parsed Extra are ignored.
func EncodeExtra(variant Variant, e *Extra) ([]byte, error) {
	if !variant.Valid() {
		return nil, fmt.Errorf("%w: %v", ErrVariant, variant)
	}
	if e == nil {
		return nil, fmt.Errorf("%w: nil Extra", ErrBadExtra)
	}
	if len(e.Vanity) != VanityLength {
		return nil, fmt.Errorf("%w: vanity has %d bytes, want %d", ErrBadExtra, len(e.Vanity), VanityLength)
	}
	for i := 1; i < len(e.Validators); i++ {
		if bytes.Compare(e.Validators[i-1][:], e.Validators[i][:]) >= 0 {
			return nil, fmt.Errorf("%w: validators are not strictly ascending at %d", ErrBadExtra, i)
		}
	}
	for i, s := range e.Seals {
		if len(s) != SealLength {
			return nil, fmt.Errorf("%w: seal %d has %d bytes, want %d", ErrBadExtra, i, len(s), SealLength)
		}
	}
	vote, err := encodeVote(variant, e.Vote)
	if err != nil {
		return nil, err
	}
	w := rlp.NewEncoderBuffer(nil)
	list := w.List()
	w.WriteBytes(e.Vanity)
	vals := w.List()
	for _, a := range e.Validators {
		w.WriteBytes(a[:])
	}
	w.ListEnd(vals)
	w.Write(vote)
	w.Write(encodeRound(variant, e.Round))
	seals := w.List()
	for _, s := range e.Seals {
		w.WriteBytes(s)
	}
	w.ListEnd(seals)
	w.ListEnd(list)
	return w.ToBytes(), nil
}

func encodeVote(variant Variant, v *Vote) ([]byte, error) {
	if v == nil {
		if variant == IBFT2 {
			return []byte{rlpEmptyString}, nil
		}
		return []byte{rlpEmptyList}, nil
	}
	var typ []byte
	switch {
	case v.Kind == VoteAdd:
		typ = []byte{0xff}
	case v.Kind == VoteDrop && variant == IBFT2:
		typ = []byte{0x00}
	case v.Kind == VoteDrop:
		typ = []byte{}
	default:
		return nil, fmt.Errorf("%w: unknown vote kind %v", ErrBadExtra, v.Kind)
	}
	w := rlp.NewEncoderBuffer(nil)
	l := w.List()
	w.WriteBytes(v.Address[:])
	w.WriteBytes(typ)
	w.ListEnd(l)
	return w.ToBytes(), nil
}

func encodeRound(variant Variant, round uint32) []byte {
	if variant == IBFT2 {
		out := []byte{0x84, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(out[1:], round)
		return out
	}
	b, _ := rlp.EncodeToBytes(round) // cannot fail for a uint32
	return b
}

// hashExtra builds the extra data that a hash covers.
//
//	QBFT  seal:  [vanity, validators, vote, round, []]
//	QBFT  block: [vanity, validators, vote, 0x80, []]
//	IBFT2 seal:  [vanity, validators, vote, round]
//	IBFT2 block: [vanity, validators, vote]
//
// Vanity, validators, vote and round are copied as the raw RLP they had in
// the header.
func (e *Extra) hashExtra(seal bool) []byte {
	w := rlp.NewEncoderBuffer(nil)
	l := w.List()
	w.Write(e.raw[0])
	w.Write(e.raw[1])
	w.Write(e.raw[2])
	switch {
	case e.variant == IBFT2 && seal:
		w.Write(e.raw[3])
	case e.variant == IBFT2:
	case seal:
		w.Write(e.raw[3])
		w.Write([]byte{rlpEmptyList})
	default:
		w.Write([]byte{rlpEmptyString, rlpEmptyList})
	}
	w.ListEnd(l)
	return w.ToBytes()
}
