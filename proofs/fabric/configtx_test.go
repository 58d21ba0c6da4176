package fabric_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// Paths of the elements the tests change.
const (
	org1MSP    = "value /Channel/Application/Org1MSP/MSP"
	org2MSP    = "value /Channel/Application/Org2MSP/MSP"
	org1Admins = "/Channel/Application/Org1MSP/Admins"
)

// wantElement checks that err is a *VerifyError wrapping sentinel through
// a *ConfigElementError about element, whose mod_policy resolves to policy
// ("" to skip that check).
func wantElement(tb testing.TB, err, sentinel error, element, policy string) *fabric.ConfigElementError {
	tb.Helper()
	wantErr(tb, err, sentinel)
	var ce *fabric.ConfigElementError
	if !errors.As(err, &ce) {
		tb.Fatalf("%v: no *ConfigElementError", err)
	}
	if ce.Element != element || policy != "" && ce.Policy != policy {
		tb.Fatalf("error about %q (policy %q), want %q (policy %q): %v", ce.Element, ce.Policy, element, policy, err)
	}
	return ce
}

// mspOf returns the MSP value an org would have in the network's config.
func mspOf(s *synth, o *fabrictest.Org) []byte {
	keep := s.net.AppOrgs
	s.net.AppOrgs = []*fabrictest.Org{o}
	defer func() { s.net.AppOrgs = keep }()
	return s.net.Config().ChannelGroup.Groups["Application"].Groups[o.MSPID].Values["MSP"].Value
}

