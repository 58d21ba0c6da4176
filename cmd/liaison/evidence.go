package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/relayer"
)

func newEvidenceCmd() *cobra.Command {
	c := &cobra.Command{Use: "evidence", Short: "Export and re-check evidence bundles"}
	c.AddCommand(newEvidenceExportCmd(), newEvidenceVerifyCmd())
	return c
}

func newEvidenceExportCmd() *cobra.Command {
	var (
		f   operatorFlags
		out string
	)
	c := &cobra.Command{
		Use:   "export ID",
		Short: "Write a record's evidence bundle exactly as it was verified",
		Long: `Export writes the stored bundle byte for byte. Its SHA-256 is the evidence hash that
was submitted to the destination, so "sha256sum FILE" can be compared with the
on-chain attestation.`,
		Args: cobra.ExactArgs(1),
		RunE: f.withStore(func(cmd *cobra.Command, args []string, s relayer.Store) error {
			key, err := f.resolve(cmd.Context(), s, args[0])
			if err != nil {
				return err
			}
			es, err := s.Get(cmd.Context(), key.ID)
			if err != nil {
				return failed(err)
			}
			for _, e := range es {
				if e.Record.Route != key.Route {
					continue
				}
				if len(e.Evidence) == 0 {
					return failed(fmt.Errorf("record %s is %s: it has no verified evidence yet", key.ID, e.State))
				}
				if out == "" || out == "-" {
					_, err = cmd.OutOrStdout().Write(e.Evidence)
					return err
				}
				if err := os.WriteFile(out, e.Evidence, 0o644); err != nil {
					return err
				}
				sum := sha256.Sum256(e.Evidence)
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (sha256 %s)\n", out, hex.EncodeToString(sum[:]))
				return nil
			}
			return failed(fmt.Errorf("record %s is not on route %s", key.ID, key.Route))
		}),
	}
	f.storeFlags.add(c)
	c.Flags().StringVar(&f.route, "route", "", "the route, when the record travels on several")
	c.Flags().StringVarP(&out, "output", "o", "", "file to write (default: standard output)")
	return c
}

// exitEndpointTrust is the exit code of `evidence verify` for evidence
// whose proofs check out but whose trust model checks no consensus
// signature (rpc-finality), unless --accept-endpoint-trust is given.
const exitEndpointTrust = 3

