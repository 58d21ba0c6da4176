package evm

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/liaison-gw/liaison/adapters/evm/contracts"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// Trust schemes: the Evidence.TrustModel and Anchor.Scheme of each mode.
const (
	SchemeQBFT        = "qbft"
	SchemeIBFT2       = "ibft2"
	SchemeRPCFinality = "rpc-finality" // config mode "finality"
)

// trustMode is the configured way headers of a chain are trusted.
type trustMode uint8

const (
	modeQBFT trustMode = iota + 1
	modeIBFT2
	modeFinality
)

func parseMode(s string) (trustMode, error) {
	switch s {
	case "qbft":
		return modeQBFT, nil
	case "ibft2":
		return modeIBFT2, nil
	case "finality":
		return modeFinality, nil
	}
	return 0, fmt.Errorf("trust.mode %q: use qbft, ibft2 or finality", s)
}

// scheme returns the evidence trust model and anchor scheme of the mode.
func (m trustMode) scheme() string {
	switch m {
	case modeQBFT:
		return SchemeQBFT
	case modeIBFT2:
		return SchemeIBFT2
	}
	return SchemeRPCFinality
}

// Options configure a Chain. The zero value is valid.
type Options struct {
	// Logger receives the adapter's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock for stuck-transaction and nonce-gap timing and for
	// Evidence.ProvenAt; nil means time.Now.
	Now func() time.Time
	// WrapHeaders, when set, wraps the header reader of each endpoint
	// (named as in error messages). The prover reads every consensus
	// header through it. Tests use it to re-seal simulated headers as QBFT
	// blocks; it can also add caching or instrumentation.
	WrapHeaders func(endpoint string, r HeaderReader) HeaderReader
	// OnTrustExpiring, when set, is called besides the warning log each
	// time a qbft or ibft2 chain notices that its latest trusted header
	// expires within trust.expiry_warning (at most once a minute), for
	// example to set a metric. It must not block.
	OnTrustExpiring func(chain relayer.ChainID, expiresAt time.Time)
}

// Chain is one connected EVM ledger: its endpoints, its trust mode and, when
// configured, the signing key of its Inbox attestor. It hands out the
// relayer's role objects for the chain. Its methods are safe for concurrent
// use.
type Chain struct {
	name    relayer.ChainID
	cfg     config.EVM
	mode    trustMode
	chainID *big.Int
	outbox  *common.Address // nil when not configured
	inbox   *common.Address
	key     *ecdsa.PrivateKey // nil without signer.key
	eps     []*endpoint
	log     *slog.Logger

	outboxABI *contracts.Outbox
	inboxABI  *contracts.Inbox
	now       func() time.Time

	failover relayer.Failover // which endpoint answered last

	mu      sync.Mutex         // guards senders
	senders map[string]*sender // by chain id and address, see senderFor

	expiry trustExpiry // the latest trusted header's expiry, for warnings
}

// NewChain dials every endpoint of cfg and checks that each reports
// cfg.ChainID. It resolves the signer key when one is configured, refusing
// a key file that group or others may read. name is the agreed chain name
// that record IDs hash (not the EVM chain id).
//
// An unreachable endpoint is an error wrapping relayer.ErrUnavailable; a
// wrong chain id, a bad key or a bad setting is a plain error. Every message
// names the endpoint with credentials redacted.
func NewChain(ctx context.Context, name relayer.ChainID, cfg config.EVM, opts Options) (*Chain, error) {
	c := &Chain{name: name, cfg: withDefaults(cfg), log: opts.Logger, now: opts.Now, senders: map[string]*sender{},
		outboxABI: contracts.NewOutbox(), inboxABI: contracts.NewInbox(), expiry: trustExpiry{notify: opts.OnTrustExpiring}}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.now == nil {
		c.now = time.Now
	}
	var err error
	if c.mode, err = parseMode(cfg.Trust.Mode); err != nil {
		return nil, err
	}
	switch {
	case name == "":
		return nil, errors.New("chain name is empty")
	case len(cfg.RPC) == 0:
		return nil, errors.New("rpc: at least one endpoint is required")
	case cfg.ChainID == 0:
		return nil, errors.New("chain_id is required")
	}
	c.chainID = new(big.Int).SetUint64(cfg.ChainID)
	if c.outbox, err = optionalAddress("outbox", cfg.Outbox); err != nil {
		return nil, err
	}
	if c.inbox, err = optionalAddress("inbox", cfg.Inbox); err != nil {
		return nil, err
	}
	if !cfg.Signer.Key.IsZero() {
		if c.key, err = loadKey(cfg.Signer.Key); err != nil {
			return nil, err
		}
	}
	for _, url := range cfg.RPC {
		ep, err := c.dial(ctx, url, opts.WrapHeaders)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.eps = append(c.eps, ep)
	}
	return c, nil
}

// withDefaults fills the zero settings of cfg with config's defaults, for
// configurations built in code rather than loaded.
func withDefaults(cfg config.EVM) config.EVM {
	if cfg.MaxBlockRange == 0 {
		cfg.MaxBlockRange = config.DefaultMaxBlockRange
	}
	if cfg.Gas.FallbackLimit == 0 {
		cfg.Gas.FallbackLimit = config.DefaultFallbackGas
	}
	if cfg.Gas.StuckAfter == 0 {
		cfg.Gas.StuckAfter = config.DefaultStuckAfter
	}
	if cfg.Gas.BumpPercent == 0 {
		cfg.Gas.BumpPercent = config.DefaultBumpPercent
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = config.DefaultRPCTimeout
	}
	cfg.Trust.ApplyDefaults()
	return cfg
}