// TestConfigUpdateForgedByOneOrderer is the attack this check exists for.
// On Raft the BlockValidation policy is "ANY Writers": one orderer key
// signs blocks that verify. Before config updates were checked, that key
// could cut a config block that gives both application orgs CAs it owns,
// and then a records transaction "endorsed" by its own peers that
// satisfies even the all-orgs policy; the verifier took the forged config
// as its next trust anchor.
func TestConfigUpdateForgedByOneOrderer(t *testing.T) {
	setup := func(t *testing.T) (*synth, *fabrictest.Identity, []*fabrictest.Org) {
		s := newSynth(t, fabrictest.Options{})
		var evil []*fabrictest.Org
		for _, id := range []string{"Org1MSP", "Org2MSP"} {
			o, err := fabrictest.NewOrg(id, true, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			evil = append(evil, o)
		}
		return s, s.net.OrdererOrg.Orderers[0], evil
	}
	// forge returns the chain the attacker serves: the config block with
	// env, then a transaction endorsed by its peers.
	forge := func(t *testing.T, s *synth, env []byte, evil []*fabrictest.Org) [][]byte {
		b1, err := s.net.Block(fabrictest.BlockSpec{Number: 1, PrevHash: hashOf(t, s.genesis), LastConfig: 1, Envelopes: [][]byte{env}})
		if err != nil {
			t.Fatal(err)
		}
		tx, _ := s.publishTx(t, evil[0].Peer(), evil[1].Peer())
		b2, err := s.net.Block(fabrictest.BlockSpec{Number: 2, PrevHash: hashOf(t, b1), LastConfig: 1, Envelopes: [][]byte{tx}})
		if err != nil {
			t.Fatal(err)
		}
		return [][]byte{b1, b2}
	}
	// accepted fails the test if the forged chain verified.
	accepted := func(t *testing.T, next *fabric.TrustedConfig, blocks []*fabric.Block) {
		t.Helper()
		if _, err := fabric.VerifyTransaction(next, blocks[1], 0, fabric.AllOrgs()); err == nil {
			t.Fatal("one orderer key replaced both application orgs' root CAs, and a transaction endorsed by its own peers satisfies the all-orgs policy")
		}
		t.Fatal("a config forged by one orderer was accepted")
	}

	t.Run("update signed by the orderer", func(t *testing.T) {
		s, orderer, evil := setup(t)
		s.net.AppOrgs = evil
		env, err := s.net.ConfigTx(s.configUpdate(t), []*fabrictest.Identity{orderer}, orderer)
		if err != nil {
			t.Fatal(err)
		}
		next, blocks, err := fabric.VerifyChain(s.tc, forge(t, s, env, evil))
		if err == nil {
			accepted(t, next, blocks)
		}
		ce := wantElement(t, err, fabric.ErrModPolicy, org1MSP, org1Admins)
		if ce.ModPolicy != "Admins" || !strings.Contains(err.Error(), "OrdererMSP") {
			t.Fatalf("the error should name the mod_policy and the orderer's signature: %v", err)
		}
		if !errors.Is(err, fabric.ErrConfigUpdate) {
			t.Fatalf("%v does not match ErrConfigUpdate", err)
		}
	})
	t.Run("no update at all", func(t *testing.T) {
		s, orderer, evil := setup(t)
		s.net.AppOrgs = evil
		s.net.Sequence = 1
		next, blocks, err := fabric.VerifyChain(s.tc, forge(t, s, s.net.ConfigEnvelope(orderer), evil))
		if err == nil {
			accepted(t, next, blocks)
		}
		wantErr(t, err, fabric.ErrConfigUpdate)
	})
	t.Run("genuine update, forged config", func(t *testing.T) {
		// Org1's admin really signed an update of Org1's Endorsement
		// policy; the orderer ships it with a config that also replaces
		// both MSPs.
		s, orderer, evil := setup(t)
		pol, err := fabrictest.SignaturePolicy(1, "Org1MSP.member")
		if err != nil {
			t.Fatal(err)
		}
		s.net.AppOrgs[0].Endorsement = pol
		u := s.configUpdate(t)
		app := u.Next.ChannelGroup.Groups["Application"]
		app.Groups["Org1MSP"].Values["MSP"].Value = mspOf(s, evil[0])
		app.Groups["Org2MSP"].Values["MSP"].Value = mspOf(s, evil[1])
		env, err := s.net.ConfigTx(u, s.admins[1:2], orderer)
		if err != nil {
			t.Fatal(err)
		}
		next, blocks, err := fabric.VerifyChain(s.tc, forge(t, s, env, evil))
		if err == nil {
			accepted(t, next, blocks)
		}
		wantElement(t, err, fabric.ErrConfigResult, org1MSP, org1Admins)
	})
	t.Run("genuine update replayed", func(t *testing.T) {
		// Org1's admin once moved Org1 to a new CA; the orderer replays
		// that update after the org moved back.
		s, orderer, _ := setup(t)
		old := s.net.AppOrgs[0]
		rotated, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.net.AppOrgs[0] = rotated
		first := s.configUpdate(t)
		b1 := s.configBlockOf(t, 1, hashOf(t, s.genesis), first, []*fabrictest.Identity{old.Admin}, orderer, nil)
		s.net.Current = first.Next
		s.net.AppOrgs[0] = old
		u := s.configUpdate(t)
		b2 := s.configBlockOf(t, 2, hashOf(t, b1), u, []*fabrictest.Identity{rotated.Admin}, orderer, nil)
		replay := &fabrictest.ConfigUpdate{Update: first.Update, Next: proto.Clone(first.Next).(*cb.Config)}
		replay.Next.Sequence = 3
		b3 := s.configBlockOf(t, 3, hashOf(t, b2), replay, []*fabrictest.Identity{old.Admin}, orderer, nil)
		if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1, b2}); err != nil {
			t.Fatalf("the genuine updates: %v", err)
		}
		_, _, err = fabric.VerifyChain(s.tc, [][]byte{b1, b2, b3})
		wantElement(t, err, fabric.ErrConfigWriteSet, org1MSP, org1Admins)
	})
}

