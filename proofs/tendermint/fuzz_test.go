package tendermint_test

import (
	"errors"
	"testing"
	"time"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

type fuzzCase struct {
	trusted tendermint.TrustedState
	lb      tendermint.LightBlock
	now     time.Time
}

// fuzzCases are the real vectors: adjacent and skipping steps with 4 and
// with 100 validators, and the set of every real header hash.
func fuzzCases(tb testing.TB) ([]fuzzCase, map[string]bool) {
	var cases []fuzzCase
	known := map[string]bool{}
	for _, name := range []string{"chain4.json", "chain100.json"} {
		v := loadVector(tb, name)
		for _, h := range v.file.Hashes {
			known[string(h)] = true
		}
		for _, i := range []int{1, len(v.blocks) - 1} {
			cases = append(cases, fuzzCase{v.trusted, v.blocks[i], v.file.Now})
		}
	}
	return cases, known
}

// FuzzVerifyHeader mutates the signed header and validator set of real
// light blocks and verifies them against their real trusted states. It must
// never panic, every error must be a *VerifyError, and an accepted header
// must be one of the real ones (a new one would need the validators' keys).
func FuzzVerifyHeader(f *testing.F) {
	cases, known := fuzzCases(f)
	for i, c := range cases {
		f.Add(uint8(i), c.lb.SignedHeader, c.lb.ValidatorSet)
	}
	f.Fuzz(func(t *testing.T, sel uint8, sh, vs []byte) {
		c := cases[int(sel)%len(cases)]
		got, err := tendermint.Verify(c.trusted, tendermint.LightBlock{SignedHeader: sh, ValidatorSet: vs}, c.now)
		if err != nil {
			var ve *tendermint.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		if !known[string(got.Hash)] {
			t.Fatalf("accepted an unknown header %X", []byte(got.Hash))
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("returned an invalid state: %v", err)
		}
	})
}
