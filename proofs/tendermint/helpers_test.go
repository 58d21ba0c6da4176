package tendermint_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

// The vectors in testdata/ come from in-process ibc-go chains; they are
// regenerated, and checked against CometBFT's own light.Verify, by
// proofs/cosmoslive. These tests link neither, so that fuzzing
// stays fast.

// vectorFile is the format of testdata/chain*.json: blocks of one chain
// whose validator set does not change.
type vectorFile struct {
	Source       string            `json:"source"`
	ChainID      string            `json:"chain_id"`
	Params       tendermint.Params `json:"params"`
	Now          time.Time         `json:"now"`
	ValidatorSet []byte            `json:"validator_set"`
	// Blocks are signed headers; Heights and Hashes say what each is.
	Blocks  [][]byte              `json:"signed_headers"`
	Heights []uint64              `json:"heights"`
	Hashes  []tendermint.HexBytes `json:"hashes"`
}

// vector is a loaded vector file.
type vector struct {
	file    vectorFile
	trusted tendermint.TrustedState // of Blocks[0]
	blocks  []tendermint.LightBlock
}

func loadVector(tb testing.TB, name string) vector {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(raw, &v.file); err != nil {
		tb.Fatal(err)
	}
	for _, sh := range v.file.Blocks {
		v.blocks = append(v.blocks, tendermint.LightBlock{SignedHeader: sh, ValidatorSet: v.file.ValidatorSet})
	}
	v.trusted, err = tendermint.NewTrustedState(v.blocks[0], v.file.Hashes[0], v.file.Params)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// mutateSignedHeader decodes lb's signed header, applies f and re-encodes.
func mutateSignedHeader(t testing.TB, lb tendermint.LightBlock, f func(*cmtproto.SignedHeader)) tendermint.LightBlock {
	t.Helper()
	var sh cmtproto.SignedHeader
	if err := sh.Unmarshal(lb.SignedHeader); err != nil {
		t.Fatal(err)
	}
	f(&sh)
	b, err := sh.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := lb
	out.SignedHeader = b
	return out
}

// absentN turns the first n commit signatures into absent votes.
func absentN(t testing.TB, lb tendermint.LightBlock, n int) tendermint.LightBlock {
	return mutateSignedHeader(t, lb, func(sh *cmtproto.SignedHeader) {
		for i := range n {
			sh.Commit.Signatures[i] = cmtproto.CommitSig{BlockIdFlag: cmtproto.BlockIDFlagAbsent}
		}
	})
}
