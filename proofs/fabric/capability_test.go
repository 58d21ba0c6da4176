package fabric_test

import (
	"errors"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// capabilitySynth is a two-org channel with the given channel capability.
// Its application orgs use NodeOUs with all four node OUs configured, as
// cryptogen writes them today. Its orderer org lists its admin and has no
// NodeOUs, so that its orderers' certificates (OU=orderer) are valid
// under every MSP version and blocks verify.
func capabilitySynth(t *testing.T, capability string) *synth {
	t.Helper()
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: capability})
	if err != nil {
		t.Fatal(err)
	}
	if n.OrdererOrg, err = fabrictest.NewOrg("OrdererMSP", false, 0, 1); err != nil {
		t.Fatal(err)
	}
	return synthOf(t, n)
}

// peerAdmin is an identity of org with two node OUs, peer and admin.
func peerAdmin(t *testing.T, org *fabrictest.Org) *fabrictest.Identity {
	t.Helper()
	id, err := org.CA.NewIdentityOUs(org.MSPID, "Admin2@"+org.MSPID, fabrictest.OUPeer, fabrictest.OUAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestChannelCapabilityMSPVersion: Fabric validates identities with the
// MSP version the channel capability selects (capabilities.ChannelProvider
// MSPVersion). Below V1_4_3 the admin and orderer OUs are not node OUs: a
// certificate whose only node OU is admin is not a valid identity, and
// none is an admin by OU; with no capability (v1.0) NodeOUs are off, so
// no identity has the client or peer role. The verifier used to apply the
// v1.4.3 rules to every channel and accept what these peers refuse, such
// as an endorsement or a config update signed by an admin-OU certificate
// on a V1_3 channel.
func TestChannelCapabilityMSPVersion(t *testing.T) {
	t.Run("V1_3", func(t *testing.T) {
		s := capabilitySynth(t, "V1_3")
		org1 := s.net.AppOrgs[0]
		clientAdmin := peerAdmin(t, org1)
		s.checkPolicies(t, []policyCase{
			// Only the admin OU, which v1.3 does not count: no node OU, so
			// not a valid identity (nor an admin even if it were).
			{"endorser with only OU=admin", []*fabrictest.Identity{org1.Admin}, "OR('Org1MSP.admin')", fabric.ErrEndorsementPolicy},
			{"endorser with only OU=admin, as a member", []*fabrictest.Identity{org1.Admin}, "OR('Org1MSP.member')", fabric.ErrCertChain},
			// Peer and admin OUs: valid (one node OU), a peer, not an admin.
			{"peer that also carries OU=admin", []*fabrictest.Identity{clientAdmin}, "OR('Org1MSP.admin')", fabric.ErrEndorsementPolicy},
			{"peer that also carries OU=admin, as a peer", []*fabrictest.Identity{clientAdmin}, "OR('Org1MSP.peer')", nil},
			{"peer", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.peer')", nil},
		})
	})
	t.Run("V2_0", func(t *testing.T) {
		s := capabilitySynth(t, "V2_0")
		org1 := s.net.AppOrgs[0]
		clientAdmin := peerAdmin(t, org1)
		s.checkPolicies(t, []policyCase{
			// The same identities under v1.4.3 rules.
			{"peer that also carries OU=admin", []*fabrictest.Identity{clientAdmin}, "OR('Org1MSP.peer')", fabric.ErrCertChain},
			{"peer", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.peer')", nil},
		})
	})
	t.Run("none", func(t *testing.T) {
		s := capabilitySynth(t, fabrictest.NoCapability)
		org1 := s.net.AppOrgs[0]
		s.checkPolicies(t, []policyCase{
			{"peer role without NodeOUs", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.peer')", fabric.ErrEndorsementPolicy},
			{"member", []*fabrictest.Identity{org1.Peer()}, "OR('Org1MSP.member')", nil},
			// Two node OUs are fine when nothing counts them.
			{"admin by OU", []*fabrictest.Identity{org1.Admin}, "OR('Org1MSP.admin')", fabric.ErrEndorsementPolicy},
		})
	})
}

// TestChannelCapabilityConfigUpdate: on a V1_3 channel, org admins whose
// certificates carry only OU=admin cannot sign a config update, because
// Fabric's v1.3 MSP finds no node OU in them. The verifier used to count
// them as admins and advance trust to the update.
func TestChannelCapabilityConfigUpdate(t *testing.T) {
	for _, c := range []struct {
		capability string
		want       error
	}{{"V1_3", fabric.ErrModPolicy}, {"V2_0", nil}} {
		t.Run(c.capability, func(t *testing.T) {
			s := capabilitySynth(t, c.capability)
			orderer := s.net.OrdererOrg.Orderers[0]
			rotated, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := proto.Clone(s.net.Current).(*cb.Config)
			want.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["MSP"].Value = mspOf(s, rotated)
			u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, want)
			if err != nil {
				t.Fatal(err)
			}
			b1 := s.configBlockOf(t, 1, hashOf(t, s.genesis), u, s.admins, orderer, nil)
			_, _, err = fabric.VerifyChain(s.tc, [][]byte{b1})
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantElement(t, err, c.want, org1MSP, "")
		})
	}
}

// TestChannelCapabilityUnknown: a peer refuses a channel whose config
// requires a capability it does not have; so does the verifier, whose
// rules would otherwise be guesses.
func TestChannelCapabilityUnknown(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{ChannelCapability: "V9_9"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := n.GenesisBlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fabric.ParseConfigBlock(g); !errors.Is(err, fabric.ErrBadConfig) {
		t.Fatalf("got %v, want ErrBadConfig", err)
	}
}

// TestChannelCapabilityReal: the configs captured from real networks
// select the MSP version their channel capability names: V2_0 (Fabric
// 2.5, raft) is v1.4.3, V3_0 (the Fabric 3.0 BFT snapshot) is v3.0.
func TestChannelCapabilityReal(t *testing.T) {
	for name, want := range map[string]string{"raft": "1.4.3", "bft": "3.0"} {
		if got := mspVersionOf(t, trusted(t, name)); got != want {
			t.Errorf("%s: MSP version %q, want %s", name, got, want)
		}
	}
}
