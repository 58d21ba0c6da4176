package fabric

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/liaison-gw/liaison/config"
	"github.com/liaison-gw/liaison/relayer"
)

// Trust scheme and model names.
const (
	// SchemeConfig is the Anchor.Scheme of a Fabric anchor: a channel
	// config block, the endorsement policy and the chaincode (AnchorState).
	SchemeConfig = "fabric-config"
	// TrustModel is the Evidence.TrustModel of Fabric evidence: a block
	// signed by the orderers, and a transaction whose endorsements satisfy
	// the anchor's endorsement policy.
	TrustModel = "fabric-orderer+endorsement"
)

// Options configure a Chain. The zero value is valid.
type Options struct {
	// Logger receives the adapter's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock for Evidence.ProvenAt and for how long a
	// transaction has been unknown (config timeouts.lost); nil means
	// time.Now.
	Now func() time.Time
}

// Chain is one connected Fabric channel with the records chaincode: its
// gateway peers and the client identity. It hands out the relayer's role
// objects for the chain. Its methods are safe for concurrent use.
type Chain struct {
	name relayer.ChainID
	cfg  config.Fabric
	log  *slog.Logger
	now  func() time.Time

	id   *identity.X509Identity
	cert *x509.Certificate
	sign identity.Sign
	eps  []*endpoint

	// chaincodeConfig is the chaincode's GetConfig answer at connection.
	chaincodeConfig ChaincodeConfig
	// attestor is this identity's attestor key in the chaincode's Inbox,
	// or "" when it is none (attestorErr says why).
	attestor    string
	attestorErr error

	failover relayer.Failover // which endpoint answered last

	mu    sync.Mutex           // guards first
	first map[string]time.Time // when Confirm first found a tx id unknown
}

// ChaincodeConfig is the records chaincode's configuration, as GetConfig
// returns it (see adapters/fabric/chaincode/records).
type ChaincodeConfig struct {
	ChainName string              `json:"chain_name"`
	Emitter   string              `json:"emitter"`
	AdminMSPs []string            `json:"admin_msps"`
	Attestors []ChaincodeAttestor `json:"attestors"`
	Threshold uint32              `json:"threshold"`
}

// ChaincodeAttestor is one attestor of the chaincode's Inbox: the members
// of MSPID whose certificate has SHA-256 fingerprint CertSHA256, or, when
// that is empty, that carry the organizational unit OU.
type ChaincodeAttestor struct {
	Key        string `json:"key"`
	MSPID      string `json:"msp_id"`
	CertSHA256 string `json:"cert_sha256"`
	OU         string `json:"ou"`
}

// endpoint is one gateway peer.
type endpoint struct {
	addr     string
	conn     *grpc.ClientConn
	gw       *client.Gateway
	network  *client.Network
	contract *client.Contract // the records chaincode
	qscc     *client.Contract // the query system chaincode
}

// NewChain connects to every configured gateway peer with TLS, as the
// configured identity, and checks on each that the channel and the
// chaincode answer GetConfig and that the chaincode was initialized with
// chain name name and invoked as cfg.Chaincode (the record IDs' emitter).
//
// A peer that cannot be reached is logged and skipped when another one
// passes the check; when none can be reached the error wraps
// relayer.ErrUnavailable. A bad identity, key, TLS CA or chaincode
// configuration on any peer is a plain error. Each failure is one line
// naming the peer.
func NewChain(ctx context.Context, name relayer.ChainID, cfg config.Fabric, opts Options) (*Chain, error) {
	cfg.ApplyDefaults()
	c := &Chain{name: name, cfg: cfg, log: opts.Logger, now: opts.Now, first: map[string]time.Time{}}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case name == "":
		return nil, errors.New("chain name is empty")
	case len(cfg.Peers) == 0:
		return nil, errors.New("peers: at least one gateway peer is required")
	case cfg.Channel == "":
		return nil, errors.New("channel is required")
	case cfg.MSPID == "":
		return nil, errors.New("msp_id is required")
	}
	if err := c.loadIdentity(); err != nil {
		return nil, err
	}
	for _, p := range cfg.Peers {
		ep, err := c.dial(p)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.eps = append(c.eps, ep)
	}
	answered := 0
	var firstErr error
	for _, ep := range c.eps {
		err := c.checkChaincode(ctx, ep)
		switch {
		case err == nil:
			answered++
		case errors.Is(err, relayer.ErrUnavailable) && len(c.eps) > 1:
			// Another peer may answer; a peer that answers wrongly fails
			// the whole chain below.
			c.log.Warn("gateway peer unreachable at start; using the others", "chain", name, "peer", ep.addr, "err", err)
			if firstErr == nil {
				firstErr = err
			}
		default:
			c.Close()
			return nil, err
		}
	}
	if answered == 0 {
		c.Close()
		if firstErr == nil {
			firstErr = fmt.Errorf("%w: no gateway peer answered", relayer.ErrUnavailable)
		}
		return nil, firstErr
	}
	c.attestor, c.attestorErr = c.findAttestor()
	return c, nil
}

