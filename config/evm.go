package config

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"
)

// EVM configures an Ethereum-family ledger (geth, Besu, GoQuorum).
type EVM struct {
	// RPC lists JSON-RPC endpoints (http, https, ws, wss or an IPC path).
	// With rpc-finality trust, every endpoint must agree on the header.
	RPC []string `yaml:"rpc"`
	// ChainID is the EVM chain id; the adapter refuses endpoints that
	// report another.
	ChainID uint64 `yaml:"chain_id"`
	// Outbox is the address of the Outbox contract (source side).
	Outbox string `yaml:"outbox"`
	// Inbox is the address of the Inbox contract (destination side).
	Inbox string `yaml:"inbox"`
	// StartBlock is where a route with no stored cursor starts reading.
	StartBlock uint64 `yaml:"start_block"`
	// MaxBlockRange bounds one eth_getLogs call; default 2000.
	MaxBlockRange uint64   `yaml:"max_block_range"`
	Trust         EVMTrust `yaml:"trust"`
	Signer        struct {
		// Key is a hex secp256k1 private key, in a file readable by its
		// owner only, or in an environment variable.
		Key Secret `yaml:"key"`
		// BalanceWarning and BalanceCritical are thresholds on the
		// signer's balance in the chain's native coin, in whole units
		// (ether: 10^18 wei), as decimals ("0.5"). Below them the metric
		// liaison_signer_balance_state turns warning or critical. Empty:
		// no threshold.
		BalanceWarning  string `yaml:"balance_warning"`
		BalanceCritical string `yaml:"balance_critical"`
	} `yaml:"signer"`
	Gas struct {
		// FallbackLimit is used when estimation fails; default 600000.
		FallbackLimit uint64 `yaml:"fallback_limit"`
		// StuckAfter is how long a transaction may wait before it is
		// replaced with a higher fee; default 30s.
		StuckAfter time.Duration `yaml:"stuck_after"`
		// BumpPercent raises the fee of a replacement; default 20.
		BumpPercent int `yaml:"bump_percent"`
	} `yaml:"gas"`
	// Timeout bounds each RPC call; default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// EVMTrust says how headers of this chain are trusted.
type EVMTrust struct {
	// Mode is "qbft" or "ibft2" (a light client checks validator seals)
	// or "finality" (the finalized header that every endpoint agrees on:
	// weaker, for geth and PoS networks without a light client here).
	Mode string `yaml:"mode"`
	// Confirmations, in finality mode, is how deep a block must be; zero
	// uses the node's "finalized" tag.
	Confirmations uint64 `yaml:"confirmations"`
	// Validators is the validator set that seals the block after
	// Checkpoint (qbft and ibft2).
	Validators []string `yaml:"validators"`
	// Checkpoint is the trusted block the light client starts from.
	Checkpoint struct {
		Height uint64 `yaml:"height"`
		Hash   string `yaml:"hash"`
	} `yaml:"checkpoint"`
	// TrustingPeriod (qbft and ibft2) is how long after its timestamp a
	// trusted header can vouch for later ones; default 336h (14 days).
	// Validators that leave the set keep their keys and, with no
	// unbonding or slashing on these chains, answer for nothing they sign
	// afterwards: a header older than this verifies nothing, and the
	// operator must move the checkpoint to a recent block. The anchor moves
	// forward with every proven record, so only a chain quiet for longer
	// than the period needs that. The period is stored in each anchor
	// (and its evidence): a new value applies from the next checkpoint.
	TrustingPeriod time.Duration `yaml:"trusting_period"`
	// MaxClockDrift (qbft and ibft2) is how far ahead of the local clock a
	// header's timestamp may be; default 10s. It is stored in the anchor
	// like the trusting period.
	MaxClockDrift time.Duration `yaml:"max_clock_drift"`
	// ExpiryWarning (qbft and ibft2) is how long before the trusted header
	// expires a warning is logged; default a third of the trusting period.
	ExpiryWarning time.Duration `yaml:"expiry_warning"`
}

// BFT reports whether the mode is a light client of validator seals (qbft
// or ibft2), to which the trusting period applies.
func (t *EVMTrust) BFT() bool { return t.Mode == "qbft" || t.Mode == "ibft2" }

// ApplyDefaults fills the zero trust parameters of a qbft or ibft2 chain
// with the defaults, in place. Other modes are left alone.
func (t *EVMTrust) ApplyDefaults() {
	if !t.BFT() {
		return
	}
	if t.TrustingPeriod == 0 {
		t.TrustingPeriod = DefaultEVMTrustingPeriod
	}
	if t.MaxClockDrift == 0 {
		t.MaxClockDrift = DefaultEVMClockDrift
	}
	if t.ExpiryWarning == 0 {
		t.ExpiryWarning = t.TrustingPeriod / 3
	}
}

// EVM defaults.
const (
	DefaultMaxBlockRange = 2000
	DefaultFallbackGas   = 600000
	DefaultStuckAfter    = 30 * time.Second
	DefaultBumpPercent   = 20
	DefaultRPCTimeout    = 10 * time.Second

	// DefaultEVMTrustingPeriod is two weeks: the trusting period IBC
	// light clients commonly use (two thirds of a 21-day unbonding), so
	// that operators see one number across ledgers. It keeps a relayer
	// that proves at least one record a fortnight running without
	// re-anchoring, and refuses skips from validator sets retired longer
	// ago than that.
	DefaultEVMTrustingPeriod = 14 * 24 * time.Hour
	// DefaultEVMClockDrift is CometBFT's default, ample for nodes that run
	// NTP.
	DefaultEVMClockDrift = 10 * time.Second
)

func (e *EVM) applyDefaults(c *Config) {
	if e.MaxBlockRange == 0 {
		e.MaxBlockRange = DefaultMaxBlockRange
	}
	if e.Gas.FallbackLimit == 0 {
		e.Gas.FallbackLimit = DefaultFallbackGas
	}
	if e.Gas.StuckAfter == 0 {
		e.Gas.StuckAfter = DefaultStuckAfter
	}
	if e.Gas.BumpPercent == 0 {
		e.Gas.BumpPercent = DefaultBumpPercent
	}
	if e.Timeout == 0 {
		e.Timeout = DefaultRPCTimeout
	}
	e.Trust.ApplyDefaults()
	if e.Signer.Key.File != "" {
		e.Signer.Key.File = c.Abs(e.Signer.Key.File)
	}
	for i, u := range e.RPC {
		if !strings.Contains(u, "://") && u != "" {
			e.RPC[i] = c.Abs(u) // an IPC path
		}
	}
}

func (e *EVM) validate(p problems) {
	if len(e.RPC) == 0 {
		p.at("rpc").add("at least one endpoint is required")
	}
	for i, u := range e.RPC {
		if strings.Contains(u, "://") {
			pu, err := url.Parse(u)
			if err != nil || pu.Host == "" {
				p.at(fmt.Sprintf("rpc[%d]", i)).add("%q is not a URL", redactURL(u))
				continue
			}
			switch pu.Scheme {
			case "http", "https", "ws", "wss":
			default:
				p.at(fmt.Sprintf("rpc[%d]", i)).add("scheme %q: use http, https, ws, wss or an IPC path", pu.Scheme)
			}
		}
	}
	if e.ChainID == 0 {
		p.at("chain_id").add("is required (the EVM chain id, e.g. 1337)")
	}
	checkAddr(p.at("outbox"), e.Outbox)
	checkAddr(p.at("inbox"), e.Inbox)
	if e.Outbox == "" && e.Inbox == "" {
		p.add("set outbox, inbox or both")
	}
	t := p.at("trust")
	switch e.Trust.Mode {
	case "qbft", "ibft2":
		if len(e.Trust.Validators) == 0 {
			t.at("validators").add("%s trust needs the validator set at the checkpoint", e.Trust.Mode)
		}
		for i, v := range e.Trust.Validators {
			checkAddr(t.at(fmt.Sprintf("validators[%d]", i)), v)
		}
		if e.Trust.Checkpoint.Hash != "" {
			checkHash(t.at("checkpoint.hash"), e.Trust.Checkpoint.Hash)
		}
		if e.Trust.Confirmations != 0 {
			t.at("confirmations").add("is for finality mode; %s blocks are final once sealed", e.Trust.Mode)
		}
		switch {
		case e.Trust.TrustingPeriod < 0:
			t.at("trusting_period").add("must be positive (e.g. 336h); headers older than it verify nothing")
		case e.Trust.ExpiryWarning < 0 || e.Trust.ExpiryWarning >= e.Trust.TrustingPeriod:
			t.at("expiry_warning").add("%s must be positive and shorter than the trusting period %s", e.Trust.ExpiryWarning, e.Trust.TrustingPeriod)
		}
		if e.Trust.MaxClockDrift < 0 {
			t.at("max_clock_drift").add("must be positive (e.g. 10s)")
		}
	case "finality":
		if len(e.Trust.Validators) > 0 {
			t.at("validators").add("is for qbft or ibft2 mode")
		}
		for _, f := range []struct {
			name string
			d    time.Duration
		}{{"trusting_period", e.Trust.TrustingPeriod}, {"max_clock_drift", e.Trust.MaxClockDrift}, {"expiry_warning", e.Trust.ExpiryWarning}} {
			if f.d != 0 {
				t.at(f.name).add("is for qbft or ibft2 mode: finality mode checks no signatures")
			}
		}
	case "":
		t.at("mode").add("is required: qbft, ibft2 or finality")
	default:
		t.at("mode").add("%q: use qbft, ibft2 or finality", e.Trust.Mode)
	}
	if !e.Signer.Key.IsZero() {
		k := p.at("signer.key")
		if e.Signer.Key.File != "" && e.Signer.Key.Env != "" {
			k.add("set either file or env, not both")
		} else if e.Signer.Key.File != "" {
			k.privateFile(e.Signer.Key.File)
		}
	}
	warn, okWarn := checkCoins(p.at("signer.balance_warning"), e.Signer.BalanceWarning)
	crit, okCrit := checkCoins(p.at("signer.balance_critical"), e.Signer.BalanceCritical)
	if okWarn && okCrit && warn.Cmp(crit) < 0 {
		p.at("signer.balance_warning").add("%s is below balance_critical %s: the warning must come first", e.Signer.BalanceWarning, e.Signer.BalanceCritical)
	}
	if (e.Signer.BalanceWarning != "" || e.Signer.BalanceCritical != "") && e.Signer.Key.IsZero() {
		p.at("signer").add("balance thresholds are set but there is no signer.key whose balance they watch")
	}
	if e.Gas.BumpPercent < 10 {
		p.at("gas.bump_percent").add("%d: nodes refuse replacements below 10%%", e.Gas.BumpPercent)
	}
	if e.Timeout < 0 || e.Gas.StuckAfter < 0 {
		p.add("durations must not be negative")
	}
}

// Wei converts a decimal amount of whole coins ("0.5") to the chain's
// smallest unit (10^-18). It refuses negative amounts and finer
// fractions than a wei.
func Wei(coins string) (*big.Int, error) {
	r, ok := new(big.Rat).SetString(coins)
	if !ok || strings.ContainsAny(coins, "/eE") {
		return nil, fmt.Errorf("%q is not a decimal amount (e.g. 0.5)", coins)
	}
	if r.Sign() < 0 {
		return nil, fmt.Errorf("%q is negative", coins)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)))
	if !r.IsInt() {
		return nil, fmt.Errorf("%q has more than 18 decimals", coins)
	}
	return r.Num(), nil
}

// checkCoins checks an optional amount of coins; ok means it is set and
// valid.
func checkCoins(p problems, s string) (*big.Int, bool) {
	if s == "" {
		return nil, false
	}
	w, err := Wei(s)
	if err != nil {
		p.add("%v", err)
		return nil, false
	}
	return w, true
}

func checkAddr(p problems, s string) {
	if s == "" {
		return
	}
	h := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if _, err := hex.DecodeString(h); err != nil || len(h) != 40 {
		p.add("%q is not a 20-byte hex address", s)
	}
}

func checkHash(p problems, s string) {
	h := strings.TrimPrefix(s, "0x")
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
		p.add("%q is not a 32-byte hex hash", s)
	}
}

// redactURL drops credentials from a URL before it is printed.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.Index(s, "@"); i >= 0 {
			return "…" + s[i:]
		}
		return s
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "key") || strings.Contains(strings.ToLower(k), "token") {
			q.Set(k, "***")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// RedactURL is redactURL for other packages' messages.
func RedactURL(s string) string { return redactURL(s) }
