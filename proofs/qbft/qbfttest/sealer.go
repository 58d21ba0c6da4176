// Package qbfttest builds QBFT and IBFT 2.0 headers sealed by throwaway keys,
// for tests of proofs/qbft and of the packages that use it (for example an EVM
// adapter that re-seals simulated-chain headers as QBFT blocks).
//
// Nothing here is safe for production: the keys are generated in memory and
// the helpers panic (Seal) or return errors on input that a test controls.
package qbfttest

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/liaison-gw/liaison/proofs/qbft"
)

// MixDigest returns the constant mixHash of QBFT and IBFT 2.0 headers, the
// ASCII of "ctical byzantine fault tolerance".
func MixDigest() common.Hash {
	return common.HexToHash("0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365")
}

// Params returns trust parameters for tests: a trusting period of 14 days
// and a clock drift of 10 seconds.
func Params() qbft.Params {
	return qbft.Params{TrustingPeriod: 14 * 24 * time.Hour, MaxClockDrift: 10 * time.Second}
}

// Now returns a time at which a state of Params built on any header that
// Header makes (whose time is its number) has not expired, and every such
// header up to number 1,000,000 is in the past: 1970-01-12T13:46:40Z.
func Now() time.Time { return time.Unix(1_000_000, 0).UTC() }

// Sealer signs headers as a validator set. Keys are ordered by ascending
// address, so Keys[i] belongs to Validators()[i].
type Sealer struct {
	Keys []*ecdsa.PrivateKey
}

// NewSealer returns a Sealer with n fresh secp256k1 keys sorted by address.
func NewSealer(n int) (*Sealer, error) {
	if n <= 0 {
		return nil, fmt.Errorf("qbfttest: need at least one key, got %d", n)
	}
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, fmt.Errorf("qbfttest: generate key: %w", err)
		}
		keys[i] = k
	}
	slices.SortFunc(keys, func(a, b *ecdsa.PrivateKey) int {
		aa, bb := crypto.PubkeyToAddress(a.PublicKey), crypto.PubkeyToAddress(b.PublicKey)
		return bytes.Compare(aa[:], bb[:])
	})
	return &Sealer{Keys: keys}, nil
}

// Address returns the address of Keys[i].
func (s *Sealer) Address(i int) common.Address { return crypto.PubkeyToAddress(s.Keys[i].PublicKey) }

// Validators returns the addresses of all keys in ascending order (a fresh
// slice).
func (s *Sealer) Validators() []common.Address { return SortedAddresses(s.Keys...) }

// Subset returns the ascending addresses of the keys at the given indexes.
func (s *Sealer) Subset(idx ...int) []common.Address {
	keys := make([]*ecdsa.PrivateKey, len(idx))
	for i, j := range idx {
		keys[i] = s.Keys[j]
	}
	return SortedAddresses(keys...)
}

// SortedAddresses returns the addresses of keys in ascending byte order
// without duplicates: the order QBFT extra data requires.
func SortedAddresses(keys ...*ecdsa.PrivateKey) []common.Address {
	out := make([]common.Address, 0, len(keys))
	for _, k := range keys {
		out = append(out, crypto.PubkeyToAddress(k.PublicKey))
	}
	return Sort(out)
}

