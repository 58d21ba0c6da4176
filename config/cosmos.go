package config

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Cosmos configures a Cosmos SDK chain that runs the Liaison records module
// (adapters/cosmos/module). The chain's Name must equal the module's
// chain_name parameter: the adapter checks it at start.
type Cosmos struct {
	// Nodes are full nodes of the chain, tried in order: each call goes to
	// the first that answers. With two or more, the header of every proof
	// is cross-checked with the others, which catches a node that serves a
	// fork.
	Nodes []CosmosNode `yaml:"nodes"`
	// ChainID is the CometBFT chain id ("liaison-finance-1"); nodes that
	// report another are refused.
	ChainID string `yaml:"chain_id"`
	// StartSequence is the first record sequence a route with no stored
	// cursor reads; default 1.
	StartSequence uint64      `yaml:"start_sequence"`
	Trust         CosmosTrust `yaml:"trust"`
	// Account signs and pays for delivery transactions. Only a chain that
	// is a route's destination needs it.
	Account CosmosAccount `yaml:"account"`
	// Gateway is the 06-solomachine client that stands for Liaison on this
	// chain. Delivering needs it; a source reads only the records sent on
	// it when it is set.
	Gateway CosmosGateway `yaml:"gateway"`
	// Timeout bounds each RPC and gRPC call; default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// CosmosNode is one full node.
type CosmosNode struct {
	// RPC is the CometBFT RPC URL (http or https): light blocks, proofs,
	// blocks and transactions.
	RPC string `yaml:"rpc"`
	// GRPC is host:port of the node's gRPC server: the records module's,
	// auth's and ibc's queries and transaction simulation.
	GRPC string `yaml:"grpc"`
	// GRPCTLS dials gRPC with TLS, checking the server against the
	// system's roots.
	GRPCTLS bool `yaml:"grpc_tls"`
}

// CosmosTrust is the light client's anchor and parameters, as an ibc-go
// 07-tendermint client holds them.
type CosmosTrust struct {
	// Height and Hash name a block the operator trusts (its block ID
	// hash, 64 hex digits, as the RPC's /commit prints it). The validator
	// sets are read from the nodes and must produce this hash.
	Height uint64 `yaml:"height"`
	Hash   string `yaml:"hash"`
	// TrustingPeriod is how long a verified header can vouch for later
	// ones. It must be shorter than the chain's unbonding period (ibc-go
	// uses two thirds of it).
	TrustingPeriod time.Duration `yaml:"trusting_period"`
	// TrustLevel is the fraction of a trusted validator set that must sign
	// a header to skip to it, "n/d" in [1/3, 1]; default "1/3".
	TrustLevel string `yaml:"trust_level"`
	// MaxClockDrift is how far ahead of the local clock a header time may
	// be; default 10s.
	MaxClockDrift time.Duration `yaml:"max_clock_drift"`
	// ExpiryWarning is how long before the trusted state expires a warning
	// is logged; default a third of the trusting period.
	ExpiryWarning time.Duration `yaml:"expiry_warning"`
}

// CosmosAccount is the account that submits delivery transactions.
type CosmosAccount struct {
	// Key is a hex secp256k1 private key, in a file readable by its owner
	// only, or in an environment variable.
	Key Secret `yaml:"key"`
	// AddressPrefix is the chain's bech32 account prefix; default "cosmos".
	AddressPrefix string `yaml:"address_prefix"`
	// GasPrice is the fee per unit of gas, a decimal and a denomination
	// ("0.025uatom"); empty pays no fee, which chains with a zero minimum
	// gas price accept.
	GasPrice string `yaml:"gas_price"`
	// GasAdjustment multiplies the simulated gas; default 1.5.
	GasAdjustment float64 `yaml:"gas_adjustment"`
	// BalanceWarning and BalanceCritical are thresholds on the account's
	// balance in the fee denomination of GasPrice, in its base units
	// ("5000000" uatom). Below them liaison_signer_balance_state turns
	// warning or critical. Empty: no threshold.
	BalanceWarning  string `yaml:"balance_warning"`
	BalanceCritical string `yaml:"balance_critical"`
}

// BaseUnits parses a non-negative whole amount of a denomination's base
// units ("5000000").
func BaseUnits(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() < 0 || strings.HasPrefix(s, "+") {
		return nil, fmt.Errorf("%q is not a whole amount of base units (e.g. 5000000)", s)
	}
	return n, nil
}

// CosmosGateway is Liaison's 06-solomachine client on the chain. Its public
// key is one attestor key, or a threshold multisig of the departments'
// attestor keys (M of N).
type CosmosGateway struct {
	// ClientID is the client's id on the chain ("06-solomachine-0"), as
	// `liaison cosmos setup-client` prints it.
	ClientID string `yaml:"client_id"`
	// CounterpartyClientID is the id the chain knows the gateway side by:
	// the source client of every delivered packet, in ibc-go's client id
	// format {name}-{number}; default "liaison-gateway-0".
	CounterpartyClientID string `yaml:"counterparty_client_id"`
	// Diversifier is the client's diversifier; default "liaison".
	Diversifier string `yaml:"diversifier"`
	// PacketTimeout is how long after submission a delivered packet times
	// out on the chain; default 10m, at most 24h.
	PacketTimeout time.Duration `yaml:"packet_timeout"`
	// InclusionTimeout is how long a submission waits for its transaction
	// to be in a block before it gives up waiting; default 30s.
	InclusionTimeout time.Duration `yaml:"inclusion_timeout"`
	// AttestorKeys are the hex secp256k1 private keys this relayer signs
	// proofs with; default account.key. Without Multisig exactly one.
	AttestorKeys []Secret `yaml:"attestor_keys"`
	// Multisig, when set, makes the client's key a threshold multisig.
	Multisig *CosmosMultisig `yaml:"multisig"`
}

// CosmosMultisig is the M-of-N key of the gateway client.
type CosmosMultisig struct {
	// Threshold is M, the number of signatures a proof needs.
	Threshold int `yaml:"threshold"`
	// PublicKeys are the N compressed secp256k1 public keys (66 hex digits
	// or base64), in the multisig's order. The order is part of the key.
	PublicKeys []string `yaml:"public_keys"`
}

// Cosmos defaults.
const (
	DefaultCosmosStartSequence   = 1
	DefaultCosmosTrustLevel      = "1/3"
	DefaultCosmosClockDrift      = 10 * time.Second
	DefaultCosmosAddressPrefix   = "cosmos"
	DefaultCosmosGasAdjustment   = 1.5
	DefaultCosmosCounterparty    = "liaison-gateway-0"
	DefaultCosmosDiversifier     = "liaison"
	DefaultCosmosPacketTimeout   = 10 * time.Minute
	DefaultCosmosInclusionWait   = 30 * time.Second
	DefaultCosmosTimeout         = 10 * time.Second
	MaxCosmosPacketTimeout       = 24 * time.Hour
	cosmosMaxChainIDLen          = 50
	cosmosMinIdentifierLen       = 8
	cosmosMaxIdentifierLen       = 64
	cosmosCompressedPubKeyLength = 33
)

// ApplyDefaults fills the zero settings of c with the defaults, in place.
// Load runs it (resolving relative paths against the config file too);
// code that builds a Cosmos by hand may call it.
func (c *Cosmos) ApplyDefaults() {
	if c.StartSequence == 0 {
		c.StartSequence = DefaultCosmosStartSequence
	}
	if c.Trust.TrustLevel == "" {
		c.Trust.TrustLevel = DefaultCosmosTrustLevel
	}
	if c.Trust.MaxClockDrift == 0 {
		c.Trust.MaxClockDrift = DefaultCosmosClockDrift
	}
	if c.Trust.ExpiryWarning == 0 {
		c.Trust.ExpiryWarning = c.Trust.TrustingPeriod / 3
	}
	if c.Account.AddressPrefix == "" {
		c.Account.AddressPrefix = DefaultCosmosAddressPrefix
	}
	if c.Account.GasAdjustment == 0 {
		c.Account.GasAdjustment = DefaultCosmosGasAdjustment
	}
	g := &c.Gateway
	if g.CounterpartyClientID == "" {
		g.CounterpartyClientID = DefaultCosmosCounterparty
	}
	if g.Diversifier == "" {
		g.Diversifier = DefaultCosmosDiversifier
	}
	if g.PacketTimeout == 0 {
		g.PacketTimeout = DefaultCosmosPacketTimeout
	}
	if g.InclusionTimeout == 0 {
		g.InclusionTimeout = DefaultCosmosInclusionWait
	}
	if len(g.AttestorKeys) == 0 && !c.Account.Key.IsZero() {
		g.AttestorKeys = []Secret{c.Account.Key}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultCosmosTimeout
	}
}

func (c *Cosmos) applyDefaults(cfg *Config) {
	if c.Account.Key.File != "" {
		c.Account.Key.File = cfg.Abs(c.Account.Key.File)
	}
	for i := range c.Gateway.AttestorKeys {
		if f := c.Gateway.AttestorKeys[i].File; f != "" {
			c.Gateway.AttestorKeys[i].File = cfg.Abs(f)
		}
	}
	c.ApplyDefaults()
}

func (c *Cosmos) validate(p problems) {
	if len(c.Nodes) == 0 {
		p.at("nodes").add("at least one node is required ({rpc: http://host:26657, grpc: host:9090})")
	}
	for i, n := range c.Nodes {
		np := p.at(fmt.Sprintf("nodes[%d]", i))
		if u, err := url.Parse(n.RPC); n.RPC == "" {
			np.at("rpc").add("is required: the CometBFT RPC URL, e.g. http://127.0.0.1:26657")
		} else if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			np.at("rpc").add("%q: want an http or https URL", redactURL(n.RPC))
		}
		if _, port, err := net.SplitHostPort(n.GRPC); n.GRPC == "" {
			np.at("grpc").add("is required: host:port of the node's gRPC server, e.g. 127.0.0.1:9090")
		} else if err != nil || port == "" {
			np.at("grpc").add("%q: want host:port", n.GRPC)
		} else if v, err := strconv.Atoi(port); err != nil || v < 1 || v > 65535 {
			np.at("grpc").add("%q: the port is not a number from 1 to 65535", n.GRPC)
		}
	}
	switch {
	case c.ChainID == "":
		p.at("chain_id").add("is required: the CometBFT chain id, e.g. liaison-finance-1")
	case len(c.ChainID) > cosmosMaxChainIDLen:
		p.at("chain_id").add("%q is longer than %d bytes", c.ChainID, cosmosMaxChainIDLen)
	}
	t := p.at("trust")
	if c.Trust.Height == 0 {
		t.at("height").add("is required: the height of a block you trust")
	}
	if h := strings.TrimPrefix(c.Trust.Hash, "0x"); c.Trust.Hash == "" {
		t.at("hash").add("is required: the hash of the block at trust.height (RPC /commit?height=N, signed_header.commit.block_id.hash)")
	} else if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
		t.at("hash").add("%q is not a 32-byte hex hash", c.Trust.Hash)
	}
	if c.Trust.TrustingPeriod <= 0 {
		t.at("trusting_period").add("is required and must be positive, and shorter than the chain's unbonding period (e.g. 336h for 21 days of unbonding)")
	}
	if _, _, err := ParseTrustLevel(c.Trust.TrustLevel); err != nil {
		t.at("trust_level").add("%v", err)
	}
	if c.Trust.MaxClockDrift < 0 || c.Trust.ExpiryWarning < 0 {
		t.add("durations must not be negative")
	}
	if c.Trust.TrustingPeriod > 0 && c.Trust.ExpiryWarning >= c.Trust.TrustingPeriod {
		t.at("expiry_warning").add("%s is not shorter than the trusting period %s", c.Trust.ExpiryWarning, c.Trust.TrustingPeriod)
	}
	a := p.at("account")
	checkCosmosKey(a.at("key"), c.Account.Key)
	if !validBech32Prefix(c.Account.AddressPrefix) {
		a.at("address_prefix").add("%q: a bech32 prefix is lower-case letters and digits", c.Account.AddressPrefix)
	}
	if c.Account.GasPrice != "" {
		if _, _, err := ParseGasPrice(c.Account.GasPrice); err != nil {
			a.at("gas_price").add("%v", err)
		}
	}
	var warn, crit *big.Int
	for _, b := range []struct {
		name string
		v    string
		into **big.Int
	}{{"balance_warning", c.Account.BalanceWarning, &warn}, {"balance_critical", c.Account.BalanceCritical, &crit}} {
		if b.v == "" {
			continue
		}
		n, err := BaseUnits(b.v)
		switch {
		case err != nil:
			a.at(b.name).add("%v", err)
		case c.Account.GasPrice == "":
			a.at(b.name).add("needs account.gas_price, whose denomination the balance is read in")
		default:
			*b.into = n
		}
	}
	if warn != nil && crit != nil && warn.Cmp(crit) < 0 {
		a.at("balance_warning").add("%s is below balance_critical %s: the warning must come first", c.Account.BalanceWarning, c.Account.BalanceCritical)
	}
	if c.Account.GasAdjustment < 1 {
		a.at("gas_adjustment").add("%v: must be at least 1", c.Account.GasAdjustment)
	}
	g := p.at("gateway")
	gw := c.Gateway
	if gw.ClientID != "" && !strings.HasPrefix(gw.ClientID, "06-solomachine-") {
		g.at("client_id").add("%q is not a 06-solomachine client id (06-solomachine-N)", gw.ClientID)
	}
	if !validCosmosIdentifier(gw.CounterpartyClientID) {
		g.at("counterparty_client_id").add("%q: an IBC client id {name}-{number} of %d to %d letters, digits, '_' and '-', e.g. liaison-gateway-0",
			gw.CounterpartyClientID, cosmosMinIdentifierLen, cosmosMaxIdentifierLen)
	}
	if gw.PacketTimeout <= 0 || gw.PacketTimeout > MaxCosmosPacketTimeout {
		g.at("packet_timeout").add("%s: must be positive and at most 24h (ibc-go's limit)", gw.PacketTimeout)
	}
	if gw.InclusionTimeout < 0 || c.Timeout < 0 {
		p.add("durations must not be negative")
	}
	for i, k := range gw.AttestorKeys {
		checkCosmosKey(g.at(fmt.Sprintf("attestor_keys[%d]", i)), k)
	}
	if ms := gw.Multisig; ms == nil {
		if len(gw.AttestorKeys) > 1 {
			g.at("attestor_keys").add("%d keys, but without multisig the client has one key", len(gw.AttestorKeys))
		}
	} else {
		m := g.at("multisig")
		if len(ms.PublicKeys) < 2 {
			m.at("public_keys").add("a multisig needs at least 2 public keys")
		}
		for i, k := range ms.PublicKeys {
			if _, err := ParseCosmosPubKey(k); err != nil {
				m.at(fmt.Sprintf("public_keys[%d]", i)).add("%v", err)
			}
		}
		if ms.Threshold < 1 || ms.Threshold > len(ms.PublicKeys) {
			m.at("threshold").add("%d: must be from 1 to the number of public keys (%d)", ms.Threshold, len(ms.PublicKeys))
		}
		// This relayer signs every proof alone: it must hold M of the keys.
		// Collecting the other departments' signatures is not built yet,
		// and without it every record would be dead-lettered.
		if held := max(len(gw.AttestorKeys), 1); ms.Threshold > held {
			m.at("threshold").add("%d signatures a proof, but this relayer holds %d of the keys (attestor_keys); "+
				"collecting signatures from other departments' relayers is not supported yet", ms.Threshold, held)
		}
	}
}

