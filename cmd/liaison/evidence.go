package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

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

// Exit codes of `evidence verify` for evidence whose proofs check out but
// that proves less than it seems: its trust model checks no consensus
// signature (rpc-finality), unless --accept-endpoint-trust is given; or it
// was checked against the anchor it carries, which anyone can make, unless
// --accept-unpinned is given.
const (
	exitEndpointTrust = 3
	exitUnpinned      = 4
)

func newEvidenceVerifyCmd() *cobra.Command {
	var (
		anchorDigest   string
		anchorFile     string
		at             string
		storeConfig    string
		acceptEndpoint bool
		acceptUnpinned bool
	)
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Re-check an evidence bundle offline",
		Long: `Verify re-runs every check of an evidence bundle without contacting any ledger, through
the same verification path as the relayer: the record's ID and payload hash, that it
comes from the chain and the emitter (Outbox, chaincode, module) the anchor vouches
for, the inclusion proof, and the consensus proof against the trust anchor.

Pin the anchor you trust with --anchor-digest (from your own records or another
department's), --anchor FILE (an anchor JSON document), or -c CFG (the anchors the
relayer of that configuration trusts, from its store). Without any, the bundle is
checked against the anchor it carries, which anyone can make up: the verdict then
says "anchor not pinned" and proves only that the bundle is consistent.

Fields the proofs do not cover (for EVM and Cosmos, the source height and
transaction) are printed as the bundle states them, marked "not verified".

Exit codes: 0 valid; 1 invalid, with the reason; 2 usage error; 3 the proofs check
out but the trust model checks no consensus signature (rpc-finality: the header rests
on the word of the RPC endpoints), unless --accept-endpoint-trust is given; 4 the
proofs check out against an anchor nobody pinned, unless --accept-unpinned is given.`,
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
			if storeConfig != "" {
				if pin.store, err = (&storeFlags{config: storeConfig}).open(); err != nil {
					return failed(err)
				}
				defer pin.store.Close()
				pin.storeName = storeConfig
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
			printVerdict(cmd.OutOrStdout(), data, v, acceptEndpoint, acceptUnpinned)
			switch {
			case !v.Model.Consensus && !acceptEndpoint:
				return &exitError{exitEndpointTrust, fmt.Errorf("%s: no consensus signature was checked (%s); pass --accept-endpoint-trust to accept evidence that rests on the RPC endpoints' word", args[0], v.Model.Name)}
			case !v.pinned && !acceptUnpinned:
				return &exitError{exitUnpinned, fmt.Errorf("%s: checked only against the anchor it carries, which anyone can make; pin the anchor you trust with --anchor-digest, --anchor or -c, or pass --accept-unpinned", args[0])}
			}
			return nil
		},
	}
	c.Flags().StringVar(&anchorDigest, "anchor-digest", "", "require the bundle's anchor to have this digest (sha256:...)")
	c.Flags().StringVar(&anchorFile, "anchor", "", "verify against this anchor JSON instead of the embedded one")
	c.Flags().StringVar(&at, "at", "", "check time-dependent rules as of this RFC 3339 time (default: now)")
	c.Flags().StringVarP(&storeConfig, "config", "c", "", "pin the anchor to those the relayer of this configuration trusts (its store)")
	c.Flags().BoolVar(&acceptEndpoint, "accept-endpoint-trust", false, "exit 0 for evidence whose trust model checks no consensus signature (rpc-finality)")
	c.Flags().BoolVar(&acceptUnpinned, "accept-unpinned", false, "exit 0 for evidence checked against the anchor it carries")
	return c
}

// anchorPin is what the user trusts: a digest, a whole anchor, or neither
// (then the bundle's embedded anchor is used after its digest is checked).
type anchorPin struct {
	digest string
	anchor *relayer.Anchor
	// store, when set, must hold the anchor (by chain and digest).
	store     relayer.Store
	storeName string
}

