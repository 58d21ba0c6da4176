package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

// The fuzz targets below feed every file parser of the command line
// mutated copies of the repository's real data. None may panic, and every
// rejection must say why (a non-empty error). Run one with, for example,
//
//	go test -run '^$' -fuzz FuzzVerifyQBFTHeadersFile -fuzztime 30s -fuzzminimizetime 1x ./cmd/liaison
//
// The binary links every adapter, which makes coverage bookkeeping slow: with
// the default minimisation budget a short run spends its time minimising.
// Without -fuzz they run their seeds as ordinary tests.

// mustErrText fails unless a rejection carries a message.
func mustErrText(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.TrimSpace(err.Error()) == "" {
		t.Fatalf("rejected with an empty message (%T)", err)
	}
}

// seedFiles adds the content of every file matching the patterns (relative
// to the repository root) and fails when none matches.
func seedFiles(f *testing.F, patterns ...string) [][]byte {
	f.Helper()
	var out [][]byte
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join("..", "..", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			raw, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, raw)
		}
	}
	if len(out) == 0 {
		f.Fatalf("no seed files match %v", patterns)
	}
	return out
}

// FuzzVerifyQBFTHeadersFile is `liaison verify qbft-headers` on one file,
// as of a minute after its last header:
// the headers are checked from the validators the first one lists (the
// fuzzer cannot sign, so only this reaches the seal checks with real
// seals), or from the real GoQuorum set when its extra data does not parse.
func FuzzVerifyQBFTHeadersFile(f *testing.F) {
	for _, raw := range seedFiles(f, "proofs/qbft/testdata/*.json") {
		f.Add(raw)
	}
	f.Add([]byte("[]"))
	params := qbft.Params{TrustingPeriod: config.DefaultEVMTrustingPeriod, MaxClockDrift: config.DefaultEVMClockDrift}
	var goquorum []common.Address
	for _, a := range strings.Split(goquorumValidators, ",") {
		goquorum = append(goquorum, common.HexToAddress(a))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, err := parseQBFTHeaderFile("FILE", data)
		if err != nil {
			mustErrText(t, err)
			return
		}
		set := goquorum
		if e, err := qbft.ParseExtra(hs[0].Variant, hs[0].Header.Extra); err == nil && len(e.Validators) > 0 {
			set = e.Validators
		}
		// As of a minute after the last header was made.
		now := time.Unix(int64(min(hs[len(hs)-1].Header.Time, qbft.MaxTime)), 0).Add(time.Minute)
		mustErrText(t, verifyQBFTHeaders(io.Discard, set, params, hs, now))
	})
}

// FuzzVerifyFabricBlockFiles is `liaison verify fabric-block --policy
// majority` on a config block and one block file.
func FuzzVerifyFabricBlockFiles(f *testing.F) {
	for _, net := range []string{"raft", "bft"} {
		cfg := seedFiles(f, "proofs/fabric/testdata/"+net+"/config.block")[0]
		for _, b := range seedFiles(f, "proofs/fabric/testdata/"+net+"/*.block") {
			f.Add(cfg, b)
		}
	}
	policy, err := fabric.ParseEndorsementPolicy("majority")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cfg, block []byte) {
		tc, err := fabric.ParseConfigBlock(cfg)
		if err != nil {
			mustErrText(t, err)
			return
		}
		v := fabricVerifier{w: io.Discard, tc: tc, policy: policy, seen: map[uint64][]byte{}}
		mustErrText(t, v.block(block))
		mustErrText(t, v.firstTxErr)
	})
}

// FuzzEvidenceVerifyFiles is `liaison evidence verify FILE [--anchor
// ANCHOR]` on the committed bundles of the three ledgers, as of each
// bundle's proving time; an empty anchor stands for no --anchor.
func FuzzEvidenceVerifyFiles(f *testing.F) {
	for _, raw := range seedFiles(f, "adapters/*/testdata/evidence_*.json") {
		f.Add(raw, []byte(nil))
		if ev, err := relayer.DecodeEvidence(bytes.TrimSpace(raw)); err == nil {
			a, err := json.Marshal(ev.Anchor)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(raw, a)
		}
	}
	f.Fuzz(func(t *testing.T, bundle, anchor []byte) {
		var pin anchorPin
		if len(anchor) > 0 {
			// As newEvidenceVerifyCmd reads --anchor.
			pin.anchor = new(relayer.Anchor)
			if err := json.Unmarshal(anchor, pin.anchor); err != nil {
				mustErrText(t, err)
				return
			}
		}
		now := time.Unix(0, 0)
		if ev, err := relayer.DecodeEvidence(bundle); err == nil {
			now = ev.ProvenAt
		}
		_, err := verifyBundle(bundle, pin, now)
		mustErrText(t, err)
	})
}

// FuzzLoadConfigFile is config.Load, as `liaison start` and `liaison
// config validate` call it, and config.LoadForCosmosSetup, as `liaison
// cosmos setup-client` does, on the YAML examples of the documentation.
// A config Load accepts must validate again unchanged.
func FuzzLoadConfigFile(f *testing.F) {
	for _, doc := range seedFiles(f, "README.md", "docs/*.md") {
		for _, block := range yamlBlocks(string(doc)) {
			f.Add([]byte(block))
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("chains: []\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "liaison.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path)
		mustErrText(t, err)
		if err == nil {
			if err := cfg.Validate(); err != nil {
				t.Fatalf("an accepted config does not validate again: %v", err)
			}
		}
		_, err = config.LoadForCosmosSetup(path)
		mustErrText(t, err)
	})
}

// yamlBlocks returns the fenced ```yaml blocks of a Markdown document.
func yamlBlocks(doc string) []string {
	var out []string
	for {
		i := strings.Index(doc, "```yaml\n")
		if i < 0 {
			return out
		}
		doc = doc[i+len("```yaml\n"):]
		j := strings.Index(doc, "```")
		if j < 0 {
			return out
		}
		out = append(out, doc[:j])
		doc = doc[j:]
	}
}
