package evm

import (
	"log/slog"
	"sync"
	"time"

	"github.com/liaison-gw/liaison/proofs/qbft"
	"github.com/liaison-gw/liaison/relayer"
)

// trustExpiry remembers the highest trusted header a qbft or ibft2 chain
// has used and warns, at most once a minute, when its trusting period ends
// within the configured warning time.
type trustExpiry struct {
	notify func(relayer.ChainID, time.Time) // Options.OnTrustExpiring, may be nil

	mu       sync.Mutex // guards latest and warnedAt
	latest   *qbft.TrustedState
	warnedAt time.Time
}

// note records st when it is the highest seen, then warns if needed.
func (e *trustExpiry) note(c *Chain, st qbft.TrustedState) {
	e.mu.Lock()
	if e.latest == nil || st.Height > e.latest.Height {
		s := st
		e.latest = &s
	}
	e.mu.Unlock()
	e.check(c.name, c.log, c.now(), c.cfg.Trust.ExpiryWarning)
}

// check warns when the latest trusted header expires within warn of now.
func (e *trustExpiry) check(chain relayer.ChainID, log *slog.Logger, now time.Time, warn time.Duration) {
	e.mu.Lock()
	if e.latest == nil || now.Sub(e.warnedAt) < time.Minute {
		e.mu.Unlock()
		return
	}
	exp := qbft.ExpiresAt(*e.latest)
	height := e.latest.Height
	if exp.Sub(now) > warn {
		e.mu.Unlock()
		return
	}
	e.warnedAt = now
	e.mu.Unlock()
	if !exp.After(now) {
		log.Error("the trusted header has expired: nothing from this chain can be verified until it is re-anchored "+
			"(set trust.checkpoint and trust.validators to a recent block and restart)",
			"chain", chain, "trusted_height", height, "expired_at", exp)
	} else {
		log.Warn("the trusted header expires soon; it moves forward with every proven record, "+
			"or re-anchor with a recent trust.checkpoint and trust.validators",
			"chain", chain, "trusted_height", height, "expires_at", exp, "in", exp.Sub(now).Round(time.Second))
	}
	if e.notify != nil {
		e.notify(chain, exp)
	}
}
