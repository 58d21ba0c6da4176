//go:build nodemo

package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newDemoCmd, in a production build, only says where the demo is: its
// in-process chains (go-ethereum's simulated backend) are not linked in.
func newDemoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Not in this build: run `go run ./cmd/liaison demo` from the source tree",
		Args:  cobra.ArbitraryArgs,
		RunE: func(*cobra.Command, []string) error {
			return failed(errors.New("this build of liaison has no demo (built with -tags nodemo, as `make build` does, " +
				"to keep the in-process chains out of production): run `go run ./cmd/liaison demo` from the source tree"))
		},
		DisableFlagParsing: true,
	}
}
