package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Fabric configures a Hyperledger Fabric channel and the Liaison records
// chaincode on it. The chain's Name is the chain name the chaincode was
// initialized with (Init's chainName): the adapter checks it at start.
type Fabric struct {
	// Peers are the gateway peers to talk to, tried in order; each runs
	// the Fabric Gateway service (Fabric 2.4 or later).
	Peers []FabricPeer `yaml:"peers"`
	// MSPID is the MSP of the identity below ("Org1MSP").
	MSPID    string         `yaml:"msp_id"`
	Identity FabricIdentity `yaml:"identity"`
	// Channel is the channel name ("records").
	Channel string `yaml:"channel"`
	// Chaincode is the name the records chaincode is defined under on the
	// channel; record IDs hash its bytes as the emitter. Default "records".
	Chaincode string `yaml:"chaincode"`
	// StartBlock is where a route with no stored cursor starts reading.
	StartBlock uint64      `yaml:"start_block"`
	Trust      FabricTrust `yaml:"trust"`
	Timeouts   struct {
		// Dial bounds the first connection to a peer; default 10s.
		Dial time.Duration `yaml:"dial"`
		// Evaluate bounds each query (and a Poll's block reads); default 10s.
		Evaluate time.Duration `yaml:"evaluate"`
		// Endorse bounds collecting endorsements; default 30s.
		Endorse time.Duration `yaml:"endorse"`
		// Submit bounds handing the transaction to the orderer; default 10s.
		Submit time.Duration `yaml:"submit"`
		// Commit is how long Submit waits for the commit status before
		// leaving it to Confirm; default 5s.
		Commit time.Duration `yaml:"commit"`
		// Lost is how long a submitted transaction may stay unknown to
		// the peer before Confirm reports it as not landed; default 2m.
		Lost time.Duration `yaml:"lost"`
	} `yaml:"timeouts"`
}

// FabricPeer is one gateway peer endpoint.
type FabricPeer struct {
	// Address is host:port of the peer's gRPC (gateway) port.
	Address string `yaml:"address"`
	// TLSCA is the PEM file of the CA that issued the peer's TLS
	// certificate. TLS is always on.
	TLSCA string `yaml:"tls_ca"`
	// ServerName overrides the name checked in the peer's TLS certificate
	// (the host in Address by default).
	ServerName string `yaml:"server_name"`
}

// FabricIdentity is the client identity Liaison signs proposals and
// transactions with: as a source it reads blocks with it, as a
// destination it must be an attestor of the chaincode's Inbox.
type FabricIdentity struct {
	// Cert is the PEM file of the X.509 certificate the MSP issued.
	Cert string `yaml:"cert"`
	// Key is the PEM private key of Cert, in a file readable by its owner
	// only, or in an environment variable.
	Key Secret `yaml:"key"`
}

// FabricTrust says what the verifier trusts.
type FabricTrust struct {
	// ConfigBlock is a file holding a channel config block (the genesis
	// block or a later config block) as the peer CLI fetches it: the MSPs
	// and orderers every later block is checked against.
	ConfigBlock string `yaml:"config_block"`
	// EndorsementPolicy is the chaincode's endorsement policy, re-checked
	// on every proven transaction: "majority" (default), "any" or "all"
	// of the channel's application organizations' peers, or a signature
	// policy expression such as "AND('Org1MSP.peer','Org2MSP.peer')".
	EndorsementPolicy string `yaml:"endorsement_policy"`
}

// Fabric defaults.
const (
	DefaultFabricChaincode    = "records"
	DefaultFabricPolicy       = "majority"
	DefaultFabricDial         = 10 * time.Second
	DefaultFabricEvaluate     = 10 * time.Second
	DefaultFabricEndorse      = 30 * time.Second
	DefaultFabricSubmit       = 10 * time.Second
	DefaultFabricCommit       = 5 * time.Second
	DefaultFabricLostAfter    = 2 * time.Minute
	maxFabricChaincodeNameLen = 255
)

// ApplyDefaults fills the zero settings of f with the defaults, in place.
// Load runs it (resolving relative paths against the config file too);
// code that builds a Fabric by hand may call it.
func (f *Fabric) ApplyDefaults() {
	if f.Chaincode == "" {
		f.Chaincode = DefaultFabricChaincode
	}
	if f.Trust.EndorsementPolicy == "" {
		f.Trust.EndorsementPolicy = DefaultFabricPolicy
	}
	t := &f.Timeouts
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&t.Dial, DefaultFabricDial}, {&t.Evaluate, DefaultFabricEvaluate}, {&t.Endorse, DefaultFabricEndorse},
		{&t.Submit, DefaultFabricSubmit}, {&t.Commit, DefaultFabricCommit}, {&t.Lost, DefaultFabricLostAfter},
	} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
}

