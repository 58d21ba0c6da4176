package fabric_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/liaison-gw/liaison/proofs/fabric"
	"github.com/liaison-gw/liaison/proofs/fabric/fabrictest"
)

// FuzzVerifyBlock mutates the captured blocks and verifies them against
// their networks' configs (sel picks raft or bft). It must never panic,
// every error must be a *VerifyError, and an accepted block must be one of
// the real blocks (same header hash and data hash: forging another needs
// the orderers' keys). VerifyTransaction runs on every accepted block.
func FuzzVerifyBlock(f *testing.F) {
	configs := map[string]*fabric.TrustedConfig{"raft": trusted(f, "raft"), "bft": trusted(f, "bft")}
	known := map[string][]byte{} // header hash -> data hash
	for _, v := range txVectors(f) {
		raw := readVector(f, v.File)
		b := mustVerifyBlock(f, configs[v.net()], nil, raw)
		known[string(b.Hash)] = b.DataHash
		sel := uint8(0)
		if v.net() == "bft" {
			sel = 1
		}
		f.Add(sel, raw)
	}
	policies := []fabric.EndorsementPolicy{fabric.MajorityOrgs(), fabric.AnyOrg()}
	f.Fuzz(func(t *testing.T, sel uint8, raw []byte) {
		tc := configs["raft"]
		if sel%2 == 1 {
			tc = configs["bft"]
		}
		b, err := fabric.VerifyBlock(tc, nil, raw)
		if err != nil {
			var ve *fabric.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		dh, ok := known[string(b.Hash)]
		if !ok || !bytes.Equal(dh, b.DataHash) {
			t.Fatalf("accepted block %d with unknown hash %x", b.Number, b.Hash)
		}
		for i := range b.Txs {
			for _, p := range policies {
				if _, err := fabric.VerifyTransaction(tc, b, i, p); err != nil {
					var ve *fabric.VerifyError
					if !errors.As(err, &ve) {
						t.Fatalf("%T: %v", err, err)
					}
				}
			}
		}
	})
}

// FuzzTransaction puts arbitrary envelope bytes into a block that a
// synthetic orderer signs, so that the transaction decoders (wire.go), which
// only ever see authenticated envelopes, get fuzzed too. Seeds: the real
// envelopes and a synthetic transaction. Nothing may panic, every error
// must be a *VerifyError, and a transaction that verifies must carry what
// its endorsers signed (its tx ID is checked against nonce and creator).
func FuzzTransaction(f *testing.F) {
	s := newSynth(f, fabrictest.Options{})
	for _, v := range txVectors(f) {
		f.Add(envelopeOf(f, readVector(f, v.File), 0))
	}
	env, _ := s.publishTx(f, s.peers()...)
	f.Add(env)
	f.Fuzz(func(t *testing.T, env []byte) {
		raw, err := s.net.Block(fabrictest.BlockSpec{Number: 1, Envelopes: [][]byte{env}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := fabric.VerifyBlock(s.tc, nil, raw)
		if err != nil {
			var ve *fabric.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		for _, p := range []fabric.EndorsementPolicy{fabric.AnyOrg(), fabric.AllOrgs()} {
			tx, err := fabric.VerifyTransaction(s.tc, b, 0, p)
			if err != nil {
				var ve *fabric.VerifyError
				if !errors.As(err, &ve) {
					t.Fatalf("%T: %v", err, err)
				}
				continue
			}
			if len(tx.Endorsements) == 0 || tx.Creator.MSPID == "" {
				t.Fatalf("verified a transaction without endorsements or creator")
			}
		}
	})
}

// FuzzParseConfigBlock mutates the captured config blocks. ParseConfigBlock
// must never panic, its errors must wrap ErrBadConfig, and a config it
// accepts must survive a JSON round trip unchanged.
func FuzzParseConfigBlock(f *testing.F) {
	f.Add(readVector(f, "raft/config.block"))
	f.Add(readVector(f, "bft/config.block"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tc, err := fabric.ParseConfigBlock(raw)
		if err != nil {
			if !errors.Is(err, fabric.ErrBadConfig) {
				t.Fatalf("%v does not wrap ErrBadConfig", err)
			}
			return
		}
		enc, err := json.Marshal(tc)
		if err != nil {
			t.Fatal(err)
		}
		var back fabric.TrustedConfig
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("accepted config does not decode: %v\n%s", err, enc)
		}
		again, _ := json.Marshal(&back)
		if !bytes.Equal(enc, again) {
			t.Fatalf("JSON round trip changed the config:\n%s\n%s", enc, again)
		}
	})
}

// FuzzParseEndorsementPolicy parses arbitrary policy text. Whatever it
// accepts must print in a form that parses back to the same policy.
func FuzzParseEndorsementPolicy(f *testing.F) {
	for _, s := range []string{
		"majority", "ANY Endorsement", "all",
		"OutOf(2,'Org1MSP.peer','Org2MSP.peer')",
		"AND('Org1MSP.peer', OR('Org2MSP.member', \"Org3MSP.admin\"))",
		"'OrdererMSP.cert:876517c22d85afc1a35ac28fc9ff1e4754433b3c1717d21e3fc369dd9efb2316'",
		"OR(AND('A.client','B.orderer'),OutOf(1,'C.peer'))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := fabric.ParseEndorsementPolicy(s)
		if err != nil {
			return
		}
		q, err := fabric.ParseEndorsementPolicy(p.String())
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, p.String(), err)
		}
		if q.String() != p.String() {
			t.Fatalf("%q: %q reparses as %q", s, p.String(), q.String())
		}
	})
}
