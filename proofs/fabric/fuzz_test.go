package fabric_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	cb "github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

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

// FuzzConfigUpdate mutates config envelopes (the data of a config block's
// CONFIG transaction) and checks them with the config update check against
// the config they were made for (sel picks it). Seeds: the config updates
// captured from a real network (raft-update: an anchor peer added by
// Org1's admin, a policy added by both orgs' admins, and that policy
// forged with Org1's admin alone), genuine updates of a synthetic channel
// (an org rotating its CA, an org joining) and the captured genesis
// configs. Nothing may panic, every error must match ErrConfigUpdate or
// ErrBadConfig, and an accepted envelope must carry one of the genuine
// updates (whose signatures cannot be forged) or leave the channel config
// as it was.
func FuzzConfigUpdate(f *testing.F) {
	s := newSynth(f, fabrictest.Options{})
	type base struct {
		tc      *fabric.TrustedConfig
		current *cb.Config
	}
	bases := []base{{s.tc, proto.Clone(s.net.Current).(*cb.Config)}}
	for _, net := range []string{"raft", "bft"} {
		raw := readVector(f, net+"/config.block")
		bases = append(bases, base{trusted(f, net), configOf(f, envelopeOf(f, raw, 0))})
	}
	known := map[string]bool{}
	captured := loadRealUpdates(f)
	first := mustVerifyBlock(f, captured.tc0, nil, captured.anchorPeers)
	bases = append(bases,
		base{captured.tc0, configOf(f, envelopeOf(f, captured.genesis, 0))},
		base{first.Config, configOf(f, envelopeOf(f, captured.anchorPeers, 0))})
	for _, seed := range []struct {
		sel     uint8
		block   []byte
		genuine bool
	}{{3, captured.anchorPeers, true}, {4, captured.policy, true}, {4, captured.forged, false}} {
		data := payloadData(f, envelopeOf(f, seed.block, 0))
		if seed.genuine {
			known[string(configUpdateOf(f, data))] = true
		}
		f.Add(seed.sel, data)
	}
	addUpdate := func(signers []*fabrictest.Identity) {
		u, err := fabrictest.ComputeUpdate(s.net.Channel, s.net.Current, s.net.Config())
		if err != nil {
			f.Fatal(err)
		}
		env, err := s.net.ConfigTx(u, signers, s.net.OrdererOrg.Orderers[0])
		if err != nil {
			f.Fatal(err)
		}
		data := payloadData(f, env)
		known[string(configUpdateOf(f, data))] = true
		f.Add(uint8(0), data)
	}
	rotated, err := fabrictest.NewOrg("Org1MSP", true, 1, 0)
	if err != nil {
		f.Fatal(err)
	}
	orig := s.net.AppOrgs[0]
	s.net.AppOrgs[0] = rotated
	addUpdate(s.admins[1:2])
	s.net.AppOrgs[0] = orig
	s.addOrg3(f)
	addUpdate(s.admins)
	for i := range 2 {
		raw := readVector(f, []string{"raft", "bft"}[i]+"/config.block")
		f.Add(uint8(i+1), payloadData(f, envelopeOf(f, raw, 0)))
	}
	f.Fuzz(func(t *testing.T, sel uint8, data []byte) {
		b := bases[int(sel)%len(bases)]
		err := fabric.ValidateConfigUpdate(b.tc, data)
		if err != nil {
			if !errors.Is(err, fabric.ErrConfigUpdate) && !errors.Is(err, fabric.ErrBadConfig) {
				t.Fatalf("%v matches neither ErrConfigUpdate nor ErrBadConfig", err)
			}
			return
		}
		var ce cb.ConfigEnvelope
		if err := proto.Unmarshal(data, &ce); err != nil {
			t.Fatal(err)
		}
		if known[string(configUpdateOf(t, data))] {
			return
		}
		if !proto.Equal(ce.Config.ChannelGroup, b.current.ChannelGroup) {
			t.Fatalf("accepted a config update nobody signed that changes the config")
		}
	})
}

// payloadData returns the payload data of a marshalled envelope.
func payloadData(tb testing.TB, env []byte) []byte {
	tb.Helper()
	var e cb.Envelope
	var pl cb.Payload
	if err := proto.Unmarshal(env, &e); err != nil {
		tb.Fatal(err)
	}
	if err := proto.Unmarshal(e.Payload, &pl); err != nil {
		tb.Fatal(err)
	}
	return pl.Data
}

// configOf returns the config in a CONFIG envelope.
func configOf(tb testing.TB, env []byte) *cb.Config {
	tb.Helper()
	var ce cb.ConfigEnvelope
	if err := proto.Unmarshal(payloadData(tb, env), &ce); err != nil {
		tb.Fatal(err)
	}
	return ce.Config
}

// configUpdateOf returns the ConfigUpdate bytes of a config envelope's last
// update, or nil.
func configUpdateOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var ce cb.ConfigEnvelope
	if proto.Unmarshal(data, &ce) != nil || ce.LastUpdate == nil {
		return nil
	}
	var cue cb.ConfigUpdateEnvelope
	if proto.Unmarshal(payloadData(tb, mustMarshalProto(tb, ce.LastUpdate)), &cue) != nil {
		return nil
	}
	return cue.ConfigUpdate
}

func mustMarshalProto(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
