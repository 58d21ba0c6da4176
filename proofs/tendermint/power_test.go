package tendermint

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/merkle"
	cmtcrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
)

// These tests forge light blocks with keys of their own, so that they can
// choose voting powers no real chain would have. The encoding and the
// hashes are built here without decodeValSet, which is what they test.

const forgeChain = "forge-1"

var forgeEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func forgeKey(i int) ed25519.PrivKey {
	return ed25519.GenPrivKeyFromSecret(fmt.Appendf(nil, "liaison tendermint power test %d", i))
}

// forgeSet is a validator set of the keys with the given indexes and powers.
type forgeSet struct {
	keys   []int
	powers []int64
}

// encode returns the set's protobuf (total_voting_power left at zero, as
// CometBFT's RPC may send it) and its hash, computed as CometBFT does.
func (s forgeSet) encode(t testing.TB) (raw, hash []byte) {
	t.Helper()
	pb := cmtproto.ValidatorSet{}
	leaves := make([][]byte, len(s.keys))
	for i, k := range s.keys {
		pub := forgeKey(k).PubKey()
		pk := cmtcrypto.PublicKey{Sum: &cmtcrypto.PublicKey_Ed25519{Ed25519: pub.Bytes()}}
		pb.Validators = append(pb.Validators, &cmtproto.Validator{Address: pub.Address(), PubKey: pk, VotingPower: s.powers[i]})
		leaf, err := (&cmtproto.SimpleValidator{PubKey: &pk, VotingPower: s.powers[i]}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		leaves[i] = leaf
	}
	raw, err := pb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return raw, merkle.HashFromByteSlices(leaves)
}

// forgeBlock returns a light block at height signed by the members of vals
// at the positions in signers (the others are absent), with next as the
// next validator set, and its header hash.
func forgeBlock(t testing.TB, height int64, vals, next forgeSet, signers ...int) (LightBlock, []byte) {
	t.Helper()
	valsRaw, valsHash := vals.encode(t)
	nextRaw, nextHash := next.encode(t)
	tm := forgeEpoch.Add(time.Duration(height) * time.Second)
	h := &cmtproto.Header{
		ChainID:            forgeChain,
		Height:             height,
		Time:               tm,
		ValidatorsHash:     valsHash,
		NextValidatorsHash: nextHash,
		ProposerAddress:    forgeKey(vals.keys[0]).PubKey().Address(),
	}
	h.Version.Block = blockProtocol
	hash, err := headerHash(h)
	if err != nil {
		t.Fatal(err)
	}
	c := &cmtproto.Commit{Height: height, Signatures: make([]cmtproto.CommitSig, len(vals.keys))}
	c.BlockID.Hash = hash
	c.BlockID.PartSetHeader = cmtproto.PartSetHeader{Total: 1, Hash: make([]byte, hashSize)}
	for i := range c.Signatures {
		c.Signatures[i].BlockIdFlag = cmtproto.BlockIDFlagAbsent
	}
	for _, i := range signers {
		key := forgeKey(vals.keys[i])
		c.Signatures[i] = cmtproto.CommitSig{BlockIdFlag: cmtproto.BlockIDFlagCommit, ValidatorAddress: key.PubKey().Address(), Timestamp: tm}
		msg, err := voteSignBytes(forgeChain, c, i)
		if err != nil {
			t.Fatal(err)
		}
		if c.Signatures[i].Signature, err = key.Sign(msg); err != nil {
			t.Fatal(err)
		}
	}
	sh, err := (&cmtproto.SignedHeader{Header: h, Commit: c}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	lb := LightBlock{SignedHeader: sh, ValidatorSet: valsRaw}
	if string(nextHash) != string(valsHash) {
		lb.NextValidatorSet = nextRaw
	}
	return lb, hash
}

var forgeParams = Params{TrustingPeriod: 24 * time.Hour, TrustLevel: DefaultTrustLevel, MaxClockDrift: 10 * time.Second}

// TestVotingPowerOverflow: powers [1, MaxInt64] used to pass the total
// check, because the total was compared with MaxTotalVotingPower only
// after the addition had wrapped it to a negative number; two thirds of
// that is 0, so the validator of power 1 alone "had more than 2/3".
func TestVotingPowerOverflow(t *testing.T) {
	huge := forgeSet{keys: []int{0, 1}, powers: []int64{1, math.MaxInt64}}
	lb, hash := forgeBlock(t, 1, huge, huge, 0)
	if _, err := NewTrustedState(lb, hash, forgeParams); !errors.Is(err, ErrDecode) {
		t.Fatalf("anchor signed by the validator of power 1 of [1, MaxInt64]: got %v, want ErrDecode", err)
	}

	// A skip: half of an honest trusted set signs a header whose own set
	// gives a key that did not sign nearly all the power. The trust-level
	// check passes; the two-thirds check of the new set must not.
	honest := forgeSet{keys: []int{0, 1, 2, 3}, powers: []int64{10, 10, 10, 10}}
	lb0, hash0 := forgeBlock(t, 1, honest, honest, 0, 1, 2, 3)
	trusted, err := NewTrustedState(lb0, hash0, forgeParams)
	if err != nil {
		t.Fatal(err)
	}
	for name, powers := range map[string][]int64{
		"wraps to MinInt64":         {1, 1, math.MaxInt64 - 1},
		"wraps to a small negative": {1, 1, math.MaxInt64},
		"just above the cap":        {1, 1, MaxTotalVotingPower - 1},
	} {
		t.Run(name, func(t *testing.T) {
			evil := forgeSet{keys: []int{0, 1, 4}, powers: powers}
			lb, _ := forgeBlock(t, 5, evil, evil, 0, 1)
			now := forgeEpoch.Add(time.Minute)
			_, err := Verify(trusted, lb, now)
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("got %v, want ErrDecode", err)
			}
		})
	}

	// A trusted state holding such a set is refused as a whole.
	st := trusted
	st.NextValidators, st.NextValidatorsHash = huge.encode(t)
	if err := st.Validate(); !errors.Is(err, ErrBadTrustedState) {
		t.Fatalf("trusted state with an overflowing next set: got %v, want ErrBadTrustedState", err)
	}
}

// TestVotingPowerLimits: the largest total is accepted, negative and zero
// powers are not, and a trusted set at the cap counts without overflow.
func TestVotingPowerLimits(t *testing.T) {
	atCap := forgeSet{keys: []int{0, 1}, powers: []int64{MaxTotalVotingPower - 1, 1}}
	lb, hash := forgeBlock(t, 1, atCap, atCap, 0, 1)
	trusted, err := NewTrustedState(lb, hash, forgeParams)
	if err != nil {
		t.Fatalf("a set at MaxTotalVotingPower: %v", err)
	}
	lb1, hash1 := forgeBlock(t, 1, atCap, atCap, 1)
	if _, err := NewTrustedState(lb1, hash1, forgeParams); !errors.Is(err, ErrInsufficientVotingPower) {
		t.Fatalf("signed by power 1 of MaxTotalVotingPower: got %v", err)
	}
	// Skipping from it: trust level 1 needs every trusted validator.
	p := forgeParams
	p.TrustLevel = TrustLevel{Numerator: 1, Denominator: 1}
	trusted.Params = p
	next := forgeSet{keys: []int{0, 1, 2}, powers: []int64{MaxTotalVotingPower / 2, MaxTotalVotingPower / 2, 1}}
	now := forgeEpoch.Add(time.Minute)
	if _, err := Verify(trusted, forgeBlockLB(t, 4, next, 0, 1), now); !errors.Is(err, ErrInsufficientTrustedVotingPower) {
		t.Fatalf("trust level 1 without every trusted validator: got %v", err)
	}

	for name, powers := range map[string][]int64{
		"negative": {10, -1, 10},
		"zero":     {10, 0, 10},
	} {
		t.Run(name, func(t *testing.T) {
			s := forgeSet{keys: []int{0, 1, 2}, powers: powers}
			lb, hash := forgeBlock(t, 1, s, s, 0, 2)
			if _, err := NewTrustedState(lb, hash, forgeParams); !errors.Is(err, ErrDecode) {
				t.Fatalf("got %v, want ErrDecode", err)
			}
		})
	}
}

// TestNoDoubleCounting: a validator counts once. A set may not list an
// address twice, and a commit entry only counts for the validator at its
// own index.
func TestNoDoubleCounting(t *testing.T) {
	dup := forgeSet{keys: []int{0, 1, 1, 2}, powers: []int64{10, 10, 10, 10}}
	lb, hash := forgeBlock(t, 1, dup, dup, 1, 2)
	if _, err := NewTrustedState(lb, hash, forgeParams); !errors.Is(err, ErrDecode) {
		t.Fatalf("a set listing one validator twice: got %v, want ErrDecode", err)
	}
	// Validator 1 signs in the slots of 1 and of 2: the second entry names
	// validator 1 at validator 2's index.
	s := forgeSet{keys: []int{0, 1, 2, 3}, powers: []int64{10, 10, 10, 10}}
	lb, hash = forgeBlock(t, 1, s, s, 0, 1)
	var sh cmtproto.SignedHeader
	if err := sh.Unmarshal(lb.SignedHeader); err != nil {
		t.Fatal(err)
	}
	sh.Commit.Signatures[2] = sh.Commit.Signatures[1]
	raw, err := sh.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	lb.SignedHeader = raw
	if _, err := NewTrustedState(lb, hash, forgeParams); !errors.Is(err, ErrValidatorSetMismatch) {
		t.Fatalf("one validator's signature in two slots: got %v, want ErrValidatorSetMismatch", err)
	}
}

func forgeBlockLB(t testing.TB, height int64, vals forgeSet, signers ...int) LightBlock {
	lb, _ := forgeBlock(t, height, vals, vals, signers...)
	return lb
}
