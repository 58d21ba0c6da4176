package cosmos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/proofs/tendermint"
	"github.com/liaison-gw/liaison/relayer"
)

// Options configure a Chain. The zero value is valid.
type Options struct {
	// Logger receives the adapter's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock for the light client's "now", packet timeouts,
	// solomachine timestamps and Evidence.ProvenAt; nil means time.Now.
	Now func() time.Time
	// OnTrustExpiring, when set, is called besides the warning log each
	// time the chain notices that its latest trusted state expires within
	// trust.expiry_warning (at most once a minute), for example to set a
	// metric. It must not block.
	OnTrustExpiring func(chain relayer.ChainID, expiresAt time.Time)
}

// Chain is one connected Cosmos SDK chain that runs the records module. It
// hands out the relayer's role objects for the chain. Its methods are safe
// for concurrent use.
type Chain struct {
	name   relayer.ChainID
	cfg    config.Cosmos
	params tendermint.Params
	eps    []*endpoint
	log    *slog.Logger
	now    func() time.Time
	onExp  func(relayer.ChainID, time.Time)

	failover relayer.Failover      // which endpoint answered last
	halt     atomic.Pointer[error] // set once misbehaviour was detected

	mu        sync.Mutex // guards latest, warnedAt
	latest    *tendermint.TrustedState
	warnedAt  time.Time
	submitter *submitter // nil until Destination is first called; guarded by mu
}

