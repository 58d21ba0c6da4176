package evm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/proofs/ethheader"
	"github.com/liaison-gw/liaison/relayer"
)

// endpoint is one JSON-RPC endpoint of a chain. Every method bounds its call
// by timeout and translates transport failures into relayer.ErrUnavailable
// (see readError and sendError); the callers above never look at foreign
// error types.
type endpoint struct {
	name    string // URL with credentials redacted, or the IPC path
	rpc     *rpc.Client
	eth     *ethclient.Client
	headers HeaderReader // rpcHeaders, possibly wrapped by Options.WrapHeaders
	timeout time.Duration
	reads   reads // reads the prover's workers share (share.go)
}

// call runs one JSON-RPC read under the endpoint's timeout.
func (ep *endpoint) call(ctx context.Context, result any, method string, args ...any) error {
	cctx, cancel := context.WithTimeout(ctx, ep.timeout)
	defer cancel()
	if err := ep.rpc.CallContext(cctx, result, method, args...); err != nil {
		return ep.readError(ctx, method, err)
	}
	return nil
}

// readError translates the failure of a read. A read has no effect, so any
// failure to talk to the endpoint is ErrUnavailable; an answer from the
// endpoint (a JSON-RPC error object, a 4xx status, a result that does not
// decode) is returned as it is, named.
func (ep *endpoint) readError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("endpoint %s: %s: %w", ep.name, op, ctx.Err())
	}
	if transportFailure(err) {
		return fmt.Errorf("%w: endpoint %s: %s: %w", relayer.ErrUnavailable, ep.name, op, err)
	}
	return fmt.Errorf("endpoint %s: %s: %w", ep.name, op, err)
}

// transportFailure reports whether err means the endpoint could not be
// talked to, or asked to be called later, rather than that it answered.
func transportFailure(err error) bool {
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.StatusCode == 429 || httpErr.StatusCode >= 500
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		// The endpoint answered. Only "try later" codes count: -32002
		// request timed out (geth), -32005 limit exceeded / rate limited.
		return rpcErr.ErrorCode() == -32002 || rpcErr.ErrorCode() == -32005
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &syntaxErr) || errors.As(err, &typeErr) {
		return false // it answered, with something we cannot read
	}
	// Anything else happened below JSON-RPC: dial, connection reset,
	// EOF, a closed websocket, a timeout.
	return true
}

// notSent reports whether a failed send certainly did not reach the node:
// the connection was never made, or the server refused the request before
// reading it (429, 503).
func notSent(err error) bool {
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.StatusCode == 429 || httpErr.StatusCode == 503
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT)
}

// blockRef is what the source and the destination need of a block: its
// number, the hash the node reports for it (the on-chain hash, right on
// QBFT chains too, unlike go-ethereum's Header.Hash), its timestamp and
// its gas limit.
type blockRef struct {
	Number    hexutil.Uint64 `json:"number"`
	Hash      common.Hash    `json:"hash"`
	Timestamp hexutil.Uint64 `json:"timestamp"`
	GasLimit  hexutil.Uint64 `json:"gasLimit"`
}

