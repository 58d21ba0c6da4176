package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/liaison-gw/liaison/adapters/cosmos"
	"github.com/liaison-gw/liaison/adapters/evm"
	"github.com/liaison-gw/liaison/adapters/fabric"
	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// ledger is what the wiring needs from a connected chain of any kind. Only
// this file knows the concrete adapters.
type ledger interface {
	Source(sel config.Selector) (relayer.Source, error)
	Prover() relayer.Prover
	Verifier() relayer.Verifier
	Destination() (relayer.Destination, error)
	Close()
}

// evmLedger adapts *evm.Chain to ledger.
type evmLedger struct {
	*evm.Chain
	start uint64
}

func (l evmLedger) Source(sel config.Selector) (relayer.Source, error) {
	return l.Chain.Source(sel, l.start), nil
}

// fabricLedger adapts *fabric.Chain to ledger.
type fabricLedger struct {
	*fabric.Chain
	start uint64
}

func (l fabricLedger) Source(sel config.Selector) (relayer.Source, error) {
	return l.Chain.Source(sel, l.start), nil
}

// cosmosLedger adapts *cosmos.Chain to ledger.
type cosmosLedger struct{ *cosmos.Chain }

func (l cosmosLedger) Source(sel config.Selector) (relayer.Source, error) {
	return l.Chain.Source(sel), nil
}

// kind is one ledger kind this build supports: how to dial a chain of it,
// and its pure verifier for `liaison evidence verify`. ledgerKinds is the
// only table from a configured kind to an adapter; nothing else in the
// binary switches on the kind.
type kind struct {
	config  config.Kind
	ledger  relayer.Ledger
	connect func(ctx context.Context, ch config.Chain, log *slog.Logger, expiry *trustExpiry) (ledger, error)
	// verifier is the offline verifier: it pins nothing but what the
	// anchor binds (chain, trust model, emitter).
	verifier func() relayer.Verifier
}

var ledgerKinds = []kind{
	{
		config: config.KindEVM, ledger: relayer.LedgerEVM, verifier: func() relayer.Verifier { return evm.NewVerifier() },
		connect: func(ctx context.Context, ch config.Chain, log *slog.Logger, expiry *trustExpiry) (ledger, error) {
			c, err := evm.NewChain(ctx, relayer.ChainID(ch.Name), *ch.EVM, evm.Options{Logger: log, OnTrustExpiring: expiry.set})
			if err != nil {
				return nil, err
			}
			return evmLedger{Chain: c, start: ch.EVM.StartBlock}, nil
		},
	},
	{
		config: config.KindFabric, ledger: relayer.LedgerFabric, verifier: func() relayer.Verifier { return fabric.NewVerifier() },
		connect: func(ctx context.Context, ch config.Chain, log *slog.Logger, _ *trustExpiry) (ledger, error) {
			c, err := fabric.NewChain(ctx, relayer.ChainID(ch.Name), *ch.Fabric, fabric.Options{Logger: log})
			if err != nil {
				return nil, err
			}
			return fabricLedger{Chain: c, start: ch.Fabric.StartBlock}, nil
		},
	},
	{
		config: config.KindCosmos, ledger: relayer.LedgerCosmos, verifier: func() relayer.Verifier { return cosmos.NewVerifier() },
		connect: func(ctx context.Context, ch config.Chain, log *slog.Logger, expiry *trustExpiry) (ledger, error) {
			c, err := cosmos.NewChain(ctx, relayer.ChainID(ch.Name), *ch.Cosmos, cosmos.Options{Logger: log, OnTrustExpiring: expiry.set})
			if err != nil {
				return nil, err
			}
			return cosmosLedger{Chain: c}, nil
		},
	},
}

// connect dials every chain a route uses. expiry receives the light
// clients' warnings that a trusted state is about to expire.
func connect(ctx context.Context, cfg *config.Config, log *slog.Logger, expiry *trustExpiry) (map[string]ledger, error) {
	used := map[string]bool{}
	for _, r := range cfg.Routes {
		used[r.Source.Chain], used[r.Destination.Chain] = true, true
	}
	out := map[string]ledger{}
	for _, ch := range cfg.Chains {
		if !used[ch.Name] {
			continue
		}
		i := slices.IndexFunc(ledgerKinds, func(k kind) bool { return k.config == ch.Kind })
		if i < 0 {
			closeAll(out)
			return nil, fmt.Errorf("chain %s: kind %s is not supported by this build", ch.Name, ch.Kind)
		}
		l, err := ledgerKinds[i].connect(ctx, ch, log.With("chain", ch.Name), expiry)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("chain %s: %w", ch.Name, err)
		}
		out[ch.Name] = l
	}
	return out, nil
}