// checkCosmosKey checks a configured secret key reference.
func checkCosmosKey(p problems, s Secret) {
	switch {
	case s.IsZero():
	case s.File != "" && s.Env != "":
		p.add("set either file or env, not both")
	case s.File != "":
		p.privateFile(s.File)
	}
}

// ParseTrustLevel parses "n/d" with 1/3 <= n/d <= 1.
func ParseTrustLevel(s string) (num, den uint64, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want a fraction n/d, e.g. 1/3", s)
	}
	if num, err = strconv.ParseUint(strings.TrimSpace(a), 10, 64); err == nil {
		den, err = strconv.ParseUint(strings.TrimSpace(b), 10, 64)
	}
	switch {
	case err != nil:
		return 0, 0, fmt.Errorf("%q: want a fraction n/d, e.g. 1/3", s)
	case den == 0 || num > den:
		return 0, 0, fmt.Errorf("%q: must be at most 1", s)
	case new(big.Int).Mul(new(big.Int).SetUint64(num), big.NewInt(3)).Cmp(new(big.Int).SetUint64(den)) < 0:
		return 0, 0, fmt.Errorf("%q: must be at least 1/3 (below it a light client is not safe)", s)
	}
	return num, den, nil
}

// ParseGasPrice parses a gas price such as "0.025uatom" into its amount per
// unit of gas and its denomination.
func ParseGasPrice(s string) (*big.Rat, string, error) {
	i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	if i <= 0 {
		return nil, "", fmt.Errorf("%q: want an amount and a denomination, e.g. 0.025uatom", s)
	}
	amount, denom := s[:i], s[i:]
	r, ok := new(big.Rat).SetString(amount)
	if !ok || r.Sign() < 0 || !validDenom(denom) {
		return nil, "", fmt.Errorf("%q: want an amount and a denomination, e.g. 0.025uatom", s)
	}
	return r, denom, nil
}

