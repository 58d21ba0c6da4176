package cosmos

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	"github.com/cometbft/cometbft/light/provider"
	lighthttp "github.com/cometbft/cometbft/light/provider/http"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	cmttypes "github.com/cometbft/cometbft/types"
	commitmenttypes "github.com/cosmos/ibc-go/v10/modules/core/23-commitment/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// endpoint is one full node: its CometBFT RPC and its gRPC server. Every
// method bounds its call by timeout and translates transport failures into
// relayer.ErrUnavailable (rpcError, grpcError); the callers above never look
// at foreign error types or texts.
type endpoint struct {
	name    string // RPC URL with credentials redacted
	rpc     *rpchttp.HTTP
	lb      provider.Provider
	conn    *grpc.ClientConn
	timeout time.Duration
	// state is what the prover reads: this endpoint's RPC, or a test's
	// fake.
	state stateReader
}

// stateReader is what the prover and the bootstrap read from one node:
// light blocks and store values with proofs.
type stateReader interface {
	// latestHeight returns the node's latest committed height.
	latestHeight(ctx context.Context) (uint64, error)
	// blockHash returns the hash of the block at height h.
	blockHash(ctx context.Context, h uint64) ([]byte, error)
	// lightBlock returns the signed header at height h with its validator
	// set and, when it differs, the next validator set. A height the node
	// does not have yet is ErrUnavailable.
	lightBlock(ctx context.Context, h uint64) (*lightBlock, error)
	// storeProof reads key from the named store at store version v with
	// an ICS-23 proof (a serialized MerkleProof). An absent key returns a
	// nil value.
	storeProof(ctx context.Context, store string, key []byte, v uint64) (value, proof []byte, err error)
}

// lightBlock is a light block with the header fields the prover needs.
type lightBlock struct {
	tm     tendermint.LightBlock
	height uint64
	hash   []byte
	parent []byte // LastBlockID.Hash
	time   time.Time
}

// newLightBlock converts CometBFT's light block, and the next validator set
// when the header says it differs, into the protobuf form
// proofs/tendermint reads.
func newLightBlock(lb *cmttypes.LightBlock, next *cmttypes.ValidatorSet) (*lightBlock, error) {
	sh, err := lb.SignedHeader.ToProto().Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode signed header %d: %w", lb.Height, err)
	}
	vs, err := encodeValSet(lb.ValidatorSet)
	if err != nil {
		return nil, fmt.Errorf("encode validator set %d: %w", lb.Height, err)
	}
	out := &lightBlock{
		tm:     tendermint.LightBlock{SignedHeader: sh, ValidatorSet: vs},
		height: uint64(lb.Height),
		hash:   lb.Hash(),
		parent: lb.LastBlockID.Hash,
		time:   lb.Time,
	}
	if next != nil {
		if out.tm.NextValidatorSet, err = encodeValSet(next); err != nil {
			return nil, fmt.Errorf("encode next validator set %d: %w", lb.Height, err)
		}
	}
	return out, nil
}

// encodeValSet encodes a validator set in the normalized form bundles
// carry: each validator's address, key and power, the total power, and no
// proposer or proposer priorities, which no hash or signature covers (so a
// bundle has one encoding; the verifier refuses others).
func encodeValSet(vs *cmttypes.ValidatorSet) ([]byte, error) {
	pb := cmtproto.ValidatorSet{Validators: make([]*cmtproto.Validator, len(vs.Validators)), TotalVotingPower: vs.TotalVotingPower()}
	for i, v := range vs.Validators {
		pk, err := cryptoenc.PubKeyToProto(v.PubKey)
		if err != nil {
			return nil, err
		}
		pb.Validators[i] = &cmtproto.Validator{Address: v.Address, PubKey: pk, VotingPower: v.VotingPower}
	}
	return pb.Marshal()
}

// checkNormalized refuses an encoded validator set with a proposer or a
// proposer priority (see encodeValSet).
func checkNormalized(raw []byte) error {
	if len(raw) > tendermint.MaxValidatorSetSize {
		return fmt.Errorf("validator set of %d bytes", len(raw))
	}
	var pb cmtproto.ValidatorSet
	if err := pb.Unmarshal(raw); err != nil {
		return err
	}
	if pb.Proposer != nil {
		return errors.New("validator set names a proposer")
	}
	for i, v := range pb.Validators {
		if v != nil && v.ProposerPriority != 0 {
			return fmt.Errorf("validator %d has a proposer priority", i)
		}
	}
	return nil
}

