package qbft

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// VerifyAdjacent verifies h, the header right after the trusted one, and
// returns the trusted state for h. On error it returns the zero state and a
// *VerifyError.
//
// now is the caller's current time (a pure function reads no clock).
//
// Checks, cheapest first, and the sentinel each failure wraps:
//
//  1. trusted is consistent (TrustedState.Validate): ErrBadTrustedState;
//     now is before ExpiresAt(trusted): ErrExpired;
//     h is non-nil with a number: ErrBadHeader.
//  2. h.Number > trusted.Height: ErrHeightNotIncreasing;
//     h.Number == trusted.Height+1: ErrNotAdjacent;
//     h.Time >= trusted.Time: ErrTimeDecreasing;
//     h.Time before now + MaxClockDrift: ErrClockDrift.
//  3. h.ParentHash == trusted.Hash: ErrParentMismatch.
//  4. The extra data parses (at most MaxExtraSize bytes): ErrBadExtra;
//     it lists at least one validator: ErrNoValidators.
//  5. The list is one the trusted header can lead to (below):
//     ErrValidatorSetChange.
//  6. Counting only: no more seals than validators (ErrTooManySeals) and at
//     least Quorum(n) of them (ErrInsufficientSeals), n = len(h's list).
//  7. One keccak256 for SealHash, then one signature recovery per seal,
//     stopping at the first failure: recovery id 0 or 1, r and s in range,
//     recoverable (ErrBadSeal); signer in h's list (ErrNonValidatorSeal); not
//     seen before (ErrDuplicateSeal). Each is reported in a *SealError.
//  8. Quorum(n) distinct signers: ErrInsufficientSeals.
//  9. One keccak256 for BlockHash, which becomes the new trusted hash.
//
// Everything before step 7 costs at most a linear pass over input bounded by
// MaxExtraSize; the signature recoveries, the only expensive step, run last
// and at most n times.
//
// # Validator-set rule (step 5)
//
// Header N lists the set that seals N, which is the set after the votes up
// to and including header N-1 (Besu and GoQuorum tally one vote per header,
// the proposer's, and change the set when the votes for one proposal reach
// a majority of the current set, at most one address per header). So the
// only vote that can change the set between N-1 and N is the one carried by
// N-1, the trusted header. VerifyAdjacent accepts h's list when it is
//
//   - equal to trusted.Validators; or
//   - trusted.Validators plus trusted.Vote.Address, when trusted.Vote is an
//     add vote for an address not in the set; or
//   - trusted.Validators minus trusted.Vote.Address, when trusted.Vote is a
//     drop vote for an address in the set;
//
// and rejects everything else (two or more addresses changed, a change with
// no vote or against the vote's direction or address).
//
// What a light client cannot know: whether the trusted header's vote really
// was the one that reached the majority. That needs every vote since the
// last epoch block, and the epoch length (votes are discarded at an epoch
// boundary). The rule above therefore accepts a change that the full chain
// might not have made. What protects against a fake change is that h must
// still carry a quorum of its own list, which differs from the trusted set
// by one address: a forged header with a fake change needs at least
// Quorum(n)-1 of the n trusted validators (a dropped list of n-1 needs
// Quorum(n-1) >= Quorum(n)-1 of them; an added list needs Quorum(n+1)-1 of
// them besides the new key), one fewer than a forged header without a
// change, and still more than the floor((n-1)/3) byzantine validators the
// chain tolerates, for every n >= 2. (For n = 1 an add needs the one
// trusted validator's seal, and a drop leaves no validators.) A chain in
// contract-validator mode changes its set without votes: follow it with
// VerifySkip or from contract storage.
//
// Fields covered by the seals (state root, proposer, ...) are not
// re-validated: a quorum of validators vouches for them. The timestamp is
// the exception: the trusting period of the returned state runs from it,
// so it may not go back before the trusted one (Besu and GoQuorum require
// it to grow by the block period; equal seconds are allowed for chains
// with sub-second periods) nor lie in the future of now.
func VerifyAdjacent(trusted TrustedState, h *types.Header, now time.Time) (TrustedState, error) {
	if err := checkTrusted(trusted, h, now); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	height := h.Number.Uint64()
	switch {
	case height <= trusted.Height:
		return TrustedState{}, failure(trusted.Variant, h, nil,
			fmt.Errorf("%w: header %d, trusted %d", ErrHeightNotIncreasing, height, trusted.Height))
	case height != trusted.Height+1:
		return TrustedState{}, failure(trusted.Variant, h, nil,
			fmt.Errorf("%w: header %d, trusted %d", ErrNotAdjacent, height, trusted.Height))
	}
	if err := checkTime(trusted, h, now); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	switch {
	case h.ParentHash != trusted.Hash:
		return TrustedState{}, failure(trusted.Variant, h, nil,
			fmt.Errorf("%w: parent %s, trusted %s", ErrParentMismatch, h.ParentHash.Hex(), trusted.Hash.Hex()))
	}
	e, err := parseForVerify(trusted.Variant, h)
	if err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	if err := checkSetChange(trusted, e.Validators); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, e, err)
	}
	if _, err := verifySeals(e, h, nil, 0); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, e, err)
	}
	return finish(trusted, h, e)
}

