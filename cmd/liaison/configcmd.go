package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/config"
)

func newConfigCmd() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Work with configuration files"}
	c.AddCommand(&cobra.Command{
		Use:   "validate FILE",
		Short: "Check a configuration file and list every problem",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(args[0])
			if err != nil {
				var ps config.Problems
				if errors.As(err, &ps) {
					for _, p := range ps {
						fmt.Fprintln(cmd.ErrOrStderr(), p)
					}
					return failed(fmt.Errorf("%s: %d problem(s)", args[0], len(ps)))
				}
				return failed(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: valid (%d chains, %d routes)\n", args[0], len(cfg.Chains), len(cfg.Routes))
			return nil
		},
	})
	return c
}
