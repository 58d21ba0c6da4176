// Command liaison-simd is a Cosmos SDK chain for Liaison's tests and
// devnets: ibc-go v10's testing simapp with the records module (see package
// app). It has the SDK's standard commands: init, keys, genesis
// (add-genesis-account, gentx, collect-gentxs, validate), start, status,
// query and tx, including `tx records publish` and `query records …`.
//
// Build it with scripts/cosmos.sh build; run a devnet with
// e2e/cosmos/devnet.sh.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
)

func main() {
	root, err := newRootCmd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := svrcmd.Execute(root, "LIAISON_SIMD", defaultNodeHome()); err != nil {
		fmt.Fprintln(root.OutOrStderr(), err)
		os.Exit(1)
	}
}