// block returns the number and hash of block n (a height or a tag). A block
// the endpoint does not have yet is ErrUnavailable: another endpoint, or the
// same one later, may have it.
func (ep *endpoint) block(ctx context.Context, n rpc.BlockNumber) (blockRef, error) {
	var raw json.RawMessage
	if err := ep.call(ctx, &raw, "eth_getBlockByNumber", n, false); err != nil {
		if n == rpc.FinalizedBlockNumber && !errors.Is(err, relayer.ErrUnavailable) {
			return blockRef{}, fmt.Errorf("%w (finality mode with confirmations 0 needs the node's \"finalized\" tag; "+
				"GoQuorum has none: set trust.confirmations, or use qbft mode)", err)
		}
		return blockRef{}, err
	}
	if isNull(raw) {
		return blockRef{}, fmt.Errorf("%w: endpoint %s does not have block %v yet", relayer.ErrUnavailable, ep.name, n)
	}
	var ref blockRef
	if err := json.Unmarshal(raw, &ref); err != nil {
		return blockRef{}, fmt.Errorf("endpoint %s: block %v: %w", ep.name, n, err)
	}
	if n >= 0 && uint64(ref.Number) != uint64(n) {
		return blockRef{}, fmt.Errorf("endpoint %s: asked for block %d, got %d", ep.name, n, ref.Number)
	}
	return ref, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// blockNumber returns the endpoint's head height.
func (ep *endpoint) blockNumber(ctx context.Context) (uint64, error) {
	var n hexutil.Uint64
	if err := ep.call(ctx, &n, "eth_blockNumber"); err != nil {
		return 0, err
	}
	return uint64(n), nil
}

// chainID returns the endpoint's EVM chain id.
func (ep *endpoint) chainID(ctx context.Context) (*big.Int, error) {
	var id hexutil.Big
	if err := ep.call(ctx, &id, "eth_chainId"); err != nil {
		return nil, err
	}
	return (*big.Int)(&id), nil
}

// logs returns the logs of address with topic0 in blocks [from, to], in
// block and index order, without logs the node marks removed.
func (ep *endpoint) logs(ctx context.Context, address common.Address, topic0 common.Hash, from, to uint64) ([]types.Log, error) {
	q := map[string]any{
		"address":   address,
		"topics":    []any{topic0},
		"fromBlock": hexutil.Uint64(from),
		"toBlock":   hexutil.Uint64(to),
	}
	var logs []types.Log
	if err := ep.call(ctx, &logs, "eth_getLogs", q); err != nil {
		return nil, err
	}
	out := logs[:0]
	for _, l := range logs {
		if !l.Removed {
			out = append(out, l)
		}
	}
	return out, nil
}

// proofResult is the part of eth_getProof the prover uses.
type proofResult struct {
	Address      common.Address  `json:"address"`
	AccountProof []hexutil.Bytes `json:"accountProof"`
	StorageProof []struct {
		Key   hexutil.Bytes   `json:"key"`
		Value *hexutil.Big    `json:"value"`
		Proof []hexutil.Bytes `json:"proof"`
	} `json:"storageProof"`
}

// callArgs builds the transaction object of eth_call and eth_estimateGas.
// The input goes in both "data" and "input": GoQuorum reads only "data",
// newer clients prefer "input", and geth accepts both when they are equal.
func callArgs(from, to common.Address, data []byte) map[string]any {
	return map[string]any{
		"from":  from,
		"to":    to,
		"data":  hexutil.Bytes(data),
		"input": hexutil.Bytes(data),
	}
}

// ethCall runs a read-only call at block n. A revert comes back as an error
// that carries the revert data (see revertData).
func (ep *endpoint) ethCall(ctx context.Context, from, to common.Address, data []byte, n rpc.BlockNumber) ([]byte, error) {
	var out hexutil.Bytes
	if err := ep.call(ctx, &out, "eth_call", callArgs(from, to, data), n); err != nil {
		return nil, err
	}
	return out, nil
}

// estimateGas estimates a call's gas at the latest block.
func (ep *endpoint) estimateGas(ctx context.Context, from, to common.Address, data []byte) (uint64, error) {
	var gas hexutil.Uint64
	if err := ep.call(ctx, &gas, "eth_estimateGas", callArgs(from, to, data)); err != nil {
		return 0, err
	}
	return uint64(gas), nil
}

// nonce returns the account's nonce at the latest block (pending false) or
// including the node's transaction pool (pending true).
func (ep *endpoint) nonce(ctx context.Context, addr common.Address, pending bool) (uint64, error) {
	tag := rpc.LatestBlockNumber
	if pending {
		tag = rpc.PendingBlockNumber
	}
	var n hexutil.Uint64
	if err := ep.call(ctx, &n, "eth_getTransactionCount", addr, tag); err != nil {
		return 0, err
	}
	return uint64(n), nil
}

// receipt returns the receipt of a mined transaction, or nil when the
// endpoint knows no receipt for it.
func (ep *endpoint) receipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	cctx, cancel := context.WithTimeout(ctx, ep.timeout)
	defer cancel()
	r, err := ep.eth.TransactionReceipt(cctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, ep.readError(ctx, "eth_getTransactionReceipt", err)
	}
	return r, nil
}

// knows reports whether the endpoint knows the transaction (in its pool or
// mined).
func (ep *endpoint) knows(ctx context.Context, hash common.Hash) (bool, error) {
	var raw json.RawMessage
	if err := ep.call(ctx, &raw, "eth_getTransactionByHash", hash); err != nil {
		return false, err
	}
	return !isNull(raw), nil
}

