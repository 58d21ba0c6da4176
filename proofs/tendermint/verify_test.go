package tendermint_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

// mustVerify verifies and checks that the result is the state
// NewTrustedState builds for the same block.
func mustVerify(t *testing.T, trusted tendermint.TrustedState, lb tendermint.LightBlock, hash []byte, now time.Time) tendermint.TrustedState {
	t.Helper()
	next, err := tendermint.Verify(trusted, lb, now)
	if err != nil {
		t.Fatalf("Verify from %d: %v", trusted.Height, err)
	}
	if !bytes.Equal(next.Hash, hash) {
		t.Fatalf("state hash %X, want %X", []byte(next.Hash), hash)
	}
	direct, err := tendermint.NewTrustedState(lb, hash, trusted.Params)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(next, direct) {
		t.Fatalf("Verify returned\n%+v\nNewTrustedState builds\n%+v", next, direct)
	}
	return next
}

// wantReject checks that Verify rejects with the sentinel, in a
// *VerifyError naming the trusted chain.
func wantReject(t *testing.T, trusted tendermint.TrustedState, lb tendermint.LightBlock, now time.Time, sentinel error) error {
	t.Helper()
	_, err := tendermint.Verify(trusted, lb, now)
	if !errors.Is(err, sentinel) {
		t.Fatalf("Verify: got %v, want %v", err, sentinel)
	}
	var ve *tendermint.VerifyError
	if !errors.As(err, &ve) || ve.ChainID != trusted.ChainID {
		t.Fatalf("error %T %+v is not a *VerifyError for %q", err, ve, trusted.ChainID)
	}
	return err
}

func TestVectors(t *testing.T) {
	for _, name := range []string{"chain4.json", "chain100.json"} {
		t.Run(name, func(t *testing.T) {
			v := loadVector(t, name)
			if v.trusted.Height != v.file.Heights[0] || v.trusted.ChainID != v.file.ChainID {
				t.Fatalf("trusted state %d %q", v.trusted.Height, v.trusted.ChainID)
			}
			// Adjacent steps where the heights are consecutive, skips
			// otherwise, each from the state the previous step returned.
			cur := v.trusted
			for i := 1; i < len(v.blocks); i++ {
				cur = mustVerify(t, cur, v.blocks[i], v.file.Hashes[i], v.file.Now)
				if cur.Height != v.file.Heights[i] {
					t.Fatalf("height %d, want %d", cur.Height, v.file.Heights[i])
				}
			}
			last := len(v.blocks) - 1
			mustVerify(t, v.trusted, v.blocks[last], v.file.Hashes[last], v.file.Now)
		})
	}
}

