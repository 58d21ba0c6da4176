package qbft

import (
	"bytes"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TrustedState is what the light client trusts about one header: the trust
// anchor a relayer persists and embeds in evidence bundles. It is a plain
// value; the verifiers never modify the one they are given and return a new
// one that shares no memory with the header.
type TrustedState struct {
	// Variant selects the codec and hash rules of the chain.
	Variant Variant `json:"variant"`
	// Height is the number of the trusted header.
	Height uint64 `json:"height"`
	// Hash is the trusted header's BlockHash (the on-chain hash).
	Hash common.Hash `json:"hash"`
	// Validators is the trusted header's validator list: the set that sealed
	// it, strictly ascending by bytes.
	Validators []common.Address `json:"validators"`
	// Vote is the vote the trusted header carries, nil if none. It is the
	// only vote that can change the set at the next height (see
	// VerifyAdjacent). A state built without it only rejects a set change
	// at the next height that the chain may have made; it never accepts a
	// wrong one.
	Vote *Vote `json:"vote,omitempty"`
}

// Validate checks the state's own consistency: a known variant, a non-zero
// hash, a non-empty, strictly ascending validator list, and a well-formed
// vote. Errors wrap ErrBadTrustedState. The verifiers call it first.
func (s TrustedState) Validate() error {
	switch {
	case !s.Variant.Valid():
		return fmt.Errorf("%w: %w: %v", ErrBadTrustedState, ErrVariant, s.Variant)
	case s.Hash == (common.Hash{}):
		return fmt.Errorf("%w: zero hash", ErrBadTrustedState)
	case len(s.Validators) == 0:
		return fmt.Errorf("%w: no validators", ErrBadTrustedState)
	}
	for i := 1; i < len(s.Validators); i++ {
		if bytes.Compare(s.Validators[i-1][:], s.Validators[i][:]) >= 0 {
			return fmt.Errorf("%w: validators not strictly ascending at index %d", ErrBadTrustedState, i)
		}
	}
	if s.Vote != nil && s.Vote.Kind != VoteAdd && s.Vote.Kind != VoteDrop {
		return fmt.Errorf("%w: vote kind %v", ErrBadTrustedState, s.Vote.Kind)
	}
	return nil
}

// NewTrustedState builds a trust anchor from a header the caller trusts by
// other means: it returns the state for h if BlockHash(variant, h) equals
// want. The seals are not checked (a genesis header has none); the trust
// comes from want alone, so want must come from configuration or from a
// previous verification, never from the same source as h.
//
// Errors: *VerifyError wrapping ErrHashMismatch, ErrBadExtra, ErrBadHeader,
// ErrVariant or ErrNoValidators.
func NewTrustedState(variant Variant, h *types.Header, want common.Hash) (TrustedState, error) {
	if err := checkHeaderShape(h); err != nil {
		return TrustedState{}, &VerifyError{Reason: err}
	}
	height := h.Number.Uint64()
	// At height 0 the hash covers the extra data as it is, but the
	// validator list must still be read from it, so it is parsed either way.
	e, err := ParseExtra(variant, h.Extra)
	if err != nil {
		return TrustedState{}, &VerifyError{Height: height, Reason: err}
	}
	got, err := e.headerHash(h, false)
	if err != nil {
		return TrustedState{}, &VerifyError{Height: height, Reason: err}
	}
	if got != want {
		return TrustedState{}, &VerifyError{Height: height, Hash: got,
			Reason: fmt.Errorf("%w: header hashes to %s, want %s", ErrHashMismatch, got.Hex(), want.Hex())}
	}
	if len(e.Validators) == 0 {
		return TrustedState{}, &VerifyError{Height: height, Hash: got, Reason: ErrNoValidators}
	}
	return stateOf(variant, height, got, e), nil
}

func stateOf(variant Variant, height uint64, hash common.Hash, e *Extra) TrustedState {
	s := TrustedState{
		Variant:    variant,
		Height:     height,
		Hash:       hash,
		Validators: append([]common.Address(nil), e.Validators...),
	}
	if e.Vote != nil {
		v := *e.Vote
		s.Vote = &v
	}
	return s
}
