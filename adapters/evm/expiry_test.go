package evm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/proofs/qbft/qbfttest"
	"github.com/liaison-gw/liaison/relayer"
)

// anchorState decodes a qbft anchor's state.
func anchorState(t testing.TB, a relayer.Anchor) qbft.TrustedState {
	t.Helper()
	var st qbft.TrustedState
	if err := json.Unmarshal(a.State, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// lastHeaderTime returns the timestamp of a bundle's last consensus header.
func lastHeaderTime(t testing.TB, ev *relayer.Evidence) time.Time {
	t.Helper()
	var c BFTConsensus
	if err := json.Unmarshal(ev.Consensus, &c); err != nil {
		t.Fatal(err)
	}
	var h types.Header
	if err := rlp.DecodeBytes(c.Headers[len(c.Headers)-1], &h); err != nil {
		t.Fatal(err)
	}
	return time.Unix(int64(h.Time), 0)
}

// TestVerifyRefusesStaleAnchor: validators that rotated out long ago keep
// their keys and answer to no one, so evidence that skips from an anchor
// older than the trusting period must be refused, however well sealed.
func TestVerifyRefusesStaleAnchor(t *testing.T) {
	real := qbftEvidence(t, mustSealer(t, 4), fixedSet(4), 1)
	late := real.ev.ProvenAt.Add(15 * 24 * time.Hour)
	_, err := real.verifier.Verify(clone(t, real.ev), real.anchor, late)
	if !errors.Is(err, relayer.ErrEvidence) {
		t.Fatalf("a skip from an anchor 15 days old: got %v, want it refused", err)
	}

	// The bound is the anchor's own: its header time plus the trusting
	// period it carries (the default), which the digest covers.
	st := anchorState(t, real.anchor)
	if st.TrustingPeriod != config.DefaultEVMTrustingPeriod || st.MaxClockDrift != config.DefaultEVMClockDrift || st.Time == 0 {
		t.Fatalf("anchor state %+v lacks the trust parameters or the checkpoint's time", st)
	}
	exp := qbft.ExpiresAt(st)
	var ve *relayer.VerifyError
	_, err = real.verifier.Verify(clone(t, real.ev), real.anchor, exp)
	if !errors.Is(err, qbft.ErrExpired) || !errors.As(err, &ve) || ve.Check != CheckHeader || !strings.Contains(err.Error(), "trust.checkpoint") {
		t.Fatalf("at the end of the trusting period: got %v, want qbft.ErrExpired naming trust.checkpoint", err)
	}
	if _, err := real.verifier.Verify(clone(t, real.ev), real.anchor, exp.Add(-time.Second)); err != nil {
		t.Fatalf("one second before the end of the trusting period: %v", err)
	}

	// A header dated in the future of now, beyond the clock drift.
	early := lastHeaderTime(t, real.ev).Add(-st.MaxClockDrift)
	if _, err := real.verifier.Verify(clone(t, real.ev), real.anchor, early); !errors.Is(err, qbft.ErrClockDrift) {
		t.Fatalf("header at now + drift: got %v, want qbft.ErrClockDrift", err)
	}
	if _, err := real.verifier.Verify(clone(t, real.ev), real.anchor, early.Add(time.Second)); err != nil {
		t.Fatalf("header just inside the drift: %v", err)
	}
}

// offsetClock is the wall clock moved forward by what Advance added: the
// simulated chain's blocks carry wall-clock times, which a frozen clock
// would soon see as dated in its future.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// TestProveRefusesStaleAnchor: the prover refuses an expired anchor with a
// permanent error that tells the operator what to do, warns (and calls
// OnTrustExpiring) when the anchor is about to expire, and bootstraps with
// the configured trust parameters.
func TestProveRefusesStaleAnchor(t *testing.T) {
	n := newTestNet(t)
	sealer := mustSealer(t, 4)
	clock := &offsetClock{}
	var (
		mu       sync.Mutex
		warnings []time.Time
	)
	cfg := n.evmConfig("qbft", 0)
	for _, i := range qbfttest.All(4) {
		cfg.Trust.Validators = append(cfg.Trust.Validators, sealer.Address(i).Hex())
	}
	cfg.Trust.TrustingPeriod = 48 * time.Hour
	cfg.Trust.ExpiryWarning = 24 * time.Hour
	c := newChain(t, srcName, cfg, Options{
		Now: clock.Now,
		WrapHeaders: func(_ string, r HeaderReader) HeaderReader {
			return newResealer(r, qbft.QBFT, sealer, fixedSet(4))
		},
		OnTrustExpiring: func(chain relayer.ChainID, at time.Time) {
			mu.Lock()
			defer mu.Unlock()
			warnings = append(warnings, at)
		},
	})
	anchor := bootstrap(t, c)
	st := anchorState(t, anchor)
	if st.TrustingPeriod != 48*time.Hour || st.MaxClockDrift != config.DefaultEVMClockDrift {
		t.Fatalf("anchor trust parameters %+v, want the configured ones", st.Params)
	}
	rec := publishOne(t, n, c, "licence 42")
	if _, next := proveAndCheck(t, c, &rec, anchor); anchorState(t, next).TrustingPeriod != 48*time.Hour {
		t.Fatal("the next anchor lost the trusting period")
	}
	mu.Lock()
	if len(warnings) != 0 {
		t.Fatalf("warned of expiry %v with two days left", warnings)
	}
	mu.Unlock()

	exp := qbft.ExpiresAt(st)
	clock.Advance(exp.Sub(clock.Now()) - time.Hour)
	if _, err := c.Prover().Prove(context.Background(), &rec, anchor); err != nil {
		t.Fatalf("an hour before expiry: %v", err)
	}
	mu.Lock()
	if len(warnings) != 1 || !warnings[0].Equal(exp) {
		t.Fatalf("OnTrustExpiring calls %v, want one with %v", warnings, exp)
	}
	mu.Unlock()

	clock.Advance(time.Hour)
	_, err := c.Prover().Prove(context.Background(), &rec, anchor)
	if !errors.Is(err, relayer.ErrPermanent) || !errors.Is(err, qbft.ErrExpired) || !strings.Contains(err.Error(), "trust.checkpoint") {
		t.Fatalf("at expiry: got %v, want ErrPermanent and qbft.ErrExpired naming trust.checkpoint", err)
	}
	// A checkpoint that is already too old still bootstraps (the store may
	// hold a newer anchor), and proving from it is refused.
	old := bootstrap(t, c)
	if _, err := c.Prover().Prove(context.Background(), &rec, old); !errors.Is(err, qbft.ErrExpired) {
		t.Fatalf("from an expired checkpoint: got %v, want qbft.ErrExpired", err)
	}
}
