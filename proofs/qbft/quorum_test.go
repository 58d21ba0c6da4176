package qbft_test

import (
	"testing"

	"github.com/liaison-gw/liaison/proofs/qbft"
)

// TestQuorumArithmetic checks the two thresholds against their definitions
// for every set size an extra data of MaxExtraSize bytes can list: Quorum
// is ceil(2n/3) (Besu's and GoQuorum's rule), and SkipThreshold is the
// smallest k with 3k > 2n. Two quorums of one set share more validators
// than the floor((n-1)/3) faulty ones the chain tolerates, so the faulty
// validators alone cannot seal two headers at one height.
func TestQuorumArithmetic(t *testing.T) {
	maxValidators := qbft.MaxExtraSize / 20
	for n := 1; n <= maxValidators; n++ {
		q, k := qbft.Quorum(n), qbft.SkipThreshold(n)
		if 3*q < 2*n || 3*(q-1) >= 2*n {
			t.Fatalf("Quorum(%d) = %d, not ceil(2n/3)", n, q)
		}
		if 3*k <= 2*n || 3*(k-1) > 2*n {
			t.Fatalf("SkipThreshold(%d) = %d, not the smallest k with 3k > 2n", n, k)
		}
		if q > n || k > n {
			t.Fatalf("n = %d: quorum %d or skip threshold %d exceeds the set", n, q, k)
		}
		if f := (n - 1) / 3; 2*q-n <= f {
			t.Fatalf("n = %d: two quorums of %d overlap in %d, no more than the %d faulty validators tolerated", n, q, 2*q-n, f)
		}
	}
}