// loadIdentity reads the certificate and the private key, and checks that
// they belong together.
func (c *Chain) loadIdentity() error {
	pemCert, err := os.ReadFile(c.cfg.Identity.Cert)
	if err != nil {
		return fmt.Errorf("identity.cert: %w", err)
	}
	cert, err := identity.CertificateFromPEM(pemCert)
	if err != nil {
		return fmt.Errorf("identity.cert %s: %w", c.cfg.Identity.Cert, err)
	}
	id, err := identity.NewX509Identity(c.cfg.MSPID, cert)
	if err != nil {
		return fmt.Errorf("identity.cert %s: %w", c.cfg.Identity.Cert, err)
	}
	raw, err := c.cfg.Identity.Key.Resolve()
	if err != nil {
		return fmt.Errorf("identity.key: %w", err)
	}
	key, err := identity.PrivateKeyFromPEM(raw)
	clear(raw)
	if err != nil {
		return fmt.Errorf("identity.key (%v): not a PEM private key", c.cfg.Identity.Key)
	}
	if !publicKeyMatches(key, cert) {
		return fmt.Errorf("identity.key (%v) is not the key of the certificate %s (subject %q)",
			c.cfg.Identity.Key, c.cfg.Identity.Cert, cert.Subject.CommonName)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return fmt.Errorf("identity.key (%v): %w", c.cfg.Identity.Key, err)
	}
	c.id, c.cert, c.sign = id, cert, sign
	return nil
}

func publicKeyMatches(key any, cert *x509.Certificate) bool {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		return k.PublicKey.Equal(cert.PublicKey)
	case ed25519.PrivateKey:
		return k.Public().(ed25519.PublicKey).Equal(cert.PublicKey)
	}
	return false
}

// dial sets up the gRPC connection (lazily: nothing is sent yet) and the
// gateway client of one peer.
func (c *Chain) dial(p config.FabricPeer) (*endpoint, error) {
	caPEM, err := os.ReadFile(p.TLSCA)
	if err != nil {
		return nil, fmt.Errorf("peer %s: tls_ca: %w", p.Address, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("peer %s: tls_ca %s holds no PEM certificate", p.Address, p.TLSCA)
	}
	tc := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12, ServerName: p.ServerName}
	if tc.ServerName == "" {
		host, _, err := net.SplitHostPort(p.Address)
		if err != nil {
			return nil, fmt.Errorf("peer %s: address: %w", p.Address, err)
		}
		tc.ServerName = host
	}
	conn, err := grpc.NewClient("dns:///"+p.Address, grpc.WithTransportCredentials(credentials.NewTLS(tc)))
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", p.Address, err)
	}
	gw, err := client.Connect(c.id,
		client.WithSign(c.sign),
		client.WithHash(hash.SHA256),
		client.WithClientConnection(conn),
		client.WithEvaluateTimeout(c.cfg.Timeouts.Evaluate),
		client.WithEndorseTimeout(c.cfg.Timeouts.Endorse),
		client.WithSubmitTimeout(c.cfg.Timeouts.Submit),
		client.WithCommitStatusTimeout(c.cfg.Timeouts.Commit),
	)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("peer %s: %w", p.Address, err)
	}
	network := gw.GetNetwork(c.cfg.Channel)
	return &endpoint{
		addr: p.Address, conn: conn, gw: gw, network: network,
		contract: network.GetContract(c.cfg.Chaincode),
		qscc:     network.GetContract("qscc"),
	}, nil
}

