package fabrictest

import (
	"fmt"
	"google.golang.org/protobuf/encoding/protowire"
	"math"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Org is an organization with its MSP and identities.
type Org struct {
	MSPID   string
	CA      *CA
	NodeOUs bool // the MSP classifies identities by OU (cryptogen's default)

	Admin    *Identity
	Client   *Identity
	Peers    []*Identity
	Orderers []*Identity

	// CRLs are DER revocation lists put into the MSP config.
	CRLs [][]byte
	// Endorsement is the org's Endorsement policy in the config; nil means
	// OR('<MSPID>.peer') (or .member without NodeOUs).
	Endorsement *cb.SignaturePolicyEnvelope
	// EndorsementPolicy, when set, is written as the org's Endorsement
	// policy verbatim, whatever its type; it takes precedence over
	// Endorsement.
	EndorsementPolicy *cb.Policy
	// NoEndorsement leaves the Endorsement policy out of the org's group.
	NoEndorsement bool
	// Idemix writes the org's MSP as an Idemix MSP (MSPConfig type 1) of
	// the same ID instead of an X.509 one. Its identities are still X.509
	// certificates of CA, which no verifier of the channel accepts.
	Idemix bool
}

// NewOrg makes an organization with an admin, a client, peers peers and
// orderers orderers. With nodeOUs each identity carries its NodeOU;
// without, none does and the admin is listed in the MSP config.
func NewOrg(mspID string, nodeOUs bool, peers, orderers int) (*Org, error) {
	ca, err := NewCA(mspID)
	if err != nil {
		return nil, err
	}
	o := &Org{MSPID: mspID, CA: ca, NodeOUs: nodeOUs}
	ou := func(s string) string {
		if nodeOUs {
			return s
		}
		return ""
	}
	if o.Admin, err = ca.NewIdentity(mspID, "Admin@"+mspID, ou(OUAdmin)); err != nil {
		return nil, err
	}
	if o.Client, err = ca.NewIdentity(mspID, "User1@"+mspID, ou(OUClient)); err != nil {
		return nil, err
	}
	for i := range peers {
		p, err := ca.NewIdentity(mspID, fmt.Sprintf("peer%d.%s", i, mspID), ou(OUPeer))
		if err != nil {
			return nil, err
		}
		o.Peers = append(o.Peers, p)
	}
	for i := range orderers {
		p, err := ca.NewIdentity(mspID, fmt.Sprintf("orderer%d.%s", i, mspID), ou(OUOrderer))
		if err != nil {
			return nil, err
		}
		o.Orderers = append(o.Orderers, p)
	}
	return o, nil
}

// Peer returns the org's first peer.
func (o *Org) Peer() *Identity { return o.Peers[0] }

// mspValue returns the marshalled msp.MSPConfig of the org.
func (o *Org) mspValue() []byte {
	if o.Idemix {
		// An IdemixMSPConfig with only its name; the issuer and revocation
		// keys are of no use to an X.509 verifier.
		return mustMarshal(&mspb.MSPConfig{Type: 1, Config: mustMarshal(&mspb.IdemixMSPConfig{Name: o.MSPID})})
	}
	fc := &mspb.FabricMSPConfig{
		Name:         o.MSPID,
		RootCerts:    [][]byte{o.CA.PEM()},
		CryptoConfig: &mspb.FabricCryptoConfig{SignatureHashFamily: "SHA2", IdentityIdentifierHashFunction: "SHA256"},
	}
	for _, crl := range o.CRLs {
		fc.RevocationList = append(fc.RevocationList, pemBytes("X509 CRL", crl))
	}
	if o.NodeOUs {
		id := func(ou string) *mspb.FabricOUIdentifier {
			return &mspb.FabricOUIdentifier{Certificate: o.CA.PEM(), OrganizationalUnitIdentifier: ou}
		}
		fc.FabricNodeOus = &mspb.FabricNodeOUs{
			Enable:              true,
			ClientOuIdentifier:  id(OUClient),
			PeerOuIdentifier:    id(OUPeer),
			AdminOuIdentifier:   id(OUAdmin),
			OrdererOuIdentifier: id(OUOrderer),
		}
	} else {
		fc.Admins = [][]byte{certPEM(o.Admin.Cert)}
	}
	return mustMarshal(&mspb.MSPConfig{Type: 0, Config: mustMarshal(fc)})
}

// Options configure NewNetwork.
type Options struct {
	Channel   string // default "records"
	AppOrgs   int    // application organizations Org1MSP…, default 2
	BFT       bool   // SmartBFT with Orderers consenters
	Orderers  int    // orderer nodes of OrdererMSP; default 1, or 4 with BFT
	NoNodeOUs bool   // MSPs without NodeOUs
	// ChannelCapability is the capability Config writes into
	// /Channel/Capabilities: default V2_0 (V3_0 with BFT), as
	// configtxgen's profiles; NoCapability for none (a v1.0 channel).
	ChannelCapability string
}

// NoCapability as Options.ChannelCapability leaves /Channel/Capabilities
// out of the config.
const NoCapability = "-"

// Network is a channel: its orgs, its orderers and its config. Change the
// exported fields and call UpdateTx to make a config update signed by the
// orgs' admins, or ConfigEnvelope for a config envelope without one.
type Network struct {
	Channel    string
	OrdererOrg *Org
	AppOrgs    []*Org
	BFT        bool
	// ChannelCapability is the capability in /Channel/Capabilities, or
	// NoCapability.
	ChannelCapability string
	// Sequence is the config sequence ConfigEnvelope writes.
	Sequence uint64
	// Current is the config of the last config block made: GenesisBlock
	// sets it, UpdateTx replaces it. Tests may edit it to make the config
	// of a channel that went through other updates.
	Current *cb.Config
}

// NewNetwork makes a channel with fresh keys.
func NewNetwork(o Options) (*Network, error) {
	if o.Channel == "" {
		o.Channel = "records"
	}
	if o.AppOrgs == 0 {
		o.AppOrgs = 2
	}
	if o.Orderers == 0 {
		o.Orderers = 1
		if o.BFT {
			o.Orderers = 4
		}
	}
	if o.ChannelCapability == "" {
		o.ChannelCapability = "V2_0"
		if o.BFT {
			o.ChannelCapability = "V3_0"
		}
	}
	n := &Network{Channel: o.Channel, BFT: o.BFT, ChannelCapability: o.ChannelCapability}
	var err error
	if n.OrdererOrg, err = NewOrg("OrdererMSP", !o.NoNodeOUs, 0, o.Orderers); err != nil {
		return nil, err
	}
	for i := range o.AppOrgs {
		org, err := NewOrg(fmt.Sprintf("Org%dMSP", i+1), !o.NoNodeOUs, 1, 0)
		if err != nil {
			return nil, err
		}
		n.AppOrgs = append(n.AppOrgs, org)
	}
	return n, nil
}

// Org returns the application org with the MSP ID, or nil.
func (n *Network) Org(mspID string) *Org {
	for _, o := range n.AppOrgs {
		if o.MSPID == mspID {
			return o
		}
	}
	return nil
}

// Quorum is SmartBFT's quorum for the network's orderers.
func (n *Network) Quorum() int {
	c := len(n.OrdererOrg.Orderers)
	f := (c - 1) / 3
	return (c + f + 2) / 2
}

// Config returns the channel config the network describes, shaped like
// the configs configtxgen makes: every group, value and policy has
// mod_policy "Admins" and version 0; each org has Admins (its admin role),
// Readers and Writers policies, and the Channel, Orderer and Application
// groups implicit-meta Admins (MAJORITY), Readers and Writers (ANY).
func (n *Network) Config() *cb.Config {
	oo := n.OrdererOrg
	ordOrg := &cb.ConfigGroup{
		Values: map[string]*cb.ConfigValue{"MSP": {Value: oo.mspValue()}},
		Policies: map[string]*cb.ConfigPolicy{
			"Admins":  sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(oo.MSPID, mspb.MSPRole_ADMIN)),
			"Readers": sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(oo.MSPID, mspb.MSPRole_MEMBER)),
			"Writers": sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(oo.MSPID, mspb.MSPRole_MEMBER)),
		},
	}
	consensus := "etcdraft"
	ordGroup := &cb.ConfigGroup{
		Groups:   map[string]*cb.ConfigGroup{oo.MSPID: ordOrg},
		Values:   map[string]*cb.ConfigValue{},
		Policies: metaPolicies(),
	}
	if n.BFT {
		consensus = "BFT"
		var cons []*cb.Consenter
		var ids []*mspb.MSPPrincipal
		var rules []*cb.SignaturePolicy
		for i, o := range oo.Orderers {
			cons = append(cons, &cb.Consenter{Id: uint32(i + 1), Host: "127.0.0.1", Port: uint32(7050 + i), MspId: oo.MSPID, Identity: certPEM(o.Cert)})
			ids = append(ids, &mspb.MSPPrincipal{PrincipalClassification: mspb.MSPPrincipal_IDENTITY, Principal: o.Serialized()})
			rules = append(rules, signedBy(int32(i)))
		}
		ordGroup.Values["Orderers"] = &cb.ConfigValue{Value: mustMarshal(&cb.Orderers{ConsenterMapping: cons})}
		ordGroup.Policies["BlockValidation"] = sigPolicy(nOutOf(int32(n.Quorum()), rules...), ids...)
	} else {
		ordGroup.Policies["BlockValidation"] = implicitMeta(cb.ImplicitMetaPolicy_ANY, "Writers")
	}
	// orderer.ConsensusType{type}, BatchSize{10, 99 MB, 512 KB} and
	// BatchTimeout{"2s"}, encoded here: the orderer package links gRPC.
	varint := func(b []byte, num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
	}
	str := func(num protowire.Number, v string) []byte {
		return protowire.AppendString(protowire.AppendTag(nil, num, protowire.BytesType), v)
	}
	ordGroup.Values["ConsensusType"] = &cb.ConfigValue{Value: str(1, consensus)}
	ordGroup.Values["BatchSize"] = &cb.ConfigValue{Value: varint(varint(varint(nil, 1, 10), 2, 99<<20), 3, 512<<10)}
	ordGroup.Values["BatchTimeout"] = &cb.ConfigValue{Value: str(1, "2s")}
	app := &cb.ConfigGroup{Groups: map[string]*cb.ConfigGroup{}, Policies: metaPolicies()}
	app.Policies["Endorsement"] = implicitMeta(cb.ImplicitMetaPolicy_MAJORITY, "Endorsement")
	for _, o := range n.AppOrgs {
		var end *cb.ConfigPolicy
		switch {
		case o.EndorsementPolicy != nil:
			end = &cb.ConfigPolicy{Policy: o.EndorsementPolicy}
		case o.Endorsement != nil:
			end = &cb.ConfigPolicy{Policy: &cb.Policy{Type: int32(cb.Policy_SIGNATURE), Value: mustMarshal(o.Endorsement)}}
		default:
			r := mspb.MSPRole_PEER
			if !o.NodeOUs {
				r = mspb.MSPRole_MEMBER
			}
			end = sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(o.MSPID, r))
		}
		g := &cb.ConfigGroup{
			Values: map[string]*cb.ConfigValue{"MSP": {Value: o.mspValue()}},
			Policies: map[string]*cb.ConfigPolicy{
				"Admins":      sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(o.MSPID, mspb.MSPRole_ADMIN)),
				"Readers":     sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(o.MSPID, mspb.MSPRole_MEMBER)),
				"Writers":     sigPolicy(nOutOf(1, signedBy(0)), rolePrincipal(o.MSPID, mspb.MSPRole_MEMBER)),
				"Endorsement": end,
			},
		}
		if o.NoEndorsement {
			delete(g.Policies, "Endorsement")
		}
		app.Groups[o.MSPID] = g
	}
	root := &cb.ConfigGroup{
		Groups: map[string]*cb.ConfigGroup{"Orderer": ordGroup, "Application": app},
		Values: map[string]*cb.ConfigValue{
			"HashingAlgorithm":          {Value: mustMarshal(&cb.HashingAlgorithm{Name: "SHA256"})},
			"BlockDataHashingStructure": {Value: mustMarshal(&cb.BlockDataHashingStructure{Width: math.MaxUint32})},
		},
		Policies: metaPolicies(),
	}
	if n.ChannelCapability != NoCapability {
		root.Values["Capabilities"] = &cb.ConfigValue{Value: mustMarshal(&cb.Capabilities{
			Capabilities: map[string]*cb.Capability{n.ChannelCapability: {}},
		})}
	}
	// Where the orderers are, as Fabric requires it of the capability:
	// global OrdererAddresses below V1_4_2, org Endpoints from V1_4_2 on
	// (and only those with V3_0).
	endpoints := mustMarshal(&cb.OrdererAddresses{Addresses: []string{"127.0.0.1:7050"}})
	switch n.ChannelCapability {
	case NoCapability, "V1_1", "V1_3":
		root.Values["OrdererAddresses"] = &cb.ConfigValue{Value: endpoints}
	default:
		ordOrg.Values["Endpoints"] = &cb.ConfigValue{Value: endpoints}
	}
	setModPolicy(root, "Admins")
	return &cb.Config{Sequence: n.Sequence, ChannelGroup: root}
}

