package main

// Inputs that crash a command. It failed on the code it was written
// against.

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAttackQBFTHeadersEmptyArrayPanics: `liaison verify qbft-headers
// --validators ADDR FILE` with FILE holding an empty JSON array ("[]", what
// a batch eth_getBlockByNumber for no blocks returns) indexes hs[0] of an
// empty slice and panics instead of exiting 1 with a message.
func TestAttackQBFTHeadersEmptyArrayPanics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "headers.json")
	if err := os.WriteFile(path, []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	var code int
	var out, errOut string
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("liaison verify qbft-headers on %q panicked: %v", "[]", p)
			}
		}()
		code, out, errOut = cli("verify", "qbft-headers", "--validators", "0x2ae0a0bd3df5c2d6a6ae04b0ce2a2d7ee8a1a8f4", path)
	}()
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
}
