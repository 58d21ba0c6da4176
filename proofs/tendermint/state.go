package tendermint

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"time"
)

// MaxChainIDLen is the longest chain ID CometBFT allows.
const MaxChainIDLen = 50

// HexBytes is a byte string that JSON-encodes as upper-case hex, the way
// CometBFT's RPC prints hashes.
type HexBytes []byte

// MarshalText returns the upper-case hex of b.
func (b HexBytes) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(b)))
	hex.Encode(out, b)
	for i, c := range out {
		if c >= 'a' && c <= 'f' {
			out[i] = c - 'a' + 'A'
		}
	}
	return out, nil
}

// UnmarshalText accepts hex in either case.
func (b *HexBytes) UnmarshalText(text []byte) error {
	out := make([]byte, hex.DecodedLen(len(text)))
	if _, err := hex.Decode(out, text); err != nil {
		return err
	}
	*b = out
	return nil
}

// String returns the upper-case hex of b.
func (b HexBytes) String() string {
	s, _ := b.MarshalText()
	return string(s)
}

// TrustLevel is the fraction of the trusted validator set's voting power
// that must sign a non-adjacent header. It must lie in [1/3, 1]; 1/3 is the
// default of CometBFT and ibc-go.
type TrustLevel struct {
	Numerator   uint64 `json:"numerator"`
	Denominator uint64 `json:"denominator"`
}

// DefaultTrustLevel is 1/3.
var DefaultTrustLevel = TrustLevel{Numerator: 1, Denominator: 3}

// Validate returns an error unless 1/3 <= l <= 1.
func (l TrustLevel) Validate() error {
	hi, lo := bits.Mul64(l.Numerator, 3)
	switch {
	case l.Denominator == 0:
		return fmt.Errorf("trust level %d/%d: zero denominator", l.Numerator, l.Denominator)
	case hi == 0 && lo < l.Denominator:
		return fmt.Errorf("trust level %d/%d is below 1/3", l.Numerator, l.Denominator)
	case l.Numerator > l.Denominator:
		return fmt.Errorf("trust level %d/%d is above 1", l.Numerator, l.Denominator)
	}
	return nil
}

// Params are the trust parameters of a light client, as an ibc-go
// 07-tendermint client state holds them.
type Params struct {
	// TrustingPeriod is how long after its header time a trusted state can
	// verify new headers. It must be positive and, for safety, shorter than
	// the chain's unbonding period (ibc-go uses 2/3 of it), which this
	// package cannot check.
	TrustingPeriod time.Duration `json:"trusting_period"`
	// TrustLevel is the fraction of the trusted set that must sign a
	// non-adjacent header.
	TrustLevel TrustLevel `json:"trust_level"`
	// MaxClockDrift is how far in the future of now a header time may be.
	// It must be positive.
	MaxClockDrift time.Duration `json:"max_clock_drift"`
}

// Validate checks the ranges documented on the fields.
func (p Params) Validate() error {
	switch {
	case p.TrustingPeriod <= 0:
		return fmt.Errorf("trusting period %v is not positive", p.TrustingPeriod)
	case p.MaxClockDrift <= 0:
		return fmt.Errorf("max clock drift %v is not positive", p.MaxClockDrift)
	}
	return p.TrustLevel.Validate()
}

// TrustedState is what the light client trusts about one header of a
// CometBFT chain: the trust anchor a relayer persists (as Anchor.State) and
// embeds in evidence bundles. It is a plain JSON-serializable value; the
// functions of this package never modify the one they are given, and return
// states that share no memory with their inputs.
//
// In JSON, durations are integer nanoseconds, Time is RFC 3339, hashes are
// upper-case hex, and NextValidators is base64.
type TrustedState struct {
	// ChainID is the chain's ID, such as "cosmoshub-4"; every header must
	// carry it.
	ChainID string `json:"chain_id"`
	// Height is the trusted header's height (> 0).
	Height uint64 `json:"height"`
	// Time is the trusted header's time. The trusting period runs from it.
	Time time.Time `json:"time"`
	// Hash is the trusted header's hash (the block ID hash, 32 bytes).
	Hash HexBytes `json:"hash"`
	// AppHash is the trusted header's app hash: the root of the application
	// state after block Height-1. A store proof for version Height-1
	// verifies against it (see proofs/ics23).
	AppHash HexBytes `json:"app_hash"`
	// NextValidatorsHash is the trusted header's NextValidatorsHash.
	NextValidatorsHash HexBytes `json:"next_validators_hash"`
	// NextValidators is the validator set that signs Height+1, as a
	// protobuf tendermint.types.ValidatorSet; it must hash to
	// NextValidatorsHash. States this package returns hold it normalized:
	// validators with address, key and power only, no proposer, and the
	// total voting power.
	NextValidators []byte `json:"next_validators"`

	Params
}

// Validate checks the state's own consistency: the parameters, a chain ID
// of at most MaxChainIDLen bytes, a height in (0, MaxInt64], a non-zero
// time, 32-byte hashes, and a next validator set that decodes and hashes to
// NextValidatorsHash. Errors wrap ErrBadTrustedState. Verify calls it first.
func (s TrustedState) Validate() error {
	_, err := s.validate()
	return err
}

// validate is Validate returning the decoded next validator set.
func (s TrustedState) validate() (*valSet, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadTrustedState, fmt.Sprintf(format, a...))
	}
	if err := s.Params.Validate(); err != nil {
		return nil, bad("%v", err)
	}
	switch {
	case s.ChainID == "" || len(s.ChainID) > MaxChainIDLen:
		return nil, bad("chain ID of %d bytes", len(s.ChainID))
	case s.Height == 0 || s.Height > math.MaxInt64:
		return nil, bad("height %d", s.Height)
	case s.Time.IsZero():
		return nil, bad("zero time")
	case len(s.Hash) != hashSize:
		return nil, bad("hash of %d bytes", len(s.Hash))
	case len(s.NextValidatorsHash) != hashSize:
		return nil, bad("next validators hash of %d bytes", len(s.NextValidatorsHash))
	}
	vs, err := decodeValSet(s.NextValidators)
	if err != nil {
		return nil, bad("next validators: %v", err)
	}
	if !equalBytes(vs.hash, s.NextValidatorsHash) {
		return nil, bad("next validators hash to %X, not %X", vs.hash, []byte(s.NextValidatorsHash))
	}
	return vs, nil
}

// ExpiresAt returns the first instant at which trusted can no longer verify
// anything: its header time plus the trusting period. Verify returns
// ErrExpired for any now at or after it. A relayer should warn, and verify a
// newer header to move the anchor forward, well before then; once it has
// passed, only an out-of-band re-anchoring helps.
func ExpiresAt(trusted TrustedState) time.Time {
	return trusted.Time.Add(trusted.TrustingPeriod)
}

// clone returns a deep copy of s.
func (s TrustedState) clone() TrustedState {
	c := s
	c.Hash = append(HexBytes(nil), s.Hash...)
	c.AppHash = append(HexBytes(nil), s.AppHash...)
	c.NextValidatorsHash = append(HexBytes(nil), s.NextValidatorsHash...)
	c.NextValidators = append([]byte(nil), s.NextValidators...)
	return c
}