// metaPolicies returns a group's implicit-meta Admins, Readers and Writers.
func metaPolicies() map[string]*cb.ConfigPolicy {
	return map[string]*cb.ConfigPolicy{
		"Admins":  implicitMeta(cb.ImplicitMetaPolicy_MAJORITY, "Admins"),
		"Readers": implicitMeta(cb.ImplicitMetaPolicy_ANY, "Readers"),
		"Writers": implicitMeta(cb.ImplicitMetaPolicy_ANY, "Writers"),
	}
}

// setModPolicy sets the mod_policy of g and of everything in it that has
// none.
func setModPolicy(g *cb.ConfigGroup, mp string) {
	if g.ModPolicy == "" {
		g.ModPolicy = mp
	}
	for _, v := range g.Values {
		if v.ModPolicy == "" {
			v.ModPolicy = mp
		}
	}
	for _, p := range g.Policies {
		if p.ModPolicy == "" {
			p.ModPolicy = mp
		}
	}
	for _, c := range g.Groups {
		setModPolicy(c, mp)
	}
}

// Admins returns the admin of every org: the orderer org's first, then the
// application orgs'. Together they satisfy every Admins policy of Config.
func (n *Network) Admins() []*Identity {
	ids := []*Identity{n.OrdererOrg.Admin}
	for _, o := range n.AppOrgs {
		ids = append(ids, o.Admin)
	}
	return ids
}

