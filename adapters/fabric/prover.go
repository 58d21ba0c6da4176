package fabric

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/relayer"
)

// Notes carried by Fabric bundles.
const (
	noteBlock = "fabric: block %d is signed by the ordering service under the channel config of block %d%s; " +
		"transaction %s was endorsed by %v, which satisfies the endorsement policy %q of chaincode %q."
	noteFlags = "fabric: the peers' VALID flag of the transaction is not signed by anyone. The verifier re-checks the " +
		"endorsement policy in its place, which stops a transaction the endorsers did not approve; it cannot show that " +
		"the transaction won its MVCC check (an endorsed transaction that lost a race to a conflicting one looks the same)."
)

// prover builds evidence for records of its chain's chaincode.
type prover struct {
	c *Chain
}

var (
	_ relayer.Prover            = (*prover)(nil)
	_ relayer.TrustBootstrapper = (*prover)(nil)
)

// Prove builds the evidence that rec's transaction was committed: the block
// that holds it (qscc GetBlockByTxID, byte for byte what the peer stores)
// and the transaction's index, and the config blocks from the anchor's to
// the one the block was cut under, with the anchor's own config block.
//
// When the block was cut under an older config than trusted (a record
// proven after the anchor moved past its block), the evidence names the
// anchor of that older config, rebuilt from the peer's config block with
// trusted's chaincode and policy: the engine accepts it only if it trusted
// that anchor before (its digest is in the store).
//
// Errors: relayer.ErrPermanent for a record or anchor of another chain or
// chaincode, a transaction the peer did not commit VALID, a block that is
// not the record's, or more than MaxConfigBlocks config changes;
// relayer.ErrUnavailable when no peer answers or the peer does not have
// the transaction yet; any other error when a peer served data that does
// not check out.
func (p *prover) Prove(ctx context.Context, rec *relayer.Record, trusted relayer.Anchor) (*relayer.Evidence, error) {
	c := p.c
	switch {
	case rec == nil:
		return nil, fmt.Errorf("%w: no record", relayer.ErrPermanent)
	case rec.Source.Chain != c.name:
		return nil, fmt.Errorf("%w: record from chain %q, this prover is for %q", relayer.ErrPermanent, rec.Source.Chain, c.name)
	case !bytes.Equal(rec.Source.Emitter, []byte(c.cfg.Chaincode)):
		return nil, fmt.Errorf("%w: record emitter %q is not the chaincode %q", relayer.ErrPermanent, []byte(rec.Source.Emitter), c.cfg.Chaincode)
	case trusted.Chain != c.name || trusted.Scheme != SchemeConfig:
		return nil, fmt.Errorf("%w: anchor is %s of chain %q; chain %s uses %s", relayer.ErrPermanent, trusted.Scheme, trusted.Chain, c.name, SchemeConfig)
	}
	st, err := decodeAnchorState(trusted.State)
	if err != nil {
		return nil, fmt.Errorf("%w: anchor state: %v", relayer.ErrPermanent, err)
	}
	if st.Chaincode != c.cfg.Chaincode || st.Config.ChannelID() != c.cfg.Channel {
		return nil, fmt.Errorf("%w: the anchor is for chaincode %q on channel %q; chain %s uses %q on %q",
			relayer.ErrPermanent, st.Chaincode, st.Config.ChannelID(), c.name, c.cfg.Chaincode, c.cfg.Channel)
	}
	var ev *relayer.Evidence
	err = c.do(ctx, func(ctx context.Context, ep *endpoint) error {
		var err error
		ev, err = p.prove(ctx, ep, rec, trusted, st)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("chain %s, record %s (block %d, tx %s): %w", c.name, rec.ID, rec.Source.Height, rec.Source.TxID, err)
	}
	return ev, nil
}

func (p *prover) prove(ctx context.Context, ep *endpoint, rec *relayer.Record, trusted relayer.Anchor, st *AnchorState) (*relayer.Evidence, error) {
	c := p.c
	raw, err := c.blockBytesByTxID(ctx, ep, rec.Source.TxID)
	if errors.Is(err, errTxUnknown) {
		return nil, fmt.Errorf("%w: %v (is the peer behind?)", relayer.ErrUnavailable, err)
	}
	if err != nil {
		return nil, err
	}
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("peer %s: block of tx %s: %w", ep.addr, rec.Source.TxID, err)
	}
	n := b.GetHeader().GetNumber()
	if n != uint64(rec.Source.Height) {
		return nil, fmt.Errorf("%w: peer %s has transaction %s in block %d, the record says block %d", relayer.ErrPermanent, ep.addr, rec.Source.TxID, n, rec.Source.Height)
	}
	idx, code, err := findTx(&b, rec.Source.TxID)
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", ep.addr, err)
	}
	if code != peer.TxValidationCode_VALID {
		return nil, fmt.Errorf("%w: peer %s flags transaction %s in block %d as %s: the record was not committed", relayer.ErrPermanent, ep.addr, rec.Source.TxID, n, code)
	}
	last, err := lastConfig(&b)
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", ep.addr, err)
	}
	anchorHeight := st.Config.Number()
	cons := Consensus{ConfigBlocks: [][]byte{}}
	switch {
	case last > anchorHeight:
		if cons.ConfigBlocks, err = p.configBlocks(ctx, ep, anchorHeight, last); err != nil {
			return nil, err
		}
		// The verifier checks the first config update against the
		// anchor's full config, which the anchor state does not keep.
		if cons.AnchorBlock, _, err = c.blockByNumber(ctx, ep, anchorHeight); err != nil {
			return nil, err
		}
	case last < anchorHeight:
		if trusted, err = p.olderAnchor(ctx, ep, st, last); err != nil {
			return nil, err
		}
		c.log.Info("block was cut under an older config than the current anchor; proving against that config's anchor",
			"chain", c.name, "block", n, "config_block", last, "anchor_height", anchorHeight, "anchor", trusted.Digest)
	}
	inc := Inclusion{Block: raw, TxIndex: idx, TxID: rec.Source.TxID}
	incJSON, err := json.Marshal(inc)
	if err != nil {
		return nil, err
	}
	consJSON, err := json.Marshal(cons)
	if err != nil {
		return nil, err
	}
	changed := ""
	if len(cons.ConfigBlocks) > 0 {
		changed = fmt.Sprintf(" (%d config change(s) since the anchor's block %d)", len(cons.ConfigBlocks), anchorHeight)
	}
	orgs := endorsers(raw, idx)
	return &relayer.Evidence{
		Version:    relayer.EvidenceVersion,
		Ledger:     relayer.LedgerFabric,
		TrustModel: TrustModel,
		Record:     *rec,
		Inclusion:  incJSON,
		Consensus:  consJSON,
		Anchor:     trusted,
		Notes: []string{
			fmt.Sprintf(noteBlock, n, last, changed, rec.Source.TxID, orgs, st.EndorsementPolicy.String(), st.Chaincode),
			noteFlags,
		},
		ProvenAt: c.now().UTC(),
	}, nil
}

