//go:build !e2e

package cosmos

import "testing"

// writeTestdata needs the devnet, which only the e2e build starts.
func writeTestdata(t *testing.T) {
	t.Fatal("regenerating testdata needs a devnet: go test -tags e2e -run TestTestdata -update ./adapters/cosmos")
}