func (f *Fabric) applyDefaults(c *Config) {
	f.ApplyDefaults()
	for i := range f.Peers {
		f.Peers[i].TLSCA = c.Abs(f.Peers[i].TLSCA)
	}
	f.Identity.Cert = c.Abs(f.Identity.Cert)
	if f.Identity.Key.File != "" {
		f.Identity.Key.File = c.Abs(f.Identity.Key.File)
	}
	f.Trust.ConfigBlock = c.Abs(f.Trust.ConfigBlock)
}

func (f *Fabric) validate(p problems) {
	if len(f.Peers) == 0 {
		p.at("peers").add("at least one gateway peer is required")
	}
	for i, peer := range f.Peers {
		pp := p.at(fmt.Sprintf("peers[%d]", i))
		if _, port, err := net.SplitHostPort(peer.Address); err != nil || port == "" {
			pp.at("address").add("%q: want host:port, e.g. peer0.org1.example.com:7051", peer.Address)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			pp.at("address").add("%q: the port is not a number from 1 to 65535", peer.Address)
		}
		if peer.TLSCA == "" {
			pp.at("tls_ca").add("is required: the PEM file of the CA of the peer's TLS certificate (TLS is always on)")
		} else {
			pp.at("tls_ca").readable(peer.TLSCA)
		}
	}
	if f.MSPID == "" {
		p.at("msp_id").add("is required (the MSP of the identity, e.g. Org1MSP)")
	}
	id := p.at("identity")
	if f.Identity.Cert == "" {
		id.at("cert").add("is required: the PEM certificate of the client identity")
	} else {
		id.at("cert").readable(f.Identity.Cert)
	}
	k := id.at("key")
	switch {
	case f.Identity.Key.IsZero():
		k.add("is required: the PEM private key of the identity ({file: ...} or {env: ...})")
	case f.Identity.Key.File != "" && f.Identity.Key.Env != "":
		k.add("set either file or env, not both")
	case f.Identity.Key.File != "":
		k.privateFile(f.Identity.Key.File)
	}
	if f.Channel == "" {
		p.at("channel").add("is required (the channel name)")
	} else if !validChannelName(f.Channel) {
		p.at("channel").add("%q: a channel name is lower-case letters, digits, '.' and '-', starting with a letter", f.Channel)
	}
	if !validChaincodeName(f.Chaincode) {
		p.at("chaincode").add("%q: a chaincode name is letters and digits, with single '-' or '_' between them", f.Chaincode)
	}
	t := p.at("trust")
	if f.Trust.ConfigBlock == "" {
		t.at("config_block").add("is required: a channel config block (e.g. the genesis block) the verifier trusts")
	} else {
		t.at("config_block").readable(f.Trust.ConfigBlock)
	}
	if pol := strings.TrimSpace(f.Trust.EndorsementPolicy); pol != "" {
		switch strings.TrimSuffix(strings.ToLower(pol), " endorsement") {
		case "majority", "any", "all":
		default:
			if !strings.Contains(pol, "(") || !strings.HasSuffix(pol, ")") {
				t.at("endorsement_policy").add("%q: use majority, any, all or a signature policy such as AND('Org1MSP.peer','Org2MSP.peer')", pol)
			}
		}
	}
	tt := f.Timeouts
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"dial", tt.Dial}, {"evaluate", tt.Evaluate}, {"endorse", tt.Endorse}, {"submit", tt.Submit}, {"commit", tt.Commit}, {"lost", tt.Lost}} {
		if d.v < 0 {
			p.at("timeouts." + d.name).add("must not be negative")
		}
	}
}

// validChannelName follows Fabric's rule for channel names: a lower-case
// letter, then lower-case letters, digits, '.' and '-', at most 249 bytes.
func validChannelName(s string) bool {
	if s == "" || len(s) > 249 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// validChaincodeName follows Fabric's rule for chaincode names: runs of
// letters and digits joined by single '-' or '_'.
func validChaincodeName(s string) bool {
	if s == "" || len(s) > maxFabricChaincodeNameLen {
		return false
	}
	prevSep := true // no separator first
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			prevSep = false
		case (r == '-' || r == '_') && !prevSep:
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}