// VerifySkip verifies h, any header above the trusted height, without the
// headers in between, and returns the trusted state for h. On error it
// returns the zero state and a *VerifyError.
//
// It accepts h only if (a) h carries Quorum(n) distinct seals from its own
// list of n validators, exactly as VerifyAdjacent requires, and (b) strictly
// more than two thirds of the TRUSTED validators are among its signers
// (SkipThreshold(len(trusted.Validators))). h's list may differ from the
// trusted set in any way allowed by (b). Neither parentHash nor the votes
// are looked at, so adjacency is not required.
//
// Checks, cheapest first: trusted state (ErrBadTrustedState); expiry
// (ErrExpired); header shape (ErrBadHeader); h.Number > trusted.Height
// (ErrHeightNotIncreasing); timestamp, as in VerifyAdjacent
// (ErrTimeDecreasing, ErrClockDrift); extra data (ErrBadExtra,
// ErrNoValidators); seal counts (ErrTooManySeals,
// ErrInsufficientSeals); whether enough trusted validators are listed and
// enough seals exist to reach the threshold (ErrInsufficientOverlap, before
// any recovery); then the seals as in VerifyAdjacent (ErrBadSeal,
// ErrNonValidatorSeal, ErrDuplicateSeal, ErrInsufficientSeals) and finally
// the overlap count (ErrInsufficientOverlap).
//
// Why more than two thirds: then the trusted set itself committed h, as it
// would commit a block of its own. If fewer than a third of the trusted
// validators are faulty, more than a third of them are honest signers of h,
// and an honest validator seals only headers of the canonical chain. (More
// than one third would already guarantee one honest signer; more than two
// thirds is the stricter rule this package follows.) What a light client
// cannot know: whether the old validators are
// still honest at h's height. BFT chains have no unbonding period, so keys
// of validators that left may sign anything without consequence. The
// trusting period bounds that in time: a state older than it verifies
// nothing (ErrExpired), so a set retired for longer cannot sign a skip from
// it. Prefer VerifyAdjacent when the headers are at hand. On
// ErrInsufficientOverlap, verify a header in between first.
func VerifySkip(trusted TrustedState, h *types.Header, now time.Time) (TrustedState, error) {
	if err := checkTrusted(trusted, h, now); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	if height := h.Number.Uint64(); height <= trusted.Height {
		return TrustedState{}, failure(trusted.Variant, h, nil,
			fmt.Errorf("%w: header %d, trusted %d", ErrHeightNotIncreasing, height, trusted.Height))
	}
	if err := checkTime(trusted, h, now); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	e, err := parseForVerify(trusted.Variant, h)
	if err != nil {
		return TrustedState{}, failure(trusted.Variant, h, nil, err)
	}
	need := SkipThreshold(len(trusted.Validators))
	if _, err := verifySeals(e, h, trusted.Validators, need); err != nil {
		return TrustedState{}, failure(trusted.Variant, h, e, err)
	}
	return finish(trusted, h, e)
}

