package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/liaison-gw/liaison/proofs/fabric"
)

func newVerifyFabricCmd() *cobra.Command {
	var configFile, policyText string
	c := &cobra.Command{
		Use:   "fabric-block --config CONFIG_BLOCK [--policy majority|any|all|EXPR] BLOCK_FILE...",
		Short: "Verify Hyperledger Fabric blocks against a channel config block",
		Long: `Each BLOCK_FILE holds one marshalled common.Block, as "peer channel fetch" writes it.
CONFIG_BLOCK is a config block of the channel (the genesis block, or a later one),
trusted as given: its MSPs, orderers and BlockValidation policy are the anchor.

Each block is checked: its data hash over the envelopes, the orderers' signatures
(one orderer on Raft, a quorum of consenters on BFT) against the BlockValidation
policy, that it was cut under the config in force, and, when its number follows the
previous file's, its link to it. A config block among the files is verified, including
its config update as a peer checks it (read and write sets against the config in force,
the admins' signatures each changed element's mod_policy requires, and the resulting
config), and then replaces the config for the blocks after it.

With --policy, each endorser transaction is also checked: creator, transaction ID,
each endorsement's signature and certificate, and the endorsement policy, because
the VALID flag in the block is not signed by anyone. A transaction the peers flagged
invalid is reported (its writes were not applied) and does not fail the command.
--policy is "majority", "any", "all" (over the channel's application organizations)
or a signature policy such as "OutOf(2,'Org1MSP.peer','Org2MSP.peer')" or
"AND('Org1MSP.peer','Org2MSP.peer')"; give the chaincode's own policy.

Exit 0 when everything verifies; otherwise exit 1 naming the block and the reason.
The transaction checks cannot tell a transaction that lost an MVCC race from one
that did not: the peers' flags are the only record of that.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if configFile == "" {
				return &exitError{2, fmt.Errorf("--config is required: a config block of the channel")}
			}
			var policy fabric.EndorsementPolicy
			if policyText != "" {
				p, err := fabric.ParseEndorsementPolicy(policyText)
				if err != nil {
					return &exitError{2, fmt.Errorf("--policy: %w", err)}
				}
				policy = p
			}
			raw, err := os.ReadFile(configFile)
			if err != nil {
				return failed(err)
			}
			tc, err := fabric.ParseConfigBlock(raw)
			if err != nil {
				return failed(fmt.Errorf("%s: %w", configFile, err))
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "config block %d of channel %q: sequence %d, %s, orderers %s, orgs %s\n",
				tc.Number(), tc.ChannelID(), tc.Sequence(), consensusSummary(tc),
				strings.Join(tc.OrdererOrgs(), ","), strings.Join(tc.ApplicationOrgs(), ","))
			v := fabricVerifier{w: w, tc: tc, policy: policy, seen: map[uint64][]byte{}}
			for _, f := range args {
				if err := v.file(f); err != nil {
					return failed(fmt.Errorf("%s: %w", f, err))
				}
			}
			if v.firstTxErr != nil {
				return failed(v.firstTxErr)
			}
			fmt.Fprintf(w, "verified %d block(s)", len(args))
			if !policy.IsZero() {
				fmt.Fprintf(w, ", %d endorser transaction(s) satisfy %q", v.txOK, policy.String())
			}
			fmt.Fprintln(w)
			return nil
		},
	}
	c.Flags().StringVar(&configFile, "config", "", "trusted channel config block (marshalled common.Block)")
	c.Flags().StringVar(&policyText, "policy", "", `endorsement policy to re-check: majority, any, all or an expression like "OutOf(2,'Org1MSP.peer','Org2MSP.peer')"`)
	return c
}

func consensusSummary(tc *fabric.TrustedConfig) string {
	if tc.BFT() {
		return fmt.Sprintf("BFT with %d consenters (quorum %d)", len(tc.Consenters()), tc.Quorum())
	}
	return tc.Consensus()
}

// fabricVerifier checks block files in order, carrying the config in force
// and the last block for the links.
type fabricVerifier struct {
	w          io.Writer
	tc         *fabric.TrustedConfig
	policy     fabric.EndorsementPolicy
	last       *fabric.Block
	seen       map[uint64][]byte // block number -> hash, to catch two different blocks of one height
	txOK       int
	firstTxErr error
}

func (v *fabricVerifier) file(name string) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return v.block(raw)
}

// block verifies one marshalled block, reports it and, for a config block,
// puts its config in force.
func (v *fabricVerifier) block(raw []byte) error {
	var prev []byte
	linked := "not linked (no previous block given)"
	if v.last != nil {
		linked = fmt.Sprintf("not linked (follows block %d)", v.last.Number)
	}
	// Link to the previous file when the numbers follow, or to the config
	// block when it is the block right after it.
	if n, err := fabric.BlockNumber(raw); err == nil {
		switch {
		case v.last != nil && n == v.last.Number+1:
			prev, linked = v.last.Hash, fmt.Sprintf("links to block %d", v.last.Number)
		case n == v.tc.Number()+1:
			prev, linked = v.tc.Hash(), fmt.Sprintf("links to config block %d", v.tc.Number())
		}
	}
	b, err := fabric.VerifyBlock(v.tc, prev, raw)
	if err != nil {
		return err
	}
	if h, ok := v.seen[b.Number]; ok && string(h) != string(b.Hash) {
		return fmt.Errorf("block %d: two different blocks of this number verify (hashes %x and %x): the orderers forked", b.Number, h, b.Hash)
	}
	v.seen[b.Number] = b.Hash
	var signers []string
	for _, s := range b.Signers {
		name := s.MSPID + " " + s.Cert.Subject.CommonName
		if s.ConsenterID > 0 {
			name = fmt.Sprintf("%s (consenter %d)", name, s.ConsenterID)
		}
		signers = append(signers, name)
	}
	fmt.Fprintf(v.w, "block %d  %s  ok: %d tx, %s, signed by %s\n", b.Number, hex.EncodeToString(b.Hash), len(b.Txs), linked, strings.Join(signers, ", "))
	for i := range b.Txs {
		v.tx(b, i)
	}
	if b.Config != nil {
		v.tc = b.Config
		fmt.Fprintf(v.w, "  config sequence %d now in force: %s, orgs %s\n", v.tc.Sequence(), consensusSummary(v.tc), strings.Join(v.tc.ApplicationOrgs(), ","))
	}
	v.last = b
	return nil
}

// tx reports one transaction and, with a policy, verifies it.
func (v *fabricVerifier) tx(b *fabric.Block, i int) {
	t := &b.Txs[i]
	head := fmt.Sprintf("  tx %d %s %v", i, t.ID, t.Type)
	if t.DecodeError != nil {
		fmt.Fprintf(v.w, "%s  does not decode (%v)\n", head, t.DecodeError)
		return
	}
	if t.Type != fabric.TxEndorser {
		fmt.Fprintf(v.w, "%s  flag %v\n", head, t.Validation)
		return
	}
	var msps []string
	for _, e := range t.Endorsements {
		msps = append(msps, e.Endorser.MSPID)
	}
	slices.Sort(msps)
	head = fmt.Sprintf("%s  chaincode %s, created by %s, endorsed by [%s], flag %v", head, t.Chaincode.Name, t.Creator.MSPID, strings.Join(msps, ", "), t.Validation)
	if v.policy.IsZero() {
		fmt.Fprintf(v.w, "%s (unsigned; endorsements not checked, see --policy)\n", head)
		return
	}
	if t.Validation != fabric.TxValid {
		// The peers say it was not applied. Say whether its endorsements
		// would have satisfied the policy anyway.
		copyBlock := *b
		copyBlock.Txs = slices.Clone(b.Txs)
		copyBlock.Txs[i].Validation = fabric.TxValid
		verdict := "its endorsements satisfy the policy"
		if _, err := fabric.VerifyTransaction(v.tc, &copyBlock, i, v.policy); err != nil {
			verdict = "its endorsements fail it too: " + reasonOf(err)
		}
		fmt.Fprintf(v.w, "%s: not applied by the peers; %s\n", head, verdict)
		return
	}
	if _, err := fabric.VerifyTransaction(v.tc, b, i, v.policy); err != nil {
		fmt.Fprintf(v.w, "%s: FAILS %s\n", head, reasonOf(err))
		if v.firstTxErr == nil {
			v.firstTxErr = err
		}
		return
	}
	v.txOK++
	fmt.Fprintf(v.w, "%s: ok\n", head)
}

// reasonOf returns the reason of a *fabric.VerifyError without the block
// and transaction, which the report already names.
func reasonOf(err error) string {
	if ve, ok := err.(*fabric.VerifyError); ok {
		return ve.Reason.Error()
	}
	return err.Error()
}