// ConfigEnvelope returns a CONFIG envelope with the network's config,
// signed by signer (an orderer, in a real network; nil leaves it unsigned,
// as in a genesis block).
func (n *Network) ConfigEnvelope(signer *Identity) []byte {
	data := mustMarshal(&cb.ConfigEnvelope{Config: n.Config()})
	var creator []byte
	if signer != nil {
		creator = signer.Serialized()
	}
	return envelope(cb.HeaderType_CONFIG, n.Channel, "", creator, nonce(), data, signer)
}

// GenesisBlock returns block 0 with the network's config, unsigned, as
// configtxgen writes it, and makes that config Current.
func (n *Network) GenesisBlock() ([]byte, error) {
	n.Current = n.Config()
	return assemble(0, nil, [][]byte{n.ConfigEnvelope(nil)}, nil, 0, nil)
}

func rolePrincipal(msp string, r mspb.MSPRole_MSPRoleType) *mspb.MSPPrincipal {
	return &mspb.MSPPrincipal{
		PrincipalClassification: mspb.MSPPrincipal_ROLE,
		Principal:               mustMarshal(&mspb.MSPRole{MspIdentifier: msp, Role: r}),
	}
}

func signedBy(i int32) *cb.SignaturePolicy {
	return &cb.SignaturePolicy{Type: &cb.SignaturePolicy_SignedBy{SignedBy: i}}
}