// VerifyChain verifies headers in order, each from the state the previous
// one produced: with VerifyAdjacent when a header is exactly one above the
// last verified height, with VerifySkip otherwise, all at the same now. It
// returns the state of the last header. On error it returns the state of the
// last header that did verify (trusted itself if the first one failed)
// together with the *VerifyError of the failing header, so a caller may keep
// the progress. An empty list returns trusted and nil, without checking it.
func VerifyChain(trusted TrustedState, headers []*types.Header, now time.Time) (TrustedState, error) {
	cur := trusted
	for _, h := range headers {
		var (
			next TrustedState
			err  error
		)
		if h != nil && h.Number != nil && h.Number.IsUint64() && h.Number.Uint64() == cur.Height+1 {
			next, err = VerifyAdjacent(cur, h, now)
		} else {
			next, err = VerifySkip(cur, h, now)
		}
		if err != nil {
			return cur, err
		}
		cur = next
	}
	return cur, nil
}

// checkTrusted runs the checks that come before anything about h but its
// shape: the trusted state's consistency and its expiry.
func checkTrusted(trusted TrustedState, h *types.Header, now time.Time) error {
	if err := trusted.Validate(); err != nil {
		return err
	}
	if exp := ExpiresAt(trusted); !exp.After(now) {
		return fmt.Errorf("%w: trusted header %d (%s) expired at %s, now is %s: configure a newer checkpoint",
			ErrExpired, trusted.Height, unixTime(trusted.Time).Format(time.RFC3339),
			exp.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return checkHeaderShape(h)
}

// checkTime checks h's timestamp against the trusted one and against now.
func checkTime(trusted TrustedState, h *types.Header, now time.Time) error {
	if h.Time < trusted.Time {
		return fmt.Errorf("%w: header time %d, trusted %d", ErrTimeDecreasing, h.Time, trusted.Time)
	}
	if h.Time > MaxTime || !unixTime(h.Time).Before(now.Add(trusted.MaxClockDrift)) {
		return fmt.Errorf("%w: header time %d (%s), now %s, max drift %v", ErrClockDrift,
			h.Time, unixTime(h.Time).Format(time.RFC3339), now.UTC().Format(time.RFC3339), trusted.MaxClockDrift)
	}
	return nil
}

// parseForVerify parses h's extra data and rejects an empty validator list.
func parseForVerify(variant Variant, h *types.Header) (*Extra, error) {
	e, err := ParseExtra(variant, h.Extra)
	if err != nil {
		return nil, err
	}
	if len(e.Validators) == 0 {
		return nil, ErrNoValidators
	}
	return e, nil
}

// checkSetChange implements the validator-set rule of VerifyAdjacent.
func checkSetChange(trusted TrustedState, next []common.Address) error {
	if slices.Equal(trusted.Validators, next) {
		return nil
	}
	added, removed := diffSorted(trusted.Validators, next)
	change := describeChange(added, removed)
	v := trusted.Vote
	if v == nil {
		return fmt.Errorf("%w: %s, but trusted header %d carries no vote", ErrValidatorSetChange, change, trusted.Height)
	}
	switch {
	case v.Kind == VoteAdd && len(added) == 1 && len(removed) == 0 && added[0] == v.Address:
		return nil
	case v.Kind == VoteDrop && len(removed) == 1 && len(added) == 0 && removed[0] == v.Address:
		return nil
	}
	return fmt.Errorf("%w: %s, but trusted header %d votes to %s", ErrValidatorSetChange, change, trusted.Height, v)
}

// diffSorted returns the addresses only in b (added) and only in a
// (removed); both inputs are strictly ascending.
func diffSorted(a, b []common.Address) (added, removed []common.Address) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && bytes.Compare(a[i][:], b[j][:]) < 0):
			removed = append(removed, a[i])
			i++
		case i == len(a) || bytes.Compare(a[i][:], b[j][:]) > 0:
			added = append(added, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

func describeChange(added, removed []common.Address) string {
	var parts []string
	for _, a := range added {
		parts = append(parts, "adds "+a.Hex())
	}
	for _, a := range removed {
		parts = append(parts, "removes "+a.Hex())
	}
	return "header " + strings.Join(parts, " and ")
}

// contains reports whether the strictly ascending list holds a.
func contains(list []common.Address, a common.Address) bool {
	_, ok := slices.BinarySearchFunc(list, a, func(x, y common.Address) int { return bytes.Compare(x[:], y[:]) })
	return ok
}

// verifySeals checks e's seals against e's own validator list (quorum) and,
// when skipFrom is non-empty, that at least need of the signers are in
// skipFrom. It returns the signers in seal order.
func verifySeals(e *Extra, h *types.Header, skipFrom []common.Address, need int) ([]common.Address, error) {
	n := len(e.Validators)
	quorum := Quorum(n)
	switch {
	case len(e.Seals) > n:
		return nil, fmt.Errorf("%w: %d seals, %d validators", ErrTooManySeals, len(e.Seals), n)
	case len(e.Seals) < quorum:
		return nil, fmt.Errorf("%w: %d seals, quorum of %d validators is %d", ErrInsufficientSeals, len(e.Seals), n, quorum)
	}
	if len(skipFrom) > 0 {
		listed := 0
		for _, a := range e.Validators {
			if contains(skipFrom, a) {
				listed++
			}
		}
		if possible := min(listed, len(e.Seals)); possible < need {
			return nil, fmt.Errorf("%w: at most %d of %d trusted validators can have sealed, need %d",
				ErrInsufficientOverlap, possible, len(skipFrom), need)
		}
	}
	sealHash, err := e.headerHash(h, true)
	if err != nil {
		return nil, err
	}
	signers := make([]common.Address, 0, len(e.Seals))
	for i, seal := range e.Seals {
		signer, err := recoverSeal(sealHash, seal)
		if err != nil {
			return nil, &SealError{Index: i, Reason: err}
		}
		if !contains(e.Validators, signer) {
			return nil, &SealError{Index: i, Signer: signer, Reason: ErrNonValidatorSeal}
		}
		if slices.Contains(signers, signer) {
			return nil, &SealError{Index: i, Signer: signer, Reason: ErrDuplicateSeal}
		}
		signers = append(signers, signer)
	}
	// Every bad seal is fatal above, so this holds already; it is kept as the
	// statement of the rule.
	if len(signers) < quorum {
		return nil, fmt.Errorf("%w: %d distinct validators sealed, quorum of %d is %d", ErrInsufficientSeals, len(signers), n, quorum)
	}
	if len(skipFrom) > 0 {
		overlap := 0
		for _, s := range signers {
			if contains(skipFrom, s) {
				overlap++
			}
		}
		if overlap < need {
			return nil, fmt.Errorf("%w: %d of %d trusted validators sealed, need %d (more than two thirds)",
				ErrInsufficientOverlap, overlap, len(skipFrom), need)
		}
	}
	return signers, nil
}

// recoverSeal returns the address that signed hash with seal (r ‖ s ‖ v).
// High-s signatures are not rejected (GoQuorum's recovery does not reject
// them either); a malleated copy of a seal recovers to the same signer and
// so fails as a duplicate.
func recoverSeal(hash common.Hash, seal []byte) (common.Address, error) {
	v := seal[64]
	if v > 1 {
		return common.Address{}, fmt.Errorf("%w: recovery id %d, want 0 or 1", ErrBadSeal, v)
	}
	r, s := new(big.Int).SetBytes(seal[:32]), new(big.Int).SetBytes(seal[32:64])
	if !crypto.ValidateSignatureValues(v, r, s, false) {
		return common.Address{}, fmt.Errorf("%w: r or s out of range", ErrBadSeal)
	}
	pub, err := crypto.SigToPub(hash[:], seal)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %w", ErrBadSeal, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// finish computes h's block hash and the new trusted state, which keeps
// trusted's parameters.
func finish(trusted TrustedState, h *types.Header, e *Extra) (TrustedState, error) {
	hash, err := e.headerHash(h, false)
	if err != nil {
		return TrustedState{}, failure(trusted.Variant, h, e, err)
	}
	return stateOf(trusted.Variant, h, hash, e, trusted.Params), nil
}

// failure wraps reason in a *VerifyError naming h. It computes h's block
// hash for the message when it can; this only runs on the error path.
func failure(variant Variant, h *types.Header, e *Extra, reason error) *VerifyError {
	ve := &VerifyError{Reason: reason}
	if h == nil || h.Number == nil || !h.Number.IsUint64() {
		return ve
	}
	ve.Height = h.Number.Uint64()
	if e == nil {
		var err error
		if e, err = ParseExtra(variant, h.Extra); err != nil {
			return ve
		}
	}
	if hash, err := e.headerHash(h, false); err == nil {
		ve.Hash = hash
	}
	return ve
}