// configBlocks returns the config blocks after from up to and including
// last (a config block), ascending. Each config block's own last-config
// index is itself, so the one before it is the last-config index of the
// block before it.
func (p *prover) configBlocks(ctx context.Context, ep *endpoint, from, last uint64) ([][]byte, error) {
	var out [][]byte
	for n := last; n > from; {
		if len(out) == MaxConfigBlocks {
			return nil, fmt.Errorf("%w: more than %d config changes since the anchor's config block %d: move trust.config_block forward",
				relayer.ErrPermanent, MaxConfigBlocks, from)
		}
		raw, _, err := p.c.blockByNumber(ctx, ep, n)
		if err != nil {
			return nil, err
		}
		out = append([][]byte{raw}, out...)
		_, prev, err := p.c.blockByNumber(ctx, ep, n-1)
		if err != nil {
			return nil, err
		}
		before, err := lastConfig(prev)
		if err != nil {
			return nil, fmt.Errorf("peer %s: %w", ep.addr, err)
		}
		if before >= n {
			return nil, fmt.Errorf("peer %s: block %d names config block %d, which is not before it", ep.addr, n-1, before)
		}
		n = before
	}
	return out, nil
}

// olderAnchor rebuilds the anchor of config block n from the peer's copy,
// with st's chaincode and policy. The verifier and the engine accept it
// only if it is byte for byte an anchor that was trusted before.
func (p *prover) olderAnchor(ctx context.Context, ep *endpoint, st *AnchorState, n uint64) (relayer.Anchor, error) {
	raw, _, err := p.c.blockByNumber(ctx, ep, n)
	if err != nil {
		return relayer.Anchor{}, err
	}
	tc, err := fabproof.ParseConfigBlock(raw)
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("peer %s: config block %d: %w", ep.addr, n, err)
	}
	return newAnchor(p.c.name, st.Chaincode, st.EndorsementPolicy, tc)
}