// TestConfigUpdateAuthorized runs updates whose mod_policies the right
// admins satisfy, and the same updates short of one signature.
func TestConfigUpdateAuthorized(t *testing.T) {
	orderer := func(s *synth) *fabrictest.Identity { return s.net.OrdererOrg.Orderers[0] }
	t.Run("org rotates its CA", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		rotated, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.net.AppOrgs[0] = rotated
		b1 := s.configBlock(t, 1, hashOf(t, s.genesis), orderer(s), nil) // signed by every admin
		tx, _ := s.publishTx(t, rotated.Peer(), s.net.AppOrgs[1].Peer())
		b2, err := s.net.Block(fabrictest.BlockSpec{Number: 2, PrevHash: hashOf(t, b1), LastConfig: 1, Envelopes: [][]byte{tx}})
		if err != nil {
			t.Fatal(err)
		}
		next, blocks, err := fabric.VerifyChain(s.tc, [][]byte{b1, b2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fabric.VerifyTransaction(next, blocks[1], 0, fabric.AllOrgs()); err != nil {
			t.Fatal(err)
		}
		if !next.HasConfigBlock() {
			t.Fatal("the new config does not carry its full config: the next update could not be checked")
		}
	})
	cases := []struct {
		name    string
		change  func(t *testing.T, s *synth) *cb.Config // the desired config
		enough  func(s *synth) []*fabrictest.Identity
		short   func(s *synth) []*fabrictest.Identity
		element string
		policy  string
	}{
		{
			// Org1MSP/Admins is OR('Org1MSP.admin').
			name: "org value by its admin",
			change: func(t *testing.T, s *synth) *cb.Config {
				o, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
				if err != nil {
					t.Fatal(err)
				}
				s.net.AppOrgs[0] = o
				return s.net.Config()
			},
			enough:  func(s *synth) []*fabrictest.Identity { return s.admins[1:2] },
			short:   func(s *synth) []*fabrictest.Identity { return s.admins[2:3] },
			element: org1MSP, policy: org1Admins,
		},
		{
			// Adding an org changes the Application group's members:
			// /Channel/Application/Admins, MAJORITY of the two orgs.
			name:    "new org by a majority of org admins",
			change:  func(t *testing.T, s *synth) *cb.Config { s.addOrg3(t); return s.net.Config() },
			enough:  func(s *synth) []*fabrictest.Identity { return s.admins[1:3] },
			short:   func(s *synth) []*fabrictest.Identity { return s.admins[1:2] },
			element: "group /Channel/Application", policy: "/Channel/Application/Admins",
		},
		{
			// The orderer org's MSP: /Channel/Orderer/OrdererMSP/Admins.
			name: "orderer org by its admin",
			change: func(t *testing.T, s *synth) *cb.Config {
				o, err := fabrictest.NewOrg("OrdererMSP", true, 0, 1)
				if err != nil {
					t.Fatal(err)
				}
				s.net.OrdererOrg = o
				return s.net.Config()
			},
			enough:  func(s *synth) []*fabrictest.Identity { return s.admins[0:1] },
			short:   func(s *synth) []*fabrictest.Identity { return s.admins[1:3] },
			element: "value /Channel/Orderer/OrdererMSP/MSP", policy: "/Channel/Orderer/OrdererMSP/Admins",
		},
		{
			// A root value: /Channel/Admins is MAJORITY of the Application
			// and Orderer groups' Admins, implicit-meta policies
			// themselves: both groups, so every org's admin.
			name: "channel value by every admin",
			change: func(t *testing.T, s *synth) *cb.Config {
				want := proto.Clone(s.net.Current).(*cb.Config)
				v := want.ChannelGroup.Values["HashingAlgorithm"]
				v.Value = append(v.Value, 0x18, 0x01) // an unknown field: another value, the same meaning
				return want
			},
			enough:  func(s *synth) []*fabrictest.Identity { return s.admins },
			short:   func(s *synth) []*fabrictest.Identity { return s.admins[1:3] },
			element: "value /Channel/HashingAlgorithm", policy: "/Channel/Admins",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, ok := range []bool{true, false} {
				s := newSynth(t, fabrictest.Options{})
				ord, blockSigners := s.net.OrdererOrg.Orderers[0], s.net.Signers() // before a change of the orderer org
				u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, c.change(t, s))
				if err != nil {
					t.Fatal(err)
				}
				signers := c.short(s)
				if ok {
					signers = c.enough(s)
				}
				b := s.configBlockOf(t, 1, hashOf(t, s.genesis), u, signers, ord, blockSigners)
				next, _, err := fabric.VerifyChain(s.tc, [][]byte{b})
				if ok {
					if err != nil {
						t.Fatal(err)
					}
					if next.Sequence() != 1 || next.Number() != 1 {
						t.Fatalf("sequence %d at block %d", next.Sequence(), next.Number())
					}
					continue
				}
				wantElement(t, err, fabric.ErrModPolicy, c.element, c.policy)
			}
		})
	}
}

