package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

func newEvidenceVerifyCmd() *cobra.Command {
	var (
		anchorDigest string
		anchorFile   string
		at           string
	)
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Re-check an evidence bundle offline",
		Long: `Verify re-runs every check of an evidence bundle without contacting any ledger: the
record's ID and payload hash, the inclusion proof, the consensus proof, against the
trust anchor. By default the anchor embedded in the bundle is used after checking its
digest; pin the anchor you trust with --anchor-digest (from your own records) or
--anchor FILE (an anchor JSON document). Exit 0 when valid, 1 with the reason when not.`,
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
				if err := json.Unmarshal(b, pin.anchor); err != nil {
					return failed(fmt.Errorf("anchor %s: %w", anchorFile, err))
				}
			}
			now := time.Now()
			if at != "" {
				if now, err = time.Parse(time.RFC3339, at); err != nil {
					return &exitError{2, fmt.Errorf("--at: %w", err)}
				}
			}
			ev, err := verifyBundle(data, pin, now)
			if err != nil {
				return failed(fmt.Errorf("%s: %w", args[0], err))
			}
			printVerified(cmd.OutOrStdout(), data, ev)
			return nil
		},
	}
	c.Flags().StringVar(&anchorDigest, "anchor-digest", "", "require the bundle's anchor to have this digest (sha256:...)")
	c.Flags().StringVar(&anchorFile, "anchor", "", "verify against this anchor JSON instead of the embedded one")
	c.Flags().StringVar(&at, "at", "", "check time-dependent rules as of this RFC 3339 time (default: now)")
	return c
}

// anchorPin is what the user trusts: a digest, a whole anchor, or neither
// (then the bundle's embedded anchor is used after its digest is checked).
type anchorPin struct {
	digest string
	anchor *relayer.Anchor
}

// verifyBundle re-runs every check of an encoded bundle offline.
func verifyBundle(data []byte, pin anchorPin, now time.Time) (*relayer.Evidence, error) {
	ev, err := relayer.DecodeEvidence(data)
	if err != nil {
		return nil, err
	}
	trusted := ev.Anchor
	if pin.anchor != nil {
		trusted = *pin.anchor
	}
	if err := trusted.CheckDigest(); err != nil {
		return nil, err
	}
	if pin.digest != "" && trusted.Digest != pin.digest {
		return nil, fmt.Errorf("the bundle was checked against anchor %s, not the pinned %s", trusted.Digest, pin.digest)
	}
	if trusted.Digest != ev.Anchor.Digest {
		return nil, fmt.Errorf("the bundle names anchor %s, not the given %s", ev.Anchor.Digest, trusted.Digest)
	}
	if err := ev.Record.Check(); err != nil {
		return nil, err
	}
	v, err := offlineVerifier(ev.Ledger)
	if err != nil {
		return nil, err
	}
	if _, err := v.Verify(ev, trusted, now); err != nil {
		return nil, err
	}
	return ev, nil
}

func printVerified(w io.Writer, data []byte, ev *relayer.Evidence) {
	sum := sha256.Sum256(data)
	fmt.Fprintf(w, "valid: record %s\n", ev.Record.ID)
	fmt.Fprintf(w, "  from      %s height %d, sequence %d, tx %s\n", ev.Record.Source.Chain, ev.Record.Source.Height, ev.Record.Source.Sequence, ev.Record.Source.TxID)
	fmt.Fprintf(w, "  to        %s (receiver %q)\n", ev.Record.Destination, ev.Record.Receiver)
	fmt.Fprintf(w, "  trust     %s, anchor %s at height %d\n", ev.TrustModel, ev.Anchor.Digest, ev.Anchor.Height)
	fmt.Fprintf(w, "  evidence  sha256:%s\n", hex.EncodeToString(sum[:]))
	for _, n := range ev.Notes {
		fmt.Fprintf(w, "  note      %s\n", n)
	}
}