// Outcomes of a send that the node answered with a known refusal. They are
// decided here, at the edge, from the node's message: the only place where
// this package reads error text, because geth, GoQuorum and Besu give these
// refusals no distinct codes.
var (
	errAlreadyKnown           = errors.New("transaction already known")
	errNonceTooLow            = errors.New("nonce too low")
	errReplacementUnderpriced = errors.New("replacement transaction underpriced")
	errRefused                = errors.New("transaction refused by the node")
)

// classifyRefusal maps a node's refusal message to one of the sentinels
// above (geth/GoQuorum "already known", "nonce too low", "replacement
// transaction underpriced"; Besu "Known transaction", "Nonce too low",
// "Replacement transaction underpriced"), or errRefused.
func classifyRefusal(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "already known"), strings.Contains(m, "known transaction"), strings.Contains(m, "already imported"):
		return errAlreadyKnown
	case strings.Contains(m, "nonce too low"), strings.Contains(m, "nonce is too low"):
		return errNonceTooLow
	case strings.Contains(m, "replacement") && strings.Contains(m, "underpriced"):
		return errReplacementUnderpriced
	}
	return errRefused
}

// send submits a signed transaction. It returns nil when the node accepted
// it, errAlreadyKnown, errNonceTooLow or errReplacementUnderpriced for those
// refusals, an error wrapping errRefused for any other refusal (the node
// answered; the transaction is not in its pool), an error wrapping
// relayer.ErrUnavailable when nothing was sent, and any other error when the
// transaction may have reached the node.
func (ep *endpoint) send(ctx context.Context, tx *types.Transaction) error {
	raw, err := tx.MarshalBinary()
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, ep.timeout)
	defer cancel()
	err = ep.rpc.CallContext(cctx, nil, "eth_sendRawTransaction", hexutil.Bytes(raw))
	if err == nil {
		return nil
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		return fmt.Errorf("endpoint %s: %w: %s", ep.name, classifyRefusal(rpcErr.Error()), rpcErr.Error())
	}
	if notSent(err) && ctx.Err() == nil {
		return fmt.Errorf("%w: endpoint %s: eth_sendRawTransaction not sent: %w", relayer.ErrUnavailable, ep.name, err)
	}
	return fmt.Errorf("endpoint %s: eth_sendRawTransaction %s failed after it may have reached the node: %w", ep.name, tx.Hash().Hex(), err)
}

// HeaderReader reads one block header as an endpoint serves it. It is the
// seam through which the prover fetches consensus headers, so that tests
// and instrumentation can wrap it (Options.WrapHeaders).
type HeaderReader interface {
	// HeaderByNumber returns the header at n (a height, or a tag such as
	// rpc.LatestBlockNumber) and the hash the endpoint claims for it, which
	// is not checked. A block the endpoint does not have is an error
	// wrapping relayer.ErrUnavailable.
	HeaderByNumber(ctx context.Context, n rpc.BlockNumber) (*types.Header, common.Hash, error)
}

// rpcHeaders reads headers with eth_getBlockByNumber.
type rpcHeaders struct{ ep *endpoint }

// HeaderByNumber implements HeaderReader.
func (r rpcHeaders) HeaderByNumber(ctx context.Context, n rpc.BlockNumber) (*types.Header, common.Hash, error) {
	var raw json.RawMessage
	if err := r.ep.call(ctx, &raw, "eth_getBlockByNumber", n, false); err != nil {
		return nil, common.Hash{}, err
	}
	if isNull(raw) {
		return nil, common.Hash{}, fmt.Errorf("%w: endpoint %s does not have block %v yet", relayer.ErrUnavailable, r.ep.name, n)
	}
	h, hash, err := ethheader.DecodeRPCHeader(raw)
	if err != nil {
		return nil, common.Hash{}, fmt.Errorf("endpoint %s: block %v: %w", r.ep.name, n, err)
	}
	if n >= 0 && h.Number.Uint64() != uint64(n) {
		return nil, common.Hash{}, fmt.Errorf("endpoint %s: asked for block %d, got %d", r.ep.name, n, h.Number)
	}
	return h, hash, nil
}