func closeAll(ls map[string]ledger) {
	for _, l := range ls {
		l.Close()
	}
}

// buildRoutes turns the configured routes into engine routes.
func buildRoutes(cfg *config.Config, ls map[string]ledger) ([]relayer.Route, error) {
	var routes []relayer.Route
	var errs []error
	for i, r := range cfg.Routes {
		src, dst := ls[r.Source.Chain], ls[r.Destination.Chain]
		s, err := src.Source(r.Source.Selector)
		if err != nil {
			errs = append(errs, fmt.Errorf("routes[%d] (%s): source: %w", i, r.Name, err))
			continue
		}
		d, err := dst.Destination()
		if err != nil {
			errs = append(errs, fmt.Errorf("routes[%d] (%s): destination %s: %w", i, r.Name, r.Destination.Chain, err))
			continue
		}
		routes = append(routes, relayer.Route{
			Name: r.Name, SourceChain: relayer.ChainID(r.Source.Chain), DestChain: relayer.ChainID(r.Destination.Chain),
			Source: s, Prover: src.Prover(), Verifier: src.Verifier(), Destination: d,
			Policy: routePolicy(r),
		})
	}
	return routes, errors.Join(errs...)
}

func routePolicy(r config.Route) relayer.RoutePolicy {
	p := relayer.RoutePolicy{
		Parallelism: r.Parallelism, BatchSize: r.BatchSize,
		PollInterval: r.PollInterval, ConfirmInterval: r.ConfirmInterval,
		Retry: relayer.RetryPolicy{
			MaxAttempts: r.Retry.MaxAttempts, InitialBackoff: r.Retry.InitialBackoff, MaxBackoff: r.Retry.MaxBackoff,
		},
		AcceptTrust:   r.Proof.Accept,
		RatePerSecond: r.RateLimit.PerSecond, Burst: r.RateLimit.Burst,
		Batch: relayer.BatchPolicy{
			MaxRecords: r.Batch.MaxRecords, MaxWait: r.Batch.MaxWait, Concurrency: r.Batch.Concurrency,
		},
	}
	if r.Ordering == "ordered" {
		p.Ordering = relayer.Ordered
	}
	return p
}

// offlineVerifier returns the pure verifier for a ledger kind, for
// `liaison evidence verify`.
func offlineVerifier(l relayer.Ledger) (relayer.Verifier, error) {
	for _, k := range ledgerKinds {
		if k.ledger == l {
			return k.verifier(), nil
		}
	}
	return nil, fmt.Errorf("evidence from %q ledgers cannot be verified by this build", l)
}

// trustExpiry exports, per chain, when the newest trusted state of a light
// client with a trusting period expires, once the adapter warns about it:
// liaison_trust_expires_in_seconds. After that time no new evidence from the
// chain can be verified until an operator configures a new anchor.
type trustExpiry struct {
	mu sync.Mutex
	at map[relayer.ChainID]time.Time
}

func newTrustExpiry(m metric.Meter) (*trustExpiry, error) {
	t := &trustExpiry{at: map[relayer.ChainID]time.Time{}}
	g, err := m.Float64ObservableGauge("liaison.trust.expires_in", metric.WithUnit("s"),
		metric.WithDescription("Time until the chain's newest trusted light-client state expires; reported once the adapter warns."))
	if err != nil {
		return nil, err
	}
	_, err = m.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		t.mu.Lock()
		defer t.mu.Unlock()
		for chain, at := range t.at {
			o.ObserveFloat64(g, time.Until(at).Seconds(), metric.WithAttributes(attribute.String("chain", string(chain))))
		}
		return nil
	}, g)
	return t, err
}

// get returns when chain's trusted state expires, once its adapter warned.
func (t *trustExpiry) get(chain relayer.ChainID) (time.Time, bool) {
	if t == nil {
		return time.Time{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := t.at[chain]
	return at, ok
}

// set records the expiry of chain's trusted state; it never blocks long.
func (t *trustExpiry) set(chain relayer.ChainID, at time.Time) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.at[chain] = at
	t.mu.Unlock()
}