func newEvidenceVerifyCmd() *cobra.Command {
	var (
		anchorDigest   string
		anchorFile     string
		at             string
		acceptEndpoint bool
	)
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Re-check an evidence bundle offline",
		Long: `Verify re-runs every check of an evidence bundle without contacting any ledger, through
the same verification path as the relayer: the record's ID and payload hash, that it
comes from the chain and the emitter (Outbox, chaincode, module) the anchor vouches
for, the inclusion proof, and the consensus proof against the trust anchor.

Pin the anchor you trust with --anchor-digest (from your own records or another
department's) or --anchor FILE (an anchor JSON document). Without either, the bundle
is checked against the anchor it carries, which proves only that it is consistent:
the verdict then says "anchor not pinned".

Exit codes: 0 valid; 1 invalid, with the reason; 2 usage error; 3 the proofs check
out but the trust model checks no consensus signature (rpc-finality: the header rests
on the word of the RPC endpoints), unless --accept-endpoint-trust is given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return failed(err)
			}
			pin := anchorPin{digest: anchorDigest}
			if anchorFile != "" {
				b, err := os.ReadFile(anchorFile)
				if err != nil {
					return failed(err)
				}
				pin.anchor = new(relayer.Anchor)
				if err := relayer.DecodeStrict(b, pin.anchor); err != nil {
					return failed(fmt.Errorf("anchor %s: %w", anchorFile, err))
				}
			}
			now := time.Now()
			if at != "" {
				if now, err = time.Parse(time.RFC3339, at); err != nil {
					return &exitError{2, fmt.Errorf("--at: %w", err)}
				}
			}
			v, err := verifyBundle(data, pin, now)
			if err != nil {
				return failed(fmt.Errorf("%s: %w", args[0], err))
			}
			printVerdict(cmd.OutOrStdout(), data, v, acceptEndpoint)
			if !v.Model.Consensus && !acceptEndpoint {
				return &exitError{exitEndpointTrust, fmt.Errorf("%s: no consensus signature was checked (%s); pass --accept-endpoint-trust to accept evidence that rests on the RPC endpoints' word", args[0], v.Model.Name)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&anchorDigest, "anchor-digest", "", "require the bundle's anchor to have this digest (sha256:...)")
	c.Flags().StringVar(&anchorFile, "anchor", "", "verify against this anchor JSON instead of the embedded one")
	c.Flags().StringVar(&at, "at", "", "check time-dependent rules as of this RFC 3339 time (default: now)")
	c.Flags().BoolVar(&acceptEndpoint, "accept-endpoint-trust", false, "exit 0 for evidence whose trust model checks no consensus signature (rpc-finality)")
	return c
}

// anchorPin is what the user trusts: a digest, a whole anchor, or neither
// (then the bundle's embedded anchor is used after its digest is checked).
type anchorPin struct {
	digest string
	anchor *relayer.Anchor
}

func (p anchorPin) pinned() string {
	switch {
	case p.digest != "" && p.anchor != nil:
		return "anchor pinned by --anchor-digest and --anchor"
	case p.digest != "":
		return "anchor pinned by --anchor-digest"
	case p.anchor != nil:
		return "anchor pinned by --anchor"
	}
	return "anchor not pinned"
}

// bundleVerdict is what `evidence verify` found.
type bundleVerdict struct {
	relayer.Verdict
	Evidence *relayer.Evidence
	// Pinned says how the anchor was pinned, or "anchor not pinned".
	Pinned string
}

// verifyBundle re-runs every check of an encoded bundle offline through
// relayer.VerifyEvidence, the path the engine takes.
func verifyBundle(data []byte, pin anchorPin, now time.Time) (*bundleVerdict, error) {
	ev, err := relayer.DecodeEvidence(data)
	if err != nil {
		return nil, err
	}
	trusted := ev.Anchor
	if pin.anchor != nil {
		trusted = *pin.anchor
	}
	if pin.digest != "" && trusted.Digest != pin.digest {
		return nil, fmt.Errorf("the bundle was checked against anchor %s, not the pinned %s", trusted.Digest, pin.digest)
	}
	v, err := offlineVerifier(ev.Ledger)
	if err != nil {
		return nil, err
	}
	verdict, err := relayer.VerifyEvidence(ev, trusted, v, now)
	if err != nil {
		return nil, err
	}
	return &bundleVerdict{Verdict: verdict, Evidence: ev, Pinned: pin.pinned()}, nil
}

// emitterString shows an emitter as text when it is printable (a chaincode
// or module name) and as hex otherwise (an EVM address).
func emitterString(b []byte) string {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return "0x" + hex.EncodeToString(b)
		}
	}
	return fmt.Sprintf("%q", b)
}

func printVerdict(w io.Writer, data []byte, v *bundleVerdict, acceptEndpoint bool) {
	sum := sha256.Sum256(data)
	ev := v.Evidence
	switch {
	case v.Model.Consensus:
		fmt.Fprintf(w, "valid: record %s (%s; consensus signatures checked; %s)\n", ev.Record.ID, v.Model.Name, v.Pinned)
	case acceptEndpoint:
		fmt.Fprintf(w, "valid on endpoint trust: record %s (%s; NO consensus signature checked, accepted by --accept-endpoint-trust; %s)\n", ev.Record.ID, v.Model.Name, v.Pinned)
	default:
		fmt.Fprintf(w, "unproven: record %s (%s; NO consensus signature checked; %s)\n", ev.Record.ID, v.Model.Name, v.Pinned)
	}
	fmt.Fprintf(w, "  from      %s height %d, sequence %d, tx %s\n", ev.Record.Source.Chain, ev.Record.Source.Height, ev.Record.Source.Sequence, ev.Record.Source.TxID)
	fmt.Fprintf(w, "  emitter   %s (the only emitter the anchor vouches for)\n", emitterString(ev.Record.Source.Emitter))
	fmt.Fprintf(w, "  to        %s (receiver %q)\n", ev.Record.Destination, ev.Record.Receiver)
	fmt.Fprintf(w, "  anchor    %s at height %d\n", v.Anchor.Digest, v.Anchor.Height)
	fmt.Fprintf(w, "  checked   %s\n", v.Model.Checked)
	fmt.Fprintf(w, "  evidence  sha256:%s\n", hex.EncodeToString(sum[:]))
	for _, n := range ev.Notes {
		fmt.Fprintf(w, "  prover's note (not verified): %s\n", n)
	}
}