func (p anchorPin) pinned() (string, bool) {
	var by []string
	if p.digest != "" {
		by = append(by, "--anchor-digest")
	}
	if p.anchor != nil {
		by = append(by, "--anchor")
	}
	if p.store != nil {
		by = append(by, "the trust store of "+p.storeName)
	}
	if len(by) == 0 {
		return "anchor NOT pinned", false
	}
	return "anchor pinned by " + strings.Join(by, " and "), true
}

// bundleVerdict is what `evidence verify` found.
type bundleVerdict struct {
	relayer.Verdict
	Evidence *relayer.Evidence
	// Pinned says how the anchor was pinned, or "anchor NOT pinned".
	Pinned string
	pinned bool
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
	if pin.store != nil {
		if _, err := pin.store.AnchorByDigest(context.Background(), trusted.Chain, trusted.Digest); err != nil {
			return nil, fmt.Errorf("anchor %s of chain %q is not one the relayer of %s trusts: %w", trusted.Digest, trusted.Chain, pin.storeName, err)
		}
	}
	v, err := offlineVerifier(ev.Ledger)
	if err != nil {
		return nil, err
	}
	verdict, err := relayer.VerifyEvidence(ev, trusted, v, now)
	if err != nil {
		return nil, err
	}
	how, pinned := pin.pinned()
	return &bundleVerdict{Verdict: verdict, Evidence: ev, Pinned: how, pinned: pinned}, nil
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

// printable shows a string from the bundle as it is when it is plain
// printable text, and quoted (with escapes) otherwise, so that a bundle
// cannot write lines of its own into the verdict.
func printable(v string) string {
	for _, r := range v {
		if !unicode.IsPrint(r) || r == '"' {
			return strconv.Quote(v)
		}
	}
	return v
}

func printVerdict(w io.Writer, data []byte, v *bundleVerdict, acceptEndpoint, acceptUnpinned bool) {
	sum := sha256.Sum256(data)
	ev := v.Evidence
	rec := &ev.Record
	what := fmt.Sprintf("record %s (%s; ", rec.ID, v.Model.Name)
	switch {
	case !v.Model.Consensus && !acceptEndpoint:
		fmt.Fprintf(w, "unproven: %sNO consensus signature checked; %s)\n", what, v.Pinned)
	case !v.pinned && !acceptUnpinned:
		fmt.Fprintf(w, "consistent, not proven: %sanchor NOT pinned: it is the bundle's own, which anyone can make)\n", what)
	case !v.Model.Consensus:
		fmt.Fprintf(w, "valid on endpoint trust: %sNO consensus signature checked, accepted by --accept-endpoint-trust; %s)\n", what, v.Pinned)
	case !v.pinned:
		fmt.Fprintf(w, "valid against an unpinned anchor: %sconsensus signatures checked; anchor NOT pinned, accepted by --accept-unpinned)\n", what)
	default:
		fmt.Fprintf(w, "valid: %sconsensus signatures checked; %s)\n", what, v.Pinned)
	}
	where := fmt.Sprintf("height %d, tx %s", rec.Source.Height, printable(rec.Source.TxID))
	if !v.Model.SourceChecked {
		where += " (as the bundle states them: not verified)"
	}
	fmt.Fprintf(w, "  from      %s, sequence %d, %s\n", printable(string(rec.Source.Chain)), rec.Source.Sequence, where)
	fmt.Fprintf(w, "  emitter   %s (the only emitter the anchor vouches for)\n", emitterString(rec.Source.Emitter))
	fmt.Fprintf(w, "  to        %s (receiver %s)\n", printable(string(rec.Destination)), strconv.Quote(rec.Receiver))
	fmt.Fprintf(w, "  anchor    %s at height %d\n", v.Anchor.Digest, v.Anchor.Height)
	fmt.Fprintf(w, "  checked   %s\n", v.Model.Checked)
	fmt.Fprintf(w, "  evidence  sha256:%s\n", hex.EncodeToString(sum[:]))
	for _, n := range ev.Notes {
		fmt.Fprintf(w, "  prover's note (not verified): %s\n", strconv.Quote(n))
	}
}
