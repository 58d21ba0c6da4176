package relayer_test

// Attacks on how the engine picks the anchor that evidence is checked
// under, for revoking trust models (Fabric channel configs). Each test
// failed on the code it was written against; they stay as regression
// tests.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/relayer"
)

// rotatingProver is a route's prover after the operator replaced the
// chain's trust anchor: Bootstrap returns the new configured anchor, but
// Prove is the attacker's, who still holds the old anchor's key and names
// the old anchor in every bundle.
type rotatingProver struct {
	staleProver
	configured relayer.Anchor
}

func (p rotatingProver) Bootstrap(context.Context) (relayer.Anchor, error) { return p.configured, nil }

// runRevoking runs an engine with a revoking verifier on route until
// every record of recs is confirmed or dead, and returns the entries.
func runRevoking(t *testing.T, h *harness, route relayer.Route, n int) map[relayer.RecordID]relayer.Entry {
	t.Helper()
	route.Verifier = revokingVerifier{}
	eng, err := relayer.NewEngine(relayer.Options{Store: h.store, Routes: []relayer.Route{route}, ShutdownGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	waitFor(t, "every record settled", func() bool {
		s := h.states(h.store)
		return s[relayer.StateConfirmed]+s[relayer.StateDead] == n
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	es, err := h.store.List(context.Background(), relayer.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[relayer.RecordID]relayer.Entry{}
	for _, e := range es {
		out[e.Record.ID] = e
	}
	return out
}

// TestAttackSameHeightReplacementDoesNotRevoke: the operator replaces the
// configured anchor with one at the SAME height (for Fabric: the same
// config block with a stricter endorsement policy, the one thing in a
// Fabric anchor that the operator states and Fabric does not sign; here:
// a new consensus key because the old one leaked). bootstrap stores the
// new anchor and makes it current, but the old one stays in the store, and
// inForce only refuses an anchor replaced by a HIGHER one
// (at.Height > a.Height). So every bundle that names the old anchor is
// still accepted, for every height: the replacement revoked nothing.
func TestAttackSameHeightReplacementDoesNotRevoke(t *testing.T) {
	h := newHarness(t, relayer.Unordered)
	ctx := context.Background()
	old, err := h.prover.Bootstrap(ctx) // the key the attacker holds
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.SaveAnchor(ctx, old); err != nil {
		t.Fatal(err)
	}
	st, _ := json.Marshal(map[string]string{"key": hex.EncodeToString([]byte("the new, uncompromised key"))})
	configured, err := relayer.NewAnchor(old.Chain, old.Scheme, old.Emitter, old.Height, st)
	if err != nil {
		t.Fatal(err)
	}
	recs := h.src.Publish("dept-b", 4)
	route := h.route()
	route.Prover = rotatingProver{staleProver: staleProver{Prover: h.prover, anchor: old}, configured: configured}
	got := runRevoking(t, h, route, len(recs))
	for _, r := range recs {
		e := got[r.ID]
		if e.State != relayer.StateDead {
			t.Errorf("record at height %d, proven under the replaced anchor %s: %s (%s)", r.Source.Height, old.Digest, e.State, e.LastError)
		}
	}
	if n := h.fake.Landed(recs[0].ID); n != 0 {
		t.Errorf("the destination received a record proven under the replaced anchor (%d times)", n)
	}
}

// heightLyingProver proves each record as the stale prover does but
// states another source height in the bundle's record: the height of the
// block a ledger verifier checks (a Fabric verifier checks that the
// block's number is ev.Record.Source.Height).
type heightLyingProver struct {
	staleProver
	height relayer.Height
}

func (p heightLyingProver) Prove(ctx context.Context, rec *relayer.Record, a relayer.Anchor) (*relayer.Evidence, error) {
	ev, err := p.staleProver.Prove(ctx, rec, a)
	if err != nil {
		return nil, err
	}
	ev.Record.Source.Height = p.height
	return ev, nil
}

// heightRecordingVerifier is the revoking fake, which also records the
// source height of each bundle it accepts: the block the ledger's own
// checks were about.
type heightRecordingVerifier struct {
	revokingVerifier
	seen chan relayer.Height
}

func (v heightRecordingVerifier) Verify(ev *relayer.Evidence, trusted relayer.Anchor, now time.Time) (relayer.Anchor, error) {
	next, err := v.revokingVerifier.Verify(ev, trusted, now)
	if err == nil {
		select {
		case v.seen <- ev.Record.Source.Height:
		default:
		}
	}
	return next, err
}

// TestAttackInForceChecksAnotherHeight: the engine runs the revoking rule
// (inForce) at the OBSERVED record's height, but the ledger verifier checks
// the block at the BUNDLE's record height, and SameRecord ignores the
// height. A prover that names the old anchor and a block at height 8,
// where the newer anchor (height 5) is in force, passes both: inForce sees
// height 1..3, the verifier checks block 8 under the revoked config.
func TestAttackInForceChecksAnotherHeight(t *testing.T) {
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
	recs := h.src.Publish("dept-b", 3) // heights 1..3, below the newer anchor
	route := h.route()
	route.Prover = heightLyingProver{staleProver: staleProver{Prover: h.prover, anchor: old}, height: 8}
	seen := make(chan relayer.Height, 16)
	route.Verifier = heightRecordingVerifier{seen: seen}
	eng, err := relayer.NewEngine(relayer.Options{Store: h.store, Routes: []relayer.Route{route}, ShutdownGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	waitFor(t, "every record settled", func() bool {
		s := h.states(h.store)
		return s[relayer.StateConfirmed]+s[relayer.StateDead] == len(recs)
	})
	cancel()
	<-done
	close(seen)
	for hgt := range seen {
		if hgt >= newer.Height {
			t.Errorf("the verifier accepted a block at height %d under anchor %s (height %d), which the anchor at height %d replaced",
				hgt, old.Digest, old.Height, newer.Height)
			break
		}
	}
	for _, r := range recs {
		es, _ := h.store.Get(ctx, r.ID)
		if es[0].State == relayer.StateConfirmed {
			t.Errorf("record %d delivered on evidence of block 8 under the replaced anchor", r.Source.Sequence)
		}
	}
}

var (
	_ relayer.Verifier          = heightRecordingVerifier{}
	_ relayer.TrustBootstrapper = rotatingProver{}
)
