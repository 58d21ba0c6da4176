package tendermint

import (
	"bytes"
	"fmt"
)

// CheckConflict reports whether two light blocks of one chain contradict
// each other:
//
//   - at the same height with different header hashes (ConflictFork), or
//   - at different heights with the higher one's time not after the lower
//     one's (ConflictTime: BFT time must increase with height).
//
// It returns nil when they agree (the same header, or consistent heights and
// times), a *ConflictError (errors.Is(err, ErrConflict)) when they conflict,
// and a *VerifyError when either light block is malformed or not signed by
// more than two thirds of its own validator set (ErrDecode,
// ErrInvalidHeader, ErrValidatorSetMismatch, ErrInsufficientVotingPower,
// ErrInvalidSignature), or the two are of different chains (ErrChainID).
//
// CheckConflict verifies each commit against the validator set the block
// itself carries and trusts neither set. A conflict therefore means
// something only for light blocks that Verify accepted from a trusted state
// (each from its own, possibly different, state): then two validator sets
// the light client trusts signed incompatible headers, which is what
// 07-tendermint treats as misbehaviour and freezes the client for. Given
// unverified input, anyone can fabricate a "conflict" with a made-up
// validator set, so never halt on the result for such input.
func CheckConflict(a, b LightBlock) error {
	ba, sa, err := decodeSelf(a)
	if err != nil {
		return err
	}
	bb, sb, err := decodeSelf(b)
	if err != nil {
		return err
	}
	if ba.header.ChainID != bb.header.ChainID {
		return &VerifyError{ChainID: ba.header.ChainID, Height: bb.height(),
			Reason: fmt.Errorf("%w: headers are for %q and %q", ErrChainID, ba.header.ChainID, bb.header.ChainID)}
	}
	if err := selfVerify(ba, sa.vals); err != nil {
		return err
	}
	if err := selfVerify(bb, sb.vals); err != nil {
		return err
	}
	conflict := func(kind ConflictKind, x, y *block) error {
		return &ConflictError{Kind: kind, ChainID: x.header.ChainID,
			HeightA: x.height(), HeightB: y.height(), HashA: bytes.Clone(x.hash), HashB: bytes.Clone(y.hash)}
	}
	switch ha, hb := ba.header, bb.header; {
	case ha.Height == hb.Height:
		if !bytes.Equal(ba.hash, bb.hash) {
			return conflict(ConflictFork, ba, bb)
		}
	case ha.Height < hb.Height:
		if !hb.Time.After(ha.Time) {
			return conflict(ConflictTime, ba, bb)
		}
	default:
		if !ha.Time.After(hb.Time) {
			return conflict(ConflictTime, bb, ba)
		}
	}
	return nil
}