// checkChaincode asks ep for the chaincode's configuration and checks the
// chain name and the emitter.
func (c *Chain) checkChaincode(ctx context.Context, ep *endpoint) error {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Dial)
	defer cancel()
	raw, err := c.evaluate(dctx, ep, ep.contract, "GetConfig")
	if err != nil {
		return fmt.Errorf("channel %q: %w", c.cfg.Channel, err)
	}
	var cc ChaincodeConfig
	if err := json.Unmarshal(raw, &cc); err != nil {
		return fmt.Errorf("peer %s, channel %q, chaincode %q: GetConfig answered %q, not a records chaincode configuration: %v",
			ep.addr, c.cfg.Channel, c.cfg.Chaincode, raw, err)
	}
	switch {
	case cc.ChainName != string(c.name):
		return fmt.Errorf("peer %s, channel %q: chaincode %q was initialized with chain name %q, but this chain is configured as %q; "+
			"the chain name is hashed into record IDs, so they must match", ep.addr, c.cfg.Channel, c.cfg.Chaincode, cc.ChainName, c.name)
	case cc.Emitter != c.cfg.Chaincode:
		return fmt.Errorf("peer %s, channel %q: chaincode %q was initialized under the name %q, which its record IDs hash as the emitter",
			ep.addr, c.cfg.Channel, c.cfg.Chaincode, cc.Emitter)
	}
	c.chaincodeConfig = cc
	return nil
}

// findAttestor returns this identity's attestor key in the Inbox: the one
// attestor of our MSP whose certificate fingerprint is ours or whose OU
// our certificate carries.
func (c *Chain) findAttestor() (string, error) {
	fp := sha256.Sum256(c.cert.Raw)
	mine := hex.EncodeToString(fp[:])
	var keys []string
	for _, a := range c.chaincodeConfig.Attestors {
		if a.MSPID != c.cfg.MSPID {
			continue
		}
		if a.CertSHA256 != "" && a.CertSHA256 == mine || a.CertSHA256 == "" && a.OU != "" && slices.Contains(c.cert.Subject.OrganizationalUnit, a.OU) {
			keys = append(keys, a.Key)
		}
	}
	switch len(keys) {
	case 1:
		return keys[0], nil
	case 0:
		return "", fmt.Errorf("the identity %q of %s (certificate sha256 %s) is not an attestor of chaincode %q; an admin adds it with AddAttestor(%q, \"cert\", %q)",
			c.cert.Subject.CommonName, c.cfg.MSPID, mine, c.cfg.Chaincode, c.cfg.MSPID, mine)
	}
	return "", fmt.Errorf("the identity %q of %s matches several attestors %v of chaincode %q; the Inbox refuses it",
		c.cert.Subject.CommonName, c.cfg.MSPID, keys, c.cfg.Chaincode)
}

// Name returns the agreed chain name.
func (c *Chain) Name() relayer.ChainID { return c.name }

// Close closes every peer connection. Calls in flight fail; the role
// objects must not be used afterwards.
func (c *Chain) Close() {
	for _, ep := range c.eps {
		ep.gw.Close()
		ep.conn.Close()
	}
}

// do runs fn on the endpoints in the order relayer.Failover gives: the one
// that answered last first, the next only when fn fails with
// relayer.ErrUnavailable (so fn must not have taken effect then).
func (c *Chain) do(ctx context.Context, fn func(ctx context.Context, ep *endpoint) error) error {
	return c.failover.Do(ctx, len(c.eps), "peers", func(ctx context.Context, i int) error { return fn(ctx, c.eps[i]) })
}

// Source returns the source of the records the chaincode publishes that
// match sel, starting at startBlock when the engine holds no cursor.
func (c *Chain) Source(sel config.Selector, startBlock uint64) relayer.Source {
	return &source{c: c, sel: sel, start: startBlock}
}

// Prover returns the chain's prover. It also implements
// relayer.TrustBootstrapper.
func (c *Chain) Prover() relayer.Prover { return &prover{c: c} }

// Verifier returns the pure verifier of this chain's evidence, pinned to
// the chain's name and chaincode.
func (c *Chain) Verifier() relayer.Verifier {
	return NewVerifier(WithChain(c.name), WithChaincode(c.cfg.Chaincode))
}

// Destination returns the Inbox attestor of this chain. The identity must
// be exactly one of the chaincode's attestors (checked at connection). The
// result also implements relayer.Preparer.
func (c *Chain) Destination() (relayer.Destination, error) {
	if c.attestorErr != nil {
		return nil, fmt.Errorf("chain %s: %w", c.name, c.attestorErr)
	}
	return &destination{c: c, attestor: c.attestor}, nil
}