// dialEndpoint connects one node. gRPC connects lazily; the first query
// (NewChain's chain name check) reaches it.
func dialEndpoint(n config.CosmosNode, chainID string, timeout time.Duration) (*endpoint, error) {
	name := config.RedactURL(n.RPC)
	rc, err := rpchttp.New(n.RPC, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", name, err)
	}
	creds := insecure.NewCredentials()
	if n.GRPCTLS {
		creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
	}
	conn, err := grpc.NewClient(n.GRPC, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, fmt.Errorf("node %s: gRPC %s: %w", name, n.GRPC, err)
	}
	ep := &endpoint{name: name, rpc: rc, lb: lighthttp.NewWithClient(chainID, rc), conn: conn, timeout: timeout}
	ep.state = rpcState{ep}
	return ep, nil
}

func (ep *endpoint) close() {
	if ep.conn != nil {
		ep.conn.Close()
	}
}

// bound returns ctx limited by the endpoint's timeout.
func (ep *endpoint) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, ep.timeout)
}

// rpcError translates the failure of an RPC read. A read has no effect, so
// failing to talk to the node, or a node that answers "not yet" (a height
// it does not have, a store version that is being written), is
// ErrUnavailable; any other answer is returned as it is, named.
func (ep *endpoint) rpcError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("node %s: %s: %w", ep.name, op, ctx.Err())
	}
	var re *rpctypes.RPCError
	if errors.As(err, &re) && !notYet(re.Data+" "+re.Message) {
		return fmt.Errorf("node %s: %s: %w", ep.name, op, err)
	}
	return fmt.Errorf("%w: node %s: %s: %w", relayer.ErrUnavailable, ep.name, op, err)
}

// notYet reports node answers that mean "ask again later": a height above
// the node's, or a store version that is being committed (the SDK's
// "version does not exist" right after a block).
func notYet(msg string) bool {
	for _, s := range []string{"must be less than or equal to", "version does not exist", "height requested is too high", "could not find results for height"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// grpcError translates a failed gRPC call. NotFound is left to callers
// (errors.Is(err, errNotFound)).
func (ep *endpoint) grpcError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("node %s: %s: %w", ep.name, op, ctx.Err())
	}
	st, _ := status.FromError(err)
	switch st.Code() {
	case codes.NotFound:
		return fmt.Errorf("node %s: %s: %w: %s", ep.name, op, errNotFound, st.Message())
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted, codes.Canceled:
		return fmt.Errorf("%w: node %s: %s: %w", relayer.ErrUnavailable, ep.name, op, err)
	}
	if notYet(st.Message()) {
		return fmt.Errorf("%w: node %s: %s: %w", relayer.ErrUnavailable, ep.name, op, err)
	}
	return fmt.Errorf("node %s: %s: %w", ep.name, op, err)
}

// errNotFound marks a gRPC NotFound answer.
var errNotFound = errors.New("not found")

// invoke calls a gRPC method of the node with gogoproto messages (or
// rawMsg). height > 0 asks for the state at that height.
func (ep *endpoint) invoke(ctx context.Context, method string, req, resp any, height uint64) error {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	if height > 0 {
		cctx = metadata.AppendToOutgoingContext(cctx, "x-cosmos-block-height", strconv.FormatUint(height, 10))
	}
	if err := ep.conn.Invoke(cctx, method, req, resp, grpc.ForceCodec(gogoCodec{})); err != nil {
		return ep.grpcError(ctx, method, err)
	}
	return nil
}

// status returns the node's chain id and latest height.
func (ep *endpoint) status(ctx context.Context) (string, uint64, error) {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	st, err := ep.rpc.Status(cctx)
	if err != nil {
		return "", 0, ep.rpcError(ctx, "status", err)
	}
	if st.SyncInfo.LatestBlockHeight <= 0 {
		return "", 0, fmt.Errorf("%w: node %s has no blocks yet", relayer.ErrUnavailable, ep.name)
	}
	return st.NodeInfo.Network, uint64(st.SyncInfo.LatestBlockHeight), nil
}

