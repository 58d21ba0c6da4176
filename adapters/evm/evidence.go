package evm

import (
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// MaxConsensusHeaders bounds the headers one bundle may carry: the prover
// refuses to build a longer chain of adjacent headers, and the verifier
// refuses to read one, before any header is decoded.
const MaxConsensusHeaders = 2048

// Inclusion is the Inclusion document of an EVM evidence bundle: the
// eth_getProof answer for the record's commitment slot at one block.
type Inclusion struct {
	// Address is the Outbox, which must be the record's emitter.
	Address common.Address `json:"address"`
	// Slot is keccak256(id ‖ uint256(0)), the commitment's storage key.
	Slot common.Hash `json:"slot"`
	// Value is the stored commitment, which must be RecordDigest(record).
	Value common.Hash `json:"value"`
	// BlockNumber is the block whose state root the proof is against.
	BlockNumber uint64 `json:"block_number"`
	// AccountProof and StorageProof are the trie nodes, as eth_getProof
	// returns them.
	AccountProof []hexutil.Bytes `json:"account_proof"`
	StorageProof []hexutil.Bytes `json:"storage_proof"`
}

// FinalityConsensus is the Consensus document in rpc-finality mode: the
// header every configured endpoint returned for the proof block, and the
// hash they all claimed for it.
type FinalityConsensus struct {
	ChainID   uint64        `json:"chain_id"`
	BlockHash common.Hash   `json:"block_hash"`
	Header    hexutil.Bytes `json:"header"` // RLP
}

// BFTConsensus is the Consensus document in qbft and ibft2 modes: the
// headers (RLP, ascending) that take the light client from the anchor to the
// proof block, which is the last one. A single header is a skip from the
// anchor, or the anchor's own header when the proof is at its height.
type BFTConsensus struct {
	Headers []hexutil.Bytes `json:"headers"`
}

// FinalityAnchor is the anchor state in rpc-finality mode: which chain the
// endpoints must serve. It does not make headers verifiable; see doc.go.
type FinalityAnchor struct {
	ChainID uint64      `json:"chain_id"`
	Genesis common.Hash `json:"genesis"`
}

// mustJSON encodes documents this package defines; they always encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("evm: encode %T: %v", v, err)) // unreachable: plain structs
	}
	return b
}

func toBytes(hs []hexutil.Bytes) [][]byte {
	out := make([][]byte, len(hs))
	for i, h := range hs {
		out[i] = h
	}
	return out
}
