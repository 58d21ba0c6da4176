package main

import (
	"context"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/liaison-gw/liaison/config"
)

// balanceReader is a connected chain that can tell its signer's balance,
// in a denomination's base units, with the denomination ("wei" on EVM
// chains, the fee denomination on Cosmos chains).
type balanceReader interface {
	SignerBalance(ctx context.Context) (amount *big.Int, denom string, err error)
}

// balanceEvery is how often the signers' balances are read.
const balanceEvery = 30 * time.Second

// Balance states, exported as liaison_signer_balance_state{state=...}.
const (
	balanceOK       = "ok"
	balanceWarning  = "warning"
	balanceCritical = "critical"
	balanceUnknown  = "unknown" // not read yet, or the last read failed
)

var balanceStates = []string{balanceOK, balanceWarning, balanceCritical, balanceUnknown}

// signerBalances watches the balance of the signer of every destination
// chain that has one, and exports it with its state against the
// configured thresholds: liaison_signer_balance (ether on EVM chains, the
// fee denomination's base units on Cosmos chains, named by its denom
// label) and liaison_signer_balance_state (1 for the chain's current
// state).
type signerBalances struct {
	log    *slog.Logger
	chains []*watchedBalance
}

type watchedBalance struct {
	name           string
	r              balanceReader
	warn, critical *big.Int // nil: no threshold

	mu      sync.Mutex
	coins   float64
	denom   string // the unit of coins: "ether", or a Cosmos denomination
	known   bool   // coins was read at least once
	state   string
	lastErr string
}

// newSignerBalances registers the gauges for the destination chains of
// cfg whose connection can read a balance.
func newSignerBalances(m metric.Meter, cfg *config.Config, ledgers map[string]ledger, log *slog.Logger) (*signerBalances, error) {
	w := &signerBalances{log: log}
	dest := map[string]bool{}
	for _, r := range cfg.Routes {
		dest[r.Destination.Chain] = true
	}
	for _, ch := range cfg.Chains {
		br, ok := ledgers[ch.Name].(balanceReader)
		if !ok || !dest[ch.Name] {
			continue
		}
		wb := &watchedBalance{name: ch.Name, r: br, state: balanceUnknown}
		// Thresholds were validated by config: errors here cannot happen.
		switch {
		case ch.EVM != nil && !ch.EVM.Signer.Key.IsZero():
			if s := ch.EVM.Signer.BalanceWarning; s != "" {
				wb.warn, _ = config.Wei(s)
			}
			if s := ch.EVM.Signer.BalanceCritical; s != "" {
				wb.critical, _ = config.Wei(s)
			}
		case ch.Cosmos != nil && ch.Cosmos.Account.GasPrice != "":
			if s := ch.Cosmos.Account.BalanceWarning; s != "" {
				wb.warn, _ = config.BaseUnits(s)
			}
			if s := ch.Cosmos.Account.BalanceCritical; s != "" {
				wb.critical, _ = config.BaseUnits(s)
			}
		default:
			continue // no signer, or one that pays no fees
		}
		w.chains = append(w.chains, wb)
	}
	sort.Slice(w.chains, func(i, j int) bool { return w.chains[i].name < w.chains[j].name })
	bal, err := m.Float64ObservableGauge("liaison.signer.balance", metric.WithDescription(
		"Balance of the relayer's signing account on a destination chain, as last read, in the unit its denom label names "+
			"(ether on EVM chains; the fee denomination's base units on Cosmos chains)."))
	if err != nil {
		return nil, err
	}
	state, err := m.Int64ObservableGauge("liaison.signer.balance_state", metric.WithDescription(
		"1 for the signer balance's current state on the chain (ok, warning, critical against the configured thresholds; "+
			"unknown before the first read or after a failed one), 0 for the others."))
	if err != nil {
		return nil, err
	}
	_, err = m.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		for _, c := range w.chains {
			c.mu.Lock()
			coins, denom, known, st := c.coins, c.denom, c.known, c.state
			c.mu.Unlock()
			chain := attribute.String("chain", c.name)
			if known {
				o.ObserveFloat64(bal, coins, metric.WithAttributes(chain, attribute.String("denom", denom)))
			}
			for _, s := range balanceStates {
				v := int64(0)
				if s == st {
					v = 1
				}
				o.ObserveInt64(state, v, metric.WithAttributes(chain, attribute.String("state", s)))
			}
		}
		return nil
	}, bal, state)
	return w, err
}

// run reads every balance at once and then every balanceEvery until ctx
// ends.
func (w *signerBalances) run(ctx context.Context) {
	if len(w.chains) == 0 {
		return
	}
	t := time.NewTicker(balanceEvery)
	defer t.Stop()
	for {
		for _, c := range w.chains {
			w.read(ctx, c)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

var weiPerCoin = new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))

func (w *signerBalances) read(ctx context.Context, c *watchedBalance) {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	amount, denom, err := c.r.SignerBalance(rctx)
	if ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if c.lastErr != err.Error() {
			w.log.Warn("cannot read the signer's balance", "chain", c.name, "err", err)
		}
		c.state, c.lastErr = balanceUnknown, err.Error()
		return
	}
	c.lastErr = ""
	if denom == "wei" {
		c.coins, _ = new(big.Float).Quo(new(big.Float).SetInt(amount), weiPerCoin).Float64()
		c.denom = "ether"
	} else {
		c.coins, _ = new(big.Float).SetInt(amount).Float64()
		c.denom = denom
	}
	c.known = true
	st := balanceOK
	switch {
	case c.critical != nil && amount.Cmp(c.critical) < 0:
		st = balanceCritical
	case c.warn != nil && amount.Cmp(c.warn) < 0:
		st = balanceWarning
	}
	if st != c.state && st != balanceOK {
		w.log.Warn("the signer's balance is low", "chain", c.name, "state", st, "balance", c.coins, "denom", c.denom)
	}
	c.state = st
}
