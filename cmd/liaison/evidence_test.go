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
			endpoint := name == "evidence_rpc_finality.json"
			at := provenAt(t, path) // qbft anchors expire after their trusting period
			code, out, errOut := cli("evidence", "verify", path, "--at", at)
			verdict, _, _ := strings.Cut(out, "\n")
			switch {
			case endpoint && (code != exitEndpointTrust || !strings.HasPrefix(verdict, "unproven: record ") ||
				!strings.Contains(verdict, "NO consensus signature checked") || !strings.Contains(errOut, "--accept-endpoint-trust")):
				t.Fatalf("rpc-finality without --accept-endpoint-trust: exit %d\n%s%s", code, out, errOut)
			case !endpoint && (code != exitUnpinned || !strings.HasPrefix(verdict, "consistent, not proven: record ") || !strings.Contains(errOut, "--accept-unpinned")):
				t.Fatalf("unpinned: exit %d\n%s%s", code, out, errOut)
			case !strings.Contains(verdict, "anchor NOT pinned"):
				t.Fatalf("an unpinned anchor is not reported in the verdict line: %q", verdict)
			case !strings.Contains(out, "(as the bundle states them: not verified)"):
				t.Fatalf("the unverified source height and tx are not marked:\n%s", out)
			case !strings.Contains(out, "emitter   0xf739d16623b46892f0e509aacd02a6e8976482e2"):
				t.Fatalf("the emitter is not printed:\n%s", out)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The anchor digest is printed and can be pinned.
			digest := out[strings.Index(out, "anchor    sha256:")+len("anchor    ") : strings.Index(out, " at height")]
			accept := []string{}
			if endpoint {
				accept = []string{"--accept-endpoint-trust"}
			}
			code, out, errOut = cli(append([]string{"evidence", "verify", path, "--at", at, "--anchor-digest", digest}, accept...)...)
			verdict, _, _ = strings.Cut(out, "\n")
			if code != 0 || !strings.HasSuffix(verdict, "anchor pinned by --anchor-digest)") || (!endpoint && !strings.HasPrefix(verdict, "valid: record ")) {
				t.Fatalf("pinned to its own anchor: exit %d %s%s", code, out, errOut)
			}
			if endpoint && !strings.HasPrefix(verdict, "valid on endpoint trust: ") {
				t.Fatalf("rpc-finality accepted with the flag, but the verdict reads %q", verdict)
			}
			if code, _, errOut := cli(append([]string{"evidence", "verify", path, "--at", at, "--anchor-digest", "sha256:" + strings.Repeat("0", 64)}, accept...)...); code != 1 || !strings.Contains(errOut, "not the pinned") {
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
				if code, _, errOut := cli("evidence", "verify", bad, "--at", at, "--anchor-digest", digest); code != 1 || !strings.Contains(errOut, "evidence") {
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