// TestConfigUpdateModPolicyPaths moves the mod_policy of Org1's MSP to an
// absolute path naming Org2's admins, and to a relative one from the
// Application group; then only Org2's admin may change it.
func TestConfigUpdateModPolicyPaths(t *testing.T) {
	for _, mp := range []string{"/Channel/Application/Org2MSP/Admins", "../Org2MSP/Admins"} {
		t.Run(mp, func(t *testing.T) {
			s := newSynth(t, fabrictest.Options{})
			orderer := s.net.OrdererOrg.Orderers[0]
			want := proto.Clone(s.net.Current).(*cb.Config)
			want.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["MSP"].ModPolicy = mp
			u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, want)
			if err != nil {
				t.Fatal(err)
			}
			b1 := s.configBlockOf(t, 1, hashOf(t, s.genesis), u, s.admins[1:2], orderer, nil)
			if strings.HasPrefix(mp, "..") {
				// Not a valid mod_policy: ".." is not a config ID.
				_, _, err := fabric.VerifyChain(s.tc, [][]byte{b1})
				wantElement(t, err, fabric.ErrConfigWriteSet, org1MSP, org1Admins)
				return
			}
			s.net.Current = u.Next
			rotated, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			want = proto.Clone(s.net.Current).(*cb.Config)
			want.ChannelGroup.Groups["Application"].Groups["Org1MSP"].Values["MSP"].Value = mspOf(s, rotated)
			u2, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, want)
			if err != nil {
				t.Fatal(err)
			}
			byOrg1 := s.configBlockOf(t, 2, hashOf(t, b1), u2, s.admins[1:2], orderer, nil)
			_, _, err = fabric.VerifyChain(s.tc, [][]byte{b1, byOrg1})
			wantElement(t, err, fabric.ErrModPolicy, org1MSP, "/Channel/Application/Org2MSP/Admins")
			byOrg2 := s.configBlockOf(t, 2, hashOf(t, b1), u2, s.admins[2:3], orderer, nil)
			if _, _, err := fabric.VerifyChain(s.tc, [][]byte{b1, byOrg2}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestConfigUpdateCorrupt starts from a genuine update (Org1's admin moves
// Org1 to a new CA) and corrupts one field at a time.
func TestConfigUpdateCorrupt(t *testing.T) {
	stranger, err := fabrictest.NewOrg("Org9MSP", true, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	org1 := func(g *cb.ConfigGroup) *cb.ConfigGroup { return g.Groups["Application"].Groups["Org1MSP"] }
	type fixture struct {
		s       *synth
		u       *fabrictest.ConfigUpdate
		signers []*fabrictest.Identity
		evil    *fabrictest.Org // the org whose CA the update installs
		orig    *fabrictest.Org // Org1 before the update
	}
	cases := []struct {
		name     string
		edit     func(f *fixture)
		sentinel error
		element  string // "" for an error about no one element
	}{
		{"none", func(f *fixture) {}, nil, ""},
		{"read-set version", func(f *fixture) { org1(f.u.Update.ReadSet).Version = 1 }, fabric.ErrConfigReadSet, "group /Channel/Application/Org1MSP"},
		{"read-set element the config lacks", func(f *fixture) {
			org1(f.u.Update.ReadSet).Values = map[string]*cb.ConfigValue{"AnchorPeers": {}}
		}, fabric.ErrConfigReadSet, "value /Channel/Application/Org1MSP/AnchorPeers"},
		{"write-set version +2", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["MSP"].Version = 2
			org1(f.u.Next.ChannelGroup).Values["MSP"].Version = 2
		}, fabric.ErrConfigWriteSet, org1MSP},
		{"write-set version unchanged", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["MSP"].Version = 0
			org1(f.u.Next.ChannelGroup).Values["MSP"].Version = 0
		}, fabric.ErrConfigWriteSet, org1MSP},
		{"new element not at version 0", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["AnchorPeers"] = &cb.ConfigValue{Version: 1, ModPolicy: "Admins"}
		}, fabric.ErrConfigWriteSet, "value /Channel/Application/Org1MSP/AnchorPeers"},
		{"write set changes nothing", func(f *fixture) {
			f.u.Update.WriteSet = proto.Clone(f.u.Update.ReadSet).(*cb.ConfigGroup)
		}, fabric.ErrConfigWriteSet, ""},
		{"invalid mod_policy", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["MSP"].ModPolicy = "Org1 Admins"
			org1(f.u.Next.ChannelGroup).Values["MSP"].ModPolicy = "Org1 Admins"
		}, fabric.ErrConfigWriteSet, org1MSP},
		{"empty mod_policy", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["MSP"].ModPolicy = ""
			org1(f.u.Next.ChannelGroup).Values["MSP"].ModPolicy = ""
		}, fabric.ErrConfigWriteSet, org1MSP},
		{"invalid element name", func(f *fixture) {
			org1(f.u.Update.WriteSet).Values["MSP/x"] = &cb.ConfigValue{ModPolicy: "Admins"}
		}, fabric.ErrConfigWriteSet, ""},
		{"signed by another org's admin", func(f *fixture) { f.signers = f.s.admins[2:3] }, fabric.ErrModPolicy, org1MSP},
		{"signed by the orderer org's admin", func(f *fixture) { f.signers = f.s.admins[0:1] }, fabric.ErrModPolicy, org1MSP},
		{"signed by the org's client", func(f *fixture) { f.signers = []*fabrictest.Identity{f.orig.Client} }, fabric.ErrModPolicy, org1MSP},
		{"signed by the org's peer", func(f *fixture) { f.signers = []*fabrictest.Identity{f.orig.Peer()} }, fabric.ErrModPolicy, org1MSP},
		{"signed by the new CA's admin", func(f *fixture) { f.signers = []*fabrictest.Identity{f.evil.Admin} }, fabric.ErrModPolicy, org1MSP},
		{"signed by an org outside the channel", func(f *fixture) { f.signers = []*fabrictest.Identity{stranger.Admin} }, fabric.ErrModPolicy, org1MSP},
		{"signature by another key", func(f *fixture) {
			a := *f.s.admins[1]
			a.Key = otherKey
			f.signers = []*fabrictest.Identity{&a}
		}, fabric.ErrModPolicy, org1MSP},
		{"unsigned", func(f *fixture) { f.signers = nil }, fabric.ErrModPolicy, org1MSP},
		{"element changed outside the write set", func(f *fixture) {
			f.u.Next.ChannelGroup.Groups["Application"].Groups["Org2MSP"].Values["MSP"].Value = mspOf(f.s, f.evil)
		}, fabric.ErrConfigResult, org2MSP},
		{"element removed outside the write set", func(f *fixture) {
			delete(f.u.Next.ChannelGroup.Groups["Application"].Groups["Org2MSP"].Policies, "Readers")
		}, fabric.ErrConfigResult, "policy /Channel/Application/Org2MSP/Readers"},
		{"element added outside the write set", func(f *fixture) {
			f.u.Next.ChannelGroup.Groups["Application"].Groups["Org2MSP"].Values["AnchorPeers"] = &cb.ConfigValue{ModPolicy: "Admins"}
		}, fabric.ErrConfigResult, "value /Channel/Application/Org2MSP/AnchorPeers"},
		{"version bumped outside the write set", func(f *fixture) {
			f.u.Next.ChannelGroup.Groups["Orderer"].Version = 1
		}, fabric.ErrConfigResult, "group /Channel/Orderer"},
		{"mod_policy changed outside the write set", func(f *fixture) {
			org1(f.u.Next.ChannelGroup).Values["MSP"].ModPolicy = "/Channel/Orderer/Writers"
		}, fabric.ErrConfigResult, org1MSP},
		{"sequence", func(f *fixture) { f.u.Next.Sequence++ }, fabric.ErrConfigUpdate, ""},
		{"channel", func(f *fixture) { f.u.Update.ChannelId = "other" }, fabric.ErrConfigUpdate, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSynth(t, fabrictest.Options{})
			evil, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			orig := s.net.AppOrgs[0]
			s.net.AppOrgs[0] = evil
			f := &fixture{s: s, u: s.configUpdate(t), signers: s.admins[1:2], evil: evil, orig: orig}
			c.edit(f)
			b := s.configBlockOf(t, 1, hashOf(t, s.genesis), f.u, f.signers, s.net.OrdererOrg.Orderers[0], nil)
			_, err = fabric.VerifyBlock(s.tc, nil, b)
			switch {
			case c.sentinel == nil:
				if err != nil {
					t.Fatal(err)
				}
			case c.element == "":
				wantErr(t, err, c.sentinel)
			default:
				wantElement(t, err, c.sentinel, c.element, "")
			}
			if c.sentinel != nil && c.sentinel != fabric.ErrConfigUpdate {
				for _, other := range []error{fabric.ErrConfigReadSet, fabric.ErrConfigWriteSet, fabric.ErrModPolicy, fabric.ErrConfigResult} {
					if other != c.sentinel && errors.Is(err, other) {
						t.Fatalf("%v also matches %v", err, other)
					}
				}
			}
		})
	}
}

