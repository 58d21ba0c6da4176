package fabric

import (
	"errors"
	"strings"
	"testing"
	"time"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/relayer"
)

// The verifier caches anchor states by digest and configs by the config
// they were verified under. These tests warm the caches, then present what
// a fresh verifier refuses, to the same verifier.

// TestVerifierCacheAnchors: the anchor's digest is checked against its
// state on every call, before the cache is asked, and another state (here
// only the policy differs) is another entry.
func TestVerifierCacheAnchors(t *testing.T) {
	anyPol := vectorEvidence(t, "raft/any-org1-only.block", "any")
	v := anyPol.verifier
	if _, err := v.Verify(anyPol.ev, anyPol.anchor, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The cached digest with a state that says "majority".
	forged := anyPol.anchor
	forged.State = []byte(strings.Replace(string(forged.State), `"endorsement_policy":"any"`, `"endorsement_policy":"majority"`, 1))
	if string(forged.State) == string(anyPol.anchor.State) {
		t.Fatal("state unchanged")
	}
	if _, err := v.Verify(anyPol.ev, forged, time.Time{}); !errors.Is(err, ErrAnchorMismatch) {
		t.Fatalf("state changed under a cached digest: got %v, want ErrAnchorMismatch", err)
	}
	// The real majority anchor, to the warm verifier.
	maj := vectorEvidence(t, "raft/any-org1-only.block", "majority")
	if _, err := v.Verify(maj.ev, maj.anchor, time.Time{}); !errors.Is(err, fabproof.ErrEndorsementPolicy) {
		t.Fatalf("majority after any: got %v, want ErrEndorsementPolicy", err)
	}
	if _, err := v.Verify(anyPol.ev, anyPol.anchor, time.Time{}); err != nil {
		t.Fatalf("any again: %v", err)
	}
}

// TestVerifierCacheConfigs: a config block the verifier accepted under one
// channel's config is not accepted under another's. Two synthetic
// channels share names but no keys.
func TestVerifierCacheConfigs(t *testing.T) {
	a, b := newSynthetic(t), newSynthetic(t)
	v := NewVerifier(WithChain("registry"), WithChaincode("records"))
	cfg := a.configUpdate()
	_, ev := a.publish(1, cfg, nil)
	if _, err := v.Verify(ev, a.anchor, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// a's bundle, config block and all, presented under b's anchor.
	ev.Anchor = b.anchor
	_, err := v.Verify(ev, b.anchor, time.Time{})
	var ve *relayer.VerifyError
	if !errors.As(err, &ve) || ve.Check != CheckConsensus {
		t.Fatalf("a's config block under b's anchor: got %v, want the config chain check to fail", err)
	}
	// And a again, from the cache.
	ev.Anchor = a.anchor
	next, err := v.Verify(ev, a.anchor, time.Time{})
	if err != nil || next.Height != relayer.Height(cfg) {
		t.Fatalf("a again: %v", err)
	}
}
