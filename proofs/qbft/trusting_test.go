package qbft_test

import (
	"math"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
)

// anchorAt returns a genesis header of s's validators dated t (Unix
// seconds) and the trusted state for it.
func anchorAt(tb testing.TB, s *qbfttest.Sealer, v qbft.Variant, t uint64) (*types.Header, qbft.TrustedState) {
	tb.Helper()
	h := qbfttest.Header(0, common.Hash{})
	h.Time = t
	g, err := qbfttest.WithExtra(v, h, s.Validators(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	hash, _ := qbft.BlockHash(v, g)
	ts, err := qbft.NewTrustedState(v, g, hash, qbfttest.Params())
	if err != nil {
		tb.Fatal(err)
	}
	return g, ts
}

// sealedAt returns a header at number dated t, listing s's validators and
// sealed by all of them.
func sealedAt(tb testing.TB, s *qbfttest.Sealer, v qbft.Variant, parent *types.Header, number, t uint64) *types.Header {
	tb.Helper()
	ph, _ := qbft.BlockHash(v, parent)
	h := qbfttest.Header(number, ph)
	h.Time = t
	h, err := qbfttest.WithExtra(v, h, s.Validators(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Seal(v, h, 0, qbfttest.All(len(s.Keys)))
}

// TestTrustingPeriod: validators that signed the anchor and left the set
// long ago still hold their keys. Their seals on a skip from the anchor
// must count only within the trusting period after the anchor's time.
func TestTrustingPeriod(t *testing.T) {
	const t0 = 1_700_000_000 // the anchor's timestamp
	for _, v := range variants {
		t.Run(v.String(), func(t *testing.T) {
			retired := mustSealer(t, 4)
			g, ts := anchorAt(t, retired, v, t0)
			exp := qbft.ExpiresAt(ts)
			if want := time.Unix(t0, 0).Add(qbfttest.Params().TrustingPeriod); !exp.Equal(want) {
				t.Fatalf("ExpiresAt %v, want %v", exp, want)
			}
			// A skip dated just before the end of the period, sealed by the
			// anchor's whole (since retired) set.
			skipTime := uint64(exp.Unix()) - 30
			skip := sealedAt(t, retired, v, g, 1_000_000, skipTime)
			_, err := qbft.VerifySkip(ts, skip, exp)
			wantErr(t, err, qbft.ErrExpired)
			_, err = qbft.VerifyChain(ts, []*types.Header{skip}, exp.Add(24*time.Hour))
			wantErr(t, err, qbft.ErrExpired)
			next, err := qbft.VerifySkip(ts, skip, exp.Add(-time.Second))
			if err != nil {
				t.Fatalf("one second inside the period: %v", err)
			}
			// The new state carries the parameters and its own time, so its
			// period runs from the skipped-to header.
			if next.Params != ts.Params || next.Time != skipTime || !qbft.ExpiresAt(next).Equal(time.Unix(int64(skipTime), 0).Add(ts.TrustingPeriod)) {
				t.Fatalf("state after the skip: %+v", next)
			}
			// Adjacent headers expire alike.
			child := sealedAt(t, retired, v, g, 1, t0+5)
			_, err = qbft.VerifyAdjacent(ts, child, exp)
			wantErr(t, err, qbft.ErrExpired)
			if _, err := qbft.VerifyAdjacent(ts, child, exp.Add(-time.Second)); err != nil {
				t.Fatalf("adjacent, inside the period: %v", err)
			}
		})
	}
}

// TestHeaderTime: a header may not be dated before the trusted header nor
// at or beyond now plus the clock drift.
func TestHeaderTime(t *testing.T) {
	const t0 = 1_700_000_000
	s := mustSealer(t, 4)
	g, ts := anchorAt(t, s, qbft.QBFT, t0)
	now := time.Unix(t0+3600, 0)
	drift := uint64(ts.MaxClockDrift / time.Second)
	for _, tc := range []struct {
		name   string
		number uint64
		time   uint64
		want   error
	}{
		{"adjacent, a second before the anchor", 1, t0 - 1, qbft.ErrTimeDecreasing},
		{"skip, an hour before the anchor", 50, t0 - 3600, qbft.ErrTimeDecreasing},
		{"adjacent, the anchor's second", 1, t0, nil},
		{"skip, the anchor's second", 50, t0, nil},
		{"adjacent, at now + drift", 1, t0 + 3600 + drift, qbft.ErrClockDrift},
		{"skip, a day after now", 50, t0 + 3600 + 86400, qbft.ErrClockDrift},
		{"adjacent, just inside the drift", 1, t0 + 3600 + drift - 1, nil},
		{"skip, after year 9999", 50, qbft.MaxTime + 1, qbft.ErrClockDrift},
		{"skip, at 2^64-1", 50, math.MaxUint64, qbft.ErrClockDrift},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := sealedAt(t, s, qbft.QBFT, g, tc.number, tc.time)
			_, err := qbft.VerifyChain(ts, []*types.Header{h}, now)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, tc.want)
		})
	}
	// A state cannot be built on a header dated after year 9999.
	late := qbfttest.Header(0, common.Hash{})
	late.Time = qbft.MaxTime + 1
	late, _ = qbfttest.WithExtra(qbft.QBFT, late, s.Validators(), nil)
	hash, _ := qbft.BlockHash(qbft.QBFT, late)
	_, err := qbft.NewTrustedState(qbft.QBFT, late, hash, qbfttest.Params())
	wantErr(t, err, qbft.ErrBadTrustedState)
	_, err = qbft.NewTrustedState(qbft.QBFT, g, ts.Hash, qbft.Params{})
	wantErr(t, err, qbft.ErrBadTrustedState)
}
