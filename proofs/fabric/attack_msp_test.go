package fabric_test

// Attack tests: inputs about MSP versions, NodeOUs, roles and identity
// validation that this verifier accepted and a Fabric peer of the same
// channel refuses, found by an attacker review. Each test asserts
// Fabric's outcome; each failed before the fix it guards.

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspb "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// otherEncoding returns id with its certificate re-encoded: same TBS, same
// key, the issuer's ECDSA signature (r, s) replaced by (r, n-s). Go's x509
// verifies both forms; Fabric's MSP sanitizes every certificate to low S
// before it uses it (bccspmsp.sanitizeCert in newIdentity), so for Fabric
// the two are one identity (same IdentityIdentifier, same cert.Raw).
func otherEncoding(t *testing.T, id *fabrictest.Identity, issuer *fabrictest.CA) *fabrictest.Identity {
	t.Helper()
	in := cryptobyte.String(id.Cert.Raw)
	var body, tbs, alg cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1Element(&tbs, cbasn1.SEQUENCE) ||
		!body.ReadASN1Element(&alg, cbasn1.SEQUENCE) {
		t.Fatal("certificate does not parse")
	}
	var bs asn1.BitString
	if !body.ReadASN1BitString(&bs) {
		t.Fatal("certificate signature does not parse")
	}
	other, err := fabrictest.HighS(issuer.Cert.PublicKey.(*ecdsa.PublicKey).Curve, bs.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(alg)
		b.AddASN1BitString(other)
	})
	der := b.BytesOrPanic()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSignatureFrom(issuer.Cert); err != nil {
		t.Fatalf("re-encoded certificate does not verify: %v", err)
	}
	if string(c.Raw) == string(id.Cert.Raw) {
		t.Fatal("re-encoding changed nothing")
	}
	return &fabrictest.Identity{MSPID: id.MSPID, Cert: c, Key: id.Key}
}

// TestAtkCertEncodingCountsTwice: one peer key, its certificate presented
// in two DER encodings (high-S and low-S issuer signature), counts as two
// distinct endorsers. Fabric deduplicates signers by IdentityIdentifier,
// the hash of the sanitized (low-S) certificate
// (common/policies.SignatureSetToValidIdentities, msp.newIdentity), so
// both encodings are one identity and OutOf(2,…) over one org's peers
// fails: the peer flags the transaction ENDORSEMENT_POLICY_FAILURE. The
// verifier deduplicates by the SHA-256 of the raw DER (dedupe) and accepts.
func TestAtkCertEncodingCountsTwice(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	peer := org1.Peer()
	twin := otherEncoding(t, peer, org1.CA)
	s.checkPolicies(t, []policyCase{
		// Control: the same DER twice is one endorser.
		{"one peer, same encoding twice", []*fabrictest.Identity{peer, peer}, "OutOf(2,'Org1MSP.peer','Org1MSP.peer')", fabric.ErrEndorsementPolicy},
		// Attack: the same certificate in two encodings.
		{"one peer, two encodings", []*fabrictest.Identity{peer, twin}, "OutOf(2,'Org1MSP.peer','Org1MSP.peer')", fabric.ErrEndorsementPolicy},
		{"one peer, two encodings, AND", []*fabrictest.Identity{peer, twin}, "AND('Org1MSP.member','Org1MSP.member')", fabric.ErrEndorsementPolicy},
	})
}

