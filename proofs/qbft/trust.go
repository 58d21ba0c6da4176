package qbft

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// MaxTime is the largest header timestamp a trusted state may hold:
// 9999-12-31T23:59:59Z, in Unix seconds. Larger ones cannot be compared
// with a clock without overflow; VerifyAdjacent and VerifySkip refuse a
// header beyond now + MaxClockDrift long before that.
const MaxTime = 253402300799

// Params are the trust parameters of the light client. A TrustedState
// carries them, so that every state derived from it, and an offline check
// of evidence built on it, applies the same bounds.
type Params struct {
	// TrustingPeriod is how long after its header's timestamp a trusted
	// state can verify new headers (see ExpiresAt). It must be positive.
	//
	// QBFT and IBFT 2.0 have no unbonding period and no slashing: a
	// validator that has left the set keeps its key and risks nothing by
	// sealing a fork. The period bounds how long after the anchor the
	// validators of the anchor's set are trusted to be honest; a longer
	// one accepts skips signed by sets retired longer ago.
	TrustingPeriod time.Duration `json:"trusting_period"`
	// MaxClockDrift is how far after now a header's timestamp may be. It
	// must be positive. Without it, a header dated far in the future would
	// give the next trusted state a trusting period that never ends.
	MaxClockDrift time.Duration `json:"max_clock_drift"`
}

// Validate checks that both durations are positive.
func (p Params) Validate() error {
	switch {
	case p.TrustingPeriod <= 0:
		return fmt.Errorf("trusting period %v is not positive", p.TrustingPeriod)
	case p.MaxClockDrift <= 0:
		return fmt.Errorf("max clock drift %v is not positive", p.MaxClockDrift)
	}
	return nil
}

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
	// Time is the trusted header's timestamp, in Unix seconds as the header
	// holds it. The trusting period runs from it.
	Time uint64 `json:"time"`
	// Validators is the trusted header's validator list: the set that sealed
	// it, strictly ascending by bytes.
	Validators []common.Address `json:"validators"`
	// Vote is the vote the trusted header carries, nil if none. It is the
	// only vote that can change the set at the next height (see
	// VerifyAdjacent). A state built without it only rejects a set change
	// at the next height that the chain may have made; it never accepts a
	// wrong one.
	Vote *Vote `json:"vote,omitempty"`

	Params
}

// Validate checks the state's own consistency: a known variant, valid
// parameters, a time of at most MaxTime, a non-zero hash, a non-empty,
// strictly ascending validator list, and a well-formed vote. Errors wrap
// ErrBadTrustedState. The verifiers call it first. A state written before
// trust parameters existed has none and is refused: re-anchor it.
func (s TrustedState) Validate() error {
	if err := s.Params.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrBadTrustedState, err)
	}
	switch {
	case s.Time > MaxTime:
		return fmt.Errorf("%w: time %d is after year 9999", ErrBadTrustedState, s.Time)
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
// other means: it returns the state for h, with the parameters p, if
// BlockHash(variant, h) equals want. The seals are not checked (a genesis
// header has none); the trust comes from want alone, so want must come from
// configuration or from a previous verification, never from the same source
// as h. The header's timestamp is not compared with any clock: check
// ExpiresAt before relying on the state; the verifiers refuse an expired
// one.
//
// Errors: *VerifyError wrapping ErrBadTrustedState (invalid p, or a
// timestamp after MaxTime), ErrHashMismatch, ErrBadExtra, ErrBadHeader,
// ErrVariant or ErrNoValidators.
func NewTrustedState(variant Variant, h *types.Header, want common.Hash, p Params) (TrustedState, error) {
	if err := p.Validate(); err != nil {
		return TrustedState{}, &VerifyError{Reason: fmt.Errorf("%w: %v", ErrBadTrustedState, err)}
	}
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
	if h.Time > MaxTime {
		return TrustedState{}, &VerifyError{Height: height, Hash: got,
			Reason: fmt.Errorf("%w: header time %d is after year 9999", ErrBadTrustedState, h.Time)}
	}
	return stateOf(variant, h, got, e, p), nil
}

// ExpiresAt returns the first instant at which trusted can no longer verify
// anything: its header time plus the trusting period. The verifiers return
// ErrExpired for any now at or after it. A relayer should warn, and verify
// a newer header to move its anchor forward, well before then; once it has
// passed, only an anchor configured anew (a newer checkpoint) helps.
func ExpiresAt(trusted TrustedState) time.Time {
	return unixTime(trusted.Time).Add(trusted.TrustingPeriod)
}

// unixTime converts a header timestamp of at most MaxTime.
func unixTime(sec uint64) time.Time { return time.Unix(int64(min(sec, MaxTime)), 0).UTC() }

func stateOf(variant Variant, h *types.Header, hash common.Hash, e *Extra, p Params) TrustedState {
	s := TrustedState{
		Variant:    variant,
		Height:     h.Number.Uint64(),
		Hash:       hash,
		Time:       h.Time,
		Validators: append([]common.Address(nil), e.Validators...),
		Params:     p,
	}
	if e.Vote != nil {
		v := *e.Vote
		s.Vote = &v
	}
	return s
}
