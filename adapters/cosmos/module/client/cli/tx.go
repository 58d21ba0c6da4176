// Package cli holds the records module's commands: `tx records publish`,
// `tx records publish-batch` and
// `query records …`. Queries print JSON in which record IDs, emitters and
// hashes are hex (see view.go), not the base64 of protobuf JSON.
package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

const (
	flagPayloadFile    = "payload-file"
	flagTimeoutSeconds = "timeout-seconds"
)

// NewTxCmd returns `tx records`.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Liaison records transactions",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(newPublishCmd(), newPublishBatchCmd())
	return cmd
}

func newPublishCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "publish SOURCE_CLIENT DESTINATION RECEIVER CONTENT_TYPE [PAYLOAD]",
		Short: "Publish a record to DESTINATION over the IBC v2 client SOURCE_CLIENT",
		Long: `Publish a record. The chain assigns the next sequence and the record ID, and
sends the record in an IBC v2 packet on SOURCE_CLIENT (a client with a
registered counterparty). PAYLOAD is taken as UTF-8 text; use --payload-file
for bytes ("-" reads standard input).`,
		Args:         cobra.RangeArgs(4, 5),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			payload, err := readPayload(cmd, args)
			if err != nil {
				return err
			}
			timeout, err := cmd.Flags().GetUint64(flagTimeoutSeconds)
			if err != nil {
				return err
			}
			msg := &types.MsgPublishRecord{
				Sender:         clientCtx.GetFromAddress().String(),
				SourceClient:   args[0],
				Destination:    args[1],
				Receiver:       args[2],
				ContentType:    args[3],
				Payload:        payload,
				TimeoutSeconds: timeout,
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagPayloadFile, "", `read the payload from this file ("-" for standard input) instead of the PAYLOAD argument`)
	cmd.Flags().Uint64(flagTimeoutSeconds, types.DefaultTimeoutSeconds, "packet timeout in seconds after the block time (at most 86400)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// batchEntry is one record of `publish-batch`'s file.
type batchEntry struct {
	Destination string `json:"destination"`
	Receiver    string `json:"receiver"`
	ContentType string `json:"content_type"`
	Payload     []byte `json:"payload"` // standard base64 in the file
}

// maxBatchMsgs bounds the messages of one publish-batch transaction.
const maxBatchMsgs = 500

func newPublishBatchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "publish-batch SOURCE_CLIENT FILE",
		Short: "Publish several records in one transaction over the IBC v2 client SOURCE_CLIENT",
		Long: `Publish the records FILE lists ("-" reads standard input) in one transaction,
one MsgPublishRecord each: every record gets its own sequence, ID and packet,
exactly as with publish, and the transaction succeeds or fails as a whole.
FILE is a JSON array of {"destination", "receiver", "content_type", "payload"},
the payload in standard base64; at most 500 records. Set --gas (or --gas auto)
for the number of records.`,
		Args:         cobra.ExactArgs(2),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			var raw []byte
			if args[1] == "-" {
				raw, err = io.ReadAll(cmd.InOrStdin())
			} else {
				raw, err = os.ReadFile(args[1])
			}
			if err != nil {
				return err
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			var entries []batchEntry
			if err := dec.Decode(&entries); err != nil {
				return fmt.Errorf("%s: want a JSON array of records: %w", args[1], err)
			}
			if len(entries) == 0 || len(entries) > maxBatchMsgs {
				return fmt.Errorf("%s: %d records, want 1 to %d", args[1], len(entries), maxBatchMsgs)
			}
			timeout, err := cmd.Flags().GetUint64(flagTimeoutSeconds)
			if err != nil {
				return err
			}
			msgs := make([]sdk.Msg, len(entries))
			for i, e := range entries {
				payload := e.Payload
				if payload == nil {
					payload = []byte{}
				}
				msgs[i] = &types.MsgPublishRecord{
					Sender:         clientCtx.GetFromAddress().String(),
					SourceClient:   args[0],
					Destination:    e.Destination,
					Receiver:       e.Receiver,
					ContentType:    e.ContentType,
					Payload:        payload,
					TimeoutSeconds: timeout,
				}
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msgs...)
		},
	}
	cmd.Flags().Uint64(flagTimeoutSeconds, types.DefaultTimeoutSeconds, "packet timeout in seconds after the block time (at most 86400)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func readPayload(cmd *cobra.Command, args []string) ([]byte, error) {
	file, err := cmd.Flags().GetString(flagPayloadFile)
	if err != nil {
		return nil, err
	}
	switch {
	case file != "" && len(args) == 5:
		return nil, fmt.Errorf("give the payload as an argument or with --%s, not both", flagPayloadFile)
	case file == "-":
		return io.ReadAll(cmd.InOrStdin())
	case file != "":
		return os.ReadFile(file)
	case len(args) == 5:
		return []byte(args[4]), nil
	}
	return []byte{}, nil
}
