package main

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/liaison-gw/liaison/proofs/qbft"
)

// The four validators of the real GoQuorum network in proofs/qbft/testdata.
const goquorumValidators = "0x2AE00c4eC1FE137a4e2710E79c22C3A90558E635,0x2d0D8B48F50B933c94fEaa806a4dE1Ac92079D4b," +
	"0x9cC9357b84D8fe1Cc37B628e2DC689B5D539b3Aa,0xc7DE5B37898f9b7B7C64CE4BB9D9242c8B2B7f5f"

func vector(n string) string {
	return filepath.Join("..", "..", "proofs", "qbft", "testdata", "goquorum_qbft_block"+n+".json")
}

// goquorumAt is a minute after the GoQuorum vectors were made: the time
// the tests check them as of.
var goquorumAt = func() string {
	raw, err := os.ReadFile(vector("3"))
	if err != nil {
		panic(err)
	}
	hs, err := qbft.LoadRPCHeaders(raw)
	if err != nil {
		panic(err)
	}
	return time.Unix(int64(hs[0].Header.Time), 0).Add(time.Minute).UTC().Format(time.RFC3339)
}()

func TestVerifyQBFTHeadersOnRealVectors(t *testing.T) {
	code, out, errOut := cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", goquorumValidators, vector("1"), vector("2"), vector("3"))
	if code != 0 || !strings.Contains(out, "verified 3 qbft header(s)") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}

	// One flipped byte in block 2's last seal.
	raw, err := os.ReadFile(vector("2"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, `"extraData":"0x`) + len(`"extraData":"0x`)
	j := i + strings.Index(s[i:], `"`)
	seal := j - 20 // inside the last seal's r‖s
	flipped := s[:seal] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", s[seal])+1)%16]) + s[seal+1:]
	bad := filepath.Join(t.TempDir(), "block2.json")
	os.WriteFile(bad, []byte(flipped), 0o644)
	code, _, errOut = cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", goquorumValidators, vector("1"), bad, vector("3"))
	if code != 1 || !strings.Contains(errOut, "header 2 (height 2)") {
		t.Fatalf("flipped seal: exit %d\n%s", code, errOut)
	}

	// A gap is a light-client skip: accepted, because every validator of
	// block 1 sealed block 3, and reported as a skip.
	code, out, _ = cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", goquorumValidators, vector("1"), vector("3"))
	if code != 0 || !strings.Contains(out, "height 3") || !strings.Contains(out, "skip from height 1") {
		t.Fatalf("gap: exit %d\n%s", code, out)
	}
	// Out of order.
	code, _, errOut = cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", goquorumValidators, vector("2"), vector("1"))
	if code != 1 || !strings.Contains(errOut, "header 2 (height 1)") {
		t.Fatalf("out of order: exit %d\n%s", code, errOut)
	}

	// A validator set that does not seal block 1.
	three := strings.Join(strings.Split(goquorumValidators, ",")[:3], ",") + ",0x0000000000000000000000000000000000000001"
	code, _, errOut = cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", three, vector("1"))
	if code != 1 || !strings.Contains(errOut, "header 1 (height 1)") {
		t.Fatalf("wrong validators: exit %d\n%s", code, errOut)
	}
	if code, _, _ := cli("verify", "qbft-headers", "--at", goquorumAt, vector("1")); code != 2 {
		t.Fatalf("missing --validators: exit %d, want 2", code)
	}
}

// TestVerifyQBFTHeadersOddFiles: no file content makes the command panic;
// each is refused with exit 1 and a reason.
func TestVerifyQBFTHeadersOddFiles(t *testing.T) {
	raw, err := os.ReadFile(vector("1"))
	if err != nil {
		t.Fatal(err)
	}
	// Block 1 renumbered 0, with the hash that makes it self-consistent.
	hs, err := qbft.LoadRPCHeaders(raw)
	if err != nil {
		t.Fatal(err)
	}
	h0 := types.CopyHeader(hs[0].Header)
	h0.Number = new(big.Int)
	hash0, err := qbft.BlockHash(qbft.QBFT, h0)
	if err != nil {
		t.Fatal(err)
	}
	genesis := strings.Replace(string(raw), `"number":"0x1"`, `"number":"0x0"`, 1)
	genesis = strings.Replace(genesis, hs[0].Hash.Hex(), hash0.Hex(), 1)
	if _, err := qbft.LoadRPCHeaders([]byte(genesis)); err != nil {
		t.Fatalf("block 1 renumbered 0: %v", err)
	}
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty array":   "[]",
		"empty file":    "",
		"blank":         " \n",
		"null":          "null",
		"array of null": "[null]",
		"number":        "1",
		"object":        "{}",
		"truncated":     string(raw[:len(raw)/2]),
		"height 0":      genesis,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := cli("verify", "qbft-headers", "--at", goquorumAt, "--validators", goquorumValidators, path)
			if code != 1 || !strings.Contains(errOut, "liaison: ") || strings.Contains(out, "verified") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			t.Log(strings.TrimSpace(errOut))
		})
	}
}

// TestVerifyQBFTHeadersTrustingPeriod: trust in the given validators lasts
// the trusting period from the first header's time, as of --at.
func TestVerifyQBFTHeadersTrustingPeriod(t *testing.T) {
	at, err := time.Parse(time.RFC3339, goquorumAt)
	if err != nil {
		t.Fatal(err)
	}
	late := at.Add(15 * 24 * time.Hour).Format(time.RFC3339)
	code, _, errOut := cli("verify", "qbft-headers", "--at", late, "--validators", goquorumValidators, vector("1"), vector("3"))
	if code != 1 || !strings.Contains(errOut, "trusting period of the trusted header expired") {
		t.Fatalf("15 days later: exit %d\n%s", code, errOut)
	}
	code, out, errOut := cli("verify", "qbft-headers", "--at", late, "--trusting-period", "720h", "--validators", goquorumValidators, vector("1"), vector("3"))
	if code != 0 || !strings.Contains(out, "verified 2 qbft header(s)") {
		t.Fatalf("15 days later with a 30-day period: exit %d\n%s%s", code, out, errOut)
	}
	early := at.Add(-time.Hour).Format(time.RFC3339)
	code, _, errOut = cli("verify", "qbft-headers", "--at", early, "--validators", goquorumValidators, vector("1"))
	if code != 1 || !strings.Contains(errOut, "too far in the future") {
		t.Fatalf("an hour before block 1 was made: exit %d\n%s", code, errOut)
	}
	for _, bad := range [][]string{{"--trusting-period", "0s"}, {"--max-clock-drift", "-1s"}, {"--at", "yesterday"}} {
		args := append([]string{"verify", "qbft-headers", "--validators", goquorumValidators}, bad...)
		if code, _, errOut := cli(append(args, vector("1"))...); code != 2 {
			t.Fatalf("%v: exit %d, want 2\n%s", bad, code, errOut)
		}
	}
}