// TestAtkCertEncodingCountsTwiceConfigUpdate: the same double count in a
// config update. Org1's Admins policy needs two distinct Org1 admins; one
// admin signs the update twice, once per encoding of its certificate, and
// the verifier advances trust to a config that swaps Org1's root CA for
// the attacker's. A peer counts one admin and refuses the update.
func TestAtkCertEncodingCountsTwiceConfigUpdate(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env, err := fabrictest.SignaturePolicy(2, "Org1MSP.admin", "Org1MSP.admin")
	if err != nil {
		t.Fatal(err)
	}
	s := genesisWith(t, n, func(cfg *cb.Config) {
		org := cfg.ChannelGroup.Groups["Application"].Groups["Org1MSP"]
		org.Policies["Admins"] = &cb.ConfigPolicy{ModPolicy: "Admins",
			Policy: &cb.Policy{Type: int32(cb.Policy_SIGNATURE), Value: mustProto(t, env)}}
	})
	org1 := s.net.AppOrgs[0]
	twin := otherEncoding(t, org1.Admin, org1.CA)
	evil, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := proto.Clone(s.net.Current).(*cb.Config)
	want.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["MSP"].Value = mspOf(s, evil)
	b1, _ := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{org1.Admin, twin})
	if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err == nil {
		t.Fatal("accepted: one Org1 admin, signing with two encodings of its certificate, satisfied OutOf(2,'Org1MSP.admin','Org1MSP.admin') and replaced Org1's CA")
	}
}

// TestAtkV13ListedAdminMustBeClient: under MSP v1.1 and v1.3 (channel
// capability V1_1, V1_3, V1_4_2) with NodeOUs, every listed admin must be
// a client: bccspmsp.postSetupV11 checks SatisfiesPrincipal(CLIENT) for
// each admin and fails the MSP setup otherwise, so a config listing a
// peer certificate as admin is refused by peers and orderers. The
// verifier accepts the update, then takes a later update signed by the
// peer key alone as an admin's.
func TestAtkV13ListedAdminMustBeClient(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: "V1_3"})
	if err != nil {
		t.Fatal(err)
	}
	if n.OrdererOrg, err = fabrictest.NewOrg("OrdererMSP", false, 0, 1); err != nil {
		t.Fatal(err)
	}
	org1 := n.AppOrgs[0]
	// A config Fabric v1.3 accepts: Org1's listed admin is its client.
	s := genesisWith(t, n, func(cfg *cb.Config) {
		legacyOrdererAddresses(cfg)
		editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
			fc.Admins = [][]byte{pemCert(org1.Client.Cert)}
		})
	})
	// Block 1: Org1's admin lists Org1's peer as a second admin.
	want := proto.Clone(s.net.Current).(*cb.Config)
	editMSP(t, want, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
		fc.Admins = append(fc.Admins, pemCert(org1.Peer().Cert))
	})
	b1, cfg1 := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{org1.Client})
	next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
	if err == nil {
		t.Errorf("accepted a V1_3 config whose Org1 MSP lists a peer (not a client) as admin; Fabric's postSetupV11 fails its setup")
	} else {
		return
	}
	// Block 2: the peer key alone, as "admin", changes Org1's MSP.
	peerTakesOver(t, s, next, b1, cfg1)
}

// TestAtkV143ListedAdminMustCarryClientOrAdminOU: under MSP v1.4.3 and
// v3.0 with NodeOUs, every listed admin must carry the client or the
// admin OU (bccspmsp.postSetupV142), else the MSP setup fails. The
// verifier accepts a V2_0 config listing a peer certificate as admin and
// then lets that peer key sign as Org1's admin.
func TestAtkV143ListedAdminMustCarryClientOrAdminOU(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1 := s.net.AppOrgs[0]
	want := proto.Clone(s.net.Current).(*cb.Config)
	editMSP(t, want, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
		fc.Admins = [][]byte{pemCert(org1.Peer().Cert)}
	})
	b1, cfg1 := s.updateBlock(t, 1, nil, want, []*fabrictest.Identity{org1.Admin})
	next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
	if err != nil {
		return
	}
	t.Errorf("accepted a V2_0 config whose Org1 MSP lists a peer-OU certificate as admin; Fabric's postSetupV142 fails its setup")
	peerTakesOver(t, s, next, b1, cfg1)
}