// NewChain connects every node of cfg and checks that each reports
// cfg.ChainID over RPC and that the records module's chain_name parameter
// is name over gRPC. name is the agreed chain name that record IDs hash
// (not the CometBFT chain id).
//
// An unreachable node is an error wrapping relayer.ErrUnavailable; a wrong
// chain id or name, or a bad setting, is a plain error. Messages name the
// node with credentials redacted.
func NewChain(ctx context.Context, name relayer.ChainID, cfg config.Cosmos, opts Options) (*Chain, error) {
	cfg.ApplyDefaults()
	c := &Chain{name: name, cfg: cfg, log: opts.Logger, now: opts.Now, onExp: opts.OnTrustExpiring}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case name == "":
		return nil, errors.New("chain name is empty")
	case len(cfg.Nodes) == 0:
		return nil, errors.New("nodes: at least one node is required")
	case cfg.ChainID == "":
		return nil, errors.New("chain_id is required")
	}
	num, den, err := config.ParseTrustLevel(cfg.Trust.TrustLevel)
	if err != nil {
		return nil, fmt.Errorf("trust.trust_level: %w", err)
	}
	c.params = tendermint.Params{
		TrustingPeriod: cfg.Trust.TrustingPeriod,
		TrustLevel:     tendermint.TrustLevel{Numerator: num, Denominator: den},
		MaxClockDrift:  cfg.Trust.MaxClockDrift,
	}
	if err := c.params.Validate(); err != nil {
		return nil, fmt.Errorf("trust: %w", err)
	}
	for _, n := range cfg.Nodes {
		ep, err := dialEndpoint(n, cfg.ChainID, cfg.Timeout)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.eps = append(c.eps, ep)
		if err := c.checkNode(ctx, ep); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// checkNode checks the node's chain id and the module's chain name.
func (c *Chain) checkNode(ctx context.Context, ep *endpoint) error {
	id, _, err := ep.status(ctx)
	if err != nil {
		return err
	}
	if id != c.cfg.ChainID {
		return fmt.Errorf("node %s reports chain id %q, but chain %s is configured with chain_id %q", ep.name, id, c.name, c.cfg.ChainID)
	}
	var resp rawMsg
	if err := ep.invoke(ctx, queryService+"Params", &rawMsg{}, &resp, 0); err != nil {
		if strings.Contains(err.Error(), "unknown service") || strings.Contains(err.Error(), "Unimplemented") {
			return fmt.Errorf("node %s does not serve liaison.records.v1.Query: is the records module installed? (%w)", ep.name, err)
		}
		return err
	}
	chainName, err := decodeChainName(resp.b)
	if err != nil {
		return fmt.Errorf("node %s: %w", ep.name, err)
	}
	if chainName != string(c.name) {
		return fmt.Errorf("node %s: the records module's chain_name is %q, but the chain is configured as %q: "+
			"record IDs hash the chain name, so it must be the same everywhere", ep.name, chainName, c.name)
	}
	return nil
}

// Name returns the agreed chain name.
func (c *Chain) Name() relayer.ChainID { return c.name }

// Close closes every node connection. Calls in flight fail; the role
// objects must not be used afterwards.
func (c *Chain) Close() {
	for _, ep := range c.eps {
		ep.close()
	}
}

// do runs fn on the endpoints in the order relayer.Failover gives: the one
// that answered last first, the next only when fn fails with
// relayer.ErrUnavailable (so fn must not have taken effect then).
func (c *Chain) do(ctx context.Context, fn func(ctx context.Context, ep *endpoint) error) error {
	return c.failover.Do(ctx, len(c.eps), "nodes", func(ctx context.Context, i int) error { return fn(ctx, c.eps[i]) })
}

// halted returns the misbehaviour that stopped the chain, or nil.
func (c *Chain) halted() error {
	if p := c.halt.Load(); p != nil {
		return *p
	}
	return nil
}

// stop halts the chain for this process: every later Poll and Prove fails
// with err.
func (c *Chain) stop(err error) error {
	c.halt.CompareAndSwap(nil, &err)
	c.log.Error("misbehaviour detected: the chain is halted", "chain", c.name, "err", err)
	return c.halted()
}

// noteTrusted remembers the highest trusted state seen and warns when it
// is about to expire.
func (c *Chain) noteTrusted(st tendermint.TrustedState) {
	c.mu.Lock()
	if c.latest == nil || st.Height > c.latest.Height {
		s := st
		c.latest = &s
	}
	c.mu.Unlock()
	c.checkExpiry()
}

// checkExpiry warns (at most once a minute) when the latest trusted state
// expires within the configured warning period.
func (c *Chain) checkExpiry() {
	now := c.now()
	c.mu.Lock()
	if c.latest == nil || now.Sub(c.warnedAt) < time.Minute {
		c.mu.Unlock()
		return
	}
	exp := tendermint.ExpiresAt(*c.latest)
	height := c.latest.Height
	if exp.Sub(now) > c.cfg.Trust.ExpiryWarning {
		c.mu.Unlock()
		return
	}
	c.warnedAt = now
	c.mu.Unlock()
	if !exp.After(now) {
		c.log.Error("the trusted header has expired: nothing from this chain can be verified until it is re-anchored "+
			"(set trust.height and trust.hash to a recent block and restart)",
			"chain", c.name, "trusted_height", height, "expired_at", exp)
	} else {
		c.log.Warn("the trusted header expires soon; it moves forward with every proven record, "+
			"or re-anchor with a recent trust.height and trust.hash",
			"chain", c.name, "trusted_height", height, "expires_at", exp, "in", exp.Sub(now).Round(time.Second))
	}
	if c.onExp != nil {
		c.onExp(c.name, exp)
	}
}

// Source returns the source of the records the module publishes that
// match sel, starting at the configured start sequence when the engine
// holds no cursor. When gateway.client_id is set, only records sent on that
// client are read.
func (c *Chain) Source(sel config.Selector) relayer.Source {
	return &source{c: c, sel: sel, start: c.cfg.StartSequence}
}

// Prover returns the chain's prover. It also implements
// relayer.TrustBootstrapper.
func (c *Chain) Prover() relayer.Prover { return &prover{c: c} }

// Verifier returns the pure verifier of this chain's evidence, pinned to
// the chain's name and CometBFT chain id.
func (c *Chain) Verifier() relayer.Verifier {
	return NewVerifier(WithChain(c.name), WithChainID(c.cfg.ChainID))
}