// TestConfigUpdateRepair: with /Channel/Orderer/Capabilities in the
// config, Fabric gives every element without a mod_policy "Admins" in the
// config an update produces (a repair of channels made by Fabric 1.0). The
// block's config must show the repair.
func TestConfigUpdateRepair(t *testing.T) {
	n, err := fabrictest.NewNetwork(fabrictest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n.Current = n.Config()
	root := n.Current.ChannelGroup
	root.Groups["Orderer"].Values["Capabilities"] = &cb.ConfigValue{ModPolicy: "Admins", Value: []byte{}}
	root.Groups["Orderer"].Values["BatchTimeout"].ModPolicy = "" // no mod_policy
	g, err := genesisOf(n)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := fabric.ParseConfigBlock(g)
	if err != nil {
		t.Fatal(err)
	}
	s := &synth{net: n, genesis: g, tc: tc, admins: n.Admins()}
	s.addOrg3(t)
	want := proto.Clone(n.Current).(*cb.Config)
	want.ChannelGroup.Groups["Application"].Groups["Org3MSP"] = s.net.Config().ChannelGroup.Groups["Application"].Groups["Org3MSP"]
	u, err := fabrictest.ComputeUpdate(n.Channel, n.Current, want)
	if err != nil {
		t.Fatal(err)
	}
	orderer := n.OrdererOrg.Orderers[0]
	b := s.configBlockOf(t, 1, hashOf(t, g), u, s.admins, orderer, nil)
	_, err = fabric.VerifyBlock(tc, nil, b)
	wantElement(t, err, fabric.ErrConfigResult, "value /Channel/Orderer/BatchTimeout", "")
	u.Next.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].ModPolicy = "Admins"
	b = s.configBlockOf(t, 1, hashOf(t, g), u, s.admins, orderer, nil)
	if _, err := fabric.VerifyBlock(tc, nil, b); err != nil {
		t.Fatal(err)
	}
}

