package qbft

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/liaison-gw/liaison/proofs/ethheader"
)

// RPCHeader is one header read from eth_getBlockByNumber JSON, with the hash
// the endpoint claimed for it and the variant whose BlockHash reproduces
// that claim.
type RPCHeader struct {
	Header  *types.Header
	Hash    common.Hash // the "hash" field, equal to BlockHash(Variant, Header)
	Variant Variant
}

// LoadRPCHeaders reads either one eth_getBlockByNumber result object (or the
// JSON-RPC response carrying it) or a JSON array of them, as GoQuorum and
// Besu return them; fields other than the header's are ignored.
//
// For each header it checks that the claimed "hash" equals BlockHash under
// QBFT or, failing that, IBFT 2.0, and records which one matched (the two
// rules never give the same hash for one header). That only proves the
// endpoint is self-consistent, not that the header is on the chain: verify
// the result with VerifyChain from a trusted state, whose variant must equal
// each RPCHeader.Variant.
//
// Errors wrap ethheader.ErrDecode for undecodable input and, as a
// *VerifyError, ErrHashMismatch (or ErrBadExtra when the extra data fits
// neither codec) for the first header whose claimed hash is not reproduced.
func LoadRPCHeaders(data []byte) ([]RPCHeader, error) {
	data = bytes.TrimSpace(data)
	var raws []json.RawMessage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("%w: %w", ethheader.ErrDecode, err)
		}
	} else {
		raws = []json.RawMessage{data}
	}
	out := make([]RPCHeader, 0, len(raws))
	for i, raw := range raws {
		h, claimed, err := ethheader.DecodeRPCHeader(raw)
		if err != nil {
			return nil, fmt.Errorf("header %d of %d: %w", i+1, len(raws), err)
		}
		variant, err := matchVariant(h, claimed)
		if err != nil {
			ve := &VerifyError{Height: h.Number.Uint64(), Reason: err}
			return nil, fmt.Errorf("header %d of %d: %w", i+1, len(raws), ve)
		}
		out = append(out, RPCHeader{Header: h, Hash: claimed, Variant: variant})
	}
	return out, nil
}

// matchVariant returns the variant whose codec parses h's extra data and
// whose BlockHash of h is claimed. Parsing decides at height 0, where both
// rules hash the header unmodified.
func matchVariant(h *types.Header, claimed common.Hash) (Variant, error) {
	var firstErr error
	var got []string
	for _, v := range []Variant{QBFT, IBFT2} {
		e, err := ParseExtra(v, h.Extra)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		hash, err := e.headerHash(h, false)
		if err != nil {
			return 0, err
		}
		if hash == claimed {
			return v, nil
		}
		got = append(got, fmt.Sprintf("%v %s", v, hash.Hex()))
	}
	if len(got) == 0 {
		return 0, firstErr
	}
	return 0, fmt.Errorf("%w: claimed %s, computed %s", ErrHashMismatch, claimed.Hex(), strings.Join(got, ", "))
}
