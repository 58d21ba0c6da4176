package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/adapters/cosmos"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

func newCosmosCmd() *cobra.Command {
	c := &cobra.Command{Use: "cosmos", Short: "Set up Cosmos chains for Liaison"}
	c.AddCommand(newCosmosSetupClientCmd())
	return c
}

func newCosmosSetupClientCmd() *cobra.Command {
	var (
		cfgPath string
		chain   string
		timeout time.Duration
	)
	c := &cobra.Command{
		Use:   "setup-client",
		Short: "Create the gateway's 06-solomachine client on a Cosmos chain and register its counterparty",
		Long: `setup-client creates the IBC client through which Liaison delivers records to a Cosmos
chain: an 06-solomachine client whose public key is the configured attestor key (or the
M-of-N multisig of gateway.multisig), then registers its counterparty
(gateway.counterparty_client_id, Merkle prefix ["ibc", ""]). Both transactions are signed
by account.key, which must be funded; only the client's creator may register the
counterparty. It prints the new client id on stdout: set it as the chain's
gateway.client_id. Each run creates a new client.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.LoadForCosmosSetup(cfgPath)
			if err != nil {
				return failed(err)
			}
			ch, ok := cfg.Chain(chain)
			if !ok || ch.Cosmos == nil {
				return failed(fmt.Errorf("%s: no cosmos chain named %q", cfgPath, chain))
			}
			if ch.Cosmos.Account.Key.IsZero() {
				return failed(fmt.Errorf("chain %s: setting up the client needs account.key (a funded account)", chain))
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			c, err := cosmos.NewChain(ctx, relayer.ChainID(chain), *ch.Cosmos, cosmos.Options{Logger: log})
			if err != nil {
				return failed(err)
			}
			defer c.Close()
			res, err := c.SetupClient(ctx)
			if err != nil {
				return failed(err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "created %s (tx %s) by %s and registered its counterparty %q (tx %s)\n"+
				"set chains[%s].cosmos.gateway.client_id: %s\n",
				res.ClientID, res.CreateTx, res.Address, ch.Cosmos.Gateway.CounterpartyClientID, res.RegisterTx, chain, res.ClientID)
			fmt.Fprintln(cmd.OutOrStdout(), res.ClientID)
			return nil
		},
	}
	c.Flags().StringVarP(&cfgPath, "config", "c", "liaison.yaml", "configuration file")
	c.Flags().StringVar(&chain, "chain", "", "name of the cosmos chain in the configuration")
	c.Flags().DurationVar(&timeout, "timeout", 2*time.Minute, "give up after this long")
	_ = c.MarkFlagRequired("chain")
	return c
}
