package tendermint_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

// TestCorruptOneByte flips bytes of real light blocks and trusted states.
// Every byte of a signed header is covered by the header hash, the commit's
// sign bytes, the checks on the commit, or the canonical-encoding rule, so
// every flip must be rejected. A validator set also carries fields no hash
// covers (proposer, priorities); a flip there may be accepted, but only with
// exactly the result of the original.
func TestCorruptOneByte(t *testing.T) {
	for _, c := range []struct {
		file    string
		stride  int
		masks   []byte
		targets []int // indexes of blocks verified from blocks[0]
	}{
		{"chain4.json", 1, []byte{0x01, 0xff}, []int{1, 5}},
		{"chain100.json", 11, []byte{0x01}, []int{1}},
	} {
		t.Run(c.file, func(t *testing.T) {
			v := loadVector(t, c.file)
			now := v.file.Now
			stride := c.stride
			if testing.Short() {
				stride *= 5
			}
			for _, idx := range c.targets {
				orig := v.blocks[idx]
				want, err := tendermint.Verify(v.trusted, orig, now)
				if err != nil {
					t.Fatal(err)
				}
				flips, accepted := 0, 0
				for part, field := range []*[]byte{&orig.SignedHeader, &orig.ValidatorSet} {
					for i := 0; i < len(*field); i += stride {
						for _, m := range c.masks {
							lb := orig
							mut := bytes.Clone(*field)
							mut[i] ^= m
							if part == 0 {
								lb.SignedHeader = mut
							} else {
								lb.ValidatorSet = mut
							}
							flips++
							got, err := tendermint.Verify(v.trusted, lb, now)
							if err != nil {
								var ve *tendermint.VerifyError
								if !errors.As(err, &ve) {
									t.Fatalf("error %T: %v", err, err)
								}
								continue
							}
							if part == 0 {
								t.Fatalf("block %d: signed header with byte %d ^ %#x accepted", idx, i, m)
							}
							if !reflect.DeepEqual(got, want) {
								t.Fatalf("block %d: validator set with byte %d ^ %#x accepted with another result", idx, i, m)
							}
							accepted++
						}
					}
				}
				t.Logf("block %d: %d flips, %d accepted (validator-set fields outside the hash)", idx, flips, accepted)
			}
			// The trusted state's next validators are normalized: no field
			// outside the hash, so every flip is caught.
			for i := 0; i < len(v.trusted.NextValidators); i += stride {
				s := v.trusted
				s.NextValidators = bytes.Clone(s.NextValidators)
				s.NextValidators[i] ^= 1
				if err := s.Validate(); !errors.Is(err, tendermint.ErrBadTrustedState) {
					t.Fatalf("next validators byte %d flipped: %v", i, err)
				}
			}
		})
	}
}
