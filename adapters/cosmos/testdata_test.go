package cosmos

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/liaison-gw/liaison/relayer"
	"github.com/liaison-gw/liaison/relayer/relayertest"
)

var update = flag.Bool("update", false, "regenerate the evidence bundles in testdata/ from a devnet (needs -tags e2e)")

// bundle is a committed evidence bundle: real evidence from a liaison-simd
// devnet, the corruption tests' and the fuzz target's input.
type bundle struct {
	name string
	ev   *relayer.Evidence
}

// loadBundles reads testdata/evidence_*.json.
func loadBundles(t testing.TB) []bundle {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "evidence_*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundles in testdata (%v): run go test -tags e2e -run TestTestdata -update ./adapters/cosmos", err)
	}
	var out []bundle
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := relayer.DecodeEvidence(bytes.TrimSpace(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, bundle{name: filepath.Base(f), ev: ev})
	}
	return out
}

// loadBundle reads one committed bundle.
func loadBundle(t testing.TB, name string) *relayer.Evidence {
	t.Helper()
	for _, b := range loadBundles(t) {
		if b.name == name {
			return b.ev
		}
	}
	t.Fatalf("testdata/%s is missing", name)
	return nil
}

// TestTestdata checks that every committed bundle verifies offline against
// its embedded anchor, as of its proving time; with -update (and -tags
// e2e) it first writes them anew from a devnet.
func TestTestdata(t *testing.T) {
	if *update {
		writeTestdata(t)
	}
	for _, b := range loadBundles(t) {
		next, err := NewVerifier().Verify(b.ev, b.ev.Anchor, b.ev.ProvenAt)
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		if err := next.CheckDigest(); err != nil || next.Height < b.ev.Anchor.Height {
			t.Fatalf("%s: next anchor %+v: %v", b.name, next, err)
		}
		relayertest.CheckSourceTimeIgnored(t, b.name, b.ev, func(ev *relayer.Evidence) error {
			_, err := NewVerifier().Verify(ev, ev.Anchor, ev.ProvenAt)
			return err
		})
	}
}
