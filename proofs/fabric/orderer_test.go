package fabric_test

import (
	"fmt"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// TestBFTQuorumBlocks signs blocks with q and q-1 of n consenters.
func TestBFTQuorumBlocks(t *testing.T) {
	for n := 1; n <= 7; n++ {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			s := newSynth(t, fabrictest.Options{BFT: true, Orderers: n})
			q := fabric.BFTQuorum(n)
			if s.tc.Quorum() != q {
				t.Fatalf("quorum %d, want %d", s.tc.Quorum(), q)
			}
			env, _ := s.publishTx(t, s.peers()...)
			var all []fabrictest.OrdererSig
			for i, o := range s.net.OrdererOrg.Orderers {
				all = append(all, fabrictest.OrdererSig{ID: o, Consenter: uint32(i + 1)})
			}
			sign := func(sigs []fabrictest.OrdererSig) ([]byte, error) {
				b, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}, Signers: sigs, NoSigners: len(sigs) == 0})
				if err != nil {
					t.Fatal(err)
				}
				return b, nil
			}
			for _, sigs := range [][]fabrictest.OrdererSig{all[:q], all, all[n-q:]} {
				b, _ := sign(sigs)
				if blk := mustVerifyBlock(t, s.tc, nil, b); len(blk.Signers) != len(sigs) {
					t.Fatalf("%d signers counted, %d signed", len(blk.Signers), len(sigs))
				}
			}
			b, _ := sign(all[:q-1])
			_, err := fabric.VerifyBlock(s.tc, nil, b)
			if q == 1 {
				wantErr(t, err, fabric.ErrOrdererSignature) // no signature at all
			} else {
				wantErr(t, err, fabric.ErrBlockPolicy)
			}
			if q > 1 {
				// q signatures, two by the same consenter.
				dup := append(append([]fabrictest.OrdererSig{}, all[:q-1]...), all[0])
				b, _ = sign(dup)
				_, err = fabric.VerifyBlock(s.tc, nil, b)
				wantErr(t, err, fabric.ErrBlockPolicy)
			}
			// A consenter that signs with a SignatureHeader still counts.
			withHeader := append([]fabrictest.OrdererSig{}, all[:q]...)
			withHeader[0].Consenter = 0
			b, _ = sign(withHeader)
			mustVerifyBlock(t, s.tc, nil, b)
		})
	}
}

// TestBFTNonConsenter: an orderer of the orderer org that is not in the
// consenter mapping does not count towards the quorum.
func TestBFTNonConsenter(t *testing.T) {
	s := newSynth(t, fabrictest.Options{BFT: true})
	outsider, err := s.net.OrdererOrg.CA.NewIdentity("OrdererMSP", "orderer9", fabrictest.OUOrderer)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := s.publishTx(t, s.peers()...)
	sigs := append(s.net.Signers()[:2], fabrictest.OrdererSig{ID: outsider})
	b, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}, Signers: sigs})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fabric.VerifyBlock(s.tc, nil, b)
	wantErr(t, err, fabric.ErrNotOrderer)
}

// TestRaftSigners: only an orderer (the orderer OU of an orderer org's MSP)
// may sign a block; an extra bad signature next to a good one is ignored,
// as Fabric ignores it.
func TestRaftSigners(t *testing.T) {
	s := newSynth(t, fabrictest.Options{})
	env, _ := s.publishTx(t, s.peers()...)
	ord := s.net.OrdererOrg
	for name, c := range map[string]struct {
		signers []fabrictest.OrdererSig
		want    error
	}{
		"orderer":                   {[]fabrictest.OrdererSig{{ID: ord.Orderers[0]}}, nil},
		"peer of an app org":        {[]fabrictest.OrdererSig{{ID: s.net.AppOrgs[0].Peer()}}, fabric.ErrNotOrderer},
		"client of the orderer org": {[]fabrictest.OrdererSig{{ID: ord.Client}}, fabric.ErrNotOrderer},
		"admin of the orderer org":  {[]fabrictest.OrdererSig{{ID: ord.Admin}}, fabric.ErrNotOrderer},
		"orderer and a peer":        {[]fabrictest.OrdererSig{{ID: s.net.AppOrgs[0].Peer()}, {ID: ord.Orderers[0]}}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}, Signers: c.signers})
			if err != nil {
				t.Fatal(err)
			}
			_, err = fabric.VerifyBlock(s.tc, nil, b)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.want)
		})
	}
	t.Run("extra garbage signature", func(t *testing.T) {
		b := s.block(t, 1, nil, env)
		b, err := fabrictest.EditSignatures(b, func(sigs []*cb.MetadataSignature) []*cb.MetadataSignature {
			return append(sigs, &cb.MetadataSignature{SignatureHeader: []byte{0xff}, Signature: []byte{1}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if blk := mustVerifyBlock(t, s.tc, nil, b); len(blk.Signers) != 1 {
			t.Fatalf("%d signers", len(blk.Signers))
		}
	})
}