func optionalAddress(field, s string) (*common.Address, error) {
	if s == "" {
		return nil, nil
	}
	if !common.IsHexAddress(s) {
		return nil, fmt.Errorf("%s: %q is not a 20-byte hex address", field, s)
	}
	a := common.HexToAddress(s)
	return &a, nil
}

// loadKey reads a hex secp256k1 key. Errors name the secret's source only.
func loadKey(s config.Secret) (*ecdsa.PrivateKey, error) {
	raw, err := s.Resolve()
	if err != nil {
		return nil, fmt.Errorf("signer.key: %w", err)
	}
	h := strings.TrimPrefix(strings.TrimPrefix(string(raw), "0x"), "0X")
	b, err := hex.DecodeString(h)
	for i := range raw {
		raw[i] = 0
	}
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("signer.key (%v): not a 32-byte hex secp256k1 key", s)
	}
	key, err := crypto.ToECDSA(b)
	for i := range b {
		b[i] = 0
	}
	if err != nil {
		return nil, fmt.Errorf("signer.key (%v): %w", s, err)
	}
	return key, nil
}

// dial connects one endpoint and checks its chain id.
func (c *Chain) dial(ctx context.Context, url string, wrap func(string, HeaderReader) HeaderReader) (*endpoint, error) {
	name := url
	if strings.Contains(url, "://") {
		name = config.RedactURL(url)
	}
	dctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	rc, err := rpc.DialContext(dctx, url)
	if err != nil {
		return nil, fmt.Errorf("%w: endpoint %s: dial: %w", relayer.ErrUnavailable, name, err)
	}
	ep := &endpoint{name: name, rpc: rc, eth: ethclient.NewClient(rc), timeout: c.cfg.Timeout}
	ep.headers = rpcHeaders{ep: ep}
	if wrap != nil {
		ep.headers = wrap(name, ep.headers)
	}
	id, err := ep.chainID(ctx)
	if err != nil {
		rc.Close()
		return nil, err
	}
	if id.Cmp(c.chainID) != 0 {
		rc.Close()
		return nil, fmt.Errorf("endpoint %s reports chain id %s, but chain %s is configured with chain_id %d", name, id, c.name, c.cfg.ChainID)
	}
	return ep, nil
}

// Name returns the agreed chain name.
func (c *Chain) Name() relayer.ChainID { return c.name }

// Close closes every endpoint. Calls in flight fail; the role objects must
// not be used afterwards.
func (c *Chain) Close() {
	for _, ep := range c.eps {
		ep.rpc.Close()
	}
}

// do runs fn on the endpoints in the order relayer.Failover gives: the one
// that answered last first, the next only when fn fails with
// relayer.ErrUnavailable (so fn must not have taken effect then).
func (c *Chain) do(ctx context.Context, fn func(ctx context.Context, ep *endpoint) error) error {
	return c.failover.Do(ctx, len(c.eps), "endpoints", func(ctx context.Context, i int) error { return fn(ctx, c.eps[i]) })
}

// finalHeight returns the highest block that the chain's trust mode treats
// as final, as ep sees it: the head on QBFT and IBFT 2.0 chains (a sealed
// block is final), the "finalized" block in finality mode with zero
// confirmations, and head − confirmations otherwise.
func (c *Chain) finalHeight(ctx context.Context, ep *endpoint) (uint64, error) {
	switch {
	case c.mode != modeFinality:
		return ep.blockNumber(ctx)
	case c.cfg.Trust.Confirmations == 0:
		ref, err := ep.block(ctx, rpc.FinalizedBlockNumber)
		if err != nil {
			return 0, err
		}
		return uint64(ref.Number), nil
	}
	head, err := ep.blockNumber(ctx)
	if err != nil {
		return 0, err
	}
	if head < c.cfg.Trust.Confirmations {
		return 0, nil
	}
	return head - c.cfg.Trust.Confirmations, nil
}

// Source returns the source of the records the Outbox publishes that match
// sel, starting at startBlock when the engine holds no cursor. Without a
// configured outbox, every Poll fails with relayer.ErrPermanent.
func (c *Chain) Source(sel config.Selector, startBlock uint64) relayer.Source {
	return &source{c: c, sel: sel, start: startBlock}
}

// Prover returns the chain's prover. It also implements
// relayer.TrustBootstrapper.
func (c *Chain) Prover() relayer.Prover {
	return &prover{c: c, maxHeaders: MaxConsensusHeaders}
}

// Verifier returns the pure verifier of this chain's evidence, pinned to
// the chain's name and, when configured, its Outbox.
func (c *Chain) Verifier() relayer.Verifier {
	opts := []VerifierOption{WithChain(c.name)}
	if c.outbox != nil {
		opts = append(opts, WithOutbox(*c.outbox))
	}
	return NewVerifier(opts...)
}

// Destination returns the Inbox attestor of this chain. It needs inbox and
// signer.key. The result also implements relayer.Preparer. Every
// destination of one Chain shares one nonce manager per signing address.
func (c *Chain) Destination() (relayer.Destination, error) {
	switch {
	case c.inbox == nil:
		return nil, fmt.Errorf("chain %s: delivering needs inbox in the configuration", c.name)
	case c.key == nil:
		return nil, fmt.Errorf("chain %s: delivering needs signer.key in the configuration", c.name)
	}
	return &destination{c: c, s: c.senderFor(c.key), inbox: *c.inbox}, nil
}

// senderFor returns the one nonce manager of key's address on this chain.
func (c *Chain) senderFor(key *ecdsa.PrivateKey) *sender {
	addr := crypto.PubkeyToAddress(key.PublicKey)
	id := c.chainID.String() + "/" + addr.Hex()
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.senders[id]; ok {
		return s
	}
	s := newSender(c, key)
	c.senders[id] = s
	return s
}