// TestRejections covers the checks that real vectors, changed field by
// field, can exercise. Rejections that need headers signed by other
// validator sets are in proofs/cosmoslive.
func TestRejections(t *testing.T) {
	v4, v100 := loadVector(t, "chain4.json"), loadVector(t, "chain100.json")
	trusted, now := v4.trusted, v4.file.Now
	adj, skip := v4.blocks[1], v4.blocks[5]
	adjTime := adjTimeOf(t, adj)

	t.Run("voting power", func(t *testing.T) {
		mustVerify(t, trusted, absentN(t, adj, 1), v4.file.Hashes[1], now)
		err := wantReject(t, trusted, absentN(t, adj, 2), now, tendermint.ErrInsufficientVotingPower)
		var pe *tendermint.VotingPowerError
		if !errors.As(err, &pe) || pe.Signed != 2 || pe.Needed != 2 || pe.Total != 4 {
			t.Fatalf("VotingPowerError: %+v", pe)
		}
		wantReject(t, trusted, absentN(t, skip, 2), now, tendermint.ErrInsufficientVotingPower)
		wantReject(t, trusted, absentN(t, skip, 3), now, tendermint.ErrInsufficientTrustedVotingPower)
		// 67 of 100 is more than two thirds, 66 is not.
		for i, lb := range v100.blocks[1:] {
			mustVerify(t, v100.trusted, absentN(t, lb, 33), v100.file.Hashes[i+1], v100.file.Now)
			wantReject(t, v100.trusted, absentN(t, lb, 34), v100.file.Now, tendermint.ErrInsufficientVotingPower)
		}
	})
	t.Run("expired", func(t *testing.T) {
		exp := tendermint.ExpiresAt(trusted)
		if want := trusted.Time.Add(trusted.TrustingPeriod); !exp.Equal(want) {
			t.Fatalf("ExpiresAt %v, want %v", exp, want)
		}
		wantReject(t, trusted, adj, exp, tendermint.ErrExpired)
		wantReject(t, trusted, skip, exp.Add(time.Hour), tendermint.ErrExpired)
		mustVerify(t, trusted, adj, v4.file.Hashes[1], exp.Add(-time.Nanosecond))
	})
	t.Run("clock drift", func(t *testing.T) {
		at := adjTime.Add(-trusted.MaxClockDrift)
		wantReject(t, trusted, adj, at, tendermint.ErrClockDrift)
		mustVerify(t, trusted, adj, v4.file.Hashes[1], at.Add(time.Nanosecond))
	})
	t.Run("not monotonic", func(t *testing.T) {
		wantReject(t, trusted, v4.blocks[0], now, tendermint.ErrNotMonotonic)
		later := mustVerify(t, trusted, skip, v4.file.Hashes[5], now)
		wantReject(t, later, adj, now, tendermint.ErrNotMonotonic)
	})
	t.Run("chain id", func(t *testing.T) {
		wantReject(t, trusted, v100.blocks[2], now, tendermint.ErrChainID)
	})
	t.Run("validator sets", func(t *testing.T) {
		lb := adj
		lb.ValidatorSet = v100.file.ValidatorSet
		wantReject(t, trusted, lb, now, tendermint.ErrValidatorSetMismatch)
		lb = adj
		lb.NextValidatorSet = v100.file.ValidatorSet
		wantReject(t, trusted, lb, now, tendermint.ErrValidatorSetMismatch)
		lb = mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) {
			s := sh.Commit.Signatures
			s[0].ValidatorAddress, s[1].ValidatorAddress = s[1].ValidatorAddress, s[0].ValidatorAddress
		})
		wantReject(t, trusted, lb, now, tendermint.ErrValidatorSetMismatch)
		lb = mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) {
			sh.Commit.Signatures = sh.Commit.Signatures[:3]
		})
		wantReject(t, trusted, lb, now, tendermint.ErrValidatorSetMismatch)
	})
	t.Run("forged header", func(t *testing.T) {
		lb := mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) { sh.Header.AppHash[0] ^= 1 })
		wantReject(t, trusted, lb, now, tendermint.ErrInvalidHeader)
		lb = mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) { sh.Header.Version.Block = 10 })
		wantReject(t, trusted, lb, now, tendermint.ErrInvalidHeader)
		lb = mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) { sh.Commit.Height++ })
		wantReject(t, trusted, lb, now, tendermint.ErrInvalidHeader)
	})
	t.Run("bad signature", func(t *testing.T) {
		for i := range 4 {
			lb := mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) { sh.Commit.Signatures[i].Signature[5] ^= 1 })
			err := wantReject(t, trusted, lb, now, tendermint.ErrInvalidSignature)
			var se *tendermint.SignatureError
			if !errors.As(err, &se) || se.Index != i {
				t.Fatalf("signature %d: %v", i, err)
			}
		}
		// A signature with a changed timestamp signs other bytes.
		lb := mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) {
			sh.Commit.Signatures[2].Timestamp = sh.Commit.Signatures[2].Timestamp.Add(time.Nanosecond)
		})
		wantReject(t, trusted, lb, now, tendermint.ErrInvalidSignature)
		// A vote for the block relabelled as a nil vote.
		lb = mutateSignedHeader(t, adj, func(sh *cmtproto.SignedHeader) {
			sh.Commit.Signatures[3].BlockIdFlag = cmtproto.BlockIDFlagNil
		})
		wantReject(t, trusted, lb, now, tendermint.ErrInvalidSignature)
	})
	t.Run("decode", func(t *testing.T) {
		lb := adj
		lb.SignedHeader = adj.SignedHeader[:len(adj.SignedHeader)-1]
		wantReject(t, trusted, lb, now, tendermint.ErrDecode)
		// An unknown field 99: gogoproto skips it, Verify does not.
		lb.SignedHeader = append(bytes.Clone(adj.SignedHeader), 0x98, 0x06, 0x01)
		wantReject(t, trusted, lb, now, tendermint.ErrDecode)
		lb = adj
		lb.ValidatorSet = append(bytes.Clone(adj.ValidatorSet), 0x98, 0x06, 0x01)
		wantReject(t, trusted, lb, now, tendermint.ErrDecode)
		lb = adj
		lb.SignedHeader = nil
		wantReject(t, trusted, lb, now, tendermint.ErrDecode)
	})
	t.Run("bad trusted state", func(t *testing.T) {
		bad := trusted
		bad.NextValidators = bytes.Clone(trusted.NextValidators)
		bad.NextValidators[10] ^= 1
		badLevel := trusted
		badLevel.TrustLevel = tendermint.TrustLevel{Numerator: 1, Denominator: 4}
		badHash := trusted
		badHash.Hash = nil
		badDrift := trusted
		badDrift.MaxClockDrift = 0
		badChain := trusted
		badChain.ChainID = ""
		for _, s := range []tendermint.TrustedState{bad, badLevel, badHash, badDrift, badChain} {
			if err := s.Validate(); !errors.Is(err, tendermint.ErrBadTrustedState) {
				t.Fatalf("Validate: %v", err)
			}
			if _, err := tendermint.Verify(s, skip, now); !errors.Is(err, tendermint.ErrBadTrustedState) {
				t.Fatalf("Verify: %v", err)
			}
		}
		if _, err := tendermint.NewTrustedState(adj, v4.file.Hashes[2], trusted.Params); !errors.Is(err, tendermint.ErrHashMismatch) {
			t.Fatalf("NewTrustedState with the wrong hash: %v", err)
		}
		if _, err := tendermint.NewTrustedState(adj, v4.file.Hashes[1], badDrift.Params); !errors.Is(err, tendermint.ErrBadTrustedState) {
			t.Fatalf("NewTrustedState with bad params: %v", err)
		}
		if _, err := tendermint.NewTrustedState(absentN(t, adj, 2), v4.file.Hashes[1], trusted.Params); !errors.Is(err, tendermint.ErrInsufficientVotingPower) {
			t.Fatalf("NewTrustedState of an under-signed block: %v", err)
		}
	})
	t.Run("json round trip", func(t *testing.T) {
		enc, err := json.Marshal(trusted)
		if err != nil {
			t.Fatal(err)
		}
		var back tendermint.TrustedState
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, trusted) {
			t.Fatalf("round trip changed the state:\n%s", enc)
		}
		mustVerify(t, back, adj, v4.file.Hashes[1], now)
	})
}