// Sort sorts addresses in place in ascending byte order, drops duplicates,
// and returns the result.
func Sort(addrs []common.Address) []common.Address {
	slices.SortFunc(addrs, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(addrs)
}

// Header returns a header template at number with the constant fields of a
// BFT header (difficulty 1, the BFT mixHash, no uncles, zero nonce), time =
// number, and no extra data. Nothing in it is sealed.
func Header(number uint64, parent common.Hash) *types.Header {
	return &types.Header{
		ParentHash:  parent,
		UncleHash:   types.EmptyUncleHash,
		Root:        types.EmptyRootHash,
		TxHash:      types.EmptyTxsHash,
		ReceiptHash: types.EmptyReceiptsHash,
		Difficulty:  big.NewInt(1),
		Number:      new(big.Int).SetUint64(number),
		GasLimit:    30_000_000,
		Time:        number,
		MixDigest:   MixDigest(),
	}
}

// WithExtra returns a copy of h whose extra data lists validators (sorted
// here) and carries vote, with a zero vanity, round 0 and no seals.
func WithExtra(variant qbft.Variant, h *types.Header, validators []common.Address, vote *qbft.Vote) (*types.Header, error) {
	extra, err := qbft.EncodeExtra(variant, &qbft.Extra{
		Vanity:     make([]byte, qbft.VanityLength),
		Validators: Sort(slices.Clone(validators)),
		Vote:       vote,
	})
	if err != nil {
		return nil, err
	}
	cpy := types.CopyHeader(h)
	cpy.Extra = extra
	return cpy, nil
}

// Seal is TrySeal for tests: it panics on error, which only invalid input
// (an index out of range, an unencodable header) causes.
func (s *Sealer) Seal(variant qbft.Variant, h *types.Header, round uint32, signers []int) *types.Header {
	out, err := s.TrySeal(variant, h, round, signers)
	if err != nil {
		panic(err)
	}
	return out
}

// TrySeal returns a copy of h sealed in round by Keys[i] for each i in
// signers, in that order (repeat an index to make a duplicate seal).
//
// The vanity, validators and vote come from h's extra data when it parses
// with variant's codec; otherwise (an empty or foreign extra, as on a
// simulated chain) they are a zero vanity, s.Validators() and no vote. Any
// seals or round already in h are replaced. parentHash is kept: to chain
// re-sealed headers, set it to qbft.BlockHash of the re-sealed parent first.
func (s *Sealer) TrySeal(variant qbft.Variant, h *types.Header, round uint32, signers []int) (*types.Header, error) {
	keys := make([]*ecdsa.PrivateKey, len(signers))
	for i, j := range signers {
		if j < 0 || j >= len(s.Keys) {
			return nil, fmt.Errorf("qbfttest: signer index %d out of range [0,%d)", j, len(s.Keys))
		}
		keys[i] = s.Keys[j]
	}
	return s.SealWithKeys(variant, h, round, keys)
}

// SealWithKeys is TrySeal with explicit keys, which need not belong to the
// Sealer (to make a seal from a non-validator).
func (s *Sealer) SealWithKeys(variant qbft.Variant, h *types.Header, round uint32, keys []*ecdsa.PrivateKey) (*types.Header, error) {
	if h == nil || h.Number == nil {
		return nil, fmt.Errorf("qbfttest: header or its number is nil")
	}
	e, err := qbft.ParseExtra(variant, h.Extra)
	if err != nil {
		e = &qbft.Extra{Vanity: make([]byte, qbft.VanityLength), Validators: s.Validators()}
	}
	e = &qbft.Extra{Vanity: e.Vanity, Validators: e.Validators, Vote: e.Vote, Round: round}
	cpy := types.CopyHeader(h)
	if cpy.Extra, err = qbft.EncodeExtra(variant, e); err != nil {
		return nil, err
	}
	sealHash, err := qbft.SealHash(variant, cpy)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		sig, err := crypto.Sign(sealHash[:], k)
		if err != nil {
			return nil, fmt.Errorf("qbfttest: sign: %w", err)
		}
		e.Seals = append(e.Seals, sig)
	}
	if cpy.Extra, err = qbft.EncodeExtra(variant, e); err != nil {
		return nil, err
	}
	return cpy, nil
}

// Genesis returns a height-0 header listing all of s's validators, and the
// trusted state for it with Params.
func (s *Sealer) Genesis(variant qbft.Variant) (*types.Header, qbft.TrustedState, error) {
	g, err := WithExtra(variant, Header(0, common.Hash{}), s.Validators(), nil)
	if err != nil {
		return nil, qbft.TrustedState{}, err
	}
	hash, err := qbft.BlockHash(variant, g)
	if err != nil {
		return nil, qbft.TrustedState{}, err
	}
	ts, err := qbft.NewTrustedState(variant, g, hash, Params())
	return g, ts, err
}

// Child returns the header after parent, listing validators and carrying
// vote, sealed in round by the keys at signers. Its parentHash is
// qbft.BlockHash(variant, parent) and its time is parent's time + 1.
func (s *Sealer) Child(variant qbft.Variant, parent *types.Header, validators []common.Address, vote *qbft.Vote, round uint32, signers []int) (*types.Header, error) {
	ph, err := qbft.BlockHash(variant, parent)
	if err != nil {
		return nil, err
	}
	h := Header(parent.Number.Uint64()+1, ph)
	h.Time = parent.Time + 1
	if h, err = WithExtra(variant, h, validators, vote); err != nil {
		return nil, err
	}
	return s.TrySeal(variant, h, round, signers)
}

// All returns the indexes 0..n-1, a convenient signers argument.
func All(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