// ParseCosmosPubKey decodes a compressed secp256k1 public key given as 66
// hex digits or as base64 (the form keys show and the RPC prints).
func ParseCosmosPubKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(strings.TrimPrefix(s, "0x")); err == nil && len(b) == cosmosCompressedPubKeyLength {
		return checkCompressed(b)
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == cosmosCompressedPubKeyLength {
		return checkCompressed(b)
	}
	return nil, fmt.Errorf("%q is not a compressed secp256k1 public key (33 bytes as hex or base64)", s)
}

func checkCompressed(b []byte) ([]byte, error) {
	if b[0] != 2 && b[0] != 3 {
		return nil, fmt.Errorf("public key %x is not compressed (first byte 02 or 03)", b)
	}
	return b, nil
}

// validDenom follows the SDK's denomination rule: a letter, then 2 to 127
// letters, digits and /:._-.
func validDenom(s string) bool {
	if len(s) < 3 || len(s) > 128 || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/:._-", r)) {
			return false
		}
	}
	return true
}

func validBech32Prefix(s string) bool {
	if s == "" || len(s) > 83 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// cosmosClientIDFormat is ibc-go's client id format ({client-type}-{N}),
// which IBC v2 requires of counterparty client ids.
var cosmosClientIDFormat = regexp.MustCompile(`^\w+([\w-]+\w)?-[0-9]{1,20}$`)

// validCosmosIdentifier is ibc-go's rule for a counterparty client id that
// is also a packet's source client: 8 to 64 characters in the client id
// format.
func validCosmosIdentifier(s string) bool {
	return len(s) >= cosmosMinIdentifierLen && len(s) <= cosmosMaxIdentifierLen && cosmosClientIDFormat.MatchString(s)
}

// cosmosSetupPlaceholder stands in for a missing gateway.client_id while
// LoadForCosmosSetup validates.
const cosmosSetupPlaceholder = "06-solomachine-placeholder"

// LoadForCosmosSetup reads the file at path like Load, but accepts Cosmos
// chains without gateway.client_id: it is for `liaison cosmos
// setup-client`, which creates that client. Every other problem is
// reported as by Load.
func LoadForCosmosSetup(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("config: the file is empty")
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	c.Dir = filepath.Dir(abs)
	c.applyDefaults()
	var missing []*Cosmos
	for i := range c.Chains {
		if cc := c.Chains[i].Cosmos; cc != nil && cc.Gateway.ClientID == "" {
			cc.Gateway.ClientID = cosmosSetupPlaceholder
			missing = append(missing, cc)
		}
	}
	err = c.Validate()
	for _, cc := range missing {
		cc.Gateway.ClientID = ""
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}
