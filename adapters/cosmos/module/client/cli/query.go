package cli

import (
	"encoding/json"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

// NewQueryCmd returns `query records`.
func NewQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Liaison records queries",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(
		queryCmd("params", "Show the module parameters", 0, func(c types.QueryClient, cmd *cobra.Command, _ []string) (any, error) {
			res, err := c.Params(cmd.Context(), &types.QueryParamsRequest{})
			if err != nil {
				return nil, err
			}
			return res.Params, nil
		}),
		queryCmd("next-sequence", "Show the sequence the next published record gets", 0, func(c types.QueryClient, cmd *cobra.Command, _ []string) (any, error) {
			res, err := c.NextSequence(cmd.Context(), &types.QueryNextSequenceRequest{})
			if err != nil {
				return nil, err
			}
			return map[string]uint64{"next_sequence": res.NextSequence}, nil
		}),
		queryCmd("published ID", "Show a record this chain published", 1, func(c types.QueryClient, cmd *cobra.Command, args []string) (any, error) {
			res, err := c.Published(cmd.Context(), &types.QueryPublishedRequest{Id: args[0]})
			if err != nil {
				return nil, err
			}
			return NewPublishedView(res.Published)
		}),
		queryCmd("published-by-sequence SEQUENCE", "Show the record this chain published with SEQUENCE", 1, func(c types.QueryClient, cmd *cobra.Command, args []string) (any, error) {
			seq, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return nil, err
			}
			res, err := c.PublishedBySequence(cmd.Context(), &types.QueryPublishedBySequenceRequest{Sequence: seq})
			if err != nil {
				return nil, err
			}
			return NewPublishedView(res.Published)
		}),
		queryCmd("delivered ID", "Show a record delivered to this chain", 1, func(c types.QueryClient, cmd *cobra.Command, args []string) (any, error) {
			res, err := c.Delivered(cmd.Context(), &types.QueryDeliveredRequest{Id: args[0]})
			if err != nil {
				return nil, err
			}
			return NewDeliveredView(res.Delivered)
		}),
	)
	return cmd
}

// queryCmd builds one query command that prints run's result as JSON.
func queryCmd(use, short string, nargs int, run func(types.QueryClient, *cobra.Command, []string) (any, error)) *cobra.Command {
	cmd := &cobra.Command{
		Use:          use,
		Short:        short,
		Args:         cobra.ExactArgs(nargs),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			out, err := run(types.NewQueryClient(clientCtx), cmd, args)
			if err != nil {
				return err
			}
			bz, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				return err
			}
			return clientCtx.PrintString(string(bz) + "\n")
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