// headerHash returns the hash of the block at height h.
func (ep *endpoint) headerHash(ctx context.Context, h uint64) ([]byte, error) {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	hh := int64(h)
	res, err := ep.rpc.Header(cctx, &hh)
	if err != nil {
		return nil, ep.rpcError(ctx, fmt.Sprintf("header %d", h), err)
	}
	if res.Header == nil || res.Header.Height != hh {
		return nil, fmt.Errorf("node %s: header %d: the node answered another height", ep.name, h)
	}
	return res.Header.Hash(), nil
}

// query runs an ABCI query of path at store version v (0: latest).
func (ep *endpoint) query(ctx context.Context, path string, data []byte, v uint64, prove bool) (*abci.ResponseQuery, error) {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	res, err := ep.rpc.ABCIQueryWithOptions(cctx, path, data, rpcclient.ABCIQueryOptions{Height: int64(v), Prove: prove})
	if err != nil {
		return nil, ep.rpcError(ctx, "abci_query "+path, err)
	}
	r := &res.Response
	if r.Code != 0 {
		err := fmt.Errorf("node %s: abci_query %s at %d: code %d (%s): %s", ep.name, path, v, r.Code, r.Codespace, r.Log)
		if notYet(r.Log) {
			return nil, fmt.Errorf("%w: %w", relayer.ErrUnavailable, err)
		}
		return nil, err
	}
	if v > 0 && r.Height != int64(v) {
		return nil, fmt.Errorf("node %s: abci_query %s: asked for version %d, the node answered %d", ep.name, path, v, r.Height)
	}
	return r, nil
}

// storeValue reads key from the named store at version v without a proof;
// nil when absent.
func (ep *endpoint) storeValue(ctx context.Context, store string, key []byte, v uint64) ([]byte, error) {
	r, err := ep.query(ctx, "store/"+store+"/key", key, v, false)
	if err != nil {
		return nil, err
	}
	return r.Value, nil
}

// block returns the time of block h, its transactions and their results.
func (ep *endpoint) block(ctx context.Context, h uint64) (time.Time, []cmttypes.Tx, []*abci.ExecTxResult, error) {
	hh := int64(h)
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	b, err := ep.rpc.Block(cctx, &hh)
	if err != nil {
		return time.Time{}, nil, nil, ep.rpcError(ctx, fmt.Sprintf("block %d", h), err)
	}
	res, err := ep.rpc.BlockResults(cctx, &hh)
	if err != nil {
		return time.Time{}, nil, nil, ep.rpcError(ctx, fmt.Sprintf("block_results %d", h), err)
	}
	if b.Block == nil || len(b.Block.Txs) != len(res.TxsResults) {
		return time.Time{}, nil, nil, fmt.Errorf("node %s: block %d: transactions and results do not line up", ep.name, h)
	}
	var at time.Time
	if !b.Block.Time.IsZero() {
		at = b.Block.Time.UTC()
	}
	return at, b.Block.Txs, res.TxsResults, nil
}

// tx returns the committed transaction with the given hash, or nil when the
// node knows no such transaction (yet).
func (ep *endpoint) tx(ctx context.Context, hash []byte) (*coretypes.ResultTx, error) {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	res, err := ep.rpc.Tx(cctx, hash, false)
	if err != nil {
		var re *rpctypes.RPCError
		if errors.As(err, &re) && strings.Contains(re.Data+re.Message, "not found") {
			return nil, nil
		}
		return nil, ep.rpcError(ctx, fmt.Sprintf("tx %X", hash), err)
	}
	return res, nil
}

// broadcast hands a signed transaction to the node's mempool and returns
// the CheckTx result. A failure that certainly did not reach the node is
// ErrUnavailable; any other failure may have delivered it.
func (ep *endpoint) broadcast(ctx context.Context, tx []byte) (*coretypes.ResultBroadcastTx, error) {
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	res, err := ep.rpc.BroadcastTxSync(cctx, tx)
	if err != nil {
		if notSent(err) {
			return nil, fmt.Errorf("%w: node %s: broadcast_tx_sync: %w", relayer.ErrUnavailable, ep.name, err)
		}
		return nil, fmt.Errorf("node %s: broadcast_tx_sync (the transaction may have reached the node): %w", ep.name, err)
	}
	return res, nil
}

// notSent reports whether a failed call certainly did not reach the node:
// the connection was never made.
func notSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// rpcState is the stateReader of a node's RPC.
type rpcState struct{ ep *endpoint }

func (s rpcState) latestHeight(ctx context.Context) (uint64, error) {
	_, h, err := s.ep.status(ctx)
	return h, err
}

