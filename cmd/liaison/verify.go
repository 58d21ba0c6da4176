package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/qbft"
)

func newVerifyCmd() *cobra.Command {
	c := &cobra.Command{Use: "verify", Short: "Verify ledger data offline"}
	c.AddCommand(newVerifyQBFTCmd())
	c.AddCommand(newVerifyFabricCmd())
	return c
}

func newVerifyQBFTCmd() *cobra.Command {
	var (
		validators []string
		params     = qbft.Params{TrustingPeriod: config.DefaultEVMTrustingPeriod, MaxClockDrift: config.DefaultEVMClockDrift}
		at         string
	)
	c := &cobra.Command{
		Use:   "qbft-headers --validators ADDR[,ADDR...] [--at TIME] FILE...",
		Short: "Verify a run of QBFT or IBFT 2.0 headers with the light client",
		Long: `Each FILE holds one raw eth_getBlockByNumber result or a JSON array of them, as
Besu and GoQuorum return them. The headers of all files, in height order, are checked
as a chain with the light client's rules: each header's claimed hash, its committed
seals (at least ceil(2n/3) distinct validators of its own list) and, for the next
height, its parent link and validator-set change. A gap in heights is accepted only as
a skip: more than 2/3 of the last verified set sealed the header. --validators is the
set that seals the first header.

The light client's time rules apply as of --at (default: now): trust in the first
header's validators lasts --trusting-period from the first header's timestamp, each
verified header renews it from its own, no header may be dated before the one it is
verified from or after --at plus --max-clock-drift. To check old headers, give the
time you want them checked as of, such as when they were relayed.

Exit 0 when every header verifies; otherwise exit 1 naming the first failing height
and the reason.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(validators) == 0 {
				return &exitError{2, fmt.Errorf("--validators is required: the set that seals the first header")}
			}
			var set []common.Address
			for _, v := range validators {
				v = strings.TrimSpace(v)
				if !common.IsHexAddress(v) {
					return &exitError{2, fmt.Errorf("--validators: %q is not an address", v)}
				}
				set = append(set, common.HexToAddress(v))
			}
			if err := params.Validate(); err != nil {
				return &exitError{2, fmt.Errorf("--trusting-period, --max-clock-drift: %w", err)}
			}
			now := time.Now()
			if at != "" {
				var err error
				if now, err = time.Parse(time.RFC3339, at); err != nil {
					return &exitError{2, fmt.Errorf("--at: %w", err)}
				}
			}
			slices.SortFunc(set, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
			for i := 1; i < len(set); i++ {
				if set[i] == set[i-1] {
					return &exitError{2, fmt.Errorf("--validators: %s is listed twice", set[i].Hex())}
				}
			}
			var hs []qbft.RPCHeader
			for _, f := range args {
				data, err := os.ReadFile(f)
				if err != nil {
					return failed(err)
				}
				got, err := parseQBFTHeaderFile(f, data)
				if err != nil {
					return failed(err)
				}
				hs = append(hs, got...)
			}
			if err := verifyQBFTHeaders(cmd.OutOrStdout(), set, params, hs, now); err != nil {
				return failed(err)
			}
			return nil
		},
	}
	c.Flags().StringSliceVar(&validators, "validators", nil, "validator addresses that seal the first header")
	c.Flags().DurationVar(&params.TrustingPeriod, "trusting-period", params.TrustingPeriod, "how long a verified header vouches for later ones")
	c.Flags().DurationVar(&params.MaxClockDrift, "max-clock-drift", params.MaxClockDrift, "how far after --at a header may be dated")
	c.Flags().StringVar(&at, "at", "", "check the time rules as of this RFC 3339 time (default: now)")
	return c
}

// parseQBFTHeaderFile reads the headers of one qbft-headers FILE. A file
// without any header is an error: an empty list is almost certainly a
// failed export, and verifying nothing proves nothing.
func parseQBFTHeaderFile(name string, data []byte) ([]qbft.RPCHeader, error) {
	hs, err := qbft.LoadRPCHeaders(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(hs) == 0 {
		return nil, fmt.Errorf("%s: no headers (an empty JSON array)", name)
	}
	return hs, nil
}

// verifyQBFTHeaders checks hs as one chain of headers whose first header
// is sealed by set, with the trust parameters p as of now, and reports each
// header on w. The first header must be above height 0: the genesis header
// carries no seals, so nothing in it can be checked against set. The
// trusted state it is verified from is dated like it: its parent's
// timestamp is not known, and is at most its own.
func verifyQBFTHeaders(w io.Writer, set []common.Address, p qbft.Params, hs []qbft.RPCHeader, now time.Time) error {
	if len(hs) == 0 {
		return errors.New("no headers to verify")
	}
	first := hs[0]
	if n := first.Header.Number; n == nil || !n.IsUint64() || n.Uint64() == 0 {
		return fmt.Errorf("header 1 is at height %v: the first header must be above the genesis block, "+
			"which carries no seals to check against --validators", n)
	}
	trusted := qbft.TrustedState{Variant: first.Variant, Height: first.Header.Number.Uint64() - 1, Hash: first.Header.ParentHash,
		Time: first.Header.Time, Validators: set, Params: p}
	for i, h := range hs {
		if h.Variant != first.Variant {
			return fmt.Errorf("header %d (height %d): %s header after %s headers", i+1, h.Header.Number, h.Variant, first.Variant)
		}
		next, err := qbft.VerifyChain(trusted, []*types.Header{h.Header}, now)
		if err != nil {
			return fmt.Errorf("header %d (height %d): %w", i+1, h.Header.Number, err)
		}
		how := "adjacent"
		if h.Header.Number.Uint64() != trusted.Height+1 {
			how = fmt.Sprintf("skip from height %d", trusted.Height)
		}
		trusted = next
		fmt.Fprintf(w, "height %d  %s  ok (%d validators, %s)\n", next.Height, next.Hash.Hex(), len(next.Validators), how)
	}
	fmt.Fprintf(w, "verified %d %s header(s)\n", len(hs), first.Variant)
	return nil
}