// peerTakesOver: after config block b1 (config cfg1, trusted as next)
// listed Org1's peer as an admin, block 2 replaces Org1's CA with an
// update signed by that peer key alone.
func peerTakesOver(t *testing.T, s *synth, next *fabric.TrustedConfig, b1 []byte, cfg1 *cb.Config) {
	t.Helper()
	s.net.Current = cfg1
	evil, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := proto.Clone(s.net.Current).(*cb.Config)
	want.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["MSP"].Value = mspOf(s, evil)
	b2, _ := s.updateBlock(t, 2, hashOf(t, b1), want, []*fabrictest.Identity{s.net.AppOrgs[0].Peer()})
	if _, _, err := fabric.VerifyChain(next, [][]byte{b2}); err == nil {
		t.Errorf("and then accepted Org1's CA replaced by an update signed by Org1's peer key alone")
	}
}

// TestAtkMSPSetupRulesByVersion: MSP configs a peer cannot set up under
// the channel's MSP version, which the verifier installs anyway. Each is a
// config update signed by the admins the mod_policies need.
func TestAtkMSPSetupRulesByVersion(t *testing.T) {
	// v1.4.3: no listed admin and no admin OU (setupAdminsV142:
	// "administrators must be declared when no admin ou classification is
	// set").
	t.Run("V2_0 no admins and no admin OU", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		org1 := s.net.AppOrgs[0]
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP with neither admins nor an admin OU under MSP v1.4.3", func(fc *mspb.FabricMSPConfig) {
			fc.FabricNodeOus.AdminOuIdentifier = nil
		})
	})
	// v1.1/v1.3: FabricNodeOus present, even disabled, must name a client
	// and a peer OU (setupNodeOUs).
	t.Run("V1_3 disabled NodeOUs without client and peer OU", func(t *testing.T) {
		s := v13WithListedClientAdmin(t)
		org1 := s.net.AppOrgs[0]
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Client}, "accepted FabricNodeOus{enable: false} without client and peer OUs under MSP v1.3; setupNodeOUs fails", func(fc *mspb.FabricMSPConfig) {
			fc.FabricNodeOus = &mspb.FabricNodeOUs{Enable: false}
		})
	})
	// v1.0 (and any version without NodeOUs enforcement): listed admins
	// must validate (postSetupV1).
	t.Run("no capability, admin from a foreign CA", func(t *testing.T) {
		n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: fabrictest.NoCapability, NoNodeOUs: true})
		if err != nil {
			t.Fatal(err)
		}
		s := genesisWith(t, n, legacyOrdererAddresses)
		org1 := s.net.AppOrgs[0]
		stranger, err := fabrictest.NewOrg("Org1MSP", false, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.refusesOrg1MSPEdit(t, []*fabrictest.Identity{org1.Admin}, "accepted an MSP whose listed admin does not validate under MSP v1.0", func(fc *mspb.FabricMSPConfig) {
			fc.Admins = append(fc.Admins, pemCert(stranger.Admin.Cert))
		})
	})
}

// TestAtkV3CapabilityWithoutOrdererEndpoints: raising the channel
// capability to V3_0 makes Fabric insist that every orderer org has its
// own endpoints (channelconfig.NewOrdererConfig →
// validateAllOrgsHaveEndpoints when ConsensusTypeBFT(), and
// Bundle.ValidateNew on the !isOldV3 && isNewV3 transition). The
// verifier accepts the update and installs MSP v3.0 rules.
func TestAtkV3CapabilityWithoutOrdererEndpoints(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// V2_0 does not require org endpoints.
	s := genesisWith(t, n, func(cfg *cb.Config) {
		delete(cfg.ChannelGroup.Groups["Orderer"].Groups["OrdererMSP"].Values, "Endpoints")
	})
	want := proto.Clone(s.net.Current).(*cb.Config)
	want.ChannelGroup.Values["Capabilities"].Value = mustProto(t, &cb.Capabilities{Capabilities: map[string]*cb.Capability{"V3_0": {}}})
	b1, _ := s.updateBlock(t, 1, nil, want, s.admins)
	next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
	if err == nil {
		t.Errorf("accepted V2_0 -> V3_0 with an orderer org without endpoints (MSP version now %s)", mspVersionOf(t, next))
	}
}

