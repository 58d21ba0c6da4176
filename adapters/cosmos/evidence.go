package cosmos

import (
	"encoding/json"
	"fmt"

	"github.com/liaison-gw/liaison/proofs/tendermint"
)

// SchemeTendermint is the Evidence.TrustModel of Cosmos bundles and the
// Anchor.Scheme of their anchors, whose State is a proofs/tendermint
// TrustedState.
const SchemeTendermint = "tendermint"

// MaxLightBlocks bounds the light blocks one bundle may carry: the prover
// refuses to build a longer chain (bisection that deep means the anchor is
// far too old), and the verifier refuses to read one before decoding any.
const MaxLightBlocks = 64

// Inclusion is the Inclusion document of a Cosmos bundle: the ICS-23 proof
// that the records store held the record's permanent value at one version.
type Inclusion struct {
	// Store is the module's store, "records".
	Store string `json:"store"`
	// Key is RecordValueKey(id): 0x06 ‖ id.
	Key []byte `json:"key"`
	// Value is the stored records JSON, byte for byte (base64 here). It
	// must decode to exactly the bundle's record.
	Value []byte `json:"value"`
	// Version is the store version (block height) the proof is of. It
	// verifies against the app hash of the header at Version+1.
	Version uint64 `json:"version"`
	// Proof is a serialized ibc.core.commitment.v1.MerkleProof: the IAVL
	// proof of Key in the store, then the proof of the store in the
	// multistore.
	Proof []byte `json:"proof"`
}

// Consensus is the Consensus document of a Cosmos bundle: the light blocks
// that take proofs/tendermint from the anchor to the header at
// Inclusion.Version+1, ascending, each verified against the state the one
// before it left (the first against the anchor). It is empty when that
// header is the anchor's own.
type Consensus struct {
	ChainID     string                  `json:"chain_id"`
	LightBlocks []tendermint.LightBlock `json:"light_blocks"`
}

// mustJSON encodes documents this package defines; they always encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("cosmos: encode %T: %v", v, err)) // unreachable: plain structs
	}
	return b
}
