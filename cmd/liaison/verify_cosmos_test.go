package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEvidenceVerifyCosmos runs `liaison evidence verify` on real Cosmos
// bundles (made on a liaison-simd devnet, see adapters/cosmos/testdata):
// valid as of their proving time, refused once their anchor's trusting
// period has passed, and refused with one changed character in the proof.
func TestEvidenceVerifyCosmos(t *testing.T) {
	for _, name := range []string{"evidence_skip.json", "evidence_anchor.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "adapters", "cosmos", "testdata", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				ProvenAt time.Time `json:"proven_at"`
				Anchor   struct {
					Digest string `json:"digest"`
				} `json:"anchor"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			at := doc.ProvenAt.Format(time.RFC3339)
			code, out, errOut := cli("evidence", "verify", path, "--at", at, "--anchor-digest", doc.Anchor.Digest)
			if code != 0 || !strings.Contains(out, "valid: record ") || !strings.Contains(out, "tendermint") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			late := doc.ProvenAt.Add(25 * time.Hour).Format(time.RFC3339)
			if code, _, errOut := cli("evidence", "verify", path, "--at", late); code != 1 || !strings.Contains(errOut, "expired") {
				t.Fatalf("after the trusting period: exit %d %s", code, errOut)
			}
			s := string(data)
			i := strings.Index(s, `"proof": "`) + len(`"proof": "`) + 40
			repl := byte('A')
			if s[i] == 'A' {
				repl = 'B'
			}
			bad := filepath.Join(t.TempDir(), "bad.json")
			if err := os.WriteFile(bad, []byte(s[:i]+string(repl)+s[i+1:]), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errOut := cli("evidence", "verify", bad, "--at", at); code != 1 || !strings.Contains(errOut, "evidence rejected") {
				t.Fatalf("one character changed in the proof: exit %d %s", code, errOut)
			}
		})
	}
}
