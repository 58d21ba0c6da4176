package fabric

import (
	"encoding/json"
	"errors"
	"fmt"

	fabproof "github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/relayer"
)

// MaxConfigBlocks bounds the config blocks one bundle may carry: the prover
// refuses to build a longer chain, and the verifier refuses to read one.
// A channel changes its configuration rarely; move trust.config_block
// forward when a chain outgrows it.
const MaxConfigBlocks = 64

// Inclusion is the Inclusion document of a Fabric evidence bundle: the
// block that holds the record's transaction, as the peer stores it (the
// marshalled common.Block, base64 in JSON), and where the transaction is.
type Inclusion struct {
	Block   []byte `json:"block"`
	TxIndex int    `json:"tx_index"`
	TxID    string `json:"tx_id"`
}

// Consensus is the Consensus document: the channel config blocks after the
// anchor's, in ascending order, up to the one the block was cut under
// (its signed last-config index). Empty when the configuration did not
// change since the anchor. The orderer signatures of the block itself are
// inside the block.
//
// With config blocks, AnchorBlock is the anchor's own config block, as the
// peer stores it. The anchor keeps only the extract of the channel config
// that block and transaction checks need, but a config update is checked
// against the full config (the mod_policies of what it changes), so the
// verifier takes that from AnchorBlock, after checking that its header
// hash is the anchor's. It is absent without config blocks.
type Consensus struct {
	ConfigBlocks [][]byte `json:"config_blocks"`
	AnchorBlock  []byte   `json:"anchor_block,omitempty"`
}

// AnchorState is the State of a Fabric anchor (scheme "fabric-config"):
// the channel config the orderers' and endorsers' signatures are checked
// against, the endorsement policy the record's transaction must satisfy,
// and the chaincode whose writes count. The policy is part of the anchor,
// not of the evidence, so that an offline verifier knows it without asking
// the bundle's author, and so that the anchor's digest pins it.
type AnchorState struct {
	// Chaincode is the records chaincode's name: the namespace of the
	// write set and the records' emitter.
	Chaincode string `json:"chaincode"`
	// EndorsementPolicy is the chaincode's endorsement policy in
	// proofs/fabric's canonical form ("majority", "any", "all" or a
	// signature policy expression).
	EndorsementPolicy fabproof.EndorsementPolicy `json:"endorsement_policy"`
	// Config is the trusted channel config (proofs/fabric.TrustedConfig):
	// its block number is the anchor's height.
	Config *fabproof.TrustedConfig `json:"config"`
}

// decodeAnchorState parses an anchor state strictly and checks that it is
// usable.
func decodeAnchorState(raw []byte) (*AnchorState, error) {
	var st AnchorState
	if err := relayer.DecodeStrict(raw, &st); err != nil {
		return nil, err
	}
	switch {
	case st.Config == nil:
		return nil, errors.New("no channel config")
	case st.EndorsementPolicy.IsZero():
		return nil, errors.New("no endorsement policy")
	case st.Chaincode == "":
		return nil, errors.New("no chaincode")
	}
	return &st, nil
}

// newAnchor builds the anchor of a trusted config with the chaincode and
// policy of st.
func newAnchor(chain relayer.ChainID, chaincode string, policy fabproof.EndorsementPolicy, tc *fabproof.TrustedConfig) (relayer.Anchor, error) {
	raw, err := json.Marshal(AnchorState{Chaincode: chaincode, EndorsementPolicy: policy, Config: tc})
	if err != nil {
		return relayer.Anchor{}, fmt.Errorf("encode anchor state: %w", err)
	}
	return relayer.NewAnchor(chain, SchemeConfig, []byte(chaincode), relayer.Height(tc.Number()), raw)
}