// TestAtkLegacyCapabilityWithoutOrdererAddresses: below V1_4_2 (no
// OrgSpecificOrdererEndpoints) Fabric requires the global
// /Channel/OrdererAddresses (ChannelConfig.Validate →
// validateOrdererAddresses); a V1_3 config without it does not load.
func TestAtkLegacyCapabilityWithoutOrdererAddresses(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: "V1_3"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := n.Config()
	delete(cfg.ChannelGroup.Values, "OrdererAddresses")
	env, err := n.ConfigTx(&fabrictest.ConfigUpdate{Update: &cb.ConfigUpdate{ChannelId: n.Channel}, Next: cfg}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.Block(fabrictest.BlockSpec{Number: 0, Envelopes: [][]byte{env}, NoSigners: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fabric.ParseConfigBlock(g); err == nil {
		t.Error("parsed a V1_3 config without OrdererAddresses, which Fabric refuses")
	}
}

// TestAtkBFTModeByConsensusNotCapability: Fabric's peer verifies blocks
// the BFT way (IdentifierHeader signatures resolved through the
// consenters) only when the channel capability V3_0 is set
// (deliverclient.BlockVerifierAssembler / protoutil.BlockSignatureVerifier
// with bftEnabled = Capabilities().ConsensusTypeBFT()). On a V2_0 channel
// whose consensus type is BFT, identifier-header signatures carry no
// creator and count for nothing, so a block signed only that way fails
// BlockValidation. The verifier keys BFT on the consensus type and
// accepts it.
func TestAtkBFTModeByConsensusNotCapability(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{BFT: true, ChannelCapability: "V2_0"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	// The config is refused: no block of it could verify the BFT way.
	if _, err := fabric.ParseConfigBlock(g); !errors.Is(err, fabric.ErrBadConfig) {
		t.Errorf("got %v for a BFT channel without V3_0, want ErrBadConfig", err)
	}
}

// TestAtkJSONStateNotBoundToBlock: the anchor state's msp_version is not
// checked against the config block it names. A state that says 1.3 for a
// V2_0 block loads, WithConfigBlock takes the block without noticing the
// difference, and transactions verified under the state alone follow
// v1.3 rules: an endorser carrying both the peer and the admin OU, which
// Fabric's v1.4.3 MSP refuses (validateIdentityOUsV142: two node OUs),
// counts as an Org1 peer.
func TestAtkJSONStateNotBoundToBlock(t *testing.T) {
	s := capabilitySynth(t, "V2_0")
	enc, err := s.tc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(enc, &m); err != nil {
		t.Fatal(err)
	}
	m["msp_version"] = "1.3"
	enc, _ = json.Marshal(m)
	var forged fabric.TrustedConfig
	if err := forged.UnmarshalJSON(enc); err != nil {
		t.Fatal(err)
	}
	if _, err := forged.WithConfigBlock(s.genesis); err == nil {
		t.Error("WithConfigBlock accepted the V2_0 config block for a state that says MSP 1.3")
	}
	// Under the forged state alone a peer+admin OU endorser would count as
	// an Org1 peer: the anchor state is the root of trust, pinned by its
	// digest, and a wrong one is trusted by whoever pins it. Under the
	// state derived from the block it is refused.
	tx, _ := s.publishTx(t, peerAdmin(t, s.net.AppOrgs[0]))
	b0 := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, tx))
	if _, err := fabric.VerifyTransaction(s.tc, b0, 0, mustPolicy(t, "OR('Org1MSP.peer')")); err == nil {
		t.Fatal("control: the block-derived state accepted it too")
	}
}

// ---------------------------------------------------------------- helpers

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func mustProto(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// genesisBlockOf returns the genesis block of n's config after edit, and
// makes that config n's current one.
func genesisBlockOf(t *testing.T, n *fabrictest.Network, edit func(*cb.Config)) []byte {
	t.Helper()
	cfg := n.Config()
	edit(cfg)
	env, err := n.ConfigTx(&fabrictest.ConfigUpdate{Update: &cb.ConfigUpdate{ChannelId: n.Channel}, Next: cfg}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.Block(fabrictest.BlockSpec{Number: 0, Envelopes: [][]byte{env}, NoSigners: true})
	if err != nil {
		t.Fatal(err)
	}
	n.Current = cfg
	return g
}

// genesisWith makes the genesis block of n's config after edit, and a
// synth on it.
func genesisWith(t *testing.T, n *fabrictest.Network, edit func(*cb.Config)) *synth {
	t.Helper()
	g := genesisBlockOf(t, n, edit)
	tc, err := fabric.ParseConfigBlock(g)
	if err != nil {
		t.Fatal(err)
	}
	return &synth{net: n, genesis: g, tc: tc, admins: n.Admins()}
}

// legacyOrdererAddresses adds the global OrdererAddresses that Fabric
// requires below V1_4_2, so that the config is valid for Fabric.
func legacyOrdererAddresses(cfg *cb.Config) {
	cfg.ChannelGroup.Values["OrdererAddresses"] = &cb.ConfigValue{ModPolicy: "/Channel/Orderer/Admins",
		Value: func() []byte {
			b, _ := proto.Marshal(&cb.OrdererAddresses{Addresses: []string{"orderer0:7050"}})
			return b
		}()}
}

// v13WithListedClientAdmin is a V1_3 channel valid for Fabric whose Org1
// lists its client as admin (what MSP v1.3 requires of a listed admin).
func v13WithListedClientAdmin(t *testing.T) *synth {
	t.Helper()
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: "V1_3"})
	if err != nil {
		t.Fatal(err)
	}
	if n.OrdererOrg, err = fabrictest.NewOrg("OrdererMSP", false, 0, 1); err != nil {
		t.Fatal(err)
	}
	org1 := n.AppOrgs[0]
	return genesisWith(t, n, func(cfg *cb.Config) {
		legacyOrdererAddresses(cfg)
		editMSP(t, cfg, "Org1MSP", func(fc *mspb.FabricMSPConfig) {
			fc.Admins = [][]byte{pemCert(org1.Client.Cert)}
		})
	})
}

// editMSP edits the FabricMSPConfig of an application org in cfg.
func editMSP(t *testing.T, cfg *cb.Config, org string, edit func(*mspb.FabricMSPConfig)) {
	t.Helper()
	v := cfg.ChannelGroup.Groups["Application"].Groups[org].Values["MSP"]
	var mc mspb.MSPConfig
	if err := proto.Unmarshal(v.Value, &mc); err != nil {
		t.Fatal(err)
	}
	var fc mspb.FabricMSPConfig
	if err := proto.Unmarshal(mc.Config, &fc); err != nil {
		t.Fatal(err)
	}
	edit(&fc)
	mc.Config = mustProto(t, &fc)
	v.Value = mustProto(t, &mc)
}

// updateBlock is config block number (linked to prev; nil for block 1
// means the genesis) that moves the channel from its current
// config to want, the update signed by signers.
func (s *synth) updateBlock(t *testing.T, number uint64, prev []byte, want *cb.Config, signers []*fabrictest.Identity) ([]byte, *cb.Config) {
	t.Helper()
	u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, want)
	if err != nil {
		t.Fatal(err)
	}
	if prev == nil && number == 1 {
		prev = hashOf(t, s.genesis)
	}
	return s.configBlockOf(t, number, prev, u, signers, s.net.OrdererOrg.Orderers[0], nil), u.Next
}

func mspVersionOf(t *testing.T, tc *fabric.TrustedConfig) string {
	t.Helper()
	enc, err := tc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		V string `json:"msp_version"`
	}
	_ = json.Unmarshal(enc, &st)
	return st.V
}

// refusesOrg1MSPEdit checks that a config update changing Org1's MSP by
// edit, signed by signers, does not verify; msg says what was accepted.
func (s *synth) refusesOrg1MSPEdit(t *testing.T, signers []*fabrictest.Identity, msg string, edit func(*mspb.FabricMSPConfig)) {
	t.Helper()
	want := proto.Clone(s.net.Current).(*cb.Config)
	editMSP(t, want, "Org1MSP", edit)
	b1, _ := s.updateBlock(t, 1, nil, want, signers)
	if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1}); err == nil {
		t.Error(msg)
	}
}