// TestCheckConflictOnVectors covers the cases real vectors give; forks and
// time violations are signed by in-process chains in
// proofs/cosmoslive.
func TestCheckConflictOnVectors(t *testing.T) {
	v4, v100 := loadVector(t, "chain4.json"), loadVector(t, "chain100.json")
	if err := tendermint.CheckConflict(v4.blocks[1], v4.blocks[1]); err != nil {
		t.Fatalf("a header conflicts with itself: %v", err)
	}
	if err := tendermint.CheckConflict(v4.blocks[5], v4.blocks[1]); err != nil {
		t.Fatalf("two headers of one chain conflict: %v", err)
	}
	if err := tendermint.CheckConflict(v4.blocks[1], v100.blocks[1]); !errors.Is(err, tendermint.ErrChainID) {
		t.Fatalf("two chains: %v", err)
	}
	err := tendermint.CheckConflict(v4.blocks[1], absentN(t, v4.blocks[2], 2))
	if !errors.Is(err, tendermint.ErrInsufficientVotingPower) || errors.Is(err, tendermint.ErrConflict) {
		t.Fatalf("under-signed header: %v", err)
	}
	// The same height, another hash, not validly signed: no conflict, an
	// invalid header.
	forged := mutateSignedHeader(t, v4.blocks[1], func(sh *cmtproto.SignedHeader) { sh.Header.AppHash[0] ^= 1 })
	if err := tendermint.CheckConflict(v4.blocks[1], forged); !errors.Is(err, tendermint.ErrInvalidHeader) {
		t.Fatalf("forged header: %v", err)
	}
}

func TestTrustLevelValidate(t *testing.T) {
	for _, c := range []struct {
		l  tendermint.TrustLevel
		ok bool
	}{
		{tendermint.TrustLevel{Numerator: 1, Denominator: 3}, true},
		{tendermint.TrustLevel{Numerator: 2, Denominator: 3}, true},
		{tendermint.TrustLevel{Numerator: 1, Denominator: 1}, true},
		{tendermint.TrustLevel{Numerator: 1, Denominator: 4}, false},
		{tendermint.TrustLevel{Numerator: 4, Denominator: 3}, false},
		{tendermint.TrustLevel{Numerator: 1, Denominator: 0}, false},
		{tendermint.TrustLevel{Numerator: 1 << 63, Denominator: 1<<64 - 1}, true},
	} {
		if err := c.l.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.l, err)
		}
	}
}

func TestHexBytesJSON(t *testing.T) {
	b := tendermint.HexBytes{0xab, 0x01}
	enc, err := json.Marshal(b)
	if err != nil || string(enc) != `"AB01"` {
		t.Fatalf("%s %v", enc, err)
	}
	var back tendermint.HexBytes
	if err := json.Unmarshal([]byte(`"ab01"`), &back); err != nil || !bytes.Equal(back, b) {
		t.Fatalf("%x %v", back, err)
	}
	if err := json.Unmarshal([]byte(`"zz"`), &back); err == nil {
		t.Fatal("accepted non-hex")
	}
}

// adjTimeOf returns the header time of lb.
func adjTimeOf(t *testing.T, lb tendermint.LightBlock) time.Time {
	t.Helper()
	var sh cmtproto.SignedHeader
	if err := sh.Unmarshal(lb.SignedHeader); err != nil {
		t.Fatal(err)
	}
	return sh.Header.Time
}