func (s rpcState) blockHash(ctx context.Context, h uint64) ([]byte, error) {
	return s.ep.headerHash(ctx, h)
}

func (s rpcState) lightBlock(ctx context.Context, h uint64) (*lightBlock, error) {
	ep := s.ep
	cctx, cancel := ep.bound(ctx)
	defer cancel()
	lb, err := ep.lb.LightBlock(cctx, int64(h))
	if err != nil {
		var bad provider.ErrBadLightBlock
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("node %s: light block %d: %w", ep.name, h, ctx.Err())
		case errors.Is(err, provider.ErrHeightTooHigh), errors.Is(err, provider.ErrNoResponse):
			return nil, fmt.Errorf("%w: node %s: light block %d: %w", relayer.ErrUnavailable, ep.name, h, err)
		case errors.Is(err, provider.ErrLightBlockNotFound):
			return nil, fmt.Errorf("node %s: light block %d is not available (pruned?): %w", ep.name, h, err)
		case errors.As(err, &bad):
			return nil, fmt.Errorf("node %s: light block %d: %w", ep.name, h, err)
		}
		return nil, ep.rpcError(ctx, fmt.Sprintf("light block %d", h), err)
	}
	var next *cmttypes.ValidatorSet
	if string(lb.NextValidatorsHash) != string(lb.ValidatorsHash) {
		if next, err = s.validators(ctx, h+1); err != nil {
			return nil, err
		}
	}
	return newLightBlock(lb, next)
}

// validators reads the whole validator set of height h, page by page.
func (s rpcState) validators(ctx context.Context, h uint64) (*cmttypes.ValidatorSet, error) {
	ep := s.ep
	hh := int64(h)
	perPage := 100
	var vals []*cmttypes.Validator
	for page := 1; page <= tendermint.MaxValidators/perPage; page++ {
		cctx, cancel := ep.bound(ctx)
		res, err := ep.rpc.Validators(cctx, &hh, &page, &perPage)
		cancel()
		if err != nil {
			return nil, ep.rpcError(ctx, fmt.Sprintf("validators %d", h), err)
		}
		if len(res.Validators) == 0 {
			return nil, fmt.Errorf("node %s: validators %d: empty page %d", ep.name, h, page)
		}
		vals = append(vals, res.Validators...)
		if len(vals) >= res.Total {
			break
		}
	}
	vs, err := cmttypes.ValidatorSetFromExistingValidators(vals)
	if err != nil {
		return nil, fmt.Errorf("node %s: validators %d: %w", ep.name, h, err)
	}
	return vs, nil
}

func (s rpcState) storeProof(ctx context.Context, store string, key []byte, v uint64) ([]byte, []byte, error) {
	ep := s.ep
	r, err := ep.query(ctx, "store/"+store+"/key", key, v, true)
	if err != nil {
		return nil, nil, err
	}
	if len(r.Value) == 0 {
		return nil, nil, nil
	}
	mp, err := commitmenttypes.ConvertProofs(r.ProofOps)
	if err != nil {
		return nil, nil, fmt.Errorf("node %s: proof of %s/%x at %d: %w", ep.name, store, key, v, err)
	}
	proof, err := mp.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("node %s: proof of %s/%x at %d: %w", ep.name, store, key, v, err)
	}
	return r.Value, proof, nil
}

// gogoCodec makes gRPC encode gogoproto messages (and rawMsg) with their
// own Marshal and Unmarshal, as the Cosmos SDK's clients do.
type gogoCodec struct{}

func (gogoCodec) Name() string { return "proto" }

func (gogoCodec) Marshal(v any) ([]byte, error) {
	m, ok := v.(interface{ Marshal() ([]byte, error) })
	if !ok {
		return nil, fmt.Errorf("cosmos: cannot encode %T", v)
	}
	return m.Marshal()
}

func (gogoCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(interface{ Unmarshal([]byte) error })
	if !ok {
		return fmt.Errorf("cosmos: cannot decode into %T", v)
	}
	return m.Unmarshal(data)
}

// rawMsg is a message this package encodes and decodes itself (the records
// module's, whose Go types live in the module's own Go module).
type rawMsg struct{ b []byte }

func (m *rawMsg) Marshal() ([]byte, error) { return m.b, nil }

func (m *rawMsg) Unmarshal(b []byte) error {
	m.b = append(m.b[:0], b...)
	return nil
}
