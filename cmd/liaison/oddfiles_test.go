package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOddFiles gives every command that reads a file empty, short and
// wrongly shaped content: each must exit 1 with a reason, never panic.
func TestOddFiles(t *testing.T) {
	dir := t.TempDir()
	good := map[string]string{
		"bundle": filepath.Join("..", "..", "adapters", "evm", "testdata", "evidence_qbft_skip.json"),
		"config": fabricVector("raft/config.block"),
		"block":  fabricVector("raft/publish-1.block"),
	}
	for name, content := range map[string]string{
		"empty": "", "blank": " \n", "empty array": "[]", "empty object": "{}", "null": "null",
		"number": "0", "string": `"x"`, "nul byte": "\x00", "yaml list": "- a\n- b\n",
		"yaml alias": "a: &a [*a]\n", "proto junk": "\x0a\xff\xff\xff\xff\x0f",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"config", "validate", path},
				{"start", "-c", path},
				{"cosmos", "setup-client", "-c", path, "--chain", "x"},
				{"evidence", "verify", path},
				{"evidence", "verify", good["bundle"], "--anchor", path},
				{"verify", "fabric-block", "--config", path, good["block"]},
				{"verify", "fabric-block", "--config", good["config"], path},
				{"verify", "qbft-headers", "--validators", goquorumValidators, path},
			} {
				code, _, errOut := cli(args...)
				if code != 1 || !strings.Contains(errOut, "liaison: ") || len(strings.TrimSpace(errOut)) <= len("liaison:") {
					t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
				}
			}
		})
	}
}