// endorsers names the MSPs that endorsed transaction idx of a block, for
// the bundle's note; best effort.
func endorsers(raw []byte, idx int) []string {
	var b common.Block
	if proto.Unmarshal(raw, &b) != nil || idx >= len(b.GetData().GetData()) {
		return nil
	}
	var env common.Envelope
	var pl common.Payload
	var tx peer.Transaction
	if proto.Unmarshal(b.Data.Data[idx], &env) != nil || proto.Unmarshal(env.GetPayload(), &pl) != nil || proto.Unmarshal(pl.GetData(), &tx) != nil {
		return nil
	}
	var out []string
	for _, a := range tx.GetActions() {
		var cap peer.ChaincodeActionPayload
		if proto.Unmarshal(a.GetPayload(), &cap) != nil {
			continue
		}
		for _, e := range cap.GetAction().GetEndorsements() {
			var id msp.SerializedIdentity
			if proto.Unmarshal(e.GetEndorser(), &id) == nil {
				out = append(out, id.GetMspid())
			}
		}
	}
	return out
}

// Bootstrap returns the configured trust anchor: the channel config in
// trust.config_block, the endorsement policy and the chaincode. It checks
// that the block is a config block of the configured channel, and compares
// its hash with the peers' block of the same number; a peer that cannot be
// reached is logged and skipped, one that has another block there is an
// error (the file is not this channel's, or the peer serves another
// ledger).
func (p *prover) Bootstrap(ctx context.Context) (relayer.Anchor, error) {
	c := p.c
	path := c.cfg.Trust.ConfigBlock
	raw, err := os.ReadFile(path)
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.config_block: %w", c.name, err)
	}
	tc, err := fabproof.ParseConfigBlock(raw)
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.config_block %s: %w", c.name, path, err)
	}
	if tc.ChannelID() != c.cfg.Channel {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.config_block %s is a config block of channel %q, not %q", c.name, path, tc.ChannelID(), c.cfg.Channel)
	}
	policy, err := fabproof.ParseEndorsementPolicy(c.cfg.Trust.EndorsementPolicy)
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("chain %s: trust.endorsement_policy: %w", c.name, err)
	}
	for _, ep := range c.eps {
		_, b, err := c.blockByNumber(ctx, ep, tc.Number())
		if err != nil {
			c.log.Warn("could not compare trust.config_block with the peer's block", "chain", c.name, "peer", ep.addr, "block", tc.Number(), "err", err)
			continue
		}
		h, err := headerHash(b.GetHeader())
		if err != nil || !bytes.Equal(h, tc.Hash()) {
			return relayer.Anchor{}, fmt.Errorf("chain %s: block %d of channel %q on peer %s has hash %x, but trust.config_block %s has %x: "+
				"the file is not this channel's config block, or the peer serves another ledger", c.name, tc.Number(), c.cfg.Channel, ep.addr, h, path, tc.Hash())
		}
	}
	return newAnchor(c.name, c.cfg.Chaincode, policy, tc)
}

// blockBytesByTxID returns the block holding txID as the peer stores it.
func (c *Chain) blockBytesByTxID(ctx context.Context, ep *endpoint, txID string) ([]byte, error) {
	return c.evaluate(ctx, ep, ep.qscc, "GetBlockByTxID", c.cfg.Channel, txID)
}

// blockByTxID returns the decoded block holding txID.
func (c *Chain) blockByTxID(ctx context.Context, ep *endpoint, txID string) (*common.Block, error) {
	raw, err := c.blockBytesByTxID(ctx, ep, txID)
	if err != nil {
		return nil, err
	}
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("peer %s: block of tx %s: %w", ep.addr, txID, err)
	}
	return &b, nil
}

// blockByNumber returns block n as the peer stores it, and decoded.
func (c *Chain) blockByNumber(ctx context.Context, ep *endpoint, n uint64) ([]byte, *common.Block, error) {
	raw, err := c.evaluate(ctx, ep, ep.qscc, "GetBlockByNumber", c.cfg.Channel, strconv.FormatUint(n, 10))
	if err != nil {
		return nil, nil, err
	}
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, nil, fmt.Errorf("peer %s: block %d: %w", ep.addr, n, err)
	}
	if b.GetHeader().GetNumber() != n {
		return nil, nil, fmt.Errorf("peer %s: asked for block %d, got block %d", ep.addr, n, b.GetHeader().GetNumber())
	}
	return raw, &b, nil
}
