package fabric_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// The identity caches (per MSP by certificate, per config by serialized
// identity) must never let a check pass that fails without them. These
// tests warm the caches with a valid transaction first, then present what
// a cold verifier refuses.

// warm verifies a transaction endorsed by every org's peer under s.tc.
func (s *synth) warm(t *testing.T) *fabric.Block {
	t.Helper()
	env, _ := s.publishTx(t, s.peers()...)
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
	if _, err := fabric.VerifyTransaction(s.tc, b, 0, fabric.AllOrgs()); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCacheKeyedByMSP: Org2's peer, validated and cached under Org2MSP,
// does not become an Org1 peer by naming Org1MSP.
func TestCacheKeyedByMSP(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	s.warm(t)
	impostor := *s.net.AppOrgs[1].Peer()
	impostor.MSPID = "Org1MSP"
	s.checkPolicies(t, []policyCase{{"cached cert under another MSP", []*fabrictest.Identity{&impostor}, "any", fabric.ErrCertChain}})
	// The orderer, cached as a block signer of OrdererMSP, is no endorser
	// of an application org either.
	ord := *s.net.OrdererOrg.Orderers[0]
	ord.MSPID = "Org2MSP"
	s.checkPolicies(t, []policyCase{{"orderer cert under Org2", []*fabrictest.Identity{s.net.AppOrgs[0].Peer(), &ord}, "any", fabric.ErrCertChain}})
}

// TestCacheNotSharedAcrossConfigs: a config update that revokes Org2's
// peer takes effect at once, although the old config validated the peer
// and a block verified under the old config carries it.
func TestCacheNotSharedAcrossConfigs(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	b1raw := s.block(t, 1, hashOf(t, s.genesis), func() []byte { env, _ := s.publishTx(t, s.peers()...); return env }())
	b1 := mustVerifyBlock(t, s.tc, nil, b1raw)
	if _, err := fabric.VerifyTransaction(s.tc, b1, 0, fabric.AllOrgs()); err != nil {
		t.Fatal(err)
	}

	org2 := s.net.AppOrgs[1]
	crl, err := org2.CA.RevocationList(org2.Peer())
	if err != nil {
		t.Fatal(err)
	}
	org2.CRLs = [][]byte{crl}
	s.net.Sequence = 1
	b2 := s.configBlock(t, 2, hashOf(t, b1raw), s.net.OrdererOrg.Orderers[0], nil)
	env3, _ := s.publishTx(t, s.peers()...)
	b3, err := s.net.Block(fabrictest.BlockSpec{Number: 3, PrevHash: hashOf(t, b2), Envelopes: [][]byte{env3}, LastConfig: 2})
	if err != nil {
		t.Fatal(err)
	}
	next, blocks, err := fabric.VerifyChain(s.tc, [][]byte{b1raw, b2, b3})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyTransaction(next, blocks[2], 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrCertChain)
	// Block 1, decoded under the old config, checked under the new one.
	_, err = fabric.VerifyTransaction(next, b1, 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrCertChain)
	// The old config still accepts its own blocks.
	if _, err := fabric.VerifyTransaction(s.tc, b1, 0, fabric.AllOrgs()); err != nil {
		t.Fatal(err)
	}
}

// TestCacheIgnoresCallerMutation: the certificates a Block hands out are
// shared with the cache. A caller that writes to one (against the
// read-only contract) changes neither the key the verifier checks
// signatures with nor the roles it grants.
func TestCacheIgnoresCallerMutation(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	s.warm(t)
	// A block decoded after the warm-up names the cached certificates.
	env, _ := s.publishTx(t, s.peers()...)
	b := mustVerifyBlock(t, s.tc, nil, s.block(t, 1, nil, env))
	peer2 := s.net.AppOrgs[1].Peer()
	shared := b.Txs[0].Endorsements[1].Endorser.Cert
	if shared.SerialNumber.Cmp(peer2.Cert.SerialNumber) != 0 {
		t.Fatal("endorsement 1 is not Org2's peer")
	}
	attacker, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	*shared.PublicKey.(*ecdsa.PublicKey) = attacker.PublicKey
	shared.Subject.OrganizationalUnit = []string{fabrictest.OUAdmin}

	// Org2's peer certificate with the attacker's key: the endorsement
	// signature is the attacker's.
	forged := &fabrictest.Identity{MSPID: "Org2MSP", Cert: peer2.Cert, Key: attacker}
	s.checkPolicies(t, []policyCase{
		{"attacker's key", []*fabrictest.Identity{s.net.AppOrgs[0].Peer(), forged}, "any", fabric.ErrEndorsementSignature},
		{"peer is still no admin", []*fabrictest.Identity{peer2}, "'Org2MSP.admin'", fabric.ErrEndorsementPolicy},
		{"peer is still a peer", []*fabrictest.Identity{peer2}, "'Org2MSP.peer'", nil},
	})
}

// TestCacheConcurrent verifies blocks of 40 different endorsers from four
// goroutines at once on one TrustedConfig (run it with -race).
func TestCacheConcurrent(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	org1, org2 := s.net.AppOrgs[0], s.net.AppOrgs[1]
	const n = 40
	var blocks [][]byte
	for i := range n {
		p, err := org2.CA.NewIdentity("Org2MSP", fmt.Sprintf("peer%d.Org2MSP", i+10), fabrictest.OUPeer)
		if err != nil {
			t.Fatal(err)
		}
		env, _ := s.publishTx(t, org1.Peer(), p)
		blocks = append(blocks, s.block(t, 1, nil, env))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range blocks {
				b, err := fabric.VerifyBlock(s.tc, nil, blocks[(i+g*7)%n])
				if err == nil {
					_, err = fabric.VerifyTransaction(s.tc, b, 0, fabric.AllOrgs())
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