// genesisOf returns a genesis block with the network's Current config.
func genesisOf(n *fabrictest.Network) ([]byte, error) {
	u := &fabrictest.ConfigUpdate{Update: &cb.ConfigUpdate{}, Next: n.Current}
	env, err := n.ConfigTx(u, nil, nil)
	if err != nil {
		return nil, err
	}
	return n.Block(fabrictest.BlockSpec{Envelopes: [][]byte{env}, NoSigners: true})
}

// TestConfigUpdateNeedsFullConfig: a trusted config restored from JSON has
// no full config; a config block fails against it until WithConfigBlock
// gives it its block.
func TestConfigUpdateNeedsFullConfig(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	s.addOrg3(t)
	b := s.configBlock(t, 1, hashOf(t, s.genesis), s.net.OrdererOrg.Orderers[0], nil)
	enc, err := json.Marshal(s.tc)
	if err != nil {
		t.Fatal(err)
	}
	var back fabric.TrustedConfig
	if err := json.Unmarshal(enc, &back); err != nil {
		t.Fatal(err)
	}
	if back.HasConfigBlock() || !s.tc.HasConfigBlock() {
		t.Fatal("HasConfigBlock is wrong")
	}
	_, err = fabric.VerifyBlock(&back, nil, b)
	wantErr(t, err, fabric.ErrBadConfig)

	full, err := back.WithConfigBlock(s.genesis)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(full); !bytes.Equal(again, enc) {
		t.Fatalf("WithConfigBlock changed the config:\n%s\n%s", enc, again)
	}
	if _, err := fabric.VerifyBlock(full, nil, b); err != nil {
		t.Fatal(err)
	}
	// Another block: the config block itself, another channel's genesis.
	if _, err := back.WithConfigBlock(b); !errors.Is(err, fabric.ErrBadConfig) {
		t.Fatalf("the next config block: %v", err)
	}
	other := newSynth(t, fabrictest.Options{})
	if _, err := back.WithConfigBlock(other.genesis); !errors.Is(err, fabric.ErrBadConfig) {
		t.Fatalf("another channel's genesis block: %v", err)
	}
}
