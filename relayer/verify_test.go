package relayer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

// validBundle returns a fake chain's genuine evidence for one record and
// the anchor it was proven against.
func validBundle(t *testing.T) (*relayertest.Chain, *relayer.Evidence, relayer.Anchor) {
	t.Helper()
	c := relayertest.NewChain("dept-a")
	rec := c.Publish("dept-b", 1)[0]
	p := &relayertest.Prover{Chain: c}
	a, err := p.Bootstrap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ev, err := p.Prove(context.Background(), &rec, a)
	if err != nil {
		t.Fatal(err)
	}
	return c, ev, a
}

// reanchor returns a copy of a with one field changed and its digest
// recomputed, as someone who relabels an anchor would.
func reanchor(t *testing.T, a relayer.Anchor, change func(*relayer.Anchor)) relayer.Anchor {
	t.Helper()
	change(&a)
	d, err := relayer.AnchorDigest(a)
	if err != nil {
		t.Fatal(err)
	}
	a.Digest = d
	return a
}

// nextVerifier returns a chosen next anchor after the fake checks pass.
type nextVerifier struct {
	relayertest.Verifier
	next relayer.Anchor
}

func (v nextVerifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	if _, err := v.Verifier.Verify(ev, trusted, now); err != nil {
		return relayer.Anchor{}, err
	}
	return v.next, nil
}

func TestVerifyEvidenceAcceptsGenuine(t *testing.T) {
	_, ev, a := validBundle(t)
	v, err := relayer.VerifyEvidence(ev, a, relayertest.Verifier{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if v.Model.Name != "fake-hmac" || !v.Model.Consensus || v.Anchor.Digest != a.Digest || v.Next.Digest != a.Digest {
		t.Fatalf("verdict %+v", v)
	}
}

// TestVerifyEvidenceRefuses changes one field of a genuine bundle or of
// its anchor per case. Each case passes the fake ledger verifier, which
// checks only the MAC over the commitment, so only VerifyEvidence's own
// checks can refuse it.
func TestVerifyEvidenceRefuses(t *testing.T) {
	c, _, _ := validBundle(t)
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, ev *relayer.Evidence, a *relayer.Anchor) relayer.Verifier
		want   string
		is     error
	}{
		{"version", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.Version = "liaison.evidence/v1"
			return nil
		}, "version", nil},
		{"ledger", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.Ledger = "evm"
			return nil
		}, `evidence of a "evm" ledger`, nil},
		{"unknown trust model", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.TrustModel = "trust-me"
			return nil
		}, `"trust-me" is not a fake trust model`, nil},
		{"anchor of another scheme", func(t *testing.T, ev *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			*a = reanchor(t, *a, func(a *relayer.Anchor) { a.Scheme = "qbft" })
			ev.Anchor = *a
			return nil
		}, `the trusted anchor is "qbft"`, nil},
		{"trusted digest stale", func(_ *testing.T, _ *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			a.Height++
			return nil
		}, "does not match its chain, scheme, emitter, height and state", nil},
		{"bundle names another anchor", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.Anchor.Digest = "sha256:" + strings.Repeat("0", 64)
			return nil
		}, "the bundle names anchor", nil},
		{"embedded anchor relabelled, digest kept", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.Anchor.Chain = "dept-z"
			return nil
		}, "embedded anchor", nil},
		{"record altered", func(_ *testing.T, ev *relayer.Evidence, _ *relayer.Anchor) relayer.Verifier {
			ev.Record.Payload = []byte(`{"licence":999}`)
			return nil
		}, "payload", relayer.ErrRecordMismatch},
		// The chain name is not in the fake's commitment, as it is not in an
		// EVM storage slot: an anchor relabelled as another chain's must
		// still be refused for this chain's records.
		{"anchor relabelled as another chain", func(t *testing.T, ev *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			*a = reanchor(t, *a, func(a *relayer.Anchor) { a.Chain = "dept-z" })
			ev.Anchor = *a
			return nil
		}, `record from chain "dept-a", the anchor is of "dept-z"`, relayer.ErrWrongEmitter},
		// A copy of the Outbox deployed by anyone on the same chain: its
		// records have valid IDs and valid proofs, from the wrong emitter.
		{"record from another emitter", func(t *testing.T, ev *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			forged := relayer.NewTestRecord("dept-a", []byte("outbox-copy"), 1, []byte(`{"licence":1}`))
			p := &relayertest.Prover{Chain: c}
			fev, err := p.Prove(context.Background(), &forged, *a)
			if err != nil {
				t.Fatal(err)
			}
			*ev = *fev
			return nil
		}, "the anchor vouches for", relayer.ErrWrongEmitter},
		{"verifier moves trust to another emitter", func(t *testing.T, _ *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			return nextVerifier{next: reanchor(t, *a, func(n *relayer.Anchor) { n.Emitter = []byte("other"); n.Height = 9 })}
		}, "moved trust", nil},
		{"verifier returns a next anchor with a stale digest", func(t *testing.T, _ *relayer.Evidence, a *relayer.Anchor) relayer.Verifier {
			n := *a
			n.Height = 9
			return nextVerifier{next: n}
		}, "next anchor", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ev, a := validBundle(t)
			var v relayer.Verifier = relayertest.Verifier{}
			if got := tc.change(t, ev, &a); got != nil {
				v = got
			}
			_, err := relayer.VerifyEvidence(ev, a, v, time.Now())
			var ve *relayer.VerifyError
			if !errors.Is(err, relayer.ErrEvidence) || !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a *VerifyError containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want it to wrap %v", err, tc.is)
			}
		})
	}
}

