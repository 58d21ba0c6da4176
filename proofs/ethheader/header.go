package ethheader

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// VerifyHeaderHash returns nil if keccak256(RLP(h)) equals want. It returns an
// error wrapping ErrDecode for a nil header or one without a number, and a
// *MismatchError (wrapping ErrHashMismatch) otherwise.
func VerifyHeaderHash(h *types.Header, want common.Hash) error {
	if h == nil || h.Number == nil || !h.Number.IsUint64() {
		return fmt.Errorf("%w: header or its number is missing", ErrDecode)
	}
	if got := h.Hash(); got != want {
		return &MismatchError{Height: h.Number.Uint64(), Got: got, Want: want}
	}
	return nil
}

// DecodeRLPHeader decodes one RLP-encoded header. Trailing bytes and
// non-canonical encodings are rejected (ErrDecode). The header shares no
// memory with b.
func DecodeRLPHeader(b []byte) (*types.Header, error) {
	h := new(types.Header)
	if err := rlp.DecodeBytes(b, h); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return h, nil
}

// DecodeRPCHeader decodes the result of eth_getBlockByNumber or
// eth_getBlockByHash (or the whole JSON-RPC response that carries it) and
// returns the header with the "hash" field the endpoint claims for it.
//
// Fields a header does not have (transactions, either as hashes or as full
// objects, uncles, size, totalDifficulty, ...) are ignored, and the optional
// header fields may be absent, as in GoQuorum's and Besu's answers for pre-
// London rules. The claimed hash is NOT checked: compare it with
// VerifyHeaderHash, or with qbft.BlockHash on QBFT chains.
//
// Errors wrap ErrDecode: not a JSON object, a null result (unknown block), a
// JSON-RPC error, a missing required header field, or a missing "hash".
func DecodeRPCHeader(raw json.RawMessage) (*types.Header, common.Hash, error) {
	return decodeRPC(raw, true)
}

func decodeRPC(raw json.RawMessage, envelope bool) (*types.Header, common.Hash, error) {
	body := bytes.TrimSpace(raw)
	var env struct {
		JSONRPC string          `json:"jsonrpc"`
		Result  json.RawMessage `json:"result"`
		Error   json.RawMessage `json:"error"`
		Hash    *common.Hash    `json:"hash"`
	}
	if len(body) == 0 || body[0] != '{' {
		if bytes.Equal(body, []byte("null")) {
			return nil, common.Hash{}, fmt.Errorf("%w: null block (the endpoint does not know it)", ErrDecode)
		}
		return nil, common.Hash{}, fmt.Errorf("%w: not a JSON object", ErrDecode)
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, common.Hash{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if env.JSONRPC != "" && envelope {
		// A whole JSON-RPC response: unwrap its result, once.
		if len(env.Error) != 0 && !bytes.Equal(env.Error, []byte("null")) {
			return nil, common.Hash{}, fmt.Errorf("%w: JSON-RPC error %s", ErrDecode, env.Error)
		}
		if len(env.Result) == 0 {
			return nil, common.Hash{}, fmt.Errorf("%w: JSON-RPC response without a result", ErrDecode)
		}
		return decodeRPC(env.Result, false)
	}
	if env.Hash == nil {
		return nil, common.Hash{}, fmt.Errorf("%w: no \"hash\" field", ErrDecode)
	}
	h := new(types.Header)
	if err := json.Unmarshal(body, h); err != nil {
		return nil, common.Hash{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return h, *env.Hash, nil
}
