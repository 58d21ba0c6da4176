package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesValidate checks the configurations shipped in examples/ with
// `liaison config validate`: fully where the example names no files, and
// without opening them where they exist only beside the ledgers.
func TestExamplesValidate(t *testing.T) {
	paths, err := filepath.Glob("../../examples/*/liaison.yaml")
	if err != nil || len(paths) < 2 {
		t.Fatalf("examples: %v, %v", paths, err)
	}
	for _, p := range paths {
		args := []string{"config", "validate", p}
		if strings.Contains(p, "three-ledgers") {
			args = []string{"config", "validate", "--skip-files", p}
		}
		code, out, errOut := cli(args...)
		if code != 0 || !strings.Contains(out, ": valid (") {
			t.Errorf("liaison %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	// Without --skip-files, the three-ledger example names what is missing.
	code, _, errOut := cli("config", "validate", "../../examples/three-ledgers/liaison.yaml")
	if code != 1 || !strings.Contains(errOut, "chains[0].fabric.trust.config_block: open ") {
		t.Errorf("three-ledgers without its files: exit %d\n%s", code, errOut)
	}
}
