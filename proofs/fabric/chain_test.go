package fabric_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// configUpdate is the update from the network's current config to the one
// its fields describe now.
func (s *synth) configUpdate(t *testing.T) *fabrictest.ConfigUpdate {
	t.Helper()
	u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, s.net.Config())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// configBlockOf returns config block number holding update u signed by
// updaters, with its CONFIG envelope signed by envSigner and the block
// signed by signers (nil: the network's current signers).
func (s *synth) configBlockOf(t *testing.T, number uint64, prev []byte, u *fabrictest.ConfigUpdate, updaters []*fabrictest.Identity, envSigner *fabrictest.Identity, signers []fabrictest.OrdererSig) []byte {
	t.Helper()
	env, err := s.net.ConfigTx(u, updaters, envSigner)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.net.Block(fabrictest.BlockSpec{
		Number: number, PrevHash: prev, LastConfig: number,
		Envelopes: [][]byte{env},
		Signers:   signers,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// configBlock returns config block number that moves the channel from its
// current config to the one the network's fields describe now, the update
// signed by the admins of the genesis orgs, its CONFIG envelope by
// envSigner and the block by signers (nil: the network's current signers).
// The new config becomes current.
func (s *synth) configBlock(t *testing.T, number uint64, prev []byte, envSigner *fabrictest.Identity, signers []fabrictest.OrdererSig) []byte {
	t.Helper()
	u := s.configUpdate(t)
	b := s.configBlockOf(t, number, prev, u, s.admins, envSigner, signers)
	s.net.Current = u.Next
	return b
}

// addOrg3 adds Org3MSP to the network's fields and returns it.
func (s *synth) addOrg3(t testing.TB) *fabrictest.Org {
	t.Helper()
	org3, err := fabrictest.NewOrg("Org3MSP", true, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.net.AppOrgs = append(s.net.AppOrgs, org3)
	return org3
}

func hashOf(t *testing.T, raw []byte) []byte {
	t.Helper()
	h, err := fabrictest.BlockHash(raw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestConfigUpdateAddsOrg: block 2 adds Org3; block 3 is endorsed by Org1
// and Org3, a majority of the new three orgs.
func TestConfigUpdateAddsOrg(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	env1, _ := s.publishTx(t, s.peers()...)
	b1 := s.block(t, 1, hashOf(t, s.genesis), env1)

	org3 := s.addOrg3(t)
	b2 := s.configBlock(t, 2, hashOf(t, b1), s.net.OrdererOrg.Orderers[0], nil)

	env3, _ := s.publishTx(t, s.net.AppOrgs[0].Peer(), org3.Peer())
	b3, err := s.net.Block(fabrictest.BlockSpec{Number: 3, PrevHash: hashOf(t, b2), Envelopes: [][]byte{env3}, LastConfig: 2})
	if err != nil {
		t.Fatal(err)
	}

	next, blocks, err := fabric.VerifyChain(s.tc, [][]byte{b1, b2, b3})
	if err != nil {
		t.Fatal(err)
	}
	if next.Sequence() != 1 || next.Number() != 2 || !bytes.Equal(next.Hash(), blocks[1].Hash) || blocks[1].Config != next {
		t.Fatalf("config sequence %d at block %d", next.Sequence(), next.Number())
	}
	if !slices.Equal(next.ApplicationOrgs(), []string{"Org1MSP", "Org2MSP", "Org3MSP"}) {
		t.Fatalf("orgs %v", next.ApplicationOrgs())
	}
	if _, err := fabric.VerifyTransaction(next, blocks[2], 0, fabric.MajorityOrgs()); err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyTransaction(next, blocks[2], 0, fabric.AllOrgs())
	wantErr(t, err, fabric.ErrEndorsementPolicy)
	// The config transaction is not an endorser transaction.
	_, err = fabric.VerifyTransaction(s.tc, blocks[1], 0, fabric.AnyOrg())
	wantErr(t, err, fabric.ErrNotEndorserTx)

	// Block 3 under the old config: cut under another config block.
	_, err = fabric.VerifyBlock(s.tc, nil, b3)
	wantErr(t, err, fabric.ErrStaleConfig)
	// The new config serializes like any other.
	enc, _ := next.MarshalJSON()
	var back fabric.TrustedConfig
	if err := back.UnmarshalJSON(enc); err != nil {
		t.Fatal(err)
	}
	mustVerifyBlock(t, &back, blocks[1].Hash, b3)

	// The first block must link to the config block it follows.
	bad1 := s.block(t, 1, bytes.Repeat([]byte{7}, 32), env1)
	_, _, err = fabric.VerifyChain(s.tc, [][]byte{bad1})
	wantErr(t, err, fabric.ErrBrokenLink)
}

// TestConfigUpdateRotatesOrderers: block 1 replaces the orderer org (new
// CA, new orderer), signed by the old orderer. Afterwards only the new one
// signs, and the old one no longer can.
func TestConfigUpdateRotatesOrderers(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	old := s.net.OrdererOrg
	neworg, err := fabrictest.NewOrg("OrdererMSP", true, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	s.net.OrdererOrg = neworg
	oldSigner := []fabrictest.OrdererSig{{ID: old.Orderers[0]}}
	b1 := s.configBlock(t, 1, hashOf(t, s.genesis), old.Orderers[0], oldSigner)
	env, _ := s.publishTx(t, s.peers()...)
	b2, err := s.net.Block(fabrictest.BlockSpec{Number: 2, PrevHash: hashOf(t, b1), Envelopes: [][]byte{env}, LastConfig: 1})
	if err != nil {
		t.Fatal(err)
	}
	next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1, b2})
	if err != nil {
		t.Fatal(err)
	}
	// The removed orderer signs block 2.
	stale, err := s.net.Block(fabrictest.BlockSpec{Number: 2, PrevHash: hashOf(t, b1), Envelopes: [][]byte{env}, LastConfig: 1, Signers: oldSigner})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyBlock(next, nil, stale)
	wantErr(t, err, fabric.ErrCertChain)
	_, _, err = fabric.VerifyChain(s.tc, [][]byte{b1, stale})
	wantErr(t, err, fabric.ErrCertChain)
	// The new orderer under the old config.
	early, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyBlock(s.tc, nil, early)
	wantErr(t, err, fabric.ErrCertChain)
}

// TestConfigUpdateRejects: config blocks that must not advance the config.
// configtx_test.go has the checks of the config update itself.
func TestConfigUpdateRejects(t *testing.T) {
	t.Run("installed by a stranger", func(t *testing.T) {
		// An attacker makes a config with its own orderer org and signs
		// the block with it.
		s := newSynth(t, fabrictest.Options{})
		evil, err := fabrictest.NewOrg("OrdererMSP", true, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		s.net.OrdererOrg = evil
		b := s.configBlock(t, 1, nil, evil.Orderers[0], nil)
		_, err = fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrCertChain)
	})
	t.Run("envelope signed by a client", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		s.addOrg3(t)
		b := s.configBlock(t, 1, nil, s.net.AppOrgs[0].Client, nil)
		_, err := fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrConfigUpdate)
	})
	t.Run("envelope unsigned", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		s.addOrg3(t)
		b := s.configBlock(t, 1, nil, nil, nil)
		_, err := fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrConfigUpdate)
	})
	t.Run("sequence skipped", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		s.addOrg3(t)
		u := s.configUpdate(t)
		u.Next.Sequence = 2
		b := s.configBlockOf(t, 1, nil, u, s.admins, s.net.OrdererOrg.Orderers[0], nil)
		_, err := fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrConfigUpdate)
	})
	t.Run("sequence replayed", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		s.addOrg3(t)
		u := s.configUpdate(t)
		u.Next.Sequence = 0
		b := s.configBlockOf(t, 1, nil, u, s.admins, s.net.OrdererOrg.Orderers[0], nil)
		_, err := fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrConfigUpdate)
	})
	t.Run("last config not itself", func(t *testing.T) {
		s := newSynth(t, fabrictest.Options{})
		s.addOrg3(t)
		env, err := s.net.ConfigTx(s.configUpdate(t), s.admins, s.net.OrdererOrg.Orderers[0])
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = fabric.VerifyBlock(s.tc, nil, b)
		wantErr(t, err, fabric.ErrStaleConfig)
	})
}

