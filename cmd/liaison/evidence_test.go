package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEvidenceVerifyOffline runs `liaison evidence verify` on real EVM
// bundles (made on an in-process chain, see adapters/evm/testdata) and on
// copies with one changed byte anywhere in their proofs.
func TestEvidenceVerifyOffline(t *testing.T) {
	for _, name := range []string{"evidence_rpc_finality.json", "evidence_qbft_skip.json", "evidence_qbft_rotation.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "adapters", "evm", "testdata", name)
			at := provenAt(t, path) // qbft anchors expire after their trusting period
			code, out, errOut := cli("evidence", "verify", path, "--at", at)
			if code != 0 || !strings.Contains(out, "valid: record ") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The anchor digest is printed and can be pinned.
			digest := out[strings.Index(out, "anchor sha256:")+len("anchor ") : strings.Index(out, " at height")]
			if code, _, errOut := cli("evidence", "verify", path, "--at", at, "--anchor-digest", digest); code != 0 {
				t.Fatalf("pinned to its own anchor: exit %d %s", code, errOut)
			}
			if code, _, errOut := cli("evidence", "verify", path, "--at", at, "--anchor-digest", "sha256:"+strings.Repeat("0", 64)); code != 1 || !strings.Contains(errOut, "not the pinned") {
				t.Fatalf("pinned to another anchor: exit %d %s", code, errOut)
			}
			// Flip one hex digit at several places inside the proofs.
			s := string(data)
			flips := 0
			for _, field := range []string{`"account_proof"`, `"storage_proof"`, `"header"`, `"value"`} {
				i := strings.Index(s, field)
				if i < 0 {
					continue
				}
				j := i + strings.Index(s[i:], "0x") + 12
				c := s[j]
				repl := byte('0')
				if c == '0' {
					repl = '1'
				}
				flips++
				bad := filepath.Join(t.TempDir(), "bad.json")
				os.WriteFile(bad, []byte(s[:j]+string(repl)+s[j+1:]), 0o644)
				if code, _, errOut := cli("evidence", "verify", bad, "--at", at); code != 1 || !strings.Contains(errOut, "evidence") {
					t.Errorf("one byte changed in %s: exit %d %s", field, code, errOut)
				}
			}
			if flips < 3 {
				t.Fatalf("only %d fields found to corrupt", flips)
			}
			if strings.Contains(name, "qbft") {
				p, _ := time.Parse(time.RFC3339, at)
				late := p.Add(15 * 24 * time.Hour).Format(time.RFC3339)
				if code, _, errOut := cli("evidence", "verify", path, "--at", late); code != 1 || !strings.Contains(errOut, "expired") {
					t.Fatalf("15 days after proving: exit %d %s", code, errOut)
				}
			}
		})
	}
	if code, _, errOut := cli("evidence", "verify", "no-such-file.json"); code != 1 || !strings.Contains(errOut, "no-such-file.json") {
		t.Fatalf("missing file: exit %d %s", code, errOut)
	}
}

// provenAt returns a bundle's proven_at, in RFC 3339 (seconds, rounded up so
// that it is not before the proving time).
func provenAt(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ProvenAt time.Time `json:"proven_at"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.ProvenAt.Add(time.Second).Format(time.RFC3339)
}
