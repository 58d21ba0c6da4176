package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/config"
)

func newConfigCmd() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Work with configuration files"}
	var skipFiles bool
	v := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a configuration file and list every problem",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.LoadWith(args[0], config.LoadOptions{SkipFiles: skipFiles})
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
			note := ""
			if skipFiles {
				note = "; the files it names were not opened"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: valid (%d chains, %d routes%s)\n", args[0], len(cfg.Chains), len(cfg.Routes), note)
			return nil
		},
	}
	v.Flags().BoolVar(&skipFiles, "skip-files", false, "do not open the files the config names (keys, certificates, config blocks): for a template meant for another machine")
	c.AddCommand(v)
	return c
}