// TestConfigUpdateBFTConsenters grows a BFT channel from 4 to 7 consenters:
// the quorum goes from 3 to 5.
func TestConfigUpdateBFTConsenters(t *testing.T) {
	s := newSynth(t, fabrictest.Options{BFT: true})
	oldSigners := s.net.Signers()
	ord := s.net.OrdererOrg
	for i := 4; i < 7; i++ {
		o, err := ord.CA.NewIdentity(ord.MSPID, "orderer-new", fabrictest.OUOrderer)
		if err != nil {
			t.Fatal(err)
		}
		ord.Orderers = append(ord.Orderers, o)
	}
	b1 := s.configBlock(t, 1, hashOf(t, s.genesis), ord.Orderers[0], oldSigners)
	env, _ := s.publishTx(t, s.peers()...)
	block := func(n int) []byte {
		b, err := s.net.Block(fabrictest.BlockSpec{Number: 2, PrevHash: hashOf(t, b1), Envelopes: [][]byte{env}, LastConfig: 1, Signers: s.net.Signers()[:n]})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	next, _, err := fabric.VerifyChain(s.tc, [][]byte{b1, block(5)})
	if err != nil {
		t.Fatal(err)
	}
	if next.Quorum() != 5 || len(next.Consenters()) != 7 {
		t.Fatalf("quorum %d of %d", next.Quorum(), len(next.Consenters()))
	}
	_, _, err = fabric.VerifyChain(s.tc, [][]byte{b1, block(4)})
	wantErr(t, err, fabric.ErrBlockPolicy)
}