// TestDecodeEvidenceRefusesDecoyKeys is the attack of a bundle whose
// "record" shows a decoy to jq and Python while encoding/json would take
// the genuine record from "RECORD".
func TestDecodeEvidenceRefusesDecoyKeys(t *testing.T) {
	_, ev, _ := validBundle(t)
	raw, err := relayer.EncodeEvidence(ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := relayer.DecodeEvidence(raw); err != nil {
		t.Fatalf("genuine bundle: %v", err)
	}
	decoy := relayer.NewTestRecord("dept-a", []byte("x"), 7, []byte(`{"licence":"decoy"}`))
	decoyJSON, _ := json.Marshal(decoy)
	for name, doc := range map[string][]byte{
		"upper-case twin":   bytes.Replace(raw, []byte(`"record": {`), append(append([]byte(`"record": `), decoyJSON...), []byte(`, "RECORD": {`)...), 1),
		"duplicate key":     bytes.Replace(raw, []byte(`"record": {`), append(append([]byte(`"record": `), decoyJSON...), []byte(`, "record": {`)...), 1),
		"nested case twin":  bytes.Replace(raw, []byte(`"payload":`), []byte(`"Payload": "eA==", "payload":`), 1),
		"anchor duplicate":  bytes.Replace(raw, []byte(`"height": 0,`), []byte(`"height": 0, "height": 0,`), 1),
		"case-only key":     bytes.Replace(raw, []byte(`"ledger":`), []byte(`"Ledger":`), 1),
		"inclusion dup key": bytes.Replace(raw, []byte(`"commitment":`), []byte(`"commitment": "00", "commitment":`), 1),
	} {
		if bytes.Equal(doc, raw) {
			t.Fatalf("%s: the test did not change the bundle", name)
		}
		if _, err := relayer.DecodeEvidence(doc); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// revokingVerifier is the fake verifier with a revoking trust model, as
// Fabric's channel configs are.
type revokingVerifier struct{ relayertest.Verifier }

func (revokingVerifier) TrustModels() []relayer.TrustModel {
	m := relayertest.Verifier{}.TrustModels()
	m[0].Revoking = true
	return m
}

// staleProver proves every record against one fixed anchor, as a prover
// fed by a peer that names an old config for a new block does.
type staleProver struct {
	*relayertest.Prover
	anchor relayer.Anchor
}

func (p staleProver) Prove(ctx context.Context, rec *relayer.Record, _ relayer.Anchor) (*relayer.Evidence, error) {
	return p.Prover.Prove(ctx, rec, p.anchor)
}

// TestSupersededAnchorIsRefused: under a revoking trust model, evidence
// that names an anchor a later trusted one replaced at or below the
// record's height is refused, even though the old anchor still checks out
// cryptographically. Records below the newer anchor's height may still use
// the old one, and a non-revoking model accepts both.
func TestSupersededAnchorIsRefused(t *testing.T) {
	for _, revoking := range []bool{true, false} {
		t.Run(map[bool]string{true: "revoking", false: "not revoking"}[revoking], func(t *testing.T) {
			h := newHarness(t, relayer.Unordered)
			ctx := context.Background()
			old, err := h.prover.Bootstrap(ctx)
			if err != nil {
				t.Fatal(err)
			}
			newer, err := old.Advance(5, old.State)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range []relayer.Anchor{old, newer} {
				if err := h.store.SaveAnchor(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			recs := h.src.Publish("dept-b", 8) // heights 1..8
			route := h.route()
			route.Prover = staleProver{Prover: h.prover, anchor: old}
			if revoking {
				route.Verifier = revokingVerifier{}
			}
			eng, err := relayer.NewEngine(relayer.Options{Store: h.store, Routes: []relayer.Route{route}, ShutdownGrace: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- eng.Run(runCtx) }()
			wantDead := 0
			if revoking {
				wantDead = 4 // heights 5..8
			}
			waitFor(t, "every record settled", func() bool {
				s := h.states(h.store)
				return s[relayer.StateConfirmed] == len(recs)-wantDead && s[relayer.StateDead] == wantDead
			})
			cancel()
			<-done
			for _, r := range recs {
				es, _ := h.store.Get(ctx, r.ID)
				refused := r.Source.Height >= 5 && revoking
				if refused != (es[0].State == relayer.StateDead) {
					t.Errorf("record at height %d: %s (%s)", r.Source.Height, es[0].State, es[0].LastError)
				}
				if refused && !strings.Contains(es[0].LastError, "was replaced by") {
					t.Errorf("record at height %d: error %q does not say the anchor was replaced", r.Source.Height, es[0].LastError)
				}
			}
		})
	}
}
