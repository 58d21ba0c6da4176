package tendermint

import (
	"bytes"
	"fmt"
	"math/bits"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
)

// batchThreshold is the number of signatures from which ed25519 batch
// verification is used, as in CometBFT.
const batchThreshold = 2

// verifyCommit checks that the commit of b is signed by more than two thirds
// of vals, the header's own validator set, and, when trusted is not nil,
// by more than the trust level lvl of trusted's voting power. It runs the
// cheap checks before any signature is verified:
//
//  1. the commit has one entry per validator of vals, and every entry that
//     is not absent names the validator at its index
//     (ErrValidatorSetMismatch); a validator in both sets has the same key
//     in both (ErrValidatorSetMismatch);
//  2. the voting power of the entries for the block exceeds the trust level
//     of trusted (ErrInsufficientTrustedVotingPower), then two thirds of
//     vals (ErrInsufficientVotingPower);
//  3. every signature that is not absent, for the block or nil, verifies
//     (ErrInvalidSignature), in one ed25519 batch when all keys are ed25519.
//
// Step 3 checks more than CometBFT's light client, which stops once enough
// power has signed: a commit with any bad signature is rejected, so that no
// byte of an accepted signed header is left unchecked. Honest commits are
// verified in full by the nodes that build them and always pass.
func verifyCommit(chainID string, b *block, vals, trusted *valSet, lvl TrustLevel) error {
	c := b.commit
	if len(c.Signatures) != len(vals.vals) {
		return fmt.Errorf("%w: commit has %d signatures for %d validators",
			ErrValidatorSetMismatch, len(c.Signatures), len(vals.vals))
	}
	var signed, signedTrusted int64
	for i := range c.Signatures {
		s := &c.Signatures[i]
		if s.BlockIdFlag == cmtproto.BlockIDFlagAbsent {
			continue
		}
		v := &vals.vals[i]
		if !bytes.Equal(s.ValidatorAddress, v.address) {
			return fmt.Errorf("%w: commit signature %d is from %X, validator %d is %X",
				ErrValidatorSetMismatch, i, s.ValidatorAddress, i, v.address)
		}
		if s.BlockIdFlag != cmtproto.BlockIDFlagCommit {
			continue
		}
		signed += v.power
		if trusted != nil {
			if j, ok := trusted.index[string(v.address)]; ok {
				tv := &trusted.vals[j]
				if !bytes.Equal(tv.pubKey.Bytes(), v.pubKey.Bytes()) || tv.pubKey.Type() != v.pubKey.Type() {
					return fmt.Errorf("%w: validator %X has another key in the trusted set",
						ErrValidatorSetMismatch, v.address)
				}
				signedTrusted += tv.power
			}
		}
	}
	if trusted != nil {
		need := trustThreshold(trusted.total, lvl)
		if signedTrusted <= need {
			return &VotingPowerError{Signed: signedTrusted, Needed: need, Total: trusted.total,
				Reason: ErrInsufficientTrustedVotingPower}
		}
	}
	// total <= MaxTotalVotingPower, so total*2 cannot overflow.
	if need := vals.total * 2 / 3; signed <= need {
		return &VotingPowerError{Signed: signed, Needed: need, Total: vals.total, Reason: ErrInsufficientVotingPower}
	}
	return verifySignatures(chainID, c, vals)
}

// trustThreshold is floor(total * lvl), computed without overflow.
func trustThreshold(total int64, lvl TrustLevel) int64 {
	hi, lo := bits.Mul64(uint64(total), lvl.Numerator)
	// lvl <= 1, so the quotient fits: hi < Denominator.
	q, _ := bits.Div64(hi, lo, lvl.Denominator)
	return int64(q)
}

// verifySignatures verifies every signature of c that is not absent against
// the key of the validator at its index.
func verifySignatures(chainID string, c *cmtproto.Commit, vals *valSet) error {
	type item struct {
		idx int
		msg []byte
	}
	items := make([]item, 0, len(c.Signatures))
	for i := range c.Signatures {
		if c.Signatures[i].BlockIdFlag == cmtproto.BlockIDFlagAbsent {
			continue
		}
		msg, err := voteSignBytes(chainID, c, i)
		if err != nil {
			return sigError(c, i, err)
		}
		items = append(items, item{i, msg})
	}
	if vals.allEd25519 && len(items) >= batchThreshold {
		bv := ed25519.NewBatchVerifier()
		for _, it := range items {
			if err := bv.Add(vals.vals[it.idx].pubKey, it.msg, c.Signatures[it.idx].Signature); err != nil {
				return sigError(c, it.idx, err)
			}
		}
		ok, valid := bv.Verify()
		if ok {
			return nil
		}
		for k, good := range valid {
			if !good {
				return sigError(c, items[k].idx, nil)
			}
		}
		// The batch failed without naming a signature: check one by one.
	}
	for _, it := range items {
		if !vals.vals[it.idx].pubKey.VerifySignature(it.msg, c.Signatures[it.idx].Signature) {
			return sigError(c, it.idx, nil)
		}
	}
	return nil
}

func sigError(c *cmtproto.Commit, idx int, cause error) error {
	reason := ErrInvalidSignature
	if cause != nil {
		reason = fmt.Errorf("%w: %v", ErrInvalidSignature, cause)
	}
	return &SignatureError{Index: idx, Address: bytes.Clone(c.Signatures[idx].ValidatorAddress), Reason: reason}
}