func nOutOf(n int32, rules ...*cb.SignaturePolicy) *cb.SignaturePolicy {
	return &cb.SignaturePolicy{Type: &cb.SignaturePolicy_NOutOf_{NOutOf: &cb.SignaturePolicy_NOutOf{N: n, Rules: rules}}}
}

// SignaturePolicy returns a SignaturePolicyEnvelope requiring n of the
// roles, each "MSPID.role" with role member, admin, client, peer or
// orderer, for Org.Endorsement.
func SignaturePolicy(n int32, roles ...string) (*cb.SignaturePolicyEnvelope, error) {
	env := &cb.SignaturePolicyEnvelope{}
	var rules []*cb.SignaturePolicy
	for i, r := range roles {
		var msp, name string
		for j := len(r) - 1; j >= 0; j-- {
			if r[j] == '.' {
				msp, name = r[:j], r[j+1:]
				break
			}
		}
		v, ok := mspb.MSPRole_MSPRoleType_value[upper(name)]
		if msp == "" || !ok {
			return nil, fmt.Errorf("fabrictest: principal %q", r)
		}
		env.Identities = append(env.Identities, rolePrincipal(msp, mspb.MSPRole_MSPRoleType(v)))
		rules = append(rules, signedBy(int32(i)))
	}
	env.Rule = nOutOf(n, rules...)
	return env, nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func sigPolicy(rule *cb.SignaturePolicy, ids ...*mspb.MSPPrincipal) *cb.ConfigPolicy {
	env := &cb.SignaturePolicyEnvelope{Rule: rule, Identities: ids}
	return &cb.ConfigPolicy{Policy: &cb.Policy{Type: int32(cb.Policy_SIGNATURE), Value: mustMarshal(env)}}
}

func implicitMeta(rule cb.ImplicitMetaPolicy_Rule, sub string) *cb.ConfigPolicy {
	return &cb.ConfigPolicy{Policy: ImplicitMetaPolicy(rule, sub)}
}

// ImplicitMetaPolicy returns an implicit-meta policy ("ANY Endorsement"),
// for Org.EndorsementPolicy.
func ImplicitMetaPolicy(rule cb.ImplicitMetaPolicy_Rule, sub string) *cb.Policy {
	v := mustMarshal(&cb.ImplicitMetaPolicy{Rule: rule, SubPolicy: sub})
	return &cb.Policy{Type: int32(cb.Policy_IMPLICIT_META), Value: v}
}

func mustMarshal(m proto.Message) []byte {
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err) // the messages built here always marshal
	}
	return b
}
